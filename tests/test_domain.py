"""The regeneration model's policies, their explanations, and the compare / calibrate verbs.

Sources
-------
[JL22]  Jiang Ling and Li Lei (2022), 社区更新中合作治理的空间利益机制,
        section 3(4): without a
        spatial-interest mechanism "the market lacks a motive to enter" (baseline: the operator
        stays out); section 5(2): the Jinsong package (3-year subsidy + 20-year operating rights +
        user pays + concessions + platform) makes government, operator and residents cooperate
        stably.  docs/regeneration_model.md tabulates the margins of every scenario.
[MS82]  Maynard Smith, J. (1982), Evolution and the Theory of Games, ch. 8 (hawk-dove roles).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gametheory_regen.analysis import analyze
from gametheory_regen.domain.calibration import calibrate_jinsong
from gametheory_regen.domain.policies import compare_policies, explain_outcome
from gametheory_regen.errors import GameInputError
from gametheory_regen.model import Game
from gametheory_regen.presentation.cli import main

COOP = {"government": "enable", "operator": "operate", "residents": "participate"}
COOP_NAMES = ("enable", "operate", "participate")


@pytest.fixture(scope="module")
def regeneration():
    return Game.builtin("regeneration")


@pytest.fixture(scope="module")
def comparison(regeneration):
    return compare_policies(regeneration)


def _stable_profiles(scenario_policy):
    return [tuple(s for _, s in e.outcome) for e in scenario_policy.stable]


def test_jinsong_cooperation_is_an_ess(regeneration):
    """[JL22] section 5(2): under the Jinsong package (enable, operate, participate) is an ESS."""
    analysis = analyze(regeneration.with_scenario("jinsong"))
    vertex = analysis.vertex(COOP_NAMES)
    assert vertex.ess and vertex.strict_nash and str(vertex.stability) == "stable"


def test_baseline_operator_stays_out(regeneration, comparison):
    """[JL22] 3(4): with no spatial-interest mechanism no stable outcome has the operator in."""
    analysis = analyze(regeneration.with_scenario("baseline"))
    stable = [v for v in analysis.vertices if str(v.stability) == "stable"]
    assert stable, "the status quo trap is stable"
    operator = regeneration.population_index("operator")
    assert all(v.support[operator] == (1,) for v in stable)  # index 1 = stay_out
    base = comparison.scenario("baseline")
    assert all(dict(e.outcome)["operator"] == "stay_out" for e in base.stable)
    assert not base.cooperation_stable
    assert any(r.population == "operator" for r in base.cooperation.deviators)


def test_compare_covers_every_scenario(regeneration, comparison):
    assert [s.scenario for s in comparison.scenarios] == list(regeneration.scenarios)
    assert comparison.parameters == ("T", "s", "k", "Ct")
    for s in comparison.scenarios:
        assert len(s.thresholds) == 4
        # stable outcomes are exactly the analysis's strict Nash vertices
        strict = [v for v in s.analysis.vertices if v.strict_nash]
        assert len(strict) == len(s.stable)
        assert s.cooperation_stable == (COOP_NAMES in _stable_profiles(s))
        # each threshold agrees with the analysis at the scenario's own value
        for t in s.thresholds:
            assert t.stable_now == s.cooperation_stable, (s.scenario, t.parameter)


@pytest.mark.parametrize("scenario, cooperation", [
    ("baseline", False), ("subsidy_only", False), ("rights_only", False), ("jinsong", True),
    ("jinsong_no_concessions", False), ("jinsong_short_rights", False),
    ("lease_through", True), ("fiscal_only", False), ("trust", True),
    ("trust_no_concessions", True), ("collateral", True), ("zaoyuan_ownerless_land", True),
    ("jinsong_without_permits", False), ("permits_only", False),
])
def test_scenario_table_of_the_model_doc(comparison, scenario, cooperation):
    """docs/regeneration_model.md, 'Scenarios and their stable vertices': C or not; N always."""
    s = comparison.scenario(scenario)
    assert s.cooperation_stable is cooperation
    assert ("withhold", "stay_out", "stay_passive") in _stable_profiles(s)


def test_reasons_add_up_to_the_margin(comparison):
    """The named ledger terms are a decomposition: their nets sum to the payoff margin."""
    for s in comparison.scenarios:
        for ex in (*s.stable, s.cooperation):
            for r in ex.reasons:
                assert sum(v for _, v in r.terms) == pytest.approx(r.margin, abs=1e-9)


def test_jinsong_operator_reason_names_the_paper_terms(comparison):
    """[JL22]: the operator stays for space income, fees and subsidy despite the 30 M investment."""
    jinsong = comparison.scenario("jinsong")
    coop = next(e for e in jinsong.stable if dict(e.outcome) == COOP)
    op = next(r for r in coop.reasons if r.population == "operator")
    assert op.margin == pytest.approx(7.90, abs=0.01)  # docs/regeneration_model.md table
    assert op.text.startswith("operator: operate beats stay_out by +7.9")
    for words in ("space income", "property-fee and service income", "operator investment -30"):
        assert words in op.text
    gov = next(r for r in coop.reasons if r.population == "government")
    res = next(r for r in coop.reasons if r.population == "residents")
    assert gov.margin == pytest.approx(17.54, abs=0.01)
    assert res.margin == pytest.approx(1.24, abs=0.01)


def test_explain_a_plain_table_game():
    """[MS82]: (hawk, dove) with V = 2 < C = 4; a plain payoff table is explained by its payoffs."""
    ex = explain_outcome(Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"})
    assert ex.strict_nash
    owner, intruder = ex.reasons
    assert owner.margin == pytest.approx(1.0) and intruder.margin == pytest.approx(1.0)
    assert "owner: hawk beats dove by +1" in owner.text


def test_compare_options(regeneration):
    cmp = compare_policies(regeneration, ["jinsong_short_rights", "jinsong"], parameters=["T"],
                           overrides={"I": 25})
    assert [s.scenario for s in cmp.scenarios] == ["jinsong_short_rights", "jinsong"]
    assert all(s.overrides["I"] == 25.0 for s in cmp.scenarios)
    assert cmp.scenarios[1].thresholds[0].critical[0].value < 13.72  # cheaper investment
    hd = compare_policies(Game.builtin("hawk_dove"), cooperation={"owner": "hawk",
                                                                  "intruder": "dove"})
    assert [s.scenario for s in hd.scenarios] == [None] and hd.parameters == ()
    assert hd.scenarios[0].cooperation_stable


@pytest.mark.parametrize("kwargs, message", [
    ({"scenarios": ["nope"]}, "unknown scenario 'nope'"),
    ({"parameters": ["ZZ"]}, "unknown parameter 'ZZ'"),
    ({"cooperation": {"government": "enable"}}, "missing"),
    ({"scenarios": []}, "at least one scenario"),
])
def test_compare_bad_input(regeneration, kwargs, message):
    with pytest.raises(GameInputError, match=message):
        compare_policies(regeneration, **kwargs)


# ------------------------------------------------------------------------------ command line
def call(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_compare_json_covers_every_scenario(capsys, regeneration):
    status, out, err = call(capsys, "compare", "regeneration", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert [s["scenario"] for s in data["scenarios"]] == list(regeneration.scenarios)
    jinsong = next(s for s in data["scenarios"] if s["scenario"] == "jinsong")
    assert jinsong["cooperation_stable"] is True
    assert COOP in [e["outcome"] for e in jinsong["stable"]]
    assert [t["parameter"] for t in jinsong["thresholds"]] == ["T", "s", "k", "Ct"]
    for t in jinsong["thresholds"]:
        assert {"parameter", "outcome", "expression", "value", "stable_when"} <= set(t)


def test_cli_compare_text_and_markdown(capsys, tmp_path):
    status, out, err = call(capsys, "compare", "regeneration", "--scenario", "baseline",
                            "--scenario", "jinsong", "--parameter", "T")
    assert status == 0, err
    assert "== baseline" in out and "== jinsong" in out and "stable when T > 13.7232" in out
    target = tmp_path / "cmp.md"
    status, out, err = call(capsys, "compare", "regeneration", "--scenario", "jinsong",
                            "--parameter", "s", "--format", "markdown", "--output", str(target))
    assert status == 0 and out == "", err
    md = target.read_text()
    assert md.startswith("# Policies compared: regeneration") and "| `jinsong` |" in md


def test_cli_calibrate_text(capsys):
    status, out, err = call(capsys, "calibrate", "jinsong")
    assert status == 0, err
    res = calibrate_jinsong()
    for step in res.steps:  # every step shown, with its formula and source
        assert step.name in out and step.formula in out
    assert "all checks passed" in out and "r = 784.17" in out


def test_cli_calibrate_json(capsys):
    status, out, err = call(capsys, "calibrate", "jinsong", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    res = calibrate_jinsong()
    assert data["case"] == "jinsong" and data["ok"] is True
    assert data["parameters"] == pytest.approx(res.parameters)
    assert [s["name"] for s in data["steps"]] == [s.name for s in res.steps]
    assert all(c["ok"] for c in data["checks"])
    assert len(data["cash_flows"]) == 21


@pytest.mark.parametrize("args, message", [
    (["calibrate", "nowhere"], "unknown calibration case 'nowhere'"),
    (["compare", "regeneration", "--scenario", "nope"], "unknown scenario 'nope'"),
    (["threshold", "regeneration", "--outcome", "government=enable,operator=operate,"
      "residents=participate", "--parameter", "aT"], "derived name"),
], ids=["calibrate-unknown-case", "compare-unknown-scenario", "threshold-derived-name"])
def test_cli_errors_exit_2_without_traceback(args, message):
    proc = subprocess.run([sys.executable, "-m", "gametheory_regen", *args], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


# ---------------------------------------------------------------------------------------------
# The paper's other instruments (section 4(1)): each scenario's stable outcomes and its reason
# ---------------------------------------------------------------------------------------------
N_NAMES = ("withhold", "stay_out", "stay_passive")


def _reason(policy, population):
    return next(r for r in policy.cooperation.reasons if r.population == population)


def test_zaoyuan_ownerless_land_route(comparison, regeneration):
    """[JL22] 4(1): ownerless land registered, reclaimed and allocated to the community, which
    partners with a firm (Zaoyuan, Daxing).  Without subsidy or lease, cooperation is stable; the
    operator keeps (1 - phi_c) = 90% of the space income (16.59 x 0.9 = 14.93), so its margin is
    the lease-through margin less the community's share (4.00 - 1.66 = 2.34); the government pays
    a one-off 1 M yuan registration instead of a lease worth 7.48, so its margin is larger than
    under lease-through (20.43 > 13.95)."""
    s = comparison.scenario("zaoyuan_ownerless_land")
    assert sorted(_stable_profiles(s)) == sorted([COOP_NAMES, N_NAMES])
    op, gov = _reason(s, "operator"), _reason(s, "government")
    assert op.margin == pytest.approx(2.34, abs=0.005)
    assert "space income from the granted area over the term +14.9" in op.text
    assert "registration and reclamation of ownerless land -1" in gov.text
    lease = comparison.scenario("lease_through")
    assert gov.margin == pytest.approx(_reason(lease, "government").margin + 7.48 - 1.0, abs=0.01)
    assert op.margin == pytest.approx(_reason(lease, "operator").margin - 1.659, abs=0.001)
    # the community's share is the residents' wherever the operator runs the reclaimed space
    game = regeneration.with_scenario("zaoyuan_ownerless_land")
    share = dict((term.label, game.substitute_values(c[2]))
                 for term, c in game.cell_terms(("enable", "operate", "stay_passive")))
    assert float(share["community partner's share of the space income (ownerless-land route)"]) \
        == pytest.approx(1.659, abs=0.001)


def test_jinsong_without_permits(comparison):
    """[JL22] 4(1) (Beijing 2021 change of use, 2019 simplified approval) and 5(2) (Jinsong used
    the simplified low-risk procedure): without them only the share u_0 = 0.3 of the space can be
    let (16.59 x 0.3 = 4.98), and the operator bears Ct_x + I((1+rho)^lead - 1) = 1 + 1.5 more;
    it stays out, and only N is stable."""
    s = comparison.scenario("jinsong_without_permits")
    assert _stable_profiles(s) == [N_NAMES]
    op = _reason(s, "operator")
    assert op.margin == pytest.approx(-6.22, abs=0.005)
    assert op.text.startswith("operator: stay_out beats operate by +6.22")
    assert "extra cost without permits and simplified approval -2.5" in op.text
    assert "space income from the granted area over the term +4.98" in op.text
    gov = _reason(s, "government")
    assert "extra administrative cost of enabling without change-of-use permits -1" in gov.text


def test_permits_alone_are_not_enough(comparison):
    """Permits without operating rights give the operator no revenue source: as in baseline the
    fees cannot repay the investment (20.1 - 30 - 2.4 = -12.3)."""
    s = comparison.scenario("permits_only")
    assert _stable_profiles(s) == [N_NAMES]
    assert _reason(s, "operator").text.startswith("operator: stay_out beats operate by +12.3")


def test_permits_and_ownerless_switches_leave_jinsong_unchanged(regeneration):
    """The new instruments enter as switches whose Jinsong values (permits = 1, ownerless = 0)
    give back the calibrated payoffs: the operator's margin is still the NPV at rho."""
    jinsong = regeneration.with_scenario("jinsong")
    assert jinsong.values["permits"] == 1 and jinsong.values["ownerless"] == 0
    ex = explain_outcome(jinsong, COOP_NAMES)
    assert ex.reasons[1].margin == pytest.approx(
        next(s.value for s in calibrate_jinsong().steps if s.name == "operator NPV at rho"),
        rel=1e-12)


def test_cli_compare_shows_every_instrument(capsys):
    assert main(["compare", "regeneration", "--scenario", "zaoyuan_ownerless_land",
                 "--scenario", "jinsong_without_permits", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    zaoyuan, no_permits = data["scenarios"]
    assert (zaoyuan["scenario"], no_permits["scenario"]) == ("zaoyuan_ownerless_land",
                                                            "jinsong_without_permits")
    assert (zaoyuan["cooperation_stable"], no_permits["cooperation_stable"]) == (True, False)
    op = zaoyuan["cooperation"]["reasons"][1]
    assert op["population"] == "operator"
    assert {"term": "space income from the granted area over the term",
            "net": pytest.approx(14.934, abs=0.001)} in op["terms"]
    assert "§4(1)" in zaoyuan["source"] and "枣园" in zaoyuan["source"]


def test_question_one_basins_agree_with_the_comparison(comparison):
    """q1's ESS flag is compare's strict-Nash verdict; only an ESS has a basin; the Wilson
    interval holds the share; the shares of C, N and 'not settled' add up to 1."""
    from gametheory_regen.domain.questions import cooperation_basins

    rows = cooperation_basins(samples=64)
    assert [r.scenario for r in rows] == [s.scenario for s in comparison.scenarios]
    for r in rows:
        assert r.ess is comparison.scenario(r.scenario).cooperation_stable, r.scenario
        if not r.ess:
            assert r.share == 0.0
        assert r.low <= r.share <= r.high
        assert r.share + r.status_quo + r.not_settled == pytest.approx(1.0)
        assert sum(b[4] for b in r.by_operator_start) == r.n

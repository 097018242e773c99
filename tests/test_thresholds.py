"""Parameter thresholds of pure outcomes, checked against an independent numeric oracle.

The oracle does not use payoff differences: it builds the symbolic Jacobian of the replicator
system with every parameter free (``replicator_system(...).jacobian()``), puts in the vertex,
lambdifies it over the parameters, and calls the vertex stable when the largest real part of
``numpy.linalg.eigvals`` is negative.  Scanning a grid for sign changes of that number and
bisecting each bracket gives the critical values a second, independent way.

Sources
-------
[MS82]  Maynard Smith, J. (1982), Evolution and the Theory of Games, Cambridge UP, ch. 8:
        in the owner / intruder hawk-dove game with C > V, (hawk, dove) is an ESS; with roles as
        separate populations it is a strict Nash equilibrium iff 0 < V < C (owner: V > V/2;
        intruder: 0 > (V - C)/2).
[JL22]  Jiang Ling and Li Lei (2022), section 5 (Jinsong): the 20-year operating rights make
        cooperation stable; docs/regeneration_model.md derives the operator's margin
        Δo = space income + subsidy + fees - concessions - transaction cost - I.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp

from gametheory_regen.analysis.thresholds import threshold
from gametheory_regen.dynamics.replicator import replicator_system
from gametheory_regen.errors import GameInputError, ParameterError
from gametheory_regen.model import Game
from gametheory_regen.presentation.cli import main
from gametheory_regen.presentation.domain_verbs import stable_when_text, threshold_data

COOP = {"government": "enable", "operator": "operate", "residents": "participate"}
HD = {"owner": "hawk", "intruder": "dove"}


class JacobianOracle:
    """Stability of a vertex from the eigenvalues of the numerically evaluated Jacobian."""

    def __init__(self, game: Game, outcome: dict):
        self.game = game
        free = game.without_values()
        system = replicator_system(free, numeric=False)
        profile = game.profile_index(outcome)
        subs = {}
        for pop, vars_p, i in zip(game.populations, system.variables, profile, strict=True):
            for j, v in enumerate(vars_p):
                subs[v] = 1 if j == i else 0
        jac = system.jacobian().xreplace(subs)
        self.symbols = [p.symbol for p in free.parameters]
        self.f = sp.lambdify(self.symbols, jac, modules=["numpy", "math"])

    def max_real(self, parameter: str, value: float) -> float:
        vals = {p.name: float(p.value) for p in self.game.parameters if p.value is not None}
        vals[parameter] = value
        m = np.asarray(self.f(*[vals[s.name] for s in self.symbols]), dtype=float)
        return float(np.max(np.linalg.eigvals(m).real))

    def stable(self, parameter: str, value: float) -> bool:
        return self.max_real(parameter, value) < 0

    def crossings(self, parameter: str, lo: float, hi: float, n: int = 801) -> list[float]:
        """Where the sign of the largest real part changes: grid scan, then 100 bisections."""
        xs = np.linspace(lo, hi, n)
        ss = [self.max_real(parameter, x) < 0 for x in xs]
        out = []
        for a, b, sa, sb in zip(xs[:-1], xs[1:], ss[:-1], ss[1:], strict=True):
            if sa == sb:
                continue
            for _ in range(100):
                m = (a + b) / 2
                if (self.max_real(parameter, m) < 0) == sa:
                    a = m
                else:
                    b = m
            out.append((a + b) / 2)
        return out


@dataclass(frozen=True)
class Case:
    id: str
    model: str
    scenario: str | None
    outcome: dict
    parameter: str
    n_critical: int
    hi: float | None = None  # search cap for an unbounded parameter in the oracle's scan


CASES = [
    Case("hawk-dove-V", "hawk_dove", None, HD, "V", 2, hi=10.0),
    Case("hawk-dove-C", "hawk_dove", None, HD, "C", 1, hi=10.0),
    Case("jinsong-T", "regeneration", "jinsong", COOP, "T", 1),
    Case("jinsong-s", "regeneration", "jinsong", COOP, "s", 1, hi=20.0),
    Case("jinsong-k", "regeneration", "jinsong", COOP, "k", 1),
    Case("jinsong-Ct", "regeneration", "jinsong", COOP, "Ct", 1, hi=100.0),
    Case("jinsong-rho", "regeneration", "jinsong", COOP, "rho", 1),
    Case("jinsong-trial-two-roots", "regeneration", "jinsong", COOP, "trial", 2, hi=20.0),
    Case("jinsong-I", "regeneration", "jinsong", COOP, "I", 1, hi=100.0),
    Case("lease-through-T", "regeneration", "lease_through", COOP, "T", 1),
    Case("jinsong-status-quo-I", "regeneration", "jinsong",
         {"government": "withhold", "operator": "stay_out", "residents": "stay_passive"}, "Ct", 0,
         hi=100.0),
]


def _game(case: Case) -> Game:
    return Game.builtin(case.model).with_scenario(case.scenario)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_critical_values_match_jacobian_bisection(case):
    game = _game(case)
    res = threshold(game, case.outcome, case.parameter)
    assert len(res.critical) == case.n_critical, res
    lo, hi = res.bounds
    hi = hi if math.isfinite(hi) else case.hi
    oracle = JacobianOracle(game, case.outcome)
    found = oracle.crossings(case.parameter, lo, hi)
    inner = [c.value for c in res.critical if lo <= c.value <= hi]
    assert len(found) == len(inner), (found, inner)
    for f, c in zip(found, inner, strict=True):
        assert abs(f - c) <= 1e-9 * max(1.0, abs(c)), (f, c)
    # the stable set agrees with the oracle everywhere off the critical values
    for x in np.linspace(lo, hi, 97):
        if any(abs(x - c.value) < 1e-6 * max(1.0, abs(c.value)) for c in res.critical):
            continue
        assert any(iv.contains(x) for iv in res.stable_set) == oracle.stable(case.parameter, x), x


def test_hawk_dove_v_closed_form():
    """[MS82]: (hawk, dove) is stable iff 0 < V < C; both ends are open (eigenvalue 0 there)."""
    res = threshold(Game.builtin("hawk_dove"), HD, "V")
    assert [c.value for c in res.critical] == [0.0, 4.0]
    assert [sp.sstr(c.expression) for c in res.critical] == ["0", "C"]
    (iv,) = res.stable_set
    assert (iv.lower, iv.upper, iv.lower_closed, iv.upper_closed) == (0.0, 4.0, False, False)
    assert stable_when_text(res) == "stable when 0 < V < 4"
    assert res.stable_now is True and res.complete


def test_hawk_dove_c_is_v():
    """[MS82]: (hawk, dove) is stable iff C > V; the critical cost is V itself."""
    res = threshold(Game.builtin("hawk_dove"), HD, "C")
    (c,) = res.critical
    assert c.value == 2.0 and sp.sstr(c.expression) == "V"
    assert stable_when_text(res) == "stable when C > 2"


def test_jinsong_term_threshold():
    """[JL22]: a long enough operating-right term is what makes the operator stay; 20 > T*."""
    res = threshold(Game.builtin("regeneration").with_scenario("jinsong"), COOP, "T")
    (c,) = res.critical
    assert c.value == pytest.approx(13.7232109077, rel=1e-10)
    assert [res.eigenvalues[i].population for i in c.eigenvalues] == ["operator"]
    assert c.expression is not None and c.method == "symbolic"
    # the expression, evaluated at the scenario's values, is the critical value
    game = Game.builtin("regeneration").with_scenario("jinsong")
    assert float(game.substitute_values(c.expression)) == pytest.approx(c.value, rel=1e-12)
    assert stable_when_text(res) == "stable when T > 13.7232"
    assert res.stable_now and not res.always and not res.never
    # the short-rights scenario sits below the threshold
    short = threshold(game.with_scenario("jinsong_short_rights"), COOP, "T")
    assert short.current_value == 5.0 and short.stable_now is False


def test_subsidy_threshold_expression_is_linear():
    """The government's margin is linear in s: s* = (aT (wg + wp) - Ca - platform Cp)/ak."""
    game = Game.builtin("regeneration").with_scenario("jinsong")
    res = threshold(game, COOP, "s")
    (c,) = res.critical
    assert res.complete and c.method == "symbolic"
    assert [res.eigenvalues[i].population for i in c.eigenvalues] == ["government"]
    vals = {k: float(v) for k, v in game.values.items()}
    ak = (1 - (1 + vals["rho"]) ** -vals["k"]) / vals["rho"]
    aT = (1 - (1 + vals["rho"]) ** -vals["T"]) / vals["rho"]
    expected = ((vals["wg"] + vals["wp"]) * aT - vals["Ca"] - vals["platform"] * vals["Cp"]) / ak
    assert c.value == pytest.approx(expected, rel=1e-12)
    assert stable_when_text(res).startswith("stable when s < 7.87")


def test_two_critical_values_give_an_interval():
    """The free trial costs the operator and wins the residents: stable only in between."""
    res = threshold(Game.builtin("regeneration").with_scenario("jinsong"), COOP, "trial")
    a, b = (c.value for c in res.critical)
    assert 0 < a < 1 < b < 20
    pops = [[res.eigenvalues[i].population for i in c.eigenvalues] for c in res.critical]
    assert pops == [["residents"], ["operator"]]
    assert stable_when_text(res).startswith(f"stable when {a:.6g} < trial < {b:.6g}")
    data = threshold_data(res)
    assert isinstance(data["value"], list) and len(data["value"]) == 2
    assert isinstance(data["expression"], list) and len(data["expression"]) == 2


def test_always_and_never():
    game = Game.builtin("regeneration")
    always = threshold(game.with_scenario("jinsong"), COOP, "eta_g")
    assert always.always and not always.critical
    assert stable_when_text(always) == "stable for every eta_g in [0, 1]"
    never = threshold(game.with_scenario("baseline"), COOP, "T")
    assert never.never and not never.critical
    blocked = {never.eigenvalues[i].population for i in never.blocking}
    assert "operator" in blocked
    assert stable_when_text(never).startswith("never stable for T in [1, 70]")


def test_parameter_not_in_any_eigenvalue():
    res = threshold(Game.builtin("regeneration").with_scenario("jinsong"), COOP, "n_meet")
    assert res.always and any("does not depend" in n or "no eigenvalue" in n for n in res.notes)


@pytest.mark.parametrize("outcome, parameter, message", [
    ({"government": "enable", "operator": "operate"}, "T", "missing ['residents']"),
    ({**COOP, "landlord": "x"}, "T", "unknown ['landlord']"),
    ({**COOP, "residents": "dance"}, "T", "unknown strategy 'dance'"),
    (COOP, "ZZ", "unknown parameter 'ZZ'"),
    (COOP, "aT", "derived name"),
    ("enable", "T", "expected a mapping"),
], ids=["missing-population", "unknown-population", "unknown-strategy", "unknown-parameter",
        "derived-name", "not-a-mapping"])
def test_bad_input(outcome, parameter, message):
    with pytest.raises(GameInputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        threshold(Game.builtin("regeneration"), outcome, parameter)


def test_other_parameters_need_values():
    with pytest.raises(ParameterError, match="need values"):
        threshold(Game.builtin("hawk_dove").without_values(), HD, "V")
    # the varied parameter itself may be free
    res = threshold(Game.builtin("hawk_dove").without_values().with_values({"C": 4}), HD, "V")
    assert res.current_value is None and [c.value for c in res.critical] == [0.0, 4.0]


def test_cli_threshold_json(capsys):
    status = main(["threshold", "regeneration", "--scenario", "jinsong", "--outcome",
                   "government=enable,operator=operate,residents=participate", "--parameter", "T",
                   "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    data = json.loads(out)
    assert {"parameter", "outcome", "expression", "value", "stable_when"} <= set(data)
    assert data["parameter"] == "T" and data["outcome"] == COOP
    assert data["value"] == pytest.approx(13.7232109077, rel=1e-10)
    assert data["stable_when"] == "stable when T > 13.7232"
    assert isinstance(data["expression"], str) and "log" in data["expression"]
    assert data["intervals"] == [{"lower": data["value"], "upper": 70.0, "lower_closed": False,
                                  "upper_closed": True}]


def test_cli_threshold_text_and_set(capsys, tmp_path):
    target = tmp_path / "t.txt"
    status = main(["threshold", "hawk_dove", "--outcome", "owner=hawk,intruder=dove",
                   "--parameter", "V", "--set", "C=6", "--output", str(target)])
    out, err = capsys.readouterr()
    assert status == 0 and out == "", err
    text = target.read_text()
    assert "stable when 0 < V < 6" in text and "V* = C" in text


@pytest.mark.parametrize("args, message", [
    (["--parameter", "T"], "required: --outcome"),
    (["--outcome", "government=enable", "--parameter", "T"], "missing"),
    (["--outcome", "government", "--parameter", "T"], "POP=STRATEGY"),
    (["--outcome", "government=enable,operator=operate,residents=dance", "--parameter", "T"],
     "unknown strategy"),
    (["--outcome", "government=enable,operator=operate,residents=participate", "--parameter",
      "ZZ"], "unknown parameter"),
], ids=["missing-outcome", "partial-outcome", "malformed-outcome", "unknown-strategy",
        "unknown-parameter"])
def test_cli_threshold_errors_exit_2(capsys, args, message):
    status = main(["threshold", "regeneration", *args])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]

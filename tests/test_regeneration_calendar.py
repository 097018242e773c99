"""The calendar view of the regeneration game (``regeneration_calendar``).

Checks, against sources independent of the model's expressions:

* one source: the shipped calendar file is exactly what ``domain.calendar`` makes of the contract
  file, and every contract term has a timing;
* at calendar year 0 every payoff is the revision rate ``kappa`` times the contract view's payoff,
  in every scenario and every profile (the contract view is the calendar view before any year
  has passed);
* the subsidy is counted exactly once: the operator's continuation value at every whole year
  equals the discounted sum, in plain Python, of the Jinsong cash flows of
  :func:`gametheory_regen.domain.calibration.calibrate_jinsong` (the paper's figures: 30 M yuan
  invested, 1.43 M yuan a year in years 1-3 only, 20 years; Jiang & Li 2022, section 5(2)) that are
  still to come, less the up-front outlay not yet spent;
* a compound that has reached cooperation stays there after the subsidy ends (year 3).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from gametheory_regen import Game, simulate
from gametheory_regen.domain.calendar import (
    TIMING,
    basins_from_year,
    calendar_game,
    calendar_model_text,
    calendar_schedules,
    continuation_values,
)
from gametheory_regen.domain.calibration import calibrate_jinsong
from gametheory_regen.errors import GameInputError
from gametheory_regen.model.library import builtin_path

COOP = ("enable", "operate", "participate")


@pytest.fixture(scope="module")
def contract() -> Game:
    return Game.builtin("regeneration")


@pytest.fixture(scope="module")
def calendar() -> Game:
    return Game.builtin("regeneration_calendar")


def test_shipped_calendar_file_is_generated_from_the_contract_file():
    shipped = builtin_path("regeneration_calendar").read_text(encoding="utf-8")
    assert shipped == calendar_model_text(), (
        "regeneration_calendar.toml is stale: run python -m gametheory_regen.domain.calendar")


def test_every_contract_term_has_one_timing(contract, calendar):
    labels = [t.label for t in contract.terms]
    assert sorted(labels) == sorted(TIMING)
    assert [t.label for t in calendar.terms] == labels + ["exit cost of leaving a running contract"]
    for a, b in zip(contract.terms, calendar.terms, strict=False):
        assert (a.source, a.to, a.when, a.note) == (b.source, b.to, b.when, b.note)


def test_a_term_without_timing_is_refused(contract):
    from dataclasses import replace

    from gametheory_regen.model.game import Term

    extra = Term("a new term", sp.Symbol("I"), source="operator")
    with pytest.raises(GameInputError, match="'a new term'.*no timing"):
        calendar_game(replace(contract, terms=contract.terms + (extra,)))


def test_clocks_are_named(contract, calendar):
    assert contract.time_unit == "revision period"
    assert calendar.time_unit == "year"
    (clock,) = calendar_schedules(calendar)
    assert clock.parameter == "year" and clock.value_at(7.5) == 7.5


@pytest.mark.parametrize("scenario", list(Game.builtin("regeneration").scenarios))
def test_calendar_at_year_zero_is_kappa_times_the_contract(contract, calendar, scenario):
    """At t = 0 nothing has been paid or sunk: the continuation value is the contract's value."""
    c = contract.with_scenario(scenario)
    k = calendar.with_scenario(scenario).with_values({"year": 0, "kappa": 0.37})
    for profile in c.profiles():
        want = [float(sp.N(c.substitute_values(v), 30)) for v in c.payoff_at(profile)]
        got = [float(sp.N(k.substitute_values(v), 30)) for v in k.payoff_at(profile)]
        assert got == pytest.approx([0.37 * w for w in want], rel=1e-13, abs=1e-13), profile


def _cash_flow_value(flows: np.ndarray, rho: float, t: int, t_b: float) -> float:
    """Plain-Python continuation value at whole year t of the cash flows c_0..c_T (c_j at the end
    of year j): the flows still to come discounted to t, less the part of the up-front outlay
    -c_0 not yet spent (spent evenly over the build period t_b)."""
    ahead = sum(float(flows[j]) * (1 + rho) ** (-(j - t)) for j in range(t + 1, len(flows)))
    return ahead + float(flows[0]) * max(1 - t / t_b, 0.0)


def test_subsidy_counted_once_against_the_cash_flows(calendar):
    """Operator at (enable, operate, participate), Jinsong: the calendar value at every whole
    year equals the cash-flow sum; at t = 0 it is the contract value with ``s*ak``; from year 3
    on the subsidy is no longer in it."""
    cal = calibrate_jinsong()
    flows, rho = cal.cash_flows, cal.parameters["rho"]
    jinsong = calendar.with_scenario("jinsong")
    t_b = float(jinsong.parameter("t_b").value)
    for t in range(0, 21):
        got = continuation_values(jinsong, COOP, t)[1]
        assert got == pytest.approx(_cash_flow_value(flows, rho, t, t_b), rel=1e-12, abs=1e-12), t
    # the subsidy's part: s (1+rho)^-1 + s (1+rho)^-2 + s (1+rho)^-3 at t = 0, nothing from t = 3
    no_subsidy = jinsong.with_values({"s": 0})
    s = 1.43
    for t in range(0, 21):
        part = continuation_values(jinsong, COOP, t)[1] - continuation_values(no_subsidy, COOP, t)[1]
        plain = sum(s * (1 + rho) ** (-(j - t)) for j in range(t + 1, 4))
        assert part == pytest.approx(plain, rel=1e-12, abs=1e-12), t
    assert continuation_values(jinsong, COOP, 0)[1] == pytest.approx(
        float(sp.N(Game.builtin("regeneration").with_scenario("jinsong").substitute_values(
            Game.builtin("regeneration").payoff_at(COOP)[1]))), rel=1e-13)


def test_subsidy_kept_pays_every_year_of_the_term(calendar):
    rho = 0.05
    kept = calendar.with_scenario("jinsong_subsidy_kept")
    ends = calendar.with_scenario("jinsong")
    for t in (0, 3, 10, 19):
        diff = continuation_values(kept, COOP, t)[1] - continuation_values(ends, COOP, t)[1]
        plain = sum(1.43 * (1 + rho) ** (-(j - t)) for j in range(max(t, 3) + 1, 21))
        assert diff == pytest.approx(plain, rel=1e-12, abs=1e-12)


def test_subsidy_cut_at_year_2_is_a_schedule_of_k(calendar):
    cut = calendar.with_scenario("jinsong_subsidy_cut_at_year_2")
    sched = {s.parameter: s for s in calendar_schedules(cut)}
    assert sched["k"].value_at(1.9) == 3.0 and sched["k"].value_at(2.0) == 2.0
    at2 = cut.with_values({"k": sched["k"].value_at(2.0)})
    no_subsidy = cut.with_values({"s": 0})
    assert continuation_values(at2, COOP, 2.0)[1] == pytest.approx(
        continuation_values(no_subsidy, COOP, 2.0)[1], rel=1e-13)


def test_after_the_contract_nothing_is_left(calendar):
    jinsong = calendar.with_scenario("jinsong")
    assert continuation_values(jinsong, COOP, 20.0) == pytest.approx((0.0, 0.0, 0.0), abs=1e-12)
    # decay still hurts when nobody operates: an at-exit term, valued at the decision
    out = continuation_values(jinsong, ("enable", "stay_out", "stay_passive"), 25.0)
    assert out == pytest.approx((-10.0, 0.0, -10.0), abs=1e-12)


def test_cooperation_survives_the_end_of_the_subsidy(calendar):
    """Started at year 3 next to (enable, operate, participate), the compound stays there to the
    end of the contract: after the build year the operator's continuation value of staying,
    space income and fees without subsidy, is positive (31.7 M yuan at year 4)."""
    late = calendar.with_scenario("jinsong_from_year_3")
    assert continuation_values(late, COOP, 4.0)[1] > 26
    sim = simulate(late, [0.95, 0.95, 0.95], 17.0, schedules=calendar_schedules(late),
                   backend="numpy")
    shares = sim.states[:, ::2]
    assert np.all(np.diff(shares, axis=0) >= -1e-9)      # nobody leaves
    assert shares[-1].min() > 0.95


def test_basins_from_year_three_have_wilson_intervals(calendar):
    res = basins_from_year(calendar.with_scenario("jinsong").with_values({"kappa": 1.0}), 3.0,
                           samples=32)
    assert int(res.counts.sum()) == 32 and res.end_year == 20.0
    assert np.all(res.lower <= res.shares) and np.all(res.shares <= res.upper)
    assert res.shares[0] > 0.5                      # most starts end cooperating
    assert res.counts[1] == 0                       # none returns to the status quo
    with pytest.raises(GameInputError, match="no parameter 'year'"):
        basins_from_year(Game.builtin("regeneration"), 3.0)
    assert math.isclose(res.kappa, 1.0)

"""Tests of the Jinsong calibration (gametheory_regen.domain.calibration).

The reference values are recomputed here by hand, step by step, from the paper's figures
(seed/BRIEF.md, "The Jinsong case"): 30 M yuan investment, a 20-year contract, 1.43 M yuan per year
of subsidy for 3 years, 1,698 m² of granted space, space income 46% of revenue over the contract,
an 8% expected return over 20 years. Nothing below calls the module's helpers to build a reference.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from gametheory_regen.domain.calibration import (
    CalibrationResult,
    CalibrationStep,
    annuity_factor,
    calibrate_jinsong,
)
from gametheory_regen.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILE = ROOT / "gametheory_regen" / "models" / "regeneration.toml"


def hand_annuity(n: int, rate: float) -> float:
    """Sum of (1 + rate)^-t for t = 1..n, term by term (no closed form)."""
    return sum((1.0 + rate) ** (-t) for t in range(1, n + 1))


def hand_calibration(subsidy_counts_as_revenue: bool = False) -> dict[str, float]:
    """The calibration redone by hand with the default assumptions."""
    # Paper figures (BRIEF.md).
    investment, term, subsidy, subsidy_years, area = 30.0, 20, 1.43, 3, 1698.0
    target = 0.08  # the 46% share enters through kappa below
    # Default assumptions (named in calibrate_jinsong's docstring).
    trial, trade_area, discount = 1, 60.0, 0.5
    negotiation = 4.0 * (1 - 0.5) * (1 - 0.4) * (1 - 0.25)  # = 0.9 M yuan
    assert negotiation == pytest.approx(0.9)
    a20 = hand_annuity(term, target)  # 9.8181...
    a3 = hand_annuity(subsidy_years, target)  # 2.5771...
    a1 = hand_annuity(trial, target)  # 1 / 1.08
    assert a20 == pytest.approx(9.818147, abs=1e-6)
    assert a3 == pytest.approx(2.577097, abs=1e-6)
    assert a1 == pytest.approx(1 / 1.08)
    # IRR condition: X a20 + F (a20 - a1) + s a3 = I + C.
    needed = investment + negotiation - subsidy * a3  # 27.2148 M yuan
    # Share condition over the 20 years: 20 X = 0.46 (20 X + 19 F + [3 * 1.43]).
    # Rearranged: 0.54 * 20 X = 0.46 * 19 F + 0.46 * [4.29]  ->  X = kappa F + mu.
    kappa = 0.46 * 19 / (0.54 * 20)
    mu = 0.46 * 3 * 1.43 / (0.54 * 20) if subsidy_counts_as_revenue else 0.0
    fee = (needed - mu * a20) / ((kappa + 1) * a20 - a1)
    space = kappa * fee + mu
    rent = space * 1e6 / (area - discount * trade_area)  # yuan per m² per year on 1,668 m²
    return {"F": fee, "X": space, "r": rent, "C": negotiation, "needed": needed}


def test_result_types():
    res = calibrate_jinsong()
    assert isinstance(res, CalibrationResult)
    assert all(isinstance(s, CalibrationStep) for s in res.steps)
    with pytest.raises(AttributeError):
        res.steps = ()  # frozen
    for name, expected, obtained, ok in res.checks:
        assert ok, (name, expected, obtained)
    assert res.ok
    names = {a[0] for a in res.assumptions}
    for required in (
        "rho",
        "revenue_basis",
        "space_cost_ratio",
        "service_cost_ratio",
        "subsidy_counts_as_revenue",
    ):
        assert required in names
    for step in res.steps:
        assert step.source and step.unit and step.formula
        assert math.isfinite(step.value)


def test_paper_figures_pass_through():
    p = calibrate_jinsong().parameters
    assert (p["I"], p["T"], p["s"], p["k"], p["A"]) == (30.0, 20.0, 1.43, 3.0, 1698.0)
    assert p["rho"] == 0.05


def test_against_hand_computation():
    hand = hand_calibration()
    p = calibrate_jinsong().parameters
    assert p["F"] == pytest.approx(hand["F"], rel=1e-12)
    assert p["r"] == pytest.approx(hand["r"], rel=1e-12)
    # Rounded values, for the reader: F ≈ 1.6163 M yuan/yr, r ≈ 784.18 yuan/m²/yr.
    assert round(hand["F"], 4) == 1.6163
    assert round(hand["r"], 2) == 784.18
    step_values = {s.name: s.value for s in calibrate_jinsong().steps}
    assert step_values["negotiation cost borne C"] == pytest.approx(hand["C"])
    assert step_values["PV of operating income needed at q*"] == pytest.approx(hand["needed"])
    assert step_values["space income collected X"] == pytest.approx(hand["X"], rel=1e-12)


def test_irr_of_cash_flows_is_eight_percent_independently():
    res = calibrate_jinsong()
    hand = hand_calibration()
    # Cash flows written out by hand: year 0 outlay; year 1 no fees (free trial); years 1-3 subsidy.
    flows = [-(30.0 + hand["C"])]
    for year in range(1, 21):
        flows.append(hand["X"] + (hand["F"] if year > 1 else 0.0) + (1.43 if year <= 3 else 0.0))
    np.testing.assert_allclose(res.cash_flows, flows, rtol=1e-12)
    # IRR as a polynomial root in v = 1/(1+q): sum_t c_t v^t = 0 (numpy.roots, not Brent).
    roots = np.roots(flows[::-1])
    real = [z.real for z in roots if abs(z.imag) < 1e-9 and 0 < z.real < 2]
    assert len(real) == 1  # one sign change: a unique IRR
    q = 1 / real[0] - 1
    assert abs(q - 0.08) < 1e-9
    obtained = dict((c[0], c[2]) for c in res.checks)["IRR equals the 8% target"]
    assert abs(obtained - 0.08) < 1e-9


def test_space_share_is_46_percent():
    hand = hand_calibration()
    space_total = 20 * hand["X"]
    fee_total = 19 * hand["F"]
    assert space_total / (space_total + fee_total) == pytest.approx(0.46, abs=1e-12)


def test_operator_npv_at_rho_positive_and_zero_at_target():
    base = {s.name: s.value for s in calibrate_jinsong().steps}
    assert base["operator NPV at rho"] > 0  # 8% > rho = 5%: operating strictly pays
    at_target = {s.name: s.value for s in calibrate_jinsong(rho=0.08).steps}
    assert at_target["operator NPV at rho"] == pytest.approx(0.0, abs=1e-9)


def test_rho_changes_present_values_not_the_streams():
    a = calibrate_jinsong().parameters
    b = calibrate_jinsong(rho=0.03).parameters
    assert b["rho"] == 0.03
    assert (a["r"], a["F"]) == (b["r"], b["F"])  # streams are fixed by the IRR, not by rho


def test_subsidy_counted_as_revenue_shifts_income_to_space():
    hand = hand_calibration(subsidy_counts_as_revenue=True)
    base = calibrate_jinsong().parameters
    p = calibrate_jinsong(subsidy_counts_as_revenue=True).parameters
    assert p["r"] == pytest.approx(hand["r"], rel=1e-12)
    assert p["F"] == pytest.approx(hand["F"], rel=1e-12)
    assert p["r"] > base["r"] and p["F"] < base["F"]


def test_gross_basis():
    base = calibrate_jinsong().parameters
    # Equal cost ratios on both streams leave the net streams unchanged.
    same = calibrate_jinsong(revenue_basis="gross", space_cost_ratio=0.3, service_cost_ratio=0.3)
    assert same.parameters["r"] == pytest.approx(base["r"], rel=1e-12)
    # Services cost more to run than space: 46% of *gross* revenue means more of the net from space.
    p = calibrate_jinsong(revenue_basis="gross", space_cost_ratio=0.1, service_cost_ratio=0.6)
    assert p.ok
    assert p.parameters["r"] > base["r"] and p.parameters["F"] < base["F"]
    kappa = 0.46 * 19 * 0.9 / (0.54 * 20 * 0.4)
    hand = hand_calibration()
    a20, a1 = hand_annuity(20, 0.08), hand_annuity(1, 0.08)
    fee = hand["needed"] / ((kappa + 1) * a20 - a1)
    assert p.parameters["F"] == pytest.approx(fee, rel=1e-12)


def test_higher_target_needs_more_income():
    base = calibrate_jinsong().parameters
    p = calibrate_jinsong(target_irr=0.10).parameters
    assert p["r"] > base["r"] and p["F"] > base["F"]


def test_bad_assumptions_raise():
    with pytest.raises(ParameterError, match="revenue_basis"):
        calibrate_jinsong(revenue_basis="net", space_cost_ratio=0.2)
    with pytest.raises(ParameterError, match="revenue_basis"):
        calibrate_jinsong(revenue_basis="profit")
    with pytest.raises(ParameterError, match="space_share"):
        calibrate_jinsong(space_share=1.2)
    with pytest.raises(ParameterError, match="trial_years"):
        calibrate_jinsong(trial_years=1.5)


def test_annuity_factor_matches_sum():
    for n, rate in ((20, 0.05), (3, 0.08), (1, 0.05), (7, 0.0)):
        assert annuity_factor(n, rate) == pytest.approx(hand_annuity(n, rate) if rate else n)


def test_model_file_defaults_equal_calibration():
    with MODEL_FILE.open("rb") as fh:
        model = tomllib.load(fh)
    values = {
        name: (spec["value"] if isinstance(spec, dict) else spec)
        for name, spec in model["parameters"].items()
    }
    calibrated = calibrate_jinsong().parameters
    shared = set(values) & set(calibrated)
    assert {"T", "s", "k", "A", "I", "rho", "r", "F"} <= shared
    for name in sorted(shared):
        assert values[name] == pytest.approx(calibrated[name], rel=1e-12), name
    # The jinsong scenario does not override any calibrated value with a different one.
    for name, value in model["scenarios"]["jinsong"]["set"].items():
        if name in calibrated:
            assert value == pytest.approx(calibrated[name]), name

"""Schedules given as expressions in time (Contract 4, ``kind = "expression"``), integrated by the
engine, and their declared bounds proven on the integration interval.

Source of the closed form: with a constant-advantage game whose advantage is the scheduled
parameter, ``D(t) = s(t)``, the replicator ``x' = x (1 - x) D(t)`` is the logistic equation with
a time-varying rate; its log-odds grow by the integral of the rate:
``x(t) = 1 / (1 + ((1 - x0)/x0) exp(-int_0^t D))`` (Hofbauer & Sigmund 1998, sec. 7.1, for the
constant case; the time-varying case follows by the same separation of variables). For
``s(t) = s0 exp(-r t)``, ``int_0^t s = s0 (1 - exp(-r t)) / r``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gametheory_regen as gr
from gametheory_regen.analysis.batch import simulate
from gametheory_regen.errors import ParameterError
from gametheory_regen.presentation.cli import main

MODEL = """
name = "decaying_advantage"
[[populations]]
name = "firms"
strategies = ["comply", "evade"]
[[populations]]
name = "agency"
strategies = ["inspect", "trust"]
[parameters]
s = {{ value = 1.0, min = 0 }}
s0 = 1.43
r = 0.2
k = 0.5
[schedules.s]
kind = "expression"
value = "{expr}"
{extra}
[[payoffs]]
profile = ["comply", "inspect"]
values = ["s", "k"]
[[payoffs]]
profile = ["comply", "trust"]
values = ["s", "k"]
[[payoffs]]
profile = ["evade", "inspect"]
values = ["0", "k"]
[[payoffs]]
profile = ["evade", "trust"]
values = ["0", "k"]
"""


def _model(tmp_path, expr="s0*exp(-r*t)", extra=""):
    path = tmp_path / "m.toml"
    path.write_text(MODEL.format(expr=expr, extra=extra))
    return path


def _logistic(x0, integral):
    return 1.0 / (1.0 + (1.0 - x0) / x0 * np.exp(-integral))


def test_expression_schedule_matches_closed_form(tmp_path):
    """The firms' advantage of complying is s(t) = 1.43 exp(-0.2 t); the agency is indifferent
    (it earns k either way) and stays put. Error bound: the adaptive method keeps each local
    error below atol + rtol |x| (<= 1.1e-8 here); the log-odds equation is neutrally stable
    (no error growth), and over t_end = 30 with at most a few hundred steps the accumulated
    error stays below 1e-6; measured about 1e-9."""
    game = gr.Game.from_file(_model(tmp_path))
    t = np.linspace(0.0, 30.0, 31)
    sim = simulate(game, [0.1, 0.3], 30.0, t_eval=t)
    integral = 1.43 * (1.0 - np.exp(-0.2 * t)) / 0.2
    assert np.abs(sim.states[:, 0] - _logistic(0.1, integral)).max() < 1e-6
    assert np.allclose(sim.states[:, 2], 0.3, atol=1e-12)
    # the error scales with the tolerance (the schedule is evaluated at every stage time, not
    # frozen or linearised): 100x smaller rtol, at least 20x smaller error
    e6 = np.abs(simulate(game, [0.1, 0.3], 30.0, t_eval=t, rtol=1e-6, atol=1e-8).states[:, 0]
                - _logistic(0.1, integral)).max()
    e8 = np.abs(sim.states[:, 0] - _logistic(0.1, integral)).max()
    assert e8 < e6 / 20 or e8 < 1e-12


def test_expression_with_piecewise_schedule(tmp_path):
    """An expression schedule and a piecewise-constant one together: the agency's advantage of
    inspecting is 1 until t = 4, then -1 (restart at the breakpoint), closed form on both."""
    extra = ('[schedules.k]\nkind = "piecewise_constant"\ntimes = [0, 4]\nvalues = [1, -1]\n')
    text = MODEL.format(expr="s0*exp(-r*t)", extra=extra).replace(
        'values = ["s", "k"]\n[[payoffs]]\nprofile = ["comply", "trust"]\nvalues = ["s", "k"]',
        'values = ["s", "k"]\n[[payoffs]]\nprofile = ["comply", "trust"]\nvalues = ["s", "0"]'
    ).replace('profile = ["evade", "trust"]\nvalues = ["0", "k"]',
              'profile = ["evade", "trust"]\nvalues = ["0", "0"]')
    path = tmp_path / "m2.toml"
    path.write_text(text)
    game = gr.Game.from_file(path)
    t = np.array([0.0, 2.0, 4.0, 7.0, 10.0])
    sim = simulate(game, [0.2, 0.5], 10.0, t_eval=t)
    integral_s = 1.43 * (1.0 - np.exp(-0.2 * t)) / 0.2
    integral_k = np.where(t <= 4, t, 4.0 - (t - 4.0))
    assert np.abs(sim.states[:, 0] - _logistic(0.2, integral_s)).max() < 1e-6
    assert np.abs(sim.states[:, 2] - _logistic(0.5, integral_k)).max() < 1e-6


def test_parameters_of_the_expression_follow_set(tmp_path):
    game = gr.Game.from_file(_model(tmp_path)).with_values({"s0": "2"})
    sim = simulate(game, [0.1, 0.3], 5.0, t_eval=[0.0, 5.0])
    assert sim.states[-1, 0] == pytest.approx(
        _logistic(0.1, 2.0 * (1 - math.exp(-1.0)) / 0.2), abs=1e-7)


def test_numba_backend_falls_back_to_numpy(tmp_path):
    """A piece whose payoffs are a callable of t runs on the numpy backend whatever is asked."""
    game = gr.Game.from_file(_model(tmp_path))
    a = simulate(game, [0.1, 0.3], 5.0, n_points=6, backend="numba")
    b = simulate(game, [0.1, 0.3], 5.0, n_points=6, backend="numpy")
    assert a.backend == "numpy" and np.array_equal(a.states, b.states)


def test_bound_violation_is_refused(tmp_path):
    """s has min 0; s(t) = 1 - 0.2 t crosses it at t = 5."""
    game = gr.Game.from_file(_model(tmp_path, expr="1 - 0.2*t"))
    simulate(game, [0.1, 0.3], 4.0, n_points=3)  # within bounds on [0, 4]
    with pytest.raises(ParameterError, match="below the declared min 0"):
        simulate(game, [0.1, 0.3], 10.0, n_points=3)


def test_interior_violation_found_by_bisection(tmp_path):
    """(t - 5)^2/10 - 0.1 is >= 0 at both ends of [0, 10] but -0.1 at t = 5."""
    game = gr.Game.from_file(_model(tmp_path, expr="(t - 5)**2/10 - 0.1"))
    with pytest.raises(ParameterError, match="below the declared min"):
        simulate(game, [0.1, 0.3], 10.0, n_points=3)


def test_bounds_that_cannot_be_proven_are_refused(tmp_path):
    """log(t - 0.07) is not a number at t = 0: refused with its time, never passed silently;
    log(t + 0.5) - 1 dips below 0 only where its argument is below e, found by bisection."""
    game = gr.Game.from_file(_model(tmp_path, expr="1 + log(s0 - 1.5 + t)"))
    with pytest.raises(ParameterError, match="at t = 0 is not a finite number"):
        simulate(game, [0.1, 0.3], 10.0, n_points=3)
    game = gr.Game.from_file(_model(tmp_path, expr="log(t + 0.5) - 1 + 0.9"))
    with pytest.raises(ParameterError, match="below the declared min 0"):
        simulate(game, [0.1, 0.3], 10.0, n_points=3)


def test_unprovable_bound_refused(tmp_path):
    """t^2 - 10 t + 25 = (t - 5)^2 >= 0 touches the bound at t = 5 (never a bisection point of
    [0, 10.3]); written expanded, its interval enclosures near t = 5 always reach below 0
    (the dependency problem of interval arithmetic), and float values there may round below
    0 without proving a violation: the budget of interval evaluations runs out and the
    schedule is refused as unproven, neither passed nor falsely called a violation."""
    game = gr.Game.from_file(_model(tmp_path, expr="t**2 - 10*t + 25"))
    with pytest.raises(ParameterError, match="cannot prove"):
        simulate(game, [0.1, 0.3], 10.3, n_points=3)


def test_cli_bound_violation_one_line(tmp_path, capsys):
    path = _model(tmp_path, expr="1 - 0.2*t")
    code = main(["simulate", str(path), "--initial", "firms=0.1,agency=0.3", "--t-end", "10"])
    out = capsys.readouterr()
    assert code == 2 and out.out == "" and out.err.count("\n") == 1
    assert "below the declared min 0" in out.err


def test_cli_simulates_expression_schedule(tmp_path, capsys):
    path = _model(tmp_path)
    code = main(["simulate", str(path), "--initial", "firms=0.1,agency=0.3", "--t-end", "5",
                 "--points", "2", "--format", "csv"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    x5 = float(out[-1].split(",")[1])
    assert x5 == pytest.approx(_logistic(0.1, 1.43 * (1 - math.exp(-1.0)) / 0.2), abs=1e-7)

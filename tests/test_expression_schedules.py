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


def _final(game, x0, t_end, **kw):
    """The integrated state at t_end (a step end: the engine's output between steps is cubic
    Hermite interpolation, whose error the step control does not bound)."""
    return simulate(game, x0, t_end, t_eval=[0.0, t_end], **kw).final


def test_expression_schedule_matches_closed_form(tmp_path):
    """The firms' advantage of complying is s(t) = 1.43 exp(-0.2 t); the agency is indifferent
    (it earns k either way) and stays put. Error bound: each accepted step's local error is
    at most atol + rtol |x| (about 1e-8); the log-odds equation has no error growth and the
    horizon takes a few dozen steps, so the end-state error is below 10 rtol (measured about
    0.01 rtol). The schedule is evaluated at every stage time, so the error also scales with
    the tolerance: 100x smaller rtol, at least 20x smaller error."""
    game = gr.Game.from_file(_model(tmp_path))
    errs = {}
    for t_end in (3.0, 10.0, 30.0):
        exact = _logistic(0.1, 1.43 * (1.0 - math.exp(-0.2 * t_end)) / 0.2)
        for rt in (1e-6, 1e-8):
            fin = _final(game, [0.1, 0.3], t_end, rtol=rt, atol=rt * 1e-2)
            errs[t_end, rt] = abs(fin[0] - exact)
            assert errs[t_end, rt] < 10 * rt
            assert fin[2] == pytest.approx(0.3, abs=1e-12)
    assert errs[30.0, 1e-8] < errs[30.0, 1e-6] / 20


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
    for t_end in (2.0, 4.0, 7.0, 10.0):
        fin = _final(game, [0.2, 0.5], t_end)
        integral_s = 1.43 * (1.0 - math.exp(-0.2 * t_end)) / 0.2
        integral_k = t_end if t_end <= 4 else 4.0 - (t_end - 4.0)
        assert abs(fin[0] - _logistic(0.2, integral_s)) < 1e-7
        assert abs(fin[2] - _logistic(0.5, integral_k)) < 1e-7


def test_parameters_of_the_expression_follow_set(tmp_path):
    game = gr.Game.from_file(_model(tmp_path)).with_values({"s0": "2"})
    assert _final(game, [0.1, 0.3], 5.0)[0] == pytest.approx(
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


def test_share_paths_evaluate_the_expression_per_parameter_row(tmp_path):
    """share_paths varies s0, a parameter of the expression s(t) = s0 exp(-r t): each path
    follows its own closed form (the expression is evaluated with each row's parameters)."""
    from gametheory_regen.analysis.sweep import share_paths

    game = gr.Game.from_file(_model(tmp_path))
    paths = share_paths(game, "s0", [0.5, 1.43, 3.0], [0.1, 0.3], t_end=8.0, n_points=2,
                        population="firms", strategy="comply")
    for row, s0 in enumerate([0.5, 1.43, 3.0]):
        integral = s0 * (1.0 - math.exp(-0.2 * 8.0)) / 0.2
        assert abs(paths.shares[row, -1] - _logistic(0.1, integral)) < 1e-7


def test_one_population_game_with_expression_schedule(tmp_path):
    """A single-population game whose first strategy earns s(t) = 1.43 exp(-0.2 t) more than
    the second against everyone (payoffs [[s, s], [0, 0]]): the same logistic closed form,
    integrated from the expected payoffs with the schedule evaluated at every stage time."""
    path = tmp_path / "one.toml"
    path.write_text('name = "one"\n[[populations]]\nname = "firms"\n'
                    'strategies = ["comply", "evade"]\n[parameters]\ns = { value = 1, min = 0 }\n'
                    '[schedules.s]\nkind = "expression"\nvalue = "1.43*exp(-0.2*t)"\n'
                    '[[payoffs]]\nprofile = ["comply", "comply"]\nvalues = ["s"]\n'
                    '[[payoffs]]\nprofile = ["comply", "evade"]\nvalues = ["s"]\n')
    game = gr.Game.from_file(path)
    for t_end in (3.0, 12.0):
        exact = _logistic(0.1, 1.43 * (1.0 - math.exp(-0.2 * t_end)) / 0.2)
        assert abs(_final(game, [0.1, 0.9], t_end)[0] - exact) < 10 * 1e-8
    path.write_text(path.read_text().replace("1.43*exp(-0.2*t)", "1 - 0.2*t"))
    with pytest.raises(ParameterError, match="below the declared min 0"):
        simulate(gr.Game.from_file(path), [0.1, 0.9], 10.0)


def test_one_population_game_with_piecewise_schedule(tmp_path):
    """The same game with s = 1 until t = 2, then 0: restart at the breakpoint, the log-odds
    grow by exactly 2 and then stay (logistic closed form)."""
    path = tmp_path / "one_pw.toml"
    path.write_text('name = "one"\n[[populations]]\nname = "firms"\n'
                    'strategies = ["comply", "evade"]\n[parameters]\ns = 1\n'
                    '[schedules.s]\nkind = "piecewise_constant"\ntimes = [0, 2]\n'
                    'values = [1, 0]\n'
                    '[[payoffs]]\nprofile = ["comply", "comply"]\nvalues = ["s"]\n'
                    '[[payoffs]]\nprofile = ["comply", "evade"]\nvalues = ["s"]\n')
    game = gr.Game.from_file(path)
    for t_end in (1.0, 2.0, 5.0):
        exact = _logistic(0.3, min(t_end, 2.0))
        assert abs(_final(game, [0.3, 0.7], t_end)[0] - exact) < 1e-7


SWEEP_MODEL = """
name = "falling_advantage"
[[populations]]
name = "firms"
strategies = ["comply", "evade"]
[[populations]]
name = "agency"
strategies = ["inspect", "trust"]
[parameters]
s = 1.0
s0 = 1.0
[schedules.s]
kind = "expression"
value = "s0 - 0.1*t"
[[payoffs]]
profile = ["comply", "inspect"]
values = ["s", "1"]
[[payoffs]]
profile = ["comply", "trust"]
values = ["s", "0"]
[[payoffs]]
profile = ["evade", "inspect"]
values = ["0", "1"]
"""


def test_sweep_follows_expression_schedule_per_cell(tmp_path, capsys):
    """s(t) = s0 - 0.1 t: the firms' log-odds change by 40 s0 - 80 by t = 40 (closed form), so
    with s0 = 1 every start ends deep in evade's box (log-odds -40; the horizon advantage -3
    makes (evade, inspect) strict), with s0 = 6 in comply's (+160, horizon advantage +2); the
    agency always inspects. Without the schedules (s = 1 fixed) every start complies."""
    import json

    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_MODEL)
    argv = ["sweep", str(path), "--vary", "s0=1:6:2", "--samples", "8", "--t-end", "40",
            "--quiet"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    got = [[(b["attractor_strategies"], b["share"]) for b in c["basins"]] for c in doc["cells"]]
    assert got == [[({"firms": "evade", "agency": "inspect"}, 1.0)],
                   [({"firms": "comply", "agency": "inspect"}, 1.0)]]
    assert doc["schedules"][0]["expression"] == "s0 - t/10"
    assert main(argv + ["--no-schedules"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert all(c["basins"] == [{"attractor": {"firms": [1.0, 0.0], "agency": [1.0, 0.0]},
                                "attractor_strategies": {"firms": "comply",
                                                         "agency": "inspect"},
                                "share": 1.0, "interval": c["basins"][0]["interval"]}]
               for c in doc["cells"])


def test_basin_shares_follow_schedules(tmp_path):
    from gametheory_regen.analysis.basins import basin_shares

    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_MODEL)
    game = gr.Game.from_file(path)
    res = basin_shares(game, schedules=game.schedules, samples=16, t_end=40.0)
    assert res.attractors.tolist() == [[0.0, 1.0, 1.0, 0.0]] and res.shares.tolist() == [1.0]
    assert basin_shares(game, samples=16, t_end=40.0).attractors.tolist() == [[1.0, 0.0, 1.0,
                                                                               0.0]]

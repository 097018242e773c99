"""Tests of time-varying parameters (gametheory_regen.dynamics.schedules).

For a two-strategy population whose first strategy has payoff advantage a(t), the logit of its
share grows by the integral of a: logit x(t) = logit x0 + int_0^t a(s) ds (the time-dependent
form of the logistic solution, Taylor & Jonker 1978; Hofbauer & Sigmund 1998, sec. 7.1).
A subsidy paid for t < 3 only is therefore two logistic pieces glued at t = 3; the integrator must
hit the breakpoint exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from gametheory_regen.analysis.batch import as_full_states, integrate_batch
from gametheory_regen.dynamics.kernels import integrate_pieces, numba_available
from gametheory_regen.dynamics.schedules import Schedule, payoff_pieces, schedule_breakpoints
from gametheory_regen.errors import ParameterError

BACKENDS = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not numba_available(), reason="numba not importable"))]

NAMES = ("S", "c")


def advantage_fn(values):
    """Population 0's first strategy earns S + c more; population 1 is indifferent."""
    v = np.atleast_2d(values)
    pay = np.zeros((v.shape[0], 2, 2, 2))
    pay[:, 0, 0, :] = (v[:, 0] + v[:, 1])[:, None]
    return pay


def squared_fn(values):
    """Advantage S**2: not affine in S, so a linear schedule is not affine in time."""
    v = np.atleast_2d(values)
    pay = np.zeros((v.shape[0], 2, 2, 2))
    pay[:, 0, 0, :] = (v[:, 0] ** 2)[:, None]
    return pay


def logit(x):
    return np.log(x / (1 - x))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(kind="step"), "kind"),
        (dict(times=(0, 3), values=(1,)), "same length"),
        (dict(times=(3, 3), values=(1, 0)), "increase strictly"),
        (dict(times=(0, float("nan")), values=(1, 0)), "finite"),
        (dict(times=(), values=()), "at least one"),
        (dict(values=("a", 0)), "numbers"),
    ],
    ids=["bad-kind", "length-mismatch", "not-increasing", "nan-time", "empty", "text-value"],
)
def test_validation(kwargs, message):
    base = dict(parameter="S", kind="piecewise_constant", times=(0, 3), values=(1.43, 0))
    base.update(kwargs)
    with pytest.raises(ParameterError, match=message):
        Schedule(**base)


def test_values_and_breakpoints():
    pc = Schedule("S", "piecewise_constant", (0, 3), (1.43, 0))
    assert pc.value_at(-1) == 1.43 and pc.value_at(0) == 1.43 and pc.value_at(3) == 0.0
    assert pc.breakpoints == (0.0, 3.0)
    pl = Schedule("S", "piecewise_linear", (1, 5), (2, 0))
    assert pl.value_at(0) == 2.0 and pl.value_at(3) == 1.0 and pl.value_at(9) == 0.0
    assert pl.slope_at(2) == -0.5 and pl.slope_at(6) == 0.0 and pl.slope_at(0) == 0.0
    assert schedule_breakpoints([pc, pl], 0, 10) == [0.0, 1.0, 3.0, 5.0, 10.0]


def test_unknown_or_duplicate_parameter():
    s = Schedule("T", "piecewise_constant", (0,), (1,))
    with pytest.raises(ParameterError, match="unknown parameter 'T'"):
        payoff_pieces(advantage_fn, NAMES, [[0, 0]], [s], 0, 1)
    s = Schedule("S", "piecewise_constant", (0,), (1,))
    with pytest.raises(ParameterError, match="two schedules"):
        payoff_pieces(advantage_fn, NAMES, [[0, 0]], [s, s], 0, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_subsidy_for_three_years_hits_breakpoint_exactly(backend):
    S, c, x0 = 1.43, -0.5, 0.2
    sched = Schedule("S", "piecewise_constant", (0, 3), (S, 0))
    pieces = payoff_pieces(advantage_fn, NAMES, [[0.0, c]], [sched], 0.0, 8.0)
    assert [(p.t_start, p.t_stop) for p in pieces] == [(0.0, 3.0), (3.0, 8.0)]
    t = np.array([1.0, 2.999, 3.0, 3.001, 5.0, 8.0])
    kr = integrate_pieces(pieces, as_full_states([[x0, 0.5]], (2, 2)), (2, 2), rtol=1e-11,
                          atol=1e-13, settle_tol=0.0, t_out=t, backend=backend)
    exact = sigmoid(logit(x0) + (S + c) * np.minimum(t, 3) + c * np.maximum(t - 3, 0))
    assert np.max(np.abs(kr.output[0, :, 0] - exact)) < 1e-8
    assert abs(kr.state[0, 0] - exact[-1]) < 1e-10


@pytest.mark.parametrize("backend", BACKENDS)
def test_piecewise_linear_schedule_affine_payoffs(backend):
    # S falls linearly from 2 to 0 on [1, 5]; constant before and after
    sched = Schedule("S", "piecewise_linear", (1, 5), (2, 0))
    pieces = payoff_pieces(advantage_fn, NAMES, [[0.0, 0.0]], [sched], 0.0, 8.0)
    assert pieces[1].slope is not None and pieces[1].payoff_at is None

    def integral(t):  # int_0^t S(s) ds
        t = np.asarray(t, dtype=float)
        a = 2 * np.minimum(t, 1)
        u = np.clip(t - 1, 0, 4)
        return a + 2 * u - u**2 / 4

    t = np.linspace(0.5, 8, 16)
    kr = integrate_pieces(pieces, as_full_states([[0.3, 0.5]], (2, 2)), (2, 2), rtol=1e-11,
                          atol=1e-13, settle_tol=0.0, t_out=t, backend=backend)
    exact = sigmoid(logit(0.3) + integral(t))
    assert np.max(np.abs(kr.output[0, :, 0] - exact)) < 1e-8


def test_non_affine_payoff_uses_callback():
    sched = Schedule("S", "piecewise_linear", (0, 2), (1, 0))  # S = 1 - t/2 on [0, 2]
    pieces = payoff_pieces(squared_fn, NAMES, [[0.0, 0.0]], [sched], 0.0, 4.0)
    assert pieces[0].payoff_at is not None
    # int_0^t (1 - s/2)^2 ds = (2/3) (1 - (1 - t/2)^3) for t <= 2
    res = integrate_batch(np.zeros((2, 2, 2)), [[0.4, 0.5]], 4.0,
                          pieces=pieces, rtol=1e-11, atol=1e-13, settle_tol=0.0)
    exact = sigmoid(logit(0.4) + 2 / 3)
    assert abs(res.final[0, 0] - exact) < 1e-9


def test_no_early_stop_before_the_last_piece():
    # S pushes x up for t < 10, then S = -2 pulls it back: logit x(16) = 10 - 2 * 6 = -2.
    # Stopping early on the first piece would freeze x short of its true value at t = 10.
    sched = Schedule("S", "piecewise_constant", (0, 10), (1.0, -2.0))
    pieces = payoff_pieces(advantage_fn, NAMES, [[0.0, 0.0]], [sched], 0.0, 16.0)
    res = integrate_batch(np.zeros((2, 2, 2)), [[0.5, 0.5]], 16.0, pieces=pieces,
                          rtol=1e-10, atol=1e-14, settle_tol=1e-3)
    assert abs(res.final[0, 0] - sigmoid(-2.0)) < 1e-8

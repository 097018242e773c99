"""The reduced-coordinate kernel for all-two-strategy games (dynamics.kernel_binary).

It must take the same steps as the general kernel and the numpy path (the error norm is the
same, computed over both shares of every population), so the comparison is tight: equal step
counts and statuses, end states and dense output equal to rounding. Independent checks: the
monomial coefficients against a direct evaluation of the payoff differences, and the logistic
closed form (Taylor & Jonker 1978) for a constant advantage.
"""

from __future__ import annotations

import numpy as np
import pytest

from gametheory_regen.dynamics import kernels
from gametheory_regen.dynamics.kernel_binary import binary_coefficients, is_binary
from gametheory_regen.dynamics.kernels import (
    Piece,
    integrate_pieces,
    numba_available,
    replicator_rhs,
)

pytestmark = pytest.mark.skipif(not numba_available(), reason="numba not importable")


def _starts(rng, n, m):
    x = rng.uniform(0.02, 0.98, size=(m, n))
    full = np.empty((m, 2 * n))
    full[:, 0::2] = x
    full[:, 1::2] = 1.0 - x
    return full


def _diff_direct(pay, p, x):
    """u_p0 - u_p1 at reduced state x, by summing over all profiles (no monomials)."""
    n = len(x)
    total = 0.0
    for prof in np.ndindex(*([2] * n)):
        if prof[p] != 0:
            continue
        w = 1.0
        for q in range(n):
            if q != p:
                w *= x[q] if prof[q] == 0 else 1.0 - x[q]
        other = list(prof)
        other[p] = 1
        total += w * (pay[p][prof] - pay[p][tuple(other)])
    return total


@pytest.mark.parametrize("n", [2, 3, 4])
def test_coefficients_reproduce_payoff_differences(n):
    rng = np.random.default_rng(n)
    pay = rng.normal(size=(n, *([2] * n)))
    C = binary_coefficients(pay[None], n)[0]
    for _ in range(5):
        x = rng.uniform(size=n)
        for p in range(n):
            others = [q for q in range(n) if q != p]
            val = sum(C[p, m] * np.prod([x[others[b]] for b in range(n - 1) if m >> b & 1])
                      for m in range(2 ** (n - 1)))
            assert val == pytest.approx(_diff_direct(pay, p, x), abs=1e-12)


def test_is_binary():
    assert is_binary((2, 2, 2)) and not is_binary((2, 3)) and not is_binary((3, 3))


def _run(pieces, x0, counts, backend, monkeypatch, binary=True, **kw):
    monkeypatch.setattr(kernels, "_BINARY", binary)
    return integrate_pieces(pieces, x0, counts, backend=backend, **kw)


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("method", ["dopri5", "rk4"])
@pytest.mark.parametrize("slope", [False, True], ids=["constant", "affine-in-time"])
def test_binary_kernel_takes_the_same_steps_as_the_general_paths(n, method, slope,
                                                                 monkeypatch):
    rng = np.random.default_rng(10 * n + (method == "rk4") + 2 * slope)
    counts = (2,) * n
    K = 2 ** n
    P = 3
    A = rng.normal(size=(P, n, K))
    B = 0.05 * rng.normal(size=(P, n, K)) if slope else None
    pieces = [Piece(0.0, 6.0, A, B), Piece(6.0, 30.0, A + (6.0 * B if slope else 0.0))]
    m = 97  # not a multiple of the lane count
    x0 = _starts(rng, n, m)
    pidx = rng.integers(0, P, size=m)
    t_out = np.linspace(0.0, 30.0, 31)
    kw = dict(payoff_index=pidx, method=method, dt=0.05, rtol=1e-7, atol=1e-10,
              settle_tol=1e-9)
    for extra in ({}, {"t_out": t_out}):
        bi = _run(pieces, x0, counts, "numba", monkeypatch, True, **kw, **extra)
        ge = _run(pieces, x0, counts, "numba", monkeypatch, False, **kw, **extra)
        npy = _run(pieces, x0, counts, "numpy", monkeypatch, True, **kw, **extra)
        for other in (ge, npy):
            assert np.array_equal(bi.status, other.status)
            assert np.array_equal(bi.vertex, other.vertex)
            if not extra:
                # stopped early (invariant box or settling): the same steps, to rounding
                assert np.array_equal(bi.steps, other.steps)
                assert np.array_equal(bi.rejected, other.rejected)
                # a trajectory still moving at the horizon differs by a few atol (step sizes
                # differ in their ~8th digit, see below)
                assert np.max(np.abs(bi.state - other.state)) < 1e-9
                # the embedded error estimate is a difference of nearly equal numbers, so it
                # differs in its ~8th digit between formulations; step sizes, and the time at
                # which a trajectory stops early, inherit that
                assert np.allclose(bi.time, other.time, rtol=1e-6, atol=0.0)
            else:
                # integrated to the horizon: once a share comes within rounding (1e-16) of 0
                # or 1, the reduced coordinate lands on the vertex exactly while the general
                # kernel keeps integrating the tiny share; the step sequences part there, and
                # the states agree to the absolute tolerance
                assert np.max(np.abs(bi.state - other.state)) < 1e-9
                assert np.max(np.abs(bi.output - other.output)) < 1e-9
                assert np.all(np.abs(bi.steps - other.steps) <= 0.1 * other.steps)
        # every path reports the velocity of the state it reports (an independent evaluation;
        # the general paths once reused a derivative of the unprojected state)
        last_pay = pieces[-1].payoffs
        for res in (bi, ge, npy):
            true_v = [np.abs(replicator_rhs(res.state[i][None], last_pay[pidx[i]], counts)).max()
                      for i in range(m)]
            assert np.allclose(res.velocity, true_v, rtol=1e-6, atol=1e-12)
        # reduced coordinates: each population's shares sum to one exactly
        assert np.all(bi.state[:, 0::2] + bi.state[:, 1::2] == 1.0)
        assert np.all((bi.state >= 0.0) & (bi.state <= 1.0))


def test_binary_kernel_follows_the_logistic_curve(monkeypatch):
    """A constant advantage a: x(t) = x0 e^{at} / (1 - x0 + x0 e^{at})."""
    a = 0.8
    pay = np.zeros((1, 3, 8))
    pay[0, 0].reshape(2, 2, 2)[0] = a  # population 0's first strategy earns a more
    x0 = np.array([[0.1, 0.9, 0.5, 0.5, 0.3, 0.7], [0.6, 0.4, 0.2, 0.8, 0.9, 0.1]])
    t = np.linspace(0.0, 5.0, 11)
    res = _run([Piece(0.0, 5.0, pay)], x0, (2, 2, 2), "numba", monkeypatch, True,
               rtol=1e-10, atol=1e-12, settle_tol=0.0, t_out=t)
    e = np.exp(a * t)
    for i in range(2):
        exact = x0[i, 0] * e / (1 - x0[i, 0] + x0[i, 0] * e)
        # step end points carry the integrator's accuracy; between them the dense output is a
        # cubic Hermite interpolant (third order), as in the general kernel
        assert abs(res.state[i, 0] - exact[-1]) < 1e-9
        assert np.max(np.abs(res.output[i, :, 0] - exact)) < 1e-6
        # the other populations earn nothing and stay put
        assert np.max(np.abs(res.output[i, :, 2] - x0[i, 2])) < 1e-14

"""The generated kernel for games with a population of three or more strategies
(dynamics.kernel_general): the same steps as the numpy path and the array-based compiled kernel
(the same error norm, projection and early stops), states equal to rounding; a velocity that is
the speed at the reported state; shares on their simplices."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory_regen.dynamics import kernels
from gametheory_regen.dynamics.kernels import (
    Piece,
    integrate_pieces,
    layout_of,
    numba_available,
    replicator_rhs,
)

pytestmark = pytest.mark.skipif(not numba_available(), reason="numba not importable")


def _starts(rng, counts, m):
    return np.concatenate([rng.dirichlet(np.ones(k), size=m) for k in counts], axis=1)


# Each case compiles kernels on a machine without a warm cache (about 10 s each), so the cases
# cover every code path once rather than every combination: both methods, both payoff kinds,
# two and three populations, the larger population first and in the middle.
CASES = [((3, 3), "dopri5", False), ((3, 3), "dopri5", True), ((3, 3), "rk4", True),
         ((2, 3, 2), "dopri5", False), ((3, 2, 2), "rk4", False)]


@pytest.mark.parametrize(("counts", "method", "slope"), CASES,
                         ids=[f"{c}-{m}-{'affine' if s else 'constant'}" for c, m, s in CASES])
def test_generated_kernel_agrees_with_the_other_paths(counts, method, slope, monkeypatch):
    rng = np.random.default_rng(sum(counts) + 7 * (method == "rk4") + 3 * slope)
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    P = 3
    A = rng.normal(size=(P, n, K))
    B = 0.05 * rng.normal(size=(P, n, K)) if slope else None
    pieces = [Piece(0.0, 5.0, A, B), Piece(5.0, 25.0, A + (5.0 * B if slope else 0.0))]
    m = 83  # not a multiple of the lane count
    x0 = _starts(rng, counts, m)
    pidx = rng.integers(0, P, size=m)
    kw = dict(payoff_index=pidx, method=method, dt=0.05, rtol=1e-7, atol=1e-10, settle_tol=1e-9)
    for extra in ({}, {"t_out": np.linspace(0.0, 25.0, 26)}):
        monkeypatch.setattr(kernels, "_GENERATED", True)
        gen = integrate_pieces(pieces, x0, counts, backend="numba", **kw, **extra)
        monkeypatch.setattr(kernels, "_GENERATED", False)
        arr = integrate_pieces(pieces, x0, counts, backend="numba", **kw, **extra)
        npy = integrate_pieces(pieces, x0, counts, backend="numpy", **kw, **extra)
        for other in (arr, npy):
            assert np.array_equal(gen.status, other.status)
            assert np.array_equal(gen.vertex, other.vertex)
            assert np.mean(gen.steps == other.steps) > 0.95
            assert np.all(np.abs(gen.steps - other.steps) <= 0.05 * other.steps + 1)
            assert np.max(np.abs(gen.state - other.state)) < 1e-8
            if extra:
                assert np.max(np.abs(gen.output - other.output)) < 1e-8
        last_pay = pieces[-1].payoffs
        true_v = [np.abs(replicator_rhs(gen.state[i][None], last_pay[pidx[i]], counts)).max()
                  for i in range(m)]
        assert np.allclose(gen.velocity, true_v, rtol=1e-6, atol=1e-12)
        for q in range(n):
            blk = gen.state[:, lay.offsets[q]:lay.offsets[q + 1]]
            assert np.max(np.abs(blk.sum(axis=1) - 1.0)) < 1e-12 and np.all(blk >= 0.0)

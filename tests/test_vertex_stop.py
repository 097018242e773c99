"""Early stopping in the invariant box of a strict Nash vertex, with a proven end-state bound.

A trajectory stopped in the box of :func:`~gametheory_regen.dynamics.kernels.vertex_boxes` at
time t and distance d reports the vertex as its end state; :func:`vertex_rates` gives a rate
kappa with d(T) <= d e^{-kappa (T - t)}, and the engine stops only once that bound is at most
``vertex_tol``. Checked here: the rate bound itself (the derivative of the off-vertex mass at
random points of the box, from the replicator field), and end states against an independent
integration to the horizon (scipy's DOP853), on every backend.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from gametheory_regen.analysis.batch import integrate_batch
from gametheory_regen.dynamics.kernels import (
    layout_of,
    numba_available,
    replicator_rhs,
    vertex_boxes,
    vertex_rates,
)

BACKENDS = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not numba_available(), reason="numba not importable"))]


@pytest.mark.parametrize("counts", [(2, 2), (2, 2, 2), (3, 2), (2, 3, 2)], ids=str)
def test_off_vertex_mass_decays_at_least_at_the_rate(counts):
    rng = np.random.default_rng(sum(counts))
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    checked = 0
    for _ in range(20):
        pay = rng.normal(size=(n, *counts))
        rad = vertex_boxes(pay[None], counts)[0]
        # the rate in the whole box, and in a random smaller box (also forward invariant)
        rho = rad * rng.uniform(0.0, 1.0, size=rad.shape)
        kap_box = vertex_rates(pay[None], counts)[0]
        kap_rho = vertex_rates(pay[None], counts, radii=rho[None])[0]
        assert np.all(kap_rho >= kap_box - 1e-15)  # smaller box, faster guaranteed decay
        for flat in np.flatnonzero(rad > 0):
            assert kap_box[flat] > 0
            prof = lay.profiles[flat]
            for trial in range(30):
                size, kap = (rad, kap_box) if trial % 2 else (rho, kap_rho)
                # a random state in the box: each population's off-vertex mass <= its size
                x = np.empty(lay.n_state)
                for q, k in enumerate(counts):
                    d = rng.uniform(0, size[flat])
                    other = rng.dirichlet(np.ones(k - 1)) * d
                    blk = np.insert(other, prof[q], 1.0 - d)
                    x[lay.offsets[q]:lay.offsets[q + 1]] = blk
                f = replicator_rhs(x[None], pay, counts)[0]
                for q in range(n):
                    d_q = 1.0 - x[lay.offsets[q] + prof[q]]
                    d_dot = -f[lay.offsets[q] + prof[q]]
                    assert d_dot <= -kap[flat] * d_q + 1e-14
                checked += 1
    assert checked > 100


def _reference(pay, counts, x0, T):
    def f(t, y):
        return replicator_rhs(y[None], pay, counts)[0]

    return solve_ivp(f, (0.0, T), x0, method="DOP853", rtol=1e-12, atol=1e-14).y[:, -1]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("counts", [(2, 2, 2), (3, 2)], ids=str)
def test_early_stopped_end_states_are_within_vertex_tol(backend, counts):
    rng = np.random.default_rng(5)
    # a game with at least one strict Nash vertex with a slow direction, so that the bound,
    # not the box, decides when to stop
    for _ in range(100):
        pay = rng.normal(size=(len(counts), *counts))
        if np.any(vertex_boxes(pay[None], counts) > 0):
            break
    lay = layout_of(counts)
    x0 = np.concatenate([rng.dirichlet(np.ones(k), size=24) for k in counts], axis=1)
    T = 40.0
    res = integrate_batch(pay, x0, T, rtol=1e-9, atol=1e-12, vertex_tol=1e-8, backend=backend)
    eager = integrate_batch(pay, x0, T, rtol=1e-9, atol=1e-12, vertex_tol=np.inf,
                            backend=backend)
    stopped = res.vertex >= 0
    assert stopped.sum() >= 5
    for i in range(x0.shape[0]):
        ref = _reference(pay, counts, x0[i], T)
        err = np.max(np.abs(res.final[i] - ref))
        # the proven bound (1e-8) plus the integrator's error before the stop
        assert err < 1e-8 + 1e-7, (i, err, res.vertex[i])
    # stopping as soon as the box is entered ends earlier, at the same vertex
    assert np.array_equal(res.vertex >= 0, eager.vertex >= 0)
    assert np.array_equal(res.vertex[stopped], eager.vertex[stopped])
    assert np.all(eager.time[stopped] <= res.time[stopped] + 1e-9)
    assert lay.n_state == x0.shape[1]


def test_vertex_tol_must_be_positive():
    from gametheory_regen.errors import GameInputError

    with pytest.raises(GameInputError, match="vertex_tol"):
        integrate_batch(np.zeros((2, 2, 2)), [[0.5, 0.5]], 1.0, vertex_tol=0.0)

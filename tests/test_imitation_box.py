"""The replicator's vertex boxes hold for Fermi imitation too (dynamics/kernels.py docstring).

In the box of a strict Nash vertex s (``vertex_boxes``) every payoff difference
D_pj = u_pj - u_ps is negative, so under imitation
x_ps' = x_ps sum_k x_pk tanh(-beta D_pk / 2) >= 0 (Sandholm 2010, sec. 5.4, for the pairwise
comparison form; the tanh form is the Fermi rule's mean dynamics): the vertex shares never
fall, the box is forward invariant and every path in it converges to s. Checked here by
integrating from random points of each box with every early stop off, and through the engine's
early stop (which uses the box under imitation only when ``vertex_tol`` is infinite).
"""

import math

import numpy as np
import pytest

from gametheory_regen.dynamics.field import Dynamics
from gametheory_regen.dynamics.kernels import VERTEX, Piece, integrate_pieces, vertex_boxes

IMITATION = Dynamics("imitation", intensity=2.0)


def _games(seed, n=6):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, size=(3, 2, 2, 2)) for _ in range(n)]


def _box_starts(rng, vertex, radius, m):
    # vertex: profile (s_0, s_1, s_2) of a 2x2x2 game; a point with every d_p <= radius
    d = rng.uniform(0, radius, size=(m, 3))
    x = np.empty((m, 6))
    for p, s in enumerate(vertex):
        x[:, 2 * p + s] = 1 - d[:, p]
        x[:, 2 * p + 1 - s] = d[:, p]
    return x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vertex_shares_never_fall_in_the_box(seed):
    rng = np.random.default_rng(100 + seed)
    checked = 0
    for pay in _games(seed):
        radii = vertex_boxes(pay[None], (2, 2, 2))[0].reshape(2, 2, 2)
        for vertex in np.argwhere(radii > 0):
            x0 = _box_starts(rng, tuple(vertex), radii[tuple(vertex)], 8)
            t = np.linspace(0.0, 20.0, 41)
            res = integrate_pieces([Piece(0.0, 20.0, pay[None])], x0, (2, 2, 2),
                                   dynamics=IMITATION, t_out=t, vertex_stop=False,
                                   settle_tol=0.0, backend="numpy")
            own = res.output[:, :, [2 * p + int(s) for p, s in enumerate(vertex)]]  # (m, T, 3)
            # non-decreasing up to the integration error (rtol 1e-8 relative to shares <= 1)
            assert np.all(np.diff(own, axis=1) > -1e-8)
            assert np.all(own[:, -1, :] > own[:, 0, :] - 1e-8)
            assert np.all(1 - own[:, -1, :] < 1 - own[:, 0, :] + 1e-8)
            checked += 1
    assert checked > 0


def test_engine_stops_in_the_box_only_without_a_vertex_tolerance():
    # three-population coordination: both unanimous profiles are strict Nash equilibria
    pay = np.zeros((3, 2, 2, 2))
    for p in range(3):
        for s in np.ndindex(2, 2, 2):
            pay[(p, *s)] = float(len(set(s)) == 1)
    x0 = np.array([[0.9, 0.1, 0.92, 0.08, 0.95, 0.05]])
    piece = [Piece(0.0, 50.0, pay[None])]
    fast = integrate_pieces(piece, x0, (2, 2, 2), dynamics=IMITATION, vertex_tol=math.inf,
                            backend="numpy")
    assert fast.status[0] == VERTEX and fast.vertex[0] == 0
    assert fast.state[0].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    full = integrate_pieces(piece, x0, (2, 2, 2), dynamics=IMITATION, backend="numpy")
    assert full.status[0] != VERTEX and fast.time[0] < full.time[0]
    assert full.vertex[0] == 0          # classified by the box at the end
    assert np.max(np.abs(full.state[0] - fast.state[0])) < 1e-6

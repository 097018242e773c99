r"""Classification of end states: which known rest point a trajectory reached, if any.

Mathematics
-----------
A trajectory reaches a strict Nash vertex :math:`s` when it enters the box
:math:`\max_q (1 - x_{q s_q}) \le r_s` in which every payoff difference
:math:`u_{pj} - u_{p s_p}` (:math:`j \ne s_p`) keeps its negative sign at :math:`s`; the box is
forward invariant and every trajectory in it converges to :math:`s`
(:func:`gametheory_regen.dynamics.kernels.vertex_boxes` computes :math:`r_s` from the payoff
tensors). Any other trajectory *settles* when :math:`\max_i |\dot x_i|` falls below
``settle_tol`` away from every vertex, and reached known non-vertex rest point :math:`r_j` when
:math:`\|x - r_j\|_\infty <` ``match_tol``. Otherwise its outcome is ``-1``
(:data:`NOT_SETTLED`: still moving at the horizon, e.g. on a cycle, drifting slowly near a
non-hyperbolic point or a vertex that is not strict Nash, or at rest somewhere that is not among
the given rest points). An end state is never snapped to the nearest vertex: being near a vertex
counts for nothing, since close to a vertex every velocity is small.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .batch_vertices import vertex_states

__all__ = [
    "NOT_SETTLED",
    "classify_end_states",
]


#: Outcome code of a trajectory that did not settle at a known rest point.
NOT_SETTLED = -1


def _vertex_profile(rest_points: np.ndarray, counts: Sequence[int]) -> np.ndarray:
    """Flat profile index of each rest point that is a vertex, else -1."""
    V = vertex_states(counts)
    out = np.full(rest_points.shape[0], -1, dtype=np.int64)
    for j in range(rest_points.shape[0]):
        hit = np.flatnonzero(np.all(V == rest_points[j], axis=1))
        if hit.size:
            out[j] = hit[0]
    return out


def classify_end_states(final, settled, rest_points, match_tol: float, *, vertex=None,
                        counts: Sequence[int] | None = None) -> np.ndarray:
    """Index of the rest point each trajectory reached, or -1.

    A vertex among ``rest_points`` is reached only when the trajectory entered the
    forward-invariant box of that vertex (``vertex``, see
    :func:`gametheory_regen.dynamics.kernels.vertex_boxes`); such a vertex is a strict Nash
    equilibrium. Being merely near a vertex counts for nothing: close to a vertex every
    velocity is small, and a vertex that is not strict Nash need not be approached at all.
    Any other rest point is reached when the trajectory settled (velocity below the settling
    tolerance, away from vertices) within ``match_tol`` of it.

    Parameters
    ----------
    final : numpy.ndarray
        ``(m, N)`` end states.
    settled : numpy.ndarray
        ``(m,)`` bool: velocity below the settling tolerance.
    rest_points : numpy.ndarray or None
        ``(r, N)`` known rest points.
    match_tol : float
        Largest sup-norm distance to count as "at" a non-vertex rest point.
    vertex : numpy.ndarray, optional
        ``(m,)`` flat profile index of the strict Nash vertex whose invariant box each
        trajectory reached, -1 for none (default: none reached).
    counts : sequence of int, optional
        Strategies per population (needed to recognise vertices; default: all two).

    Returns
    -------
    numpy.ndarray
        ``(m,)`` int; ``-1`` for trajectories at no given rest point.

    Examples
    --------
    >>> import numpy as np
    >>> rp = np.array([[1., 0., 1., 0.], [0., 1., 0., 1.], [.5, .5, .5, .5]])
    >>> fin = np.array([[1., 0., 1 - 1e-9, 1e-9], [1., 0., 1., 0.], [0.5, 0.5, 0.5, 0.5]])
    >>> classify_end_states(fin, np.array([True, True, True]), rp, 1e-6,
    ...                     vertex=np.array([-1, 0, -1])).tolist()
    [-1, 0, 2]
    """
    final = np.asarray(final, dtype=float)
    m = final.shape[0]
    out = np.full(m, NOT_SETTLED, dtype=np.int64)
    if rest_points is None or len(rest_points) == 0:
        return out
    rp = np.asarray(rest_points, dtype=float)
    if counts is None:
        counts = (2,) * (final.shape[1] // 2)
    vprof = _vertex_profile(rp, counts)
    vtx = np.full(m, -1, dtype=np.int64) if vertex is None else np.asarray(vertex, np.int64)
    for j in np.flatnonzero(vprof >= 0):
        out[vtx == vprof[j]] = j
    other = np.flatnonzero(vprof < 0)
    if other.size:
        best = np.full(m, np.inf)
        arg = np.full(m, NOT_SETTLED, dtype=np.int64)
        for j in other:
            d = np.max(np.abs(final - rp[j]), axis=1)
            better = d < best
            best[better] = d[better]
            arg[better] = j
        ok = np.asarray(settled, dtype=bool) & (best < match_tol) & (vtx < 0)
        out[ok] = arg[ok]
    return out

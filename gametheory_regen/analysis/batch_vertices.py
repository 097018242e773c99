r"""Vertices of the product of simplices: states, eigenvalues, asymptotic stability.

Mathematics
-----------
The vertex of pure profile :math:`s = (i_1, \dots, i_n)` is the state in which every population
:math:`p` plays :math:`i_p` (:func:`vertex_states`, profiles in C order). At that vertex the
Jacobian of the reduced system of the replicator dynamics is block triangular and its
eigenvalues are the payoff differences :math:`a_p(j, s_{-p}) - a_p(i_p, s_{-p})` for every
population :math:`p` and every strategy :math:`j \ne i_p` (Hofbauer & Sigmund 1998, sec. 10.3).
The vertex is asymptotically stable iff all are negative, i.e. iff :math:`s` is a strict Nash
equilibrium; in multi-population replicator dynamics these are the only asymptotically stable
rest points (Selten 1980; Ritzberger & Vogelsberger 1990). :func:`vertex_eigenvalues` evaluates
them vectorised over many parameter points; :func:`stable_vertices` never calls a vertex with a
zero eigenvalue (non-hyperbolic) stable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .batch_inputs import split_payoffs

__all__ = [
    "vertex_states",
    "vertex_eigenvalues",
    "stable_vertices",
]


def vertex_states(counts: Sequence[int]) -> np.ndarray:
    """Full states of all pure profiles, C order of profiles: ``(prod k, sum k)``.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    numpy.ndarray
        Row ``s`` is the vertex of the pure profile with flat index ``s``.

    Examples
    --------
    >>> vertex_states((2, 2)).tolist()[1]
    [1.0, 0.0, 0.0, 1.0]
    """
    from gametheory_regen.dynamics.kernels import layout_of

    lay = layout_of(counts)
    V = np.zeros((lay.n_profiles, lay.n_state))
    for q in range(lay.n_pops):
        V[np.arange(lay.n_profiles), lay.offsets[q] + lay.profiles[:, q]] = 1.0
    return V


def vertex_eigenvalues(payoffs, counts: Sequence[int] | None = None) -> np.ndarray:
    """Eigenvalues at every vertex, vectorised over parameter sets.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k...)`` or ``(P, n, k...)``.
    counts : sequence of int, optional
        See :func:`split_payoffs`.

    Returns
    -------
    numpy.ndarray
        ``(P, K, D)`` with ``K = prod k`` vertices in C order of profiles and
        ``D = sum(k - 1)``: for population ``p`` (in order) and each strategy ``j != i_p``
        (in order), ``payoffs[p][j, s_-p] - payoffs[p][s]``.

    Examples
    --------
    Coordination game, payoff 1 on the diagonal (two populations):

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_eigenvalues(np.stack([A, A.T]))[0].tolist()
    [[-1.0, -1.0], [1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]
    """
    pay, counts = split_payoffs(payoffs, counts)
    P, n = pay.shape[0], len(counts)
    K = int(np.prod(counts))
    grids = np.indices(counts).reshape(n, -1)  # (n, K)
    cols = []
    for p in range(n):
        Tp = pay[:, p].reshape(P, K)
        own = Tp  # payoff at the vertex itself
        for r in range(counts[p] - 1):
            # the r-th strategy other than i_p
            j = np.where(r < grids[p], r, r + 1)
            alt = grids.copy()
            alt[p] = j
            flat = np.ravel_multi_index(tuple(alt), counts)
            cols.append(Tp[:, flat] - own)
    return np.stack(cols, axis=2)


def stable_vertices(payoffs, counts: Sequence[int] | None = None) -> np.ndarray:
    """Which vertices are asymptotically stable (= strict Nash): ``(P, K)`` bool.

    A vertex with a zero eigenvalue (non-hyperbolic) is never called stable.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k...)`` or ``(P, n, k...)``.
    counts : sequence of int, optional
        See :func:`split_payoffs`.

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` bool, vertices in C order of profiles (as :func:`vertex_states`): every
        eigenvalue of :func:`vertex_eigenvalues` is negative.

    Examples
    --------
    Role-asymmetric hawk-dove (V = 2, C = 4; strategies hawk, dove): only (hawk, dove) and
    (dove, hawk) are strict Nash. With all payoffs zero every eigenvalue is 0 and no vertex
    is stable:

    >>> import numpy as np
    >>> A = np.array([[-1., 2.], [0., 1.]])        # A[own, other]
    >>> stable_vertices(np.stack([A, A.T])).tolist()   # payoffs[p][owner's, intruder's]
    [[False, True, True, False]]
    >>> stable_vertices(np.zeros((2, 2, 2))).tolist()
    [[False, False, False, False]]
    """
    return np.all(vertex_eigenvalues(payoffs, counts) < 0.0, axis=2)

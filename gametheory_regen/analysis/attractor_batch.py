r"""Array forms of the attractor search's per-game steps, for many games (grid cells) at once.

Mathematics
-----------
Steps 2 and 3 of :mod:`.attractors` done for every group (game, grid cell) in one pass, with
exactly the results of the per-group functions :func:`.attractors.cluster_states` and
:func:`.attractors.perturbed_starts`:

* **Greedy clustering** in the order of the starts with sup-norm tolerance :math:`\tau`: the
  :math:`k`-th state of a group joins the cluster whose first member is nearest in the sup
  norm (the lowest index on a tie) when that distance is at most :math:`\tau`, else it opens a
  new cluster. The loop runs over :math:`k` (at most the largest group's size) and is
  vectorised over the groups; each distance is computed from the same two vectors by the same
  operations as in the per-group loop, so labels agree exactly. A representative is the mean
  of its members, summed from 0.0 in member order and divided by their number, as numpy's
  ``mean`` over axis 0 does (a lone -0.0 gives 0.0 in both).
* **Perturbed starts** :math:`x_p = (1 - \delta) r_p + \delta e_i`, one per pure strategy,
  dropping the moves that leave :math:`r` unchanged, built for all representatives at once in
  the order (representative, population, strategy).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cluster_groups", "perturbed_starts_batch"]


def cluster_groups(states, group, n_groups: int, tol: float):
    """Greedy in-order clustering of the states of every group, as
    :func:`.attractors.cluster_states` per group.

    Parameters
    ----------
    states : array_like
        ``(m, N)``.
    group : array_like
        ``(m,)`` the group of each state, in ``range(n_groups)``; within a group the states
        are taken in their order in ``states``.
    n_groups : int
    tol : float

    Returns
    -------
    reps : numpy.ndarray
        ``(c, N)`` every cluster's representative (mean of its members), ordered by group and
        within a group by cluster index.
    rep_group : numpy.ndarray
        ``(c,)`` the group of each representative.
    labels : numpy.ndarray
        ``(m,)`` index (within its group) of each state's cluster.
    first : numpy.ndarray
        ``(n_groups + 1,)`` group ``g``'s representatives are ``reps[first[g]:first[g + 1]]``.

    Examples
    --------
    >>> reps, rg, lab, first = cluster_groups(
    ...     [[0.5, 0.5], [0.2, 0.8], [0.5, 0.5], [0.5 + 1e-9, 0.5 - 1e-9]], [0, 0, 1, 0], 2, 1e-6)
    >>> lab.tolist(), rg.tolist(), first.tolist()
    ([0, 1, 0, 0], [0, 0, 1], [0, 2, 3])
    """
    x = np.atleast_2d(np.asarray(states, dtype=float))
    group = np.asarray(group, dtype=np.int64)
    G = int(n_groups)
    m = group.size
    N = x.shape[1] if x.ndim == 2 else 0
    labels = np.full(m, -1, dtype=np.int64)
    size = np.bincount(group, minlength=G) if m else np.zeros(G, np.int64)
    order = np.argsort(group, kind="stable")          # states of each group, in order
    start = np.concatenate([[0], np.cumsum(size)])
    pos = np.empty(m, dtype=np.int64)
    pos[order] = np.arange(m) - start[group[order]]   # rank of each state within its group
    kmax = int(size.max()) if m else 0
    firsts = np.full((G, max(kmax, 1), N), np.inf)    # first member of each open cluster
    sums = np.zeros((G, max(kmax, 1), N))
    n_in = np.zeros((G, max(kmax, 1)), dtype=np.int64)
    n_cl = np.zeros(G, dtype=np.int64)
    for k in range(kmax):
        rows = order[start[:-1][size > k] + k]        # the k-th state of each group with one
        g = group[rows]
        xi = x[rows]
        j = np.zeros(rows.size, dtype=np.int64)
        joins = np.zeros(rows.size, dtype=bool)
        if k:
            d = np.max(np.abs(firsts[g] - xi[:, None, :]), axis=2)
            j = np.argmin(d, axis=1)
            joins = (n_cl[g] > 0) & (d[np.arange(rows.size), j] <= tol)
        new = ~joins
        j[new] = n_cl[g[new]]
        firsts[g[new], j[new]] = xi[new]
        n_cl[g[new]] += 1
        labels[rows] = j
        sums[g, j] += xi                              # from 0.0, in member order, as mean
        n_in[g, j] += 1
    first = np.concatenate([[0], np.cumsum(n_cl)])
    mask = np.arange(sums.shape[1])[None, :] < n_cl[:, None]
    reps = (sums[mask] / n_in[mask][:, None]).reshape(-1, N)
    rep_group = np.repeat(np.arange(G, dtype=np.int64), n_cl)
    return reps, rep_group, labels, first


def perturbed_starts_batch(reps, counts, delta: float):
    """The attractor test's starts of many representatives, as
    :func:`.attractors.perturbed_starts` for each in turn.

    Parameters
    ----------
    reps : array_like
        ``(R, N)`` full shares.
    counts : sequence of int
    delta : float

    Returns
    -------
    starts : numpy.ndarray
        ``(q, N)`` the starts, representative by representative.
    owner : numpy.ndarray
        ``(q,)`` the row of ``reps`` each start belongs to.

    Examples
    --------
    >>> s, o = perturbed_starts_batch([[0.5, 0.5], [1.0, 0.0]], (2,), 0.1)
    >>> s.tolist(), o.tolist()
    ([[0.55, 0.45], [0.45, 0.55], [0.9, 0.1]], [0, 0, 1])
    """
    r = np.atleast_2d(np.asarray(reps, dtype=float))
    R, N = r.shape
    x = np.repeat(r[:, None, :], N, axis=1)           # (R, moves, N)
    a = 0
    for k in (int(c) for c in counts):
        e = np.eye(k)
        x[:, a:a + k, a:a + k] = ((1.0 - delta) * r[:, None, a:a + k]
                                  + delta * e[None, :, :])
        a += k
    keep = np.max(np.abs(x - r[:, None, :]), axis=2) > 0.0
    owner = np.repeat(np.arange(R, dtype=np.int64), N).reshape(R, N)[keep]
    return x[keep].reshape(-1, N), owner

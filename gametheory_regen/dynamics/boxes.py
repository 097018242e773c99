r"""Forward-invariant boxes around strict Nash vertices, and the decay rates inside them.

The integrator stops a trajectory early once it is proven to converge to a strict Nash vertex
(:mod:`gametheory_regen.dynamics.kernels`, "Early stopping"): it has entered the box of radius
:math:`r_s` around vertex :math:`s` where every payoff difference to the vertex strategy is
negative (:func:`vertex_boxes`), and its distance at the horizon, bounded with the rates
:func:`vertex_rates` give, is at most ``vertex_tol``. :func:`box_vertex` tells which states lie in
a box. The same boxes serve the replicator and Fermi imitation (proof in
:mod:`gametheory_regen.dynamics.kernels`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BOX_CAP", "BOX_SAFETY", "box_vertex", "vertex_boxes", "vertex_boxes_from_terms",
           "vertex_rate_terms", "vertex_rates"]

#: fraction of the proven box radius used (margin for rounding and integration error)
BOX_SAFETY = 0.5
#: largest box radius used (keeps each vertex's strategy the unique largest share in its box)
BOX_CAP = 0.25



def vertex_boxes(payoffs: np.ndarray, counts) -> np.ndarray:
    r"""Radius of a forward-invariant box around every strict Nash vertex.

    For the vertex of pure profile :math:`s` let :math:`d_q = 1 - x_{q s_q}` (the mass of
    population :math:`q` off its vertex strategy). For population :math:`p` and :math:`j \ne
    s_p` the payoff difference :math:`D_{pj}(x) = u_{pj}(x) - u_{p s_p}(x) = \sum_\sigma
    c(\sigma) \prod_{q \ne p} x_{q\sigma_q}` (:math:`c(\sigma) = a_p(j, \sigma) - a_p(s_p,
    \sigma)`) equals :math:`\lambda = c(s_{-p})`, the eigenvalue, at the vertex, and

    .. math:: |D_{pj}(x) - \lambda| \le M \bigl(1 - \textstyle\prod_{q \ne p}(1 - d_q)\bigr)
              \le M \bigl(1 - (1 - d)^{n-1}\bigr),
              \qquad M = \max_\sigma |c(\sigma) - \lambda|,\ d = \max_q d_q,

    because the weights :math:`\prod_q x_{q\sigma_q}` sum to one and those with
    :math:`\sigma \ne s_{-p}` sum to :math:`1 - \prod_q (1 - d_q)`. If :math:`\lambda < 0`
    every :math:`D_{pj}` stays negative while :math:`d < r_{pj} = 1 - (1 - |\lambda|/M)^{1/(n-1)}`.
    In the box :math:`\{d \le r\}`, :math:`r = \min r_{pj}`, every share :math:`x_{p s_p}` is
    non-decreasing (:math:`\dot x_{ps_p} = x_{ps_p} \sum_j x_{pj}(-D_{pj}) \ge 0`), so the box
    is forward invariant and every trajectory in it converges to the vertex (each :math:`d_p`
    decays at least like :math:`e^{-(1-r)\min|D| t}`). The returned radius is
    ``min(BOX_SAFETY * r, BOX_CAP)`` (a margin for rounding and integration error; the cap keeps
    the vertex strategy the unique largest share in the box).

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` or ``(P, n, k_1, ..., k_n)`` payoff tensors.
    counts : sequence of int

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` radii (sup norm of ``d``), ``0`` at vertices that are not strict Nash.

    Examples
    --------
    Coordination game (payoff 1 on the diagonal, two populations): :math:`\lambda = -1`,
    :math:`M = 2`, so the proven radius is 1/2 and the returned one half of it.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_boxes(np.stack([A, A])[None], (2, 2)).tolist()
    [[0.25, 0.0, 0.0, 0.25]]
    """
    counts = tuple(int(c) for c in counts)
    lam, spread = vertex_rate_terms(payoffs, counts)
    return vertex_boxes_from_terms(lam, spread, len(counts))


def vertex_boxes_from_terms(lam: np.ndarray, spread: np.ndarray, n_pops: int) -> np.ndarray:
    r""":func:`vertex_boxes` from the terms :func:`vertex_rate_terms` returns (``lam`` is
    :math:`-\lambda`, ``spread`` is :math:`M`), for callers that need both.

    Only strict Nash vertices (every :math:`\lambda < 0`) have a box; the radius formula runs
    for those alone (a few of a game's vertices), every other vertex gets 0.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> lam, spread = vertex_rate_terms(np.stack([A, A])[None], (2, 2))
    >>> vertex_boxes_from_terms(lam, spread, 2).tolist()
    [[0.25, 0.0, 0.0, 0.25]]
    """
    n = int(n_pops)
    c = -lam  # the payoff differences at the vertex (negation is exact)
    strict = (c < 0).all(axis=-1)  # (P, K)
    rad = np.where(strict, np.inf, 0.0)
    if c.shape[-1] and strict.any():
        cs = c[strict]
        ms = spread[strict]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ms > 0, -cs / np.where(ms > 0, ms, 1.0), np.inf)
            if n == 1:  # the payoff difference is a constant: the whole simplex
                r = np.where(cs >= 0, 0.0, 1.0)
            else:
                r = np.where(
                    cs >= 0, 0.0,
                    np.where(ratio >= 1.0, 1.0,
                             1.0 - np.power(np.clip(1.0 - ratio, 0.0, 1.0), 1.0 / (n - 1))),
                )
        rad[strict] = r.min(axis=-1)
    out = np.minimum(BOX_SAFETY * rad, BOX_CAP)
    out[~np.isfinite(out)] = 0.0
    return np.ascontiguousarray(out)


def vertex_rate_terms(payoffs: np.ndarray, counts) -> tuple[np.ndarray, np.ndarray]:
    r"""The eigenvalue size and spread of every payoff difference at every vertex.

    For vertex :math:`s`, population :math:`p` and strategy :math:`j \ne s_p` (term index
    ``J`` runs over all such ``(p, j)``): :math:`|\lambda_{pj}|` with :math:`\lambda_{pj}` the
    payoff difference :math:`u_{pj} - u_{ps_p}` at the vertex (negative at a strict Nash
    vertex), and :math:`M_{pj}`, the largest deviation of that difference from
    :math:`\lambda_{pj}` over the profiles (see :func:`vertex_boxes`).

    Returns
    -------
    lam, spread : numpy.ndarray
        ``(P, K, J)`` each, ``J = sum_p (k_p - 1)``; ``lam`` is :math:`-\lambda` (positive at a
        strict Nash vertex).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.eye(2)
    >>> lam, spread = vertex_rate_terms(np.stack([A, A])[None], (2, 2))
    >>> lam[0, 0].tolist(), spread[0, 0].tolist()
    ([1.0, 1.0], [2.0, 2.0])
    """
    counts = tuple(int(c) for c in counts)
    n = len(counts)
    pay = np.asarray(payoffs, dtype=float)
    P = pay.shape[0]
    pay = pay.reshape(P, n, *counts)
    J = sum(k - 1 for k in counts)
    lam = np.zeros((P, *counts, J))
    spread = np.zeros((P, *counts, J))
    col = 0
    for p in range(n):
        k = counts[p]
        if k < 2:
            continue
        Tp = np.moveaxis(pay[:, p], p + 1, 1)  # (P, k_p, others...)
        # every deviation at once: c[:, i, jj - 1] = Tp[:, j] - Tp[:, i], j = (i + jj) % k_p
        jdx = (np.arange(k)[:, None] + np.arange(1, k)[None, :]) % k
        c = Tp[:, jdx] - Tp[:, :, None]  # (P, k_p, k_p - 1, others...)
        if n > 1:
            others = tuple(range(3, c.ndim))
            cmax = c.max(axis=others, keepdims=True)
            cmin = c.min(axis=others, keepdims=True)
        else:
            cmax = cmin = c
        cols = slice(col, col + k - 1)
        np.moveaxis(lam[..., cols], (p + 1, n + 1), (1, 2))[...] = -c
        np.moveaxis(spread[..., cols], (p + 1, n + 1), (1, 2))[...] = np.maximum(cmax - c,
                                                                                  c - cmin)
        col += k - 1
    K = int(np.prod(counts))
    return lam.reshape(P, K, J), spread.reshape(P, K, J)


def vertex_rates(payoffs: np.ndarray, counts, radii: np.ndarray | None = None) -> np.ndarray:
    r"""A decay rate that every trajectory in a vertex's invariant box is guaranteed.

    In the box :math:`\{d \le r\}` of :func:`vertex_boxes` every payoff difference obeys
    :math:`D_{pj} \le -\delta_{pj}(r)`, :math:`\delta_{pj}(r) = |\lambda_{pj}| - M_{pj}
    \bigl(1 - (1 - r)^{n-1}\bigr) > 0`, and the off-vertex mass of population :math:`p` obeys
    :math:`\dot d_p = x_{ps_p} \sum_{j \ne s_p} x_{pj} D_{pj} \le -(1 - r)\,\delta_p\, d_p`.
    Every smaller box :math:`\{d \le \rho\}`, :math:`\rho \le r`, is forward invariant too
    (no :math:`d_q` grows in the box), so a trajectory at distance :math:`\rho` at time
    :math:`t` obeys :math:`d(t') \le \rho\, e^{-\kappa(\rho) (t' - t)}` with
    :math:`\kappa(\rho) = (1 - \rho) \min_{p,j} \delta_{pj}(\rho)`, a rate that approaches
    the slowest eigenvalue as :math:`\rho \to 0`.

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` or ``(P, n, k_1, ..., k_n)`` payoff tensors.
    counts : sequence of int
    radii : numpy.ndarray, optional
        ``(P, K)`` distances :math:`\rho` at which to evaluate the rate (default: the box
        radii of :func:`vertex_boxes`, the rate valid in the whole box).

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` rates :math:`\kappa(\rho)`, ``0`` where there is no box.

    Examples
    --------
    Coordination game (payoff 1 on the diagonal): at a strict vertex :math:`\lambda = -1`
    and the payoff difference ranges over :math:`\pm 1`, so :math:`M = 2`; the box radius is
    1/4, so :math:`\delta = 1 - 2 \cdot 1/4 = 1/2` and :math:`\kappa = (3/4)(1/2)`.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_rates(np.stack([A, A])[None], (2, 2)).tolist()
    [[0.375, 0.0, 0.0, 0.375]]
    """
    counts = tuple(int(c) for c in counts)
    n = len(counts)
    lam, spread = vertex_rate_terms(payoffs, counts)
    box = vertex_boxes_from_terms(lam, spread, n)
    rho = box if radii is None else np.asarray(radii, dtype=float)
    delta = np.min(lam - spread * (1.0 - (1.0 - rho[..., None]) ** (n - 1)), axis=-1)
    rate = np.where(box > 0, (1.0 - rho) * np.maximum(delta, 0.0), 0.0)
    return np.ascontiguousarray(rate)


def box_vertex(x: np.ndarray, radii: np.ndarray, counts) -> tuple[np.ndarray, np.ndarray]:
    """Which states lie in the invariant box of a strict Nash vertex.

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states.
    radii : numpy.ndarray
        ``(m, K)`` box radii of each state's game (:func:`vertex_boxes`).
    counts : sequence of int

    Returns
    -------
    vertex : numpy.ndarray
        ``(m,)`` flat profile index of the vertex whose box contains the state, else -1.
    dist : numpy.ndarray
        ``(m,)`` sup-norm distance ``max_q (1 - max_j x_qj)`` to the nearest vertex.

    Examples
    --------
    A coordination game (payoff 1 on the diagonal): the boxes of the strict vertices
    0 = (first, first) and 3 = (second, second) have radius 1/4 (:func:`vertex_boxes`). The
    second state is nearest vertex 0 but 0.4 away from it, outside its box:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> rad = vertex_boxes(np.stack([A, A])[None], (2, 2))
    >>> x = np.array([[0.9, 0.1, 0.8, 0.2], [0.6, 0.4, 0.9, 0.1], [0.1, 0.9, 0.05, 0.95]])
    >>> vertex, dist = box_vertex(x, np.repeat(rad, 3, axis=0), (2, 2))
    >>> vertex.tolist(), dist.round(12).tolist()
    ([0, -1, 3], [0.2, 0.4, 0.1])
    """
    counts = tuple(int(c) for c in counts)
    m = x.shape[0]
    flat = np.zeros(m, dtype=np.int64)
    dist = np.zeros(m)
    off = np.concatenate([[0], np.cumsum(counts)])
    for q, k in enumerate(counts):
        blk = x[:, off[q]:off[q + 1]]
        a = np.argmax(blk, axis=1)
        dist = np.maximum(dist, 1.0 - blk[np.arange(m), a])
        flat = flat * k + a
    r = radii[np.arange(m), flat] if m else np.zeros(0)
    inside = (r > 0) & (dist <= r)
    return np.where(inside, flat, -1), dist

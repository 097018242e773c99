r"""The stochastic replicator of two-strategy populations in reduced coordinates (numpy reference).

Mathematics
-----------
When every population has two strategies, population :math:`p`'s state is one share
:math:`x_p` (of its first strategy; the second is :math:`1 - x_p`) and the replicator is

.. math:: \dot x_p = x_p (1 - x_p)\, \Delta_p(x_{-p}), \qquad
          \Delta_p = u_{p,1} - u_{p,2}
          = \sum_{s_{-p}} D_p[s_{-p}] \prod_{q \ne p} x_q^{[s_q = 1]} (1 - x_q)^{[s_q = 2]},

:math:`D_p = A_p[\ldots, 1, \ldots] - A_p[\ldots, 2, \ldots]` the payoff-difference tensor
(:func:`difference_tensor`), a multilinear polynomial evaluated by contracting one population at
a time, :math:`v \leftarrow v_2 + x_q (v_1 - v_2)`, from the last population to the first.

The step is the engine's scheme (:mod:`.sde_step`) written for one share: the explicit Euler
drift :math:`y = x + h\, x (1 - x) \Delta` (clamped to [0, 1] against rounding; the step is
checked beforehand, :func:`.sde_settings.check_step`), then

* ``simplex``: :math:`\zeta = \sigma \sqrt h\, \xi + \sigma^2 (y - \tfrac12) h` and
  :math:`x^+ = y e^{\zeta} / (y e^{\zeta} + 1 - y)`, computed with :math:`e = e^{-|\zeta|}`
  (:func:`.sde_step.exp_nonpos`) as :math:`y e / (y e + 1 - y)` when :math:`\zeta \le 0` and
  :math:`y / (y + (1 - y) e)` otherwise; :math:`x^+ = y` when :math:`\sigma = 0` (the
  deterministic Euler step). The Euler-Maruyama step of the log-odds, hence strong order 1.
* ``linear``: :math:`\nu = \sigma x \sqrt h\,\xi` (Milstein: plus
  :math:`\tfrac12 \sigma^2 x (h \xi^2 - h)`), :math:`x^+ = y + \nu`, unless :math:`y + \nu < 0`
  or :math:`(1 - y) - \nu < 0`: the path has left [0, 1] and is frozen at 0 or 1.

The standard normals :math:`\xi` come from the counter-based generator of :mod:`.sde_counter`,
keyed by (seed, path, step, population), or are given (``Z``, for tests on shared Brownian
paths). :mod:`.kernel_sde2` runs the same operations in the same order, compiled, and gives the
same bits.
"""

from __future__ import annotations

import math

import numpy as np

from .sde_counter import counter_normals
from .sde_step import INSIDE, LEFT, exp_nonpos

__all__ = ["reduced_applies", "difference_tensor", "advantage_np", "reduced_chunk_np",
           "MAX_COEFFICIENTS"]

#: payoff differences per parameter set (n 2**(n-1)) up to which the reduced path runs: nine
#: populations (the compiled kernel holds them for each of its 256 lanes: at most 8 MiB a task)
MAX_COEFFICIENTS = 4096


def reduced_applies(counts, code: int, callable_payoffs: bool) -> bool:
    """Whether a run takes the reduced path: payoff tensors, two strategies each, replicator,
    at most nine populations (:data:`MAX_COEFFICIENTS`).

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.
    code : int
        Dynamics code (0 is the replicator).
    callable_payoffs : bool
        Whether the game gives its expected payoffs as a callable (no tensor).

    Returns
    -------
    bool

    Examples
    --------
    >>> reduced_applies((2, 2, 2), 0, False), reduced_applies((2, 3), 0, False)
    (True, False)
    >>> reduced_applies((2,) * 9, 0, False), reduced_applies((2,) * 10, 0, False)
    (True, False)
    """
    n = len(counts)
    return ((not callable_payoffs) and code == 0 and all(int(k) == 2 for k in counts)
            and n * 2 ** (n - 1) <= MAX_COEFFICIENTS)


def difference_tensor(A: np.ndarray, n: int) -> np.ndarray:
    """``(P, n, 2**(n-1))`` payoff differences :math:`D_p` from ``(P, n, 2**n)`` payoffs.

    Parameters
    ----------
    A : numpy.ndarray
        ``(P, n, 2**n)`` payoff tensors (profiles in C order).
    n : int
        Populations.

    Returns
    -------
    numpy.ndarray

    ``D[r, p]`` is indexed by the other populations' strategies in C order (population order,
    first strategy 0).

    Examples
    --------
    Hawk-dove (V = 2, C = 4) for the row population: :math:`D = (-1 - 2, 1 - 0)`:

    >>> A = np.array([[[-1.0, 2.0, 0.0, 1.0], [-1.0, 0.0, 2.0, 1.0]]])
    >>> difference_tensor(A, 2)[0].tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """
    P = A.shape[0]
    full = A.reshape((P, n) + (2,) * n)
    D = np.empty((P, n, 2 ** (n - 1)))
    for p in range(n):
        Ap = full[:, p]
        D[:, p] = (np.take(Ap, 0, axis=1 + p) - np.take(Ap, 1, axis=1 + p)).reshape(P, -1)
    return D


def advantage_np(x: np.ndarray, D: np.ndarray, p: int) -> np.ndarray:
    """:math:`\\Delta_p` at shares ``x`` ``(n, m)`` with per-path differences ``D`` ``(m, n, M)``.

    Parameters
    ----------
    x : numpy.ndarray
        ``(n, m)`` first-strategy shares.
    D : numpy.ndarray
        ``(m, n, 2**(n-1))`` payoff differences of each path.
    p : int
        The population.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> D = np.array([[[1.0, 2.0], [3.0, 4.0]]])     # one path, two populations
    >>> float(advantage_np(np.array([[0.5], [0.25]]), D, 0)[0])   # 2 + 0.25 (1 - 2)
    1.75
    """
    n = x.shape[0]
    v = [D[:, p, c] for c in range(D.shape[2])]
    for q in range(n - 1, -1, -1):
        if q == p:
            continue
        v = [v[2 * c + 1] + x[q] * (v[2 * c] - v[2 * c + 1]) for c in range(len(v) // 2)]
    return v[0]


def reduced_chunk_np(X, status, tleft, s0, hs, tends, pidx, sigs, D, form, scheme, out, rec,
                     keys=None, Z=None) -> None:
    """Advance every inside path over ``len(hs)`` steps, in place (the numpy reference).

    Parameters
    ----------
    X : numpy.ndarray
        ``(m, 2n)`` full states (both shares of each population; written back as
        :math:`x, 1 - x`).
    status, tleft : numpy.ndarray
        As in :func:`.sde_step.sde_chunk_np`.
    s0 : int
        Global index of the chunk's first step (the generator's counter).
    hs, tends, pidx, sigs, form, scheme, out, rec
        As in :func:`.sde_step.sde_chunk_np`.
    D : numpy.ndarray
        ``(P, n, 2**(n-1))`` payoff differences (:func:`difference_tensor`).
    keys : numpy.ndarray, optional
        ``(m,)`` uint64 path keys (:func:`.sde_counter.path_keys`).
    Z : numpy.ndarray, optional
        ``(C, n, m)`` standard normals to use instead of the generator.

    Examples
    --------
    One path, no noise, a constant advantage of 1: :math:`x + h x (1 - x) = 0.525`:

    >>> X = np.array([[0.5, 0.5]]); st = np.zeros(1, np.int64); tl = np.full(1, np.nan)
    >>> reduced_chunk_np(X, st, tl, 0, np.array([0.1]), np.array([0.1]), np.zeros(1, int),
    ...                  np.zeros(1), np.ones((1, 1, 1)), 0, 0, np.zeros((1, 0, 2)),
    ...                  np.array([-1]), Z=np.zeros((1, 1, 1)))
    >>> X.round(12).tolist()
    [[0.525, 0.475]]
    """
    n = D.shape[1]
    act = np.flatnonzero(status == INSIDE)
    if act.size == 0:
        return
    x = np.ascontiguousarray(X[act][:, 0::2].T)
    Dl = D[pidx[act]]
    sig = sigs[pidx[act]]
    kl = None if keys is None else keys[act]
    for s in range(hs.shape[0]):
        h = float(hs[s])
        sq = math.sqrt(h)
        xi = Z[s][:, act] if Z is not None else counter_normals(kl, s0 + s, n)
        xn = np.empty_like(x)
        gone = np.zeros(act.size, dtype=bool)
        for p in range(n):
            adv = advantage_np(x, Dl, p)
            xp = x[p]
            y = xp + h * (xp * (1.0 - xp) * adv)
            y = np.minimum(np.maximum(y, 0.0), 1.0)
            if form == 1:
                dW = sq * xi[p]
                nz = sig * xp * dW
                if scheme == 1:
                    nz = nz + 0.5 * sig * sig * xp * (dW * dW - h)
                y1 = y + nz
                y2 = (1.0 - y) - nz
                lo = y1 < 0.0
                hi = y2 < 0.0
                xn[p] = np.where(lo, 0.0, np.where(hi, 1.0, np.minimum(y1, 1.0)))
                gone |= lo | hi
            else:
                zeta = sig * (sq * xi[p]) + sig * sig * (y - 0.5) * h
                e = exp_nonpos(-np.abs(zeta))
                ym = 1.0 - y
                pos = zeta > 0.0
                num = np.where(pos, y, y * e)
                den = np.where(pos, y + ym * e, y * e + ym)
                xn[p] = np.where(sig > 0.0, num / den, y)
        x = xn
        if form == 1 and np.any(gone):
            rows = act[gone]
            X[rows, 0::2] = x[:, gone].T
            X[rows, 1::2] = 1.0 - x[:, gone].T
            status[rows] = LEFT
            tleft[rows] = tends[s]
            keep = ~gone
            act, x, sig, Dl = act[keep], x[:, keep], sig[keep], Dl[keep]
            if kl is not None:
                kl = kl[keep]
        if rec[s] >= 0:
            out[act, rec[s], 0::2] = x.T
            out[act, rec[s], 1::2] = 1.0 - x.T
        if act.size == 0:
            break
    X[act, 0::2] = x.T
    X[act, 1::2] = 1.0 - x.T

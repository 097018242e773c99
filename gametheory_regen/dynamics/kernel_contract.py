r"""Compiled expected payoffs by contraction, many trajectories abreast.

Mathematics
-----------
The same contractions as :func:`.contraction.expected_payoffs_contracted`, the engine's
reference: population :math:`p`'s payoff tensor is summed against the other populations'
shares one axis at a time, from the last population to the first,

.. math:: T' [o, i] = \sum_{j=0}^{k-1} T[o, j, i]\, x_{q j}
          \quad\text{(the sum formed in increasing } j \text{ from its first term)},

following :func:`.contraction.contraction_plan`. Every lane (one trajectory each, as in
:mod:`.kernel_numba`) is an independent column of every array, so each output entry is one
vectorised pass over the lanes; a sum of two to four terms is written out in one pass. The
numbers are those of the numpy reference: the same products and sums, in the same order,
with no fused multiply-add.

Importing this module imports numba; like :mod:`.kernel_numba` it chooses and verifies its
cache directory first.
"""

from __future__ import annotations

from numba import njit

from .backends import prepare_cache

__all__ = ["payoffs_contracted", "payoffs_shared"]

#: the verified cache directory numba writes to (None: not cached), chosen before any
#: dispatcher below is made
CACHE_DIR = prepare_cache()

_OPTS = dict(cache=CACHE_DIR is not None, nogil=True, error_model="numpy")


@njit(**_OPTS)
def _contract(src, dst, d0, Y, y0, outer, k, inner, L):
    """``dst[d0 + o * inner + i] = sum_j src[(o * k + j) * inner + i] * Y[y0 + j]`` per lane."""
    for o in range(outer):
        for i in range(inner):
            s = o * k * inner + i
            d = d0 + o * inner + i
            if k == 2:
                s1 = s + inner
                for ln in range(L):
                    dst[d, ln] = src[s, ln] * Y[y0, ln] + src[s1, ln] * Y[y0 + 1, ln]
            elif k == 3:
                s1 = s + inner
                s2 = s1 + inner
                for ln in range(L):
                    dst[d, ln] = (src[s, ln] * Y[y0, ln] + src[s1, ln] * Y[y0 + 1, ln]
                                  + src[s2, ln] * Y[y0 + 2, ln])
            elif k == 4:
                s1 = s + inner
                s2 = s1 + inner
                s3 = s2 + inner
                for ln in range(L):
                    dst[d, ln] = (src[s, ln] * Y[y0, ln] + src[s1, ln] * Y[y0 + 1, ln]
                                  + src[s2, ln] * Y[y0 + 2, ln] + src[s3, ln] * Y[y0 + 3, ln])
            else:
                for ln in range(L):
                    dst[d, ln] = src[s, ln] * Y[y0, ln]
                for j in range(1, k):
                    sj = s + j * inner
                    for ln in range(L):
                        dst[d, ln] = dst[d, ln] + src[sj, ln] * Y[y0 + j, ln]


@njit(**_OPTS)
def _contract_shared(A, p, dst, d0, Y, y0, outer, k, inner, L):
    """:func:`_contract` of population ``p``'s payoff tensor ``A[0, p]``, the same for every
    lane (one number per entry instead of one per lane: the same products)."""
    for o in range(outer):
        for i in range(inner):
            s = o * k * inner + i
            d = d0 + o * inner + i
            if k == 2:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                for ln in range(L):
                    dst[d, ln] = c0 * Y[y0, ln] + c1 * Y[y0 + 1, ln]
            elif k == 3:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                c2 = A[0, p, s + 2 * inner]
                for ln in range(L):
                    dst[d, ln] = c0 * Y[y0, ln] + c1 * Y[y0 + 1, ln] + c2 * Y[y0 + 2, ln]
            elif k == 4:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                c2 = A[0, p, s + 2 * inner]
                c3 = A[0, p, s + 3 * inner]
                for ln in range(L):
                    dst[d, ln] = (c0 * Y[y0, ln] + c1 * Y[y0 + 1, ln] + c2 * Y[y0 + 2, ln]
                                  + c3 * Y[y0 + 3, ln])
            else:
                c0 = A[0, p, s]
                for ln in range(L):
                    dst[d, ln] = c0 * Y[y0, ln]
                for j in range(1, k):
                    cj = A[0, p, s + j * inner]
                    for ln in range(L):
                        dst[d, ln] = dst[d, ln] + cj * Y[y0 + j, ln]


@njit(**_OPTS)
def payoffs_shared(Y, A, plan, offs, U, T1, T2):
    """:func:`payoffs_contracted` when every lane has the same constant payoffs ``A[0]``
    (``A``: ``(1, n, K)``): the first contraction reads one number per entry."""
    n = offs.shape[0] - 1
    L = Y.shape[1]
    r = 0
    for p in range(n):
        a = offs[p]
        if n == 1:
            for i in range(offs[1] - a):
                for ln in range(L):
                    U[a + i, ln] = A[0, 0, i]
            continue
        for lv in range(n - 1):
            q = plan[r, 1]
            outer = plan[r, 2]
            k = plan[r, 3]
            inner = plan[r, 4]
            y0 = offs[q]
            last = lv == n - 2
            if lv == 0:
                if last:
                    _contract_shared(A, p, U, a, Y, y0, outer, k, inner, L)
                else:
                    _contract_shared(A, p, T1, 0, Y, y0, outer, k, inner, L)
            elif lv % 2 == 1:
                if last:
                    _contract(T1, U, a, Y, y0, outer, k, inner, L)
                else:
                    _contract(T1, T2, 0, Y, y0, outer, k, inner, L)
            elif last:
                _contract(T2, U, a, Y, y0, outer, k, inner, L)
            else:
                _contract(T2, T1, 0, Y, y0, outer, k, inner, L)
            r += 1


@njit(**_OPTS)
def payoffs_contracted(Y, AL, BL, TAU, slope, plan, offs, U, T1, T2):
    """Expected payoffs of every lane at states ``Y`` into ``U`` (see the module docstring).

    ``AL`` and ``BL`` are ``(n, K, L)`` lane payoffs and slopes (the payoff at time offset
    ``TAU`` is ``AL + TAU * BL`` when ``slope``), ``plan`` the
    :func:`.contraction.contraction_plan` of the game, ``offs`` its state offsets, ``T1`` and
    ``T2`` scratch arrays of at least ``(K, L)``.
    """
    n = offs.shape[0] - 1
    K = AL.shape[1]
    L = Y.shape[1]
    r = 0
    for p in range(n):
        a = offs[p]
        kp = offs[p + 1] - a
        if slope:  # the payoff tensor at this time, as the reference forms it first
            for s in range(K):
                for ln in range(L):
                    T2[s, ln] = AL[p, s, ln] + TAU[ln] * BL[p, s, ln]
        if n == 1:
            for i in range(kp):
                for ln in range(L):
                    U[a + i, ln] = T2[i, ln] if slope else AL[p, i, ln]
            continue
        for lv in range(n - 1):
            q = plan[r, 1]
            outer = plan[r, 2]
            k = plan[r, 3]
            inner = plan[r, 4]
            y0 = offs[q]
            last = lv == n - 2
            if lv == 0:
                if slope:
                    if last:
                        _contract(T2, U, a, Y, y0, outer, k, inner, L)
                    else:
                        _contract(T2, T1, 0, Y, y0, outer, k, inner, L)
                elif last:
                    _contract(AL[p], U, a, Y, y0, outer, k, inner, L)
                else:
                    _contract(AL[p], T1, 0, Y, y0, outer, k, inner, L)
            elif lv % 2 == 1:
                if last:
                    _contract(T1, U, a, Y, y0, outer, k, inner, L)
                else:
                    _contract(T1, T2, 0, Y, y0, outer, k, inner, L)
            elif last:
                _contract(T2, U, a, Y, y0, outer, k, inner, L)
            else:
                _contract(T2, T1, 0, Y, y0, outer, k, inner, L)
            r += 1

r"""Compiled relative payoffs by contraction, many trajectories abreast.

Mathematics
-----------
The same contractions as :func:`.contraction.relative_payoffs_contracted`, the engine's
reference: population :math:`p`'s tensor, rewritten by :func:`.contraction.relative_tensors`
for payoffs relative to its last strategy, is summed against the other populations' shares
but their last one axis at a time, from the last population to the first,

.. math:: T' [o, i] = \sum_{j=0}^{k-2} T[o, j, i]\, x_{q j} + T[o, k-1, i]
          \quad\text{(the products summed in increasing } j \text{, the constant last)},

following :func:`.contraction.relative_plan`; the last strategy's entry is 0. Every lane (one
trajectory each, as in :mod:`.kernel_numba`) is an independent column of every array, so each
output entry is one vectorised pass over the lanes; a sum of two to four terms is written out
in one pass. The numbers are those of the numpy reference: the same products and sums, in the
same order, with no fused multiply-add.

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

#: nothing here allocates: compiled without reference counting (array arguments are borrowed
#: from the caller; a counted reference costs two atomic operations on every call)
_OPTS = dict(cache=CACHE_DIR is not None, nogil=True, error_model="numpy", _nrt=False)


@njit(**_OPTS)
def _contract(src, sp, dst, dp, d0, Y, y0, outer, k, inner, L):
    """``dst[dp, d0 + o * inner + i] = sum_{j < k-1} src[sp, (o k + j) inner + i] * Y[y0 + j]
    + src[sp, (o k + k - 1) inner + i]`` per lane (the last entry of the axis is the constant
    term, added last). Arrays and planes are passed apart (no view is made: a view is
    reference-counted)."""
    for o in range(outer):
        for i in range(inner):
            s = o * k * inner + i
            d = d0 + o * inner + i
            if k == 2:
                s1 = s + inner
                for ln in range(L):
                    dst[dp, d, ln] = src[sp, s, ln] * Y[y0, ln] + src[sp, s1, ln]
            elif k == 3:
                s1 = s + inner
                s2 = s1 + inner
                for ln in range(L):
                    dst[dp, d, ln] = (src[sp, s, ln] * Y[y0, ln] + src[sp, s1, ln] * Y[y0 + 1, ln]
                                      + src[sp, s2, ln])
            elif k == 4:
                s1 = s + inner
                s2 = s1 + inner
                s3 = s2 + inner
                for ln in range(L):
                    dst[dp, d, ln] = (src[sp, s, ln] * Y[y0, ln] + src[sp, s1, ln] * Y[y0 + 1, ln]
                                      + src[sp, s2, ln] * Y[y0 + 2, ln] + src[sp, s3, ln])
            elif k == 1:
                for ln in range(L):
                    dst[dp, d, ln] = src[sp, s, ln]
            else:
                for ln in range(L):
                    dst[dp, d, ln] = src[sp, s, ln] * Y[y0, ln]
                for j in range(1, k - 1):
                    sj = s + j * inner
                    for ln in range(L):
                        dst[dp, d, ln] = dst[dp, d, ln] + src[sp, sj, ln] * Y[y0 + j, ln]
                sj = s + (k - 1) * inner
                for ln in range(L):
                    dst[dp, d, ln] = dst[dp, d, ln] + src[sp, sj, ln]


@njit(**_OPTS)
def _contract_shared(A, p, dst, dp, d0, Y, y0, outer, k, inner, L):
    """:func:`_contract` of population ``p``'s tensor ``A[0, p]``, the same for every lane
    (one number per entry instead of one per lane: the same products), into ``dst[dp]``."""
    for o in range(outer):
        for i in range(inner):
            s = o * k * inner + i
            d = d0 + o * inner + i
            if k == 2:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                for ln in range(L):
                    dst[dp, d, ln] = c0 * Y[y0, ln] + c1
            elif k == 3:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                c2 = A[0, p, s + 2 * inner]
                for ln in range(L):
                    dst[dp, d, ln] = c0 * Y[y0, ln] + c1 * Y[y0 + 1, ln] + c2
            elif k == 4:
                c0 = A[0, p, s]
                c1 = A[0, p, s + inner]
                c2 = A[0, p, s + 2 * inner]
                c3 = A[0, p, s + 3 * inner]
                for ln in range(L):
                    dst[dp, d, ln] = c0 * Y[y0, ln] + c1 * Y[y0 + 1, ln] + c2 * Y[y0 + 2, ln] + c3
            elif k == 1:
                c0 = A[0, p, s]
                for ln in range(L):
                    dst[dp, d, ln] = c0
            else:
                c0 = A[0, p, s]
                for ln in range(L):
                    dst[dp, d, ln] = c0 * Y[y0, ln]
                for j in range(1, k - 1):
                    cj = A[0, p, s + j * inner]
                    for ln in range(L):
                        dst[dp, d, ln] = dst[dp, d, ln] + cj * Y[y0 + j, ln]
                cj = A[0, p, s + (k - 1) * inner]
                for ln in range(L):
                    dst[dp, d, ln] = dst[dp, d, ln] + cj


@njit(inline="always", **_OPTS)
def _src_index(e, k, inner):
    """Where entry ``e`` of a contraction's result starts in its source, viewed as
    ``(., k, inner)`` (no division when ``inner`` is 1: an integer division costs more than a
    whole vectorised lane loop of a small batch).

    Entries ``e + j * inner`` start at ``_src_index(e) + j * k * inner``: the fused
    contractions below step that way when each contraction's ``inner`` divides the next one's,
    which holds for every :func:`.contraction.relative_plan` (an axis contracted later lies
    before the earlier ones, so its ``inner`` is the earlier ``inner`` times 1 or the own
    axis's length)."""
    if inner == 1:
        return e * k
    return (e // inner) * k * inner + e % inner


@njit(**_OPTS)
def _contract2(src, sp, shared, A, p, dst, dp, d0, Y, ya, yb, k, inner1, outer2, inner2, L):
    """Two consecutive contractions of ``k``-strategy axes (``k`` 2, 3 or 4) in one pass: the
    first against ``Y[ya:ya+k-1]`` (its tensor viewed as ``(., k, inner1)``), the second, of
    the result viewed as ``(outer2, k, inner2)``, against ``Y[yb:yb+k-1]``, into ``dst``.
    Every intermediate number is the one :func:`_contract` would store, formed by the same
    expression; it stays in a register. The first tensor is ``A[0, p]`` (one number per
    entry) when ``shared``, else ``src[sp]`` (one number per lane); the result goes to
    ``dst[dp]``."""
    lin = inner1 == 1 or inner2 % inner1 == 0  # result entries inner2 apart start k * inner2 apart
    for o2 in range(outer2):
        for i2 in range(inner2):
            d = d0 + o2 * inner2 + i2
            e0 = (o2 * k) * inner2 + i2
            e1 = e0 + inner2
            s0 = _src_index(e0, k, inner1)
            if lin:
                s1 = s0 + k * inner2
                s2 = s1 + k * inner2
                s3 = s2 + k * inner2
            else:
                s1 = _src_index(e1, k, inner1)
                s2 = _src_index(e1 + inner2, k, inner1)
                s3 = _src_index(e1 + 2 * inner2, k, inner1)
            if k == 2:
                if shared:
                    a00 = A[0, p, s0]
                    a01 = A[0, p, s0 + inner1]
                    a10 = A[0, p, s1]
                    a11 = A[0, p, s1 + inner1]
                    for ln in range(L):
                        v0 = a00 * Y[ya, ln] + a01
                        v1 = a10 * Y[ya, ln] + a11
                        dst[dp, d, ln] = v0 * Y[yb, ln] + v1
                else:
                    for ln in range(L):
                        v0 = src[sp, s0, ln] * Y[ya, ln] + src[sp, s0 + inner1, ln]
                        v1 = src[sp, s1, ln] * Y[ya, ln] + src[sp, s1 + inner1, ln]
                        dst[dp, d, ln] = v0 * Y[yb, ln] + v1
            elif k == 4:
                t1 = inner1
                t2 = 2 * inner1
                t3 = 3 * inner1
                if shared:
                    a00, a01 = A[0, p, s0], A[0, p, s0 + t1]
                    a02, a03 = A[0, p, s0 + t2], A[0, p, s0 + t3]
                    a10, a11 = A[0, p, s1], A[0, p, s1 + t1]
                    a12, a13 = A[0, p, s1 + t2], A[0, p, s1 + t3]
                    a20, a21 = A[0, p, s2], A[0, p, s2 + t1]
                    a22, a23 = A[0, p, s2 + t2], A[0, p, s2 + t3]
                    a30, a31 = A[0, p, s3], A[0, p, s3 + t1]
                    a32, a33 = A[0, p, s3 + t2], A[0, p, s3 + t3]
                    for ln in range(L):
                        x0 = Y[ya, ln]
                        x1 = Y[ya + 1, ln]
                        x2 = Y[ya + 2, ln]
                        v0 = a00 * x0 + a01 * x1 + a02 * x2 + a03
                        v1 = a10 * x0 + a11 * x1 + a12 * x2 + a13
                        v2 = a20 * x0 + a21 * x1 + a22 * x2 + a23
                        v3 = a30 * x0 + a31 * x1 + a32 * x2 + a33
                        dst[dp, d, ln] = (v0 * Y[yb, ln] + v1 * Y[yb + 1, ln] + v2 * Y[yb + 2, ln]
                                      + v3)
                else:
                    for ln in range(L):
                        x0 = Y[ya, ln]
                        x1 = Y[ya + 1, ln]
                        x2 = Y[ya + 2, ln]
                        v0 = (src[sp, s0, ln] * x0 + src[sp, s0 + t1, ln] * x1
                              + src[sp, s0 + t2, ln] * x2 + src[sp, s0 + t3, ln])
                        v1 = (src[sp, s1, ln] * x0 + src[sp, s1 + t1, ln] * x1
                              + src[sp, s1 + t2, ln] * x2 + src[sp, s1 + t3, ln])
                        v2 = (src[sp, s2, ln] * x0 + src[sp, s2 + t1, ln] * x1
                              + src[sp, s2 + t2, ln] * x2 + src[sp, s2 + t3, ln])
                        v3 = (src[sp, s3, ln] * x0 + src[sp, s3 + t1, ln] * x1
                              + src[sp, s3 + t2, ln] * x2 + src[sp, s3 + t3, ln])
                        dst[dp, d, ln] = (v0 * Y[yb, ln] + v1 * Y[yb + 1, ln] + v2 * Y[yb + 2, ln]
                                      + v3)
            else:
                t2 = 2 * inner1
                if shared:
                    a00 = A[0, p, s0]
                    a01 = A[0, p, s0 + inner1]
                    a02 = A[0, p, s0 + t2]
                    a10 = A[0, p, s1]
                    a11 = A[0, p, s1 + inner1]
                    a12 = A[0, p, s1 + t2]
                    a20 = A[0, p, s2]
                    a21 = A[0, p, s2 + inner1]
                    a22 = A[0, p, s2 + t2]
                    for ln in range(L):
                        x0 = Y[ya, ln]
                        x1 = Y[ya + 1, ln]
                        v0 = a00 * x0 + a01 * x1 + a02
                        v1 = a10 * x0 + a11 * x1 + a12
                        v2 = a20 * x0 + a21 * x1 + a22
                        dst[dp, d, ln] = v0 * Y[yb, ln] + v1 * Y[yb + 1, ln] + v2
                else:
                    for ln in range(L):
                        x0 = Y[ya, ln]
                        x1 = Y[ya + 1, ln]
                        v0 = (src[sp, s0, ln] * x0 + src[sp, s0 + inner1, ln] * x1
                              + src[sp, s0 + t2, ln])
                        v1 = (src[sp, s1, ln] * x0 + src[sp, s1 + inner1, ln] * x1
                              + src[sp, s1 + t2, ln])
                        v2 = (src[sp, s2, ln] * x0 + src[sp, s2 + inner1, ln] * x1
                              + src[sp, s2 + t2, ln])
                        dst[dp, d, ln] = v0 * Y[yb, ln] + v1 * Y[yb + 1, ln] + v2


@njit(**_OPTS)
def _contract3(src, sp, shared, A, p, dst, dp, d0, Y, ya, yb, yc, inner1, inner2, outer3, inner3,
               L):
    """Three consecutive contractions of 2-strategy axes in one pass (see :func:`_contract2`):
    against ``Y[ya]``, then ``Y[yb]`` (the result viewed as ``(., 2, inner2)``), then
    ``Y[yc]`` (viewed as ``(outer3, 2, inner3)``), into ``dst``; every intermediate number is
    formed by the expression :func:`_contract` forms it with."""
    lin = (inner1 == 1 or inner2 % inner1 == 0) and inner3 % inner2 == 0  # as _src_index says
    for o3 in range(outer3):
        for i3 in range(inner3):
            d = d0 + o3 * inner3 + i3
            f0 = (o3 * 2) * inner3 + i3
            e00 = _src_index(f0, 2, inner2)
            s0 = _src_index(e00, 2, inner1)
            if lin:
                s1 = s0 + 2 * inner2
                s2 = s0 + 4 * inner3
                s3 = s2 + 2 * inner2
            else:
                e10 = _src_index(f0 + inner3, 2, inner2)
                s1 = _src_index(e00 + inner2, 2, inner1)
                s2 = _src_index(e10, 2, inner1)
                s3 = _src_index(e10 + inner2, 2, inner1)
            if shared:
                a0 = A[0, p, s0]
                b0 = A[0, p, s0 + inner1]
                a1 = A[0, p, s1]
                b1 = A[0, p, s1 + inner1]
                a2 = A[0, p, s2]
                b2 = A[0, p, s2 + inner1]
                a3 = A[0, p, s3]
                b3 = A[0, p, s3 + inner1]
                for ln in range(L):
                    x0 = Y[ya, ln]
                    w0 = (a0 * x0 + b0) * Y[yb, ln] + (a1 * x0 + b1)
                    w1 = (a2 * x0 + b2) * Y[yb, ln] + (a3 * x0 + b3)
                    dst[dp, d, ln] = w0 * Y[yc, ln] + w1
            else:
                for ln in range(L):
                    x0 = Y[ya, ln]
                    v0 = src[sp, s0, ln] * x0 + src[sp, s0 + inner1, ln]
                    v1 = src[sp, s1, ln] * x0 + src[sp, s1 + inner1, ln]
                    v2 = src[sp, s2, ln] * x0 + src[sp, s2 + inner1, ln]
                    v3 = src[sp, s3, ln] * x0 + src[sp, s3 + inner1, ln]
                    w0 = v0 * Y[yb, ln] + v1
                    w1 = v2 * Y[yb, ln] + v3
                    dst[dp, d, ln] = w0 * Y[yc, ln] + w1


@njit(inline="always", **_OPTS)
def _lin3(src, sp, b, step, x0, x1, ln):
    """``src[sp, b] x0 + src[sp, b + step] x1 + src[sp, b + 2 step]`` of lane ``ln``: one
    entry of a contraction of a 3-strategy axis, formed as :func:`_contract` forms it."""
    return src[sp, b, ln] * x0 + src[sp, b + step, ln] * x1 + src[sp, b + 2 * step, ln]


@njit(**_OPTS)
def _contract3_k3(src, sp, shared, A, p, dst, dp, d0, Y, ya, yb, yc, inner1, inner2, outer3,
                 inner3, L):
    """Three consecutive contractions of 3-strategy axes in one pass (see :func:`_contract3`):
    against ``Y[ya:ya+2]``, then ``Y[yb:yb+2]`` (the result viewed as ``(., 3, inner2)``), then
    ``Y[yc:yc+2]`` (viewed as ``(outer3, 3, inner3)``), into ``dst``; every intermediate number
    is formed by the expression :func:`_contract` forms it with. ``bMJ`` is where the source
    entries of the first contraction's result ``J`` below the second's result ``M`` start."""
    lin = (inner1 == 1 or inner2 % inner1 == 0) and inner3 % inner2 == 0  # as _src_index says
    for o3 in range(outer3):
        for i3 in range(inner3):
            d = d0 + o3 * inner3 + i3
            f0 = (o3 * 3) * inner3 + i3
            e0 = _src_index(f0, 3, inner2)
            b00 = _src_index(e0, 3, inner1)
            if lin:
                b01 = b00 + 3 * inner2
                b02 = b01 + 3 * inner2
                b10 = b00 + 9 * inner3
                b11 = b10 + 3 * inner2
                b12 = b11 + 3 * inner2
                b20 = b10 + 9 * inner3
                b21 = b20 + 3 * inner2
                b22 = b21 + 3 * inner2
            else:
                e1 = _src_index(f0 + 1 * inner3, 3, inner2)
                e2 = _src_index(f0 + 2 * inner3, 3, inner2)
                b01 = _src_index(e0 + 1 * inner2, 3, inner1)
                b02 = _src_index(e0 + 2 * inner2, 3, inner1)
                b10 = _src_index(e1, 3, inner1)
                b11 = _src_index(e1 + 1 * inner2, 3, inner1)
                b12 = _src_index(e1 + 2 * inner2, 3, inner1)
                b20 = _src_index(e2, 3, inner1)
                b21 = _src_index(e2 + 1 * inner2, 3, inner1)
                b22 = _src_index(e2 + 2 * inner2, 3, inner1)
            t2 = 2 * inner1
            if shared:
                a000 = A[0, p, b00]
                a001 = A[0, p, b00 + inner1]
                a002 = A[0, p, b00 + t2]
                a010 = A[0, p, b01]
                a011 = A[0, p, b01 + inner1]
                a012 = A[0, p, b01 + t2]
                a020 = A[0, p, b02]
                a021 = A[0, p, b02 + inner1]
                a022 = A[0, p, b02 + t2]
                a100 = A[0, p, b10]
                a101 = A[0, p, b10 + inner1]
                a102 = A[0, p, b10 + t2]
                a110 = A[0, p, b11]
                a111 = A[0, p, b11 + inner1]
                a112 = A[0, p, b11 + t2]
                a120 = A[0, p, b12]
                a121 = A[0, p, b12 + inner1]
                a122 = A[0, p, b12 + t2]
                a200 = A[0, p, b20]
                a201 = A[0, p, b20 + inner1]
                a202 = A[0, p, b20 + t2]
                a210 = A[0, p, b21]
                a211 = A[0, p, b21 + inner1]
                a212 = A[0, p, b21 + t2]
                a220 = A[0, p, b22]
                a221 = A[0, p, b22 + inner1]
                a222 = A[0, p, b22 + t2]
                for ln in range(L):
                    x0 = Y[ya, ln]
                    x1 = Y[ya + 1, ln]
                    y0 = Y[yb, ln]
                    y1 = Y[yb + 1, ln]
                    w0 = ((a000 * x0 + a001 * x1 + a002) * y0
                          + (a010 * x0 + a011 * x1 + a012) * y1 + (a020 * x0 + a021 * x1 + a022))
                    w1 = ((a100 * x0 + a101 * x1 + a102) * y0
                          + (a110 * x0 + a111 * x1 + a112) * y1 + (a120 * x0 + a121 * x1 + a122))
                    w2 = ((a200 * x0 + a201 * x1 + a202) * y0
                          + (a210 * x0 + a211 * x1 + a212) * y1 + (a220 * x0 + a221 * x1 + a222))
                    dst[dp, d, ln] = w0 * Y[yc, ln] + w1 * Y[yc + 1, ln] + w2
            else:
                for ln in range(L):
                    x0 = Y[ya, ln]
                    x1 = Y[ya + 1, ln]
                    y0 = Y[yb, ln]
                    y1 = Y[yb + 1, ln]
                    w0 = (_lin3(src, sp, b00, inner1, x0, x1, ln) * y0
                          + _lin3(src, sp, b01, inner1, x0, x1, ln) * y1
                          + _lin3(src, sp, b02, inner1, x0, x1, ln))
                    w1 = (_lin3(src, sp, b10, inner1, x0, x1, ln) * y0
                          + _lin3(src, sp, b11, inner1, x0, x1, ln) * y1
                          + _lin3(src, sp, b12, inner1, x0, x1, ln))
                    w2 = (_lin3(src, sp, b20, inner1, x0, x1, ln) * y0
                          + _lin3(src, sp, b21, inner1, x0, x1, ln) * y1
                          + _lin3(src, sp, b22, inner1, x0, x1, ln))
                    dst[dp, d, ln] = w0 * Y[yc, ln] + w1 * Y[yc + 1, ln] + w2


@njit(inline="always", **_OPTS)
def _levels(Y, AL, from_al, shared, A, p, plan, r, offs, S3):
    """Population ``p``'s contractions (``plan`` rows ``r`` to ``r + n - 2``) from its
    rewritten tensor into its relative payoffs ``S3[2, offs[p]:offs[p + 1] - 1]`` (the
    caller's ``U``), through the scratch planes ``S3[0]`` and ``S3[1]``
    (``S3[2, offs[p + 1] - 1]``, the last strategy's, is never written: it stays 0).

    The tensor is ``AL[p]`` (one number per lane) when ``from_al``, else ``S3[1]`` (a tensor
    the caller formed there), or ``A[0, p]`` (one number per entry) when ``shared``. Two
    consecutive contractions of axes with the same 2, 3 or 4 strategies run in one pass,
    three of 2- or 3-strategy axes too. Arrays and planes are passed apart, each call written out
    for its source array: choosing an array by a condition makes a new reference, which numba
    counts with atomic operations on every evaluation."""
    n = offs.shape[0] - 1
    L = Y.shape[1]
    lv = 0
    # the plane the current tensor is in (``p - p + 1``: a run-time 1; a literal would compile
    # every contraction function once more, for that constant)
    sp = p if from_al else p - p + 1
    first = True
    while lv < n - 1:
        row = r + lv
        k = plan[row, 3]
        fuse = lv + 1 < n - 1 and plan[row + 1, 3] == k and 2 <= k <= 4
        fuse3 = fuse and k <= 3 and lv + 2 < n - 1 and plan[row + 2, 3] == k
        step = 3 if fuse3 else (2 if fuse else 1)
        done = lv + step == n - 1
        dp = 2 if done else (0 if sp != 0 or (first and from_al) else 1)
        d0 = offs[p] if done else 0
        sh = shared and first
        al = first and from_al
        if fuse3:
            ya, yb, yc = offs[plan[row, 1]], offs[plan[row + 1, 1]], offs[plan[row + 2, 1]]
            i1, i2, o3, i3 = plan[row, 4], plan[row + 1, 4], plan[row + 2, 2], plan[row + 2, 4]
            if k == 2 and al:
                _contract3(AL, sp, sh, A, p, S3, dp, d0, Y, ya, yb, yc, i1, i2, o3, i3, L)
            elif k == 2:
                _contract3(S3, sp, sh, A, p, S3, dp, d0, Y, ya, yb, yc, i1, i2, o3, i3, L)
            elif al:
                _contract3_k3(AL, sp, sh, A, p, S3, dp, d0, Y, ya, yb, yc, i1, i2, o3, i3, L)
            else:
                _contract3_k3(S3, sp, sh, A, p, S3, dp, d0, Y, ya, yb, yc, i1, i2, o3, i3, L)
        elif fuse:
            ya, yb = offs[plan[row, 1]], offs[plan[row + 1, 1]]
            if al:
                _contract2(AL, sp, sh, A, p, S3, dp, d0, Y, ya, yb, k, plan[row, 4],
                           plan[row + 1, 2], plan[row + 1, 4], L)
            else:
                _contract2(S3, sp, sh, A, p, S3, dp, d0, Y, ya, yb, k, plan[row, 4],
                           plan[row + 1, 2], plan[row + 1, 4], L)
        elif sh:
            _contract_shared(A, p, S3, dp, d0, Y, offs[plan[row, 1]], plan[row, 2], k,
                             plan[row, 4], L)
        elif al:
            _contract(AL, sp, S3, dp, d0, Y, offs[plan[row, 1]], plan[row, 2], k, plan[row, 4],
                      L)
        else:
            _contract(S3, sp, S3, dp, d0, Y, offs[plan[row, 1]], plan[row, 2], k, plan[row, 4],
                      L)
        lv += step
        sp = dp
        first = False


@njit(inline="always", **_OPTS)
def payoffs_shared(Y, A, plan, offs, S3):
    """:func:`payoffs_contracted` when every lane has the same constant payoffs ``A[0]``
    (``A``: ``(1, n, K)``): the first contractions read one number per entry."""
    n = offs.shape[0] - 1
    L = Y.shape[1]
    if n == 1:
        for i in range(offs[1] - 1):
            for ln in range(L):
                S3[2, i, ln] = A[0, 0, i]
        return
    for p in range(n):
        _levels(Y, S3, False, True, A, p, plan, p * (n - 1), offs, S3)


@njit(inline="always", **_OPTS)
def payoffs_contracted(Y, AL, BL, TAU, slope, plan, offs, S3):
    """Payoffs relative to each population's last strategy, of every lane at states ``Y``,
    into ``S3[2]`` (the caller's ``U``; see the module docstring).

    ``AL`` and ``BL`` are ``(n, K, L)`` lane tensors and slopes rewritten by
    :func:`.contraction.relative_tensors` (the tensor at time offset ``TAU`` is
    ``AL + TAU * BL`` when ``slope``), ``plan`` the :func:`.contraction.relative_plan` of the
    game, ``offs`` its state offsets, ``S3`` a ``(3, R, L)`` array, ``R`` at least the number
    of profiles and of state components: planes 0 and 1 are scratch, plane 2 the payoffs. The
    entry of each population's last strategy in plane 2 is never written: the caller allocates
    it with zeros, and the relative payoff of a last strategy is 0.
    """
    n = offs.shape[0] - 1
    K = AL.shape[1]
    L = Y.shape[1]
    for p in range(n):
        a = offs[p]
        kp = offs[p + 1] - a
        if slope:  # the tensor at this time, as the reference forms it first
            for s in range(K // kp * (kp - 1)):
                for ln in range(L):
                    S3[1, s, ln] = AL[p, s, ln] + TAU[ln] * BL[p, s, ln]
        if n == 1:
            for i in range(kp - 1):
                for ln in range(L):
                    S3[2, a + i, ln] = S3[1, i, ln] if slope else AL[p, i, ln]
        else:
            # ``p < 0``: False as a run-time value (as above, a literal False would compile
            # the contractions once more)
            _levels(Y, AL, not slope, p < 0, AL, p, plan, p * (n - 1), offs, S3)

"""The compiled reduced-coordinate kernel: :func:`.sde_reduced.reduced_chunk_np`, normals inside.

For games whose populations all have two strategies, under the replicator: one share per
population, the advantage as a multilinear polynomial of the payoff differences, and the
standard normals drawn inside the kernel by the counter-based generator of :mod:`.sde_counter`
(keyed by seed, path, step and population, so the numbers depend neither on the thread count,
nor on the chunking, nor on a path's lane). :data:`LANES` paths advance side by side; every
loop over lanes is straight-line IEEE arithmetic (the logarithm, sine, cosine and exponential
are polynomials, no ``libm`` call), which LLVM vectorises, and each path takes the reference's
operations in the same order without fast-math, so the results are the reference's bit for bit.

numba keys its cache on this file only; the constants live in :mod:`.sde_counter` and
:mod:`.sde_step`, so the SHA-256 of those files is stamped in the cache directory and this
kernel's cached files are removed when it does not match (:func:`.kernel_sde._dependency_stamp`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from . import kernel_numba as _kn
from . import sde_counter as _sc
from . import sde_step
from .kernel_sde import _dependency_stamp

__all__ = ["sde2_kernel", "run_chunk", "LANES"]

#: paths advanced side by side
LANES = 256
#: measured first-time compile of this kernel on the project's 2-core machine (seconds)
COMPILE_SECONDS = 12

CACHE_DIR = _kn.CACHE_DIR
_dependency_stamp(CACHE_DIR, (_sc.__file__, sde_step.__file__), "kernel_sde2.", "sde2_deps",
                  __file__)
_OPTS = dict(cache=CACHE_DIR is not None, nogil=True, error_model="numpy")

_G = np.uint64(_sc.GAMMA)
_GP = np.uint64(_sc.GAMMA_PATH)
_M1 = np.uint64(_sc.M1)
_M2 = np.uint64(_sc.M2)
_SH30 = np.uint64(30)
_SH27 = np.uint64(27)
_SH31 = np.uint64(31)
_SH12 = np.uint64(12)
_ONE_U = np.uint64(_sc.ONE_BITS)
_ONE_I = np.int64(_sc.ONE_BITS)
_MANT = np.int64(_sc.MANT_MASK)
_USHIFT = _sc.U_SHIFT
_SQRT2 = _sc.SQRT2
_LH, _LL = _sc.LN2_HI, _sc.LN2_LO
_L1, _L2, _L3, _L4, _L5, _L6, _L7 = _sc.LG
_PIO2 = _sc.PIO2
_S1, _S2, _S3, _S4, _S5, _S6 = _sc.S_COEF
_C1, _C2, _C3, _C4, _C5, _C6 = _sc.C_COEF
_LOG2E, _LN2_HI, _LN2_LO = sde_step.LOG2E, sde_step.LN2_HI, sde_step.LN2_LO
_FLOOR = sde_step.EXP_FLOOR
(_T0, _T1, _T2, _T3, _T4, _T5, _T6, _T7, _T8, _T9, _T10, _T11, _T12, _T13) = sde_step._TAYLOR


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> _SH30)) * _M1
    z = (z ^ (z >> _SH27)) * _M2
    return z ^ (z >> _SH31)


@njit(**_OPTS)
def _pair(KP, j, ZC, ZS, B1, B2, E, MB):
    """Box-Muller normals of the words ``j``, ``j + 1`` of every lane into ``ZC`` and ``ZS``."""
    L = KP.shape[0]
    F1 = B1.view(np.float64)
    F2 = B2.view(np.float64)
    FM = MB.view(np.float64)
    c1 = j * _G
    c2 = (j + np.uint64(1)) * _G
    for ln in range(L):
        k = KP[ln]
        B1[ln] = np.int64((_mix(k + c1) >> _SH12) | _ONE_U)
        B2[ln] = np.int64((_mix(k + c2) >> _SH12) | _ONE_U)
    # u1 = d1 - U_SHIFT; its exponent and mantissa (fdlibm's log reduction)
    for ln in range(L):
        F1[ln] = F1[ln] - _USHIFT
    for ln in range(L):
        b = B1[ln]
        E[ln] = np.float64((b >> 52) - 1023)
        MB[ln] = (b & _MANT) | _ONE_I
    for ln in range(L):
        m = FM[ln]
        e = E[ln]
        big = m > _SQRT2
        m = m * 0.5 if big else m
        e = e + 1.0 if big else e
        f = m - 1.0
        s = f / (2.0 + f)
        z = s * s
        w = z * z
        t1 = w * (_L2 + w * (_L4 + w * _L6))
        t2 = z * (_L1 + w * (_L3 + w * (_L5 + w * _L7)))
        r = t2 + t1
        hfsq = 0.5 * f * f
        lg = e * _LH - ((hfsq - (s * (hfsq + r) + e * _LL)) - f)
        rad = math.sqrt(-2.0 * lg)
        u2 = F2[ln] - _USHIFT
        w4 = 4.0 * u2
        qq = math.floor(w4 + 0.5)
        a = (w4 - qq) * _PIO2
        z = a * a
        rs = _S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))
        sn = a + (z * a) * (_S1 + z * rs)
        rc = z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))
        hz = 0.5 * z
        wc = 1.0 - hz
        cs = wc + (((1.0 - wc) - hz) + z * rc)
        qi = np.int64(qq) & 3
        odd = (qi & 1) == 1
        c0 = sn if odd else cs
        s0 = cs if odd else sn
        ZC[ln] = rad * (-c0 if (qi == 1 or qi == 2) else c0)
        ZS[ln] = rad * (-s0 if qi >= 2 else s0)


@njit(**_OPTS)
def _normals(KP, step, first, n, Z, B1, B2, E, MB, SAVE):
    """Standard normals ``Z[:n, :L]`` of one step (:func:`.sde_counter.counter_normals`).

    For odd ``n`` the last population's normal is the cosine (even step) or the sine (odd
    step) of one pair per two steps: computed at even steps (and at an odd first step of a
    chunk), its sine kept in ``SAVE`` for the next step.
    """
    P = (n + 1) // 2
    for q in range(n // 2):
        _pair(KP, np.uint64(2 * (step * P + q)), Z[2 * q], Z[2 * q + 1], B1, B2, E, MB)
    if n % 2 == 1:
        odd = step % 2 == 1
        if odd and not first:
            Z[n - 1, :] = SAVE
        else:
            _pair(KP, np.uint64(2 * ((step - step % 2) * P + P - 1)), Z[n - 1], SAVE, B1, B2,
                  E, MB)
            if odd:
                Z[n - 1, :] = SAVE


@njit(**_OPTS)
def _group(lo, hi, X, status, tleft, s0, hs, tends, pidx, sigs, D, key, streams, form, scheme,
           out, rec):
    """Paths ``lo:hi`` over every step of the chunk (see :func:`.sde_reduced.reduced_chunk_np`)."""
    L = hi - lo
    n = D.shape[1]
    M = D.shape[2]
    XL = np.zeros((n, L))
    XN = np.zeros((n, L))
    DL = np.zeros((n, M, L))
    WA = np.zeros((max(M // 2, 1), L))
    WB = np.zeros((max(M // 2, 1), L))
    Z = np.zeros((n, L))
    SAVE = np.zeros(L)
    KP = np.zeros(L, dtype=np.uint64)
    B1 = np.zeros(L, dtype=np.int64)
    B2 = np.zeros(L, dtype=np.int64)
    E = np.zeros(L)
    MB = np.zeros(L, dtype=np.int64)
    SG = np.zeros(L)
    PP = np.zeros(L)
    BITS = np.zeros(L, dtype=np.int64)
    FB = BITS.view(np.float64)
    ZT = np.zeros(L)
    YY = np.zeros(L)
    ALIVE = np.zeros(L, dtype=np.bool_)
    GONE = np.zeros(L, dtype=np.bool_)
    ukey = np.uint64(key)
    for ln in range(L):
        i = lo + ln
        ALIVE[ln] = status[i] == 0
        r = pidx[i]
        SG[ln] = sigs[r]
        KP[ln] = _mix(ukey + np.uint64(i % streams + 1) * _GP)
        for p in range(n):
            XL[p, ln] = X[i, 2 * p]
            for c in range(M):
                DL[p, c, ln] = D[r, p, c]
    for s in range(hs.shape[0]):
        h = hs[s]
        sq = math.sqrt(h)
        _normals(KP, s0 + s, s == 0, n, Z, B1, B2, E, MB, SAVE)
        for ln in range(L):
            GONE[ln] = False
        for p in range(n):
            # the advantage: contract the other populations, last first, between two buffers
            # (distinct arrays, so the lane loops vectorise); the result lands in ADV
            src = DL[p]
            width = M
            flip = 0
            for q in range(n - 1, -1, -1):
                if q == p:
                    continue
                width //= 2
                dst = WA if flip == 0 else WB
                flip = 1 - flip
                for c in range(width):
                    for ln in range(L):
                        v1 = src[2 * c, ln]
                        v2 = src[2 * c + 1, ln]
                        dst[c, ln] = v2 + XL[q, ln] * (v1 - v2)
                src = dst
            # the drift step y = x + h x (1 - x) advantage, then the noise step (one pass)
            if form == 1:
                for ln in range(L):
                    xp = XL[p, ln]
                    y = min(max(xp + h * (xp * (1.0 - xp) * src[0, ln]), 0.0), 1.0)
                    sg = SG[ln]
                    dW = sq * Z[p, ln]
                    nz = sg * xp * dW
                    if scheme == 1:
                        nz = nz + 0.5 * sg * sg * xp * (dW * dW - h)
                    y1 = y + nz
                    y2 = (1.0 - y) - nz
                    if y1 < 0.0:
                        XN[p, ln] = 0.0
                        GONE[ln] = True
                    elif y2 < 0.0:
                        XN[p, ln] = 1.0
                        GONE[ln] = True
                    else:
                        XN[p, ln] = min(y1, 1.0)
            else:
                for ln in range(L):
                    xp = XL[p, ln]
                    y = min(max(xp + h * (xp * (1.0 - xp) * src[0, ln]), 0.0), 1.0)
                    YY[ln] = y
                    sg = SG[ln]
                    zeta = sg * (sq * Z[p, ln]) + sg * sg * (y - 0.5) * h
                    ZT[ln] = zeta
                    x = max(-abs(zeta), _FLOOR)
                    kk = math.floor(x * _LOG2E + 0.5)
                    r = (x - kk * _LN2_HI) - kk * _LN2_LO
                    pp = _T13 * r + _T12
                    pp = pp * r + _T11
                    pp = pp * r + _T10
                    pp = pp * r + _T9
                    pp = pp * r + _T8
                    pp = pp * r + _T7
                    pp = pp * r + _T6
                    pp = pp * r + _T5
                    pp = pp * r + _T4
                    pp = pp * r + _T3
                    pp = pp * r + _T2
                    pp = pp * r + _T1
                    pp = pp * r + _T0
                    PP[ln] = pp
                    BITS[ln] = (np.int64(kk) + 1023) << 52
                for ln in range(L):
                    e = PP[ln] * FB[ln]
                    y = YY[ln]
                    ym = 1.0 - y
                    pos = ZT[ln] > 0.0
                    num = y if pos else y * e
                    den = (y + ym * e) if pos else (y * e + ym)
                    XN[p, ln] = num / den if SG[ln] > 0.0 else y
        t_new = tends[s]
        for p in range(n):
            for ln in range(L):
                XL[p, ln] = XN[p, ln]
        if form == 1:
            for ln in range(L):
                if ALIVE[ln] and GONE[ln]:
                    i = lo + ln
                    for p in range(n):
                        X[i, 2 * p] = XL[p, ln]
                        X[i, 2 * p + 1] = 1.0 - XL[p, ln]
                    status[i] = 1
                    tleft[i] = t_new
                    ALIVE[ln] = False
        col = rec[s]
        if col >= 0:
            for ln in range(L):
                if ALIVE[ln]:
                    for p in range(n):
                        out[lo + ln, col, 2 * p] = XL[p, ln]
                        out[lo + ln, col, 2 * p + 1] = 1.0 - XL[p, ln]
    for ln in range(L):
        if ALIVE[ln]:
            for p in range(n):
                X[lo + ln, 2 * p] = XL[p, ln]
                X[lo + ln, 2 * p + 1] = 1.0 - XL[p, ln]


@njit(parallel=True, **_OPTS)
def sde2_kernel(X, status, tleft, s0, hs, tends, pidx, sigs, D, key, streams, form, scheme, out,
                rec, lanes):
    """Every path over one chunk of steps, ``lanes`` paths per task (tasks run in parallel)."""
    m = X.shape[0]
    groups = (m + lanes - 1) // lanes
    for g in prange(groups):
        _group(g * lanes, min(m, (g + 1) * lanes), X, status, tleft, s0, hs, tends, pidx, sigs,
               D, key, streams, form, scheme, out, rec)


def _cached() -> bool:
    if CACHE_DIR is None:
        return False
    return any(CACHE_DIR.path.rglob("*sde2_kernel*.nbi"))


def run_chunk(X, status, tleft, s0, hs, tends, pidx, sigs, D, key, streams, form, scheme, out,
              rec) -> None:
    """Call :func:`sde2_kernel` with the arguments of :func:`.sde_reduced.reduced_chunk_np`.

    ``key`` is the seed's key (:func:`.sde_counter.seed_key`) and ``streams`` the number of
    distinct random paths (path ``i`` uses the numbers of path ``i % streams``). The first call
    in a process loads the kernel from the verified cache or compiles it (announced through
    :data:`.backends.on_compile`), then records the cache's manifest.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.5, 0.5]]); st = np.zeros(1, np.int64); tl = np.full(1, np.nan)
    >>> run_chunk(X, st, tl, 0, np.array([0.1]), np.array([0.1]), np.zeros(1, np.int64),
    ...           np.zeros(1), np.ones((1, 1, 1)), 1, 1, 0, 0, np.zeros((1, 0, 2)),
    ...           np.array([-1]))
    >>> X.round(12).tolist()
    [[0.525, 0.475]]
    """
    from . import backends, cache

    first = not sde2_kernel.signatures
    if first and backends.on_compile is not None and not _cached():
        backends.on_compile(COMPILE_SECONDS)
    sde2_kernel(X, status, tleft, int(s0), np.ascontiguousarray(hs, float),
                np.ascontiguousarray(tends, float), np.ascontiguousarray(pidx, np.int64),
                np.ascontiguousarray(sigs, float), np.ascontiguousarray(D, float),
                np.uint64(key), int(streams), int(form), int(scheme), out,
                np.ascontiguousarray(rec, np.int64), LANES)
    if first and CACHE_DIR is not None:
        cache.record(CACHE_DIR)

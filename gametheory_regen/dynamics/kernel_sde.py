"""The compiled stochastic kernel: :func:`.sde_step.sde_chunk_np`, many paths abreast.

Importing this module imports :mod:`.kernel_numba` (which chooses and verifies the cache
directory, :mod:`.cache`) and reuses :func:`.kernel_step._rhs`: expected payoffs, then the
velocity of any
dynamics, for :data:`LANES` paths side by side. Each path takes exactly the steps of the numpy
reference, with the same operations in the same order and no fast-math, so its numbers depend
neither on its lane nor on the number of threads (for two-strategy populations they are the
reference's bit for bit; see :func:`.sde_step.exp_nonpos`).

numba keys its cache on this file only; a changed ``_rhs`` in :mod:`.kernel_step`, or a changed
constant of :mod:`.sde_step`, would not invalidate the compiled code here. So the SHA-256 of
``kernel_step.py`` and ``sde_step.py`` is stamped in the cache directory, and this kernel's
cached files are removed when the stamp does not match.
"""

from __future__ import annotations

import hashlib
import math
import os

import numpy as np
from numba import njit, prange

from . import kernel_numba as _kn
from . import kernel_step as _ks
from . import sde_step
from .kernel_step import _rhs

__all__ = ["sde_kernel", "run_chunk", "LANES"]

#: paths advanced side by side (the ODE kernel runs up to :data:`.backends.LANES`, 320)
LANES = 64
#: measured first-time compile of this kernel on the project's 2-core machine (seconds)
COMPILE_SECONDS = 30
_STAMP = "sde_deps"


def _dependency_stamp(cache_dir, deps=None, prefix="kernel_sde.", name=_STAMP,
                      owner=None) -> None:
    """Drop a kernel's cached code (files ``prefix*``) when a file it depends on changed.

    ``deps`` defaults to ``kernel_step.py`` and ``sde_step.py`` (this kernel's), ``owner`` to
    this file; :mod:`.kernel_sde2` stamps its own dependencies the same way.
    """
    if cache_dir is None:
        return
    deps = (_ks.__file__, sde_step.__file__) if deps is None else deps
    owner = __file__ if owner is None else owner
    try:
        h = hashlib.sha256()
        for path in deps:
            with open(path, "rb") as fh:
                h.update(fh.read())
        digest = h.hexdigest()
        # one stamp per installed copy (numba keeps each source directory's files apart)
        where = hashlib.sha256(os.path.abspath(owner).encode()).hexdigest()[:12]
        stamp = cache_dir.path / f"{name}-{where}"
        old = stamp.read_text(encoding="ascii").strip() if stamp.exists() else ""
        if old != digest:
            for root, _dirs, files in os.walk(cache_dir.path):
                for fname in files:
                    if fname.startswith(prefix):
                        os.unlink(os.path.join(root, fname))
            stamp.write_text(digest, encoding="ascii")
            from . import cache

            cache.record(cache_dir)  # vouch for the stamp, or the next verify() removes it
    except OSError:
        pass


CACHE_DIR = _kn.CACHE_DIR
_dependency_stamp(CACHE_DIR)
_OPTS = dict(cache=CACHE_DIR is not None, nogil=True, error_model="numpy")
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_LOG2E, _LN2_HI, _LN2_LO = sde_step.LOG2E, sde_step.LN2_HI, sde_step.LN2_LO
_FLOOR = sde_step.EXP_FLOOR
(_T0, _T1, _T2, _T3, _T4, _T5, _T6, _T7, _T8, _T9, _T10, _T11, _T12, _T13) = sde_step._TAYLOR


@njit(**_OPTS)
def _group(lo, hi, X, status, tleft, Z, hs, tends, pidx, sigs, A, gather, offs, code, param, form,
           scheme, out, rec):
    """Paths ``lo:hi`` over every step of the chunk (see :func:`.sde_step.sde_chunk_np`)."""
    L = hi - lo
    N = X.shape[1]
    n = offs.shape[0] - 1
    K = gather.shape[0]
    Y = np.zeros((N, L))
    YD = np.zeros((N, L))
    XN = np.zeros((N, L))
    YS = np.zeros((N, L))
    LS = np.zeros((N, L))
    U = np.zeros((N, L))
    P = np.zeros((n + 1, L))
    W = np.zeros((4, L))
    Kd = np.zeros((1, N, L))
    AL = np.zeros((n, K, L))
    TAU = np.zeros(L)
    SG = np.zeros(L)
    YA = np.zeros(L)
    YB = np.zeros(L)
    ZT = np.zeros(L)
    PP = np.zeros(L)
    BITS = np.zeros(L, dtype=np.int64)
    FB = BITS.view(np.float64)
    ALIVE = np.zeros(L, dtype=np.bool_)
    GONE = np.zeros(L, dtype=np.bool_)
    for ln in range(L):
        i = lo + ln
        ALIVE[ln] = status[i] == 0
        r = pidx[i]
        SG[ln] = sigs[r]
        for c in range(N):
            Y[c, ln] = X[i, c]
        for q in range(n):
            for s in range(K):
                AL[q, s, ln] = A[r, q, s]
    for s in range(hs.shape[0]):
        h = hs[s]
        sq = math.sqrt(h)
        _rhs(Y, AL, AL, TAU, False, gather, offs, code, param, U, P, Kd, 0, W)
        for c in range(N):
            for ln in range(L):
                YD[c, ln] = Y[c, ln] + h * Kd[0, c, ln]
        for ln in range(L):
            GONE[ln] = False
        j = 0
        for p in range(n):
            a = offs[p]
            b = offs[p + 1]
            k = b - a
            if form == 1:
                for ln in range(L):
                    dW = sq * Z[s, j, lo + ln]
                    nz = SG[ln] * Y[a, ln] * dW
                    if scheme == 1:
                        nz = nz + 0.5 * SG[ln] * SG[ln] * Y[a, ln] * (dW * dW - h)
                    y1 = YD[a, ln] + nz
                    y2 = YD[a + 1, ln] - nz
                    if y1 < 0.0:
                        XN[a, ln] = 0.0
                        XN[a + 1, ln] = 1.0
                        GONE[ln] = True
                    elif y2 < 0.0:
                        XN[a, ln] = 1.0
                        XN[a + 1, ln] = 0.0
                        GONE[ln] = True
                    else:
                        tot = y1 + y2
                        XN[a, ln] = y1 / tot
                        XN[a + 1, ln] = y2 / tot
                j += 1
            elif k == 2:
                # e = exp(-|zeta|) as sde_step.exp_nonpos computes it (vectorised, no libm call)
                for ln in range(L):
                    ya = max(YD[a, ln], 0.0)
                    yb = max(YD[a + 1, ln], 0.0)
                    YA[ln] = ya
                    YB[ln] = yb
                    sg = SG[ln]
                    zeta = sg * (sq * Z[s, j, lo + ln]) + sg * sg * (ya - 0.5) * h
                    ZT[ln] = zeta
                    x = max(-abs(zeta), _FLOOR)
                    kk = math.floor(x * _LOG2E + 0.5)
                    r = (x - kk * _LN2_HI) - kk * _LN2_LO
                    p = _T13 * r + _T12
                    p = p * r + _T11
                    p = p * r + _T10
                    p = p * r + _T9
                    p = p * r + _T8
                    p = p * r + _T7
                    p = p * r + _T6
                    p = p * r + _T5
                    p = p * r + _T4
                    p = p * r + _T3
                    p = p * r + _T2
                    p = p * r + _T1
                    p = p * r + _T0
                    PP[ln] = p
                    BITS[ln] = (np.int64(kk) + 1023) << 52
                for ln in range(L):
                    e = PP[ln] * FB[ln]
                    ya = YA[ln]
                    yb = YB[ln]
                    noisy = SG[ln] > 0.0 and ya > 0.0 and yb > 0.0
                    pos = ZT[ln] > 0.0
                    va = ya * e if (noisy and not pos) else ya
                    vb = yb * e if (noisy and pos) else yb
                    tot = va + vb
                    XN[a, ln] = va / tot
                    XN[a + 1, ln] = vb / tot
                j += 1
            else:
                for ln in range(L):
                    sg = SG[ln]
                    c1 = sg * _INV_SQRT2
                    c2 = 0.5 * sg * sg
                    top = -math.inf
                    for i in range(k):
                        y = max(YD[a + i, ln], 0.0)
                        YS[a + i, ln] = y
                        lg = math.log(y) if y > 0.0 else -math.inf
                        LS[a + i, ln] = lg + (c1 * (sq * Z[s, j + i, lo + ln]) + c2 * y * h)
                        top = LS[a + i, ln] if i == 0 else max(top, LS[a + i, ln])
                    for i in range(k):
                        if sg > 0.0:
                            XN[a + i, ln] = (math.exp(LS[a + i, ln] - top)
                                             if YS[a + i, ln] > 0.0 else 0.0)
                        else:
                            XN[a + i, ln] = YS[a + i, ln]
                    tot = XN[a, ln]
                    for i in range(1, k):
                        tot = tot + XN[a + i, ln]
                    for i in range(k):
                        XN[a + i, ln] = XN[a + i, ln] / tot
                j += k
        t_new = tends[s]
        for c in range(N):
            for ln in range(L):
                Y[c, ln] = XN[c, ln]
        if form == 1:
            for ln in range(L):
                if ALIVE[ln] and GONE[ln]:
                    i = lo + ln
                    for c in range(N):
                        X[i, c] = Y[c, ln]
                    status[i] = 1
                    tleft[i] = t_new
                    ALIVE[ln] = False
        col = rec[s]
        if col >= 0:
            for ln in range(L):
                if ALIVE[ln]:
                    for c in range(N):
                        out[lo + ln, col, c] = Y[c, ln]
    for ln in range(L):
        if ALIVE[ln]:
            for c in range(N):
                X[lo + ln, c] = Y[c, ln]


@njit(parallel=True, **_OPTS)
def sde_kernel(X, status, tleft, Z, hs, tends, pidx, sigs, A, gather, offs, code, param, form,
               scheme, out, rec, lanes):
    """Every path over one chunk of steps, ``lanes`` paths per task (tasks run in parallel)."""
    m = X.shape[0]
    groups = (m + lanes - 1) // lanes
    for g in prange(groups):
        _group(g * lanes, min(m, (g + 1) * lanes), X, status, tleft, Z, hs, tends, pidx, sigs, A,
               gather, offs, code, param, form, scheme, out, rec)


def _cached() -> bool:
    if CACHE_DIR is None:
        return False
    return any(CACHE_DIR.path.rglob("*sde_kernel*.nbi"))


def run_chunk(X, status, tleft, Z, hs, tends, pidx, sigs, A, counts, code, param, form, scheme,
              out, rec) -> None:
    """Call :func:`sde_kernel` with the arguments of :func:`.sde_step.sde_chunk_np`.

    The first call in a process loads the kernel from the verified cache or compiles it
    (announced through :data:`.backends.on_compile`), then records the cache's manifest.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.zeros((1, 1, 2)); A[0, 0, 0] = 1.0
    >>> X = np.array([[0.5, 0.5]]); st = np.zeros(1, np.int64); tl = np.full(1, np.nan)
    >>> run_chunk(X, st, tl, np.zeros((1, 1, 1)), np.array([0.1]), np.array([0.1]),
    ...           np.zeros(1, np.int64), np.zeros(1), A, (2,), 0, 0.0, 0, 0, np.zeros((1, 0, 2)),
    ...           np.array([-1]))
    >>> X.round(12).tolist()
    [[0.525, 0.475]]
    """
    from . import backends, cache
    from .kernels import layout_of

    lay = layout_of(counts)
    gather = np.ascontiguousarray(lay.gather, dtype=np.int64)
    offs = np.ascontiguousarray(lay.offsets, dtype=np.int64)
    first = not sde_kernel.signatures
    if first and backends.on_compile is not None and not _cached():
        backends.on_compile(COMPILE_SECONDS)
    sde_kernel(X, status, tleft, np.ascontiguousarray(Z), np.ascontiguousarray(hs, float),
               np.ascontiguousarray(tends, float), np.ascontiguousarray(pidx, np.int64),
               np.ascontiguousarray(sigs, float), np.ascontiguousarray(A, float), gather, offs,
               int(code), float(param), int(form), int(scheme), out,
               np.ascontiguousarray(rec, np.int64), LANES)
    if first and CACHE_DIR is not None:
        cache.record(CACHE_DIR)

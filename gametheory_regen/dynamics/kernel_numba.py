"""The compiled kernel: the reference integrator of :mod:`.stepper`, one trajectory at a time.

Importing this module imports numba; :mod:`gametheory_regen.dynamics.backends` imports it only
when a batch is integrated on the numba backend, after :mod:`.cache` has chosen (and verified)
the directory numba caches compiled code in. There is one kernel for every game shape, every
method and every dynamics: the game (payoff tensors and profile layout), the method (the
Butcher tableau of :mod:`.methods`) and the dynamics (its code and parameter, :mod:`.field`)
are data, so a new game shape never compiles anything and a first use compiles once per
machine.

Each trajectory is integrated exactly as :func:`.stepper.numpy_piece` integrates it: the same
stages, sums in the same order, the same step-size control, projection, early stops and dense
output. Trajectories are independent and are distributed over threads in blocks of a fixed
size, so results do not depend on the number of threads.
"""

from __future__ import annotations

import math
import os

import numpy as np
from numba import njit, prange

__all__ = ["piece_kernel", "F_SIZE", "I_SIZE"]

_CACHE = os.environ.get("GAMETHEORY_REGEN_NUMBA_CACHE", "1") == "1"

# status codes (as in kernels.py)
_RUNNING, _SETTLED, _MAX_STEPS, _VERTEX = 0, 1, 2, 3


# indices of the float settings array ``fs``
F_T0, F_T1, F_DT, F_RTOL, F_ATOL, F_PARAM, F_SETTLE, F_VTOL, F_NEAR, F_SUMTOL, F_EXPO = range(11)
F_SIZE = 11
# indices of the integer settings array ``js``
I_CODE, I_MAXSTEPS, I_ADAPTIVE, I_FSAL, I_ERRORDER, I_SLOPE, I_BOX, I_RATES = range(8)
I_SIZE = 8


@njit(cache=_CACHE, nogil=True)
def _velocity(y, u, offs, code, param, f):
    for p in range(offs.shape[0] - 1):
        a = offs[p]
        b = offs[p + 1]
        k = b - a
        ubar = 0.0
        if code == 0 or code == 1 or code == 3:
            ubar = y[a] * u[a]
            for i in range(a + 1, b):
                ubar = ubar + y[i] * u[i]
        if code == 0:
            for i in range(a, b):
                f[i] = y[i] * (u[i] - ubar)
        elif code == 1:
            for i in range(a, b):
                f[i] = y[i] * (u[i] - ubar) + param * (1.0 / k - y[i])
        elif code == 2:
            top = u[a]
            for i in range(a + 1, b):
                top = max(top, u[i])
            tot = 0.0
            for i in range(a, b):
                f[i] = math.exp((u[i] - top) / param)
                tot = f[i] if i == a else tot + f[i]
            for i in range(a, b):
                f[i] = f[i] / tot - y[i]
        elif code == 3:
            tot = 0.0
            for i in range(a, b):
                f[i] = max(u[i] - ubar, 0.0)
                tot = f[i] if i == a else tot + f[i]
            for i in range(a, b):
                f[i] = f[i] - y[i] * tot
        elif code == 4:
            for i in range(a, b):
                inflow = 0.0
                outflow = 0.0
                for j in range(a, b):
                    inflow = inflow + y[j] * max(u[i] - u[j], 0.0)
                    outflow = outflow + max(u[j] - u[i], 0.0)
                f[i] = inflow - y[i] * outflow
        else:
            for i in range(a, b):
                acc = 0.0
                for j in range(a, b):
                    acc = acc + y[j] * math.tanh(param * (u[i] - u[j]) * 0.5)
                f[i] = y[i] * acc


@njit(cache=_CACHE, nogil=True)
def _rhs(y, A, B, r, tau, slope, gather, offs, code, param, u, pre, f):
    n = offs.shape[0] - 1
    K = gather.shape[0]
    for i in range(y.shape[0]):
        u[i] = 0.0
    for s in range(K):
        acc = 1.0
        for q in range(n):
            pre[q] = acc
            acc = acc * y[gather[s, q]]
        acc = 1.0
        for q in range(n - 1, -1, -1):
            c = gather[s, q]
            pay = A[r, q, s]
            if slope:
                pay = pay + tau * B[r, q, s]
            u[c] += pay * (pre[q] * acc)
            acc = acc * y[c]
    _velocity(y, u, offs, code, param, f)


@njit(cache=_CACHE, nogil=True)
def _rms_scaled(v, scale, n):
    acc = 0.0
    for j in range(n):
        z = v[j] / scale[j]
        acc = z * z if j == 0 else acc + z * z
    return math.sqrt(acc / n)


@njit(cache=_CACHE, nogil=True)
def _project(y, offs):
    for i in range(y.shape[0]):
        y[i] = max(y[i], 0.0)
    for p in range(offs.shape[0] - 1):
        a = offs[p]
        tot = y[a]
        for i in range(a + 1, offs[p + 1]):
            tot = tot + y[i]
        for i in range(a, offs[p + 1]):
            y[i] = y[i] / tot


@njit(cache=_CACHE, nogil=True)
def _moved(y, offs, tol):
    for i in range(y.shape[0]):
        if y[i] < 0.0:
            return True
    for p in range(offs.shape[0] - 1):
        a = offs[p]
        tot = y[a]
        for i in range(a + 1, offs[p + 1]):
            tot = tot + y[i]
        if abs(tot - 1.0) > tol:
            return True
    return False


@njit(cache=_CACHE, nogil=True)
def _hermite(out, i, t_out, jout, t0, t1, y0, f0, y1, f1, offs, val):
    h = t1 - t0
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        if t_out[jout] > t0:
            s = (t_out[jout] - t0) / (h if h > 0 else 1.0)
            s2 = s * s
            s3 = s2 * s
            h00 = 2 * s3 - 3 * s2 + 1
            h10 = s3 - 2 * s2 + s
            h01 = -2 * s3 + 3 * s2
            h11 = s3 - s2
            for c in range(y0.shape[0]):
                val[c] = (h00 * y0[c] + (h10 * h) * f0[c] + h01 * y1[c] + (h11 * h) * f1[c])
            _project(val, offs)
            for c in range(y0.shape[0]):
                out[i, jout, c] = val[c]
        jout += 1
    return jout


@njit(cache=_CACHE, nogil=True)
def _fill_rest(out, i, t_out, jout, y):
    while jout < t_out.shape[0]:
        for c in range(y.shape[0]):
            out[i, jout, c] = y[c]
        jout += 1
    return jout


@njit(cache=_CACHE, nogil=True)
def _one(i, state, game, tableau, fs, js, output, stops, scratch):
    X, T, H, status, steps, rejected, vel, vtx = state
    pidx, A, B, gather, offs, counts = game
    tc, ta, tb, te = tableau
    t_out, out = output
    radii, lam, spread = stops
    k, y, ys, ynew, fnew, u, pre, sc, val = scratch
    N = X.shape[1]
    n = offs.shape[0] - 1
    S = tb.shape[0]
    t0p = fs[F_T0]
    t1p = fs[F_T1]
    rtol = fs[F_RTOL]
    atol = fs[F_ATOL]
    param = fs[F_PARAM]
    settle_tol = fs[F_SETTLE]
    vertex_tol = fs[F_VTOL]
    code = js[I_CODE]
    adaptive = js[I_ADAPTIVE] == 1
    fsal = js[I_FSAL] == 1
    slope = js[I_SLOPE] == 1
    r = pidx[i]
    for c in range(N):
        y[c] = X[i, c]
    t = t0p
    T[i] = t0p
    _rhs(y, A, B, r, 0.0, slope, gather, offs, code, param, u, pre, k[0])
    v = 0.0
    for c in range(N):
        v = max(v, abs(k[0, c]))
    vel[i] = v
    vprev = v
    jout = 0
    while jout < t_out.shape[0] and t_out[jout] <= t0p:
        jout += 1
    h = 0.0
    span = t1p - t0p
    if adaptive:
        h = H[i]
        if not h > 0:
            for c in range(N):
                sc[c] = atol + abs(y[c]) * rtol
            d0 = _rms_scaled(y, sc, N)
            d1 = _rms_scaled(k[0], sc, N)
            if d0 < 1e-5 or d1 < 1e-5:
                h0 = 1e-6
            else:
                h0 = 0.01 * d0 / (d1 if d1 > 0 else 1.0)
            h0 = min(h0, span)
            for c in range(N):
                ys[c] = y[c] + h0 * k[0, c]
            _rhs(ys, A, B, r, h0, slope, gather, offs, code, param, u, pre, fnew)
            for c in range(N):
                val[c] = fnew[c] - k[0, c]
            d2 = _rms_scaled(val, sc, N) / h0
            dmax = max(d1, d2)
            if dmax <= 1e-15:
                h1 = max(1e-6, h0 * 1e-3)
            else:
                h1 = (0.01 / (dmax if dmax > 0 else 1.0)) ** (1.0 / (js[I_ERRORDER] + 1))
            h = min(min(100 * h0, h1), span)
    nst = 0
    while True:
        if adaptive:
            hh = min(h, t1p - t)
        else:
            hh = min(fs[F_DT], t1p - t)
        last = t + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
        if last:
            hh = t1p - t
        tau = t - t0p
        have_new = False
        for s in range(1, S):
            for c in range(N):
                acc = 0.0
                first = True
                for j in range(s):
                    aj = ta[s, j]
                    if aj != 0.0:
                        if first:
                            acc = aj * k[j, c]
                            first = False
                        else:
                            acc = acc + aj * k[j, c]
                ys[c] = y[c] + hh * acc
            if fsal and s == S - 1:
                for c in range(N):
                    ynew[c] = ys[c]
                have_new = True
            _rhs(ys, A, B, r, tau + tc[s] * hh, slope, gather, offs, code, param, u, pre, k[s])
        if not have_new:
            for c in range(N):
                acc = 0.0
                first = True
                for j in range(S):
                    if tb[j] != 0.0:
                        if first:
                            acc = tb[j] * k[j, c]
                            first = False
                        else:
                            acc = acc + tb[j] * k[j, c]
                ynew[c] = y[c] + hh * acc
        accept = True
        if adaptive:
            for c in range(N):
                acc = 0.0
                first = True
                for j in range(S):
                    if te[j] != 0.0:
                        if first:
                            acc = te[j] * k[j, c]
                            first = False
                        else:
                            acc = acc + te[j] * k[j, c]
                val[c] = hh * acc
                sc[c] = atol + rtol * max(abs(y[c]), abs(ynew[c]))
            err = _rms_scaled(val, sc, N)
            accept = err <= 1.0
            if err == 0.0:
                fac = 10.0
            else:
                fac = min(max(0.9 * err ** fs[F_EXPO], 0.2), 10.0)
            if not accept:
                fac = min(fac, 1.0)
            h = hh * fac
        tnew = t1p if last else t + hh
        if fsal:
            moved = _moved(ynew, offs, fs[F_SUMTOL])
            _project(ynew, offs)
            if moved:
                _rhs(ynew, A, B, r, tnew - t0p, slope, gather, offs, code, param, u, pre, fnew)
            else:
                for c in range(N):
                    fnew[c] = k[S - 1, c]
        else:
            _project(ynew, offs)
            _rhs(ynew, A, B, r, tnew - t0p, slope, gather, offs, code, param, u, pre, fnew)
        nst += 1
        if accept:
            if out.shape[1] > 0:
                jout = _hermite(out, i, t_out, jout, t, tnew, y, k[0], ynew, fnew, offs, val)
            for c in range(N):
                y[c] = ynew[c]
                k[0, c] = fnew[c]
            t = tnew
            steps[i] += 1
        else:
            rejected[i] += 1
        v = 0.0
        for c in range(N):
            v = max(v, abs(k[0, c]))
        calm = v < settle_tol and v <= vprev
        if accept:
            vprev = v
        finished = False
        if settle_tol > 0:
            flat = 0
            dist = 0.0
            for q in range(n):
                a0 = offs[q]
                best = a0
                for c in range(a0 + 1, offs[q + 1]):
                    if y[c] > y[best]:
                        best = c
                dist = max(dist, 1.0 - y[best])
                flat = flat * counts[q] + (best - a0)
            rr = radii[r, flat] if js[I_BOX] == 1 else 0.0
            vb = flat if (rr > 0 and dist <= rr) else -1
            if dist < fs[F_NEAR]:
                calm = False
            inbox = accept and vb >= 0
            if inbox:
                calm = False
            if inbox and js[I_RATES] == 1 and vertex_tol < math.inf:
                pw = 1.0
                for _ in range(n - 1):
                    pw = pw * (1.0 - dist)
                g = 1.0 - pw
                kk = math.inf
                for j in range(lam.shape[2]):
                    kk = min(kk, lam[r, vb, j] - spread[r, vb, j] * g)
                kap = (1.0 - dist) * max(kk, 0.0)
                inbox = dist * math.exp(-kap * (t1p - t)) <= vertex_tol
            if inbox:
                status[i] = _VERTEX
                vtx[i] = vb
                rem = vb
                for c in range(N):
                    y[c] = 0.0
                    k[0, c] = 0.0
                for q in range(n - 1, -1, -1):
                    y[offs[q] + rem % counts[q]] = 1.0
                    rem = rem // counts[q]
                v = 0.0
                if out.shape[1] > 0:
                    jout = _fill_rest(out, i, t_out, jout, y)
                finished = True
            reached = accept and last and not finished
            if accept and not last and calm and not finished:
                status[i] = _SETTLED
                if out.shape[1] > 0:
                    jout = _fill_rest(out, i, t_out, jout, y)
                finished = True
            if reached and calm:
                status[i] = _SETTLED
            if reached:
                finished = True
        elif accept and last:
            finished = True
        if not finished and nst >= js[I_MAXSTEPS]:
            status[i] = _MAX_STEPS
            finished = True
        if finished:
            for c in range(N):
                X[i, c] = y[c]
            T[i] = t
            vel[i] = v
            if adaptive:
                H[i] = h
            return


@njit(cache=_CACHE, nogil=True, parallel=True)
def piece_kernel(state, game, tableau, fs, js, output, stops, block):
    """Integrate every running row over one piece (see :func:`.stepper.numpy_piece`).

    ``state = (X, T, H, status, steps, rejected, vel, vtx)`` is updated in place;
    ``game = (pidx, A, B, gather, offs, counts)``, ``tableau = (c, a, b, e)``, ``fs`` and
    ``js`` the float and integer settings (indices ``F_*``, ``I_*``), ``output = (t_out,
    out)``, ``stops = (radii, lam, spread)``; ``block`` trajectories share one scratch space.
    """
    X = state[0]
    status = state[3]
    offs = game[4]
    m = X.shape[0]
    N = X.shape[1]
    S = tableau[2].shape[0]
    nblocks = (m + block - 1) // block
    for bi in prange(nblocks):
        k = np.empty((S, N))
        y = np.empty(N)
        ys = np.empty(N)
        ynew = np.empty(N)
        fnew = np.empty(N)
        u = np.empty(N)
        pre = np.empty(offs.shape[0])
        sc = np.empty(N)
        val = np.empty(N)
        for i in range(bi * block, min(m, (bi + 1) * block)):
            if status[i] != _RUNNING:
                continue
            _one(i, state, game, tableau, fs, js, output, stops,
                 (k, y, ys, ynew, fnew, u, pre, sc, val))

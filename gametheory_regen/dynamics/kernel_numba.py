"""The compiled kernel: the reference integrator of :mod:`.stepper`, many trajectories abreast.

Importing this module imports numba; :mod:`gametheory_regen.dynamics.backends` imports it only
when a batch is integrated on the numba backend, after :mod:`.cache` has chosen (and verified)
the directory numba caches compiled code in. There is one kernel for every game shape, every
method and every dynamics: the game (payoff tensors and profile layout), the method (the
Butcher tableau of :mod:`.methods`) and the dynamics (its code and parameter, :mod:`.field`)
are data, so a new game shape never compiles anything and a first use compiles once per
machine.

Each trajectory is integrated exactly as :func:`.stepper.numpy_piece` integrates it: the same
stages, sums in the same order, the same step-size control, projection, early stops and dense
output. For speed, up to :data:`LANES` (320, :func:`.backends._lanes`) trajectories advance side
by side, each with its own step size and time, their numbers stored lane-innermost so that
every elementwise operation runs as one vector instruction. Lanes never mix: every operation on
a lane is the same operation, in the same order, as on a lone trajectory, and nothing is
contracted into fused multiply-adds (no fast-math), so a trajectory's numbers do not depend on
its lane, its block, when its lane was refilled, whether its field was evaluated with every lane
or apart, or the number of threads.

Where the time goes, and what is done about it:

* **The vector field.** Payoffs relative to each population's last strategy (all a dynamics
  needs) are formed by contracting each population's rewritten tensor against the other
  populations' shares but their last, one population at a time (:mod:`.kernel_contract`, in
  the order of the reference :mod:`.contraction`): about ``n K (k - 1) / k`` multiply-adds
  for ``K`` profiles of ``k``-strategy populations (a quarter of the full contraction's for
  two strategies), where the sum over profiles (:func:`.kernel_step._rhs`, kept for the noise
  kernel and callers that want :func:`.field.expected_payoffs_np`'s order) takes ``3 n + 2``
  passes per profile; consecutive contractions of small axes share one pass. When every
  trajectory of the batch has the same constant payoffs they are read as numbers, not copied
  into every lane.
* **Stage sums.** A stage's sum of up to five earlier stages is one pass per component
  (:func:`.kernel_step._stage`).
* **Bookkeeping.** Acceptance, the new state, step-size factors, projection, speeds and the
  stop tests run over all lanes at once: a choice between a lane's old and new numbers is a
  blend of their bits with a mask (a choice between two loads would be compiled lane by lane),
  flags are integers, and only the lanes that can end on this attempt take the scalar stop
  tests. Step and rejection counts are kept per lane and written when the lane ends.
* **No reference counting.** The pieces of an attempt (:mod:`.kernel_step`) and the
  contractions allocate nothing and are compiled without it (``_nrt=False``): their array
  arguments are borrowed from :func:`_block`, and a counted reference costs atomic operations
  on every call.
* **Few lanes, evaluated apart.** Where only some lanes need the field (those just loaded:
  their first derivative and Hairer's starting step; those the projection moved, whose last
  stage is not their new derivative), those lanes are copied into eight-lane arrays and
  evaluated there (:func:`.kernel_step._gathered_field`), not with every lane: a refill or a
  moved lane used to cost one or two full-width evaluations, a quarter more evaluations than
  the stages themselves on a 3x4 game. A lane whose trajectory has finished takes the next one
  of its block once :data:`REFILL` lanes are free.
* **Blocks.** Lanes that have run out of trajectories idle until their block ends; the driver
  (:mod:`.backends`) makes blocks as large as the thread balance allows.
* **Integer divisions.** The fused contractions find their source entries by fixed steps
  (:func:`.kernel_contract._src_index`): the divisions they used cost about a fifth of a
  96-lane evaluation.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["piece_kernel", "F_SIZE", "I_SIZE", "LANES"]

from .backends import LANES, prepare_cache

#: the verified cache directory numba writes to (None: not cached), chosen before any
#: dispatcher below is made
CACHE_DIR = prepare_cache()
_CACHE = CACHE_DIR is not None

from .kernel_step import (  # noqa: E402 - after the cache
    _error_sum,
    _field,
    _gathered_field,
    _hermite,
    _nearest_vertex,
    _project,
    _quantise,
    _stage,
    _step_factors,
)

# LANES (:data:`.backends.LANES`, 320, fewer for large games and small batches): trajectories
# advanced side by side, a run-time count (the compiler vectorises lane loops whose trip count
# it cannot unroll)
#: lanes evaluated apart (gathered into arrays this wide) where only some lanes need the
#: field: those just loaded, and those the projection moved (one vector of eight lanes; a
#: narrower array costs nearly as much, see :func:`.kernel_step._gathered_field`)
GATHER = 8
#: up to this many lanes the projection moved are evaluated apart (in chunks of GATHER; a
#: run-time setting, ``js[I_GATHER]``); more: every lane at once
GATHER_MAX = 2 * GATHER
#: free lanes are refilled once this many are free (2 to 16 measured alike with 320 lanes on
#: this machine on 2026-12-07; loading evaluates only the loaded lanes)
REFILL = 4

# status codes (as in kernels.py)
_RUNNING, _SETTLED, _MAX_STEPS, _VERTEX = 0, 1, 2, 3

# indices of the float settings array ``fs``
F_T0, F_T1, F_DT, F_RTOL, F_ATOL, F_PARAM, F_SETTLE, F_VTOL, F_NEAR, F_SUMTOL, F_EXPO = range(11)
F_SIZE = 11
# indices of the integer settings array ``js``
I_CODE, I_MAXSTEPS, I_ADAPTIVE, I_FSAL, I_ERRORDER, I_SLOPE, I_BOX, I_RATES, I_LANES, \
    I_REFILL, I_GATHER = range(11)
I_SIZE = 11

_OPTS = dict(cache=_CACHE, nogil=True, error_model="numpy")


@njit(**_OPTS)
def _block(lo, hi, state, game, tableau, fs, js, output, stops):
    """Integrate rows ``lo:hi`` that are running, ``js[I_LANES]`` at a time."""
    X, T, H, status, steps, rejected, vel, vtx = state
    pidx, A, B, gather, offs, counts, plan = game
    tc, coef = tableau  # coef: rows 0..S-1 the tableau's a, row S b, row S + 1 e
    t_out, out = output
    radii, lam, spread = stops
    N = X.shape[1]
    n = offs.shape[0] - 1
    K = gather.shape[0]
    S = tc.shape[0]
    L = js[I_LANES]  # a run-time count, so that the compiler vectorises the lane loops
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
    shared = A.shape[0] == 1 and not slope  # every lane has the same constant payoffs
    span = t1p - t0p
    expo = 1.0 / (js[I_ERRORDER] + 1)
    # lane arrays: state, stage derivatives (row S: the new state's), payoffs of each lane
    Y = np.zeros((N, L))
    YS = np.zeros((N, L))
    YN = np.zeros((N, L))
    Kd = np.zeros((S + 1, N, L))
    # contraction scratch (planes 0, 1) and the relative payoffs U (plane 2): one array, so
    # that no array is chosen by a condition in the contraction (see kernel_contract._levels)
    S3 = np.zeros((3, max(K, N), L))
    U = S3[2]
    W = np.zeros((4, L))
    SC = np.zeros((N, L))
    VAL = np.zeros((N, L))
    ACC = np.zeros(L)
    MV = np.zeros(L, dtype=np.int64)
    ACCEPT = np.zeros(L)
    SPEED = np.zeros(L)
    TAU = np.zeros(L)
    HH = np.zeros(L)
    AL = np.zeros((n, K, 1 if shared else L))  # each lane's payoffs (unused when shared)
    BL = np.zeros((n, K, 1 if shared else L))
    V = np.zeros(N)
    ERR = np.zeros(L)
    FAC = np.zeros(L)
    FACBITS = FAC.view(np.int64)
    MASK = np.zeros(L, dtype=np.int64)
    YI = Y.view(np.int64)  # the bits of Y, YN and Kd
    YNI = YN.view(np.int64)
    KI = Kd.view(np.int64)
    BV = np.zeros(L)
    BI = np.zeros(L, dtype=np.int64)
    DIST = np.zeros(L)
    FLAT = np.zeros(L, dtype=np.int64)
    GLN = np.zeros(L, dtype=np.int64)  # lanes evaluated apart (:func:`_gathered_field`)
    G = (np.zeros((N, GATHER)), np.zeros((n, K, 1 if shared else GATHER)),
         np.zeros((n, K, 1 if shared else GATHER)), np.zeros(GATHER),
         np.zeros((3, max(K, N), GATHER)), np.zeros((1, N, GATHER)), np.zeros((4, GATHER)))
    # below err_small the step-size factor is 10, above err_large 0.2, whatever pow's last bits
    # (margins of 0.1 %; the exponent is negative for every adaptive method)
    ex = fs[F_EXPO]
    err_small = (10.0 / 0.9 * 1.001) ** (1.0 / ex) if ex < 0 else 0.0
    err_large = (0.2 / 0.9 * 0.999) ** (1.0 / ex) if ex < 0 else math.inf
    idx = np.full(L, -1)
    t = np.zeros(L)
    h = np.zeros(L)
    vprev = np.zeros(L)
    nst = np.zeros(L, dtype=np.int64)
    nacc = np.zeros(L, dtype=np.int64)  # accepted and rejected steps, written when a lane ends
    nrej = np.zeros(L, dtype=np.int64)
    RMAX = np.zeros(L)  # each lane's largest vertex-box radius (-1: no boxes)
    TN = np.zeros(L)
    CALM = np.zeros(L, dtype=np.int64)  # 0 or 1 (integers: the loop forming them vectorises)
    CAND = np.zeros(L, dtype=np.int64)
    jout = np.zeros(L, dtype=np.int64)
    last = np.zeros(L, dtype=np.bool_)
    fresh = np.zeros(L, dtype=np.bool_)
    for c in range(N):
        for ln in range(L):
            Y[c, ln] = 1.0 / N  # idle lanes sit at a harmless state
    nxt = lo
    active = 0
    while True:
        # ---- load the next running trajectories into free lanes ------------------------------
        # Free lanes are refilled only once at least REFILL of them are free (or none runs):
        # a refill evaluates the field of every lane, so refilling one lane per step would
        # cost two extra evaluations per step. When a trajectory is loaded never changes its
        # numbers (lanes never mix).
        loaded = False
        refill = active == 0 or L - active >= js[I_REFILL]
        for ln in range(L):
            fresh[ln] = False
        for ln in range(L if refill else 0):
            if idx[ln] >= 0:
                continue
            while nxt < hi and status[nxt] != _RUNNING:
                nxt += 1
            if nxt >= hi:
                continue
            i = nxt
            nxt += 1
            idx[ln] = i
            active += 1
            fresh[ln] = True
            loaded = True
            r = pidx[i]
            if not shared:
                for q in range(n):
                    for s in range(K):
                        AL[q, s, ln] = A[r, q, s]
                        BL[q, s, ln] = B[r, q, s] if slope else 0.0
            for c in range(N):
                Y[c, ln] = X[i, c]
            t[ln] = t0p
            T[i] = t0p
            nst[ln] = 0
            nacc[ln] = 0
            nrej[ln] = 0
            rmax = -1.0  # no box
            if js[I_BOX] == 1:
                for f in range(radii.shape[1]):
                    rmax = max(rmax, radii[r, f])
            RMAX[ln] = rmax
            j0 = 0
            while j0 < t_out.shape[0] and t_out[j0] <= t0p:
                j0 += 1
            jout[ln] = j0
        if active == 0:
            break
        if loaded:
            # the field of the loaded lanes only (:func:`_gathered_field`), into Kd[S], then Kd[0]
            nf = 0
            for ln in range(L):
                TAU[ln] = 0.0
                if fresh[ln]:
                    GLN[nf] = ln
                    nf += 1
            _gathered_field(Y, AL, BL, TAU, slope, plan, offs, code, param, GLN, nf, G, Kd, S,
                            A, shared)
            for j in range(nf):
                ln = GLN[j]
                v = 0.0
                for c in range(N):
                    Kd[0, c, ln] = Kd[S, c, ln]
                    v = max(v, abs(Kd[S, c, ln]))
                vel[idx[ln]] = v
                vprev[ln] = v
                h[ln] = H[idx[ln]] if adaptive else 0.0
            if adaptive:
                # Hairer's starting step for lanes without one (Hairer et al. 1993, II.4); the
                # lanes that need it are kept at the front of GLN (never ahead of the reading)
                nh = 0
                for j in range(nf):
                    ln = GLN[j]
                    if h[ln] > 0:
                        continue
                    for c in range(N):
                        SC[c, ln] = atol + abs(Y[c, ln]) * rtol
                    d0 = 0.0
                    d1 = 0.0
                    for c in range(N):
                        z0 = Y[c, ln] / SC[c, ln]
                        z1 = Kd[0, c, ln] / SC[c, ln]
                        d0 = z0 * z0 if c == 0 else d0 + z0 * z0
                        d1 = z1 * z1 if c == 0 else d1 + z1 * z1
                    d0 = math.sqrt(d0 / N)
                    d1 = math.sqrt(d1 / N)
                    VAL[0, ln] = d1
                    if d0 < 1e-5 or d1 < 1e-5:
                        h0 = 1e-6
                    else:
                        h0 = 0.01 * d0 / (d1 if d1 > 0 else 1.0)
                    HH[ln] = min(h0, span)
                    for c in range(N):
                        YS[c, ln] = Y[c, ln] + HH[ln] * Kd[0, c, ln]
                    GLN[nh] = ln
                    nh += 1
                _gathered_field(YS, AL, BL, HH, slope, plan, offs, code, param, GLN, nh, G, Kd,
                                S, A, shared)
                for j in range(nh):
                    ln = GLN[j]
                    h0 = HH[ln]
                    d2 = 0.0
                    for c in range(N):
                        z = (Kd[S, c, ln] - Kd[0, c, ln]) / SC[c, ln]
                        d2 = z * z if c == 0 else d2 + z * z
                    d2 = math.sqrt(d2 / N) / h0
                    dmax = max(VAL[0, ln], d2)
                    if dmax <= 1e-15:
                        h1 = max(1e-6, h0 * 1e-3)
                    else:
                        h1 = _quantise((0.01 / (dmax if dmax > 0 else 1.0)) ** expo)
                    h[ln] = min(min(100 * h0, h1), span)
        # ---- one step attempt of every lane ---------------------------------------------------
        for ln in range(L):
            if idx[ln] < 0:
                HH[ln] = 0.0
                last[ln] = False
                continue
            if adaptive:
                hh = min(h[ln], t1p - t[ln])
            else:
                hh = min(fs[F_DT], t1p - t[ln])
            last[ln] = t[ln] + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
            if last[ln]:
                hh = t1p - t[ln]
            HH[ln] = hh
        have_new = False
        for s in range(1, S):
            _stage(Kd, coef, s, s, Y, HH, YS, ACC)
            if fsal and s == S - 1:
                for c in range(N):
                    for ln in range(L):
                        YN[c, ln] = YS[c, ln]
                have_new = True
            for ln in range(L):
                TAU[ln] = (t[ln] - t0p) + tc[s] * HH[ln]
            _field(YS, AL, BL, TAU, slope, plan, offs, code, param, U, S3, Kd, s, W, A, shared)
        if not have_new:
            _stage(Kd, coef, S, S, Y, HH, YN, ACC)
        if adaptive:
            _error_sum(Kd, coef, S + 1, S, Y, YN, HH, atol, rtol, VAL, SC, ACC)
        # new-state derivative: a FSAL method's last stage, except in running lanes the
        # projection moved (MV); those few are evaluated apart, many at once over every lane
        _project(YN, offs, fsal, fs[F_SUMTOL], MV, W)
        nm = 0
        if fsal:
            for ln in range(L):
                MV[ln] = MV[ln] & (1 if idx[ln] >= 0 else 0)
                nm += MV[ln]
        krow = S  # the row of the new state's derivative
        if not fsal or nm > js[I_GATHER]:
            for ln in range(L):
                TAU[ln] = (t1p if last[ln] else t[ln] + HH[ln]) - t0p
            _field(YN, AL, BL, TAU, slope, plan, offs, code, param, U, S3, Kd, S, W, A, shared)
            if fsal:  # lanes the projection did not move keep the last stage's derivative
                for ln in range(L):
                    MASK[ln] = 0 if MV[ln] != 0 else -1
                for c in range(N):
                    for ln in range(L):
                        m = MASK[ln]
                        KI[S, c, ln] = (KI[S - 1, c, ln] & m) | (KI[S, c, ln] & ~m)
        else:
            if nm > 0:  # the moved lanes' derivatives replace their last stages' (not read again)
                j = 0
                for ln in range(L):
                    if MV[ln] != 0:
                        GLN[j] = ln
                        j += 1
                        TAU[ln] = (t1p if last[ln] else t[ln] + HH[ln]) - t0p
                _gathered_field(YN, AL, BL, TAU, slope, plan, offs, code, param, GLN, nm, G, Kd,
                                S - 1, A, shared)
            if out.shape[1] > 0:  # dense output reads row S
                for c in range(N):
                    for ln in range(L):
                        Kd[S, c, ln] = Kd[S - 1, c, ln]
            else:
                krow = S - 1
        # ---- per-lane bookkeeping --------------------------------------------------------------
        # accept or reject, next step size, dense output (needs the old state). The error norm
        # and the step-size factor are formed over all lanes at once; ``pow`` runs only where
        # the clip to [0.2, 10] does not decide the factor whatever its last bits
        # (:func:`_step_factors`).
        if adaptive:
            _step_factors(ACC, N, ex, err_small, err_large, ERR, FAC, FACBITS)
        # (vectorised over lanes; dense output, when asked for, lane by lane)
        for ln in range(L):
            run = idx[ln] >= 0
            hh = HH[ln]
            ok = run and ((not adaptive) or ERR[ln] <= 1.0)
            if adaptive and run:
                fac = FAC[ln]
                h[ln] = hh * (fac if ok else min(fac, 1.0))
            nst[ln] += 1 if run else 0
            nacc[ln] += 1 if ok else 0
            nrej[ln] += 1 if (run and not ok) else 0
            ACCEPT[ln] = 1.0 if ok else 0.0
            TN[ln] = t1p if last[ln] else t[ln] + hh
        if out.shape[1] > 0:
            for ln in range(L):
                if ACCEPT[ln] != 0.0:
                    jout[ln] = _hermite(out, idx[ln], t_out, jout[ln], t[ln], TN[ln], Y, Kd, YN,
                                        offs, ln, V)
        # accepted lanes move to the new state (the bits of the new or the old number chosen
        # by a mask: a choice between two loads is compiled lane by lane); every lane's speed
        for ln in range(L):
            ok = ACCEPT[ln] != 0.0
            t[ln] = TN[ln] if ok else t[ln]
            MASK[ln] = -1 if ok else 0
            SPEED[ln] = 0.0
        for c in range(N):
            for ln in range(L):
                m = MASK[ln]
                YI[c, ln] = (YNI[c, ln] & m) | (YI[c, ln] & ~m)
                KI[0, c, ln] = (KI[krow, c, ln] & m) | (KI[0, c, ln] & ~m)
        for c in range(N):
            for ln in range(L):
                SPEED[ln] = max(SPEED[ln], abs(Kd[0, c, ln]))
        # stops: every lane's nearest vertex and its distance, whether it is calm, and whether
        # it can end now (vectorised over lanes): running, and out of steps or accepted at the
        # horizon, calm or within its largest vertex box. Only those lanes take the tests below,
        # one by one; for every other lane they would end nothing.
        if settle_tol > 0:
            _nearest_vertex(Y, offs, counts, BV, BI, DIST, FLAT)
        maxsteps = js[I_MAXSTEPS]
        ncand = 0
        for ln in range(L):
            ok = 1 if ACCEPT[ln] != 0.0 else 0
            v = SPEED[ln]
            calm = (1 if v < settle_tol else 0) & (1 if v <= vprev[ln] else 0)
            CALM[ln] = calm
            vprev[ln] = v if ok == 1 else vprev[ln]
            near_box = (1 if settle_tol > 0 else 0) & (1 if DIST[ln] <= RMAX[ln] else 0)
            ends = ok & ((1 if last[ln] else 0) | calm | near_box)
            cand = (1 if idx[ln] >= 0 else 0) & ((1 if nst[ln] >= maxsteps else 0) | ends)
            CAND[ln] = cand
            ncand += cand
        for ln in range(L if ncand > 0 else 0):
            if CAND[ln] == 0:
                continue
            i = idx[ln]
            accept = ACCEPT[ln] != 0.0
            v = SPEED[ln]
            calm = CALM[ln] != 0
            finished = False
            if settle_tol > 0:
                flat = FLAT[ln]
                dist = DIST[ln]
                r = pidx[i]
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
                    inbox = dist * math.exp(-kap * (t1p - t[ln])) <= vertex_tol
                if inbox:
                    status[i] = _VERTEX
                    vtx[i] = vb
                    rem = vb
                    for c in range(N):
                        Y[c, ln] = 0.0
                    for q in range(n - 1, -1, -1):
                        Y[offs[q] + rem % counts[q], ln] = 1.0
                        rem = rem // counts[q]
                    v = 0.0
                    finished = True
                reached = accept and last[ln] and not finished
                if accept and not last[ln] and calm and not finished:
                    status[i] = _SETTLED
                    finished = True
                if reached and calm:
                    status[i] = _SETTLED
                if reached:
                    finished = True
            elif accept and last[ln]:
                finished = True
            if not finished and nst[ln] >= maxsteps:
                status[i] = _MAX_STEPS
                finished = True
            if finished:
                if out.shape[1] > 0 and status[i] != _RUNNING and status[i] != _MAX_STEPS:
                    while jout[ln] < t_out.shape[0]:
                        for c in range(N):
                            out[i, jout[ln], c] = Y[c, ln]
                        jout[ln] += 1
                for c in range(N):
                    X[i, c] = Y[c, ln]
                T[i] = t[ln]
                steps[i] += nacc[ln]
                rejected[i] += nrej[ln]
                vel[i] = v
                if adaptive:
                    H[i] = h[ln]
                idx[ln] = -1
                active -= 1
                for c in range(N):
                    Y[c, ln] = 1.0 / N


@njit(parallel=True, **_OPTS)
def piece_kernel(state, game, tableau, fs, js, output, stops, block):
    """Integrate every running row over one piece (see :func:`.stepper.numpy_piece`).

    ``state = (X, T, H, status, steps, rejected, vel, vtx)`` is updated in place;
    ``game = (pidx, A, B, gather, offs, counts, plan)`` (``plan``:
    :func:`.contraction.relative_plan`; ``A``, ``B`` rewritten by
    :func:`.contraction.relative_tensors`), ``tableau = (c, coef)`` with ``coef`` the
    rows of ``a``, then ``b``, then ``e`` (zeros for a fixed-step method), ``fs`` and
    ``js`` the float and integer settings (indices ``F_*``, ``I_*``), ``output = (t_out,
    out)``, ``stops = (radii, lam, spread)``. Rows are cut into blocks of ``block``; each block
    is integrated by one thread.
    """
    m = state[0].shape[0]
    nblocks = (m + block - 1) // block
    for bi in prange(nblocks):
        _block(bi * block, min(m, (bi + 1) * block), state, game, tableau, fs, js, output,
               stops)

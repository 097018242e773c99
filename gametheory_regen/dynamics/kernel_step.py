r"""The compiled pieces of one step attempt, over every lane at once.

:mod:`.kernel_numba`'s block loop calls these: the vector field of every lane (relative payoffs
by contraction, :mod:`.kernel_contract`, then the dynamics' velocity), or of a few lanes
evaluated apart (:func:`_gathered_field`); the stage sums and the error estimate of the
Runge-Kutta method (:func:`_stage`, :func:`_error_sum`); the projection onto the simplices;
dense output (:func:`_hermite`); the step-size factors; every lane's nearest vertex. Each is the
same arithmetic, in the same order, as the numpy reference (:mod:`.stepper`, :mod:`.field`),
one vectorised pass over the lanes per component where it can be. The lane arrays are
``(component, lane)``; nothing here allocates, so every function is compiled without reference
counting (see :data:`_LEAF`).

Importing this module imports numba; like :mod:`.kernel_numba` it chooses and verifies its
cache directory first.
"""

from __future__ import annotations

import math

from numba import njit

from .backends import prepare_cache

#: the verified cache directory numba writes to (None: not cached), chosen before any
#: dispatcher below is made
CACHE_DIR = prepare_cache()

from .kernel_contract import payoffs_contracted, payoffs_shared  # noqa: E402 - after the cache

_OPTS = dict(cache=CACHE_DIR is not None, nogil=True, error_model="numpy")
#: functions that allocate nothing: compiled without reference counting (numba's ``_nrt``
#: flag), their array arguments borrowed from the caller (counted references cost two atomic
#: operations per array and call: about 5 % of the kernel's time, measured on 3x4)
_LEAF = dict(_OPTS, _nrt=False)


@njit(**_LEAF)
def _velocity(Y, U, offs, code, param, Kd, row, W):
    """The dynamics' velocity of every lane into ``Kd[row]`` (see :func:`.field.velocity_np`)."""
    L = Y.shape[1]
    for p in range(offs.shape[0] - 1):
        a = offs[p]
        b = offs[p + 1]
        k = b - a
        if code == 0 and k == 2:  # the replicator of 2 to 4 strategies in one pass
            for ln in range(L):
                y0 = Y[a, ln]
                y1 = Y[a + 1, ln]
                u0 = U[a, ln]
                u1 = U[a + 1, ln]
                w = y0 * u0 + y1 * u1
                Kd[row, a, ln] = y0 * (u0 - w)
                Kd[row, a + 1, ln] = y1 * (u1 - w)
            continue
        if code == 0 and k == 3:
            for ln in range(L):
                y0 = Y[a, ln]
                y1 = Y[a + 1, ln]
                y2 = Y[a + 2, ln]
                u0 = U[a, ln]
                u1 = U[a + 1, ln]
                u2 = U[a + 2, ln]
                w = y0 * u0 + y1 * u1 + y2 * u2
                Kd[row, a, ln] = y0 * (u0 - w)
                Kd[row, a + 1, ln] = y1 * (u1 - w)
                Kd[row, a + 2, ln] = y2 * (u2 - w)
            continue
        if code == 0 and k == 4:
            for ln in range(L):
                y0 = Y[a, ln]
                y1 = Y[a + 1, ln]
                y2 = Y[a + 2, ln]
                y3 = Y[a + 3, ln]
                u0 = U[a, ln]
                u1 = U[a + 1, ln]
                u2 = U[a + 2, ln]
                u3 = U[a + 3, ln]
                w = y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3
                Kd[row, a, ln] = y0 * (u0 - w)
                Kd[row, a + 1, ln] = y1 * (u1 - w)
                Kd[row, a + 2, ln] = y2 * (u2 - w)
                Kd[row, a + 3, ln] = y3 * (u3 - w)
            continue
        if code == 0 or code == 1 or code == 3:
            for ln in range(L):
                W[0, ln] = Y[a, ln] * U[a, ln]
            for i in range(a + 1, b):
                for ln in range(L):
                    W[0, ln] = W[0, ln] + Y[i, ln] * U[i, ln]
        if code == 0:
            for i in range(a, b):
                for ln in range(L):
                    Kd[row, i, ln] = Y[i, ln] * (U[i, ln] - W[0, ln])
        elif code == 1:
            for i in range(a, b):
                for ln in range(L):
                    Kd[row, i, ln] = (Y[i, ln] * (U[i, ln] - W[0, ln])
                                      + param * (1.0 / k - Y[i, ln]))
        elif code == 2 and k == 2:
            # the loops below for two strategies in one pass, the same operations in order
            for ln in range(L):
                u0 = U[a, ln]
                u1 = U[a + 1, ln]
                top = max(u0, u1)
                d0 = u0 - top
                d1 = u1 - top
                e0 = 1.0 if d0 == 0.0 else math.exp(d0 / param)
                e1 = 1.0 if d1 == 0.0 else math.exp(d1 / param)
                tot = e0 + e1
                Kd[row, a, ln] = e0 / tot - Y[a, ln]
                Kd[row, a + 1, ln] = e1 / tot - Y[a + 1, ln]
        elif code == 2:
            for ln in range(L):
                W[1, ln] = U[a, ln]
            for i in range(a + 1, b):
                for ln in range(L):
                    W[1, ln] = max(W[1, ln], U[i, ln])
            for i in range(a, b):
                for ln in range(L):
                    # exp(0) = 1 exactly: the largest payoff's term needs no exp
                    d = U[i, ln] - W[1, ln]
                    Kd[row, i, ln] = 1.0 if d == 0.0 else math.exp(d / param)
            for ln in range(L):
                W[2, ln] = Kd[row, a, ln]
            for i in range(a + 1, b):
                for ln in range(L):
                    W[2, ln] = W[2, ln] + Kd[row, i, ln]
            for i in range(a, b):
                for ln in range(L):
                    Kd[row, i, ln] = Kd[row, i, ln] / W[2, ln] - Y[i, ln]
        elif code == 3:
            for i in range(a, b):
                for ln in range(L):
                    Kd[row, i, ln] = max(U[i, ln] - W[0, ln], 0.0)
            for ln in range(L):
                W[2, ln] = Kd[row, a, ln]
            for i in range(a + 1, b):
                for ln in range(L):
                    W[2, ln] = W[2, ln] + Kd[row, i, ln]
            for i in range(a, b):
                for ln in range(L):
                    Kd[row, i, ln] = Kd[row, i, ln] - Y[i, ln] * W[2, ln]
        elif code == 4:
            for i in range(a, b):
                for ln in range(L):
                    W[1, ln] = 0.0
                    W[2, ln] = 0.0
                for j in range(a, b):
                    for ln in range(L):
                        W[1, ln] = W[1, ln] + Y[j, ln] * max(U[i, ln] - U[j, ln], 0.0)
                        W[2, ln] = W[2, ln] + max(U[j, ln] - U[i, ln], 0.0)
                for ln in range(L):
                    Kd[row, i, ln] = W[1, ln] - Y[i, ln] * W[2, ln]
        elif k == 2:
            # the loop below for two strategies, bit for bit: its j = i term is Y_i tanh(0) = +-0,
            # which leaves a sum started at +0 unchanged, and tanh is odd (exactly, in libm), so
            # the pair needs one tanh
            for ln in range(L):
                th = math.tanh(param * (U[a, ln] - U[a + 1, ln]) * 0.5)
                Kd[row, a, ln] = Y[a, ln] * (0.0 + Y[a + 1, ln] * th)
                Kd[row, a + 1, ln] = Y[a + 1, ln] * (0.0 + Y[a, ln] * -th)
        else:
            for i in range(a, b):
                for ln in range(L):
                    W[1, ln] = 0.0
                for j in range(a, b):
                    if j == i:  # Y_i tanh(0) = +-0 leaves the sum (started at +0) unchanged
                        continue
                    for ln in range(L):
                        W[1, ln] = W[1, ln] + Y[j, ln] * math.tanh(
                            param * (U[i, ln] - U[j, ln]) * 0.5)
                for ln in range(L):
                    Kd[row, i, ln] = Y[i, ln] * W[1, ln]


@njit(**_LEAF)
def _rhs(Y, AL, BL, TAU, slope, gather, offs, code, param, U, P, Kd, row, W):
    """Expected payoffs (prefix and suffix products, :func:`.field.expected_payoffs_np`), then
    the velocity, of every lane at states ``Y`` into ``Kd[row]``."""
    n = offs.shape[0] - 1
    K = gather.shape[0]
    N = Y.shape[0]
    L = Y.shape[1]
    for c in range(N):
        for ln in range(L):
            U[c, ln] = 0.0
    for s in range(K):
        for ln in range(L):
            P[0, ln] = 1.0
        for q in range(n):
            g = gather[s, q]
            for ln in range(L):
                P[q + 1, ln] = P[q, ln] * Y[g, ln]
        for ln in range(L):
            W[3, ln] = 1.0
        for q in range(n - 1, -1, -1):
            g = gather[s, q]
            if slope:
                for ln in range(L):
                    U[g, ln] += (AL[q, s, ln] + TAU[ln] * BL[q, s, ln]) * (P[q, ln] * W[3, ln])
            else:
                for ln in range(L):
                    U[g, ln] += AL[q, s, ln] * (P[q, ln] * W[3, ln])
            for ln in range(L):
                W[3, ln] = W[3, ln] * Y[g, ln]
    _velocity(Y, U, offs, code, param, Kd, row, W)


@njit(**_LEAF)
def _field(Y, AL, BL, TAU, slope, plan, offs, code, param, U, S3, Kd, row, W, A, shared):
    """The vector field the integrator uses: payoffs relative to each population's last
    strategy by contraction (:mod:`.kernel_contract`, the reference's order; from ``A[0]`` when
    every lane has the same constant payoffs, ``shared``) into ``S3[2]``, which ``U`` is, then
    the velocity, of every lane at states ``Y`` into ``Kd[row]``."""
    if shared:
        payoffs_shared(Y, A, plan, offs, S3)
    else:
        payoffs_contracted(Y, AL, BL, TAU, slope, plan, offs, S3)
    _velocity(Y, U, offs, code, param, Kd, row, W)


@njit(**_LEAF)
def _gathered_field(SRC, AL, BL, TAU, slope, plan, offs, code, param, lanes, count, G, DST,
                    row, A, shared):
    """:func:`_field` of lanes ``lanes[:count]`` only, at states ``SRC`` and time offsets
    ``TAU``, into ``DST[row]``; the other lanes of ``DST`` are left as they are. The lanes are
    copied into the narrow arrays ``G = (GY, GAL, GBL, GTAU, GS3, GKd, GW)`` (``GS3[2]``:
    their payoffs, its last strategies' entries 0), as many at a time as they are wide,
    evaluated there and copied back: each lane's numbers are those of a full-width evaluation
    (lanes never mix), at a fraction of its cost (the field of a few lanes is wanted after every
    refill and whenever the projection moves a lane, which is most steps near the simplex's
    faces). Unused columns hold the state with every share ``1 / N``."""
    GY, GAL, GBL, GTAU, GS3, GKd, GW = G
    N = SRC.shape[0]
    n = AL.shape[0]
    K = AL.shape[1]
    width = GY.shape[1]
    # (rows are passed as run-time integers: a literal 0 would compile another _field)
    r = GKd.shape[0] - 1
    for j0 in range(0, count, width):
        ng = min(width, count - j0)
        for g in range(width):
            if g < ng:
                ln = lanes[j0 + g]
                for c in range(N):
                    GY[c, g] = SRC[c, ln]
                GTAU[g] = TAU[ln]
                if not shared:
                    for q in range(n):
                        for s in range(K):
                            GAL[q, s, g] = AL[q, s, ln]
                            GBL[q, s, g] = BL[q, s, ln]
            else:
                for c in range(N):
                    GY[c, g] = 1.0 / N
                GTAU[g] = 0.0
        _field(GY, GAL, GBL, GTAU, slope, plan, offs, code, param, GS3[2], GS3, GKd, r, GW, A,
               shared)
        for g in range(ng):
            ln = lanes[j0 + g]
            for c in range(N):
                DST[row, c, ln] = GKd[r, c, g]


@njit(**_LEAF)
def _combine(Kd, coef, row, upto, c, ACC):
    """``ACC[lane] = sum_j coef[row, j] * Kd[j, c, lane]`` over nonzero coefficients, in
    order (``coef`` rows: the tableau's ``a``, then ``b``, then ``e``)."""
    L = ACC.shape[0]
    first = True
    for j in range(upto):
        cj = coef[row, j]
        if cj != 0.0:
            if first:
                for ln in range(L):
                    ACC[ln] = cj * Kd[j, c, ln]
                first = False
            else:
                for ln in range(L):
                    ACC[ln] = ACC[ln] + cj * Kd[j, c, ln]
    if first:
        for ln in range(L):
            ACC[ln] = 0.0


@njit(inline="always", **_LEAF)
def _nonzero_terms(coef, row, upto):
    """How many of ``coef[row, :upto]`` are nonzero, and the indices of the first six of them
    (0 where there are fewer): the terms :func:`_stage` and :func:`_error_sum` write out."""
    nz = 0
    j0 = j1 = j2 = j3 = j4 = j5 = 0
    for j in range(upto):
        if coef[row, j] != 0.0:
            if nz == 0:
                j0 = j
            elif nz == 1:
                j1 = j
            elif nz == 2:
                j2 = j
            elif nz == 3:
                j3 = j
            elif nz == 4:
                j4 = j
            elif nz == 5:
                j5 = j
            nz += 1
    return nz, j0, j1, j2, j3, j4, j5


@njit(**_LEAF)
def _stage(Kd, coef, row, upto, Y, HH, OUT, ACC):
    """``OUT[c] = Y[c] + HH * sum_j coef[row, j] * Kd[j, c]`` for every component ``c``, the
    sum over nonzero coefficients in order as :func:`_combine` forms it; with up to five
    nonzero terms (every stage of the methods in :mod:`.methods`) the sum is written out in
    one pass over the lanes."""
    N = Y.shape[0]
    L = Y.shape[1]
    nz, j0, j1, j2, j3, j4, _ = _nonzero_terms(coef, row, upto)
    c0 = coef[row, j0]
    c1 = coef[row, j1]
    c2 = coef[row, j2]
    c3 = coef[row, j3]
    c4 = coef[row, j4]
    for c in range(N):
        if nz == 1:
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * (c0 * Kd[j0, c, ln])
        elif nz == 2:
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln])
        elif nz == 3:
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln]
                                                  + c2 * Kd[j2, c, ln])
        elif nz == 4:
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln]
                                                  + c2 * Kd[j2, c, ln] + c3 * Kd[j3, c, ln])
        elif nz == 5:
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln]
                                                  + c2 * Kd[j2, c, ln] + c3 * Kd[j3, c, ln]
                                                  + c4 * Kd[j4, c, ln])
        else:  # more terms than any method in .methods has: the general sum
            _combine(Kd, coef, row, upto, c, ACC)
            for ln in range(L):
                OUT[c, ln] = Y[c, ln] + HH[ln] * ACC[ln]


@njit(**_LEAF)
def _error_sum(Kd, coef, row, upto, Y, YN, HH, atol, rtol, VAL, SC, ACC):
    """``ACC[lane] = sum_c (VAL[c] / SC[c])**2`` in order of ``c``, where ``VAL[c] = HH *
    sum_j coef[row, j] Kd[j, c]`` (the sum as :func:`_combine` forms it) and ``SC[c] = atol
    + rtol max(|Y[c]|, |YN[c]|)``: the error estimate's sum of squares. With four or six
    nonzero coefficients (``bs32``, ``dopri5``) each component is one pass over the lanes;
    otherwise ``VAL`` and ``SC`` are stored first."""
    N = Y.shape[0]
    L = Y.shape[1]
    nz, j0, j1, j2, j3, j4, j5 = _nonzero_terms(coef, row, upto)
    c0, c1, c2 = coef[row, j0], coef[row, j1], coef[row, j2]
    c3, c4, c5 = coef[row, j3], coef[row, j4], coef[row, j5]
    if nz == 6:
        for c in range(N):
            first = c == 0
            for ln in range(L):
                acc = (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln] + c2 * Kd[j2, c, ln]
                       + c3 * Kd[j3, c, ln] + c4 * Kd[j4, c, ln] + c5 * Kd[j5, c, ln])
                z = (HH[ln] * acc) / (atol + rtol * max(abs(Y[c, ln]), abs(YN[c, ln])))
                ACC[ln] = z * z if first else ACC[ln] + z * z
        return
    if nz == 4:
        for c in range(N):
            first = c == 0
            for ln in range(L):
                acc = (c0 * Kd[j0, c, ln] + c1 * Kd[j1, c, ln] + c2 * Kd[j2, c, ln]
                       + c3 * Kd[j3, c, ln])
                z = (HH[ln] * acc) / (atol + rtol * max(abs(Y[c, ln]), abs(YN[c, ln])))
                ACC[ln] = z * z if first else ACC[ln] + z * z
        return
    for c in range(N):
        _combine(Kd, coef, row, upto, c, ACC)
        for ln in range(L):
            VAL[c, ln] = HH[ln] * ACC[ln]
            SC[c, ln] = atol + rtol * max(abs(Y[c, ln]), abs(YN[c, ln]))
    for c in range(N):
        for ln in range(L):
            z = VAL[c, ln] / SC[c, ln]
            ACC[ln] = z * z if c == 0 else ACC[ln] + z * z


@njit(**_LEAF)
def _project(Y, offs, check, tol, MV, W):
    """Project every lane's shares onto their simplices (negative shares to 0, then each
    population divided by its sum), in place. With ``check``, first ``MV[lane] = 1`` where a
    share is negative or a population's sum is off 1 by more than ``tol`` (the projection
    moves the state), else 0 (``MV``: int64). One pass per component clamps, tests and sums
    (both sums in order of the components, as the reference forms them), one divides."""
    L = Y.shape[1]
    if check:
        for ln in range(L):
            MV[ln] = 0
    for p in range(offs.shape[0] - 1):
        a = offs[p]
        b = offs[p + 1]
        if check:
            for ln in range(L):
                y = Y[a, ln]
                MV[ln] = MV[ln] | (1 if y < 0.0 else 0)
                W[0, ln] = y
                yc = max(y, 0.0)
                Y[a, ln] = yc
                W[1, ln] = yc
            for i in range(a + 1, b):
                for ln in range(L):
                    y = Y[i, ln]
                    MV[ln] = MV[ln] | (1 if y < 0.0 else 0)
                    W[0, ln] = W[0, ln] + y
                    yc = max(y, 0.0)
                    Y[i, ln] = yc
                    W[1, ln] = W[1, ln] + yc
            for ln in range(L):
                MV[ln] = MV[ln] | (1 if abs(W[0, ln] - 1.0) > tol else 0)
        else:
            for ln in range(L):
                yc = max(Y[a, ln], 0.0)
                Y[a, ln] = yc
                W[1, ln] = yc
            for i in range(a + 1, b):
                for ln in range(L):
                    yc = max(Y[i, ln], 0.0)
                    Y[i, ln] = yc
                    W[1, ln] = W[1, ln] + yc
        for i in range(a, b):
            for ln in range(L):
                Y[i, ln] = Y[i, ln] / W[1, ln]


@njit(**_LEAF)
def _hermite(out, i, t_out, jout, t0, t1, Y0, Kd, Y1, offs, ln, V):
    """Dense output of lane ``ln`` for ``t0 < t_out[j] <= t1``; derivatives ``Kd[0]`` at
    ``t0`` and ``Kd[last]`` at ``t1``."""
    S = Kd.shape[0] - 1
    N = Y0.shape[0]
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
            for c in range(N):
                V[c] = (h00 * Y0[c, ln] + (h10 * h) * Kd[0, c, ln] + h01 * Y1[c, ln]
                        + (h11 * h) * Kd[S, c, ln])
            for c in range(N):
                V[c] = max(V[c], 0.0)
            for p in range(offs.shape[0] - 1):
                a = offs[p]
                tot = V[a]
                for c in range(a + 1, offs[p + 1]):
                    tot = tot + V[c]
                for c in range(a, offs[p + 1]):
                    V[c] = V[c] / tot
            for c in range(N):
                out[i, jout, c] = V[c]
        jout += 1
    return jout


_QUANT = 2.0**21  # as stepper.QUANT_BITS


@njit(**_LEAF)
def _quantise(x):
    """Round down to 21 significant bits with exact operations (see stepper._quantise)."""
    m, e = math.frexp(x)
    return math.ldexp(math.floor(m * _QUANT) / _QUANT, e)


#: the bits of a float64 that keep its sign, exponent and first 21 significant bits
_QUANT_MASK = -(1 << 32)


@njit(**_LEAF)
def _step_factors(ACC, N, ex, err_small, err_large, ERR, FAC, FACBITS):
    """Every lane's error norm ``ERR = sqrt(ACC / N)`` and step-size factor ``FAC =
    clip(quantise(0.9 ERR^ex), 0.2, 10)`` (10 where ``ERR`` is 0); ``FACBITS`` is ``FAC``
    viewed as int64.

    The factor is exactly the one :func:`_quantise` and the clip give: where ``ERR <=
    err_small`` (or ``>= err_large``) the unclipped factor is above 10 (below 0.2) by a
    margin of 0.1 %, far beyond ``pow``'s last bit and the quantisation's 2**-20, so the clip
    gives 10 (0.2) and ``pow`` is skipped. Between them the factor ``0.9 ERR^ex`` lies in
    about [0.2, 10], a positive normal number, whose rounding down to 21 significant bits
    (``floor(m 2^21) / 2^21`` of its mantissa ``m`` in [1/2, 1)) clears the low 32 bits of
    its 52-bit fraction: one vectorised ``and``."""
    L = ACC.shape[0]
    for ln in range(L):
        ERR[ln] = math.sqrt(ACC[ln] / N)
    for ln in range(L):
        e = ERR[ln]
        if e == 0.0 or e <= err_small:
            FAC[ln] = 20.0
        elif e >= err_large:
            FAC[ln] = 0.1
        else:
            FAC[ln] = 0.9 * e ** ex
    for ln in range(L):
        FACBITS[ln] = FACBITS[ln] & _QUANT_MASK
    for ln in range(L):
        FAC[ln] = min(max(FAC[ln], 0.2), 10.0)


@njit(**_LEAF)
def _nearest_vertex(Y, offs, counts, BV, BI, DIST, FLAT):
    """Every lane's nearest vertex: ``FLAT`` its flat profile index (each population's
    largest share, the first one among equals) and ``DIST`` the largest ``1 - share`` of
    those shares; ``BV`` and ``BI`` are scratch."""
    L = Y.shape[1]
    for ln in range(L):
        DIST[ln] = 0.0
        FLAT[ln] = 0
    for q in range(offs.shape[0] - 1):
        a0 = offs[q]
        for ln in range(L):
            BV[ln] = Y[a0, ln]
            BI[ln] = 0
        for j in range(1, offs[q + 1] - a0):
            for ln in range(L):
                yc = Y[a0 + j, ln]
                gt = yc > BV[ln]
                BI[ln] = j if gt else BI[ln]
                BV[ln] = yc if gt else BV[ln]
        cq = counts[q]
        for ln in range(L):
            DIST[ln] = max(DIST[ln], 1.0 - BV[ln])
            FLAT[ln] = FLAT[ln] * cq + BI[ln]

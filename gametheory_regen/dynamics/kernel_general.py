r"""Compiled batch integrator for any strategy counts, generated per game shape.

The general counterpart of :mod:`gametheory_regen.dynamics.kernel_binary`, for games in which
some population has three or more strategies. The state is the full share vector (every
population's shares, concatenated) and the right-hand side is written out per game shape:

.. math:: u_{pi} = \sum_{s_{-p}} a_p(i, s_{-p}) \prod_{q \ne p} x_{q s_q}, \qquad
          \dot x_{pi} = x_{pi} (u_{pi} - \bar u_p),

the sum nested population by population (Horner's scheme over the other populations). The
algorithm is the one of :mod:`gametheory_regen.dynamics.kernels` (Dormand--Prince 5(4) or RK4,
the same error norm, projection onto the simplices, early stops, dense output); every per-lane
quantity sits at a constant offset of one work array, so that the compiler vectorises the lane
loops. It takes the steps the other paths take, up to rounding.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .kernel_binary import _LANES, _control_source, _Rows, load_generated, piece_sources
from .kernels import (
    _A21, _A31, _A32, _A41, _A42, _A43, _A51, _A52, _A53, _A54, _A61, _A62, _A63, _A64, _A65,
    _A71, _A73, _A74, _A75, _A76, _E1, _E3, _E4, _E5, _E6, _E7, _MAX_FACTOR, _MIN_FACTOR,
    _SAFETY, NEAR_VERTEX, SUM_TOL, _n_threads, layout_of,
)

__all__ = ["general_piece", "MAX_PROFILES"]

#: largest number of profiles a generated kernel is made for (the source grows with it);
#: larger games use the general array-based kernel of :mod:`~gametheory_regen.dynamics.kernels`
MAX_PROFILES = 64


def _rows(counts) -> _Rows:
    lay = layout_of(counts)
    N, K, n = lay.n_state, lay.n_profiles, lay.n_pops
    r = _Rows(_LANES)
    for name, count in (("Y", N), ("K1", N), ("YN", N), ("K7", N), ("C", n * K),
                        ("CB", n * K), ("RAD", K)):
        r.add(name, count)
    for name in ("T", "H", "HH", "LAST", "ERR2", "V", "VPREV", "CLIP", "ACC", "DONE", "ACT",
                 "NST", "NACC", "NREJ", "INBOX", "CALM", "FLAT", "DIST"):
        r.add(name)
    return r


def _payoff_sums(counts, p: int, i: int, ys, coef) -> str:
    """Source of u_{p,i}: nested sums over the other populations (Horner's scheme)."""
    lay = layout_of(counts)
    n = lay.n_pops
    others = [q for q in range(n) if q != p]
    stride = [int(np.prod(counts[q + 1:])) for q in range(n)]

    def nest(level: int, flat: int) -> str:
        if level == len(others):
            return coef(p, flat)
        q = others[level]
        terms = [f"{ys[lay.offsets[q] + j]} * {nest(level + 1, flat + j * stride[q])}"
                 for j in range(counts[q])]
        return "(" + " + ".join(terms) + ")"

    return nest(0, i * stride[p])


def _rhs_lines(counts, ys, ks, coef, ind: str) -> list[str]:
    """Lines computing ``ks[j] = dx_j/dt`` at the state ``ys`` (names) with coefficients
    ``coef(p, flat)`` (source text)."""
    lay = layout_of(counts)
    lines = []
    for p in range(lay.n_pops):
        a, b = lay.offsets[p], lay.offsets[p + 1]
        for i in range(counts[p]):
            lines.append(f"{ind}u{a + i} = {_payoff_sums(counts, p, i, ys, coef)}")
        lines.append(f"{ind}ub = " + " + ".join(f"{ys[j]} * u{j}" for j in range(a, b)))
        for j in range(a, b):
            lines.append(f"{ind}{ks[j]} = {ys[j]} * (u{j} - ub)")
    return lines


def _lane_coef(r: _Rows, K: int, tau: str | None):
    def coef(p, flat):
        c = r.at("C", p * K + flat)
        return f"({c} + ({tau}) * {r.at('CB', p * K + flat)})" if tau else c
    return coef


def _step_source(counts, method: str, slope: bool) -> str:
    lay = layout_of(counts)
    N, K = lay.n_state, lay.n_profiles
    r = _rows(counts)
    J = range(N)
    name = f"step_{method}_{'slope' if slope else 'const'}"
    i1, i2 = " " * 4, " " * 8
    L = ['@numba.njit(cache=True, nogil=True, fastmath=True, error_model="numpy")',
         f"def {name}(S, t0p, t1p, tiny, dt, rtol, atol):",
         f"{i1}for ln in range(LANES):",
         f"{i2}t = {r.at('T')}",
         f"{i2}hv = min({r.at('H')}, t1p - t)" if method == "dopri5"
         else f"{i2}hv = min(dt, t1p - t)",
         f"{i2}last = t + hv >= t1p - tiny",
         f"{i2}hv = (t1p - t) if last else hv",
         f"{i2}tau = t - t0p"]
    L += [f"{i2}y{j} = {r.at('Y', j)}" for j in J]
    L += [f"{i2}k1_{j} = {r.at('K1', j)}" for j in J]
    ys = [f"s{j}" for j in J]

    def rhs(yn, kk, c):
        return _rhs_lines(counts, yn, [f"k{kk}_{j}" for j in J],
                          _lane_coef(r, K, f"tau + {c} * hv" if slope else None), i2)

    def stage(coefs, kk, c):
        out = [f"{i2}s{j} = y{j} + hv * (" + " + ".join(f"{a} * k{q}_{j}" for q, a in coefs) + ")"
               for j in J]
        return out + rhs(ys, kk, c)

    if method == "dopri5":
        L += stage([("1", "A21")], 2, "C2")
        L += stage([("1", "A31"), ("2", "A32")], 3, "C3")
        L += stage([("1", "A41"), ("2", "A42"), ("3", "A43")], 4, "C4")
        L += stage([("1", "A51"), ("2", "A52"), ("3", "A53"), ("4", "A54")], 5, "C5")
        L += stage([("1", "A61"), ("2", "A62"), ("3", "A63"), ("4", "A64"), ("5", "A65")], 6,
                   "1.0")
        L += [f"{i2}yn{j} = y{j} + hv * (A71 * k1_{j} + A73 * k3_{j} + A74 * k4_{j}"
              f" + A75 * k5_{j} + A76 * k6_{j})" for j in J]
        L += rhs([f"yn{j}" for j in J], 7, "1.0")
        L.append(f"{i2}e2 = 0.0")
        for j in J:
            L += [f"{i2}e = hv * (E1 * k1_{j} + E3 * k3_{j} + E4 * k4_{j} + E5 * k5_{j}"
                  f" + E6 * k6_{j} + E7 * k7_{j})",
                  f"{i2}sa = atol + rtol * max(abs(y{j}), abs(yn{j}))",
                  f"{i2}e2 += (e / sa) ** 2"]
        L.append(f"{i2}{r.at('ERR2')} = e2")
    else:
        L += [f"{i2}s{j} = y{j} + 0.5 * hv * k1_{j}" for j in J] + rhs(ys, 2, "0.5")
        L += [f"{i2}s{j} = y{j} + 0.5 * hv * k2_{j}" for j in J] + rhs(ys, 3, "0.5")
        L += [f"{i2}s{j} = y{j} + hv * k3_{j}" for j in J] + rhs(ys, 4, "1.0")
        L += [f"{i2}yn{j} = y{j} + (hv / 6.0) * (k1_{j} + 2.0 * k2_{j} + 2.0 * k3_{j} + k4_{j})"
              for j in J]
        L.append(f"{i2}{r.at('ERR2')} = 0.0")
    # projection: negative residue clipped, each population renormalised; flagged when it
    # moved the state (the derivative is then recomputed, as in the other paths)
    L.append(f"{i2}clip = 0.0")
    for p in range(lay.n_pops):
        a, b = lay.offsets[p], lay.offsets[p + 1]
        for j in range(a, b):
            L += [f"{i2}clip = 1.0 if yn{j} < 0.0 else clip", f"{i2}yn{j} = max(yn{j}, 0.0)"]
        L += [f"{i2}sm = " + " + ".join(f"yn{j}" for j in range(a, b)),
              f"{i2}clip = 1.0 if abs(sm - 1.0) > SUM_TOL else clip",
              f"{i2}sm = sm if sm > 0.0 else 1.0"]
        L += [f"{i2}yn{j} = yn{j} / sm" for j in range(a, b)]
    if method == "rk4":
        L += rhs([f"yn{j}" for j in J], 7, "1.0")
    L.append(f"{i2}v = 0.0")
    for j in J:
        L += [f"{i2}{r.at('YN', j)} = yn{j}", f"{i2}{r.at('K7', j)} = k7_{j}",
              f"{i2}v = max(v, abs(k7_{j}))"]
    L += [f"{i2}{r.at('V')} = v", f"{i2}{r.at('CLIP')} = clip",
          f"{i2}{r.at('HH')} = hv", f"{i2}{r.at('LAST')} = 1.0 if last else 0.0"]
    return "\n".join(L) + "\n"


def _commit_source(counts) -> str:
    lay = layout_of(counts)
    N, K = lay.n_state, lay.n_profiles
    r = _rows(counts)
    i1, i2 = " " * 4, " " * 8
    L = ['@numba.njit(cache=True, nogil=True, fastmath=True, error_model="numpy")',
         "def commit(S, t1p, settle_tol, near_tol, max_steps):",
         f"{i1}for ln in range(LANES):",
         f"{i2}act = {r.at('ACT')}",
         f"{i2}acc = {r.at('ACC')}",
         f"{i2}a = acc > 0.0",
         f"{i2}last = {r.at('LAST')} > 0.0",
         f"{i2}t = {r.at('T')}",
         f"{i2}hh = {r.at('HH')}",
         f"{i2}tn = t1p if last else t + hh",
         f"{i2}{r.at('T')} = tn if a else t"]
    for j in range(N):
        L += [f"{i2}yo = {r.at('Y', j)}", f"{i2}yn = {r.at('YN', j)}",
              f"{i2}{r.at('Y', j)} = yn if a else yo",
              f"{i2}ko = {r.at('K1', j)}", f"{i2}kn = {r.at('K7', j)}",
              f"{i2}{r.at('K1', j)} = kn if a else ko"]
    L += [f"{i2}nst = {r.at('NST')} + act",
          f"{i2}{r.at('NST')} = nst",
          f"{i2}{r.at('NACC')} += acc",
          f"{i2}{r.at('NREJ')} += act - acc",
          f"{i2}v = {r.at('V')}",
          f"{i2}vprev = {r.at('VPREV')}",
          f"{i2}calm = a & (v < settle_tol) & (v <= vprev)",
          f"{i2}{r.at('VPREV')} = v if a else vprev",
          f"{i2}dist = 0.0",
          f"{i2}flat = 0.0"]
    for p in range(lay.n_pops):
        a, b = lay.offsets[p], lay.offsets[p + 1]
        L += [f"{i2}best = -1.0", f"{i2}bj = 0.0"]
        for j in range(a, b):  # the first largest share wins, as in the other paths
            L += [f"{i2}yv = {r.at('Y', j)}", f"{i2}up = yv > best",
                  f"{i2}bj = {float(j - a)} if up else bj", f"{i2}best = yv if up else best"]
        L += [f"{i2}dist = max(dist, 1.0 - best)",
              f"{i2}flat = {float(counts[p])} * flat + bj"]
    L.append(f"{i2}rb = 0.0")
    for k in range(K):
        L += [f"{i2}rk = {r.at('RAD', k)}", f"{i2}rb = rk if flat == {float(k)} else rb"]
    L += [f"{i2}inbox = a & (rb > 0.0) & (dist <= rb)",
          f"{i2}calm = calm & (settle_tol > 0.0) & (dist >= near_tol) & (inbox == False)",
          f"{i2}done = (act > 0.0) & (calm | (a & last) | (nst >= max_steps))",
          f"{i2}{r.at('INBOX')} = 1.0 if inbox else 0.0",
          f"{i2}{r.at('CALM')} = 1.0 if calm else 0.0",
          f"{i2}{r.at('DONE')} = 1.0 if done else 0.0",
          f"{i2}{r.at('FLAT')} = flat",
          f"{i2}{r.at('DIST')} = dist"]
    return "\n".join(L) + "\n"


def _rhs1_source(counts) -> str:
    """A scalar right-hand side for one trajectory (loading, clipped states)."""
    lay = layout_of(counts)
    N, K = lay.n_state, lay.n_profiles
    i1 = " " * 4

    def coef(p, flat):
        return (f"(Cp[{p}, {flat}] + tau * CBp[{p}, {flat}] if has_slope else Cp[{p}, {flat}])")

    L = ["@numba.njit(cache=True, nogil=True)",
         "def rhs1(y, Cp, CBp, tau, has_slope, w, f):  # w: unused, the drivers' signature"]
    L += _rhs_lines(counts, [f"y[{j}]" for j in range(N)], [f"f[{j}]" for j in range(N)], coef,
                    i1)
    L.append(f"{i1}vmax = 0.0")
    L += [f"{i1}vmax = max(vmax, abs(f[{j}]))" for j in range(N)]
    L.append(f"{i1}return vmax")
    assert K > 0
    return "\n".join(L) + "\n"


_DRIVER = '''
@numba.njit(cache=True, nogil=True)
def project(y):
    for p in range(NPOP):
        s = 0.0
        for j in range(OFFS[p], OFFS[p + 1]):
            if y[j] < 0.0:
                y[j] = 0.0
            s += y[j]
        if s > 0.0:
            for j in range(OFFS[p], OFFS[p + 1]):
                y[j] /= s


@numba.njit(cache=True, nogil=True)
def hermite(out_i, t_out, jout, t0, t1, y0, f0, y1, f1, w):
    h = t1 - t0
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        if t_out[jout] > t0:
            s = (t_out[jout] - t0) / h
            s2 = s * s
            s3 = s2 * s
            h00 = 2.0 * s3 - 3.0 * s2 + 1.0
            h10 = (s3 - 2.0 * s2 + s) * h
            h01 = -2.0 * s3 + 3.0 * s2
            h11 = (s3 - s2) * h
            for j in range(NSTATE):
                w[j] = h00 * y0[j] + h10 * f0[j] + h01 * y1[j] + h11 * f1[j]
            project(w)
            for j in range(NSTATE):
                out_i[jout, j] = w[j]
        jout += 1
    return jout


@numba.njit(cache=True, nogil=True)
def snap_vertex(S, ln, flat):
    # the lane's state becomes the vertex of pure profile ``flat`` (it is at rest there)
    rem = flat
    for p in range(NPOP - 1, -1, -1):
        kq = OFFS[p + 1] - OFFS[p]
        bj = rem % kq
        rem = rem // kq
        for j in range(OFFS[p], OFFS[p + 1]):
            S[O_Y + j * LANES + ln] = 1.0 if j - OFFS[p] == bj else 0.0
            S[O_K1 + j * LANES + ln] = 0.0


@numba.njit(cache=True, nogil=True)
def park_lane(S, ln):
    # an idle lane: a harmless state (every population at its first strategy), no payoffs
    for p in range(NPOP):
        for j in range(OFFS[p], OFFS[p + 1]):
            S[O_Y + j * LANES + ln] = 1.0 if j == OFFS[p] else 0.0
            S[O_K1 + j * LANES + ln] = 0.0
        for kk in range(NPROF):
            S[O_C + (p * NPROF + kk) * LANES + ln] = 0.0
            S[O_CB + (p * NPROF + kk) * LANES + ln] = 0.0


@numba.njit(cache=True, nogil=True)
def fill(out_i, t_out, jout, t1, y):
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        for j in range(NSTATE):
            out_i[jout, j] = y[j]
        jout += 1
    return jout


@numba.njit(cache=True, nogil=True)
def load(ln, S, row, jout, todo, nxt, hi, X, T, H, vel, pidx, C, CB, has_slope, R, boxon,
         t0p, t1p, method, rtol, atol, t_out, ycol, fcol, gcol, w):
    # Put the next trajectory of the queue todo[nxt:hi] into lane ln; row[ln] = -1 when empty.
    row[ln] = -1
    S[O_ACT + ln] = 0.0
    if nxt >= hi:
        return nxt
    i = todo[nxt]
    nxt += 1
    pi = pidx[i]
    Cp = C[pi]
    CBp = CB[pi] if has_slope else CB[0]
    for j in range(NSTATE):
        ycol[j] = X[i, j]
    v = rhs1(ycol, Cp, CBp, 0.0, has_slope, w, fcol)
    T[i] = t0p
    vel[i] = v
    jo = 0
    while jo < t_out.shape[0] and t_out[jo] <= t0p:
        jo += 1
    h = H[i]
    if method == 0 and not (h > 0.0):
        # Hairer's starting step (Hairer, Norsett & Wanner 1993, sec. II.4)
        d0 = 0.0
        d1 = 0.0
        for j in range(NSTATE):
            sc = atol + abs(ycol[j]) * rtol
            d0 += (ycol[j] / sc) ** 2
            d1 += (fcol[j] / sc) ** 2
        d0 = math.sqrt(d0 / NSTATE)
        d1 = math.sqrt(d1 / NSTATE)
        if d0 < 1e-5 or d1 < 1e-5:
            h0 = 1e-6
        else:
            h0 = 0.01 * d0 / d1
        h0 = min(h0, t1p - t0p)
        ys = np.empty(NSTATE)
        for j in range(NSTATE):
            ys[j] = ycol[j] + h0 * fcol[j]
        rhs1(ys, Cp, CBp, h0, has_slope, w, gcol)
        d2 = 0.0
        for j in range(NSTATE):
            sc = atol + abs(ycol[j]) * rtol
            d2 += ((gcol[j] - fcol[j]) / sc) ** 2
        d2 = math.sqrt(d2 / NSTATE) / h0
        dmax = max(d1, d2)
        if dmax <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / dmax) ** 0.2
        h = min(min(100.0 * h0, h1), t1p - t0p)
    for j in range(NSTATE):
        S[O_Y + j * LANES + ln] = ycol[j]
        S[O_K1 + j * LANES + ln] = fcol[j]
    for p in range(NPOP):
        for k in range(NPROF):
            S[O_C + (p * NPROF + k) * LANES + ln] = Cp[p, k]
            S[O_CB + (p * NPROF + k) * LANES + ln] = CBp[p, k] if has_slope else 0.0
    for k in range(NPROF):
        S[O_RAD + k * LANES + ln] = R[pi, k] if boxon else 0.0
    S[O_T + ln] = t0p
    S[O_H + ln] = h
    S[O_NST + ln] = 0.0
    S[O_NACC + ln] = 0.0
    S[O_NREJ + ln] = 0.0
    S[O_VPREV + ln] = v
    S[O_ACT + ln] = 1.0
    jout[ln] = jo
    row[ln] = i
    return nxt
'''

def _source(counts) -> str:
    lay = layout_of(counts)
    r = _rows(counts)
    consts = {
        "LANES": _LANES, "NPOP": lay.n_pops, "NSTATE": lay.n_state, "NPROF": lay.n_profiles,
        "NROWS": r.n_rows, "OFFS": tuple(int(v) for v in lay.offsets),
        "NY": lay.n_state, "NWORK": lay.n_state, "INVN": 1.0 / lay.n_state,
        "A21": _A21, "A31": _A31, "A32": _A32, "A41": _A41, "A42": _A42, "A43": _A43,
        "A51": _A51, "A52": _A52, "A53": _A53, "A54": _A54, "A61": _A61, "A62": _A62,
        "A63": _A63, "A64": _A64, "A65": _A65, "A71": _A71, "A73": _A73, "A74": _A74,
        "A75": _A75, "A76": _A76, "E1": _E1, "E3": _E3, "E4": _E4, "E5": _E5, "E6": _E6,
        "E7": _E7, "C2": 1 / 5, "C3": 3 / 10, "C4": 4 / 5, "C5": 8 / 9,
        "SAFETY": _SAFETY, "MIN_FACTOR": _MIN_FACTOR, "MAX_FACTOR": _MAX_FACTOR,
        "SUM_TOL": SUM_TOL,
    }
    consts.update({f"O_{k}": v * _LANES for k, v in r.start.items()})
    head = [f'"""Generated by gametheory_regen.dynamics.kernel_general for strategy counts '
            f'{tuple(lay.counts)}. Do not edit."""',
            "import math", "", "import numba", "import numpy as np", ""]
    head += [f"{k} = {v!r}" for k, v in consts.items()]
    parts = ["\n".join(head) + "\n\n", _rhs1_source(counts), _DRIVER]
    for method in ("dopri5", "rk4"):
        for slope in (False, True):
            parts.append("\n\n" + _step_source(counts, method, slope))
    parts.append("\n\n" + _commit_source(counts))
    parts.append("\n\n" + _control_source(lay.n_pops, r))
    parts.append(piece_sources())
    return "".join(parts)


@functools.lru_cache(maxsize=16)
def _module(counts: tuple[int, ...]):
    tag = "x".join(str(k) for k in counts)
    return load_generated(_source(counts), f"gtr_general_kernel_{tag}")


def general_piece(piece, X, T, H, status, steps, rejected, vel, pidx, counts, method, rtol,
                  atol, dt, settle_tol, max_steps, t_out, out, radii=None, vtx=None, rates=None,
                  vertex_tol=math.inf):
    """Integrate the running rows of ``X`` over one piece with the generated general kernel.

    Same signature and in-place contract as the other kernels' piece functions (see
    :func:`gametheory_regen.dynamics.kernels.integrate_pieces`).

    Examples
    --------
    The generated source for two populations of three strategies is plain Python that numba
    compiles; its right-hand side is written out term by term:

    >>> src = _source((3, 3))
    >>> "def piece_dopri5_const(" in src and "u0 = (s3 * " in src
    True
    """
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    mod = _module(tuple(lay.counts))
    m = X.shape[0]
    C = np.ascontiguousarray(piece.payoffs.reshape(piece.payoffs.shape[0], n, K), dtype=float)
    has_slope = piece.slope is not None
    CB = (np.ascontiguousarray(piece.slope.reshape(C.shape), dtype=float) if has_slope
          else np.zeros((1, n, K)))
    kern = getattr(mod, f"piece_{method}_{'slope' if has_slope else 'const'}")
    out_arr = out if out is not None else np.zeros((m, 0, X.shape[1]))
    nchunks = max(1, min(8 * _n_threads(), m // (4 * _LANES) + 1))
    kern(
        X, T, H, status, steps, rejected, vel, pidx, C, CB, has_slope,
        float(piece.t_start), float(piece.t_stop), float(rtol), float(atol), float(dt),
        float(settle_tol), int(max_steps), t_out, out_arr, nchunks,
        radii if radii is not None else np.zeros((1, K)), radii is not None,
        float(NEAR_VERTEX), vtx if vtx is not None else np.full(m, -1, dtype=np.int64),
        *(rates if rates is not None else (np.zeros((1, K, 1)), np.zeros((1, K, 1)))),
        float(vertex_tol),
    )

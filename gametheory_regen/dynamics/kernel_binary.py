r"""Compiled batch integrator for games in which every population has two strategies.

Most models of collaborative governance (the regeneration game among them) give each of their
:math:`n` populations two strategies. The state is then :math:`n` numbers, the share
:math:`x_p` of each population's first strategy, and the replicator dynamics is

.. math:: \dot x_p = x_p (1 - x_p)\, D_p(x_{-p}), \qquad D_p = u_{p0} - u_{p1},

with :math:`D_p` multilinear in the other populations' shares. Writing :math:`D_p` in the
monomial basis, :math:`D_p = \sum_{S} c_{p,S} \prod_{q \in S} x_q` (``S`` a subset of the other
populations), one evaluation costs :math:`2^{n-1} - 1` fused multiply-adds (Horner's scheme,
one variable at a time) plus three products, instead of the :math:`O(n 2^n)` of the general
kernel in :mod:`gametheory_regen.dynamics.kernels`: 21 against 144 floating-point operations
for a 2x2x2 game. The shares of each population sum to one exactly, by construction.

The integrator is the same as the general one: Dormand--Prince 5(4) with a per-trajectory
step, the same error norm (computed over both shares of every population), the same projection
(clipping to :math:`[0, 1]`), the same early stops (the forward-invariant box of a strict Nash
vertex; velocity settling away from vertices), the same cubic Hermite output and the same
fixed-step RK4 mode. It takes the steps the general kernel takes, up to rounding, with one
exception: once a share comes within rounding (about 1e-16) of 0 or 1, the reduced coordinate
lands on the vertex exactly while the general kernel keeps integrating the tiny share; from
there the step sequences part, and the states still agree to the absolute tolerance.

Trajectories are integrated side by side in blocks of ``_LANES``. The compiled code is
generated per number of populations (:func:`_source`): every per-lane quantity sits at a
constant offset of one work array and the right-hand side is written out, so that the
compiler vectorises the lane loops (SIMD); a lane whose trajectory finishes takes the next one
from its thread's queue. The generated module is written to a cache directory
(``$GAMETHEORY_REGEN_CACHE``, else ``~/.cache/gametheory_regen``, else the temporary
directory) so that numba's on-disk cache serves later processes.

Only the compiled (numba) path uses this kernel; the numpy path integrates every game with the
general formulation (same answers, as above).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .kernels import (
    _A21, _A31, _A32, _A41, _A42, _A43, _A51, _A52, _A53, _A54, _A61, _A62, _A63, _A64, _A65,
    _A71, _A73, _A74, _A75, _A76, _E1, _E3, _E4, _E5, _E6, _E7, _MAX_FACTOR, _MIN_FACTOR,
    _SAFETY, NEAR_VERTEX, _n_threads, layout_of,
)

__all__ = ["binary_coefficients", "is_binary"]

#: trajectories integrated side by side in one SIMD block
_LANES = 16


def is_binary(counts) -> bool:
    """Whether every population has exactly two strategies.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    bool
        True when the reduced-coordinate kernel applies.

    Examples
    --------
    >>> is_binary((2, 2, 2)), is_binary((2, 3))
    (True, False)
    """
    return all(int(c) == 2 for c in counts)


def binary_coefficients(payoffs: np.ndarray, n: int) -> np.ndarray:
    r"""Monomial coefficients of the payoff differences :math:`D_p = u_{p0} - u_{p1}`.

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, 2, ..., 2)`` or ``(P, n, 2**n)`` payoff tensors of ``P`` parameter sets.
    n : int
        Number of populations.

    Returns
    -------
    numpy.ndarray
        ``(P, n, 2**(n-1))``: ``C[P, p, m]`` is the coefficient of the monomial
        :math:`\prod_b x_{q_b}^{m_b}`, where :math:`m = \sum_b m_b 2^b` and :math:`q_b` is the
        ``b``-th population other than ``p`` (in population order).

    Examples
    --------
    Two-population matching pennies (row wins on a match): :math:`D_1 = 4y - 2` for the row,
    :math:`D_2 = 2 - 4x` for the column.

    >>> import numpy as np
    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> binary_coefficients(np.stack([A, -A])[None], 2).tolist()
    [[[-2.0, 4.0], [2.0, -4.0]]]
    """
    pay = np.asarray(payoffs, dtype=float)
    P = pay.shape[0]
    pay = pay.reshape(P, n, *([2] * n))
    M = 2 ** (n - 1)
    C = np.empty((P, n, M))
    for p in range(n):
        g = np.take(pay[:, p], 0, axis=p + 1) - np.take(pay[:, p], 1, axis=p + 1)
        # value at (x_q = 1, x_q = 0) along each other axis -> (constant, coefficient of x_q)
        for ax in range(1, n):
            g0 = np.take(g, 0, axis=ax)
            g1 = np.take(g, 1, axis=ax)
            g = np.stack([g1, g0 - g1], axis=ax)
        # bit b of the flat index <-> axis b: reverse the axes, then flatten in C order
        g = np.transpose(g, (0, *range(n - 1, 0, -1)))
        C[:, p] = g.reshape(P, M)
    return C


# ---------------------------------------------------------------------------------------------
# code generation
# ---------------------------------------------------------------------------------------------
# The compiled kernel for n populations is generated as Python source in which every per-lane
# quantity lives at a constant offset of one flat work array ``S`` (row r of lane ln at
# ``S[r * L + ln]``), and the right-hand side is written out (Horner's scheme per population).
# With one array and constant offsets the compiler proves that the lane loops carry no
# dependence and emits SIMD code; with several array arguments it cannot rule out aliasing and
# leaves the loops scalar (measured: 4x slower). The source is written once per n (and per
# version of this generator) to a cache directory, so that numba's on-disk cache of the
# compiled code works across processes.

#: bump when the generated source changes meaning (the file name carries a hash anyway)
GENERATOR_VERSION = 4

ENV_CACHE = "GAMETHEORY_REGEN_CACHE"


class _Rows:
    """Row allocation of the per-lane work array."""

    def __init__(self, lanes: int):
        self.lanes = lanes
        self.n_rows = 0
        self.start: dict[str, int] = {}

    def add(self, name: str, count: int = 1) -> None:
        self.start[name] = self.n_rows
        self.n_rows += count

    def at(self, name: str, i: int = 0) -> str:
        """Source text of the element of row ``name[i]`` in lane ``ln``."""
        return f"S[{(self.start[name] + i) * self.lanes} + ln]"

    def base(self, name: str, i: int = 0) -> int:
        return (self.start[name] + i) * self.lanes


def _layout_rows(n: int) -> _Rows:
    M, K = 2 ** (n - 1), 2 ** n
    r = _Rows(_LANES)
    for name, count in (("Y", n), ("K1", n), ("YN", n), ("K7", n), ("C", n * M),
                        ("CB", n * M), ("RAD", K)):
        r.add(name, count)
    for name in ("T", "H", "HH", "LAST", "ERR2", "V", "VPREV", "CLIP", "ACC", "DONE", "ACT",
                 "NST", "NACC", "NREJ", "INBOX", "CALM", "FLAT", "DIST"):
        r.add(name)
    return r


def _rhs_lines(r: _Rows, n: int, ys, ks, tau: str, slope: bool, ind: str) -> list[str]:
    """Lines computing ``ks[p] = dx_p/dt`` at the state ``ys`` (names) and time ``tau``."""
    M = 2 ** (n - 1)
    lines = []
    for p in range(n):
        others = [q for q in range(n) if q != p]

        def coef(m, p=p):
            c = r.at("C", p * M + m)
            return f"({c} + ({tau}) * {r.at('CB', p * M + m)})" if slope else c

        def poly(base, b, others=others, coef=coef):
            if b < 0:
                return coef(base)
            return f"({poly(base, b - 1)} + {ys[others[b]]} * {poly(base + 2 ** b, b - 1)})"

        lines.append(f"{ind}{ks[p]} = {ys[p]} * (1.0 - {ys[p]}) * {poly(0, n - 2)}")
    return lines


def _step_source(n: int, method: str, slope: bool) -> str:
    """A function advancing every lane by one step attempt (vectorised over lanes)."""
    r = _layout_rows(n)
    P = range(n)
    name = f"step_{method}_{'slope' if slope else 'const'}"
    i1, i2 = " " * 4, " " * 8
    L = [f"@numba.njit(cache=True, nogil=True, fastmath=True, error_model=\"numpy\")",
         f"def {name}(S, t0p, t1p, tiny, dt, rtol, atol):",
         f"{i1}for ln in range(LANES):",
         f"{i2}t = {r.at('T')}"]
    if method == "dopri5":
        L.append(f"{i2}hv = min({r.at('H')}, t1p - t)")
    else:
        L.append(f"{i2}hv = min(dt, t1p - t)")
    L += [f"{i2}last = t + hv >= t1p - tiny",
          f"{i2}hv = (t1p - t) if last else hv",
          f"{i2}tau = t - t0p"]
    L += [f"{i2}y{p} = {r.at('Y', p)}" for p in P]
    L += [f"{i2}k1_{p} = {r.at('K1', p)}" for p in P]
    ys = [f"s{p}" for p in P]

    def stage(coefs, k_out, c):
        out = []
        for p in P:
            comb = " + ".join(f"{a} * k{j}_{p}" for j, a in coefs)
            out.append(f"{i2}s{p} = y{p} + hv * ({comb})")
        out += _rhs_lines(r, n, ys, [f"k{k_out}_{p}" for p in P], f"tau + {c} * hv", slope, i2)
        return out

    if method == "dopri5":
        L += stage([("1", "A21")], 2, "C2")
        L += stage([("1", "A31"), ("2", "A32")], 3, "C3")
        L += stage([("1", "A41"), ("2", "A42"), ("3", "A43")], 4, "C4")
        L += stage([("1", "A51"), ("2", "A52"), ("3", "A53"), ("4", "A54")], 5, "C5")
        L += stage([("1", "A61"), ("2", "A62"), ("3", "A63"), ("4", "A64"), ("5", "A65")], 6,
                   "1.0")
        for p in P:
            L.append(f"{i2}yn{p} = y{p} + hv * (A71 * k1_{p} + A73 * k3_{p} + A74 * k4_{p}"
                     f" + A75 * k5_{p} + A76 * k6_{p})")
        L += _rhs_lines(r, n, [f"yn{p}" for p in P], [f"k7_{p}" for p in P], "tau + hv",
                        slope, i2)
        L.append(f"{i2}e2 = 0.0")
        for p in P:
            L += [f"{i2}e = hv * (E1 * k1_{p} + E3 * k3_{p} + E4 * k4_{p} + E5 * k5_{p}"
                  f" + E6 * k6_{p} + E7 * k7_{p})",
                  f"{i2}sa = atol + rtol * max(abs(y{p}), abs(yn{p}))",
                  f"{i2}sb = atol + rtol * max(abs(1.0 - y{p}), abs(1.0 - yn{p}))",
                  f"{i2}e2 += (e / sa) ** 2 + (e / sb) ** 2"]
        L.append(f"{i2}{r.at('ERR2')} = e2")
    else:  # classical RK4
        for p in P:
            L.append(f"{i2}s{p} = y{p} + 0.5 * hv * k1_{p}")
        L += _rhs_lines(r, n, ys, [f"k2_{p}" for p in P], "tau + 0.5 * hv", slope, i2)
        for p in P:
            L.append(f"{i2}s{p} = y{p} + 0.5 * hv * k2_{p}")
        L += _rhs_lines(r, n, ys, [f"k3_{p}" for p in P], "tau + 0.5 * hv", slope, i2)
        for p in P:
            L.append(f"{i2}s{p} = y{p} + hv * k3_{p}")
        L += _rhs_lines(r, n, ys, [f"k4_{p}" for p in P], "tau + hv", slope, i2)
        for p in P:
            L.append(f"{i2}yn{p} = y{p} + (hv / 6.0) * (k1_{p} + 2.0 * k2_{p} + 2.0 * k3_{p}"
                     f" + k4_{p})")
        L.append(f"{i2}{r.at('ERR2')} = 0.0")
    # projection onto [0, 1]: a negative share of either strategy is clipped
    L.append(f"{i2}clip = 0.0")
    for p in P:
        L += [f"{i2}clip = 1.0 if (yn{p} < 0.0 or yn{p} > 1.0) else clip",
              f"{i2}yn{p} = min(1.0, max(0.0, yn{p}))"]
    if method == "rk4":  # the velocity at the (projected) new state
        L += _rhs_lines(r, n, [f"yn{p}" for p in P], [f"k7_{p}" for p in P], "tau + hv",
                        slope, i2)
    L.append(f"{i2}v = 0.0")
    for p in P:
        L += [f"{i2}{r.at('YN', p)} = yn{p}", f"{i2}{r.at('K7', p)} = k7_{p}",
              f"{i2}v = max(v, abs(k7_{p}))"]
    L += [f"{i2}{r.at('V')} = v", f"{i2}{r.at('CLIP')} = clip",
          f"{i2}{r.at('HH')} = hv", f"{i2}{r.at('LAST')} = 1.0 if last else 0.0"]
    return "\n".join(L) + "\n"


def _control_source(n: int, r: _Rows | None = None) -> str:
    """Step-size control for every lane, vectorised (no call to ``pow``).

    ``fac = 0.9 * err**(-1/5)`` clipped to [0.2, 10] (Hairer et al. II.4). The power is
    computed without a library call: ``err**(51/256)`` from eight square roots (within 1.8 %
    of ``err**(1/5)`` on the range that matters, ``err`` in [1e-10, 1e4]), then four Newton
    steps for ``y**-5 = err`` (quadratic convergence: 1.8e-2, 9e-4, 2.6e-6, 2e-11, rounding).
    """
    r = _layout_rows(n) if r is None else r
    i1, i2 = " " * 4, " " * 8
    L = ["@numba.njit(cache=True, nogil=True, fastmath=True, error_model=\"numpy\")",
         "def control_dopri5(S, inv2n):",
         f"{i1}for ln in range(LANES):",
         f"{i2}err = math.sqrt({r.at('ERR2')} * inv2n)",
         f"{i2}act = {r.at('ACT')}",
         f"{i2}hh = {r.at('HH')}",
         f"{i2}x = min(max(err, 1e-10), 1e4)",
         f"{i2}q1 = math.sqrt(x)",
         f"{i2}q2 = math.sqrt(q1)",
         f"{i2}q3 = math.sqrt(q2)",
         f"{i2}q4 = math.sqrt(q3)",
         f"{i2}q5 = math.sqrt(q4)",
         f"{i2}q6 = math.sqrt(q5)",
         f"{i2}q7 = math.sqrt(q6)",
         f"{i2}q8 = math.sqrt(q7)",
         f"{i2}y = 1.0 / (q3 * q4 * q7 * q8)"]
    for _ in range(4):
        L += [f"{i2}y2 = y * y", f"{i2}y = y * (6.0 - x * (y2 * y2 * y)) * 0.2"]
    L += [f"{i2}fac = min(MAX_FACTOR, max(MIN_FACTOR, SAFETY * y))",
          f"{i2}fac = MAX_FACTOR if err == 0.0 else fac",
          f"{i2}acc = err <= 1.0",
          f"{i2}fac = fac if acc else min(fac, 1.0)",
          f"{i2}{r.at('H')} = hh * fac",
          f"{i2}{r.at('ACC')} = act if acc else 0.0",
          "",
          "",
          "@numba.njit(cache=True, nogil=True, fastmath=True, error_model=\"numpy\")",
          "def control_rk4(S, inv2n):",
          f"{i1}for ln in range(LANES):",
          f"{i2}{r.at('ACC')} = {r.at('ACT')}"]
    return "\n".join(L) + "\n"


def _commit_source(n: int) -> str:
    """A function committing accepted steps and deciding which lanes are done (vectorised)."""
    r = _layout_rows(n)
    P = range(n)
    i1, i2 = " " * 4, " " * 8
    L = ["@numba.njit(cache=True, nogil=True, fastmath=True, error_model=\"numpy\")",
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
    # every load is unconditional (a load inside a conditional expression keeps the compiler
    # from turning it into a select, and the loop from being vectorised)
    for p in P:
        L += [f"{i2}yo = {r.at('Y', p)}", f"{i2}yn = {r.at('YN', p)}",
              f"{i2}{r.at('Y', p)} = yn if a else yo",
              f"{i2}ko = {r.at('K1', p)}", f"{i2}kn = {r.at('K7', p)}",
              f"{i2}{r.at('K1', p)} = kn if a else ko"]
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
    for p in P:
        L += [f"{i2}yv = {r.at('Y', p)}",
              f"{i2}up = (1.0 - yv) > yv",
              f"{i2}dist = max(dist, yv if up else 1.0 - yv)",
              f"{i2}flat = 2.0 * flat + (1.0 if up else 0.0)"]
    L.append(f"{i2}rb = 0.0")
    for k in range(2 ** n):
        L += [f"{i2}rk = {r.at('RAD', k)}", f"{i2}rb = rk if flat == {float(k)} else rb"]
    # (non-short-circuit & and |, so that the compiler can turn the branches into selects)
    L += [f"{i2}inbox = a & (rb > 0.0) & (dist <= rb)",
          f"{i2}calm = calm & (settle_tol > 0.0) & (dist >= near_tol) & (inbox == False)",  # noqa: E712
          # a lane in a box stops there once the driver has checked the proven end-state
          # distance (a scalar exp); here only the other reasons to stop
          f"{i2}done = (act > 0.0) & (calm | (a & last) | (nst >= max_steps))",
          f"{i2}{r.at('INBOX')} = 1.0 if inbox else 0.0",
          f"{i2}{r.at('CALM')} = 1.0 if calm else 0.0",
          f"{i2}{r.at('DONE')} = 1.0 if done else 0.0",
          f"{i2}{r.at('FLAT')} = flat",
          f"{i2}{r.at('DIST')} = dist"]
    return "\n".join(L) + "\n"


_DRIVER = '''
@numba.njit(cache=True, nogil=True)
def rhs1(y, Cp, CBp, tau, has_slope, w, f):
    # one trajectory: y (n,), Cp/CBp (n, M); returns max |dx/dt| over all shares
    vmax = 0.0
    for p in range(NPOP):
        for m in range(NMON):
            w[m] = Cp[p, m] + tau * CBp[p, m] if has_slope else Cp[p, m]
        half = NMON // 2
        b = NPOP - 2
        while half >= 1:
            q = b if b < p else b + 1
            for i in range(half):
                w[i] += y[q] * w[i + half]
            half //= 2
            b -= 1
        fp = y[p] * (1.0 - y[p]) * w[0]
        f[p] = fp
        vmax = max(vmax, abs(fp))
    return vmax


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
            for p in range(NPOP):
                v = h00 * y0[p] + h10 * f0[p] + h01 * y1[p] + h11 * f1[p]
                out_i[jout, p] = min(1.0, max(0.0, v))
        jout += 1
    return jout


@numba.njit(cache=True, nogil=True)
def snap_vertex(S, ln, flat):
    # the lane's state becomes the vertex of pure profile ``flat`` (it is at rest there)
    rem = flat
    for p in range(NPOP - 1, -1, -1):
        S[O_Y + p * LANES + ln] = 1.0 if rem % 2 == 0 else 0.0
        S[O_K1 + p * LANES + ln] = 0.0
        rem = rem // 2


@numba.njit(cache=True, nogil=True)
def park_lane(S, ln):
    # an idle lane: a harmless state (the centre) and no payoffs
    for p in range(NPOP):
        S[O_Y + p * LANES + ln] = 0.5
        S[O_K1 + p * LANES + ln] = 0.0
        for m in range(NMON):
            S[O_C + (p * NMON + m) * LANES + ln] = 0.0
            S[O_CB + (p * NMON + m) * LANES + ln] = 0.0


@numba.njit(cache=True, nogil=True)
def fill(out_i, t_out, jout, t1, y):
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        for p in range(NPOP):
            out_i[jout, p] = y[p]
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
    for p in range(NPOP):
        ycol[p] = X[i, p]
    v = rhs1(ycol, Cp, CBp, 0.0, has_slope, w, fcol)
    T[i] = t0p
    vel[i] = v
    jo = 0
    while jo < t_out.shape[0] and t_out[jo] <= t0p:
        jo += 1
    h = H[i]
    if method == 0 and not (h > 0.0):
        # Hairer's starting step (Hairer, Norsett & Wanner 1993, sec. II.4), norms over both
        # shares of every population as in the general kernel
        d0 = 0.0
        d1 = 0.0
        for p in range(NPOP):
            s0 = atol + abs(ycol[p]) * rtol
            s1 = atol + abs(1.0 - ycol[p]) * rtol
            d0 += (ycol[p] / s0) ** 2 + ((1.0 - ycol[p]) / s1) ** 2
            d1 += (fcol[p] / s0) ** 2 + (fcol[p] / s1) ** 2
        d0 = math.sqrt(d0 / (2 * NPOP))
        d1 = math.sqrt(d1 / (2 * NPOP))
        if d0 < 1e-5 or d1 < 1e-5:
            h0 = 1e-6
        else:
            h0 = 0.01 * d0 / d1
        h0 = min(h0, t1p - t0p)
        ys = np.empty(NPOP)
        for p in range(NPOP):
            ys[p] = ycol[p] + h0 * fcol[p]
        rhs1(ys, Cp, CBp, h0, has_slope, w, gcol)
        d2 = 0.0
        for p in range(NPOP):
            s0 = atol + abs(ycol[p]) * rtol
            s1 = atol + abs(1.0 - ycol[p]) * rtol
            df = gcol[p] - fcol[p]
            d2 += (df / s0) ** 2 + (df / s1) ** 2
        d2 = math.sqrt(d2 / (2 * NPOP)) / h0
        dmax = max(d1, d2)
        if dmax <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / dmax) ** 0.2
        h = min(min(100.0 * h0, h1), t1p - t0p)
    for p in range(NPOP):
        S[O_Y + p * LANES + ln] = ycol[p]
        S[O_K1 + p * LANES + ln] = fcol[p]
        for m in range(NMON):
            S[O_C + (p * NMON + m) * LANES + ln] = Cp[p, m]
            S[O_CB + (p * NMON + m) * LANES + ln] = CBp[p, m] if has_slope else 0.0
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


# The parallel driver of one piece, shared by the generated kernels (here and in
# kernel_general). A generated module supplies the constants NY (state rows per lane), NWORK
# (scratch size) and INVN (1 / the number of shares in the error norm), and the functions rhs1,
# load, hermite, fill, commit, snap_vertex and park_lane; STEP_NAME, CONTROL_NAME, PIECE_NAME
# and METHOD are filled in per variant.
PIECE_TEMPLATE = '''
@numba.njit(cache=True, parallel=True, nogil=True)
def PIECE_NAME(X, T, H, status, steps, rejected, vel, pidx, C, CB, has_slope, t0p, t1p, rtol,
               atol, dt, settle_tol, max_steps, t_out, out, nchunks, R, boxon, near_tol, vtx,
               LAMV, SPV, vtol):
    method = METHOD
    todo = np.nonzero(status == 0)[0]
    mt = todo.shape[0]
    tiny = 1e-12 * max(1.0, abs(t1p))
    has_out = t_out.shape[0] > 0
    for c in numba.prange(nchunks):
        lo = c * mt // nchunks
        hi = (c + 1) * mt // nchunks
        S = np.zeros(NROWS * LANES)
        for ln in range(LANES):
            park_lane(S, ln)
        row = np.full(LANES, -1, dtype=np.int64)
        jout = np.zeros(LANES, dtype=np.int64)
        ycol = np.zeros(NY)
        fcol = np.zeros(NY)
        gcol = np.zeros(NY)
        hcol = np.zeros(NY)
        w = np.zeros(NWORK)
        nxt = lo
        nact = 0
        for ln in range(LANES):
            nxt = load(ln, S, row, jout, todo, nxt, hi, X, T, H, vel, pidx, C, CB, has_slope,
                       R, boxon, t0p, t1p, method, rtol, atol, t_out, ycol, fcol, gcol, w)
            if row[ln] >= 0:
                nact += 1
        while nact > 0:
            STEP_NAME(S, t0p, t1p, tiny, dt, rtol, atol)
            # step-size control (Hairer et al. II.4): accept when the error norm is <= 1
            CONTROL_NAME(S, INVN)
            # rare, per lane: velocity at a clipped state; dense output
            for ln in range(LANES):
                if S[O_ACC + ln] == 0.0:
                    continue
                i = row[ln]
                if method == 0 and S[O_CLIP + ln] > 0.0:
                    # the velocity must be that of the projected state (it decides settling)
                    for j in range(NY):
                        ycol[j] = S[O_YN + j * LANES + ln]
                    S[O_V + ln] = rhs1(ycol, C[pidx[i]], CB[pidx[i]] if has_slope else CB[0],
                                       S[O_T + ln] - t0p + S[O_HH + ln], has_slope, w, fcol)
                    for j in range(NY):
                        S[O_K7 + j * LANES + ln] = fcol[j]
                if has_out:
                    tn = t1p if S[O_LAST + ln] > 0.0 else S[O_T + ln] + S[O_HH + ln]
                    for j in range(NY):
                        ycol[j] = S[O_Y + j * LANES + ln]
                        fcol[j] = S[O_K1 + j * LANES + ln]
                        gcol[j] = S[O_YN + j * LANES + ln]
                        hcol[j] = S[O_K7 + j * LANES + ln]
                    jout[ln] = hermite(out[i], t_out, jout[ln], S[O_T + ln], tn, ycol, fcol,
                                       gcol, hcol, w)
            commit(S, t1p, settle_tol, near_tol, max_steps)
            for ln in range(LANES):
                if row[ln] < 0 or (S[O_DONE + ln] == 0.0 and S[O_INBOX + ln] == 0.0):
                    continue
                inbox = False
                if S[O_INBOX + ln] > 0.0:
                    # stop in the box once the distance the trajectory is proven to have at
                    # the horizon is within vtol (kernels.vertex_rates at distance d)
                    d = S[O_DIST + ln]
                    flat = int(S[O_FLAT + ln])
                    pi = pidx[row[ln]]
                    g = 1.0 - (1.0 - d) ** (NPOP - 1)
                    k = 1e300
                    for j in range(LAMV.shape[2]):
                        k = min(k, LAMV[pi, flat, j] - SPV[pi, flat, j] * g)
                    kap = (1.0 - d) * max(k, 0.0)
                    inbox = d * math.exp(-kap * (t1p - S[O_T + ln])) <= vtol
                if not inbox and S[O_DONE + ln] == 0.0:
                    continue
                i = row[ln]
                last = S[O_LAST + ln] > 0.0 and S[O_ACC + ln] > 0.0
                if inbox:
                    # in the invariant box of a strict Nash vertex: it converges there
                    st = 3
                    flat = int(S[O_FLAT + ln])
                    vtx[i] = flat
                    snap_vertex(S, ln, flat)
                    if has_out:
                        for j in range(NY):
                            ycol[j] = S[O_Y + j * LANES + ln]
                        jout[ln] = fill(out[i], t_out, jout[ln], t1p, ycol)
                elif S[O_CALM + ln] > 0.0:
                    st = 1
                    if has_out and not last:
                        for j in range(NY):
                            ycol[j] = S[O_Y + j * LANES + ln]
                        jout[ln] = fill(out[i], t_out, jout[ln], t1p, ycol)
                elif last:
                    st = 0
                else:
                    st = 2
                status[i] = st
                vmax = 0.0
                for j in range(NY):
                    X[i, j] = S[O_Y + j * LANES + ln]
                    vmax = max(vmax, abs(S[O_K1 + j * LANES + ln]))
                T[i] = S[O_T + ln]
                vel[i] = vmax
                H[i] = S[O_H + ln]
                steps[i] += int(S[O_NACC + ln])
                rejected[i] += int(S[O_NREJ + ln])
                nxt = load(ln, S, row, jout, todo, nxt, hi, X, T, H, vel, pidx, C, CB,
                           has_slope, R, boxon, t0p, t1p, method, rtol, atol, t_out, ycol,
                           fcol, gcol, w)
                if row[ln] < 0:
                    nact -= 1
                    park_lane(S, ln)
'''


def piece_sources() -> str:
    """The four variants (method x constant/affine payoffs) of :data:`PIECE_TEMPLATE`.

    Returns
    -------
    str
        Source of ``piece_dopri5_const``, ``piece_dopri5_slope``, ``piece_rk4_const`` and
        ``piece_rk4_slope``.

    Examples
    --------
    >>> src = piece_sources()
    >>> [name for name in ("piece_dopri5_const", "piece_rk4_slope") if f"def {name}(" in src]
    ['piece_dopri5_const', 'piece_rk4_slope']
    >>> "STEP_NAME" in src or "METHOD" in src
    False
    """
    parts = []
    for method in ("dopri5", "rk4"):
        for slope in (False, True):
            tag = f"{method}_{'slope' if slope else 'const'}"
            parts.append(PIECE_TEMPLATE.replace("PIECE_NAME", f"piece_{tag}")
                         .replace("STEP_NAME", f"step_{tag}")
                         .replace("CONTROL_NAME", f"control_{method}")
                         .replace("METHOD", "0" if method == "dopri5" else "1"))
    return "".join(parts)


def _source(n: int) -> str:
    """The whole generated module for ``n`` two-strategy populations."""
    r = _layout_rows(n)
    consts = {
        "LANES": _LANES, "NPOP": n, "NMON": 2 ** (n - 1), "NPROF": 2 ** n, "NROWS": r.n_rows,
        "NY": n, "NWORK": 2 ** (n - 1), "INVN": 1.0 / (2 * n),
        "A21": _A21, "A31": _A31, "A32": _A32, "A41": _A41, "A42": _A42, "A43": _A43,
        "A51": _A51, "A52": _A52, "A53": _A53, "A54": _A54, "A61": _A61, "A62": _A62,
        "A63": _A63, "A64": _A64, "A65": _A65, "A71": _A71, "A73": _A73, "A74": _A74,
        "A75": _A75, "A76": _A76, "E1": _E1, "E3": _E3, "E4": _E4, "E5": _E5, "E6": _E6,
        "E7": _E7, "C2": 1 / 5, "C3": 3 / 10, "C4": 4 / 5, "C5": 8 / 9,
        "SAFETY": _SAFETY, "MIN_FACTOR": _MIN_FACTOR, "MAX_FACTOR": _MAX_FACTOR,
    }
    consts.update({f"O_{k}": v * _LANES for k, v in r.start.items()})
    head = [
        f'"""Generated by gametheory_regen.dynamics.kernel_binary (generator version '
        f'{GENERATOR_VERSION}) for {n} two-strategy populations. Do not edit."""',
        "import math", "", "import numba", "import numpy as np", "",
    ]
    head += [f"{k} = {v!r}" for k, v in consts.items()]
    parts = ["\n".join(head) + "\n\n"]
    for method in ("dopri5", "rk4"):
        for slope in (False, True):
            parts.append("\n" + _step_source(n, method, slope) + "\n")
    parts.append("\n" + _commit_source(n) + "\n")
    parts.append("\n" + _control_source(n) + "\n")
    parts.append(_DRIVER)
    parts.append(piece_sources())
    return "".join(parts)


def _cache_dir() -> str:
    import os
    import tempfile

    base = os.environ.get(ENV_CACHE)
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "gametheory_regen")
    for cand in (base, os.path.join(tempfile.gettempdir(), f"gametheory_regen_{os.getuid()}")):
        try:
            os.makedirs(cand, exist_ok=True)
            if os.access(cand, os.W_OK):
                return cand
        except OSError:
            continue
    raise OSError("no writable cache directory for the compiled kernels; set "
                  f"{ENV_CACHE} to a writable directory")


def load_generated(src: str, stem: str):
    """Write generated kernel source to the cache directory (once) and import it.

    The file name carries a hash of the source, so a changed generator never meets stale
    compiled code; numba's on-disk cache of the module's functions then serves later processes.

    Parameters
    ----------
    src : str
        Python source of the module.
    stem : str
        Start of the module's file name (a hash of ``src`` follows).

    Returns
    -------
    module
        The imported module (also registered in ``sys.modules`` under its name).

    Examples
    --------
    >>> mod = load_generated("ANSWER = 42", "gtr_example")
    >>> mod.ANSWER, mod.__name__.startswith("gtr_example_")
    (42, True)
    """
    import hashlib
    import importlib.util
    import os
    import sys

    digest = hashlib.sha256(src.encode()).hexdigest()[:16]
    name = f"{stem}_{digest}"
    path = os.path.join(_cache_dir(), name + ".py")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(src)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    # registered before it runs: numba's cache finds the module of a cached function by name
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@functools.lru_cache(maxsize=16)
def _module(n: int):
    """The generated kernel module for ``n`` two-strategy populations."""
    return load_generated(_source(n), f"gtr_binary_kernel_n{n}")


def binary_piece(piece, X, T, H, status, steps, rejected, vel, pidx, counts, method, rtol,
                 atol, dt, settle_tol, max_steps, t_out, out, radii=None, vtx=None, rates=None,
                 vertex_tol=math.inf):
    """Integrate the running rows of ``X`` (full shares) over one piece with the binary kernel.

    Same signature and in-place contract as the general kernels' piece functions; the state
    and the output are converted to reduced coordinates and back.

    Parameters
    ----------
    piece : gametheory_regen.dynamics.kernels.Piece
        Payoffs (and slope) of the interval; ``payoff_at`` is not supported (such pieces take
        the numpy path).
    X, T, H : numpy.ndarray
        ``(m, N)`` full states, ``(m,)`` times and step sizes; the rows with ``status == 0``
        (running) are advanced in place, the others are left as they are.
    status, steps, rejected, vel : numpy.ndarray
        ``(m,)`` per-trajectory status code, accepted and rejected step counts and final
        ``max |dx/dt|``; updated in place.
    pidx : numpy.ndarray
        ``(m,)`` parameter-set index of each trajectory.
    counts : sequence of int
        Strategies per population, all 2 (:func:`is_binary`).
    method, rtol, atol, dt, settle_tol, max_steps
        As in :func:`~gametheory_regen.dynamics.kernels.integrate_pieces`.
    t_out, out : numpy.ndarray
        Output times and the ``(m, T, N)`` output array (or ``None``), filled in place.
    radii, vtx, rates, vertex_tol
        Invariant boxes of strict Nash vertices (``None``: no vertex stop), the ``(m,)``
        array receiving the vertex reached, the rate terms of
        :func:`~gametheory_regen.dynamics.kernels.vertex_rate_terms` and the stopping distance.

    Returns
    -------
    None

    Examples
    --------
    Calling it compiles the kernel on first use (about ten seconds), so this example checks
    the reduction it rests on instead: with the first-strategy shares :math:`x_p` as state and
    :math:`D_p` from :func:`binary_coefficients`, :math:`x_p (1 - x_p) D_p` is the velocity of
    the general kernel's first strategy, and minus it that of the second. Hawk-dove
    (V = 2, C = 4) at hawk shares 0.9 and 0.2:

    >>> import numpy as np
    >>> from gametheory_regen.dynamics.kernels import replicator_rhs
    >>> A = np.array([[-1., 2.], [0., 1.]])
    >>> pay = np.stack([A, A.T])[None]               # (P, n, 2, 2)
    >>> is_binary((2, 2))
    True
    >>> C = binary_coefficients(pay, 2)              # D_p = C[0, p, 0] + C[0, p, 1] * x_other
    >>> x = np.array([0.9, 0.2])
    >>> reduced = x * (1 - x) * (C[0, :, 0] + C[0, :, 1] * x[::-1])
    >>> full = replicator_rhs(np.array([[0.9, 0.1, 0.2, 0.8]]), pay[0], (2, 2))[0]
    >>> bool(np.allclose(full[0::2], reduced) and np.allclose(full[1::2], -reduced))
    True
    >>> reduced.round(6).tolist()                    # owner to hawk, intruder to dove
    [0.054, -0.128]
    """
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    mod = _module(n)
    m = X.shape[0]
    C = np.ascontiguousarray(binary_coefficients(piece.payoffs, n))
    has_slope = piece.slope is not None
    CB = (np.ascontiguousarray(binary_coefficients(piece.slope, n)) if has_slope
          else np.zeros((1, n, C.shape[2])))
    kern = getattr(mod, f"piece_{method}_{'slope' if has_slope else 'const'}")
    run = np.flatnonzero(status == 0)  # the rows this piece integrates (others stay as they are)
    Xr = np.ascontiguousarray(X[:, 0::2])
    if out is not None:
        outr = np.ascontiguousarray(out[:, :, 0::2])
    else:
        outr = np.zeros((m, 0, n))
    nchunks = max(1, min(8 * _n_threads(), m // (4 * _LANES) + 1))
    kern(
        Xr, T, H, status, steps, rejected, vel, pidx, C, CB, has_slope,
        float(piece.t_start), float(piece.t_stop), float(rtol), float(atol), float(dt),
        float(settle_tol), int(max_steps), t_out, outr, nchunks,
        radii if radii is not None else np.zeros((1, K)), radii is not None,
        float(NEAR_VERTEX), vtx if vtx is not None else np.full(m, -1, dtype=np.int64),
        *(rates if rates is not None else (np.zeros((1, K, 1)), np.zeros((1, K, 1)))),
        float(vertex_tol),
    )
    rows = slice(None) if run.size == m else run  # a slice avoids copies in the common case
    X[rows, 0::2] = Xr[rows]
    X[rows, 1::2] = 1.0 - Xr[rows]
    if out is not None:
        out[rows, :, 0::2] = outr[rows]
        out[rows, :, 1::2] = 1.0 - outr[rows]

r"""The reference integrator: any explicit Runge--Kutta tableau, any dynamics, in numpy.

This module is the specification of what the engine computes; the compiled kernel
(:mod:`gametheory_regen.dynamics.kernel_numba`) implements the same steps with the same
arithmetic, in the same order, one trajectory at a time.

Mathematics
-----------
All unfinished trajectories take one step attempt per iteration, each with its own step size
:math:`h` and time :math:`t`, over one :class:`~gametheory_regen.dynamics.kernels.Piece` of the
horizon (schedules restart the integration exactly at their breakpoints). A step applies the
tableau of :mod:`gametheory_regen.dynamics.methods` to the vector field of
:mod:`gametheory_regen.dynamics.field`, whose expected payoffs are formed by contracting each
payoff tensor one population at a time, after rewriting it for payoffs relative to each
population's last strategy (every dynamics depends on payoff differences only;
:func:`~gametheory_regen.dynamics.contraction.relative_tensors`,
:func:`~gametheory_regen.dynamics.contraction.relative_payoffs_contracted`):

* *Adaptive methods.* The error norm is :func:`scipy.integrate.solve_ivp`'s: the root mean
  square of :math:`h \sum_i e_i k_i / (\mathrm{atol} + \mathrm{rtol} \max(|y|, |y_\text{new}|))`;
  a step is accepted when it is at most 1, and the next step is
  :math:`h \cdot \mathrm{clip}(0.9\,\mathrm{err}^{-1/(q+1)}, 0.2, 10)` (at most 1 after a
  rejection), the factor rounded down to 21 significant bits so that every backend picks the
  same steps whatever its ``pow``'s last bit. The first step is Hairer's starting step
  (Hairer, Nørsett & Wanner 1993, sec. II.4).
* *Fixed-step methods* take steps of ``dt``, the last one shortened to end on the piece's end.
* *Simplices.* After every accepted step the shares are projected onto their simplices
  (rounding residue below zero cleared, each population divided by its sum). A FSAL method's
  last stage belongs to the unprojected state; where the projection moved the state by more
  than rounding, the derivative is evaluated again.
* *Early stops* (last piece only, constant payoffs only, never with output times): a
  trajectory inside the forward-invariant box of a strict Nash vertex stops once its proven
  distance at the horizon, :math:`d\,e^{-\kappa(d)(T - t)}`, is at most ``vertex_tol``
  (:func:`~gametheory_regen.dynamics.kernels.vertex_rates`; replicator only); a trajectory at
  least :data:`~gametheory_regen.dynamics.kernels.NEAR_VERTEX` from every vertex whose speed
  :math:`\max_i |\dot x_i|` is below ``settle_tol`` and not growing is at rest.
* *Output* between accepted steps is cubic Hermite interpolation, projected.

Sums over stages and over components run sequentially in a fixed order, so the compiled kernel
reproduces these numbers up to the rounding of library functions.
"""

from __future__ import annotations

import math

import numpy as np

from .contraction import relative_payoffs_contracted, relative_tensors
from .field import velocity_np

__all__ = ["numpy_piece"]

_SAFETY = 0.9
_MIN_FACTOR = 0.2
_MAX_FACTOR = 10.0


#: step-size factors keep this many bits (see _quantise)
QUANT_BITS = 21


def _quantise(x: np.ndarray) -> np.ndarray:
    """Round down to :data:`QUANT_BITS` significant bits, with exact operations only.

    The step-size controller's factor comes from ``pow``, whose last bit differs between
    numpy's vectorised library and the C library the compiled kernel calls. Keeping 21 bits of
    it (the controller needs two or three) makes both backends choose the same steps.
    """
    m, e = np.frexp(x)
    return np.ldexp(np.floor(m * 2.0**QUANT_BITS) / 2.0**QUANT_BITS, e)


def _rms(v: np.ndarray) -> np.ndarray:
    acc = v[:, 0] * v[:, 0]
    for j in range(1, v.shape[1]):
        acc = acc + v[:, j] * v[:, j]
    return np.sqrt(acc / v.shape[1])


def _project(y: np.ndarray, offsets) -> np.ndarray:
    """Clear negative rounding residue and divide each population by its sum, in place."""
    np.maximum(y, 0.0, out=y)
    for q in range(len(offsets) - 1):
        a, b = int(offsets[q]), int(offsets[q + 1])
        tot = y[:, a]
        for i in range(a + 1, b):
            tot = tot + y[:, i]
        y[:, a:b] /= tot[:, None]
    return y


def _sums_off(y: np.ndarray, offsets, tol: float) -> np.ndarray:
    bad = np.any(y < 0.0, axis=1)
    for q in range(len(offsets) - 1):
        a, b = int(offsets[q]), int(offsets[q + 1])
        tot = y[:, a]
        for i in range(a + 1, b):
            tot = tot + y[:, i]
        bad |= np.abs(tot - 1.0) > tol
    return bad


def _hermite_fill(out, rows, t_out, t0, t1, y0, f0, y1, f1, offsets):
    """Fill ``out[rows, j]`` for ``t0 < t_out[j] <= t1`` (per row) by cubic Hermite."""
    if out is None or t_out.size == 0:
        return
    lo = np.searchsorted(t_out, t0, side="right")
    hi = np.searchsorted(t_out, t1, side="right")
    cnt = hi - lo
    if not np.any(cnt > 0):
        return
    r_idx = np.repeat(np.arange(rows.size), cnt)
    j_idx = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi) if b > a])
    h = (t1 - t0)[r_idx]
    s = (t_out[j_idx] - t0[r_idx]) / np.where(h > 0, h, 1.0)
    s2 = s * s
    s3 = s2 * s
    h00 = 2 * s3 - 3 * s2 + 1
    h10 = s3 - 2 * s2 + s
    h01 = -2 * s3 + 3 * s2
    h11 = s3 - s2
    val = (h00[:, None] * y0[r_idx] + (h10 * h)[:, None] * f0[r_idx]
           + h01[:, None] * y1[r_idx] + (h11 * h)[:, None] * f1[r_idx])
    out[rows[r_idx], j_idx] = _project(val, offsets)


def _fill_rest(out, rows, t_out, t0, y):
    """Fill outputs after ``t0`` of stopped rows with their (constant) state."""
    if out is None or t_out.size == 0:
        return
    lo = np.searchsorted(t_out, t0, side="right")
    for r in range(rows.size):
        out[rows[r], lo[r]:] = y[r]


def _initial_step(y, f0, f_at, rtol, atol, span, order):
    """Hairer's starting step (Hairer, Nørsett & Wanner 1993, sec. II.4), vectorised.

    ``f_at(y1, h0)`` evaluates the field at ``y1`` and time offset ``h0``.
    """
    scale = atol + np.abs(y) * rtol
    d0 = _rms(y / scale)
    d1 = _rms(f0 / scale)
    small = (d0 < 1e-5) | (d1 < 1e-5)
    h0 = np.where(small, 1e-6, 0.01 * d0 / np.where(d1 > 0, d1, 1.0))
    h0 = np.minimum(h0, span)
    y1 = y + h0[:, None] * f0
    f1 = f_at(y1, h0)
    d2 = _rms((f1 - f0) / scale) / h0
    dmax = np.maximum(d1, d2)
    h1 = np.where(dmax <= 1e-15, np.maximum(1e-6, h0 * 1e-3),
                  _quantise((0.01 / np.where(dmax > 0, dmax, 1.0)) ** (1.0 / (order + 1))))
    return np.minimum(np.minimum(100 * h0, h1), span)


def _rk_stages(tab, y: np.ndarray, f0: np.ndarray, hc: np.ndarray, stage_field):
    """The stages of one Runge-Kutta step of ``tab`` from every row, and the new state.

    ``stage_field(ys, s)`` is the field at stage ``s``'s state ``ys`` (its time is the caller's
    ``t + c[s] h``). Sums run in the tableau's order, skipping zero coefficients, as the compiled
    kernel sums them. Returns ``(ks, ynew)``.
    """
    S = tab.stages
    ks = [f0]
    ynew = None
    for s in range(1, S):
        acc = None
        for j in range(s):
            a = tab.a[s, j]
            if a != 0.0:
                acc = a * ks[j] if acc is None else acc + a * ks[j]
        ys = y + hc * acc
        if tab.fsal and s == S - 1:
            ynew = ys
        ks.append(stage_field(ys, s))
    if ynew is None:
        acc = None
        for j in range(S):
            if tab.b[j] != 0.0:
                acc = tab.b[j] * ks[j] if acc is None else acc + tab.b[j] * ks[j]
        ynew = y + hc * acc
    return ks, ynew


def _error_norm(tab, ks, y, ynew, hc, rtol: float, atol: float):
    """The embedded error estimate of one step, RMS-scaled by the tolerances (per row), and
    the scale ``atol + rtol max(|y|, |ynew|)``. Returns ``(err, scale)``."""
    acc = None
    for j in range(tab.stages):
        if tab.e[j] != 0.0:
            acc = tab.e[j] * ks[j] if acc is None else acc + tab.e[j] * ks[j]
    scale = atol + rtol * np.maximum(np.abs(y), np.abs(ynew))
    return _rms((hc * acc) / scale), scale


def _next_step(err: np.ndarray, hh: np.ndarray, tab):
    """Accept a step when ``err <= 1``; the next step size (never larger after a rejection)."""
    accept = err <= 1.0
    with np.errstate(divide="ignore"):
        fac = np.where(err == 0.0, _MAX_FACTOR,
                       np.clip(_quantise(_SAFETY * err ** tab.exponent), _MIN_FACTOR,
                               _MAX_FACTOR))
    fac = np.where(accept, fac, np.minimum(fac, 1.0))
    return accept, hh * fac


def numpy_piece(work, piece, stops) -> None:
    """Integrate every row of ``work`` whose status is running over one piece, in place.

    Parameters
    ----------
    work : gametheory_regen.dynamics.kernels.Work
        The batch's state arrays and settings.
    piece : gametheory_regen.dynamics.kernels.Piece
    stops : gametheory_regen.dynamics.kernels.Stops
        Early-stop data of this piece (all disabled on a piece that may not stop early).

    Examples
    --------
    The engine's driver calls it through the numpy backend; directly, with a constant payoff
    advantage of 1 (the logistic equation, :math:`x(1) = x_0 e / (x_0 e + 1 - x_0)`):

    >>> from gametheory_regen.dynamics.kernels import Piece, Stops, Work, layout_of
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> from gametheory_regen.dynamics.field import REPLICATOR
    >>> pay = np.zeros((1, 1, 2)); pay[0, 0, 0] = 1.0
    >>> work = Work.start(layout_of((2,)), Integrator(), REPLICATOR, np.array([[0.5, 0.5]]),
    ...                   0.0)
    >>> numpy_piece(work, Piece(0.0, 1.0, pay), Stops())
    >>> bool(abs(work.X[0, 0] - np.e / (np.e + 1)) < 1e-8), work.T.tolist()
    (True, [1.0])
    """
    from .kernels import MAX_STEPS, NEAR_VERTEX, RUNNING, SETTLED, SUM_TOL, VERTEX, box_vertex

    lay = work.layout
    n, K, off = lay.n_pops, lay.n_profiles, lay.offsets
    tab = work.integrator.tableau
    rtol, atol = work.integrator.rtol, work.integrator.atol
    code, param = work.dynamics.code, work.dynamics.param
    A = relative_tensors(piece.payoffs.reshape(piece.payoffs.shape[0], n, K), lay.counts)
    B = None if piece.slope is None else relative_tensors(piece.slope.reshape(A.shape),
                                                          lay.counts)
    t0p, t1p = float(piece.t_start), float(piece.t_stop)
    shared = A.shape[0] == 1
    pidx = work.pidx

    def f_at(y, rows, tau):
        if piece.expected_at is not None:
            u = piece.expected_at(t0p + tau, y, pidx[rows])
        else:
            if piece.payoff_at is not None:
                pay = relative_tensors(
                    piece.payoff_at(t0p + tau, pidx[rows]).reshape(rows.size, n, K), lay.counts)
            else:
                pay = A if shared else A[pidx[rows]]
                if B is not None:
                    slope = B if shared else B[pidx[rows]]
                    pay = pay + tau[:, None, None] * slope
            u = relative_payoffs_contracted(y, pay, lay.counts, off)
        return velocity_np(y, u, off, code, param)

    act = np.flatnonzero(work.status == RUNNING)
    if act.size == 0:
        return
    work.T[act] = t0p
    y = work.X[act].copy()
    zero = np.zeros(act.size)
    f0 = f_at(y, act, zero)
    v0 = np.abs(f0).max(axis=1)
    work.vel[act] = v0
    vprev = v0.copy()
    nst = np.zeros(act.size, dtype=np.int64)
    t = np.full(act.size, t0p)
    if tab.adaptive:
        h = work.H[act].copy()
        need = ~(h > 0)
        if np.any(need):
            sub = act[need]
            h[need] = _initial_step(y[need], f0[need], lambda y1, hh: f_at(y1, sub, hh),
                                   rtol, atol, t1p - t0p, tab.error_order)
    settle_tol, vertex_tol = stops.settle_tol, stops.vertex_tol
    out, t_out = work.out, work.t_out

    while act.size:
        hh = np.minimum(h, t1p - t) if tab.adaptive else np.minimum(work.integrator.dt, t1p - t)
        last = t + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
        hh = np.where(last, t1p - t, hh)
        tau = t - t0p
        hc = hh[:, None]
        ks, ynew = _rk_stages(
            tab, y, f0, hc, lambda ys, s, _t=tau, _h=hh, _a=act: f_at(ys, _a, _t + tab.c[s] * _h))
        if tab.adaptive:
            err, _ = _error_norm(tab, ks, y, ynew, hc, rtol, atol)
            accept, h = _next_step(err, hh, tab)
        else:
            accept = np.ones(act.size, dtype=bool)
        tnew = np.where(last, t1p, t + hh)
        if tab.fsal:
            moved = _sums_off(ynew, off, SUM_TOL)
            _project(ynew, off)
            fnew = ks[-1]
            if np.any(moved):
                fnew[moved] = f_at(ynew[moved], act[moved], tnew[moved] - t0p)
        else:
            _project(ynew, off)
            fnew = f_at(ynew, act, tnew - t0p)
        nst += 1
        rej = np.flatnonzero(~accept)
        if rej.size:
            work.rejected[act[rej]] += 1
        acc_i = np.flatnonzero(accept)
        if acc_i.size:
            rows = act[acc_i]
            _hermite_fill(out, rows, t_out, t[acc_i], tnew[acc_i], y[acc_i], f0[acc_i],
                          ynew[acc_i], fnew[acc_i], off)
            y[acc_i] = ynew[acc_i]
            f0[acc_i] = fnew[acc_i]
            t[acc_i] = tnew[acc_i]
            work.steps[rows] += 1
        v = np.abs(f0).max(axis=1)
        calm = (v < settle_tol) & (v <= vprev)
        vprev = np.where(accept, v, vprev)
        finished = np.zeros(act.size, dtype=bool)
        if settle_tol > 0:
            rr = stops.radii[pidx[act]] if stops.radii is not None else np.zeros((act.size, K))
            vb, dist = box_vertex(y, rr, lay.counts)
            calm &= dist >= NEAR_VERTEX
            inbox = accept & (vb >= 0)
            calm &= ~inbox
            if stops.rates is not None and vertex_tol < math.inf and np.any(inbox):
                lam, spread = stops.rates
                vv = np.maximum(vb, 0)
                g = 1.0 - (1.0 - dist) ** (n - 1)
                kk = np.min(lam[pidx[act], vv] - spread[pidx[act], vv] * g[:, None], axis=1)
                kap = (1.0 - dist) * np.maximum(kk, 0.0)
                inbox &= dist * np.exp(-kap * (t1p - t)) <= vertex_tol
            if np.any(inbox):
                rows_b = act[inbox]
                work.status[rows_b] = VERTEX
                work.vtx[rows_b] = vb[inbox]
                vs = np.zeros((rows_b.size, lay.n_state))
                flat = vb[inbox]
                for q in range(n - 1, -1, -1):
                    vs[np.arange(rows_b.size), off[q] + flat % lay.counts[q]] = 1.0
                    flat = flat // lay.counts[q]
                y[inbox] = vs
                f0[inbox] = 0.0
                v = np.where(inbox, 0.0, v)
                _fill_rest(out, rows_b, t_out, t[inbox], vs)
                finished |= inbox
            reached = accept & last & ~finished
            sett = accept & ~last & calm & ~finished
            if np.any(sett):
                work.status[act[sett]] = SETTLED
                _fill_rest(out, act[sett], t_out, t[sett], y[sett])
                finished |= sett
            work.status[act[reached & calm]] = SETTLED
            finished |= reached
        else:
            finished |= accept & last
        over = ~finished & (nst >= work.integrator.max_steps)
        if np.any(over):
            work.status[act[over]] = MAX_STEPS
            finished |= over
        if np.any(finished):
            rows = act[finished]
            work.X[rows] = y[finished]
            work.T[rows] = t[finished]
            work.vel[rows] = v[finished]
            if tab.adaptive:
                work.H[rows] = h[finished]
            keep = ~finished
            act, y, f0, t, nst, vprev = act[keep], y[keep], f0[keep], t[keep], nst[keep], \
                vprev[keep]
            if tab.adaptive:
                h = h[keep]

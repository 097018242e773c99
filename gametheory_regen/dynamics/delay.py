r"""The delayed replicator, integrated by the method of steps with the engine's RK methods.

Mathematics
-----------
With a delay :math:`\tau \ge 0` every strategy's payoff is that of the state :math:`\tau` ago
(Contract 4), the shares are the current ones:

.. math:: \dot x_{pi}(t) = x_{pi}(t)\,\bigl(u_{pi}(z(t)) - \textstyle\sum_j x_{pj}(t)\,
          u_{pj}(z(t))\bigr), \qquad z(t) = x(t - \tau),

with the constant history :math:`x(t) = x_0` for :math:`t \le 0`. Each population's velocity
still sums to zero and vanishes where a share does, so every face of every simplex stays
invariant (Yi & Zuwang 1997; Alboszta & Miekisz 2004).

*Method of steps* (Bellman & Cooke 1963; Bellen & Zennaro 2003, sec. 3.1). On the segment
:math:`[k\tau, (k+1)\tau]` the delayed argument :math:`z(t) = x(t - \tau)` is the solution on
the previous segment, already computed: the equation is an ordinary one there. The solution's
derivative jumps at :math:`t = 0` (the history is constant, the solution is not), its second
derivative at :math:`\tau`, and so on: the breakpoints are the multiples of :math:`\tau`. The
integration therefore restarts exactly at every :math:`k\tau`; within a segment the right-hand
side is as smooth as the payoffs, so a Runge--Kutta method keeps its order and its error
estimate is valid. Payoffs given in pieces of time (schedules) add their piece starts
:math:`b` and every :math:`b + k\tau` as restarts; then no delayed window
:math:`[t_0 - \tau, t_1 - \tau]` of a segment contains a restart, so it lies within one
earlier segment, whose step points are kept until no later window can reach them. The
method, tolerances and step control are the engine's
(:mod:`~gametheory_regen.dynamics.methods`,
:class:`~gametheory_regen.dynamics.integrator.Integrator`, the same arithmetic as
:func:`~gametheory_regen.dynamics.stepper.numpy_piece`); no new method is introduced.

*Continuous extension.* The delayed state at a stage time :math:`t + c_i h - \tau` is read from
the previous segment's accepted steps by cubic Hermite interpolation of the step's end values
and derivatives (the engine's dense output; for ``bs32`` it is the method's own continuous
extension). It has uniform order :math:`q = 3`: on a step of size :math:`h` its error is
:math:`h^4 x^{(4)} s^2 (1-s)^2 / 24` (:math:`s` the fraction of the step) plus the error of the
end values. An error :math:`\delta` in :math:`z` changes the velocity by at most
:math:`L_z \delta`, so it adds :math:`O(h^5)` to a step's local error, and a continuous
Runge--Kutta method with the breakpoints in its mesh has global order :math:`\min(p, q + 1)`
(Bellen & Zennaro 2003, ch. 5): 4 for ``dopri5`` and ``rk4``, 3 for ``bs32``.

The method's error estimate does not see the interpolation error (where the shares barely
move, the equation within a segment is nearly a quadrature that ``dopri5`` does exactly for
cubic data, and it would take one step per segment). So an adaptive method also controls the
*residual* of each step's interpolant :math:`H`, :math:`r = H'(s^*) - f(H(s^*), z)` at
:math:`s^* = (3 - \sqrt 3)/6`, where the derivative of the leading interpolation error peaks
(Shampine & Thompson 2001, the device of MATLAB's ``dde23``): a step is accepted only when
:math:`h r`, scaled like the error estimate by ``atol + rtol |y|``, has a root mean square of at
most 1. The largest interpolation error on the step is then about :math:`0.32\,h |r|`, within
the tolerance; the tests measure a global error of about ``0.2 rtol`` against an independent
reference. A fixed-step ``rk4`` has no such control: its error is :math:`O(dt^4)`.

*Stops.* A trajectory whose step points over a whole delay interval :math:`[t - \tau, t]` lie in
the forward-invariant box of a strict Nash vertex
(:func:`~gametheory_regen.dynamics.kernels.vertex_boxes`) converges to it: with every payoff
gain :math:`u_{pj}(z) - u_{ps}(z)` negative for :math:`z` in the box,
:math:`\frac{d}{dt}(1 - x_{ps}) = x_{ps} \sum_{j \ne s} x_{pj}(u_{pj}(z) - u_{ps}(z)) \le 0`
whatever the current state, so the box holds on :math:`[t, t + \tau]`, and by induction for
ever. Such a trajectory stops when no output is asked for and ``vertex_tol`` is infinite
(basins and sweeps); it is reported in ``vertex`` either way. A trajectory whose speed stayed
below ``settle_tol`` at every step point over a whole delay, away from the vertices, is at
rest (the delayed analogue of the engine's settling rule).

Only the replicator is delayed (Contract 4: another dynamics with a delay is refused); the
vectorisation runs over trajectories on the numpy backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

from .field import expected_payoffs_np, velocity_np
from .integrator import Integrator, as_integrator
from .stepper import (
    _error_norm,
    _fill_rest,
    _hermite_fill,
    _initial_step,
    _next_step,
    _project,
    _rk_stages,
    _rms,
    _sums_off,
)

__all__ = ["DelayResult", "integrate_delayed", "tensor_payoffs", "check_delay", "MAX_SEGMENTS"]

#: most restarts (segments of length tau) one integration may take: a work budget, checked
#: before any work
MAX_SEGMENTS = 100_000

#: where the residual of a cubic Hermite interpolant is sampled: the derivative of the
#: interpolation error h^4 x^(4)/24 s^2 (1-s)^2 peaks at s = (3 - sqrt 3)/6
_S_RES = (3.0 - 3.0 ** 0.5) / 6.0


def _hermite_at(y0, f0, y1, f1, h, s):
    """Value and derivative of the cubic Hermite interpolant at the fraction ``s`` of a step."""
    s2 = s * s
    s3 = s2 * s
    hc = h[:, None]
    val = ((2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * hc * f0
           + (-2 * s3 + 3 * s2) * y1 + (s3 - s2) * hc * f1)
    der = ((6 * s2 - 6 * s) * (y0 - y1) / hc + (3 * s2 - 4 * s + 1) * f0
           + (3 * s2 - 2 * s) * f1)
    return val, der


def check_delay(tau, where: str = "delay") -> float:
    """A delay as a float, or one clear error.

    Parameters
    ----------
    tau : float
        The delay (model time units), finite and ``>= 0``.
    where : str
        Name used in the error message.

    Returns
    -------
    float

    Raises
    ------
    GameInputError
        For a negative, infinite or NaN delay, or one that is not a number.

    Examples
    --------
    >>> check_delay(0.5), check_delay(0)
    (0.5, 0.0)
    >>> check_delay(float("nan"), "--delay")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --delay must be a finite number >= 0; got nan
    """
    try:
        v = float(tau)
    except (TypeError, ValueError):
        raise GameInputError(f"{where} must be a finite number >= 0; got {tau!r}") from None
    if not (np.isfinite(v) and v >= 0):
        raise GameInputError(f"{where} must be a finite number >= 0; got {tau!r}")
    return v


def tensor_payoffs(payoffs: np.ndarray, counts):
    """The expected-payoff callable of payoff tensors: ``u(t, z, rows) -> (len(rows), N)``.

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, k_1, ..., k_n)`` or ``(P, n, K)`` payoff tensors, one per parameter set.
    counts : sequence of int

    Returns
    -------
    callable

    Examples
    --------
    Matching pennies at ``x = (1, 0)``, ``y = (1/2, 1/2)``:

    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> u = tensor_payoffs(np.stack([A, -A])[None], (2, 2))
    >>> u(0.0, np.array([[1., 0., .5, .5]]), np.zeros(1, int)).tolist()
    [[0.0, 0.0, -1.0, 1.0]]
    """
    from .kernels import layout_of

    lay = layout_of(counts)
    pay = np.asarray(payoffs, dtype=float).reshape(-1, lay.n_pops, lay.n_profiles)
    gather = lay.gather
    shared = pay.shape[0] == 1

    def u(t, z, rows):
        return expected_payoffs_np(z, pay if shared else pay[rows], lay.counts, gather)

    return u


@dataclass(frozen=True)
class DelayResult:
    """Raw output of :func:`integrate_delayed` (the fields of the engine's ``KernelResult``).

    Attributes
    ----------
    state : numpy.ndarray
        ``(m, N)`` final states.
    time : numpy.ndarray
        ``(m,)`` time each trajectory stopped.
    status : numpy.ndarray
        ``(m,)`` kernel status codes (``RUNNING`` = reached the horizon, ``SETTLED``,
        ``MAX_STEPS``, ``VERTEX``).
    steps, rejected : numpy.ndarray
        Accepted and rejected steps per trajectory.
    velocity : numpy.ndarray
        ``(m,)`` ``max_i |dx_i/dt|`` at the final state.
    vertex : numpy.ndarray
        ``(m,)`` flat profile index of the strict Nash vertex whose box held the trajectory
        over its last delay interval, else -1.
    output : numpy.ndarray or None
        ``(m, T, N)`` states at the output times.
    tau : float
        The delay.
    segments : int
        Number of segments ``[k tau, (k+1) tau]`` integrated (restarts).
    integrator : Integrator
    backend : str
        Always ``"numpy"``.

    Examples
    --------
    >>> A = np.eye(2)
    >>> res = integrate_delayed(tensor_payoffs(np.stack([A, A])[None], (2, 2)),
    ...                         np.array([[0.5, 0.5, 0.5, 0.5]]), (2, 2), 1.0, 3.0)
    >>> res.state.tolist(), res.segments, res.backend
    ([[0.5, 0.5, 0.5, 0.5]], 3, 'numpy')
    """

    state: np.ndarray
    time: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    velocity: np.ndarray
    vertex: np.ndarray
    output: np.ndarray | None
    tau: float
    segments: int
    integrator: Integrator
    backend: str = "numpy"


def _segment_edges(tau: float, t_end: float, starts) -> list[float]:
    """Restart times on ``[0, t_end]``: the multiples of ``tau`` and every piece start plus a
    multiple of ``tau`` (without delay: the piece starts), merged within rounding."""
    if tau > 0 and (1 + len(starts)) * t_end / tau > MAX_SEGMENTS:
        raise GameInputError(
            f"a delay of {tau:g} over a horizon of {t_end:g} needs about "
            f"{math.ceil((1 + len(starts)) * t_end / tau)} restarts, more than {MAX_SEGMENTS}; "
            f"give a larger delay or a shorter horizon (a delay far below the payoffs' time "
            f"scale is close to none: delay 0)")
    cuts = {0.0, t_end}
    for base in [0.0, *starts]:
        if tau == 0:
            cuts.add(float(base))
            continue
        k = 0
        while base + k * tau < t_end:
            cuts.add(base + k * tau)
            k += 1
    tol = 1e-9 * max(1.0, t_end)
    out = []
    for c in sorted(cuts):
        if not out or c - out[-1] > tol:
            out.append(c)
    out[-1] = t_end
    return out


class _History:
    """Accepted step points of one segment, per trajectory (times, states, derivatives)."""

    def __init__(self, m: int, N: int, cap: int = 16):
        self.t = np.full((m, cap), np.inf)
        self.y = np.zeros((m, cap, N))
        self.f = np.zeros((m, cap, N))
        self.n = np.zeros(m, dtype=np.int64)

    def add(self, rows, t, y, f) -> None:
        need = int(self.n[rows].max(initial=0)) + 1 if rows.size else 0
        cap = self.t.shape[1]
        if need > cap:
            new = max(need, 2 * cap)
            m, N = self.y.shape[0], self.y.shape[2]
            t2 = np.full((m, new), np.inf)
            y2 = np.zeros((m, new, N))
            f2 = np.zeros((m, new, N))
            t2[:, :cap], y2[:, :cap], f2[:, :cap] = self.t, self.y, self.f
            self.t, self.y, self.f = t2, y2, f2
        j = self.n[rows]
        self.t[rows, j] = t
        self.y[rows, j] = y
        self.f[rows, j] = f
        self.n[rows] += 1

    def at(self, rows, s, ptr) -> np.ndarray:
        """Hermite value at times ``s`` (per row), starting the search at ``ptr`` (per row)."""
        j = self.pointer(rows, s, ptr)
        cap = self.t.shape[1]
        k0 = rows * cap + j  # flat indices: one gather per array instead of a 2-D fancy index
        tf = self.t.reshape(-1)
        t0, t1 = tf[k0], tf[k0 + 1]
        N = self.y.shape[2]
        yf, ff = self.y.reshape(-1, N), self.f.reshape(-1, N)
        h = t1 - t0
        u = (s - t0) / np.where(h > 0, h, 1.0)
        u2 = u * u
        u3 = u2 * u
        h00 = 2 * u3 - 3 * u2 + 1
        h10 = (u3 - 2 * u2 + u) * h
        h01 = -2 * u3 + 3 * u2
        h11 = (u3 - u2) * h
        return (h00[:, None] * yf[k0] + h10[:, None] * ff[k0]
                + h01[:, None] * yf[k0 + 1] + h11[:, None] * ff[k0 + 1])

    def pointer(self, rows, s, ptr) -> np.ndarray:
        """Advance ``ptr`` to the last step start at or before ``s`` (at most the last step)."""
        last = self.n[rows] - 2
        j = np.minimum(ptr, last)
        cap = self.t.shape[1]
        tf = self.t.reshape(-1)
        base = rows * cap
        while True:
            nxt = np.minimum(j + 1, last)
            adv = (nxt > j) & (tf[base + nxt] <= s)
            if not adv.any():
                return j
            j = np.where(adv, nxt, j)


def integrate_delayed(
    payoffs_at,
    x0: np.ndarray,
    counts,
    tau: float,
    t_end: float,
    *,
    integrator: Integrator | None = None,
    t_out: np.ndarray | None = None,
    payoff_index: np.ndarray | None = None,
    radii: np.ndarray | None = None,
    time_varying: bool = False,
    **settings,
) -> DelayResult:
    """Integrate the delayed replicator for many trajectories at once (method of steps).

    Parameters
    ----------
    payoffs_at : callable or sequence of (t_start, t_stop, callable)
        ``payoffs_at(t, z, rows) -> (len(rows), N)``: the expected payoff of every strategy at
        time ``t`` and the (delayed) states ``z`` (:func:`tensor_payoffs`, or
        :func:`~gametheory_regen.dynamics.numeric.expected_payoff_function`); or consecutive
        pieces of time (schedules), each smooth in ``t``: their starts, and every start plus a
        multiple of ``tau`` (where the solution's derivatives jump), are restarts.
    x0 : numpy.ndarray
        ``(m, N)`` starting states, also the history on ``[-tau, 0]``.
    counts : sequence of int
        Strategies per population.
    tau : float
        The delay, ``>= 0`` (``0``: the undelayed replicator, integrated by the same stepping
        code in one segment).
    t_end : float
        Horizon.
    integrator : Integrator, optional
        Method, tolerances, ``settle_tol``, ``vertex_tol``, ``max_steps`` (per segment).
    t_out : numpy.ndarray, optional
        Increasing output times in ``[0, t_end]`` (cubic Hermite, projected).
    payoff_index : numpy.ndarray, optional
        ``(m,)`` parameter set of each row, passed to ``payoffs_at`` as ``rows`` (default:
        the row indices).
    radii : numpy.ndarray, optional
        ``(P, K)`` strict-Nash box radii per parameter set, or ``(1, K)`` for all rows
        (:func:`~gametheory_regen.dynamics.kernels.vertex_boxes`); default: no vertex boxes.
    time_varying : bool
        The payoffs change in time (implied by several pieces): no early stops.
    **settings
        Individual integration settings.

    Returns
    -------
    DelayResult

    Examples
    --------
    A constant advantage of 1 is not affected by a delay (the payoffs do not depend on the
    state): the logistic curve :math:`x(2) = x_0 e^2 / (x_0 e^2 + 1 - x_0)`.

    >>> pay = np.zeros((1, 2, 2, 2)); pay[0, 0, 0, :] = 1.0
    >>> res = integrate_delayed(tensor_payoffs(pay, (2, 2)), np.array([[0.5, 0.5, 0.3, 0.7]]),
    ...                         (2, 2), 0.7, 2.0)
    >>> bool(abs(res.state[0, 0] - np.e**2 / (np.e**2 + 1)) < 1e-8), res.segments
    (True, 3)
    """
    from .kernels import MAX_STEPS, NEAR_VERTEX, RUNNING, SETTLED, VERTEX, box_vertex, layout_of

    integ = as_integrator(integrator, **settings)
    tau = check_delay(tau)
    lay = layout_of(counts)
    off, N = lay.offsets, lay.n_state
    X = np.array(x0, dtype=float, copy=True)
    if X.ndim != 2 or X.shape[1] != N:
        raise GameInputError(f"initial states must have shape (m, {N}); got {np.shape(x0)}")
    if not (np.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    m = X.shape[0]
    from gametheory_regen import limits

    limits.check_allocation("delayed trajectories", m, 8 * N * 40,
                            "integrate the starts in several batches")
    pidx = np.arange(m) if payoff_index is None else np.asarray(payoff_index, dtype=np.int64)
    tq = np.zeros(0) if t_out is None else np.ascontiguousarray(t_out, dtype=float)
    out = None
    if t_out is not None:
        out = np.full((m, tq.size, N), np.nan)
        out[:, tq <= 0.0, :] = X[:, None, :]
    tab = integ.tableau
    rtol, atol = integ.rtol, integ.atol
    status = np.zeros(m, dtype=np.int64)
    T = np.zeros(m)
    H = np.zeros(m)
    steps = np.zeros(m, dtype=np.int64)
    rejected = np.zeros(m, dtype=np.int64)
    vel = np.zeros(m)
    vtx = np.full(m, -1, dtype=np.int64)
    # vertex box held at every step point since box_since; speed small since calm_since
    if radii is not None:
        radii = np.atleast_2d(np.asarray(radii, dtype=float))
        vb0, _ = box_vertex(X, radii[pidx] if radii.shape[0] > 1
                            else np.repeat(radii, m, axis=0), lay.counts)
    else:
        vb0 = np.full(m, -1, dtype=np.int64)
    box_v = vb0.copy()
    box_since = np.where(vb0 >= 0, -tau, np.nan)
    calm_since = np.full(m, np.nan)
    pieces_u = ([(0.0, float(t_end), payoffs_at)] if callable(payoffs_at)
                else [(float(a), float(b), fn) for a, b, fn in payoffs_at])
    if len(pieces_u) > 1:
        time_varying = True
    stop_vertex = radii is not None and tq.size == 0 and integ.vertex_tol == np.inf \
        and integ.settle_tol > 0 and not time_varying
    settle_tol = 0.0 if time_varying else integ.settle_tol
    edges = _segment_edges(tau, float(t_end), [a for a, _, _ in pieces_u[1:]])
    nseg = len(edges) - 1
    X0 = X.copy()  # the history on [-tau, 0]

    def field(y, rows, p, tt, hist_, u_):
        if tau == 0:
            z = y
        elif hist_ is None:
            z = X0[rows]
        else:
            z = hist_.at(rows, tt - tau, p)
        return velocity_np(y, u_(tt, z, pidx[rows]), off, 0, 0.0)

    stored = []  # (start, stop, history) of the segments a later delay window may fall in
    for k in range(nseg):
        t0p, t1p = float(edges[k]), float(edges[k + 1])
        act = np.flatnonzero(status == RUNNING)
        if act.size == 0:
            break
        mid = 0.5 * (t0p + t1p)
        u = next((fn for a, b, fn in pieces_u if a <= mid <= b), pieces_u[-1][2])
        # the window [t0p - tau, t1p - tau] lies within one earlier segment (every breakpoint
        # is a cut, and so is every breakpoint plus a multiple of tau), or before 0
        hist = None if (tau == 0 or mid - tau <= 0) else next(
            (h_ for a, b, h_ in stored if a <= mid - tau <= b), None)
        if tau > 0 and mid - tau > 0 and hist is None:  # pragma: no cover - defensive
            raise RuntimeError("delay: no history for the window of a segment")
        new = _History(m, N) if (tau > 0 and k < nseg - 1) else None
        ptr = np.zeros(act.size, dtype=np.int64)
        if hist is not None:
            ptr = hist.pointer(act, t0p - tau, ptr)
        y = X[act].copy()
        t = np.full(act.size, t0p)
        f0 = field(y, act, ptr, t, hist, u)
        if new is not None:
            new.add(act, t, y, f0)
        vprev = np.abs(f0).max(axis=1)
        nst = np.zeros(act.size, dtype=np.int64)
        h = H[act].copy()
        if tab.adaptive:
            need = ~(h > 0)
            if np.any(need):
                h[need] = _initial_step(
                    y[need], f0[need],
                    lambda y1, hh, _r=act[need], _p=ptr[need], _h=hist, _t=t0p, _u=u:
                        field(y1, _r, _p, _t + hh, _h, _u),
                    rtol, atol, t1p - t0p, tab.error_order)
        while act.size:
            hh = np.minimum(h, t1p - t) if tab.adaptive else np.minimum(integ.dt, t1p - t)
            last = t + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
            hh = np.where(last, t1p - t, hh)
            hc = hh[:, None]
            ks, ynew = _rk_stages(
                tab, y, f0, hc,
                lambda ys, s, _t=t, _h=hh, _a=act, _p=ptr, _H=hist, _u=u:
                    field(ys, _a, _p, _t + tab.c[s] * _h, _H, _u))
            tnew = np.where(last, t1p, t + hh)
            if tab.fsal:
                moved = _sums_off(ynew, off, 1e-13)
                _project(ynew, off)
                fnew = ks[-1]
                if np.any(moved):
                    fnew[moved] = field(ynew[moved], act[moved], ptr[moved], tnew[moved],
                                        hist, u)
            else:
                _project(ynew, off)
                fnew = field(ynew, act, ptr, tnew, hist, u)
            if tab.adaptive:
                err, scale = _error_norm(tab, ks, y, ynew, hc, rtol, atol)
                if tau > 0:
                    # residual of the step's Hermite interpolant where its leading term peaks
                    # (Shampine & Thompson 2001): the interpolant is the next segment's history
                    hm, dm = _hermite_at(y, f0, ynew, fnew, hh, _S_RES)
                    res = dm - field(hm, act, ptr, t + _S_RES * hh, hist, u)
                    err = np.maximum(err, _rms((hc * res) / scale))
                accept, h = _next_step(err, hh, tab)
            else:
                accept = np.ones(act.size, dtype=bool)
            nst += 1
            rej = np.flatnonzero(~accept)
            if rej.size:
                rejected[act[rej]] += 1
            acc_i = np.flatnonzero(accept)
            if acc_i.size:
                rows = act[acc_i]
                _hermite_fill(out, rows, tq, t[acc_i], tnew[acc_i], y[acc_i], f0[acc_i],
                              ynew[acc_i], fnew[acc_i], off)
                y[acc_i] = ynew[acc_i]
                f0[acc_i] = fnew[acc_i]
                t[acc_i] = tnew[acc_i]
                steps[rows] += 1
                if new is not None:
                    new.add(rows, t[acc_i], y[acc_i], f0[acc_i])
                if hist is not None:
                    ptr[acc_i] = hist.pointer(rows, t[acc_i] - tau, ptr[acc_i])
            v = np.abs(f0).max(axis=1)
            not_growing = v <= vprev
            vprev = np.where(accept, v, vprev)
            finished = np.zeros(act.size, dtype=bool)
            if acc_i.size:
                rows = act[acc_i]
                ya, ta = y[acc_i], t[acc_i]
                if radii is not None:
                    vb, dist = box_vertex(ya, radii[pidx[rows]] if radii.shape[0] > 1
                                          else np.repeat(radii, rows.size, axis=0), lay.counts)
                else:
                    vb = np.full(rows.size, -1, dtype=np.int64)
                    dist = np.zeros(rows.size)
                    for q in range(lay.n_pops):
                        blk = ya[:, off[q]:off[q + 1]]
                        dist = np.maximum(dist, 1.0 - blk.max(axis=1))
                same = (vb >= 0) & (vb == box_v[rows])
                box_since[rows] = np.where(same, box_since[rows], np.where(vb >= 0, ta, np.nan))
                box_v[rows] = vb
                calm = (v[acc_i] < settle_tol) & (dist >= NEAR_VERTEX) & (vb < 0)
                calm_since[rows] = np.where(calm, np.where(np.isnan(calm_since[rows]), ta,
                                                           calm_since[rows]), np.nan)
                held = ta - box_since[rows] >= tau  # NaN compares False
                vtx[rows] = np.where(held, vb, -1)
                if settle_tol > 0:
                    stop_v = held & stop_vertex & (ta < t_end)
                    sett = (ta - calm_since[rows] >= tau) & (ta < t_end) & ~stop_v
                    if tau == 0:
                        sett &= not_growing[acc_i]
                    if np.any(stop_v):
                        status[rows[stop_v]] = VERTEX
                        finished[acc_i[stop_v]] = True
                    if np.any(sett):
                        status[rows[sett]] = SETTLED
                        _fill_rest(out, rows[sett], tq, ta[sett], ya[sett])
                        finished[acc_i[sett]] = True
            finished |= accept & last
            over = ~finished & (nst >= integ.max_steps)
            if np.any(over):
                status[act[over]] = MAX_STEPS
                finished |= over
            if np.any(finished):
                rows = act[finished]
                X[rows] = y[finished]
                T[rows] = t[finished]
                vel[rows] = v[finished]
                H[rows] = h[finished] if tab.adaptive else 0.0
                keep = ~finished
                act, y, f0, t, nst, vprev, ptr = (act[keep], y[keep], f0[keep], t[keep],
                                                  nst[keep], vprev[keep], ptr[keep])
                if tab.adaptive:
                    h = h[keep]
        if new is not None:
            stored = [e for e in stored if e[1] > t1p - tau] + [(t0p, t1p, new)]
    return DelayResult(X, T, status, steps, rejected, vel, vtx, out, tau, nseg, integ)

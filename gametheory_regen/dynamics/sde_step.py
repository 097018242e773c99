r"""One chunk of steps of the stochastic engine in numpy: the reference the compiled kernel follows.

Mathematics
-----------
See :mod:`gametheory_regen.dynamics.sde` for the equation, the noise forms and why the scheme
keeps every path on its simplex. Per step of size :math:`h`, for the states :math:`x` of all
paths still inside:

1. :math:`u` = expected payoffs, :math:`f` = the dynamics' velocity
   (:mod:`gametheory_regen.dynamics.field`), :math:`y = x + h f`;
2. per population, with the standard normals :math:`\xi` of the step
   (:math:`\Delta W = \sqrt h\, \xi`):

   * ``linear``: :math:`\nu = \sigma x_1 \Delta W` (Milstein: plus
     :math:`\tfrac12 \sigma^2 x_1 (\Delta W^2 - h)`); :math:`(y_1 + \nu, y_2 - \nu)`, divided
     by its sum, unless a component is negative: then the path has left [0, 1] and is frozen
     at the boundary it crossed;
   * ``simplex``, two strategies: :math:`\zeta = \sigma \Delta W + \sigma^2 (y_1 - \tfrac12) h`,
     weights :math:`(y_1 e^{\zeta}, y_2)` computed as :math:`(y_1, y_2 e^{-\zeta})` when
     :math:`\zeta > 0` (no overflow), divided by their sum;
   * ``simplex``, :math:`k > 2`: :math:`\ell_i = \log y_i + \tfrac{\sigma}{\sqrt 2}\Delta W_i
     + \tfrac{\sigma^2}{2} y_i h`, weights :math:`e^{\ell_i - \max_j \ell_j}` (0 where
     :math:`y_i = 0`), divided by their sum.

With :math:`\sigma = 0` the weights are :math:`y` itself: the deterministic Euler step and the
engine's projection. Sums run sequentially in a fixed order, so the compiled kernel
(:mod:`gametheory_regen.dynamics.kernel_sde`) gives the same numbers.

Games without a payoff tensor (one population, payoffs that depend on the state,
``[[fitness]]``, parameter schedules) give the expected payoffs as a callable
``expected_at(t, x, rows)`` (the deterministic engine's ``Piece.expected_at``), evaluated at
each step's *start* time :math:`t_n` (explicit Euler-Maruyama drift). No payoff range then
bounds the outflow rate before the run, so every drift step is checked: a step with
:math:`h f_i < -x_i` (beyond rounding) would leave the simplex and is refused
(:func:`check_overshoot`), never clipped.
"""

from __future__ import annotations

import math

import numpy as np

from .field import expected_payoffs_np, velocity_np

__all__ = ["INSIDE", "LEFT", "exp_nonpos", "sde_chunk_np", "check_overshoot"]

#: status of a path: still on its simplex / left [0, 1] (linear form) and frozen
INSIDE, LEFT = 0, 1
_INV_SQRT2 = 1.0 / math.sqrt(2.0)

#: constants of :func:`exp_nonpos` (Cody & Waite range reduction; Taylor to degree 13)
LOG2E = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
EXP_FLOOR = -700.0
_TAYLOR = tuple(1.0 / math.factorial(i) for i in range(14))


def exp_nonpos(x: np.ndarray) -> np.ndarray:
    """:math:`e^x` for :math:`x \\le 0` with IEEE operations only (no ``libm``).

    ``x`` is floored at -700 (the result stays a normal number), reduced as
    :math:`x = k \\ln 2 + r`, :math:`|r| \\le \\ln 2 / 2` (Cody & Waite: ``ln 2`` in two
    parts), :math:`e^r` by Horner's rule on the Taylor polynomial of degree 13 (remainder below
    :math:`5 \\cdot 10^{-18}`), and :math:`2^k` built from its bits. Within one unit in the
    last place of ``numpy.exp``; the compiled kernel runs the same operations, so both backends
    give the same bits, and the loop vectorises (a ``libm`` call does not).

    Parameters
    ----------
    x : numpy.ndarray
        Values <= 0.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> x = -np.linspace(0.0, 30.0, 7)
    >>> bool(np.all(np.abs(exp_nonpos(x) - np.exp(x)) <= np.spacing(np.exp(x))))
    True
    """
    x = np.maximum(x, EXP_FLOOR)
    k = np.floor(x * LOG2E + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO
    p = np.full_like(r, _TAYLOR[13])
    for i in range(12, -1, -1):
        p = p * r + _TAYLOR[i]
    return p * ((k.astype(np.int64) + 1023) << 52).view(np.float64)


def check_overshoot(Y: np.ndarray, f: np.ndarray, h: float, t: float) -> None:
    """Refuse a drift step :math:`y = x + h f(x)` that leaves the simplex (beyond rounding).

    The step keeps :math:`y_i \\ge 0` exactly when :math:`h\\,(-f_i / x_i) \\le 1` for every
    share losing mass. A step beyond that (by a relative margin of 1e-9, far above rounding) is
    an error naming the observed outflow rate and a step that would do.

    Parameters
    ----------
    Y : numpy.ndarray
        ``(m, N)`` shares at the step's start.
    f : numpy.ndarray
        ``(m, N)`` velocities.
    h : float
        Step size.
    t : float
        Time at the step's start (for the message).

    Raises
    ------
    GameInputError

    Examples
    --------
    >>> check_overshoot(np.array([[0.5, 0.5]]), np.array([[-1.0, 1.0]]), 0.5, 0.0)
    >>> check_overshoot(np.array([[0.5, 0.5]]), np.array([[-2.0, 2.0]]), 0.5, 1.0)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --dt 0.5 is too large for this game: at t = 1 a drift step would overshoot a simplex (dt x outflow rate = 0.5 x 4 = 2 > 1); use --dt 0.2 or smaller
    """  # noqa: E501
    bad = h * f < -Y * (1.0 + 1e-9)
    if not np.any(bad):
        return
    from gametheory_regen.errors import GameInputError

    with np.errstate(all="ignore"):
        rate = float(np.max(np.where(bad, -f / Y, 0.0)))
    safe = 1.0 / rate
    nice = 10.0 ** math.floor(math.log10(safe))
    nice = math.floor(safe / nice) * nice
    raise GameInputError(
        f"--dt {h:g} is too large for this game: at t = {t:g} a drift step would overshoot a "
        f"simplex (dt x outflow rate = {h:g} x {rate:.4g} = {h * rate:.4g} > 1); use --dt "
        f"{nice:.3g} or smaller")


def sde_chunk_np(X, status, tleft, Z, hs, tends, pidx, sigs, A, counts, code, param, form,
                 scheme, out, rec, *, expected_at=None, tstarts=None) -> None:
    """Advance every inside path over ``len(hs)`` steps, in place (the numpy reference).

    Parameters
    ----------
    X : numpy.ndarray
        ``(m, N)`` states.
    status : numpy.ndarray
        ``(m,)`` int: :data:`INSIDE` or :data:`LEFT` (frozen).
    tleft : numpy.ndarray
        ``(m,)`` time a path left [0, 1] (NaN while inside).
    Z : numpy.ndarray
        ``(C, nd, m)`` standard normals (at least ``len(hs)`` steps).
    hs : numpy.ndarray
        ``(C,)`` step sizes.
    tends : numpy.ndarray
        ``(C,)`` time at the end of each step (computed once for the whole horizon, so that
        the times do not depend on how the steps are cut into chunks).
    pidx : numpy.ndarray
        ``(m,)`` parameter set of each path.
    sigs : numpy.ndarray
        ``(P,)`` noise intensity of each parameter set.
    A : numpy.ndarray
        ``(P, n, K)`` payoff tensors.
    counts : tuple of int
    code : int
        Dynamics code; ``param`` its parameter.
    form, scheme : int
        0 simplex / 1 linear; 0 euler / 1 milstein.
    out : numpy.ndarray
        ``(m, T, N)`` recorded states.
    rec : numpy.ndarray
        ``(C,)`` output column to record after each step, or -1.
    expected_at : callable, optional
        ``expected_at(t, x, rows) -> (len(rows), N)`` expected payoffs at time ``t`` of the
        states ``x`` of parameter sets ``rows``; replaces ``A`` (which may then be ``None``).
        Every drift step is then checked (:func:`check_overshoot`).
    tstarts : numpy.ndarray, optional
        ``(C,)`` time at the start of each step (required with ``expected_at``).

    Examples
    --------
    One path, no noise, a constant advantage of 1: one Euler step of
    :math:`\\dot x = x (1 - x)` from 1/2 with h = 0.1, then projection:

    >>> from gametheory_regen.dynamics.kernels import layout_of
    >>> A = np.zeros((1, 1, 2)); A[0, 0, 0] = 1.0
    >>> X = np.array([[0.5, 0.5]]); st = np.zeros(1, np.int64); tl = np.full(1, np.nan)
    >>> sde_chunk_np(X, st, tl, np.zeros((1, 1, 1)), np.array([0.1]), np.array([0.1]),
    ...              np.zeros(1, int),
    ...              np.zeros(1), A, (2,), 0, 0.0, 0, 0, np.zeros((1, 0, 2)), np.array([-1]))
    >>> X.round(12).tolist()
    [[0.525, 0.475]]
    """
    from .kernels import layout_of

    lay = layout_of(counts)
    off = lay.offsets
    gather = lay.profiles + off[:-1][None, :]
    act = np.flatnonzero(status == INSIDE)
    if act.size == 0:
        return
    Y = X[act]
    pay = None if expected_at is not None else A[pidx[act]]
    sig = sigs[pidx[act]]
    for s in range(hs.shape[0]):
        h = float(hs[s])
        sq = math.sqrt(h)
        if expected_at is None:
            u = expected_payoffs_np(Y, pay, lay.counts, gather)
        else:
            t0 = float(tstarts[s])
            with np.errstate(all="ignore"):  # a pole is reported just below
                u = np.asarray(expected_at(t0, Y, pidx[act]), dtype=float)
            if not np.all(np.isfinite(u)):
                from gametheory_regen.errors import GameInputError

                row = int(np.flatnonzero(~np.all(np.isfinite(u), axis=1))[0])
                raise GameInputError(
                    f"the expected payoffs are not finite at t = {t0:g}, state "
                    f"{np.round(Y[row], 6).tolist()}; check the payoff expressions there")
        f = velocity_np(Y, u, off, code, param)
        if expected_at is not None:
            check_overshoot(Y, f, h, t0)
        YD = Y + h * f
        Xn = np.empty_like(Y)
        gone = np.zeros(act.size, dtype=bool)
        j = 0
        for p in range(len(counts)):
            a, b = int(off[p]), int(off[p + 1])
            k = b - a
            if form == 1:  # linear: g = x for the first share
                dW = sq * Z[s, j, act]
                nz = sig * Y[:, a] * dW
                if scheme == 1:
                    nz = nz + 0.5 * sig * sig * Y[:, a] * (dW * dW - h)
                y1 = YD[:, a] + nz
                y2 = YD[:, a + 1] - nz
                out_lo = y1 < 0.0
                out_hi = y2 < 0.0
                tot = y1 + y2
                Xn[:, a] = np.where(out_lo, 0.0, np.where(out_hi, 1.0, y1 / tot))
                Xn[:, a + 1] = np.where(out_lo, 1.0, np.where(out_hi, 0.0, y2 / tot))
                gone |= out_lo | out_hi
                j += 1
            elif k == 2:
                ya = np.maximum(YD[:, a], 0.0)
                yb = np.maximum(YD[:, a + 1], 0.0)
                zeta = sig * (sq * Z[s, j, act]) + sig * sig * (ya - 0.5) * h
                noisy = (sig > 0.0) & (ya > 0.0) & (yb > 0.0)
                e = exp_nonpos(-np.abs(zeta))
                pos = zeta > 0.0
                va = np.where(noisy & ~pos, ya * e, ya)
                vb = np.where(noisy & pos, yb * e, yb)
                tot = va + vb
                Xn[:, a] = va / tot
                Xn[:, a + 1] = vb / tot
                j += 1
            else:
                ys = [np.maximum(YD[:, a + i], 0.0) for i in range(k)]
                noisy = sig > 0.0
                c1 = sig * _INV_SQRT2
                c2 = 0.5 * sig * sig
                with np.errstate(divide="ignore"):
                    ls = [np.where(ys[i] > 0.0, np.log(ys[i]), -np.inf)
                          + (c1 * (sq * Z[s, j + i, act]) + c2 * ys[i] * h) for i in range(k)]
                top = ls[0]
                for i in range(1, k):
                    top = np.maximum(top, ls[i])
                vs = [np.where(noisy, np.where(ys[i] > 0.0, np.exp(ls[i] - top), 0.0), ys[i])
                      for i in range(k)]
                tot = vs[0]
                for i in range(1, k):
                    tot = tot + vs[i]
                for i in range(k):
                    Xn[:, a + i] = vs[i] / tot
                j += k
        t_new = tends[s]
        Y = Xn
        if form == 1 and np.any(gone):
            rows = act[gone]
            X[rows] = Y[gone]
            status[rows] = LEFT
            tleft[rows] = t_new
            keep = ~gone
            act, Y, sig = act[keep], Y[keep], sig[keep]
            if pay is not None:
                pay = pay[keep]
        if rec[s] >= 0:
            out[act, rec[s], :] = Y
        if act.size == 0:
            break
    X[act] = Y

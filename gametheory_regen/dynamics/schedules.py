r"""Time-varying parameters: piecewise constant and piecewise linear schedules.

Mathematics
-----------
A schedule replaces a parameter :math:`\theta` by a function of time :math:`\theta(t)` given by
breakpoints :math:`t_0 < t_1 < \dots < t_{r-1}` and values :math:`v_0, \dots, v_{r-1}`:

* ``"piecewise_constant"``: :math:`\theta(t) = v_i` for :math:`t_i \le t < t_{i+1}`, the last
  value holds for ever, and :math:`\theta(t) = v_0` before :math:`t_0`. (A subsidy ``S`` paid for
  the first three years only: ``times = [0, 3], values = [1.43, 0]``.)
* ``"piecewise_linear"``: linear interpolation between breakpoints, :math:`v_0` before
  :math:`t_0` and :math:`v_{r-1}` after :math:`t_{r-1}`.

Time is measured in the model's time unit (one unit = one year unless the model says otherwise).

The replicator vector field is smooth in the state but only piecewise smooth in time under a
schedule. A Runge--Kutta method stepping across a kink or jump loses its order and its error
estimate, so :func:`payoff_pieces` cuts the horizon at every breakpoint of every schedule; the
integrator restarts exactly there. Within a piece a piecewise-constant schedule is constant and a
piecewise-linear one is affine in time; when the payoffs are affine in the scheduled parameters
(checked numerically at the piece's end and midpoint) each piece carries its payoff tensor at the
start and its time derivative, which the compiled kernel evaluates exactly. Otherwise the piece
carries a callable and only the numpy path integrates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from gametheory_regen.errors import ParameterError

__all__ = ["Schedule", "KINDS", "payoff_pieces", "schedule_breakpoints", "check_schedule_bounds"]

KINDS = ("piecewise_constant", "piecewise_linear")
#: A schedule given as an expression in time ``t`` and parameters (Contract 4); smooth, so it
#: has no breakpoints.
EXPRESSION = "expression"


def _check_expression(schedule: "Schedule", where: str) -> None:
    """An expression schedule: a sympy expression in ``t`` (and parameters), no breakpoints."""
    import sympy as sp

    expr = schedule.expression
    if not isinstance(expr, sp.Expr):
        raise ParameterError(f"{where}: kind 'expression' needs a sympy expression in t; got "
                             f"{expr!r}")
    if schedule.times or schedule.values:
        raise ParameterError(f"{where}: an expression schedule has no 'times' or 'values'")


def _expression_value(schedule: "Schedule", t):
    import sympy as sp

    tsym = sp.Symbol("t", real=True)
    expr = schedule.expression
    others = sorted(str(s) for s in expr.free_symbols - {tsym})
    if others:
        raise ParameterError(
            f"schedule of parameter {schedule.parameter!r}: the expression {expr} still uses "
            f"{', '.join(others)}; substitute their values first (Schedule.bind)")
    cache = schedule.__dict__.setdefault("_fn", [])
    if not cache:
        cache.append(sp.lambdify(tsym, expr, "numpy"))
    tt = np.asarray(t, dtype=float)
    out = np.broadcast_to(np.asarray(cache[0](tt), dtype=float), tt.shape)
    if np.ndim(out) == 0:
        return float(out)
    return np.array(out)


@dataclass(frozen=True)
class Schedule:
    """A parameter that follows a piecewise constant or piecewise linear path in time.

    Parameters
    ----------
    parameter : str
        Name of the parameter the schedule drives.
    kind : {"piecewise_constant", "piecewise_linear", "expression"}
        How values are joined between breakpoints, or an expression in time.
    times : sequence of float
        Strictly increasing, finite breakpoints (model time units).
    values : sequence of float
        Finite values, one per breakpoint.
    expression : sympy.Expr, optional
        For ``kind = "expression"``: the value as a function of ``t`` (and parameters).

    Attributes
    ----------
    parameter, kind : str
        As given.
    times, values : tuple of float
        As given, converted to tuples of floats.

    Raises
    ------
    ParameterError
        For an unknown kind, empty or mismatched ``times``/``values``, non-finite numbers, or
        breakpoints that do not strictly increase.

    Examples
    --------
    ``kind = "expression"`` (Contract 4) takes ``expression``, a sympy expression in
    ``Symbol("t", real=True)`` (parameters substituted with :meth:`bind`), and no breakpoints:

    >>> import sympy as sp
    >>> decay = Schedule("S", "expression", expression=1.43*sp.exp(-sp.Symbol("t", real=True)/5))
    >>> round(decay.value_at(0.0), 6), decay.breakpoints
    (1.43, ())

    A subsidy of 1.43 paid for the first three years only:

    >>> s = Schedule("S", "piecewise_constant", (0, 3), (1.43, 0))
    >>> s.value_at(2.999), s.value_at(3.0), s.value_at(50)
    (1.43, 0.0, 0.0)
    >>> Schedule("S", "piecewise_linear", (0, 10), (2, 0)).value_at(2.5)
    1.5
    >>> Schedule("S", "piecewise_linear", (0, 0), (1, 2))
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: schedule of parameter 'S': 'times' must increase ...
    """

    parameter: str
    kind: str
    times: tuple[float, ...] = ()
    values: tuple[float, ...] = ()
    expression: object = None

    def __post_init__(self) -> None:
        if not isinstance(self.parameter, str) or not self.parameter:
            raise ParameterError(
                f"schedule: 'parameter' must be a non-empty parameter name; got {self.parameter!r}"
            )
        where = f"schedule of parameter {self.parameter!r}"
        if self.kind == EXPRESSION:
            _check_expression(self, where)
            return
        if self.kind not in KINDS:
            raise ParameterError(
                f"{where}: 'kind' must be one of {', '.join(map(repr, KINDS))}; got {self.kind!r}"
            )
        times = _as_floats(self.times, where, "times")
        values = _as_floats(self.values, where, "values")
        if len(times) == 0:
            raise ParameterError(f"{where}: 'times' must list at least one breakpoint; got []")
        if len(times) != len(values):
            raise ParameterError(
                f"{where}: 'times' and 'values' must have the same length; got {len(times)} "
                f"times and {len(values)} values"
            )
        if any(b <= a for a, b in zip(times, times[1:])):
            raise ParameterError(
                f"{where}: 'times' must increase strictly; got {list(times)}"
            )
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "values", values)
        if self.kind == "piecewise_linear":
            _check_slopes(times, values, where)

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Times at which the schedule's value or slope may change (:attr:`times`, as floats).

        >>> Schedule("S", "piecewise_constant", (0, 3), (1.43, 0)).breakpoints
        (0.0, 3.0)
        >>> Schedule("V", "piecewise_linear", (0, 10, 20), (2, 6, 6)).breakpoints
        (0.0, 10.0, 20.0)
        """
        return self.times

    def bind(self, values) -> "Schedule":
        """The schedule with parameter values substituted into an expression (others unchanged).

        Parameters
        ----------
        values : mapping of str to number
            Parameter name -> value.

        Returns
        -------
        Schedule

        Examples
        --------
        >>> import sympy as sp
        >>> t, S0 = sp.Symbol("t", real=True), sp.Symbol("S0", real=True)
        >>> s = Schedule("S", "expression", expression=S0*sp.exp(-t/5))
        >>> round(s.bind({"S0": 1.43}).value_at(5.0), 6)
        0.526068
        """
        if self.kind != EXPRESSION:
            return self
        subs = {s: values[str(s)] for s in self.expression.free_symbols if str(s) in values}
        return Schedule(self.parameter, EXPRESSION, expression=self.expression.subs(subs))

    def value_at(self, t):
        """Value of the parameter at time(s) ``t``.

        Parameters
        ----------
        t : float or array_like
            Time(s).

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar ``t``, else an array of ``t``'s shape.

        Examples
        --------
        Outside the breakpoints the first and last values hold:

        >>> ramp = Schedule("S", "piecewise_linear", (0, 10), (2, 0))
        >>> ramp.value_at([-5, 0, 5, 20]).tolist()
        [2.0, 2.0, 1.0, 0.0]
        >>> Schedule("S", "piecewise_constant", (0, 3), (1.43, 0)).value_at(-1.0)
        1.43
        """
        if self.kind == EXPRESSION:
            return _expression_value(self, t)
        tt = np.asarray(t, dtype=float)
        times = np.asarray(self.times)
        values = np.asarray(self.values)
        if self.kind == "piecewise_constant":
            idx = np.searchsorted(times, tt, side="right") - 1
            out = values[np.clip(idx, 0, len(values) - 1)]
        else:
            out = np.interp(tt, times, values)
        if np.ndim(out) == 0:
            return float(out)
        return out

    def slope_at(self, t: float) -> float:
        """Right derivative of the schedule at time ``t`` (0 for piecewise constant).

        Parameters
        ----------
        t : float
            A time.

        Returns
        -------
        float
            The slope of the linear piece that starts at or before ``t``; 0 before the first
            and from the last breakpoint on.

        Examples
        --------
        >>> ramp = Schedule("S", "piecewise_linear", (0, 10), (2, 0))
        >>> ramp.slope_at(0.0), ramp.slope_at(5.0), ramp.slope_at(10.0), ramp.slope_at(-1.0)
        (-0.2, -0.2, 0.0, 0.0)
        >>> Schedule("S", "piecewise_constant", (0, 3), (1.43, 0)).slope_at(1.0)
        0.0
        """
        if self.kind == EXPRESSION:
            import sympy as sp

            expr = sp.diff(self.expression, sp.Symbol("t", real=True))
            return float(_expression_value(Schedule(self.parameter, EXPRESSION,
                                                    expression=expr), t))
        if self.kind == "piecewise_constant" or len(self.times) < 2:
            return 0.0
        times = self.times
        i = int(np.searchsorted(np.asarray(times), t, side="right")) - 1
        if i < 0 or i >= len(times) - 1:
            return 0.0
        return (self.values[i + 1] - self.values[i]) / (times[i + 1] - times[i])


class _Undecided(Exception):
    """An interval enclosure that cannot be computed (a function without an interval rule)."""


def _enclosure(expr, tsym, lo: float, hi: float):
    """An interval containing ``expr`` for every ``t`` in ``[lo, hi]`` (mpmath's outward-rounded
    interval arithmetic; Moore 1966), or :class:`_Undecided`."""
    import sympy as sp
    from mpmath import iv

    def walk(e):
        if e == tsym:
            return iv.mpf([lo, hi])
        if e.is_Integer:
            return iv.mpf(int(e))
        if e.is_Rational:
            return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
        if e.is_Float:
            return iv.mpf(str(e))  # an interval around the decimal text
        if e is sp.pi:
            return iv.pi
        if e is sp.E:
            return iv.e
        if e.is_Add or e.is_Mul:
            parts = [walk(a) for a in e.args]
            acc = parts[0]
            for q in parts[1:]:
                acc = acc + q if e.is_Add else acc * q
            return acc
        if e.is_Pow:
            base, ex = e.args
            if ex.is_Integer:
                b_ = walk(base)
                n = int(ex)
                if n >= 0:
                    return b_ ** n
                if b_.a > 0 or b_.b < 0:
                    return iv.mpf(1) / b_ ** (-n)
                raise _Undecided("a division by an interval containing 0")
            b_ = walk(base)
            if not b_.a > 0:
                raise _Undecided("a power of a base that may be 0 or negative")
            return iv.exp(walk(ex) * iv.log(b_))
        if isinstance(e, sp.exp):
            return iv.exp(walk(e.args[0]))
        if isinstance(e, sp.log):
            arg = walk(e.args[0])
            if not arg.a > 0:
                raise _Undecided("a logarithm of a value that may be 0 or negative")
            return iv.log(arg)
        if isinstance(e, sp.Abs):
            arg = walk(e.args[0])
            if arg.a >= 0:
                return arg
            if arg.b <= 0:
                return -arg
            return iv.mpf([0, max(-arg.a, arg.b)])
        if isinstance(e, (sp.Min, sp.Max)):
            parts = [walk(a) for a in e.args]
            pick = min if isinstance(e, sp.Min) else max
            return iv.mpf([pick(p.a for p in parts), pick(p.b for p in parts)])
        raise _Undecided(f"no interval rule for {type(e).__name__}")

    return walk(expr)


#: interval evaluations allowed when proving a schedule's bounds (a work budget, not a clock)
BOUND_BUDGET = 4096


def check_schedule_bounds(schedule: Schedule, low, high, t0: float, t1: float,
                          where: str | None = None) -> None:
    """Prove that an expression schedule stays within ``[low, high]`` for ``t0 <= t <= t1``.

    The expression is enclosed by interval arithmetic on sub-intervals of ``[t0, t1]``,
    bisected until every enclosure lies within the bounds (proven), a point value lies outside
    (a violation, reported with its time), or :data:`BOUND_BUDGET` enclosures have been
    computed (refused as unproven). Piecewise schedules are checked where the model is read
    (their values at the breakpoints decide); for them this function returns at once.

    Parameters
    ----------
    schedule : Schedule
        With parameter values substituted (:meth:`Schedule.bind`).
    low, high : float or None
        The parameter's declared bounds (``None``: unbounded).
    t0, t1 : float
        The integration interval.
    where : str, optional
        Prefix of the error message (default: the schedule's parameter).

    Raises
    ------
    ParameterError
        A value outside the bounds, or bounds that cannot be proven within the budget.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol("t", real=True)
    >>> s = Schedule("S", "expression", expression=1.43 * sp.exp(-t / 5))
    >>> check_schedule_bounds(s, 0, 2, 0.0, 50.0)
    >>> dip = Schedule("S", "expression", expression=(t - 5)**2 / 10 - sp.Rational(1, 2))
    >>> check_schedule_bounds(dip, 0, None, 0.0, 10.0)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: schedule of parameter 'S': value -0.5 at t = 5 is below the declared min 0 (on the integration interval [0, 10])
    """  # noqa: E501
    if schedule.kind != EXPRESSION or (low is None and high is None):
        return
    import sympy as sp

    where = where or f"schedule of parameter {schedule.parameter!r}"
    tsym = sp.Symbol("t", real=True)
    expr = schedule.expression
    lo_b = -np.inf if low is None else float(low)
    hi_b = np.inf if high is None else float(high)
    span = f"(on the integration interval [{t0:g}, {t1:g}])"

    def point(t):
        """Refuse a value at ``t`` proven outside the bounds (by its interval enclosure)."""
        with np.errstate(all="ignore"):
            v = float(schedule.value_at(t))
        if not np.isfinite(v):
            raise ParameterError(f"{where}: value {v!r} at t = {t:g} is not a finite number "
                                 f"{span}")
        try:
            enc = _enclosure(expr, tsym, t, t)
        except _Undecided:
            return
        if float(enc.b) < lo_b:
            raise ParameterError(f"{where}: value {v:g} at t = {t:g} is below the declared min "
                                 f"{low:g} {span}")
        if float(enc.a) > hi_b:
            raise ParameterError(f"{where}: value {v:g} at t = {t:g} is above the declared max "
                                 f"{high:g} {span}")

    point(t0)
    point(t1)
    todo = [(float(t0), float(t1))]
    used = 0
    while todo:
        a, b = todo.pop()
        used += 1
        if used > BOUND_BUDGET:
            raise ParameterError(f"{where}: cannot prove that {expr} stays within "
                                 f"[{lo_b:g}, {hi_b:g}] {span}; give bounds it provably "
                                 f"keeps, or a piecewise schedule")
        try:
            enc = _enclosure(expr, tsym, a, b)
        except _Undecided as exc:
            raise ParameterError(f"{where}: cannot prove that {expr} stays within "
                                 f"[{lo_b:g}, {hi_b:g}] {span} ({exc}); give bounds it provably "
                                 f"keeps, or a piecewise schedule") from None
        if float(enc.a) >= lo_b and float(enc.b) <= hi_b:
            continue
        m = 0.5 * (a + b)
        point(m)
        if not (a < m < b):
            raise ParameterError(f"{where}: cannot prove that {expr} stays within "
                                 f"[{lo_b:g}, {hi_b:g}] near t = {m:g} {span}")
        todo.extend([(m, b), (a, m)])


#: Largest slope of a linear piece: beyond it a piece is too short for its jump (the engine's
#: payoffs are bounded by 1e100, and the slope times the piece must be representable).
MAX_SLOPE = 1e100


def _check_slopes(times, values, where: str) -> None:
    """Every linear piece must have a finite, representable slope (no 0/0, no overflow)."""
    for (ta, va), (tb, vb) in zip(zip(times, values), zip(times[1:], values[1:])):
        with np.errstate(all="ignore"):
            slope = (vb - va) / (tb - ta)
        if not np.isfinite(slope) or abs(slope) > MAX_SLOPE:
            raise ParameterError(
                f"{where}: the linear piece from t = {ta!r} to t = {tb!r} is too short for its "
                f"change from {va!r} to {vb!r} (slope {slope!r}); use piecewise_constant for a "
                f"jump, or space the times further apart")


def _as_floats(seq, where: str, key: str) -> tuple[float, ...]:
    try:
        vals = tuple(float(v) for v in seq)
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"{where}: {key!r} must be a list of numbers; got {seq!r}"
        ) from exc
    bad = [v for v in vals if not np.isfinite(v)]
    if bad:
        raise ParameterError(f"{where}: {key!r} must be finite numbers; got {list(vals)}")
    return vals


def schedule_breakpoints(schedules: Sequence[Schedule], t0: float, t1: float) -> list[float]:
    """Cut points of ``[t0, t1]``: its ends and every breakpoint strictly inside.

    Parameters
    ----------
    schedules : sequence of Schedule
    t0, t1 : float
        The horizon.

    Returns
    -------
    list of float
        Sorted, without repeats; the integrator restarts at each.

    Examples
    --------
    >>> schedule_breakpoints([Schedule("S", "piecewise_constant", (0, 3), (1, 0))], 0, 10)
    [0.0, 3.0, 10.0]
    >>> schedule_breakpoints([Schedule("S", "piecewise_linear", (-1, 4, 20), (0, 1, 2)),
    ...                       Schedule("k", "piecewise_constant", (4,), (3,))], 0, 10)
    [0.0, 4.0, 10.0]
    """
    cuts = {float(t0), float(t1)}
    for s in schedules:
        cuts.update(float(b) for b in s.breakpoints if t0 < b < t1)
    return sorted(cuts)


def _smooth_evaluators(schedules, cols, names):
    """``(column, f(t, *params), parameter columns)`` of every expression schedule: lambdified
    once, so that each row (parameter set) is evaluated with its own parameter values."""
    import sympy as sp

    tsym = sp.Symbol("t", real=True)
    out = []
    for s, c in zip(schedules, cols, strict=True):
        if s.kind != EXPRESSION:
            continue
        params = sorted(str(q) for q in s.expression.free_symbols - {tsym})
        unknown = [q for q in params if q not in names]
        if unknown:
            raise ParameterError(f"schedule of parameter {s.parameter!r}: the expression uses "
                                 f"{', '.join(unknown)}, not a parameter of the game")
        syms = [sp.Symbol(q, real=True) for q in params]
        expr = s.expression.subs({q: sp.Symbol(str(q), real=True)
                                  for q in s.expression.free_symbols - {tsym}})
        fn = sp.lambdify([tsym, *syms], expr, "numpy")
        out.append((c, fn, [names.index(q) for q in params]))
    return out


def payoff_pieces(
    payoff_fn: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    base_values: np.ndarray,
    schedules: Sequence[Schedule],
    t0: float,
    t1: float,
    *,
    affine_rtol: float = 1e-12,
):
    """Cut ``[t0, t1]`` at the schedules' breakpoints and give the payoffs on each piece.

    Parameters
    ----------
    payoff_fn : callable
        ``payoff_fn(values) -> payoffs``: values ``(P, len(names))`` to payoff tensors
        ``(P, n, k_1, ..., k_n)``.
    names : sequence of str
        Parameter names, the columns of ``values``.
    base_values : numpy.ndarray
        ``(P, len(names))`` parameter values; scheduled columns are overwritten.
    schedules : sequence of Schedule
        At most one per parameter.
    t0, t1 : float
        Horizon.
    affine_rtol : float
        Tolerance of the affinity check of payoffs along a linear piece.

    Returns
    -------
    list of gametheory_regen.dynamics.kernels.Piece

    Raises
    ------
    ParameterError
        A schedule names an unknown parameter, or two schedules drive the same parameter.

    Examples
    --------
    Hawk-dove with the resource value V rising from 2 to 6 over ten years, then constant:
    the payoffs are affine in V, so the first piece carries a slope, the second is constant.

    >>> import numpy as np
    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.dynamics.numeric import payoff_function
    >>> names, f = payoff_function(Game.builtin("hawk_dove"))
    >>> rise = Schedule("V", "piecewise_linear", (0, 10), (2, 6))
    >>> pieces = payoff_pieces(f, names, np.array([[2.0, 4.0]]), [rise], 0.0, 20.0)
    >>> [(p.t_start, p.t_stop, p.constant) for p in pieces]
    [(0.0, 10.0, False), (10.0, 20.0, True)]
    >>> pieces[0].slope[0, 0].tolist()    # d/dt of the owner's payoffs: dV/dt = 0.4
    [[0.2, 0.4], [0.0, 0.2]]
    >>> pieces[1].payoffs[0, 0].tolist()  # V = 6, C = 4
    [[1.0, 6.0], [0.0, 3.0]]
    """
    from gametheory_regen.dynamics.kernels import Piece

    names = list(names)
    base = np.atleast_2d(np.asarray(base_values, dtype=float))
    seen: set[str] = set()
    cols = []
    for s in schedules:
        if s.parameter not in names:
            raise ParameterError(
                f"schedule: unknown parameter {s.parameter!r}; the game's parameters are "
                f"{', '.join(names) or '(none)'}"
            )
        if s.parameter in seen:
            raise ParameterError(
                f"schedule: parameter {s.parameter!r} has two schedules; give one per parameter"
            )
        seen.add(s.parameter)
        cols.append(names.index(s.parameter))

    smooth = _smooth_evaluators(schedules, cols, names)

    def fill_smooth(v: np.ndarray, tt) -> np.ndarray:
        """Expression schedules' values at times ``tt``, each row with its own parameters."""
        for c, fn, args in smooth:
            v[:, c] = np.broadcast_to(np.asarray(fn(tt, *[v[:, j] for j in args]), dtype=float),
                                      v.shape[:1])
        return v

    def values_at(t: float) -> np.ndarray:
        v = base.copy()
        for s, c in zip(schedules, cols, strict=True):
            if s.kind != EXPRESSION:
                v[:, c] = s.value_at(t)
        return fill_smooth(v, float(t))

    cuts = schedule_breakpoints(schedules, t0, t1)
    pieces = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        # values just inside the piece (right-continuous schedules)
        va = values_at(a)
        slopes = np.zeros(base.shape[1])
        for s, c in zip(schedules, cols):
            if s.kind != EXPRESSION:
                slopes[c] = s.slope_at(a)
        pa = np.asarray(payoff_fn(va), dtype=float)
        if smooth:
            # expressions in t: evaluated exactly at every stage time; the piecewise schedules
            # are affine within the piece (exact, and never read across its end)

            def payoff_at(t, rows, _va=va, _sl=slopes, _a=a):
                tt = np.asarray(t, dtype=float)
                vals = _va[rows] if _va.shape[0] > 1 else np.repeat(_va, len(rows), axis=0)
                vals = fill_smooth(vals + (tt - _a)[:, None] * _sl[None, :], tt)
                return np.asarray(payoff_fn(vals), dtype=float)

            pieces.append(Piece(a, b, pa, payoff_at=payoff_at))
            continue
        if not np.any(slopes):
            pieces.append(Piece(a, b, pa))
            continue
        # values on the piece are affine in t: va + (t - a) * slopes
        vb = va + (b - a) * slopes
        vm = va + 0.5 * (b - a) * slopes
        pb = np.asarray(payoff_fn(vb), dtype=float)
        pm = np.asarray(payoff_fn(vm), dtype=float)
        scale = max(1.0, float(np.max(np.abs(pa))), float(np.max(np.abs(pb))))
        if np.max(np.abs(pm - 0.5 * (pa + pb))) <= affine_rtol * scale:
            pieces.append(Piece(a, b, pa, slope=(pb - pa) / (b - a)))
        else:

            def payoff_at(t, rows, _va=va, _sl=slopes, _a=a):
                vals = _va[rows] if _va.shape[0] > 1 else np.repeat(_va, len(rows), axis=0)
                vals = vals + (np.asarray(t) - _a)[:, None] * _sl[None, :]
                return np.asarray(payoff_fn(vals), dtype=float)

            pieces.append(Piece(a, b, pa, payoff_at=payoff_at))
    return pieces

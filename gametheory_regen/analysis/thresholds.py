r"""Parameter thresholds: for which values of one parameter is a pure outcome stable?

At a vertex (pure profile :math:`s`) the eigenvalues of the replicator Jacobian are the payoff
differences :math:`\lambda_{pj} = A_p(j, s_{-p}) - A_p(s)` for every population :math:`p` and every
other strategy :math:`j` (see :mod:`.conditions`).  The vertex is asymptotically stable (a strict
Nash equilibrium, an ESS) exactly when every :math:`\lambda_{pj} < 0`.

Fix every parameter but one, :math:`P`, at the game's values.  Each eigenvalue becomes a function
:math:`\lambda_i(P)` of one real variable, and the *stable set*

.. math:: \mathcal S = \{P \in [P_{\min}, P_{\max}] : \lambda_i(P) < 0 \ \forall i\}

is a union of intervals whose finite ends (other than declared bounds) are roots of some
:math:`\lambda_i`.  At such a *critical value* some eigenvalue is 0: the vertex is non-hyperbolic
there and is never called stable, so interval ends at critical values are open.  Declared bounds
are inclusive and belong to :math:`\mathcal S` when every eigenvalue is negative there.

How the roots are found, robustly:

1. **exactly** when :math:`\lambda_i(P)` is a rational function of :math:`P` (the common case:
   subsidies, costs, shares): the real roots of its numerator (and of its denominator: poles) come
   from :meth:`sympy.Poly.real_roots`, all of them, on the whole real line;
2. otherwise (a term :math:`T` inside :math:`(1+\rho)^{-T}`) **numerically**: :math:`\lambda_i` is
   sampled on the search interval (declared bounds; an unbounded side is cut at a stated distance)
   and every sign change is refined with Brent's method;
3. **symbolically** as well: :math:`\lambda_i = 0` is solved for :math:`P` by sympy, under a
   deterministic work budget (degree at most 4 in :math:`P`, at most :data:`SYMBOLIC_MAX_OPS`
   operations; never a clock), keeping derived names that do not involve :math:`P` (``aT``, ``ak``): the critical value
   in terms of the other parameters.  Its number under the game's values is added to the
   candidate roots.

All roots are sorted and the sign pattern is tested, in 30-digit arithmetic, at the midpoint of each
piece between consecutive roots; stable pieces are the stable set.  The critical values are the
roots that bound it.  The result also says when the outcome is stable for every value of
:math:`P` in range, or for none, and which eigenvalue blocks it then.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import brentq

from ..errors import GameInputError, ParameterError
from ..model.game import Game
from .equilibria import _deviation_gains

__all__ = [
    "ThresholdResult",
    "CriticalValue",
    "Interval",
    "VertexEigenvalue",
    "threshold",
    "DEFAULT_TIME_BUDGET",
]

#: Kept for compatibility; ``time_budget`` is deprecated and changes nothing.
DEFAULT_TIME_BUDGET = None
#: Largest eigenvalue expression (``sympy.count_ops``) solved symbolically for the parameter.
SYMBOLIC_MAX_OPS = 400
#: Number of sample points for the numeric root search.
SAMPLES = 4001
#: Significant digits of the midpoint sign tests.
DIGITS = 30
#: An unbounded side of the search interval is cut at this many times the parameter's scale.
WINDOW_FACTOR = 100.0
#: Highest degree for which the exact polynomial route is used.
MAX_DEGREE = 60


@dataclass(frozen=True)
class VertexEigenvalue:
    """One eigenvalue of the vertex: the gain of a population's deviation.

    Attributes
    ----------
    population, deviation : str
        The population that deviates and the strategy it deviates to.
    expression : sympy.Expr
        :math:`A_p(j, s_{-p}) - A_p(s)` as written (derived names kept).
    of_parameter : sympy.Expr
        The same with derived names expanded and every other parameter at its value: a function
        of the chosen parameter only (or a number).
    exact_roots : bool
        Whether all its real roots were found exactly (rational function of the parameter).

    Examples
    --------
    At (hawk, dove) in hawk-dove, along V with C = 4:

    >>> from gametheory_regen.model import Game
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V")
    >>> [(e.population, e.deviation, e.expression, e.of_parameter) for e in res.eigenvalues]
    [('owner', 'dove', -V/2, -V/2), ('intruder', 'hawk', -C/2 + V/2, V/2 - 2)]
    """

    population: str
    deviation: str
    expression: sp.Expr
    of_parameter: sp.Expr
    exact_roots: bool


@dataclass(frozen=True)
class CriticalValue:
    """A value of the parameter at which the outcome gains or loses stability.

    Attributes
    ----------
    value : float
    eigenvalues : tuple of int
        Indices (into :attr:`ThresholdResult.eigenvalues`) of the eigenvalues that vanish there.
    expression : sympy.Expr or None
        The critical value in terms of the other parameters (derived names not involving the
        parameter kept), or None when sympy could not solve within the time budget.
    method : str
        ``"symbolic"`` (the expression evaluated), ``"exact"`` (real root of a polynomial) or
        ``"numeric"`` (Brent's method on a sampled sign change).

    Examples
    --------
    (hawk, dove) loses stability when V reaches C, where the intruder's eigenvalue vanishes:

    >>> from gametheory_regen.model import Game
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V")
    >>> res.critical[-1]
    CriticalValue(value=4.0, eigenvalues=(1,), expression=C, method='symbolic')
    """

    value: float
    eigenvalues: tuple[int, ...]
    expression: sp.Expr | None
    method: str


@dataclass(frozen=True)
class Interval:
    """An interval of the real line; infinite ends are ``-inf`` / ``inf`` and open.

    Attributes
    ----------
    lower, upper : float
        The ends (``-inf`` / ``inf`` for an unbounded side).
    lower_closed, upper_closed : bool
        Whether each end belongs to the interval.

    Examples
    --------
    >>> Interval(0.0, 4.0, lower_closed=True, upper_closed=False)
    Interval(lower=0.0, upper=4.0, lower_closed=True, upper_closed=False)
    """

    lower: float
    upper: float
    lower_closed: bool
    upper_closed: bool

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval (ends only if closed).

        Parameters
        ----------
        value : float

        Returns
        -------
        bool

        Examples
        --------
        >>> iv = Interval(0.0, 4.0, lower_closed=False, upper_closed=True)
        >>> iv.contains(0.0), iv.contains(2), iv.contains(4.0)
        (False, True, True)
        """
        above = value > self.lower or (self.lower_closed and value == self.lower)
        below = value < self.upper or (self.upper_closed and value == self.upper)
        return above and below


@dataclass(frozen=True)
class ThresholdResult:
    """Where, along one parameter, a pure outcome is stable.

    Attributes
    ----------
    model : str
    scenario : str or None
    parameter : str
    outcome : tuple of (population, strategy)
        The vertex, in population order (see :attr:`outcome_dict`).
    eigenvalues : tuple of VertexEigenvalue
    critical : tuple of CriticalValue
        The roots that bound the stable set, ascending.
    stable_set : tuple of Interval
        :math:`\\{P : \\text{every eigenvalue} < 0\\}` within the bounds, ascending.
    bounds : (float, float)
        Declared bounds of the parameter (``-inf`` / ``inf`` when not declared).
    search : (float, float)
        The interval searched numerically (equal to ``bounds`` on declared sides).
    complete : bool
        Whether every root was found exactly on the whole range, so that no root can lie outside
        :attr:`search`.  When False, unbounded ends of :attr:`stable_set` rest on the search
        interval (see :attr:`notes`).
    current_value : float or None
        The parameter's value in the game.
    blocking : tuple of int
        Eigenvalues that are non-negative everywhere in range (why the outcome is never stable).
    method : str
    time_budget : float
    notes : tuple of str

    Examples
    --------
    Hawk-dove along the fighting cost C (V = 2): (hawk, hawk) is stable only while fights are
    cheap, :math:`0 \\le C < V`; at the model's C = 4 it is not.

    >>> from gametheory_regen.model import Game
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "hawk"), "C")
    >>> res.stable_set
    (Interval(lower=0.0, upper=2.0, lower_closed=True, upper_closed=False),)
    >>> res.bounds, res.current_value, res.stable_now, res.never, res.always
    ((0.0, inf), 4.0, False, False, False)
    >>> res.critical[0].expression, res.complete
    (V, True)

    (dove, dove) is never stable: both eigenvalues are V/2 = 1 > 0 whatever C is.

    >>> never = threshold(Game.builtin("hawk_dove"), ("dove", "dove"), "C")
    >>> never.never, never.blocking
    (True, (0, 1))
    """

    model: str
    scenario: str | None
    parameter: str
    outcome: tuple[tuple[str, str], ...]
    eigenvalues: tuple[VertexEigenvalue, ...]
    critical: tuple[CriticalValue, ...]
    stable_set: tuple[Interval, ...]
    bounds: tuple[float, float]
    search: tuple[float, float]
    complete: bool
    current_value: float | None
    blocking: tuple[int, ...]
    method: str
    time_budget: float
    notes: tuple[str, ...] = ()

    @property
    def outcome_dict(self) -> dict[str, str]:
        """:attr:`outcome` as a dict population -> strategy.

        >>> from gametheory_regen.model import Game
        >>> threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V").outcome_dict
        {'owner': 'hawk', 'intruder': 'dove'}
        """
        return dict(self.outcome)

    @property
    def never(self) -> bool:
        """The outcome is stable for no value of the parameter in range.

        True when :attr:`stable_set` is empty (:attr:`blocking` says which eigenvalues
        prevent it).

        >>> from gametheory_regen.model import Game
        >>> pennies = threshold(Game.builtin("matching_pennies"), ("heads", "heads"), "a")
        >>> pennies.never, pennies.stable_set, pennies.blocking   # the column would switch
        (True, (), (1,))
        >>> threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "C").never
        False
        """
        return not self.stable_set

    @property
    def always(self) -> bool:
        """The outcome is stable for every value of the parameter in range.

        A closed declared bound must belong to the stable set. In the battle of the sexes
        (opera, opera) is stable for every ``a > 0`` but not at the declared minimum
        ``a = 0``, where an eigenvalue ``-a`` vanishes:

        >>> from gametheory_regen.model import Game, GameBuilder
        >>> res = threshold(Game.builtin("battle_of_sexes"), ("opera", "opera"), "a")
        >>> res.stable_set
        (Interval(lower=0.0, upper=inf, lower_closed=False, upper_closed=False),)
        >>> res.bounds, res.always
        ((0.0, inf), False)

        In a stag hunt with reward ``r >= 1`` for a joint stag hunt and 1 for hunting hare,
        (hare, hare) is stable whatever ``r`` is (its eigenvalues are -1):

        >>> b = GameBuilder("stag_hunt")
        >>> _ = b.population("row", ["stag", "hare"])
        >>> _ = b.population("column", ["stag", "hare"])
        >>> _ = b.parameter("r", 2, min=1)
        >>> b.payoff(("stag", "stag"), ("r", "r"))
        >>> b.payoff(("stag", "hare"), (0, 1))
        >>> b.payoff(("hare", "stag"), (1, 0))
        >>> b.payoff(("hare", "hare"), (1, 1))
        >>> threshold(b.build(), ("hare", "hare"), "r").always
        True
        """
        if len(self.stable_set) != 1:
            return False
        iv = self.stable_set[0]
        lo, hi = self.bounds
        return (iv.lower == lo and (iv.lower_closed or math.isinf(lo))
                and iv.upper == hi and (iv.upper_closed or math.isinf(hi)))

    @property
    def stable_now(self) -> bool | None:
        """Whether the outcome is stable at the parameter's current value (None without one).

        In hawk-dove with C = 4, (hawk, dove) is stable for 0 < V < 4, so at the model's
        V = 2 but not at V = 6; with V left free there is no current value:

        >>> from gametheory_regen.model import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> threshold(hd, ("hawk", "dove"), "V").stable_now
        True
        >>> threshold(hd.with_values({"V": 6}), ("hawk", "dove"), "V").stable_now
        False
        >>> free = hd.without_values().with_values({"C": 4})
        >>> threshold(free, ("hawk", "dove"), "V").stable_now is None
        True
        """
        if self.current_value is None:
            return None
        return any(iv.contains(self.current_value) for iv in self.stable_set)

    def condition(self) -> sp.Boolean:
        """The stable set as a sympy condition on the parameter's symbol (floats).

        Returns
        -------
        sympy.Boolean
            An ``Or`` of one ``And`` of bounds per interval of :attr:`stable_set`; ``false``
            when it is empty.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> threshold(hd, ("hawk", "dove"), "V").condition()
        (V > 0.0) & (V < 4.0)
        >>> threshold(hd, ("dove", "dove"), "C").condition()
        False
        """
        P = sp.Symbol(self.parameter, real=True)
        parts = []
        for iv in self.stable_set:
            rels = []
            if not math.isinf(iv.lower):
                rels.append((P >= iv.lower) if iv.lower_closed else (P > iv.lower))
            if not math.isinf(iv.upper):
                rels.append((P <= iv.upper) if iv.upper_closed else (P < iv.upper))
            parts.append(sp.And(*rels))
        return sp.Or(*parts)


# ---------------------------------------------------------------------------- helpers
_SOLVE_CACHE: dict = {}


def _outcome_profile(game: Game, outcome: Mapping[str, str] | Sequence[str]) -> tuple[int, ...]:
    if isinstance(outcome, str) or not isinstance(outcome, Mapping | Sequence):
        raise GameInputError(
            f"outcome: expected a mapping population -> strategy (e.g. "
            f"{{{game.populations[0].name!r}: {game.populations[0].strategies[0]!r}, ...}}), "
            f"got {outcome!r}"
        )
    return game.profile_index(outcome, where="outcome")


def _check_parameter(game: Game, name: str):
    if name in game.derived:
        raise ParameterError(
            f"parameter {name!r} is a derived name of model {game.name!r}, computed from "
            f"parameters; choose one of its parameters. Known parameters: "
            f"{', '.join(game.parameter_names)}"
        )
    return game.parameter(name)


def _to_float(expr: sp.Expr) -> float | None:
    """A real float for a numeric expression, None if it is not a finite real number."""
    try:
        value = complex(sp.N(expr, DIGITS))
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value.real) or abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return None
    return value.real


def _rationalize(value: sp.Expr) -> sp.Rational:
    if value.is_Rational:
        return value
    return sp.Rational(str(sp.N(value, 40)))


def _poly_roots(lam: sp.Expr, P: sp.Symbol) -> list[float] | None:
    """All real roots of numerator and denominator if ``lam`` is rational in P, else None."""
    try:
        num, den = sp.fraction(sp.together(lam))
        out = []
        for part in (num, den):
            if not part.has(P):
                continue
            if not part.is_polynomial(P):
                return None
            poly = sp.Poly(part, P)
            if poly.degree() > MAX_DEGREE:
                return None
            coeffs = [_rationalize(c) for c in poly.all_coeffs()]
            if any(not c.is_Rational for c in coeffs):
                return None
            qpoly = sp.Poly(coeffs, P, domain="QQ")
            for factor, _mult in qpoly.sqf_list()[1]:
                if factor.degree() <= 2:
                    out += [float(sp.N(r, 20)) for r in factor.real_roots()]
                    continue
                for r in factor.nroots(n=DIGITS, maxsteps=500):
                    re_, im_ = (float(x) for x in r.as_real_imag())
                    if abs(im_) <= 1e-15 * max(1.0, abs(re_)):
                        out.append(re_)
        return out
    except (sp.PolynomialError, ValueError, TypeError, mpmath.libmp.NoConvergence):
        return None


def _numeric_roots(f, lo: float, hi: float, extra: Sequence[float]) -> list[float]:
    """Sign changes of ``f`` on [lo, hi], refined by Brent's method."""
    xs = np.linspace(lo, hi, SAMPLES)
    if lo > 0 and hi / lo > 50:
        xs = np.concatenate([xs, np.geomspace(lo, hi, SAMPLES)])
    pts = [x for x in extra if lo <= x <= hi]
    for x in extra:  # straddle the candidates, in case of a near-double root
        for d in (1e-7, 1e-5, 1e-3):
            h = d * max(1.0, abs(x))
            pts += [v for v in (x - h, x + h) if lo <= v <= hi]
    xs = np.unique(np.concatenate([xs, np.asarray(pts, dtype=float)]))
    with np.errstate(all="ignore"):
        ys = np.asarray([_safe(f, x) for x in xs], dtype=float)
    roots = []
    for i in range(len(xs)):
        if ys[i] == 0.0:
            roots.append(float(xs[i]))
    for i in range(len(xs) - 1):
        a, b, fa, fb = xs[i], xs[i + 1], ys[i], ys[i + 1]
        if not (np.isfinite(fa) and np.isfinite(fb)) or fa == 0.0 or fb == 0.0:
            continue
        if (fa < 0) != (fb < 0):
            try:
                roots.append(float(brentq(lambda x: _safe(f, x), a, b, xtol=1e-14,
                                          rtol=8 * np.finfo(float).eps, maxiter=200)))
            except (ValueError, RuntimeError):  # pragma: no cover - defensive
                roots.append(float((a + b) / 2))
    return roots


def _safe(f, x: float) -> float:
    try:
        y = float(f(x))
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return float("nan")
    return y


def _sign_at(lam: sp.Expr, P: sp.Symbol, x: float) -> int | None:
    """Sign of lam(x) in DIGITS-digit arithmetic; None when undefined."""
    if not lam.has(P):
        val = lam
    else:
        val = lam.xreplace({P: sp.Rational(repr(float(x)))})
    v = _to_float(val)
    if v is None:
        return None
    exact = sp.N(val, DIGITS)
    if exact == 0 or abs(v) < 1e-25:
        return 0
    return 1 if v > 0 else -1


def _solve_symbolic(expr: sp.Expr, P: sp.Symbol, budget: object = None):
    """Solutions of expr = 0 for P (tuple), or None when sympy fails or the expression is
    beyond the deterministic work budget (degree > 4 in P, more than SYMBOLIC_MAX_OPS ops, or
    P in more than one independent non-polynomial form)."""
    key = (expr, P)
    cached = _SOLVE_CACHE.get(key)
    if cached is not None:
        return cached[0]
    result = None
    if sp.count_ops(expr) > SYMBOLIC_MAX_OPS:
        return None
    try:
        num = sp.fraction(sp.together(expr))[0]
        if num.is_polynomial(P) and sp.Poly(num, P).degree() > 4:
            return None  # no closed form in radicals in general; the numbers are still exact
        if not num.is_polynomial(P) and len([g for g in sp.Poly(num).gens if g.has(P)]) > 1:
            # P in two or more independent forms (e.g. rho and (1 + rho)**(-T)): a
            # transcendental equation with no closed form in general, on which sympy's solve
            # can spend minutes factoring; the critical values are still found numerically
            return None
    except (sp.PolynomialError, ValueError, TypeError):
        pass
    try:
        sols = sp.solve(expr, P, check=False, simplify=False, rational=False)
        result = tuple(s for s in sols if not s.has(P))
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
        result = None
    if len(_SOLVE_CACHE) > 512:
        _SOLVE_CACHE.clear()
    _SOLVE_CACHE[key] = (result, None)
    return result


def _merge(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and abs(v - out[-1]) <= 1e-9 * max(1.0, abs(v)):
            continue
        out.append(v)
    return out


# ---------------------------------------------------------------------------- main entry
def threshold(game: Game, outcome: Mapping[str, str] | Sequence[str], parameter: str, *,
              time_budget: float | None = None, symbolic: bool = True) -> ThresholdResult:
    """The values of ``parameter`` for which the pure ``outcome`` is stable.

    Parameters
    ----------
    game : Game
        Every parameter other than ``parameter`` needs a value (a scenario, ``with_values``).
    outcome : mapping of population -> strategy (or strategy names in population order)
    parameter : str
        A parameter (not a derived name) of the game.
    time_budget : float, optional
        Deprecated and ignored (a ``DeprecationWarning``): symbolic solving has a
        deterministic work budget, so the result never depends on the clock.
    symbolic : bool
        Also solve symbolically for the critical values' expressions (default True).

    Returns
    -------
    ThresholdResult

    Raises
    ------
    GameInputError
        Unknown population or strategy in ``outcome``, unknown ``parameter``, or another
        parameter without a value.

    Examples
    --------
    Role-asymmetric hawk-dove (Maynard Smith 1982, ch. 8): (hawk, dove) is an ESS iff
    0 < V < C; with C = 4:

    >>> from gametheory_regen.model import Game
    >>> res = threshold(Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"}, "V")
    >>> [c.value for c in res.critical], [c.expression for c in res.critical]
    ([0.0, 4.0], [0, C])
    >>> res.stable_set[0]
    Interval(lower=0.0, upper=4.0, lower_closed=False, upper_closed=False)
    """
    from .equilibria import _check_analyze_arguments

    _check_analyze_arguments(game, time_budget)
    if time_budget is not None:
        warnings.warn("threshold(time_budget=...) is deprecated and ignored: symbolic solving "
                      "uses a deterministic work budget", DeprecationWarning, stacklevel=2)
    profile = _outcome_profile(game, outcome)
    param = _check_parameter(game, parameter)
    P = param.symbol
    missing = [n for n in game.free_parameters if n != parameter]
    if missing:
        raise ParameterError(
            f"threshold of {parameter!r}: the other parameters need values, but "
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} none; give them with "
            f"--set NAME=VALUE or a scenario"
        )
    notes: list[str] = []

    # ---- eigenvalues: as written, partially expanded (for sympy), and of P alone
    from ..dynamics.replicator import expected_payoffs

    gains = iter(_deviation_gains(game, expected_payoffs(game, numeric=False, expand=False),
                                  profile))
    with_p = {s: e for s, e in game._derived_subs().items() if e.has(P)}
    values = {p.symbol: p.value for p in game.parameters
              if p.value is not None and p.name != parameter}
    eigs: list[VertexEigenvalue] = []
    partial: list[sp.Expr] = []
    poly_roots: list[list[float] | None] = []
    for p, pop in enumerate(game.populations):
        for j in range(pop.k):
            if j == profile[p]:
                continue
            lam = next(gains)
            part = lam.xreplace(with_p)
            of_p = game.expand_derived(lam).xreplace(values)
            poly = _poly_roots(of_p, P) if of_p.has(P) else []
            eigs.append(VertexEigenvalue(pop.name, pop.strategies[j], lam, of_p, poly is not None))
            partial.append(part)
            poly_roots.append(poly)

    # ---- symbolic solutions
    sym_sols: list[list[tuple[sp.Expr, float]]] = [[] for _ in eigs]
    sym_ok = True
    if symbolic:
        for i, part in enumerate(partial):
            if not game.expand_derived(part).has(P):
                continue
            sols = _solve_symbolic(part, P)
            if sols is None:
                sym_ok = False
                continue
            for s in sols:
                v = _to_float(game.substitute_values(s).xreplace(values))
                if v is not None:
                    sym_sols[i].append((s, v))
        if not sym_ok:
            notes.append("sympy found no closed form for some eigenvalue's root (beyond the "
                         "symbolic work budget: degree > 4, more than "
                         f"{SYMBOLIC_MAX_OPS} operations, or the parameter in several "
                         "transcendental forms); those critical values have no expression")

    # ---- search interval
    lo_b = float(param.min) if param.min is not None else -math.inf
    hi_b = float(param.max) if param.max is not None else math.inf
    exact_roots: list[tuple[float, int]] = []
    for i, e in enumerate(eigs):
        if e.of_parameter.has(P) and e.exact_roots:
            exact_roots += [(r, i) for r in poly_roots[i]]
    known = [r for r, _ in exact_roots] + [v for sols in sym_sols for _, v in sols]
    scale = max([1.0] + [abs(x) for x in (lo_b, hi_b) if math.isfinite(x)]
                + ([abs(float(param.value))] if param.value is not None else [])
                + [abs(x) for x in known])
    lo = lo_b if math.isfinite(lo_b) else -WINDOW_FACTOR * scale
    hi = hi_b if math.isfinite(hi_b) else WINDOW_FACTOR * scale
    if not math.isfinite(lo_b) and math.isfinite(hi_b):
        lo = min(lo, hi_b - WINDOW_FACTOR * scale)
    if not math.isfinite(hi_b) and math.isfinite(lo_b):
        hi = max(hi, lo_b + WINDOW_FACTOR * scale)
    complete = all(e.exact_roots for e in eigs)
    if not complete and (math.isinf(lo_b) or math.isinf(hi_b)):
        notes.append(f"{parameter} is unbounded; the numeric root search covered "
                     f"[{lo:.6g}, {hi:.6g}] only")

    # ---- all roots, per eigenvalue
    roots: list[tuple[float, int]] = [(r, i) for r, i in exact_roots if lo <= r <= hi]
    for i, e in enumerate(eigs):
        if not e.of_parameter.has(P) or e.exact_roots:
            continue
        f = sp.lambdify(P, e.of_parameter, modules=["math", "mpmath"])
        extra = [v for _, v in sym_sols[i]]
        roots += [(r, i) for r in _numeric_roots(f, lo, hi, extra)]
    for i, sols in enumerate(sym_sols):
        roots += [(v, i) for _, v in sols if lo <= v <= hi]
    points = [r for r in _merge([r for r, _ in roots]) if lo < r < hi]

    # ---- sign pattern on each piece
    def signs_at(x: float) -> list[int | None]:
        return [_sign_at(e.of_parameter, P, x) for e in eigs]

    edges = [lo] + points + [hi]
    pieces = []  # (a, b, stable, signs at midpoint)
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        sg = signs_at((a + b) / 2)
        pieces.append((a, b, all(s == -1 for s in sg), sg))
    negative_somewhere = [any(pc[3][i] == -1 for pc in pieces) for i in range(len(eigs))]
    intervals: list[Interval] = []
    for k, (a, b, stable, _) in enumerate(pieces):
        if not stable:
            continue
        if k == 0:
            if math.isinf(lo_b):
                lower, lclosed = -math.inf, False
            else:
                lower, lclosed = a, all(s == -1 for s in signs_at(a))
        else:
            lower, lclosed = a, False
        if k == len(pieces) - 1:
            if math.isinf(hi_b):
                upper, uclosed = math.inf, False
            else:
                upper, uclosed = b, all(s == -1 for s in signs_at(b))
        else:
            upper, uclosed = b, False
        intervals.append(Interval(lower, upper, lclosed, uclosed))
    if not intervals and len(eigs) == 0:  # pragma: no cover - every vertex has eigenvalues
        intervals.append(Interval(lo_b, hi_b, math.isfinite(lo_b), math.isfinite(hi_b)))

    # ---- critical values: the ends of the stable set that are roots (or zeros at a bound)
    ends = []
    for iv in intervals:
        for x, closed in ((iv.lower, iv.lower_closed), (iv.upper, iv.upper_closed)):
            if math.isfinite(x) and not closed:
                ends.append(x)
    critical = []
    for x in _merge(ends):
        which = tuple(sorted({i for r, i in roots if abs(r - x) <= 1e-7 * max(1.0, abs(x))}))
        if not which:  # a declared bound where an eigenvalue is exactly zero
            which = tuple(i for i, s in enumerate(signs_at(x)) if s == 0)
        expr, method, value = None, "numeric", x
        for i in which:
            for s, v in sym_sols[i]:
                if abs(v - x) <= 1e-7 * max(1.0, abs(x)):
                    expr, method, value = s, "symbolic", v
                    break
            if expr is not None:
                break
        if expr is None:
            if any(eigs[i].exact_roots for i in which):
                method = "exact"
            if which and x in (lo_b, hi_b):
                expr, method = sp.nsimplify(x, rational=True), "exact"
        critical.append(CriticalValue(value, which, expr, method))
    # the interval ends at critical values take the (more precise) critical numbers
    snap = {}
    for x, c in zip(_merge(ends), critical, strict=True):
        snap[x] = c.value
    intervals = [Interval(snap.get(iv.lower, iv.lower), snap.get(iv.upper, iv.upper),
                          iv.lower_closed, iv.upper_closed) for iv in intervals]

    blocking = tuple(i for i, ok in enumerate(negative_somewhere) if not ok)
    if not any(e.of_parameter.has(P) for e in eigs):
        notes.append(f"no eigenvalue of this vertex depends on {parameter}")
    method = ("exact polynomial roots" if complete else "sampling and Brent's method") + \
        (" with sympy solve for the expressions" if symbolic else "") + \
        f"; signs tested at the midpoint of each piece in {DIGITS}-digit arithmetic"
    return ThresholdResult(
        model=game.name,
        scenario=game.scenario,
        parameter=parameter,
        outcome=tuple(zip((p.name for p in game.populations), game.profile_names(profile),
                          strict=True)),
        eigenvalues=tuple(eigs),
        critical=tuple(critical),
        stable_set=tuple(intervals),
        bounds=(lo_b, hi_b),
        search=(lo, hi),
        complete=complete,
        current_value=float(param.value) if param.value is not None else None,
        blocking=blocking,
        method=method,
        time_budget=time_budget,
        notes=tuple(notes),
    )

"""Symbolic stability conditions of vertices, simplified under declared bounds.

At a vertex (pure profile :math:`s`) the Jacobian of the replicator system is triangular up to a
permutation and its eigenvalues are the payoff differences
:math:`\\lambda_{pj} = A_p(j, s_{-p}) - A_p(s)` for every population :math:`p` and every strategy
:math:`j \\ne s_p` (Hofbauer & Sigmund 1998, section 10.3; checked against the Jacobian in the tests).
The vertex is asymptotically stable exactly when every :math:`\\lambda_{pj} < 0`, i.e. when it is a
strict Nash equilibrium.  These inequalities are the vertex's *conditions*.

Simplification, in this order:

1. each :math:`\\lambda` is expanded and divided by its positive rational content;
2. sympy's assumptions (from declared bounds: ``min = 0`` means nonnegative) decide inequalities
   that always or never hold (``-Cg < 0`` with ``Cg > 0`` always holds and is dropped);
3. the conjunction of the linear inequalities, together with the declared bounds, is tested for
   feasibility by exact Fourier–Motzkin elimination over the rationals; an infeasible system means
   the vertex can never be stable, and the report says which inequalities conflict.

Derived names are kept in the conditions (they read like the paper). What is known of them
comes from their expressions: :func:`derived_bounds` evaluates each one in interval arithmetic
over the declared parameter bounds (sympy's ``AccumBounds``, exact rationals), so an annuity
factor ``(1 - (1 + rho)**(-T))/rho`` with ``rho`` in [0.001, 1] and ``T`` in [1, 70] is known to
be positive. Otherwise a derived name is a free real number. Either way a "never" verdict is
sound (the proven interval contains every value the expression can take), while a condition
that looks satisfiable may still be unsatisfiable through the derived expressions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

__all__ = [
    "VertexConditions",
    "derived_bounds",
    "fourier_motzkin_feasible",
    "normalise",
    "simplify_conditions",
]


def _interval(expr: sp.Expr, bounds):
    """``expr`` over the box ``bounds`` in interval arithmetic, or None when it cannot say."""
    AB = sp.AccumBounds
    if expr.is_Number:
        return expr
    if expr.is_Symbol:
        lo, hi = bounds.get(expr, (None, None))
        if lo is None and hi is None:
            if expr.is_positive:
                return AB(0, sp.oo)
            if expr.is_nonnegative:
                return AB(0, sp.oo)
            return None
        return AB(-sp.oo if lo is None else lo, sp.oo if hi is None else hi)
    parts = [_interval(a, bounds) for a in expr.args]
    if any(v is None for v in parts):
        return None
    if expr.is_Add:
        return sp.Add(*parts)
    if expr.is_Mul:
        out = sp.Integer(1)
        for v in parts:
            out = out * v
        return out
    if expr.is_Pow:
        base, ex = parts
        if ex.is_Number:
            return base ** ex
        low = base.min if isinstance(base, AB) else base
        if low.is_positive:  # x**y = exp(y log x) for x > 0
            return sp.exp(ex * sp.log(base))
        return None
    if isinstance(expr, (sp.exp, sp.log)):
        return type(expr)(parts[0])
    return None


def derived_bounds(derived: Mapping[sp.Symbol, sp.Expr], bounds) -> dict:
    """Proven (lower, upper) bounds of derived expressions over the declared parameter bounds.

    Parameters
    ----------
    derived : mapping of sympy.Symbol to sympy.Expr
        Derived symbol -> its expression in the parameters.
    bounds : mapping of sympy.Symbol to (lower, upper)
        Declared parameter bounds (None: unbounded); symbols' sign assumptions count too.

    Returns
    -------
    dict
        Derived symbol -> ``(lower, upper)`` (exact sympy numbers or None), for the derived
        names whose expression interval arithmetic bounds on at least one side.

    Examples
    --------
    The annuity factor over a term of 1 to 70 years at a rate of 0.1 % to 100 % is positive:

    >>> import sympy as sp
    >>> rho, T, aT = sp.symbols("rho T aT", real=True)
    >>> lo, hi = derived_bounds({aT: (1 - (1 + rho)**(-T)) / rho},
    ...                         {rho: (sp.Rational(1, 1000), 1), T: (1, 70)})[aT]
    >>> lo, bool(hi > 999)
    (1/1001, True)
    """
    out = {}
    for sym, expr in derived.items():
        try:
            v = _interval(sp.sympify(expr), bounds)
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            continue
        if v is None:
            continue
        lo, hi = (v.min, v.max) if isinstance(v, sp.AccumBounds) else (v, v)
        lo = None if (lo is sp.S.NegativeInfinity or not lo.is_finite) else lo
        hi = None if (hi is sp.S.Infinity or not hi.is_finite) else hi
        if lo is not None or hi is not None:
            out[sym] = (lo, hi)
    return out


@dataclass(frozen=True)
class VertexConditions:
    """The stability condition of one vertex.

    Attributes
    ----------
    inequalities : tuple of sympy.Rel
        Simplified; their conjunction is exactly the condition. Empty: always stable.
    never : bool
        The conjunction cannot hold under the declared bounds.
    reasons : tuple of str
        Why: the eigenvalue(s) that cannot be negative, or the conflicting set.
    eigenvalues : tuple of sympy.Expr
        The symbolic eigenvalues (payoff differences) the conditions come from.

    Examples
    --------
    Role-asymmetric hawk-dove: (hawk, dove) is stable exactly when :math:`0 < V < C`
    (Maynard Smith 1982, ch. 8):

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis.equilibria import vertex_conditions
    >>> cond = vertex_conditions(Game.builtin("hawk_dove"), (0, 1))
    >>> cond.eigenvalues, cond.inequalities, cond.never
    ((-V/2, -C/2 + V/2), (V > 0, C - V > 0), False)
    """

    inequalities: tuple[sp.Rel, ...]
    never: bool
    reasons: tuple[str, ...]
    eigenvalues: tuple[sp.Expr, ...]

    def as_strings(self) -> list[str]:
        """Contract 3 form: ``[]`` always, ``["False"]`` never, else sympy-readable inequalities.

        Returns
        -------
        list of str
            Each string parses back with :func:`sympy.sympify`.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.equilibria import vertex_conditions
        >>> vertex_conditions(Game.builtin("hawk_dove"), (0, 1)).as_strings()
        ['V > 0', 'C - V > 0']

        A vertex of matching pennies is never stable: some player always gains by switching.

        >>> never = vertex_conditions(Game.builtin("matching_pennies"), (0, 0))
        >>> never.as_strings(), never.reasons
        (['False'], ('eigenvalue 2*a is never negative',))
        """
        if self.never:
            return ["False"]
        return [sp.sstr(r) for r in self.inequalities]


def normalise(expr: sp.Expr) -> sp.Expr:
    """Expand and divide by the positive rational content (``(V - C)/2 -> V - C``).

    The sign, hence the inequality ``expr < 0``, is unchanged.  Only small contents (numerator
    and denominator at most 12) are divided out, so that tiny coefficients are not blown up.

    Parameters
    ----------
    expr : sympy.Expr

    Returns
    -------
    sympy.Expr
        Expanded; numbers are returned as they are.

    Examples
    --------
    >>> import sympy as sp
    >>> V, C = sp.symbols("V C", nonnegative=True)
    >>> normalise((V - C) / 2), normalise(3*V - 6*C), normalise(V / 1000000 - C)
    (-C + V, -2*C + V, -C + V/1000000)
    >>> normalise(sp.Rational(3, 2))
    3/2
    """
    expr = sp.expand(expr)
    if expr.is_number:
        return expr
    content, primitive = expr.as_content_primitive()
    # divide out small contents only (1/2, 3): dividing by 1/1000000 would blow up the rest
    if content > 0 and content.p <= 12 and content.q <= 12:
        return sp.expand(primitive)
    return expr


def simplify_conditions(
    eigenvalues: Iterable[sp.Expr],
    bounds: Mapping[sp.Symbol, tuple[sp.Rational | None, sp.Rational | None]],
) -> VertexConditions:
    """Turn eigenvalues into the simplified condition "all < 0" (see module docstring).

    Parameters
    ----------
    eigenvalues : iterable of sympy.Expr
        The vertex's eigenvalues (payoff differences).
    bounds : mapping of sympy.Symbol to (lower, upper)
        Declared bounds per parameter symbol (None: unbounded); the symbols' own sign
        assumptions are used as well.

    Returns
    -------
    VertexConditions

    Examples
    --------
    >>> import sympy as sp
    >>> V, C = sp.symbols("V C", nonnegative=True)
    >>> bounds = {V: (0, None), C: (0, None)}
    >>> simplify_conditions([(V - C) / 2, -V], bounds).inequalities
    (C - V > 0, V > 0)
    >>> simplify_conditions([V, -C], bounds).reasons        # V >= 0 is never negative
    ('eigenvalue V is never negative',)

    Conditions that cannot hold together are found by Fourier-Motzkin elimination:

    >>> a = sp.Symbol("a", real=True)
    >>> simplify_conditions([a - 1, 2 - a], {}).reasons
    ('the inequalities a - 1 < 0, 2 - a < 0 cannot hold together under the declared bounds',)
    """
    eigenvalues = tuple(eigenvalues)
    kept: list[sp.Expr] = []
    never_reasons: list[str] = []
    for lam in eigenvalues:
        e = normalise(lam)
        rel = sp.StrictLessThan(e, 0)
        if rel is sp.true:
            continue
        if rel is sp.false:
            never_reasons.append(f"eigenvalue {sp.sstr(lam)} is never negative")
            continue
        if e not in kept:
            kept.append(e)
    if not never_reasons:
        # one at a time, then jointly, with the declared bounds
        for e in kept:
            if not _feasible([e], bounds):
                never_reasons.append(
                    f"eigenvalue {sp.sstr(e)} cannot be negative under the declared bounds")
        if not never_reasons and len(kept) > 1 and not _feasible(kept, bounds):
            never_reasons.append(
                "the inequalities " + ", ".join(f"{sp.sstr(e)} < 0" for e in kept)
                + " cannot hold together under the declared bounds")
    if never_reasons:
        return VertexConditions((), True, tuple(dict.fromkeys(never_reasons)), eigenvalues)
    rels = tuple(_readable(e) for e in kept)
    return VertexConditions(rels, False, (), eigenvalues)


def _readable(e: sp.Expr) -> sp.Rel:
    """``e < 0`` written with fewer minus signs: ``-a - b < 0`` becomes ``a + b > 0``."""
    if e.could_extract_minus_sign():
        return sp.StrictGreaterThan(-e, 0, evaluate=False)
    return sp.StrictLessThan(e, 0, evaluate=False)


def _feasible(exprs: list[sp.Expr], bounds) -> bool:
    """False only when the linear ones among ``e < 0`` are provably infeasible with the bounds."""
    linear = []
    for e in exprs:
        syms = sorted(e.free_symbols, key=str)
        try:
            poly = sp.Poly(e, *syms) if syms else None
        except sp.PolynomialError:
            continue
        if poly is not None and poly.total_degree() > 1:
            continue
        if poly is not None and not all(c.is_Rational for c in poly.coeffs()):
            continue  # irrational coefficients (sqrt(2), E): not used to prove infeasibility
        if poly is None and not e.is_Rational:
            continue
        coeffs = {s: Fraction(str(poly.coeff_monomial(s))) for s in syms} if syms else {}
        const = Fraction(str(poly.coeff_monomial(1) if poly is not None else e))
        linear.append((coeffs, const, True))  # a.x + c < 0
    if not linear:
        return True
    variables = sorted({s for c, _, _ in linear for s in c}, key=str)
    rows = list(linear)
    for s in variables:
        lo, hi = bounds.get(s, (None, None))
        strict_pos = bool(s.is_positive)
        strict_neg = bool(s.is_negative)
        if lo is not None or strict_pos or s.is_nonnegative:
            lo_v = Fraction(str(lo)) if lo is not None else Fraction(0)
            # lo - s <= 0  (strict when the symbol is positive and lo == 0)
            rows.append(({s: Fraction(-1)}, lo_v, strict_pos and lo_v == 0))
        if hi is not None or strict_neg or s.is_nonpositive:
            hi_v = Fraction(str(hi)) if hi is not None else Fraction(0)
            rows.append(({s: Fraction(1)}, -hi_v, strict_neg and hi_v == 0))
    return fourier_motzkin_feasible(rows, variables)


def fourier_motzkin_feasible(rows, variables) -> bool:
    """Feasibility of a system of rational linear inequalities by Fourier–Motzkin elimination.

    Each row is ``(coefficients: dict var -> Fraction, constant: Fraction, strict: bool)`` meaning
    ``sum(a_v * v) + constant < 0`` (strict) or ``<= 0``.  Exact; exponential in the worst case,
    meant for the handful of inequalities of one vertex.

    Parameters
    ----------
    rows : list of (dict, fractions.Fraction, bool)
        The inequalities, as above.
    variables : sequence
        The variables to eliminate (all those appearing in ``rows``).

    Returns
    -------
    bool
        False only when the system is proved infeasible; True when it is feasible, or when
        elimination was given up (more than 5,000 rows).

    Examples
    --------
    ``a < 0`` and ``-a < 0`` conflict; ``a <= 0`` and ``-a <= 0`` leave ``a = 0``:

    >>> from fractions import Fraction as F
    >>> a = sp.Symbol("a")
    >>> fourier_motzkin_feasible([({a: F(1)}, F(0), True), ({a: F(-1)}, F(0), True)], [a])
    False
    >>> fourier_motzkin_feasible([({a: F(1)}, F(0), False), ({a: F(-1)}, F(0), False)], [a])
    True

    ``a + b < 1`` with ``a, b > 0`` is feasible:

    >>> b = sp.Symbol("b")
    >>> rows = [({a: F(1), b: F(1)}, F(-1), True), ({a: F(-1)}, F(0), True),
    ...         ({b: F(-1)}, F(0), True)]
    >>> fourier_motzkin_feasible(rows, [a, b])
    True
    """
    # a zero coefficient is no coefficient (a row {v: 0} with constant 1 is "1 < 0", false)
    rows = [({w: c for w, c in coeffs.items() if c != 0}, const, strict)
            for coeffs, const, strict in rows]
    for v in variables:
        pos, neg, rest = [], [], []
        for coeffs, const, strict in rows:
            a = coeffs.get(v, Fraction(0))
            (pos if a > 0 else neg if a < 0 else rest).append((coeffs, const, strict))
        new = list(rest)
        for cp, kp, sp_ in pos:
            ap = cp[v]
            for cn, kn, sn in neg:
                an = -cn[v]
                coeffs = {}
                for w in set(cp) | set(cn):
                    if w == v:
                        continue
                    c = cp.get(w, Fraction(0)) / ap + cn.get(w, Fraction(0)) / an
                    if c != 0:
                        coeffs[w] = c
                new.append((coeffs, kp / ap + kn / an, sp_ or sn))
        rows = new
        if len(rows) > 5000:  # give up: cannot prove infeasibility
            return True
    for coeffs, const, strict in rows:
        if coeffs:
            continue
        if (strict and const >= 0) or (not strict and const > 0):
            return False
    return True

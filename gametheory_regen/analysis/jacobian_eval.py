r"""The Jacobian of a polynomial replicator system at a point, without symbolic substitution.

Classifying a rest point needs :math:`J(x^*)`, the Jacobian of the reduced system
:math:`\dot x = f(x)` at the point.  Substituting the point into the symbolic Jacobian
(``Matrix.xreplace``) rebuilds every entry through sympy's generic arithmetic: 0.2 s per point
for a 4x3 game with rational coordinates and 0.6 s with 40-digit ones, which dominated the
report of games with hundreds of rest points.  When :math:`f` is a polynomial with rational
coefficients (constant payoffs, and every state-dependent payoff that is polynomial), the
entries :math:`\partial f_i / \partial x_j` are kept as polynomials over :math:`\mathbb{Q}` and

* evaluated **exactly** in rational arithmetic at a point with rational coordinates (the same
  numbers as the substitution: the value of a polynomial at a rational point is unique);
* evaluated in ``mpmath`` at 50 significant digits at a point given by 40-digit floats (an
  algebraic point of degree > 2), as precise as the substitution it replaces;
* for the payoffs at an exact point whose coordinates are partly rational (0 and 1 off the
  face) and partly radicals or 50-digit floats: exactly where no irrational coordinate
  survives the substitution (the rational the substitution gives), else to 50 digits.

Each monomial's value is computed once for all entries (integers over a common denominator at
a rational point).

Anything else (non-polynomial payoffs, symbols) falls back to the substitution.

Examples
--------
>>> import sympy as sp
>>> from gametheory_regen.model import Game
>>> from gametheory_regen.dynamics.replicator import replicator_system
>>> system = replicator_system(Game.builtin("matching_pennies"), numeric=True)
>>> x, y = system.flat_variables
>>> jacobian_at(system, {x: sp.Rational(1, 2), y: sp.Rational(1, 2)}).tolist()
[[0, 1], [-1, 0]]
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

__all__ = ["jacobian_at", "payoffs_at"]

#: Working precision (decimal digits) of the evaluation at a floating-point point.
MP_DIGITS = 50


def _rational_polys(system):
    """The Jacobian's entries as polynomials over QQ (cached on the system), or None."""
    cache = system.__dict__.setdefault("_jac_qq", [])
    if not cache:
        variables = system.flat_variables
        rows = None
        try:
            polys = [sp.Poly(f, *variables, domain=sp.QQ) for f in system.rhs]
            rows = [[p.diff(v) for v in variables] for p in polys]
        except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed,
                sp.polys.polyerrors.GeneratorsError):
            rows = None
        cache.append(rows)
    return cache[0]


def _mp_function(system, rows):
    cache = system.__dict__.setdefault("_jac_mp", [])
    if not cache:
        exprs = [[p.as_expr() for p in row] for row in rows]
        cache.append(sp.lambdify(system.flat_variables, exprs, "mpmath"))
    return cache[0]


def jacobian_at(system, subs) -> sp.Matrix:
    """The reduced Jacobian of ``system`` at the point ``subs`` (variable -> number).

    Parameters
    ----------
    system : ReplicatorSystem
    subs : dict
        Every flat variable of the system -> a sympy number.

    Returns
    -------
    sympy.Matrix
        Exact rationals at a rational point, 40-digit floats at a floating-point point, and the
        substituted symbolic Jacobian otherwise.

    Examples
    --------
    >>> import sympy as sp
    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.dynamics.replicator import replicator_system
    >>> system = replicator_system(Game.builtin("hawk_dove"), numeric=True)
    >>> x, y = system.flat_variables
    >>> jacobian_at(system, {x: sp.Rational(1, 2), y: sp.Rational(1, 2)}).tolist()
    [[0, -1/2], [-1/2, 0]]
    """
    variables = system.flat_variables
    values = [subs.get(v) for v in variables]
    rows = _rational_polys(system) if all(v is not None for v in values) else None
    if rows is not None and all(v.is_Rational for v in values):
        return sp.Matrix(_eval_rational_many(system, "_jac_many", rows, values))
    if rows is not None and all(v.is_Float for v in values):
        import mpmath

        with mpmath.workdps(MP_DIGITS):
            # the lambdified expressions, not a term-by-term sum: the same rounding noise in
            # entries that vanish (an exact sum gives exact zeros there, which moves LAPACK's
            # double-precision eigenvalues in their last digits)
            matrix = _mp_function(system, rows)(*[mpmath.mpf(v._mpf_) for v in values])
            return sp.Matrix([[sp.Float(matrix[i][j], 40) for j in range(len(variables))]
                              for i in range(len(variables))])
    return system.jacobian().xreplace(subs)


def _prepared_many(system, key, rows):
    """Rows of polynomials over QQ as (union of monomials, largest degree, per entry its
    common denominator and (monomial index, integer coefficient) terms), cached on the
    system."""
    cache = system.__dict__.setdefault("_eval_many", {})
    prepared = cache.get(key)
    if prepared is None:
        index: dict = {}
        forms = []
        for row in rows:
            out = []
            for p in row:
                lcm, _deg, terms, _gens = _int_form(p)
                out.append((lcm, [(index.setdefault(m, len(index)), c) for m, c in terms]))
            forms.append(out)
        monoms = list(index)
        deg = max((sum(m) for m in monoms), default=0)
        prepared = (monoms, deg, forms)
        cache[key] = prepared
    return prepared


_INT_FORMS: dict = {}


def _int_form(poly):
    """(L, degree, [(monomial, integer coefficient)], generators) of a polynomial over QQ."""
    key = (poly.rep, poly.gens)
    got = _INT_FORMS.get(key)
    if got is None:
        terms = poly.rep.terms()
        lcm = 1
        for _, c in terms:
            lcm = math.lcm(lcm, int(c.denominator))
        deg = max((sum(m) for m, _ in terms), default=0)
        got = (lcm, deg, [(m, int(c.numerator) * (lcm // int(c.denominator)))
                          for m, c in terms if c], poly.gens)
        if len(_INT_FORMS) > 4096:
            _INT_FORMS.clear()
        _INT_FORMS[key] = got
    return got


def _eval_rational(poly, point) -> sp.Rational:
    """Exact value of a polynomial over QQ at a rational point, in integer arithmetic.

    With the coefficients brought to a common denominator :math:`L` and the coordinates to a
    common denominator :math:`D` (:math:`x_i = a_i / D`), a polynomial of total degree
    :math:`d` is :math:`\\sum_m c_m L \\prod_i a_i^{m_i} D^{d - |m|} / (L D^d)`: Python
    integers only, about ten times faster than the domain's rational arithmetic.
    """
    prepared = _int_form(poly)
    lcm, deg, terms, _gens = prepared
    vals = [sp.Rational(point[g]) for g in prepared[3]]
    den = 1
    for v in vals:
        den = math.lcm(den, int(v.q))
    nums = [int(v.p) * (den // int(v.q)) for v in vals]
    dpow = [den**k for k in range(deg + 1)]
    total = 0
    for monom, c in terms:
        term = c * dpow[deg - sum(monom)]
        for a, e in zip(nums, monom, strict=True):
            if e:
                term *= a**e
        total += term
    return sp.Rational(total, lcm * dpow[deg])


def _eval_rational_many(system, key, rows, values) -> list:
    """Exact values of rows of polynomials over QQ (in the system's variables) at a rational
    point: every monomial's value is computed once for all of them, in integers.

    With the coordinates brought to a common denominator :math:`D` (:math:`x_i = a_i / D`) and
    :math:`d` the largest total degree, monomial :math:`m` is
    :math:`\\prod_i a_i^{m_i} D^{d - |m|} / D^d`; a polynomial whose coefficients have common
    denominator :math:`L` is then an integer over :math:`L D^d`, reduced by ``sympy.Rational``:
    the same rational as :func:`_eval_rational` (a polynomial has one value at a point).
    """
    monoms, deg, forms = _prepared_many(system, key, rows)
    vals = [sp.Rational(v) for v in values]
    den = 1
    for v in vals:
        den = math.lcm(den, int(v.q))
    nums = [int(v.p) * (den // int(v.q)) for v in vals]
    powers = [[1] * (deg + 1) for _ in nums]
    for k, a in enumerate(nums):
        for e in range(1, deg + 1):
            powers[k][e] = powers[k][e - 1] * a
    dpow = [den**k for k in range(deg + 1)]
    mono = []
    for m in monoms:
        t = dpow[deg - sum(m)]
        for k, e in enumerate(m):
            if e:
                t *= powers[k][e]
        mono.append(t)
    top = dpow[deg]
    return [[sp.Rational(sum(c * mono[t] for t, c in terms), lcm * top) for lcm, terms in row]
            for row in forms]


def payoffs_at(system, payoffs, subs, *, mixed: bool = False):
    """Expected payoffs (rows of expressions in the system's variables) at a point, evaluated
    as :func:`jacobian_at` evaluates the Jacobian; None where that does not apply.

    Parameters
    ----------
    system : ReplicatorSystem
        Its variables; the polynomials are cached on it.
    payoffs : tuple of tuple of sympy.Expr
        :func:`~gametheory_regen.dynamics.replicator.expected_payoffs` of the system's game.
    subs : dict
        Every variable -> a sympy number (all rational, or all 40-digit floats).
    mixed : bool
        Also evaluate at a point whose coordinates are partly rational and partly radicals or
        floats (:func:`_eval_mixed`).

    Returns
    -------
    list of list of sympy.Expr or None

    Examples
    --------
    >>> import sympy as sp
    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.dynamics.replicator import expected_payoffs, replicator_system
    >>> game = Game.builtin("hawk_dove")
    >>> system = replicator_system(game, numeric=True)
    >>> x, y = system.flat_variables
    >>> payoffs_at(system, expected_payoffs(game, numeric=True),
    ...            {x: sp.Rational(1, 2), y: sp.Rational(1, 2)})
    [[1/2, 1/2], [1/2, 1/2]]
    """
    variables = system.flat_variables
    values = [subs.get(v) for v in variables]
    if any(v is None for v in values):
        return None
    cache = system.__dict__.setdefault("_pay_qq", {})
    key = id(payoffs)
    if key not in cache:
        try:
            polys = [[sp.Poly(e, *variables, domain=sp.QQ) for e in row] for row in payoffs]
        except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed,
                sp.polys.polyerrors.GeneratorsError):
            polys = None
        cache[key] = (payoffs, polys)  # the payoffs are kept so that the id stays theirs
    polys = cache[key][1]
    if polys is None:
        return None
    if all(v.is_Rational for v in values):
        return _eval_rational_many(system, ("_pay_many", key), polys, values)
    if all(v.is_Float for v in values):
        import mpmath

        with mpmath.workdps(MP_DIGITS):
            point = dict(zip(variables, [mpmath.mpf(v._mpf_) for v in values], strict=True))
            return [[sp.Float(_eval_mp(p, point), 30) for p in row] for row in polys]
    if mixed and all(v.is_number for v in values):
        return _eval_mixed(polys, values)
    return None


def _eval_mixed(polys, values):
    """Payoffs at a point whose coordinates are partly rational and partly not (an algebraic
    point on a face: 0 and 1 for the other populations, radicals or 50-digit floats for its
    own).  The rational coordinates are substituted exactly; a payoff in which no monomial of
    the others survives (with a non-zero coefficient) is that exact rational, as substituting
    into the expression gives; any other is evaluated with 50 significant digits and given to
    30, as at a floating-point point."""
    import mpmath

    rational = [v.is_Rational for v in values]
    exact = [Fraction(int(v.p), int(v.q)) if r else None
             for v, r in zip(values, rational, strict=True)]
    out = []
    with mpmath.workdps(MP_DIGITS):
        approx = [None if r else mpmath.mpf(sp.N(v, MP_DIGITS + 10)._mpf_)
                  for v, r in zip(values, rational, strict=True)]
        for row in polys:
            vals = []
            for poly in row:
                groups: dict = {}
                for monom, coeff in poly.rep.terms():
                    c = Fraction(int(coeff.numerator), int(coeff.denominator))
                    rest = []
                    for k, e in enumerate(monom):
                        if rational[k]:
                            if e:
                                c *= exact[k] ** e
                            rest.append(0)
                        else:
                            rest.append(e)
                    key = tuple(rest)
                    groups[key] = groups.get(key, 0) + c
                live = {m: c for m, c in groups.items() if c and any(m)}
                if not live:
                    c = groups.get(tuple(0 for _ in values), Fraction(0))
                    vals.append(sp.Rational(c.numerator, c.denominator))
                    continue
                total = mpmath.mpf(0)
                for m, c in groups.items():
                    if not c:
                        continue
                    term = mpmath.mpf(c.numerator) / c.denominator
                    for k, e in enumerate(m):
                        if e:
                            term *= approx[k] ** e
                    total += term
                vals.append(sp.Float(total, 30))
            out.append(vals)
    return out


def _eval_mp(poly, point):
    import mpmath

    total = mpmath.mpf(0)
    vals = [point[g] for g in poly.gens]
    for monom, coeff in poly.rep.terms():
        term = mpmath.mpf(int(coeff.numerator)) / int(coeff.denominator)
        for v, e in zip(vals, monom, strict=True):
            if e:
                term *= v**e
        total += term
    return total

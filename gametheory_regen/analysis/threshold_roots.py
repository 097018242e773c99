r"""The roots of one eigenvalue :math:`\lambda(P)` of a vertex, as a function of one parameter.

1. **Exactly** when :math:`\lambda(P)` is a rational function of :math:`P` of degree at most
   :data:`MAX_DEGREE`: the real roots of its numerator and of its denominator (poles), all of
   them, on the whole real line, from the square-free factors of the rational polynomials
   (:meth:`sympy.Poly.real_roots` up to degree 2, ``nroots`` at :data:`DIGITS` digits keeping
   the real ones above it) (:func:`_poly_roots`).
2. Otherwise **numerically**: :math:`\lambda` is sampled at :data:`SAMPLES` points of the search
   interval (as many again geometrically spaced when it is positive and spans more than a factor
   50, and around candidate roots) and every sign change is refined with Brent's method
   (:func:`_numeric_roots`).
3. **Symbolically** as well: :math:`\lambda = 0` is solved for :math:`P` by sympy under a
   deterministic work budget (degree at most 4 in :math:`P`, at most :data:`SYMBOLIC_MAX_OPS`
   operations; never a clock), results cached per expression (:func:`_solve_symbolic`).

The sign of :math:`\lambda` at a point is tested in :data:`DIGITS`-digit arithmetic
(:func:`_sign_at`); roots within :math:`10^{-9} \max(1, |P|)` of each other are merged
(:func:`_merge`).  :func:`.thresholds.threshold` puts them together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import brentq

__all__: list = []

#: Largest eigenvalue expression (``sympy.count_ops``) solved symbolically for the parameter.
SYMBOLIC_MAX_OPS = 400
#: Number of sample points for the numeric root search.
SAMPLES = 4001
#: Significant digits of the midpoint sign tests.
DIGITS = 30
#: Highest degree for which the exact polynomial route is used.
MAX_DEGREE = 60


# ---------------------------------------------------------------------------- helpers
_SOLVE_CACHE: dict = {}


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

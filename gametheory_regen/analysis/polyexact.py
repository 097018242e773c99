r"""The exact route of a face system: every solution in the open face, proven complete.

A Groebner basis in degree-reverse-lexicographic order (Buchberger), converted to lexicographic
order by FGLM (Faugère, Gianni, Lazard & Mora 1993).  Basis :math:`\{1\}`: no solution at all,
proven.  A zero-dimensional ideal whose lex basis is in *shape position* (:math:`u_i - g_i(u_n)`,
:math:`p(u_n)`; Cox, Little & O'Shea, *Ideals, Varieties, and Algorithms*, 4th ed., sec. 3.5) has
exactly the solutions :math:`u_n = r`, :math:`u_i = g_i(r)` for the roots :math:`r` of :math:`p`;
otherwise the fixed separating form :math:`s = \sum_i (i+1) u_i` is adjoined and the basis
computed again.  The real roots of each irreducible factor :math:`f` of :math:`p` are isolated in
disjoint rational intervals (exact Vincent--Collins--Akritas bisection,
``sympy.Poly.intervals``).  A share :math:`h(u)` of the face becomes a polynomial :math:`h(r)`
reduced modulo :math:`f`; since :math:`f` is irreducible, :math:`h(r) = 0` for one root iff
:math:`h \equiv 0 \bmod f`, and otherwise the isolating interval is refined until exact rational
interval arithmetic proves the sign.  The face's rest points are then *all* found:
``complete = True`` (:func:`solve_exact`, within the budget of :mod:`.polybudget`).
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from .polybudget import DIGITS, FaceSolution

__all__ = ["solve_exact"]


# ----------------------------------------------------------------------------- exact route
def solve_exact(eqs, unknowns, shares, *, basis=None) -> FaceSolution | None:
    """Every solution with all ``shares`` > 0 of a zero-dimensional rational polynomial system.

    Parameters
    ----------
    eqs : sequence of sympy.Expr
        Polynomials with rational coefficients in ``unknowns``.
    unknowns : sequence of sympy.Symbol
    shares : sequence of sympy.Expr
        Polynomials (affine for faces) that must be positive.
    basis : callable, optional
        Returns the grevlex Groebner basis of ``eqs`` (as ``sympy.groebner`` would), when the
        caller has the polynomials already (:func:`.facepoly.groebner_basis`).

    Returns
    -------
    FaceSolution or None
        None when the solution set has positive dimension (a continuum: the caller's business).
        ``complete`` is False only when the basis could not be brought into shape position.

    Examples
    --------
    A circle meets a line in two points, one of them in the positive quadrant:

    >>> x, y = sp.symbols("x y", real=True)
    >>> sol = solve_exact([x**2 + y**2 - 1, x - 2*y], [x, y], [x, y])
    >>> [(p[x], p[y]) for p in sol.points]
    [(2*sqrt(5)/5, sqrt(5)/5)]
    """
    unknowns = list(unknowns)
    # Buchberger: sympy's F5B was measured 2x faster on a 4x3 face of Bezout number 9 in 4
    # unknowns but 5x slower on the 3x3 interior (Bezout number 10, 6 unknowns)
    G = basis() if basis is not None else sp.groebner(eqs, *unknowns, order="grevlex")
    if list(G.exprs) == [1]:
        return FaceSolution([], True, "exact")
    if not G.is_zero_dimensional:
        return None
    shaped = _shape(G.fglm("lex"), unknowns)
    last = unknowns[-1]
    if shaped is None:
        sep = sp.Symbol("_sep", real=True)
        form = sum((i + 1) * u for i, u in enumerate(unknowns))
        G2 = sp.groebner(list(G.exprs) + [sep - form], *unknowns, sep, order="grevlex")
        shaped = _shape(G2.fglm("lex"), unknowns + [sep])
        last = sep
        if shaped is None:
            return FaceSolution([], False, "exact",
                                "the Groebner basis is not in shape position (a multiple root?)")
    p, maps = shaped
    share_polys = [sp.Poly(sp.expand(h.xreplace({v: g for v, g in maps.items()})), last)
                   for h in shares]
    points = []
    for f, _mult in sp.factor_list(sp.Poly(p, last))[1]:
        f = sp.Poly(f, last)
        if f.degree() < 1:
            continue
        hs = [h.rem(f) for h in share_polys]
        if any(h.is_zero for h in hs):
            continue  # a share vanishes at every root of f: those points lie on a lower face
        exact_roots = sp.roots(f, multiple=True) if f.degree() <= 2 else None
        for (a, b), _m in f.intervals():
            a, b = Fraction(int(sp.Rational(a).p), int(sp.Rational(a).q)), Fraction(
                int(sp.Rational(b).p), int(sp.Rational(b).q))
            if not all(_positive_at(h, f, a, b) for h in hs):
                continue
            if exact_roots is not None:
                mid = (a + b) / 2
                r = min(exact_roots, key=lambda z: abs(complex(sp.N(z, 30)) - float(mid)))
                r = sp.radsimp(r)
                sol = {last: r} if last in unknowns else {}
                for v, g in maps.items():
                    sol[v] = sp.radsimp(sp.expand(g.xreplace({last: r})))
            else:
                lo, hi = _refine(f, a, b, Fraction(1, 10 ** DIGITS))
                r = sp.Float(sp.Rational((lo + hi) / 2), DIGITS)
                sol = {last: r} if last in unknowns else {}
                for v, g in maps.items():
                    sol[v] = sp.Float(sp.N(g.xreplace({last: sp.Rational((lo + hi) / 2)}),
                                           DIGITS), DIGITS)
            points.append({u: sol[u] for u in unknowns})
    return FaceSolution(points, True, "exact", certified=[True] * len(points))


def _shape(L, unknowns):
    """(eliminant, {var: g(last)}) when the lex basis ``L`` is in shape position, else None."""
    last = unknowns[-1]
    polys = list(L.exprs)
    if len(polys) != len(unknowns):
        return None
    uni = [q for q in polys if q.free_symbols <= {last} and q.has(last)]
    if len(uni) != 1:
        return None
    maps = {}
    gens = list(L.gens)
    for q, qpoly in zip(polys, L.polys, strict=True):
        if q is uni[0]:
            continue
        var = [v for v in unknowns[:-1] if q.has(v)]
        if len(var) != 1:
            return None
        var = var[0]
        # degree one in var with a constant coefficient, read from the basis' own polynomial
        # (the same test as sympy.Poly(q, var) of the expression, without parsing it)
        k = gens.index(var)
        linear = [(m, c) for m, c in qpoly.terms() if m[k]]
        if any(m[k] != 1 for m, _ in linear) or len(linear) != 1 or \
                any(e for j, e in enumerate(linear[0][0]) if j != k):
            return None
        lead = qpoly.domain.to_sympy(linear[0][1])
        maps[var] = sp.expand(-(q - lead * var) / lead)
    if set(maps) != set(unknowns[:-1]):
        return None
    return uni[0], maps


def _horner(coeffs, lo: Fraction, hi: Fraction):
    """Exact interval enclosure of a polynomial (coefficients high to low) on [lo, hi]."""
    a = b = Fraction(0)
    for c in coeffs:
        prods = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(prods) + c, max(prods) + c
    return a, b


def _refine(f, a: Fraction, b: Fraction, eps: Fraction):
    if a == b:
        return a, b
    lo, hi = f.refine_root(sp.Rational(a.numerator, a.denominator),
                           sp.Rational(b.numerator, b.denominator),
                           eps=sp.Rational(eps.numerator, eps.denominator))
    lo, hi = sp.Rational(lo), sp.Rational(hi)
    return Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))


def _positive_at(h, f, a: Fraction, b: Fraction) -> bool:
    """Sign of h(r) > 0 at the root r of f isolated in [a, b] (h(r) != 0 is known)."""
    coeffs = [Fraction(int(sp.Rational(c).p), int(sp.Rational(c).q)) for c in h.all_coeffs()]
    eps = Fraction(1, 2 ** 8)
    for _ in range(200):
        lo, hi = _horner(coeffs, a, b)
        if lo > 0:
            return True
        if hi < 0:
            return False
        a, b = _refine(f, a, b, min(eps, (b - a) / 4) if b > a else eps)
        eps /= 2 ** 8
    raise ArithmeticError("sign of a share at an algebraic point not decided")  # pragma: no cover

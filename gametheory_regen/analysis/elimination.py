r"""Generic solutions of polynomial face systems with free parameters, by linear elimination.

Deterministic and budgeted (a bound on the number of terms of every intermediate equation), in
place of an unbounded ``sympy.solve``.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["eliminate", "SYMBOLIC_MAX_OPS"]

#: Most terms of an expanded equation allowed during symbolic elimination (a work budget).
SYMBOLIC_MAX_OPS = 20000


def eliminate(eqs, unknowns, max_ops: int | None = None) -> list[dict] | None:
    """Generic solutions of a polynomial system with free parameters, by linear elimination.

    Repeatedly an equation of degree 1 in some unknown is solved for it (the generic solution:
    its coefficient is taken to be non-zero) and substituted into the others (numerators kept);
    the last equation, in one unknown, must have degree at most 2 (radicals).  Every step is
    checked against a deterministic work budget: no expanded equation may have more than
    ``max_ops`` terms (default :data:`SYMBOLIC_MAX_OPS`).  The interior of a 2x2x2 game (bilinear
    equations) is solved so: two unknowns are rational in the third, which solves a quadratic.

    Parameters
    ----------
    eqs : sequence of sympy.Expr
    unknowns : sequence of sympy.Symbol
    max_ops : int, optional

    Returns
    -------
    list of dict or None
        Unknown -> expression, one dict per generic solution; None beyond the budget or when
        elimination is not possible this way (then the face is listed as unsolved).

    Examples
    --------
    >>> a, b, x, y = sp.symbols("a b x y", positive=True)
    >>> [sorted(s.items(), key=str) for s in eliminate([x*y - a, x - b], [x, y])]
    [[(x, b), (y, a/b)]]
    """
    limit = SYMBOLIC_MAX_OPS if max_ops is None else max_ops
    eqs = [sp.expand(e) for e in eqs if e != 0]
    remaining = list(unknowns)
    chain = []
    while len(eqs) > 1:
        pick = None
        for e in eqs:
            for u in remaining:
                if e.has(u) and sp.Poly(e, u).degree() == 1:
                    pick = (e, u)
                    break
            if pick:
                break
        if pick is None:
            return None
        e, u = pick
        coeff, rest = e.coeff(u, 1), e.coeff(u, 0)
        value = -rest / coeff
        chain.append((u, value))
        remaining.remove(u)
        new = []
        for f in eqs:
            if f is e:
                continue
            # numerator of f(-rest/coeff): sum_k f_k (-rest)^k coeff^(d-k), no rational algebra
            poly = sp.Poly(f, u)
            d = poly.degree()
            g = sp.expand(sum((c * (-rest) ** k * coeff ** (d - k)
                               for (k,), c in poly.terms()), sp.Integer(0)))
            if g != 0:
                new.append(g)
        eqs = new
        if any(len(sp.Add.make_args(f)) > limit for f in eqs):
            return None
    if len(eqs) != 1 or len(remaining) != 1:
        return None  # a continuum or an over-determined remainder: leave it to the caller
    (v,) = remaining
    poly = sp.Poly(eqs[0], v)
    if poly.degree() < 1 or poly.degree() > 2:
        return None
    out = []
    if poly.degree() == 1:
        c1, c0 = poly.all_coeffs()
        found = [-c0 / c1]
    else:  # the quadratic formula, without sympy's simplification of huge coefficients
        a, b, c = poly.all_coeffs()
        disc = sp.sqrt(b**2 - 4 * a * c)
        found = [(-b - disc) / (2 * a), (-b + disc) / (2 * a)]
    for r in found:
        sol = {v: r}
        for u, value in reversed(chain):
            sol[u] = value.xreplace(sol)
        out.append(sol)
    return out



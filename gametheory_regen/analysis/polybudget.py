r"""The work budget of a face system and the type of its solutions.

A face system :math:`F(u) = 0` (one equation per used strategy but the last of each population)
is solved exactly when its *multihomogeneous Bezout number* :math:`B` (the number of isolated
complex solutions it can have, counted with multiplicity, for the grouping of unknowns by
population; Shafarevich, *Basic Algebraic Geometry* I, ch. 4; Morgan & Sommese 1987) is at most
:data:`EXACT_MAX_SOLUTIONS` and it has at most :data:`EXACT_MAX_UNKNOWNS` unknowns.  :math:`B` is
the coefficient of :math:`\prod_q t_q^{n_q}` in :math:`\prod_e \sum_q d_{eq} t_q`, where
:math:`n_q` is the number of unknowns of group :math:`q` and :math:`d_{eq}` the degree of
equation :math:`e` in them (:func:`bezout_bound`).  It depends on the input alone, so one input
gives one report on any machine, under any load, on any thread.  (For :math:`n` populations of
two strategies and constant payoffs the interior bound is the number of derangements of
:math:`n`: 1, 2, 9, 44, 265; McKelvey & McLennan 1997.)

Both routes (:mod:`.polyexact`, :mod:`.polynumeric`) return a :class:`FaceSolution`;
:mod:`.polysolve` gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["FaceSolution", "bezout_bound", "EXACT_MAX_SOLUTIONS", "EXACT_MAX_UNKNOWNS",
           "NUMERIC_TOL", "NUMERIC_STARTS", "DIGITS"]

#: Largest multihomogeneous Bezout number of a face solved exactly (a work budget).
EXACT_MAX_SOLUTIONS = 10
#: Most unknowns of a face solved exactly.
EXACT_MAX_UNKNOWNS = 6
#: Residual accepted for a numeric candidate before certification.
NUMERIC_TOL = 1e-9
#: Seeded Newton starts per numeric face (the work budget of the numeric route).
NUMERIC_STARTS = 64
#: Decimal digits of algebraic rest points that are not rational or quadratic.
DIGITS = 50


@dataclass
class FaceSolution:
    """The solutions of a face system in the open face.

    Attributes
    ----------
    points : list of dict
        Unknown -> value: exact (rationals, radicals) or a 50-digit ``sympy.Float`` of a real
        algebraic number isolated exactly, or a float (numeric route).
    complete : bool
        Proven to be every solution in the open face.
    method : str
        ``"exact"`` or ``"numeric"``.
    reason : str
        Why the face is not proven complete (empty when it is).
    uncertified : int
        Numeric candidates with a small residual that the interval test could not certify
        (kept, and counted here).
    certified : list of bool
        Per point, whether it is exact or certified by the Krawczyk test.

    Examples
    --------
    >>> from gametheory_regen.analysis.polyexact import solve_exact
    >>> x, y = sp.symbols("x y", real=True)
    >>> sol = solve_exact([x*y - 1, x - y], [x, y], [x, y])
    >>> [(p[x], p[y]) for p in sol.points], sol.complete
    ([(1, 1)], True)
    """

    points: list = field(default_factory=list)
    complete: bool = True
    method: str = "exact"
    reason: str = ""
    uncertified: int = 0
    certified: list = field(default_factory=list)


# ----------------------------------------------------------------------------- budget
def bezout_bound(eqs, groups) -> int | None:
    """Multihomogeneous Bezout number of polynomial equations for a grouping of the unknowns.

    Parameters
    ----------
    eqs : sequence of sympy.Expr
        Polynomials in the unknowns.
    groups : sequence of sequence of sympy.Symbol
        A partition of the unknowns (one group per population).

    Returns
    -------
    int or None
        The bound on isolated complex solutions; None when an equation is not a polynomial.

    Examples
    --------
    Four populations of two strategies, multilinear payoffs: at most 9 interior rest points
    (the derangements of 4):

    >>> u = sp.symbols("u0:4")
    >>> eqs = [sp.prod([u[q] for q in range(4) if q != p]) + u[(p + 1) % 4] for p in range(4)]
    >>> bezout_bound(eqs, [[v] for v in u])
    9
    """
    groups = [list(g) for g in groups if g]
    ts = sp.symbols(f"_t0:{len(groups)}")
    total = sp.Integer(1)
    for e in eqs:
        try:
            poly = sp.Poly(e, *[v for g in groups for v in g])
        except sp.PolynomialError:
            return None
        monoms = poly.monoms()
        form = sp.Integer(0)
        pos = 0
        for g, t in zip(groups, ts, strict=True):
            d = max((sum(m[pos:pos + len(g)]) for m in monoms), default=0)
            form += d * t
            pos += len(g)
        total = sp.expand(total * form)
    target = sp.Poly(total, *ts) if ts else None
    if target is None:
        return 1
    return int(target.coeff_monomial(sp.prod([t ** len(g) for g, t in zip(groups, ts,
                                                                          strict=True)])))

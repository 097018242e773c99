r"""The rest points of one face: proven complete where exact algebra is within budget, certified
where it is not.

**Work budget, not a clock.**  A face system :math:`F(u) = 0` (one equation per used strategy
but the last of each population) is solved exactly when its *multihomogeneous Bezout number*
:math:`B` (the number of isolated complex solutions it can have, counted with multiplicity, for
the grouping of unknowns by population; Shafarevich, *Basic Algebraic Geometry* I, ch. 4;
Morgan & Sommese 1987) is at most :data:`EXACT_MAX_SOLUTIONS` and it has at most
:data:`EXACT_MAX_UNKNOWNS` unknowns.  :math:`B` is the coefficient of
:math:`\prod_q t_q^{n_q}` in :math:`\prod_e \sum_q d_{eq} t_q`, where :math:`n_q` is the number of
unknowns of group :math:`q` and :math:`d_{eq}` the degree of equation :math:`e` in them.  It
depends on the input alone, so one input gives one report on any machine, under any load, on
any thread.  (For :math:`n` populations of two strategies and constant payoffs the interior
bound is the number of derangements of :math:`n`: 1, 2, 9, 44, 265; McKelvey & McLennan 1997.)

**Exact route.**  A Groebner basis in degree-reverse-lexicographic order (Buchberger), converted
to lexicographic order by FGLM (Faugère, Gianni, Lazard & Mora 1993).  Basis :math:`\{1\}`: no
solution at all, proven.  A zero-dimensional ideal whose lex basis is in *shape position*
(:math:`u_i - g_i(u_n)`, :math:`p(u_n)`; Cox, Little & O'Shea, *Ideals, Varieties, and
Algorithms*, 4th ed., sec. 3.5) has exactly the solutions :math:`u_n = r`, :math:`u_i = g_i(r)`
for the roots :math:`r` of :math:`p`; otherwise the fixed separating form
:math:`s = \sum_i (i+1) u_i` is adjoined and the basis computed again.  The real roots of each
irreducible factor :math:`f` of :math:`p` are isolated in disjoint rational intervals (exact
Vincent--Collins--Akritas bisection, ``sympy.Poly.intervals``).  A share :math:`h(u)` of the face
becomes a polynomial :math:`h(r)` reduced modulo :math:`f`; since :math:`f` is irreducible,
:math:`h(r) = 0` for one root iff :math:`h \equiv 0 \bmod f`, and otherwise the isolating interval
is refined until exact rational interval arithmetic proves the sign.  The face's rest points are
then *all* found: ``complete = True``.

**Certified numeric route** (over budget, or equations that are not polynomial).  Multi-start
Newton from a fixed seeded set of starts in the face; a candidate is accepted on its residual
(never on a solver's success flag) and kept as *certified* when the Krawczyk test
:math:`K(X) = \tilde u - Y F(\tilde u) + (I - Y F'(X))(X - \tilde u) \subset \operatorname{int} X`
holds in outward-rounded interval arithmetic (``mpmath.iv``): then :math:`X` contains exactly one
solution (Krawczyk 1969; Moore 1977; Neumaier, *Interval Methods for Systems of Equations*, 1990,
Thm 5.1.8).  Such a face is never called complete: the report says "k rest points found, not
proven complete".

The work budget and :class:`FaceSolution` are in :mod:`.polybudget`, the exact route in
:mod:`.polyexact`, the numeric route in :mod:`.polynumeric` and the Krawczyk test in
:mod:`.polyinterval`; this module gathers them under their old names.

Examples
--------
>>> x, y = sp.symbols("x y", real=True)
>>> solve_exact([x*y - 1, x - y], [x, y], [x, y]).points
[{x: 1, y: 1}]
"""

from __future__ import annotations

# every name this module had before the split, re-exported (the objects themselves: one
# _IV_RATIONALS cache, shared with facecertify)
from dataclasses import dataclass, field  # noqa: F401
from fractions import Fraction  # noqa: F401

import numpy as np  # noqa: F401
import sympy as sp  # noqa: F401

from .polybudget import (  # noqa: F401
    DIGITS,
    EXACT_MAX_SOLUTIONS,
    EXACT_MAX_UNKNOWNS,
    NUMERIC_STARTS,
    NUMERIC_TOL,
    FaceSolution,
    bezout_bound,
)
from .polyexact import _horner, _positive_at, _refine, _shape, solve_exact  # noqa: F401
from .polyinterval import _IV_RATIONALS, _iv_eval, _krawczyk, _NoInterval  # noqa: F401
from .polynumeric import (  # noqa: F401
    _batched_newton,
    _batched_polish,
    _jacobian,
    _PolyFunction,
    _values,
    dirichlet_starts,
    multistart,
    solve_numeric,
)

__all__ = ["FaceSolution", "bezout_bound", "solve_exact", "solve_numeric", "multistart",
           "EXACT_MAX_SOLUTIONS", "EXACT_MAX_UNKNOWNS", "NUMERIC_TOL", "NUMERIC_STARTS"]

r"""A face's rest-point equations built once, from the rational payoff table, as polynomials over
:math:`\mathbb{Q}`.

With constant payoffs and two or more populations, population :math:`p`'s payoff advantage of
strategy :math:`i` over the last used strategy :math:`\ell_p` on the face
:math:`\prod_q \Delta(S_q)` is

.. math:: u_{pi}(x) - u_{p\ell_p}(x) = \sum_{s_{-p} \in S_{-p}}
          \bigl(A_p(i, s_{-p}) - A_p(\ell_p, s_{-p})\bigr) \prod_{q \ne p} x_{q s_q},

with :math:`x_{qs}` the unknown ``_f{q}_{s}`` for :math:`s \in S_q` but the last and
:math:`1 - \sum` of them for the last.  The expansion of a polynomial with rational coefficients
is unique, so this is exactly the polynomial that substituting the face into the symbolic
expected payoffs and expanding gives (:func:`~.faces.face_equations`, the route for every other
kind of game), at a fraction of the cost: dictionaries of rationals
(``sympy.polys.rings.PolyElement``) instead of sympy expressions, and one construction per face
instead of one per use.  From these polynomials the face's route is decided (linear, Bezout
number), the certified numeric route gets its values (an exponent and a coefficient matrix), its
Jacobian (differentiated as polynomials) and the Krawczyk test (:mod:`.facecertify`) its
interval enclosures, term by term.

Examples
--------
Matching pennies: on the interior the row player is indifferent where the column player mixes
1/2, and conversely:

>>> from gametheory_regen.model import Game
>>> from .dominance import rational_table
>>> mp = Game.builtin("matching_pennies")
>>> system = face_system(mp, rational_table(mp), ((0, 1), (0, 1)))
>>> system.exprs()
[4*_f1_0 - 2, 2 - 4*_f0_0]
>>> system.linear, system.bezout_bound()
(True, 1)
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing

__all__ = ["FaceSystem", "face_system", "PolyValues", "solve_numeric_polys", "groebner_basis"]


class FaceSystem:
    """The rest-point equations of one face as polynomials over QQ (see the module docstring).

    Attributes
    ----------
    unknowns : list of sympy.Symbol
        The face's unknowns (``_f{p}_{i}``, as :func:`~.faces._face_unknowns` names them).
    shares : list of list of sympy.Expr
        Full shares per population on the face.
    ring : sympy.polys.rings.PolyRing
        :math:`\\mathbb{Q}[\\text{unknowns}]`, lexicographic order.
    polys : list of PolyElement
        One equation per used strategy but the last of each population (zeros included).
    share_polys : list of PolyElement
        The used shares of the populations that mix, in :func:`~.faces._share_exprs` order.
    groups : list of list of int
        The unknowns' positions grouped by population (for the Bezout number).

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> from .dominance import rational_table
    >>> hd = Game.builtin("hawk_dove")
    >>> s = face_system(hd, rational_table(hd), ((0, 1), (0,)))
    >>> s.exprs(), [str(h.as_expr()) for h in s.share_polys]   # against a hawk: (V - C)/2 - 0
    ([-1], ['_f0_0', '1 - _f0_0'])
    """

    def __init__(self, unknowns, shares, ring, polys, share_polys, groups) -> None:
        self.unknowns, self.shares, self.ring = unknowns, shares, ring
        self.polys, self.share_polys, self.groups = polys, share_polys, groups

    def exprs(self) -> list:
        """The equations as sympy expressions (expanded: the same objects ``sympy.expand``
        gives).

        >>> from gametheory_regen.model import Game
        >>> from .dominance import rational_table
        >>> g = Game.builtin("battle_of_sexes")
        >>> face_system(g, rational_table(g), ((0, 1), (0, 1))).exprs()
        [3*_f1_0 - 1, 3*_f0_0 - 2]
        """
        return [p.as_expr() for p in self.polys]

    @property
    def linear(self) -> bool:
        """Every non-zero equation has total degree at most one.

        >>> from gametheory_regen.model import Game
        >>> from .dominance import rational_table
        >>> pay = {(a, b, c): tuple(1 if a + b + c == "sss" else 0 if x == "s" else "1/4"
        ...                         for x in (a, b, c)) for a in "st" for b in "st" for c in "st"}
        >>> stag = Game.from_table("stag3", [(n, ["s", "t"]) for n in "abc"], pay)
        >>> face_system(stag, rational_table(stag), ((0, 1), (0, 1), (0, 1))).linear
        False
        """
        return all(max((sum(m) for m in p.monoms()), default=0) <= 1 for p in self.polys if p)

    def bezout_bound(self) -> int:
        """The multihomogeneous Bezout number of the non-zero equations for the grouping by
        population (:func:`~.polysolve.bezout_bound`, computed from the degrees in integers).

        Three-player stag hunt (hunting stag pays 1 if both others hunt it, hare pays 1/4):
        the interior equations :math:`x_b x_c = x_a x_c = x_a x_b = 1/4` have at most 2
        isolated solutions for this grouping (:math:`\\pm 1/2` in every share):

        >>> from gametheory_regen.model import Game
        >>> from .dominance import rational_table
        >>> pay = {(a, b, c): tuple(1 if a + b + c == "sss" else 0 if x == "s" else "1/4"
        ...                         for x in (a, b, c)) for a in "st" for b in "st" for c in "st"}
        >>> stag = Game.from_table("stag3", [(n, ["s", "t"]) for n in "abc"], pay)
        >>> face_system(stag, rational_table(stag), ((0, 1), (0, 1), (0, 1))).bezout_bound()
        2
        """
        groups = [g for g in self.groups if g]
        if not groups:
            return 1
        total = {(0,) * len(groups): 1}  # a polynomial in the t_q: exponent tuple -> integer
        for p in self.polys:
            if not p:
                continue
            monoms = p.monoms()
            degs = [max((sum(m[i] for i in g) for m in monoms), default=0) for g in groups]
            new: dict = {}
            for e, c in total.items():
                for q, d in enumerate(degs):
                    if d:
                        k = e[:q] + (e[q] + 1,) + e[q + 1:]
                        new[k] = new.get(k, 0) + c * d
            total = {k: v for k, v in new.items() if v}
        return int(total.get(tuple(len(g) for g in groups), 0))

    def domain(self):
        """``ZZ`` when every coefficient is an integer, else ``QQ`` (the domain sympy
        constructs from the expressions).

        >>> from gametheory_regen.model import Game
        >>> from .dominance import rational_table
        >>> g = Game.builtin("battle_of_sexes")
        >>> face_system(g, rational_table(g), ((0, 1), (0, 1))).domain()
        ZZ
        """
        if all(c.denominator == 1 for p in self.polys for c in p.values()):
            return sp.ZZ
        return sp.QQ


def _qq(value):
    return sp.QQ(value.numerator, value.denominator)


def face_system(game, table, face) -> FaceSystem:
    """The rest-point equations of ``face`` from the rational payoff table.

    Parameters
    ----------
    game : Game
        A game of two or more populations with constant rational payoffs.
    table : list of dict
        :func:`~.dominance.rational_table` of the game.
    face : tuple of tuple of int
        The strategies in use, per population.

    Returns
    -------
    FaceSystem

    Examples
    --------
    Three-player stag hunt (stag pays 1 if both others hunt stag, hare pays 1/4 always): the
    advantage of stag is the product of the others' stag shares less 1/4; with the third
    player on hare it is -1/4 for the first two, whatever they do:

    >>> from gametheory_regen.model import Game
    >>> from .dominance import rational_table
    >>> pay = {(a, b, c): tuple(1 if a + b + c == "sss" else 0 if x == "s" else "1/4"
    ...                         for x in (a, b, c)) for a in "st" for b in "st" for c in "st"}
    >>> stag = Game.from_table("stag3", [(n, ["s", "t"]) for n in "abc"], pay)
    >>> face_system(stag, rational_table(stag), ((0, 1), (0, 1), (0, 1))).exprs()
    [_f1_0*_f2_0 - 1/4, _f0_0*_f2_0 - 1/4, _f0_0*_f1_0 - 1/4]
    >>> face_system(stag, rational_table(stag), ((0, 1), (0, 1), (1,))).exprs()
    [-1/4, -1/4]
    """
    from .faces import _face_unknowns

    unknowns, shares = _face_unknowns(game, face)
    ring = PolyRing(tuple(unknowns), sp.QQ, lex) if unknowns else None
    gens = list(ring.gens) if ring is not None else []
    one = ring.one if ring is not None else None
    # the shares as ring elements (None for strategies outside the support)
    share_rows, groups, pos = [], [], 0
    for s in face:
        row = {}
        if len(s) == 1:
            row[s[0]] = one
            groups.append([])
        else:
            mine = gens[pos:pos + len(s) - 1]
            groups.append(list(range(pos, pos + len(s) - 1)))
            pos += len(s) - 1
            for i, g in zip(s[:-1], mine, strict=True):
                row[i] = g
            row[s[-1]] = one - sum(mine, ring.zero)
        share_rows.append(row)
    polys = []
    n = len(face)
    cache: dict = {}
    for p, s in enumerate(face):
        if len(s) == 1:
            continue
        others = [q for q in range(n) if q != p]
        subs = list(itertools.product(*[face[q] for q in others]))
        weights = []
        for sub in subs:
            w = one
            for q, j in zip(others, sub, strict=True):
                w = w * share_rows[q][j]
            weights.append(w)
        tab = table[p]
        last = s[-1]
        for i in s[:-1]:
            eq = ring.zero
            for sub, w in zip(subs, weights, strict=True):
                d = tab[sub[:p] + (i,) + sub[p:]] - tab[sub[:p] + (last,) + sub[p:]]
                if d:
                    c = cache.get(d)
                    if c is None:
                        c = cache[d] = _qq(d)
                    eq = eq + w * c
            polys.append(eq)
    share_polys = [share_rows[q][j] for q, s in enumerate(face) if len(s) > 1 for j in s]
    return FaceSystem(unknowns, shares, ring, polys, share_polys, groups)


# ----------------------------------------------------------------------------- numeric values
class PolyValues:
    """Floating-point values of ring polynomials, called as ``sympy.lambdify([unknowns], ...)``
    would be; the same exponent and coefficient matrices as :class:`~.polysolve._PolyFunction`
    builds from ``sympy.Poly`` terms (lexicographic order, a zero polynomial contributing the
    constant monomial), so the same floating-point operations.

    Examples
    --------
    >>> from sympy.polys.rings import ring
    >>> R, x, y = ring("x y", sp.QQ)
    >>> f = PolyValues.make([x * y - 1, R.zero], 2)
    >>> [float(v) for v in f([2.0, 3.0])]
    [5.0, 0.0]
    """

    @staticmethod
    def make(group, n: int):
        """A :class:`~.polysolve._PolyFunction` of a list (or a list of rows) of ring
        polynomials in ``n`` unknowns.

        >>> from sympy.polys.rings import ring
        >>> R, x = ring("x", sp.QQ)
        >>> PolyValues.make([[x, R.one]], 1).shape
        (1, 2)
        """
        from .polysolve import _PolyFunction

        nested = bool(group) and isinstance(group[0], list)
        flat = [e for row in group for e in row] if nested else list(group)
        zero = (0,) * n
        shape = (len(group), len(group[0])) if nested else (len(group),)
        return _PolyFunction.from_terms(shape, [e.terms() if e else [(zero, 0)] for e in flat],
                                        n)


def solve_numeric_polys(polys, system: FaceSystem, starts_in_face, *, starts: int,
                        reason: str = ""):
    """:func:`~.polysolve.solve_numeric` of ring polynomials: the same starts, Newton steps,
    acceptance and Krawczyk test, with values from the polynomials' terms.

    Parameters
    ----------
    polys : list of PolyElement
        The non-zero equations of ``system``.
    system : FaceSystem
    starts_in_face : callable
        :func:`~.polysolve.dirichlet_starts` of the face.
    starts : int
    reason : str

    Returns
    -------
    FaceSolution

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> from .dominance import rational_table
    >>> from .polysolve import dirichlet_starts
    >>> g = Game.builtin("jordan_matching_pennies")
    >>> s = face_system(g, rational_table(g), ((0, 1), (0, 1), (0, 1)))
    >>> sol = solve_numeric_polys(s.polys, s, dirichlet_starts([2, 2, 2]), starts=16)
    >>> [round(v, 9) for v in sol.points[0].values()], sol.certified
    ([0.5, 0.5, 0.5], [True])
    """
    from .facecertify import krawczyk_polys
    from .polysolve import multistart

    n = len(system.unknowns)
    gens = system.ring.gens
    jac = [[p.diff(g) for g in gens] for p in polys]
    f = PolyValues.make(polys, n)
    jf = PolyValues.make(jac, n)
    hfun = PolyValues.make(system.share_polys, n)
    return multistart(f, jf, hfun, lambda x: krawczyk_polys(polys, jac, system.share_polys, x),
                      system.unknowns, starts_in_face, starts=starts, reason=reason)


def groebner_basis(polys, unknowns, domain):
    """``sympy.groebner(exprs, *unknowns, order="grevlex")`` of ring polynomials, without
    turning them into expressions and parsing them back: the same options (generators, the
    domain sympy would construct, grevlex), the same Buchberger run, the same
    ``GroebnerBasis``.

    Parameters
    ----------
    polys : list of PolyElement
    unknowns : list of sympy.Symbol
        The ring's generators.
    domain : sympy domain
        :meth:`FaceSystem.domain` (``ZZ`` when every coefficient is an integer).

    Returns
    -------
    sympy.GroebnerBasis

    Examples
    --------
    >>> from sympy.polys.rings import PolyRing
    >>> from sympy.polys.orderings import lex
    >>> x, y = sp.symbols("x y")
    >>> R = PolyRing((x, y), sp.QQ, lex)
    >>> X, Y = R.gens
    >>> G = groebner_basis([X * Y - 1, X - Y], [x, y], sp.ZZ)
    >>> G.exprs == sp.groebner([x * y - 1, x - y], x, y, order="grevlex").exprs
    True
    """
    from sympy.polys import polyoptions as options
    from sympy.polys.groebnertools import groebner as _groebner
    from sympy.polys.polytools import GroebnerBasis, Poly

    opt = options.build_options(list(unknowns), {"order": "grevlex", "domain": domain})
    ring = PolyRing(opt.gens, opt.domain, opt.order)
    elems = [ring.from_dict({m: domain.convert_from(c, sp.QQ) for m, c in p.items()})
             for p in polys if p]
    basis = _groebner(elems, ring, method=opt.method)
    return GroebnerBasis._new([Poly._from_dict(g, opt) for g in basis], opt)

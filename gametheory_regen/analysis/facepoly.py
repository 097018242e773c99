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
Jacobian (differentiated as polynomials) and the Krawczyk test its interval enclosures
(outward-rounded ``mpmath.iv``, term by term: the same rigorous enclosure as the expression
evaluator of :mod:`.polysolve`).

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
import math
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing

__all__ = ["FaceSystem", "face_system", "PolyValues", "krawczyk_polys", "solve_numeric_polys"]


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
        index: dict = {}
        entries = []
        zero = (0,) * n
        for k, e in enumerate(flat):
            terms = e.terms() if e else [(zero, 0)]
            for m, c in terms:
                entries.append((index.setdefault(m, len(index)), k, float(c)))
        exps = np.zeros((max(len(index), 1), n))
        for m, t in index.items():
            exps[t] = m
        coeffs = np.zeros((exps.shape[0], len(flat)))
        for t, k, c in entries:
            coeffs[t, k] += c
        shape = (len(group), len(group[0])) if nested else (len(group),)
        return _PolyFunction(shape, exps, coeffs)


# ----------------------------------------------------------------------------- Krawczyk
def _iv_rational(c):
    from mpmath import iv

    from .polysolve import _IV_RATIONALS

    key = (int(c.numerator), int(c.denominator), iv.prec)
    out = _IV_RATIONALS.get(key)
    if out is None:
        out = iv.mpf(key[0]) if key[1] == 1 else iv.mpf(key[0]) / iv.mpf(key[1])
        if len(_IV_RATIONALS) < 100_000:
            _IV_RATIONALS[key] = out
    return out


def _iv_poly(terms, point, degs):
    """Outward-rounded interval value of a polynomial (list of (monomial, interval
    coefficient)) at intervals ``point``; powers computed once per call."""
    from mpmath import iv

    powers = [[iv.mpf(1), v] + [v ** e for e in range(2, d + 1)]
              for v, d in zip(point, degs, strict=True)]
    out = iv.mpf(0)
    for m, c in terms:
        t = c
        for k, e in enumerate(m):
            if e:
                t = t * powers[k][e]
        out += t
    return out


_DOWN, _UP = -math.inf, math.inf


def _f_terms(p):
    """A polynomial's terms with each coefficient as a float interval containing it."""
    out = []
    for m, c in p.terms():
        v = float(Fraction(int(c.numerator), int(c.denominator)))
        if Fraction(v) == Fraction(int(c.numerator), int(c.denominator)):
            out.append((m, v, v))
        else:
            out.append((m, math.nextafter(v, _DOWN), math.nextafter(v, _UP)))
    return out


def _f_mul(a, b, c, d):
    """Outward-rounded product of the intervals [a, b] and [c, d] (round-to-nearest is within
    half a unit in the last place of the exact value, so one step outward encloses it)."""
    p1, p2, p3, p4 = a * c, a * d, b * c, b * d
    return (math.nextafter(min(p1, p2, p3, p4), _DOWN),
            math.nextafter(max(p1, p2, p3, p4), _UP))


def _f_poly(terms, lo, hi):
    """Outward-rounded float interval of a polynomial on the box [lo, hi]."""
    s_lo = s_hi = 0.0
    for m, c_lo, c_hi in terms:
        t_lo, t_hi = c_lo, c_hi
        for k, e in enumerate(m):
            for _ in range(e):
                t_lo, t_hi = _f_mul(t_lo, t_hi, lo[k], hi[k])
        s_lo = math.nextafter(s_lo + t_lo, _DOWN)
        s_hi = math.nextafter(s_hi + t_hi, _UP)
    return s_lo, s_hi


def _krawczyk_float(polys, jac, shares, x):
    """:func:`krawczyk_polys` in outward-rounded double-precision interval arithmetic (each
    operation's rounded result moved one float outward): a rigorous enclosure, a hundred times
    cheaper than ``mpmath.iv``; None also when a value overflows (then the caller asks mpmath)."""
    n = len(x)
    fp = [_f_terms(p) for p in polys]
    jp = [[_f_terms(p) for p in row] for row in jac]
    xs = [float(v) for v in x]
    fx = [_f_poly(f, xs, xs) for f in fp]
    Jx = np.array([[sum(_f_poly(jp[i][j], xs, xs)) / 2 for j in range(n)] for i in range(n)])
    if not np.all(np.isfinite(Jx)) or not all(math.isfinite(a) and math.isfinite(b)
                                              for a, b in fx):
        return None
    try:
        Y = np.linalg.inv(Jx)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(Y)):
        return None
    Y = Y.tolist()
    scale = max(1.0, float(np.max(np.abs(x))))
    for r in (1e-12, 1e-10, 1e-8):
        rad = r * scale
        lo = [v - rad for v in xs]
        hi = [v + rad for v in xs]
        JX = [[_f_poly(jp[i][j], lo, hi) for j in range(n)] for i in range(n)]
        # X - x, outward
        d_lo = [math.nextafter(a - v, _DOWN) for a, v in zip(lo, xs, strict=True)]
        d_hi = [math.nextafter(b - v, _UP) for b, v in zip(hi, xs, strict=True)]
        ok = True
        for i in range(n):
            k_lo = k_hi = xs[i]
            for j in range(n):
                p_lo, p_hi = _f_mul(Y[i][j], Y[i][j], fx[j][0], fx[j][1])
                k_lo = math.nextafter(k_lo - p_hi, _DOWN)
                k_hi = math.nextafter(k_hi - p_lo, _UP)
            for j in range(n):
                m_lo = m_hi = 1.0 if i == j else 0.0
                for q in range(n):
                    p_lo, p_hi = _f_mul(Y[i][q], Y[i][q], JX[q][j][0], JX[q][j][1])
                    m_lo = math.nextafter(m_lo - p_hi, _DOWN)
                    m_hi = math.nextafter(m_hi - p_lo, _UP)
                p_lo, p_hi = _f_mul(m_lo, m_hi, d_lo[j], d_hi[j])
                k_lo = math.nextafter(k_lo + p_lo, _DOWN)
                k_hi = math.nextafter(k_hi + p_hi, _UP)
            if not (math.isfinite(k_lo) and math.isfinite(k_hi)):
                return None
            if not (k_lo > lo[i] and k_hi < hi[i]):
                ok = False
                break
        if ok:
            hs = [_f_poly(_f_terms(h), lo, hi) for h in shares]
            if not all(math.isfinite(a) and math.isfinite(b) for a, b in hs):
                return None
            if all(a > 0 for a, _ in hs):
                return "inside"
            if any(b <= 0 for _, b in hs) or any(a <= 0 for a, _ in hs):
                return "outside"
    return None


def krawczyk_polys(polys, jac, shares, x):
    """The Krawczyk test of :func:`~.polysolve._krawczyk` on ring polynomials.

    ``"inside"`` when it proves a unique root in a box in the open face, ``"outside"`` when it
    proves one in a box on which some share is <= 0, None otherwise; the same boxes, radii and
    inclusion test, with the polynomials evaluated term by term in outward-rounded interval
    arithmetic (a rigorous enclosure like the expression evaluator's).

    Parameters
    ----------
    polys : list of PolyElement
        The equations.
    jac : list of list of PolyElement
        Their derivatives (``jac[i][j]`` = d polys[i] / d unknown j).
    shares : list of PolyElement
        Must be positive in the open face.
    x : numpy.ndarray
        The approximate root.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from sympy.polys.rings import ring
    >>> R, u, v = ring("u v", sp.QQ)
    >>> F = [u * v - sp.QQ(1, 4), u - v]
    >>> J = [[f.diff(g) for g in (u, v)] for f in F]
    >>> krawczyk_polys(F, J, [u, v], np.array([0.5, 0.5]))
    'inside'
    >>> krawczyk_polys(F, J, [u, -v], np.array([0.5, 0.5]))
    'outside'
    """
    quick = _krawczyk_float(polys, jac, shares, x)
    if quick is not None:
        return quick
    from mpmath import iv

    n = len(x)

    def prepared(p):
        return [(m, _iv_rational(c)) for m, c in p.terms()]

    fp = [prepared(p) for p in polys]
    jp = [[prepared(p) for p in row] for row in jac]
    hp = [prepared(p) for p in shares]
    degs = [0] * n
    for p in itertools.chain(polys, shares):
        for m in p.monoms():
            for k, e in enumerate(m):
                if e > degs[k]:
                    degs[k] = e
    x_iv = [iv.mpf(v) for v in x]
    try:
        Jx = np.array([[float(_iv_poly(jp[i][j], x_iv, degs).mid) for j in range(n)]
                       for i in range(n)])
        if not np.all(np.isfinite(Jx)):
            return None
        Y = np.linalg.inv(Jx)
    except (np.linalg.LinAlgError, ValueError, ZeroDivisionError, TypeError):
        return None
    Y_iv = [[iv.mpf(Y[i, j]) for j in range(n)] for i in range(n)]
    one, zero = iv.mpf(1), iv.mpf(0)
    fx = [_iv_poly(f, x_iv, degs) for f in fp]
    scale = max(1.0, float(np.max(np.abs(x))))
    for r in (1e-12, 1e-10, 1e-8):
        rad = r * scale
        X = [iv.mpf([v - rad, v + rad]) for v in x]
        JX = [[_iv_poly(jp[i][j], X, degs) for j in range(n)] for i in range(n)]
        ok = True
        for i in range(n):
            k = x_iv[i]
            for j in range(n):
                k -= Y_iv[i][j] * fx[j]
            for j in range(n):
                m = one if i == j else zero
                for q in range(n):
                    m -= Y_iv[i][q] * JX[q][j]
                k += m * (X[j] - x_iv[j])
            if not (k.a > X[i].a and k.b < X[i].b):
                ok = False
                break
        if ok:
            hs = [_iv_poly(h, X, degs) for h in hp]
            if all(h.a > 0 for h in hs):
                return "inside"
            if any(h.b <= 0 for h in hs) or any(h.a <= 0 for h in hs):
                return "outside"
    return None


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

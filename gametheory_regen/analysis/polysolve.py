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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp

__all__ = ["FaceSolution", "bezout_bound", "solve_exact", "solve_numeric", "multistart",
           "EXACT_MAX_SOLUTIONS", "EXACT_MAX_UNKNOWNS", "NUMERIC_TOL", "NUMERIC_STARTS"]

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


# ----------------------------------------------------------------------------- numeric route
def solve_numeric(eqs, unknowns, shares, starts_in_face, *, starts: int = NUMERIC_STARTS,
                  seed: int = 0, reason: str = "") -> FaceSolution:
    """Seeded multi-start Newton, each root certified by the Krawczyk interval test.

    Parameters
    ----------
    eqs : sequence of sympy.Expr
        Equations in ``unknowns`` (any differentiable expressions).
    unknowns : sequence of sympy.Symbol
    shares : sequence of sympy.Expr
        Expressions that must be positive at a solution (the face's shares).
    starts_in_face : callable
        ``starts_in_face(rng, m)`` returns ``m`` starting points (rows) in the open face.
    starts : int
        Number of starts (the numeric work budget).
    seed : int
        Seed of the starts: the same input always gives the same result.
    reason : str
        Why the exact route was not taken (carried into :attr:`FaceSolution.reason`).

    Returns
    -------
    FaceSolution
        ``complete`` is always False.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> rng_starts = lambda rng, m: rng.random((m, 2))
    >>> sol = solve_numeric([x**2 + y**2 - 1, x - sp.exp(-y)], [x, y], [x, y], rng_starts)
    >>> [round(float(p[x]), 6) for p in sol.points], sol.certified, sol.complete
    ([0.399891], [True], False)
    """
    unknowns = list(unknowns)
    jac = _jacobian(eqs, unknowns)
    fast = _PolyFunction.make([list(eqs), jac.tolist(), list(shares)], unknowns)
    if fast is not None:  # polynomials: evaluated from their exponents, no code generation
        f, jf, hfun = fast
    else:
        f = sp.lambdify([unknowns], list(eqs), "numpy")
        jf = sp.lambdify([unknowns], jac.tolist(), "numpy")  # nested lists: broadcasting-safe
        hfun = sp.lambdify([unknowns], list(shares), "numpy")
    return multistart(f, jf, hfun, lambda x: _krawczyk(eqs, jac, unknowns, shares, x),
                      unknowns, starts_in_face, starts=starts, seed=seed, reason=reason)


def multistart(f, jf, hfun, certify, unknowns, starts_in_face, *, starts: int = NUMERIC_STARTS,
               seed: int = 0, reason: str = "") -> FaceSolution:
    """The numeric route of :func:`solve_numeric` once its functions are made: seeded starts,
    batched Newton and polish, candidates kept on their residual, each certified.

    Parameters
    ----------
    f, jf, hfun : callable
        Values of the equations, of their Jacobian (rows of entries) and of the shares, called
        as ``sympy.lambdify([unknowns], ...)`` functions are.
    certify : callable
        ``certify(x)`` -> ``"inside"``, ``"outside"`` or None (the Krawczyk test).
    unknowns : sequence of sympy.Symbol
    starts_in_face, starts, seed, reason
        As for :func:`solve_numeric`.

    Returns
    -------
    FaceSolution

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> f = sp.lambdify([[x]], [x**2 - sp.Rational(1, 4)], "numpy")
    >>> jf = sp.lambdify([[x]], [[2 * x]], "numpy")
    >>> h = sp.lambdify([[x]], [x], "numpy")
    >>> sol = multistart(f, jf, h, lambda v: "inside", [x], lambda rng, m: rng.random((m, 1)))
    >>> [round(p[x], 12) for p in sol.points], sol.certified
    ([0.5], [True])
    """
    unknowns = list(unknowns)
    n = len(unknowns)
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    X = np.asarray(starts_in_face(rng, starts), dtype=float).reshape(-1, n)
    with np.errstate(all="ignore"):
        X = _batched_newton(f, jf, X, n)
        X, resids = _batched_polish(f, jf, X, n)
        for x, resid in zip(X, resids, strict=True):
            if not np.all(np.isfinite(x)) or not resid <= NUMERIC_TOL:
                continue  # the residual decides, not a solver's flag
            if any(np.allclose(x, g, atol=1e-7, rtol=0) for g in found):
                continue
            found.append(x)
    found.sort(key=lambda v: tuple(np.round(v, 9)))
    points, certified = [], []
    uncertified = 0
    for x in found:
        status = certify(x)
        if status == "outside":
            continue
        if status is None:
            hv = np.asarray(hfun(x), dtype=float)
            if np.any(hv <= NUMERIC_TOL):
                continue
            uncertified += 1
            certified.append(False)
        else:
            certified.append(True)
        points.append({u: float(v) for u, v in zip(unknowns, x, strict=True)})
    return FaceSolution(points, False, "numeric", reason or "solved numerically",
                        uncertified, certified)


class _PolyFunction:
    """Floating-point values of polynomials over QQ from one exponent matrix (the union of their
    monomials) and one coefficient matrix, called as ``sympy.lambdify([unknowns], ...)`` would
    be (a vector, or a list of arrays of starts): one power, one product and one matrix product
    per call, instead of generating and compiling code for every face."""

    def __init__(self, shape, exps, coeffs) -> None:
        self.shape, self.exps, self.coeffs = shape, exps, coeffs
        # multilinear (every exponent 0 or 1, as on the faces of constant-payoff games):
        # x**1 = x and x**0 = 1 exactly, so selecting gives the same factors as the power
        self.mask = exps.astype(bool) if np.all((exps == 0) | (exps == 1)) else None

    @classmethod
    def make(cls, groups, unknowns):
        """One function per group (a list, or a list of rows) of expressions; None when some
        expression is not a polynomial with rational coefficients."""
        out = []
        for group in groups:
            nested = bool(group) and isinstance(group[0], list)
            flat = [e for row in group for e in row] if nested else list(group)
            index: dict = {}
            entries = []
            for k, e in enumerate(flat):
                try:
                    poly = sp.Poly(e, *unknowns, domain=sp.QQ)
                except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed,
                        sp.polys.polyerrors.GeneratorsError):
                    return None
                for m, c in poly.terms():
                    entries.append((index.setdefault(m, len(index)), k, float(c)))
            exps = np.zeros((max(len(index), 1), len(unknowns)))
            for m, t in index.items():
                exps[t] = m
            coeffs = np.zeros((exps.shape[0], len(flat)))
            for t, k, c in entries:
                coeffs[t, k] += c
            shape = (len(group), len(group[0])) if nested else (len(group),)
            out.append(cls(shape, exps, coeffs))
        return out

    def table(self, X):
        """Every output at every row of ``X`` (m, n) as one (m, outputs) array: the numbers
        :meth:`__call__` returns (the same monomials and product), without splitting them."""
        if self.mask is not None:
            mono = np.prod(np.where(self.mask, X[:, None, :], 1.0), axis=-1)
        else:
            mono = np.prod(X[:, None, :] ** self.exps, axis=-1)
        return mono @ self.coeffs

    def __call__(self, v):
        x = np.stack([np.asarray(a, dtype=float) for a in v], axis=-1)  # (..., n)
        if self.mask is not None:
            mono = np.prod(np.where(self.mask, x[..., None, :], 1.0), axis=-1)  # (..., terms)
        else:
            mono = np.prod(x[..., None, :] ** self.exps, axis=-1)
        vals = mono @ self.coeffs  # (..., outputs)
        values = [vals[..., k] for k in range(vals.shape[-1])]
        if len(self.shape) == 1:
            return values
        cols = self.shape[1]
        return [values[i * cols:(i + 1) * cols] for i in range(self.shape[0])]


def _jacobian(eqs, unknowns) -> sp.Matrix:
    """Jacobian matrix; polynomial rows differentiated as polynomials (several times faster
    than ``Matrix.jacobian`` on the expanded face equations)."""
    rows = []
    for e in eqs:
        if e.is_polynomial(*unknowns):
            poly = sp.Poly(e, *unknowns)
            rows.append([poly.diff(v).as_expr() for v in unknowns])
        else:
            rows.append([sp.diff(e, v) for v in unknowns])
    return sp.Matrix(rows)


def _values(f, jf, X, n: int):
    """F and its Jacobian at every row of ``X`` (broadcasting constants)."""
    m = X.shape[0]
    if isinstance(f, _PolyFunction) and isinstance(jf, _PolyFunction):
        X = np.ascontiguousarray(X, dtype=float)
        return f.table(X), jf.table(X).reshape(m, n, n)
    cols = list(X.T)
    Fv = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (m,)) for v in f(cols)], axis=1)
    rows = jf(cols)
    Jv = np.empty((m, n, n))
    for i in range(n):
        for j in range(n):
            Jv[:, i, j] = np.broadcast_to(np.asarray(rows[i][j], dtype=float), (m,))
    return Fv, Jv


def _batched_polish(f, jf, X, n: int, iterations: int = 3):
    """Three least-squares Newton steps (minimum-norm, by the pseudo-inverse) from every row at
    once, then the residual max |F| of each row (inf where not finite)."""
    for _ in range(iterations):
        Fv, Jv = _values(f, jf, X, n)
        ok = np.all(np.isfinite(Jv), axis=(1, 2)) & np.all(np.isfinite(Fv), axis=1) & \
            np.all(np.isfinite(X), axis=1)
        step = np.zeros_like(X)
        if np.any(ok):
            step[ok] = -(np.linalg.pinv(Jv[ok]) @ Fv[ok][:, :, None])[:, :, 0]
        X = np.where(ok[:, None], X + step, np.nan)
    Fv, _ = _values(f, jf, X, n)
    resid = np.max(np.abs(Fv), axis=1)
    return X, np.where(np.isfinite(resid), resid, np.inf)


def _batched_newton(f, jf, X, n: int, iterations: int = 60, max_step: float = 0.5):
    """Damped Newton from every start at once (numpy broadcasting over the starts).

    Each step is limited to ``max_step`` in the max norm; a start whose Jacobian is singular
    keeps its point (and is dropped later on its residual)."""
    m = X.shape[0]
    fast = isinstance(f, _PolyFunction) and isinstance(jf, _PolyFunction)
    for _ in range(iterations):
        if fast:  # the same numbers as below, as whole arrays
            X = np.ascontiguousarray(X, dtype=float)
            Fv, Jv = f.table(X), jf.table(X).reshape(m, n, n)
        else:
            cols = list(X.T)
            Fv = np.empty((m, n))
            for k, v in enumerate(f(cols)):  # assignment broadcasts constants over the starts
                Fv[:, k] = v
            rows = jf(cols)
            Jv = np.empty((m, n, n))
            for i in range(n):
                for j in range(n):
                    Jv[:, i, j] = rows[i][j]
        ok = np.all(np.isfinite(Jv), axis=(1, 2)) & np.all(np.isfinite(Fv), axis=1)
        ok &= np.abs(np.linalg.det(np.where(ok[:, None, None], Jv, np.eye(n)))) > 1e-300
        step = np.zeros_like(X)
        if np.any(ok):
            step[ok] = np.linalg.solve(Jv[ok], -Fv[ok][:, :, None])[:, :, 0]
        size = np.max(np.abs(step), axis=1, keepdims=True)
        step = np.where(size > max_step, step * (max_step / np.maximum(size, 1e-300)), step)
        X = X + step
        if np.all(size < 1e-13):
            break
    return X


def _krawczyk(eqs, jac, unknowns, shares, x):
    """"inside" when the Krawczyk test proves a unique root in a box in the open face,
    "outside" when it proves one in a box on which some share is <= 0, None otherwise."""
    from mpmath import iv

    n = len(unknowns)
    try:
        Jx = np.array([[float(_iv_eval(jac[i, j], dict(zip(unknowns, map(iv.mpf, x),
                                                                strict=True))).mid)
                        for j in range(n)] for i in range(n)])
        if not np.all(np.isfinite(Jx)):
            return None
        Y = np.linalg.inv(Jx)
    except (np.linalg.LinAlgError, _NoInterval, ValueError, ZeroDivisionError, TypeError):
        return None
    # exact conversions of the floats, made once (mpmath intervals are immutable)
    x_iv = [iv.mpf(v) for v in x]
    Y_iv = [[iv.mpf(Y[i, j]) for j in range(n)] for i in range(n)]
    one, zero = iv.mpf(1), iv.mpf(0)
    for r in (1e-12, 1e-10, 1e-8):
        rad = r * max(1.0, float(np.max(np.abs(x))))
        try:
            X = [iv.mpf([v - rad, v + rad]) for v in x]
            env_pt = dict(zip(unknowns, x_iv, strict=True))
            env_box = dict(zip(unknowns, X, strict=True))
            fx = [_iv_eval(e, env_pt) for e in eqs]
            JX = [[_iv_eval(jac[i, j], env_box) for j in range(n)] for i in range(n)]
        except (_NoInterval, ValueError, ZeroDivisionError, TypeError):
            return None
        ok = True
        for i in range(n):
            k = x_iv[i]
            for j in range(n):
                k -= Y_iv[i][j] * fx[j]
            for j in range(n):
                m = one if i == j else zero
                for l in range(n):
                    m -= Y_iv[i][l] * JX[l][j]
                k += m * (X[j] - x_iv[j])
            if not (k.a > X[i].a and k.b < X[i].b):
                ok = False
                break
        if ok:
            try:
                hs = [_iv_eval(h, env_box) for h in shares]
            except (_NoInterval, ValueError, ZeroDivisionError, TypeError):
                return None
            if all(h.a > 0 for h in hs):
                return "inside"
            if any(h.b <= 0 for h in hs) or any(h.a <= 0 for h in hs):
                return "outside"
    return None


#: Outward-rounded intervals of the rationals met so far, by (numerator, denominator, precision)
#: (mpmath intervals are immutable; converting the same coefficient for every box of every
#: Krawczyk test was a fifth of the numeric route's time).
_IV_RATIONALS: dict = {}


class _NoInterval(Exception):
    """An expression the interval evaluator does not handle (a kink, a special function)."""


def _iv_eval(expr, env):
    """Outward-rounded interval value of a sympy expression (mpmath.iv)."""
    from mpmath import iv

    if expr in env:
        return env[expr]
    if expr.is_Rational:  # the same interval every time at one precision: computed once
        key = (int(expr.p), int(expr.q), iv.prec)
        out = _IV_RATIONALS.get(key)
        if out is None:
            out = iv.mpf(key[0]) if key[1] == 1 else iv.mpf(key[0]) / iv.mpf(key[1])
            if len(_IV_RATIONALS) < 100_000:
                _IV_RATIONALS[key] = out
        return out
    if expr.is_Float:
        return iv.mpf(str(expr))
    if expr.is_Add:
        out = iv.mpf(0)
        for a in expr.args:
            out += _iv_eval(a, env)
        return out
    if expr.is_Mul:
        out = iv.mpf(1)
        for a in expr.args:
            out *= _iv_eval(a, env)
        return out
    if expr.is_Pow:
        base = _iv_eval(expr.base, env)
        if expr.exp.is_Integer:
            e = int(expr.exp)
            if e >= 0:
                return base ** e
            return iv.mpf(1) / (base ** (-e))
        if base.a <= 0:
            raise _NoInterval
        return iv.exp(_iv_eval(expr.exp, env) * iv.log(base))
    if isinstance(expr, sp.exp):
        return iv.exp(_iv_eval(expr.args[0], env))
    if isinstance(expr, sp.log):
        a = _iv_eval(expr.args[0], env)
        if a.a <= 0:
            raise _NoInterval
        return iv.log(a)
    if isinstance(expr, sp.Piecewise):  # a branch the whole box agrees on (else: a kink)
        for value, cond in expr.args:
            if cond is sp.true:
                return _iv_eval(value, env)
            if not isinstance(cond, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan,
                                     sp.StrictLessThan)):
                raise _NoInterval(str(cond))
            d = _iv_eval(cond.lhs - cond.rhs, env)
            holds = d.a > 0 if isinstance(cond, (sp.GreaterThan, sp.StrictGreaterThan)) \
                else d.b < 0
            fails = d.b < 0 if isinstance(cond, (sp.GreaterThan, sp.StrictGreaterThan)) \
                else d.a > 0
            if holds:
                return _iv_eval(value, env)
            if not fails:
                raise _NoInterval("the box straddles a Piecewise boundary")
        raise _NoInterval("no Piecewise branch")
    if expr is sp.pi:
        return iv.pi
    if expr is sp.E:
        return iv.e
    raise _NoInterval(str(type(expr)))


def dirichlet_starts(groups_sizes):
    """A start generator for :func:`solve_numeric`: uniform points of a product of simplices.

    Parameters
    ----------
    groups_sizes : sequence of int
        Per population in the face, the number of its used strategies (at least 2).

    Returns
    -------
    callable
        ``gen(rng, m)`` -> array of shape ``(m, sum(size - 1))``.

    Examples
    --------
    >>> gen = dirichlet_starts([2, 3])
    >>> gen(np.random.default_rng(0), 4).shape
    (4, 3)
    """
    def gen(rng, m):
        rows = []
        for _ in range(m):
            row = []
            for s in groups_sizes:
                row.extend(rng.dirichlet(np.ones(s))[:-1])
            rows.append(row)
        return np.array(rows, dtype=float).reshape(m, sum(s - 1 for s in groups_sizes))
    return gen

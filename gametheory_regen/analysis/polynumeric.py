r"""The certified numeric route of a face system: seeded multi-start Newton.

Taken over the exact route's budget (:mod:`.polybudget`), or for equations that are not
polynomial.  Newton from a fixed seeded set of :data:`~.polybudget.NUMERIC_STARTS` starts in the
face (:func:`dirichlet_starts`: uniform points of a product of simplices), batched over the
starts (polynomials evaluated from one exponent matrix and one coefficient matrix, no generated
code); a candidate :math:`\tilde u` is accepted on its residual
:math:`\max_e |F_e(\tilde u)| \le` :data:`~.polybudget.NUMERIC_TOL` (never on a solver's success
flag) and kept as *certified* when the Krawczyk test (:mod:`.polyinterval`) proves a unique root
in a box around it in the open face.  Such a face is never called complete: the report says
"k rest points found, not proven complete".
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .polybudget import NUMERIC_STARTS, NUMERIC_TOL, FaceSolution
from .polyinterval import _krawczyk

__all__ = ["solve_numeric", "multistart", "dirichlet_starts"]


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
            terms = []
            for e in flat:
                try:
                    terms.append(sp.Poly(e, *unknowns, domain=sp.QQ).terms())
                except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed,
                        sp.polys.polyerrors.GeneratorsError):
                    return None
            shape = (len(group), len(group[0])) if nested else (len(group),)
            out.append(cls.from_terms(shape, terms, len(unknowns)))
        return out

    @classmethod
    def from_terms(cls, shape, terms, n: int):
        """The function whose outputs (in order, ``shape`` as returned) have the given terms:
        one list of ``(exponents, coefficient)`` pairs per output, in ``n`` unknowns."""
        index: dict = {}
        entries = []
        for k, output in enumerate(terms):
            for m, c in output:
                entries.append((index.setdefault(m, len(index)), k, float(c)))
        exps = np.zeros((max(len(index), 1), n))
        for m, t in index.items():
            exps[t] = m
        coeffs = np.zeros((exps.shape[0], len(terms)))
        for t, k, c in entries:
            coeffs[t, k] += c
        return cls(shape, exps, coeffs)

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

"""Eigenvalues and the four stability words.

For a rest point :math:`x^*` with Jacobian :math:`J` (of the reduced system) and eigenvalues
:math:`\\lambda_1..\\lambda_d`, linearisation (Hartman–Grobman) decides:

* ``stable``: every :math:`\\operatorname{Re}\\lambda < 0` (asymptotically stable);
* ``unstable``: every :math:`\\operatorname{Re}\\lambda > 0`;
* ``saddle``: signs mixed, none zero;
* ``non-hyperbolic``: some :math:`\\operatorname{Re}\\lambda = 0`.  Linearisation cannot decide
  stability; such a point is never called stable.  If another real part is positive the point is
  certainly unstable (:attr:`Spectrum.certainly_unstable`), but its word stays ``non-hyperbolic``.

Deciding "zero or not" is done exactly when the Jacobian is a matrix of rationals: the
characteristic polynomial :math:`\\chi(\\lambda) \\in \\mathbb{Q}[\\lambda]` is factored over
:math:`\\mathbb{Q}`; roots of linear and quadratic factors are written in radicals and their real
parts compared with zero exactly; for an irreducible factor :math:`f` of higher degree the roots on
the imaginary axis are :math:`i\\omega` with :math:`\\omega` a real root of
:math:`\\gcd(\\operatorname{Re} f(i\\omega), \\operatorname{Im} f(i\\omega))`, counted exactly, and the
other roots' real-part signs are read from 50-digit roots (they are bounded away from zero).
A triangular (up to permutation) symbolic Jacobian, as at every vertex, has its diagonal as
eigenvalues.  Otherwise the eigenvalues are computed in floating point with a stated tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import sympy as sp

__all__ = [
    "Stability",
    "Spectrum",
    "classify_signs",
    "exact_spectrum",
    "numeric_spectrum",
    "triangular_eigenvalues",
]

_LAMBDA = sp.Symbol("lambda_")
#: Significant digits used for the non-zero real parts of roots of irreducible factors.
DIGITS = 50


class Stability(str, Enum):
    """The four stability words of DESIGN.md.

    A :class:`str` enum: members compare equal to their words and print as them.

    Parameters
    ----------
    value : str
        ``"stable"``, ``"unstable"``, ``"saddle"`` or ``"non-hyperbolic"``.

    Examples
    --------
    >>> Stability("saddle") is Stability.SADDLE, Stability.STABLE == "stable"
    (True, True)
    >>> str(Stability.NON_HYPERBOLIC)
    'non-hyperbolic'
    """

    STABLE = "stable"
    UNSTABLE = "unstable"
    SADDLE = "saddle"
    NON_HYPERBOLIC = "non-hyperbolic"

    def __str__(self) -> str:
        return self.value


def classify_signs(signs: tuple[int, ...]) -> Stability:
    """The stability word for the signs (-1, 0, +1) of the eigenvalues' real parts.

    Parameters
    ----------
    signs : tuple of int
        One sign per eigenvalue.

    Returns
    -------
    Stability
        ``NON_HYPERBOLIC`` when a sign is 0 (or there are none), else ``STABLE`` (all
        negative), ``UNSTABLE`` (all positive) or ``SADDLE``.

    Examples
    --------
    >>> classify_signs((-1, -1)), classify_signs((1, -1)), classify_signs((0, -1))
    (<Stability.STABLE: 'stable'>, <Stability.SADDLE: 'saddle'>,
     <Stability.NON_HYPERBOLIC: 'non-hyperbolic'>)
    >>> classify_signs((1, 1)), classify_signs(())
    (<Stability.UNSTABLE: 'unstable'>, <Stability.NON_HYPERBOLIC: 'non-hyperbolic'>)
    """
    if 0 in signs or not signs:
        return Stability.NON_HYPERBOLIC
    if all(s < 0 for s in signs):
        return Stability.STABLE
    if all(s > 0 for s in signs):
        return Stability.UNSTABLE
    return Stability.SADDLE


@dataclass(frozen=True)
class Spectrum:
    """Eigenvalues of a Jacobian with the signs of their real parts and how they were decided.

    Attributes
    ----------
    values : tuple of complex
        Floating-point eigenvalues (with multiplicity).
    exact : tuple of sympy.Expr or None
        Exact eigenvalues where known (radicals or ``CRootOf``).
    signs : tuple of int
        Sign of each real part: -1, 0, +1.
    method : str
        ``"exact"`` (rational arithmetic), ``"exact-symbolic"`` (diagonal of a triangular symbolic
        Jacobian) or ``"numeric"``.
    tolerance : float or None
        For ``"numeric"``: real parts with absolute value below it count as zero.

    Examples
    --------
    >>> import sympy as sp
    >>> spec = exact_spectrum(sp.Matrix([[1, 2], [2, 1]]))
    >>> spec.exact, spec.signs, spec.method
    ((-1, 3), (-1, 1), 'exact')
    >>> spec.stability, spec.certainly_unstable
    (<Stability.SADDLE: 'saddle'>, True)
    """

    values: tuple[complex, ...]
    exact: tuple[sp.Expr, ...] | None
    signs: tuple[int, ...]
    method: str
    tolerance: float | None = None

    @property
    def stability(self) -> Stability:
        """The stability word of :attr:`signs` (see :func:`classify_signs`).

        >>> Spectrum((-1j, 1j), None, (0, 0), "numeric", 1e-9).stability
        <Stability.NON_HYPERBOLIC: 'non-hyperbolic'>
        """
        return classify_signs(self.signs)

    @property
    def certainly_unstable(self) -> bool:
        """Some real part is positive: unstable whatever the zero ones do.

        A spectrum with a zero real part is ``non-hyperbolic`` either way; this tells the
        certainly unstable ones apart from those linearisation cannot decide.

        >>> spec = Spectrum((1 + 0j, 0j), None, (1, 0), "numeric", 1e-9)
        >>> str(spec.stability), spec.certainly_unstable
        ('non-hyperbolic', True)
        >>> centre = Spectrum((-1j, 1j), None, (0, 0), "numeric", 1e-9)
        >>> str(centre.stability), centre.certainly_unstable
        ('non-hyperbolic', False)
        """
        return any(s > 0 for s in self.signs)


def _sign(value: sp.Expr) -> int:
    """Exact sign of a real algebraic number (rational, or radicals of rationals)."""
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = sp.N(value, DIGITS)
    return 0 if approx == 0 else (1 if approx > 0 else -1)


def _factor_roots(f: sp.Poly) -> list[tuple[sp.Expr, int]]:
    """Roots of an irreducible factor over QQ with the exact sign of each real part."""
    deg = f.degree()
    coeffs = f.all_coeffs()
    if deg == 1:
        a, b = coeffs
        r = -b / a
        return [(r, _sign(r))]
    if deg == 2:
        a, b, c = coeffs
        disc = b * b - 4 * a * c
        if disc >= 0:
            r1 = (-b + sp.sqrt(disc)) / (2 * a)
            r2 = (-b - sp.sqrt(disc)) / (2 * a)
            return [(r1, _sign(r1)), (r2, _sign(r2))]
        re = -b / (2 * a)
        im = sp.sqrt(-disc) / (2 * a)
        return [(re + sp.I * im, _sign(re)), (re - sp.I * im, _sign(re))]
    # degree >= 3: exact count of roots on the imaginary axis
    w = sp.Symbol("w", real=True)
    fi = sp.expand(f.as_expr().subs(_LAMBDA, sp.I * w))
    g = sp.gcd(sp.Poly(sp.re(fi), w), sp.Poly(sp.im(fi), w))
    on_axis = []
    if g.degree() > 0:
        on_axis = [sp.I * r for r in sp.Poly(g, w).real_roots()]
    roots = f.nroots(n=DIGITS, maxsteps=200)
    out = [(r, 0) for r in on_axis]
    remaining = list(roots)
    for r in on_axis:  # drop the numerical copies of the imaginary-axis roots
        target = complex(sp.N(r))
        j = min(range(len(remaining)), key=lambda i: abs(complex(remaining[i]) - target))
        remaining.pop(j)
    for r in remaining:
        re = sp.re(r)
        out.append((r, 1 if re > 0 else -1))
    return out


def exact_spectrum(matrix: sp.Matrix) -> Spectrum:
    """Eigenvalues of a rational matrix with exactly decided real-part signs.

    Parameters
    ----------
    matrix : sympy.Matrix
        Square, every entry a rational number.

    Returns
    -------
    Spectrum
        With ``method="exact"``; eigenvalues sorted by real, then imaginary part.

    Examples
    --------
    The centre of matching pennies: purely imaginary eigenvalues, decided exactly.

    >>> import sympy as sp
    >>> spec = exact_spectrum(sp.Matrix([[0, 1], [-1, 0]]))
    >>> spec.exact, spec.signs, str(spec.stability)
    ((-I, I), (0, 0), 'non-hyperbolic')

    An irreducible quartic :math:`\\lambda^4 + 3\\lambda^2 + 1` (no root in radicals is needed):
    all four roots lie exactly on the imaginary axis.

    >>> companion = sp.Matrix([[0, 0, 0, -1], [1, 0, 0, 0], [0, 1, 0, -3], [0, 0, 1, 0]])
    >>> exact_spectrum(companion).signs
    (0, 0, 0, 0)
    """
    n = matrix.rows
    if n == 0:
        return Spectrum((), (), (), "exact")
    if not all(e.is_Rational for e in matrix):
        return _irrational_spectrum(matrix)
    factors = _charpoly_factors(matrix)
    exact: list[sp.Expr] = []
    signs: list[int] = []
    for f, mult in factors:
        for root, sign in _factor_roots(sp.Poly(f, _LAMBDA)):
            exact += [root] * mult
            signs += [sign] * mult
    values = [complex(sp.N(r, 17)) for r in exact]
    order = sorted(range(len(values)), key=lambda i: (values[i].real, values[i].imag))
    return Spectrum(tuple(values[i] for i in order), tuple(exact[i] for i in order),
                    tuple(signs[i] for i in order), "exact")


def _diagonal_blocks(matrix: sp.Matrix) -> list[list[int]]:
    """The index sets of the strongly connected components of the graph of the non-zero
    off-diagonal entries: permuted to block-triangular form, the matrix has these diagonal
    blocks, and its characteristic polynomial is the product of theirs."""
    n = matrix.rows
    reach = [[i == j or matrix[i, j] != 0 for j in range(n)] for i in range(n)]
    for k in range(n):  # transitive closure (Warshall)
        rk = reach[k]
        for i in range(n):
            if reach[i][k]:
                ri = reach[i]
                for j in range(n):
                    if rk[j]:
                        ri[j] = True
    blocks, seen = [], set()
    for i in range(n):
        if i in seen:
            continue
        block = [j for j in range(n) if reach[i][j] and reach[j][i]]
        seen.update(block)
        blocks.append(block)
    return blocks


def _charpoly_factors(matrix: sp.Matrix) -> list:
    """The irreducible factors over QQ (with multiplicity) of a rational matrix's
    characteristic polynomial, as ``Poly.factor_list`` gives them for the whole polynomial.

    The characteristic polynomial is the product of those of the diagonal blocks of the
    block-triangular form (:func:`_diagonal_blocks`; at a rest point on a face the rows of the
    unused strategies are such blocks), and factorisation into irreducible primitive factors
    over QQ is unique, so the blocks are factored separately (each block's characteristic
    polynomial over QQ from its domain matrix, Berkowitz) and equal factors merged: the same
    factors at a fraction of the cost of factoring the product.
    """
    from sympy.polys.matrices import DomainMatrix

    merged: dict = {}
    for block in _diagonal_blocks(matrix):
        if len(block) == 1:
            coeffs = [sp.QQ.one, -sp.QQ.convert(matrix[block[0], block[0]])]
        else:
            sub = matrix.extract(block, block)
            coeffs = DomainMatrix.from_Matrix(sub).convert_to(sp.QQ).charpoly()
        poly = sp.Poly.from_list(coeffs, _LAMBDA, domain=sp.QQ)
        for f, mult in poly.factor_list()[1]:
            merged[f] = merged.get(f, 0) + mult
    return list(merged.items())


def _irrational_spectrum(matrix: sp.Matrix) -> Spectrum:
    """Entries with irrational numbers (``2 - sqrt(2)``, a rounded ``exp(1)``).

    Triangular up to permutation (every vertex): the eigenvalues are the diagonal entries,
    kept exact, and their signs are decided exactly where sympy can (algebraic numbers);
    otherwise the stated numeric fallback, :func:`numeric_spectrum` with its tolerance.
    """
    diag = triangular_eigenvalues(matrix)
    if diag is not None:
        signs = []
        for d in diag:
            s = _sign(d) if d.is_number else None
            if s is None:
                break
            signs.append(s)
        else:
            values = [complex(sp.N(d, 17)) for d in diag]
            order = sorted(range(len(values)), key=lambda i: (values[i].real, values[i].imag))
            return Spectrum(tuple(values[i] for i in order), tuple(diag[i] for i in order),
                            tuple(signs[i] for i in order), "exact")
    return numeric_spectrum(matrix)  # 50-digit mpmath, real parts within 1e-9 count as 0


def triangular_eigenvalues(matrix: sp.Matrix) -> list[sp.Expr] | None:
    """The diagonal, if the matrix is triangular up to a simultaneous permutation; else None.

    A matrix is permutation-similar to a triangular one exactly when the directed graph of its
    non-zero off-diagonal entries has no cycle; then its eigenvalues are its diagonal entries.

    Parameters
    ----------
    matrix : sympy.Matrix
        Square; entries may be symbolic (an entry counts as non-zero unless it is exactly 0).

    Returns
    -------
    list of sympy.Expr or None
        The diagonal entries, or None when the matrix is not triangular up to permutation.

    Examples
    --------
    >>> import sympy as sp
    >>> V, C = sp.symbols("V C")
    >>> triangular_eigenvalues(sp.Matrix([[-1, 5, 0], [0, 2, 0], [3, 0, -4]]))
    [-1, 2, -4]
    >>> triangular_eigenvalues(sp.Matrix([[V - C, 0], [V, -V]]))
    [-C + V, -V]
    >>> triangular_eigenvalues(sp.Matrix([[0, 1], [1, 0]])) is None     # a 2-cycle
    True
    """
    n = matrix.rows
    edges = {i: {j for j in range(n) if j != i and matrix[i, j] != 0} for i in range(n)}
    state = [0] * n  # 0 unvisited, 1 on stack, 2 done

    def has_cycle(i: int) -> bool:
        state[i] = 1
        for j in edges[i]:
            if state[j] == 1 or (state[j] == 0 and has_cycle(j)):
                return True
        state[i] = 2
        return False

    if any(state[i] == 0 and has_cycle(i) for i in range(n)):
        return None
    return [matrix[i, i] for i in range(n)]


def numeric_spectrum(matrix: np.ndarray | sp.Matrix, tolerance: float = 1e-9) -> Spectrum:
    """Floating-point eigenvalues; real parts within ``tolerance`` of zero count as zero.

    A sympy matrix (e.g. with radicals) is evaluated with 50-digit mpmath arithmetic; a numpy
    array with :func:`numpy.linalg.eigvals`.

    Parameters
    ----------
    matrix : numpy.ndarray or sympy.Matrix
        Square.
    tolerance : float
        Real parts with absolute value at most this count as zero.

    Returns
    -------
    Spectrum
        With ``method="numeric"`` and ``exact=None``.

    Examples
    --------
    >>> import numpy as np
    >>> spec = numeric_spectrum(np.array([[-1.0, 0.0], [0.0, 1e-12]]))
    >>> spec.signs, str(spec.stability)
    ((-1, 0), 'non-hyperbolic')
    >>> import sympy as sp
    >>> numeric_spectrum(sp.Matrix([[sp.sqrt(2), 0], [0, -1]])).values
    ((-1+0j), (1.4142135623730951+0j))
    """
    if isinstance(matrix, sp.MatrixBase):
        if matrix.rows == 0:
            return Spectrum((), None, (), "numeric", tolerance)
        import mpmath

        with mpmath.workdps(DIGITS):
            mp = mpmath.matrix([[sp.N(matrix[i, j], DIGITS) for j in range(matrix.cols)]
                                for i in range(matrix.rows)])
            ev = mpmath.eig(mp, left=False, right=False)
            values = [complex(v) for v in ev]
            reals = [float(mpmath.re(v)) for v in ev]
    else:
        ev = np.linalg.eigvals(np.asarray(matrix, dtype=float))
        values = [complex(v) for v in ev]
        reals = [v.real for v in values]
    signs = tuple(0 if abs(r) <= tolerance else (1 if r > 0 else -1) for r in reals)
    order = sorted(range(len(values)), key=lambda i: (values[i].real, values[i].imag))
    return Spectrum(tuple(values[i] for i in order), None, tuple(signs[i] for i in order),
                    "numeric", tolerance)

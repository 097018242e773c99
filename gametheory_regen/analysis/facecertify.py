r"""The Krawczyk test on polynomials over :math:`\mathbb{Q}` (``PolyElement``), in outward-rounded
interval arithmetic.

For :math:`F(u) = 0` with Jacobian :math:`F'`, an approximate root :math:`\tilde u`, a box
:math:`X \ni \tilde u` and :math:`Y \approx F'(\tilde u)^{-1}`, the Krawczyk operator

.. math:: K(X) = \tilde u - Y F(\tilde u) + (I - Y F'(X))(X - \tilde u)

satisfies: if :math:`K(X) \subset \operatorname{int} X` then :math:`X` contains exactly one
zero of :math:`F` (Krawczyk 1969; Moore 1977; Neumaier, *Interval Methods for Systems of
Equations*, 1990, Thm 5.1.8).  Any enclosure of the ranges makes this rigorous.  The fast one
here is double precision with every operation's round-to-nearest result moved one float
outward (:func:`math.nextafter`; the exact result is within half a unit in the last place of
the rounded one, so the widened interval contains it; a value that overflows gives no verdict);
when it cannot decide, the same test runs in ``mpmath.iv`` (as :func:`.polysolve._krawczyk`
does on expressions).  Polynomials are evaluated term by term, each coefficient enclosed in
the two floats around it.

Examples
--------
>>> import numpy as np
>>> import sympy as sp
>>> from sympy.polys.rings import ring
>>> R, u, v = ring("u v", sp.QQ)
>>> F = [u * v - sp.QQ(1, 4), u - v]
>>> J = [[f.diff(g) for g in (u, v)] for f in F]
>>> krawczyk_polys(F, J, [u, v], np.array([0.5, 0.5]))
'inside'
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy as sp  # noqa: F401  (doctests)

from .polyinterval import _contracts, _iv_rational, _share_verdict

__all__ = ["krawczyk_polys"]


# ----------------------------------------------------------------------------- Krawczyk
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
    if p1 != p1 or p2 != p2 or p3 != p3 or p4 != p4:  # inf * 0: no finite enclosure
        return _DOWN, _UP
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
        return [(m, _iv_rational(int(c.numerator), int(c.denominator))) for m, c in p.terms()]

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
        if _contracts(x_iv, Y_iv, fx, JX, X, one, zero):
            return _share_verdict([_iv_poly(h, X, degs) for h in hp])
    return None

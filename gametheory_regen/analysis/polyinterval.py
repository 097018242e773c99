r"""The Krawczyk test: a box that provably holds exactly one root of a face system.

For a candidate :math:`\tilde u`, a box :math:`X \ni \tilde u` and :math:`Y \approx
F'(\tilde u)^{-1}`,

.. math:: K(X) = \tilde u - Y F(\tilde u) + (I - Y F'(X))(X - \tilde u),

and :math:`K(X) \subset \operatorname{int} X` in outward-rounded interval arithmetic
(``mpmath.iv``) proves that :math:`X` contains exactly one solution (Krawczyk 1969; Moore 1977;
Neumaier, *Interval Methods for Systems of Equations*, 1990, Thm 5.1.8).  The face's shares,
evaluated on the same box, then say whether the root lies in the open face.  Sympy expressions
are evaluated over intervals by :func:`_iv_eval` (rationals converted once, in
:data:`_IV_RATIONALS`, which :mod:`.facecertify` shares).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__: list = []


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
        if _contracts(x_iv, Y_iv, fx, JX, X, one, zero):
            try:
                hs = [_iv_eval(h, env_box) for h in shares]
            except (_NoInterval, ValueError, ZeroDivisionError, TypeError):
                return None
            return _share_verdict(hs)
    return None


def _contracts(x_iv, Y_iv, fx, JX, X, one, zero) -> bool:
    r""":math:`K(X) \subset \operatorname{int} X` for the Krawczyk operator of the module
    docstring, from intervals ``fx`` = :math:`F(\tilde u)` and ``JX`` = :math:`F'(X)`
    (``mpmath.iv`` intervals; ``one`` and ``zero`` of the same kind)."""
    n = len(X)
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
            return False
    return True


def _share_verdict(hs) -> str:
    """"inside" when every share's interval is positive on the box that holds the root,
    "outside" when some share may be <= 0 there."""
    return "inside" if all(h.a > 0 for h in hs) else "outside"


#: Outward-rounded intervals of the rationals met so far, by (numerator, denominator, precision)
#: (mpmath intervals are immutable; converting the same coefficient for every box of every
#: Krawczyk test was a fifth of the numeric route's time).
_IV_RATIONALS: dict = {}


class _NoInterval(Exception):
    """An expression the interval evaluator does not handle (a kink, a special function)."""


def _iv_rational(p: int, q: int):
    """Outward-rounded ``mpmath.iv`` interval of :math:`p/q`, made once per precision and kept
    in :data:`_IV_RATIONALS` (the same interval every time)."""
    from mpmath import iv

    key = (p, q, iv.prec)
    out = _IV_RATIONALS.get(key)
    if out is None:
        out = iv.mpf(p) if q == 1 else iv.mpf(p) / iv.mpf(q)
        if len(_IV_RATIONALS) < 100_000:
            _IV_RATIONALS[key] = out
    return out


def _iv_eval(expr, env):
    """Outward-rounded interval value of a sympy expression (mpmath.iv)."""
    from mpmath import iv

    if expr in env:
        return env[expr]
    if expr.is_Rational:
        return _iv_rational(int(expr.p), int(expr.q))
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

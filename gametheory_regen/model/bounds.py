"""Bounds of expressions computed without computing them: magnitudes and expanded sizes.

Two estimates let the model layer refuse an input before sympy does work that the input could
make astronomically large (the limits are those of :mod:`gametheory_regen.limits`):

* **Magnitudes by their logarithms** (:func:`magnitude`).  With ``D`` the limit
  ``number_digits``, a constant must satisfy ``10**-D <= |c| <= 10**D`` (or be 0).  The estimate
  of ``log10 |c|`` is propagated bottom-up in floating point: ``log|a b| = log|a| + log|b|``,
  ``log|a + b| <= max(log|a|, log|b|) + log10(number of terms)``, ``log|b**e| = e log|b|``,
  ``log exp(a) = a / ln 10``, so ``2**(10**9)`` or ``exp(exp(exp(exp(10))))`` cost a few float
  operations, not a billion digits.
* **Expanded size and degree by structure** (:func:`expanded_measure`).  Once ``[derived]``
  names are replaced by their expressions, a tree has ``|f(a, b)| = 1 + |a| + |b|`` nodes and
  polynomial degree ``deg(a + b) = max``, ``deg(a b) = deg a + deg b``,
  ``deg(a**n) = |n| deg a``, a derived name counting as the measure of its expression.  Computed
  over the unexpanded tree, each distinct node once, in exact integers: sixty derived squarings
  have degree ``2**60``, found in sixty steps.
* **Exact decimals by their text** (:func:`check_decimal_text`): ``1e-999999999`` is a fraction
  with a billion-digit denominator; its digits are counted from the mantissa and the exponent.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping

import sympy as sp

from .. import limits
from ..errors import LimitError

__all__ = ["check_decimal_text", "expanded_measure", "magnitude", "substitute_checked"]


def _int_digits(n: int) -> int:
    """Decimal digits of ``n`` (exact up to one), without converting it to text."""
    return int(abs(n).bit_length() * 0.30102999566398120) + 1


def _check_int_digits(n: int, where: str) -> None:
    limit = limits.get("number_digits")
    if _int_digits(n) > limit:
        raise LimitError(f"{where}: an integer of about {_int_digits(n)} digits is above the limit "
                         f"`number_digits` = {limit}; write it with an exponent (1e300) or "
                         f"rescale the units")


def check_decimal_text(text: str, where: str) -> None:
    """Refuse a decimal whose exact value would have more digits than the limit.

    ``0.1`` is the exact rational 1/10, but ``1e-999999999`` would be a fraction with a
    billion-digit denominator: its digits are counted from the text (mantissa digits plus the
    size of the exponent) before any exact number is built.

    Parameters
    ----------
    text : str
        A number as written (``"1.43"``, ``"2.5e-3"``).
    where : str
        Prefix of error messages.

    Returns
    -------
    None

    Raises
    ------
    LimitError
        When the exact value would have more than ``number_digits`` digits (docs/limits.md).

    Examples
    --------
    >>> check_decimal_text("2.5e-3", "--set V")
    >>> check_decimal_text("1e-999999999", "--set V")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: --set V: the exact value of '1e-999999999' would have ...
    """
    try:
        dec = decimal.Decimal(text.strip().replace("_", ""))
    except (decimal.InvalidOperation, ValueError):
        return  # not a decimal: the caller's own check reports it
    if not dec.is_finite():
        return
    sign, digits, exponent = dec.as_tuple()
    size = len(digits) + abs(int(exponent))
    limit = limits.get("number_digits")
    if size > limit:
        shown = text if len(text) <= 40 else text[:20] + "..." + text[-10:]
        raise LimitError(f"{where}: the exact value of {shown!r} would have about {size} digits, "
                         f"above the limit `number_digits` = {limit}; give at most {limit} "
                         f"digits (a value this small or large needs rescaled units)")


def _log10_abs(value: object) -> float | None:
    """log10 |value| for a number, computed without building huge numbers; None if unknown."""
    try:
        if isinstance(value, sp.Integer):
            n = int(value)
            return -math.inf if n == 0 else math.log10(abs(n)) if abs(n) < 10**300 else \
                abs(n).bit_length() * 0.30102999566398120
        if isinstance(value, sp.Rational):
            num = _log10_abs(sp.Integer(value.p))
            den = _log10_abs(sp.Integer(value.q))
            return None if num is None or den is None else num - den
        if isinstance(value, sp.Float):
            return -math.inf if value == 0 else float(sp.log(abs(value), 10).evalf(15))
        f = float(value)
        return -math.inf if f == 0 else math.log10(abs(f))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None


def magnitude(expr: sp.Basic, values: Mapping[sp.Basic, sp.Basic] | None = None,
              where: str = "expression") -> float | None:
    """An estimate of log10 |expr| at ``values``, refusing any part beyond ``10**number_digits``.

    The estimate works on logarithms: ``log|a b| = log|a| + log|b|``, ``log|a + b| <= max + log 2``,
    ``log|b**e| = e log|b|``, ``log exp(a) = a / ln 10``, so ``2**(10**9)`` or
    ``exp(exp(exp(exp(10))))`` cost a few float operations, not a billion digits.  Symbols
    without a value count as magnitude 1 (shares lie in [0, 1]).

    Parameters
    ----------
    expr : sympy.Basic
    values : mapping of symbol to number, optional
        Values substituted (parameters).
    where : str
        Prefix of error messages.

    Returns
    -------
    float or None
        log10 of the magnitude (``-inf`` for 0), or None when it cannot be told.

    Raises
    ------
    LimitError
        When a part of ``expr`` (or its reciprocal) exceeds ``10**number_digits``.

    Examples
    --------
    >>> q = sp.Symbol("q")
    >>> round(magnitude(2**q, {q: sp.Integer(10)}), 3)
    3.01
    >>> magnitude(2**q, {q: sp.Integer(10**6)}, "payoff")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: payoff: a number of about 301030 digits (2**q) is ...
    """
    limit = limits.get("number_digits")
    values = values or {}
    memo: dict = {}

    def refuse(node: sp.Basic, digits: float) -> LimitError:
        shown = _brief(node)
        return LimitError(f"{where}: a number of about {digits:.0f} digits ({shown}) is above the "
                          f"limit `number_digits` = {limit}; rescale the units or lower the "
                          f"exponent")

    def bound(node: sp.Basic, lg: float | None) -> float | None:
        if lg is not None and math.isfinite(lg) and abs(lg) > limit:
            raise refuse(node, abs(lg))
        return lg

    def value_of(node: sp.Basic) -> float | None:
        """Approximate float value of a small node, or None."""
        lg = walk(node)
        if lg is None or (math.isfinite(lg) and lg > 300):
            return None
        try:
            sub = node.xreplace(values) if values else node
            return float(sub.evalf(15)) if not sub.free_symbols else None
        except (TypeError, ValueError, OverflowError):
            return None

    def walk(node: sp.Basic) -> float | None:
        if node in memo:
            return memo[node]
        lg: float | None
        if node in values:
            lg = walk(sp.sympify(values[node]))
        elif node.is_Number:
            lg = _log10_abs(node)
        elif node.is_NumberSymbol or node is sp.I:
            lg = 0.5
        elif node.is_Symbol:
            lg = 0.0
        elif node.is_Add:
            parts = [walk(a) for a in node.args]
            known = [p for p in parts if p is not None and p != -math.inf]
            lg = (max(known) + math.log10(len(node.args))) if known else None
        elif node.is_Mul:
            parts = [walk(a) for a in node.args]
            lg = None if any(p is None for p in parts) else sum(parts)
        elif node.is_Pow:
            base, ex = node.args
            lb = walk(base)
            e = value_of(ex) if not ex.is_Number else float(ex)
            lg = None if lb is None or e is None or lb == -math.inf else lb * e
        elif isinstance(node, sp.exp):
            a = value_of(node.args[0])
            if a is not None and a > limit * math.log(10) * 1.0001:
                raise refuse(node, a / math.log(10))
            lg = None if a is None else a / math.log(10)
        else:
            parts = [walk(a) for a in node.args]
            known = [p for p in parts if p is not None]
            lg = max(known) if known else None
            if isinstance(node, sp.log | sp.Abs) and parts and parts[0] is not None:
                lg = parts[0] if isinstance(node, sp.Abs) else (
                    math.log10(max(abs(parts[0]) * math.log(10), 1e-300)) if math.isfinite(
                        parts[0]) else None)
        memo[node] = bound(node, lg)
        return memo[node]

    return walk(sp.sympify(expr))


def _brief(node: sp.Basic, nodes: int = 60) -> str:
    """The expression as text if it is small (printing a large shared tree is exponential)."""
    for count, _ in enumerate(sp.preorder_traversal(node), 1):
        if count > nodes:
            return f"an expression of more than {nodes} nodes"
    shown = sp.sstr(node)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def substitute_checked(expr: sp.Expr, values: Mapping[sp.Basic, sp.Basic], where: str) -> sp.Expr:
    """``expr.xreplace(values)``, after :func:`magnitude` showed the result stays bounded.

    Parameters
    ----------
    expr : sympy.Expr
    values : mapping of symbol to number
    where : str
        Prefix of error messages (the payoff or parameter concerned).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    LimitError
        When the value would exceed ``10**number_digits`` (e.g. ``2**q`` at ``q = 10**6``).

    Examples
    --------
    >>> q = sp.Symbol("q")
    >>> substitute_checked(2**q + 1, {q: sp.Integer(3)}, "payoff")
    9
    """
    magnitude(expr, values, where)
    return expr.xreplace(values)


def expanded_measure(expr: sp.Basic, known: Mapping[sp.Basic, tuple[int, int]]) -> tuple[int, int]:
    """(tree size, polynomial degree) of ``expr`` once the names in ``known`` are expanded.

    Computed bottom-up over the unexpanded tree (each distinct node once), so a chain of sixty
    derived squarings costs sixty steps, not ``2**60``.  Exact integers: sizes and degrees may
    be astronomically large and are compared with the limits ``expanded_size`` and
    ``expanded_degree`` by the caller.

    Parameters
    ----------
    expr : sympy.Basic
        May use the symbols of ``known``.
    known : mapping of symbol to (int, int)
        The measure of each derived name's expression.

    Returns
    -------
    tuple of (int, int)

    Examples
    --------
    >>> x0, x1 = sp.symbols("x0 x1")
    >>> expanded_measure(x0 * x0, {})
    (3, 2)
    >>> expanded_measure(x1 * x1, {x1: (3, 2)})      # x1**2 = (x0**2)**2
    (5, 4)
    """
    memo: dict = {}

    def walk(node: sp.Basic) -> tuple[int, int]:
        if node in known:
            return known[node]
        if node in memo:
            return memo[node]
        if not node.args:
            out = (1, 1 if node.is_Symbol else 0)
        else:
            parts = [walk(a) for a in node.args]
            size = 1 + sum(p[0] for p in parts)
            if node.is_Mul:
                degree = sum(p[1] for p in parts)
            elif node.is_Pow:
                base, ex = node.args
                if ex.is_Number:
                    n = abs(ex)
                    factor = int(n) if n.is_Integer else int(math.ceil(float(n)))
                    degree = parts[0][1] * max(factor, 1)
                    size = parts[0][0] * max(factor, 1) + 1 if base.is_Add else size
                else:
                    degree = parts[0][1] + parts[1][1]
            else:
                degree = max(p[1] for p in parts)
            out = (size, degree)
        memo[node] = out
        return out

    return walk(sp.sympify(expr))

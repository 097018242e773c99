r"""Exact numbers: values as the rationals that were written, numeric payoffs kept exact.

A parameter value written ``1.43`` is the rational :math:`143/100`, never the nearest binary
float (:func:`_as_rational`; a string passes the decimal-text check
:func:`~gametheory_regen.model.bounds.check_decimal_text` before it is read); a sympy number
given as a value must be rational (``sqrt(2)`` or ``pi`` is refused, not rounded: an
irrational belongs in the payoff expression).  A payoff with every
parameter substituted stays exact when it is rational, or a real algebraic number built from
rationals by :math:`+, -, \times, /` and rational powers (``2 - sqrt(2)``); any other irrational
value (:math:`e`, an annuity factor :math:`(1 - (1 + \rho)^{-T})/\rho` at a fractional term
:math:`T`) is rounded to a rational with :data:`ROUND_DIGITS` significant digits, the stated
numeric fallback (:func:`_exact_number`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

from ..errors import GameInputError, ParameterError
from .expr import number_to_rational

__all__ = ["ROUND_DIGITS"]


#: Significant digits kept when a numeric payoff is irrational (e.g. an annuity factor at a
#: fractional term): it is rounded to a rational with this many digits.
ROUND_DIGITS = 40


def _exact_number(expr: sp.Expr) -> sp.Expr:
    """An exact number for a numeric payoff.

    Rationals and real algebraic numbers built from them by radicals (``2 - sqrt(2)``) stay
    exact; any other irrational value (``exp(1)``, an annuity factor at a fractional term) is
    rounded to a rational with ROUND_DIGITS significant digits: the stated numeric fallback.
    """
    if expr.is_Rational:
        return expr
    if not expr.free_symbols and _is_radical(expr) and expr.is_real:
        return expr
    if expr.free_symbols:
        raise ParameterError(f"payoff {expr} still has free symbols after substituting values")
    value = expr.evalf(ROUND_DIGITS)
    if not value.is_real:
        raise ParameterError(f"payoff {expr} is not a real number at these parameter values")
    return sp.Rational(str(value))


def _is_radical(expr: sp.Expr) -> bool:
    """Built from rationals by + - * / and rational powers only (an algebraic number)."""
    return all(a.is_Rational or a.is_Add or a.is_Mul or (a.is_Pow and a.exp.is_Rational)
               for a in sp.preorder_traversal(expr))


def _round_floats(expr: sp.Expr) -> sp.Expr:
    """A state-dependent payoff after substituting values: numbers kept exact."""
    return expr


def _as_rational(value: object, where: str) -> sp.Rational:
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.Basic) and value.is_number and value.is_real:
        if value.is_Float:  # a binary float written in sympy: as a Python float is read
            return sp.nsimplify(value, rational=True)
        exact = sp.nsimplify(value)
        if not exact.is_Rational:
            raise ParameterError(
                f"{where}: {value} is not a rational number, and parameter values are exact "
                "rationals: give a decimal or a fraction (a string such as '1.41421356', or a "
                "fractions.Fraction), or write the irrational into the payoff expression"
            )
        return exact
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ParameterError(f"{where}: expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ParameterError(f"{where}: expected a finite number, got {value!r}")
        from .bounds import check_decimal_text

        check_decimal_text(value, where)
        frac = Fraction(value.strip())
        return sp.Rational(frac.numerator, frac.denominator)
    try:
        return number_to_rational(value, where)
    except GameInputError as exc:
        raise ParameterError(str(exc)) from None

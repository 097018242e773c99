"""Safe parsing of payoff expressions.

A model file is untrusted input, so its expressions are never given to ``eval`` nor to
``sympy.sympify`` (which evaluates Python).  The text is parsed by Python's :mod:`ast` into a tree
and the tree is translated node by node into sympy objects; only the following is accepted:

* numbers (integers and decimals; a decimal ``1.43`` becomes the exact rational ``143/100``);
* declared names (parameters, derived expressions), each mapped to the caller's sympy object, so
  that ``I``, ``E``, ``S``, ``N``, ``Q``, ``O``, ``beta``, ``gamma`` or ``zeta`` are plain symbols
  and never sympy's imaginary unit, Euler's number or special functions;
* the operators ``+ - * / **`` and parentheses;
* the functions ``exp, log, sqrt, Abs, Min, Max`` and the perceived values ``pt_value(v, alpha,
  beta, lam)`` and ``pt_weight(p, gamma)`` (Tversky & Kahneman 1992; Contract 4).

Anything else (attribute access, subscripts, calls of other names, lambdas, comprehensions,
strings, comparisons, huge exponents or overlong text) is refused with an
:class:`~gametheory_regen.errors.ExpressionError` that says what was found and where.
"""

from __future__ import annotations

import ast
import math
import numbers
from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from ..errors import ExpressionError

__all__ = ["parse_expression", "pt_value", "pt_weight", "FUNCTIONS", "MAX_EXPONENT", "MAX_LENGTH", "number_to_rational"]

def pt_value(v, alpha, beta, lam):
    """Prospect-theory value of an outcome ``v`` (Tversky & Kahneman 1992).

    :math:`v^\\alpha` for :math:`v \\ge 0`, :math:`-\\lambda(-v)^\\beta` for :math:`v < 0`
    (a ``Piecewise``; its kink at 0 is reported as such).

    Parameters
    ----------
    v, alpha, beta, lam : sympy.Expr or number
        The outcome, the curvature of gains and of losses, and the loss aversion.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    Tversky & Kahneman's estimates alpha = beta = 0.88, lambda = 2.25: a loss of 100 weighs
    -2.25 * 100**0.88:

    >>> a = sp.Rational(88, 100)
    >>> float(pt_value(-100, a, a, sp.Rational(9, 4))), float(pt_value(100, a, a, 2))
    (-129.47..., 57.54...)
    """
    v, alpha, beta, lam = map(sp.sympify, (v, alpha, beta, lam))
    if v.is_number:
        return v**alpha if v >= 0 else -lam * (-v) ** beta
    return sp.Piecewise((v**alpha, v >= 0), (-lam * (-v) ** beta, True))


def pt_weight(p, gamma):
    """Prospect-theory probability weight (Tversky & Kahneman 1992).

    :math:`w(p) = p^\\gamma / (p^\\gamma + (1-p)^\\gamma)^{1/\\gamma}`.

    Parameters
    ----------
    p, gamma : sympy.Expr or number
        A probability and the curvature (0.61 for gains, 0.69 for losses in their estimates).

    Returns
    -------
    sympy.Expr

    Examples
    --------
    Small probabilities are overweighted, large ones underweighted:

    >>> g = sp.Rational(61, 100)
    >>> round(float(pt_weight(sp.Rational(1, 100), g)), 4), round(float(pt_weight(sp.Rational(9, 10), g)), 4)
    (0.0553, 0.7117)
    """
    p, gamma = sp.sympify(p), sp.sympify(gamma)
    return p**gamma / (p**gamma + (1 - p) ** gamma) ** (1 / gamma)


#: Functions an expression may call, and the sympy function each one means.
FUNCTIONS = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "Abs": sp.Abs,
    "Min": sp.Min,
    "Max": sp.Max,
    "pt_value": pt_value,
    "pt_weight": pt_weight,
}
#: Number of arguments of the perceived-value functions (Contract 4).
_ARITY = {"pt_value": 4, "pt_weight": 2}
#: Largest absolute value of a literal exponent (larger ones could exhaust memory).
MAX_EXPONENT = 64
#: Longest expression text accepted.
MAX_LENGTH = 10_000
#: Most decimal digits a number inside an expression may have (guards against ``(2**64)**64``).
MAX_DIGITS = 1000
_MAX_DEPTH = 60

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_OPNAMES = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def number_to_rational(value: object, where: str) -> sp.Rational:
    """Return the exact rational of an int or float as it was written.

    A float becomes the rational of its shortest decimal representation (``1.43 -> 143/100``),
    which is what the user typed.  NaN, infinities and booleans are refused.

    Parameters
    ----------
    value : int or float
        Any real number type (numpy scalars included), but not a bool or a string.
    where : str
        Prefix of error messages.

    Returns
    -------
    sympy.Rational

    Raises
    ------
    ExpressionError
        For a bool, a non-number, NaN or an infinity.

    Examples
    --------
    >>> number_to_rational(1.43, "S")
    143/100
    >>> number_to_rational(0.1, "S"), number_to_rational(3, "S")      # not 3602879701896397/2**55
    (1/10, 3)
    >>> number_to_rational(float("inf"), "S")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ExpressionError: S: expected a finite number, got inf
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ExpressionError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, numbers.Integral):
        frac = Fraction(int(value))
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ExpressionError(f"{where}: expected a finite number, got {value!r}")
        frac = Fraction(repr(value))
    return sp.Rational(frac.numerator, frac.denominator)


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscript",
        ast.Lambda: "lambda",
        ast.ListComp: "comprehension",
        ast.SetComp: "comprehension",
        ast.DictComp: "comprehension",
        ast.GeneratorExp: "comprehension",
        ast.Compare: "comparison",
        ast.BoolOp: "boolean operator",
        ast.IfExp: "conditional expression",
        ast.Starred: "starred argument",
        ast.NamedExpr: "assignment",
        ast.JoinedStr: "string",
    }
    for cls, word in kinds.items():
        if isinstance(node, cls):
            return word
    return type(node).__name__


def parse_expression(text: object, names: Mapping[str, sp.Basic], where: str) -> sp.Expr:
    """Parse ``text`` into a sympy expression over the objects in ``names``.

    Parameters
    ----------
    text : str or int or float
        The expression as written in the model (a number is accepted as is).
    names : mapping of str to sympy object
        Every name the expression may use (parameters, derived names).
    where : str
        Where the expression stands, used in error messages (``"model.toml: [[terms]] 2, amount"``).

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        For any syntax or name that is not allowed.

    Examples
    --------
    >>> import sympy as sp
    >>> I, S = sp.symbols("I S", real=True)
    >>> parse_expression("S*2 - I/4", {"I": I, "S": S}, "example")
    -I/4 + 2*S
    >>> parse_expression("__import__('os')", {}, "example")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ExpressionError: example: call of '__import__' is not allowed; ...
    """
    if isinstance(text, bool):
        raise ExpressionError(f"{where}: expected an expression or a number, got {text!r}")
    if isinstance(text, numbers.Real):
        return number_to_rational(text, where)
    if not isinstance(text, str):
        raise ExpressionError(
            f"{where}: expected an expression (a string such as \"S - I\") or a number, "
            f"got {type(text).__name__} {text!r}"
        )
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"{where}: expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError(f"{where}: empty expression; write a number or a formula")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"{where}: cannot parse {text!r}: {exc.msg}") from exc
    return _Translator(names, where, text).visit(tree.body, 0)


class _Translator:
    def __init__(self, names: Mapping[str, sp.Basic], where: str, text: str) -> None:
        self.names = names
        self.where = where
        self.text = text

    def fail(self, message: str) -> ExpressionError:
        return ExpressionError(f"{self.where}: {message} in {self.text!r}")

    def checked(self, result: sp.Expr) -> sp.Expr:
        """Refuse constants that are not finite real numbers or that are huge."""
        if result.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise self.fail("the expression is infinite or undefined (division by zero, log(0)?)")
        if result.is_number:
            if result.is_real is False:
                raise self.fail("the expression is not a real number (square root or log of a "
                                "negative number?)")
            if result.is_Rational and max(len(str(abs(result.p))), len(str(result.q))) > MAX_DIGITS:
                raise self.fail(f"a number with more than {MAX_DIGITS} digits")
        return result

    def visit(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > _MAX_DEPTH:
            raise self.fail("expression nested too deeply")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.fail(f"only numbers are allowed as constants, found {value!r}")
            return number_to_rational(value, self.where)
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            known = ", ".join(sorted(self.names)) or "(none declared)"
            raise ExpressionError(
                f"{self.where}: unknown name {node.id!r} in {self.text!r}; declare it under "
                f"[parameters] or [derived]. Known names: {known}"
            )
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.visit(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left = self.visit(node.left, depth + 1)
            right = self.visit(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                if right.is_number and (not right.is_real or abs(right) > MAX_EXPONENT):
                    raise self.fail(f"exponent {right} is too large (at most {MAX_EXPONENT})")
                if left.is_number and right.is_number and left != 0:
                    digits = abs(float(right)) * abs(math.log10(abs(float(sp.N(left, 15)))))
                    if digits > MAX_DIGITS:
                        raise self.fail(f"the number {left}**{right} would have about "
                                        f"{digits:.0f} digits (at most {MAX_DIGITS})")
            if isinstance(node.op, ast.Div) and right == 0:
                raise self.fail("division by zero")
            return self.checked(_BINOPS[type(node.op)](left, right))
        if isinstance(node, ast.BinOp):
            raise self.fail(f"operator {type(node.op).__name__} is not allowed (use + - * / **)")
        if isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
                shown = func.id if isinstance(func, ast.Name) else _describe(func)
                raise self.fail(
                    f"call of {shown!r} is not allowed; functions: {', '.join(FUNCTIONS)}"
                )
            if node.keywords:
                raise self.fail(f"{func.id}() takes no keyword arguments")
            args = [self.visit(a, depth + 1) for a in node.args]
            if func.id in {"exp", "log", "sqrt", "Abs"} and len(args) != 1:
                raise self.fail(f"{func.id}() takes exactly one argument, got {len(args)}")
            if func.id in _ARITY and len(args) != _ARITY[func.id]:
                raise self.fail(f"{func.id}() takes exactly {_ARITY[func.id]} arguments, got "
                                f"{len(args)}")
            if func.id in {"Min", "Max"} and len(args) < 1:
                raise self.fail(f"{func.id}() needs at least one argument")
            return self.checked(FUNCTIONS[func.id](*args))
        raise self.fail(f"{_describe(node)} is not allowed")

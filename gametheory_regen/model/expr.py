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

Bounded work (the limits of :mod:`gametheory_regen.limits`, listed in ``docs/limits.md``).
Before Python's parser sees the text, it is scanned: its length, its nesting (parentheses plus
runs of unary signs: a 9,000-deep ``- - - p`` would exhaust the parser's recursion), the digits
of every integer literal, and its characters.  Non-ASCII characters are refused unless they are
part of a declared name written exactly as declared: Python's parser folds identifiers by NFKC
normalisation, so a fullwidth ``ｐ`` would otherwise silently become ``p``.  After parsing, the
number of operators is bounded; chains of ``+ -`` and ``* /`` are folded iteratively, so only
real nesting counts towards the depth.  Every numeric constant is bounded in magnitude before
sympy evaluates it: with ``D`` the limit ``number_digits``, a constant must satisfy
``10**-D <= |c| <= 10**D`` (or be 0), so ``exp(a)`` needs ``a <= D ln 10`` and ``b**e`` needs
``|e log10|b|| <= D``; this is decided in floating point on the logarithms (:func:`magnitude`),
never by computing the number.  The same bound applies when parameter values are substituted
(:func:`substitute_checked`: ``2**q`` with ``q = 1e6`` is refused, not computed).

The size of an expression once ``[derived]`` names are replaced is estimated without expanding
(:func:`expanded_measure`): the tree size ``|f(a, b)| = 1 + |a| + |b|`` and the polynomial degree
``deg(a + b) = max``, ``deg(a b) = deg a + deg b``, ``deg(a**n) = |n| deg a``, with a derived
name counting as its expression.  Sixty derived squarings have degree ``2**60`` and are refused
at once.
"""

from __future__ import annotations

import ast
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from .. import limits
from ..errors import ExpressionError, GameInputError
from ..errors import ExpressionLimitError as LimitError
from . import bounds
from .bounds import check_decimal_text, expanded_measure, substitute_checked

__all__ = ["parse_expression", "pt_value", "pt_weight", "FUNCTIONS", "MAX_EXPONENT",
           "MAX_LENGTH", "number_to_rational", "check_decimal_text", "expanded_measure",
           "magnitude", "substitute_checked"]

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
#: Default largest absolute value of a numeric exponent (the limit ``exponent``).
MAX_EXPONENT = limits.LIMITS["exponent"].default
#: Default longest expression text (the limit ``expression_chars``).
MAX_LENGTH = limits.LIMITS["expression_chars"].default
#: Default most decimal digits of a number (the limit ``number_digits``).
MAX_DIGITS = limits.LIMITS["number_digits"].default
#: Number of arguments of the perceived-value functions (Contract 4).
_ARITY = {"pt_value": 4, "pt_weight": 2}

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
        _check_int_digits(int(value), where)
        frac = Fraction(int(value))
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ExpressionError(f"{where}: expected a finite number, got {value!r}")
        frac = Fraction(repr(value))
    return sp.Rational(frac.numerator, frac.denominator)


def _scan(text: str, names: Mapping[str, sp.Basic], where: str) -> None:
    """Check the raw text before Python's parser sees it (see the module docstring)."""
    max_chars = limits.get("expression_chars")
    if len(text) > max_chars:
        raise LimitError(f"{where}: an expression of {len(text)} characters is above the limit "
                         f"`expression_chars` = {max_chars}; split it into [derived] names")
    # non-ASCII characters: only inside a declared name written exactly as declared
    i = 0
    while i < len(text):
        c = text[i]
        if c.isascii():
            i += 1
            continue
        j = i
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_" or not text[j - 1].isascii()):
            j -= 1
        k = i
        while k < len(text) and (text[k].isalnum() or text[k] == "_" or not text[k].isascii()):
            k += 1
        word = text[j:k]
        if word not in names or not word.isidentifier():
            name = unicodedata.name(c, "unnamed")
            raise ExpressionError(
                f"{where}: non-ASCII character {c!r} (U+{ord(c):04X} {name}) in {word!r}; "
                f"expressions are ASCII except declared names written exactly as declared "
                f"(Python would silently read it as {unicodedata.normalize('NFKC', word)!r})")
        i = k
    # digits of number literals (not the digits inside a name such as x60)
    max_digits = limits.get("number_digits")
    for m in re.finditer(r"(?<![A-Za-z_0-9])[0-9][0-9_]*", text):
        if len(m.group()) > max_digits:
            raise LimitError(f"{where}: a number of {len(m.group())} digits is above the limit "
                             f"`number_digits` = {max_digits}; write it with an exponent or "
                             f"rescale the units")
    # nesting: parentheses plus runs of unary signs
    max_depth = limits.get("expression_depth")
    depth = run = 0
    prev = ""  # the last character that is not a space
    for c in text:
        if c.isspace():
            continue
        if c == "(":
            depth += 1
            run = 0
        elif c == ")":
            depth -= 1
            run = 0
        elif c in "+-" and prev in ("", "(", ",", "+", "-", "*", "/"):
            run += 1  # a unary sign
        else:
            run = 0
        if depth + run > max_depth:
            raise LimitError(f"{where}: nesting deeper than the limit `expression_depth` = "
                             f"{max_depth} (parentheses and unary signs); simplify the "
                             f"expression or split it into [derived] names")
        prev = c
    # operators and calls, counted on the text (Python's parser recurses along a long chain)
    max_ops = limits.get("expression_operators")
    n_ops = len(re.findall(r"\*\*|[-+*/]|[A-Za-z_]\w*\s*\(", text))
    if n_ops > max_ops:
        raise LimitError(f"{where}: {n_ops} operators and calls is above the limit "
                         f"`expression_operators` = {max_ops}; split it into [derived] names")


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
    _scan(text, names, where)
    if not text.strip():
        raise ExpressionError(f"{where}: empty expression; write a number or a formula")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"{where}: cannot parse {_short(text)!r}: {exc.msg}") from exc
    except (RecursionError, MemoryError, ValueError) as exc:
        raise LimitError(f"{where}: the expression is too deeply nested or too large to parse "
                         f"(limits `expression_depth`, `expression_chars`)") from exc
    max_ops = limits.get("expression_operators")
    n_ops = sum(isinstance(n, ast.BinOp | ast.UnaryOp | ast.Call) for n in ast.walk(tree))
    if n_ops > max_ops:
        raise LimitError(f"{where}: {n_ops} operators and calls is above the limit "
                         f"`expression_operators` = {max_ops}; split it into [derived] names")
    if not text.isascii():  # declared non-ASCII names: map Python's NFKC form back to them
        names = dict(names)
        for name in [n for n in names if not n.isascii() and n in text]:
            folded = unicodedata.normalize("NFKC", name)
            if folded != name and folded in names and names[folded] is not names[name]:
                raise ExpressionError(
                    f"{where}: the names {name!r} and {folded!r} are the same name to Python's "
                    f"parser (NFKC normalisation); rename one of them")
            names[folded] = names[name]
    return _Translator(names, where, text).visit(tree.body, 0)


def magnitude(expr: sp.Basic, values: Mapping | None = None, where: str = "expression"):
    """:func:`gametheory_regen.model.bounds.magnitude`, its LimitError an ExpressionLimitError.

    Parameters
    ----------
    expr : sympy.Basic
    values : mapping, optional
    where : str

    Returns
    -------
    float or None

    Examples
    --------
    >>> round(magnitude(sp.Integer(10)**5), 6)
    5.0
    """
    try:
        return bounds.magnitude(expr, values, where)
    except LimitError:
        raise
    except GameInputError as exc:
        raise LimitError(str(exc)) from exc


def _check_int_digits(n: int, where: str) -> None:
    try:
        bounds._check_int_digits(n, where)
    except GameInputError as exc:
        raise LimitError(str(exc)) from exc


_int_digits = bounds._int_digits


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:60] + "..." + text[-10:]


class _Translator:
    def __init__(self, names: Mapping[str, sp.Basic], where: str, text: str) -> None:
        self.names = names
        self.where = where
        self.text = text

    def fail(self, message: str) -> ExpressionError:
        return ExpressionError(f"{self.where}: {message} in {_short(self.text)!r}")

    def checked(self, result: sp.Expr) -> sp.Expr:
        """Refuse constants that are not finite real numbers or that are huge."""
        if result.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise self.fail("the expression is infinite or undefined (division by zero, log(0)?)")
        if result.is_number:
            magnitude(result, None, f"{self.where}: in {_short(self.text)!r}")
            if result.is_real is False:
                raise self.fail("the expression is not a real number (square root or log of a "
                                "negative number?)")
            if result.is_Rational and max(_int_digits(result.p), _int_digits(result.q)) > \
                    limits.get("number_digits"):
                raise LimitError(f"{self.where}: a number with more than "
                                 f"{limits.get('number_digits')} digits (limit `number_digits`) "
                                 f"in {_short(self.text)!r}")
        return result

    def visit(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > limits.get("expression_depth"):
            raise LimitError(f"{self.where}: nesting deeper than the limit `expression_depth` = "
                             f"{limits.get('expression_depth')}; split it into [derived] names")
        chain = self.chain(node)
        if chain is not None:
            first, rest = chain
            result = self.visit(first, depth + 1)
            for op, operand in rest:
                right = self.visit(operand, depth + 1)
                if isinstance(op, ast.Div) and right == 0:
                    raise self.fail("division by zero")
                result = self.checked(_BINOPS[type(op)](result, right))
            return result
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
                max_exp = limits.get("exponent")
                if right.is_number and (not right.is_real or abs(right) > max_exp):
                    raise LimitError(f"{self.where}: exponent {_short(sp.sstr(right))} is above "
                                     f"the limit `exponent` = {max_exp} in {_short(self.text)!r}")
                if left.is_Pow and left.args[1].is_number and right.is_number and \
                        abs(left.args[1] * right) > max_exp:
                    raise LimitError(f"{self.where}: the combined exponent "
                                     f"{sp.sstr(left.args[1] * right)} is above the limit "
                                     f"`exponent` = {max_exp} in {_short(self.text)!r}")
                if left.is_number and right.is_number:
                    magnitude(sp.Pow(left, right, evaluate=False), None,
                              f"{self.where}: in {_short(self.text)!r}")
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

    @staticmethod
    def chain(node: ast.AST) -> tuple[ast.AST, list] | None:
        """A left-nested chain of ``+ -`` (or of ``* /``) as its first operand and the rest."""
        groups = ((ast.Add, ast.Sub), (ast.Mult, ast.Div))
        if not isinstance(node, ast.BinOp):
            return None
        group = next((g for g in groups if isinstance(node.op, g)), None)
        if group is None:
            return None
        rest = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, group):
            rest.append((node.op, node.right))
            node = node.left
        rest.reverse()
        return node, rest

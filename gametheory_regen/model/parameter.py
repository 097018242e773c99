r"""Parameters: named real symbols with an exact value (or none), a unit and bounds.

A parameter :math:`\theta` is a real sympy symbol whose declared bounds become assumptions:
:math:`\min \theta > 0` makes it positive and :math:`\min \theta = 0` nonnegative, otherwise
:math:`\max \theta < 0` makes it negative and :math:`\max \theta = 0` nonpositive, so that
simplification may use the sign (:func:`make_parameter_symbol`).  Its value is an exact rational
(:mod:`gametheory_regen.model.exact`) within the bounds, or none: the symbol stays free.  A name
is an identifier; a ``latex`` name is a short math-mode fragment, checked so that it cannot read
or write files or redefine anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import sympy as sp

from ..errors import GameInputError, ParameterError
from .exact import _as_rational

__all__ = ["Parameter", "make_parameter_symbol"]


_IDENT_HELP = "letters, digits and underscores, not starting with a digit"


def _check_identifier(name: object, where: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise GameInputError(f"{where}: expected a name ({_IDENT_HELP}), got {name!r}")
    return name


def make_parameter_symbol(name: str, min: object = None, max: object = None) -> sp.Symbol:
    """Return the real sympy symbol for a parameter, with assumptions from its bounds.

    Parameters
    ----------
    name : str
        The parameter's name, also the symbol's name.
    min, max : number, optional
        Declared bounds.  ``min > 0`` makes the symbol positive, ``min == 0`` nonnegative;
        otherwise ``max < 0`` makes it negative and ``max == 0`` nonpositive.

    Returns
    -------
    sympy.Symbol
        A real symbol with those assumptions (two symbols of one name but different assumptions
        are different symbols for sympy).

    Examples
    --------
    >>> make_parameter_symbol("S", min=0).is_nonnegative
    True
    >>> make_parameter_symbol("I").is_real, make_parameter_symbol("I").is_positive
    (True, None)
    >>> make_parameter_symbol("loss", max=0).is_nonpositive
    True
    """
    assumptions: dict[str, bool] = {"real": True}
    if min is not None and min >= 0:
        assumptions["positive" if min > 0 else "nonnegative"] = True
    elif max is not None and max <= 0:
        assumptions["negative" if max < 0 else "nonpositive"] = True
    return sp.Symbol(name, **assumptions)


_LATEX_OK = re.compile(r"^(?:[A-Za-z0-9 _^{}',.+\-]|\\[A-Za-z]+|\\[,;! ])*$")


_LATEX_FORBIDDEN = {"input", "include", "write", "immediate", "openin", "openout", "read",
                    "def", "edef", "gdef", "xdef", "let", "catcode", "newcommand",
                    "renewcommand", "csname", "special", "directlua", "usepackage", "endinput"}


def _check_latex(latex: object, where: str) -> str:
    """A parameter's ``latex`` field: a short math-mode fragment, nothing that can do harm."""
    if latex is None or latex == "":
        return ""
    if not isinstance(latex, str):
        raise GameInputError(f"{where}, latex: expected a string such as \"C_p\", got {latex!r}")
    depth = 0
    for ch in latex:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    bad = [c for c in re.findall(r"\\([A-Za-z]+)", latex) if c in _LATEX_FORBIDDEN]
    if depth != 0 or not _LATEX_OK.match(latex) or bad or len(latex) > 80:
        raise GameInputError(
            f"{where}, latex: {latex!r} is not a plain math-mode name (letters, digits, _ ^ {{ }}, "
            "balanced braces and commands such as \\alpha or \\mathrm; at most 80 characters)")
    return latex


@dataclass(frozen=True)
class Parameter:
    """A named real parameter.

    Attributes
    ----------
    name : str
    symbol : sympy.Symbol
        Real, with assumptions taken from ``min`` / ``max``.
    value : sympy.Rational or None
        Exact value, or None for a free symbol.
    description, unit : str
    min, max : sympy.Rational or None
        Declared bounds (inclusive).
    latex : str
        How papers write the name in LaTeX (``"C_p"``); empty: the default rule of
        :func:`gametheory_regen.presentation.texnames.default_latex`.

    Examples
    --------
    Build parameters with :meth:`make`; a decimal becomes the exact rational that was written:

    >>> S = Parameter.make("S", 1.43, "subsidy per year", "million yuan", min=0)
    >>> S.value, S.min, S.symbol.is_nonnegative
    (143/100, 0, True)
    """

    name: str
    symbol: sp.Symbol
    value: sp.Rational | None = None
    description: str = ""
    unit: str = ""
    min: sp.Rational | None = None
    max: sp.Rational | None = None
    latex: str = ""

    @classmethod
    def make(
        cls,
        name: str,
        value: object = None,
        description: str = "",
        unit: str = "",
        min: object = None,
        max: object = None,
        where: str | None = None,
        latex: str = "",
    ) -> Parameter:
        """Validate and build a parameter; numbers become exact rationals.

        Parameters
        ----------
        name : str
            An identifier (letters, digits and underscores, not starting with a digit).
        value : number or str, optional
            The value; None leaves the parameter free.  Floats become the rational of their
            shortest decimal form (``1.43 -> 143/100``).
        description, unit : str
            Free text shown in reports.
        min, max : number, optional
            Inclusive bounds; they also set the symbol's sign assumptions
            (:func:`make_parameter_symbol`).
        where : str, optional
            How the parameter is named in error messages (default ``parameter 'name'``).
        latex : str, optional
            The name in LaTeX (``"C_p"``): letters, digits, spaces, ``_ ^ { } ' ,`` and
            backslash commands made of letters, with balanced braces; commands that read or
            write files or redefine anything are refused.

        Returns
        -------
        Parameter

        Raises
        ------
        GameInputError
            For a name that is not an identifier.
        ParameterError
            For a value or bound that is not a finite number, ``min > max``, or a value outside
            the bounds.

        Examples
        --------
        >>> Parameter.make("share", "0.25", min=0, max=1).value
        1/4
        >>> Parameter.make("S", -1, min=0)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: parameter 'S': value -1 is below the declared min 0
        """
        where = where or f"parameter {name!r}"
        _check_identifier(name, where)
        lo = None if min is None else _as_rational(min, f"{where}, min")
        hi = None if max is None else _as_rational(max, f"{where}, max")
        if lo is not None and hi is not None and lo > hi:
            raise ParameterError(f"{where}: min {lo} is larger than max {hi}")
        val = None if value is None else _as_rational(value, f"{where}, value")
        latex = _check_latex(latex, where)
        param = cls(name, make_parameter_symbol(name, lo, hi), None, description, unit, lo, hi,
                    latex)
        return param if val is None else param.with_value(val, where)

    def with_value(self, value: object, where: str | None = None) -> Parameter:
        """Return a copy with ``value`` (checked against the bounds).

        Parameters
        ----------
        value : number or str
            The new value, made an exact rational.
        where : str, optional
            How the parameter is named in error messages.

        Returns
        -------
        Parameter
            A new parameter; this one is unchanged.

        Raises
        ------
        ParameterError
            For a value that is not a finite number or lies outside the declared bounds.

        Examples
        --------
        >>> share = Parameter.make("share", min=0, max=1)
        >>> share.with_value(0.5).value, share.value
        (1/2, None)
        >>> share.with_value(2)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: parameter 'share': value 2 is above the declared ...
        """
        where = where or f"parameter {self.name!r}"
        val = _as_rational(value, where)
        if self.min is not None and val < self.min:
            raise ParameterError(
                f"{where}: value {_show(val)} is below the declared min {_show(self.min)}"
            )
        if self.max is not None and val > self.max:
            raise ParameterError(
                f"{where}: value {_show(val)} is above the declared max {_show(self.max)}"
            )
        return replace(self, value=val)


def _show(value: sp.Rational) -> str:
    return str(value) if value.q == 1 else f"{float(value):g}"

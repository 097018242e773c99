"""LaTeX for names, expressions and long exact numbers, as a manuscript prints them.

A parameter is written as the model declares it (the ``latex`` field of a parameter, e.g.
``latex = "C_p"``).  Without one, a name becomes LaTeX by these rules, which never turn a name
into a different mathematical object (sympy would print ``wp`` as the Weierstrass :math:`\\wp`,
``fiscal`` as :math:`\\mathcal{fis}`, and ``Cp`` as the product :math:`C p`):

* a single letter stays itself (italic): ``S`` -> ``S``;
* the name of a Greek letter becomes that letter: ``eta`` -> ``\\eta``, ``Lambda`` -> ``\\Lambda``;
* a letter followed by digits gets them as a subscript: ``x1`` -> ``x_{1}``;
* any other word is one italic identifier, ``\\mathit{fiscal}``, never a product;
* an underscore starts a subscript: ``eta_r`` -> ``\\eta_{r}``, ``trust_level`` ->
  ``\\mathit{trust}_{\\mathrm{level}}`` (a word in a subscript is upright, further underscores
  separate subscripts by commas).

A number is printed exactly when it is short (at most :data:`MAX_EXACT` characters of LaTeX) and
otherwise as a decimal with :data:`DIGITS` significant digits; :func:`tex_number` says which it
did so that a table can state the approximation in a note.
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["DIGITS", "MAX_EXACT", "default_latex", "latex_names", "shorten_numbers", "tex",
           "tex_number"]

#: Significant digits of the decimal approximations printed for long exact values.
DIGITS = 6
#: Longest LaTeX of an exact number printed as it is.
MAX_EXACT = 24

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
}
_WORD = re.compile(r"^([A-Za-z]+)(\d*)$")


def _base(word: str) -> str:
    if word in _GREEK:
        return "\\" + word
    m = _WORD.match(word)
    if m is None:
        return "\\mathrm{" + word.replace("_", "\\_") + "}"
    letters, digits = m.groups()
    if len(letters) == 1:
        core = letters
    elif letters in _GREEK:
        core = "\\" + letters
    else:
        core = "\\mathit{" + letters + "}"
    return core + ("_{" + digits + "}" if digits else "")


def _sub(word: str) -> str:
    if word in _GREEK:
        return "\\" + word
    if len(word) == 1 or word.isdigit():
        return word
    return "\\mathrm{" + word + "}"


def default_latex(name: str) -> str:
    """The LaTeX of a name without a declared ``latex`` field (rules in the module docstring).

    Parameters
    ----------
    name : str
        An identifier.

    Returns
    -------
    str

    Examples
    --------
    >>> [default_latex(n) for n in ("S", "wp", "fiscal", "Cp", "eta_r", "trust_level", "x1")]
    ['S', '\\\\mathit{wp}', '\\\\mathit{fiscal}', '\\\\mathit{Cp}', '\\\\eta_{r}', '\\\\mathit{trust}_{\\\\mathrm{level}}', 'x_{1}']
    """
    head, *subs = [part for part in name.split("_") if part] or [name]
    out = _base(head)
    if subs:
        if out.endswith("}") and "_{" in out:  # x1_a: merge the subscripts
            out = out[:-1] + "," + ",".join(_sub(s) for s in subs) + "}"
        else:
            out += "_{" + ",".join(_sub(s) for s in subs) + "}"
    return out


def latex_names(game) -> dict[sp.Symbol, str]:
    """Symbol -> LaTeX for every parameter, derived name and share variable of ``game``.

    A parameter's declared ``latex`` field wins; every other name follows
    :func:`default_latex`.

    Parameters
    ----------
    game : Game

    Returns
    -------
    dict of sympy.Symbol to str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> names = latex_names(gr.Game.builtin("hawk_dove"))
    >>> sorted(names.values())
    ['C', 'V', 'x', 'y']
    """
    out: dict[sp.Symbol, str] = {}
    for p in game.parameters:
        out[p.symbol] = getattr(p, "latex", "") or default_latex(p.name)
    for name, sym in getattr(game, "derived_symbols", {}).items():
        out.setdefault(sym, default_latex(name))
    for pop in game.populations:
        for share in pop.share_names():
            out.setdefault(sp.Symbol(share), default_latex(share))
    return out


def _all_names(expr: sp.Expr, names: dict) -> dict:
    out = dict(names)
    for s in expr.free_symbols:
        if s not in out:
            key = next((k for k in out if getattr(k, "name", None) == s.name), None)
            out[s] = out[key] if key is not None else default_latex(s.name)
    return out


def tex(expr, names: dict | None = None, digits: int = DIGITS) -> str:
    """LaTeX of an expression with the model's names, long numbers shortened to decimals.

    Rationals with more than 6 digits in numerator or denominator, and radicals of long
    integers, are printed as ``digits``-significant-digit decimals (:func:`tex_number` says when
    a whole value was approximated).

    Parameters
    ----------
    expr : sympy.Expr or relational
    names : dict of Symbol to str, optional
        From :func:`latex_names`.
    digits : int

    Returns
    -------
    str

    Examples
    --------
    >>> wp, fiscal = sp.symbols("wp fiscal")
    >>> tex(wp - fiscal * sp.Rational(123456789, 1000))
    '- 123457.0\\\\,\\\\mathit{fiscal} + \\\\mathit{wp}'
    >>> tex(sp.Symbol("eta_r") / 2)
    '\\\\frac{\\\\eta_{r}}{2}'
    """
    expr, names = shorten_numbers(expr, names, digits)
    out = sp.latex(expr, symbol_names=_all_names(expr, names), mul_symbol="\\,")
    if len(out) > 80:  # a \left( ... \right) group cannot break across lines: plain parentheses
        out = out.replace("\\left(", "(").replace("\\right)", ")")
        # and a long product may break between factors (narrow table columns)
        out = out.replace("\\,", "\\,\\allowbreak ")
    return out


def shorten_numbers(expr, names: dict | None = None,
                    digits: int = DIGITS) -> tuple[sp.Basic, dict]:
    """``expr`` with the numbers a manuscript would not print whole replaced, and the names.

    A rational :math:`p/10^k` (:math:`k \\ge 3`, :math:`|p| < 1000`) becomes :math:`p\\,10^{-k}`
    (a symbol whose LaTeX name is ``10^{-k}``, added to the returned names), not a wide
    fraction; rationals with more than 6 digits in numerator or denominator, and powers of
    integers above :math:`10^6`, become ``digits``-significant-digit decimals.

    Parameters
    ----------
    expr : sympy.Basic or str
    names : dict of Symbol to str, optional
    digits : int

    Returns
    -------
    (sympy.Basic, dict)
        The expression and the names (a copy, with any ``10^{-k}`` symbol added).

    Examples
    --------
    >>> e, names = shorten_numbers(sp.Rational(3, 1000) * sp.Symbol("s") + sp.Rational(1, 3))
    >>> e, names
    (3*0pow10m3*s + 1/3, {0pow10m3: '10^{-3}'})
    >>> shorten_numbers(sp.Rational(2602607192841443, 2100000000000000))[0]
    1.23934
    """
    expr = sp.sympify(expr)
    names = dict(names or {})
    tens = {}
    for a in expr.atoms(sp.Rational):  # p/10^k (k >= 3): 10^{-k} p, not a wide fraction
        q = int(a.q)
        k = len(str(q)) - 1
        if k >= 3 and q == 10**k and abs(a.p) < 1000:
            sym = sp.Symbol(f"0pow10m{k}")
            names[sym] = f"10^{{-{k}}}"
            tens[a] = a.p * sym
    if tens:
        expr = expr.xreplace(tens)
    big = {a: sp.Float(a, digits) for a in expr.atoms(sp.Rational)
           if abs(a.q) > 10**6 or abs(a.p) > 10**6}
    for a in expr.atoms(sp.Pow):
        if a.base.is_Integer and abs(a.base) > 10**6:
            big[a] = sp.Float(a, digits)
    if big:
        expr = expr.xreplace(big)
    return expr, names


def tex_number(value, digits: int = DIGITS) -> tuple[str, bool]:
    """LaTeX of an exact number: itself when short, else a decimal; and whether it was shortened.

    Parameters
    ----------
    value : sympy.Expr or number
        A number (rational, radical, ``CRootOf``, complex) or a float.
    digits : int
        Significant digits of the decimal.

    Returns
    -------
    (str, bool)
        The LaTeX and True when it is an approximation (print a note saying so).

    Examples
    --------
    >>> tex_number(sp.Rational(2, 3))
    ('\\\\frac{2}{3}', False)
    >>> tex_number(sp.Rational(2602607192841443, 2100000000000000))
    ('1.23934', True)
    >>> tex_number(-0.5)
    ('-0.5', False)
    """
    if isinstance(value, (int, float, complex)) and not isinstance(value, bool):
        z = complex(value)
        text = _decimal(z, digits)
        return text, _decimal(z, 17) != text
    value = sp.sympify(value)
    exact = sp.latex(value)
    if len(exact) <= MAX_EXACT:
        return exact, False
    return _decimal(complex(sp.N(value, 30)), digits), True


def _decimal(z: complex, digits: int) -> str:
    def one(v: float) -> str:
        s = f"{v:.{digits}g}"
        if "e" in s:
            mant, exp = s.split("e")
            return f"{mant} \\times 10^{{{int(exp)}}}"
        return s
    if z.imag == 0:
        return one(z.real)
    sign = "+" if z.imag > 0 else "-"
    return f"{one(z.real)} {sign} {one(abs(z.imag))} i"

r"""Word equations (Office Math Markup Language, OMML) from sympy expressions.

An OMML equation is a tree of ``m:`` elements in a Word paragraph: ``m:oMath`` holds runs
``m:r`` of text ``m:t`` and structures, each with its arguments in ``m:e`` (and ``m:num``/``m:den``,
``m:sub``, ``m:sup``, ``m:deg``):

==================  =========================================================================
sympy               OMML
==================  =========================================================================
:math:`a + b - c`   runs ``a``, ``+``, ``b``, ``−``, ``c`` (terms in sympy's printing order)
:math:`a\,b`        the factors side by side, joined by U+2062 INVISIBLE TIMES (so that ``C p``
                    reads as a product and never as the name ``Cp``)
:math:`p/q`         ``m:f`` (fraction: ``m:num``, ``m:den``), also for a negative power
:math:`b^e`         ``m:sSup`` (``m:e``, ``m:sup``); :math:`\sqrt{b}` ``m:rad``
:math:`C_p`         ``m:sSub`` (``m:e``, ``m:sub``), from the parameter's ``latex`` name
:math:`(a + b)`     ``m:d`` (delimiters, round by default, ``|`` for an absolute value)
:math:`f(a)`        ``m:func`` (``m:fName``, ``m:e``); :math:`e^{a}` for ``exp``
:math:`\partial g/\partial y`  ``m:f`` of ``∂g`` over ``∂y``; :math:`dx/dt` for a path
:math:`a = b < c`   runs of the relation between the sides
matrix              ``m:d`` around ``m:m`` (rows ``m:mr`` of cells ``m:e``)
==================  =========================================================================

Names are written as the LaTeX of :func:`~gametheory_regen.presentation.texnames.latex_names`
prints them: a Greek command becomes its letter, ``\mathit{fiscal}`` one italic run,
``\mathrm{level}`` an upright run (``m:sty m:val="p"``), ``_{...}`` a subscript.  Numbers are
shortened as in LaTeX (:func:`~gametheory_regen.presentation.texnames.shorten_numbers`).

:func:`omml_text` reads an equation back as sympy syntax (fraction -> ``(a)/(b)``, power ->
``(a)**(b)``, subscript -> ``a_b``, invisible times -> ``*``), which the tests parse and compare
with the expression that was written.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import sympy as sp

from .texnames import default_latex, shorten_numbers

__all__ = ["M_NS", "omml", "omml_name", "omml_text"]

#: The OMML namespace (prefix ``m``).
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_TIMES = "\u2062"
_MINUS = "\u2212"
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_REL = {"==": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠"}
_TIME = sp.Symbol("t")


def _r(text: str, upright: bool = False) -> str:
    sty = '<m:rPr><m:sty m:val="p"/></m:rPr>' if upright else ""
    return f"<m:r>{sty}<m:t xml:space=\"preserve\">{escape(text)}</m:t></m:r>"


def _e(inner: str, tag: str = "m:e") -> str:
    return f"<{tag}>{inner}</{tag}>"


def _paren(inner: str, left: str = "(", right: str = ")") -> str:
    pr = "" if (left, right) == ("(", ")") else (
        f'<m:dPr><m:begChr m:val="{escape(left)}"/><m:endChr m:val="{escape(right)}"/></m:dPr>')
    return f"<m:d>{pr}{_e(inner)}</m:d>"


def _frac(num: str, den: str) -> str:
    return f"<m:f>{_e(num, 'm:num')}{_e(den, 'm:den')}</m:f>"


def _sup(base: str, exp: str) -> str:
    return f"<m:sSup>{_e(base)}{_e(exp, 'm:sup')}</m:sSup>"


def _sub(base: str, sub: str) -> str:
    return f"<m:sSub>{_e(base)}{_e(sub, 'm:sub')}</m:sSub>"


# ------------------------------------------------------------------------------------ names
_TOKEN = re.compile(r"\\(mathit|mathrm|text|operatorname)\{([^{}]*)\}|\\([A-Za-z]+)|"
                    r"(\d+(?:\.\d+)?)|([A-Za-z])|(\\,|\s+)|([-+,'()*/])")


def _tokens(text: str) -> str:
    """OMML runs of a flat piece of LaTeX (no ``_`` or ``^``)."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # anything else: the character itself
            out.append(_r(text[pos]))
            pos += 1
            continue
        pos = m.end()
        cmd, arg, greek, number, letter, space, punct = m.groups()
        if cmd:
            out.append(_r(arg.replace("\\_", "_"), upright=cmd != "mathit"))
        elif greek:
            out.append(_r(_GREEK.get(greek, greek)))
        elif number or letter:
            out.append(_r(number or letter, upright=bool(number)))
        elif punct:
            out.append(_r(_MINUS if punct == "-" else punct, upright=True))
    return "".join(out)


def _group(text: str, i: int) -> tuple[str, int]:
    """The argument after ``_`` or ``^`` at ``text[i]``: a braced group or one token."""
    if text[i] == "{":
        depth = 0
        for j in range(i, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1:j], j + 1
        return text[i + 1:], len(text)
    m = re.match(r"\\[A-Za-z]+|.", text[i:])
    return m.group(0), i + m.end()


def omml_name(latex: str) -> str:
    """OMML of a name written in LaTeX (``C_{p}``, ``\\eta_{r}``, ``\\mathit{w}_{\\mathrm{a}}``).

    Parameters
    ----------
    latex : str
        A name as :func:`~gametheory_regen.presentation.texnames.latex_names` gives it.

    Returns
    -------
    str
        OMML elements (no ``m:oMath`` around them).

    Examples
    --------
    >>> omml_name("C_{p}")
    '<m:sSub><m:e><m:r><m:t xml:space="preserve">C</m:t></m:r></m:e><m:sub><m:r><m:t \
xml:space="preserve">p</m:t></m:r></m:sub></m:sSub>'
    >>> omml_text(omml(sp.Symbol("eta_r"), {sp.Symbol("eta_r"): "\\\\eta_{r}"}))
    'η_r'
    """
    out, i, base_start = [], 0, 0
    pieces: list[str] = []
    text = latex.strip()
    while i < len(text):
        c = text[i]
        if c in "_^":
            base = _tokens(text[base_start:i]) if i > base_start else (pieces.pop() if pieces
                                                                         else "")
            arg, i = _group(text, i + 1)
            inner = omml_name(arg)
            pieces.append(_sub(base, inner) if c == "_" else _sup(base, inner))
            base_start = i
            continue
        if c == "{":  # a braced group: keep it whole
            _, j = _group(text, i)
            if i > base_start:
                pieces.append(_tokens(text[base_start:i]))
            pieces.append(omml_name(text[i + 1:j - 1]))
            i = base_start = j
            continue
        m = _TOKEN.match(text, i)
        step = m.end() - i if m and m.end() > i else 1
        if i > base_start and not (m and m.group(6)):  # a new token: flush the previous
            pieces.append(_tokens(text[base_start:i]))
            base_start = i
        i += step
    if base_start < len(text):
        pieces.append(_tokens(text[base_start:]))
    out.extend(pieces)
    return "".join(out)


# ------------------------------------------------------------------------------------ printer
class _Printer:
    def __init__(self, names: dict):
        self.names = names

    def name(self, sym) -> str:
        key = sym if sym in self.names else next(
            (k for k in self.names if getattr(k, "name", None) == getattr(sym, "name", sym)),
            None)
        return omml_name(self.names[key] if key is not None else default_latex(str(sym)))

    def __call__(self, e) -> str:  # noqa: C901 - one case per kind of node
        if isinstance(e, (list, tuple)):  # a chain a = b = c
            return _r("=", True).join(self(x) for x in e)
        if isinstance(e, sp.MatrixBase):
            rows = "".join("<m:mr>" + "".join(_e(self(e[i, j])) for j in range(e.cols))
                           + "</m:mr>" for i in range(e.rows))
            return _paren(f"<m:m>{rows}</m:m>")
        if isinstance(e, sp.core.relational.Relational):
            return self(e.lhs) + _r(_REL.get(e.rel_op, e.rel_op), True) + self(e.rhs)
        if isinstance(e, sp.Add):
            return self.add(e)
        if e.is_Number:
            return self.number(e)
        if isinstance(e, sp.Pow) and e.exp.could_extract_minus_sign():
            return _frac(_r("1", True), self(sp.Pow(e.base, -e.exp)))
        if isinstance(e, sp.Mul):
            return self.mul(e)
        if isinstance(e, sp.Pow):
            return self.pow(e)
        if isinstance(e, sp.Symbol):
            return self.name(e)
        if e is sp.I:
            return _r("i")
        if e is sp.E:
            return _r("e")
        if e is sp.pi:
            return _r("π")
        if isinstance(e, sp.Derivative):
            return self.derivative(e)
        if isinstance(e, sp.exp):
            return _sup(_r("e"), self(e.args[0]))
        if isinstance(e, sp.Abs):
            return _paren(self(e.args[0]), "|", "|")
        if isinstance(e, sp.Function) or isinstance(e, (sp.Min, sp.Max)):
            fname = type(e).__name__
            fname = self.name(sp.Symbol(fname)) if isinstance(
                e, sp.core.function.AppliedUndef) else _r(fname, upright=True)
            args = _r(",", True).join(self(a) for a in e.args)
            return f"<m:func><m:fName>{fname}</m:fName>{_e(_paren(args))}</m:func>"
        return _r(sp.sstr(e))

    def number(self, n) -> str:
        if n < 0:
            return _r(_MINUS, True) + self.number(-n)
        if n.is_Rational and n.q != 1:
            return _frac(_r(str(n.p), True), _r(str(n.q), True))
        if n.is_Float:
            return _r(f"{float(n):.6g}", True)
        return _r(str(n), True)

    def add(self, e) -> str:
        out = []
        for k, term in enumerate(e.as_ordered_terms()):
            if term.could_extract_minus_sign():
                out.append(_r(_MINUS, True))
                term = -term
            elif k:
                out.append(_r("+", True))
            out.append(self(term))
        return "".join(out)

    def mul(self, e) -> str:
        if isinstance(e, sp.Mul) and e.args != sp.Mul(*e.args).args:
            factors = list(e.args)  # written unevaluated, x (1 - x) (g): as it stands
        else:
            if e.could_extract_minus_sign() and not (-e).could_extract_minus_sign():
                return _r(_MINUS, True) + self(-e)
            num, den = sp.fraction(e, exact=True)
            if den != 1:
                return _frac(self(num), self(den))
            coeff, rest = e.as_coeff_Mul()
            factors = ([coeff] if coeff != 1 else []) + (
                list(rest.as_ordered_factors()) if isinstance(rest, sp.Mul) else [rest])
        parts = []
        for f in factors:
            text = self(f)
            if isinstance(f, sp.Add) or (f.is_Rational and not f.is_Integer and parts):
                text = _paren(text)
            parts.append(text)
        return _r(_TIMES, True).join(parts)

    def pow(self, e) -> str:
        base, exp = e.as_base_exp()
        if exp == sp.Rational(1, 2):
            hide = '<m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>'
            return f"<m:rad>{hide}{_e(self(base))}</m:rad>"
        b = self(base)
        if isinstance(base, (sp.Add, sp.Mul, sp.Pow)) or (base.is_Number and (
                base < 0 or not base.is_Integer)) or isinstance(base, sp.Derivative):
            b = _paren(b)
        return _sup(b, self(exp))

    def derivative(self, e) -> str:
        f = e.expr
        total = isinstance(f, sp.core.function.AppliedUndef) and f.args == (_TIME,)
        d = _r("d" if total else "∂", True)
        top = self.name(sp.Symbol(type(f).__name__)) if isinstance(
            f, sp.core.function.AppliedUndef) else (_paren(self(f)) if isinstance(f, sp.Add)
                                                    else self(f))
        den = "".join(d + self(v) for v, n in e.variable_count for _ in range(n))
        return _frac(d + top, den)


def omml(expr, names: dict | None = None, *, tail: str = "") -> str:
    r"""An ``m:oMath`` element (as XML text) of a sympy expression, relation, matrix or chain.

    Parameters
    ----------
    expr : sympy.Basic, sympy.Matrix or sequence
        A sequence is a chain ``a = b = c``.  A path's derivative ``Derivative(f(t), t)`` is
        written :math:`df/dt`; any other derivative with :math:`\partial`, an undefined function
        by its name only.
    names : dict of Symbol to str, optional
        LaTeX names (:func:`~gametheory_regen.presentation.texnames.latex_names`).
    tail : str
        Text appended inside the equation (``" = 1.23"``).

    Returns
    -------
    str
        XML with the ``m`` namespace declared, for ``docx.oxml.parse_xml``.

    Examples
    --------
    >>> a, b, C_p = sp.symbols("a b C_p")
    >>> xml = omml(sp.Eq(sp.Symbol("U"), (a + b) / (2 * C_p)), {C_p: "C_{p}"})
    >>> xml.startswith('<m:oMath xmlns:m=') and "<m:f>" in xml and "<m:sSub>" in xml
    True
    >>> omml_text(xml)
    'U=(a+b)/(2*C_p)'
    """
    names = dict(names or {})

    def shorten(e):  # long numbers as in LaTeX, in every part of a chain or matrix
        nonlocal names
        if isinstance(e, (list, tuple)):
            return type(e)(shorten(x) for x in e)
        if isinstance(e, sp.MatrixBase):
            return e.applyfunc(shorten)
        e, names = shorten_numbers(e, names)
        return e

    body = shorten(expr)
    inner = _Printer(names)(body) + (_r(tail, True) if tail else "")
    return f'<m:oMath xmlns:m="{M_NS}">{inner}</m:oMath>'


def omml_text(xml) -> str:
    """Read an OMML equation back as sympy syntax (the inverse of :func:`omml` on structure).

    Parameters
    ----------
    xml : str or lxml element
        An ``m:oMath`` (or any OMML element).

    Returns
    -------
    str
        Fractions as ``(a)/(b)``, powers ``(a)**(b)``, roots ``sqrt(a)``, subscripts ``a_b``,
        delimiters with their characters, functions ``f(a)``, invisible times ``*``, the minus
        sign ``-``; matrices as ``[[a, b], [c, d]]``.

    Examples
    --------
    >>> omml_text(omml(sp.Symbol("x") ** 2 - sp.sqrt(sp.Symbol("y")) / 3))
    'x**(2)-(sqrt(y))/(3)'
    """
    from lxml import etree

    node = etree.fromstring(xml.encode()) if isinstance(xml, str) else xml
    m = f"{{{M_NS}}}"

    def text(el) -> str:
        tag = el.tag.replace(m, "") if isinstance(el.tag, str) else ""
        kids = [k for k in el if not (isinstance(k.tag, str) and k.tag.endswith("Pr"))]
        if tag == "t":
            return (el.text or "").replace(_TIMES, "*").replace(_MINUS, "-")
        if tag == "f":
            return f"({text(kids[0])})/({text(kids[1])})"
        if tag == "sSup":
            return f"{text(kids[0])}**({text(kids[1])})"
        if tag == "sSub":
            return f"{text(kids[0])}_{text(kids[1])}"
        if tag == "rad":
            return f"sqrt({text(kids[-1])})"
        if tag == "d":
            pr = el.find(m + "dPr")
            left = right = None
            if pr is not None:
                beg, end = pr.find(m + "begChr"), pr.find(m + "endChr")
                left = beg.get(m + "val") if beg is not None else None
                right = end.get(m + "val") if end is not None else None
            inner = ", ".join(text(k) for k in kids)
            if len(kids) == 1 and kids[0].find(m + "m") is not None:
                return inner
            if left == "|":
                return f"Abs({inner})"
            return f"{left or '('}{inner}{right or ')'}"
        if tag == "m":
            return "[" + ", ".join(text(row) for row in kids) + "]"
        if tag == "mr":
            return "[" + ", ".join(text(cell) for cell in kids) + "]"
        if tag == "func":
            return text(kids[0]) + text(kids[1])
        return "".join(text(k) for k in kids)

    return text(node)

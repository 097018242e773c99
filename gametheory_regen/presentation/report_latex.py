"""The LaTeX stability tables (``report --format latex``, and the tables of ``paper``).

Two ``longtable`` environments with ``booktabs`` rules that fit the text width and break across
pages: the table of rest points, one row per eigenvalue (:math:`\\lambda_i`, the deviation of the
party it measures, its expression, its sign; point and verdict on the first row of a point), and
the table of the vertices' stability conditions.  Parameter names are written as the model
declares them (:mod:`~gametheory_regen.presentation.texnames`); an exact value longer than
:data:`~gametheory_regen.presentation.texnames.MAX_EXACT` characters is printed as a decimal with
:data:`~gametheory_regen.presentation.texnames.DIGITS` significant digits, and the table's note
says so.  Packages needed: ``booktabs``, ``longtable``, ``array`` (``ctex`` for Chinese).
"""

from __future__ import annotations

from .. import __version__
from .i18n import stability_word
from .report_dynamics import dynamics_line, is_replicator, local_lines
from .texnames import DIGITS, latex_names, tex, tex_number
from .vertex_rows import derived_used, vertex_eigen

__all__ = ["PREAMBLE_PACKAGES", "conditions_table", "derived_paragraph", "render_latex",
           "rest_point_table", "tex_text"]

#: Packages the fragments need (the standalone document loads them).
PREAMBLE_PACKAGES = ("amsmath", "amssymb", "booktabs", "longtable", "array")

_WORDS = {
    "en": {"point": "Point", "lam": "$\\lambda_i$", "dev": "Deviation", "eig": "Eigenvalue",
           "sign": "Sign", "stab": "Stability", "cond": "Condition for stability",
           "caption": "Stability of the rest points of the replicator dynamics",
           "cond_caption": "Conditions for the stability of the pure-strategy rest points",
           "note": "$\\lambda_i$ is the payoff gain of the party that deviates alone to the "
                   "strategy shown; the sign is that of its real part at the parameter values.",
           "approx": "Values written with a decimal point are approximations to {d} significant "
                     "digits of the exact values (in the JSON report).",
           "where": "Derived quantities used in the tables:", "cont": "(continued)",
           "all": "all eigenvalues", "never": "never stable", "always": "always stable"},
    "zh": {"point": "均衡点", "lam": "$\\lambda_i$", "dev": "偏离", "eig": "特征值",
           "sign": "符号", "stab": "稳定性", "cond": "稳定条件",
           "caption": "复制动态方程均衡点的稳定性分析",
           "cond_caption": "纯策略均衡点的稳定条件",
           "note": "$\\lambda_i$ 为该方单独偏离至所示策略的收益增量；符号为其实部在参数取值下的符号。",
           "approx": "带小数点的数值为精确值保留 {d} 位有效数字的近似（精确值见 JSON 报告）。",
           "where": "表中所用派生量：", "cont": "（续）",
           "all": "全部特征值", "never": "不可能稳定", "always": "恒稳定"},
}


def tex_text(text: str) -> str:
    r"""Text with LaTeX's special characters escaped.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> tex_text("stay_out & 50%")
    'stay\\_out \\& 50\\%'
    """
    for a, b in (("\\", "\\textbackslash{}"), ("&", "\\&"), ("%", "\\%"), ("_", "\\_"),
                 ("#", "\\#"), ("$", "\\$"), ("{", "\\{"), ("}", "\\}"), ("~", "\\~{}"),
                 ("^", "\\^{}")):
        text = text.replace(a, b)
    return text


def _state_tex(game, rp, flags: list) -> str:
    parts = []
    for pop, row, frow in zip(game.populations, rp.exact_state or rp.state, rp.state, strict=True):
        vals = list(row) if pop.k > 2 else [row[0]]
        fvals = list(frow) if pop.k > 2 else [frow[0]]
        cells = []
        for v, f in zip(vals, fvals, strict=True):
            text, approx = tex_number(v if rp.exact_state else f)
            flags.append(approx)
            cells.append(text)
        parts.append("/".join(cells))
    return "(" + ", ".join(parts) + ")"


def _caption(analysis, w) -> str:
    if is_replicator(analysis):
        return w["caption"]
    return f"Stability of the rest points of the {tex_text(analysis.dynamics.kind)} dynamics"


def _sign(s: int) -> str:
    return {-1: "$-$", 0: "$0$", 1: "$+$"}[s]


def rest_point_table(analysis, lang: str = "en") -> tuple[str, bool]:
    r"""The table of rest points as a ``longtable``; and whether it printed approximations.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str

    Returns
    -------
    (str, bool)

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> text, approx = rest_point_table(gr.analyze(gr.Game.builtin("battle_of_sexes")))
    >>> [line for line in text.splitlines() if line.startswith("$E_{2}")]
    ['$E_{2}$ $(1, 0)$ & $\\lambda_{1}$ & woman $\\to$ football & $b = 1$ & $+$ & unstable \\\\']
    """
    w = _WORDS[lang]
    game = analysis.game
    names = latex_names(game)
    approx_flags: list[bool] = []
    lines = [
        "\\begingroup\\small\\setlength{\\tabcolsep}{4pt}",
        "\\begin{longtable}{@{}l c >{\\raggedright\\arraybackslash}p{0.17\\linewidth} "
        ">{\\raggedright\\arraybackslash}p{0.36\\linewidth} c l@{}}",
        f"\\caption{{{_caption(analysis, w)} ({tex_text(game.title or game.name)})}}"
        f"\\label{{tab:{game.name}-stability}}\\\\",
        "\\toprule",
        f"{w['point']} & {w['lam']} & {w['dev']} & {w['eig']} & {w['sign']} & {w['stab']} \\\\",
        "\\midrule", "\\endfirsthead",
        f"\\multicolumn{{6}}{{@{{}}l}}{{{w['cont']}}}\\\\", "\\toprule",
        f"{w['point']} & {w['lam']} & {w['dev']} & {w['eig']} & {w['sign']} & {w['stab']} \\\\",
        "\\midrule", "\\endhead", "\\bottomrule", "\\endlastfoot",
    ]
    for i, rp in enumerate(analysis.rest_points, 1):
        point = f"$E_{{{i}}}$ ${_state_tex(game, rp, approx_flags)}$"
        verdict = stability_word(None if rp.stability is None else str(rp.stability),
                                 False, lang, short=True)
        if not rp.differentiable:
            verdict = "not differentiable here"
        dev = vertex_eigen(analysis, rp)
        if dev is not None:
            for k, d in enumerate(dev.deviations):
                expr = tex(dev.expressions[k], names) if k < len(dev.expressions) else "?"
                if k < len(dev.values):
                    val, approx = tex_number(dev.exact[k] if dev.exact else dev.values[k])
                    approx_flags.append(approx)
                    if val != expr:
                        expr += f" = {val}"
                sign = _sign(dev.signs[k]) if dev.signs else "?"
                lines.append(f"{point if k == 0 else ''} & $\\lambda_{{{d.index}}}$ & "
                             f"{tex_text(d.population)} $\\to$ {tex_text(d.strategy)} & "
                             f"${expr}$ & {sign} & {verdict if k == 0 else ''} \\\\")
        else:
            spec = rp.spectrum
            vals = []
            if spec is not None:
                for k, v in enumerate(spec.values):
                    text, approx = tex_number(spec.exact[k] if spec.exact else v)
                    approx_flags.append(approx)
                    vals.append(text)
            signs = spec.signs if spec is not None else ()
            if not vals:
                lines.append(f"{point} & & & ? & ? & {verdict} \\\\")
            for k, val in enumerate(vals):
                lines.append(f"{point if k == 0 else ''} & $\\lambda_{{{k + 1}}}$ & "
                             f"{w['all'] if k == 0 else ''} & ${val}$ & "
                             f"{_sign(signs[k]) if k < len(signs) else '?'} & "
                             f"{verdict if k == 0 else ''} \\\\")
        if i < len(analysis.rest_points):
            lines.append("\\addlinespace[2pt]")
    approx = any(approx_flags)
    note = (w["note"] if is_replicator(analysis) else
            f"$\\lambda_i$: eigenvalues of the Jacobian of the {tex_text(analysis.dynamics.kind)} "
            "dynamics (reduced coordinates).")
    note += " " + w["approx"].format(d=DIGITS) if approx else ""
    lines[lines.index("\\endlastfoot")] = (
        f"\\multicolumn{{6}}{{@{{}}p{{\\linewidth}}@{{}}}}{{\\footnotesize {note}}}\\\\\n"
        "\\endlastfoot")
    lines += ["\\end{longtable}", "\\endgroup"]
    return "\n".join(lines) + "\n", approx


def conditions_table(analysis, lang: str = "en") -> str:
    r"""The vertices' stability conditions as a two-column ``longtable``.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> text = conditions_table(gr.analyze(gr.Game.builtin("hawk_dove")))
    >>> [line for line in text.splitlines() if line.startswith("$E_{1}")]
    ['$E_{1}$ (hawk, hawk) & $C - V < 0$ \\\\']
    """
    w = _WORDS[lang]
    game = analysis.game
    names = latex_names(game)
    lines = [
        "\\begingroup\\small",
        "\\begin{longtable}{@{}l >{\\raggedright\\arraybackslash}p{0.66\\linewidth}@{}}",
        f"\\caption{{{w['cond_caption']}}}\\label{{tab:{game.name}-conditions}}\\\\",
        "\\toprule", f"{w['point']} & {w['cond']} \\\\", "\\midrule", "\\endhead",
        "\\bottomrule", "\\endfoot",
    ]
    for i, rp in enumerate(analysis.rest_points, 1):
        if rp.kind != "vertex" or rp.conditions is None:
            continue
        c = rp.conditions
        label = "(" + ", ".join(tex_text(pop.strategies[s[0]]) for pop, s in
                                zip(game.populations, rp.support, strict=True)) + ")"
        if c.never:
            cond = w["never"]
        elif not c.inequalities:
            cond = w["always"]
        else:
            cond = ", ".join(f"${tex(r, names)}$" for r in c.inequalities)
        lines.append(f"$E_{{{i}}}$ {label} & {cond} \\\\")
    lines += ["\\end{longtable}", "\\endgroup"]
    return "\n".join(lines) + "\n"


def derived_paragraph(analysis, lang: str = "en") -> str:
    r"""A paragraph defining the derived names the tables use (empty when there are none).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> derived_paragraph(gr.analyze(gr.Game.builtin("hawk_dove")))
    ''
    """
    game = analysis.game
    names = latex_names(game)
    shown = []
    for rp in analysis.rest_points:
        shown += list(rp.symbolic_eigenvalues or ())
        if rp.conditions is not None:
            shown += list(rp.conditions.inequalities)
    items = []
    for name, expr, value in derived_used(game, shown):
        sym = game.derived_symbols[name]
        text = f"${tex(sym, names)} = {tex(expr, names)}$"
        if value is not None:
            text += f" ($= {tex_number(value)[0]}$)"
        items.append(text)
    if not items:
        return ""
    return "\\noindent " + _WORDS[lang]["where"] + " " + "; ".join(items) + ".\n"


def render_latex(analysis, lang: str = "en") -> str:
    r"""``report --format latex``: the rest-point table, the conditions table, derived names.

    A fragment to ``\input`` (packages: booktabs, longtable, array; ctex for Chinese).
    Vertex eigenvalues are numbered :math:`\lambda_1, \lambda_2, \dots` party by party, each
    with its deviation and sign on one row, so sign and expression can never disagree.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> tex = render_latex(gr.analyze(gr.Game.builtin("battle_of_sexes")))
    >>> [line for line in tex.splitlines() if line.startswith("$E_{1}")]
    ['$E_{1}$ $(1, 1)$ & $\\lambda_{1}$ & woman $\\to$ football & $- a = -2$ & $-$ & stable \\\\',
     '$E_{1}$ (opera, opera) & $a > 0$, $b > 0$ \\\\']
    """
    game = analysis.game
    head = ("% generated by gametheory_regen " + __version__ + f" from model {game.name}"
            + (f", scenario {game.scenario}" if game.scenario else "")
            + "\n% needs \\usepackage{" + ",".join(PREAMBLE_PACKAGES) + "}"
            + (" and ctex" if lang == "zh" else "") + "\n")
    table, _ = rest_point_table(analysis, lang)
    line = dynamics_line(analysis)
    if line is not None:
        head += f"% {line}\n"
    return head + table + "\n" + conditions_table(analysis, lang) + "\n" + \
        derived_paragraph(analysis, lang) + _caveats(analysis)


def _caveats(analysis) -> str:
    """Faces whose rest points are not proven complete, and notes (kinks), under the tables:
    every format states them."""
    from ..analysis.faces import _face_name

    out = []
    for face, n, why in analysis.incomplete_faces:
        out.append(f"\\par\\footnotesize Face {_text(_face_name(analysis.game, face))}: "
                   f"{n} rest point{'s' if n != 1 else ''} found, not proven complete "
                   f"({_text(why)}).")
    if analysis.unsearched_faces:  # the work count was spent (analysis.facebudget)
        out.extend(f"\\par\\footnotesize {_text(note)}." for note in analysis.notes
                   if "faces not searched" in note)
    for i, rp in enumerate(analysis.rest_points, 1):
        if rp.note:
            out.append(f"\\par\\footnotesize $E_{{{i}}}$: {_text(rp.note)}.")
    for line in local_lines(analysis, lambda rp: ""):
        out.append(f"\\par\\footnotesize $E_{{{line.split(' ', 1)[0][1:]}}}$"
                   f"{_text(line.split(' ', 1)[1])}.")
    return "".join(line + "\n" for line in out)


def _text(text: str) -> str:
    for a, b in (("\\", "\\textbackslash{}"), ("&", "\\&"), ("%", "\\%"), ("_", "\\_"),
                 ("#", "\\#"), ("$", "\\$"), ("{", "\\{"), ("}", "\\}")):
        text = text.replace(a, b)
    return text

"""The analysis section of a paper as plain data (``gametheory-regen paper``).

:func:`build_paper` assembles, from a game and its equilibrium analysis, the section a
three-party evolutionary game paper prints: parameter table, payoff matrix, expected payoffs and
replicator dynamic equations, each party's single-party stability analysis (its advantage
function :math:`g`, where :math:`x = 0` and :math:`x = 1` are stable, and the threshold surface,
:mod:`gametheory_regen.analysis.portraits`), the Jacobian matrix, the table of rest points with
every eigenvalue tied to the deviation it measures, and the figures.  The result is a list of
blocks (headings, paragraphs, equations, tables, figures), each text given twice: with LaTeX
math (for LaTeX and Markdown) and as plain text (for Word).  The renderers
(:mod:`.paper_latex`, :mod:`.paper_markdown`, :mod:`.paper_docx`) only lay blocks out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..analysis.portraits import single_party_analysis
from .i18n import stability_word, tr
from .paper_math import (
    _GENERAL_JACOBIAN,
    _expected_payoffs,
    _general_jacobian,
    _jacobian,
    _one_population_table,
    _pair,
    _text,
    _value_tex,
)
from .texnames import default_latex, latex_names, tex, tex_number
from .vertex_rows import derived_used, eig_values_text, vertex_eigen

__all__ = ["Block", "Paper", "build_paper"]

_T = sp.Symbol("t")  # time, in dx/dt



@dataclass(frozen=True)
class Block:
    """One element of the section.

    Attributes
    ----------
    kind : str
        ``heading``, ``para``, ``equations``, ``table`` or ``figure``.
    tex : str
        Text with LaTeX math (heading text, paragraph, caption).
    plain : str
        The same as plain text.
    rows : tuple
        ``equations``: ``(tex, plain)`` pairs; ``table``: rows of ``(tex, plain)`` cells, the
        first row the header.
    label : str
        Cross-reference label (tables, figures); for a figure the file stem.
    level : int
        Heading level (1 = section).
    math : tuple
        The mathematics of the block as sympy objects, for Word equations
        (:mod:`.omml`): ``equations``, one ``(expr, tail)`` per row (or None: plain text);
        ``table``, ``((row, column), expr, tail)`` for the cells that are an expression;
        ``para``, ``(fragment, expr, tail)``: the fragment of ``plain`` that is the equation.
        ``expr`` is a sympy expression, relation, matrix, or a sequence read as a chain
        ``a = b = c``; ``tail`` is text after it (``" = 1.5"``).

    Examples
    --------
    >>> Block("para", "$x$", "x").kind
    'para'
    """

    kind: str
    tex: str = ""
    plain: str = ""
    rows: tuple = ()
    label: str = ""
    level: int = 1
    math: tuple = ()


@dataclass(frozen=True)
class Paper:
    """The analysis section: blocks and what they were made from.

    Attributes
    ----------
    game : Game
    analysis : EquilibriumAnalysis
    lang : str
    blocks : tuple of Block
    figures : tuple of str
        File stems of the figures the blocks refer to (drawn by :mod:`.paper_figures`).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> paper = build_paper(gr.analyze(gr.Game.builtin("hawk_dove")), "zh")
    >>> [b.tex for b in paper.blocks if b.kind == "heading"][:3]
    ['演化博弈分析', '参数设置', '支付矩阵']
    """

    game: object
    analysis: object
    lang: str
    blocks: tuple
    figures: tuple = field(default=())


def _value_text(p) -> str:
    if p.value is None:
        return "—"
    return f"{float(p.value):.6g}"


def _parameter_table(game, names, lang):
    rows = [((tr("p_symbol", lang),) * 2, (tr("p_meaning", lang),) * 2,
             (tr("p_unit", lang),) * 2, (tr("p_value", lang),) * 2)]
    for p in game.parameters:
        sym = names[p.symbol]
        rows.append((("$" + sym + "$", p.name), (_text(p.description), p.description),
                     (_text(p.unit), p.unit), (_value_text(p),) * 2))
    return rows


def _payoff_table(game, names, lang):
    if game.n_populations == 1:
        return _one_population_table(game, names, lang)
    head = [(tr("p_profile", lang),) * 2] + [(_text(pop.name), pop.name)
                                             for pop in game.populations]
    rows = [tuple(head)]
    for profile in game.profiles():
        label = ", ".join(game.profile_names(profile))
        cells = [(_text(f"({label})"), f"({label})")]
        for v in game.table[profile]:
            t, plain = _pair(sp.sympify(v), names)
            cells.append(("$" + t + "$", plain))
        rows.append(tuple(cells))
    return rows



def _single_party_blocks(game, parties, names, lang):
    blocks = []
    for i, party in enumerate(parties, 1):
        x = names.get(party.variable, str(party.variable))
        g_tex, g_plain = _pair(party.advantage, names)
        text = tr("p_single_intro", lang).format(pop=_text(party.population), x=x,
                                                 g=g_tex).replace("g ", f"g_{{{i}}} ", 1)
        v = party.variable
        plain = (f"{party.population}: F({v}) = {v}(1 - {v}) g{i}, g{i} = {g_plain}.")
        gi = sp.Symbol(f"g_{i}")
        math = ((f"F({v}) = {v}(1 - {v}) g{i}",
                 (sp.Function("F")(v), sp.Mul(v, 1 - v, gi, evaluate=False)), ""),
                (f"g{i} = {g_plain}", sp.Eq(gi, party.advantage, evaluate=False), ""))
        blocks.append(Block("para", text, plain, math=math))
        if party.threshold is not None:
            t = names.get(party.threshold_variable, str(party.threshold_variable))
            thr_tex, thr_plain = _pair(party.threshold, names)
            if len(thr_tex) > 100:  # a wide \frac cannot break: (numerator) / (denominator)
                num, den = sp.fraction(sp.together(party.threshold))
                thr_tex = f"\\bigl({tex(num, names)}\\bigr) \\big/ \\bigl({tex(den, names)}\\bigr)"
            if party.threshold_value is not None:
                val, _ = tex_number(party.threshold_value)
                s1 = tr("p_threshold", lang).format(t=t, expr=thr_tex, value=val)
                s1p = f"{party.threshold_variable}* = {thr_plain} (= {party.threshold_value:.6g})."
            else:
                s1 = tr("p_threshold_sym", lang).format(t=t, expr=thr_tex)
                s1p = f"{party.threshold_variable}* = {thr_plain}."
            if party.slope_sign is not None:
                key = "p_side_up" if party.slope_sign > 0 else "p_side_down"
                s1 += " " + tr(key, lang).format(t=t, x=x)
                s1p += " " + _plain_math(tr(key, lang).format(t=str(party.threshold_variable),
                                                               x=str(party.variable)))
            star = sp.Symbol(f"{party.threshold_variable}*")
            math = ((f"{party.threshold_variable}* = {thr_plain}",
                     sp.Eq(star, party.threshold, evaluate=False), ""),)
            blocks.append(Block("para", s1, s1p, math=math))
            if game.n_populations == 3 and all(pop.k == 2 for pop in game.populations) \
                    and game.is_numeric:
                stem = f"threshold_{party.population}"
                cap = tr("p_fig_surface", lang).format(pop=party.population)
                blocks.append(Block("figure", _text(cap), cap, label=stem))
        else:
            blocks.append(Block("para", tr("p_no_threshold", lang),
                                _plain_math(tr("p_no_threshold", lang))))
    return blocks


def _plain_math(text: str) -> str:
    for tex_, plain in (("$", ""), ("\\,", " "), ("^*", "*"), ("\\dot x", "ẋ"),
                        ("\\dot v", "v̇"), ("\\bar U", "Ū"), ("\\delta", "δ"),
                        ("\\times", "×"), ("_{p(i)}", "_p(i)"), ("_{ij}", "_ij")):
        text = text.replace(tex_, plain)
    return text



def _vertex_rows(analysis, names, lang):
    """Rows of the rest-point table: point, lambda_i, deviation, eigenvalue, sign, verdict."""
    game = analysis.game
    head = ((tr("col_state", lang),) * 2, ("$\\lambda_i$", "λi"), (tr("col_dev", lang),) * 2,
            (tr("col_eig", lang).split(" (")[0],) * 2, (tr("col_signs", lang),) * 2,
            (tr("col_verdict", lang),) * 2, (tr("col_cond", lang),) * 2)
    rows, math = [head], []
    for i, rp in enumerate(analysis.rest_points, 1):
        state = ", ".join(f"{v:.4g}" for pop, shares in zip(game.populations, rp.state,
                                                            strict=True)
                          for v in (shares if pop.k > 2 else shares[:1]))
        point = f"E{i} ({state})"
        verdict = stability_word(None if rp.stability is None else str(rp.stability),
                                 rp.certainly_unstable if rp.stability else False, lang, True)
        cond_tex = cond_plain = ""
        if rp.kind == "vertex" and rp.conditions is not None:
            c = rp.conditions
            if c.never:
                cond_tex = cond_plain = tr("never_short", lang)
            elif not c.inequalities:
                cond_tex = cond_plain = tr("always_short", lang)
            else:
                cond_tex = ", ".join("$" + tex(r, names) + "$" for r in c.inequalities)
                cond_plain = "; ".join(sp.sstr(r) for r in c.inequalities)
        dev = vertex_eigen(analysis, rp)
        values = eig_values_text(analysis, rp, digits=6)
        if dev is not None:
            for k, d in enumerate(dev.deviations):
                e_tex, e_plain = _pair(dev.expressions[k], names)
                val = values[k] if k < len(values) else ""
                sign = {-1: "−", 0: "0", 1: "+"}[dev.signs[k]] if dev.signs else "?"
                math.append(((len(rows), 3), dev.expressions[k],
                             f" = {val}" if val and val != e_plain else ""))
                rows.append(((point if k == 0 else "",) * 2,
                             (f"$\\lambda_{{{d.index}}}$", f"λ{d.index}"),
                             (_text(f"{d.population} → {d.strategy}").replace("→", "$\\to$"),
                              f"{d.population} → {d.strategy}"),
                             (f"${e_tex}$" + (f" $= {val}$" if val and val != e_plain else ""),
                              e_plain + (f" = {val}" if val and val != e_plain else "")),
                             ("$" + ("-" if sign == "−" else sign) + "$", sign),
                             (verdict if k == 0 else "",) * 2,
                             (cond_tex if k == 0 else "", cond_plain if k == 0 else "")))
        else:
            signs = rp.spectrum.signs if rp.spectrum else ()
            for k, val in enumerate(values or ["?"]):
                sign = {-1: "−", 0: "0", 1: "+"}[signs[k]] if k < len(signs) else "?"
                rows.append(((point if k == 0 else "",) * 2,
                             (f"$\\lambda_{{{k + 1}}}$", f"λ{k + 1}"), ("", ""),
                             (f"${_value_tex(val)}$", val),
                             ("$" + ("-" if sign == "−" else sign) + "$", sign),
                             (verdict if k == 0 else "",) * 2, ("", "")))
    return rows, tuple(math)



def build_paper(analysis, lang: str = "en") -> Paper:
    """The analysis section of ``analysis.game`` as blocks (see the module docstring).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
        From :func:`gametheory_regen.analyze`.
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    Paper

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> paper = build_paper(gr.analyze(gr.Game.builtin("battle_of_sexes")))
    >>> [b.label for b in paper.blocks if b.kind == "table"]
    ['parameters', 'payoffs', 'stability']
    >>> paper.figures
    ('paths', 'sensitivity', 'bifurcation')
    """
    game = analysis.game
    names = latex_names(game)
    blocks = [Block("heading", tr("p_title", lang) + (f": {_text(game.title)}" if game.title
                                                         and lang == "en" else ""),
                    tr("p_title", lang), level=1)]
    # parameters
    blocks.append(Block("heading", tr("p_params", lang), tr("p_params", lang), level=2))
    intro = tr("p_params_intro", lang)
    blocks.append(Block("para", intro.format(t="\\ref{tab:parameters}"), intro.format(t="1")))
    blocks.append(Block("table", tr("p_params", lang), tr("p_params", lang),
                        tuple(_parameter_table(game, names, lang)), label="parameters"))
    # payoffs
    blocks.append(Block("heading", tr("p_payoff", lang), tr("p_payoff", lang), level=2))
    pops = ", ".join(pop.name for pop in game.populations)
    intro = tr("p_payoff_intro", lang)
    blocks.append(Block("para", intro.format(t="\\ref{tab:payoffs}", pops=_text(pops)),
                        intro.format(t="2", pops=pops)))
    blocks.append(Block("table", tr("p_payoff", lang), tr("p_payoff", lang),
                        tuple(_payoff_table(game, names, lang)), label="payoffs"))
    # expected payoffs and replicator equations
    blocks.append(Block("heading", tr("p_expected", lang), tr("p_expected", lang), level=2))
    defs_tex, defs_plain = [], []
    for pop in game.populations:
        for sym_name, strat in zip(pop.share_names(), pop.strategies, strict=False):
            sym = sp.Symbol(sym_name)
            defs_tex.append(tr("p_share_def", lang).format(
                sym=f"${names.get(sym, sym_name)}$", pop=_text(pop.name), strat=_text(strat)))
            defs_plain.append(tr("p_share_def", lang).format(sym=sym_name, pop=pop.name,
                                                             strat=strat))
    sep = "；" if lang == "zh" else "; "
    intro = tr("p_expected_intro", lang)
    blocks.append(Block("para", intro.format(shares=sep.join(defs_tex)),
                        intro.format(shares=sep.join(defs_plain))))
    expected, expected_math = _expected_payoffs(game, names)
    blocks.append(Block("equations", rows=tuple(expected), math=expected_math))
    parties = single_party_analysis(game)
    blocks.append(Block("para", tr("p_replicator_intro", lang), tr("p_replicator_intro", lang)))
    eqs, eqs_math = [], []
    if parties and len(parties) == game.n_populations:
        for party in parties:
            v = names.get(party.variable, str(party.variable))
            g_tex, g_plain = _pair(party.advantage, names)
            eqs.append((f"F({v}) = \\frac{{d{v}}}{{dt}} = {v}(1 - {v})\\bigl({g_tex}\\bigr)",
                        f"F({party.variable}) = d{party.variable}/dt = {party.variable}(1 - "
                        f"{party.variable})({g_plain})"))
            x = party.variable
            eqs_math.append(((sp.Function("F")(x), sp.Derivative(sp.Function(x.name)(_T), _T),
                              sp.Mul(x, 1 - x, party.advantage, evaluate=False)), ""))
    else:
        from .report import replicator_strings

        for k, rhs in replicator_strings(analysis.system).items():
            rhs = sp.sympify(rhs)
            kt = names.get(sp.Symbol(k), default_latex(k))
            eqs.append((f"\\frac{{d{kt}}}{{dt}} = {tex(rhs, names)}", f"d{k}/dt = {rhs}"))
            eqs_math.append(((sp.Derivative(sp.Function(k)(_T), _T), rhs), ""))
    blocks.append(Block("equations", rows=tuple(eqs), math=tuple(eqs_math)))
    # single-party analysis: two-strategy parties; what is printed instead for larger ones
    larger = [pop for pop in game.populations if pop.k > 2]
    if parties or larger:
        blocks.append(Block("heading", tr("p_single", lang), tr("p_single", lang), level=2))
        blocks += _single_party_blocks(game, parties, names, lang)
        for pop in larger:
            text = tr("p_single_k", lang).format(pop=_text(pop.name), k=pop.k,
                                                 strats=_text(", ".join(pop.strategies)))
            plain = tr("p_single_k", lang).format(pop=pop.name, k=pop.k,
                                                  strats=", ".join(pop.strategies))
            blocks.append(Block("para", text, _plain_math(plain)))
        if tuple(game.shape) != (2, 2, 2) and any(p.threshold is not None for p in parties):
            shape = " × ".join(str(k) for k in game.shape)
            note = tr("p_no_surface", lang).format(shape=shape)
            blocks.append(Block("para", note, note))
    # Jacobian and the rest points
    blocks.append(Block("heading", tr("p_equilibria", lang), tr("p_equilibria", lang), level=2))
    jac = _jacobian(game, parties, names)
    if jac is not None:
        blocks.append(Block("para", tr("p_jacobian_intro", lang), tr("p_jacobian_intro", lang)))
        blocks.append(Block("equations", rows=(jac[0],), math=(jac[1],)))
        blocks.append(Block("para", tr("p_jacobian_where", lang),
                            _plain_math(tr("p_jacobian_where", lang))))
    else:  # the general form, for populations of any size
        d = sum(pop.k - 1 for pop in game.populations)
        intro = tr("p_jacobian_general", lang).format(d=d)
        blocks.append(Block("para", intro, _plain_math(intro)))
        blocks.append(Block("equations", rows=(_GENERAL_JACOBIAN,), math=(_general_jacobian(),)))
        where = tr("p_jacobian_general_where", lang).format()
        blocks.append(Block("para", where, _plain_math(where)))
    intro = tr("p_equilibria_intro", lang)
    blocks.append(Block("para", intro.format(t="\\ref{tab:stability}"), intro.format(t="3")))
    vertex_rows, vertex_math = _vertex_rows(analysis, names, lang)
    blocks.append(Block("table", tr("p_equilibria", lang), tr("p_equilibria", lang),
                        tuple(vertex_rows), label="stability", math=vertex_math))
    note = tr("p_table_note", lang)
    blocks.append(Block("para", "{\\footnotesize " + note + "}", _plain_math(note)))
    stable = [f"E{i}" for i, rp in enumerate(analysis.rest_points, 1)
              if str(rp.stability) == "stable" and rp.kind == "vertex"]
    listed = ", ".join(stable) or tr("none", lang)
    blocks.append(Block("para", tr("p_ess_found", lang).format(list=listed),
                        tr("p_ess_found", lang).format(list=listed)))
    shown = [e for rp in analysis.rest_points for e in (rp.symbolic_eigenvalues or ())]
    shown += [r for rp in analysis.rest_points if rp.conditions for r in rp.conditions.inequalities]
    shown += [p.advantage for p in parties]
    derived = derived_used(game, shown)
    if derived:
        blocks.append(Block("para", tr("p_derived", lang) + ":", tr("p_derived", lang) + ":"))
        rows, rows_math = [], []
        for name, expr, value in derived:
            sym = game.derived_symbols[name]
            t, plain = _pair(expr, names)
            val = f" = {tex_number(value)[0]}" if value is not None else ""
            rows.append((f"{tex(sym, names)} = {t}{val}",
                         f"{name} = {plain}" + (f" = {value:.6g}" if value is not None else "")))
            rows_math.append((sp.Eq(sym, expr, evaluate=False),
                              f" = {value:.6g}" if value is not None else ""))
        blocks.append(Block("equations", rows=tuple(rows), math=tuple(rows_math)))
    figures = [b.label for b in blocks if b.kind == "figure"]
    if game.is_numeric:
        blocks.append(Block("heading", tr("p_figures", lang), tr("p_figures", lang), level=2))
        cap = tr("p_fig_paths", lang)
        blocks.append(Block("figure", cap, cap, label="paths"))
        figures.append("paths")
        sens = _sensitivity_parameters(analysis)
        if sens:
            cap = tr("p_fig_sens", lang)
            blocks.append(Block("figure", cap, cap, label="sensitivity"))
            figures.append("sensitivity")
            cap = tr("p_fig_bif", lang).format(p=bifurcation_parameter(analysis))
            blocks.append(Block("figure", _text(cap), cap, label="bifurcation"))
            figures.append("bifurcation")
    return Paper(game, analysis, lang, tuple(blocks), tuple(figures))


def bifurcation_parameter(analysis) -> str:
    """The parameter of the bifurcation figure: the first parameter of the stable outcomes'
    conditions along which the set of stable outcomes changes in its default range.

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> bifurcation_parameter(gr.analyze(gr.Game.builtin("hawk_dove")))
    'V'
    """
    from ..analysis.portraits import bifurcation_data

    names = _sensitivity_parameters(analysis, limit=None)
    for name in names:
        d = bifurcation_data(analysis.game, name, n=101, thresholds=False)
        if (d["stable"].any(axis=1) & ~d["stable"].all(axis=1)).any():
            return name
    return names[0]


def _sensitivity_parameters(analysis, limit: int | None = 3) -> list[str]:
    """Parameters in the stable vertices' conditions with a non-zero value (at most ``limit``)."""
    game = analysis.game
    if not (all(pop.k == 2 for pop in game.populations) and game.n_populations >= 2):
        return []
    used = set()
    for rp in analysis.rest_points:
        if str(rp.stability) == "stable" and rp.conditions is not None:
            for r in rp.conditions.inequalities:
                used |= {s.name for s in r.free_symbols}
    names = [p.name for p in game.parameters if p.name in used and p.value not in (None, 0)]
    return names[:limit] if limit else names

"""Presentation for manuscripts: eigenvalues tied to deviations, LaTeX tables, the paper verb.

Sources of the expected values:
* the eigenvalues of a vertex of the multi-population replicator dynamics are the payoff gains
  of the unilateral deviations, u_p(j, s_-p) - u_p(s) (Hofbauer & Sigmund 1998, sec. 10.3); the
  tests compute these gains straight from the payoff table, independently of the analysis;
* issue 13: the LaTeX row ``$Cr + S, Cg - P - S, Cs$ & (-, +, +)`` with Cr + S = 3.5 > 0 (the
  signs column was sorted by value while the expressions were in population order).
"""

from __future__ import annotations

import json
import textwrap

import pytest
import sympy as sp

import gametheory_regen as gr
from gametheory_regen.presentation import report
from gametheory_regen.presentation.report_latex import render_latex
from gametheory_regen.presentation.texnames import default_latex, tex, tex_number

ISSUE_MODEL = textwrap.dedent("""
    name = "issue13_signs"
    [[populations]]
    name = "government"
    strategies = ["regulate", "lax"]
    [[populations]]
    name = "operator"
    strategies = ["comply", "shirk"]
    [[populations]]
    name = "residents"
    strategies = ["supervise", "ignore"]
    [parameters]
    Cr = 2
    S = 1.5
    Cg = 1
    P = 3
    Cs = 0.5
    [[payoffs]]
    profile = ["lax", "comply", "supervise"]
    values = ["Cr + S", "0", "0"]
    [[payoffs]]
    profile = ["regulate", "shirk", "supervise"]
    values = ["0", "Cg - P - S", "0"]
    [[payoffs]]
    profile = ["regulate", "comply", "ignore"]
    values = ["0", "0", "Cs"]
""")


@pytest.fixture(scope="module")
def issue_game(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "issue13.toml"
    path.write_text(ISSUE_MODEL)
    return gr.Game.from_file(path)


def _gains_from_table(game, profile):
    """Independent of the Jacobian: u_p(j, s_-p) - u_p(s) from the numeric payoff tensors."""
    out = []
    tensors = game.payoff_tensors(numeric=True)
    for p, pop in enumerate(game.populations):
        here = tensors[p][profile]
        for j in range(pop.k):
            if j == profile[p]:
                continue
            dev = list(profile)
            dev[p] = j
            there = tensors[p][tuple(dev)]
            out.append((pop.name, pop.strategies[j], float(sp.N(there - here))))
    return out


def test_issue_signs_column_matches_expressions_latex(issue_game):
    """Issue 13 regression: at (regulate, comply, supervise) the gains are Cr + S = 3.5,
    Cg - P - S = -3.5, Cs = 0.5: the signs read (+, -, +) in that order, not sorted (-, +, +)."""
    res = gr.analyze(issue_game)
    tex_out = render_latex(res)
    rows = [line for line in tex_out.splitlines() if "$\\lambda_{" in line][:3]
    assert "\\mathit{Cr} + S = \\frac{7}{2}" in rows[0] and rows[0].count("$+$") == 1
    assert "\\mathit{Cg} - P - S" in rows[1] and "$-$" in rows[1]
    assert "\\mathit{Cs} = \\frac{1}{2}" in rows[2] and "$+$" in rows[2]
    text = report.render_text(res)
    e1 = next(line for line in text.splitlines() if line.strip().startswith("E1 "))
    assert "7/2, -7/2, 1/2" in e1 and "(+, -, +)" in e1


def test_issue_json_eigenvalues_are_gains_of_deviations(issue_game):
    res = gr.analyze(issue_game)
    data = json.loads(report.render_json(res))
    first = data["rest_points"][0]
    assert first["deviations"] == [
        {"population": "government", "strategy": "lax"},
        {"population": "operator", "strategy": "shirk"},
        {"population": "residents", "strategy": "ignore"}]
    assert [re for re, _ in first["eigenvalues"]] == [3.5, -3.5, 0.5]
    assert first["eigenvalue_expressions"] == ["Cr + S", "Cg - P - S", "Cs"]


@pytest.mark.parametrize("name", ["hawk_dove", "battle_of_sexes", "matching_pennies",
                                  "rock_paper_scissors", "jordan_matching_pennies",
                                  "regeneration"])
def test_every_vertex_eigenvalue_is_the_gain_of_its_deviation(name):
    """For every built-in model and vertex, eigenvalues[i] (JSON) equals the payoff gain of
    deviations[i] computed from the payoff table (Hofbauer & Sigmund 1998, sec. 10.3), and the
    multiset of eigenvalues is unchanged (only the order is)."""
    game = gr.Game.builtin(name)
    res = gr.analyze(game)
    data = report.report_data(res)
    vertices = [p for p in data["rest_points"] if p["kind"] == "vertex"]
    for rp, entry in zip(res.rest_points, vertices, strict=False):
        profile = tuple(s[0] for s in rp.support)
        expected = _gains_from_table(game, profile)
        assert [(d["population"], d["strategy"]) for d in entry["deviations"]] == \
            [(p, s) for p, s, _ in expected]
        for (re, im), (_, _, gain) in zip(entry["eigenvalues"], expected, strict=True):
            assert im == 0 and re == pytest.approx(gain, rel=1e-12, abs=1e-12)
        assert sorted(re for re, _ in entry["eigenvalues"]) == pytest.approx(
            sorted(v.real for v in rp.spectrum.values), rel=1e-12, abs=1e-12)


def test_symbolic_report_keeps_deviations_parallel_to_expressions():
    """With free parameters the eigenvalues are expressions: deviations parallel to them."""
    res = gr.analyze(gr.Game.builtin("hawk_dove"), symbolic=True)
    data = report.report_data(res)
    for entry in data["rest_points"]:
        if entry["kind"] == "vertex":
            assert len(entry["deviations"]) == len(entry["eigenvalue_expressions"]) == 2


def test_report_defines_derived_names_it_uses():
    """Issue 13: the regeneration report uses aT, ak and trust_level; it must define them."""
    res = gr.analyze(gr.Game.builtin("regeneration"))
    text = report.render_text(res)
    tail = text[text.index("Derived quantities used above"):]
    for name in ("aT", "ak", "trust_level"):
        assert f"  {name} = " in tail
    latex = render_latex(res)
    assert "\\mathit{aT} = " in latex and "\\mathit{trust}_{\\mathrm{level}} = " in latex
    assert report.report_data(res)["derived"]["aT"] == "(1 - 1/(rho + 1)**T)/rho"


@pytest.mark.parametrize("name, expected", [
    ("wp", "\\mathit{wp}"), ("fiscal", "\\mathit{fiscal}"), ("Cp", "\\mathit{Cp}"),
    ("S", "S"), ("eta_r", "\\eta_{r}"), ("trust_level", "\\mathit{trust}_{\\mathrm{level}}"),
    ("x1", "x_{1}"), ("Lambda", "\\Lambda"), ("c_l", "c_{l}"),
], ids=lambda v: str(v))
def test_default_latex_names(name, expected):
    """Issue 13: never \\wp, \\mathcal{fis} or an italic product of a multi-letter name."""
    assert default_latex(name) == expected


def test_latex_field_is_used_and_long_values_are_shortened(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(ISSUE_MODEL.replace("Cr = 2", 'Cr = { value = 2, latex = "C_r" }'))
    res = gr.analyze(gr.Game.from_file(path))
    assert "C_r + S" in render_latex(res)
    assert tex(sp.Symbol("wp") + sp.Symbol("fiscal")) == "\\mathit{fiscal} + \\mathit{wp}"
    text, approx = tex_number(sp.Rational(98290018576013207775709648457171466439247247,
                                          166960432643787981518087354104775131918643750))
    assert approx and text == "0.588702"


def test_regeneration_latex_has_no_long_fractions_and_states_the_approximation():
    """Issue 13: rows carried 45-digit fractions and square roots of 160-digit integers."""
    latex = render_latex(gr.analyze(gr.Game.builtin("regeneration")))
    import re
    assert not re.search(r"\d{12,}", latex)
    assert "approximations to 6 significant digits" in latex
    assert "\\wp" not in latex and "\\mathcal" not in latex
    assert "\\toprule" in latex and "p{0.36\\linewidth}" in latex


def test_latex_field_rejects_commands_that_touch_files():
    from gametheory_regen.errors import GameInputError
    from gametheory_regen.model.game import Parameter
    with pytest.raises(GameInputError, match="latex"):
        Parameter.make("a", 1, latex="\\input{/etc/passwd}")
    with pytest.raises(GameInputError, match="latex"):
        Parameter.make("a", 1, latex="C_{p")
    assert Parameter.make("a", 1, latex="\\eta_{r}").latex == "\\eta_{r}"


# ------------------------------------------------------------------------- the paper verb
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import warnings  # noqa: E402

from gametheory_regen.presentation import paper_output  # noqa: E402
from gametheory_regen.presentation.cli import main  # noqa: E402

FAST = {"t_end": 10.0, "dpi": 40, "n_points": 101}


@pytest.fixture(scope="module")
def regen_analysis():
    return gr.analyze(gr.Game.builtin("regeneration"))


def _latex_structure_ok(text: str) -> None:
    """Fallback when no TeX engine: parse with pylatexenc and check the environments pair up."""
    from pylatexenc.latexwalker import LatexEnvironmentNode, LatexWalker

    nodes, _, _ = LatexWalker(text, tolerant_parsing=False).get_latex_nodes()
    envs = []

    def walk(ns):
        for n in ns or []:
            if isinstance(n, LatexEnvironmentNode):
                envs.append(n.environmentname)
            for attr in ("nodelist",):
                walk(getattr(n, attr, None))
    walk(nodes)
    assert text.count("\\begin{") == text.count("\\end{")
    return envs


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_latex_paper_compiles(lang, regen_analysis, tmp_path):
    """The standalone document compiles with xelatex (ctex for Chinese) when xelatex is
    installed (.ci/run installs texlive-xetex texlive-lang-chinese); otherwise the fragment and
    the document are parsed with pylatexenc and their environments checked (said in the
    test's output)."""
    out = tmp_path / lang
    paper_output.write_paper(regen_analysis, str(out), lang, "latex", **FAST)
    fragment = (out / "analysis.tex").read_text()
    doc = (out / "paper.tex").read_text()
    envs = _latex_structure_ok(fragment)
    assert envs.count("longtable") == 3 and "figure" in envs
    _latex_structure_ok(doc)
    assert ("ctexart" in doc) == (lang == "zh")
    if shutil.which("xelatex") is None:
        print("xelatex not installed: structural check with pylatexenc only")
        return
    run = subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
                         cwd=out, capture_output=True, text=True, timeout=600)
    log = (out / "paper.log").read_text(errors="replace")
    assert run.returncode == 0, log[-2000:]
    assert (out / "paper.pdf").stat().st_size > 10_000
    assert "Missing character" not in log          # every glyph (CJK included) has a font
    import re
    overfull = [float(v) for v in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide", log)]
    assert max(overfull, default=0.0) < 30.0, overfull  # the tables fit the page


@pytest.fixture(scope="module")
def regen_docx(regen_analysis, tmp_path_factory):
    """The English docx paper of the regeneration model, written once for the docx tests."""
    out = tmp_path_factory.mktemp("docx")
    paper_output.write_paper(regen_analysis, str(out), "en", "docx", **FAST)
    return out


def test_docx_tables_match_the_json_report(regen_analysis, regen_docx):
    """Reopen the .docx with python-docx: its parameter table has every parameter with the
    report's value, and its stability table has one row per eigenvalue whose sign is the
    sign of the JSON eigenvalue of the same deviation."""
    import docx

    out = regen_docx
    document = docx.Document(str(out / "analysis.docx"))
    data = report.report_data(regen_analysis)
    params, payoffs, stability = document.tables
    rows = [[c.text for c in r.cells] for r in params.rows][1:]
    assert [r[0] for r in rows] == list(data["parameters"])
    for r in rows:
        assert float(r[3]) == pytest.approx(data["parameters"][r[0]], rel=1e-5)
    assert len(payoffs.rows) == 1 + 8
    srows = [[c.text for c in r.cells] for r in stability.rows][1:]
    vertex_rows = [r for r in srows if r[2]]          # rows with a deviation
    expected = []
    for p in data["rest_points"]:
        if p["kind"] == "vertex":
            for (re_, _), d in zip(p["eigenvalues"], p["deviations"], strict=True):
                expected.append((f"{d['population']} → {d['strategy']}",
                                 "+" if re_ > 0 else ("−" if re_ < 0 else "0")))
    assert [(r[2], r[4]) for r in vertex_rows] == expected
    assert len(document.inline_shapes) == len([f for f in os.listdir(out) if f.endswith(".png")])


def test_markdown_paper_and_manifest(tmp_path):
    """The manifest lists every file with its hash and the exact regenerating command."""
    import hashlib

    out = tmp_path / "md"
    status = main(["paper", "hawk_dove", "--lang", "zh", "--format", "markdown", "--output",
                   str(out), "--t-end", "5", "--dpi", "40"])
    assert status == 0
    man = json.loads((out / "manifest.json").read_text())
    assert man["command"] == (f"gametheory-regen paper hawk_dove --lang zh --format markdown "
                              f"--output {out} --t-end 5 --dpi 40")
    listed = {f["path"] for f in man["files"]}
    assert listed == {p.name for p in out.iterdir()} - {"manifest.json"}
    for f in man["files"]:
        assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    md = (out / "analysis.md").read_text()
    for word in ("复制动态方程", "雅可比矩阵", "演化稳定策略", "鞍点"):
        assert word in md


def test_paper_bad_input_is_one_line(tmp_path, capsys):
    status = main(["paper", "hawk_dove", "--output", str(tmp_path / "x"), "--t-end", "-1"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "--t-end" in err
    assert not (tmp_path / "x").exists()


def test_paper_figures_have_every_glyph(regen_analysis):
    """Chinese labels draw with the Noto Sans CJK font shipped by the mplfonts dependency:
    matplotlib's "Glyph ... missing from font" warning must not occur."""
    from gametheory_regen.presentation import figures

    assert figures.cjk_font() is not None
    game = gr.Game.from_table("囚徒困境", [("甲方", ["合作", "背叛"]), ("乙方", ["合作", "背叛"])],
                              {("合作", "合作"): (3, 3), ("背叛", "背叛"): (1, 1),
                               ("合作", "背叛"): (0, 5), ("背叛", "合作"): (5, 0)})
    from gametheory_regen.analysis.portraits import evolution_paths
    from gametheory_regen.presentation.paper_figures import plot_paths
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plot_paths(evolution_paths(game, [(0.5, 0.5)], 3.0, 31), game, "zh")
        figures.figure_bytes(fig, "png", dpi=40)
        figures.figure_bytes(fig, "pdf")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing
    figures.plt.close(fig)


@pytest.mark.parametrize("name", ["rock_paper_scissors", "matching_pennies",
                                  "jordan_matching_pennies"])
@pytest.mark.parametrize("fmt", ["latex", "markdown", "docx"])
def test_paper_for_other_game_shapes(name, fmt, tmp_path):
    """Three-strategy populations, centres and three-player games: every format is written."""
    man = paper_output.write_paper(gr.analyze(gr.Game.builtin(name)), str(tmp_path), "en", fmt,
                                   **FAST)
    assert {f["path"] for f in man["files"]} >= {
        {"latex": "analysis.tex", "markdown": "analysis.md", "docx": "analysis.docx"}[fmt],
        "paths." + ("pdf" if fmt == "latex" else "png")}


def test_paper_with_free_parameters_has_no_figures(tmp_path):
    """With a free parameter the section is symbolic; there is nothing to simulate."""
    path = tmp_path / "free.toml"
    path.write_text(ISSUE_MODEL.replace("Cr = 2", 'Cr = { description = "cost" }'))
    man = paper_output.write_paper(gr.analyze(gr.Game.from_file(path)), str(tmp_path / "out"),
                                   "zh", "latex", **FAST)
    assert [f["path"] for f in man["files"]] == ["analysis.tex", "paper.tex"]
    _latex_structure_ok((tmp_path / "out" / "analysis.tex").read_text())


# ------------------------------------------------------------------ Word equations (OMML)
def _omml_reader(game):
    """Parse what :func:`omml_text` reads back into sympy, with the game's symbols: each
    symbol's own OMML, read back, is the key of that symbol (so ``C_p`` written as a subscript
    maps back to the symbol ``Cp`` whose LaTeX name is ``C_{p}``)."""
    import re

    from gametheory_regen.presentation.omml import omml, omml_text
    from gametheory_regen.presentation.texnames import latex_names

    names = latex_names(game)
    keys = {omml_text(omml(s, names)): s for s in names}

    ordered = sorted(keys, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    local = {f"_k{n}": keys[key] for n, key in enumerate(ordered)} | {"e": sp.E, "i": sp.I}

    def parse(text: str):
        text = pattern.sub(lambda m: f"_k{ordered.index(m.group(1))}", text)
        return sp.sympify(text, locals=local)

    return parse


def _values(game, expr):
    """``expr`` at the game's parameter values (derived names through their definitions)."""
    from gametheory_regen.presentation.vertex_rows import derived_used

    subs = {p.symbol: p.value for p in game.parameters if p.value is not None}
    subs.update({game.derived_symbols[n]: v for n, _, v in derived_used(game, [expr])
                 if v is not None})
    return complex(sp.N(expr.xreplace(subs)))


@pytest.mark.parametrize("model", ["hawk_dove", "rock_paper_scissors", "regeneration"])
def test_omml_reads_back_to_the_same_expression(model):
    """Every expected payoff and every vertex eigenvalue written as OMML reads back (fractions,
    powers, subscripts, parentheses) to an expression equal to the one written: the
    difference simplifies to zero (numbers shortened as in LaTeX compared after shortening)."""
    from gametheory_regen.presentation.omml import omml, omml_text
    from gametheory_regen.presentation.paper import build_paper
    from gametheory_regen.presentation.texnames import latex_names, shorten_numbers

    game = gr.Game.builtin(model)
    paper = build_paper(gr.analyze(game))
    names = latex_names(game)
    parse = _omml_reader(game)
    exprs = [m[0].rhs for b in paper.blocks if b.kind == "equations" for m in b.math
             if isinstance(m[0], sp.Eq)]
    exprs += [expr for b in paper.blocks if b.kind == "table" for _, expr, _ in b.math]
    exprs += [m[1].rhs for b in paper.blocks if b.kind == "para" for m in b.math
              if isinstance(m[1], sp.Eq)]          # each party's g and threshold
    assert len(exprs) >= game.n_populations * 2
    for expr in exprs:
        written, _ = shorten_numbers(expr, names)
        written = written.xreplace({s: sp.Integer(10) ** -int(s.name[len("0pow10m"):])
                                    for s in written.free_symbols
                                    if s.name.startswith("0pow10m")})  # p 10^{-k}
        back = parse(omml_text(omml(expr, names)))
        assert sp.simplify(back - written) == 0, (expr, omml_text(omml(expr, names)))


def test_docx_equations_are_word_equations_matching_the_json_report(regen_analysis, regen_docx):
    """Reopen the .docx: the expected payoffs, replicator equations, the Jacobian and every
    eigenvalue of the stability table are m:oMath elements; each eigenvalue, read back from
    its OMML and evaluated at the parameter values, equals the JSON report's eigenvalue of the
    same deviation (Hofbauer & Sigmund 1998, sec. 10.3: the payoff gain of the deviation)."""
    import docx

    from gametheory_regen.presentation.omml import M_NS, omml_text

    document = docx.Document(str(regen_docx / "analysis.docx"))
    game = regen_analysis.game
    parse = _omml_reader(game)
    body = [omml_text(e) for e in document.element.body.iter(f"{{{M_NS}}}oMath")]
    assert sum(t.startswith("U_") for t in body) == 6          # expected payoffs
    assert sum(t.startswith("F(") and "=(d" in t for t in body) == 3   # F(x) = dx/dt = ...
    assert sum(t.startswith("g_") for t in body) == 3          # each party's g, inline
    assert sum("**(*)=" in t for t in body) == 3               # the thresholds y* = ...
    jac = [t for t in body if t.startswith("J=")]
    assert len(jac) == 1 and jac[0].count("[") == 4            # a 3 x 3 matrix
    data = report.report_data(regen_analysis)
    expected = [complex(*e) for p in data["rest_points"] if p["kind"] == "vertex"
                for e in p["eigenvalues"]]
    stability = document.tables[2]
    cells = [row.cells[3] for row in stability.rows[1:] if row.cells[2].text]
    got = []
    for cell in cells:
        maths = list(cell._tc.iter(f"{{{M_NS}}}oMath"))
        assert len(maths) == 1
        got.append(_values(game, parse(omml_text(maths[0]).split("=")[0])))
    assert len(got) == len(expected) == 24
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, rel=1e-6, abs=1e-9)


# ------------------------------------------- populations with more than two strategies
def _two_by_three():
    """A 2 x 3 bimatrix game (numbers chosen so that no pure profile is a strict equilibrium of
    both players at once)."""
    return gr.Game.from_table(
        "two_by_three", [("row", ["up", "down"]), ("col", ["left", "mid", "right"])],
        {("up", "left"): (3, 1), ("up", "mid"): (0, 2), ("up", "right"): (1, 0),
         ("down", "left"): (1, 0), ("down", "mid"): (2, 1), ("down", "right"): (0, 3)})


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", ["rps_two_populations", "rps_one_population", "two_by_three"])
def test_paper_states_what_it_prints_for_larger_populations(case, lang):
    """For a population of k > 2 strategies there is no single-party analysis of one share
    (no advantage function of one sign, no threshold surface): the paper says so for that
    population and prints its replicator equations and the general Jacobian
    dF_i/dv_j = delta_ij (U_i - Ubar) + v_i d(U_i - Ubar)/dv_j (Hofbauer & Sigmund 1998,
    sec. 7.1 and 10.3) of size sum(k_p - 1); a two-strategy party keeps its analysis."""
    from gametheory_regen.presentation.paper import build_paper
    from gametheory_regen.presentation.paper_latex import render_fragment

    game = {"rps_two_populations": lambda: gr.Game.builtin("rock_paper_scissors"),
            "rps_one_population": lambda: gr.Game.symmetric(
                "rps1", ["rock", "paper", "scissors"], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]),
            "two_by_three": _two_by_three}[case]()
    paper = build_paper(gr.analyze(game), lang)
    paras = [b.plain for b in paper.blocks if b.kind == "para"]
    larger = [pop for pop in game.populations if pop.k > 2]
    for pop in larger:
        said = [p for p in paras if p.startswith(pop.name) and f"{pop.k}" in p]
        assert len(said) == 1, pop.name
        assert ("two strategies only" if lang == "en" else "只适用于两策略主体") in said[0]
    d = sum(pop.k - 1 for pop in game.populations)
    assert any(f"{d} × {d}" in p for p in paras)
    jac = [b for b in paper.blocks if b.kind == "equations" and b.rows[0][1].startswith("J =")]
    assert len(jac) == 1 and "δ_ij" in jac[0].rows[0][1]
    assert not [f for f in paper.figures if f.startswith("threshold_")]
    two = [pop for pop in game.populations if pop.k == 2]
    if two and game.n_populations > 1:   # the 2 x 3 game: row keeps its threshold
        assert any(p.startswith(two[0].name) and "F(x)" in p for p in paras)
        assert any("2 × 3" in p for p in paras)
    tex_ = render_fragment(paper)
    assert "\\delta_{ij}" in tex_ and "{{ij}}" not in tex_
    _latex_structure_ok(tex_)


def test_one_population_payoff_matrix_and_expected_payoffs():
    """One population: the payoff matrix has a row per own strategy and a column per
    opponent's; expected payoffs u_i = (A x)_i with x3 = 1 - x1 - x2 (standard RPS,
    Hofbauer & Sigmund 1998, sec. 7.7): u_rock = -x2 + x3 = 1 - x1 - 2 x2."""
    from gametheory_regen.presentation.paper import build_paper

    game = gr.Game.symmetric("rps1", ["rock", "paper", "scissors"],
                             [[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    paper = build_paper(gr.analyze(game))
    payoffs = next(b for b in paper.blocks if b.label == "payoffs")
    assert [c[1] for c in payoffs.rows[1]] == ["rock", "0", "-1", "1"]
    expected = next(b for b in paper.blocks if b.kind == "equations")
    rhs = expected.math[0][0].rhs
    x = {s.name: s for s in rhs.free_symbols}
    assert sp.simplify(rhs - (1 - x["x1"] - 2 * x["x2"])) == 0


def test_docx_of_a_larger_game_has_the_general_jacobian_as_a_word_equation(tmp_path):
    import docx

    from gametheory_regen.presentation.omml import M_NS, omml_text

    out = tmp_path / "docx"
    paper_output.write_paper(gr.analyze(_two_by_three()), str(out), "zh", "docx", **FAST)
    document = docx.Document(str(out / "analysis.docx"))
    body = [omml_text(e) for e in document.element.body.iter(f"{{{M_NS}}}oMath")]
    assert "J_ij=(∂F_i)/(∂v_j)=δ_ij*(U_i-Ū_p(i))+v_i*(∂(U_i-Ū_p(i)))/(∂v_j)" in body

"""Chinese output: the field's standard terms, alignment by display width, --lang on every verb.

Terms as the Chinese evolutionary-game literature writes them (e.g. the tripartite-game
papers summarised in ../shared/seed/BRIEF.md): 演化稳定策略 (ESS), 鞍点 (saddle), 不稳定点
(unstable point), 稳定点 (stable point), 非双曲 (non-hyperbolic), 雅可比矩阵 (Jacobian),
复制动态方程 (replicator dynamic equation).  Widths: Unicode East Asian Width (UAX #11).
"""

from __future__ import annotations

import json
import re

import pytest

import gametheory_regen as gr
from gametheory_regen.errors import GameInputError
from gametheory_regen.presentation import i18n, report
from gametheory_regen.presentation.cli import main


@pytest.mark.parametrize("key, zh", [
    ("ess", "演化稳定策略"), ("saddle", "鞍点"), ("unstable", "不稳定点"), ("stable", "稳定点"),
    ("non-hyperbolic", "非双曲"), ("jacobian", "雅可比矩阵"), ("replicator", "复制动态方程"),
])
def test_standard_terms(key, zh):
    assert i18n.tr(key, "zh") == zh
    assert i18n.tr(key, "en") != zh


def test_every_term_has_both_languages():
    for key, (en, zh) in i18n.TERMS.items():
        assert en and zh, key


def test_unknown_language_is_an_input_error():
    with pytest.raises(GameInputError, match="--lang"):
        i18n.tr("saddle", "fr")


def test_display_width():
    """UAX #11: CJK ideographs and fullwidth forms are wide (2 columns)."""
    assert i18n.display_width("鞍点") == 4
    assert i18n.display_width("（）") == 4
    assert i18n.display_width("saddle") == 6


def test_chinese_report_columns_align_by_display_width():
    """Every row of the rest-point table starts each column at the same display column."""
    text = report.render_text(gr.analyze(gr.Game.builtin("regeneration")), lang="zh")
    lines = text.splitlines()
    start = lines.index("均衡点:") + 1
    table = []
    for line in lines[start:]:
        if not line.strip():
            break
        table.append(line)
    rule = table[1]
    cols = [i for i in range(1, len(rule)) if rule[i] == "-" and rule[i - 1] == " "]
    for row in table[2:]:
        for c in cols:     # the display column c is a column start: preceded by two blanks
            prefix = ""
            for ch in row:
                if i18n.display_width(prefix) >= c:
                    break
                prefix += ch
            assert i18n.display_width(prefix) == c and prefix.endswith("  "), (row, c)
    for word in ("复制动态方程", "稳定点", "鞍点", "不稳定点", "顶点"):
        assert word in text


def test_json_report_is_language_independent(capsys):
    assert main(["report", "hawk_dove", "--format", "json", "--lang", "zh"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {p["stability"] for p in doc["rest_points"]} <= {"stable", "unstable", "saddle",
                                                            "non-hyperbolic"}


@pytest.mark.parametrize("argv, words", [
    (["report", "hawk_dove", "--lang", "zh"], ["复制动态方程", "演化稳定策略"]),
    (["report", "hawk_dove", "--lang", "zh", "--format", "markdown"], ["均衡点", "稳定点"]),
    (["report", "hawk_dove", "--lang", "zh", "--format", "latex"], ["稳定性", "特征值"]),
    (["threshold", "hawk_dove", "--outcome", "owner=hawk,intruder=dove", "--parameter", "C",
      "--lang", "zh"], ["稳定条件：C > 2", "临界值 C = 2", "当前 C = 4：稳定"]),
    (["compare", "hawk_dove", "--lang", "zh"], ["政策比较", "合作结果", "不稳定"]),
    (["calibrate", "jinsong", "--lang", "zh"], ["参数校准", "全部检验通过", "[通过]"]),
], ids=["report", "report-md", "report-latex", "threshold", "compare", "calibrate"])
def test_lang_zh_on_every_verb(argv, words, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    for w in words:
        assert w in out, w


def test_compare_summary_table_aligned_in_chinese(capsys):
    assert main(["compare", "regeneration", "--lang", "zh"]) == 0
    lines = capsys.readouterr().out.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("情景"))
    block = []
    for line in lines[i:]:
        if not line.strip():
            break
        block.append(line)
    starts = set()
    for line in block:   # the second column starts at the same display column in every row
        head = line.split("  ")[0]
        rest = line[len(head):]
        starts.add(i18n.display_width(head) + len(rest) - len(rest.lstrip()))
    assert len(starts) == 1


@pytest.mark.parametrize("argv", [
    ["report", "regeneration", "--lang", "zh", "--plot"],
    ["simulate", "regeneration", "--initial", "government=0.5,operator=0.5,residents=0.5",
     "--t-end", "5", "--lang", "zh", "--plot"],
], ids=["report", "simulate"])
def test_plot_labels_in_chinese_have_every_glyph(argv, tmp_path, capsys):
    """--plot follows --lang; the Chinese labels draw with the bundled CJK font: no
    "Glyph ... missing from font" warning (issue 13: boxes drawn and exit 0)."""
    import warnings

    path = tmp_path / "figure.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main([*argv, str(path)]) == 0
    capsys.readouterr()
    assert path.stat().st_size > 1000
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)
               or issubclass(w.category, UserWarning) and "CJK" in str(w.message)]
    assert not missing, missing


# ------------------------------------------- no untranslated English sentence in zh verb output
#: Proper names of the calibration's source (Jiang Ling and Li Lei 2022), written in pinyin.
_PROPER = ("Jiang Ling", "Li Lei")
#: Single words the verbs use as sentences or table cells; any left in zh output is untranslated.
_VERB_WORDS = {"stable", "never", "always", "none", "yes", "no", "symbolic", "exact", "numeric",
               "scenario", "source", "note", "method", "paper", "assumption", "share", "years",
               "inf", "formula", "checks", "steps", "expected", "obtained", "outweigh", "beats"}
_PHRASE = re.compile(r"[A-Za-z]{2,}(?:'[a-z]+)?(?: [A-Za-z]{2,}(?:'[a-z]+)?)+")


def _declared_text(game) -> list[str]:
    """What a model declares and the verbs print as declared: names of the model, populations,
    strategies, parameters, derived names and scenarios; the title; scenario descriptions and
    sources; payoff-term labels (whole and without their parenthesised detail); parameter
    descriptions and units."""
    out = [game.name, game.title or ""]
    for pop in game.populations:
        out += [pop.name, *pop.strategies]
    for p in game.parameters:
        out += [p.name, p.description or "", p.unit or ""]
    out += list(getattr(game, "derived_symbols", {}))
    for name, sc in game.scenarios.items():
        out += [name, sc.description or "", sc.source or ""]
    for term in game.terms:
        out += [term.label, re.sub(r"\s*\([^)]*\)", "", term.label).strip()]
    return sorted({s for s in out if s}, key=len, reverse=True)


def _untranslated(text: str, declared: list[str]) -> list[str]:
    """Lines that still hold English: a phrase of two or more English words, or one of the
    verbs' own words, once what the model declares (and proper names) is taken out.  Single
    identifiers and mathematics (``kappa``, ``a(T, q*)``, ``x**2``) are not sentences."""
    names = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, (*declared, *_PROPER)))
                       + r")(?![A-Za-z0-9_])")
    identifier = re.compile(r"\b[A-Za-z0-9]*_[A-Za-z0-9_]*\b")  # snake_case: a name
    greek = re.compile(r"\b(alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|nu|xi|pi|"
                       r"rho|sigma|tau|phi|chi|psi|omega)\b")  # a letter of a formula
    bad = []
    for line in text.splitlines():
        rest = greek.sub(" ", identifier.sub(" ", names.sub(" ", line)))
        words = set(re.findall(r"[A-Za-z]+", rest))
        if _PHRASE.search(rest) or words & _VERB_WORDS:
            bad.append(line)
    return bad


@pytest.fixture(scope="module")
def regeneration_zh():
    """The zh text of each verb on the regeneration model (compare on three scenarios that
    between them print every kind of sentence: never stable, stable with thresholds, a
    two-sided interval)."""
    from gametheory_regen.domain.policies import compare_policies
    from gametheory_regen.presentation import domain_verbs as dv

    game = gr.Game.builtin("regeneration")
    cmp = compare_policies(game, ["baseline", "jinsong", "jinsong_without_permits"])
    coop = {"government": "enable", "operator": "operate", "residents": "participate"}
    texts = {
        "compare": dv.render_comparison_text(cmp),
        "compare-markdown": dv.render_comparison_markdown(cmp),
        "calibrate": dv.render_calibration_text("jinsong", gr.calibrate_jinsong()),
    }
    for p in ("s", "T"):
        texts[f"threshold-{p}"] = dv.render_threshold_text(gr.threshold(game, coop, p))
    return game, {k: i18n.translate_verb_text(v, "zh") for k, v in texts.items()}, texts


def test_zh_verbs_print_no_untranslated_english_sentence(regeneration_zh):
    """Every sentence threshold, compare (text and markdown) and calibrate print is Chinese;
    names and what the model declares stay as declared.  The English output does fail the
    same check, so the check can fail."""
    game, zh, en = regeneration_zh
    declared = _declared_text(game)
    for verb, text in zh.items():
        assert _untranslated(text, declared) == [], verb
        assert _untranslated(en[verb], declared), verb     # the check sees English
    assert "演化稳定策略" in zh["compare"] and "临界值" in zh["threshold-s"]
    assert "∞" in zh["threshold-s"] and "inf" not in zh["threshold-s"]


def test_zh_drops_english_paraphrase_after_a_chinese_quote(regeneration_zh):
    """A source quoting the paper in Chinese keeps the quote and leaves out the English
    paraphrase in parentheses after it."""
    _, zh, _ = regeneration_zh
    assert "本次改造Y集团投入了3000万元" in zh["calibrate"]
    assert "Y Group invested" not in zh["calibrate"]

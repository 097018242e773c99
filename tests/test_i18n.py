"""Chinese output: the field's standard terms, alignment by display width, --lang on every verb.

Terms as the Chinese evolutionary-game literature writes them (e.g. the tripartite-game
papers summarised in ../shared/seed/BRIEF.md): 演化稳定策略 (ESS), 鞍点 (saddle), 不稳定点
(unstable point), 稳定点 (stable point), 非双曲 (non-hyperbolic), 雅可比矩阵 (Jacobian),
复制动态方程 (replicator dynamic equation).  Widths: Unicode East Asian Width (UAX #11).
"""

from __future__ import annotations

import json

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

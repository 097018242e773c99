"""The regeneration game has one source, its model file; the builder form is generated from it.

``gametheory_regen/models/regeneration.toml`` is the model.
``gametheory_regen.domain.regeneration`` turns it into the ledger-builder calls that make it
(``builder_calls``), applies them (``build_regeneration``) and prints them (``builder_source``);
it holds no copy of the terms.  The built game must be the file's game.  ``Game`` has no ``==`` (it is ``eq=False``), so
:func:`game_differences` compares two games attribute by attribute and lists every difference in
words; the tests assert that list is empty, and that it is *not* empty when one thing is changed
(a term's amount, a condition, a bound, a scenario...).  ``Game.path`` (where a game was read
from) is provenance, not content, and is not compared.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
import re
import subprocess
import sys

import pytest
import sympy as sp

from gametheory_regen import Game, analyze, model_to_toml, read_model_text
from gametheory_regen.domain import build_regeneration
from gametheory_regen.domain import regeneration as regeneration_module
from gametheory_regen.model.library import builtin_path
from gametheory_regen.presentation.report import render_json

MODEL_TEXT = builtin_path("regeneration").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built() -> Game:
    return build_regeneration()


@pytest.fixture(scope="module")
def shipped() -> Game:
    return Game.builtin("regeneration")


# ---------------------------------------------------------------------------------------------
# Comparison helper: every difference between two games, in words
# ---------------------------------------------------------------------------------------------
def _same_expr(a: sp.Expr, b: sp.Expr) -> bool:
    """Structurally equal, or equal after simplification."""
    return a == b or sp.simplify(a - b) == 0


def metadata_differences(a: Game, b: Game) -> list[str]:
    out = []
    for attr in ("name", "title", "description", "source", "time_unit", "scenario"):
        if getattr(a, attr) != getattr(b, attr):
            out.append(f"metadata {attr}: {getattr(a, attr)!r} != {getattr(b, attr)!r}")
    return out


def population_differences(a: Game, b: Game) -> list[str]:
    out = []
    if [p.name for p in a.populations] != [p.name for p in b.populations]:
        return [f"populations: {[p.name for p in a.populations]} != "
                f"{[p.name for p in b.populations]}"]
    for pa, pb in zip(a.populations, b.populations, strict=True):
        for attr in ("strategies", "symbol"):
            if getattr(pa, attr) != getattr(pb, attr):
                out.append(f"population {pa.name!r} {attr}: {getattr(pa, attr)!r} != "
                           f"{getattr(pb, attr)!r}")
    return out


def parameter_differences(a: Game, b: Game) -> list[str]:
    if a.parameter_names != b.parameter_names:
        return [f"parameter names or order: {a.parameter_names} != {b.parameter_names}"]
    out = []
    for pa, pb in zip(a.parameters, b.parameters, strict=True):
        for attr in ("value", "description", "unit", "min", "max"):
            va, vb = getattr(pa, attr), getattr(pb, attr)
            if va != vb or type(va) is not type(vb):
                out.append(f"parameter {pa.name!r} {attr}: {va!r} != {vb!r}")
        # the sympy symbol carries the assumptions derived from the bounds
        if pa.symbol != pb.symbol or pa.symbol.assumptions0 != pb.symbol.assumptions0:
            out.append(f"parameter {pa.name!r} symbol: {pa.symbol.assumptions0} != "
                       f"{pb.symbol.assumptions0}")
    return out


def derived_differences(a: Game, b: Game) -> list[str]:
    if list(a.derived) != list(b.derived):
        return [f"derived names or order: {list(a.derived)} != {list(b.derived)}"]
    return [f"derived {name!r}: {a.derived[name]} != {b.derived[name]}"
            for name in a.derived if not _same_expr(a.derived[name], b.derived[name])]


def term_differences(a: Game, b: Game) -> list[str]:
    la, lb = [t.label for t in a.terms], [t.label for t in b.terms]
    if la != lb:
        return [f"term labels or order: {la} != {lb}"]
    out = []
    for ta, tb in zip(a.terms, b.terms, strict=True):
        if not _same_expr(ta.amount, tb.amount):
            out.append(f"term {ta.label!r} amount: {ta.amount} != {tb.amount}")
        for attr in ("kind", "source", "to", "when", "note"):
            if getattr(ta, attr) != getattr(tb, attr):
                out.append(f"term {ta.label!r} {attr}: {getattr(ta, attr)!r} != "
                           f"{getattr(tb, attr)!r}")
    return out


def scenario_differences(a: Game, b: Game) -> list[str]:
    if list(a.scenarios) != list(b.scenarios):
        return [f"scenario names or order: {list(a.scenarios)} != {list(b.scenarios)}"]
    out = []
    for name, sa in a.scenarios.items():
        sb = b.scenarios[name]
        for attr in ("description", "source", "schedules"):
            if getattr(sa, attr) != getattr(sb, attr):
                out.append(f"scenario {name!r} {attr}: {getattr(sa, attr)!r} != "
                           f"{getattr(sb, attr)!r}")
        oa, ob = dict(sa.overrides), dict(sb.overrides)
        # same names in the same order, same values, same number types (int 0 vs float 0.0)
        if list(oa) != list(ob) or any(oa[k] != ob[k] or type(oa[k]) is not type(ob[k])
                                       for k in oa):
            out.append(f"scenario {name!r} overrides: {oa} != {ob}")
    if a.schedules != b.schedules:
        out.append(f"model schedules: {a.schedules} != {b.schedules}")
    return out


def table_differences(a: Game, b: Game) -> list[str]:
    if a.shape != b.shape:
        return [f"shape: {a.shape} != {b.shape}"]
    out = []
    for profile in a.profiles():
        for p, (va, vb) in enumerate(zip(a.table[profile], b.table[profile], strict=True)):
            if not _same_expr(va, vb):
                out.append(f"payoff of {a.populations[p].name} at "
                           f"{a.profile_names(profile)}: {va} != {vb}")
    return out


def game_differences(a: Game, b: Game) -> list[str]:
    """Every difference between two games (``path`` excepted), in words; [] when the same."""
    out = metadata_differences(a, b) + population_differences(a, b)
    if out:  # different players: nothing else can be compared cell by cell
        return out
    return (out + parameter_differences(a, b) + derived_differences(a, b)
            + term_differences(a, b) + scenario_differences(a, b) + table_differences(a, b))


def mutated(old: str, new: str) -> Game:
    """The shipped model with one exact piece of text replaced (it must occur exactly once)."""
    assert MODEL_TEXT.count(old) == 1, f"{old!r} should occur once in regeneration.toml"
    return read_model_text(MODEL_TEXT.replace(old, new), "mutated regeneration.toml")


# ---------------------------------------------------------------------------------------------
# The builder's game is the model file's game
# ---------------------------------------------------------------------------------------------
def test_metadata_and_populations(built, shipped):
    assert metadata_differences(built, shipped) == []
    assert population_differences(built, shipped) == []
    assert [(p.name, p.strategies, p.symbol) for p in built.populations] == [
        ("government", ("enable", "withhold"), "x"),
        ("operator", ("operate", "stay_out"), "y"),
        ("residents", ("participate", "stay_passive"), "z"),
    ]
    assert built.title.startswith("Community regeneration")
    assert built.path is None and shipped.path.endswith("regeneration.toml")


def test_parameters_with_all_attributes(built, shipped):
    assert parameter_differences(built, shipped) == []
    assert len(built.parameters) == 50
    # dataclass equality too (name, symbol with assumptions, value, description, unit, bounds)
    assert built.parameters == shipped.parameters


def test_derived_expressions(built, shipped):
    assert list(built.derived) == ["aT", "ak", "am", "aL", "vL", "trust_level", "no_permits", "let_share", "c_np"]
    assert derived_differences(built, shipped) == []
    for name in built.derived:  # structurally equal, hence also equal after simplification
        assert built.derived[name] == shipped.derived[name]
        assert sp.simplify(built.derived[name] - shipped.derived[name]) == 0


def test_terms_with_all_attributes(built, shipped):
    assert term_differences(built, shipped) == []
    assert len(built.terms) == 34
    assert built.terms == shipped.terms  # dataclass equality: label, amount, from, to, when, note
    kinds = [t.kind for t in built.terms]
    assert (kinds.count("cost"), kinds.count("benefit"), kinds.count("transfer")) == (17, 13, 4)


def test_scenarios(built, shipped):
    assert scenario_differences(built, shipped) == []
    assert list(built.scenarios) == [
        "baseline", "subsidy_only", "rights_only", "jinsong", "jinsong_no_concessions",
        "jinsong_short_rights", "lease_through", "fiscal_only", "trust", "trust_no_concessions",
        "collateral", "zaoyuan_ownerless_land", "jinsong_without_permits", "permits_only",
    ]
    assert dict(built.scenarios) == dict(shipped.scenarios)


def test_whole_game_has_no_difference(built, shipped):
    assert game_differences(built, shipped) == []


def test_symbolic_payoff_tensors_equal_cell_by_cell(built, shipped):
    for tb, ts in zip(built.payoff_tensors(), shipped.payoff_tensors(), strict=True):
        assert tb.shape == ts.shape == (2, 2, 2)
        for profile in built.profiles():
            assert sp.simplify(tb[profile] - ts[profile]) == 0, built.profile_names(profile)


@pytest.mark.parametrize("scenario", [None, *Game.builtin("regeneration").scenarios])
def test_numeric_payoff_tensors_equal(built, shipped, scenario):
    b = built.with_scenario(scenario).payoff_tensors(numeric=True)
    s = shipped.with_scenario(scenario).payoff_tensors(numeric=True)
    assert b == s


@pytest.mark.parametrize("scenario", ["jinsong", "baseline"])
def test_json_report_identical(built, shipped, scenario):
    from_builder = render_json(analyze(built.with_scenario(scenario)))
    from_file = render_json(analyze(shipped.with_scenario(scenario)))
    assert from_builder == from_file
    assert f'"scenario": "{scenario}"' in from_builder


def test_model_file_round_trip(built):
    text = model_to_toml(built)
    again = read_model_text(text, "round trip")
    assert game_differences(again, built) == []
    assert game_differences(again, Game.builtin("regeneration")) == []


# ---------------------------------------------------------------------------------------------
# The comparison can fail: one change anywhere is seen
# ---------------------------------------------------------------------------------------------
def test_changing_one_term_amount_breaks_equality(built, shipped):
    changed = mutated('amount = "I"\n', 'amount = "1.01 * I"\n')
    diffs = game_differences(built, changed)
    assert any(d.startswith("term 'operator investment' amount") for d in diffs)
    assert any(d.startswith("payoff of operator at") for d in diffs)
    assert not any(d.startswith("payoff of government") for d in diffs)
    # the cell-by-cell test would fail, and so would the JSON report
    tb, tc = built.payoff_tensors()[1], changed.payoff_tensors()[1]
    assert sp.simplify(tb[0, 0, 0] - tc[0, 0, 0]) != 0
    assert render_json(analyze(built.with_scenario("jinsong"))) != \
        render_json(analyze(changed.with_scenario("jinsong")))


def test_perturbing_a_copy_of_the_built_game_is_seen(built):
    """The same without the model file: replace one term of the builder's own game."""
    import dataclasses

    first = built.terms[0]
    copy = dataclasses.replace(
        built, terms=(dataclasses.replace(first, amount=2 * first.amount),) + built.terms[1:])
    assert game_differences(built, copy) == [f"term {first.label!r} amount: I != 2*I"]
    assert game_differences(built, build_regeneration()) == []  # the original is untouched


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('symbol = "z"', 'symbol = "w"', "population 'residents' symbol"),
        ('title = "Community regeneration:', 'title = "Community renewal:', "metadata title"),
        ('unit = "years", min = 1, max = 70 }', 'unit = "years", min = 1, max = 80 }',
         "parameter 'T' max"),
        ('unit = "years", min = 0, max = 70 }', 'unit = "years", min = 1, max = 70 }',
         "parameter 'k' min"),
        ("I = { value = 30.0,", "I = { value = 31.0,", "parameter 'I' value"),
        ('"number of subsidy years', '"count of subsidy years', "parameter 'k' description"),
        ('unit = "meetings", min = 0 }', 'unit = "meeting", min = 0 }', "parameter 'n_meet' unit"),
        ('ak = "(1 - (1 + rho)**(-k)) / rho"', 'ak = "(1 - (1 + rho)**(-k - 1)) / rho"',
         "derived 'ak'"),
        ('amount = "Ca"\nfrom = "government"\nwhen = { government = "enable" }',
         'amount = "Ca"\nfrom = "government"\nwhen = { government = "withhold" }',
         "term 'administrative cost of enabling' when"),
        ('amount = "s * ak"\nfrom = "government"', 'amount = "s * ak"\nfrom = "residents"',
         "term 'transitional subsidy' source"),
        ('amount = "e_r"\nfrom = "residents"', 'amount = "e_r"\nfrom = "residents"\nto = "operator"',
         "term \"residents' effort in deliberation and volunteering\" kind"),
        ("Y Group invested 30 million yuan", "Y Group invested 31 million yuan",
         "term 'operator investment' note"),
        ("T = 5, s = 1.43", "T = 6, s = 1.43", "scenario 'jinsong_short_rights' overrides"),
        ("T = 5, s = 1.43", "T = 5.0, s = 1.43", "scenario 'jinsong_short_rights' overrides"),
        ("source = \"§5(2) 企业为维护", "source = \"§5(3) 企业为维护",
         "scenario 'jinsong_no_concessions' source"),
    ],
)
def test_one_change_in_the_model_file_is_seen(built, old, new, expected):
    diffs = game_differences(built, mutated(old, new))
    assert diffs, f"changing {old!r} to {new!r} went unnoticed"
    assert any(d.startswith(expected) for d in diffs), diffs


# ---------------------------------------------------------------------------------------------
# The builder is an independent, documented Python description
# ---------------------------------------------------------------------------------------------
def test_builder_module_holds_no_copy_of_the_ledger():
    """One source: no string in the module's code (docstring examples aside) is a term label, a
    note or a scenario name of the model."""
    tree = ast.parse(inspect.getsource(regeneration_module))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    strings = {node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)
               and id(node) not in docstrings}
    shipped = Game.builtin("regeneration")
    ledger = ({t.label for t in shipped.terms} | {t.note for t in shipped.terms}
              | set(shipped.scenarios) | {p.description for p in shipped.parameters})
    assert strings & ledger == set()
    assert "regeneration" in strings     # it reads the file's game by name
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"open", "eval", "exec"}


def _calls_in(source: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "b"]


def test_builder_source_rebuilds_the_file_game(shipped):
    """The printed builder script, read back without exec (literal arguments only) and applied
    to a fresh GameBuilder, is the file's game; every term call passes its passage as note=."""
    from gametheory_regen.domain.regeneration import BuilderCall, build_from_calls, builder_source

    source = builder_source()
    calls = []
    for node in _calls_in(source):
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        calls.append(BuilderCall(node.func.attr, args, kwargs))
    terms = [c for c in calls if c.method in {"cost", "benefit", "transfer"}]
    assert len(terms) == len(shipped.terms) == 34
    assert all(c.kwargs.get("note") for c in terms)
    assert game_differences(build_from_calls(shipped, calls), shipped) == []


def test_docs_builder_example_is_part_of_the_generated_source():
    """docs/regeneration_model.md shows the builder on a few terms: each of its b.* lines is a
    line of builder_source(), so the example cannot drift from the model file."""
    from gametheory_regen.domain.regeneration import builder_source

    doc = (pathlib.Path(__file__).parent.parent / "docs" / "regeneration_model.md").read_text(
        encoding="utf-8")
    block = doc.split("<!-- builder example -->", 2)[1]
    lines = [ln for ln in block.splitlines() if ln.startswith("b.")]
    assert len(lines) >= 5
    generated = set(builder_source().splitlines())
    for ln in lines:
        assert ln in generated, ln


def test_domain_import_stays_out_of_the_package_root():
    code = ("import sys, gametheory_regen; "
            "print(any(m.startswith('gametheory_regen.domain') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------------------------
# Every term names the passage of the paper it encodes; every parameter is documented
# ---------------------------------------------------------------------------------------------
# The sections of Jiang & Li (2022): 一 to 六, with the numbered subsections (一)... of 三, 四, 五.
PAPER_SECTIONS = {"1", "2", "3", "3(1)", "3(2)", "3(3)", "3(4)", "4", "4(1)", "4(2)", "4(3)",
                  "4(4)", "5", "5(1)", "5(2)", "5(3)", "6"}
PAPER = pathlib.Path("/work/shared/seed/000_2fd2e2a7ad2066b2.txt")
# one passage: "§5(2) <the paper's words> — <English paraphrase>"
PASSAGE = re.compile(r"§(?P<section>\d(?:\(\d\))?) (?P<words>[^—]+?) — (?P<english>.+)$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def passages(note: str) -> list[re.Match | None]:
    """A note's passages (separated by "; " before the next "§"), each parsed by PASSAGE."""
    return [PASSAGE.match(part) for part in re.split(r";\s*(?=§)", note)]


def note_problems(note: str) -> list[str]:
    """What keeps a note from naming its source: [] for '§5(2) 政府… — the government paid…'."""
    out = []
    for part, m in zip(re.split(r";\s*(?=§)", note), passages(note), strict=True):
        if m is None:
            out.append(f"{part!r} is not '§section words — English'")
        elif m["section"] not in PAPER_SECTIONS:
            out.append(f"{part!r}: the paper has no section {m['section']}")
        elif not CJK.search(m["words"]):
            out.append(f"{part!r}: no words of the paper")
        elif len(re.findall(r"[A-Za-z]+", m["english"])) < 3:
            out.append(f"{part!r}: no English paraphrase")
    return out


def _paper_words(text: str) -> str:
    """Only the characters that carry words: no punctuation, spaces or footnote marks."""
    return re.sub(r"\W", "", re.sub(r"\^?[①-⑳]", "", text))


def _paper_by_section() -> dict[str, str]:
    numbers = "一二三四五六七八九十"
    sections: dict[str, str] = {}
    current = None
    for line in PAPER.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if m := re.match(r"^([一二三四五六七八九十])、", line):
            current = str(numbers.index(m.group(1)) + 1)
        elif current and (m := re.match(r"^[（(]\s*([一二三四五六七八九十])\s*[)）]", line)):
            current = f"{current.split('(')[0]}({numbers.index(m.group(1)) + 1})"
        if current:
            sections[current] = sections.get(current, "") + line
    return {name: _paper_words(text) for name, text in sections.items()}


@pytest.mark.parametrize("game", ["built", "shipped"])
def test_every_term_has_a_note_naming_its_passage(game, request):
    """Each note cites a section of the paper, quotes its words and paraphrases them."""
    game = request.getfixturevalue(game)
    assert len(game.terms) == 34
    for term in game.terms:
        assert note_problems(term.note) == [], term.label


@pytest.mark.parametrize("note", [
    "", "see the paper", "§5(2) Y Group invested", "5(2) 本次改造 — Y Group invested 30 M",
    "§9 本次改造Y集团投入了3000万元 — Y Group invested", "§5(1) Y Group — invested 30 million",
    "§5(1) 本次改造Y集团投入了3000万元 — 30 M",
    "§5(1) 本次改造Y集团投入了3000万元 — Y Group invested 30 million; §5(2) see BRIEF",
])
def test_note_rule_rejects_empty_and_generic_notes(note):
    assert note_problems(note)


@pytest.mark.skipif(not PAPER.is_file(), reason=f"the paper is not at {PAPER}")
def test_quoted_words_are_in_the_cited_section_of_the_paper(shipped):
    """Every piece of Chinese text a note quotes (pieces separated by …) is in its section."""
    by_section = _paper_by_section()
    assert PAPER_SECTIONS <= set(by_section)
    for term in shipped.terms:
        assert note_problems(term.note) == [], term.label
        for m in passages(term.note):
            for piece in m["words"].split("…"):
                assert _paper_words(piece) in by_section[m["section"]], \
                    f"{term.label!r}: {piece!r} is not in §{m['section']}"


@pytest.mark.parametrize("game", ["built", "shipped"])
def test_every_parameter_has_description_unit_and_provenance(game, request):
    """A description, a unit, and where the value comes from (the paper, the calibration, an
    assumption, or a policy switch)."""
    game = request.getfixturevalue(game)
    for p in game.parameters:
        assert p.description.strip() and p.unit.strip(), p.name
        assert re.search(r"\b(paper|calibrated|assumption|switch)\b", p.description), \
            f"parameter {p.name!r}: description does not say where its value comes from"


def test_show_lists_every_term_note(shipped):
    from gametheory_regen import replicator_system
    from gametheory_regen.presentation.report import show_text

    text = show_text(shipped, replicator_system(shipped))
    listing = text[text.index("\nTerm notes:\n"):text.index("\nReplicator equations:")]
    for term in shipped.terms:
        assert f"\n  {term.label}\n      {term.note}\n" in listing
    # a game without notes shows no such section
    plain = Game.builtin("matching_pennies")
    assert "Term notes" not in show_text(plain, replicator_system(plain))

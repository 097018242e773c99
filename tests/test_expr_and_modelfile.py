"""The safe expression parser and model files (Contract 1 of DESIGN.md).

A model file is untrusted input: its expressions are parsed by a whitelist over Python's ``ast``
and never evaluated.  Every declared name is a plain real symbol, even the ones sympy reserves
(``I`` the imaginary unit, ``E`` Euler's number, ``S`` the singleton registry, ``N`` numeric
evaluation, ``Q`` assumptions, ``O`` big-O, ``beta``/``gamma``/``zeta`` special functions).
"""

from __future__ import annotations

import pathlib

import pytest
import sympy as sp

from gametheory_regen.analysis import analyze
from gametheory_regen.errors import ExpressionError, GameInputError, ModelFileError
from gametheory_regen.model import (
    Game,
    GameBuilder,
    builtin_names,
    model_to_toml,
    parse_expression,
    read_model,
    read_model_text,
)

EXAMPLES = pathlib.Path("/work/shared/examples")
RESERVED = ["I", "E", "S", "N", "Q", "O", "beta", "gamma", "zeta", "lam"]

HEADER = """
name = "g"
[[populations]]
name = "row"
strategies = ["a", "b"]
[[populations]]
name = "col"
strategies = ["c", "d"]
"""


def model(body: str) -> str:
    return HEADER + body


# ------------------------------------------------------------------------------ reserved names
@pytest.mark.parametrize("name", RESERVED)
def test_reserved_name_is_a_plain_real_symbol(name):
    sym = sp.Symbol(name, real=True)
    expr = parse_expression(f"2*{name} + 1", {name: sym}, "test")
    assert expr == 2 * sym + 1
    assert expr.free_symbols == {sym}
    assert not expr.has(sp.I, sp.E)


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_name_in_a_model_file_takes_its_value(name):
    game = read_model_text(model(f"""
[parameters]
{name} = 3
[[payoffs]]
profile = ["a", "c"]
values = ["{name} * 2", "{name} - 1"]
"""))
    sym = game.parameter(name).symbol
    assert isinstance(sym, sp.Symbol) and sym.name == name and sym.is_real
    assert game.payoff_at(("a", "c")) == (2 * sym, sym - 1)
    tensors = game.payoff_tensors(numeric=True)
    assert (tensors[0][0, 0], tensors[1][0, 0]) == (6, 2)


def test_all_reserved_names_together():
    """``I + E`` with I = 1, E = 2 is 3 (not 1 + e, nor the complex 1 + i)."""
    params = "\n".join(f"{n} = {i + 1}" for i, n in enumerate(RESERVED))
    expr = " + ".join(RESERVED)
    game = read_model_text(model(f"""
[parameters]
{params}
[[payoffs]]
profile = ["a", "c"]
values = ["{expr}", "I*E"]
"""))
    tensors = game.payoff_tensors(numeric=True)
    assert tensors[0][0, 0] == sum(range(1, len(RESERVED) + 1))
    assert tensors[1][0, 0] == 2


# ------------------------------------------------------------------------------ refused input
REFUSED = [
    pytest.param("__import__('os').system('x')", id="dunder-import-call"),
    pytest.param("__import__", id="dunder-import-name"),
    pytest.param("S.real", id="attribute"),
    pytest.param("S.__class__.__mro__", id="attribute-chain"),
    pytest.param("S[0]", id="subscript"),
    pytest.param("lambda: 1", id="lambda"),
    pytest.param("[x for x in S]", id="list-comprehension"),
    pytest.param("(x for x in S)", id="generator"),
    pytest.param("{x: 1 for x in S}", id="dict-comprehension"),
    pytest.param("f'{S}'", id="f-string"),
    pytest.param("'abc'", id="string"),
    pytest.param("9**9**9", id="tower-exponent"),
    pytest.param("2**1000", id="huge-exponent"),
    pytest.param("S**(10**3)", id="huge-computed-exponent"),
    pytest.param("True", id="bool-true"),
    pytest.param("False + 1", id="bool-false"),
    pytest.param("S < 1", id="comparison"),
    pytest.param("S if S else 1", id="conditional"),
    pytest.param("S and 1", id="boolean-operator"),
    pytest.param("(y := 1)", id="walrus"),
    pytest.param("open('x')", id="call-open"),
    pytest.param("eval('1')", id="call-eval"),
    pytest.param("S // 2", id="floor-division"),
    pytest.param("S % 2", id="modulo"),
    pytest.param("S @ S", id="matmul"),
    pytest.param("exp(x=1)", id="keyword-argument"),
    pytest.param("1/0", id="division-by-zero"),
    pytest.param("", id="empty"),
    pytest.param("S +", id="syntax-error"),
    pytest.param("x" * 10_001, id="overlong"),
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"S": sp.Symbol("S", real=True)}, "here")
    assert str(info.value).startswith("here: ")
    assert isinstance(info.value, GameInputError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", [True, False, None, [1], {"a": 1}],
                         ids=["true", "false", "none", "list", "table"])
def test_refused_non_expression_values(value):
    with pytest.raises(ExpressionError):
        parse_expression(value, {}, "here")


def test_unknown_name_lists_known_names():
    names = {"S": sp.Symbol("S", real=True), "Cg": sp.Symbol("Cg", real=True)}
    with pytest.raises(ExpressionError) as info:
        parse_expression("S - K", names, "model.toml: [[payoffs]] 1")
    message = str(info.value)
    assert "'K'" in message and "Cg" in message and "S" in message
    assert message.startswith("model.toml: [[payoffs]] 1")


def test_decimals_are_exact():
    assert parse_expression("1.43", {}, "x") == sp.Rational(143, 100)
    assert parse_expression(0.1, {}, "x") == sp.Rational(1, 10)


def test_allowed_functions():
    S = sp.Symbol("S", real=True)
    got = parse_expression("exp(S) + log(S) + sqrt(S) + Abs(S) + Min(S, 1) + Max(S, 2)",
                           {"S": S}, "x")
    assert got == sp.exp(S) + sp.log(S) + sp.sqrt(S) + sp.Abs(S) + sp.Min(S, 1) + sp.Max(S, 2)


def test_huge_number_by_nested_powers_is_refused():
    with pytest.raises(ExpressionError):
        parse_expression("((2**64)**64)**64", {}, "here")


@pytest.mark.parametrize("text", ["sqrt(-1)", "0**-1", "log(0)"])
def test_non_real_constants_are_refused(text):
    with pytest.raises(ExpressionError):
        parse_expression(text, {}, "here")


def test_nothing_is_executed(tmp_path):
    """Expressions that would create a file if they were evaluated: refused, and no file."""
    target = tmp_path / "pwned"
    payloads = [f"__import__('os').system('touch {target}')",
                f"open('{target}', 'w')",
                f"__import__('pathlib').Path('{target}').touch()"]
    for payload in payloads:
        path = tmp_path / "evil.toml"
        path.write_text(model(
            f'[[payoffs]]\nprofile = ["a", "c"]\nvalues = ["""{payload}""", "1"]\n'))
        with pytest.raises(ModelFileError) as info:
            read_model(path)
        assert "evil.toml" in str(info.value)
        assert not target.exists()


# ------------------------------------------------------------------------------ model files
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_shared_examples_load(path):
    game = read_model(path)
    assert game.n_populations >= 1
    assert game.symmetric == (game.n_populations == 1)
    assert len(game.table) == __import__("math").prod(game.table_shape)


def test_shared_examples_are_the_expected_games():
    rps = read_model(EXAMPLES / "rps_two_population.toml")
    assert rps.shape == (3, 3)
    assert rps.payoff_at(("R", "P")) == (-1, 1) and rps.payoff_at(("R", "R")) == (0, 0)
    toy = read_model(EXAMPLES / "toy_tripartite.toml")
    assert toy.shape == (2, 2, 2)
    assert len(toy.terms) == 9
    assert "generous" in toy.scenarios
    assert toy.with_scenario("generous").values["S"] == 4


def _assert_same_game(g: Game, h: Game):
    assert [(p.name, p.strategies, p.symbol) for p in g.populations] == \
           [(p.name, p.strategies, p.symbol) for p in h.populations]
    assert set(g.table) == set(h.table)
    for profile in g.table:
        for a, b in zip(g.table[profile], h.table[profile], strict=True):
            assert sp.expand(a - b) == 0, (profile, a, b)
    assert [(p.name, p.value, p.min, p.max, p.description, p.unit, p.symbol.assumptions0)
            for p in g.parameters] == \
           [(p.name, p.value, p.min, p.max, p.description, p.unit, p.symbol.assumptions0)
            for p in h.parameters]
    assert dict(g.derived) == dict(h.derived)

    def scen(game):
        return {k: (v.description, v.source,
                    {n: sp.Rational(str(x)) for n, x in v.overrides.items()})
                for k, v in game.scenarios.items()}

    assert scen(g) == scen(h)


def _ledger_builder() -> GameBuilder:
    b = GameBuilder("ledger", title="a ledger game")
    b.population("government", ["enable", "withhold"])
    b.population("operator", ["operate", "stay_out"])
    b.population("residents", ["participate", "passive"])
    b.parameter("S", 1.5, description="subsidy", unit="million yuan", min=0)
    b.parameter("I", 2.5, min=0)
    b.parameter("E", 0.3, min=0, max=1)
    b.derived("net", "S - I")
    b.transfer("subsidy", "S", source="government", to="operator",
               when={"government": "enable", "operator": "operate"})
    b.cost("investment", "I", who="operator", when={"operator": "operate"})
    b.cost("effort", "E", who="residents", when={"residents": "participate"})
    b.benefit("service", "2*E", who="residents",
              when={"operator": "operate", "residents": ["participate", "passive"]})
    b.scenario("generous", {"S": 4}, description="more subsidy")
    return b


LEDGER_TOML = """
name = "ledger"
title = "a ledger game"
[[populations]]
name = "government"
strategies = ["enable", "withhold"]
[[populations]]
name = "operator"
strategies = ["operate", "stay_out"]
[[populations]]
name = "residents"
strategies = ["participate", "passive"]
[parameters]
S = { value = 1.5, description = "subsidy", unit = "million yuan", min = 0 }
I = { value = 2.5, min = 0 }
E = { value = 0.3, min = 0, max = 1 }
[derived]
net = "S - I"
[[terms]]
label = "subsidy"
amount = "S"
from = "government"
to = "operator"
when = { government = "enable", operator = "operate" }
[[terms]]
label = "investment"
amount = "I"
from = "operator"
when = { operator = "operate" }
[[terms]]
label = "effort"
amount = "E"
from = "residents"
when = { residents = "participate" }
[[terms]]
label = "service"
amount = "2*E"
to = "residents"
when = { operator = "operate", residents = ["participate", "passive"] }
[scenarios.generous]
description = "more subsidy"
set = { S = 4 }
"""


def _ledger_as_table_toml() -> str:
    """The same game written by hand as form A: payoffs (government, operator, residents)."""
    rows = {
        ("enable", "operate", "participate"): ("-S", "S - I", "E"),
        ("enable", "operate", "passive"): ("-S", "S - I", "2*E"),
        ("enable", "stay_out", "participate"): ("0", "0", "-E"),
        ("withhold", "operate", "participate"): ("0", "-I", "E"),
        ("withhold", "operate", "passive"): ("0", "-I", "2*E"),
        ("withhold", "stay_out", "participate"): ("0", "0", "-E"),
    }
    text = LEDGER_TOML.split("[[terms]]")[0]
    for profile, values in rows.items():
        text += (f'[[payoffs]]\nprofile = {list(profile)!r}\nvalues = {list(values)!r}\n'
                 ).replace("'", '"')
    return text + '[scenarios.generous]\ndescription = "more subsidy"\nset = { S = 4 }\n'


def test_ledger_builder_equals_model_file_and_table():
    built = _ledger_builder().build()
    from_file = read_model_text(LEDGER_TOML, "ledger.toml")
    from_table = read_model_text(_ledger_as_table_toml(), "table.toml")
    _assert_same_game(built, from_file)
    _assert_same_game(built, from_table)
    S, I = built.parameter("S").symbol, built.parameter("I").symbol
    assert built.payoff_at(("enable", "operate", "participate"))[:2] == (-S, S - I)
    assert [t.label for t, _ in built.cell_terms(("enable", "operate", "passive"))] == \
           ["subsidy", "investment", "service"]


def test_combined_forms_add():
    """Contract 1: form A and form B may be combined; they add."""
    text = model("""
[parameters]
S = 2
[[payoffs]]
profile = ["a", "c"]
values = ["1", "10"]
[[terms]]
label = "transfer"
amount = "S"
from = "row"
to = "col"
when = { row = "a" }
""")
    game = read_model_text(text)
    S = game.parameter("S").symbol
    assert game.payoff_at(("a", "c")) == (1 - S, 10 + S)
    assert game.payoff_at(("a", "d")) == (-S, S)
    assert game.payoff_at(("b", "c")) == (0, 0)
    assert game.payoff_at(("b", "d")) == (0, 0)


def _round_trip(game: Game) -> Game:
    return read_model_text(model_to_toml(game), f"{game.name}-roundtrip.toml")


@pytest.mark.parametrize("name", builtin_names())
def test_round_trip_builtin(name):
    game = Game.builtin(name)
    again = _round_trip(game)
    _assert_same_game(game, again)
    assert [(t.label, t.source, t.to, t.when) for t in game.terms] == \
           [(t.label, t.source, t.to, t.when) for t in again.terms]
    assert game.title == again.title and game.source == again.source


def test_round_trip_ledger_game_and_combined_forms():
    game = _ledger_builder()
    game.payoff(["enable", "stay_out", "passive"], ["-1", "0", "S/2"])  # combined with terms
    game = game.build()
    _assert_same_game(game, _round_trip(game))


def test_round_trip_of_a_value_set_in_python():
    """A value set in Python (1/3) becomes the nearest double in TOML, documented in the writer."""
    game = Game.builtin("hawk_dove").with_values({"V": 3})
    again = _round_trip(game)
    assert again.values == {"V": 3, "C": 4}


def test_irrational_payoff_without_parameters():
    game = read_model_text(model("""
[[payoffs]]
profile = ["a", "c"]
values = ["sqrt(2)", "1"]
"""))
    analysis = analyze(game)
    assert analysis.vertex(("a", "c")).stability is not None


def test_irrational_payoff_with_parameters_is_analysed():
    """The same game with an (unused) parameter is rounded to 40 digits and analysed."""
    game = read_model_text(model("""
[parameters]
k = 1
[[payoffs]]
profile = ["a", "c"]
values = ["sqrt(2)", "k"]
"""))
    analysis = analyze(game)
    assert str(analysis.vertex(("a", "c")).stability) == "stable"


def test_an_irrational_parameter_value_in_python_is_refused_not_rounded():
    """Parameter values are exact rationals; sympy's sqrt(2) or pi given as a value used to be
    replaced silently by a rational near its float. Now it is refused with a message naming
    the fixes; sympy numbers that are rational (sqrt(4), 2/4) and sympy floats still read."""
    import sympy as sp

    from gametheory_regen.errors import ParameterError

    game = Game.builtin("hawk_dove")
    for bad in (sp.sqrt(2), sp.pi):
        with pytest.raises(ParameterError, match="not a rational number.*payoff expression"):
            game.with_values({"V": bad})
    assert game.with_values({"V": sp.sqrt(4)}).values["V"] == 2
    assert game.with_values({"V": sp.Integer(2) / 4}).values["V"] == sp.Rational(1, 2)
    assert game.with_values({"V": sp.Float(0.5)}).values["V"] == sp.Rational(1, 2)


MODEL_ERRORS = [
    pytest.param('name = "g" [[', "not valid TOML", id="malformed-toml"),
    pytest.param(model('[[payoffs]]\nprofile = ["a", "c"]\nvalues = ["1"]\n'),
                 "[[payoffs]] 1", id="too-few-values"),
    pytest.param(model('[[payoffs]]\nprofile = ["a", "zz"]\nvalues = ["1", "2"]\n'),
                 "'zz'", id="unknown-strategy"),
    pytest.param(model('[[payoffs]]\nprofile = ["a", "c"]\nvalues = ["K", "2"]\n'),
                 "'K'", id="unknown-name"),
    pytest.param(model('[parameters]\nS = nan\n'), "[parameters], key `S`", id="nan-parameter"),
    pytest.param(model('[parameters]\nS = inf\n'), "[parameters], key `S`", id="inf-parameter"),
    pytest.param(model('[parameters]\nS = "abc"\n'), "[parameters], key `S`",
                 id="string-parameter"),
    pytest.param(model('[parameters]\nS = true\n'), "[parameters], key `S`", id="bool-parameter"),
    pytest.param(model('[parameters]\nS = { value = 1, min = 2 }\n'), "min",
                 id="value-below-min"),
    pytest.param(model('[[payoffs]]\nprofile = ["a", "c"]\nvalues = [true, 1]\n'),
                 "[[payoffs]] 1", id="bool-value"),
    pytest.param(model('[parameters]\nS = 1\n[scenarios.x]\nset = { T = 1 }\n'), "'T'",
                 id="scenario-unknown-parameter"),
    pytest.param(model('[parameters]\nS = 1\n[scenarios.x]\nset = { S = nan }\n'), "set.S",
                 id="scenario-nan"),
    pytest.param(model('[[terms]]\nlabel = "t"\namount = "1"\n'), "from", id="term-no-party"),
    pytest.param(model('[[terms]]\nlabel = "t"\namount = "1"\nto = "nobody"\n'), "'nobody'",
                 id="term-unknown-population"),
    pytest.param(model('colour = "red"\n'), "colour", id="unknown-top-key"),
    pytest.param(HEADER.split("[[populations]]")[0], "[[populations]]", id="no-populations"),
]


@pytest.mark.parametrize("text,fragment", MODEL_ERRORS)
def test_model_file_errors_name_file_and_place(text, fragment):
    with pytest.raises(ModelFileError) as info:
        read_model_text(text, "bad.toml")
    message = str(info.value)
    assert message.startswith("bad.toml: ")
    assert fragment in message, message

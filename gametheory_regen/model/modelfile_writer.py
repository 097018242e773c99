r"""A Game written back as a model file: TOML text that reads back to the same game.

The writer is the inverse of the reader on what defines a game: populations, parameters (exact
values: an integer, or the nearest double, as TOML has no fractions), derived names, payoffs,
scenarios, schedules and dynamics.  A game made of ledger terms is written as its ``[[terms]]``
plus ``[[payoffs]]`` rows only for what the table holds beyond the terms,
:math:`T_p(s) = A_p(s) - \sum_t a_t([p = \text{to}_t] - [p = \text{source}_t])`; a game given as
a table is written as ``[[payoffs]]`` rows.  Expressions are written in sympy's string form, with
the Piecewise of ``pt_value`` written back as the call.  :func:`write_model` writes a file whole
or not at all.
"""

from __future__ import annotations

import json

import sympy as sp

from .dynamics_spec import REPLICATOR
from .game import Game, ScheduleSpec

__all__ = ["model_to_toml", "write_model"]


def _q(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _num(value: sp.Rational) -> str:
    if value.q == 1:
        return str(value.p)
    # the shortest decimal that reads back as the same double: exact for a value written in
    # decimals (143/100 -> 1.43); TOML has no fractions, so 1/3 (set in Python) is rounded
    return repr(float(value))


def _expr(expr: sp.Expr) -> str:
    return _q(_pt_sstr(sp.sympify(expr)))


def _pt_sstr(expr: sp.Expr) -> str:
    """sympy's string form, with ``pt_value``'s Piecewise written back as ``pt_value(...)``."""
    found = {}

    def as_call(node):
        if not isinstance(node, sp.Piecewise) or len(node.args) != 2:
            return None
        (e1, c1), (e2, c2) = node.args
        if c2 is not sp.true or not isinstance(c1, sp.GreaterThan) or c1.rhs != 0:
            return None
        v = c1.lhs
        a = sp.Integer(1) if e1 == v else (e1.exp if e1.is_Pow and e1.base == v else None)
        pows = [f for f in sp.Mul.make_args(e2) if f.is_Pow and sp.expand(f.base + v) == 0]
        if a is None or len(pows) != 1:
            return None
        b = pows[0].exp
        lam = sp.simplify(-e2 / pows[0])
        if lam.has(v):
            return None
        return sp.Function("pt_value")(v, a, b, lam)

    def walk(node):
        call = as_call(node)
        if call is not None:
            token = sp.Symbol(f"_ptv{len(found)}")
            found[token] = call
            return token
        if not node.args:
            return node
        return node.func(*[walk(a) for a in node.args])

    out = sp.sstr(walk(expr)) if expr.has(sp.Piecewise) else sp.sstr(expr)
    for token, call in found.items():
        out = out.replace(str(token), sp.sstr(call))
    return out


def model_to_toml(game: Game) -> str:
    """Write a game as a model file (Contract 1).

    A game made of ledger terms is written as ``[[terms]]`` (plus nothing else: the table follows
    from them); a game given as a table is written as ``[[payoffs]]`` rows for the non-zero
    profiles.  Reading the text back gives a game with the same payoffs, parameters, derived
    names and scenarios.

    Parameters
    ----------
    game : Game

    Returns
    -------
    str
        The TOML text (ends with a newline).

    Examples
    --------
    >>> from gametheory_regen.model import GameBuilder, read_model_text
    >>> b = GameBuilder("toy")
    >>> _ = b.population("government", ["enable", "withhold"])
    >>> _ = b.population("operator", ["operate", "stay_out"])
    >>> _ = b.parameter("S", 1.5, unit="million yuan", min=0)
    >>> _ = b.transfer("subsidy", "S", source="government", to="operator",
    ...                when={"government": "enable", "operator": "operate"})
    >>> b.scenario("austerity", {"S": 0})
    >>> text = model_to_toml(b.build())
    >>> print(text)
    name = "toy"
    <BLANKLINE>
    [[populations]]
    name = "government"
    strategies = ["enable", "withhold"]
    symbol = "x"
    <BLANKLINE>
    [[populations]]
    name = "operator"
    strategies = ["operate", "stay_out"]
    symbol = "y"
    <BLANKLINE>
    [parameters]
    S = { value = 1.5, unit = "million yuan", min = 0 }
    <BLANKLINE>
    [[terms]]
    label = "subsidy"
    amount = "S"
    from = "government"
    to = "operator"
    when = { government = "enable", operator = "operate" }
    <BLANKLINE>
    [scenarios.austerity]
    set = { S = 0 }
    <BLANKLINE>
    >>> again = read_model_text(text)
    >>> again.payoff_at(("enable", "operate")), again.with_scenario("austerity").values
    ((-S, S), {'S': 0})
    """
    lines = [f"name = {_q(game.name)}"]
    for key in ("title", "description", "source"):
        if getattr(game, key):
            lines.append(f"{key} = {_q(getattr(game, key))}")
    if game.time_unit != "year":
        lines.append(f"time_unit = {_q(game.time_unit)}")
    for pop in game.populations:
        strategies = ", ".join(_q(s) for s in pop.strategies)
        lines += ["", "[[populations]]", f"name = {_q(pop.name)}", f"strategies = [{strategies}]",
                  f"symbol = {_q(pop.symbol)}"]
    if game.parameters:
        lines += ["", "[parameters]"]
        for p in game.parameters:
            fields = []
            if p.value is not None:
                fields.append(f"value = {_num(p.value)}")
            if p.description:
                fields.append(f"description = {_q(p.description)}")
            if p.unit:
                fields.append(f"unit = {_q(p.unit)}")
            if p.latex:
                fields.append(f"latex = {_q(p.latex)}")
            if p.min is not None:
                fields.append(f"min = {_num(p.min)}")
            if p.max is not None:
                fields.append(f"max = {_num(p.max)}")
            lines.append(f"{p.name} = {{ {', '.join(fields)} }}")
    if game.derived:
        lines += ["", "[derived]"]
        lines += [f"{n} = {_expr(e)}" for n, e in game.derived.items()]
    if game.terms:
        for t in game.terms:
            lines += ["", "[[terms]]", f"label = {_q(t.label)}", f"amount = {_expr(t.amount)}"]
            if t.source:
                lines.append(f"from = {_q(t.source)}")
            if t.to:
                lines.append(f"to = {_q(t.to)}")
            if t.when:
                parts = []
                for pop, strategies in t.when:
                    value = _q(strategies[0]) if len(strategies) == 1 else \
                        "[" + ", ".join(_q(s) for s in strategies) + "]"
                    parts.append(f"{pop} = {value}")
                lines.append(f"when = {{ {', '.join(parts)} }}")
            if t.perceived_by:
                lines.append(f"perceived = {{ by = {_q(t.perceived_by)}, value = "
                             f"{_expr(t.perceived)} }}")
            if t.note:
                lines.append(f"note = {_q(t.note)}")
        table = _table_beyond_terms(game)
    else:
        table = dict(game.table)
    for profile, values in table.items():
        if all(v == 0 for v in values):
            continue
        if game.symmetric:
            names = ", ".join(_q(game.populations[0].strategies[i]) for i in profile)
        else:
            names = ", ".join(_q(s) for s in game.profile_names(profile))
        lines += ["", "[[payoffs]]", f"profile = [{names}]",
                  "values = [" + ", ".join(_expr(v) for v in values) + "]"]
    for (pi, si), value in sorted(game.fitness.items()):
        pop = game.populations[pi]
        lines += ["", "[[fitness]]", f"population = {_q(pop.name)}",
                  f"strategy = {_q(pop.strategies[si])}", f"value = {_expr(value)}"]
    for spec in game.schedules:
        lines += ["", f"[schedules.{spec.parameter}]"] + _schedule_lines(spec)
    for scen in game.scenarios.values():
        lines += ["", f"[scenarios.{scen.name}]"]
        if scen.description:
            lines.append(f"description = {_q(scen.description)}")
        if scen.source:
            lines.append(f"source = {_q(scen.source)}")
        sets = ", ".join(f"{k} = {_num(sp.Rational(game.parameter(k).with_value(v).value))}"
                         for k, v in scen.overrides.items())
        lines.append(f"set = {{ {sets} }}")
        for spec in scen.schedules:
            lines += ["", f"[scenarios.{scen.name}.schedules.{spec.parameter}]"]
            lines += _schedule_lines(spec)
    if game.dynamics != REPLICATOR:
        lines += ["", "[dynamics]"]
        lines += [f"{k} = {_q(v) if isinstance(v, str) else repr(float(v))}"
                  for k, v in game.dynamics.as_dict().items()]
    return "\n".join(lines) + "\n"


def _schedule_lines(spec: ScheduleSpec) -> list[str]:
    if spec.kind == "expression":
        return [f"kind = {_q(spec.kind)}", f"value = {_expr(spec.expression)}"]
    return [f"kind = {_q(spec.kind)}",
            "times = [" + ", ".join(repr(t) for t in spec.times) + "]",
            "values = [" + ", ".join(repr(v) for v in spec.values) + "]"]


def _table_beyond_terms(game: Game) -> dict:
    """Payoffs written directly in the table, i.e. the table minus what the terms give."""
    out = {}
    for profile, values in game.table.items():
        contrib = [sp.Integer(0)] * game.n_populations
        for term, _ in game.cell_terms(profile):
            c = [term.value_to(pop.name) for pop in game.populations]
            contrib = [a + b for a, b in zip(contrib, c, strict=True)]
        rest = tuple(sp.expand(v - c) for v, c in zip(values, contrib, strict=True))
        out[profile] = rest
    return out


def write_model(game: Game, path: object) -> None:
    """Write ``game`` to ``path`` as a model file, whole or not at all.

    Parameters
    ----------
    game : Game
    path : str or os.PathLike
        The target file; its folder must exist.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        When the file cannot be written (see :func:`gametheory_regen.fileio.check_writable`).

    Examples
    --------
    >>> from gametheory_regen.model.modelfile import read_model
    >>> import pathlib, shutil, tempfile
    >>> from gametheory_regen.model import Game
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_model(Game.builtin("battle_of_sexes"), d / "bos.toml")
    >>> read_model(d / "bos.toml").payoff_tensors(numeric=True)[0].tolist()
    [[2, 0], [0, 1]]
    >>> shutil.rmtree(d)
    """
    from ..fileio import write_text_atomic

    write_text_atomic(path, model_to_toml(game))

"""Model files (Contract 1 of DESIGN.md): a game written in TOML, read and written back.

The format, key by key, is documented in ``docs/model-files.md``.  In short::

    name = "toy"                       # identifier
    title = "..."; description = "..."; source = "..."  # optional text
    time_unit = "year"                 # optional (default "year")
    [[populations]]  name, strategies, symbol (optional)
    [parameters]     NAME = number  or  NAME = {value, description, unit, min, max, latex}
    [derived]        NAME = "expression"
    [[payoffs]]      profile = [...], values = [...]          (form A)
    [[terms]]        label, amount, from, to, when, note       (form B, a ledger)
    [[fitness]]      population, strategy, value               (expected payoffs, Contract 4)
    [scenarios.N]    description, source, set = {...}, schedules = {...}
    [schedules.P]    kind, times, values                       (a time-varying parameter)
    [dynamics]       kind, mutation | temperature | intensity  (Contract 4; default replicator)

A model file is untrusted: expressions are parsed by :mod:`gametheory_regen.model.expr`
(never ``eval``).  Every error names the file, the table and the key and says what was expected.
"""

from __future__ import annotations

import json
import math
import pathlib
import tomllib
from collections.abc import Mapping

import sympy as sp

from ..errors import GameInputError, ModelFileError
from .builder import GameBuilder
from .dynamics_spec import DYNAMICS_KINDS, DYNAMICS_PARAMETERS, REPLICATOR, Dynamics
from .game import Game, Parameter, ScheduleSpec
from .untrusted import _check_expanded, _check_shape, _check_strings, _read_bounded

__all__ = ["read_model", "read_model_text", "write_model", "model_to_toml"]

_TOP_KEYS = {
    "name", "title", "description", "source", "time_unit", "populations", "parameters",
    "derived", "payoffs", "terms", "scenarios", "schedules", "fitness", "dynamics",
}
_FITNESS_KEYS = {"population", "strategy", "value"}
_PARAM_KEYS = {"value", "description", "unit", "min", "max", "latex"}
_TERM_KEYS = {"label", "amount", "from", "to", "when", "note", "perceived"}
_SCENARIO_KEYS = {"description", "source", "set", "schedules"}
_SCHEDULE_KEYS = {"kind", "times", "values", "value"}
SCHEDULE_KINDS = ("piecewise_constant", "piecewise_linear", "expression")


def read_model(path: object) -> Game:
    """Read a model file.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    Game
        Its :attr:`~gametheory_regen.model.game.Game.path` is ``path``.

    Raises
    ------
    ModelFileError
        When the file is missing, unreadable, not TOML, or breaks Contract 1.

    Examples
    --------
    >>> from gametheory_regen.model.library import builtin_path
    >>> game = read_model(builtin_path("rock_paper_scissors"))
    >>> game.shape, game.payoff_at(("rock", "scissors"))
    ((3, 3), (w, -w))
    >>> read_model("missing.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: missing.toml: no such model file ...
    """
    p = pathlib.Path(str(path))
    if not p.exists():
        raise ModelFileError(f"{p}: no such model file (give a path to a .toml file or a built-in "
                             f"model name; `gametheory-regen models` lists them)")
    if p.is_dir():
        raise ModelFileError(f"{p}: is a folder, expected a .toml model file")
    return read_model_text(_read_bounded(p), str(p))


def read_model_text(text: str, filename: str = "<model>") -> Game:
    """Read a model from TOML text; ``filename`` is used in error messages.

    Parameters
    ----------
    text : str
        The model, in the format of ``docs/model-files.md``.
    filename : str
        Shown at the start of every error message.

    Returns
    -------
    Game

    Raises
    ------
    ModelFileError
        For invalid TOML or a model that breaks the format (unknown keys, names, strategies,
        expressions, values outside bounds); the message names the table and key.

    Examples
    --------
    A prisoner's dilemma of donation games (benefit ``b``, cost ``c``):

    >>> text = '''
    ... name = "pd"
    ... [[populations]]
    ... name = "row"
    ... strategies = ["cooperate", "defect"]
    ... [[populations]]
    ... name = "column"
    ... strategies = ["cooperate", "defect"]
    ... [parameters]
    ... b = 3
    ... c = { value = 1, min = 0 }
    ... [[payoffs]]
    ... profile = ["cooperate", "cooperate"]
    ... values = ["b - c", "b - c"]
    ... [[payoffs]]
    ... profile = ["cooperate", "defect"]
    ... values = ["-c", "b"]
    ... [[payoffs]]
    ... profile = ["defect", "cooperate"]
    ... values = ["b", "-c"]
    ... '''
    >>> pd = read_model_text(text, "pd.toml")
    >>> pd, pd.payoff_at(("defect", "cooperate")), pd.values
    (Game('pd', 2x2, 2 parameters), (b, -c), {'b': 3, 'c': 1})
    >>> read_model_text(text.replace('"b - c", "b - c"', '"b - d", "b - c"'), "pd.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: pd.toml: [[payoffs]] 1, key `values`, value 1: ...
    """
    from .. import limits

    if len(text) > limits.get("model_file_bytes"):
        raise ModelFileError(f"{filename}: {len(text)} characters is above the limit "
                             f"`model_file_bytes` = {limits.get('model_file_bytes')}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{filename}: not valid TOML: {exc}") from exc
    except (ValueError, RecursionError) as exc:  # an integer beyond Python's digit limit
        raise ModelFileError(f"{filename}: a number too long to read (more than 4300 digits); "
                             f"numbers are limited to {limits.get('number_digits')} digits (limit "
                             f"`number_digits`, docs/limits.md): write it with an exponent") from exc
    _check_strings(data, filename, "top level")
    _check_shape(data, filename)
    try:
        return _Reader(filename).read(data)
    except ModelFileError:
        raise
    except GameInputError as exc:
        raise ModelFileError(f"{filename}: {exc}") from exc


class _Reader:
    def __init__(self, filename: str) -> None:
        self.f = filename
        self._b: GameBuilder | None = None

    def err(self, where: str, message: str) -> ModelFileError:
        return ModelFileError(f"{self.f}: {where}: {message}")

    def text(self, table: Mapping, key: str, where: str, required: bool = False) -> str:
        if key not in table:
            if required:
                raise self.err(where, f"missing key `{key}` (a string)")
            return ""
        value = table[key]
        if not isinstance(value, str):
            raise self.err(f"{where}, key `{key}`", f"expected a string, got {value!r}")
        return value

    def unknown_keys(self, table: Mapping, allowed: set[str], where: str) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            raise self.err(where, f"unknown key(s) {', '.join(extra)}; allowed keys: "
                           f"{', '.join(sorted(allowed))}")

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.err(where, f"expected a number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.err(where, f"expected a finite number, got {value!r}")
        return value

    def read(self, data: Mapping) -> Game:
        self.unknown_keys(data, _TOP_KEYS, "top level")
        name = self.text(data, "name", "top level", required=True)
        if not name.replace("-", "_").isidentifier():
            raise self.err("top level, key `name`", f"expected an identifier, got {name!r}")
        b = GameBuilder(
            name,
            title=self.text(data, "title", "top level"),
            description=self.text(data, "description", "top level"),
            source=self.text(data, "source", "top level"),
            time_unit=self.text(data, "time_unit", "top level") or "year",
        )
        b.path = self.f
        self._b = b
        self.populations(b, data.get("populations"))
        self.parameters(b, data.get("parameters", {}))
        self.derived(b, data.get("derived", {}))
        b._expanded_known = _check_expanded(b, self.f)
        self.payoffs(b, data.get("payoffs", []))
        if len(b._populations) == 1 and data.get("terms"):
            raise self.err("[[terms]]", "terms are for games of two or more populations; write a "
                           "single-population game's payoffs as [[payoffs]] rows with profile = "
                           "[own, opponent] and one value")
        self.terms(b, data.get("terms", []))
        self.fitness(b, data.get("fitness", []))
        for spec in self.schedules(data.get("schedules", {}), "[schedules]"):
            self.check_param(spec.parameter, b, f"[schedules.{spec.parameter}]")
            self.schedule_bounds(spec, b, f"[schedules.{spec.parameter}]")
            b.schedule(spec)
        self.scenarios(b, data.get("scenarios", {}))
        try:
            game = b.build()
        except ModelFileError:
            raise
        except GameInputError as exc:
            raise ModelFileError(f"{self.f}: {exc}") from exc
        from .game import check_bounded_values

        check_bounded_values(game, "[parameters] values")
        return game.with_dynamics(self.dynamics(data.get("dynamics")))

    def dynamics(self, table: object) -> Dynamics:
        """The ``[dynamics]`` table (Contract 4): ``kind`` and the kind's one parameter."""
        if table is None:
            return REPLICATOR
        where = "[dynamics]"
        if not isinstance(table, dict):
            raise self.err(where, "expected a table with `kind` (and the kind's parameter), e.g. "
                           "kind = \"logit\" and temperature = 0.1")
        names = {spec[0]: kind for kind, spec in DYNAMICS_PARAMETERS.items()}
        self.unknown_keys(table, {"kind", *names}, where)
        kind = table.get("kind", "replicator")
        if not isinstance(kind, str) or kind not in DYNAMICS_KINDS:
            raise self.err(f"{where}, key `kind`", f"expected one of {', '.join(DYNAMICS_KINDS)}; "
                           f"got {kind!r}")
        params = {}
        for name, owner in names.items():
            if name not in table:
                continue
            key = f"{where}, key `{name}`"
            if owner != kind:
                raise self.err(key, f"{name} is the parameter of dynamics {owner!r}, not of "
                               f"{kind!r}; remove it or set kind = {owner!r}")
            try:
                params[name] = float(self.number(table[name], key))
            except OverflowError:
                raise self.err(key, f"expected a finite number, got {table[name]!r}") from None
        try:
            return Dynamics(kind, **params)
        except GameInputError as exc:
            spec = DYNAMICS_PARAMETERS.get(kind)
            key = f"{where}, key `{spec[0]}`" if spec else where
            raise self.err(key, str(exc)) from exc

    def schedule_bounds(self, spec: ScheduleSpec, b: GameBuilder, where: str) -> None:
        """Every breakpoint value within the parameter's bounds (a linear piece lies between
        its end values, so the breakpoints decide), and every linear piece of finite slope."""
        param = b._parameters[spec.parameter]
        for t, v in zip(spec.times, spec.values, strict=True):
            if param.min is not None and v < param.min:
                raise self.err(f"{where}, key `values`", f"value {v:g} at t = {t:g} is below the "
                               f"declared min {param.min} of {spec.parameter!r}")
            if param.max is not None and v > param.max:
                raise self.err(f"{where}, key `values`", f"value {v:g} at t = {t:g} is above the "
                               f"declared max {param.max} of {spec.parameter!r}")
        if spec.kind == "piecewise_linear":
            pts = list(zip(spec.times, spec.values, strict=True))
            for (ta, va), (tb, vb) in zip(pts, pts[1:]):
                try:
                    slope = (vb - va) / (tb - ta)
                except (ZeroDivisionError, OverflowError):
                    slope = math.inf
                if not math.isfinite(slope) or abs(slope) > 1e100:
                    raise self.err(f"{where}, key `times`",
                                   f"the linear piece from t = {ta!r} to {tb!r} is too short for "
                                   f"its change from {va:g} to {vb:g}; use piecewise_constant for "
                                   f"a jump, or space the times further apart")

    def schedule_expression(self, b: GameBuilder, pname: str, text: object, where: str) -> sp.Expr:
        """Parse a schedule's expression: time ``t`` and parameters, never a share."""
        from ..errors import ExpressionError
        from .expr import parse_expression

        names = {n: p.symbol for n, p in b._parameters.items()}
        shares = set(b.share_names())
        state_derived = {n for n, e in b._derived_raw.items()
                         if {str(s) for s in e.free_symbols} & shares}
        names.update({n: sp.Symbol(n, real=True) for n in b._derived_raw
                      if n not in state_derived})
        names["t"] = sp.Symbol("t", real=True)
        try:
            expr = parse_expression(text, names, where)
        except ExpressionError as exc:
            bad = _names_in(text) & (shares | state_derived)
            if bad:
                raise self.err(where, f"{sorted(bad)[0]!r} is a share of the state; a "
                               f"schedule is a function of time t and parameters only") from exc
            raise ModelFileError(f"{self.f}: {exc}") from exc
        if pname in {str(s) for s in expr.free_symbols}:
            raise self.err(where, f"the schedule of {pname!r} may not use {pname!r} itself")
        return expr

    def check_param(self, pname: str, b: GameBuilder, where: str) -> None:
        if pname not in b._parameters:
            known = ", ".join(b._parameters) or "(none)"
            raise self.err(where, f"unknown parameter {pname!r}; known parameters: {known}")

    def populations(self, b: GameBuilder, pops: object) -> None:
        if not isinstance(pops, list) or not pops:
            raise self.err("[[populations]]", "expected at least one [[populations]] table (one: "
                           "a symmetric game), each with `name` and `strategies`")
        for i, pop in enumerate(pops, 1):
            where = f"[[populations]] {i}"
            if not isinstance(pop, dict):
                raise self.err(where, "expected a table with `name` and `strategies`")
            self.unknown_keys(pop, {"name", "strategies", "symbol"}, where)
            name = self.text(pop, "name", where, required=True)
            strategies = pop.get("strategies")
            if not isinstance(strategies, list) or len(strategies) < 2 or not all(
                isinstance(s, str) and s for s in strategies
            ):
                raise self.err(f"{where} ({name}), key `strategies`",
                               f"expected a list of at least two strategy names, got {strategies!r}")
            symbol = pop.get("symbol")
            try:
                b.population(name, strategies, symbol)
            except GameInputError as exc:
                raise self.err(where, str(exc)) from exc

    def parameters(self, b: GameBuilder, params: object) -> None:
        if not isinstance(params, dict):
            raise self.err("[parameters]", "expected a table NAME = number or NAME = {value = ...}")
        for name, spec in params.items():
            where = f"[parameters], key `{name}`"
            if isinstance(spec, dict):
                self.unknown_keys(spec, _PARAM_KEYS, where)
                kwargs = {}
                for key in ("value", "min", "max"):
                    if key in spec:
                        kwargs[key] = self.number(spec[key], f"{where}.{key}")
                description = self.text(spec, "description", where)
                unit = self.text(spec, "unit", where)
                latex = self.text(spec, "latex", where)
            else:
                kwargs = {"value": self.number(spec, where)}
                description = unit = latex = ""
            try:
                b.add_parameter(Parameter.make(name, kwargs.get("value"), description, unit,
                                               kwargs.get("min"), kwargs.get("max"), where=where,
                                               latex=latex))
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: {exc}") from exc

    def derived(self, b: GameBuilder, derived: object) -> None:
        if not isinstance(derived, dict):
            raise self.err("[derived]", "expected a table NAME = \"expression\"")
        for name, expr in derived.items():
            try:
                b.derived(name, expr)
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: [derived], key `{name}`: {exc}") from exc

    def payoffs(self, b: GameBuilder, rows: object) -> None:
        if not isinstance(rows, list):
            raise self.err("[[payoffs]]", "expected an array of tables [[payoffs]]")
        for i, row in enumerate(rows, 1):
            where = f"[[payoffs]] {i}"
            if not isinstance(row, dict):
                raise self.err(where, "expected a table with `profile` and `values`")
            self.unknown_keys(row, {"profile", "values"}, where)
            for key in ("profile", "values"):
                if key not in row:
                    raise self.err(where, f"missing key `{key}`")
                if not isinstance(row[key], list):
                    raise self.err(f"{where}, key `{key}`", f"expected a list, got {row[key]!r}")
            if not all(isinstance(s, str) for s in row["profile"]):
                raise self.err(f"{where}, key `profile`", "expected a list of strategy names")
            pops = b._populations
            if len(pops) == 1:
                self.symmetric_row(b, row, where)
                continue
            if len(row["profile"]) != len(pops):
                raise self.err(f"{where}, key `profile`",
                               f"expected {len(pops)} strategies (one per population, in order "
                               f"{', '.join(p[0] for p in pops)}), got {len(row['profile'])}")
            for (pop_name, strategies, _), s in zip(pops, row["profile"], strict=True):
                if s not in strategies:
                    raise self.err(f"{where}, key `profile`",
                                   f"unknown strategy {s!r} of population {pop_name!r}; its "
                                   f"strategies are {', '.join(strategies)}")
            try:
                b.payoff(row["profile"], row["values"], where=f"{where}, key `values`")
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: {exc}") from exc

    def symmetric_row(self, b: GameBuilder, row: Mapping, where: str) -> None:
        pop_name, strategies, _ = b._populations[0]
        if len(row["profile"]) != 2:
            raise self.err(f"{where}, key `profile`",
                           f"a single-population game's profile is [own strategy, opponent's "
                           f"strategy], got {row['profile']!r}")
        for s in row["profile"]:
            if s not in strategies:
                raise self.err(f"{where}, key `profile`",
                               f"unknown strategy {s!r} of population {pop_name!r}; its "
                               f"strategies are {', '.join(strategies)}")
        if len(row["values"]) != 1:
            raise self.err(f"{where}, key `values`",
                           f"a single-population game's row holds one value (the payoff of the "
                           f"player using {row['profile'][0]!r}), got {len(row['values'])}")
        try:
            b.payoff(row["profile"], row["values"], where=f"{where}, key `values`")
        except GameInputError as exc:
            raise ModelFileError(f"{self.f}: {exc}") from exc

    def fitness(self, b: GameBuilder, rows: object) -> None:
        if not isinstance(rows, list):
            raise self.err("[[fitness]]", "expected an array of tables [[fitness]]")
        for i, row in enumerate(rows, 1):
            where = f"[[fitness]] {i}"
            if not isinstance(row, dict):
                raise self.err(where, "expected a table with `population`, `strategy`, `value`")
            self.unknown_keys(row, _FITNESS_KEYS, where)
            pop = self.text(row, "population", where, required=True)
            strategy = self.text(row, "strategy", where, required=True)
            if "value" not in row:
                raise self.err(where, "missing key `value` (an expression or a number)")
            try:
                b.fitness(pop, strategy, row["value"], where=f"{where}")
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: {exc}") from exc

    def terms(self, b: GameBuilder, rows: object) -> None:
        if not isinstance(rows, list):
            raise self.err("[[terms]]", "expected an array of tables [[terms]]")
        for i, row in enumerate(rows, 1):
            where = f"[[terms]] {i}"
            if not isinstance(row, dict):
                raise self.err(where, "expected a table with `label`, `amount`, `from`/`to`")
            self.unknown_keys(row, _TERM_KEYS, where)
            label = self.text(row, "label", where, required=True)
            where = f"[[terms]] {i} ({label})"
            if "amount" not in row:
                raise self.err(where, "missing key `amount` (an expression or a number)")
            when = row.get("when")
            if when is not None and not isinstance(when, dict):
                raise self.err(f"{where}, key `when`", "expected a table population = strategy")
            try:
                b.term(label, row["amount"], source=row.get("from"), to=row.get("to"), when=when,
                       note=self.text(row, "note", where), perceived=row.get("perceived"))
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: [[terms]] {i}: {exc}") from exc

    def schedules(self, table: object, where: str) -> list[ScheduleSpec]:
        if not isinstance(table, dict):
            raise self.err(where, "expected tables [schedules.PARAMETER] with kind, times, values")
        out = []
        for pname, spec in table.items():
            w = f"{where[:-1]}.{pname}]"
            if not isinstance(spec, dict):
                raise self.err(w, "expected a table with `kind`, `times` and `values`")
            self.unknown_keys(spec, _SCHEDULE_KEYS, w)
            kind = spec.get("kind", "piecewise_constant")
            if kind not in SCHEDULE_KINDS:
                raise self.err(f"{w}, key `kind`",
                               f"expected one of {', '.join(SCHEDULE_KINDS)}, got {kind!r}")
            if kind == "expression":
                out.append(self.expression_schedule(pname, spec, w))
                continue
            if "value" in spec:
                raise self.err(f"{w}, key `value`", "`value` is for kind = \"expression\"; "
                               "a piecewise schedule has `times` and `values`")
            times = spec.get("times")
            values = spec.get("values")
            for key, seq in (("times", times), ("values", values)):
                if not isinstance(seq, list) or not seq:
                    raise self.err(f"{w}, key `{key}`", f"expected a non-empty list of numbers, got {seq!r}")
            times_f = tuple(float(self.number(t, f"{w}, key `times`")) for t in times)
            values_f = tuple(float(self.number(v, f"{w}, key `values`")) for v in values)
            if len(times_f) != len(values_f):
                raise self.err(w, f"`times` has {len(times_f)} entries but `values` has {len(values_f)}")
            if any(b <= a for a, b in zip(times_f, times_f[1:], strict=False)):
                raise self.err(f"{w}, key `times`", f"expected strictly increasing times, got {times}")
            out.append(ScheduleSpec(pname, kind, times_f, values_f))
        return out

    def expression_schedule(self, pname: str, spec: Mapping, w: str) -> ScheduleSpec:
        extra = sorted(set(spec) & {"times", "values"})
        if extra:
            raise self.err(f"{w}, key `{extra[0]}`", "an expression schedule has `value` (an "
                           "expression in t and parameters), not times/values")
        if "value" not in spec:
            raise self.err(w, "missing key `value` (an expression in t, e.g. \"1.43*exp(-0.2*t)\")")
        expr = self.schedule_expression(self._b, pname, spec["value"], f"{w}, key `value`")
        return ScheduleSpec(pname, "expression", (), (), expression=expr)

    def scenarios(self, b: GameBuilder, table: object) -> None:
        if not isinstance(table, dict):
            raise self.err("[scenarios]", "expected tables [scenarios.NAME]")
        for name, spec in table.items():
            where = f"[scenarios.{name}]"
            if not isinstance(spec, dict):
                raise self.err(where, "expected a table with `description` and `set`")
            self.unknown_keys(spec, _SCENARIO_KEYS, where)
            overrides = spec.get("set", {})
            if not isinstance(overrides, dict):
                raise self.err(f"{where}, key `set`", "expected a table NAME = number")
            for pname, value in overrides.items():
                self.check_param(pname, b, f"{where}, key `set.{pname}`")
                self.number(value, f"{where}, key `set.{pname}`")
            schedules = self.schedules(spec.get("schedules", {}), f"{where[:-1]}.schedules]")
            for sched in schedules:
                self.check_param(sched.parameter, b, f"{where}, schedules.{sched.parameter}")
                self.schedule_bounds(sched, b, f"{where}, schedules.{sched.parameter}")
            try:
                b.scenario(name, overrides, description=self.text(spec, "description", where),
                           source=self.text(spec, "source", where), schedules=schedules)
            except GameInputError as exc:
                raise ModelFileError(f"{self.f}: {where}: {exc}") from exc


def _names_in(text: object) -> set[str]:
    """Every name in an expression's text (for error messages; no evaluation)."""
    import ast

    if not isinstance(text, str):
        return set()
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


# ---------------------------------------------------------------------- writer
def _q(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _num(value: sp.Rational) -> str:
    if value.q == 1:
        return str(value.p)
    as_float = float(value)
    if sp.Rational(repr(as_float)) == value:
        return repr(as_float)
    return repr(as_float)  # TOML has no fractions: the nearest double (a value set in Python)


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

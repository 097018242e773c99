"""A model file's tables, checked key by key and told to a GameBuilder.

A model file (Contract 1 of DESIGN.md) is a TOML document: a top level (``name``, text), then
tables.  :class:`_Reader` reads them in one fixed order, so that every name is declared before it
is used: ``[[populations]]`` (strategies, share symbols), ``[parameters]`` (exact values, bounds),
``[derived]`` (expressions of parameters, their expanded size bounded before anything is
expanded), then the payoffs (``[[payoffs]]`` rows, ``[[terms]]`` of a ledger, ``[[fitness]]``),
``[schedules]`` (a parameter as a function of time :math:`t`: piecewise constant, piecewise
linear with finite slopes, or an expression in :math:`t` and parameters, never the shares) and
``[scenarios]``, each a call of :class:`~gametheory_regen.model.builder.GameBuilder`; the built
game's values are checked against their bounds and ``[dynamics]`` (Contract 4) is set last.
Every table's keys are checked against the allowed set, and every error is a
:class:`~gametheory_regen.errors.ModelFileError` that names the file, the table and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sympy as sp

from ..errors import GameInputError, ModelFileError
from .builder import GameBuilder
from .dynamics_spec import DYNAMICS_KINDS, DYNAMICS_PARAMETERS, REPLICATOR, Dynamics
from .game import Game, Parameter, ScheduleSpec
from .untrusted import _check_expanded

__all__ = ["SCHEDULE_KINDS"]

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

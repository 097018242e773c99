"""The ledger builder: a game told as costs, benefits and transfers.

Papers in collaborative governance describe payoffs as a ledger: *the government pays the
operator a subsidy S when it enables and the operator operates*; *residents bear an effort cost e
when they participate*.  Each such sentence is a :class:`~gametheory_regen.model.game.Term` with a
label, an amount, a payer (``source``), a receiver (``to``) and the conditions (``when``) on the
profile under which it flows.  The payoff of population :math:`p` at profile :math:`s` is

.. math::  A_p(s) = \\sum_{t \\text{ active at } s} a_t\\,([p = \\text{to}_t] - [p = \\text{source}_t])

plus any payoff written directly into the table (:meth:`GameBuilder.payoff`).  So a transfer is
zero-sum between its two parties, a cost has only a payer and a benefit only a receiver, and every
cell of the derived table can say which terms it is made of (:meth:`Game.cell_terms`).

Examples
--------
>>> b = GameBuilder("toy")
>>> _ = b.population("government", ["enable", "withhold"])
>>> _ = b.population("operator", ["operate", "stay_out"])
>>> S = b.parameter("S", 1.5, description="subsidy", unit="million yuan", min=0)
>>> _ = b.transfer("subsidy", "S", source="government", to="operator",
...                when={"government": "enable", "operator": "operate"})
>>> _ = b.cost("investment", 2, who="operator", when={"operator": "operate"})
>>> game = b.build()
>>> game.payoff_at(("enable", "operate"))
(-S, S - 2)
>>> [t.label for t, _ in game.cell_terms(("enable", "operate"))]
['subsidy', 'investment']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..errors import GameInputError
from .expr import parse_expression
from .game import (
    DEFAULT_SYMBOLS,
    Game,
    Parameter,
    Population,
    Scenario,
    ScheduleSpec,
    Term,
)

__all__ = ["GameBuilder"]


class GameBuilder:
    """Collects populations, parameters, derived names, terms and table entries, then builds a Game.

    Amounts and payoffs may be numbers, sympy expressions, or strings parsed safely
    (:func:`~gametheory_regen.model.expr.parse_expression`) over the declared names.
    """

    def __init__(
        self,
        name: str,
        *,
        title: str = "",
        description: str = "",
        source: str = "",
        time_unit: str = "year",
    ) -> None:
        if not isinstance(name, str) or not name:
            raise GameInputError(f"a game needs a non-empty name, got {name!r}")
        self.name = name
        self.meta = {"title": title, "description": description, "source": source,
                     "time_unit": time_unit}
        self._populations: list[tuple[str, tuple[str, ...], str | None]] = []
        self._parameters: dict[str, Parameter] = {}
        self._derived_raw: dict[str, sp.Expr] = {}
        self._terms: list[Term] = []
        self._table: dict[tuple[str, ...], tuple[sp.Expr, ...]] = {}
        self._scenarios: dict[str, Scenario] = {}
        self._schedules: list[ScheduleSpec] = []
        self.path: str | None = None

    # ------------------------------------------------------------ declarations
    def population(self, name: str, strategies: Sequence[str], symbol: str | None = None) -> str:
        """Declare a population (in order); returns its name."""
        where = f"population {name!r}"
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"{where}: a population name must be an identifier")
        if any(p[0] == name for p in self._populations):
            raise GameInputError(f"{where}: declared twice")
        if isinstance(strategies, str) or len(strategies) < 2:
            raise GameInputError(f"{where}: needs a list of at least two strategy names")
        for s in strategies:
            if not isinstance(s, str) or not s:
                raise GameInputError(f"{where}: strategy names must be non-empty strings, got {s!r}")
        if symbol is not None and (not isinstance(symbol, str) or not symbol.isidentifier()):
            raise GameInputError(f"{where}: symbol must be an identifier, got {symbol!r}")
        self._populations.append((name, tuple(strategies), symbol))
        return name

    def add_parameter(self, param: Parameter) -> sp.Symbol:
        """Declare a ready-made :class:`Parameter`; returns its symbol."""
        if param.name in self._parameters or param.name in self._derived_raw:
            raise GameInputError(f"parameter {param.name!r}: declared twice")
        self._parameters[param.name] = param
        return param.symbol

    def parameter(
        self,
        name: str,
        value: object = None,
        *,
        description: str = "",
        unit: str = "",
        min: object = None,
        max: object = None,
    ) -> sp.Symbol:
        """Declare a parameter (value None leaves it free); returns its sympy symbol."""
        return self.add_parameter(Parameter.make(name, value, description, unit, min, max))

    def derived(self, name: str, expression: object) -> sp.Symbol:
        """Declare a derived name for an expression of parameters (and earlier derived names)."""
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"derived name {name!r} must be an identifier")
        if name in self._parameters or name in self._derived_raw:
            raise GameInputError(f"derived name {name!r}: declared twice")
        self._derived_raw[name] = self._expr(expression, f"derived {name!r}")
        return sp.Symbol(name, real=True)

    def names(self) -> dict[str, sp.Basic]:
        """Every name an expression may use: parameters, then derived names."""
        out: dict[str, sp.Basic] = {n: p.symbol for n, p in self._parameters.items()}
        out.update({n: sp.Symbol(n, real=True) for n in self._derived_raw})
        return out

    def _expr(self, value: object, where: str) -> sp.Expr:
        if isinstance(value, sp.Basic):
            return value
        return parse_expression(value, self.names(), where)

    def _pop_names(self) -> list[str]:
        return [p[0] for p in self._populations]

    def _check_pop(self, name: str | None, where: str) -> None:
        if name is not None and name not in self._pop_names():
            raise GameInputError(
                f"{where}: unknown population {name!r}; populations are "
                f"{', '.join(self._pop_names())}"
            )

    def _when(self, when: Mapping[str, object] | None, where: str) -> tuple:
        if when is None:
            return ()
        if not isinstance(when, Mapping):
            raise GameInputError(
                f"{where}: `when` must be a table population = strategy, got {when!r}"
            )
        out = []
        for pop_name, strategies in when.items():
            self._check_pop(pop_name, f"{where}, when")
            strategies_of = dict((p[0], p[1]) for p in self._populations)[pop_name]
            listed = (strategies,) if isinstance(strategies, str) else tuple(strategies)
            if not listed:
                raise GameInputError(f"{where}, when.{pop_name}: give at least one strategy")
            for s in listed:
                if s not in strategies_of:
                    raise GameInputError(
                        f"{where}, when.{pop_name}: unknown strategy {s!r}; strategies of "
                        f"{pop_name!r} are {', '.join(strategies_of)}"
                    )
            out.append((pop_name, listed))
        return tuple(out)

    # ------------------------------------------------------------ ledger terms
    def term(
        self,
        label: str,
        amount: object,
        *,
        source: str | None = None,
        to: str | None = None,
        when: Mapping[str, object] | None = None,
        note: str = "",
    ) -> Term:
        """Add a ledger term: ``amount`` flows from ``source`` to ``to`` when ``when`` holds."""
        where = f"term {label!r}"
        if not isinstance(label, str) or not label:
            raise GameInputError(f"a term needs a non-empty label, got {label!r}")
        if source is None and to is None:
            raise GameInputError(f"{where}: give at least one of `from` (payer) and `to` (receiver)")
        if source is not None and source == to:
            raise GameInputError(f"{where}: `from` and `to` are the same population {to!r}")
        self._check_pop(source, f"{where}, from")
        self._check_pop(to, f"{where}, to")
        t = Term(label, self._expr(amount, f"{where}, amount"), source, to,
                 self._when(when, where), note)
        self._terms.append(t)
        return t

    def cost(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A cost borne by ``who``."""
        return self.term(label, amount, source=who, when=when, note=note)

    def benefit(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A benefit received by ``who``."""
        return self.term(label, amount, to=who, when=when, note=note)

    def transfer(self, label: str, amount: object, *, source: str, to: str, when=None,
                 note: str = "") -> Term:
        """A transfer from ``source`` to ``to``."""
        return self.term(label, amount, source=source, to=to, when=when, note=note)

    # ------------------------------------------------------------ table form
    def payoff(self, profile: Sequence[str], values: Sequence[object], where: str = "") -> None:
        """Add payoffs at a profile (strategy names in population order); they add to the ledger."""
        where = where or f"payoff {list(profile)}"
        if isinstance(profile, str) or len(profile) != len(self._populations):
            raise GameInputError(
                f"{where}: a profile lists one strategy per population "
                f"({', '.join(self._pop_names())}), got {profile!r}"
            )
        for (pop_name, strategies, _), s in zip(self._populations, profile, strict=True):
            if s not in strategies:
                raise GameInputError(
                    f"{where}: unknown strategy {s!r} of population {pop_name!r}; its strategies "
                    f"are {', '.join(strategies)}"
                )
        if isinstance(values, str) or len(values) != len(self._populations):
            n = len(values) if not isinstance(values, str) else 1
            raise GameInputError(
                f"{where}: expected {len(self._populations)} values (one per population, in "
                f"order {', '.join(self._pop_names())}), got {n}"
            )
        exprs = tuple(self._expr(v, f"{where}, value {i + 1}") for i, v in enumerate(values))
        key = tuple(profile)
        if key in self._table:
            raise GameInputError(f"{where}: profile {list(profile)} is given twice")
        self._table[key] = exprs

    # ------------------------------------------------------------ scenarios
    def scenario(self, name: str, overrides: Mapping[str, object] | None = None, *,
                 description: str = "", source: str = "",
                 schedules: Sequence[ScheduleSpec] = ()) -> None:
        """Declare a named policy: parameter overrides (checked when applied) and schedules."""
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"scenario name {name!r} must be an identifier")
        if name in self._scenarios:
            raise GameInputError(f"scenario {name!r}: declared twice")
        self._scenarios[name] = Scenario(name, description, source, dict(overrides or {}),
                                         tuple(schedules))

    def schedule(self, spec: ScheduleSpec) -> None:
        """Declare a model-level parameter schedule."""
        self._schedules.append(spec)

    # ------------------------------------------------------------ build
    def build(self) -> Game:
        """Check everything and return the immutable :class:`Game`."""
        if len(self._populations) < 2:
            raise GameInputError(
                f"game {self.name!r}: needs at least two populations, got {len(self._populations)}"
            )
        used = set(self._parameters) | set(self._derived_raw)
        pops = []
        free_symbols = iter(s for s in DEFAULT_SYMBOLS if s not in used)
        for name, strategies, symbol in self._populations:
            if symbol is None:
                symbol = next(free_symbols, None) or f"s{len(pops) + 1}"
            pops.append(Population(name, strategies, symbol))
        # expand derived names inside derived names (in declaration order)
        derived: dict[str, sp.Expr] = {}
        for name, expr in self._derived_raw.items():
            derived[name] = expr.xreplace({sp.Symbol(n, real=True): e for n, e in derived.items()})
        zero = tuple(sp.Integer(0) for _ in pops)
        table: dict[tuple[int, ...], tuple[sp.Expr, ...]] = {}
        game_shell = Game(self.name, tuple(pops), tuple(self._parameters.values()),
                          {(0,) * len(pops): zero}, derived)
        for profile in game_shell.profiles():
            named = {p.name: p.strategies[i] for p, i in zip(pops, profile, strict=True)}
            values = list(self._table.get(game_shell.profile_names(profile), zero))
            for t in self._terms:
                if t.active(named):
                    for j, p in enumerate(pops):
                        if t.to == p.name:
                            values[j] = values[j] + t.amount
                        if t.source == p.name:
                            values[j] = values[j] - t.amount
            table[profile] = tuple(values)
        for name, scen in self._scenarios.items():
            for pname in scen.overrides:
                if pname not in self._parameters:
                    known = ", ".join(self._parameters) or "(none)"
                    raise GameInputError(
                        f"scenario {name!r}: unknown parameter {pname!r}; known parameters: {known}"
                    )
        game = Game(
            self.name, tuple(pops), tuple(self._parameters.values()), table, derived,
            tuple(self._terms), self._scenarios, tuple(self._schedules), path=self.path,
            **self.meta,
        )
        for name, scen in self._scenarios.items():
            game.with_values(scen.overrides, where=f"scenario {name!r}")  # validates values
        return game

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

Where the code lives
--------------------
This module holds :class:`GameBuilder`'s fields, its scenarios and schedules, and :meth:`build`
(the checks and the table the ledger makes); its other methods are in two mixins, each module
opening with its mathematics: :mod:`.builder_declarations` (populations, share symbols,
parameters, derived names, and reading an amount over them) and :mod:`.builder_payoffs` (ledger
terms, table entries, expected payoffs given directly).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..errors import ExpressionError, GameInputError  # noqa: F401  (names before the split)
from .builder_declarations import BuilderDeclarations
from .builder_payoffs import BuilderPayoffs
from .expr import parse_expression  # noqa: F401  (names of this module before the split)
from .game import (  # noqa: F401  (names of this module before the split)
    DEFAULT_SYMBOLS,
    Game,
    Parameter,
    Population,
    Scenario,
    ScheduleSpec,
    Term,
)
from .untrusted import (  # noqa: F401  (names of this module before the split)
    check_cells,
    check_counts,
    check_expanded,
    check_text,
)

__all__ = ["GameBuilder"]


class GameBuilder(BuilderDeclarations, BuilderPayoffs):
    """Collects populations, parameters, derived names, terms and table entries, then builds a Game.

    Amounts and payoffs may be numbers, sympy expressions, or strings parsed safely
    (:func:`~gametheory_regen.model.expr.parse_expression`) over the declared names.

    Parameters
    ----------
    name : str
        The game's name (non-empty).
    title, description, source : str
        Free text carried into the game.
    time_unit : str
        The unit of time of schedules and of the dynamics (default ``"year"``).

    Raises
    ------
    GameInputError
        For an empty name.

    Examples
    --------
    A two-population coordination game written as a table (every method checks its input at
    once, so errors point at the line that caused them):

    >>> b = GameBuilder("coordination", title="Pure coordination")
    >>> _ = b.population("row", ["left", "right"])
    >>> _ = b.population("column", ["left", "right"])
    >>> a = b.parameter("a", 2, min=0)
    >>> b.payoff(("left", "left"), ("a", "a"))
    >>> b.payoff(("right", "right"), (1, 1))
    >>> game = b.build()
    >>> game, game.title
    (Game('coordination', 2x2, 1 parameters), 'Pure coordination')
    >>> game.payoff_at(("left", "right")), game.payoff_at(("left", "left"))
    ((0, 0), (a, a))
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
        check_text(name, "game name")
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
        self._fitness: dict[tuple[int, int], sp.Expr] = {}
        self.path: str | None = None
        #: Sizes of the derived names once expanded, when a model-file reader checked them.
        self._expanded_known: dict | None = None

    # ------------------------------------------------------------ scenarios
    def scenario(self, name: str, overrides: Mapping[str, object] | None = None, *,
                 description: str = "", source: str = "",
                 schedules: Sequence[ScheduleSpec] = ()) -> None:
        """Declare a named policy: parameter overrides (checked when applied) and schedules.

        Parameters
        ----------
        name : str
            An identifier, not yet declared.
        overrides : mapping of str to number, optional
            Parameter values of the policy; :meth:`build` checks the names and bounds.
        description, source : str
            What the policy is and where it comes from.
        schedules : sequence of ScheduleSpec
            Time schedules that hold under this policy.

        Returns
        -------
        None

        Raises
        ------
        GameInputError
            For a bad or repeated name (unknown parameters are reported by :meth:`build`).

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("government", ["enable", "withhold"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("S", 1.5, min=0)
        >>> _ = b.transfer("subsidy", "S", source="government", to="operator",
        ...                when={"government": "enable"})
        >>> b.scenario("austerity", {"S": 0}, description="no subsidy")
        >>> game = b.build()
        >>> list(game.scenarios), game.with_scenario("austerity").values
        (['austerity'], {'S': 0})
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"scenario name {name!r} must be an identifier")
        if name in self._scenarios:
            raise GameInputError(f"scenario {name!r}: declared twice")
        self._scenarios[name] = Scenario(name, description, source, dict(overrides or {}),
                                         tuple(schedules))

    def schedule(self, spec: ScheduleSpec) -> None:
        """Declare a model-level parameter schedule.

        Parameters
        ----------
        spec : ScheduleSpec
            The parameter, the kind of schedule, its breakpoints and values.

        Returns
        -------
        None

        Examples
        --------
        >>> from gametheory_regen.model import ScheduleSpec
        >>> b = GameBuilder("toy")
        >>> _ = b.population("government", ["enable", "withhold"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("S", 1.5, min=0)
        >>> b.schedule(ScheduleSpec("S", "piecewise_constant", (0.0, 3.0), (1.5, 0.0)))
        >>> b.build().schedules     # doctest: +NORMALIZE_WHITESPACE
        (ScheduleSpec(parameter='S', kind='piecewise_constant',
                      times=(0.0, 3.0), values=(1.5, 0.0)),)
        """
        self._schedules.append(spec)

    # ------------------------------------------------------------ build
    def build(self) -> Game:
        """Check everything and return the immutable :class:`Game`.

        The payoff table is the table entries plus, at every profile, the active ledger terms;
        populations without a ``symbol`` get the first free default one.

        Returns
        -------
        Game

        Raises
        ------
        GameInputError
            For fewer than two populations, a scenario that names an unknown parameter, or
            clashing names (see :class:`Game`).
        ParameterError
            For a scenario value outside a parameter's bounds.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("government", ["enable", "withhold"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("S", 1.5, min=0)
        >>> _ = b.transfer("subsidy", "S", source="government", to="operator",
        ...                when={"government": "enable", "operator": "operate"})
        >>> game = b.build()
        >>> [game.payoff_at(p) for p in game.profiles()]
        [(-S, S), (0, 0), (0, 0), (0, 0)]
        >>> b.scenario("clawback", {"S": -1})
        >>> b.build()
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: scenario 'clawback' S: value -1 is below the ...
        """
        if len(self._populations) < 1:
            raise GameInputError(f"game {self.name!r}: needs at least one population")
        self._check_texts()
        known = self._expanded_known
        if known is None:  # sizes of the derived chain, estimated before anything is expanded
            known = check_expanded(self._derived_raw,
                                   lambda n: f"game {self.name!r}: derived name {n!r}")
        if len(self._populations) == 1 and self._terms:
            raise GameInputError(
                f"game {self.name!r}: terms are for games of two or more populations; give a "
                f"single-population game's payoffs as rows [own, opponent]")
        pops = [Population(name, strategies, symbol) for (name, strategies, _), symbol
                in zip(self._populations, self._symbols(), strict=True)]
        # expand derived names inside derived names (in declaration order)
        derived: dict[str, sp.Expr] = {}
        for name, expr in self._derived_raw.items():
            derived[name] = expr.xreplace({sp.Symbol(n, real=True): e for n, e in derived.items()})
        zero = tuple(sp.Integer(0) for _ in pops)
        table: dict[tuple[int, ...], tuple[sp.Expr, ...]] = {}
        game_shell = Game(self.name, tuple(pops), tuple(self._parameters.values()),
                          {(0,) * len(pops): zero}, derived)
        if len(pops) == 1:
            for profile in game_shell.table_profiles():
                names = tuple(pops[0].strategies[i] for i in profile)
                table[profile] = self._table.get(names, zero)
        for profile in (game_shell.profiles() if len(pops) > 1 else ()):
            named = {p.name: p.strategies[i] for p, i in zip(pops, profile, strict=True)}
            values = list(self._table.get(game_shell.profile_names(profile), zero))
            for t in self._terms:
                if t.active(named):
                    for j, p in enumerate(pops):
                        values[j] = values[j] + t.value_to(p.name)
            table[profile] = tuple(values)
        for name, scen in self._scenarios.items():
            for pname in scen.overrides:
                if pname not in self._parameters:
                    known = ", ".join(self._parameters) or "(none)"
                    raise GameInputError(
                        f"scenario {name!r}: unknown parameter {pname!r}; known parameters: {known}"
                    )
        for (pi, _), _value in self._fitness.items():
            pop = pops[pi]
            paid = [k for k, vals in table.items() if vals[pi] != 0]
            if paid:
                raise GameInputError(
                    f"game {self.name!r}: population {pop.name!r} has [[fitness]] entries and is "
                    f"also paid by [[payoffs]] or [[terms]] (at "
                    f"{', '.join(game_shell.profile_names(paid[0]) if len(pops) > 1 else '')}); "
                    f"give its payoffs in one form only")
        game = Game(
            self.name, tuple(pops), tuple(self._parameters.values()), table, derived,
            tuple(self._terms), self._scenarios, tuple(self._schedules), path=self.path,
            fitness=dict(self._fitness), **self.meta,
        )
        check_cells(game, known, f"game {self.name!r}")
        for name, scen in self._scenarios.items():
            game.with_values(scen.overrides, where=f"scenario {name!r}")  # validates values
        return game

    def _check_texts(self) -> None:
        """No control character in any text of the game (the check model files get)."""
        g = f"game {self.name!r}"
        for key, value in self.meta.items():
            check_text(value, f"{g}: {key}", multiline=key in ("description", "source"))
        for pname, param in self._parameters.items():
            check_text(param.description, f"{g}: parameter {pname!r}, description",
                       multiline=True)
            check_text(param.unit, f"{g}: parameter {pname!r}, unit")
        for t in self._terms:
            check_text(t.label, f"{g}: term label")
            check_text(t.note, f"{g}: term {t.label!r}, note", multiline=True)
        for sname, scen in self._scenarios.items():
            check_text(scen.description, f"{g}: scenario {sname!r}, description",
                       multiline=True)
            check_text(scen.source, f"{g}: scenario {sname!r}, source", multiline=True)

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

from ..errors import ExpressionError, GameInputError
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
from .untrusted import check_cells, check_counts, check_expanded, check_text

__all__ = ["GameBuilder"]


class GameBuilder:
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

    # ------------------------------------------------------------ declarations
    def population(self, name: str, strategies: Sequence[str], symbol: str | None = None) -> str:
        """Declare a population (in order); returns its name.

        Parameters
        ----------
        name : str
            An identifier, unique among the populations.
        strategies : sequence of str
            At least two non-empty strategy names, in order.
        symbol : str, optional
            Display name of its shares.  Default: the first of ``x, y, z, w, v, u, q, r`` not
            used by a parameter, a derived name or another population's ``symbol``.

        Returns
        -------
        str
            ``name``.

        Raises
        ------
        GameInputError
            For a name or symbol that is not an identifier, a population declared twice, or
            fewer than two strategies.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> b.population("government", ["enable", "withhold"])
        'government'
        >>> _ = b.population("operator", ["operate", "stay_out"], symbol="x")
        >>> _ = b.payoff(("enable", "operate"), (1, 1))
        >>> [p.symbol for p in b.build().populations]   # 'x' is taken: the government gets 'y'
        ['y', 'x']
        >>> b.population("residents", ["participate"])
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: population 'residents': needs a list of at least ...
        """
        where = f"population {name!r}"
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"{where}: a population name must be an identifier")
        if any(p[0] == name for p in self._populations):
            raise GameInputError(f"{where}: declared twice")
        if isinstance(strategies, str) or len(strategies) < 2:
            raise GameInputError(f"{where}: needs a list of at least two strategy names")
        # the limits before anything is made of them (the same check as for model files)
        check_counts([len(p[1]) for p in self._populations] + [len(strategies)],
                     f"game {self.name!r}: populations")
        for s in strategies:
            if not isinstance(s, str) or not s:
                raise GameInputError(f"{where}: strategy names must be non-empty strings, got {s!r}")
            check_text(s, f"{where}: strategy name")
        if symbol is not None and (not isinstance(symbol, str) or not symbol.isidentifier()):
            raise GameInputError(f"{where}: symbol must be an identifier, got {symbol!r}")
        self._populations.append((name, tuple(strategies), symbol))
        return name

    def add_parameter(self, param: Parameter) -> sp.Symbol:
        """Declare a ready-made :class:`Parameter`; returns its symbol.

        Parameters
        ----------
        param : Parameter
            Made with :meth:`Parameter.make`.

        Returns
        -------
        sympy.Symbol
            ``param.symbol``, to write amounts as sympy expressions.

        Raises
        ------
        GameInputError
            When the name is already declared (as a parameter or a derived name).

        Examples
        --------
        >>> from gametheory_regen.model import Parameter
        >>> b = GameBuilder("toy")
        >>> S = b.add_parameter(Parameter.make("S", 1.5, min=0))
        >>> S, S.is_nonnegative
        (S, True)
        >>> b.add_parameter(Parameter.make("S", 2))
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: parameter 'S': declared twice
        """
        if param.name in self._parameters or param.name in self._derived_raw:
            raise GameInputError(f"parameter {param.name!r}: declared twice")
        self._check_not_state(param.name, f"parameter {param.name!r}")
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
        """Declare a parameter (value None leaves it free); returns its sympy symbol.

        Parameters
        ----------
        name : str
            An identifier, not yet declared.
        value : number or str, optional
            Made an exact rational (``1.43 -> 143/100``); None leaves the parameter free.
        description, unit : str
            Shown in reports.
        min, max : number, optional
            Inclusive bounds; they set the symbol's sign assumptions.

        Returns
        -------
        sympy.Symbol

        Raises
        ------
        GameInputError
            For a bad or repeated name.
        ParameterError
            For a value or bound that is not a finite number, or a value outside the bounds.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> I = b.parameter("I", 30, description="investment", unit="million yuan", min=0)
        >>> I, I.is_nonnegative
        (I, True)
        >>> b.parameter("rho", 2, max=1)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: parameter 'rho': value 2 is above the declared max 1
        """
        return self.add_parameter(Parameter.make(name, value, description, unit, min, max))

    def derived(self, name: str, expression: object) -> sp.Symbol:
        """Declare a derived name for an expression of parameters (and earlier derived names).

        Payoffs keep derived names as written (they read like the source); the built game expands
        them on demand (:meth:`Game.expand_derived`).

        Parameters
        ----------
        name : str
            An identifier, not yet declared.
        expression : str, number or sympy.Expr
            In parameters and derived names declared before.

        Returns
        -------
        sympy.Symbol
            The plain real symbol that stands for the derived name.

        Raises
        ------
        GameInputError
            For a bad or repeated name, or an expression that uses an undeclared name.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.parameter("rho", 0.05, min=0)
        >>> _ = b.parameter("n", 2, min=0)
        >>> b.derived("a", "(1 - (1 + rho)**(-n)) / rho")
        a
        >>> _ = b.population("p", ["s", "t"]), b.population("q", ["s", "t"])
        >>> b.payoff(("s", "s"), ("a", 0))
        >>> game = b.build()
        >>> game.payoff_at(("s", "s"))[0], game.substitute_values(game.payoff_at(("s", "s"))[0])
        (a, 820/441)
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"derived name {name!r} must be an identifier")
        if name in self._parameters or name in self._derived_raw:
            raise GameInputError(f"derived name {name!r}: declared twice")
        self._check_not_state(name, f"derived name {name!r}")
        self._derived_raw[name] = self._expr(expression, f"derived {name!r}")
        return sp.Symbol(name, real=True)

    def names(self) -> dict[str, sp.Basic]:
        """Every name an expression may use: parameters, then derived names.

        Returns
        -------
        dict of str to sympy.Symbol
            Name -> the symbol an expression string is parsed into.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.parameter("rho", 0.05)
        >>> _ = b.derived("a", "1/rho")
        >>> b.names()
        {'rho': rho, 'a': a}
        """
        # cached per declaration state: a 16x16 table parses 512 cells against the same names
        key = (tuple(self._parameters.values()), tuple(self._derived_raw),
               tuple(self._populations))
        cached = getattr(self, "_names_cache", None)
        if cached is not None and cached[0] == key:
            return dict(cached[1])
        out: dict[str, sp.Basic] = {n: p.symbol for n, p in self._parameters.items()}
        out.update({n: sp.Symbol(n, real=True) for n in self._derived_raw})
        for name in self.share_names():
            out.setdefault(name, sp.Symbol(name, real=True))
        self._names_cache = (key, out)
        return dict(out)

    def _symbols(self) -> list[str]:
        """The share symbol of each declared population (explicit, else the first free default)."""
        used = set(self._parameters) | set(self._derived_raw) | {
            p[2] for p in self._populations if p[2] is not None}
        free_symbols = iter(s for s in DEFAULT_SYMBOLS if s not in used)
        out = []
        for _, _, symbol in self._populations:
            if symbol is None:
                symbol = next(free_symbols, None) or f"s{len(out) + 1}"
            out.append(symbol)
        return out

    def share_names(self) -> list[str]:
        """The share symbols payoffs may use (Contract 4), for the populations declared so far.

        Population ``p`` with symbol ``x`` and ``k`` strategies has ``x`` (k = 2) or
        ``x1 .. x{k-1}``; the last share is written ``1 - x1 - ...``.  Declare parameters before
        the payoffs that use share symbols (a default symbol skips parameter names).

        Returns
        -------
        list of str

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("firms", ["comply", "evade"])
        >>> _ = b.population("agency", ["inspect", "skip", "audit"])
        >>> b.share_names()
        ['x', 'y1', 'y2']
        """
        out = []
        for (_, strategies, _), symbol in zip(self._populations, self._symbols(), strict=True):
            if len(strategies) == 2:
                out.append(symbol)
            else:
                out.extend(f"{symbol}{i + 1}" for i in range(len(strategies) - 1))
        return out

    def _check_not_state(self, name: str, where: str) -> None:
        if name == "t":
            raise GameInputError(f"{where}: `t` is the time of schedules; choose another name")
        explicit = [p for p in self._populations if p[2] is not None]
        for pname, strategies, symbol in explicit:
            names = [symbol] if len(strategies) == 2 else [
                f"{symbol}{i + 1}" for i in range(len(strategies) - 1)]
            if name in names:
                raise GameInputError(
                    f"{where}: {name!r} is a share symbol of population {pname!r} (the state); "
                    f"choose another name")

    def fitness(self, population: str, strategy: str, value: object, where: str = "") -> None:
        """Give a population's expected payoff of one strategy directly, as papers print it.

        ``value`` may use parameters, derived names and the share symbols (Contract 4,
        ``[[fitness]]``).  A population with fitness entries may not be paid by
        :meth:`payoff` values or terms; a strategy without an entry earns 0.

        Parameters
        ----------
        population, strategy : str
        value : str, number or sympy.Expr
        where : str
            Prefix of error messages.

        Returns
        -------
        None

        Raises
        ------
        GameInputError
            For an unknown population or strategy, or a strategy given twice.

        Examples
        --------
        >>> b = GameBuilder("inspection")
        >>> _ = b.population("firms", ["comply", "evade"])
        >>> _ = b.population("agency", ["inspect", "skip"])
        >>> _ = b.parameter("F", 2)
        >>> b.fitness("firms", "evade", "-F*y")
        >>> b.build().fitness
        mappingproxy({(0, 1): -F*y})
        """
        where = where or f"fitness {population}.{strategy}"
        self._check_pop(population, where)
        pi = self._pop_names().index(population)
        strategies = self._populations[pi][1]
        if strategy not in strategies:
            raise GameInputError(f"{where}: unknown strategy {strategy!r} of population "
                                 f"{population!r}; its strategies are {', '.join(strategies)}")
        key = (pi, strategies.index(strategy))
        if key in self._fitness:
            raise GameInputError(f"{where}: {population}.{strategy} is given twice")
        self._fitness[key] = self._expr(value, f"{where}, key `value`")

    def _expr(self, value: object, where: str) -> sp.Expr:
        if isinstance(value, sp.Basic):
            return value
        try:
            return parse_expression(value, self.names(), where)
        except ExpressionError as exc:
            if "unknown name 't'" in str(exc):
                raise ExpressionError(
                    f"{where}: `t` (time) may only be used in a schedule of kind = "
                    f"\"expression\", not in {value!r}; payoffs depend on the state, not on "
                    f"time (schedule a parameter instead)") from None
            raise

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
        perceived: Mapping[str, object] | None = None,
    ) -> Term:
        """Add a ledger term: ``amount`` flows from ``source`` to ``to`` when ``when`` holds.

        ``perceived = {"by": party, "value": expression}`` makes one party (payer or receiver)
        value the term through an expression of ``amount`` (the signed money it gets, negative
        when it pays), e.g. ``pt_value(amount, 0.88, 0.88, 2.25)``; the other party keeps the
        money.

        Parameters
        ----------
        label : str
            What the term is (non-empty); explanations name terms by their labels.
        amount : str, number or sympy.Expr
            In declared parameters and derived names.
        source, to : str, optional
            Paying and receiving population; at least one, and not the same.
        when : mapping of str to str or sequence of str, optional
            Population -> the strategy (or strategies) under which the term flows; all must
            hold.  None: at every profile.
        note : str
            Free text (the source passage).

        Returns
        -------
        Term

        Raises
        ------
        GameInputError
            For an empty label, neither or the same ``source`` and ``to``, an unknown population
            or strategy, or an amount that uses an undeclared name.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("government", ["enable", "withhold"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("S", 1.5, min=0)
        >>> t = b.term("subsidy", "S", source="government", to="operator",
        ...            when={"government": "enable", "operator": "operate"})
        >>> t.kind, t.when
        ('transfer', (('government', ('enable',)), ('operator', ('operate',))))
        >>> b.term("rent", 1, to="operator", when={"operator": "run"})
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: term 'rent', when.operator: unknown strategy ...
        """
        where = f"term {label!r}"
        if not isinstance(label, str) or not label:
            raise GameInputError(f"a term needs a non-empty label, got {label!r}")
        if source is None and to is None:
            raise GameInputError(f"{where}: give at least one of `from` (payer) and `to` (receiver)")
        if source is not None and source == to:
            raise GameInputError(f"{where}: `from` and `to` are the same population {to!r}")
        self._check_pop(source, f"{where}, from")
        self._check_pop(to, f"{where}, to")
        by, value = None, None
        if perceived is not None:
            if not isinstance(perceived, Mapping) or set(perceived) != {"by", "value"}:
                raise GameInputError(f"{where}, perceived: expected a table with `by` (the "
                                     f"perceiving party) and `value` (an expression in amount)")
            by = perceived["by"]
            if by not in (source, to):
                raise GameInputError(f"{where}, perceived.by: {by!r} neither pays nor receives "
                                     f"this term (from {source!r}, to {to!r})")
            from .game import PERCEIVED_AMOUNT

            names = dict(self.names())
            names["amount"] = PERCEIVED_AMOUNT
            value = parse_expression(perceived["value"], names, f"{where}, perceived.value")
        t = Term(label, self._expr(amount, f"{where}, amount"), source, to,
                 self._when(when, where), note, by, value)
        self._terms.append(t)
        return t

    def cost(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A cost borne by ``who``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        who : str
            The paying population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term
            With ``source=who`` and no receiver.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> c = b.cost("investment", 30, who="operator", when={"operator": "operate"})
        >>> c.kind, c.source, c.amount
        ('cost', 'operator', 30)
        >>> b.build().payoff_at(("operate", "stay_passive"))
        (-30, 0)
        """
        return self.term(label, amount, source=who, when=when, note=note)

    def benefit(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A benefit received by ``who``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        who : str
            The receiving population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term
            With ``to=who`` and no payer.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> gain = b.benefit("renovated space", 2, who="residents", when={"operator": "operate"})
        >>> gain.kind, gain.to
        ('benefit', 'residents')
        >>> b.build().payoff_at(("operate", "stay_passive"))
        (0, 2)
        """
        return self.term(label, amount, to=who, when=when, note=note)

    def transfer(self, label: str, amount: object, *, source: str, to: str, when=None,
                 note: str = "") -> Term:
        """A transfer from ``source`` to ``to``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        source, to : str
            The paying and the receiving population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term

        Examples
        --------
        A transfer is zero-sum between its two parties:

        >>> b = GameBuilder("toy")
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("F", 1.6, min=0)
        >>> fee = b.transfer("fees", "F", source="residents", to="operator",
        ...                  when={"residents": "participate", "operator": "operate"})
        >>> b.build().payoff_at(("participate", "operate"))
        (-F, F)
        """
        return self.term(label, amount, source=source, to=to, when=when, note=note)

    # ------------------------------------------------------------ table form
    def payoff(self, profile: Sequence[str], values: Sequence[object], where: str = "") -> None:
        """Add payoffs at a profile (strategy names in population order); they add to the ledger.

        Parameters
        ----------
        profile : sequence of str
            One strategy name per population, in declaration order.
        values : sequence of (str, number or sympy.Expr)
            One payoff per population, in the same order.
        where : str
            Prefix of error messages (default ``payoff [profile]``).

        Returns
        -------
        None

        Raises
        ------
        GameInputError
            For a wrong number of strategies or values, an unknown strategy, a profile given
            twice, or a value that uses an undeclared name.

        Examples
        --------
        >>> b = GameBuilder("toy")
        >>> _ = b.population("row", ["heads", "tails"])
        >>> _ = b.population("column", ["heads", "tails"])
        >>> b.payoff(("heads", "heads"), (1, -1))
        >>> _ = b.benefit("bonus", 1, who="row")          # a ledger term adds to the table
        >>> b.build().payoff_at(("heads", "heads"))
        (2, -1)
        >>> b.payoff(("heads",), (1, -1))
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: payoff ['heads']: a profile lists one strategy ...
        """
        where = where or f"payoff {list(profile)}"
        if len(self._populations) == 1:
            self._symmetric_payoff(profile, values, where)
            return
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

    def _symmetric_payoff(self, profile, values, where: str) -> None:
        pop_name, strategies, _ = self._populations[0]
        if isinstance(profile, str) or len(profile) != 2:
            raise GameInputError(
                f"{where}: a single-population game's profile is [own strategy, opponent's "
                f"strategy], got {profile!r}")
        for s in profile:
            if s not in strategies:
                raise GameInputError(f"{where}: unknown strategy {s!r} of population "
                                     f"{pop_name!r}; its strategies are {', '.join(strategies)}")
        if isinstance(values, str | int | float) or isinstance(values, sp.Basic):
            values = [values]
        if len(values) != 1:
            raise GameInputError(
                f"{where}: a single-population game's row holds one value (the payoff of the "
                f"player using {profile[0]!r}), got {len(values)}")
        key = tuple(profile)
        if key in self._table:
            raise GameInputError(f"{where}: profile {list(profile)} is given twice")
        self._table[key] = (self._expr(values[0], f"{where}, value 1"),)

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

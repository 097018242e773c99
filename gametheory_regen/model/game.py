"""The symbolic game: populations, parameters, derived expressions and payoffs.

An :math:`n`-population normal-form game has populations :math:`p = 1..n`, population :math:`p`
having :math:`k_p \\ge 2` pure strategies.  A *profile* :math:`s = (s_1, \\dots, s_n)` picks one
strategy per population and the game assigns to it one payoff per population,
:math:`A_p(s)`.  Here payoffs are sympy expressions in named *parameters*; each parameter is a real
sympy symbol that carries a value (or none: it stays free), a description, a unit and bounds.
Bounds become sympy assumptions (``min = 0`` makes the symbol nonnegative, ``min > 0`` positive), so
that simplification may use them.  *Derived* names stand for expressions of parameters
(annuity factors, totals); payoffs may use them and are expanded on demand.

A :class:`Game` is immutable.  Setting parameter values (a scenario, ``--set``) returns a new game.
It is made by :meth:`Game.from_table` (a full payoff table), by the ledger builder
(:mod:`gametheory_regen.model.builder`) or by the model-file reader
(:mod:`gametheory_regen.model.modelfile`).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import sympy as sp

from ..errors import GameInputError, ParameterError
from .expr import number_to_rational

__all__ = [
    "Parameter",
    "Population",
    "Term",
    "Scenario",
    "ScheduleSpec",
    "Game",
    "make_parameter_symbol",
    "DEFAULT_SYMBOLS",
]

#: Display names given, in this order, to populations that do not name their own symbol.
DEFAULT_SYMBOLS = ("x", "y", "z", "w", "v", "u", "q", "r")

_IDENT_HELP = "letters, digits and underscores, not starting with a digit"


def _check_identifier(name: object, where: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise GameInputError(f"{where}: expected a name ({_IDENT_HELP}), got {name!r}")
    return name


def make_parameter_symbol(name: str, min: object = None, max: object = None) -> sp.Symbol:
    """Return the real sympy symbol for a parameter, with assumptions from its bounds.

    >>> make_parameter_symbol("S", min=0).is_nonnegative
    True
    >>> make_parameter_symbol("I").is_real, make_parameter_symbol("I").is_positive
    (True, None)
    """
    assumptions: dict[str, bool] = {"real": True}
    if min is not None and min >= 0:
        assumptions["positive" if min > 0 else "nonnegative"] = True
    elif max is not None and max <= 0:
        assumptions["negative" if max < 0 else "nonpositive"] = True
    return sp.Symbol(name, **assumptions)


@dataclass(frozen=True)
class Parameter:
    """A named real parameter.

    Attributes
    ----------
    name : str
    symbol : sympy.Symbol
        Real, with assumptions taken from ``min`` / ``max``.
    value : sympy.Rational or None
        Exact value, or None for a free symbol.
    description, unit : str
    min, max : sympy.Rational or None
        Declared bounds (inclusive).
    """

    name: str
    symbol: sp.Symbol
    value: sp.Rational | None = None
    description: str = ""
    unit: str = ""
    min: sp.Rational | None = None
    max: sp.Rational | None = None

    @classmethod
    def make(
        cls,
        name: str,
        value: object = None,
        description: str = "",
        unit: str = "",
        min: object = None,
        max: object = None,
        where: str | None = None,
    ) -> Parameter:
        """Validate and build a parameter; numbers become exact rationals."""
        where = where or f"parameter {name!r}"
        _check_identifier(name, where)
        lo = None if min is None else _as_rational(min, f"{where}, min")
        hi = None if max is None else _as_rational(max, f"{where}, max")
        if lo is not None and hi is not None and lo > hi:
            raise ParameterError(f"{where}: min {lo} is larger than max {hi}")
        val = None if value is None else _as_rational(value, f"{where}, value")
        param = cls(name, make_parameter_symbol(name, lo, hi), None, description, unit, lo, hi)
        return param if val is None else param.with_value(val, where)

    def with_value(self, value: object, where: str | None = None) -> Parameter:
        """Return a copy with ``value`` (checked against the bounds)."""
        where = where or f"parameter {self.name!r}"
        val = _as_rational(value, where)
        if self.min is not None and val < self.min:
            raise ParameterError(
                f"{where}: value {_show(val)} is below the declared min {_show(self.min)}"
            )
        if self.max is not None and val > self.max:
            raise ParameterError(
                f"{where}: value {_show(val)} is above the declared max {_show(self.max)}"
            )
        return replace(self, value=val)


def _show(value: sp.Rational) -> str:
    return str(value) if value.q == 1 else f"{float(value):g}"


#: Significant digits kept when a numeric payoff is irrational (e.g. an annuity factor at a
#: fractional term): it is rounded to a rational with this many digits.
ROUND_DIGITS = 40


def _exact_number(expr: sp.Expr) -> sp.Rational:
    """An exact rational for a numeric payoff (irrational values rounded to ROUND_DIGITS)."""
    if expr.is_Rational:
        return expr
    if expr.free_symbols:
        raise ParameterError(f"payoff {expr} still has free symbols after substituting values")
    value = expr.evalf(ROUND_DIGITS)
    if not value.is_real:
        raise ParameterError(f"payoff {expr} is not a real number at these parameter values")
    return sp.Rational(str(value))


def _as_rational(value: object, where: str) -> sp.Rational:
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.Basic) and value.is_number and value.is_real:
        return sp.nsimplify(value, rational=True)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ParameterError(f"{where}: expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ParameterError(f"{where}: expected a finite number, got {value!r}")
        frac = Fraction(value.strip())
        return sp.Rational(frac.numerator, frac.denominator)
    try:
        return number_to_rational(value, where)
    except GameInputError as exc:
        raise ParameterError(str(exc)) from None


@dataclass(frozen=True)
class Population:
    """A population: its name, its strategies (in order) and the display symbol of its shares."""

    name: str
    strategies: tuple[str, ...]
    symbol: str

    @property
    def k(self) -> int:
        """Number of strategies."""
        return len(self.strategies)

    def index(self, strategy: str, where: str = "") -> int:
        """Position of ``strategy``; a clear error for an unknown one."""
        try:
            return self.strategies.index(strategy)
        except ValueError:
            raise GameInputError(
                f"{where + ': ' if where else ''}unknown strategy {strategy!r} of population "
                f"{self.name!r}; its strategies are {', '.join(self.strategies)}"
            ) from None

    def share_names(self) -> tuple[str, ...]:
        """Names of the reduced coordinates (the shares of the first k-1 strategies)."""
        if self.k == 2:
            return (self.symbol,)
        return tuple(f"{self.symbol}{i + 1}" for i in range(self.k - 1))


@dataclass(frozen=True)
class Term:
    """A ledger entry: ``amount`` is added to ``to`` and subtracted from ``source``.

    ``when`` maps a population name to the strategies under which the term is active (all listed
    populations must play one of their listed strategies).  A term with only ``source`` is a cost,
    with only ``to`` a benefit, with both a transfer.
    """

    label: str
    amount: sp.Expr
    source: str | None = None
    to: str | None = None
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: str = ""

    @property
    def kind(self) -> str:
        """``"cost"``, ``"benefit"`` or ``"transfer"``."""
        if self.source and self.to:
            return "transfer"
        return "cost" if self.source else "benefit"

    def active(self, named_profile: Mapping[str, str]) -> bool:
        """Whether the term applies at a profile given as population -> strategy."""
        return all(named_profile[pop] in strategies for pop, strategies in self.when)


@dataclass(frozen=True)
class ScheduleSpec:
    """A declared time schedule of one parameter (see :mod:`gametheory_regen.dynamics.schedules`).

    ``kind`` is ``"piecewise_constant"`` or ``"piecewise_linear"``; ``times`` are breakpoints in the
    model's time unit and ``values`` the parameter's values there.
    """

    parameter: str
    kind: str
    times: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Scenario:
    """A named policy: parameter overrides (and optional schedules), with its description and source."""

    name: str
    description: str = ""
    source: str = ""
    overrides: Mapping[str, sp.Rational] = field(default_factory=dict)
    schedules: tuple[ScheduleSpec, ...] = ()


@dataclass(frozen=True, eq=False)
class Game:
    """An immutable symbolic n-population normal-form game.

    Use :meth:`from_table`, :func:`gametheory_regen.model.builder.GameBuilder` or
    :meth:`from_file` to make one.

    Attributes
    ----------
    name, title, description, source : str
    populations : tuple of Population
    parameters : tuple of Parameter
    derived : mapping of str to sympy.Expr
        Derived names and their expressions in parameters (already expanded: no derived name
        appears inside another).
    table : mapping of profile (tuple of strategy indices) to tuple of sympy.Expr
        The payoffs as written (derived names kept), every profile present.
    terms : tuple of Term
        The ledger the table was made of, if any.
    scenarios : mapping of str to Scenario
    schedules : tuple of ScheduleSpec
    scenario : str or None
        The scenario applied to get this game, if any.
    time_unit : str
    """

    name: str
    populations: tuple[Population, ...]
    parameters: tuple[Parameter, ...]
    table: Mapping[tuple[int, ...], tuple[sp.Expr, ...]]
    derived: Mapping[str, sp.Expr] = field(default_factory=dict)
    terms: tuple[Term, ...] = ()
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    schedules: tuple[ScheduleSpec, ...] = ()
    title: str = ""
    description: str = ""
    source: str = ""
    scenario: str | None = None
    time_unit: str = "year"
    path: str | None = None

    def __post_init__(self) -> None:
        if len(self.populations) < 2:
            raise GameInputError(
                f"game {self.name!r}: needs at least two populations, got {len(self.populations)}"
            )
        names = [p.name for p in self.populations]
        for pop in self.populations:
            if pop.k < 2:
                raise GameInputError(
                    f"game {self.name!r}: population {pop.name!r} needs at least two strategies"
                )
            if len(set(pop.strategies)) != pop.k:
                raise GameInputError(
                    f"game {self.name!r}: population {pop.name!r} repeats a strategy name"
                )
        if len(set(names)) != len(names):
            raise GameInputError(f"game {self.name!r}: population names repeat: {names}")
        pnames = [p.name for p in self.parameters]
        if len(set(pnames)) != len(pnames):
            raise GameInputError(f"game {self.name!r}: parameter names repeat")
        clash = set(pnames) & set(self.derived)
        if clash:
            raise GameInputError(
                f"game {self.name!r}: {sorted(clash)} declared both as parameter and derived name"
            )
        shares = {n for pop in self.populations for n in pop.share_names()}
        clash = shares & (set(pnames) | set(self.derived))
        if clash:
            raise GameInputError(
                f"game {self.name!r}: the share symbol(s) {sorted(clash)} clash with parameter "
                f"names; give the population another `symbol`"
            )
        object.__setattr__(self, "table", MappingProxyType(dict(self.table)))
        object.__setattr__(self, "derived", MappingProxyType(dict(self.derived)))
        object.__setattr__(self, "scenarios", MappingProxyType(dict(self.scenarios)))
        object.__setattr__(self, "_cache", {})

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_table(
        cls,
        name: str,
        populations: Sequence[tuple[str, Sequence[str]] | Population],
        payoffs: Mapping[Sequence[str], Sequence[object]],
        parameters: Iterable[Parameter] = (),
        derived: Mapping[str, object] | None = None,
        **meta: object,
    ) -> Game:
        """Build a game from a payoff table.

        Parameters
        ----------
        name : str
        populations : sequence of (name, strategies) or Population
        payoffs : mapping of profile (strategy names, in population order) to payoffs
            (numbers, sympy expressions or safe expression strings); absent profiles pay 0.
        parameters : iterable of Parameter
        derived : mapping of name to expression, optional

        Examples
        --------
        Matching pennies (Hofbauer & Sigmund 1998, section 10.3):

        >>> mp = Game.from_table("mp", [("row", ["H", "T"]), ("col", ["H", "T"])],
        ...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)})
        >>> mp.shape
        (2, 2)
        >>> mp.payoff_at(("H", "T"))
        (-1, 1)
        """
        from .builder import GameBuilder

        builder = GameBuilder(name, **meta)
        for pop in populations:
            if isinstance(pop, Population):
                builder.population(pop.name, pop.strategies, symbol=pop.symbol)
            else:
                builder.population(pop[0], pop[1])
        for param in parameters:
            builder.add_parameter(param)
        for dname, expr in (derived or {}).items():
            builder.derived(dname, expr)
        for profile, values in payoffs.items():
            builder.payoff(profile, values)
        return builder.build()

    @classmethod
    def from_file(cls, path: object) -> Game:
        """Read a model file (Contract 1, TOML). See :mod:`gametheory_regen.model.modelfile`."""
        from .modelfile import read_model

        return read_model(path)

    @classmethod
    def builtin(cls, name: str) -> Game:
        """A model shipped with the package, by name (``gametheory-regen models`` lists them)."""
        from .library import load_builtin

        return load_builtin(name)

    # ----------------------------------------------------------------- structure
    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each population."""
        return tuple(p.k for p in self.populations)

    @property
    def n_populations(self) -> int:
        return len(self.populations)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def population(self, name: str) -> Population:
        """The population called ``name``."""
        for pop in self.populations:
            if pop.name == name:
                return pop
        raise GameInputError(
            f"unknown population {name!r}; populations are "
            f"{', '.join(p.name for p in self.populations)}"
        )

    def population_index(self, name: str) -> int:
        return self.populations.index(self.population(name))

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; the error lists the known names."""
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(self.parameter_names) or "(none)"
        raise ParameterError(
            f"unknown parameter {name!r} in model {self.name!r}; known parameters: {known}"
        )

    def profiles(self) -> Iterable[tuple[int, ...]]:
        """All pure profiles as tuples of strategy indices, in lexicographic order."""
        return itertools.product(*(range(k) for k in self.shape))

    def profile_names(self, profile: Sequence[int]) -> tuple[str, ...]:
        return tuple(pop.strategies[i] for pop, i in zip(self.populations, profile, strict=True))

    def profile_index(self, profile: Sequence[str] | Mapping[str, str], where: str = "") -> tuple[int, ...]:
        """Strategy indices of a profile given by names (a sequence in population order or a mapping)."""
        if isinstance(profile, Mapping):
            missing = [p.name for p in self.populations if p.name not in profile]
            extra = sorted(set(profile) - {p.name for p in self.populations})
            if missing or extra:
                raise GameInputError(
                    f"{where + ': ' if where else ''}a profile needs one strategy for each of "
                    f"{', '.join(p.name for p in self.populations)}; missing {missing}, unknown {extra}"
                )
            profile = [profile[p.name] for p in self.populations]
        if len(profile) != self.n_populations:
            raise GameInputError(
                f"{where + ': ' if where else ''}a profile needs {self.n_populations} strategies "
                f"(one per population, in order), got {len(profile)}: {list(profile)}"
            )
        return tuple(pop.index(s, where) for pop, s in zip(self.populations, profile, strict=True))

    # ----------------------------------------------------------------- symbols and values
    @property
    def symbols(self) -> dict[str, sp.Symbol]:
        """Parameter name -> sympy symbol."""
        return {p.name: p.symbol for p in self.parameters}

    @property
    def derived_symbols(self) -> dict[str, sp.Symbol]:
        """Derived name -> the plain real symbol that stands for it in :attr:`table`."""
        return {name: sp.Symbol(name, real=True) for name in self.derived}

    @property
    def values(self) -> dict[str, sp.Rational]:
        """Parameter name -> exact value, for parameters that have one."""
        return {p.name: p.value for p in self.parameters if p.value is not None}

    @property
    def free_parameters(self) -> tuple[str, ...]:
        """Names of parameters without a value."""
        return tuple(p.name for p in self.parameters if p.value is None)

    @property
    def is_numeric(self) -> bool:
        """True when every parameter has a value."""
        return not self.free_parameters

    def with_values(self, overrides: Mapping[str, object], where: str = "--set") -> Game:
        """A copy with some parameter values set (numbers; checked against bounds).

        Raises
        ------
        ParameterError
            For an unknown name, a value that is not a finite number, or one outside bounds.
        """
        if not overrides:
            return self
        params = {p.name: p for p in self.parameters}
        for name, value in overrides.items():
            if name not in params:
                known = ", ".join(self.parameter_names) or "(none)"
                if name in self.derived:
                    raise ParameterError(
                        f"{where}: {name!r} is a derived name of model {self.name!r}, computed from "
                        f"parameters; set those instead. Known parameters: {known}"
                    )
                raise ParameterError(
                    f"{where}: unknown parameter {name!r} in model {self.name!r}; known "
                    f"parameters: {known}")
            params[name] = params[name].with_value(value, f"{where} {name}")
        return replace(self, parameters=tuple(params[p.name] for p in self.parameters))

    def with_scenario(self, name: str | None) -> Game:
        """A copy with the scenario's overrides applied (``None``: unchanged)."""
        if name is None:
            return self
        if name not in self.scenarios:
            known = ", ".join(self.scenarios) or "(this model has none)"
            raise GameInputError(
                f"unknown scenario {name!r} of model {self.name!r}; scenarios: {known}"
            )
        scen = self.scenarios[name]
        game = self.with_values(scen.overrides, where=f"scenario {name!r}")
        return replace(game, scenario=name)

    def without_values(self) -> Game:
        """A copy with every parameter free (for a fully symbolic analysis)."""
        return replace(self, parameters=tuple(replace(p, value=None) for p in self.parameters))

    # ----------------------------------------------------------------- payoffs
    def _derived_subs(self) -> dict[sp.Symbol, sp.Expr]:
        return {sp.Symbol(n, real=True): e for n, e in self.derived.items()}

    def _value_subs(self) -> dict[sp.Symbol, sp.Rational]:
        return {p.symbol: p.value for p in self.parameters if p.value is not None}

    def expand_derived(self, expr: sp.Expr) -> sp.Expr:
        """Replace derived names in ``expr`` by their expressions in parameters."""
        return sp.sympify(expr).xreplace(self._derived_subs())

    def substitute_values(self, expr: sp.Expr) -> sp.Expr:
        """Expand derived names and substitute every parameter that has a value."""
        return self.expand_derived(expr).xreplace(self._value_subs())

    def payoff_at(self, profile: Sequence[int] | Sequence[str]) -> tuple[sp.Expr, ...]:
        """Payoffs as written (derived names kept) at a profile (indices or names)."""
        if profile and isinstance(next(iter(profile)), str):
            profile = self.profile_index(profile)
        return self.table[tuple(profile)]

    def payoff_tensors(self, *, numeric: bool = False, expand: bool = True) -> tuple[sp.Array, ...]:
        """One sympy array of shape :attr:`shape` per population.

        Parameters
        ----------
        numeric : bool
            Substitute the parameters' values (they must all have one).
        expand : bool
            Replace derived names by their expressions (always done when ``numeric``).
        """
        key = ("tensors", numeric, expand)
        cache = self._cache  # type: ignore[attr-defined]
        if key in cache:
            return cache[key]
        if numeric and not self.is_numeric:
            raise ParameterError(
                f"model {self.name!r}: no value for parameter(s) {', '.join(self.free_parameters)}; "
                f"give them with --set NAME=VALUE or a scenario"
            )
        dsubs = self._derived_subs() if (expand or numeric) else {}
        vsubs = self._value_subs() if numeric else {}
        numeric_cells = numeric
        out = []
        for p in range(self.n_populations):
            cells = []
            for profile in self.profiles():
                e = self.table[profile][p]
                if dsubs:
                    e = e.xreplace(dsubs)
                if numeric_cells:
                    e = _exact_number(e.xreplace(vsubs))
                cells.append(e)
            out.append(sp.Array(cells, self.shape))
        result = tuple(out)
        cache[key] = result
        return result

    def cell_terms(self, profile: Sequence[int] | Sequence[str]) -> list[tuple[Term, tuple[sp.Expr, ...]]]:
        """The ledger terms that make up the payoffs at ``profile``.

        Returns a list of ``(term, contributions)`` where ``contributions`` gives the signed
        amount for each population (``-amount`` to the payer, ``+amount`` to the receiver).
        Empty for a game given as a plain table.
        """
        if profile and isinstance(next(iter(profile)), str):
            profile = self.profile_index(profile)
        named = dict(zip((p.name for p in self.populations), self.profile_names(profile), strict=True))
        out = []
        for term in self.terms:
            if term.active(named):
                contrib = []
                for pop in self.populations:
                    amount = sp.Integer(0)
                    if term.to == pop.name:
                        amount += term.amount
                    if term.source == pop.name:
                        amount -= term.amount
                    contrib.append(amount)
                out.append((term, tuple(contrib)))
        return out

    def __repr__(self) -> str:
        shape = "x".join(map(str, self.shape))
        scen = f", scenario={self.scenario!r}" if self.scenario else ""
        return f"Game({self.name!r}, {shape}, {len(self.parameters)} parameters{scen})"

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

Where the code lives
--------------------
This module holds :class:`Game`'s fields, their checks and its ``repr``; the parts of a game and
the game's methods are in sibling modules by what they model, each opening with its mathematics:
:mod:`.parameter` (:class:`Parameter`, :func:`make_parameter_symbol`), :mod:`.exact` (values and
numeric payoffs kept exact), :mod:`.population` (:class:`Population`), :mod:`.term` (the ledger's
:class:`Term`), :mod:`.scenario` (:class:`Scenario`, :class:`ScheduleSpec`), and :class:`Game`'s
mixins :mod:`.game_constructors` (``from_table``, ``Game.symmetric(...)``, ``from_file``,
``builtin``), :mod:`.game_profiles` (shape, look-ups by name, profiles), :mod:`.game_values`
(values, the copies that set them, substitution, :func:`check_bounded_values`) and
:mod:`.game_payoffs` (payoffs at a profile, payoff tensors, cell terms, state dependence).
Every name importable from here before the split still is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import sympy as sp

from ..errors import GameInputError
from .dynamics_spec import REPLICATOR, Dynamics
from .exact import (  # noqa: F401  (names of this module before the split)
    ROUND_DIGITS,
    _as_rational,
    _exact_number,
    _is_radical,
    _round_floats,
)
from .game_constructors import GameConstructors, _SymmetricAccess
from .game_payoffs import GamePayoffs
from .game_profiles import GameProfiles
from .game_values import GameValues, check_bounded_values  # noqa: F401
from .parameter import (  # noqa: F401  (names of this module before the split)
    _IDENT_HELP,
    _LATEX_FORBIDDEN,
    _LATEX_OK,
    Parameter,
    _check_identifier,
    _check_latex,
    _show,
    make_parameter_symbol,
)
from .population import DEFAULT_SYMBOLS, Population
from .scenario import Scenario, ScheduleSpec
from .term import PERCEIVED_AMOUNT, Term

__all__ = [
    "Parameter",
    "Population",
    "Term",
    "Scenario",
    "ScheduleSpec",
    "Game",
    "make_parameter_symbol",
    "DEFAULT_SYMBOLS",
    "PERCEIVED_AMOUNT",
]


@dataclass(frozen=True, eq=False)
class Game(GameConstructors, GameProfiles, GameValues, GamePayoffs):
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
    path : str or None
        The model file it was read from, if any.
    dynamics : Dynamics
        The dynamics it is integrated and analysed under (a model file's ``[dynamics]``
        table; default the replicator). :meth:`with_dynamics` makes a copy with another.

    Examples
    --------
    Role-asymmetric hawk-dove (Maynard Smith 1982, ch. 8), a built-in model:

    >>> hd = Game.builtin("hawk_dove")
    >>> hd
    Game('hawk_dove', 2x2, 2 parameters)
    >>> [p.name for p in hd.populations], hd.values
    (['owner', 'intruder'], {'V': 2, 'C': 4})
    >>> hd.payoff_at(("hawk", "hawk"))
    (-C/2 + V/2, -C/2 + V/2)
    >>> hd.payoff_tensors(numeric=True)[0].tolist()    # the owner's payoffs at V = 2, C = 4
    [[-1, 2], [0, 1]]
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
    fitness: Mapping[tuple[int, int], sp.Expr] = field(default_factory=dict)
    dynamics: Dynamics = REPLICATOR

    def __post_init__(self) -> None:
        if not isinstance(self.dynamics, Dynamics):
            raise GameInputError(f"game {self.name!r}: dynamics must be a Dynamics (e.g. "
                                 f"Dynamics('logit', temperature=0.1)); got {self.dynamics!r}")
        if len(self.populations) < 1:
            raise GameInputError(f"game {self.name!r}: needs at least one population")
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
        share_list = [n for pop in self.populations for n in pop.share_names()]
        repeated = sorted({n for n in share_list if share_list.count(n) > 1})
        if repeated:
            raise GameInputError(
                f"game {self.name!r}: two populations use the share symbol(s) {repeated}; give "
                f"each population its own `symbol`"
            )
        shares = set(share_list)
        clash = shares & (set(pnames) | set(self.derived))
        if clash:
            raise GameInputError(
                f"game {self.name!r}: the share symbol(s) {sorted(clash)} clash with parameter "
                f"names; give the population another `symbol`"
            )
        if "t" in pnames or "t" in self.derived:
            raise GameInputError(
                f"game {self.name!r}: `t` is the time of schedules and cannot name a parameter "
                f"or a derived name; rename it")
        if self.n_populations == 1 and self.terms:
            raise GameInputError(
                f"game {self.name!r}: [[terms]] are for games of two or more populations; write a "
                f"single-population game's payoffs as [[payoffs]] rows [own, opponent]")
        object.__setattr__(self, "table", MappingProxyType(dict(self.table)))
        object.__setattr__(self, "fitness", MappingProxyType(dict(self.fitness)))
        object.__setattr__(self, "derived", MappingProxyType(dict(self.derived)))
        object.__setattr__(self, "scenarios", MappingProxyType(dict(self.scenarios)))
        object.__setattr__(self, "_cache", {})

    symmetric = _SymmetricAccess()

    def __reduce__(self):
        """Pickle as the constructor call: the read-only mappings as dicts, no cache.

        So a game can be sent to another process (``multiprocessing``, a Dask worker); the
        copy is checked again by ``__post_init__``.

        >>> import pickle
        >>> hd = Game.builtin("hawk_dove")
        >>> copy = pickle.loads(pickle.dumps(hd))
        >>> copy, copy.payoff_tensors() == hd.payoff_tensors(), copy.values == hd.values
        (Game('hawk_dove', 2x2, 2 parameters), True, True)
        """
        kwargs = {}
        for f in fields(self):
            value = getattr(self, f.name)
            kwargs[f.name] = dict(value) if isinstance(value, MappingProxyType) else value
        return (_rebuild, (kwargs,))

    def __repr__(self) -> str:
        shape = "x".join(map(str, self.shape))
        if self.n_populations == 1:
            shape = f"symmetric {shape}"
        scen = f", scenario={self.scenario!r}" if self.scenario else ""
        if self.dynamics != REPLICATOR:
            scen += f", dynamics={self.dynamics.describe()!r}"
        return f"Game({self.name!r}, {shape}, {len(self.parameters)} parameters{scen})"


def _rebuild(kwargs: dict) -> Game:
    """A game from its fields (the inverse of :meth:`Game.__reduce__`)."""
    return Game(**kwargs)

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
import re
from fractions import Fraction
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import sympy as sp

from ..errors import GameInputError, ParameterError
from .dynamics_spec import REPLICATOR, Dynamics
from .exact import (  # noqa: F401  (re-exported)
    ROUND_DIGITS,
    _as_rational,
    _exact_number,
    _is_radical,
    _round_floats,
)
from .parameter import (  # noqa: F401  (re-exported)
    Parameter,
    _IDENT_HELP,
    _LATEX_FORBIDDEN,
    _LATEX_OK,
    _check_identifier,
    _check_latex,
    _show,
    make_parameter_symbol,
)
from .population import (  # noqa: F401  (re-exported)
    DEFAULT_SYMBOLS,
    Population,
)
from .term import (  # noqa: F401  (re-exported)
    PERCEIVED_AMOUNT,
    Term,
)
from .scenario import (  # noqa: F401  (re-exported)
    Scenario,
    ScheduleSpec,
)
from .game_constructors import (  # noqa: F401  (re-exported)
    GameConstructors,
    _SymmetricAccess,
)
from .game_profiles import (  # noqa: F401  (re-exported)
    GameProfiles,
)
from .game_values import (  # noqa: F401  (re-exported)
    GameValues,
    check_bounded_values,
)
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
    "PERCEIVED_AMOUNT",
]

@dataclass(frozen=True, eq=False)
class Game(GameConstructors, GameProfiles, GameValues):
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

    @property
    def state_dependent(self) -> bool:
        """True when some payoff depends on the state beyond what a constant payoff table gives.

        A table entry or term amount that uses a share symbol (derived names expanded), or a
        ``[[fitness]]`` value that uses its own population's shares or is not affine in each
        other population's shares (a constant table's expected payoffs are exactly those).

        Examples
        --------
        >>> Game.builtin("hawk_dove").state_dependent
        False
        >>> from gametheory_regen.model.modelfile import read_model_text
        >>> g = read_model_text('''
        ... name = "dyn"
        ... [[populations]]
        ... name = "a"
        ... strategies = ["s", "t"]
        ... [[populations]]
        ... name = "b"
        ... strategies = ["s", "t"]
        ... [[payoffs]]
        ... profile = ["s", "s"]
        ... values = ["1 - y", "x"]
        ... ''')
        >>> g.state_dependent
        True
        """
        key = ("state_dependent",)
        cache = self._cache  # type: ignore[attr-defined]
        if key not in cache:
            shares = set(self.share_symbols.values())
            exprs = [e for vals in self.table.values() for e in vals]
            dependent = any(self.expand_derived(e).free_symbols & shares for e in exprs)
            for (p, _), e in self.fitness.items():
                dependent = dependent or not self._multilinear_fitness(p, self.expand_derived(e))
            cache[key] = bool(dependent)
        return cache[key]

    def _multilinear_fitness(self, p: int, expr: sp.Expr) -> bool:
        """Whether a fitness of population ``p`` is what a constant payoff table gives: free of
        its own shares and affine in each other population's shares (multilinear)."""
        groups = []
        for q, pop in enumerate(self.populations):
            syms = {sp.Symbol(n, real=True) for n in pop.share_names()}
            if q == p:
                if expr.free_symbols & syms:
                    return False
            else:
                groups.append(syms)
        used = [g for g in groups if expr.free_symbols & g]
        if not used:
            return True
        try:
            poly = sp.Poly(expr, *[v for g in used for v in g])
        except sp.PolynomialError:
            return False
        gens = poly.gens
        for m in poly.monoms():
            for g in used:
                if sum(d for d, v in zip(m, gens, strict=True) if v in g) > 1:
                    return False
        return True

    @property
    def has_fitness(self) -> bool:
        """True when some population's expected payoffs are given directly (``[[fitness]]``).

        >>> Game.builtin("hawk_dove").has_fitness
        False
        """
        return bool(self.fitness)

    # ----------------------------------------------------------------- payoffs

    def payoff_at(self, profile: Sequence[int] | Sequence[str]) -> tuple[sp.Expr, ...]:
        """Payoffs as written (derived names kept) at a profile (indices or names).

        Parameters
        ----------
        profile : sequence of int or sequence of str
            Strategy indices or names, in population order.

        Returns
        -------
        tuple of sympy.Expr
            One payoff per population, in population order.

        Examples
        --------
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.payoff_at(("hawk", "dove")), hd.payoff_at((1, 1))
        ((V, 0), (V/2, V/2))
        """
        if profile and isinstance(next(iter(profile)), str):
            if self.n_populations == 1:
                pop = self.populations[0]
                profile = tuple(pop.index(s) for s in profile)
            else:
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

        Returns
        -------
        tuple of sympy.Array
            ``tensors[p][s]`` is population ``p``'s payoff at profile ``s`` (cached).

        Raises
        ------
        ParameterError
            With ``numeric=True`` when some parameter has no value.

        Examples
        --------
        >>> hd = Game.builtin("hawk_dove")
        >>> owner, intruder = hd.payoff_tensors()
        >>> owner
        [[-C/2 + V/2, V], [0, V/2]]
        >>> intruder.tolist() == owner.transpose().tolist()   # a symmetric contest
        True
        >>> hd.payoff_tensors(numeric=True)[1].tolist()
        [[-1, 0], [2, 1]]
        >>> hd.without_values().payoff_tensors(numeric=True)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: model 'hawk_dove': no value for parameter(s) ...
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
        shares = set(self.share_symbols.values())
        out = []
        for p in range(self.n_populations):
            cells = []
            for profile in self.table_profiles():
                e = self.table[profile][p]
                if dsubs:
                    e = e.xreplace(dsubs)
                if numeric_cells:
                    e = e.xreplace(vsubs)
                    e = _exact_number(e) if not (e.free_symbols & shares) else _round_floats(e)
                cells.append(e)
            out.append(sp.Array(cells, self.table_shape))
        result = tuple(out)
        cache[key] = result
        return result

    def cell_terms(self, profile: Sequence[int] | Sequence[str]) -> list[tuple[Term, tuple[sp.Expr, ...]]]:
        """The ledger terms that make up the payoffs at ``profile``.

        Returns a list of ``(term, contributions)`` where ``contributions`` gives the signed
        amount for each population (``-amount`` to the payer, ``+amount`` to the receiver).
        Empty for a game given as a plain table.

        Parameters
        ----------
        profile : sequence of int or sequence of str
            Strategy indices or names, in population order.

        Returns
        -------
        list of (Term, tuple of sympy.Expr)
            The active terms in ledger order, with each population's signed contribution.

        Examples
        --------
        >>> reg = Game.builtin("regeneration")
        >>> cells = reg.cell_terms(("enable", "operate", "participate"))
        >>> for term, contributions in cells[:3]:
        ...     print(term.label, contributions)
        operator investment (0, -I, 0)
        space income from the granted area over the term (0, A*aT*let_share*r*rights/1000000, 0)
        transitional subsidy (-ak*s, ak*s, 0)
        >>> Game.builtin("hawk_dove").cell_terms(("hawk", "dove"))   # a plain table has no ledger
        []
        """
        if not self.terms:
            return []
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
        if self.n_populations == 1:
            shape = f"symmetric {shape}"
        scen = f", scenario={self.scenario!r}" if self.scenario else ""
        if self.dynamics != REPLICATOR:
            scen += f", dynamics={self.dynamics.describe()!r}"
        return f"Game({self.name!r}, {shape}, {len(self.parameters)} parameters{scen})"

r"""Profiles of a Game: its shape, populations and parameters by name, profiles and their names.

A pure profile :math:`s = (s_1, \dots, s_n)` picks a strategy :math:`s_p \in \{0, \dots,
k_p - 1\}` of each population; the :math:`\prod_p k_p` profiles are enumerated in lexicographic
order (the last population's strategy changes fastest), and a profile given by strategy names is
turned into indices and back.  A single-population game's payoff table is indexed instead by
pairs ``(own, opponent)``, of shape :math:`(k, k)`.  Population :math:`p`'s state is written in its
reduced coordinates :math:`x_{p,1}, \dots, x_{p,k_p-1}`, the real symbols that state-dependent
payoffs use (:attr:`~GameProfiles.share_symbols`).

:class:`GameProfiles` is a mixin of :class:`~gametheory_regen.model.game.Game` that holds these
properties and look-ups; the fields they read are the game's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import GameInputError, ParameterError

if TYPE_CHECKING:
    from .parameter import Parameter
    from .population import Population

__all__ = ["GameProfiles"]


class GameProfiles:
    """Shape, populations, parameters and profiles of a
    :class:`~gametheory_regen.model.game.Game` (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> issubclass(Game, GameProfiles), Game.builtin("hawk_dove").profile_names((0, 1))
    (True, ('hawk', 'dove'))
    """

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each population.

        >>> from gametheory_regen import Game
        >>> Game.builtin("rock_paper_scissors").shape
        (3, 3)
        """
        return tuple(p.k for p in self.populations)

    @property
    def n_populations(self) -> int:
        """Number of populations.

        >>> from gametheory_regen import Game
        >>> Game.builtin("jordan_matching_pennies").n_populations
        3
        """
        return len(self.populations)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Parameter names in declaration order.

        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").parameter_names
        ('V', 'C')
        """
        return tuple(p.name for p in self.parameters)

    def population(self, name: str) -> Population:
        """The population called ``name``.

        Parameters
        ----------
        name : str

        Returns
        -------
        Population

        Raises
        ------
        GameInputError
            For an unknown name; the message lists the populations.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.population("intruder").strategies
        ('hawk', 'dove')
        >>> hd.population("thief")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: unknown population 'thief'; populations are ...
        """
        for pop in self.populations:
            if pop.name == name:
                return pop
        raise GameInputError(
            f"unknown population {name!r}; populations are "
            f"{', '.join(p.name for p in self.populations)}"
        )

    def population_index(self, name: str) -> int:
        """Position of the population called ``name`` in :attr:`populations`.

        Parameters
        ----------
        name : str

        Returns
        -------
        int

        Raises
        ------
        GameInputError
            For an unknown name.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("regeneration").population_index("residents")
        2
        """
        return self.populations.index(self.population(name))

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; the error lists the known names.

        Parameters
        ----------
        name : str

        Returns
        -------
        Parameter

        Raises
        ------
        ParameterError
            For an unknown name.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.parameter("C").value, hd.parameter("C").description
        (4, 'cost of an escalated fight')
        >>> hd.parameter("D")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: unknown parameter 'D' in model 'hawk_dove'; ...
        """
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(self.parameter_names) or "(none)"
        raise ParameterError(
            f"unknown parameter {name!r} in model {self.name!r}; known parameters: {known}"
        )

    def profiles(self) -> Iterable[tuple[int, ...]]:
        """All pure profiles as tuples of strategy indices, in lexicographic order.

        Returns
        -------
        iterable of tuple of int
            One tuple per profile; the last population's strategy changes fastest.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> list(Game.builtin("hawk_dove").profiles())
        [(0, 0), (0, 1), (1, 0), (1, 1)]
        """
        return itertools.product(*(range(k) for k in self.shape))

    @property
    def table_shape(self) -> tuple[int, ...]:
        """Shape of the payoff table: :attr:`shape`, or ``(k, k)`` for a single population.

        A single-population (symmetric) game's table is indexed by ``(own, opponent)``.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").table_shape
        (2, 2)
        >>> Game.symmetric("rps", ["R", "P", "S"], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]).table_shape
        (3, 3)
        """
        if self.n_populations == 1:
            k = self.populations[0].k
            return (k, k)
        return self.shape

    def table_profiles(self) -> Iterable[tuple[int, ...]]:
        """The keys of :attr:`table`: :meth:`profiles`, or ``(own, opponent)`` pairs for a
        single-population game.

        Returns
        -------
        iterable of tuple of int

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
        >>> list(hd.table_profiles()), list(hd.profiles())
        ([(0, 0), (0, 1), (1, 0), (1, 1)], [(0,), (1,)])
        """
        return itertools.product(*(range(k) for k in self.table_shape))

    @property
    def share_symbols(self) -> dict[str, sp.Symbol]:
        """Share name -> the real symbol of that reduced coordinate (``x``, ``y1``, ...).

        Payoffs that depend on the state use these symbols (Contract 4).

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("rock_paper_scissors").share_symbols
        {'x1': x1, 'x2': x2, 'y1': y1, 'y2': y2}
        """
        return {n: sp.Symbol(n, real=True) for pop in self.populations for n in pop.share_names()}

    def cell_names(self, cell: Sequence[int]) -> tuple[str, ...]:
        """Strategy names of a key of :attr:`table`: a profile, or ``(own, opponent)`` in a
        single-population game.

        Parameters
        ----------
        cell : sequence of int

        Returns
        -------
        tuple of str

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]]).cell_names((0, 1))
        ('hawk', 'dove')
        """
        if self.symmetric:
            pop = self.populations[0]
            return tuple(pop.strategies[i] for i in cell)
        return self.profile_names(cell)

    def profile_names(self, profile: Sequence[int]) -> tuple[str, ...]:
        """Strategy names of a profile given by strategy indices (the inverse of
        :meth:`profile_index`).

        Parameters
        ----------
        profile : sequence of int
            One strategy index per population, in population order.

        Returns
        -------
        tuple of str

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").profile_names((0, 1))
        ('hawk', 'dove')
        """
        return tuple(pop.strategies[i] for pop, i in zip(self.populations, profile, strict=True))

    def profile_index(self, profile: Sequence[str] | Mapping[str, str], where: str = "") -> tuple[int, ...]:
        """Strategy indices of a profile given by names (a sequence in population order or a mapping).

        Parameters
        ----------
        profile : sequence of str or mapping of str to str
            Strategy names in population order, or population name -> strategy name (every
            population exactly once).
        where : str
            Prefix of error messages (the argument at fault).

        Returns
        -------
        tuple of int

        Raises
        ------
        GameInputError
            For a wrong number of strategies, a missing or unknown population, or an unknown
            strategy.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.profile_index(("dove", "hawk"))
        (1, 0)
        >>> hd.profile_index({"intruder": "hawk", "owner": "dove"})
        (1, 0)
        >>> hd.profile_index(("dove",))
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: a profile needs 2 strategies (one per ...
        """
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

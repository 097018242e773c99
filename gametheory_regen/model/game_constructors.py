r"""Making a Game: from a payoff table, as a symmetric game, from a model file, built in.

A normal-form game is its payoff table :math:`s \mapsto (A_1(s), \dots, A_n(s))` over the
profiles :math:`s \in S_1 \times \dots \times S_n` (:meth:`~GameConstructors.from_table`).  A
single-population (symmetric two-player) game is one matrix :math:`A`, :math:`A_{ij}` the payoff
of strategy :math:`i` against :math:`j`, with replicator dynamics
:math:`\dot x_i = x_i((Ax)_i - x \cdot Ax)` on one simplex (``Game.symmetric(...)``).  Both go
through the checks of the ledger builder (:mod:`gametheory_regen.model.builder`); a model file is
read by :mod:`gametheory_regen.model.modelfile` and a built-in model by
:mod:`gametheory_regen.model.library`.

:class:`GameConstructors` is a mixin of :class:`~gametheory_regen.model.game.Game` that holds
these classmethods; ``Game.symmetric`` is :class:`_SymmetricAccess`, a constructor on the class
and a property on an instance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import GameInputError
from .population import Population

if TYPE_CHECKING:
    from .game import Game
    from .parameter import Parameter

__all__ = ["GameConstructors"]


class _SymmetricAccess:
    """``Game.symmetric(...)`` builds a single-population game; ``game.symmetric`` tells whether
    a game is one (a constructor on the class, a property on an instance)."""

    def __get__(self, obj, cls):
        if obj is None:
            return cls._symmetric_constructor
        return obj.n_populations == 1


class GameConstructors:
    """The constructors of :class:`~gametheory_regen.model.game.Game` (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> issubclass(Game, GameConstructors), Game.from_table.__self__ is Game
    (True, True)
    """

    @classmethod
    def _symmetric_constructor(
        cls,
        name: str,
        strategies: Sequence[str],
        payoffs: Sequence[Sequence[object]] | Mapping[Sequence[str], object],
        parameters: Iterable[Parameter] = (),
        derived: Mapping[str, object] | None = None,
        *,
        population: str = "players",
        symbol: str | None = None,
        **meta: object,
    ) -> Game:
        """A single-population (symmetric two-player) game: ``Game.symmetric(...)``.

        On an instance, ``game.symmetric`` is the property "this game has one population".
        The replicator dynamics is :math:`\\dot x_i = x_i((Ax)_i - x \\cdot Ax)` on one simplex.

        Parameters
        ----------
        name : str
        strategies : sequence of str
            The population's strategies (at least two).
        payoffs : k x k nested sequence, or mapping of (own, opponent) to payoff
            ``A[i][j]`` is the payoff of a player using ``i`` against one using ``j``; numbers,
            sympy expressions or safe expression strings (which may use the share symbols, for
            payoffs that depend on the state). Absent pairs of a mapping pay 0.
        parameters : iterable of Parameter
        derived : mapping of str to expression, optional
        population : str
            The population's name (default ``"players"``).
        symbol : str, optional
            Display name of its shares (default ``x``).
        **meta
            ``title``, ``description``, ``source``, ``time_unit``.

        Returns
        -------
        Game
            With one population; ``game.symmetric`` is True.

        Examples
        --------
        Hawk-dove with V = 2, C = 4 (Maynard Smith 1982): the mixed ESS plays hawk with
        probability V/C:

        >>> from gametheory_regen import Game, Parameter
        >>> hd = Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
        ...                     [Parameter.make("V", 2), Parameter.make("C", 4)])
        >>> hd, hd.symmetric, Game.builtin("hawk_dove").symmetric
        (Game('hd', symmetric 2, 2 parameters), True, False)
        >>> hd.payoff_at(("hawk", "dove"))
        (V,)
        """
        from .builder import GameBuilder

        builder = GameBuilder(name, **meta)
        builder.population(population, strategies, symbol=symbol)
        for param in parameters:
            builder.add_parameter(param)
        for dname, expr in (derived or {}).items():
            builder.derived(dname, expr)
        strategies = list(strategies)
        if isinstance(payoffs, Mapping):
            items = [(tuple(k), v) for k, v in payoffs.items()]
        else:
            rows = list(payoffs)
            if len(rows) != len(strategies) or any(len(list(r)) != len(strategies) for r in rows):
                raise GameInputError(
                    f"game {name!r}: expected a {len(strategies)} x {len(strategies)} payoff "
                    f"matrix (own strategy x opponent's), got {rows!r}")
            items = [((strategies[i], strategies[j]), v)
                     for i, r in enumerate(rows) for j, v in enumerate(r)]
        for profile, value in items:
            builder.payoff(profile, [value])
        return builder.build()

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
        **meta
            ``title``, ``description``, ``source``, ``time_unit``.

        Returns
        -------
        Game

        Raises
        ------
        GameInputError
            For fewer than two populations or strategies, an unknown strategy in a profile, a
            wrong number of payoffs, or an expression that uses an undeclared name.

        Examples
        --------
        Matching pennies (Hofbauer & Sigmund 1998, section 10.3):

        >>> from gametheory_regen import Game
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
        """Read a model file (Contract 1, TOML). See :mod:`gametheory_regen.model.modelfile`.

        Parameters
        ----------
        path : str or os.PathLike
            A ``.toml`` model file.

        Returns
        -------
        Game

        Raises
        ------
        ModelFileError
            When the file is missing, unreadable, not TOML, or breaks the format.

        Examples
        --------
        A game written with :func:`~gametheory_regen.model.modelfile.write_model` reads back
        with the same payoffs:

        >>> from gametheory_regen import Game
        >>> import pathlib, shutil, tempfile
        >>> from gametheory_regen.model import write_model
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> write_model(Game.builtin("hawk_dove"), d / "hd.toml")
        >>> again = Game.from_file(d / "hd.toml")
        >>> again.path == str(d / "hd.toml"), again.payoff_at(("hawk", "dove"))
        (True, (V, 0))
        >>> shutil.rmtree(d)
        """
        from .modelfile import read_model

        return read_model(path)

    @classmethod
    def builtin(cls, name: str) -> Game:
        """A model shipped with the package, by name (``gametheory-regen models`` lists them).

        Parameters
        ----------
        name : str
            One of :func:`~gametheory_regen.model.library.builtin_names`.

        Returns
        -------
        Game

        Raises
        ------
        GameInputError
            For an unknown name; the message lists the built-in models.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("rock_paper_scissors")
        Game('rock_paper_scissors', 3x3, 1 parameters)
        >>> Game.builtin("jordan_matching_pennies").shape
        (2, 2, 2)
        """
        from .library import builtin_names, load_builtin

        if not isinstance(name, str):
            raise GameInputError(f"Game.builtin: expected the name of a built-in model (a str), "
                                 f"got {type(name).__name__} {name!r}; built-in models: "
                                 f"{', '.join(builtin_names())}")
        return load_builtin(name)

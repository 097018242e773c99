r"""Populations: the roles of a game, their pure strategies and the symbols of their shares.

Population :math:`p` has :math:`k_p \ge 2` pure strategies, in order; its state is a point of the
simplex :math:`\{x \in \mathbb{R}^{k_p}_{\ge 0} : \sum_i x_i = 1\}`, written in the reduced
coordinates :math:`x_1, \dots, x_{k_p - 1}`, the shares of all strategies but the last
(:meth:`Population.share_names`).  The shares are named after the population's display symbol:
``x`` for two strategies, ``x1, x2, ...`` for more; :data:`DEFAULT_SYMBOLS` are given, in order,
to populations that name none.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GameInputError

__all__ = ["DEFAULT_SYMBOLS", "Population"]


#: Display names given, in this order, to populations that do not name their own symbol.
DEFAULT_SYMBOLS = ("x", "y", "z", "w", "v", "u", "q", "r")


@dataclass(frozen=True)
class Population:
    """A population: its name, its strategies (in order) and the display symbol of its shares.

    Attributes
    ----------
    name : str
        The population's name (an identifier).
    strategies : tuple of str
        Its pure strategies, in order; at least two.
    symbol : str
        The display name of its shares: ``x`` for two strategies, ``x1, x2, ...`` for more
        (see :meth:`share_names`).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> owner = Game.builtin("hawk_dove").population("owner")
    >>> owner
    Population(name='owner', strategies=('hawk', 'dove'), symbol='x')
    >>> owner.k
    2
    """

    name: str
    strategies: tuple[str, ...]
    symbol: str

    @property
    def k(self) -> int:
        """Number of strategies, ``len(strategies)``.

        >>> Population("row", ("rock", "paper", "scissors"), "x").k
        3
        """
        return len(self.strategies)

    def index(self, strategy: str, where: str = "") -> int:
        """Position of ``strategy``; a clear error for an unknown one.

        Parameters
        ----------
        strategy : str
            A strategy name.
        where : str
            Prefix of the error message (the argument or table at fault).

        Returns
        -------
        int
            Its index in :attr:`strategies`.

        Raises
        ------
        GameInputError
            For a strategy this population does not have; the message lists the known ones.

        Examples
        --------
        >>> pop = Population("owner", ("hawk", "dove"), "x")
        >>> pop.index("dove")
        1
        >>> pop.index("bully", "outcome")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: outcome: unknown strategy 'bully' of population ...
        """
        try:
            return self.strategies.index(strategy)
        except ValueError:
            raise GameInputError(
                f"{where + ': ' if where else ''}unknown strategy {strategy!r} of population "
                f"{self.name!r}; its strategies are {', '.join(self.strategies)}"
            ) from None

    def share_names(self) -> tuple[str, ...]:
        """Names of the reduced coordinates (the shares of the first k-1 strategies).

        Returns
        -------
        tuple of str
            ``(symbol,)`` for two strategies, else ``symbol1 .. symbol{k-1}``.

        Examples
        --------
        >>> Population("row", ("heads", "tails"), "x").share_names()
        ('x',)
        >>> Population("column", ("rock", "paper", "scissors"), "y").share_names()
        ('y1', 'y2')
        """
        if self.k == 2:
            return (self.symbol,)
        return tuple(f"{self.symbol}{i + 1}" for i in range(self.k - 1))

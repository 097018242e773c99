r"""Exchange games with Gambit (``.nfg`` files) and nashpy.

A game at one parameter point is an ordinary finite :math:`n`-player strategic-form game: players
are our populations, their pure strategies our strategies, and the payoff of player :math:`p` at a
pure profile is :math:`A_p(s)`.  The replicator dynamics is not part of the exchange; what is kept
is the payoff table, exactly (rationals stay rationals).

Gambit's strategic-form file (``.nfg``, format version 1, "R" for rational numbers) has a header

.. code-block:: text

    NFG 1 R "title" { "player 1" "player 2" ... }
    { { "s11" "s12" ... } { "s21" ... } ... }
    "comment"

followed either by the *payoff version*: the payoffs of all players, profile after profile, or by
the *outcome version*: a list of outcomes ``{ "label" a1, a2, ... }`` and then, for every profile,
the (1-based) number of its outcome (0 for none).  In both, profiles are listed with the **first
player's strategy changing fastest** (Gambit documentation, "Game representation formats").

nashpy (Knight & Campbell 2018) represents two-player games by the row and column players'
payoff matrices :math:`A, B`; our two populations map to them in order.  For more populations a
two-population *slice* fixes every other population at one pure strategy.  nashpy is imported
only when needed.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from ..errors import GameInputError
from .game import Game

__all__ = ["to_nfg", "write_nfg", "to_nashpy", "from_nashpy", "payoff_matrices"]


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: sp.Expr) -> str:
    """A payoff as Gambit reads it: an integer, ``p/q``, or (long rationals) a decimal."""
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational and value.q <= 10**6:
        return f"{int(value.p)}/{int(value.q)}"
    return repr(float(value))  # a long rational (a rounded irrational payoff): 17 digits


def _numeric_tensors(game: Game, where: str) -> tuple[sp.Array, ...]:
    if not game.is_numeric:
        raise GameInputError(
            f"{where}: model {game.name!r} has parameters without a value "
            f"({', '.join(game.free_parameters)}); give them with Game.with_values or a scenario")
    return game.payoff_tensors(numeric=True)


def _gambit_profiles(game: Game):
    """Pure profiles in Gambit's order: the first player's strategy changes fastest."""
    for rev in itertools.product(*(range(k) for k in reversed(game.shape))):
        yield tuple(reversed(rev))


def to_nfg(game: Game, *, version: str = "payoff", title: str | None = None,
           comment: str | None = None) -> str:
    """The game at its parameter values as the text of a Gambit ``.nfg`` file.

    Parameters
    ----------
    game : Game
        Every parameter needs a value.
    version : {"payoff", "outcome"}
        Payoffs listed profile by profile, or as numbered outcomes referenced by the profiles.
    title : str, optional
        Default: the game's title (or name).
    comment : str, optional
        Default: the game's name, scenario and parameter values.

    Returns
    -------
    str
        The file's text, ending with a newline.

    Raises
    ------
    GameInputError
        For an unknown ``version``, or a parameter without a value.

    Examples
    --------
    Matching pennies (Hofbauer & Sigmund 1998, section 10.3):

    >>> print(to_nfg(Game.builtin("matching_pennies"), comment=""))
    NFG 1 R "Two-population matching pennies" { "row" "column" }
    { { "heads" "tails" } { "heads" "tails" } }
    ""
    <BLANKLINE>
    1 -1 -1 1 -1 1 1 -1
    <BLANKLINE>

    The outcome version lists each profile's payoffs once, with the first player's strategy
    changing fastest:

    >>> print(to_nfg(Game.builtin("hawk_dove"), version="outcome"))
    NFG 1 R "Role-asymmetric hawk-dove (owner and intruder)" { "owner" "intruder" }
    { { "hawk" "dove" } { "hawk" "dove" } }
    "gametheory_regen model hawk_dove; parameters: V=2, C=4"
    <BLANKLINE>
    {
    { "hawk hawk" -1, -1 }
    { "dove hawk" 0, 2 }
    { "hawk dove" 2, 0 }
    { "dove dove" 1, 1 }
    }
    1 2 3 4
    <BLANKLINE>
    """
    if version not in ("payoff", "outcome"):
        raise GameInputError(f"version must be 'payoff' or 'outcome'; got {version!r}")
    tensors = _numeric_tensors(game, "to_nfg")
    if title is None:
        title = game.title or game.name
    if comment is None:
        values = ", ".join(f"{k}={_number(v)}" for k, v in game.values.items())
        comment = f"gametheory_regen model {game.name}" + (
            f", scenario {game.scenario}" if game.scenario else "") + (
            f"; parameters: {values}" if values else "")
    players = " ".join(_quote(p.name) for p in game.populations)
    strategies = " ".join("{ " + " ".join(_quote(s) for s in p.strategies) + " }"
                          for p in game.populations)
    lines = [f"NFG 1 R {_quote(title)} {{ {players} }}", f"{{ {strategies} }}", _quote(comment), ""]
    profiles = list(_gambit_profiles(game))
    if version == "payoff":
        numbers = [_number(tensors[p][profile]) for profile in profiles
                   for p in range(game.n_populations)]
        lines.append(" ".join(numbers))
    else:
        lines.append("{")
        for profile in profiles:
            label = " ".join(game.profile_names(profile))
            pays = ", ".join(_number(tensors[p][profile]) for p in range(game.n_populations))
            lines.append(f"{{ {_quote(label)} {pays} }}")
        lines.append("}")
        lines.append(" ".join(str(i + 1) for i in range(len(profiles))))
    return "\n".join(lines) + "\n"


def write_nfg(game: Game, path: object, **kwargs) -> None:
    """Write :func:`to_nfg` to ``path`` atomically (whole or not at all).

    Parameters
    ----------
    game : Game
        Every parameter needs a value.
    path : str or os.PathLike
        The ``.nfg`` file; its folder must exist.
    **kwargs
        ``version``, ``title``, ``comment``: see :func:`to_nfg`.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        When the file cannot be written, or :func:`to_nfg` refuses the game.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_nfg(Game.builtin("battle_of_sexes"), d / "bos.nfg", comment="")
    >>> (d / "bos.nfg").read_text().splitlines()[-1]      # payoffs, first player fastest
    '2 1 0 0 0 0 1 2'
    >>> shutil.rmtree(d)
    """
    from ..fileio import write_text_atomic

    write_text_atomic(path, to_nfg(game, **kwargs), "write_nfg")


def payoff_matrices(game: Game, fixed: Mapping[str, str] | None = None,
                    exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The two payoff matrices of a two-population game, or of a two-population slice.

    Parameters
    ----------
    game : Game
    fixed : mapping of population name to strategy name, optional
        For a game with more than two populations: a pure strategy for every population but two.
    exact : bool
        Object arrays of sympy rationals instead of floats.

    Returns
    -------
    A, B : numpy.ndarray
        ``A[i, j]`` and ``B[i, j]``: the payoffs of the first and second free population when they
        play their strategies ``i`` and ``j``.

    Raises
    ------
    GameInputError
        For a parameter without a value, an unknown population or strategy in ``fixed``, or not
        exactly two populations left free.

    Examples
    --------
    >>> A, B = payoff_matrices(Game.builtin("battle_of_sexes"))
    >>> A.tolist(), B.tolist()
    ([[2.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 2.0]])
    >>> payoff_matrices(Game.builtin("hawk_dove"), exact=True)[0].tolist()
    [[-1, 2], [0, 1]]

    Jordan's three-player matching pennies with player 3 fixed at heads:

    >>> A, B = payoff_matrices(Game.builtin("jordan_matching_pennies"), {"player3": "heads"})
    >>> A.tolist(), B.tolist()
    ([[1.0, -1.0], [-1.0, 1.0]], [[1.0, -1.0], [1.0, -1.0]])
    """
    tensors = _numeric_tensors(game, "payoff_matrices")
    fixed = dict(fixed or {})
    for name in fixed:
        game.population(name)  # unknown name -> clear error
    free = [p for p in range(game.n_populations) if game.populations[p].name not in fixed]
    if len(free) != 2:
        raise GameInputError(
            f"payoff_matrices: needs exactly two free populations; model {game.name!r} has "
            f"{game.n_populations} and fixed={fixed!r} leaves "
            f"{[game.populations[p].name for p in free]}; fix the others at a pure strategy, "
            f"e.g. fixed={{{game.populations[-1].name!r}: {game.populations[-1].strategies[0]!r}}}")
    base = [None] * game.n_populations
    for name, strategy in fixed.items():
        q = game.population_index(name)
        base[q] = game.populations[q].index(strategy, "fixed")
    p0, p1 = free
    k0, k1 = game.shape[p0], game.shape[p1]
    dtype = object if exact else float
    A = np.empty((k0, k1), dtype=dtype)
    B = np.empty((k0, k1), dtype=dtype)
    for i in range(k0):
        for j in range(k1):
            profile = list(base)
            profile[p0], profile[p1] = i, j
            a, b = tensors[p0][tuple(profile)], tensors[p1][tuple(profile)]
            A[i, j] = a if exact else float(a)
            B[i, j] = b if exact else float(b)
    return A, B


def to_nashpy(game: Game, fixed: Mapping[str, str] | None = None):
    """A :class:`nashpy.Game` of the game (or of a two-population slice, see
    :func:`payoff_matrices`) at its parameter values.

    Parameters
    ----------
    game : Game
        Every parameter needs a value.
    fixed : mapping of population name to strategy name, optional
        For more than two populations: a pure strategy for every population but two.

    Returns
    -------
    nashpy.Game
        Row player = the first free population, column player = the second.

    Raises
    ------
    GameInputError
        As :func:`payoff_matrices`.

    Examples
    --------
    >>> nash = to_nashpy(Game.builtin("battle_of_sexes"))
    >>> nash.payoff_matrices[0].tolist()
    [[2.0, 0.0], [0.0, 1.0]]

    nashpy finds the same three equilibria as the replicator analysis (two pure, one mixed):

    >>> [(s.round(3).tolist(), t.round(3).tolist()) for s, t in nash.support_enumeration()]
    [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([0.667, 0.333], [0.333, 0.667])]
    """
    try:
        import nashpy
    except ImportError as exc:  # pragma: no cover - nashpy is a dependency
        raise GameInputError("to_nashpy needs the package nashpy (pip install nashpy)") from exc
    A, B = payoff_matrices(game, fixed)
    return nashpy.Game(A, B)


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value


def from_nashpy(nash_game, name: str = "nashpy_game",
                populations: Sequence[tuple[str, Sequence[str]]] | None = None, **meta) -> Game:
    """Our :class:`Game` from a two-player :class:`nashpy.Game`.

    Parameters
    ----------
    nash_game : nashpy.Game
        Its ``payoff_matrices`` ``(A, B)``; a zero-sum game made from ``A`` alone has ``B = -A``.
    name : str
    populations : sequence of (name, strategies), optional
        Default ``("row", ["r1", ...])`` and ``("column", ["c1", ...])``.
    **meta
        Passed to :meth:`Game.from_table` (``title``, ``description``, ``source``).

    Returns
    -------
    Game
        Without parameters: every payoff is a number.

    Raises
    ------
    GameInputError
        When ``nash_game`` has no two payoff matrices of one 2-D shape, or ``populations`` does
        not fit them.

    Examples
    --------
    >>> import nashpy
    >>> g = from_nashpy(nashpy.Game([[1, -1], [-1, 1]]))
    >>> g.shape, g.payoff_at(("r1", "c2"))
    ((2, 2), (-1, 1))
    """
    try:
        A, B = (np.asarray(m) for m in nash_game.payoff_matrices)
    except (AttributeError, TypeError, ValueError) as exc:
        raise GameInputError(
            f"from_nashpy: expected a nashpy.Game with two payoff matrices; got "
            f"{type(nash_game).__name__}") from exc
    if A.ndim != 2 or A.shape != B.shape:
        raise GameInputError(f"from_nashpy: payoff matrices must be 2-D of one shape; got "
                             f"{A.shape} and {B.shape}")
    if populations is None:
        populations = (("row", [f"r{i + 1}" for i in range(A.shape[0])]),
                       ("column", [f"c{j + 1}" for j in range(A.shape[1])]))
    populations = [(str(n), list(s)) for n, s in populations]
    if len(populations) != 2 or [len(s) for _, s in populations] != list(A.shape):
        raise GameInputError(
            f"from_nashpy: populations must give two (name, strategies) pairs with "
            f"{A.shape[0]} and {A.shape[1]} strategies; got {populations!r}")
    (_, rows), (_, cols) = populations
    payoffs = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            payoffs[(r, c)] = (_plain(A[i, j]), _plain(B[i, j]))
    return Game.from_table(name, populations, payoffs, **meta)

"""The one place where sympy becomes numpy.

A game at one parameter point is the float array ``payoffs`` of shape ``(n_pops, k_1, ..., k_n)``
with ``payoffs[p][s]`` the payoff of population ``p`` at pure profile ``s``.  The numeric engine
(:mod:`gametheory_regen.dynamics.kernels`) works on these arrays only.  A parameter sweep needs
them for many parameter points at once: :func:`payoff_function` lambdifies the symbolic payoff
table once and evaluates it vectorised over rows of parameter values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from ..model.game import Game

__all__ = ["payoff_tensor", "payoff_function", "needs_expected_payoffs",
           "expected_payoff_function"]


def payoff_tensor(game: Game) -> np.ndarray:
    """Payoffs at the game's parameter values, shape ``(n_pops, k_1, ..., k_n)``, float64.

    Parameters
    ----------
    game : Game
        Every parameter needs a value.

    Returns
    -------
    numpy.ndarray
        ``out[p][s]`` is population ``p``'s payoff at pure profile ``s``.

    Raises
    ------
    ParameterError
        When a parameter has no value.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> payoff_tensor(Game.builtin("hawk_dove")).tolist()     # owner, then intruder
    [[[-1.0, 2.0], [0.0, 1.0]], [[-1.0, 0.0], [2.0, 1.0]]]
    >>> payoff_tensor(Game.builtin("jordan_matching_pennies")).shape
    (3, 2, 2, 2)
    """
    tensors = game.payoff_tensors(numeric=True)
    out = np.empty((game.n_populations, *game.shape))
    for p, tensor in enumerate(tensors):
        for profile in game.profiles():
            out[(p, *profile)] = float(tensor[profile])
    return out


def payoff_function(game: Game) -> tuple[tuple[str, ...], Callable[[np.ndarray], np.ndarray]]:
    """Lambdify the payoff table once.

    Parameters
    ----------
    game : Game
        Parameter values are not used (every parameter is an argument of ``f``); the result is
        cached on the game.

    Returns
    -------
    names : tuple of str
        Parameter names, the column order of the argument of ``f``.
    f : callable
        ``f(values)`` with ``values`` of shape ``(m, len(names))`` returns an array of shape
        ``(m, n_pops, k_1, ..., k_n)``.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> names, f = payoff_function(Game.builtin("hawk_dove"))
    >>> names
    ('V', 'C')
    >>> f(np.array([[2.0, 4.0]]))[0, 0].tolist()   # the owner's payoffs
    [[-1.0, 2.0], [0.0, 1.0]]

    Many parameter points at once, one row each:

    >>> f(np.array([[2.0, 4.0], [6.0, 4.0]]))[:, 0, 0, 0].tolist()   # hawk against hawk
    [-1.0, 1.0]
    """
    cache = game._cache  # type: ignore[attr-defined]
    if "payoff_function" in cache:
        return cache["payoff_function"]
    names = game.parameter_names
    symbols = [game.parameter(n).symbol for n in names]
    tensors = game.payoff_tensors(numeric=False, expand=True)
    profiles = list(game.profiles())
    exprs = [tensors[p][profile] for p in range(game.n_populations) for profile in profiles]
    raw = sp.lambdify(symbols, exprs, modules="numpy", cse=True, dummify=True)
    shape = (game.n_populations, *game.shape)

    def f(values: np.ndarray) -> np.ndarray:
        vals = np.atleast_2d(np.asarray(values, dtype=float))
        if vals.ndim != 2 or vals.shape[1] != len(names):
            raise ValueError(f"expected values of shape (m, {len(names)}) for parameters "
                             f"{', '.join(names)}, got {vals.shape}")
        m = vals.shape[0]
        arr = np.empty((len(exprs), m))
        for i, v in enumerate(raw(*vals.T)):
            arr[i] = v  # constants broadcast
        return arr.reshape(game.n_populations, len(profiles), m).transpose(2, 0, 1).reshape(m, *shape)

    cache["payoff_function"] = (names, f)
    return names, f


def needs_expected_payoffs(game) -> bool:
    """Whether the engine must integrate ``game`` from its expected payoffs rather than from
    payoff tensors: a single-population game, payoffs that depend on the state, or
    ``[[fitness]]``.

    Parameters
    ----------
    game : Game

    Returns
    -------
    bool

    Examples
    --------
    >>> needs_expected_payoffs(Game.builtin("hawk_dove"))
    False
    >>> needs_expected_payoffs(Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]]))
    True
    """
    return bool(game.symmetric or game.state_dependent or getattr(game, "has_fitness", False))


def expected_payoff_function(game: Game) -> Callable[[np.ndarray, np.ndarray, np.ndarray],
                                                     np.ndarray]:
    """Lambdify the expected payoffs once, as the engine's ``Piece.expected_at`` callable.

    Parameters
    ----------
    game : Game
        Every parameter needs a value.

    Returns
    -------
    callable
        ``f(t, x, rows)`` with ``x`` the ``(m, N)`` full shares; returns ``(m, N)``: the
        expected payoff of every strategy of every population (``t`` and ``rows`` are not
        used: the payoffs at the game's values do not change in time).

    Raises
    ------
    ParameterError
        When a parameter has no value.

    Examples
    --------
    Hawk-dove played within one population (V = 2, C = 4): at x = 1/2 a hawk earns
    (V - C)/4 + V/2 = 1/2 and a dove V/4 = 1/2 (the mixed equilibrium):

    >>> hd = Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
    >>> f = expected_payoff_function(hd)
    >>> f(0.0, np.array([[0.5, 0.5]]), np.zeros(1, int)).tolist()
    [[0.5, 0.5]]
    """
    from ..errors import ParameterError
    from .replicator import expected_payoffs, state_symbols

    if not game.is_numeric:
        raise ParameterError("parameters without values: "
                             + ", ".join(str(p) for p in game.free_parameters))
    u = expected_payoffs(game, numeric=True)
    syms = [s for pop in state_symbols(game) for s in pop]
    flat = [sp.sympify(e) for pop in u for e in pop]
    fn = sp.lambdify(syms, flat, modules="numpy")
    cols = []  # the column of each reduced symbol in the full state
    a = 0
    for pop in game.populations:
        cols += list(range(a, a + pop.k - 1))
        a += pop.k

    def expected_at(t, x, rows):
        m = x.shape[0]
        vals = fn(*[x[:, c] for c in cols])
        return np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), (m,))
                                for v in vals])

    return expected_at

r"""The drift of noisy games without a constant payoff tensor: expected payoffs in state and time.

Mathematics
-----------
The stochastic engine (:mod:`gametheory_regen.dynamics.sde`) needs, at each step's start time
:math:`t_n`, the expected payoff :math:`u_{pi}(x, t)` of every strategy :math:`i` of every
population :math:`p`. For a game of two or more populations with constant payoffs these are the
multilinear sums of its payoff tensors, which the compiled kernel evaluates. Every other game
gives them in closed form (:func:`gametheory_regen.dynamics.replicator.expected_payoffs`):

* a single-population (symmetric) game: :math:`u_i(x) = \sum_j a_{ij}(x) x_j`, own shares;
* payoffs that depend on the state (share symbols in payoff values, term amounts or derived
  names) and ``[[fitness]]`` rows: the expressions as written, in the shares;
* parameter schedules: each scheduled parameter :math:`\theta` is replaced by its value
  :math:`\theta(t)` (:class:`~gametheory_regen.dynamics.schedules.Schedule`: piecewise
  constant, piecewise linear, or an expression in ``t``), the others by their values.

These expressions are lambdified once, with the shares and the scheduled parameters as
arguments, into the deterministic engine's ``Piece.expected_at(t, x, rows)`` form (numpy
backend). The drift is explicit: the payoffs of step :math:`n` are those at :math:`t_n`, so a
schedule's jump inside a step takes effect from the next step, an error of order :math:`h`
like the scheme's own.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from gametheory_regen.errors import GameInputError, ParameterError

from .schedules import EXPRESSION, Schedule

__all__ = ["declared_schedules", "as_schedules", "scheduled_values", "expected_payoffs_at",
           "vertex_payoffs"]


def declared_schedules(game) -> tuple:
    """The schedules a game follows: the model's, with its scenario's replacing them per
    parameter (the specs as declared, :class:`~gametheory_regen.model.game.ScheduleSpec`).

    Parameters
    ----------
    game : Game

    Returns
    -------
    tuple of ScheduleSpec

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> g = Game.builtin("regeneration_calendar").with_scenario("jinsong_subsidy_cut_at_year_2")
    >>> sorted(s.parameter for s in declared_schedules(g))
    ['k', 'year']
    >>> declared_schedules(Game.builtin("hawk_dove"))
    ()
    """
    scheds = list(getattr(game, "schedules", ()) or ())
    scen = getattr(game, "scenario", None)
    if scen and scen in getattr(game, "scenarios", {}):
        own = {s.parameter for s in game.scenarios[scen].schedules}
        scheds = [s for s in scheds if s.parameter not in own]
        scheds += list(game.scenarios[scen].schedules)
    return tuple(scheds)


def as_schedules(specs, game) -> tuple[Schedule, ...]:
    """Engine schedules from declared specs (or schedules), expressions bound to the values.

    Parameters
    ----------
    specs : sequence of ScheduleSpec or Schedule
    game : Game
        Supplies the parameter names and the values an expression may use.

    Returns
    -------
    tuple of Schedule

    Raises
    ------
    ParameterError
        A schedule of an unknown parameter, or two schedules of one parameter.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.model.game import ScheduleSpec
    >>> hd = Game.builtin("hawk_dove")
    >>> t = sp.Symbol("t", real=True)
    >>> s = as_schedules([ScheduleSpec("V", "expression", (), (), expression=sp.Symbol("C") * t)],
    ...                  hd)
    >>> s[0].value_at(0.5)
    2.0
    >>> as_schedules([ScheduleSpec("W", "piecewise_constant", (0.0,), (1.0,))], hd)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: schedule: unknown parameter 'W'; the game's parameters are V, C
    """  # noqa: E501
    names = tuple(game.parameter_names)
    values = {n: float(v) for n, v in game.values.items()}
    out, seen = [], set()
    for s in specs:
        if s.parameter not in names:
            raise ParameterError(f"schedule: unknown parameter {s.parameter!r}; the game's "
                                 f"parameters are {', '.join(names) or '(none)'}")
        if s.parameter in seen:
            raise ParameterError(f"schedule: parameter {s.parameter!r} has two schedules; give "
                                 f"one per parameter")
        seen.add(s.parameter)
        if not isinstance(s, Schedule):
            if s.kind == EXPRESSION:
                s = Schedule(s.parameter, EXPRESSION, expression=s.expression)
            else:
                s = Schedule(s.parameter, s.kind, tuple(s.times), tuple(s.values))
        out.append(s.bind(values))
    return tuple(out)


def scheduled_values(game, schedules, t: float) -> dict[str, float]:
    """The parameters' values at time ``t`` (scheduled ones at their schedule's value).

    Parameters
    ----------
    game : Game
    schedules : sequence of Schedule
        From :func:`as_schedules`.
    t : float

    Returns
    -------
    dict

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> hd = Game.builtin("hawk_dove")
    >>> scheduled_values(hd, [Schedule("V", "piecewise_linear", (0, 10), (2, 6))], 5.0)
    {'V': 4.0, 'C': 4.0}
    """
    vals = {n: float(v) for n, v in game.values.items()}
    for s in schedules:
        vals[s.parameter] = float(s.value_at(float(t)))
    return vals


def expected_payoffs_at(game, schedules=()) -> Callable[[float, np.ndarray, np.ndarray],
                                                         np.ndarray]:
    """Lambdify a game's expected payoffs in the shares and time, as ``expected_at(t, x, rows)``.

    Parameters
    ----------
    game : Game
        Every parameter that is not scheduled needs a value.
    schedules : sequence of Schedule
        From :func:`as_schedules`.

    Returns
    -------
    callable
        ``f(t, x, rows)`` with ``x`` the ``(m, N)`` full shares: the ``(m, N)`` expected payoff
        of every strategy of every population at time ``t`` (``rows`` unused: one parameter
        set).

    Raises
    ------
    ParameterError
        A parameter without a value.

    Examples
    --------
    Hawk-dove in two populations with V rising from 2 to 6 over ten years (C = 4): at t = 5,
    V = 4, and against a dove a hawk earns V = 4, a dove V/2 = 2:

    >>> from gametheory_regen.model import Game
    >>> hd = Game.builtin("hawk_dove")
    >>> f = expected_payoffs_at(hd, [Schedule("V", "piecewise_linear", (0, 10), (2, 6))])
    >>> f(5.0, np.array([[0.0, 1.0, 0.0, 1.0]]), np.zeros(1, int)).tolist()
    [[4.0, 2.0, 4.0, 2.0]]
    """
    from .replicator import expected_payoffs, state_symbols

    scheduled = [s.parameter for s in schedules]
    missing = [n for n in game.free_parameters if n not in scheduled]
    if missing:
        raise ParameterError("parameters without values: " + ", ".join(missing))
    u = expected_payoffs(game, numeric=False)
    syms = [s for pop in state_symbols(game) for s in pop]
    flat = [sp.sympify(e) for pop in u for e in pop]
    free = {}
    for e in flat:
        free.update({str(s): s for s in e.free_symbols})
    state_names = {str(s) for s in syms}
    fixed = {sym: game.values[name] for name, sym in free.items()
             if name not in state_names and name not in scheduled and name in game.values}
    # scheduled parameters the payoffs use (a schedule of an unused parameter changes nothing)
    args = [(s, free[s.parameter]) for s in schedules if s.parameter in free]
    flat = [e.xreplace(fixed) for e in flat]
    fn = sp.lambdify(syms + [a[1] for a in args], flat, modules="numpy")
    cols, a = [], 0  # the column of each reduced symbol in the full state
    for pop in game.populations:
        cols += list(range(a, a + pop.k - 1))
        a += pop.k

    def expected_at(t, x, rows):
        m = x.shape[0]
        theta = [float(s.value_at(float(t))) for s, _ in args]
        vals = fn(*[x[:, c] for c in cols], *theta)
        return np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), (m,))
                                for v in vals])

    return expected_at


def vertex_payoffs(expected_at, counts, P: int = 1, t: float = 0.0) -> np.ndarray:
    """Expected payoffs at every vertex, as payoff "tensors" for :func:`outflow_bound`.

    Population ``p``'s entry lists ``u_{pi}(v)`` for its strategies ``i`` at every vertex
    ``v`` of the product of simplices; their range bounds the population's expected payoffs
    exactly when these are linear in the shares (a one-population game with constant payoffs)
    or multilinear (constant payoff tensors), and estimates it otherwise.

    Parameters
    ----------
    expected_at : callable
        ``expected_at(t, x, rows)`` (see :func:`integrate_paths`).
    counts : sequence of int
    P : int
        Parameter sets (every one evaluated).
    t : float
        Time.

    Returns
    -------
    numpy.ndarray
        ``(P, n, V * max_k)`` (shorter populations padded with a value of their own).

    Examples
    --------
    Hawk-dove in one population (V = 2, C = 4): a hawk earns -1 against hawks and 2 against
    doves, a dove 0 and 1:

    >>> A = np.array([[-1.0, 2.0], [0.0, 1.0]])
    >>> vertex_payoffs(lambda t, x, rows: x @ A.T, (2,)).tolist()
    [[[-1.0, 0.0, 2.0, 1.0]]]
    """
    from .kernels import layout_of

    lay = layout_of(counts)
    off = lay.offsets
    V = lay.profiles.shape[0]
    verts = np.zeros((V, lay.n_state))
    verts[np.arange(V)[:, None], lay.profiles + off[:-1][None, :]] = 1.0
    width = V * max(lay.counts)
    out = np.empty((P, lay.n_pops, width))
    for r in range(P):
        u = np.asarray(expected_at(t, verts, np.full(V, r, dtype=np.int64)), dtype=float)
        for p in range(lay.n_pops):
            vals = u[:, off[p]:off[p + 1]].ravel()
            out[r, p, :vals.size] = vals
            out[r, p, vals.size:] = vals[0]
    if not np.all(np.isfinite(out)):
        raise GameInputError("the expected payoffs are not finite at a vertex of the simplex; "
                             "check the payoff expressions")
    return out

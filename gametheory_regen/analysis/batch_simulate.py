r"""One trajectory as a time series, with time-varying parameters.

Mathematics
-----------
:func:`simulate` integrates :math:`\dot x = f(x, \theta(t))` for the game's dynamics :math:`f`
(its model file's, else the replicator) from one starting state on :math:`[0, t_{end}]` and
reports the state at the requested output times (cubic Hermite interpolation between steps).
Scheduled parameters :math:`\theta(t)` make the payoffs depend on time: the horizon is cut at the
breakpoints of the piecewise schedules, within a piece a piecewise-linear schedule is affine in
:math:`t` (so the payoffs are exact there) and an expression schedule is evaluated at every stage
time; an expression schedule is first proven to stay within its parameter's declared bounds on
:math:`[0, t_{end}]`. Payoffs that depend on the state (one population, ``[[fitness]]``) are
given as expected payoffs :math:`u(t, x)` lambdified once.

A trajectory has *settled* when its velocity falls below ``settle_tol`` away from every vertex
(the state is held from then on), or from the first output time after which it stays in the
forward-invariant box of a strict Nash vertex (it converges there; see
:mod:`.batch_classify`). Under schedules a slow state is not at rest, so there is no early stop.
A path the engine did not stop may still be found at rest afterwards, from its output
(:func:`.settling.settle_after`): within ``match_tol`` of a linearly stable vertex that has no
invariant box (payoffs that depend on the state, dynamics other than the replicator), or with
its speed below the integrator's noise floor away from every vertex.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError, ParameterError, StateError

from .batch_inputs import initial_states, split_payoffs
from .batch_vertices import vertex_states
from .settling import settle_after

__all__ = [
    "Simulation",
    "simulate",
]


@dataclass(frozen=True)
class Simulation:
    """A time series of one trajectory.

    Attributes
    ----------
    populations : tuple of str
        Population names (``pop0, pop1, ...`` for a bare payoff array).
    strategies : tuple of tuple of str
        Strategy names of each population (``s0, s1, ...`` for a bare payoff array).
    times : numpy.ndarray
        ``(T,)`` output times.
    states : numpy.ndarray
        ``(T, N)`` full shares at those times.
    initial, final : numpy.ndarray
        ``(N,)`` first and last state.
    settled_time : float or None
        When the velocity fell below ``settle_tol`` away from every vertex (the state is held
        from then on), or the first output time from which the path stays in the invariant
        box of a strict Nash vertex (the path is integrated on to ``t_end``), or from which it
        stays near a linearly stable vertex without a box or below the integrator's noise
        floor (:func:`~gametheory_regen.analysis.settling.settle_after`); ``None``: none of these.
    settled_state : numpy.ndarray or None
        The rest point reached: the state at ``settled_time``, the vertex, or the final state.
    settled_by : str or None
        Which test found it: ``"speed"`` (below ``settle_tol``), ``"box"`` (a strict Nash
        vertex's invariant box), ``"stable vertex"`` or ``"noise floor"``
        (:func:`~gametheory_regen.analysis.settling.settle_after`).
    parameters : dict
        Parameter values used (empty for a bare payoff array).
    schedules : tuple
        The schedules applied.
    method, rtol, atol, dt, t_end, settle_tol, backend
        How it was computed.
    integrator : Integrator
        All integration settings.
    dynamics : Dynamics
        The dynamics integrated.

    Examples
    --------
    Hawk-dove (V = 2, C = 4) from hawk shares 0.6 (owner) and 0.4 (intruder): the path enters
    the invariant box of (hawk, dove) (radius 1/4) between t = 2 and t = 3 and stays in it.

    >>> from gametheory_regen import Game
    >>> sim = simulate(Game.builtin("hawk_dove"), [0.6, 0.4], 10.0, n_points=11,
    ...                backend="numpy")
    >>> sim.populations, sim.parameters
    (('owner', 'intruder'), {'V': 2.0, 'C': 4.0})
    >>> sim.times[:4].tolist(), sim.states.shape
    ([0.0, 1.0, 2.0, 3.0], (11, 4))
    >>> sim.initial.tolist(), sim.settled_time, sim.settled_state.tolist()
    ([0.6, 0.4, 0.4, 0.6], 3.0, [1.0, 0.0, 0.0, 1.0])
    >>> bool(1 - sim.states[2, 0] > 0.25 >= 1 - sim.states[3, 0])    # owner's mass off hawk
    True
    """

    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    times: np.ndarray
    states: np.ndarray
    initial: np.ndarray
    final: np.ndarray
    settled_time: float | None
    settled_state: np.ndarray | None
    settled_by: str | None
    parameters: dict
    schedules: tuple
    method: str
    rtol: float
    atol: float
    dt: float | None
    t_end: float
    settle_tol: float
    backend: str
    integrator: object = None
    dynamics: object = None

    def population_states(self) -> dict[str, np.ndarray]:
        """Population name -> ``(T, k_p)`` shares over time.

        Returns
        -------
        dict of str to numpy.ndarray
            For each population, in order, the columns of :attr:`states` that hold its shares
            (views, not copies).

        Examples
        --------
        >>> import numpy as np
        >>> from gametheory_regen import Game
        >>> sim = simulate(Game.builtin("rock_paper_scissors"), [0.5, 0.25, 0.25, 0.2, 0.3, 0.5],
        ...                5.0, n_points=3, backend="numpy")
        >>> shares = sim.population_states()
        >>> list(shares), shares["row"].shape, shares["column"][0].tolist()
        (['row', 'column'], (3, 3), [0.2, 0.3, 0.5])
        >>> bool(np.allclose(shares["column"].sum(axis=1), 1.0))
        True
        """
        out, a = {}, 0
        for name, strat in zip(self.populations, self.strategies):
            out[name] = self.states[:, a:a + len(strat)]
            a += len(strat)
        return out


def _game_numeric(game):
    """(payoff tensor, names, values, payoff_fn, populations, strategies) of a Game or array."""
    if isinstance(game, np.ndarray) or isinstance(game, (list, tuple)):
        pay, counts = split_payoffs(game)
        pops = tuple(f"pop{i}" for i in range(len(counts)))
        strats = tuple(tuple(f"s{j}" for j in range(k)) for k in counts)
        return pay[0], (), {}, None, pops, strats
    from gametheory_regen.dynamics.numeric import (
        needs_expected_payoffs,
        payoff_function,
        payoff_tensor,
    )

    pops = tuple(p.name for p in game.populations)
    strats = tuple(tuple(p.strategies) for p in game.populations)
    if needs_expected_payoffs(game):
        values = {n: float(v) for n, v in game.values.items()}
        return None, (), values, None, pops, strats
    names, fn = payoff_function(game)
    values = {n: float(v) for n, v in game.values.items()}
    return payoff_tensor(game), tuple(names), values, fn, pops, strats


def _as_schedules(schedules):
    from gametheory_regen.dynamics.schedules import Schedule

    out = []
    for s in schedules or ():
        if isinstance(s, Schedule):
            out.append(s)
        else:  # a ScheduleSpec-like record
            out.append(Schedule(s.parameter, s.kind, tuple(s.times), tuple(s.values),
                                expression=getattr(s, "expression", None)))
    return tuple(out)


def _expected_schedule_pieces(game, scheds, t_end: float):
    """Pieces of a game integrated from its expected payoffs, under schedules.

    The expected payoffs are lambdified once in the reduced shares and the scheduled
    parameters (the others at their values); the horizon is cut at the piecewise schedules'
    breakpoints, within a piece a piecewise schedule is affine (exact) and an expression
    schedule is evaluated at every stage time.
    """
    import sympy as sp

    from gametheory_regen.dynamics.kernels import Piece
    from gametheory_regen.dynamics.replicator import expected_payoffs, state_symbols
    from gametheory_regen.dynamics.schedules import EXPRESSION, schedule_breakpoints

    if not game.is_numeric:
        raise ParameterError("parameters without values: "
                             + ", ".join(str(p) for p in game.free_parameters))
    seen = set()
    for sc in scheds:
        if sc.parameter in seen:
            raise ParameterError(f"schedule: parameter {sc.parameter!r} has two schedules; give "
                                 f"one per parameter")
        seen.add(sc.parameter)
    sched_syms = [game.parameter(sc.parameter).symbol for sc in scheds]
    fixed = {game.parameter(n).symbol: v for n, v in game.values.items() if n not in seen}
    u = expected_payoffs(game, numeric=False)
    syms = [x for pop in state_symbols(game) for x in pop]
    flat = [sp.sympify(e).subs(fixed) for pop in u for e in pop]
    fn = sp.lambdify([*syms, *sched_syms], flat, modules="numpy")
    cols, a = [], 0
    for pop in game.populations:
        cols += list(range(a, a + pop.k - 1))
        a += pop.k
    counts = tuple(pop.k for pop in game.populations)
    shape = np.zeros((1, len(counts), int(np.prod(counts))))
    cuts = schedule_breakpoints(scheds, 0.0, t_end)
    pieces = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        start = [float(sc.value_at(lo)) for sc in scheds]
        slope = [0.0 if sc.kind == EXPRESSION else float(sc.slope_at(lo)) for sc in scheds]

        def expected_at(t, x, rows, _lo=lo, _start=start, _slope=slope):
            tt = np.broadcast_to(np.asarray(t, dtype=float), (x.shape[0],))
            vals = [sc.value_at(tt) if sc.kind == EXPRESSION else v0 + (tt - _lo) * sl
                    for sc, v0, sl in zip(scheds, _start, _slope, strict=True)]
            out = fn(*[x[:, c] for c in cols], *vals)
            return np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), (x.shape[0],))
                                    for v in out])

        pieces.append(Piece(lo, hi, shape, expected_at=expected_at))
    return pieces


def _bind_schedules(game, scheds, values, t_end: float):
    """Expression schedules with the parameter values substituted, each proven to stay within
    its parameter's declared bounds on ``[0, t_end]`` (others unchanged)."""
    from gametheory_regen.dynamics.schedules import EXPRESSION, check_schedule_bounds

    out = []
    for s in scheds:
        if s.kind == EXPRESSION:
            s = s.bind(values)
            par = game.parameter(s.parameter)
            low = None if par.min is None else float(par.min)
            high = None if par.max is None else float(par.max)
            check_schedule_bounds(s, low, high, 0.0, float(t_end))
        out.append(s)
    return tuple(out)


def output_times(t_end: float, n_points: int, t_eval=None) -> np.ndarray:
    """The output times of one simulation: ``t_eval`` checked, or ``n_points`` evenly spaced
    over ``[0, t_end]`` (the count checked against the declared limit).

    Parameters
    ----------
    t_end : float
    n_points : int
    t_eval : array_like, optional
        Increasing times within ``[0, t_end]``.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> output_times(2.0, 3).tolist()
    [0.0, 1.0, 2.0]
    """
    if t_eval is None:
        from gametheory_regen import limits

        limits.check_count("simulate(n_points=)", n_points, "points")
        if int(n_points) < 2:
            raise GameInputError(f"n_points must be at least 2; got {n_points}")
        return np.linspace(0.0, float(t_end), int(n_points))
    times = np.asarray(t_eval, dtype=float)
    if times.ndim != 1 or np.any(np.diff(times) <= 0) or times[0] < 0 or times[-1] > t_end:
        raise GameInputError("t_eval must be increasing times within [0, t_end]")
    return times


def simulate(
    game,
    initial,
    t_end: float = 50.0,
    *,
    schedules=None,
    n_points: int = 201,
    t_eval=None,
    integrator=None,
    dynamics=None,
    **settings,
) -> Simulation:
    """Simulate one trajectory and return it as a time series.

    Parameters
    ----------
    game : Game or array_like
        A :class:`gametheory_regen.model.Game` with values for all parameters, or a payoff
        tensor ``(n, k_1, ..., k_n)``.
    initial : array_like
        The starting state: full shares ``(N,)`` or, when every population has two strategies,
        the first strategy's share per population ``(n,)``.
    t_end : float
        Horizon in model time units (the game's ``time_unit``, a year by default).
    schedules : sequence of Schedule, optional
        Time-varying parameters; default: the game's own declared schedules. Pass ``()`` for
        none. Requires a Game.
    n_points : int
        Number of evenly spaced output times on ``[0, t_end]`` (ignored with ``t_eval``).
    t_eval : array_like, optional
        Increasing output times in ``[0, t_end]``.
    integrator : Integrator, optional
        How to integrate (see :func:`integrate_batch`); output between steps is cubic Hermite
        interpolation. With ``backend="auto"`` one trajectory runs on the numpy backend, so it
        never waits for a compiler.
    dynamics : Dynamics, optional
        Default: the game's :attr:`~gametheory_regen.model.game.Game.dynamics` (the replicator
        for a payoff array).
    **settings
        Individual integration settings (``rtol=...``, ``backend=...``).

    Returns
    -------
    Simulation

    Examples
    --------
    A population whose first strategy earns 1 more follows the logistic curve:

    >>> import numpy as np
    >>> pay = np.zeros((2, 2, 2)); pay[0, 0, :] = 1.0     # population 0: strategy 0 earns 1
    >>> sim = simulate(pay, [0.5, 0.5], 2.0, t_eval=[0.0, 2.0], backend="numpy")
    >>> bool(abs(sim.states[-1, 0] - np.exp(2) / (1 + np.exp(2))) < 1e-8)
    True
    """
    from gametheory_regen.dynamics.field import REPLICATOR
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import SETTLED, Piece, integrate_pieces
    from gametheory_regen.dynamics.schedules import payoff_pieces

    integ = as_integrator(integrator, **settings)
    # default: the game's own dynamics (its model file's [dynamics]), else the replicator
    dyn = getattr(game, "dynamics", REPLICATOR) if dynamics is None else dynamics
    pay, names, values, fn, pops, strats = _game_numeric(game)
    counts = tuple(len(s) for s in strats)
    x0 = initial_states(initial, counts, pops, strats)
    if x0.shape[0] != 1:
        raise StateError(f"simulate takes one starting state; got {x0.shape[0]}")
    if not (np.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    own_schedules = () if isinstance(game, (np.ndarray, list, tuple)) else \
        tuple(getattr(game, "schedules", ()))
    if schedules is None:
        schedules = () if (fn is None and pay is not None) else own_schedules
    scheds = _as_schedules(schedules)
    times = output_times(t_end, n_points, t_eval)
    K = int(np.prod(counts))
    if pay is None:  # expected payoffs that depend on the state (or one population)
        from gametheory_regen.dynamics.numeric import expected_payoff_function

        if scheds:
            scheds = _bind_schedules(game, scheds, values, float(t_end))
            pieces = _expected_schedule_pieces(game, scheds, float(t_end))
            # the payoffs change in time: a slow state is not at rest, so no early stop
            integ = integ.replace(settle_tol=0.0)
        else:
            pieces = [Piece(0.0, float(t_end), np.zeros((1, len(counts), K)),
                            expected_at=expected_payoff_function(game))]
    elif scheds:
        if fn is None:
            raise GameInputError("schedules need a Game (parameter names), not a payoff array")
        missing = [n for n in names if n not in values]
        if missing:
            raise ParameterError(f"parameters without values: {', '.join(missing)}")
        base = np.array([[values[n] for n in names]])
        scheds = _bind_schedules(game, scheds, values, float(t_end))
        pieces = payoff_pieces(fn, names, base, scheds, 0.0, float(t_end))
    else:
        pieces = [Piece(0.0, float(t_end), pay.reshape(1, len(counts), K))]
    kr = integrate_pieces(pieces, x0, counts, integrator=integ, dynamics=dyn, t_out=times)
    states = kr.output[0]
    settled = bool(kr.status[0] == SETTLED)
    settled_time = float(kr.time[0]) if settled else None
    settled_state = kr.state[0].copy() if settled else None
    settled_by = "speed" if settled else None
    if kr.vertex is not None and kr.vertex[0] >= 0:
        # the trajectory is in the invariant box of a strict Nash vertex: it converges there.
        # Report the vertex and the first output time from which the path stays in the box.
        from gametheory_regen.dynamics.kernels import box_vertex, vertex_boxes

        rad = vertex_boxes(pieces[-1].payoffs[:1], counts)
        vb, _ = box_vertex(states, np.repeat(rad, states.shape[0], axis=0), counts)
        outside = np.flatnonzero(vb != kr.vertex[0])
        first = 0 if outside.size == 0 else int(outside[-1]) + 1
        settled_time = float(times[min(first, times.size - 1)])
        settled_state = vertex_states(counts)[kr.vertex[0]]
        settled_by = "box"
    if settled_state is None and pieces[-1].constant:
        rest = settle_after(times, states, *_last_field(pieces[-1], counts, dyn, float(t_end)),
                            counts, integ, dyn, t_from=pieces[-1].t_start)
        if rest is not None:
            settled_time, settled_state, settled_by = rest
    return Simulation(
        populations=pops, strategies=strats, times=times, states=states, initial=x0[0],
        final=kr.state[0], settled_time=settled_time,
        settled_state=settled_state, settled_by=settled_by, parameters=dict(values),
        schedules=scheds, method=integ.method, rtol=integ.rtol, atol=integ.atol, dt=integ.dt,
        t_end=float(t_end), settle_tol=integ.settle_tol, backend=kr.backend, integrator=integ,
        dynamics=dyn,
    )


def _last_field(piece, counts, dyn, t_end: float):
    """``velocity(x)`` and ``expected(x)`` under the constant payoffs of a path's last piece."""
    from gametheory_regen.dynamics.field import expected_payoffs_np, velocity_np
    from gametheory_regen.dynamics.kernels import layout_of

    lay = layout_of(counts)
    if piece.expected_at is not None:
        def expected(x):
            return piece.expected_at(t_end, x, np.zeros(x.shape[0], dtype=np.int64))
    else:
        pay = np.asarray(piece.payoffs, dtype=float)[:1].reshape(1, lay.n_pops, lay.n_profiles)

        def expected(x):
            return expected_payoffs_np(x, pay, lay.counts, lay.gather)

    def velocity(x):
        return velocity_np(x, expected(x), lay.offsets, dyn.code, dyn.param)

    return velocity, expected

r"""Regime maps and basin shares under time schedules (piecewise or expressions in ``t``).

Mathematics
-----------
With schedules the payoffs are functions of time: each cell's starts are integrated over
``[0, t_end]`` by the engine (:func:`gametheory_regen.dynamics.schedules.payoff_pieces`: restarts
at the piecewise schedules' breakpoints, expression schedules evaluated at every stage time,
each cell with its own parameter values). An expression schedule is proven, cell by cell, to stay
within its parameter's declared bounds on ``[0, t_end]``
(:func:`gametheory_regen.dynamics.schedules.check_schedule_bounds`).

*The outcome at the horizon.* The attractors are judged in the game the schedules have reached
at ``t_end`` (the *horizon game*): its strict Nash vertices are the ``stable`` ones, and a start
counts for such a vertex when its state at ``t_end`` lies in the vertex's forward-invariant box
of the horizon game (:func:`gametheory_regen.dynamics.kernels.vertex_boxes`). Where every
schedule is constant from some time before ``t_end`` on (a piecewise schedule past its last
breakpoint) this is the engine's proof of convergence; under a schedule still changing at
``t_end`` (an expression) it is the outcome *if the payoffs stayed at their horizon values*, a
criterion stated in the result rather than a proof. Starts outside every box are "not settled".
"""

from __future__ import annotations

import numpy as np

from gametheory_regen.errors import ParameterError

__all__ = ["sweep_scheduled", "basins_scheduled"]

#: trajectories integrated together
CHUNK = 65536


def _tensor_game(game) -> None:
    from gametheory_regen.dynamics.numeric import needs_expected_payoffs

    if needs_expected_payoffs(game):
        raise ParameterError("sweeps and basins under schedules are for games of two or more "
                             "populations with constant payoffs; for this game use simulate")


def _grid_values(names, base, axes):
    shape = tuple(len(v) for _, v in axes)
    mesh = np.meshgrid(*[v for _, v in axes], indexing="ij")
    values = np.empty((int(np.prod(shape)), len(names)))
    varied = {n for n, _ in axes}
    for j, n in enumerate(names):
        values[:, j] = float(base[n]) if n not in varied else 0.0
    for (name, _), m in zip(axes, mesh, strict=True):
        values[:, names.index(name)] = m.ravel()
    return shape, values


def _outcomes(game, fn, names, values, scheds, starts, t_end, integ, progress=None):
    """Horizon payoffs and per-cell vertex counts of starts integrated under schedules."""
    from gametheory_regen.analysis.batch import _bind_schedules, integrate_batch
    from gametheory_regen.dynamics.kernels import box_vertex, check_payoffs, vertex_boxes
    from gametheory_regen.dynamics.schedules import payoff_pieces

    for row in values:  # bounds of expression schedules, with each cell's parameters
        _bind_schedules(game, scheds, dict(zip(names, row, strict=True)), float(t_end))
    ncell = values.shape[0]
    # the horizon game: the payoffs with every schedule at its value at t_end
    last = payoff_pieces(fn, names, values, scheds, float(t_end), float(t_end) + 1.0)[0]
    pay_end = np.asarray(last.payoffs, dtype=float)
    check_payoffs(pay_end)
    counts = tuple(int(k) for k in pay_end.shape[2:])
    radii = vertex_boxes(pay_end, counts)
    s = starts.shape[0]
    cnt = np.zeros((ncell, int(np.prod(counts))), dtype=np.int64)
    per = max(1, CHUNK // s)
    backend = "numpy"
    for a in range(0, ncell, per):
        b = min(ncell, a + per)
        pieces = payoff_pieces(fn, names, values[a:b], scheds, 0.0, float(t_end))
        x0 = np.tile(starts, (b - a, 1))
        pidx = np.repeat(np.arange(b - a), s)
        res = integrate_batch(pay_end[a:b], x0, float(t_end), counts=counts, payoff_index=pidx,
                              pieces=pieces, integrator=integ)
        backend = res.backend
        vb, _ = box_vertex(res.final, radii[a:b][pidx], counts)
        out = vb.reshape(b - a, s)
        for v in range(cnt.shape[1]):
            cnt[a:b, v] = np.count_nonzero(out == v, axis=1)
        if progress is not None:
            progress(b, ncell)
    return pay_end, counts, cnt, backend


def sweep_scheduled(game, vary, schedules, *, samples: int = 16, sampler: str = "sobol",
                    seed: int = 0, resolution: int | None = None, t_end: float = 100.0,
                    confidence: float = 0.95, progress=None, integrator=None, **settings):
    """Stable vertices and basin shares over a parameter grid, the payoffs following schedules.

    Parameters
    ----------
    game : Game
        A game of two or more populations with constant payoffs (payoff tensors).
    vary : mapping or sequence of (name, values)
        One or two parameters and their grid values (a scheduled parameter cannot be varied).
    schedules : sequence of Schedule or ScheduleSpec
        The schedules (an expression may use varied parameters: each cell uses its own).
    samples, sampler, seed, resolution, t_end, confidence, progress, integrator, **settings
        As :func:`~gametheory_regen.analysis.sweep.sweep_payoffs` (in process only).

    Returns
    -------
    gametheory_regen.analysis.sweep.SweepResult
        ``eigenvalues`` and ``stable`` are those of the horizon game; ``basin_counts`` count the
        starts in a strict Nash vertex's invariant box at ``t_end`` (module docstring).

    Raises
    ------
    ParameterError
        A varied parameter that is also scheduled; a schedule outside its bounds.

    Examples
    --------
    Role-asymmetric hawk-dove whose resource value falls, V(t) = 2 + 4 exp(-t/5), from 6 (above
    C: hawk meets hawk profitably) to about 2 by t = 40: the horizon game has the two
    asymmetric outcomes as its stable vertices, and every start ends in one of their boxes.

    >>> import sympy as sp
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.schedules import Schedule
    >>> t = sp.Symbol("t", real=True)
    >>> decay = Schedule("V", "expression", expression=2 + 4 * sp.exp(-t / 5))
    >>> res = sweep_scheduled(gr.Game.builtin("hawk_dove"), {"C": [4.0, 5.0]}, [decay],
    ...                       samples=8, t_end=40.0)
    >>> res.stable.tolist()
    [[False, True, True, False], [False, True, True, False]]
    >>> res.basin_counts.tolist(), res.not_settled.tolist()
    ([[0, 4, 4, 0], [0, 4, 4, 0]], [0, 0])
    """
    from gametheory_regen import limits
    from gametheory_regen.analysis.basins import grid_starts, sample_starts
    from gametheory_regen.analysis.batch import _as_schedules, vertex_eigenvalues, vertex_states
    from gametheory_regen.analysis.sweep import SweepResult, _parse_vary
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.numeric import payoff_function

    _tensor_game(game)
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    names, fn = payoff_function(game)
    names = list(names)
    base = {n: float(v) for n, v in game.values.items()}
    axes = _parse_vary(vary)
    limits.check_count("sweep(samples=)", samples, "samples")
    limits.check_seed(seed, "sweep(seed=)")
    scheds = _as_schedules(schedules)
    scheduled = {s.parameter for s in scheds}
    for name, _ in axes:
        if name not in names:
            raise ParameterError(f"vary: unknown parameter {name!r}; parameters: "
                                 f"{', '.join(names)}")
        if name in scheduled:
            raise ParameterError(f"vary {name}: {name!r} follows a schedule; vary another "
                                 f"parameter or drop the schedules")
    varied = {n for n, _ in axes}
    missing = [n for n in names if n not in varied and n not in base]
    if missing:
        raise ParameterError(f"parameters without values: {', '.join(missing)}; set them or "
                             f"vary them")
    shape, values = _grid_values(names, base, axes)
    if sampler == "grid":
        starts, used_seed = grid_starts(tuple(game.shape), 4 if resolution is None
                                        else resolution), None
    else:
        starts, used_seed = sample_starts(tuple(game.shape), samples, method=sampler,
                                          seed=seed), seed
    pay_end, counts, cnt, backend = _outcomes(game, fn, names, values, scheds, starts, t_end,
                                              integ, progress)
    eig = vertex_eigenvalues(pay_end, counts)
    s = starts.shape[0]
    return SweepResult(
        names=tuple(n for n, _ in axes), values=tuple(v for _, v in axes),
        base={n: base[n] for n in names if n not in varied}, strategy_counts=counts,
        vertices=vertex_states(counts), eigenvalues=eig.reshape(*shape, *eig.shape[1:]),
        stable=np.all(eig < 0.0, axis=2).reshape(*shape, -1),
        basin_counts=cnt.reshape(*shape, -1), not_settled=(s - cnt.sum(axis=1)).reshape(shape),
        samples=s, starts=starts, sampler=sampler, seed=used_seed, t_end=float(t_end),
        method=integ.method, rtol=integ.rtol, atol=integ.atol, settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, confidence=confidence, backend=backend,
        scheduler="in-process", integrator=integ,
    )


def basins_scheduled(game, schedules, *, samples: int = 1024, sampler: str = "sobol",
                     seed: int = 0, resolution: int | None = None, t_end: float = 200.0,
                     confidence: float = 0.95, integrator=None, **settings):
    """Basin shares of one game whose payoffs follow schedules (see the module docstring).

    Parameters
    ----------
    game : Game
        Every parameter with a value; payoff tensors (two or more populations).
    schedules : sequence of Schedule or ScheduleSpec
    samples, sampler, seed, resolution, t_end, confidence, integrator, **settings
        As :func:`~gametheory_regen.analysis.basins.basin_shares`.

    Returns
    -------
    gametheory_regen.analysis.basins.BasinShares
        The attractors are the strict Nash vertices of the horizon game.

    Examples
    --------
    Role-asymmetric hawk-dove whose resource value falls from 6 (above C = 4) to about 2; by
    t = 10 (V = 2.5) half the starts are still on their way, by t = 40 every one is in the box of
    an asymmetric outcome:

    >>> import sympy as sp
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.schedules import Schedule
    >>> t = sp.Symbol("t", real=True)
    >>> fall = Schedule("V", "expression", expression=2 + 4 * sp.exp(-t / 5))
    >>> res = basins_scheduled(gr.Game.builtin("hawk_dove"), [fall], samples=64, t_end=40.0)
    >>> res.attractors.tolist(), res.share_not_settled
    ([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]], 0.0)
    >>> basins_scheduled(gr.Game.builtin("hawk_dove"), [fall], samples=64,
    ...                  t_end=10.0).share_not_settled
    0.484375
    """
    from gametheory_regen.analysis.basins import BasinShares, _starts, wilson_interval
    from gametheory_regen.analysis.batch import _as_schedules, vertex_states
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.numeric import payoff_function

    _tensor_game(game)
    if not game.is_numeric:
        raise ParameterError("basin_shares needs a number for every parameter; free: "
                             + ", ".join(str(s) for s in game.free_parameters))
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    names, fn = payoff_function(game)
    names = list(names)
    values = np.array([[float(game.values[n]) for n in names]])
    counts = tuple(game.shape)
    starts, used_seed, resolution = _starts(counts, sampler, samples, seed, resolution)
    pay_end, counts, cnt, backend = _outcomes(game, fn, names, values, _as_schedules(schedules),
                                              starts, t_end, integ)
    from gametheory_regen.analysis.batch import stable_vertices

    keep = stable_vertices(pay_end, counts)[0]
    att = vertex_states(counts)[keep]
    c = cnt[0][keep]
    n = starts.shape[0]
    ns = int(n - c.sum())
    lo, hi = wilson_interval(np.concatenate([c, [ns]]), n, confidence)
    return BasinShares(
        attractors=att, counts=c, not_settled=ns, n_starts=n, shares=c / n,
        share_not_settled=ns / n, low=lo, high=hi, confidence=confidence, sampler=sampler,
        seed=used_seed, resolution=resolution, strategy_counts=counts, method=integ.method,
        rtol=integ.rtol, atol=integ.atol, t_end=float(t_end), settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, backend=backend, integrator=integ,
    )

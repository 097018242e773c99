r"""Regime maps under the delayed replicator: stable vertices and basin shares per grid cell.

Mathematics
-----------
A delay never changes which vertices are asymptotically stable (at a vertex the factor
:math:`x_{pj}` of every deviation vanishes, so the linearisation has no delayed term; see
:mod:`gametheory_regen.analysis.delay`): the stable vertices are the strict Nash ones, as without
delay. The basin shares are those of the delayed dynamics
(:func:`gametheory_regen.dynamics.delay.integrate_delayed`): a start counts for a vertex when
its path stayed in the vertex's forward-invariant box over a whole delay, after which it
provably converges there. Games integrated from expected payoffs have no such box: a start
counts for a linearly stable vertex when its end state lies within ``match_tol`` of it, as in
:mod:`gametheory_regen.analysis.sweep_state`.
"""

from __future__ import annotations

import numpy as np

from gametheory_regen.analysis.delay import check_replicator
from gametheory_regen.errors import GameInputError

__all__ = ["sweep_delayed"]

#: trajectories integrated together by :func:`sweep_delayed` (bounds the history buffers)
CHUNK = 4096


def sweep_delayed(game, vary, tau: float, *, samples: int = 16, sampler: str = "sobol",
                  seed: int = 0, resolution: int | None = None, t_end: float = 100.0,
                  confidence: float = 0.95, progress=None, integrator=None, dynamics=None,
                  **settings):
    """Stable vertices and basin shares over a parameter grid under the delayed replicator.

    A delay does not change which vertices are stable (see the module docstring); the basin
    shares are those of the delayed dynamics. A start counts for a vertex when its path stayed
    in the vertex's invariant box over a whole delay (then it provably converges there).

    Parameters
    ----------
    game : Game
        A game of two or more populations with constant payoffs.
    vary : mapping or sequence of (name, values)
    tau : float
        The delay (``0``: :func:`~gametheory_regen.analysis.sweep.sweep` itself).
    samples, sampler, seed, resolution, t_end, confidence, progress, integrator, **settings
        As :func:`~gametheory_regen.analysis.sweep.sweep_payoffs` (in process only).
    dynamics : Dynamics, optional
        Only the replicator (``None``).

    Returns
    -------
    gametheory_regen.analysis.sweep.SweepResult

    For a game integrated from its expected payoffs (one population, payoffs that depend on
    the state) no invariant box is computed: as in
    :func:`~gametheory_regen.analysis.sweep_state.sweep_expected`, a start counts for a
    linearly stable vertex when its end state lies within ``match_tol`` of it (a criterion, not
    a proof); the rest, interior attractors included, are "not settled".

    Examples
    --------
    Role-asymmetric hawk-dove (C = 4) at V = 2 and V = 6 with a delay of 1: the stable
    vertices are those without delay, and every start reaches one:

    >>> import gametheory_regen as gr
    >>> res = sweep_delayed(gr.Game.builtin("hawk_dove"), {"V": [2.0, 6.0]}, 1.0, samples=8)
    >>> res.stable[:, [1, 2]].tolist(), res.not_settled.tolist()
    ([[True, True], [False, False]], [0, 0])
    """
    from gametheory_regen.analysis.basins import grid_starts, sample_starts
    from gametheory_regen.analysis.batch import vertex_eigenvalues, vertex_states
    from gametheory_regen.analysis.sweep import SweepResult, _parse_vary, sweep
    from gametheory_regen.dynamics.delay import check_delay, integrate_delayed, tensor_payoffs
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import check_payoffs, vertex_boxes
    from gametheory_regen.dynamics.numeric import needs_expected_payoffs, payoff_function

    tau = check_delay(tau)
    if tau == 0:
        extra = {} if dynamics is None else {"dynamics": dynamics}
        return sweep(game, vary, samples=samples, sampler=sampler, seed=seed,
                     resolution=resolution, t_end=t_end, confidence=confidence,
                     progress=progress, integrator=integrator, **extra, **settings)
    check_replicator(dynamics)
    if needs_expected_payoffs(game):
        return _sweep_delayed_expected(game, vary, tau, samples=samples, sampler=sampler,
                                       seed=seed, resolution=resolution, t_end=t_end,
                                       confidence=confidence, progress=progress,
                                       integrator=integrator, **settings)
    from gametheory_regen import limits

    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    names, fn = payoff_function(game)
    names = list(names)
    base = {n: float(v) for n, v in game.values.items()}
    axes = _parse_vary(vary)
    limits.check_count("sweep(samples=)", samples, "samples")
    limits.check_seed(seed, "sweep(seed=)")
    varied = {n for n, _ in axes}
    for name, _ in axes:
        if name not in names:
            raise GameInputError(f"vary: unknown parameter {name!r}; parameters: "
                                 f"{', '.join(names)}")
    missing = [n for n in names if n not in varied and n not in base]
    if missing:
        raise GameInputError(f"parameters without values: {', '.join(missing)}; set them or "
                             f"vary them")
    shape = tuple(len(v) for _, v in axes)
    mesh = np.meshgrid(*[v for _, v in axes], indexing="ij")
    ncell = int(np.prod(shape))
    values = np.empty((ncell, len(names)))
    for j, n in enumerate(names):
        values[:, j] = base.get(n, 0.0)
    for (name, _), msh in zip(axes, mesh, strict=True):
        values[:, names.index(name)] = msh.ravel()
    pay = np.asarray(fn(values), dtype=float)
    check_payoffs(pay)
    counts = tuple(int(k) for k in pay.shape[2:])
    eig = vertex_eigenvalues(pay, counts)
    stable = np.all(eig < 0.0, axis=2)
    verts = vertex_states(counts)
    if sampler == "grid":
        starts, used_seed = grid_starts(counts, 4 if resolution is None else resolution), None
    else:
        starts, used_seed = sample_starts(counts, samples, method=sampler, seed=seed), seed
    s = starts.shape[0]
    radii = vertex_boxes(pay, counts)
    V = verts.shape[0]
    cnt = np.zeros((ncell, V), dtype=np.int64)
    ns = np.zeros(ncell, dtype=np.int64)
    per = max(1, CHUNK // s)
    for a in range(0, ncell, per):
        b = min(ncell, a + per)
        x0 = np.tile(starts, (b - a, 1))
        pidx = np.repeat(np.arange(b - a), s)
        res = integrate_delayed(tensor_payoffs(pay[a:b], counts), x0, counts, tau,
                                float(t_end), integrator=integ, payoff_index=pidx,
                                radii=radii[a:b])
        out = res.vertex.reshape(b - a, s)
        for v in range(V):
            cnt[a:b, v] = np.count_nonzero(out == v, axis=1)
        ns[a:b] = s - cnt[a:b].sum(axis=1)
        if progress is not None:
            progress(b, ncell)
    return SweepResult(
        names=tuple(n for n, _ in axes), values=tuple(v for _, v in axes),
        base={n: base[n] for n in names if n not in varied}, strategy_counts=counts,
        vertices=verts, eigenvalues=eig.reshape(*shape, *eig.shape[1:]),
        stable=stable.reshape(*shape, -1), basin_counts=cnt.reshape(*shape, -1),
        not_settled=ns.reshape(shape), samples=s, starts=starts, sampler=sampler,
        seed=used_seed, t_end=float(t_end), method=integ.method, rtol=integ.rtol,
        atol=integ.atol, settle_tol=integ.settle_tol, match_tol=integ.match_tol,
        confidence=confidence, backend="numpy", scheduler="in-process", integrator=integ,
    )


def _sweep_delayed_expected(game, vary, tau, *, samples, sampler, seed, resolution, t_end,
                            confidence, progress, integrator, **settings):
    """:func:`sweep_delayed` for a game integrated from its expected payoffs, cell by cell."""
    import itertools

    from gametheory_regen.analysis.basins import _starts
    from gametheory_regen.analysis.batch import vertex_states
    from gametheory_regen.analysis.sweep import SweepResult, _parse_vary
    from gametheory_regen.analysis.sweep_state import _gains
    from gametheory_regen.dynamics.delay import integrate_delayed
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.numeric import expected_payoff_function

    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    axes = _parse_vary(vary)
    names = [n for n, _ in axes]
    counts = tuple(pop.k for pop in game.populations)
    verts = vertex_states(counts)
    starts, used_seed, _ = _starts(counts, sampler, samples, seed,
                                   4 if resolution is None else resolution)
    shape = tuple(len(v) for _, v in axes)
    ncell = int(np.prod(shape))
    K, J = verts.shape[0], sum(k - 1 for k in counts)
    eig = np.zeros((ncell, K, J))
    cnt = np.zeros((ncell, K), dtype=np.int64)
    ns = np.zeros(ncell, dtype=np.int64)
    m = starts.shape[0]
    for c, idx in enumerate(itertools.product(*(range(n) for n in shape))):
        at = {name: float(vals[i]) for (name, vals), i in zip(axes, idx, strict=True)}
        cell = game.with_values({k: repr(v) for k, v in at.items()}, where="sweep")
        fn = expected_payoff_function(cell)
        eig[c] = _gains(fn, counts, verts)
        stable_v = np.all(eig[c] < 0.0, axis=1)
        for a in range(0, m, CHUNK):
            b = min(m, a + CHUNK)
            res = integrate_delayed(fn, starts[a:b], counts, tau, float(t_end), integrator=integ,
                                    payoff_index=np.zeros(b - a, dtype=np.int64))
            near = np.max(np.abs(res.state[:, None, :] - verts[None, :, :]), axis=2)
            for v in np.flatnonzero(stable_v):
                cnt[c, v] += np.count_nonzero(near[:, v] < integ.match_tol)
        ns[c] = m - cnt[c].sum()
        if progress is not None:
            progress(c + 1, ncell)
    base = {n: float(v) for n, v in game.values.items() if n not in names}
    return SweepResult(
        names=tuple(names), values=tuple(v for _, v in axes), base=base,
        strategy_counts=counts, vertices=verts, eigenvalues=eig.reshape(*shape, K, J),
        stable=np.all(eig < 0.0, axis=2).reshape(*shape, K),
        basin_counts=cnt.reshape(*shape, K), not_settled=ns.reshape(shape), samples=m,
        starts=starts, sampler=sampler, seed=used_seed, t_end=float(t_end),
        method=integ.method, rtol=integ.rtol, atol=integ.atol, settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, confidence=confidence, backend="numpy",
        scheduler="in-process", integrator=integ,
    )

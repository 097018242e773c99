r"""Parameter sweeps and regime maps: stable rest points and basin shares per grid cell.

Mathematics
-----------
Over a 1-D or 2-D grid of parameter values (any parameters of the game) each cell is one game.
Per cell:

* **Stable rest points.** In multi-population replicator dynamics the asymptotically stable rest
  points are exactly the strict Nash equilibria, and these are pure (Selten 1980; Ritzberger &
  Vogelsberger 1990). At the vertex of pure profile :math:`s` the eigenvalues of the reduced
  Jacobian are :math:`a_p(j, s_{-p}) - a_p(s)` for each population :math:`p` and strategy
  :math:`j \ne s_p`; the vertex is stable iff all are negative. They are evaluated for all
  cells at once from the payoff tensors (:func:`gametheory_regen.analysis.batch.vertex_eigenvalues`),
  the tensors themselves from the payoff table lambdified once
  (:func:`gametheory_regen.dynamics.numeric.payoff_function`).
* **Basin shares.** The same starting mixes (a seeded Sobol or random sample, or a grid, see
  :mod:`gametheory_regen.analysis.basins`) are integrated in every cell -- common random numbers,
  so maps do not flicker from cell to cell -- and each end state is matched against the cell's
  vertices. Shares per vertex plus the share *not settled* sum to one; Wilson intervals attach.

Cells are processed in chunks, in process by default or on a Dask cluster
(``scheduler="dask://host:port"`` or a :class:`dask.distributed.Client`). Each chunk is plain
numpy data in and out, so workers need only this package and numpy. A ``progress(done, total)``
callback, counted in cells, reports progress; nothing here prints.

The classic figure of evolutionary-game papers -- one population's share over time for several
values of one parameter -- is :func:`share_paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError, ParameterError

__all__ = ["SweepResult", "SharePaths", "sweep", "sweep_payoffs", "share_paths"]


@dataclass(frozen=True)
class SweepResult:
    """Stable vertices and basin shares over a parameter grid.

    Attributes
    ----------
    names : tuple of str
        Varied parameters (1 or 2), in grid-axis order.
    values : tuple of numpy.ndarray
        Grid values of each varied parameter.
    base : dict
        Values of the other parameters.
    strategy_counts : tuple of int
    vertices : numpy.ndarray
        ``(V, N)`` full states of the pure profiles (C order), the candidate attractors.
    eigenvalues : numpy.ndarray
        ``(*grid, V, D)`` eigenvalues at each vertex (see module docstring).
    stable : numpy.ndarray
        ``(*grid, V)`` bool: vertex is asymptotically stable (strict Nash; under the replicator
        and imitation from the eigenvalues, see :attr:`stable_basis`).
    basin_counts : numpy.ndarray
        ``(*grid, V)`` starts that reached each vertex.
    not_settled : numpy.ndarray
        ``(*grid,)`` starts not at rest at an attractor by ``t_end``.
    samples : int
        Starts per cell.
    starts : numpy.ndarray
        ``(samples, N)`` the starting mixes used in every cell.
    sampler, seed, t_end, method, rtol, atol, settle_tol, match_tol, confidence, backend,
    scheduler
        How it was made (``scheduler`` is ``"in-process"`` or the Dask scheduler's address).
    dynamics : Dynamics
        The dynamics integrated.
    other_attractors, other_counts : tuple of numpy.ndarray
        Per cell (C order of the grid), the attractors that are not vertices, ``(a, N)``, and
        the starts that reached each, ``(a,)``: interior or boundary points found from the
        settled end states (:mod:`gametheory_regen.analysis.attractors`). Empty under the
        replicator on payoff tensors, whose only attractors are the strict Nash vertices.
        :attr:`basin_counts`, these counts and :attr:`not_settled` sum to :attr:`samples`.
    stable_basis : str
        ``"linearisation"``: :attr:`stable` from the vertices' eigenvalues (replicator,
        imitation); ``"simulation"``: the vertices found to attract (other dynamics, under
        which a vertex need not be a rest point).

    Examples
    --------
    Hawk-dove (C = 4) at V = 2 and V = 6, 8 starts per cell: below C the two role-asymmetric
    outcomes share the starts, above C (hawk, hawk) takes them all:

    >>> from gametheory_regen.model import Game
    >>> res = sweep(Game.builtin("hawk_dove"), {"V": [2.0, 6.0]}, samples=8, backend="numpy")
    >>> res.names, res.shape, res.base
    (('V',), (2,), {'C': 4.0})
    >>> res.vertices.tolist()          # (hawk, hawk), (hawk, dove), (dove, hawk), (dove, dove)
    [[1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    >>> res.stable.tolist()
    [[False, True, True, False], [True, False, False, False]]
    >>> res.basin_counts.tolist(), res.not_settled.tolist()
    ([[0, 4, 4, 0], [8, 0, 0, 0]], [0, 0])
    >>> res.shares.tolist()            # last column: not settled
    [[0.0, 0.5, 0.5, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]]
    """

    names: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    base: dict
    strategy_counts: tuple[int, ...]
    vertices: np.ndarray
    eigenvalues: np.ndarray
    stable: np.ndarray
    basin_counts: np.ndarray
    not_settled: np.ndarray
    samples: int
    starts: np.ndarray
    sampler: str
    seed: int | None
    t_end: float
    method: str
    rtol: float
    atol: float
    settle_tol: float
    match_tol: float
    confidence: float
    backend: str
    scheduler: str
    integrator: object = None
    dynamics: object = None
    other_attractors: tuple = ()
    other_counts: tuple = ()
    stable_basis: str = "linearisation"

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape: the number of values of each varied parameter, in :attr:`names` order.

        >>> from gametheory_regen.model import Game
        >>> res = sweep(Game.builtin("hawk_dove"), {"V": [2.0, 6.0], "C": [1.0, 4.0, 8.0]},
        ...             samples=4, backend="numpy")
        >>> res.names, res.shape, res.stable.shape, res.not_settled.shape
        (('V', 'C'), (2, 3), (2, 3, 4), (2, 3))
        """
        return tuple(len(v) for v in self.values)

    @property
    def shares(self) -> np.ndarray:
        """``(*grid, V + 1)`` basin share of each vertex, last entry ``not settled``.

        :attr:`basin_counts` and :attr:`not_settled` divided by :attr:`samples`; each cell
        sums to one less the share of its :attr:`other_attractors` (none under the replicator).

        >>> from gametheory_regen.model import Game
        >>> res = sweep(Game.builtin("battle_of_sexes"), {"a": [1.0, 3.0]}, samples=4,
        ...             backend="numpy")
        >>> res.basin_counts.tolist()     # (opera, opera) and (football, football) split them
        [[2, 0, 0, 2], [2, 0, 0, 2]]
        >>> res.shares.tolist()
        [[0.5, 0.0, 0.0, 0.5, 0.0], [0.5, 0.0, 0.0, 0.5, 0.0]]
        """
        allc = np.concatenate([self.basin_counts, self.not_settled[..., None]], axis=-1)
        return allc / self.samples

    def intervals(self) -> tuple[np.ndarray, np.ndarray]:
        """Wilson intervals ``(low, high)``, each ``(*grid, V + 1)``.

        Returns
        -------
        low, high : numpy.ndarray
            Bounds of the :attr:`confidence` Wilson interval of every entry of :attr:`shares`.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> res = sweep(Game.builtin("hawk_dove"), {"V": [6.0]}, samples=8, backend="numpy")
        >>> low, high = res.intervals()
        >>> low.shape, low.round(3).tolist(), high.round(3).tolist()
        ((1, 5), [[0.676, 0.0, 0.0, 0.0, 0.0]], [[1.0, 0.324, 0.324, 0.324, 0.324]])
        """
        from gametheory_regen.analysis.basins import wilson_interval

        allc = np.concatenate([self.basin_counts, self.not_settled[..., None]], axis=-1)
        return wilson_interval(allc, self.samples, self.confidence)


def _parse_vary(vary) -> list[tuple[str, np.ndarray]]:
    items = list(vary.items()) if isinstance(vary, Mapping) else list(vary)
    if not 1 <= len(items) <= 2:
        raise GameInputError(f"vary one or two parameters; got {len(items)}")
    out = []
    for item in items:
        try:
            name, vals = item
        except (TypeError, ValueError) as exc:
            raise GameInputError(f"vary entries must be (name, values) pairs; got {item!r}") from exc
        arr = np.asarray(vals, dtype=float).ravel()
        if arr.size == 0 or not np.all(np.isfinite(arr)):
            raise ParameterError(f"vary {name}: values must be finite numbers, at least one")
        out.append((str(name), arr))
    if len(out) == 2 and out[0][0] == out[1][0]:
        raise GameInputError(f"vary the same parameter once; got {out[0][0]!r} twice")
    return out


def _run_chunk(payoffs, starts, counts, vertices, settings):
    """Integrate every start in every cell of a chunk; return per-cell counts (numpy only).

    Returns ``(vertex counts (c, V), not settled (c,), backend, others)``; ``others`` holds, per
    cell, the attractors that are not vertices and their counts (empty under the replicator,
    whose attractors are proven by the vertex boxes).
    """
    from gametheory_regen.analysis.batch import integrate_batch
    from gametheory_regen.dynamics.field import REPLICATOR

    c = payoffs.shape[0]
    s = starts.shape[0]
    x0 = np.tile(starts, (c, 1))
    pidx = np.repeat(np.arange(c), s)
    dyn = settings.get("dynamics") or REPLICATOR
    V = vertices.shape[0]
    cnt = np.zeros((c, V), dtype=np.int64)
    if dyn.kind != "replicator":
        from gametheory_regen.analysis.attractors import tensor_attractors, vertex_index

        sa, backend = tensor_attractors(payoffs, x0, pidx, counts, settings["t_end"],
                                        settings["integrator"], dyn)
        # all cells at once: attractor j of cell c is row first[c] + j of the stacked states
        lab = sa.labels.reshape(c, s)
        first = np.concatenate([[0], np.cumsum([len(st) for st in sa.states])])
        states = np.concatenate([np.asarray(st).reshape(-1, vertices.shape[1])
                                 for st in sa.states])
        cell_of = np.repeat(np.arange(c), np.diff(first))
        reached = (lab + first[:-1, None])[lab >= 0]
        n_each = np.bincount(reached, minlength=states.shape[0]).astype(np.int64)
        vi = vertex_index(states, counts)
        at_v = vi >= 0
        np.add.at(cnt, (cell_of[at_v], vi[at_v]), n_each[at_v])
        n_other = np.bincount(cell_of[~at_v], weights=n_each[~at_v], minlength=c)
        others = [(states[first[k]:first[k + 1]][~at_v[first[k]:first[k + 1]]],
                   n_each[first[k]:first[k + 1]][~at_v[first[k]:first[k + 1]]])
                  for k in range(c)]
        ns = s - cnt.sum(axis=1) - n_other.astype(np.int64)
        return cnt, ns, backend, others
    res = integrate_batch(
        payoffs, x0, settings["t_end"], rest_points=vertices, counts=counts, payoff_index=pidx,
        integrator=settings["integrator"],
    )
    out = res.outcome.reshape(c, s)
    for v in range(V):
        cnt[:, v] = np.count_nonzero(out == v, axis=1)
    empty = (np.zeros((0, vertices.shape[1])), np.zeros(0, dtype=np.int64))
    return cnt, s - cnt.sum(axis=1), res.backend, [empty] * c


def _client_for(scheduler):
    """(client, created, address) for a scheduler spec."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise GameInputError(
            "a Dask scheduler needs the optional dependency dask[distributed] "
            "(pip install gametheory_regen[dask])"
        ) from exc
    if isinstance(scheduler, str):
        if scheduler.startswith("dask://"):
            address = "tcp://" + scheduler[len("dask://"):]
        elif "://" in scheduler:
            address = scheduler
        else:
            raise GameInputError(
                f"scheduler must be None, 'dask://host:port' or a dask Client; got {scheduler!r}"
            )
        return Client(address), True, address
    if isinstance(scheduler, Client):
        return scheduler, False, str(getattr(scheduler.scheduler, "address", "dask"))
    raise GameInputError(
        f"scheduler must be None, 'dask://host:port' or a dask Client; got {scheduler!r}"
    )


def sweep_payoffs(
    payoff_fn: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    base: Mapping[str, float],
    vary,
    *,
    samples: int = 16,
    sampler: str = "sobol",
    seed: int = 0,
    resolution: int | None = None,
    t_end: float = 100.0,
    confidence: float = 0.95,
    scheduler=None,
    chunk_cells: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    integrator=None,
    dynamics=None,
    **settings,
) -> SweepResult:
    """Sweep a payoff function over a 1-D or 2-D parameter grid.

    Parameters
    ----------
    payoff_fn : callable
        ``payoff_fn(values (m, len(names))) -> (m, n, k_1, ..., k_n)``.
    names : sequence of str
        Parameter names (columns of ``values``).
    base : mapping of str to float
        Values of every parameter not varied.
    vary : mapping or sequence of (name, values)
        One or two parameters and their grid values.
    samples, sampler, seed, resolution
        Starting mixes per cell (see :mod:`gametheory_regen.analysis.basins`); with
        ``sampler="grid"`` the number of starts is set by ``resolution``.
    t_end : float
        Horizon.
    confidence : float
        Level of the Wilson intervals (:meth:`SweepResult.intervals`).
    scheduler : None, str or dask.distributed.Client
        ``None`` runs in process; ``"dask://host:port"`` or a Client runs chunks on Dask.
    chunk_cells : int, optional
        Cells per chunk (default: about 65,536 trajectories per chunk).
    progress : callable, optional
        ``progress(done_cells, total_cells)`` after each chunk.
    integrator : Integrator, optional
        Integration and classification settings (its ``vertex_tol`` is replaced by ``inf``:
        only the attractor is counted).
    dynamics : Dynamics, optional
        The dynamics (default: the replicator). Under another dynamics the attractors are
        found from the settled end states (:mod:`gametheory_regen.analysis.attractors`).
    **settings
        Individual integration settings (see
        :func:`~gametheory_regen.analysis.batch.integrate_batch`).

    Returns
    -------
    SweepResult

    Raises
    ------
    GameInputError
        For not one or two varied parameters, or a bad ``sampler`` or ``scheduler``.
    ParameterError
        For an unknown varied parameter, a parameter that is neither varied nor in ``base``,
        or grid values that are not finite.

    Examples
    --------
    Any payoff function will do; here the lambdified hawk-dove table, V on a 4-point grid,
    in chunks of 2 cells:

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.dynamics.numeric import payoff_function
    >>> names, f = payoff_function(Game.builtin("hawk_dove"))
    >>> done = []
    >>> res = sweep_payoffs(f, names, {"C": 4.0}, {"V": [1.0, 2.0, 3.0, 5.0]}, samples=4,
    ...                     backend="numpy", chunk_cells=2, progress=lambda d, n: done.append(d))
    >>> res.stable[:, 0].tolist(), done       # (hawk, hawk) is stable only for V > C
    ([False, False, False, True], [2, 4])
    >>> sweep_payoffs(f, names, {}, {"V": [1.0]})
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: parameters without values: C; set them or vary them
    """
    from gametheory_regen.analysis.basins import grid_starts, sample_starts
    from gametheory_regen.analysis.batch import vertex_eigenvalues, vertex_states
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import check_payoffs, resolve_backend

    # only the attractor is counted: stop on entering a strict Nash vertex's invariant box
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    from gametheory_regen import limits

    names = list(names)
    axes = _parse_vary(vary)
    ncells = 1
    for _, v in axes:
        ncells *= len(v)
    limits.check_count("sweep grid cells", ncells, "sweep_cells",
                       "sweep the grid in parts (several calls over sub-ranges)")
    limits.check_count("sweep(samples=)", samples, "samples")
    limits.check_seed(seed, "sweep(seed=)")
    for name, _ in axes:
        if name not in names:
            raise ParameterError(
                f"vary: unknown parameter {name!r}; parameters: {', '.join(names)}"
            )
    varied = {name for name, _ in axes}
    missing = [n for n in names if n not in varied and n not in base]
    if missing:
        raise ParameterError(
            f"parameters without values: {', '.join(missing)}; set them or vary them"
        )
    grid_shape = tuple(len(v) for _, v in axes)
    mesh = np.meshgrid(*[v for _, v in axes], indexing="ij")
    ncell = int(np.prod(grid_shape))
    values = np.empty((ncell, len(names)))
    for j, n in enumerate(names):
        values[:, j] = float(base[n]) if n not in varied else 0.0
    for (name, _), m in zip(axes, mesh):
        values[:, names.index(name)] = m.ravel()
    pay = np.asarray(payoff_fn(values), dtype=float)
    check_payoffs(pay)
    counts = tuple(int(k) for k in pay.shape[2:])
    eig = vertex_eigenvalues(pay, counts)
    stable = np.all(eig < 0.0, axis=2)
    verts = vertex_states(counts)

    if sampler == "grid":
        starts = grid_starts(counts, 4 if resolution is None else resolution)
        used_seed = None
    else:
        starts = sample_starts(counts, samples, method=sampler, seed=seed)
        used_seed = seed
    s = starts.shape[0]
    from gametheory_regen.dynamics.field import REPLICATOR

    dyn = REPLICATOR if dynamics is None else dynamics
    settings = dict(t_end=float(t_end), integrator=integ, dynamics=dyn)
    others: list = [None] * ncell
    if chunk_cells is None:
        chunk_cells = max(1, 65536 // s)
    bounds = [(a, min(ncell, a + chunk_cells)) for a in range(0, ncell, chunk_cells)]
    cnt = np.zeros((ncell, verts.shape[0]), dtype=np.int64)
    ns = np.zeros(ncell, dtype=np.int64)
    done = 0
    used_backend = resolve_backend(integ.backend, ncell * s)
    if scheduler is None:
        where = "in-process"
        for a, b in bounds:
            c, n_, used_backend, oth = _run_chunk(pay[a:b], starts, counts, verts, settings)
            cnt[a:b], ns[a:b], others[a:b] = c, n_, oth
            done += b - a
            if progress is not None:
                progress(done, ncell)
    else:
        client, created, where = _client_for(scheduler)
        try:
            from dask.distributed import as_completed

            futs = {}
            for a, b in bounds:
                f = client.submit(
                    _run_chunk, pay[a:b], starts, counts, verts, settings, pure=False
                )
                futs[f] = (a, b)
            for f in as_completed(list(futs)):
                a, b = futs[f]
                c, n_, used_backend, oth = f.result()
                cnt[a:b], ns[a:b], others[a:b] = c, n_, oth
                done += b - a
                if progress is not None:
                    progress(done, ncell)
        finally:
            if created:
                client.close()
    return SweepResult(
        names=tuple(n for n, _ in axes), values=tuple(v for _, v in axes),
        base={n: float(base[n]) for n in names if n not in varied},
        strategy_counts=counts, vertices=verts,
        eigenvalues=eig.reshape(*grid_shape, *eig.shape[1:]),
        basin_counts=cnt.reshape(*grid_shape, -1),
        not_settled=ns.reshape(grid_shape), samples=s, starts=starts, sampler=sampler,
        seed=used_seed, t_end=float(t_end), method=integ.method, rtol=integ.rtol,
        atol=integ.atol, settle_tol=integ.settle_tol, match_tol=integ.match_tol,
        confidence=confidence, backend=used_backend, scheduler=where, integrator=integ,
        **_dynamics_fields(dyn, stable.reshape(*grid_shape, -1), cnt.reshape(*grid_shape, -1),
                           others),
    )


def _dynamics_fields(dyn, stable, basin_counts, others) -> dict:
    """The SweepResult fields that depend on the dynamics: ``stable`` (under a dynamics whose
    vertices are not all rest points, the vertices found to attract), the non-vertex attractors
    and their counts per cell, and the dynamics itself."""
    out = {"dynamics": dyn, "stable": stable,
           "other_attractors": tuple(o[0] for o in others),
           "other_counts": tuple(o[1] for o in others)}
    if not dyn.vertices_are_rest_points:
        out["stable"] = basin_counts > 0
        out["stable_basis"] = "simulation"
    return out


def _game_parts(game):
    from gametheory_regen.dynamics.numeric import payoff_function

    names, fn = payoff_function(game)
    base = {n: float(v) for n, v in game.values.items()}
    return list(names), fn, base


def _replicator_only(dynamics) -> None:
    """Refuse a dynamics other than the replicator for a sweep under schedules."""
    if dynamics is not None and dynamics.kind != "replicator":
        raise GameInputError(f"a sweep under schedules runs the replicator dynamics, not "
                             f"{dynamics.kind}; drop the schedules (--no-schedules) or the "
                             f"dynamics")


def sweep(game, vary, **kwargs) -> SweepResult:
    """Sweep a game's parameters over a 1-D or 2-D grid.

    Parameters
    ----------
    game : Game
        Every parameter not varied must have a value.
    vary : mapping or sequence of (name, values)
    **kwargs
        See :func:`sweep_payoffs`; ``dynamics`` defaults to the game's; also ``schedules=``
        (time-varying parameters, under the replicator only, see
        :func:`gametheory_regen.analysis.sweep_schedules.sweep_scheduled`).

    Returns
    -------
    SweepResult

    Raises
    ------
    GameInputError
        As :func:`sweep_payoffs`.

    Examples
    --------
    A 2 x 2 regime map of hawk-dove over V and C, with a 2 x 2 grid of starts per cell; the
    starts on the diagonal x = y (invariant by symmetry) end at the interior saddle when V < C:

    >>> from gametheory_regen.model import Game
    >>> res = sweep(Game.builtin("hawk_dove"), [("V", [1.0, 3.0]), ("C", [2.0, 4.0])],
    ...             sampler="grid", resolution=2, backend="numpy")
    >>> res.shape, res.samples
    ((2, 2), 4)
    >>> res.stable[..., 0].tolist()           # (hawk, hawk): stable iff V > C
    [[False, False], [True, False]]
    >>> res.not_settled.tolist()
    [[2, 2], [0, 2]]
    """
    from gametheory_regen.dynamics.numeric import needs_expected_payoffs

    schedules = kwargs.pop("schedules", None)
    if schedules:  # the payoffs follow schedules (analysis/sweep_schedules.py)
        from gametheory_regen.analysis.sweep_schedules import sweep_scheduled

        _replicator_only(kwargs.pop("dynamics", None) or getattr(game, "dynamics", None))
        if kwargs.pop("scheduler", None) is not None or kwargs.pop("chunk_cells", None):
            raise GameInputError("a sweep under schedules runs in process; drop the scheduler "
                                 "(or the schedules)")
        return sweep_scheduled(game, vary, schedules, **kwargs)
    names = list(game.parameter_names)
    for name, values in _parse_vary(vary):
        if name in names:
            par = game.parameter(name)
            lo, hi = float(np.min(values)), float(np.max(values))
            if par.min is not None and lo < float(par.min):
                raise ParameterError(f"vary {name}: value {lo:g} is below the declared min "
                                     f"{float(par.min):g}")
            if par.max is not None and hi > float(par.max):
                raise ParameterError(f"vary {name}: value {hi:g} is above the declared max "
                                     f"{float(par.max):g}")
    if kwargs.get("dynamics") is None:  # the game's own dynamics (its model file's)
        kwargs["dynamics"] = getattr(game, "dynamics", None)
    if needs_expected_payoffs(game):
        from gametheory_regen.analysis.sweep_state import sweep_expected

        return sweep_expected(game, vary, **kwargs)
    names, fn, base = _game_parts(game)
    return sweep_payoffs(fn, names, base, vary, **kwargs)


@dataclass(frozen=True)
class SharePaths:
    """One population's share of one strategy over time, for several values of one parameter.

    Attributes
    ----------
    parameter : str
    values : numpy.ndarray
        ``(v,)`` parameter values.
    population : str or int
    strategy : str or int
    times : numpy.ndarray
        ``(T,)``.
    shares : numpy.ndarray
        ``(v, T)`` the share along each path.
    states : numpy.ndarray
        ``(v, T, N)`` all shares.
    settled_time : numpy.ndarray
        ``(v,)`` time each path settled (NaN: not by ``t_end``).
    initial : numpy.ndarray
        ``(N,)`` common start.
    method, rtol, atol, t_end, settle_tol, backend

    Examples
    --------
    Made by :func:`share_paths`:

    >>> from gametheory_regen.model import Game
    >>> paths = share_paths(Game.builtin("hawk_dove"), "V", [2.0, 6.0], [0.3, 0.6],
    ...                     t_end=20, n_points=5, backend="numpy")
    >>> paths.times.tolist(), paths.states.shape, paths.initial.tolist()
    ([0.0, 5.0, 10.0, 15.0, 20.0], (2, 5, 4), [0.3, 0.7, 0.6, 0.4])
    """

    parameter: str
    values: np.ndarray
    population: str | int
    strategy: str | int
    times: np.ndarray
    shares: np.ndarray
    states: np.ndarray
    settled_time: np.ndarray
    initial: np.ndarray
    method: str
    rtol: float
    atol: float
    t_end: float
    settle_tol: float
    backend: str
    integrator: object = None


def share_paths(
    game,
    parameter: str,
    values,
    initial,
    *,
    population: str | int = 0,
    strategy: str | int = 0,
    t_end: float = 50.0,
    n_points: int = 201,
    schedules=None,
    integrator=None,
    dynamics=None,
    **settings,
) -> SharePaths:
    """Evolution paths of one population's share for several values of one parameter.

    Parameters
    ----------
    game : Game
    parameter : str
        The parameter to vary.
    values : array_like
        Its values, one path each.
    initial : array_like
        The common starting state (see :func:`~gametheory_regen.analysis.batch.as_full_states`).
    population, strategy : str or int
        Whose share to report (name or index).
    t_end, n_points, schedules, integrator, dynamics, **settings
        See :func:`~gametheory_regen.analysis.batch.simulate`.

    Returns
    -------
    SharePaths

    Raises
    ------
    GameInputError
        For an unknown parameter, population or strategy, a parameter without a value, or more
        than one starting state.

    Examples
    --------
    The owners' share of hawks in hawk-dove (C = 4) from x = 0.3, y = 0.6: it dies out when the
    resource is cheap (V = 2) and takes over when it is dear (V = 6):

    >>> from gametheory_regen.model import Game
    >>> paths = share_paths(Game.builtin("hawk_dove"), "V", [2.0, 6.0], [0.3, 0.6],
    ...                     population="owner", strategy="hawk", t_end=20, n_points=5,
    ...                     backend="numpy")
    >>> paths.shares.round(3).tolist()
    [[0.3, 0.015, 0.0, 0.0, 0.0], [0.3, 0.991, 1.0, 1.0, 1.0]]
    >>> share_paths(Game.builtin("hawk_dove"), "V", [2.0], [0.3, 0.6], population="thief")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: unknown population 'thief'; populations are ...
    """
    from gametheory_regen.analysis.batch import _as_schedules, initial_states
    from gametheory_regen.dynamics.field import REPLICATOR
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import integrate_pieces
    from gametheory_regen.dynamics.schedules import payoff_pieces

    integ = as_integrator(integrator, **settings)
    names, fn, base = _game_parts(game)
    if parameter not in names:
        raise ParameterError(f"unknown parameter {parameter!r}; parameters: {', '.join(names)}")
    vals = np.asarray(values, dtype=float).ravel()
    missing = [n for n in names if n != parameter and n not in base]
    if missing:
        raise ParameterError(f"parameters without values: {', '.join(missing)}")
    table = np.array([[v if n == parameter else base[n] for n in names] for v in vals])
    # names -> indices; unknown names raise GameInputError listing the known ones
    pi = game.population_index(population) if isinstance(population, str) else int(population)
    si = (game.populations[pi].index(strategy, "share_paths, strategy")
          if isinstance(strategy, str) else int(strategy))
    counts = tuple(len(p.strategies) for p in game.populations)
    x0 = initial_states(initial, counts, [p.name for p in game.populations],
                        [p.strategies for p in game.populations])
    if x0.shape[0] != 1:
        raise GameInputError("share_paths takes one starting state")
    scheds = _as_schedules(game.schedules if schedules is None else schedules)
    scheds = tuple(s for s in scheds if s.parameter != parameter)
    from gametheory_regen.analysis.batch import _bind_schedules  # bounds of expressions, per row

    for row in table:
        _bind_schedules(game, scheds, dict(zip(names, row, strict=True)), float(t_end))
    pieces = payoff_pieces(fn, names, table, scheds, 0.0, float(t_end))
    times = np.linspace(0.0, float(t_end), int(n_points))
    kr = integrate_pieces(pieces, np.repeat(x0, len(vals), axis=0), counts, integrator=integ,
                          dynamics=getattr(game, "dynamics", REPLICATOR) if dynamics is None
                          else dynamics, t_out=times)
    col = int(np.sum(counts[:pi])) + si
    return SharePaths(
        parameter=parameter, values=vals, population=population, strategy=strategy,
        times=times, shares=kr.output[:, :, col], states=kr.output,
        settled_time=np.where(kr.status == 1, kr.time, np.nan), initial=x0[0],
        method=integ.method, rtol=integ.rtol, atol=integ.atol, t_end=float(t_end),
        settle_tol=integ.settle_tol, backend=kr.backend, integrator=integ,
    )

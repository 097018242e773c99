r"""Sweeps of games the engine integrates from expected payoffs (one population, payoffs that
depend on the state, ``[[fitness]]``).

Mathematics
-----------
Such a game has no payoff tensor that the compiled kernel could read; at each cell of the grid
its expected payoffs :math:`u_{pi}(x)` are lambdified once
(:func:`gametheory_regen.dynamics.numeric.expected_payoff_function`) and integrated on the numpy
backend. A vertex :math:`v` is a rest point of the replicator; its eigenvalues are the payoff
gains :math:`u_{pj}(v) - u_{p v_p}(v)` of the deviations (the reduced Jacobian at a vertex is
block triangular; Hofbauer & Sigmund 1998, sec. 10.3, which holds for payoffs that depend on
the state as well, since the factor :math:`x_{pj}` vanishes there). A vertex counts as stable
in the regime map when all gains are negative. No forward-invariant box is computed for such
payoffs, so a start counts as reaching a linearly stable vertex when its end state at ``t_end``
lies within ``match_tol`` of it (a criterion, not a proof, and said so in the docs). Any other
attractor -- a single population's mixed ESS, a logit QRE, an interior point of another
dynamics -- is found from the settled end states, clustered and tested
(:mod:`gametheory_regen.analysis.attractors`); the rest are "not settled".
"""

from __future__ import annotations

import itertools

import numpy as np

from gametheory_regen.errors import ParameterError

__all__ = ["sweep_expected", "cell_basins", "cell_outcomes"]


def _gains(fn, counts, verts) -> np.ndarray:
    """``(K, J)`` payoff gains of every deviation at every vertex."""
    offs = np.concatenate([[0], np.cumsum(counts)])
    U = fn(0.0, verts, np.zeros(verts.shape[0], dtype=np.int64))
    out = []
    for v in range(verts.shape[0]):
        row = []
        for p, k in enumerate(counts):
            own = int(np.argmax(verts[v, offs[p]:offs[p + 1]]))
            for j in range(k):
                if j != own:
                    row.append(U[v, offs[p] + j] - U[v, offs[p] + own])
        out.append(row)
    return np.array(out, dtype=float)


def cell_outcomes(game, starts, t_end: float, integrator, dynamics=None):
    """Vertex gains, basin counts and the other attractors of one game (expected payoffs).

    Parameters
    ----------
    game : Game
        Every parameter with a value.
    starts : numpy.ndarray
        ``(m, N)`` full shares.
    t_end : float
    integrator : Integrator
    dynamics : Dynamics, optional
        Default: the game's.

    Returns
    -------
    gains : numpy.ndarray
        ``(K, J)`` payoff gains of every deviation at every vertex.
    counts : numpy.ndarray
        ``(K,)`` starts reaching each vertex.
    others : numpy.ndarray
        ``(a, N)`` attractors that are not vertices.
    other_counts : numpy.ndarray
        ``(a,)`` starts reaching each.
    backend : str

    Examples
    --------
    Hawk-dove within one population (V = 2, C = 4): the mixed ESS, hawk share V/C = 1/2, is
    the attractor of every interior start (Maynard Smith 1982, ch. 2):

    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])
    >>> gains, counts, others, n_other, _ = cell_outcomes(
    ...     hd, np.array([[0.9, 0.1], [0.2, 0.8]]), 100.0, Integrator())
    >>> counts.tolist(), others.round(9).tolist(), n_other.tolist()
    ([0, 0], [[0.5, 0.5]], [2])
    """
    from gametheory_regen.analysis.attractors import (
        cluster_tolerance,
        end_states,
        settled_attractors,
        vertex_index,
    )
    from gametheory_regen.analysis.batch import integrate_batch, vertex_states
    from gametheory_regen.dynamics.field import velocity_np
    from gametheory_regen.dynamics.kernels import Piece
    from gametheory_regen.dynamics.numeric import expected_payoff_function

    dyn = game.dynamics if dynamics is None else dynamics
    counts = tuple(pop.k for pop in game.populations)
    verts = vertex_states(counts)
    fn = expected_payoff_function(game)
    gains = _gains(fn, counts, verts)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    piece = Piece(0.0, float(t_end), np.zeros((1, len(counts), int(np.prod(counts)))),
                  expected_at=fn)
    # no invariant box is computed for these payoffs: under a dynamics whose vertices are rest
    # points, an end state within match_tol of a vertex whose deviation gains are all negative
    # (linearly stable) counts as reaching it
    stable = np.all(gains < 0.0, axis=1)[None] if dyn.vertices_are_rest_points else None

    def run(x):
        res = integrate_batch(np.zeros((len(counts), *counts)), x, float(t_end), counts=counts,
                              pieces=[piece], integrator=integrator, dynamics=dyn)
        return res, end_states(res, np.zeros(x.shape[0], np.int64), counts, stable)

    def velocity(x, grp):
        return velocity_np(x, fn(0.0, x, grp), offsets, dyn.code, dyn.param)

    res, (final, rest) = run(np.asarray(starts, dtype=float))
    m = final.shape[0]
    sa = settled_attractors(final, rest, np.zeros(m, np.int64), 1, counts,
                            tol=cluster_tolerance(integrator), rerun=lambda x, g: run(x)[1],
                            velocity=velocity, stable=stable)
    states = sa.states[0]
    n_each = np.array([np.count_nonzero(sa.labels == j) for j in range(len(states))],
                      dtype=np.int64)
    vi = vertex_index(states, counts) if len(states) else np.zeros(0, np.int64)
    reached = np.zeros(verts.shape[0], dtype=np.int64)
    for j in np.flatnonzero(vi >= 0):
        reached[vi[j]] += n_each[j]
    return gains, reached, states[vi < 0], n_each[vi < 0], res.backend


def cell_basins(game, starts, t_end: float, integrator):
    """Vertex gains and basin counts of one game integrated from its expected payoffs.

    Parameters
    ----------
    game : Game
        Every parameter with a value.
    starts : numpy.ndarray
        ``(m, N)`` full shares.
    t_end : float
    integrator : Integrator

    Returns
    -------
    gains : numpy.ndarray
        ``(K, J)`` payoff gains of every deviation at every vertex.
    counts : numpy.ndarray
        ``(K,)`` starts reaching each vertex (see the module docstring).
    backend : str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.integrator import Integrator
    >>> coord = gr.Game.symmetric("c", ["a", "b"], [[1, 0], [0, 1]])
    >>> gains, counts, _ = cell_basins(coord, np.array([[0.8, 0.2], [0.3, 0.7]]), 50.0,
    ...                                Integrator())
    >>> gains.tolist(), counts.tolist()
    ([[-1.0], [-1.0]], [1, 1])
    """
    gains, reached, _, _, backend = cell_outcomes(game, starts, t_end, integrator)
    return gains, reached, backend


def sweep_expected(game, vary, *, samples: int = 16, sampler: str = "sobol", seed: int = 0,
                   resolution: int | None = None, t_end: float = 100.0,
                   confidence: float = 0.95, scheduler=None, chunk_cells=None, progress=None,
                   integrator=None, dynamics=None, **settings):
    """The regime map of :func:`gametheory_regen.analysis.sweep.sweep` for such a game.

    Parameters
    ----------
    game : Game
        A game for which :func:`~gametheory_regen.dynamics.numeric.needs_expected_payoffs`.
    vary, samples, sampler, seed, resolution, t_end, confidence, progress, integrator
        As :func:`gametheory_regen.analysis.sweep.sweep_payoffs`.
    dynamics : Dynamics, optional
        Default: the game's.
    scheduler, chunk_cells
        Must be ``None`` (these sweeps run in process).
    **settings
        Individual integration settings.

    Returns
    -------
    SweepResult

    Examples
    --------
    Hawk-dove played within one population: with V < C the mixed state (hawk share V/C) is the
    attractor, so neither vertex is stable and every start reaches the interior point; with
    V > C hawks take over.

    >>> import gametheory_regen as gr
    >>> from gametheory_regen.model.game import Parameter
    >>> hd = gr.Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
    ...                        [Parameter.make("V", 2), Parameter.make("C", 4)])
    >>> res = sweep_expected(hd, [("V", [2.0, 6.0])], samples=8)
    >>> res.stable.tolist()
    [[False, False], [True, False]]
    >>> res.basin_counts[1].tolist(), int(res.not_settled[0])
    ([8, 0], 0)
    >>> res.other_attractors[0].round(9).tolist(), res.other_counts[0].tolist()
    ([[0.5, 0.5]], [8])
    """
    from gametheory_regen.analysis.basins import _starts
    from gametheory_regen.analysis.batch import vertex_states
    from gametheory_regen.analysis.sweep import SweepResult, _dynamics_fields, _parse_vary
    from gametheory_regen.dynamics.integrator import as_integrator

    if scheduler is not None:
        raise ParameterError("sweep: games whose payoffs depend on the state (or with one "
                             "population) are swept in process; drop --scheduler")
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    axes = _parse_vary(vary)
    names = [n for n, _ in axes]
    counts = tuple(pop.k for pop in game.populations)
    verts = vertex_states(counts)
    starts, used_seed, _ = _starts(counts, sampler, samples, seed,
                                   4 if resolution is None else resolution)
    shape = tuple(len(v) for _, v in axes)
    ncell = int(np.prod(shape))
    K = verts.shape[0]
    J = sum(k - 1 for k in counts)
    eig = np.zeros((ncell, K, J))
    cnt = np.zeros((ncell, K), dtype=np.int64)
    ns = np.zeros(ncell, dtype=np.int64)
    others = []
    dyn = game.dynamics if dynamics is None else dynamics
    backend = "numpy"
    for c, idx in enumerate(itertools.product(*(range(n) for n in shape))):
        at = {name: float(vals[i]) for (name, vals), i in zip(axes, idx, strict=True)}
        cell = game.with_values({k: repr(v) for k, v in at.items()}, where="sweep")
        eig[c], cnt[c], o_states, o_counts, backend = cell_outcomes(
            cell, starts, float(t_end), integ, dyn)
        others.append((o_states, o_counts))
        ns[c] = starts.shape[0] - cnt[c].sum() - o_counts.sum()
        if progress is not None:
            progress(c + 1, ncell)
    base = {n: float(v) for n, v in game.values.items() if n not in names}
    return SweepResult(
        names=tuple(names), values=tuple(v for _, v in axes), base=base,
        strategy_counts=counts, vertices=verts, eigenvalues=eig.reshape(*shape, K, J),
        basin_counts=cnt.reshape(*shape, K), not_settled=ns.reshape(shape),
        samples=starts.shape[0], starts=starts, sampler=sampler, seed=used_seed,
        t_end=float(t_end), method=integ.method, rtol=integ.rtol, atol=integ.atol,
        settle_tol=integ.settle_tol, match_tol=integ.match_tol, confidence=confidence,
        backend=backend, scheduler="in-process", integrator=integ,
        **_dynamics_fields(dyn, np.all(eig < 0.0, axis=2).reshape(*shape, K),
                           cnt.reshape(*shape, K), others),
    )

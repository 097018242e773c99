r"""Basins of attraction: the share of starting mixes that reach each attractor.

Mathematics
-----------
Starting mixes are drawn on the product of simplices :math:`\prod_p \Delta_{k_p}`:

* a regular grid: per population the interior lattice points
  :math:`\{(a_1, \dots, a_k)/R:\ a_i \ge 1 \text{ integers},\ \sum a_i = R\}` shifted to cell
  centres for two strategies (:math:`x = (i + 1/2)/R`), then the Cartesian product;
* a seeded uniform random sample, or a seeded scrambled Sobol low-discrepancy sample
  (:class:`scipy.stats.qmc.Sobol`), mapped to the uniform distribution on each simplex: for
  :math:`k` strategies, :math:`k - 1` coordinates :math:`u_1, \dots, u_{k-1}` in :math:`[0, 1)`
  are sorted and the spacings :math:`u_{(1)}, u_{(2)} - u_{(1)}, \dots, 1 - u_{(k-1)}` are the
  shares, which is uniform on the simplex (the flat Dirichlet(1, ..., 1) law; Devroye 1986,
  ch. V.2). For two strategies this is just :math:`x = u`.

Each start is integrated (:func:`gametheory_regen.analysis.batch.integrate_batch`) and
classified. With :math:`c_j` of :math:`n` starts reaching attractor :math:`j`, the basin share
is :math:`\hat p_j = c_j / n` with the Wilson score interval (Wilson 1927)

.. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n},

with :math:`z` the two-sided normal quantile of the confidence level. (For grids and Sobol
samples this binomial interval is conservative.) Starts that did not settle at an attractor by
the horizon are counted separately, so the shares sum to one.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

__all__ = [
    "SAMPLERS",
    "BasinShares",
    "basin_shares",
    "grid_starts",
    "sample_starts",
    "wilson_interval",
]

SAMPLERS = ("sobol", "random", "grid")


def _simplex_grid(k: int, R: int) -> np.ndarray:
    if k == 2:
        x = (np.arange(R) + 0.5) / R
        return np.stack([x, 1.0 - x], axis=1)
    pts = [
        np.array(c + (R - sum(c),), dtype=float) / R
        for c in itertools.product(range(1, R), repeat=k - 1)
        if R - sum(c) >= 1
    ]
    return np.array(pts).reshape(-1, k)


def grid_starts(counts: Sequence[int], resolution: int) -> np.ndarray:
    """Regular grid of interior starting mixes on the product of simplices.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.
    resolution : int
        Points per axis ``R`` (two strategies: ``R`` cell centres; ``k`` strategies: lattice
        points with denominator ``R`` and every share positive).

    Returns
    -------
    numpy.ndarray
        ``(M, sum k)`` full states.

    Examples
    --------
    >>> grid_starts((2, 2), 2).tolist()
    [[0.25, 0.75, 0.25, 0.75], [0.25, 0.75, 0.75, 0.25], [0.75, 0.25, 0.25, 0.75], [0.75, 0.25, 0.75, 0.25]]
    """
    R = int(resolution)
    if R < 1:
        raise GameInputError(f"grid resolution must be a positive integer; got {resolution!r}")
    grids = [_simplex_grid(int(k), R) for k in counts]
    if any(g.shape[0] == 0 for g in grids):
        raise GameInputError(
            f"grid resolution {R} has no interior point for {max(counts)} strategies; use at "
            f"least {max(counts)}"
        )
    idx = np.indices([g.shape[0] for g in grids]).reshape(len(grids), -1).T
    return np.concatenate([g[idx[:, q]] for q, g in enumerate(grids)], axis=1)


def sample_starts(counts: Sequence[int], n: int, *, method: str = "sobol", seed=0) -> np.ndarray:
    """A seeded sample of starting mixes, uniform on the product of simplices.

    Parameters
    ----------
    counts : sequence of int
    n : int
        Number of starts (Sobol: a power of two keeps the sequence balanced).
    method : {"sobol", "random"}
    seed : int or numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        ``(n, sum k)`` full states.

    Examples
    --------
    >>> x = sample_starts((2, 3), 8, seed=1)
    >>> x.shape, bool(abs(x[:, 2:].sum(axis=1) - 1).max() < 1e-15)
    ((8, 5), True)
    """
    n = int(n)
    if n < 1:
        raise GameInputError(f"the number of samples must be positive; got {n}")
    d = sum(int(k) - 1 for k in counts)
    if method == "sobol":
        from scipy.stats import qmc

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance warning for n != 2**m
            u = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(seed)).random(n)
    elif method == "random":
        u = np.random.default_rng(seed).random((n, d))
    else:
        raise GameInputError(f"sampler must be 'sobol' or 'random' here; got {method!r}")
    cols, a = [], 0
    for k in counts:
        k = int(k)
        v = np.sort(u[:, a:a + k - 1], axis=1)
        edges = np.concatenate([np.zeros((n, 1)), v, np.ones((n, 1))], axis=1)
        cols.append(np.diff(edges, axis=1))
        a += k - 1
    return np.concatenate(cols, axis=1)


def wilson_interval(successes, n, confidence: float = 0.95):
    """Wilson score interval of a binomial proportion (Wilson 1927).

    Parameters
    ----------
    successes : int or array_like
    n : int or array_like
    confidence : float

    Returns
    -------
    (low, high) : tuple of float or numpy.ndarray

    Examples
    --------
    >>> lo, hi = wilson_interval(50, 100)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4038, 0.5962)
    """
    from statistics import NormalDist  # not scipy.stats: importing it takes about a second

    if not 0 < confidence < 1:
        raise GameInputError(f"confidence must be in (0, 1); got {confidence}")
    k = np.asarray(successes, dtype=float)
    nn = np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(nn > 0, k / nn, 0.0)
        denom = 1 + z * z / nn
        centre = (p + z * z / (2 * nn)) / denom
        half = z * np.sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom
    lo = np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(k >= nn, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


@dataclass(frozen=True)
class BasinShares:
    """Share of starting mixes reaching each attractor.

    Attributes
    ----------
    attractors : numpy.ndarray
        ``(a, N)`` the attractors (full states).
    counts : numpy.ndarray
        ``(a,)`` starts that reached each.
    not_settled : int
        Starts not at rest at an attractor by ``t_end`` (still moving, or at rest elsewhere).
    n_starts : int
    shares : numpy.ndarray
        ``(a,)`` ``counts / n_starts``.
    share_not_settled : float
        ``not_settled / n_starts``; ``shares.sum() + share_not_settled == 1``.
    low, high : numpy.ndarray
        ``(a + 1,)`` Wilson interval bounds, the last entry for ``not settled``.
    confidence : float
    sampler : str
        ``"sobol"``, ``"random"`` or ``"grid"``.
    seed : int or None
    resolution : int or None
        Grid resolution.
    strategy_counts : tuple of int
    method, rtol, atol, t_end, settle_tol, match_tol, backend
        How the trajectories were integrated and classified.

    Examples
    --------
    Two populations playing anti-coordination (payoff 2 for differing, 0 for matching) on a
    4 x 4 grid: the diagonal :math:`x = y` is invariant and is the stable manifold of the saddle
    (1/2, 1/2), so its 4 grid starts are not settled at either vertex. (Both populations
    compute the same numbers there, so the diagonal holds exactly in floating point; a
    separatrix that only a relabelling of strategies maps to itself, such as a coordination
    game's :math:`x + y = 1`, is left by rounding, to either side.)

    >>> import numpy as np
    >>> A = np.array([[0.0, 2.0], [2.0, 0.0]])
    >>> res = basin_shares(np.stack([A, A.T]), sampler="grid", resolution=4, backend="numpy")
    >>> res.attractors.tolist(), res.counts.tolist(), res.not_settled, res.n_starts
    ([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]], [6, 6], 4, 16)
    >>> res.shares.tolist(), res.share_not_settled
    ([0.375, 0.375], 0.25)
    >>> res.low.round(3).tolist(), res.high.round(3).tolist()      # 95% Wilson intervals
    ([0.185, 0.185, 0.102], [0.614, 0.614, 0.495])
    """

    attractors: np.ndarray
    counts: np.ndarray
    not_settled: int
    n_starts: int
    shares: np.ndarray
    share_not_settled: float
    low: np.ndarray
    high: np.ndarray
    confidence: float
    sampler: str
    seed: int | None
    resolution: int | None
    strategy_counts: tuple[int, ...]
    method: str
    rtol: float
    atol: float
    t_end: float
    settle_tol: float
    match_tol: float
    backend: str
    integrator: object = None


def basin_shares(
    payoffs,
    attractors=None,
    *,
    counts: Sequence[int] | None = None,
    samples: int = 1024,
    sampler: str = "sobol",
    seed: int = 0,
    resolution: int | None = None,
    t_end: float = 200.0,
    confidence: float = 0.95,
    integrator=None,
    dynamics=None,
    schedules=None,
    **settings,
) -> BasinShares:
    """Estimate the basin share of each attractor of one game.

    Parameters
    ----------
    payoffs : array_like or Game
        ``(n, k_1, ..., k_n)`` payoff tensor, or a game with a number for every parameter.
    attractors : array_like, optional
        ``(a, N)`` attractors; default: the stable vertices (strict Nash equilibria) under the
        replicator, the attractors found from the settled end states under another dynamics
        (:mod:`gametheory_regen.analysis.attractors`; given attractors are then matched within
        its clustering tolerance).
    counts : sequence of int, optional
    samples : int
        Number of starts for ``"sobol"`` / ``"random"``.
    sampler : {"sobol", "random", "grid"}
    seed : int
    resolution : int, optional
        Grid points per axis (``sampler="grid"``; default 32).
    t_end : float
        Horizon.
    integrator : Integrator, optional
        How to integrate (its ``vertex_tol`` is replaced by ``inf``: only the attractor is
        counted).
    **settings
        Individual integration settings (see
        :func:`gametheory_regen.analysis.batch.integrate_batch`).
    confidence : float
        Level of the Wilson intervals.
    dynamics : Dynamics, optional
        Default: the game's dynamics (the replicator for a payoff array).
    schedules : sequence of Schedule, optional
        Time-varying parameters (a Game only): see
        :func:`gametheory_regen.analysis.sweep_schedules.basins_scheduled`.

    Returns
    -------
    BasinShares

    Examples
    --------
    >>> import numpy as np
    >>> A = 2.0 * np.eye(2)
    >>> res = basin_shares(np.stack([A, A]), samples=256, backend="numpy")
    >>> res.shares.round(1).tolist(), res.share_not_settled
    ([0.5, 0.5], 0.0)

    Two populations playing anti-coordination: on a grid, the starts on the separatrix
    ``x = y`` (kept exactly: both populations compute the same numbers) converge to the
    interior saddle; they are counted as not settled at an attractor, never snapped to a
    vertex:

    >>> B = np.array([[0.0, 2.0], [2.0, 0.0]])
    >>> res = basin_shares(np.stack([B, B.T]), sampler="grid", resolution=8, backend="numpy")
    >>> res.shares.tolist(), res.share_not_settled
    ([0.4375, 0.4375], 0.125)

    Under the logit dynamics (eta = 0.5) the attractors are the interior logit QRE near the
    two strict equilibria (the solutions of ``x = 1 / (1 + exp((4y - 2) / eta))`` and
    ``y = 1 / (1 + exp((4x - 2) / eta))``, here 0.0212 and 0.9788); the starts on the
    separatrix end at the symmetric QRE (1/2, 1/2), a saddle, and do not count:

    >>> from gametheory_regen.dynamics.field import Dynamics
    >>> res = basin_shares(np.stack([B, B.T]), sampler="grid", resolution=8, backend="numpy",
    ...                    dynamics=Dynamics("logit", temperature=0.5))
    >>> res.attractors.round(4).tolist(), res.shares.tolist(), res.share_not_settled
    ([[0.0212, 0.9788, 0.9788, 0.0212], [0.9788, 0.0212, 0.0212, 0.9788]], [0.4375, 0.4375], 0.125)
    """
    from gametheory_regen.analysis.batch import (
        integrate_batch,
        split_payoffs,
        stable_vertices,
        vertex_states,
    )
    from gametheory_regen.dynamics.integrator import as_integrator

    if schedules:  # the payoffs follow schedules (analysis/sweep_schedules.py)
        from gametheory_regen.analysis.sweep_schedules import basins_scheduled

        if attractors is not None or not hasattr(payoffs, "payoff_tensors"):
            raise GameInputError("basin_shares with schedules takes a Game and no attractors "
                                 "(they are the strict Nash vertices of the horizon game)")
        from gametheory_regen.analysis.sweep import _replicator_only

        _replicator_only(dynamics or payoffs.dynamics)
        return basins_scheduled(payoffs, schedules, samples=samples, sampler=sampler, seed=seed,
                                resolution=resolution, t_end=t_end, confidence=confidence,
                                integrator=integrator, **settings)
    if hasattr(payoffs, "payoff_tensors"):  # a Game with numbers for every parameter
        from gametheory_regen.dynamics.numeric import needs_expected_payoffs, payoff_tensor

        if dynamics is None:
            dynamics = payoffs.dynamics
        if needs_expected_payoffs(payoffs):
            return _basins_expected(payoffs, attractors, samples, sampler, seed, resolution,
                                    t_end, confidence, integrator, settings, dynamics)
        if not payoffs.is_numeric:
            raise GameInputError(
                "basin_shares needs a number for every parameter; free: "
                f"{', '.join(str(s) for s in payoffs.free_parameters)} (use a scenario or "
                "game.with_values)")
        payoffs = payoff_tensor(payoffs)
    from gametheory_regen import limits

    limits.check_count("basin_shares(samples=)", samples, "samples")
    limits.check_seed(seed, "basin_shares(seed=)")
    pay, counts = split_payoffs(payoffs, counts)
    if pay.shape[0] != 1:
        raise GameInputError("basin_shares takes one game; use sweep for many parameter points")
    starts, used_seed, resolution = _starts(counts, sampler, samples, seed, resolution)
    # only the attractor is counted: stop on entering a strict Nash vertex's invariant box
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    if dynamics is not None and dynamics.kind != "replicator":
        att, outcome, backend = _found_attractors(pay, starts, counts, t_end, integ, dynamics,
                                                  attractors)
    else:
        if attractors is None:
            att = vertex_states(counts)[stable_vertices(pay, counts)[0]]
        else:
            att = np.atleast_2d(np.asarray(attractors, dtype=float))
        res = integrate_batch(
            pay[0], starts, t_end, rest_points=att if att.size else None, counts=counts,
            integrator=integ,
        )
        outcome, backend = res.outcome, res.backend
    n = starts.shape[0]
    cnt = np.bincount(outcome[outcome >= 0], minlength=att.shape[0])[: att.shape[0]]
    ns = int(n - cnt.sum())
    allc = np.concatenate([cnt, [ns]])
    lo, hi = wilson_interval(allc, n, confidence)
    return BasinShares(
        attractors=att, counts=cnt, not_settled=ns, n_starts=n, shares=cnt / n,
        share_not_settled=ns / n, low=lo, high=hi, confidence=confidence, sampler=sampler,
        seed=used_seed, resolution=resolution, strategy_counts=counts, method=integ.method,
        rtol=integ.rtol, atol=integ.atol, t_end=float(t_end), settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, backend=backend, integrator=integ,
    )


def _found_attractors(pay, starts, counts, t_end, integ, dynamics, attractors):
    """``(attractors, outcome per start, backend)`` under a dynamics other than the replicator:
    the attractors found from the settled end states, or the given ones matched to them."""
    from gametheory_regen.analysis.attractors import tensor_attractors

    m = starts.shape[0]
    sa, backend = tensor_attractors(pay[:1], starts, np.zeros(m, np.int64), counts,
                                    float(t_end), integ, dynamics)
    found = sa.states[0]
    if attractors is None:
        return found, sa.labels, backend
    att = np.atleast_2d(np.asarray(attractors, dtype=float))
    to_given = np.full(found.shape[0], -1, dtype=np.int64)
    for j, r in enumerate(found):
        d = np.max(np.abs(att - r), axis=1) if att.size else np.zeros(0)
        if d.size and d.min() <= sa.tol:
            to_given[j] = int(np.argmin(d))
    outcome = np.where(sa.labels >= 0, to_given[np.maximum(sa.labels, 0)], -1)
    return att, outcome, backend


def _starts(counts, sampler, samples, seed, resolution):
    """Starting mixes of a basin estimate: ``(starts, seed used, resolution used)``."""
    if sampler == "grid":
        resolution = 32 if resolution is None else int(resolution)
        return grid_starts(counts, resolution), None, resolution
    if sampler in ("sobol", "random"):
        return sample_starts(counts, samples, method=sampler, seed=seed), seed, None
    raise GameInputError(f"sampler must be one of {', '.join(SAMPLERS)}; got {sampler!r}")


def _basins_expected(game, attractors, samples, sampler, seed, resolution, t_end, confidence,
                     integrator, settings, dynamics) -> BasinShares:
    """:func:`basin_shares` of a game integrated from its expected payoffs: the linearly stable
    vertices and the attractors found from the settled end states (see
    :mod:`gametheory_regen.analysis.sweep_state`)."""
    from gametheory_regen.analysis.batch import vertex_states
    from gametheory_regen.analysis.sweep_state import cell_outcomes
    from gametheory_regen.dynamics.integrator import as_integrator

    if attractors is not None:
        raise GameInputError("basin_shares: for games whose payoffs depend on the state (or "
                             "with one population) the attractors are found by the engine "
                             "(stable vertices and settled attractors); do not pass attractors")
    if not game.is_numeric:
        raise GameInputError(
            "basin_shares needs a number for every parameter; free: "
            f"{', '.join(str(s) for s in game.free_parameters)}")
    counts = tuple(pop.k for pop in game.populations)
    starts, used_seed, resolution = _starts(counts, sampler, samples, seed, resolution)
    integ = as_integrator(integrator, **settings).replace(vertex_tol=np.inf)
    gains, reached, others, n_other, backend = cell_outcomes(game, starts, float(t_end), integ,
                                                             dynamics)
    keep = np.all(gains < 0.0, axis=1) | (reached > 0)
    att = np.concatenate([vertex_states(counts)[keep], others])
    cnt = np.concatenate([reached[keep], n_other])
    n = starts.shape[0]
    ns = int(n - cnt.sum())
    lo, hi = wilson_interval(np.concatenate([cnt, [ns]]), n, confidence)
    return BasinShares(
        attractors=att, counts=cnt, not_settled=ns, n_starts=n, shares=cnt / n,
        share_not_settled=ns / n, low=lo, high=hi, confidence=confidence, sampler=sampler,
        seed=used_seed, resolution=resolution, strategy_counts=counts, method=integ.method,
        rtol=integ.rtol, atol=integ.atol, t_end=float(t_end), settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, backend=backend, integrator=integ,
    )

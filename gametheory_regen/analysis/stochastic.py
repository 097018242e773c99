r"""Stochastic evolutionary games: quantile bands, outcome shares and their dependence on sigma.

Mathematics
-----------
Many sample paths of :math:`dx = f(x)\,dt + \sigma g(x)\,dW` (the engine of
:mod:`gametheory_regen.dynamics.sde`: noise forms, schemes, random streams) are summarised as

* **quantile bands**: at every output time, the 5, 25, 50, 75 and 95 % quantiles (numpy's
  default linear interpolation) of every share over the paths still on their simplices;
* **outcomes at** :math:`t_{end}`: the share of paths within :data:`OUTCOME_RADIUS` (0.01) of a
  rest point of the deterministic dynamics *in every share* (sup norm; a path near two rest
  points counts for the nearer), the share *not settled* (near none), and, for the ``linear``
  form, the paths that left :math:`[0, 1]` (counted apart; the three shares sum to 1). Each
  share carries a Wilson interval (Wilson 1927) for the probability it estimates.

With :math:`\sigma > 0` the outcome shares estimate the probability of ending near each rest
point at :math:`t_{end}`; they depend on :math:`t_{end}` (noise eventually moves a path between
basins) and the deterministic "stable" verdicts of :mod:`.equilibria` no longer say everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

__all__ = ["QUANTILES", "OUTCOME_RADIUS", "NoiseResult", "NoiseSweep", "classify_paths",
           "simulate_noise", "noise_sweep"]

#: the quantile levels of the bands (Contract 4)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: sup-norm distance to a rest point at which a path counts as having reached it
OUTCOME_RADIUS = 0.01


@dataclass(frozen=True)
class NoiseResult:
    """Sample paths of a noisy simulation, summarised (see the module docstring).

    Attributes
    ----------
    populations : tuple of str
    strategies : tuple of tuple of str
    times : numpy.ndarray
        ``(T,)`` output times.
    quantiles : numpy.ndarray
        ``(5, T, N)``: level, time, share (levels :data:`QUANTILES`); NaN where no path is
        inside.
    inside : numpy.ndarray
        ``(T,)`` paths still on their simplices at each time (all of them for ``simplex``).
    rest_points : numpy.ndarray
        ``(r, N)`` the rest points outcomes are matched against.
    outcome_counts : numpy.ndarray
        ``(r,)`` paths within :data:`OUTCOME_RADIUS` of each rest point at ``t_end``.
    not_settled : int
        Paths inside but near no rest point at ``t_end``.
    left_simplex : int
        Paths that left [0, 1] (``linear`` form; 0 for ``simplex``).
    initial : numpy.ndarray
        ``(N,)`` the start of every path.
    parameters : dict
    t_end : float
    n_steps : int
    noise : Noise
        sigma, form, scheme, dt, seed and paths.
    dynamics : Dynamics
    backend : str
    schedules : tuple of Schedule
        The parameter schedules the paths followed (rest points: at their ``t_end`` values).

    Examples
    --------
    Hawk-dove (V = 2, C = 4) from the interior saddle (1/2, 1/2): without noise the path stays
    there; with noise every path leaves it for one of the two strict Nash equilibria:

    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> res = simulate_noise(hd, [0.5, 0.5], 20.0, Noise(0.5, paths=64, backend="numpy"))
    >>> res.left_simplex, int(res.outcome_counts.sum() + res.not_settled), res.paths
    (0, 64, 64)
    >>> res.quantiles.shape, float(res.quantiles[2, 0, 0])
    ((5, 101, 4), 0.5)
    """

    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    times: np.ndarray
    quantiles: np.ndarray
    inside: np.ndarray
    rest_points: np.ndarray
    outcome_counts: np.ndarray
    not_settled: int
    left_simplex: int
    initial: np.ndarray
    parameters: dict
    t_end: float
    n_steps: int
    noise: object
    dynamics: object
    backend: str
    schedules: tuple = ()

    @property
    def paths(self) -> int:
        """Number of sample paths.

        >>> from gametheory_regen.dynamics.sde import Noise
        >>> simulate_noise(np.zeros((2, 2, 2)), [0.5, 0.5], 1.0,
        ...                Noise(0.1, paths=3, backend="numpy")).paths
        3
        """
        return int(self.noise.paths)

    def shares(self) -> np.ndarray:
        """Shares of paths: each rest point, then not settled, then left [0, 1] (sum 1).

        >>> from gametheory_regen.dynamics.sde import Noise
        >>> r = simulate_noise(np.zeros((2, 2, 2)), [0.5, 0.5], 1.0,
        ...                    Noise(0.0, paths=2, backend="numpy"))
        >>> r.shares().tolist()   # vertices (4 of them), then not settled, then left
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        """
        c = np.concatenate([self.outcome_counts, [self.not_settled, self.left_simplex]])
        return c / float(self.paths)

    def intervals(self, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Wilson intervals of :meth:`shares` (Wilson 1927).

        Parameters
        ----------
        confidence : float
            Default 0.95.

        >>> from gametheory_regen.dynamics.sde import Noise
        >>> r = simulate_noise(np.zeros((2, 2, 2)), [0.5, 0.5], 1.0,
        ...                    Noise(0.0, paths=2, backend="numpy"))
        >>> lo, hi = r.intervals(); bool(lo[4] < 1.0 and hi[4] == 1.0)
        True
        """
        from .basins import wilson_interval

        c = np.concatenate([self.outcome_counts, [self.not_settled, self.left_simplex]])
        return wilson_interval(c, self.paths, confidence)

    def population_quantiles(self) -> dict[str, np.ndarray]:
        """Population name -> ``(5, T, k_p)`` quantile bands of its shares.

        >>> from gametheory_regen.dynamics.sde import Noise
        >>> r = simulate_noise(np.zeros((2, 2, 2)), [0.5, 0.5], 1.0,
        ...                    Noise(0.0, paths=2, backend="numpy"), n_points=3)
        >>> {k: v.shape for k, v in r.population_quantiles().items()}
        {'pop0': (5, 3, 2), 'pop1': (5, 3, 2)}
        """
        out, a = {}, 0
        for name, strat in zip(self.populations, self.strategies, strict=True):
            out[name] = self.quantiles[:, :, a:a + len(strat)]
            a += len(strat)
        return out


def classify_paths(final, inside, rest_points, radius: float = OUTCOME_RADIUS):
    """Count paths within ``radius`` (sup norm) of each rest point; the rest are not settled.

    Parameters
    ----------
    final : numpy.ndarray
        ``(m, N)`` states at ``t_end``.
    inside : numpy.ndarray
        ``(m,)`` bool: the path stayed on its simplices (others are not counted).
    rest_points : numpy.ndarray
        ``(r, N)``.
    radius : float

    Returns
    -------
    counts : numpy.ndarray
        ``(r,)`` int.
    not_settled : int

    Examples
    --------
    >>> rp = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> classify_paths(np.array([[0.995, 0.005], [0.5, 0.5], [0.0, 1.0]]),
    ...                np.array([True, True, False]), rp)
    (array([1, 0]), 1)
    """
    final = np.asarray(final, dtype=float)
    ok = np.asarray(inside, dtype=bool)
    rp = np.asarray(rest_points, dtype=float).reshape(-1, final.shape[1])
    m = final.shape[0]
    best = np.full(m, np.inf)
    arg = np.full(m, -1, dtype=np.int64)
    for j in range(rp.shape[0]):
        d = np.max(np.abs(final - rp[j]), axis=1)
        better = d < best
        best[better] = d[better]
        arg[better] = j
    hit = ok & (best <= radius)
    counts = np.bincount(arg[hit], minlength=rp.shape[0]).astype(np.int64)
    return counts, int(np.count_nonzero(ok & ~hit))


def _numeric(game, schedules=None):
    """The drift of a Game or payoff array.

    Returns ``(payoffs (n, K) or None, expected_at or None, counts, populations, strategies,
    parameters, schedules, game at t_end)``: a constant payoff tensor for the compiled kernel,
    or, for one-population games, payoffs that depend on the state, ``[[fitness]]`` and
    schedules, the expected payoffs as a callable of time and state
    (:func:`gametheory_regen.dynamics.sde_drift.expected_payoffs_at`).
    """
    from .batch import split_payoffs

    if isinstance(game, (np.ndarray, list, tuple)):
        if schedules:
            raise GameInputError("schedules need a Game (parameter names), not a payoff array")
        pay, counts = split_payoffs(game)
        pops = tuple(f"pop{i}" for i in range(len(counts)))
        strats = tuple(tuple(f"s{j}" for j in range(k)) for k in counts)
        return pay[0], None, counts, pops, strats, {}, (), game
    from gametheory_regen.dynamics.numeric import needs_expected_payoffs, payoff_tensor
    from gametheory_regen.dynamics.sde_drift import (
        as_schedules,
        declared_schedules,
        expected_payoffs_at,
    )

    pops = tuple(p.name for p in game.populations)
    strats = tuple(tuple(p.strategies) for p in game.populations)
    counts = tuple(len(s) for s in strats)
    specs = declared_schedules(game) if schedules is None else tuple(schedules)
    scheds = as_schedules(specs, game)
    values = {n: float(v) for n, v in game.values.items()}
    if scheds or needs_expected_payoffs(game):
        return (None, expected_payoffs_at(game, scheds), counts, pops, strats, values, scheds,
                game)
    return payoff_tensor(game), None, counts, pops, strats, values, (), game


def _game_at(game, schedules, t: float):
    """The game with its scheduled parameters at their values at ``t`` (for the rest points)."""
    if not schedules:
        return game
    from gametheory_regen.dynamics.sde_drift import scheduled_values

    vals = scheduled_values(game, schedules, t)
    return game.with_values({s.parameter: vals[s.parameter] for s in schedules},
                            where="schedule")


def default_rest_points(game, counts, dynamics=None) -> np.ndarray:
    """The rest points outcomes are matched against.

    For a Game: the isolated rest points of its analysis under ``dynamics``
    (:func:`.equilibria.analyze`). For a bare payoff array: every vertex.

    Parameters
    ----------
    game : Game or array_like
    counts : sequence of int
    dynamics : Dynamics, optional
        Default: the replicator.

    Returns
    -------
    numpy.ndarray
        ``(r, N)``.

    Examples
    --------
    >>> default_rest_points(np.zeros((2, 2, 2)), (2, 2)).shape
    (4, 4)
    """
    from gametheory_regen.dynamics.field import REPLICATOR

    from .batch import vertex_states

    if isinstance(game, (np.ndarray, list, tuple)):
        return vertex_states(counts)
    from .equilibria import analyze

    found = analyze(game, dynamics=REPLICATOR if dynamics is None else dynamics)
    rows = []
    for rp in found.rest_points:
        state = rp.state
        vec = [float(v) for pop in game.populations for v in state[pop.name]] \
            if isinstance(state, dict) else [float(v) for v in np.ravel(state)]
        rows.append(vec)
    return np.array(rows, dtype=float).reshape(-1, sum(counts))


def _summarise(out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    inside = np.count_nonzero(~np.isnan(out[:, :, 0]), axis=0)
    with np.errstate(all="ignore"), _quiet():
        q = np.nanquantile(out, QUANTILES, axis=0)
    return q, inside


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def simulate_noise(game, initial, t_end: float = 50.0, noise=None, *, dynamics=None,
                   rest_points=None, n_points: int = 101, schedules=None,
                   progress: Callable[[int, int], None] | None = None) -> NoiseResult:
    """Integrate ``noise.paths`` noisy paths from one start and summarise them.

    Parameters
    ----------
    game : Game or array_like
        A game with values for all parameters (any kind: several populations or one, payoffs
        constant or depending on the state, ``[[fitness]]``), or a payoff tensor.
    initial : array_like or mapping
        One start (see :func:`gametheory_regen.analysis.batch.initial_states`).
    t_end : float
    noise : Noise
        Default ``Noise()`` (sigma 0).
    dynamics : Dynamics, optional
        Default: the game's (``game.dynamics`` where it has one), else the replicator.
    rest_points : array_like, optional
        ``(r, N)``; default :func:`default_rest_points`.
    n_points : int
        Output times.
    schedules : sequence, optional
        Schedules (:class:`~gametheory_regen.dynamics.schedules.Schedule` or declared
        ``ScheduleSpec``) evaluated at each step's start time; default: the game's and its
        scenario's; ``()`` integrates at the parameters' values. The rest points the outcomes
        are matched against are then those of the game at the schedules' ``t_end`` values.
    progress : callable, optional
        ``progress(done, total)`` in steps.

    Returns
    -------
    NoiseResult

    Raises
    ------
    GameInputError
        See :func:`gametheory_regen.dynamics.sde.integrate_paths`.

    Examples
    --------
    Matching pennies has an interior centre (1/2, 1/2); multiplicative noise on the simplex
    leaves the median near it for a short time:

    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> r = simulate_noise(gr.Game.builtin("matching_pennies"), [0.5, 0.5], 1.0,
    ...                    Noise(0.2, paths=200, backend="numpy"), n_points=3)
    >>> r.times.tolist(), bool(abs(r.quantiles[2, -1, 0] - 0.5) < 0.1)
    ([0.0, 0.5, 1.0], True)
    """
    from gametheory_regen.dynamics.field import REPLICATOR
    from gametheory_regen.dynamics.sde import LEFT, Noise, check_noise_form, integrate_paths

    from .batch import initial_states

    noise = Noise() if noise is None else noise
    pay, fn, counts, pops, strats, values, scheds, _ = _numeric(game, schedules)
    dyn = dynamics if dynamics is not None else getattr(game, "dynamics", None) or REPLICATOR
    check_noise_form(counts, noise.form, pops)
    x0 = initial_states(initial, counts, pops, strats)
    if x0.shape[0] != 1:
        raise GameInputError(f"simulate takes one starting state; got {x0.shape[0]}")
    if not (np.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    rp = (default_rest_points(_game_at(game, scheds, float(t_end)), counts, dyn)
          if rest_points is None else np.atleast_2d(np.asarray(rest_points, dtype=float)))
    res = integrate_paths(pay, x0[0], counts, float(t_end), noise, dynamics=dyn,
                          n_points=n_points, progress=progress, expected_at=fn)
    q, inside = _summarise(res.output)
    ok = res.status != LEFT
    cnt, ns = classify_paths(res.final, ok, rp)
    return NoiseResult(pops, strats, res.times, q, inside, rp, cnt, ns,
                       int(np.count_nonzero(~ok)), x0[0], values, float(t_end), res.n_steps,
                       noise, dyn, res.backend, scheds)


@dataclass(frozen=True)
class NoiseSweep:
    """Outcome probabilities against the noise intensity (``sweep --vary noise=...``).

    Attributes
    ----------
    sigmas : numpy.ndarray
        ``(S,)`` noise intensities.
    rest_points : numpy.ndarray
        ``(r, N)``.
    counts : numpy.ndarray
        ``(S, r + 2)`` paths per rest point, then not settled, then left [0, 1].
    starts : numpy.ndarray
        ``(s, N)`` the starts, used round-robin by the paths (the same paths, with the same
        random numbers, at every sigma: common random numbers).
    populations, strategies, parameters, t_end, n_steps, noise, dynamics, backend, schedules
        As :class:`NoiseResult` (``noise.sigma`` is unused).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> sw = noise_sweep(gr.Game.builtin("hawk_dove"), [0.0, 0.5], [0.5, 0.5], 10.0,
    ...                  Noise(paths=32, backend="numpy"))
    >>> sw.shares().shape, sw.shares()[0].tolist()   # sigma = 0 stays at the interior saddle
    ((2, 7), [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    >>> float(sw.shares()[1, 4]) < 0.1   # with noise the paths leave it
    True
    """

    sigmas: np.ndarray
    rest_points: np.ndarray
    counts: np.ndarray
    starts: np.ndarray
    populations: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    parameters: dict
    t_end: float
    n_steps: int
    noise: object
    dynamics: object
    backend: str
    schedules: tuple = ()

    def shares(self) -> np.ndarray:
        """``(S, r + 2)`` shares of paths (rows sum to 1).

        >>> import gametheory_regen as gr
        >>> from gametheory_regen.dynamics.sde import Noise
        >>> sw = noise_sweep(np.zeros((2, 2, 2)), [0.0], [0.5, 0.5], 1.0,
        ...                  Noise(paths=4, backend="numpy"))
        >>> sw.shares().sum(axis=1).tolist()
        [1.0]
        """
        return self.counts / float(self.noise.paths)

    def intervals(self, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Wilson intervals of :meth:`shares` (Wilson 1927).

        Parameters
        ----------
        confidence : float
            Default 0.95.

        >>> from gametheory_regen.dynamics.sde import Noise
        >>> sw = noise_sweep(np.zeros((2, 2, 2)), [0.0], [0.5, 0.5], 1.0,
        ...                  Noise(paths=4, backend="numpy"))
        >>> [a.shape for a in sw.intervals()]
        [(1, 6), (1, 6)]
        """
        from .basins import wilson_interval

        return wilson_interval(self.counts, self.noise.paths, confidence)


def noise_sweep(game, sigmas: Sequence[float], starts, t_end: float = 50.0, noise=None, *,
                dynamics=None, rest_points=None, schedules=None,
                progress: Callable[[int, int], None] | None = None) -> NoiseSweep:
    """The probability of each outcome at ``t_end`` for every noise intensity in ``sigmas``.

    All intensities run in one batch of ``len(sigmas) * noise.paths`` paths; path ``i`` of
    every intensity uses the same start and the same random numbers (common random numbers),
    so the curves do not flicker from one sigma to the next.

    Parameters
    ----------
    game : Game or array_like
    sigmas : sequence of float
        Each finite and >= 0.
    starts : array_like
        ``(N,)`` one start, or ``(s, N)`` starts used round-robin.
    t_end : float
    noise : Noise
        form, scheme, dt, paths, seed, backend (``sigma`` unused).
    dynamics, rest_points, schedules, progress
        As :func:`simulate_noise`.

    Returns
    -------
    NoiseSweep

    Examples
    --------
    See :class:`NoiseSweep`.

    >>> from gametheory_regen.dynamics.sde import Noise
    >>> noise_sweep(np.zeros((2, 2, 2)), [-1.0], [0.5, 0.5], 1.0, Noise(paths=2))
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --vary noise: expected finite values >= 0; got -1.0
    """
    from dataclasses import replace

    from gametheory_regen.dynamics.field import REPLICATOR
    from gametheory_regen.dynamics.sde import LEFT, Noise, check_noise_form, integrate_paths

    from .batch import as_full_states

    noise = Noise() if noise is None else noise
    sig = np.asarray(sigmas, dtype=float).ravel()
    bad = sig[~(np.isfinite(sig) & (sig >= 0))]
    if bad.size or sig.size == 0:
        raise GameInputError(f"--vary noise: expected finite values >= 0; got "
                             f"{bad[0] if bad.size else 'none'}")
    pay, fn, counts, pops, strats, values, scheds, _ = _numeric(game, schedules)
    dyn = dynamics if dynamics is not None else getattr(game, "dynamics", None) or REPLICATOR
    check_noise_form(counts, noise.form, pops)
    x0 = as_full_states(starts, counts)
    if not (np.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    rp = (default_rest_points(_game_at(game, scheds, float(t_end)), counts, dyn)
          if rest_points is None else np.atleast_2d(np.asarray(rest_points, dtype=float)))
    from gametheory_regen import limits

    m1 = noise.paths
    S = sig.size
    total = limits.check_count("--paths x noise values", m1 * S, "paths",
                               "give fewer --paths or fewer noise values")
    # path j of sigma s is row s * m1 + j; its start is x0[j % len(x0)]
    starts_all = np.tile(x0[np.arange(m1) % x0.shape[0]], (S, 1))
    pidx = np.repeat(np.arange(S), m1)
    big = replace(noise, paths=total)
    tensors = None if pay is None else np.repeat(pay.reshape(1, len(counts), -1), S, axis=0)
    res = integrate_paths(tensors, starts_all, counts, float(t_end), big, sigmas=sig,
                          payoff_index=pidx, dynamics=dyn, n_points=2, streams=m1,
                          progress=progress, expected_at=fn)
    ok = res.status != LEFT
    rows = []
    for s in range(S):
        sl = slice(s * m1, (s + 1) * m1)
        cnt, ns = classify_paths(res.final[sl], ok[sl], rp)
        rows.append(np.concatenate([cnt, [ns, np.count_nonzero(~ok[sl])]]))
    return NoiseSweep(sig, rp, np.array(rows, dtype=np.int64), x0, pops, strats, values,
                      float(t_end), res.n_steps, noise, dyn, res.backend, scheds)

r"""Batch simulation: many replicator trajectories at once, each end state classified.

Mathematics
-----------
For a game with payoff tensors :math:`a_p(s)` the multi-population replicator dynamics

.. math::  \dot x_{pi} = x_{pi}\,(u_{pi}(x) - \bar u_p(x))

is integrated from many starting states (see :mod:`gametheory_regen.dynamics.kernels` for the
integrator). A trajectory reaches a strict Nash vertex :math:`s` when it enters the box
:math:`\max_q (1 - x_{q s_q}) \le r_s` in which every payoff difference
:math:`u_{pj} - u_{p s_p}` (:math:`j \ne s_p`) keeps its negative sign at :math:`s`; the box is
forward invariant and every trajectory in it converges to :math:`s`
(:func:`gametheory_regen.dynamics.kernels.vertex_boxes` computes :math:`r_s` from the payoff
tensors). Such a trajectory is stopped and its end state is :math:`s`. Any other trajectory
*settles* when :math:`\max_i |\dot x_i|` falls below ``settle_tol`` away from every vertex, and
reached known non-vertex rest point :math:`r_j` when :math:`\|x - r_j\|_\infty <` ``match_tol``.
Otherwise its outcome is ``-1`` (*not settled*: still moving at the horizon, e.g. on a cycle,
drifting slowly near a non-hyperbolic point or a vertex that is not strict Nash, or at rest
somewhere that is not among the given rest points). An end state is never snapped to the nearest
vertex.

Vertices and their eigenvalues
------------------------------
At the vertex of pure profile :math:`s = (i_1, \dots, i_n)` the Jacobian of the reduced system
is block triangular and its eigenvalues are the payoff differences
:math:`a_p(j, s_{-p}) - a_p(i_p, s_{-p})` for every population :math:`p` and every strategy
:math:`j \ne i_p` (Hofbauer & Sigmund 1998, sec. 10.3). The vertex is asymptotically stable iff
all are negative, i.e. iff :math:`s` is a strict Nash equilibrium; in multi-population
replicator dynamics these are the only asymptotically stable rest points (Selten 1980;
Ritzberger & Vogelsberger 1990). :func:`vertex_eigenvalues` evaluates them vectorised over many
parameter points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError, ParameterError, StateError

__all__ = [
    "NOT_SETTLED",
    "BatchResult",
    "Simulation",
    "integrate_batch",
    "classify_end_states",
    "simulate",
    "vertex_states",
    "vertex_eigenvalues",
    "stable_vertices",
    "as_full_states",
    "split_payoffs",
]

#: Outcome code of a trajectory that did not settle at a known rest point.
NOT_SETTLED = -1


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------


def split_payoffs(payoffs, counts: Sequence[int] | None = None):
    """Normalise payoffs to ``(P, n, k_1, ..., k_n)`` and return them with the strategy counts.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k_1, ..., k_n)`` (one game) or ``(P, n, k_1, ..., k_n)`` (one per parameter set).
    counts : sequence of int, optional
        Strategies per population; needed only when the shape is ambiguous (a single game is
        assumed when ``ndim - 1 == shape[0]``).

    Returns
    -------
    payoffs : numpy.ndarray
        ``(P, n, k_1, ..., k_n)``.
    counts : tuple of int
        Strategies per population, ``(k_1, ..., k_n)``.

    Raises
    ------
    GameInputError
        A shape that fits neither form (or not ``counts``), or fewer than two populations.
    ParameterError
        A payoff that is NaN or infinite.

    Examples
    --------
    One two-population game gains a leading parameter-set axis:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> pay, counts = split_payoffs(np.stack([A, A]))
    >>> pay.shape, counts
    ((1, 2, 2, 2), (2, 2))

    Three such games stacked have shape ``(3, 2, 2, 2)``, which is also the shape of one game
    of three two-strategy populations; without ``counts`` the single game is assumed:

    >>> stacked = np.stack([np.stack([A, A])] * 3)
    >>> split_payoffs(stacked)[0].shape, split_payoffs(stacked)[1]
    ((1, 3, 2, 2, 2), (2, 2, 2))
    >>> split_payoffs(stacked, counts=(2, 2))[0].shape
    (3, 2, 2, 2)
    """
    arr = np.asarray(payoffs, dtype=float)
    if counts is not None:
        counts = tuple(int(c) for c in counts)
        n = len(counts)
        if arr.shape == (n, *counts):
            arr = arr[None]
        elif arr.ndim != n + 2 or arr.shape[1:] != (n, *counts):
            raise GameInputError(
                f"payoffs must have shape ({n}, {', '.join(map(str, counts))}) or "
                f"(m, {n}, {', '.join(map(str, counts))}); got {arr.shape}"
            )
    else:
        if arr.ndim >= 3 and arr.ndim - 1 == arr.shape[0]:
            arr = arr[None]
        if arr.ndim < 4 or arr.ndim - 2 != arr.shape[1]:
            raise GameInputError(
                "payoffs must have shape (n_pops, k_1, ..., k_n) or (m, n_pops, k_1, ..., k_n) "
                f"with at least two populations; got {arr.shape}"
            )
        counts = tuple(int(c) for c in arr.shape[2:])
    if not np.all(np.isfinite(arr)):
        raise ParameterError("payoffs must be finite numbers; got NaN or infinity")
    return arr, counts


def as_full_states(initial, counts: Sequence[int], *, tol: float = 1e-9) -> np.ndarray:
    """Starting states as full shares ``(m, N)``, checked to lie on the simplices.

    Parameters
    ----------
    initial : array_like
        ``(m, N)`` full shares, ``(N,)`` one state, or, when every population has two
        strategies, ``(m, n)`` / ``(n,)`` shares of each population's first strategy.
    counts : sequence of int
    tol : float
        Allowed deviation of a population's shares from summing to one.

    Raises
    ------
    StateError
        Wrong length, negative shares, or shares that do not sum to one.

    Examples
    --------
    >>> as_full_states([0.25, 0.5], (2, 2)).tolist()
    [[0.25, 0.75, 0.5, 0.5]]
    """
    counts = tuple(int(c) for c in counts)
    n, N = len(counts), sum(counts)
    x = np.atleast_2d(np.asarray(initial, dtype=float))
    if x.shape[1] == n and N == 2 * n and N != n:
        full = np.empty((x.shape[0], N))
        full[:, 0::2] = x
        full[:, 1::2] = 1.0 - x
        x = full
    if x.ndim != 2 or x.shape[1] != N:
        raise StateError(
            f"initial states must have {N} shares per state (populations with {counts} "
            f"strategies){' or one first-strategy share per population' if N == 2 * n else ''}; "
            f"got shape {np.shape(initial)}"
        )
    if not np.isfinite(x).all() or (x < -tol).any():
        raise StateError("initial shares must be finite and non-negative")
    off = np.concatenate([[0], np.cumsum(counts)])
    if x.shape[0] == 0:
        return x.copy()
    sums = np.add.reduceat(x, off[:-1], axis=1)  # (m, n): every population's sum in one pass
    bad = np.abs(sums - 1.0) > tol
    if bad.any():
        state, q = (int(v[0]) for v in np.nonzero(bad))
        raise StateError(
            f"the shares of population {q} must sum to 1; state {state} sums to "
            f"{float(sums[state, q])!r}"
        )
    x = np.clip(x, 0.0, None)
    x /= np.repeat(np.add.reduceat(x, off[:-1], axis=1), counts, axis=1)
    return x


# ---------------------------------------------------------------------------------------------
# vertices
# ---------------------------------------------------------------------------------------------


def vertex_states(counts: Sequence[int]) -> np.ndarray:
    """Full states of all pure profiles, C order of profiles: ``(prod k, sum k)``.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    numpy.ndarray
        Row ``s`` is the vertex of the pure profile with flat index ``s``.

    Examples
    --------
    >>> vertex_states((2, 2)).tolist()[1]
    [1.0, 0.0, 0.0, 1.0]
    """
    from gametheory_regen.dynamics.kernels import layout_of

    lay = layout_of(counts)
    V = np.zeros((lay.n_profiles, lay.n_state))
    for q in range(lay.n_pops):
        V[np.arange(lay.n_profiles), lay.offsets[q] + lay.profiles[:, q]] = 1.0
    return V


def vertex_eigenvalues(payoffs, counts: Sequence[int] | None = None) -> np.ndarray:
    """Eigenvalues at every vertex, vectorised over parameter sets.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k...)`` or ``(P, n, k...)``.
    counts : sequence of int, optional
        See :func:`split_payoffs`.

    Returns
    -------
    numpy.ndarray
        ``(P, K, D)`` with ``K = prod k`` vertices in C order of profiles and
        ``D = sum(k - 1)``: for population ``p`` (in order) and each strategy ``j != i_p``
        (in order), ``payoffs[p][j, s_-p] - payoffs[p][s]``.

    Examples
    --------
    Coordination game, payoff 1 on the diagonal (two populations):

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_eigenvalues(np.stack([A, A.T]))[0].tolist()
    [[-1.0, -1.0], [1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]
    """
    pay, counts = split_payoffs(payoffs, counts)
    P, n = pay.shape[0], len(counts)
    K = int(np.prod(counts))
    grids = np.indices(counts).reshape(n, -1)  # (n, K)
    cols = []
    for p in range(n):
        Tp = pay[:, p].reshape(P, K)
        own = Tp  # payoff at the vertex itself
        for r in range(counts[p] - 1):
            # the r-th strategy other than i_p
            j = np.where(r < grids[p], r, r + 1)
            alt = grids.copy()
            alt[p] = j
            flat = np.ravel_multi_index(tuple(alt), counts)
            cols.append(Tp[:, flat] - own)
    return np.stack(cols, axis=2)


def stable_vertices(payoffs, counts: Sequence[int] | None = None) -> np.ndarray:
    """Which vertices are asymptotically stable (= strict Nash): ``(P, K)`` bool.

    A vertex with a zero eigenvalue (non-hyperbolic) is never called stable.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k...)`` or ``(P, n, k...)``.
    counts : sequence of int, optional
        See :func:`split_payoffs`.

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` bool, vertices in C order of profiles (as :func:`vertex_states`): every
        eigenvalue of :func:`vertex_eigenvalues` is negative.

    Examples
    --------
    Role-asymmetric hawk-dove (V = 2, C = 4; strategies hawk, dove): only (hawk, dove) and
    (dove, hawk) are strict Nash. With all payoffs zero every eigenvalue is 0 and no vertex
    is stable:

    >>> import numpy as np
    >>> A = np.array([[-1., 2.], [0., 1.]])        # A[own, other]
    >>> stable_vertices(np.stack([A, A.T])).tolist()   # payoffs[p][owner's, intruder's]
    [[False, True, True, False]]
    >>> stable_vertices(np.zeros((2, 2, 2))).tolist()
    [[False, False, False, False]]
    """
    return np.all(vertex_eigenvalues(payoffs, counts) < 0.0, axis=2)


# ---------------------------------------------------------------------------------------------
# batch integration
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    """End states of many trajectories and what they reached.

    Attributes
    ----------
    final : numpy.ndarray
        ``(m, N)`` state where each trajectory stopped.
    time : numpy.ndarray
        ``(m,)`` time at which it stopped: when it settled, or ``t_end``.
    settled : numpy.ndarray
        ``(m,)`` bool: it reached the invariant box of a strict Nash vertex (see ``vertex``),
        or its velocity fell below ``settle_tol`` away from every vertex.
    velocity : numpy.ndarray
        ``(m,)`` ``max_i |dx_i/dt|`` at the final state.
    outcome : numpy.ndarray
        ``(m,)`` int: index into ``rest_points`` of the rest point reached, or
        :data:`NOT_SETTLED` (``-1``).
    steps, rejected : numpy.ndarray
        Accepted and rejected steps per trajectory.
    gave_up : numpy.ndarray
        ``(m,)`` bool: stopped by ``max_steps``.
    counts : tuple of int
        Strategies per population.
    rest_points : numpy.ndarray or None
        ``(r, N)`` the rest points matched against.
    method : str
        ``"dopri5"`` or ``"rk4"``.
    rtol, atol : float
        Tolerances (adaptive method).
    dt : float or None
        Step (``"rk4"``).
    t_start, t_end : float
        Horizon.
    settle_tol, match_tol : float
        Velocity threshold of settling; sup-norm distance to match a rest point.
    backend : str
        ``"numba"`` or ``"numpy"``.
    vertex : numpy.ndarray or None
        ``(m,)`` flat profile index (C order, as :func:`vertex_states`) of the strict Nash
        vertex reached, -1 for none. A trajectory stopped in the vertex's invariant box has
        that vertex as ``final``; one that entered it only by ``t_end`` keeps its integrated
        state.
    integrator : Integrator
        All integration settings (``method`` ... ``backend`` above repeat some of them).
    dynamics : Dynamics
        The dynamics integrated.

    Examples
    --------
    Hawk-dove (V = 2, C = 4) from three starts (hawk shares of owner and intruder): two are
    stopped in the invariant boxes of the strict Nash vertices (hawk, dove) and (dove, hawk);
    the third starts at the interior saddle (1/2, 1/2), does not move, and settles there.

    >>> import numpy as np
    >>> A = np.array([[-1., 2.], [0., 1.]])
    >>> rp = np.vstack([vertex_states((2, 2)), [[0.5, 0.5, 0.5, 0.5]]])
    >>> res = integrate_batch(np.stack([A, A.T]), [[0.9, 0.2], [0.3, 0.6], [0.5, 0.5]], 50.0,
    ...                       rest_points=rp, backend="numpy")
    >>> res.final.tolist()
    [[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0], [0.5, 0.5, 0.5, 0.5]]
    >>> res.outcome.tolist(), res.vertex.tolist(), res.settled.tolist()
    ([1, 2, 4], [1, 2, -1], [True, True, True])
    >>> bool(np.all(res.time < res.t_end)), res.gave_up.tolist(), res.counts, res.backend
    (True, [False, False, False], (2, 2), 'numpy')
    """

    final: np.ndarray
    time: np.ndarray
    settled: np.ndarray
    velocity: np.ndarray
    outcome: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    gave_up: np.ndarray
    counts: tuple[int, ...]
    rest_points: np.ndarray | None
    method: str
    rtol: float
    atol: float
    dt: float | None
    t_start: float
    t_end: float
    settle_tol: float
    match_tol: float
    backend: str
    vertex: np.ndarray | None = None
    integrator: object = None
    dynamics: object = None


def _vertex_profile(rest_points: np.ndarray, counts: Sequence[int]) -> np.ndarray:
    """Flat profile index of each rest point that is a vertex, else -1."""
    V = vertex_states(counts)
    out = np.full(rest_points.shape[0], -1, dtype=np.int64)
    for j in range(rest_points.shape[0]):
        hit = np.flatnonzero(np.all(V == rest_points[j], axis=1))
        if hit.size:
            out[j] = hit[0]
    return out


def classify_end_states(final, settled, rest_points, match_tol: float, *, vertex=None,
                        counts: Sequence[int] | None = None) -> np.ndarray:
    """Index of the rest point each trajectory reached, or -1.

    A vertex among ``rest_points`` is reached only when the trajectory entered the
    forward-invariant box of that vertex (``vertex``, see
    :func:`gametheory_regen.dynamics.kernels.vertex_boxes`); such a vertex is a strict Nash
    equilibrium. Being merely near a vertex counts for nothing: close to a vertex every
    velocity is small, and a vertex that is not strict Nash need not be approached at all.
    Any other rest point is reached when the trajectory settled (velocity below the settling
    tolerance, away from vertices) within ``match_tol`` of it.

    Parameters
    ----------
    final : numpy.ndarray
        ``(m, N)`` end states.
    settled : numpy.ndarray
        ``(m,)`` bool: velocity below the settling tolerance.
    rest_points : numpy.ndarray or None
        ``(r, N)`` known rest points.
    match_tol : float
        Largest sup-norm distance to count as "at" a non-vertex rest point.
    vertex : numpy.ndarray, optional
        ``(m,)`` flat profile index of the strict Nash vertex whose invariant box each
        trajectory reached, -1 for none (default: none reached).
    counts : sequence of int, optional
        Strategies per population (needed to recognise vertices; default: all two).

    Returns
    -------
    numpy.ndarray
        ``(m,)`` int; ``-1`` for trajectories at no given rest point.

    Examples
    --------
    >>> import numpy as np
    >>> rp = np.array([[1., 0., 1., 0.], [0., 1., 0., 1.], [.5, .5, .5, .5]])
    >>> fin = np.array([[1., 0., 1 - 1e-9, 1e-9], [1., 0., 1., 0.], [0.5, 0.5, 0.5, 0.5]])
    >>> classify_end_states(fin, np.array([True, True, True]), rp, 1e-6,
    ...                     vertex=np.array([-1, 0, -1])).tolist()
    [-1, 0, 2]
    """
    final = np.asarray(final, dtype=float)
    m = final.shape[0]
    out = np.full(m, NOT_SETTLED, dtype=np.int64)
    if rest_points is None or len(rest_points) == 0:
        return out
    rp = np.asarray(rest_points, dtype=float)
    if counts is None:
        counts = (2,) * (final.shape[1] // 2)
    vprof = _vertex_profile(rp, counts)
    vtx = np.full(m, -1, dtype=np.int64) if vertex is None else np.asarray(vertex, np.int64)
    for j in np.flatnonzero(vprof >= 0):
        out[vtx == vprof[j]] = j
    other = np.flatnonzero(vprof < 0)
    if other.size:
        best = np.full(m, np.inf)
        arg = np.full(m, NOT_SETTLED, dtype=np.int64)
        for j in other:
            d = np.max(np.abs(final - rp[j]), axis=1)
            better = d < best
            best[better] = d[better]
            arg[better] = j
        ok = np.asarray(settled, dtype=bool) & (best < match_tol) & (vtx < 0)
        out[ok] = arg[ok]
    return out


def integrate_batch(
    payoffs,
    initial,
    t_end: float,
    *,
    rest_points=None,
    counts: Sequence[int] | None = None,
    payoff_index=None,
    pieces=None,
    t_start: float = 0.0,
    integrator=None,
    dynamics=None,
    **settings,
) -> BatchResult:
    """Integrate many trajectories and classify where each ends.

    Parameters
    ----------
    payoffs : array_like
        ``(n, k...)`` one game for all trajectories, or ``(P, n, k...)`` parameter sets (row
        ``i`` uses set ``i`` when ``P == m``, else set ``payoff_index[i]``).
    initial : array_like
        Starting states, see :func:`as_full_states`.
    t_end : float
        Horizon (model time units).
    rest_points : array_like, optional
        ``(r, N)`` known rest points to classify against.
    counts : sequence of int, optional
        Strategies per population (only to disambiguate the payoff shape).
    payoff_index : array_like, optional
        ``(m,)`` parameter-set index of each trajectory.
    pieces : sequence of Piece, optional
        Time-varying payoffs (from :func:`gametheory_regen.dynamics.schedules.payoff_pieces`);
        replaces ``payoffs`` for the integration.
    t_start : float
    integrator : Integrator, optional
        How to integrate (:class:`~gametheory_regen.dynamics.integrator.Integrator`; its
        defaults are the engine's). ``vertex_tol``: a trajectory in the invariant box of a
        strict Nash vertex stops once the distance to the vertex it is proven to have at
        ``t_end`` is at most ``vertex_tol``; ``numpy.inf`` stops on entering the box, which is
        enough when only the attractor matters (basins and sweeps use it). ``settle_tol``:
        velocity below which a trajectory away from every vertex counts as settled.
        ``match_tol``: sup-norm distance to a rest point to count as having reached it.
    dynamics : Dynamics, optional
        The dynamics integrated (default: the replicator).
    **settings
        Individual settings of the integrator (``rtol=1e-6``, ``backend="numpy"``, ...),
        overriding ``integrator``'s.

    Returns
    -------
    BatchResult

    Examples
    --------
    Two populations playing a coordination game reach one of its two strict equilibria:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> res = integrate_batch(np.stack([A, A]), [[0.8, 0.7], [0.2, 0.3]], 100.0,
    ...                       rest_points=vertex_states((2, 2)), backend="numpy")
    >>> res.outcome.tolist()        # vertex 0 = (first, first), vertex 3 = (second, second)
    [0, 3]
    """
    from gametheory_regen.dynamics.field import REPLICATOR
    from gametheory_regen.dynamics.integrator import as_integrator
    from gametheory_regen.dynamics.kernels import SETTLED, Piece, integrate_pieces

    integ = as_integrator(integrator, **settings)
    dyn = REPLICATOR if dynamics is None else dynamics
    pay, counts = split_payoffs(payoffs, counts)
    x0 = as_full_states(initial, counts)
    if not (np.isfinite(t_end) and t_end > t_start):
        raise GameInputError(f"t_end must be a number greater than t_start={t_start}; got {t_end}")
    P = pay.shape[0]
    m = x0.shape[0]
    if payoff_index is None:
        if P not in (1, m):
            raise GameInputError(
                f"{P} payoff sets for {m} trajectories: give one set, one per trajectory, or "
                "payoff_index"
            )
        pidx = np.arange(m) if (P == m and P > 1) else np.zeros(m, dtype=np.int64)
    else:
        pidx = np.asarray(payoff_index, dtype=np.int64)
        if pidx.shape != (m,) or (m and (pidx.min() < 0 or pidx.max() >= P)):
            raise GameInputError(f"payoff_index must be {m} indices into {P} payoff sets")
    if pieces is None:
        K = int(np.prod(counts))
        pieces = [Piece(float(t_start), float(t_end), pay.reshape(P, len(counts), K))]
    rp = None if rest_points is None else np.atleast_2d(np.asarray(rest_points, dtype=float))
    kr = integrate_pieces(pieces, x0, counts, payoff_index=pidx, integrator=integ,
                          dynamics=dyn)
    settled = (kr.status == SETTLED) | (kr.vertex >= 0)
    outcome = classify_end_states(kr.state, kr.status == SETTLED, rp, integ.match_tol,
                                  vertex=kr.vertex, counts=counts)
    return BatchResult(
        final=kr.state, time=kr.time, settled=settled, velocity=kr.velocity, outcome=outcome,
        steps=kr.steps, rejected=kr.rejected, gave_up=kr.status == 2, counts=counts,
        rest_points=rp, method=integ.method, rtol=integ.rtol, atol=integ.atol, dt=integ.dt,
        t_start=float(t_start), t_end=float(t_end), settle_tol=integ.settle_tol,
        match_tol=integ.match_tol, backend=kr.backend, vertex=kr.vertex, integrator=integ,
        dynamics=dyn,
    )


# ---------------------------------------------------------------------------------------------
# one trajectory as a time series
# ---------------------------------------------------------------------------------------------


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
        box of a strict Nash vertex (the path is integrated on to ``t_end``); ``None``: neither.
    settled_state : numpy.ndarray or None
        The rest point reached: the state at ``settled_time``, or the strict Nash vertex.
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


def initial_states(initial, counts: Sequence[int], populations: Sequence[str] | None = None,
                   strategies: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """Starting states from arrays (:func:`as_full_states`) or a mapping by population name.

    A mapping gives, for every population, either the share of its first strategy (the rest
    split evenly among the others, as the command line's ``--initial POP=SHARE``) or all of its
    shares.

    Parameters
    ----------
    initial : array_like or mapping
        See :func:`as_full_states`, or ``{population: share or [shares]}``.
    counts : sequence of int
    populations, strategies : sequences of names, optional
        Needed for a mapping.

    Returns
    -------
    numpy.ndarray
        ``(m, N)`` full shares (``m = 1`` for a mapping).

    Raises
    ------
    GameInputError
        An unknown or missing population name.
    StateError
        A share that is not a number in [0, 1], or shares that do not sum to one.

    Examples
    --------
    >>> initial_states({"owner": 0.3, "intruder": 0.6}, (2, 2), ["owner", "intruder"],
    ...                [["hawk", "dove"], ["hawk", "dove"]]).tolist()
    [[0.3, 0.7, 0.6, 0.4]]
    """
    if not isinstance(initial, Mapping):
        return as_full_states(initial, counts)
    if populations is None:
        raise GameInputError("a mapping of starting shares needs a game with named populations")
    known = ", ".join(populations)
    unknown = [k for k in initial if k not in populations]
    if unknown:
        raise GameInputError(f"initial: unknown population {unknown[0]!r}; known: {known}")
    missing = [p for p in populations if p not in initial]
    if missing:
        raise GameInputError(f"initial: give a start for every population; missing "
                             f"{', '.join(missing)} (known: {known})")
    rows = []
    for name, k in zip(populations, counts, strict=True):
        value = initial[name]
        try:
            shares = ([float(value)] if np.ndim(value) == 0
                      else [float(v) for v in value])
        except (TypeError, ValueError):
            raise StateError(f"initial {name}: {value!r} is not a share or a list of shares"
                             ) from None
        if any(not (0.0 <= v <= 1.0) for v in shares):  # also refuses NaN
            raise StateError(f"initial {name}: shares must be numbers in [0, 1]; got {value!r}")
        if len(shares) == 1 and k > 1:
            shares = shares + [(1.0 - shares[0]) / (k - 1)] * (k - 1)
        if len(shares) != k:
            raise StateError(f"initial {name}: {k} strategies, so give the first strategy's "
                             f"share or all {k} shares; got {len(shares)}")
        rows.extend(shares)
    return as_full_states([rows], counts)


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
    if t_eval is None:
        from gametheory_regen import limits

        limits.check_count("simulate(n_points=)", n_points, "points")
        if int(n_points) < 2:
            raise GameInputError(f"n_points must be at least 2; got {n_points}")
        times = np.linspace(0.0, float(t_end), int(n_points))
    else:
        times = np.asarray(t_eval, dtype=float)
        if times.ndim != 1 or np.any(np.diff(times) <= 0) or times[0] < 0 or times[-1] > t_end:
            raise GameInputError("t_eval must be increasing times within [0, t_end]")
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
    return Simulation(
        populations=pops, strategies=strats, times=times, states=states, initial=x0[0],
        final=kr.state[0], settled_time=settled_time,
        settled_state=settled_state, parameters=dict(values),
        schedules=scheds, method=integ.method, rtol=integ.rtol, atol=integ.atol, dt=integ.dt,
        t_end=float(t_end), settle_tol=integ.settle_tol, backend=kr.backend, integrator=integ,
        dynamics=dyn,
    )

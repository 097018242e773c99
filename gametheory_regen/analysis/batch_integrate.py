r"""Batch integration: many replicator trajectories at once, each end state classified.

Mathematics
-----------
For a game with payoff tensors :math:`a_p(s)` the multi-population replicator dynamics

.. math::  \dot x_{pi} = x_{pi}\,(u_{pi}(x) - \bar u_p(x))

(or another dynamics of :mod:`gametheory_regen.dynamics.field`) is integrated from many
starting states, one payoff set per trajectory (see :mod:`gametheory_regen.dynamics.kernels` for
the integrator). A trajectory that enters the forward-invariant box of a strict Nash vertex
:math:`s` is stopped and its end state is :math:`s`; any other runs until its velocity falls
below ``settle_tol`` away from every vertex, or to the horizon. Where each ended is classified
against the known rest points by :func:`.batch_classify.classify_end_states` (the rules are in
that module's docstring).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

from .batch_classify import classify_end_states
from .batch_inputs import as_full_states, split_payoffs

__all__ = [
    "BatchResult",
    "integrate_batch",
]


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
    >>> from gametheory_regen.analysis.batch_vertices import vertex_states
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
    >>> from gametheory_regen.analysis.batch_vertices import vertex_states
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

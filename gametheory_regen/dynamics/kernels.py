r"""Batch integration of many trajectories: layout, pieces, the driver.

Mathematics
-----------
A game with :math:`n` populations, population :math:`p` having :math:`k_p` pure strategies, is
given numerically by its payoff tensor ``payoffs[p, s_1, ..., s_n]``: the payoff of population
:math:`p` at the pure profile :math:`(s_1, \dots, s_n)`. The state is the concatenation of the
populations' shares :math:`x_p \in \Delta_{k_p}` (length :math:`N = \sum_p k_p`). The vector
field (expected payoffs, then a dynamics: the replicator by default) is described in
:mod:`gametheory_regen.dynamics.field`; the integrator (any tableau of
:mod:`gametheory_regen.dynamics.methods`) in :mod:`gametheory_regen.dynamics.stepper`, its
reference implementation; :mod:`gametheory_regen.dynamics.backends` runs it in numpy or compiled.

Time-varying payoffs
--------------------
Integration proceeds piece by piece over :class:`Piece` objects; within a piece the payoff is
affine in time, ``A + (t - t_start) * B`` (``B`` may be absent), or given by a callable (numpy
backend). Pieces restart the integrator exactly at their ends, so discontinuities of a schedule
are never stepped over.

Early stopping
--------------
*Strict Nash vertices* (replicator and Fermi imitation). After every accepted step the state's
nearest vertex :math:`s` and its distance :math:`d = \max_q (1 - x_{q s_q})` are computed. If
:math:`d \le r_s`, the radius of a forward-invariant box around :math:`s`
(:func:`~gametheory_regen.dynamics.boxes.vertex_boxes`),
the trajectory converges to :math:`s`; it stops once its proven distance at the horizon
:math:`d\, e^{-\kappa(d)(T - t)}` (:func:`vertex_rates`) is at most ``vertex_tol``, with status
:data:`VERTEX` and its state set to the vertex. The box is the set where every payoff difference
:math:`D_{pj} = u_{pj} - u_{ps_p}` is negative. Under imitation,
:math:`\dot x_{ps_p} = x_{ps_p} \sum_{k} x_{pk} \tanh(-\beta D_{pk}/2) \ge 0` there too, so the
same box is forward invariant and every path in it converges to :math:`s` (each :math:`d_p`
decays at least like :math:`e^{-(1 - r)\tanh(\beta \min|D|/2)\, t}`); the rates
:math:`\kappa` are the replicator's, so under imitation a path stops on entering the box only
when ``vertex_tol`` is infinite (basins and sweeps) and otherwise runs to the horizon.

*Other rest points.* A trajectory *settles* when, after an accepted step, its speed
:math:`\max_i|\dot x_i|` is below ``settle_tol``, has not grown since the previous step, and the
state is at least :data:`NEAR_VERTEX` from every vertex. Only the last piece of a horizon stops
early, and only when its payoffs are constant.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .backends import BACKENDS, numba_available, resolve_backend
from .field import REPLICATOR, Dynamics, expected_payoffs_np, velocity_np
from .integrator import Integrator, as_integrator
from .boxes import (  # noqa: F401  (names of this module before the split)
    BOX_CAP,
    BOX_SAFETY,
    box_vertex,
    vertex_boxes,
    vertex_boxes_from_terms,
    vertex_rate_terms,
    vertex_rates,
)

__all__ = [
    "Layout",
    "Piece",
    "KernelResult",
    "RUNNING",
    "SETTLED",
    "MAX_STEPS",
    "VERTEX",
    "vertex_boxes",
    "vertex_rates",
    "vertex_rate_terms",
    "box_vertex",
    "check_payoffs",
    "layout_of",
    "replicator_rhs",
    "vector_field",
    "integrate_pieces",
    "numba_available",
    "resolve_backend",
]

#: Status codes of a trajectory (kernel level; :mod:`analysis.batch` turns them into words).
RUNNING = 0  #: reached the end of the horizon without settling
SETTLED = 1  #: velocity fell below ``settle_tol``
MAX_STEPS = 2  #: gave up after ``max_steps`` step attempts in one piece
VERTEX = 3  #: entered the invariant box of a strict Nash vertex (state set to the vertex)

#: sup-norm distance to a vertex within which velocity settling is not trusted (near a vertex
#: the velocity is small because shares are small, not because the state is at rest)
NEAR_VERTEX = 1e-3
#: a population's shares summing to 1 within this after a step need no recomputed derivative
SUM_TOL = 1e-13
#: largest payoff magnitude the numeric engine accepts (products and differences of payoffs
#: must stay far from overflow)
MAX_PAYOFF = 1e100

# ---------------------------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Index bookkeeping of a game's state vector and flattened payoff tensor.

    Attributes
    ----------
    counts : tuple of int
        Number of strategies of each population, ``(k_1, ..., k_n)``.
    offsets : numpy.ndarray
        ``offsets[p]`` is the index of population ``p``'s first share in the state vector;
        ``offsets[n] = N``.
    profiles : numpy.ndarray
        ``(K, n)`` integer array: row ``s`` is the pure profile with flat (C-order) index ``s``.

    Examples
    --------
    Two populations with two and three strategies (build it with :func:`layout_of`):

    >>> lay = layout_of((2, 3))
    >>> lay.counts, lay.offsets.tolist()
    ((2, 3), [0, 2, 5])
    >>> lay.profiles.tolist()
    [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]
    """

    counts: tuple[int, ...]
    offsets: np.ndarray
    profiles: np.ndarray

    @property
    def n_pops(self) -> int:
        """Number of populations, ``len(counts)``.

        >>> layout_of((2, 3)).n_pops, layout_of((2, 2, 2)).n_pops
        (2, 3)
        """
        return len(self.counts)

    @property
    def n_state(self) -> int:
        """Length of the full state vector, ``sum(counts)``.

        >>> layout_of((2, 3)).n_state, layout_of((2, 2, 2)).n_state
        (5, 6)
        """
        return int(self.offsets[-1])

    @property
    def n_profiles(self) -> int:
        """Number of pure profiles, ``prod(counts)``.

        >>> layout_of((2, 3)).n_profiles, layout_of((2, 2, 2)).n_profiles
        (6, 8)
        """
        return int(self.profiles.shape[0])

    @property
    def gather(self) -> np.ndarray:
        """``(K, n)`` state index of each profile's strategy of each population (the ``gather``
        of :func:`~gametheory_regen.dynamics.field.expected_payoffs_np`).

        >>> layout_of((2, 3)).gather.tolist()
        [[0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4]]
        """
        return self.profiles + self.offsets[:-1][None, :]


@functools.lru_cache(maxsize=64)
def _layout_cached(counts: tuple[int, ...]) -> Layout:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    grids = np.indices(counts).reshape(len(counts), -1).T.astype(np.int64)
    offsets.setflags(write=False)
    grids.setflags(write=False)
    return Layout(tuple(int(c) for c in counts), offsets, np.ascontiguousarray(grids))


def layout_of(counts) -> Layout:
    """Return the :class:`Layout` of a game with the given strategy counts.

    Parameters
    ----------
    counts : sequence of int
        Strategies per population, e.g. ``(2, 2, 2)``.

    Examples
    --------
    >>> lay = layout_of((2, 3))
    >>> lay.n_state, lay.n_profiles, lay.offsets.tolist()
    (5, 6, [0, 2, 5])
    """
    return _layout_cached(tuple(int(c) for c in counts))


# ---------------------------------------------------------------------------------------------
# pieces and results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A time interval on which the payoffs are given in closed form.

    Attributes
    ----------
    t_start, t_stop : float
        The interval; integration restarts exactly at ``t_start``.
    payoffs : numpy.ndarray
        Payoff tensors at ``t_start``, one per parameter set: ``(P, n, k_1, ..., k_n)`` (as
        :func:`~gametheory_regen.dynamics.schedules.payoff_pieces` makes them) or flattened
        to ``(P, n, K)``, ``K = k_1 * ... * k_n`` profiles in C order (as
        :func:`~gametheory_regen.analysis.batch.integrate_batch` makes them); the integrators
        reshape either form.
    slope : numpy.ndarray or None
        Time derivative of the payoffs on this piece (payoff affine in time), in either shape
        of ``payoffs`` with the same ``P``, or ``None`` for constant payoffs.
    payoff_at : callable or None
        For payoffs that are not affine in time: ``payoff_at(t, rows)`` returns
        ``(len(rows), n, k_1, ..., k_n)`` or ``(len(rows), n, K)``, with ``t`` the absolute
        times and ``rows`` the parameter-set indices. Numpy path only.
    expected_at : callable or None
        For payoffs that depend on the state: ``expected_at(t, x, rows)`` returns the expected
        payoff of every strategy, ``(len(rows), N)``, at full states ``x``; ``payoffs`` then
        only fixes the shape (no invariant vertex boxes are used). Such a piece must not change
        in time (it counts as constant, so trajectories may settle on it). Numpy path only.

    Examples
    --------
    A coordination game (payoff 1 on the diagonal, two populations), given in both shapes;
    the trajectories are the same:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> full = Piece(0.0, 50.0, np.stack([A, A])[None])        # (P, n, k_1, k_2)
    >>> flat = Piece(0.0, 50.0, full.payoffs.reshape(1, 2, 4))  # (P, n, K)
    >>> x0 = np.array([[0.7, 0.3, 0.6, 0.4], [0.3, 0.7, 0.2, 0.8]])
    >>> a = integrate_pieces([full], x0, (2, 2), backend="numpy")
    >>> b = integrate_pieces([flat], x0, (2, 2), backend="numpy")
    >>> a.state.tolist(), bool(np.array_equal(a.state, b.state) and np.array_equal(a.time, b.time))
    ([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]], True)
    """

    t_start: float
    t_stop: float
    payoffs: np.ndarray
    slope: np.ndarray | None = None
    payoff_at: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    expected_at: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None

    @property
    def constant(self) -> bool:
        """True when the payoffs do not change within the piece (no ``slope``, no callables).

        >>> import numpy as np
        >>> pay = np.zeros((1, 2, 2, 2))
        >>> Piece(0.0, 1.0, pay).constant, Piece(0.0, 1.0, pay, slope=np.ones_like(pay)).constant
        (True, False)
        """
        return self.slope is None and self.payoff_at is None


@dataclass(frozen=True)
class KernelResult:
    """Raw output of :func:`integrate_pieces`.

    Attributes
    ----------
    state : numpy.ndarray
        ``(m, N)`` final states (at ``time``).
    time : numpy.ndarray
        ``(m,)`` time at which each trajectory stopped (settling time or horizon).
    status : numpy.ndarray
        ``(m,)`` int: :data:`RUNNING` (reached the horizon), :data:`SETTLED`, :data:`MAX_STEPS`
        or :data:`VERTEX` (stopped in the invariant box of a strict Nash vertex).
    steps : numpy.ndarray
        ``(m,)`` accepted steps taken.
    rejected : numpy.ndarray
        ``(m,)`` rejected step attempts.
    velocity : numpy.ndarray
        ``(m,)`` ``max_i |dx_i/dt|`` at the final state.
    output : numpy.ndarray or None
        ``(m, T, N)`` states at the requested output times (cubic Hermite interpolation within
        steps, projected onto the simplices; after a trajectory settles, its settled state).
    backend : str
        ``"numba"`` or ``"numpy"``.
    vertex : numpy.ndarray or None
        ``(m,)`` flat profile index of the strict Nash vertex whose invariant box the
        trajectory was in when it stopped (status :data:`VERTEX`, or at the horizon), else -1.

    Examples
    --------
    A coordination game (payoff 1 on the diagonal, two populations): two trajectories are
    stopped at the strict Nash vertices 0 = (first, first) and 3 = (second, second); the one
    started at the interior rest point (1/2, 1/2) settles there.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> pc = Piece(0.0, 50.0, np.stack([A, A])[None])
    >>> x0 = np.array([[0.7, 0.3, 0.6, 0.4], [0.3, 0.7, 0.2, 0.8], [0.5, 0.5, 0.5, 0.5]])
    >>> res = integrate_pieces([pc], x0, (2, 2), backend="numpy")
    >>> res.status.tolist() == [VERTEX, VERTEX, SETTLED], res.vertex.tolist()
    (True, [0, 3, -1])
    >>> res.state.tolist(), res.output is None, res.backend
    ([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [0.5, 0.5, 0.5, 0.5]], True, 'numpy')

    With output times the trajectory is integrated to the horizon (status :data:`RUNNING`)
    and ``vertex`` still names the box it ends in:

    >>> res = integrate_pieces([pc], x0[:1], (2, 2), t_out=np.array([0.0, 10.0, 50.0]),
    ...                        backend="numpy")
    >>> res.status.tolist() == [RUNNING], res.vertex.tolist(), res.time.tolist()
    (True, [0], [50.0])
    >>> res.output.shape, res.output[0, 0].tolist()
    ((1, 3, 4), [0.7, 0.3, 0.6, 0.4])
    >>> bool(np.abs(res.output[0, 2] - [1.0, 0.0, 1.0, 0.0]).max() < 1e-9)
    True
    """

    state: np.ndarray
    time: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    velocity: np.ndarray
    output: np.ndarray | None
    backend: str
    vertex: np.ndarray | None = None


def check_payoffs(payoffs) -> None:
    """Refuse payoffs the numeric engine cannot integrate (not finite, or near overflow).

    Parameters
    ----------
    payoffs : array_like
        Payoff numbers of any shape; their magnitude must be at most :data:`MAX_PAYOFF`.

    Raises
    ------
    GameInputError
        Naming the largest magnitude found and how to fix it.

    Examples
    --------
    >>> check_payoffs([[1.0, -2.0]])
    >>> check_payoffs([[1e300]])
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: payoffs must be finite numbers of size at most 1e+100 for the numeric engine; got 1e+300: rescale the model's units (e.g. million yuan instead of yuan)
    """  # noqa: E501
    from gametheory_regen.errors import GameInputError

    arr = np.asarray(payoffs, dtype=float)
    if arr.size and not np.all(np.isfinite(arr)):
        raise GameInputError(
            "payoffs must be finite numbers for the numeric engine; some are infinite or not a "
            "number (a payoff with a pole at these parameter values, e.g. a division by zero): "
            "choose parameter values away from the pole"
        )
    big = float(np.max(np.abs(arr))) if arr.size else 0.0
    if big > MAX_PAYOFF:
        raise GameInputError(
            f"payoffs must be finite numbers of size at most {MAX_PAYOFF:g} for the numeric "
            f"engine; got {big:g}: rescale the model's units (e.g. million yuan instead of "
            "yuan)"
        )


# ---------------------------------------------------------------------------------------------
# the vector field, evaluated in numpy
# ---------------------------------------------------------------------------------------------


def vector_field(x: np.ndarray, payoffs: np.ndarray, counts, dynamics: Dynamics = REPLICATOR
                 ) -> np.ndarray:
    """Velocity of any dynamics for many states at once (numpy).

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states (full shares, populations concatenated).
    payoffs : numpy.ndarray
        ``(n, K)`` or ``(n, k_1, ..., k_n)`` for all rows, or ``(m, n, K)`` /
        ``(m, n, k_1, ..., k_n)`` one per row.
    counts : sequence of int
        Strategies per population.
    dynamics : Dynamics
        Default: the replicator.

    Returns
    -------
    numpy.ndarray
        ``(m, N)`` velocities; each population's block sums to zero.

    Examples
    --------
    Matching pennies at its centre is at rest under the replicator and under the Smith
    dynamics:

    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> x = np.array([[0.5, 0.5, 0.5, 0.5]])
    >>> vector_field(x, np.stack([A, -A]), (2, 2)).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    >>> vector_field(x, np.stack([A, -A]), (2, 2), Dynamics("smith")).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    """
    lay = layout_of(counts)
    x = np.atleast_2d(np.asarray(x, dtype=float))
    pay = np.asarray(payoffs, dtype=float)
    n, K = lay.n_pops, lay.n_profiles
    if pay.ndim == 1 + n or (pay.ndim == 2 and pay.shape == (n, K)):
        pay = pay.reshape(1, n, K)
    else:
        pay = pay.reshape(pay.shape[0], n, K)
    u = expected_payoffs_np(x, pay, lay.counts, lay.gather)
    return velocity_np(x, u, lay.offsets, dynamics.code, dynamics.param)


def replicator_rhs(x: np.ndarray, payoffs: np.ndarray, counts) -> np.ndarray:
    """Replicator velocity for many states at once (:func:`vector_field` with the replicator).

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states.
    payoffs : numpy.ndarray
        Payoff tensors, as :func:`vector_field` takes them.
    counts : sequence of int

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> replicator_rhs(np.array([[0.5, 0.5, 0.5, 0.5]]), np.stack([A, -A]), (2, 2)).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    """
    return vector_field(x, payoffs, counts)


# ---------------------------------------------------------------------------------------------
# the driver
# ---------------------------------------------------------------------------------------------


@dataclass
class Work:
    """The arrays a backend updates in place, and how to integrate (one batch).

    ``X`` (states), ``T`` (times), ``H`` (next step sizes), ``status``, ``steps``,
    ``rejected``, ``vel`` (speeds) and ``vtx`` (vertex boxes reached) have one row per
    trajectory; ``pidx`` is each trajectory's parameter set; ``out`` holds the states at the
    output times ``t_out`` (or is ``None``).

    Examples
    --------
    >>> w = Work.start(layout_of((2, 2)), Integrator(), REPLICATOR,
    ...                np.array([[0.5, 0.5, 0.2, 0.8]]), 0.0)
    >>> w.status.tolist(), w.out is None
    ([0], True)
    """

    layout: Layout
    integrator: Integrator
    dynamics: Dynamics
    X: np.ndarray
    T: np.ndarray
    H: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    vel: np.ndarray
    vtx: np.ndarray
    pidx: np.ndarray
    t_out: np.ndarray
    out: np.ndarray | None

    @classmethod
    def start(cls, layout, integrator, dynamics, X, t0, pidx=None, t_out=None) -> Work:
        """Fresh arrays for ``X.shape[0]`` trajectories starting at ``t0``.

        Parameters
        ----------
        layout : Layout
        integrator : Integrator
        dynamics : Dynamics
        X : numpy.ndarray
            ``(m, N)`` starting states (used in place).
        t0 : float
        pidx : numpy.ndarray, optional
            Parameter set of each trajectory (default: all 0).
        t_out : numpy.ndarray, optional
            Output times (default: none).

        Returns
        -------
        Work

        Examples
        --------
        >>> Work.start(layout_of((2,)), Integrator(), REPLICATOR, np.array([[1.0, 0.0]]),
        ...            0.0).T.tolist()
        [0.0]
        """
        m = X.shape[0]
        tq = np.zeros(0) if t_out is None else np.ascontiguousarray(t_out, dtype=float)
        out = None
        if t_out is not None:
            out = np.full((m, tq.size, layout.n_state), np.nan)
            out[:, tq <= t0, :] = X[:, None, :]
        return cls(layout, integrator, dynamics, X, np.full(m, float(t0)), np.zeros(m),
                   np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64),
                   np.zeros(m, dtype=np.int64), np.zeros(m), np.full(m, -1, dtype=np.int64),
                   np.zeros(m, dtype=np.int64) if pidx is None else pidx, tq, out)


@dataclass(frozen=True)
class Stops:
    """Early-stop data of one piece: all off (``settle_tol = 0``) where stopping is not allowed.

    Examples
    --------
    >>> Stops().settle_tol, Stops(1e-10).vertex_tol
    (0.0, inf)
    """

    settle_tol: float = 0.0
    vertex_tol: float = math.inf
    radii: np.ndarray | None = None
    rates: tuple[np.ndarray, np.ndarray] | None = field(default=None)


def integrate_pieces(
    pieces,
    x0: np.ndarray,
    counts,
    *,
    payoff_index: np.ndarray | None = None,
    integrator: Integrator | None = None,
    dynamics: Dynamics = REPLICATOR,
    t_out: np.ndarray | None = None,
    vertex_stop: bool = True,
    **settings,
) -> KernelResult:
    """Integrate many trajectories over consecutive pieces.

    Parameters
    ----------
    pieces : sequence of Piece
        Consecutive time intervals (``pieces[i].t_stop == pieces[i+1].t_start``).
    x0 : numpy.ndarray
        ``(m, N)`` starting states (each population's block on its simplex).
    counts : sequence of int
        Strategies per population.
    payoff_index : numpy.ndarray, optional
        ``(m,)`` index of each trajectory's parameter set in the pieces' payoff arrays
        (default: all use set 0, or row ``i`` uses set ``i`` when there are ``m`` sets).
    integrator : Integrator, optional
        Method, tolerances, early-stop settings, step budget and backend (default: the
        engine's defaults, :data:`~gametheory_regen.dynamics.integrator.DEFAULT`).
    dynamics : Dynamics
        The dynamics (default: the replicator). Vertex boxes are used by the replicator and
        imitation (see the module docstring).
    t_out : numpy.ndarray, optional
        Increasing output times within ``[pieces[0].t_start, pieces[-1].t_stop]``.
    vertex_stop : bool
        Stop a trajectory in the forward-invariant box of a strict Nash vertex once its proven
        error at the horizon is within ``integrator.vertex_tol`` (last piece, constant
        payoffs, no output times; replicator, or imitation with an infinite ``vertex_tol``).
        Either way (replicator, imitation), a final state in such a box is
        reported in ``KernelResult.vertex``.
    **settings
        Individual settings overriding ``integrator``'s (``rtol=1e-6``, ``backend="numpy"``).

    Returns
    -------
    KernelResult

    Raises
    ------
    GameInputError
        Payoffs that are not finite or too large (:func:`check_payoffs`), or starting states
        of the wrong width.

    Examples
    --------
    When strategy 0 of population 0 earns a constant 1 more than strategy 1, its share
    follows the logistic curve :math:`x(t) = x_0 e^t / (x_0 e^t + 1 - x_0)`; population 1,
    indifferent, stays where it is:

    >>> pay = np.zeros((1, 2, 2, 2)); pay[0, 0, 0, :] = 1.0
    >>> x0 = np.array([[0.2, 0.8, 0.5, 0.5]])
    >>> res = integrate_pieces([Piece(0.0, 3.0, pay)], x0, (2, 2))
    >>> exact = 0.2 * np.exp(3) / (0.2 * np.exp(3) + 0.8)
    >>> bool(abs(res.state[0, 0] - exact) < 1e-8), res.state[0, 2:].tolist()
    (True, [0.5, 0.5])
    >>> res.status.tolist() == [RUNNING], res.time.tolist(), res.vertex.tolist()
    (True, [3.0], [-1])

    Two pieces: the advantage grows as ``t`` on ``[0, 2]`` (a slope), then stays at 2 on
    ``[2, 3]``; the log-odds of the share grow by the integral of the advantage, 2 + 2 = 4:

    >>> pieces = [Piece(0.0, 2.0, np.zeros_like(pay), slope=pay), Piece(2.0, 3.0, 2 * pay)]
    >>> res = integrate_pieces(pieces, x0, (2, 2))
    >>> bool(abs(res.state[0, 0] - 1 / (1 + np.exp(-(np.log(0.2 / 0.8) + 4)))) < 1e-8)
    True

    A coordination game (payoff 1 on the diagonal) stops at a strict Nash vertex:

    >>> A = np.eye(2)
    >>> res = integrate_pieces([Piece(0.0, 50.0, np.stack([A, A])[None])],
    ...                        np.array([[0.3, 0.7, 0.2, 0.8]]), (2, 2))
    >>> res.status.tolist() == [VERTEX], res.vertex.tolist(), res.state.tolist()
    (True, [3], [[0.0, 1.0, 0.0, 1.0]])
    """
    from gametheory_regen.errors import GameInputError

    lay = layout_of(counts)
    integrator = as_integrator(integrator, **settings)
    if not isinstance(dynamics, Dynamics):
        raise GameInputError(f"dynamics must be a Dynamics; got {dynamics!r}")
    for pc in pieces:
        check_payoffs(pc.payoffs)
        if pc.slope is not None:
            check_payoffs(pc.slope)
    X = np.array(x0, dtype=float, order="C", copy=True)
    if X.ndim != 2 or X.shape[1] != lay.n_state:
        raise GameInputError(
            f"initial states must have shape (m, {lay.n_state}); got {np.shape(x0)}"
        )
    m = X.shape[0]
    from gametheory_regen import limits

    # the engine's own arrays: states, stages, output; refused before anything is allocated
    limits.check_allocation("trajectories", m, 8 * lay.n_state * 12,
                            "integrate the starts in several batches")
    if t_out is not None:
        limits.check_allocation("output times x trajectories", m * len(t_out),
                                8 * lay.n_state, "ask for fewer output times")
    be = resolve_backend(integrator.backend, m)
    P = pieces[0].payoffs.shape[0]
    if payoff_index is None:
        pidx = np.arange(m, dtype=np.int64) if (P == m and P > 1) else np.zeros(m, np.int64)
    else:
        pidx = np.ascontiguousarray(payoff_index, dtype=np.int64)
    work = Work.start(lay, integrator, dynamics, X, float(pieces[0].t_start), pidx, t_out)
    tq, out = work.t_out, work.out
    replicator = dynamics.kind == "replicator"
    # the boxes hold for the replicator and imitation; the rates only for the replicator
    boxed = replicator or dynamics.kind == "imitation"
    radii = None
    used = set()
    for i, pc in enumerate(pieces):
        final = i == len(pieces) - 1
        # Early stopping only on the last piece, and only when its payoffs are constant: a state
        # frozen on an earlier piece would enter the next one from the wrong place.
        stol = integrator.settle_tol if (final and pc.constant) else 0.0
        terms = None
        if final and pc.constant and boxed and pc.expected_at is None:
            terms = vertex_rate_terms(pc.payoffs, lay.counts)
            radii = vertex_boxes_from_terms(*terms, lay.n_pops)
        box = radii if (vertex_stop and stol > 0 and tq.size == 0
                        and (replicator or integrator.vertex_tol == math.inf)) else None
        rates = terms if box is not None and integrator.vertex_tol < math.inf else None
        stops = Stops(stol, integrator.vertex_tol, box, rates)
        # a trajectory settled on an earlier piece resumes on this one
        work.status[work.status == SETTLED] = RUNNING
        runner = BACKENDS[be] if BACKENDS[be].supports(pc) else BACKENDS["numpy"]
        used.add(runner.name)
        runner.run_piece(work, pc, stops)
        if not final:
            # settled rows sit at rest until the end of the piece; MAX_STEPS rows are not resumed
            work.T[work.status == SETTLED] = pc.t_stop
    if radii is not None:
        rest = np.flatnonzero(work.status != VERTEX)
        if rest.size:
            vb, _ = box_vertex(X[rest], radii[pidx[rest]], lay.counts)
            work.vtx[rest] = vb
    name = "numba" if "numba" in used else "numpy"
    return KernelResult(X, work.T, work.status, work.steps, work.rejected, work.vel, out,
                        name, work.vtx)

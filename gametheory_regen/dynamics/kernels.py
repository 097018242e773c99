r"""Fast numeric replicator dynamics: right-hand sides and batch integrators.

Mathematics
-----------
A game with :math:`n` populations, population :math:`p` having :math:`k_p` pure strategies, is
given numerically by its payoff tensor ``payoffs[p, s_1, ..., s_n]``: the payoff of population
:math:`p` at the pure profile :math:`(s_1, \dots, s_n)`. The state is the concatenation of the
populations' shares :math:`x_p \in \Delta_{k_p}` (length :math:`N = \sum_p k_p`). The expected
payoff of strategy :math:`i` of population :math:`p` is multilinear in the other populations'
shares,

.. math::  u_{pi}(x) = \sum_{s:\, s_p = i} a_p(s) \prod_{q \ne p} x_{q s_q},

and the multi-population replicator dynamics (Taylor & Jonker 1978; Hofbauer & Sigmund 1998,
ch. 10) is

.. math::  \dot x_{pi} = x_{pi}\,\bigl(u_{pi}(x) - \bar u_p(x)\bigr),
           \qquad \bar u_p = \sum_i x_{pi} u_{pi}.

The products over the other populations are formed with prefix and suffix products along the
profile, so no division by a (possibly zero) share is ever needed. The cost of one evaluation is
:math:`O(nK)` with :math:`K = \prod_p k_p`.

Integration
-----------
*Adaptive* (``method="dopri5"``): the Dormand--Prince 5(4) embedded pair (Dormand & Prince
1980; Hairer, Nørsett & Wanner, *Solving ODEs I*, sec. II.5), 7 stages with the
first-same-as-last property (6 new evaluations per accepted step), local extrapolation (the
5th-order solution is propagated), the error norm of :func:`scipy.integrate.solve_ivp`
(root-mean-square of ``err / (atol + rtol * max(|y|, |y_new|))``) and the step-size controller
``h <- h * clip(0.9 * err**(-1/5), 0.2, 10)``. Every trajectory has its own step size. We chose
DP5 over Bogacki--Shampine 3(2) because the tolerances asked of this engine (``rtol`` 1e-6 to
1e-10) lie where a fifth-order method needs several times fewer right-hand-side evaluations
than a third-order one (steps scale like ``tol**(-1/5)`` versus ``tol**(-1/3)``); the extra
stages per step are cheap compared with the steps saved.

*Fixed step* (``method="rk4"``): the classical Runge--Kutta method with step ``dt`` (the last
step of each piece is shortened to end exactly on the piece's end), for teaching.

Staying on the simplices
------------------------
Every stage derivative sums to zero over each population, so Runge--Kutta combinations keep
each population's shares summing to one up to rounding. After every accepted step each
population's shares are projected back onto the simplex (negative rounding residue set to 0,
then divided by their sum), so the drift stays at the level of rounding (about 1e-16), far
below 1e-12.

Early stopping
--------------
*Strict Nash vertices.* After every accepted step the state's nearest vertex :math:`s` (largest
share per population) and its distance :math:`d = \max_q (1 - x_{q s_q})` are computed. If
:math:`d \le r_s`, the radius of a box around :math:`s` in which every payoff difference
:math:`u_{pj} - u_{ps_p}` keeps its (negative) sign (:func:`vertex_boxes`), the box is forward
invariant and the trajectory converges to :math:`s`: it is stopped with status :data:`VERTEX`
and its state set to the vertex exactly. This rule is rigorous, and it does not depend on how
the shares behave at the level of ``atol`` near the vertex.

*Other rest points.* A trajectory *settles* when, after an accepted step, the largest component
of its velocity :math:`v = \max_i|\dot x_i|` is below ``settle_tol``, has not grown since the
previous step (a state leaving the neighbourhood of an unstable rest point also moves slowly at
first, but its speed grows), and the state is at least :data:`NEAR_VERTEX` from every vertex
(near a vertex every velocity is small; a trajectory near a vertex that is not strict Nash is
never called settled). Only the last piece of a horizon stops early, and only when its payoffs
are constant. Classification against known rest points happens in
:mod:`gametheory_regen.analysis.batch`.

Time-varying payoffs
--------------------
Integration proceeds piece by piece over :class:`Piece` objects; within a piece the payoff is
affine in time, ``A + (t - t_start) * B`` (``B`` may be absent). Pieces restart the integrator
exactly at their ends, so discontinuities of a schedule are never stepped over. Payoffs that
are not affine in time within a piece may be given by a callable (``Piece.payoff_at``); only the
numpy path evaluates those.

Backends
--------
``backend="numba"`` compiles the kernel with numba (``@njit(cache=True, parallel=True)``,
trajectories distributed over threads with ``prange``); numba is imported lazily, the first
time a compiled kernel is needed. ``backend="numpy"`` runs the same algorithm vectorised over
trajectories (all unfinished trajectories take one step attempt per iteration, each with its
own step size). ``backend="auto"`` uses numba when it can be imported and the environment
variable ``GAMETHEORY_REGEN_NO_NUMBA`` is not set to a non-empty value other than ``0``.
Both paths implement the same arithmetic and agree to rounding.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from typing import Callable

import numpy as np

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
#: fraction of the proven box radius used (margin for rounding and integration error)
BOX_SAFETY = 0.5
#: largest box radius used (keeps each vertex's strategy the unique largest share in its box)
BOX_CAP = 0.25

# Dormand–Prince 5(4) tableau (Dormand & Prince 1980, Table 2; Hairer et al. 1993, Table 5.2).
_C2, _C3, _C4, _C5 = 1 / 5, 3 / 10, 4 / 5, 8 / 9
_A21 = 1 / 5
_A31, _A32 = 3 / 40, 9 / 40
_A41, _A42, _A43 = 44 / 45, -56 / 15, 32 / 9
_A51, _A52, _A53, _A54 = 19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729
_A61, _A62, _A63, _A64, _A65 = 9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656
_A71, _A73, _A74, _A75, _A76 = 35 / 384, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84
# error coefficients: 5th-order weights minus 4th-order weights
_E1 = 71 / 57600
_E3 = -71 / 16695
_E4 = 71 / 1920
_E5 = -17253 / 339200
_E6 = 22 / 525
_E7 = -1 / 40

_SAFETY = 0.9
_MIN_FACTOR = 0.2
_MAX_FACTOR = 10.0

ENV_NO_NUMBA = "GAMETHEORY_REGEN_NO_NUMBA"

#: trajectories integrated side by side in one SIMD block of the compiled kernel
_LANES = 8
#: compiled path: other games of at most kernel_general.MAX_PROFILES profiles run on a kernel
#: generated for their shape (:mod:`gametheory_regen.dynamics.kernel_general`)
_GENERATED = True


def _general_max_profiles() -> int:
    from .kernel_general import MAX_PROFILES

    return MAX_PROFILES


#: compiled path: integrate games whose populations all have two strategies with the
#: reduced-coordinate kernel of :mod:`gametheory_regen.dynamics.kernel_binary`
_BINARY = True


def _n_threads() -> int:
    import numba

    return int(numba.get_num_threads())


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

    @property
    def constant(self) -> bool:
        """True when the payoffs do not change within the piece (no ``slope``, no ``payoff_at``).

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


# ---------------------------------------------------------------------------------------------
# backend selection
# ---------------------------------------------------------------------------------------------


def numba_available() -> bool:
    """Return whether numba can be imported (and is not disabled by the environment).

    Setting the environment variable ``GAMETHEORY_REGEN_NO_NUMBA=1`` forces the numpy path.

    Returns
    -------
    bool
        False when the variable is set to a non-empty value other than ``"0"`` or numba
        cannot be imported; this decides what ``backend="auto"`` runs.

    Examples
    --------
    >>> import os
    >>> saved = os.environ.get("GAMETHEORY_REGEN_NO_NUMBA")
    >>> os.environ["GAMETHEORY_REGEN_NO_NUMBA"] = "1"
    >>> numba_available(), resolve_backend("auto")
    (False, 'numpy')
    >>> os.environ["GAMETHEORY_REGEN_NO_NUMBA"] = "0"       # "0" does not disable numba
    >>> resolve_backend("auto") == ("numba" if numba_available() else "numpy")
    True
    >>> if saved is None:
    ...     del os.environ["GAMETHEORY_REGEN_NO_NUMBA"]
    ... else:
    ...     os.environ["GAMETHEORY_REGEN_NO_NUMBA"] = saved
    """
    flag = os.environ.get(ENV_NO_NUMBA, "")
    if flag not in ("", "0"):
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_backend(backend: str) -> str:
    """Turn ``"auto"``, ``"numba"`` or ``"numpy"`` into the backend that will run.

    Parameters
    ----------
    backend : {"auto", "numba", "numpy"}
        ``"auto"`` is numba when :func:`numba_available`, else numpy.

    Returns
    -------
    str
        ``"numba"`` or ``"numpy"``.

    Raises
    ------
    GameInputError
        (a :class:`ValueError`) For an unknown name, or ``"numba"`` when numba cannot be
        imported.

    Examples
    --------
    >>> resolve_backend("numpy")
    'numpy'
    >>> resolve_backend("auto") in ("numba", "numpy")
    True
    >>> resolve_backend("gpu")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: backend must be 'auto', 'numba' or 'numpy'; got 'gpu'
    """
    from gametheory_regen.errors import GameInputError

    if backend == "auto":
        return "numba" if numba_available() else "numpy"
    if backend == "numpy":
        return "numpy"
    if backend == "numba":
        try:
            import numba  # noqa: F401
        except ImportError as exc:
            raise GameInputError(
                "backend='numba' needs numba, which is not importable here "
                "(pip install numba); use backend='numpy' or 'auto'"
            ) from exc
        return "numba"
    raise GameInputError(
        f"backend must be 'auto', 'numba' or 'numpy'; got {backend!r}"
    )


# ---------------------------------------------------------------------------------------------
# invariant boxes of strict Nash vertices
# ---------------------------------------------------------------------------------------------


def vertex_boxes(payoffs: np.ndarray, counts) -> np.ndarray:
    r"""Radius of a forward-invariant box around every strict Nash vertex.

    For the vertex of pure profile :math:`s` let :math:`d_q = 1 - x_{q s_q}` (the mass of
    population :math:`q` off its vertex strategy). For population :math:`p` and :math:`j \ne
    s_p` the payoff difference :math:`D_{pj}(x) = u_{pj}(x) - u_{p s_p}(x) = \sum_\sigma
    c(\sigma) \prod_{q \ne p} x_{q\sigma_q}` (:math:`c(\sigma) = a_p(j, \sigma) - a_p(s_p,
    \sigma)`) equals :math:`\lambda = c(s_{-p})`, the eigenvalue, at the vertex, and

    .. math:: |D_{pj}(x) - \lambda| \le M \bigl(1 - \textstyle\prod_{q \ne p}(1 - d_q)\bigr)
              \le M \bigl(1 - (1 - d)^{n-1}\bigr),
              \qquad M = \max_\sigma |c(\sigma) - \lambda|,\ d = \max_q d_q,

    because the weights :math:`\prod_q x_{q\sigma_q}` sum to one and those with
    :math:`\sigma \ne s_{-p}` sum to :math:`1 - \prod_q (1 - d_q)`. If :math:`\lambda < 0`
    every :math:`D_{pj}` stays negative while :math:`d < r_{pj} = 1 - (1 - |\lambda|/M)^{1/(n-1)}`.
    In the box :math:`\{d \le r\}`, :math:`r = \min r_{pj}`, every share :math:`x_{p s_p}` is
    non-decreasing (:math:`\dot x_{ps_p} = x_{ps_p} \sum_j x_{pj}(-D_{pj}) \ge 0`), so the box
    is forward invariant and every trajectory in it converges to the vertex (each :math:`d_p`
    decays at least like :math:`e^{-(1-r)\min|D| t}`). The returned radius is
    ``min(BOX_SAFETY * r, BOX_CAP)`` (a margin for rounding and integration error; the cap keeps
    the vertex strategy the unique largest share in the box).

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` or ``(P, n, k_1, ..., k_n)`` payoff tensors.
    counts : sequence of int

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` radii (sup norm of ``d``), ``0`` at vertices that are not strict Nash.

    Examples
    --------
    Coordination game (payoff 1 on the diagonal, two populations): :math:`\lambda = -1`,
    :math:`M = 2`, so the proven radius is 1/2 and the returned one half of it.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_boxes(np.stack([A, A])[None], (2, 2)).tolist()
    [[0.25, 0.0, 0.0, 0.25]]
    """
    counts = tuple(int(c) for c in counts)
    n = len(counts)
    pay = np.asarray(payoffs, dtype=float)
    P = pay.shape[0]
    pay = pay.reshape(P, n, *counts)
    rad = np.full((P, *counts), np.inf)
    for p in range(n):
        Tp = np.moveaxis(pay[:, p], p + 1, 1)  # (P, k_p, others...)
        other_axes = tuple(range(1, n))
        for i in range(counts[p]):
            ri = np.full((P, *Tp.shape[2:]), np.inf)
            for j in range(counts[p]):
                if j == i:
                    continue
                c = Tp[:, j] - Tp[:, i]  # (P, others...)
                lam = c
                cmax = c.max(axis=other_axes, keepdims=True) if n > 1 else c
                cmin = c.min(axis=other_axes, keepdims=True) if n > 1 else c
                M = np.maximum(cmax - lam, lam - cmin)
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.where(M > 0, -lam / np.where(M > 0, M, 1.0), np.inf)
                    r = np.where(
                        lam >= 0, 0.0,
                        np.where(ratio >= 1.0, 1.0,
                                 1.0 - np.power(np.clip(1.0 - ratio, 0.0, 1.0), 1.0 / (n - 1))),
                    )
                ri = np.minimum(ri, r)
            # place ri at s_p = i
            view = np.moveaxis(rad, p + 1, 1)[:, i]
            np.minimum(view, ri, out=view)
    out = np.minimum(BOX_SAFETY * rad, BOX_CAP)
    out[~np.isfinite(out)] = 0.0
    return np.ascontiguousarray(out.reshape(P, -1))


def vertex_rate_terms(payoffs: np.ndarray, counts) -> tuple[np.ndarray, np.ndarray]:
    r"""The eigenvalue size and spread of every payoff difference at every vertex.

    For vertex :math:`s`, population :math:`p` and strategy :math:`j \ne s_p` (term index
    ``J`` runs over all such ``(p, j)``): :math:`|\lambda_{pj}|` with :math:`\lambda_{pj}` the
    payoff difference :math:`u_{pj} - u_{ps_p}` at the vertex (negative at a strict Nash
    vertex), and :math:`M_{pj}`, the largest deviation of that difference from
    :math:`\lambda_{pj}` over the profiles (see :func:`vertex_boxes`).

    Returns
    -------
    lam, spread : numpy.ndarray
        ``(P, K, J)`` each, ``J = sum_p (k_p - 1)``; ``lam`` is :math:`-\lambda` (positive at a
        strict Nash vertex).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.eye(2)
    >>> lam, spread = vertex_rate_terms(np.stack([A, A])[None], (2, 2))
    >>> lam[0, 0].tolist(), spread[0, 0].tolist()
    ([1.0, 1.0], [2.0, 2.0])
    """
    counts = tuple(int(c) for c in counts)
    n = len(counts)
    pay = np.asarray(payoffs, dtype=float)
    P = pay.shape[0]
    pay = pay.reshape(P, n, *counts)
    J = sum(k - 1 for k in counts)
    lam = np.zeros((P, *counts, J))
    spread = np.zeros((P, *counts, J))
    col = 0
    other_axes = tuple(range(1, n))
    for p in range(n):
        Tp = np.moveaxis(pay[:, p], p + 1, 1)  # (P, k_p, others...)
        for jj in range(1, counts[p]):
            for i in range(counts[p]):
                j = (i + jj) % counts[p]  # the jj-th strategy other than the vertex's own
                c = Tp[:, j] - Tp[:, i]
                cmax = c.max(axis=other_axes, keepdims=True) if n > 1 else c
                cmin = c.min(axis=other_axes, keepdims=True) if n > 1 else c
                M = np.maximum(cmax - c, c - cmin)
                np.moveaxis(lam[..., col], p + 1, 1)[:, i] = -c
                np.moveaxis(spread[..., col], p + 1, 1)[:, i] = M
            col += 1
    return lam.reshape(P, -1, J), spread.reshape(P, -1, J)


def vertex_rates(payoffs: np.ndarray, counts, radii: np.ndarray | None = None) -> np.ndarray:
    r"""A decay rate that every trajectory in a vertex's invariant box is guaranteed.

    In the box :math:`\{d \le r\}` of :func:`vertex_boxes` every payoff difference obeys
    :math:`D_{pj} \le -\delta_{pj}(r)`, :math:`\delta_{pj}(r) = |\lambda_{pj}| - M_{pj}
    \bigl(1 - (1 - r)^{n-1}\bigr) > 0`, and the off-vertex mass of population :math:`p` obeys
    :math:`\dot d_p = x_{ps_p} \sum_{j \ne s_p} x_{pj} D_{pj} \le -(1 - r)\,\delta_p\, d_p`.
    Every smaller box :math:`\{d \le \rho\}`, :math:`\rho \le r`, is forward invariant too
    (no :math:`d_q` grows in the box), so a trajectory at distance :math:`\rho` at time
    :math:`t` obeys :math:`d(t') \le \rho\, e^{-\kappa(\rho) (t' - t)}` with
    :math:`\kappa(\rho) = (1 - \rho) \min_{p,j} \delta_{pj}(\rho)`, a rate that approaches
    the slowest eigenvalue as :math:`\rho \to 0`.

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` or ``(P, n, k_1, ..., k_n)`` payoff tensors.
    counts : sequence of int
    radii : numpy.ndarray, optional
        ``(P, K)`` distances :math:`\rho` at which to evaluate the rate (default: the box
        radii of :func:`vertex_boxes`, the rate valid in the whole box).

    Returns
    -------
    numpy.ndarray
        ``(P, K)`` rates :math:`\kappa(\rho)`, ``0`` where there is no box.

    Examples
    --------
    Coordination game (payoff 1 on the diagonal): at a strict vertex :math:`\lambda = -1`
    and the payoff difference ranges over :math:`\pm 1`, so :math:`M = 2`; the box radius is
    1/4, so :math:`\delta = 1 - 2 \cdot 1/4 = 1/2` and :math:`\kappa = (3/4)(1/2)`.

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> vertex_rates(np.stack([A, A])[None], (2, 2)).tolist()
    [[0.375, 0.0, 0.0, 0.375]]
    """
    counts = tuple(int(c) for c in counts)
    n = len(counts)
    box = vertex_boxes(payoffs, counts)
    rho = box if radii is None else np.asarray(radii, dtype=float)
    lam, spread = vertex_rate_terms(payoffs, counts)
    delta = np.min(lam - spread * (1.0 - (1.0 - rho[..., None]) ** (n - 1)), axis=-1)
    rate = np.where(box > 0, (1.0 - rho) * np.maximum(delta, 0.0), 0.0)
    return np.ascontiguousarray(rate)


def _kappa(lam, spread, d: float, n: int) -> float:
    """:func:`vertex_rates` at distance ``d`` for one vertex (``lam``, ``spread``: ``(J,)``)."""
    g = 1.0 - (1.0 - d) ** (n - 1)
    k = math.inf
    for j in range(lam.shape[0]):
        k = min(k, lam[j] - spread[j] * g)
    return (1.0 - d) * max(k, 0.0)


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
    big = float(np.max(np.abs(arr))) if arr.size else 0.0
    if not np.isfinite(big) or big > MAX_PAYOFF:
        raise GameInputError(
            f"payoffs must be finite numbers of size at most {MAX_PAYOFF:g} for the numeric "
            f"engine; got {big:g}: rescale the model's units (e.g. million yuan instead of "
            "yuan)"
        )


def box_vertex(x: np.ndarray, radii: np.ndarray, counts) -> tuple[np.ndarray, np.ndarray]:
    """Which states lie in the invariant box of a strict Nash vertex.

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states.
    radii : numpy.ndarray
        ``(m, K)`` box radii of each state's game (:func:`vertex_boxes`).
    counts : sequence of int

    Returns
    -------
    vertex : numpy.ndarray
        ``(m,)`` flat profile index of the vertex whose box contains the state, else -1.
    dist : numpy.ndarray
        ``(m,)`` sup-norm distance ``max_q (1 - max_j x_qj)`` to the nearest vertex.

    Examples
    --------
    A coordination game (payoff 1 on the diagonal): the boxes of the strict vertices
    0 = (first, first) and 3 = (second, second) have radius 1/4 (:func:`vertex_boxes`). The
    second state is nearest vertex 0 but 0.4 away from it, outside its box:

    >>> import numpy as np
    >>> A = np.eye(2)
    >>> rad = vertex_boxes(np.stack([A, A])[None], (2, 2))
    >>> x = np.array([[0.9, 0.1, 0.8, 0.2], [0.6, 0.4, 0.9, 0.1], [0.1, 0.9, 0.05, 0.95]])
    >>> vertex, dist = box_vertex(x, np.repeat(rad, 3, axis=0), (2, 2))
    >>> vertex.tolist(), dist.round(12).tolist()
    ([0, -1, 3], [0.2, 0.4, 0.1])
    """
    lay = layout_of(counts)
    m = x.shape[0]
    flat = np.zeros(m, dtype=np.int64)
    dist = np.zeros(m)
    off = lay.offsets
    for q, k in enumerate(lay.counts):
        blk = x[:, off[q]:off[q + 1]]
        a = np.argmax(blk, axis=1)
        dist = np.maximum(dist, 1.0 - blk[np.arange(m), a])
        flat = flat * k + a
    r = radii[np.arange(m), flat] if m else np.zeros(0)
    inside = (r > 0) & (dist <= r)
    return np.where(inside, flat, -1), dist


# ---------------------------------------------------------------------------------------------
# numpy path
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _numpy_plan(counts: tuple[int, ...]):
    """Gather indices ``(K, n)`` and scatter matrix ``(n*K, N)`` for the vectorised RHS."""
    lay = layout_of(counts)
    n, K, N = lay.n_pops, lay.n_profiles, lay.n_state
    gather = lay.profiles + lay.offsets[:-1][None, :]  # (K, n): state index of s_q
    scatter = np.zeros((n * K, N))
    for q in range(n):
        for s in range(K):
            scatter[q * K + s, gather[s, q]] = 1.0
    return gather, scatter


def replicator_rhs(x: np.ndarray, payoffs: np.ndarray, counts) -> np.ndarray:
    """Replicator velocity for many states at once (numpy).

    Parameters
    ----------
    x : numpy.ndarray
        ``(m, N)`` states (full shares, populations concatenated).
    payoffs : numpy.ndarray
        ``(n, K)`` or ``(n, k_1, ..., k_n)`` for all rows, or ``(m, n, K)`` /
        ``(m, n, k_1, ..., k_n)`` one per row.
    counts : sequence of int
        Strategies per population.

    Returns
    -------
    numpy.ndarray
        ``(m, N)`` velocities; each population's block sums to zero.

    Examples
    --------
    Two populations, matching pennies (payoffs +-1), at ``x = y = 1/2`` (its centre):

    >>> import numpy as np
    >>> A = np.array([[1., -1.], [-1., 1.]])
    >>> pay = np.stack([A, -A])            # payoffs[p][s1, s2]
    >>> replicator_rhs(np.array([[0.5, 0.5, 0.5, 0.5]]), pay, (2, 2)).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    """
    lay = layout_of(counts)
    x = np.atleast_2d(np.asarray(x, dtype=float))
    pay = np.asarray(payoffs, dtype=float)
    n, K = lay.n_pops, lay.n_profiles
    if pay.ndim == 1 + n or (pay.ndim == 2 and pay.shape == (n, K)):
        pay = pay.reshape(1, n * K)
    else:
        pay = pay.reshape(pay.shape[0], n * K)
    return _rhs_np(x, pay, counts)


def _rhs_np(x: np.ndarray, pay: np.ndarray, counts: tuple[int, ...]) -> np.ndarray:
    """Vectorised RHS; ``pay`` is ``(1 or m, n*K)``."""
    lay = layout_of(counts)
    gather, scatter = _numpy_plan(lay.counts)
    n = lay.n_pops
    sel = x[:, gather]  # (m, K, n)
    m, K = sel.shape[0], sel.shape[1]
    pre = np.ones((m, K, n))
    suf = np.ones((m, K, n))
    if n > 1:
        pre[:, :, 1:] = np.cumprod(sel[:, :, :-1], axis=2)
        suf[:, :, :-1] = np.cumprod(sel[:, :, :0:-1], axis=2)[:, :, ::-1]
    excl = (pre * suf).transpose(0, 2, 1).reshape(m, n * K)  # index q*K + s
    u = (pay * excl) @ scatter  # (m, N)
    f = np.empty_like(x)
    off = lay.offsets
    for q in range(n):
        a, b = off[q], off[q + 1]
        xq = x[:, a:b]
        uq = u[:, a:b]
        ubar = np.einsum("ij,ij->i", xq, uq)
        f[:, a:b] = xq * (uq - ubar[:, None])
    return f


def _project_np(y: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    np.maximum(y, 0.0, out=y)
    for q in range(len(offsets) - 1):
        a, b = offsets[q], offsets[q + 1]
        y[:, a:b] /= y[:, a:b].sum(axis=1, keepdims=True)
    return y


def _hermite_fill_np(out, rows, t_out, t0, t1, y0, f0, y1, f1, offsets):
    """Fill ``out[rows, j]`` for ``t0 < t_out[j] <= t1`` (per row) by cubic Hermite."""
    if out is None or t_out.size == 0:
        return
    # For each row, the output indices in (t0, t1].
    lo = np.searchsorted(t_out, t0, side="right")
    hi = np.searchsorted(t_out, t1, side="right")
    cnt = hi - lo
    if not np.any(cnt > 0):
        return
    r_idx = np.repeat(np.arange(rows.size), cnt)
    j_idx = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi) if b > a])
    h = (t1 - t0)[r_idx]
    s = (t_out[j_idx] - t0[r_idx]) / np.where(h > 0, h, 1.0)
    s2, s3 = s * s, s * s * s
    h00 = 2 * s3 - 3 * s2 + 1
    h10 = s3 - 2 * s2 + s
    h01 = -2 * s3 + 3 * s2
    h11 = s3 - s2
    val = (
        h00[:, None] * y0[r_idx]
        + (h10 * h)[:, None] * f0[r_idx]
        + h01[:, None] * y1[r_idx]
        + (h11 * h)[:, None] * f1[r_idx]
    )
    out[rows[r_idx], j_idx] = _project_np(val, offsets)


def _fill_rest_np(out, rows, t_out, t0, t1, y):
    """Fill outputs ``t0 < t_out <= t1`` of settled rows with their (constant) state."""
    if out is None or t_out.size == 0:
        return
    lo = np.searchsorted(t_out, t0, side="right")
    hi = np.searchsorted(t_out, t1, side="right")
    for r, a, b in zip(range(rows.size), lo, hi):
        if b > a:
            out[rows[r], a:b] = y[r]


def _strides(counts):
    """C-order strides of the flat profile index."""
    st = np.ones(len(counts), dtype=np.int64)
    for q in range(len(counts) - 2, -1, -1):
        st[q] = st[q + 1] * counts[q + 1]
    return st


def _rms(v):
    return np.sqrt(np.mean(v * v, axis=1))


def _numpy_piece(
    piece: Piece,
    X: np.ndarray,
    T: np.ndarray,
    H: np.ndarray,
    status: np.ndarray,
    steps: np.ndarray,
    rejected: np.ndarray,
    vel: np.ndarray,
    pidx: np.ndarray,
    counts: tuple[int, ...],
    method: str,
    rtol: float,
    atol: float,
    dt: float,
    settle_tol: float,
    max_steps: int,
    t_out: np.ndarray,
    out: np.ndarray | None,
    radii: np.ndarray | None = None,
    vtx: np.ndarray | None = None,
    rates: np.ndarray | None = None,
    vertex_tol: float = math.inf,
) -> None:
    """Integrate all rows with ``status == RUNNING`` over one piece, in place (numpy).

    With ``radii`` (``(P, K)`` box radii, :func:`vertex_boxes`) a trajectory that enters the
    invariant box of a strict Nash vertex stops there (status :data:`VERTEX`, state set to the
    vertex, its flat index in ``vtx``)."""
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    off = lay.offsets
    A = piece.payoffs.reshape(piece.payoffs.shape[0], n * K)
    B = None if piece.slope is None else piece.slope.reshape(A.shape)
    t0p, t1p = float(piece.t_start), float(piece.t_stop)
    shared = A.shape[0] == 1

    def payoff_rows(rows, tau):
        if piece.payoff_at is not None:
            return piece.payoff_at(t0p + tau, pidx[rows]).reshape(rows.size, n * K)
        base = A if shared else A[pidx[rows]]
        if B is None:
            return base
        slope = B if shared else B[pidx[rows]]
        return base + tau[:, None] * slope

    def f_at(y, rows, tau):
        return _rhs_np(y, payoff_rows(rows, tau), lay.counts)

    act = np.flatnonzero(status == RUNNING)
    if act.size == 0:
        return
    T[act] = t0p
    y = X[act].copy()
    f0 = f_at(y, act, np.zeros(act.size))
    v0 = np.abs(f0).max(axis=1)
    vel[act] = v0
    vprev = v0.copy()
    nst = np.zeros(act.size, dtype=np.int64)
    if method == "dopri5":
        h = H[act].copy()
        need = ~(h > 0)
        if np.any(need):
            h[need] = _initial_step_np(
                y[need], f0[need], act[need], f_at, rtol, atol, t1p - t0p
            )
    t = np.full(act.size, t0p)

    while act.size:
        if method == "rk4":
            hh = np.minimum(dt, t1p - t)
            last = t + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
            hh = np.where(last, t1p - t, hh)
            tau = t - t0p
            k1 = f0
            k2 = f_at(y + 0.5 * hh[:, None] * k1, act, tau + 0.5 * hh)
            k3 = f_at(y + 0.5 * hh[:, None] * k2, act, tau + 0.5 * hh)
            k4 = f_at(y + hh[:, None] * k3, act, tau + hh)
            ynew = y + (hh / 6.0)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
            _project_np(ynew, off)
            tnew = np.where(last, t1p, t + hh)
            fnew = f_at(ynew, act, tnew - t0p)
            accept = np.ones(act.size, dtype=bool)
        else:
            hh = np.minimum(h, t1p - t)
            last = t + hh >= t1p - 1e-12 * max(1.0, abs(t1p))
            hh = np.where(last, t1p - t, hh)
            tau = t - t0p
            hc = hh[:, None]
            k1 = f0
            k2 = f_at(y + hc * (_A21 * k1), act, tau + _C2 * hh)
            k3 = f_at(y + hc * (_A31 * k1 + _A32 * k2), act, tau + _C3 * hh)
            k4 = f_at(y + hc * (_A41 * k1 + _A42 * k2 + _A43 * k3), act, tau + _C4 * hh)
            k5 = f_at(
                y + hc * (_A51 * k1 + _A52 * k2 + _A53 * k3 + _A54 * k4), act, tau + _C5 * hh
            )
            k6 = f_at(
                y + hc * (_A61 * k1 + _A62 * k2 + _A63 * k3 + _A64 * k4 + _A65 * k5),
                act,
                tau + hh,
            )
            ynew = y + hc * (_A71 * k1 + _A73 * k3 + _A74 * k4 + _A75 * k5 + _A76 * k6)
            k7 = f_at(ynew, act, tau + hh)
            err_vec = hc * (_E1 * k1 + _E3 * k3 + _E4 * k4 + _E5 * k5 + _E6 * k6 + _E7 * k7)
            scale = atol + rtol * np.maximum(np.abs(y), np.abs(ynew))
            err = _rms(err_vec / scale)
            accept = err <= 1.0
            with np.errstate(divide="ignore"):
                fac = np.where(
                    err == 0.0,
                    _MAX_FACTOR,
                    np.clip(_SAFETY * err ** (-0.2), _MIN_FACTOR, _MAX_FACTOR),
                )
            fac = np.where(accept, fac, np.minimum(fac, 1.0))
            h = hh * fac
            # the first-same-as-last derivative k7 belongs to the unprojected state: recompute
            # it where the projection moved the state (a share clipped, or a population's sum
            # off 1 by more than rounding: reusing k7 there lets the sum drift grow step by step)
            sums = np.add.reduceat(ynew, off[:-1], axis=1)
            clipped = np.any(ynew < 0.0, axis=1) | np.any(np.abs(sums - 1.0) > SUM_TOL, axis=1)
            _project_np(ynew, off)
            tnew = np.where(last, t1p, t + hh)
            fnew = k7
            if np.any(clipped):
                # the velocity must be that of the projected state (it decides settling)
                fnew[clipped] = f_at(ynew[clipped], act[clipped], tnew[clipped] - t0p)
        nst += 1
        acc = np.flatnonzero(accept)
        rej = np.flatnonzero(~accept)
        if rej.size:
            rejected[act[rej]] += 1
        if acc.size:
            rows = act[acc]
            _hermite_fill_np(out, rows, t_out, t[acc], tnew[acc], y[acc], f0[acc],
                             ynew[acc], fnew[acc], off)
            y[acc] = ynew[acc]
            f0[acc] = fnew[acc]
            t[acc] = tnew[acc]
            steps[rows] += 1
        v = np.abs(f0).max(axis=1)
        calm = (v < settle_tol) & (v <= vprev)  # small and not growing
        vprev = np.where(accept, v, vprev)
        finished = np.zeros(act.size, dtype=bool)
        if radii is not None or settle_tol > 0:
            rr = radii[pidx[act]] if radii is not None else np.zeros((act.size, K))
            vb, dist = box_vertex(y, rr, lay.counts)
            calm &= dist >= NEAR_VERTEX  # velocity settling only away from vertices
            inbox = accept & (vb >= 0)
            calm &= ~inbox  # a trajectory in a vertex's box converges to the vertex
            if rates is not None and vertex_tol < math.inf and np.any(inbox):
                # stop only once the proven distance at the horizon is within vertex_tol
                lam, spread = rates
                vv = np.maximum(vb, 0)
                g = 1.0 - (1.0 - dist) ** (n - 1)
                k = np.min(lam[pidx[act], vv] - spread[pidx[act], vv] * g[:, None], axis=1)
                kap = (1.0 - dist) * np.maximum(k, 0.0)
                inbox &= dist * np.exp(-kap * (t1p - t)) <= vertex_tol
            if np.any(inbox):
                rows_b = act[inbox]
                status[rows_b] = VERTEX
                vtx[rows_b] = vb[inbox]
                vs = np.zeros((rows_b.size, lay.n_state))
                for q in range(n):
                    vs[np.arange(rows_b.size),
                       off[q] + (vb[inbox] // _strides(lay.counts)[q]) % lay.counts[q]] = 1.0
                y[inbox] = vs
                f0[inbox] = 0.0
                v = np.where(inbox, 0.0, v)
                _fill_rest_np(out, rows_b, t_out, t[inbox], np.full(rows_b.size, t1p), vs)
                finished |= inbox
                calm &= ~inbox
        reached = accept & last & ~finished
        finished |= reached
        if settle_tol > 0:
            sett = accept & ~last & calm
            if np.any(sett):
                status[act[sett]] = SETTLED
                _fill_rest_np(out, act[sett], t_out, t[sett], np.full(sett.sum(), t1p), y[sett])
                finished |= sett
            sett_last = reached & calm
            status[act[sett_last]] = SETTLED
        over = ~finished & (nst >= max_steps)
        if np.any(over):
            status[act[over]] = MAX_STEPS
            finished |= over
        if np.any(finished):
            rows = act[finished]
            X[rows] = y[finished]
            T[rows] = t[finished]
            vel[rows] = v[finished]
            if method == "dopri5":
                H[rows] = h[finished]
            keep = ~finished
            act, y, f0, t, nst = act[keep], y[keep], f0[keep], t[keep], nst[keep]
            vprev = vprev[keep]
            if method == "dopri5":
                h = h[keep]


def _initial_step_np(y, f0, rows, f_at, rtol, atol, span):
    """Hairer's starting step (Hairer, Nørsett & Wanner 1993, sec. II.4), vectorised."""
    scale = atol + np.abs(y) * rtol
    d0 = _rms(y / scale)
    d1 = _rms(f0 / scale)
    small = (d0 < 1e-5) | (d1 < 1e-5)
    h0 = np.where(small, 1e-6, 0.01 * d0 / np.where(d1 > 0, d1, 1.0))
    h0 = np.minimum(h0, span)
    y1 = y + h0[:, None] * f0
    f1 = f_at(y1, rows, h0)
    d2 = _rms((f1 - f0) / scale) / h0
    dmax = np.maximum(d1, d2)
    h1 = np.where(
        dmax <= 1e-15,
        np.maximum(1e-6, h0 * 1e-3),
        (0.01 / np.where(dmax > 0, dmax, 1.0)) ** 0.2,
    )
    return np.minimum(np.minimum(100 * h0, h1), span)


# ---------------------------------------------------------------------------------------------
# numba path (compiled lazily)
# ---------------------------------------------------------------------------------------------
# The functions below are plain Python; _numba_kernels() compiles them with numba on first
# use. They refer to each other through module globals named _nb_*, which the loader binds to
# the compiled dispatchers before compiling their callers.


def _rhs_impl(y, Ap, Bp, tau, has_slope, prof, offs, u, pre, f):
    n = offs.shape[0] - 1
    K = prof.shape[0]
    N = y.shape[0]
    for j in range(N):
        u[j] = 0.0
    for s in range(K):
        prod = 1.0
        for q in range(n):
            pre[q] = prod
            prod *= y[offs[q] + prof[s, q]]
        suf = 1.0
        for q in range(n - 1, -1, -1):
            j = offs[q] + prof[s, q]
            a = Ap[q, s]
            if has_slope:
                a += tau * Bp[q, s]
            u[j] += a * (pre[q] * suf)
            suf *= y[j]
    vmax = 0.0
    for q in range(n):
        ub = 0.0
        for j in range(offs[q], offs[q + 1]):
            ub += y[j] * u[j]
        for j in range(offs[q], offs[q + 1]):
            fj = y[j] * (u[j] - ub)
            f[j] = fj
            if abs(fj) > vmax:
                vmax = abs(fj)
    return vmax


def _project_impl(y, offs):
    n = offs.shape[0] - 1
    for q in range(n):
        s = 0.0
        for j in range(offs[q], offs[q + 1]):
            if y[j] < 0.0:
                y[j] = 0.0
            s += y[j]
        if s > 0.0:
            for j in range(offs[q], offs[q + 1]):
                y[j] /= s


def _hermite_impl(out_i, t_out, jout, t0, t1, y0, f0, y1, f1, offs):
    N = y0.shape[0]
    h = t1 - t0
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        if t_out[jout] > t0:
            s = (t_out[jout] - t0) / h
            s2 = s * s
            s3 = s2 * s
            h00 = 2.0 * s3 - 3.0 * s2 + 1.0
            h10 = (s3 - 2.0 * s2 + s) * h
            h01 = -2.0 * s3 + 3.0 * s2
            h11 = (s3 - s2) * h
            for j in range(N):
                out_i[jout, j] = h00 * y0[j] + h10 * f0[j] + h01 * y1[j] + h11 * f1[j]
            _nb_project(out_i[jout], offs)  # noqa: F821
        jout += 1
    return jout


def _fill_rest_impl(out_i, t_out, jout, t1, y):
    N = y.shape[0]
    while jout < t_out.shape[0] and t_out[jout] <= t1:
        for j in range(N):
            out_i[jout, j] = y[j]
        jout += 1
    return jout


def _rhs_lanes_impl(Y, AL, BL, tau, has_slope, prof, offs, U, PRE, PROD, SUF, UB, F, VMAX):
    # Same arithmetic as _rhs_impl, for _LANES trajectories at once (lane index innermost so
    # that the compiler can use SIMD registers; the profile bookkeeping is shared by the lanes).
    N = Y.shape[0]
    n = offs.shape[0] - 1
    K = prof.shape[0]
    for j in range(N):
        for ln in range(_LANES):
            U[j, ln] = 0.0
    for s in range(K):
        for ln in range(_LANES):
            PROD[ln] = 1.0
        for q in range(n):
            idx = offs[q] + prof[s, q]
            for ln in range(_LANES):
                PRE[q, ln] = PROD[ln]
                PROD[ln] *= Y[idx, ln]
        for ln in range(_LANES):
            SUF[ln] = 1.0
        for q in range(n - 1, -1, -1):
            idx = offs[q] + prof[s, q]
            if has_slope:
                for ln in range(_LANES):
                    U[idx, ln] += (AL[q, s, ln] + tau[ln] * BL[q, s, ln]) * (PRE[q, ln] * SUF[ln])
            else:
                for ln in range(_LANES):
                    U[idx, ln] += AL[q, s, ln] * (PRE[q, ln] * SUF[ln])
            for ln in range(_LANES):
                SUF[ln] *= Y[idx, ln]
    for ln in range(_LANES):
        VMAX[ln] = 0.0
    for q in range(n):
        for ln in range(_LANES):
            UB[ln] = 0.0
        for j in range(offs[q], offs[q + 1]):
            for ln in range(_LANES):
                UB[ln] += Y[j, ln] * U[j, ln]
        for j in range(offs[q], offs[q + 1]):
            for ln in range(_LANES):
                fj = Y[j, ln] * (U[j, ln] - UB[ln])
                F[j, ln] = fj
                VMAX[ln] = max(VMAX[ln], abs(fj))


def _load_lane_impl(
    ln, row, todo, nxt, hi, X, T, H, status, vel, pidx, A, B, has_slope, prof, offs, t0p, t1p,
    method, rtol, atol, settle_tol, t_out, out, Y, K1, AL, BL, tl, hl, nstl, joutl, ycol,
    fcol, gcol, ucol, pre,
):
    # Put the next unfinished trajectory of the queue todo[nxt:hi] into lane ln.
    # Returns the new queue position; row[ln] = -1 when the queue is exhausted.
    N = X.shape[1]
    n = offs.shape[0] - 1
    K = prof.shape[0]
    row[ln] = -1
    while nxt < hi:
        i = todo[nxt]
        nxt += 1
        p = pidx[i]
        Ap = A[p]
        Bp = B[p] if has_slope else B[0]
        for j in range(N):
            ycol[j] = X[i, j]
        v = _nb_rhs(ycol, Ap, Bp, 0.0, has_slope, prof, offs, ucol, pre, fcol)  # noqa: F821
        T[i] = t0p
        vel[i] = v
        jo = 0
        while jo < t_out.shape[0] and t_out[jo] <= t0p:
            jo += 1
        h = H[i]
        if method == 0 and not (h > 0.0):
            # Hairer's starting step (Hairer, Norsett & Wanner 1993, sec. II.4)
            d0 = 0.0
            d1 = 0.0
            for j in range(N):
                sc = atol + abs(ycol[j]) * rtol
                d0 += (ycol[j] / sc) ** 2
                d1 += (fcol[j] / sc) ** 2
            d0 = math.sqrt(d0 / N)
            d1 = math.sqrt(d1 / N)
            if d0 < 1e-5 or d1 < 1e-5:
                h0 = 1e-6
            else:
                h0 = 0.01 * d0 / d1
            h0 = min(h0, t1p - t0p)
            ys = np.empty(N)
            for j in range(N):
                ys[j] = ycol[j] + h0 * fcol[j]
            _nb_rhs(ys, Ap, Bp, h0, has_slope, prof, offs, ucol, pre, gcol)  # noqa: F821
            d2 = 0.0
            for j in range(N):
                sc = atol + abs(ycol[j]) * rtol
                d2 += ((gcol[j] - fcol[j]) / sc) ** 2
            d2 = math.sqrt(d2 / N) / h0
            dmax = max(d1, d2)
            if dmax <= 1e-15:
                h1 = max(1e-6, h0 * 1e-3)
            else:
                h1 = (0.01 / dmax) ** 0.2
            h = min(min(100.0 * h0, h1), t1p - t0p)
        for j in range(N):
            Y[j, ln] = ycol[j]
            K1[j, ln] = fcol[j]
        for q in range(n):
            for s in range(K):
                AL[q, s, ln] = Ap[q, s]
                if has_slope:
                    BL[q, s, ln] = Bp[q, s]
        tl[ln] = t0p
        hl[ln] = h
        nstl[ln] = 0
        joutl[ln] = jo
        row[ln] = i
        return nxt
    return nxt


def _piece_impl(
    X, T, H, status, steps, rejected, vel, pidx, A, B, has_slope, prof, offs,
    t0p, t1p, method, rtol, atol, dt, settle_tol, max_steps, t_out, out, nchunks,
    R, boxon, near_tol, vtx, LAMV, SPV, vtol,
):
    N = X.shape[1]
    n = offs.shape[0] - 1
    K = prof.shape[0]
    L = _LANES
    tiny_t = 1e-12 * max(1.0, abs(t1p))
    todo = np.nonzero(status == 0)[0]
    mt = todo.shape[0]
    for c in _nb_prange(nchunks):  # noqa: F821 - bound by the loader
        lo = c * mt // nchunks
        hi = (c + 1) * mt // nchunks
        Y = np.zeros((N, L))
        YS = np.zeros((N, L))
        YN = np.zeros((N, L))
        K1 = np.zeros((N, L))
        K2 = np.zeros((N, L))
        K3 = np.zeros((N, L))
        K4 = np.zeros((N, L))
        K5 = np.zeros((N, L))
        K6 = np.zeros((N, L))
        K7 = np.zeros((N, L))
        U = np.zeros((N, L))
        PRE = np.zeros((n, L))
        PROD = np.zeros(L)
        SUF = np.zeros(L)
        UB = np.zeros(L)
        VN = np.zeros(L)
        VPREV = np.zeros(L)
        CLIP = np.zeros(L, dtype=np.bool_)
        ERR = np.zeros(L)
        AL = np.zeros((n, K, L))
        BL = np.zeros((n, K, L))
        tl = np.zeros(L)
        hl = np.zeros(L)
        hh = np.zeros(L)
        tau = np.zeros(L)
        ts = np.zeros(L)
        nstl = np.zeros(L, dtype=np.int64)
        joutl = np.zeros(L, dtype=np.int64)
        row = np.full(L, -1, dtype=np.int64)
        last = np.zeros(L, dtype=np.bool_)
        ycol = np.zeros(N)
        fcol = np.zeros(N)
        gcol = np.zeros(N)
        ucol = np.zeros(N)
        pre = np.zeros(n)
        nxt = lo
        nact = 0
        for ln in range(L):
            nxt = _nb_load(  # noqa: F821
                ln, row, todo, nxt, hi, X, T, H, status, vel, pidx, A, B, has_slope, prof,
                offs, t0p, t1p, method, rtol, atol, settle_tol, t_out, out, Y, K1, AL, BL, tl,
                hl, nstl, joutl, ycol, fcol, gcol, ucol, pre,
            )
            if row[ln] >= 0:
                nact += 1
                VPREV[ln] = vel[row[ln]]
        while nact > 0:
            for ln in range(L):
                if row[ln] < 0:
                    hh[ln] = 0.0
                    last[ln] = False
                    tau[ln] = 0.0
                    continue
                if method == 1:
                    hv = min(dt, t1p - tl[ln])
                else:
                    hv = min(hl[ln], t1p - tl[ln])
                lst = tl[ln] + hv >= t1p - tiny_t
                if lst:
                    hv = t1p - tl[ln]
                hh[ln] = hv
                last[ln] = lst
                tau[ln] = tl[ln] - t0p
            if method == 1:
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + 0.5 * hh[ln] * K1[j, ln]
                for ln in range(L):
                    ts[ln] = tau[ln] + 0.5 * hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K2, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + 0.5 * hh[ln] * K2[j, ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K3, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * K3[j, ln]
                for ln in range(L):
                    ts[ln] = tau[ln] + hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K4, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YN[j, ln] = Y[j, ln] + (hh[ln] / 6.0) * (
                            K1[j, ln] + 2.0 * K2[j, ln] + 2.0 * K3[j, ln] + K4[j, ln]
                        )
                for ln in range(L):
                    ERR[ln] = 0.0
            else:
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * (_A21 * K1[j, ln])
                for ln in range(L):
                    ts[ln] = tau[ln] + _C2 * hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K2, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * (_A31 * K1[j, ln] + _A32 * K2[j, ln])
                for ln in range(L):
                    ts[ln] = tau[ln] + _C3 * hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K3, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * (
                            _A41 * K1[j, ln] + _A42 * K2[j, ln] + _A43 * K3[j, ln]
                        )
                for ln in range(L):
                    ts[ln] = tau[ln] + _C4 * hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K4, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * (
                            _A51 * K1[j, ln] + _A52 * K2[j, ln] + _A53 * K3[j, ln]
                            + _A54 * K4[j, ln]
                        )
                for ln in range(L):
                    ts[ln] = tau[ln] + _C5 * hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K5, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YS[j, ln] = Y[j, ln] + hh[ln] * (
                            _A61 * K1[j, ln] + _A62 * K2[j, ln] + _A63 * K3[j, ln]
                            + _A64 * K4[j, ln] + _A65 * K5[j, ln]
                        )
                for ln in range(L):
                    ts[ln] = tau[ln] + hh[ln]
                _nb_rhs_lanes(YS, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K6, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        YN[j, ln] = Y[j, ln] + hh[ln] * (
                            _A71 * K1[j, ln] + _A73 * K3[j, ln] + _A74 * K4[j, ln]
                            + _A75 * K5[j, ln] + _A76 * K6[j, ln]
                        )
                for ln in range(L):
                    ERR[ln] = 0.0
            if method == 0:
                _nb_rhs_lanes(YN, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K7, VN)  # noqa: F821,E501
                for j in range(N):
                    for ln in range(L):
                        e = hh[ln] * (
                            _E1 * K1[j, ln] + _E3 * K3[j, ln] + _E4 * K4[j, ln]
                            + _E5 * K5[j, ln] + _E6 * K6[j, ln] + _E7 * K7[j, ln]
                        )
                        sc = atol + rtol * max(abs(Y[j, ln]), abs(YN[j, ln]))
                        ERR[ln] += (e / sc) ** 2
            # projection onto the simplices (all lanes; harmless on idle ones)
            for ln in range(L):
                CLIP[ln] = False
            for q in range(n):
                for ln in range(L):
                    UB[ln] = 0.0
                for j in range(offs[q], offs[q + 1]):
                    for ln in range(L):
                        if YN[j, ln] < 0.0:
                            YN[j, ln] = 0.0
                            CLIP[ln] = True
                        UB[ln] += YN[j, ln]
                for ln in range(L):
                    if abs(UB[ln] - 1.0) > SUM_TOL:
                        CLIP[ln] = True  # projected: the derivative is recomputed (see numpy)
                for j in range(offs[q], offs[q + 1]):
                    for ln in range(L):
                        if UB[ln] > 0.0:
                            YN[j, ln] /= UB[ln]
            if method == 1:
                for ln in range(L):
                    ts[ln] = tau[ln] + hh[ln]
                _nb_rhs_lanes(YN, AL, BL, ts, has_slope, prof, offs, U, PRE, PROD, SUF, UB, K7, VN)  # noqa: F821,E501
            # per-lane bookkeeping
            for ln in range(L):
                i = row[ln]
                if i < 0:
                    continue
                accept = True
                if method == 0:
                    err = math.sqrt(ERR[ln] / N)
                    accept = err <= 1.0
                    if err == 0.0:
                        fac = _MAX_FACTOR
                    else:
                        fac = min(_MAX_FACTOR, max(_MIN_FACTOR, _SAFETY * err ** (-0.2)))
                    if not accept:
                        fac = min(fac, 1.0)
                    hl[ln] = hh[ln] * fac
                nstl[ln] += 1
                done = False
                st = 0
                if accept:
                    tn = t1p if last[ln] else tl[ln] + hh[ln]
                    if method == 0 and CLIP[ln]:
                        # the velocity must be that of the projected state (it decides settling)
                        for j in range(N):
                            ycol[j] = YN[j, ln]
                        VN[ln] = _nb_rhs(  # noqa: F821
                            ycol, AL[:, :, ln], BL[:, :, ln], tau[ln] + hh[ln], has_slope, prof,
                            offs, ucol, pre, fcol,
                        )
                        for j in range(N):
                            K7[j, ln] = fcol[j]
                    if t_out.shape[0] > 0:
                        joutl[ln] = _nb_hermite(  # noqa: F821
                            out[i], t_out, joutl[ln], tl[ln], tn, Y[:, ln], K1[:, ln],
                            YN[:, ln], K7[:, ln], offs,
                        )
                    for j in range(N):
                        Y[j, ln] = YN[j, ln]
                        K1[j, ln] = K7[j, ln]
                    tl[ln] = tn
                    steps[i] += 1
                    v = VN[ln]
                    calm = v < settle_tol and v <= VPREV[ln]  # small and not growing
                    VPREV[ln] = v
                    if boxon or settle_tol > 0.0:
                        # nearest vertex (largest share per population) and distance to it
                        dist = 0.0
                        flat = 0
                        for q in range(n):
                            best = -1.0
                            bj = 0
                            for j in range(offs[q], offs[q + 1]):
                                if Y[j, ln] > best:
                                    best = Y[j, ln]
                                    bj = j - offs[q]
                            dist = max(dist, 1.0 - best)
                            flat = flat * (offs[q + 1] - offs[q]) + bj
                        if dist < near_tol:
                            calm = False  # velocity settling only away from vertices
                        if boxon:
                            rb = R[pidx[i], flat]
                            if rb > 0.0 and dist <= rb:
                                calm = False  # in a vertex's box: converges to the vertex
                            if rb > 0.0 and dist <= rb and (
                                dist * math.exp(
                                    -_nb_kappa(LAMV[pidx[i], flat], SPV[pidx[i], flat], dist, n)  # noqa: F821,E501
                                    * (t1p - tl[ln])
                                ) <= vtol
                            ):
                                # in the invariant box of a strict Nash vertex: converges there
                                st = 3
                                done = True
                                calm = False
                                vtx[i] = flat
                                rem = flat
                                for q in range(n - 1, -1, -1):
                                    kq = offs[q + 1] - offs[q]
                                    bj = rem % kq
                                    rem = rem // kq
                                    for j in range(offs[q], offs[q + 1]):
                                        Y[j, ln] = 1.0 if j - offs[q] == bj else 0.0
                                for j in range(N):
                                    K1[j, ln] = 0.0
                                if t_out.shape[0] > 0:
                                    joutl[ln] = _nb_fill(out[i], t_out, joutl[ln], t1p, Y[:, ln])  # noqa: F821,E501
                    if settle_tol > 0.0 and calm:
                        st = 1
                        done = True
                        if t_out.shape[0] > 0 and not last[ln]:
                            joutl[ln] = _nb_fill(out[i], t_out, joutl[ln], t1p, Y[:, ln])  # noqa: F821,E501
                    if last[ln]:
                        done = True
                else:
                    rejected[i] += 1
                if not done and nstl[ln] >= max_steps:
                    st = 2
                    done = True
                if done:
                    status[i] = st
                    for j in range(N):
                        X[i, j] = Y[j, ln]
                    T[i] = tl[ln]
                    vmax = 0.0
                    for j in range(N):
                        vmax = max(vmax, abs(K1[j, ln]))
                    vel[i] = vmax
                    H[i] = hl[ln]
                    nxt = _nb_load(  # noqa: F821
                        ln, row, todo, nxt, hi, X, T, H, status, vel, pidx, A, B, has_slope,
                        prof, offs, t0p, t1p, method, rtol, atol, settle_tol, t_out, out, Y,
                        K1, AL, BL, tl, hl, nstl, joutl, ycol, fcol, gcol, ucol, pre,
                    )
                    if row[ln] >= 0:
                        VPREV[ln] = vel[row[ln]]
                    if row[ln] < 0:
                        nact -= 1
                        for j in range(N):
                            Y[j, ln] = 0.0
                            K1[j, ln] = 0.0


@functools.lru_cache(maxsize=1)
def _numba_kernels():
    """Compile (or load from numba's on-disk cache) the kernels; imports numba lazily."""
    import numba

    g = globals()
    g["_nb_prange"] = numba.prange
    g["_nb_rhs"] = numba.njit(cache=True, nogil=True)(_rhs_impl)
    g["_nb_project"] = numba.njit(cache=True, nogil=True)(_project_impl)
    g["_nb_hermite"] = numba.njit(cache=True, nogil=True)(_hermite_impl)
    g["_nb_fill"] = numba.njit(cache=True, nogil=True)(_fill_rest_impl)
    g["_nb_rhs_lanes"] = numba.njit(cache=True, nogil=True, fastmath=True)(_rhs_lanes_impl)
    g["_nb_load"] = numba.njit(cache=True, nogil=True)(_load_lane_impl)
    g["_nb_kappa"] = numba.njit(cache=True, nogil=True)(_kappa)
    piece = numba.njit(cache=True, parallel=True, nogil=True, fastmath=True)(_piece_impl)
    return piece


def _numba_piece(piece, X, T, H, status, steps, rejected, vel, pidx, counts, method, rtol,
                 atol, dt, settle_tol, max_steps, t_out, out, radii=None, vtx=None, rates=None,
                 vertex_tol=math.inf):
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    if all(k == 2 for k in lay.counts) and _BINARY:
        from .kernel_binary import binary_piece

        return binary_piece(piece, X, T, H, status, steps, rejected, vel, pidx, counts,
                            method, rtol, atol, dt, settle_tol, max_steps, t_out, out, radii,
                            vtx, rates, vertex_tol)
    if _GENERATED and K <= _general_max_profiles():
        from .kernel_general import general_piece

        return general_piece(piece, X, T, H, status, steps, rejected, vel, pidx, counts,
                             method, rtol, atol, dt, settle_tol, max_steps, t_out, out, radii,
                             vtx, rates, vertex_tol)
    kern = _numba_kernels()
    A = np.ascontiguousarray(piece.payoffs.reshape(piece.payoffs.shape[0], n, K), dtype=float)
    has_slope = piece.slope is not None
    B = (
        np.ascontiguousarray(piece.slope.reshape(A.shape), dtype=float)
        if has_slope
        else np.zeros((1, n, K))
    )
    out_arr = out if out is not None else np.zeros((X.shape[0], 0, X.shape[1]))
    m = X.shape[0]
    nchunks = max(1, min(4 * _n_threads(), m // (4 * _LANES) + 1))
    kern(
        X, T, H, status, steps, rejected, vel, pidx, A, B, has_slope,
        np.ascontiguousarray(lay.profiles), np.ascontiguousarray(lay.offsets),
        float(piece.t_start), float(piece.t_stop), 0 if method == "dopri5" else 1,
        float(rtol), float(atol), float(dt), float(settle_tol), int(max_steps),
        t_out, out_arr, nchunks,
        radii if radii is not None else np.zeros((1, K)), radii is not None,
        float(NEAR_VERTEX), vtx if vtx is not None else np.full(m, -1, dtype=np.int64),
        *(rates if rates is not None else (np.zeros((1, K, 1)), np.zeros((1, K, 1)))),
        float(vertex_tol),
    )


# ---------------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------------


def integrate_pieces(
    pieces,
    x0: np.ndarray,
    counts,
    *,
    payoff_index: np.ndarray | None = None,
    method: str = "dopri5",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    dt: float | None = None,
    settle_tol: float = 1e-10,
    max_steps: int = 100_000,
    t_out: np.ndarray | None = None,
    backend: str = "auto",
    vertex_stop: bool = True,
    vertex_tol: float = 1e-9,
) -> KernelResult:
    """Integrate many trajectories of the replicator dynamics over consecutive pieces.

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
    method : {"dopri5", "rk4"}
        Adaptive Dormand--Prince 5(4) or fixed-step classical RK4.
    rtol, atol : float
        Tolerances of the adaptive method.
    dt : float, optional
        Step of ``"rk4"`` (required there).
    settle_tol : float
        Early stop when ``max |dx/dt| < settle_tol`` at a distance of at least
        :data:`NEAR_VERTEX` from every vertex; ``0`` disables every early stop (this one and
        ``vertex_stop``). Only used on the last piece and only when its payoffs are constant
        (earlier pieces are integrated to their end, so the next piece starts from the right
        state).
    max_steps : int
        Step attempts allowed per trajectory and piece.
    t_out : numpy.ndarray, optional
        Increasing output times within ``[pieces[0].t_start, pieces[-1].t_stop]``.
    backend : {"auto", "numba", "numpy"}
    vertex_stop : bool
        Stop a trajectory as soon as it enters the forward-invariant box of a strict Nash
        vertex (:func:`vertex_boxes`); its state is then that vertex and its status
        :data:`VERTEX`. Only on the last piece, when its payoffs are constant, and without
        ``t_out`` (a time series is integrated to its end). Either way, a final state in such a
        box is reported in ``KernelResult.vertex``.
    vertex_tol : float
        A trajectory in such a box stops only once the distance to the vertex it is proven to
        have at the horizon (:func:`vertex_rates` at its current distance) is at most
        ``vertex_tol``; its end state,
        the vertex, is then within ``vertex_tol`` of the true state at the horizon. ``inf``
        stops as soon as the box is entered (enough when only the attractor matters: basins,
        sweeps).

    Returns
    -------
    KernelResult

    Raises
    ------
    GameInputError
        Unknown ``method`` or ``backend``, ``"rk4"`` without a positive ``dt``, non-positive
        tolerances, payoffs that are not finite or too large (:func:`check_payoffs`), or
        starting states of the wrong width.

    Examples
    --------
    When strategy 0 of population 0 earns a constant 1 more than strategy 1, its share
    follows the logistic curve :math:`x(t) = x_0 e^t / (x_0 e^t + 1 - x_0)`; population 1,
    indifferent, stays where it is:

    >>> import numpy as np
    >>> pay = np.zeros((1, 2, 2, 2)); pay[0, 0, 0, :] = 1.0
    >>> x0 = np.array([[0.2, 0.8, 0.5, 0.5]])
    >>> res = integrate_pieces([Piece(0.0, 3.0, pay)], x0, (2, 2), backend="numpy")
    >>> exact = 0.2 * np.exp(3) / (0.2 * np.exp(3) + 0.8)
    >>> bool(abs(res.state[0, 0] - exact) < 1e-8), res.state[0, 2:].tolist()
    (True, [0.5, 0.5])
    >>> res.status.tolist() == [RUNNING], res.time.tolist(), res.vertex.tolist()
    (True, [3.0], [-1])

    Two pieces: the advantage grows as ``t`` on ``[0, 2]`` (a slope), then stays at 2 on
    ``[2, 3]``; the log-odds of the share grow by the integral of the advantage, 2 + 2 = 4:

    >>> pieces = [Piece(0.0, 2.0, np.zeros_like(pay), slope=pay), Piece(2.0, 3.0, 2 * pay)]
    >>> res = integrate_pieces(pieces, x0, (2, 2), backend="numpy")
    >>> bool(abs(res.state[0, 0] - 1 / (1 + np.exp(-(np.log(0.2 / 0.8) + 4)))) < 1e-8)
    True

    A coordination game (payoff 1 on the diagonal) stops at a strict Nash vertex:

    >>> A = np.eye(2)
    >>> res = integrate_pieces([Piece(0.0, 50.0, np.stack([A, A])[None])],
    ...                        np.array([[0.3, 0.7, 0.2, 0.8]]), (2, 2), backend="numpy")
    >>> res.status.tolist() == [VERTEX], res.vertex.tolist(), res.state.tolist()
    (True, [3], [[0.0, 1.0, 0.0, 1.0]])
    """
    from gametheory_regen.errors import GameInputError

    lay = layout_of(counts)
    if method not in ("dopri5", "rk4"):
        raise GameInputError(f"method must be 'dopri5' or 'rk4'; got {method!r}")
    if method == "rk4" and (dt is None or not dt > 0):
        raise GameInputError(f"method='rk4' needs a positive step dt; got dt={dt!r}")
    if not (rtol > 0 and atol > 0):
        raise GameInputError(f"rtol and atol must be positive; got rtol={rtol}, atol={atol}")
    if not vertex_tol > 0:
        raise GameInputError(f"vertex_tol must be positive (or inf); got {vertex_tol}")
    for pc in pieces:
        check_payoffs(pc.payoffs)
        if pc.slope is not None:
            check_payoffs(pc.slope)
    be = resolve_backend(backend)
    X = np.array(x0, dtype=float, order="C", copy=True)
    if X.ndim != 2 or X.shape[1] != lay.n_state:
        raise GameInputError(
            f"initial states must have shape (m, {lay.n_state}); got {np.shape(x0)}"
        )
    m = X.shape[0]
    P = pieces[0].payoffs.shape[0]
    if payoff_index is None:
        pidx = np.arange(m, dtype=np.int64) if (P == m and P > 1) else np.zeros(m, np.int64)
    else:
        pidx = np.ascontiguousarray(payoff_index, dtype=np.int64)
    T = np.full(m, float(pieces[0].t_start))
    H = np.zeros(m)
    status = np.zeros(m, dtype=np.int64)
    steps = np.zeros(m, dtype=np.int64)
    rejected = np.zeros(m, dtype=np.int64)
    vel = np.zeros(m)
    tq = np.zeros(0) if t_out is None else np.ascontiguousarray(t_out, dtype=float)
    out = None if t_out is None else np.full((m, tq.size, lay.n_state), np.nan)
    if out is not None:
        at0 = tq <= pieces[0].t_start
        out[:, at0, :] = X[:, None, :]
    dtv = float(dt) if dt is not None else 0.0
    vtx = np.full(m, -1, dtype=np.int64)
    radii = None
    for i, pc in enumerate(pieces):
        final = i == len(pieces) - 1
        # Early stopping only on the last piece, and only when its payoffs are constant: a state
        # frozen on an earlier piece would enter the next one from the wrong place.
        stol = settle_tol if (final and pc.constant) else 0.0
        if final and pc.constant:
            radii = vertex_boxes(pc.payoffs, lay.counts)
        box = radii if (vertex_stop and stol > 0 and tq.size == 0) else None
        rates = (vertex_rate_terms(pc.payoffs, lay.counts)
                 if box is not None and vertex_tol < math.inf else None)
        # a trajectory settled on an earlier piece resumes on this one
        status[status == SETTLED] = RUNNING
        use_numba = be == "numba" and pc.payoff_at is None
        run = _numba_piece if use_numba else _numpy_piece
        run(pc, X, T, H, status, steps, rejected, vel, pidx, lay.counts, method, rtol, atol,
            dtv, stol, max_steps, tq, out, box, vtx, rates, float(vertex_tol))
        if not final:
            # settled rows sit at rest until the end of the piece; MAX_STEPS rows are not resumed
            T[status == SETTLED] = pc.t_stop
    if radii is not None:
        rest = np.flatnonzero(status != VERTEX)
        if rest.size:
            vb, _ = box_vertex(X[rest], radii[pidx[rest]], lay.counts)
            vtx[rest] = vb
    return KernelResult(X, T, status, steps, rejected, vel, out, be, vtx)

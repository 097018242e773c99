r"""Settings of the stochastic engine and the checks made before a run.

Mathematics
-----------
:class:`Noise` holds the noise intensity :math:`\sigma \ge 0`, the noise form (``simplex`` or
``linear``, Contract 4; the equations are in :mod:`gametheory_regen.dynamics.sde`), the scheme
(Euler-Maruyama or Milstein), the fixed step :math:`h`, the number of paths and the seed.

* **Brownian motions per step** (:func:`noise_dimension`): the ``simplex`` form drives a
  two-strategy population by one Brownian motion and a population of :math:`k > 2` strategies
  by :math:`k`; the ``linear`` form :math:`g = x` drives each population by one, and is defined
  for two-strategy populations only (:func:`check_noise_form`).
* **Step bound** (:func:`outflow_bound`, :func:`check_step`): every dynamics of the engine
  satisfies :math:`f_i(x) \ge -R\,x_i` on the simplices for a bound :math:`R` on the outflow
  rates computed from the payoffs' ranges, so the explicit Euler drift step
  :math:`x + h f(x)` stays non-negative when :math:`h R \le 1`; a larger step is refused before
  the run, with the largest safe one.
* **Time grid** (:func:`step_grid`): :math:`n = \lceil t_{end} / h \rceil` steps of length
  :math:`h`, the last shortened to end on :math:`t_{end}`; the output times are the step ends
  nearest to evenly spaced times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

from .field import REPLICATOR, Dynamics

__all__ = [
    "FORMS",
    "SCHEMES",
    "Noise",
    "noise_dimension",
    "check_noise_form",
    "outflow_bound",
    "check_step",
    "step_grid",
]

#: the noise forms (Contract 4)
FORMS = ("simplex", "linear")
#: the schemes: Euler-Maruyama (strong order 1/2 in general) and Milstein (strong order 1)
SCHEMES = ("euler", "milstein")


@dataclass(frozen=True)
class Noise:
    """How the noise is added and the paths integrated.

    Parameters
    ----------
    sigma : float
        Noise intensity :math:`\\sigma \\ge 0` (finite).
    form : {"simplex", "linear"}
        Noise form (module docstring).
    scheme : {"euler", "milstein"}
        Euler-Maruyama or Milstein (identical numbers for the simplex form).
    dt : float
        Fixed step (> 0).
    paths : int
        Number of sample paths (>= 1, at most the limit ``paths``).
    seed : int
        Seed of the random streams, in [0, 2**63).
    backend : {"auto", "numba", "numpy"}

    Raises
    ------
    GameInputError
        A value out of range (one line naming it).

    Examples
    --------
    >>> Noise(0.2).as_dict()
    {'sigma': 0.2, 'form': 'simplex', 'scheme': 'euler', 'dt': 0.01, 'paths': 1000, 'seed': 0}
    >>> Noise(-1.0)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --noise: expected a finite number >= 0 (sigma); got -1.0
    """

    sigma: float = 0.0
    form: str = "simplex"
    scheme: str = "euler"
    dt: float = 0.01
    paths: int = 1000
    seed: int = 0
    backend: str = "auto"

    def __post_init__(self) -> None:
        from gametheory_regen import limits

        set_ = object.__setattr__
        s = _float(self.sigma)
        if not (math.isfinite(s) and s >= 0):
            raise GameInputError(f"--noise: expected a finite number >= 0 (sigma); got "
                                 f"{self.sigma!r}")
        set_(self, "sigma", s)
        d = _float(self.dt)
        if not (math.isfinite(d) and d > 0):
            raise GameInputError(f"--dt: expected a finite step > 0; got {self.dt!r}")
        set_(self, "dt", d)
        if self.form not in FORMS:
            raise GameInputError(f"--noise-form: expected one of {', '.join(FORMS)}; got "
                                 f"{self.form!r}")
        if self.scheme not in SCHEMES:
            raise GameInputError(f"--scheme: expected one of {', '.join(SCHEMES)}; got "
                                 f"{self.scheme!r}")
        n = limits.check_count("--paths", self.paths, "paths",
                               "run several batches with different --seed values")
        if n < 1:
            raise GameInputError(f"--paths: expected at least 1 path; got {self.paths!r}")
        set_(self, "paths", n)
        set_(self, "seed", limits.check_seed(self.seed, "--seed"))
        if self.backend not in ("auto", "numba", "numpy"):
            raise GameInputError(f"backend must be 'auto', 'numba' or 'numpy'; got "
                                 f"{self.backend!r}")

    def as_dict(self) -> dict:
        """The settings as JSON documents carry them (without the backend).

        >>> Noise(0.1, form="linear", scheme="milstein", seed=3).as_dict()["scheme"]
        'milstein'
        """
        return {"sigma": self.sigma, "form": self.form, "scheme": self.scheme, "dt": self.dt,
                "paths": self.paths, "seed": self.seed}


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def noise_dimension(counts, form: str) -> int:
    """Number of independent Brownian motions (normals per step and path).

    ``simplex``: one per two-strategy population, ``k`` per population of ``k > 2``;
    ``linear``: one per population.

    Parameters
    ----------
    counts : sequence of int
    form : str

    Returns
    -------
    int

    Examples
    --------
    >>> noise_dimension((2, 2, 2), "simplex"), noise_dimension((2, 3), "simplex")
    (3, 4)
    """
    if form == "linear":
        return len(counts)
    return sum(1 if int(k) == 2 else int(k) for k in counts)


def check_noise_form(counts, form: str, populations=None) -> None:
    """Refuse ``linear`` noise for a population that does not have exactly two strategies.

    Parameters
    ----------
    counts : sequence of int
    form : str
    populations : sequence of str, optional
        Names for the message.

    Raises
    ------
    GameInputError

    Examples
    --------
    >>> check_noise_form((2, 2), "linear")
    >>> check_noise_form((3, 3), "linear", ["row", "column"])
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --noise-form linear (g = x) is defined for two-strategy populations only; population 'row' has 3 strategies: use --noise-form simplex
    """  # noqa: E501
    if form != "linear":
        return
    for p, k in enumerate(counts):
        if int(k) != 2:
            name = populations[p] if populations is not None else f"pop{p}"
            raise GameInputError(
                f"--noise-form linear (g = x) is defined for two-strategy populations only; "
                f"population {name!r} has {k} strategies: use --noise-form simplex")


def outflow_bound(payoffs: np.ndarray, counts, dynamics: Dynamics = REPLICATOR) -> np.ndarray:
    r"""A bound :math:`R` on every share's outflow rate, per parameter set.

    Every dynamics of the engine satisfies :math:`f_i(x) \ge -R\,x_i` on the simplices, so the
    Euler drift step :math:`x + h f(x)` stays non-negative when :math:`h R \le 1`. With
    :math:`\Delta_p` the range of population :math:`p`'s payoffs (expected payoffs are averages
    of them): replicator :math:`\Delta_p`; replicator-mutator :math:`\Delta_p + \mu`; logit 1;
    BNN and Smith :math:`(k_p - 1)\Delta_p`; imitation 1 (:math:`|\tanh| \le 1`).

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` (or ``(P, n, k_1, ..., k_n)``) payoff tensors.
    counts : sequence of int
    dynamics : Dynamics

    Returns
    -------
    numpy.ndarray
        ``(P,)`` the largest bound over the populations.

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> outflow_bound(np.stack([A, A.T])[None], (2, 2)).tolist()
    [5.0]
    """
    counts = tuple(int(k) for k in counts)
    pay = np.asarray(payoffs, dtype=float)
    pay = pay.reshape(pay.shape[0], len(counts), -1)
    rng = pay.max(axis=2) - pay.min(axis=2)  # (P, n)
    kind = dynamics.kind
    if kind in ("logit", "imitation"):
        return np.ones(pay.shape[0])
    if kind == "replicator_mutator":
        rng = rng + dynamics.mutation
    elif kind in ("bnn", "smith"):
        rng = rng * (np.array(counts, dtype=float) - 1.0)[None, :]
    return rng.max(axis=1)


def check_step(payoffs: np.ndarray, counts, dynamics: Dynamics, dt: float) -> None:
    """Refuse a step so large that the drift step could leave a simplex (``dt * R > 1``).

    Parameters
    ----------
    payoffs : numpy.ndarray
        ``(P, n, K)`` payoff tensors.
    counts : sequence of int
    dynamics : Dynamics
    dt : float

    Raises
    ------
    GameInputError
        Naming the largest step that is safe.

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> check_step(np.stack([A, A.T])[None], (2, 2), REPLICATOR, 0.1)
    >>> check_step(np.stack([A, A.T])[None], (2, 2), REPLICATOR, 0.5)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --dt 0.5 is too large for this game: a drift step could overshoot a simplex (dt x largest outflow rate = 0.5 x 5 = 2.5 > 1); use --dt 0.2 or smaller
    """  # noqa: E501
    R = float(np.max(outflow_bound(payoffs, counts, dynamics)))
    if dt * R > 1.0:
        safe = 1.0 / R
        nice = 10.0 ** math.floor(math.log10(safe))
        nice = math.floor(safe / nice) * nice
        raise GameInputError(
            f"--dt {dt:g} is too large for this game: a drift step could overshoot a simplex "
            f"(dt x largest outflow rate = {dt:g} x {R:.4g} = {dt * R:.4g} > 1); use --dt "
            f"{nice:.3g} or smaller")


def step_grid(t_end: float, dt: float, n_points: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Number of steps, output step indices and output times on ``[0, t_end]``.

    Steps have length ``dt``, the last one shortened to end on ``t_end`` (unless ``t_end / dt``
    is a whole number within 1e-9); the ``n_points``
    output times are the step ends nearest to evenly spaced times (duplicates dropped).

    Parameters
    ----------
    t_end, dt : float
    n_points : int

    Returns
    -------
    n_steps : int
    index : numpy.ndarray
        Step counts at which the state is recorded (0 is the start).
    times : numpy.ndarray

    Examples
    --------
    >>> n, idx, t = step_grid(1.0, 0.3, 3)
    >>> n, idx.tolist(), t.tolist()
    (4, [0, 2, 4], [0.0, 0.6, 1.0])
    """
    n = max(1, int(math.ceil(t_end / dt - 1e-9)))
    idx = np.unique(np.rint(np.linspace(0, n, max(2, int(n_points)))).astype(np.int64))
    times = np.minimum(idx * dt, t_end)
    times[-1] = t_end
    return n, idx, times


def _steps(n: int, dt: float, t_end: float) -> np.ndarray:
    """Step sizes: ``dt``, the last one shortened when ``t_end / dt`` is not a whole number
    (within 1e-9 it is taken as one, so that every step is ``dt``)."""
    h = np.full(n, dt)
    if abs(n * dt - t_end) > 1e-9 * t_end:
        h[-1] = t_end - (n - 1) * dt
    return h

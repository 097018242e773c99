r"""Stochastic evolutionary games: the Ito equation on a product of simplices, many paths at once.

Mathematics
-----------
For any dynamics :math:`f` of :mod:`gametheory_regen.dynamics.field` the engine integrates

.. math:: dx = f(x)\,dt + \sigma\, g(x)\, dW

with a fixed step :math:`h` (``dt``, the last step shortened to end on ``t_end``) and one of
two noise forms (Contract 4):

* ``simplex`` (default). A two-strategy population has :math:`g\,dW = x(1 - x)\,dW`, one
  Brownian motion per population; a population of :math:`k > 2` strategies has
  :math:`\sigma x_i (dW_i - \sum_j x_j dW_j)/\sqrt 2` with :math:`k` Brownian motions (equal in
  law to the former for :math:`k = 2`). In softmax coordinates :math:`x = \mathrm{softmax}(z)`
  Ito's formula turns this noise into *additive* noise,
  :math:`dz_i = (f_i / x_i + \tfrac{\sigma^2}{2} x_i)\,dt + \tfrac{\sigma}{\sqrt 2} dW_i`
  (for :math:`k = 2`, the log-odds :math:`w = \log(x/(1-x))` obey
  :math:`dw = (f/(x(1-x)) + \sigma^2 (x - \tfrac12))\,dt + \sigma\,dW`). One step is
  Euler-Maruyama in these coordinates, written so that it never divides by a share:

  .. math:: y = x + h f(x), \qquad
            x^{+}_i = \frac{y_i e^{\zeta_i}}{\sum_j y_j e^{\zeta_j}}, \qquad
            \zeta_i = \tfrac{\sigma}{\sqrt 2} \Delta W_i + \tfrac{\sigma^2}{2} y_i h

  (:math:`k = 2`: :math:`\zeta_1 = \sigma \Delta W + \sigma^2 (y_1 - \tfrac12) h`,
  :math:`\zeta_2 = 0`). The drift step is explicit Euler in the shares, whose result is on the
  simplex whenever :math:`h R \le 1`, :math:`R` a bound on every share's outflow rate
  (:func:`outflow_bound`; checked before a run); the noise step multiplies by positive numbers
  and divides by their sum, so every path stays on its simplex by construction, and a share
  that is 0 stays 0 under noise (the noise vanishes on the boundary). With :math:`\sigma = 0`
  the step is exactly the deterministic explicit Euler step followed by the engine's projection.
  Because the noise is additive in log-ratio coordinates, Milstein's correction vanishes there:
  the scheme has strong order 1 (Kloeden & Platen 1992, sec. 10.3: for additive noise the
  Euler-Maruyama scheme is the Milstein scheme), and ``scheme="milstein"`` computes the same
  numbers.
* ``linear`` (two-strategy populations only): :math:`g = x` for the first strategy's share,
  the form most papers print. Euler-Maruyama adds :math:`\sigma x \Delta W`; Milstein (strong
  order 1) adds :math:`\tfrac12 \sigma^2 x (\Delta W^2 - h)` too. The noise is *diagonal*
  (population :math:`p`'s Brownian motion moves only :math:`x_p`, and :math:`g_p` depends only
  on :math:`x_p`), hence commutative, so Milstein needs no Lévy areas (Kloeden & Platen 1992,
  sec. 10.3). A path whose share leaves :math:`[0, 1]` is counted, frozen at the boundary it
  crossed (its state and time kept) and reported apart; nothing is clipped. For :math:`k > 2`
  the form is not defined and is refused.

Randomness
----------
The increments :math:`\Delta W = \sqrt h\, \xi` are standard normals. For games whose
populations all have two strategies, under the replicator, they come from a counter-based
generator keyed by (seed, path, step, population) and are computed inside the kernel
(:mod:`.sde_counter`); for the other games they are drawn by fixed blocks of paths, each block
from its own seeded PCG64 stream (:mod:`.sde_normals`). Either way results depend neither on
the chunk size, nor on the thread count, nor on the backend; which generator runs is fixed by
the game.

Backends
--------
Two-strategy populations under the replicator take the reduced-coordinate path
(:mod:`.sde_reduced`: one share per population, the advantage as a multilinear polynomial of
the payoff differences; compiled in :mod:`gametheory_regen.dynamics.kernel_sde2`), bit for bit
the same on both backends. Other games: :func:`.sde_step.sde_chunk_np` is the reference
(numpy, all paths at once); :mod:`gametheory_regen.dynamics.kernel_sde` runs the same
operations in the same order, compiled; for populations of more strategies ``exp``/``log`` may
differ in the last bit between numpy and the C library, and so may the logit and imitation
dynamics' ``exp``/``tanh``. Games without a payoff tensor (one population, payoffs that depend
on the state, ``[[fitness]]``, schedules) give their expected payoffs as a callable
(:mod:`gametheory_regen.dynamics.sde_drift`) and run on the numpy reference.

Where the code lives
--------------------
This module holds the path driver (:func:`integrate_paths`, :class:`PathsResult`); the
settings and the checks before a run (:class:`Noise`, :func:`noise_dimension`,
:func:`check_noise_form`, :func:`outflow_bound`, :func:`check_step`, :func:`step_grid`) are
in :mod:`.sde_settings`, the random increments (:func:`block_normals`) in :mod:`.sde_normals`
and one step in :mod:`.sde_step`. Every name importable from here before the split still is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gametheory_regen.errors import GameInputError

from .field import REPLICATOR, Dynamics
from .sde_normals import RNG_BLOCK, _generator, block_normals
from .sde_reduced import difference_tensor, reduced_applies, reduced_chunk_np
from .sde_settings import (  # noqa: F401
    FORMS,
    SCHEMES,
    Noise,
    _float,
    _steps,
    check_noise_form,
    check_step,
    noise_dimension,
    outflow_bound,
    step_grid,
)
from .sde_step import INSIDE, LEFT, exp_nonpos, sde_chunk_np

__all__ = [
    "FORMS",
    "SCHEMES",
    "Noise",
    "PathsResult",
    "RNG_BLOCK",
    "noise_dimension",
    "check_noise_form",
    "outflow_bound",
    "check_step",
    "step_grid",
    "block_normals",
    "sde_chunk_np",
    "integrate_paths",
    "exp_nonpos",
    "INSIDE",
    "LEFT",
]

#: bytes of standard normals drawn at once (per chunk of steps)
CHUNK_BYTES = 1 << 25


@dataclass(frozen=True)
class PathsResult:
    """Raw output of :func:`integrate_paths`.

    Attributes
    ----------
    final : numpy.ndarray
        ``(m, N)`` states at ``t_end`` (a path that left [0, 1]: frozen where it left).
    status : numpy.ndarray
        ``(m,)`` :data:`INSIDE` or :data:`LEFT`.
    left_time : numpy.ndarray
        ``(m,)`` time a path left (NaN for the others).
    output : numpy.ndarray
        ``(m, T, N)`` states at ``times``; NaN after a path left.
    times : numpy.ndarray
        ``(T,)`` output times.
    n_steps : int
    backend : str
        ``"numba"`` or ``"numpy"``.
    noise : Noise
    dynamics : Dynamics

    Examples
    --------
    >>> A = np.zeros((1, 1, 2)); A[0, 0, 0] = 1.0
    >>> r = integrate_paths(A, np.array([[0.5, 0.5]]), (2,), 1.0, Noise(0.0, paths=1),
    ...                     n_points=3)
    >>> r.times.tolist(), r.n_steps, r.backend, r.output.shape
    ([0.0, 0.5, 1.0], 100, 'numpy', (1, 3, 2))
    """

    final: np.ndarray
    status: np.ndarray
    left_time: np.ndarray
    output: np.ndarray
    times: np.ndarray
    n_steps: int
    backend: str
    noise: Noise
    dynamics: Dynamics


def _choose_backend(backend: str, work: int, kernel: str = "sde_kernel") -> str:
    from .backends import kernel_warm, numba_available, resolve_backend

    if backend != "auto":
        return resolve_backend(backend)
    if not numba_available():
        return "numpy"
    # path-steps above which compiling (once per machine, about 30 s) pays: numpy takes about
    # 1.6 us per path-step of a 2x2x2 game; a warm kernel runs from far less
    warm = _sde_warm(kernel) and (kernel == "sde2_kernel" or kernel_warm())
    if work >= 20_000_000 or (work >= 50_000 and warm):
        return "numba"
    return "numpy"


def _sde_warm(kernel: str = "sde_kernel") -> bool:
    from . import cache
    from .backends import _numba_version

    v = _numba_version()
    if v is None:
        return False
    for root in cache.candidates():
        try:
            with open(root / cache.key(v) / cache.MANIFEST, encoding="utf-8") as fh:
                if kernel in fh.read():
                    return True
        except OSError:
            continue
    return False


def integrate_paths(
    payoffs,
    x0,
    counts,
    t_end: float,
    noise: Noise,
    *,
    sigmas=None,
    payoff_index=None,
    dynamics: Dynamics = REPLICATOR,
    n_points: int = 101,
    streams: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    expected_at: Callable[[float, np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> PathsResult:
    """Integrate ``noise.paths`` sample paths of the Ito equation (module docstring).

    Parameters
    ----------
    payoffs : array_like or None
        ``(n, K)`` / ``(n, k_1, ..., k_n)`` one game, or ``(P, ...)`` parameter sets; ``None``
        with ``expected_at``.
    x0 : array_like
        ``(N,)`` one start for every path, or ``(m0, N)`` starts used round-robin (path ``i``
        starts at ``x0[i % m0]``).
    counts : sequence of int
    t_end : float
    noise : Noise
    sigmas : array_like, optional
        ``(P,)`` noise intensity per parameter set (default ``noise.sigma`` for all).
    payoff_index : array_like, optional
        ``(paths,)`` parameter set of each path (default 0).
    dynamics : Dynamics
    n_points : int
        Output times (see :func:`step_grid`).
    streams : int, optional
        Distinct random paths (default ``noise.paths``): path ``i`` uses the random numbers of
        path ``i % streams`` (common random numbers across parameter sets).
    progress : callable, optional
        ``progress(done_steps, total_steps)`` after every chunk of steps.
    expected_at : callable, optional
        For games without a payoff tensor (one population, payoffs that depend on the state,
        ``[[fitness]]``, schedules): ``expected_at(t, x, rows)`` returns the ``(len(rows), N)``
        expected payoffs at time ``t`` of full states ``x`` of parameter sets ``rows`` (``P``
        is then ``len(sigmas)``, or 1). It is evaluated at each step's start time, on the
        numpy backend; every drift step is checked not to overshoot a simplex.

    Returns
    -------
    PathsResult

    Raises
    ------
    GameInputError
        A ``linear`` form with a population of more than two strategies, a ``dt`` too large
        for the game (:func:`check_step`), bad shapes.
    LimitError
        Paths x output times, or a chunk of increments, above the memory limit (before
        anything is allocated).

    Examples
    --------
    With ``sigma = 0`` every path is the deterministic Euler trajectory; the logistic
    equation :math:`\\dot x = x(1 - x)` from 1/2 reaches :math:`e/(1+e)` at t = 1 within
    the Euler error (order ``dt``):

    >>> A = np.zeros((1, 2)); A[0, 0] = 1.0
    >>> r = integrate_paths(A, [0.5, 0.5], (2,), 1.0, Noise(0.0, dt=0.001, paths=2))
    >>> bool(abs(r.final[0, 0] - np.e / (1 + np.e)) < 1e-4), r.status.tolist()
    (True, [0, 0])

    The same equation given by its expected payoffs (a callable), with the advantage switched
    off at t = 0.5:

    >>> def u(t, x, rows):
    ...     return np.column_stack([np.full(len(x), 1.0 if t < 0.5 else 0.0), np.zeros(len(x))])
    >>> r = integrate_paths(None, [0.5, 0.5], (2,), 1.0, Noise(0.0, dt=0.001, paths=1),
    ...                     expected_at=u)
    >>> bool(abs(r.final[0, 0] - np.exp(0.5) / (1 + np.exp(0.5))) < 1e-4)
    True
    """
    from gametheory_regen import limits

    from .kernels import check_payoffs, layout_of

    lay = layout_of(counts)
    counts = lay.counts
    n, K, N = lay.n_pops, lay.n_profiles, lay.n_state
    if not isinstance(dynamics, Dynamics):
        raise GameInputError(f"dynamics must be a Dynamics; got {dynamics!r}")
    if not (math.isfinite(t_end) and t_end > 0):
        raise GameInputError(f"t_end must be a positive number; got {t_end}")
    check_noise_form(counts, noise.form)
    if expected_at is None:
        pay = np.asarray(payoffs, dtype=float)
        if pay.shape in ((n, *counts), (n, K)):
            pay = pay.reshape(1, n, K)
        elif pay.ndim >= 3 and pay.shape[1:] in ((n, *counts), (n, K)):
            pay = pay.reshape(pay.shape[0], n, K)
        else:
            raise GameInputError(f"payoffs must have shape ({n}, {K}) or (P, {n}, {K}) (or "
                                 f"the full tensor shapes); got {pay.shape}")
        check_payoffs(pay)
        P = pay.shape[0]
        check_step(pay, counts, dynamics, noise.dt)
    else:
        if payoffs is not None:
            raise GameInputError("give payoffs or expected_at, not both")
        pay = None
        P = 1 if sigmas is None else int(np.size(sigmas))
        # a first check at t = 0 from the payoffs at the vertices (exact for payoffs linear in
        # the shares); every step is checked during the run (sde_step.check_overshoot)
        from .sde_drift import vertex_payoffs

        check_step(vertex_payoffs(expected_at, counts, P), counts, dynamics, noise.dt)
    sig = np.full(P, noise.sigma) if sigmas is None else np.asarray(sigmas, dtype=float)
    if sig.shape != (P,) or not np.all(np.isfinite(sig)) or np.any(sig < 0):
        raise GameInputError(f"sigmas must be {P} finite numbers >= 0")
    m = noise.paths
    n_steps, idx, times = step_grid(float(t_end), noise.dt, n_points)
    nd = noise_dimension(counts, noise.form)
    limits.check_count("steps (t_end / dt)", n_steps, "noise_steps",
                       "integrate a shorter horizon or use a larger --dt")
    # refused before anything is allocated: recorded states, then one chunk of increments
    # the recorded states, and about two copies of them while the quantiles are taken
    limits.check_allocation("noise output (paths x output times)", m * len(idx), 3 * 8 * N,
                            "give fewer --paths or --points (or run several seeds)")
    limits.check_allocation("noise increments (paths x one step)", m, 8 * nd * 2,
                            "give fewer --paths (or run several seeds)")
    x0 = np.atleast_2d(np.asarray(x0, dtype=float))
    if x0.shape[1] != N:
        raise GameInputError(f"starting states must have {N} shares; got {x0.shape[1]}")
    X = np.ascontiguousarray(x0[np.arange(m) % x0.shape[0]])
    pidx = (np.zeros(m, np.int64) if payoff_index is None
            else np.ascontiguousarray(payoff_index, dtype=np.int64))
    if pidx.shape != (m,) or pidx.min() < 0 or pidx.max() >= P:
        raise GameInputError(f"payoff_index must be {m} indices into {P} payoff sets")
    status = np.zeros(m, dtype=np.int64)
    tleft = np.full(m, np.nan)
    out = np.full((m, idx.size, N), np.nan)
    out[:, 0, :] = X
    hs = _steps(n_steps, noise.dt, float(t_end))
    tends = np.minimum(np.arange(1, n_steps + 1) * noise.dt, float(t_end))
    tends[-1] = float(t_end)
    tstarts = np.concatenate([[0.0], tends[:-1]])
    rec_all = np.full(n_steps, -1, dtype=np.int64)
    for j in range(1, idx.size):
        rec_all[idx[j] - 1] = j
    C = int(max(1, min(n_steps, CHUNK_BYTES // (8 * nd * m))))
    ms = m if streams is None else int(streams)
    if not 1 <= ms <= m:
        raise GameInputError(f"streams must be in [1, {m}]; got {streams!r}")
    form = FORMS.index(noise.form)
    scheme = SCHEMES.index(noise.scheme)
    if reduced_applies(counts, dynamics.code, expected_at is not None):
        be = _choose_backend(noise.backend, m * n_steps, "sde2_kernel")
        # no increments to hold: at most about ten chunks (for the progress bar), each a
        # parallel region of its own
        _run_reduced(be, X, status, tleft, hs, tends, pidx, sig, difference_tensor(pay, n),
                     noise.seed, ms, form, scheme, out, rec_all, max(C, -(-n_steps // 10)),
                     progress)
        return PathsResult(X, status, tleft, out, times, n_steps, be, noise, dynamics)
    be = "numpy" if expected_at is not None else _choose_backend(noise.backend, m * n_steps)
    nblocks = (ms + RNG_BLOCK - 1) // RNG_BLOCK
    gens = [_generator(noise.seed, b) for b in range(nblocks)]
    cols = None if ms == m else np.arange(m) % ms
    code, param = dynamics.code, dynamics.param
    runner = None
    if be == "numba":
        from .kernel_sde import run_chunk

        runner = run_chunk
    chunks = [(d, min(C, n_steps - d)) for d in range(0, n_steps, C)]
    # Two buffers: with the compiled kernel (which releases the GIL) the normals of the next
    # chunk are drawn in a second thread while the kernel runs the current one. The streams
    # are read chunk after chunk in the same order either way, so the numbers are the same.
    bufs = [np.empty((C, nd, ms)), np.empty((C, nd, ms)) if len(chunks) > 1 else None]
    pool = None
    if runner is not None and len(chunks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1)
    try:
        pending = None
        Zc = block_normals(gens, ms, nd, chunks[0][1], bufs[0])
        for i, (done, c) in enumerate(chunks):
            if i + 1 < len(chunks):
                nxt = bufs[(i + 1) % 2]
                if pool is not None:
                    pending = pool.submit(block_normals, gens, ms, nd, chunks[i + 1][1], nxt)
            Z = Zc if cols is None else Zc[:, :, cols]
            args = (X, status, tleft, Z, hs[done:done + c], tends[done:done + c], pidx, sig,
                    pay, counts, code, param, form, scheme, out, rec_all[done:done + c])
            if runner is None:
                sde_chunk_np(*args, expected_at=expected_at,
                             tstarts=tstarts[done:done + c])
            else:
                runner(*args)
            if i + 1 < len(chunks):
                Zc = (pending.result() if pool is not None
                      else block_normals(gens, ms, nd, chunks[i + 1][1], nxt))
            if progress is not None:
                progress(done + c, n_steps)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return PathsResult(X, status, tleft, out, times, n_steps, be, noise, dynamics)


def _run_reduced(be, X, status, tleft, hs, tends, pidx, sig, D, seed, ms, form, scheme, out,
                 rec_all, C, progress) -> None:
    """The reduced-coordinate path (:mod:`.sde_reduced`): chunks of ``C`` steps, normals from
    the counter-based generator (nothing drawn outside the kernel)."""
    from .sde_counter import path_keys, seed_key

    m = X.shape[0]
    n_steps = hs.shape[0]
    key = seed_key(seed)
    keys = None
    if be == "numba":
        from .kernel_sde2 import run_chunk
    else:
        keys = path_keys(key, np.arange(m) % ms)
    for done in range(0, n_steps, C):
        c = min(C, n_steps - done)
        sl = slice(done, done + c)
        if be == "numba":
            run_chunk(X, status, tleft, done, hs[sl], tends[sl], pidx, sig, D, key, ms, form,
                      scheme, out, rec_all[sl])
        else:
            reduced_chunk_np(X, status, tleft, done, hs[sl], tends[sl], pidx, sig, D, form,
                             scheme, out, rec_all[sl], keys=keys)
        if progress is not None:
            progress(done + c, n_steps)

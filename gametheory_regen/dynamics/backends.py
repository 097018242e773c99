"""Backends: who runs the integrator of :mod:`.stepper` over one piece.

A backend has a ``name``, says whether it ``supports`` a piece, and ``run_piece(work, piece,
stops)`` integrates every running row of ``work`` in place. Two exist:

* ``numpy`` -- :func:`.stepper.numpy_piece`, the reference; it runs everything, including
  payoffs given by callables (non-affine schedules, payoffs that depend on the state).
* ``numba`` -- :mod:`.kernel_numba`, the same steps compiled; payoffs given as tensors
  (constant, or affine in time within a piece).

``backend="auto"`` picks numba for a batch large enough to pay for loading (or, the first time
on a machine, compiling) the kernel, and numpy otherwise: a single trajectory never waits for a
compiler. Setting ``GAMETHEORY_REGEN_NO_NUMBA=1`` forces numpy. The presentation layer may set
:data:`on_compile` to a callable that tells the user a first-time compile is under way
(analysis code never prints).
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from typing import Protocol

import numpy as np

__all__ = ["Backend", "BACKENDS", "numba_available", "resolve_backend", "kernel_warm",
           "on_compile", "COMPILE_SECONDS", "prepare_cache"]

ENV_NO_NUMBA = "GAMETHEORY_REGEN_NO_NUMBA"
#: below this many trajectories ``auto`` runs numpy unless the compiled kernel is cached
AUTO_BATCH = 2048
#: with a warm cache, ``auto`` runs the compiled kernel from this many trajectories on
AUTO_BATCH_WARM = 64
#: measured first-time compile of the kernel on the project's 2-core machine (seconds; 46 CPU-s
#: with Python's start on the quiet machine on 2026-12-07 08 UTC, 52 s two hours before)
COMPILE_SECONDS = 45
#: trajectories the compiled kernel advances side by side, at most (:func:`_lanes`): 320
#: measured fastest of 64 to 512 on this project's machine on 2026-12-07 (96: 3-16 % slower by
#: shape; 512: 3-7 % slower). More lanes amortise each pass's fixed cost; since a refill
#: evaluates only the loaded lanes, refills no longer cost more with more lanes.
LANES = 320
#: a block's lane arrays are kept within about this many bytes (large games get fewer lanes)
LANE_BYTES = 8 * 2**20
#: fewest trajectories in one scratch block (results never depend on the block size)
BLOCK = 64
#: blocks per thread when a batch is large (see :func:`_block_size`)
BLOCKS_PER_THREAD = 2

#: called as ``on_compile(seconds_estimate)`` just before a first-time compile (presentation)
on_compile: Callable[[float], None] | None = None


class Backend(Protocol):
    """What every backend provides: a ``name``, ``supports(piece)``, ``run_piece(...)``.

    Examples
    --------
    >>> sorted(BACKENDS), BACKENDS["numpy"].name
    (['numba', 'numpy'], 'numpy')
    """

    name: str

    def supports(self, piece) -> bool:  # pragma: no cover - protocol
        """Whether this backend can integrate ``piece``.

        Parameters
        ----------
        piece : gametheory_regen.dynamics.kernels.Piece

        Examples
        --------
        >>> import numpy as np
        >>> from gametheory_regen.dynamics.kernels import Piece
        >>> BACKENDS["numba"].supports(Piece(0.0, 1.0, np.zeros((1, 2, 4))))
        True
        """

    def run_piece(self, work, piece, stops) -> None:  # pragma: no cover - protocol
        """Integrate every running row of ``work`` over ``piece``, in place.

        Parameters
        ----------
        work : gametheory_regen.dynamics.kernels.Work
        piece : gametheory_regen.dynamics.kernels.Piece
        stops : gametheory_regen.dynamics.kernels.Stops

        Examples
        --------
        See :func:`gametheory_regen.dynamics.stepper.numpy_piece`.

        >>> callable(BACKENDS["numpy"].run_piece)
        True
        """


class NumpyBackend:
    """The reference implementation (:func:`.stepper.numpy_piece`).

    >>> NumpyBackend().name
    'numpy'
    """

    name = "numpy"

    def supports(self, piece) -> bool:
        """Every piece. See :meth:`Backend.supports`.

        >>> NumpyBackend().supports(None)
        True
        """
        return True

    def run_piece(self, work, piece, stops) -> None:
        """See :meth:`Backend.run_piece`.

        >>> callable(NumpyBackend().run_piece)
        True
        """
        from .stepper import numpy_piece

        numpy_piece(work, piece, stops)


class NumbaBackend:
    """The compiled kernel (:mod:`.kernel_numba`), loaded from a verified cache.

    >>> NumbaBackend().name
    'numba'
    """

    name = "numba"

    def supports(self, piece) -> bool:
        """Pieces whose payoffs are tensors, not callables. See :meth:`Backend.supports`.

        >>> import numpy as np
        >>> from gametheory_regen.dynamics.kernels import Piece
        >>> NumbaBackend().supports(Piece(0.0, 1.0, np.zeros((1, 2, 4)),
        ...                               payoff_at=lambda t, rows: None))
        False
        """
        return piece.payoff_at is None and piece.expected_at is None

    def run_piece(self, work, piece, stops) -> None:
        """See :meth:`Backend.run_piece`.

        >>> callable(NumbaBackend().run_piece)
        True
        """
        _run_numba(work, piece, stops)


BACKENDS: dict[str, Backend] = {"numpy": NumpyBackend(), "numba": NumbaBackend()}


def numba_available() -> bool:
    """Whether numba can be imported and is not disabled by ``GAMETHEORY_REGEN_NO_NUMBA``.

    Returns
    -------
    bool

    Examples
    --------
    >>> import os
    >>> saved = os.environ.get("GAMETHEORY_REGEN_NO_NUMBA")
    >>> os.environ["GAMETHEORY_REGEN_NO_NUMBA"] = "1"
    >>> numba_available(), resolve_backend("auto", 10**6)
    (False, 'numpy')
    >>> _ = os.environ.pop("GAMETHEORY_REGEN_NO_NUMBA") if saved is None else os.environ.update(
    ...     GAMETHEORY_REGEN_NO_NUMBA=saved)
    """
    if os.environ.get(ENV_NO_NUMBA, "") not in ("", "0"):
        return False
    return _numba_version() is not None


@functools.lru_cache(maxsize=1)
def _numba_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("numba")
    except Exception:  # noqa: BLE001 - not installed, or broken metadata
        return None


def kernel_warm() -> bool:
    """Whether the compiled kernel is in the (verified) cache, so loading it is quick.

    >>> isinstance(kernel_warm(), bool)
    True
    """
    v = _numba_version()
    if v is None:
        return False
    from . import cache

    for root in cache.candidates():
        path = root / cache.key(v)
        try:
            with open(path / cache.MANIFEST, encoding="utf-8") as fh:
                if "piece_kernel" in fh.read():
                    return True
        except OSError:
            continue
    return False


def resolve_backend(backend: str, m: int | None = None) -> str:
    """Turn ``"auto"``, ``"numba"`` or ``"numpy"`` into the backend that will run.

    Parameters
    ----------
    backend : {"auto", "numba", "numpy"}
    m : int, optional
        Number of trajectories (``auto`` runs numpy for small batches; see the module
        docstring). Without it ``auto`` means numba whenever it is available.

    Returns
    -------
    str

    Raises
    ------
    GameInputError
        For an unknown name, or ``"numba"`` when numba cannot be imported.

    Examples
    --------
    >>> resolve_backend("numpy"), resolve_backend("auto", 1)
    ('numpy', 'numpy')
    >>> resolve_backend("gpu")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: backend must be 'auto', 'numba' or 'numpy'; got 'gpu'
    """
    from gametheory_regen.errors import GameInputError

    if backend == "auto":
        if not numba_available():
            return "numpy"
        if m is None or m >= AUTO_BATCH or (m >= AUTO_BATCH_WARM and kernel_warm()):
            return "numba"
        return "numpy"
    if backend == "numpy":
        return "numpy"
    if backend == "numba":
        if _numba_version() is None:
            raise GameInputError(
                "backend='numba' needs numba, which is not importable here (pip install "
                "numba); use backend='numpy' or 'auto'"
            )
        return "numba"
    raise GameInputError(f"backend must be 'auto', 'numba' or 'numpy'; got {backend!r}")


# ---------------------------------------------------------------------------------------------
# loading the compiled kernel
# ---------------------------------------------------------------------------------------------

_STATE: dict = {}
#: set after a failed cache load: this process compiles without caching from then on
_NO_CACHE = False


def prepare_cache():
    """Choose and verify the cache directory and point numba at it (before any dispatcher of
    :mod:`.kernel_numba` exists); ``None`` when caching is off or nothing is writable.

    :mod:`.kernel_numba` calls this when it is imported, however it is imported, so its
    dispatchers never cache anywhere else (numba's own default would be the package's
    ``__pycache__``). numba's ``config.CACHE_DIR`` is process-wide.

    Returns
    -------
    gametheory_regen.dynamics.cache.CacheDir or None

    Examples
    --------
    >>> c = prepare_cache()
    >>> c is None or c.path.is_dir()
    True
    """
    from . import cache

    if _NO_CACHE:
        return None
    chosen = cache.choose(_numba_version() or "0")
    if chosen is None:
        return None
    cache.verify(chosen)
    import numba

    numba.config.CACHE_DIR = str(chosen.path)
    return chosen


def _load_kernel():
    """:mod:`.kernel_numba`, imported (it prepares its verified cache itself)."""
    if "module" in _STATE:
        return _STATE["module"]
    from . import kernel_numba

    _STATE.update(module=kernel_numba, cache=kernel_numba.CACHE_DIR)
    return kernel_numba


def _reload_uncached():
    """After a failed load: compile this process's kernel without caching."""
    global _NO_CACHE
    _NO_CACHE = True
    from . import kernel_contract, kernel_numba, kernel_step

    importlib.reload(kernel_contract)  # kernel_numba's compiled callees, uncached too
    importlib.reload(kernel_step)
    kernel_numba = importlib.reload(kernel_numba)
    _STATE.update(module=kernel_numba, cache=None)
    return kernel_numba


def _compiled_already(mod) -> bool:
    return bool(mod.piece_kernel.signatures)


def _run_numba(work, piece, stops) -> None:
    from . import cache
    from .contraction import relative_plan, relative_tensors
    from .kernels import NEAR_VERTEX, SUM_TOL

    mod = _load_kernel()
    lay = work.layout
    n, K = lay.n_pops, lay.n_profiles
    integ = work.integrator
    tab = integ.tableau
    # the tensors the integrator contracts: payoffs relative to each population's last strategy
    A = _writable(relative_tensors(piece.payoffs.reshape(piece.payoffs.shape[0], n, K),
                                   lay.counts), float)
    has_slope = piece.slope is not None
    B = (_writable(relative_tensors(piece.slope.reshape(A.shape), lay.counts), float)
         if has_slope else np.zeros((1, n, K)))
    gather = _writable(lay.gather, np.int64)
    offs = _writable(lay.offsets, np.int64)
    counts = np.asarray(lay.counts, dtype=np.int64)
    fs = np.zeros(mod.F_SIZE)
    fs[mod.F_T0], fs[mod.F_T1] = float(piece.t_start), float(piece.t_stop)
    fs[mod.F_DT] = float(integ.dt or 0.0)
    fs[mod.F_RTOL], fs[mod.F_ATOL] = integ.rtol, integ.atol
    fs[mod.F_PARAM] = work.dynamics.param
    fs[mod.F_SETTLE], fs[mod.F_VTOL] = stops.settle_tol, stops.vertex_tol
    fs[mod.F_NEAR], fs[mod.F_SUMTOL], fs[mod.F_EXPO] = NEAR_VERTEX, SUM_TOL, tab.exponent
    js = np.zeros(mod.I_SIZE, dtype=np.int64)
    js[mod.I_CODE] = work.dynamics.code
    js[mod.I_MAXSTEPS] = integ.max_steps
    js[mod.I_ADAPTIVE], js[mod.I_FSAL] = int(tab.adaptive), int(tab.fsal)
    js[mod.I_ERRORDER], js[mod.I_SLOPE] = tab.error_order, int(has_slope)
    js[mod.I_BOX] = int(stops.radii is not None)
    js[mod.I_RATES] = int(stops.rates is not None)
    m = work.X.shape[0]
    lanes = _lanes(m, lay.n_state, K, n, len(tab.c), A.shape[0] == 1 and not has_slope)
    js[mod.I_LANES] = lanes
    js[mod.I_REFILL] = mod.REFILL
    js[mod.I_GATHER] = mod.GATHER_MAX
    radii = stops.radii if stops.radii is not None else np.zeros((1, K))
    lam, spread = stops.rates if stops.rates is not None else (np.zeros((1, K, 1)),) * 2
    e = tab.e if tab.e is not None else np.zeros_like(tab.b)
    # writable copies: numba types read-only arrays apart, which would compile a second time
    out = work.out if work.out is not None else np.zeros((work.X.shape[0], 0, lay.n_state))
    args = (
        (work.X, work.T, work.H, work.status, work.steps, work.rejected, work.vel, work.vtx),
        (work.pidx, A, B, gather, offs, counts,
         _writable(relative_plan(lay.counts), np.int64)),
        (np.array(tab.c), np.vstack([tab.a, tab.b[None], e[None]])),
        fs, js, (work.t_out, out),
        (_writable(radii, float), _writable(lam, float), _writable(spread, float)),
        _block_size(m, lanes),
    )
    first = not _compiled_already(mod)
    if first and on_compile is not None and not _cache_has_kernel():
        on_compile(COMPILE_SECONDS)
    # the first call loads (or compiles) the kernel; keep the inputs in case that fails
    snapshot = [a.copy() for a in args[0]] if first else None
    try:
        mod.piece_kernel(*args)
    except Exception:  # noqa: BLE001 - a cache that cannot be loaded: heal and compile afresh
        if not first or _STATE.get("cache") is None:
            raise
        for dst, src in zip(args[0], snapshot, strict=True):
            dst[...] = src
        cache.wipe(_STATE["cache"])
        mod = _reload_uncached()
        mod.piece_kernel(*args)
        return
    if first and _STATE.get("cache") is not None:
        cache.record(_STATE["cache"])


def _threads() -> int:
    try:
        import numba

        return max(1, int(numba.get_num_threads()))
    except Exception:  # noqa: BLE001 - only the load balance depends on it
        return 1


def _lanes(m: int, n_state: int, n_profiles: int, n_pops: int, stages: int,
           shared: bool) -> int:
    """Lanes for ``m`` trajectories: :data:`LANES`, fewer where the lane arrays (states, stage
    derivatives, contraction scratch and, unless every lane has the same constant payoffs,
    each lane's payoff tensors) would pass :data:`LANE_BYTES`, or where a thread has fewer
    trajectories; a multiple of 8 (one vector). Results never depend on it (lanes never mix).

    >>> _lanes(10**6, 12, 64, 3, 7, True), _lanes(20, 12, 64, 3, 7, True) % 8
    (320, 0)
    >>> _lanes(10**6, 18, 729, 6, 7, False) < 96  # six populations of three, a payoff set each
    True
    """
    per_lane = 8 * ((stages + 8) * n_state + 3 * max(n_profiles, n_state)
                    + (0 if shared else 2 * n_pops * n_profiles))
    cap = LANE_BYTES // per_lane // 8 * 8
    share = -(-m // _threads())
    return int(max(8, min(LANES, cap, -(-share // 8) * 8)))


def _block_size(m: int, lanes: int) -> int:
    """Rows per block: about half of each thread's share, at least :data:`BLOCK` and ``lanes``.

    Lanes that have run out of trajectories idle until their block ends, so larger blocks
    waste less. numba's default thread pools (omp, workqueue) hand each thread an equal run of
    blocks, so more blocks per thread only add such tails (measured with 20,000 trajectories
    of 3x4 and 4x3 games: eight blocks per thread 2-4 % slower than two on one thread, 6-9 %
    on two); two leave a pool that balances dynamically (tbb) something to balance. Blocks
    are of equal size (not whole fills of the lanes), so that threads get equal shares. A
    trajectory's numbers do not depend on its block (lanes never mix), so neither does any
    result.

    >>> _block_size(100, 104), _block_size(10**6, 320) >= 10**6 // (2 * _threads())
    (104, True)
    """
    per = -(-m // (BLOCKS_PER_THREAD * _threads()))
    return max(BLOCK, lanes, per)


def _writable(a, dtype) -> np.ndarray:
    """A C-contiguous, writable array (numba compiles read-only arrays as another type)."""
    out = np.ascontiguousarray(a, dtype=dtype)
    return out if out.flags.writeable else out.copy()


def _cache_has_kernel() -> bool:
    c = _STATE.get("cache")
    if c is None:
        return False
    return any(c.path.rglob("*piece_kernel*.nbi"))

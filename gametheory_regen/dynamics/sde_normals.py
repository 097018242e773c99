r"""Random increments of the stochastic engine: standard normals by fixed blocks of paths.

Mathematics
-----------
Increments are standard normals :math:`\xi` with :math:`\Delta W = \sqrt h\, \xi`. Paths are cut
into fixed blocks of :data:`RNG_BLOCK`; block :math:`b` draws from its own PCG64 stream seeded by
``numpy.random.SeedSequence(seed, spawn_key=(b,))`` (= ``SeedSequence(seed).spawn(b + 1)[b]``),
in the order (step, noise, path). Increments are drawn per chunk of steps (bounded memory); a
stream read in chunks gives the same numbers as read at once, so results depend neither on the
chunk size, nor on the thread count, nor on the backend (:func:`block_normals`).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "RNG_BLOCK",
    "block_normals",
]

#: paths per random stream (fixed, so results never depend on thread count or chunking)
RNG_BLOCK = 256


def _generator(seed: int, block: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def block_normals(gens, m: int, nd: int, steps: int, out: np.ndarray | None = None,
                  threads: int = 1) -> np.ndarray:
    """Standard normals ``(steps, nd, m)`` for one chunk of steps, block by block.

    Parameters
    ----------
    gens : list of numpy.random.Generator
        One per block of :data:`RNG_BLOCK` paths (consumed in order).
    m, nd, steps : int
        Paths, normals per step and path, steps of the chunk.
    out : numpy.ndarray, optional
        An array to fill (reused between chunks).
    threads : int
        Threads drawing blocks at once (the numbers do not depend on it).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    Reading a stream in two chunks gives the numbers of one read:

    >>> a = block_normals([_generator(1, 0)], 3, 2, 5)
    >>> g = [_generator(1, 0)]
    >>> b = np.concatenate([block_normals(g, 3, 2, 2), block_normals(g, 3, 2, 3)])
    >>> bool(np.array_equal(a, b))
    True
    """
    Z = np.empty((steps, nd, m)) if out is None else out[:steps]

    def fill(b):
        lo, hi = b * RNG_BLOCK, min(m, (b + 1) * RNG_BLOCK)
        Z[:, :, lo:hi] = gens[b].standard_normal((steps, nd, hi - lo))

    if threads > 1 and len(gens) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as ex:
            list(ex.map(fill, range(len(gens))))
    else:
        for b in range(len(gens)):
            fill(b)
    return Z

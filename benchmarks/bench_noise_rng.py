"""Would a counter-based generator inside the compiled kernel reach 1,000x? (issue 11, "Speed")

``bench_noise.py`` measures the engine at about 200x a Python loop of numpy Euler-Maruyama
over paths; the target is 1,000x. The engine's time is the compiled kernel plus drawing
1.5e8 standard normals from numpy's PCG64 streams (one thread, overlapped with the kernel).
A counter-based generator evaluated inside the kernel (a hash of (seed, path, step,
coordinate) turned into normals) would remove the draw and the memory traffic of the
increments, but not the kernel's own work. This script measures, in one run on one machine:

1. ``loop``   : the numpy Euler-Maruyama loop over paths (as ``bench_noise.py``), extrapolated;
2. ``engine`` : ``integrate_paths`` as shipped (compiled kernel, numpy normals);
3. ``kernel`` : the same compiled kernel over the same steps, with one chunk of normals drawn
   once and reused for every chunk: the engine with random numbers that cost nothing, i.e. the
   *ceiling* of any generator inside the kernel;
4. ``ctr``    : a counter-based generator compiled with numba, in parallel: SplitMix64's
   finaliser (Steele, Lea & Flood 2014) of ``key + counter * golden``, two 53-bit uniforms per
   pair of normals, Box-Muller (``log``, ``sqrt``, ``cos``, ``sin`` of the C library), for as
   many normals as the run needs (1.5e8), summed so that nothing is optimised away;
5. ``numpy normals`` : the same count drawn as the engine draws them (PCG64 streams per block).

The projected engine with the generator inside is ``kernel + ctr`` (both use every core).

Usage: ``python benchmarks/bench_noise_rng.py [--paths 10000] [--baseline 20]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from numba import njit, prange, uint64

from gametheory_regen import Game
from gametheory_regen.dynamics import sde
from gametheory_regen.dynamics.numeric import payoff_tensor
from gametheory_regen.dynamics.sde import Noise, integrate_paths

T_END, DT, SIGMA = 50.0, 0.01, 0.5
GOLDEN = 0x9E3779B97F4A7C15
M1, M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> uint64(30))) * uint64(M1)
    z = (z ^ (z >> uint64(27))) * uint64(M2)
    return z ^ (z >> uint64(31))


@njit(parallel=True, nogil=True)
def counter_normals(key, m, per_path):
    """Sum and sum of squares of ``m * per_path`` normals from counters (path, index)."""
    acc = np.zeros((m, 2))
    scale = 1.0 / 9007199254740992.0  # 2**-53
    for i in prange(m):
        s = 0.0
        ss = 0.0
        base = uint64(i) * uint64(per_path)
        for j in range(0, per_path, 2):
            c = (base + uint64(j)) * uint64(GOLDEN)
            a = _mix(uint64(key) + c)
            b = _mix(uint64(key) + c + uint64(GOLDEN))
            u1 = (float(a >> uint64(11)) + 0.5) * scale
            u2 = float(b >> uint64(11)) * scale
            r = math.sqrt(-2.0 * math.log(u1))
            z0 = r * math.cos(2.0 * math.pi * u2)
            z1 = r * math.sin(2.0 * math.pi * u2)
            s += z0 + z1
            ss += z0 * z0 + z1 * z1
        acc[i, 0] = s
        acc[i, 1] = ss
    return acc


def numpy_em_path(f, x0, rng, n_steps):
    x = np.array(x0, dtype=float)
    sq = np.sqrt(DT)
    for _ in range(n_steps):
        dw = sq * rng.standard_normal(3)
        x = x + f(x) * DT + SIGMA * x * (1 - x) * dw
    return x


def kernel_only(pay, x0, m, n_steps):
    """The engine's kernel over every chunk, normals drawn once and reused (not timed)."""
    from gametheory_regen.dynamics.kernel_sde import run_chunk

    counts = (2, 2, 2)
    nd = 3
    C = int(max(1, min(n_steps, sde.CHUNK_BYTES // (8 * nd * m))))
    Z = np.random.default_rng(0).standard_normal((C, nd, m))
    X = np.tile(np.asarray(x0, float), (m, 1))
    status = np.zeros(m, np.int64)
    tleft = np.full(m, np.nan)
    out = np.full((m, 101, 6), np.nan)
    hs = np.full(n_steps, DT)
    tends = np.arange(1, n_steps + 1) * DT
    rec = np.full(n_steps, -1, np.int64)
    rec[np.rint(np.linspace(0, n_steps, 101)).astype(int)[1:] - 1] = np.arange(1, 101)
    pidx = np.zeros(m, np.int64)
    sig = np.array([SIGMA])
    A = pay.reshape(1, 3, 8)
    t = time.perf_counter()
    for d in range(0, n_steps, C):
        c = min(C, n_steps - d)
        run_chunk(X, status, tleft, Z, hs[d:d + c], tends[d:d + c], pidx, sig, A, counts, 0,
                  0.0, 0, 0, out, rec[d:d + c])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--baseline", type=int, default=20)
    args = ap.parse_args()
    from _common import cpu_name
    from bench_noise import _drift

    game = Game.builtin("regeneration").with_scenario("jinsong")
    pay = payoff_tensor(game)
    x0 = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    m = args.paths
    n_steps = int(round(T_END / DT))
    print(f"machine: {cpu_name()}")
    print(f"{m} paths, {n_steps} steps, 3 normals per step: {3 * m * n_steps:.3g} normals")
    integrate_paths(pay, x0, (2, 2, 2), 1.0, Noise(SIGMA, paths=64, backend="numba"))
    counter_normals(1, 4, 8)  # compile, not timed

    t = time.perf_counter()
    integrate_paths(pay, x0, (2, 2, 2), T_END,
                    Noise(SIGMA, dt=DT, paths=m, seed=1, backend="numba"))
    engine = time.perf_counter() - t
    kern = kernel_only(pay, x0, m, n_steps)
    t = time.perf_counter()
    acc = counter_normals(12345, m, 3 * n_steps)
    ctr = time.perf_counter() - t
    total = 3 * m * n_steps
    mean = acc[:, 0].sum() / total
    var = acc[:, 1].sum() / total - mean**2
    gens = [sde._generator(1, b) for b in range((m + sde.RNG_BLOCK - 1) // sde.RNG_BLOCK)]
    C = int(max(1, min(n_steps, sde.CHUNK_BYTES // (8 * 3 * m))))
    buf = np.empty((C, 3, m))
    t = time.perf_counter()
    for d in range(0, n_steps, C):
        sde.block_normals(gens, m, 3, min(C, n_steps - d), buf)
    draw = time.perf_counter() - t

    f = _drift(pay)
    rng = np.random.default_rng(1)
    t = time.perf_counter()
    for _ in range(args.baseline):
        numpy_em_path(f, [0.5, 0.5, 0.5], rng, n_steps)
    loop = (time.perf_counter() - t) / args.baseline * m

    print(f"numpy EM loop (extrapolated): {loop:8.1f} s")
    print(f"engine as shipped          : {engine:8.2f} s  -> {loop / engine:6.0f}x")
    print(f"numpy normals, one thread  : {draw:8.2f} s  ({draw / total * 1e9:.1f} ns each)")
    print(f"kernel, free normals       : {kern:8.2f} s  -> {loop / kern:6.0f}x (ceiling of any "
          f"generator in the kernel)")
    print(f"counter generator, parallel: {ctr:8.2f} s  ({ctr / total * 1e9:.1f} ns each, "
          f"mean {mean:+.2e}, variance {var:.5f})")
    proj = kern + ctr
    print(f"projected engine (kernel + counter generator): {proj:.2f} s -> {loop / proj:.0f}x "
          f"(target 1000x)")


if __name__ == "__main__":
    main()

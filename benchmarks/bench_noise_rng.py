"""Where the noise engine's time goes: in-kernel normals against numpy's (issue 11, "Speed").

Two-strategy games under the replicator run on the reduced-coordinate kernel
(``kernel_sde2``), which draws its standard normals inside the kernel from a counter-based
generator (SplitMix64 + Box-Muller of IEEE operations, ``sde_counter``); other games run on the
general kernel (``kernel_sde``), fed by numpy's PCG64 streams drawn outside it. This script
measures, in one run on one machine, for the regeneration model (10,000 paths, 5,000 steps):

1. ``loop``   : the numpy Euler-Maruyama loop over paths (as ``bench_noise.py``), extrapolated;
2. ``engine`` : ``integrate_paths`` as shipped (the reduced kernel, normals inside);
3. ``general kernel, free normals`` : the general kernel over the same steps with one chunk of
   normals drawn once and reused (what this model cost before the reduced path, without the
   normals);
4. ``numpy normals`` : the 1.5e8 normals the general kernel needs, drawn as it draws them (PCG64
   streams per block, one thread);
5. ``generator alone`` : the reduced kernel's generator, compiled, one thread, 3e7 normals.

Usage: ``python benchmarks/bench_noise_rng.py [--paths 10000] [--baseline 20]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numba import njit

from gametheory_regen import Game
from gametheory_regen.dynamics import sde
from gametheory_regen.dynamics.kernel_sde2 import _normals
from gametheory_regen.dynamics.numeric import payoff_tensor
from gametheory_regen.dynamics.sde import Noise, integrate_paths

T_END, DT, SIGMA = 50.0, 0.01, 0.5


@njit
def generator_alone(keys, steps):
    """Sum of ``3 * steps * len(keys)`` normals of the reduced kernel's generator (one thread)."""
    L = 64
    Z = np.zeros((3, L))
    B1 = np.zeros(L, np.int64)
    B2 = np.zeros(L, np.int64)
    E = np.zeros(L)
    MB = np.zeros(L, np.int64)
    SAVE = np.zeros(L)
    acc = 0.0
    for g in range(keys.shape[0] // L):
        KP = keys[g * L:(g + 1) * L]
        for s in range(steps):
            _normals(KP, s, s == 0, 3, Z, B1, B2, E, MB, SAVE)
            acc += Z[0, 0] + Z[1, 1] + Z[2, 2]
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
    from gametheory_regen.dynamics.sde_counter import path_keys, seed_key

    keys = path_keys(seed_key(1), np.arange(m))
    generator_alone(keys[:64], 2)  # compile, not timed
    kernel_only(pay, x0, 64, 2)  # the general kernel: compile or load, not timed

    t = time.perf_counter()
    integrate_paths(pay, x0, (2, 2, 2), T_END,
                    Noise(SIGMA, dt=DT, paths=m, seed=1, backend="numba"))
    engine = time.perf_counter() - t
    kern = kernel_only(pay, x0, m, n_steps)
    gsteps = 1000
    t = time.perf_counter()
    generator_alone(keys, gsteps)
    gen = time.perf_counter() - t
    gcount = 3 * (m // 64) * 64 * gsteps
    total = 3 * m * n_steps
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
    print(f"engine (reduced kernel, normals inside): {engine:8.2f} s -> {loop / engine:6.0f}x "
          f"(target 1000x)")
    print(f"general kernel, free normals: {kern:8.2f} s -> {loop / kern:6.0f}x")
    print(f"numpy normals, one thread   : {draw:8.2f} s  ({draw / total * 1e9:.1f} ns each)")
    print(f"in-kernel generator, one thread: {gen / gcount * 1e9:.1f} ns per normal")


if __name__ == "__main__":
    main()

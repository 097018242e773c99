"""Benchmark of the stochastic engine against Python loops over paths (issue 11, "Speed").

One run, one model: the regeneration model (scenario ``jinsong``), 10,000 paths of
``dx = f(x) dt + sigma x (1 - x) dW`` (the ``simplex`` noise form, one Brownian motion per
population) from (0.5, 0.5, 0.5) to t = 50 with dt = 0.01 (5,000 steps), sigma = 0.5.

* engine   : ``integrate_paths`` (compiled kernel, warm: the reduced-coordinate kernel of
             two-strategy games, standard normals drawn inside it by a counter-based
             generator; all of it timed), 101 output times recorded.
* sdeint   : a Python loop of ``sdeint.itoEuler`` (Euler-Maruyama), one path at a time, on
             ``--baseline`` paths; rate extrapolated to 10,000 paths. Skipped if sdeint is not
             installed (``pip install sdeint``, the ``bench`` extra).
* numpy EM : a plain numpy Euler-Maruyama loop, one path at a time (expected payoffs by einsum,
             three shares), on ``--baseline`` paths; extrapolated.

Both baselines integrate the same equation in the papers' reduced coordinates (one share per
population) with plain Euler-Maruyama; the engine uses its log-odds scheme (docs/noise.md).
As a check that they compute the same thing, the mean of every share at t = 50 is printed for
the engine and for the numpy loop's paths.

The wall-clock ratio is the issue's criterion. The machine is shared, so the run also prints
the load average and each side's CPU time: the baselines run in one thread, the engine in
two, so under load the engine's wall time suffers more than the loops' (the ratio per CPU
second shows the work each side does).

Usage: ``python benchmarks/bench_noise.py [--paths 10000] [--baseline 20]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numba
import numpy as np

from gametheory_regen import Game
from gametheory_regen.dynamics.numeric import payoff_tensor
from gametheory_regen.dynamics.sde import Noise, integrate_paths

T_END, DT, SIGMA = 50.0, 0.01, 0.5


def _drift(pay):
    """The replicator in reduced coordinates, ``x_p' = x_p (1 - x_p) (u_p1 - u_p2)``."""
    d = [pay[0][0] - pay[0][1], pay[1][:, 0] - pay[1][:, 1], pay[2][:, :, 0] - pay[2][:, :, 1]]

    def f(x, t=0.0):
        a = np.array([x[0], 1 - x[0]])
        b = np.array([x[1], 1 - x[1]])
        c = np.array([x[2], 1 - x[2]])
        adv = np.array([np.einsum("j,k,jk->", b, c, d[0]),
                        np.einsum("i,k,ik->", a, c, d[1]),
                        np.einsum("i,j,ij->", a, b, d[2])])
        return x * (1 - x) * adv

    return f


def numpy_em_path(f, x0, rng, n_steps):
    x = np.array(x0, dtype=float)
    sq = np.sqrt(DT)
    for _ in range(n_steps):
        dw = sq * rng.standard_normal(3)
        x = x + f(x) * DT + SIGMA * x * (1 - x) * dw
    return x


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--baseline", type=int, default=20)
    args = ap.parse_args()
    from _common import cpu_name

    game = Game.builtin("regeneration").with_scenario("jinsong")
    pay = payoff_tensor(game)
    x0 = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    n_steps = int(round(T_END / DT))
    print(f"machine: {cpu_name()}")
    print(f"model: regeneration (jinsong), {args.paths} paths, t = {T_END:g}, dt = {DT:g} "
          f"({n_steps} steps), sigma = {SIGMA:g}, simplex form")

    # warm-up (compiles on first use on this machine; not timed)
    t = time.perf_counter()
    integrate_paths(pay, x0, (2, 2, 2), 1.0, Noise(SIGMA, paths=64, backend="numba"))
    print(f"kernel load/compile: {time.perf_counter() - t:.1f} s (not in the timings)")
    t, c = time.perf_counter(), time.process_time()
    res = integrate_paths(pay, x0, (2, 2, 2), T_END,
                          Noise(SIGMA, dt=DT, paths=args.paths, seed=1, backend="numba"))
    engine, engine_cpu = time.perf_counter() - t, time.process_time() - c
    print(f"engine: {engine:.2f} s for {args.paths} paths "
          f"({engine / (args.paths * n_steps) * 1e9:.0f} ns per path-step); CPU time "
          f"{engine_cpu:.2f} s over {numba.get_num_threads()} threads (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

    f = _drift(pay)
    rng = np.random.default_rng(1)
    t, c = time.perf_counter(), time.process_time()
    ends = [numpy_em_path(f, [0.5, 0.5, 0.5], rng, n_steps) for _ in range(args.baseline)]
    per = (time.perf_counter() - t) / args.baseline
    per_cpu = (time.process_time() - c) / args.baseline
    loop = per * args.paths
    print(f"numpy EM loop: {per * 1e3:.1f} ms per path -> {loop:.0f} s for {args.paths} paths; "
          f"engine is {loop / engine:.0f}x faster (per CPU second: "
          f"{per_cpu * args.paths / engine_cpu:.0f}x)")
    print(f"  mean shares at t = {T_END:g}: engine {res.final[:, ::2].mean(axis=0).round(3)}, "
          f"numpy loop ({args.baseline} paths) {np.mean(ends, axis=0).round(3)}")
    try:
        import sdeint
    except ImportError:
        print("sdeint: not installed (pip install sdeint); skipped")
        return
    tspan = np.linspace(0.0, T_END, n_steps + 1)

    def G(x, t):
        return np.diag(SIGMA * x * (1 - x))

    t, c = time.perf_counter(), time.process_time()
    for i in range(args.baseline):
        sdeint.itoEuler(f, G, np.array([0.5, 0.5, 0.5]), tspan,
                        generator=np.random.default_rng(100 + i))
    per = (time.perf_counter() - t) / args.baseline
    per_cpu = (time.process_time() - c) / args.baseline
    loop = per * args.paths
    print(f"sdeint.itoEuler loop: {per * 1e3:.1f} ms per path -> {loop:.0f} s for "
          f"{args.paths} paths; engine is {loop / engine:.0f}x faster (target 1000x; per CPU "
          f"second: {per_cpu * args.paths / engine_cpu:.0f}x)")


if __name__ == "__main__":
    main()

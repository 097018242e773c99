"""Speed by game shape: the compiled engine against a solve_ivp loop, per CPU-second.

For each shape (up to six two-strategy populations, 4x3 and 3x4), a random game (payoffs
uniform in [-1, 1], seeded) is integrated from random starts to t = 50 by the engine
(``integrate_batch``, default settings, numba, one thread) and by a Python loop of
``solve_ivp`` (RK45, rtol 1e-8, reduced coordinates), both timed by CPU time in the same run.
The first compile is not timed (one kernel serves every shape: it is compiled once).

Usage: ``NUMBA_NUM_THREADS=1 python benchmarks/bench_shapes.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import cpu_name, reduce_state, reduced_rhs
from scipy.integrate import solve_ivp

from gametheory_regen.analysis.basins import sample_starts
from gametheory_regen.analysis.batch import integrate_batch

SHAPES = [(2, 2, 2), (2, 2, 2, 2), (2,) * 5, (2,) * 6, (3, 3), (3, 3, 3), (3, 4), (4, 3),
          (3, 3, 3, 3), (4, 4, 4), (3, 4, 4)]  # (3, 4): two populations, of 3 and 4 strategies


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n_eng = 2000 if args.quick else 20000
    n_base = 5 if args.quick else 20
    A = np.eye(2)
    integrate_batch(np.stack([A, A]), [[0.5, 0.4]] * 3000, 1.0, backend="numba")  # compile
    print(f"machine: {cpu_name()}")
    print(f"{'populations x strategies':<26}{'engine traj/CPU-s':>20}"
          f"{'solve_ivp traj/CPU-s':>22}{'ratio':>10}")
    for counts in SHAPES:
        rng = np.random.default_rng(sum(counts) * 31 + len(counts))
        pay = rng.uniform(-1, 1, (len(counts), *counts))
        x0 = sample_starts(counts, n_eng, method="random", seed=1)
        t = time.process_time()
        integrate_batch(pay, x0, 50.0, backend="numba")
        eng = n_eng / (time.process_time() - t)
        f = reduced_rhs(pay, counts)
        t = time.process_time()
        for i in range(n_base):
            solve_ivp(f, (0, 50.0), reduce_state(x0[i], counts), method="RK45", rtol=1e-8)
        base = n_base / (time.process_time() - t)
        # "4x3": four populations of three strategies (as the issue names shapes)
        label = (f"{len(counts)}x{counts[0]}" if len(set(counts)) == 1
                 else "(" + ",".join(map(str, counts)) + ")")
        print(f"{label:<26}{eng:>20,.0f}{base:>22,.1f}{eng / base:>9,.0f}x")


if __name__ == "__main__":
    main()

"""Speed by game shape: the compiled engine against a solve_ivp loop, per CPU-second.

For each shape (up to six two-strategy populations, 4x3 and 3x4), a random game (payoffs
uniform in [-1, 1], seeded) is integrated from random starts to t = 50 by the engine
(``integrate_batch``, default settings, numba, one thread) and by a Python loop of
``solve_ivp`` (RK45, rtol 1e-8, reduced coordinates), both timed by CPU time in the same run.
The first compile is not timed (one kernel serves every shape: it is compiled once).

The last column is a ceiling: the ratio the engine would reach if it did nothing but the
multiplies a Dormand-Prince attempt needs (:func:`multiplies_per_attempt`, the kernel's order of
arithmetic), one 512-bit multiply (8 lanes) per cycle at the clock ``/proc/cpuinfo`` reports,
with the attempts per trajectory of the timed run and the baseline of this run.

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
from gametheory_regen.dynamics.contraction import relative_plan


def multiplies_per_attempt(counts) -> int:
    """Multiplies per trajectory in one Dormand-Prince attempt of the compiled kernel: six
    field evaluations (the contractions of :func:`relative_plan`, ``k - 1`` products per
    entry of a ``k``-strategy axis, as :mod:`gametheory_regen.dynamics.kernel_contract` forms
    them; the replicator's ``2 k`` per population), the stage sums (26 per component) and the
    error estimate (9 per component, a division counted as a multiply)."""
    field = 0
    for _p, _q, outer, k, inner in relative_plan(counts):
        field += outer * inner * (k - 1)
    field += 2 * sum(counts)
    return int(6 * field + sum(counts) * (26 + 9))


def clock_hz() -> float:
    """The clock ``/proc/cpuinfo`` reports (nan where it is not there)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("cpu MHz"):
                    return float(line.split(":", 1)[1]) * 1e6
    except OSError:
        pass
    return float("nan")


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
    hz = clock_hz()
    print(f"clock {hz / 1e9:.2f} GHz (for the ceiling)")
    print(f"{'populations x strategies':<26}{'engine traj/CPU-s':>20}"
          f"{'solve_ivp traj/CPU-s':>22}{'ratio':>10}{'attempts':>10}{'mul/att':>9}"
          f"{'ceiling':>10}")
    for counts in SHAPES:
        rng = np.random.default_rng(sum(counts) * 31 + len(counts))
        pay = rng.uniform(-1, 1, (len(counts), *counts))
        x0 = sample_starts(counts, n_eng, method="random", seed=1)
        t = time.process_time()
        res = integrate_batch(pay, x0, 50.0, backend="numba")
        eng = n_eng / (time.process_time() - t)
        att = float(res.steps.sum() + res.rejected.sum()) / n_eng
        mul = multiplies_per_attempt(counts)
        f = reduced_rhs(pay, counts)
        t = time.process_time()
        for i in range(n_base):
            solve_ivp(f, (0, 50.0), reduce_state(x0[i], counts), method="RK45", rtol=1e-8)
        base = n_base / (time.process_time() - t)
        # "4x3": four populations of three strategies (as the issue names shapes)
        label = (f"{len(counts)}x{counts[0]}" if len(set(counts)) == 1
                 else "(" + ",".join(map(str, counts)) + ")")
        ceiling = hz * 8 / (mul * att) / base
        print(f"{label:<26}{eng:>20,.0f}{base:>22,.1f}{eng / base:>9,.0f}x{att:>10.1f}"
              f"{mul:>9,d}{ceiling:>9,.0f}x")


if __name__ == "__main__":
    main()

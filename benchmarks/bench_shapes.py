"""Speed by game shape: the compiled engine against a solve_ivp loop, per CPU-second.

For each shape (up to six two-strategy populations, 4x3 and 3x4), a random game (payoffs
uniform in [-1, 1], seeded) is integrated from random starts to t = 50 by the engine
(``integrate_batch``, numba, one thread) and by a Python loop of ``solve_ivp`` (RK45, rtol 1e-8,
its default atol 1e-6, reduced coordinates), both timed by CPU time in the same run, each the
best of several runs (the engine's three, the loop's two over its 40 starts). The engine runs
twice:

* at the baseline's settings (Dormand-Prince 5(4), rtol 1e-8, atol 1e-6): the same method with
  the same error control, so it takes the same number of steps (printed) and its end states are
  as accurate as the loop's (printed): the ratio compares implementations doing the same work.
  This is the figure the target of 1,000x per CPU-second is judged by;
* at its own defaults (atol 1e-10): about three times the steps on these games and end states
  hundreds of times closer to the exact solution than the loop's.

Accuracy: the largest distance of an end state (reduced coordinates) from a DOP853 solution
(rtol 1e-12, atol 1e-14), over the baseline's starts. The first compile is not timed (one
kernel serves every shape: it is compiled once).

The last column is a ceiling: the ratio the engine would reach at the baseline's settings if it
did nothing but the multiplies a Dormand-Prince attempt needs (:func:`multiplies_per_attempt`,
the kernel's order of arithmetic), one 512-bit multiply (8 lanes) per cycle at the clock
``/proc/cpuinfo`` reports, with the attempts per trajectory of the timed run and the baseline of
this run.

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


#: timings are the best of several runs on both sides (the engine's three, the loop's two):
#: on a shared machine a single run can lose a quarter of its speed to other work
BASE_REPS = 2

SHAPES = [(2, 2, 2), (2, 2, 2, 2), (2,) * 5, (2,) * 6, (3, 3), (3, 3, 3), (3, 4), (4, 3),
          (3, 3, 3, 3), (4, 4, 4), (3, 4, 4)]  # (3, 4): two populations, of 3 and 4 strategies


def _engine(pay, x0, atol, reps=3):
    best = float("inf")
    for _ in range(reps):
        t = time.process_time()
        res = integrate_batch(pay, x0, 50.0, backend="numba", rtol=1e-8, atol=atol)
        best = min(best, time.process_time() - t)
    rate = x0.shape[0] / best
    att = float(res.steps.sum() + res.rejected.sum()) / x0.shape[0]
    return rate, att, res.final


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n_eng = 2000 if args.quick else 20000
    n_base = 5 if args.quick else 40
    A = np.eye(2)
    integrate_batch(np.stack([A, A]), [[0.5, 0.4]] * 3000, 1.0, backend="numba")  # compile
    print(f"machine: {cpu_name()}")
    hz = clock_hz()
    print(f"clock {hz / 1e9:.2f} GHz (for the ceiling)")
    print("engine at the loop's settings (rtol 1e-8, atol 1e-6) | engine at its defaults "
          "(atol 1e-10); rates in trajectories/CPU-s; err: largest end-state distance from "
          "DOP853")
    print(f"{'shape':<11}{'loop':>8}{'steps':>7}{'err':>9} |{'engine':>9}{'steps':>7}"
          f"{'err':>9}{'ratio':>8} |{'engine':>9}{'steps':>7}{'err':>9}{'ratio':>8} |"
          f"{'mul/att':>8}{'ceiling':>9}")
    for counts in SHAPES:
        rng = np.random.default_rng(sum(counts) * 31 + len(counts))
        pay = rng.uniform(-1, 1, (len(counts), *counts))
        x0 = sample_starts(counts, n_eng, method="random", seed=1)
        same, att_same, fin_same = _engine(pay, x0, 1e-6)
        dflt, att_dflt, fin_dflt = _engine(pay, x0, 1e-10)
        f = reduced_rhs(pay, counts)
        z0 = [reduce_state(x0[i], counts) for i in range(n_base)]
        best = float("inf")
        for _ in range(BASE_REPS):
            t = time.process_time()
            sols = [solve_ivp(f, (0, 50.0), z, method="RK45", rtol=1e-8) for z in z0]
            best = min(best, time.process_time() - t)
        base = n_base / best
        base_steps = np.mean([s.nfev for s in sols]) / 6  # six evaluations per attempt
        ref = np.array([solve_ivp(f, (0, 50.0), z, method="DOP853", rtol=1e-12,
                                  atol=1e-14).y[:, -1] for z in z0])

        def err(final, _ref=ref, _counts=counts):
            red = np.array([reduce_state(final[i], _counts) for i in range(n_base)])
            return float(np.abs(red - _ref).max())

        err_base = float(np.abs(np.array([s.y[:, -1] for s in sols]) - ref).max())
        mul = multiplies_per_attempt(counts)
        # "4x3": four populations of three strategies (as the issue names shapes)
        label = (f"{len(counts)}x{counts[0]}" if len(set(counts)) == 1
                 else "(" + ",".join(map(str, counts)) + ")")
        ceiling = hz * 8 / (mul * att_same) / base
        print(f"{label:<11}{base:>8,.1f}{base_steps:>7.1f}{err_base:>9.1e} |{same:>9,.0f}"
              f"{att_same:>7.1f}{err(fin_same):>9.1e}{same / base:>7,.0f}x |{dflt:>9,.0f}"
              f"{att_dflt:>7.1f}{err(fin_dflt):>9.1e}{dflt / base:>7,.0f}x |{mul:>8,d}"
              f"{ceiling:>8,.0f}x")


if __name__ == "__main__":
    main()

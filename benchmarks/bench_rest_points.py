"""Benchmark: every rest point of random games, deterministically (issue 10).

Random games with payoffs uniform in [-1, 1] to 3 decimals (a fixed seed per shape); for each the
full analysis (``gametheory_regen.analyze``) is timed and compared with the time of
``python -c "import sympy, scipy"`` measured in the same run, and the number of rest points and
of faces not proven complete (and of faces left unsearched by the work count ``face_work``) is
printed.  Wall-clock ratios depend on the machine's load (the import is short, the analysis
long); the CPU ratio (process CPU seconds of the analysis over the child's CPU seconds of the
import) depends on it much less.  Targets (issue 10): 4x2 and 3x3 within 10x the import,
6x2, 3x4 and 4x3 within 100x.  "4x2" means four populations of two strategies.

Run: ``PYTHONPATH=. python benchmarks/bench_rest_points.py [--shapes 4x2,3x3] [--seed 1]``
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time

import numpy as np

TARGETS = {"4x2": 10, "3x3": 10, "6x2": 100, "3x4": 100, "4x3": 100}


def random_game(n_pop: int, k: int, seed: int):
    from gametheory_regen.model import GameBuilder

    rng = np.random.default_rng(seed)
    b = GameBuilder(f"random_{n_pop}x{k}")
    for p in range(n_pop):
        b.population(f"p{p}", [f"s{j}" for j in range(k)])
    for prof in itertools.product(range(k), repeat=n_pop):
        vals = [f"{v:.3f}" for v in rng.integers(-1000, 1001, size=n_pop) / 1000]
        b.payoff([f"s{j}" for j in prof], vals)
    return b.build()


def import_time(repeats: int = 3) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds (user + system of the child) of the import."""
    import resource

    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sympy, scipy"], check=True)
        best = min(best, time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, (after.ru_utime - before.ru_utime)
                       + (after.ru_stime - before.ru_stime))
    return best, best_cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", default="4x2,3x3,6x2,3x4,4x3")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    from gametheory_regen import analyze

    base, base_cpu = import_time()
    print(f"import sympy, scipy: {base:.2f} s wall-clock, {base_cpu:.2f} s CPU")
    print(f"{'shape':>6} {'seconds':>8} {'ratio':>6} {'CPU s':>7} {'CPU ratio':>9} "
          f"{'target':>6} {'rest points':>11} {'not complete':>12} {'unsearched':>10}")
    for shape in args.shapes.split(","):
        n_pop, k = map(int, shape.split("x"))
        game = random_game(n_pop, k, args.seed)
        t, c = time.perf_counter(), time.process_time()
        res = analyze(game)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        target = TARGETS.get(shape, "")
        print(f"{shape:>6} {dt:8.2f} {dt / base:6.1f} {dc:7.2f} {dc / base_cpu:9.1f} "
              f"{target:>6} {len(res.rest_points):11d} {len(res.incomplete_faces):12d} "
              f"{res.unsearched_faces:10d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

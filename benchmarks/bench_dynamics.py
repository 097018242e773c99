"""Benchmark: regime-map throughput of every dynamics against the replicator's, in one run.

Issue 11's target: the regime-map throughput of each dynamics within 3x of the replicator's.

One map, one set of starts: the model of ``bench_engine.py`` (a 2x2x2 game with seeded random
payoffs and two strict Nash equilibria, varied as ``P + s B1 + t B2`` over a grid of (s, t)),
16 seeded Sobol starts per cell, ``t_end`` = 50, the engine's default tolerances, numba
backend, warm (each dynamics is run once on a tiny map first, so no compile is timed).

What each map does per cell is the whole classification: under the replicator the kernel stops
a start on entering a strict Nash vertex's invariant box; under the others every start runs
until it is at rest (or ``t_end``), the at-rest end states are clustered and every cluster is
tested with perturbed starts (:mod:`gametheory_regen.analysis.attractors`). Both are timed in
full, since both are what ``sweep`` does.

Reported: trajectories per second (the map's starts over its wall time) and the ratio of the
replicator's rate to each dynamics' rate (target: at most 3).

Usage: ``python benchmarks/bench_dynamics.py [--quick] [--grid N]``.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from _common import cpu_name  # noqa: E402
from bench_engine import T_END, model  # noqa: E402

from gametheory_regen.analysis.sweep import sweep_payoffs  # noqa: E402
from gametheory_regen.dynamics.field import Dynamics  # noqa: E402
from gametheory_regen.dynamics.kernels import numba_available  # noqa: E402

#: The dynamics compared, with the parameters of a typical study.
DYNAMICS = (
    Dynamics("replicator"),
    Dynamics("replicator_mutator", mutation=0.01),
    Dynamics("logit", temperature=0.1),
    Dynamics("bnn"),
    Dynamics("smith"),
    Dynamics("imitation", intensity=1.0),
)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 40 x 40 map (default 100 x 100)")
    ap.add_argument("--grid", type=int, default=None, help="cells per axis")
    args = ap.parse_args(argv)
    grid = args.grid or (40 if args.quick else 100)
    backend = "numba" if numba_available() else "numpy"
    seed, pay, B1, B2 = model()

    def fn(values):
        v = np.atleast_2d(values)
        return pay[None] + v[:, 0, None, None, None, None] * B1 + v[:, 1, None, None, None,
                                                                       None] * B2

    vary = [("s", np.linspace(-1, 1, grid)), ("t", np.linspace(-1, 1, grid))]
    n_map = grid * grid * 16
    rows = []
    for dyn in DYNAMICS:
        # warm: compile (or load) the kernel for this dynamics on a tiny map
        sweep_payoffs(fn, ["s", "t"], {}, [("s", [0.0]), ("t", [0.0, 1.0])], samples=16,
                      t_end=T_END, backend=backend, dynamics=dyn)
        t0 = time.perf_counter()
        sw = sweep_payoffs(fn, ["s", "t"], {}, vary, samples=16, t_end=T_END, backend=backend,
                           dynamics=dyn)
        dt = time.perf_counter() - t0
        others = sum(int(c.sum()) for c in sw.other_counts)
        rows.append((dyn.describe(), n_map / dt, dt,
                     float(sw.not_settled.sum()) / n_map, others / n_map))
    base = rows[0][1]
    print(f"machine: {cpu_name()}; backend {backend}")
    print(f"model: 2x2x2 random payoffs, seed {seed}; map {grid}x{grid} cells x 16 starts = "
          f"{n_map:,} trajectories; t_end {T_END}")
    w = max(len(r[0]) for r in rows)
    print(f"{'dynamics':<{w}}  {'traj/s':>10}  {'wall':>8}  {'slower than replicator':>22}  "
          f"{'not settled':>11}  {'non-vertex attractors':>21}")
    worst = 0.0
    for name, rate, dt, ns, oth in rows:
        ratio = base / rate
        worst = max(worst, ratio)
        print(f"{name:<{w}}  {rate:>10,.0f}  {dt:>7.2f}s  {ratio:>21.2f}x  {ns:>11.1%}  "
              f"{oth:>21.1%}")
    print(f"worst ratio {worst:.2f}x (target: at most 3x) -> "
          f"{'met' if worst <= 3.0 else 'NOT met'}")


if __name__ == "__main__":
    main()

"""The regime map through the command line, end to end, against a solve_ivp loop.

``gametheory-regen sweep regeneration --scenario jinsong --vary T=5:30:G --vary s=0:3:G
--samples 16 --format json --output FILE`` (process start, analysis, integration, JSON written),
warm kernel cache, against a Python loop of ``scipy.integrate.solve_ivp`` (RK45, rtol 1e-8) over
the same model's trajectories in the same run (rate extrapolated from ``--baseline`` of them).
Accuracy: end states of a subsample against DOP853 (rtol 1e-10) at t_end, and the attractor of
every start of a few cells against the reference's.

Usage: ``python benchmarks/bench_cli_map.py [--grid 200] [--baseline 100]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from _common import binary_rhs, cpu_name
from scipy.integrate import solve_ivp

import gametheory_regen as gr
from gametheory_regen.analysis.basins import sample_starts
from gametheory_regen.dynamics.numeric import payoff_tensor


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=200)
    ap.add_argument("--baseline", type=int, default=100)
    ap.add_argument("--t-end", type=float, default=100.0)
    args = ap.parse_args(argv)
    g = args.grid
    game = gr.Game.builtin("regeneration").with_scenario("jinsong")
    counts = game.shape
    starts = sample_starts(counts, 16, method="sobol", seed=0)
    # baseline: the same model and starts, the T and s of random cells
    rng = np.random.default_rng(0)
    f_cells = []
    for _ in range(args.baseline):
        T = rng.uniform(5, 30)
        s = rng.uniform(0, 3)
        pay = payoff_tensor(game.with_values({"T": T, "s": s}))
        f_cells.append((binary_rhs(pay), starts[rng.integers(16)][0::2]))
    t0 = time.perf_counter()
    for f, x0 in f_cells:
        solve_ivp(f, (0, args.t_end), x0, method="RK45", rtol=1e-8)
    base_rate = args.baseline / (time.perf_counter() - t0)
    n_traj = g * g * 16

    def cmd(grid, out):
        return [sys.executable, "-m", "gametheory_regen", "sweep", "regeneration",
                "--scenario", "jinsong", "--vary", f"T=5:30:{grid}", "--vary", f"s=0:3:{grid}",
                "--samples", "16", "--t-end", str(args.t_end), "--format", "json", "--quiet",
                "--output", out]

    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "map.json")
        subprocess.run(cmd(12, out), check=True)  # the kernel cache is warm from here on
        t0 = time.perf_counter()
        subprocess.run(cmd(g, out), check=True)
        wall = time.perf_counter() - t0
        size = os.path.getsize(out)
        with open(out, encoding="utf-8") as fh:
            doc = json.load(fh)
    ratio = (n_traj / wall) / base_rate
    # accuracy on a few cells: DOP853 reference attractor vs the map's basin counts
    agree = 0
    checked = 0
    for cell in doc["cells"][:: max(1, len(doc["cells"]) // 20)]:
        pay = payoff_tensor(game.with_values(cell["at"]))
        f = binary_rhs(pay)
        ends = [solve_ivp(f, (0, args.t_end), x0[0::2], method="DOP853", rtol=1e-10,
                          atol=1e-12).y[:, -1] for x0 in starts]
        ref = {}
        for e in ends:
            key = tuple(np.round(e).astype(int)) if np.all(
                np.abs(e - np.round(e)) < 1e-3) else None
            ref[key] = ref.get(key, 0) + 1
        got = {}
        for b in cell["basins"]:
            key = None if b["attractor"] is None else tuple(
                int(round(v[0])) for v in b["attractor"].values())
            got[key] = round(b["share"] * 16)
        checked += 1
        agree += got == ref
    print(f"machine: {cpu_name()}")
    print(f"baseline solve_ivp RK45 rtol 1e-8 loop: {base_rate:,.1f} trajectories/s "
          f"({args.baseline} trajectories)")
    print(f"command line {g}x{g}x16 = {n_traj:,} trajectories: {wall:.2f} s end to end, "
          f"{size / 1e6:.1f} MB of JSON")
    print(f"ratio: {ratio:,.0f}x the solve_ivp loop")
    print(f"cells whose basin counts equal the DOP853 reference's: {agree} of {checked}")


if __name__ == "__main__":
    main()

"""Benchmark of the batch replicator engine against a Python loop of solve_ivp.

One run, one model: a three-population 2x2x2 game with random payoffs (seeded; the first seed
whose game has two strict Nash equilibria, so basins have a boundary).

* baseline  : a Python loop of ``scipy.integrate.solve_ivp`` (RK45, rtol 1e-8, scipy's default
              atol), one trajectory at a time, on ``--baseline`` starts; rate extrapolated.
* engine    : ``integrate_batch`` (Dormand-Prince 5(4), per-trajectory steps, early stop), warm,
              at ``--rtol``/``--atol`` (default 1e-6/1e-9) and ``--vertex-tol`` (1e-7): the
              loosest settings whose end states all stay within 1e-6 of the reference.
* accuracy  : against a DOP853 rtol 1e-10 reference at t_end on a subsample: the timed run's
              own end states (a trajectory stopped early at a strict Nash vertex reports the
              vertex, proven within vertex_tol of its state at t_end), and the same starts
              integrated to t_end without early stopping; attractor agreement for every start
              not within 1e-3 of a separatrix (a start is "near a separatrix" when a
              perturbation of 1e-3 along some coordinate changes its attractor).
* flop rate : counted flops of one step x steps taken / time, against a numpy matmul peak
              measured in the same run.
* ratios    : by wall time, and per CPU-second (CPU time of every thread): on a machine that
              other work loads, the per-CPU-second ratio is the one that compares the codes.
* map       : 200 x 200 regime map with 16 starts per cell (640,000 trajectories), warm.
* numpy path: the engine with numba disabled.

Usage: ``python benchmarks/bench_engine.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import cpu_name, matmul_peak
from scipy.integrate import solve_ivp

from gametheory_regen.analysis.basins import sample_starts
from gametheory_regen.analysis.batch import integrate_batch, stable_vertices, vertex_states
from gametheory_regen.analysis.sweep import sweep_payoffs
from gametheory_regen.dynamics.contraction import relative_plan
from gametheory_regen.dynamics.kernels import box_vertex, numba_available, vertex_boxes
from gametheory_regen.dynamics.methods import DOPRI5

COUNTS = (2, 2, 2)
T_END = 50.0


def model():
    """First seed whose game has two strict Nash equilibria and whose starts (99 % of 512)
    settle by T_END: a bistable model, the situation basins and regime maps are made for
    (games with attracting cycles or slow non-hyperbolic drift are skipped)."""
    probe = sample_starts(COUNTS, 512, method="random", seed=99)
    for seed in range(1000):
        rng = np.random.default_rng(seed)
        pay = rng.normal(size=(3, 2, 2, 2))
        if stable_vertices(pay)[0].sum() != 2:
            continue
        r = integrate_batch(pay, probe, T_END, rtol=1e-6, atol=1e-10, settle_tol=1e-8)
        if r.settled.mean() >= 0.99:
            return seed, pay, rng.normal(size=(3, 2, 2, 2)), rng.normal(size=(3, 2, 2, 2))
    raise RuntimeError("no seed found")


def baseline_rhs(pay):
    def f(t, y):
        x, yy, z = y[0:2], y[2:4], y[4:6]
        u0 = np.einsum("ijk,j,k->i", pay[0], yy, z)
        u1 = np.einsum("ijk,i,k->j", pay[1], x, z)
        u2 = np.einsum("ijk,i,j->k", pay[2], x, yy)
        return np.concatenate([x * (u0 - x @ u0), yy * (u1 - yy @ u1), z * (u2 - z @ u2)])

    return f


def flops_per_step(counts, tab=DOPRI5) -> int:
    """Floating-point operations of one step of the engine's kernel (replicator; an FMA would
    count as two, but the kernel forms none), counted from its loops:

    * field: the contractions of :func:`relative_plan` (``k - 1`` products and ``k - 1`` sums
      per entry: payoffs relative to each population's last strategy), then the replicator
      (``4 k - 1`` per population);
      ``stages - 1`` new evaluations per step for a first-same-as-last method;
    * stage sums: per component, ``2 j - 1`` for a sum of ``j`` nonzero terms, plus ``y + h *
      sum`` (2); the error estimate: its sum, ``h *`` (1), the scale ``atol + rtol * max``
      (3), and ``(e / scale)**2`` summed (3);
    * the projection: ``max``, the sums, the divisions (about ``3 N``).
    """
    field = 0
    for _p, _q, outer, k, inner in relative_plan(counts):
        field += outer * inner * (2 * k - 2)
    field += sum(4 * k - 1 for k in counts)
    N = sum(counts)
    evals = tab.stages - 1 if tab.fsal else tab.stages
    sums = 0
    for s in range(1, tab.stages):
        j = int(np.count_nonzero(tab.a[s, :s]))
        sums += 2 * j - 1 + 2
    err = 2 * int(np.count_nonzero(tab.e)) - 1 + 1 + 3 + 3
    return evals * field + N * (sums + err + 3)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    ap.add_argument("--baseline", type=int, default=None, help="baseline trajectories")
    ap.add_argument("--rtol", type=float, default=1e-6, help="engine rtol (default 1e-6)")
    ap.add_argument("--atol", type=float, default=1e-9, help="engine atol (default 1e-9)")
    ap.add_argument("--vertex-tol", type=float, default=1e-7,
                    help="engine's proven end-state distance at a strict Nash vertex")
    args = ap.parse_args(argv)
    quick = args.quick
    n_base = args.baseline or (40 if quick else 200)
    n_eng = 20_000 if quick else 400_000
    n_ref = 30 if quick else 200
    n_np = 4_000 if quick else 10_000
    grid = 50 if quick else 200

    seed, pay, B1, B2 = model()
    verts = vertex_states(COUNTS)
    stable = verts[stable_vertices(pay)[0]]
    starts = sample_starts(COUNTS, n_eng, method="random", seed=1)
    # The engine's tolerances: the loosest that keep every end state within 1e-6 of the
    # reference (checked below on the timed run's own end states): error control rtol/atol,
    # and a strict-Nash early stop only once the end state is proven within vertex_tol.
    eng_kw = dict(rest_points=verts, rtol=args.rtol, atol=args.atol, vertex_tol=args.vertex_tol,
                  settle_tol=1e-10, match_tol=1e-6)
    rows = []

    # baseline
    f = baseline_rhs(pay)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n_base):
        solve_ivp(f, (0, T_END), starts[i], method="RK45", rtol=1e-8)
    base_rate = n_base / (time.perf_counter() - t0)
    base_cpu = n_base / (time.process_time() - c0)
    rows.append(("baseline solve_ivp RK45 loop", f"{base_rate:,.0f} traj/s",
                 f"{n_base} traj; {base_cpu:,.0f} traj/CPU-s"))

    # engine (numba), warm
    backend = "numba" if numba_available() else "numpy"
    integrate_batch(pay, starts[:64], T_END, backend=backend, **eng_kw)
    t0, c0 = time.perf_counter(), time.process_time()
    res = integrate_batch(pay, starts, T_END, backend=backend, **eng_kw)
    dt_eng = time.perf_counter() - t0
    eng_cpu = n_eng / (time.process_time() - c0)
    eng_rate = n_eng / dt_eng
    rows.append((f"engine ({res.backend})", f"{eng_rate:,.0f} traj/s",
                 f"ratio {eng_rate / base_rate:,.0f}x wall; {eng_cpu:,.0f} traj/CPU-s, ratio "
                 f"{eng_cpu / base_cpu:,.0f}x per CPU-second"))
    total_steps = int(res.steps.sum() + res.rejected.sum())
    rows.append(("  steps/trajectory (mean)", f"{res.steps.mean():.1f}",
                 f"settled {res.settled.mean():.1%}"))
    per_step = flops_per_step(COUNTS)
    flops = total_steps * per_step / dt_eng
    peak = matmul_peak(1024 if quick else 2048)
    rows.append(("  flop rate", f"{flops / 1e9:.2f} GFLOP/s",
                 f"{flops / peak:.1%} of a numpy matmul's {peak / 1e9:.0f} GFLOP/s, "
                 f"measured now ({per_step} flops per step)"))

    # accuracy on a subsample
    ref = np.array([
        solve_ivp(f, (0, T_END), starts[i], method="DOP853", rtol=1e-10, atol=1e-12).y[:, -1]
        for i in range(n_ref)
    ])
    # a trajectory stopped early in the invariant box of a strict Nash vertex has the vertex as
    # its end state; the integrator's accuracy is measured on the state integrated to t_end
    full = integrate_batch(pay, starts[:n_ref], T_END, backend=backend,
                           **{**eng_kw, "settle_tol": 0.0})
    err = np.max(np.abs(full.final - ref), axis=1)
    rows.append(("  end state vs DOP853 1e-10", f"max {err.max():.1e}",
                 f"{np.mean(err < 1e-6):.1%} within 1e-6 ({n_ref} starts, integrated to t_end)"))
    # the same comparison for the end states the timed run reported (with early stopping: a
    # trajectory stopped in the invariant box of a strict Nash vertex reports that vertex)
    err_es = np.max(np.abs(res.final[:n_ref] - ref), axis=1)
    rows.append(("  end state (timed run) vs DOP853", f"max {err_es.max():.1e}",
                 f"{np.mean(err_es < 1e-6):.1%} within 1e-6 ({n_ref} starts, early stopping on)"))
    # the reference's attractor: the strict Nash vertex whose invariant box holds its end state
    rad = vertex_boxes(pay.reshape(1, 3, 8), COUNTS)
    ref_att, _ = box_vertex(ref, np.repeat(rad, n_ref, axis=0), COUNTS)
    # starts near a separatrix: a 1e-3 nudge along some coordinate changes the attractor
    near = np.zeros(n_ref, dtype=bool)
    for q in range(3):
        for sgn in (-1.0, 1.0):
            nud = starts[:n_ref].copy()
            nud[:, 2 * q] = np.clip(nud[:, 2 * q] + sgn * 1e-3, 0, 1)
            nud[:, 2 * q + 1] = 1 - nud[:, 2 * q]
            r2 = integrate_batch(pay, nud, T_END, backend=backend, **eng_kw)
            near |= r2.outcome != res.outcome[:n_ref]
    ok = (res.outcome[:n_ref] == ref_att)[~near]
    rows.append(("  same attractor as reference", f"{ok.mean():.1%}",
                 f"{(~near).sum()} starts not within 1e-3 of a separatrix"))

    # numpy path
    t0 = time.perf_counter()
    integrate_batch(pay, starts[:n_np], T_END, backend="numpy", **eng_kw)
    np_rate = n_np / (time.perf_counter() - t0)
    rows.append(("engine (numpy path)", f"{np_rate:,.0f} traj/s",
                 f"ratio {np_rate / base_rate:,.0f}x"))

    # regime map: payoffs P + s B1 + t B2 over a grid x grid of (s, t), 16 starts per cell
    def fn(values):
        v = np.atleast_2d(values)
        return pay[None] + v[:, 0, None, None, None, None] * B1 + v[:, 1, None, None, None,
                                                                       None] * B2

    vary = [("s", np.linspace(-1, 1, grid)), ("t", np.linspace(-1, 1, grid))]
    sweep_payoffs(fn, ["s", "t"], {}, [("s", [0.0]), ("t", [0.0, 1.0])], samples=16,
                  backend=backend)
    t0 = time.perf_counter()
    sw = sweep_payoffs(fn, ["s", "t"], {}, vary, samples=16, backend=backend)
    dt_map = time.perf_counter() - t0
    n_map = grid * grid * 16
    rows.append((f"regime map {grid}x{grid}x16", f"{dt_map:.2f} s wall",
                 f"{n_map:,} traj; {n_map / dt_map:,.0f} traj/s; "
                 f"not settled {sw.shares[..., -1].mean():.2%}"))

    import numba

    print(f"machine: {cpu_name()}; {numba.get_num_threads()} threads; load average "
          f"{open('/proc/loadavg').read().split()[0]} at the end")
    print(f"model: 2x2x2 random payoffs, seed {seed}, {len(stable)} strict Nash equilibria; "
          f"t_end {T_END}")
    w = max(len(r[0]) for r in rows)
    for a, b, c in rows:
        print(f"{a:<{w}}  {b:>18}  {c}")


if __name__ == "__main__":
    main()

"""Shared helpers of the benchmark scripts: the machine's name, a numpy peak, a baseline RHS."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time

import numpy as np


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux, and LLVM's name for its
    micro-architecture), cores and Python version."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import llvmlite.binding as llvm

        name = f"{name} ({llvm.get_host_cpu_name()})"
    except Exception:  # noqa: BLE001 - the name is only informative
        pass
    return f"{name}, {os.cpu_count()} cores, Python {platform.python_version()}"


def matmul_peak(n: int = 2048, reps: int = 3) -> float:
    """Floating-point rate of a numpy matrix product measured now (FLOP/s)."""
    a = np.random.default_rng(0).random((n, n))
    a @ a
    best = np.inf
    for _ in range(reps):
        t = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best


def binary_rhs(pay: np.ndarray):
    """The replicator of an all-two-strategy game in the papers' reduced coordinates,
    ``x_p' = x_p (1 - x_p) (u_p1 - u_p2)`` (one share per population), for ``solve_ivp``.

    This is the baseline's form: in full coordinates the simplex ``sum = 1`` is invariant but
    not attracting when mean payoffs are negative, and rounding error grows along it."""
    n = pay.shape[0]
    letters = "abcdefgh"[:n]

    def f(t, y):
        xs = [np.array([v, 1.0 - v]) for v in y]
        out = np.empty_like(y)
        for p in range(n):
            spec = letters + "," + ",".join(letters[q] for q in range(n) if q != p) \
                + "->" + letters[p]
            u = np.einsum(spec, pay[p], *[xs[q] for q in range(n) if q != p])
            out[p] = y[p] * (1.0 - y[p]) * (u[0] - u[1])
        return out

    return f


def replicator_rhs(pay: np.ndarray, counts):
    """A plain numpy right-hand side of the replicator for ``solve_ivp`` (the baseline)."""
    n = len(counts)
    offs = np.concatenate([[0], np.cumsum(counts)])
    letters = "abcdefgh"[:n]

    def f(t, y):
        xs = [y[offs[q]:offs[q + 1]] for q in range(n)]
        out = np.empty_like(y)
        for p in range(n):
            spec = letters + "," + ",".join(letters[q] for q in range(n) if q != p) \
                + "->" + letters[p]
            u = np.einsum(spec, pay[p], *[xs[q] for q in range(n) if q != p])
            out[offs[p]:offs[p + 1]] = xs[p] * (u - xs[p] @ u)
        return out

    return f


def process_seconds(args, env=None, reps: int = 5) -> float:
    """Median wall time of a fresh Python process running ``args``."""
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def reduced_rhs(pay: np.ndarray, counts):
    """The replicator in reduced coordinates (the first ``k - 1`` shares of each population,
    the last one minus their sum), as papers integrate it, for ``solve_ivp``."""
    n = len(counts)
    letters = "abcdefgh"[:n]
    specs = [letters + "," + ",".join(letters[q] for q in range(n) if q != p) + "->"
             + letters[p] for p in range(n)]
    cuts = np.concatenate([[0], np.cumsum([k - 1 for k in counts])])

    def f(t, z):
        xs = []
        for q in range(n):
            v = z[cuts[q]:cuts[q + 1]]
            xs.append(np.concatenate([v, [1.0 - v.sum()]]))
        out = np.empty_like(z)
        for p in range(n):
            u = np.einsum(specs[p], pay[p], *[xs[q] for q in range(n) if q != p])
            x = xs[p]
            out[cuts[p]:cuts[p + 1]] = (x * (u - x @ u))[:-1]
        return out

    return f


def reduce_state(x: np.ndarray, counts) -> np.ndarray:
    """Full shares -> the reduced coordinates of :func:`reduced_rhs`."""
    out, a = [], 0
    for k in counts:
        out.append(x[a:a + k - 1])
        a += k
    return np.concatenate(out)

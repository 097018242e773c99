"""Shared helpers of the benchmark scripts: the machine's name, a numpy peak, a baseline RHS."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time

import numpy as np


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), cores and Python version."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
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

"""Wall time of `gametheory-regen report` against `python -c "import sympy, scipy"`, as ratios.

Issue 2's targets (same run, same machine):
- numeric report (every rest point) of a three-population 2x2x2 model with about 20 parameters:
  at most 2x the baseline;
- numeric report of a four-population model: at most 4x;
- fully symbolic report (vertices, eigenvalues, simplified conditions): at most 3x.

Usage: python benchmarks/bench_report.py [--repeat N]
Each command is run once to warm up, then N times (default 7) in a fresh process; the median
wall time is used.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time


def ledger_model(n_pops: int, n_params: int, seed: int) -> str:
    """A ledger-form model with n_pops two-strategy populations and n_params parameters."""
    rng = random.Random(seed)
    pops = [f"p{i}" for i in range(n_pops)]
    lines = [f'name = "bench_{n_pops}pop"']
    for p in pops:
        lines += ["[[populations]]", f'name = "{p}"', 'strategies = ["cooperate", "defect"]']
    lines.append("[parameters]")
    names = [f"a{j}" for j in range(n_params)]
    for n in names:
        lines.append(f"{n} = {{ value = {rng.uniform(0.1, 3):.3f}, min = 0 }}")
    for j, n in enumerate(names):
        k = rng.randint(1, min(3, n_pops))
        involved = rng.sample(pops, k)
        when = ", ".join(f'{p} = "{rng.choice(["cooperate", "defect"])}"' for p in involved)
        src, dst = rng.sample(pops + [None], 2)
        lines += ["[[terms]]", f'label = "term {j}"', f'amount = "{n}"']
        if src:
            lines.append(f'from = "{src}"')
        if dst:
            lines.append(f'to = "{dst}"')
        if not src and not dst:
            lines.append(f'to = "{pops[0]}"')
        lines.append(f"when = {{ {when} }}")
    return "\n".join(lines) + "\n"


# Python caches compiled bytecode as a user's machine does (some sandboxes set
# PYTHONDONTWRITEBYTECODE, which would make every run recompile this package from source
# while the baseline's sympy and scipy come precompiled from their wheels).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], repeat: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)  # warm: bytecode, disk cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    m3 = tmp / "three.toml"
    m3.write_text(ledger_model(3, 20, seed=3))
    m4 = tmp / "four.toml"
    m4.write_text(ledger_model(4, 24, seed=4))
    py = sys.executable
    cli = [py, "-m", "gametheory_regen", "report"]
    base = timed([py, "-c", "import sympy, scipy"], args.repeat)
    cases = [
        ("numeric report, 3 populations 2x2x2, 20 parameters", cli + [str(m3), "--format", "json"], 2.0),
        ("numeric report, 4 populations 2x2x2x2, 24 parameters", cli + [str(m4), "--format", "json"], 4.0),
        ("symbolic report, 3 populations, 20 parameters", cli + [str(m3), "--format", "json", "--symbolic"], 3.0),
        ("numeric report, regeneration model (jinsong)", cli + ["regeneration", "--scenario", "jinsong", "--format", "json"], None),
        ("symbolic report, regeneration model", cli + ["regeneration", "--format", "json", "--symbolic"], None),
    ]
    print(f"baseline `python -c \"import sympy, scipy\"`: {base:.3f} s (median of {args.repeat})")
    print(f"{'case':58s} {'seconds':>8s} {'ratio':>6s} {'target':>7s}")
    ok = True
    for label, cmd, target in cases:
        t = timed(cmd, args.repeat)
        ratio = t / base
        mark = "" if target is None else ("ok" if ratio <= target else "MISSED")
        ok &= target is None or ratio <= target
        print(f"{label:58s} {t:8.3f} {ratio:6.2f} {('<= %gx' % target) if target else '':>7s} {mark}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

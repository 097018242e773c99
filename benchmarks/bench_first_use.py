"""First use: a cold ``simulate`` of the regeneration model against ``import sympy, scipy``.

Both are fresh processes measured in the same run (median of 5), with an empty kernel cache for
``simulate`` (a single trajectory runs on the numpy backend and never waits for a compiler) and
bytecode cached as on a user's machine.

Usage: ``python benchmarks/bench_first_use.py``.
"""

from __future__ import annotations

import os
import tempfile

from _common import cpu_name, process_seconds


def main():
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    base = process_seconds(["-c", "import sympy, scipy"], env=env)
    with tempfile.TemporaryDirectory() as d:
        env["GAMETHEORY_REGEN_CACHE"] = d  # empty: nothing compiled, nothing cached
        sim = process_seconds(["-m", "gametheory_regen", "simulate", "regeneration",
                               "--scenario", "jinsong", "--initial",
                               "government=0.5,operator=0.5,residents=0.5"], env=env)
    print(f"machine: {cpu_name()}")
    print(f"python -c 'import sympy, scipy': {base:.2f} s")
    print(f"cold simulate regeneration --scenario jinsong: {sim:.2f} s = {sim / base:.1f}x "
          "(target <= 3x)")


if __name__ == "__main__":
    main()

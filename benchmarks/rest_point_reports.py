"""The JSON reports of the rest-point benchmark's games, for comparing two versions of the code.

Writes ``report --format json`` of each game (the random games of
:mod:`bench_rest_points` with its seed, smaller random games of other seeds and shapes, the
built-in models and the test models) to ``OUT/<name>.json`` with the CPU seconds of each
analysis in ``OUT/cpu.txt``; ``--diff A B`` compares two such directories byte for byte.
Run it once per checkout (``PYTHONPATH`` picks the code), then diff::

    PYTHONPATH=/work/main python benchmarks/rest_point_reports.py --out /tmp/before
    PYTHONPATH=.          python benchmarks/rest_point_reports.py --out /tmp/after
    python benchmarks/rest_point_reports.py --diff /tmp/before /tmp/after

Timings are CPU seconds of this process (``time.process_time``), so two runs made side by side
on a shared machine compare fairly; every report is deterministic (work budgets, no clock).
"""

from __future__ import annotations

import argparse
import difflib
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

#: (name, populations, strategies, seed): the benchmark's five games, then smaller ones.
RANDOM = [("4x2", 4, 2, 1), ("3x3", 3, 3, 1), ("6x2", 6, 2, 1), ("3x4", 3, 4, 1),
          ("4x3", 4, 3, 1), ("2x3_s2", 2, 3, 2), ("2x4_s3", 2, 4, 3), ("3x3_s4", 3, 3, 4),
          ("3x2_s5", 3, 2, 5), ("5x2_s6", 5, 2, 6), ("2x5_s7", 2, 5, 7)]
BUILTIN = ["battle_of_sexes", "hawk_dove", "jordan_matching_pennies", "matching_pennies",
           "rock_paper_scissors", "regeneration"]
TEST_FILES = ["tests/data/inspection_static.toml", "tests/data/inspection_dynamic.toml",
              "tests/data/inspection_static_fitness.toml"]


def _games(names):
    from bench_rest_points import random_game

    from gametheory_regen.model import Game

    root = pathlib.Path(__file__).resolve().parent.parent
    for name, n_pop, k, seed in RANDOM:
        if not names or name in names:
            yield f"random_{name}", lambda n=n_pop, k=k, s=seed: random_game(n, k, s)
    for name in BUILTIN:
        if not names or name in names:
            yield name, lambda name=name: Game.builtin(name)
    for path in TEST_FILES:
        stem = pathlib.Path(path).stem
        if not names or stem in names:
            yield stem, lambda p=root / path: Game.from_file(p)


def write(out: pathlib.Path, names) -> None:
    from gametheory_regen import analyze
    from gametheory_regen.presentation.report import render_json

    out.mkdir(parents=True, exist_ok=True)
    with open(out / "cpu.txt", "a") as log:
        for name, make in _games(names):
            game = make()
            c = time.process_time()
            res = analyze(game)
            dc = time.process_time() - c
            (out / f"{name}.json").write_text(render_json(res))
            line = f"{name:32s} {dc:8.2f} CPU s  {len(res.rest_points)} rest points, " \
                   f"{len(res.incomplete_faces)} faces not proven complete"
            print(line, flush=True)
            log.write(line + "\n")


def diff(a: pathlib.Path, b: pathlib.Path) -> int:
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    bad = 0
    for name in names:
        pa, pb = a / name, b / name
        if not pa.exists() or not pb.exists():
            print(f"{name}: only in {a if pa.exists() else b}")
            bad += 1
            continue
        ta, tb = pa.read_text(), pb.read_text()
        if ta == tb:
            print(f"{name}: identical")
            continue
        bad += 1
        print(f"{name}: DIFFERS")
        sys.stdout.writelines(list(difflib.unified_diff(
            ta.splitlines(True), tb.splitlines(True), str(pa), str(pb), n=2))[:200])
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path)
    ap.add_argument("--only", default="", help="comma-separated game names (default: all)")
    ap.add_argument("--diff", nargs=2, type=pathlib.Path, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.diff:
        return diff(*args.diff)
    if args.out is None:
        ap.error("give --out DIR or --diff A B")
    write(args.out, [n for n in args.only.split(",") if n])
    return 0


if __name__ == "__main__":
    sys.exit(main())

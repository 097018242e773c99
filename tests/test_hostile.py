"""Hostile input and hostile environments (issue 12): a table of cases, one pytest id each.

Every case names its class (the issue's list), the exit status the command must return, and a
fragment of the one line it must write on stderr.  The contract (DESIGN.md, Contract 2): exit 0
on success; exit 2 on bad input with exactly one line on stderr, no traceback, nothing written
where it would harm; exit 1 only for genuine bugs, so no case here may exit 1.

Most cases run ``gametheory_regen.presentation.cli.main`` in this process with captured stdio
(fast).  Cases that need a real process run ``python -m gametheory_regen`` in a subprocess under
a memory cap (``RLIMIT_AS`` = 2 GiB) and a timeout: those that, before the fix, exhausted
memory or CPU (so that a regression fails instead of taking the machine down), and those that
need a real environment (a closed or full stdout, a FIFO, ``PYTHONIOENCODING``, a broken pipe).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import gametheory_regen as gr
from gametheory_regen.presentation.cli import main

MEMORY_CAP = 2 * 1024**3
TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[1]

HEAD = """name = "h"
[[populations]]
name = "a"
strategies = ["s1", "s2"]
[[populations]]
name = "b"
strategies = ["t1", "t2"]
"""


def model(params: str = "p = 2", derived: str = "", payoff: str = '"p"', head: str = HEAD,
          extra: str = "") -> str:
    """A small two-population model with one payoff cell under test."""
    d = f"[derived]\n{derived}\n" if derived else ""
    return (head + f"[parameters]\n{params}\n" + d
            + f'[[payoffs]]\nprofile = ["s1", "t1"]\nvalues = [{payoff}, "1"]\n' + extra)


def populations(n: int, k: int) -> str:
    strategies = ", ".join(f'"s{i}"' for i in range(k))
    return 'name = "big"\n' + "".join(
        f'[[populations]]\nname = "p{j}"\nstrategies = [{strategies}]\n' for j in range(n))


def coordination(k: int) -> str:
    """A k x k coordination game (identity payoffs): degenerate, with continua on many faces."""
    strategies = ", ".join(f'"s{i}"' for i in range(k))
    return ('name = "coordination"\n' + "".join(
        f'[[populations]]\nname = "{p}"\nstrategies = [{strategies}]\n' for p in "ab")
        + "".join(f'[[payoffs]]\nprofile = ["s{i}", "s{i}"]\nvalues = ["1", "1"]\n'
                  for i in range(k)))


SQUARE60 = model(params="x0 = 2", payoff='"x60"',
                 derived="\n".join(f'x{i} = "x{i - 1}*x{i - 1}"' for i in range(1, 61)))
PRODUCT_CHAIN = model(params="d0 = 1", payoff='"d40"', derived="\n".join(
    f'd{i} = "(d{i - 1} + 1)*(d{i - 1} + 2)"' for i in range(1, 41)))
#: A matching-pennies-like game with sqrt(2) and exp(1) in its payoffs: an interior centre
#: (a 2x2 bimatrix game's interior Jacobian has zero trace: eigenvalues +-i w, non-hyperbolic).
MATCHING_IRRATIONAL = HEAD.replace('"s1", "s2"', '"h", "t"').replace('"t1", "t2"', '"h", "t"') + """
[parameters]
p = 2
[[payoffs]]
profile = ["h", "h"]
values = ["sqrt(2)", "-1"]
[[payoffs]]
profile = ["h", "t"]
values = ["-1", "p"]
[[payoffs]]
profile = ["t", "h"]
values = ["-1", "1"]
[[payoffs]]
profile = ["t", "t"]
values = ["1", "-exp(1)"]
"""
SCHEDULE = model(params="p = { value = 2, min = 0 }", extra="""[schedules.p]
kind = "piecewise_linear"
times = TIMES
values = VALUES
""")


@dataclass
class Case:
    """One hostile case: the command, the files it needs, what it must do."""

    id: str
    klass: str
    argv: list[str]
    exit: int
    stderr: str = ""              # a fragment of the one stderr line ("" with exit 0: empty)
    files: dict[str, str] = field(default_factory=dict)
    subprocess: bool = False
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = ""              # a fragment stdout must hold
    not_in: str = ""              # a fragment no output may hold


CASES = [
    # ---------------------------------------------------------------- bounded work
    Case("derived-squaring-60", "bounded-work", ["show", "m.toml"], 2, "`expanded_degree`",
         {"m.toml": SQUARE60}, subprocess=True),
    Case("derived-product-chain", "bounded-work", ["report", "m.toml", "--time-budget", "1"], 2,
         "`expanded_", {"m.toml": PRODUCT_CHAIN}, subprocess=True),
    Case("power-tower", "bounded-work", ["show", "m.toml"], 2, "limit `exponent`",
         {"m.toml": model(payoff='"((((p**64)**64)**64)**64)"')}, subprocess=True),
    Case("two-to-the-q", "bounded-work", ["show", "m.toml"], 2, "`number_digits`",
         {"m.toml": model(params="q = 1e6", payoff='"2**q"')}, subprocess=True),
    Case("two-to-the-q-by-set", "bounded-work",
         ["report", "m.toml", "--set", "q=1e9"], 2, "`number_digits`",
         {"m.toml": model(params="q = 3", payoff='"2**q"')}, subprocess=True),
    Case("binomial-degree-64", "bounded-work", ["report", "m.toml", "--time-budget", "1"], 2,
         "`expanded_degree`", {"m.toml": model(params="p = { min = 0 }",
                                                payoff='"(p + 1)**64"')}),
    Case("fifty-populations", "bounded-work", ["show", "m.toml"], 2, "limit `populations`",
         {"m.toml": populations(50, 2)}, subprocess=True),
    Case("200x200-strategies", "bounded-work", ["show", "m.toml"], 2, "limit `strategies`",
         {"m.toml": populations(2, 200)}, subprocess=True),
    Case("profiles-8x8x8", "bounded-work", ["show", "m.toml"], 2, "limit `profiles`",
         {"m.toml": populations(3, 8)}),
    # a degenerate game: 936 faces, most with continua; the search is bounded by `face_work`
    # (it counts work, never time) and every format says what was left unsearched (in a
    # subprocess: the time cap fails a regression to unbounded work instead of hanging)
    Case("coordination-5x5-face-work-text", "bounded-work",
         ["report", "m.toml", "--limit", "face_work=100"], 0, "", {"m.toml": coordination(5)},
         stdout="919 of 936 faces not searched", subprocess=True),
    Case("coordination-5x5-face-work-json", "bounded-work",
         ["report", "m.toml", "--limit", "face_work=100", "--format", "json"], 0, "",
         {"m.toml": coordination(5)}, stdout='"unsearched_faces": 919', subprocess=True),
    Case("coordination-5x5-face-work-markdown", "bounded-work",
         ["report", "m.toml", "--limit", "face_work=100", "--format", "markdown"], 0, "",
         {"m.toml": coordination(5)}, stdout="faces not searched"),
    Case("coordination-5x5-face-work-latex", "bounded-work",
         ["report", "m.toml", "--limit", "face_work=100", "--format", "latex"], 0, "",
         {"m.toml": coordination(5)}, stdout="faces not searched"),
    Case("coordination-4x4-complete", "bounded-work", ["report", "m.toml", "--format", "json"],
         0, "", {"m.toml": coordination(4)}, stdout='"complete": true',
         not_in="faces not searched", subprocess=True),
    Case("face-work-zero", "bounded-work", ["report", "hawk_dove", "--limit", "face_work=0"], 2,
         "expected a finite positive number for limit `face_work`"),
    Case("all-ties-3x3x3-face-work", "bounded-work",
         ["report", "m.toml", "--limit", "face_work=60"], 0, "",
         {"m.toml": populations(3, 3)}, stdout="faces not searched", subprocess=True),
    Case("samples-1e9", "bounded-work",
         ["sweep", "hawk_dove", "--vary", "C=1:5:3", "--samples", "1e9", "--quiet"], 2,
         "limit `samples`", subprocess=True),
    Case("samples-1e9-over-memory", "bounded-work",
         ["sweep", "hawk_dove", "--vary", "C=1:5:3", "--samples", "1000000000", "--quiet",
          "--limit", "samples=1e10"], 2, "limit `memory`", subprocess=True),
    Case("sweep-1e5-by-1e5", "bounded-work",
         ["sweep", "hawk_dove", "--vary", "C=1:5:100000", "--vary", "V=0:2:100000", "--quiet"],
         2, "limit `sweep_cells`", subprocess=True),
    Case("points-2**63", "bounded-work",
         ["simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6", "--points",
          str(2**63)], 2, "limit `points`", subprocess=True),
    Case("model-file-2MB", "bounded-work", ["show", "m.toml"], 2, "`model_file_bytes`",
         {"m.toml": model() + "#" * 2_000_000 + "\n"}),
    Case("expression-20000-chars", "bounded-work", ["show", "m.toml"], 2, "`expression_chars`",
         {"m.toml": model(payoff='"' + "p+" * 10_000 + 'p"')}),
    Case("expression-3000-operators", "bounded-work", ["show", "m.toml"], 2,
         "`expression_operators`", {"m.toml": model(payoff='"' + "p+" * 3_000 + 'p"')}),
    Case("parentheses-150-deep", "bounded-work", ["show", "m.toml"], 2, "`expression_depth`",
         {"m.toml": model(payoff='"' + "(" * 150 + "p" + ")" * 150 + '"')}),
    Case("sum-of-500-terms-is-fine", "bounded-work", ["show", "m.toml"], 0, "",
         {"m.toml": model(payoff='"' + "p+" * 499 + 'p"')}, stdout="500*p"),
    # ---------------------------------------------------------------- the error contract
    Case("unary-minus-9000", "error-contract", ["show", "m.toml"], 2, "`expression_depth`",
         {"m.toml": model(payoff='"' + "-" * 9000 + 'p"')}),
    Case("toml-integer-5000-digits", "error-contract", ["show", "m.toml"], 2, "`number_digits`",
         {"m.toml": model(params="p = " + "9" * 5000)}),
    Case("expression-integer-2000-digits", "error-contract", ["show", "m.toml"], 2,
         "`number_digits`", {"m.toml": model(payoff='"' + "7" * 2000 + '"')}),
    Case("set-decimal-5000-zeros", "error-contract",
         ["report", "hawk_dove", "--set", "V=0." + "0" * 5000 + "1"], 2, "`number_digits`"),
    Case("set-1e-999999999", "error-contract", ["report", "hawk_dove", "--set", "V=1e-999999999"],
         2, "`number_digits`"),
    Case("exp-exp-exp-exp-10", "error-contract", ["show", "m.toml"], 2, "`number_digits`",
         {"m.toml": model(payoff='"exp(exp(exp(exp(10))))"')}),
    Case("seed-minus-1", "error-contract",
         ["sweep", "hawk_dove", "--vary", "C=1:5:3", "--seed", "-1", "--quiet"], 2, "--seed"),
    Case("time-budget-1e300", "error-contract", ["report", "hawk_dove", "--time-budget", "1e300"],
         2, "limit `time_budget`"),
    Case("time-budget-nan", "error-contract", ["report", "hawk_dove", "--time-budget", "nan"], 2,
         "finite number of seconds"),
    Case("time-budget-negative", "error-contract",
         ["threshold", "hawk_dove", "--outcome", "owner=hawk,intruder=dove", "--parameter", "C",
          "--time-budget", "-1"], 2, "finite number of seconds"),
    Case("model-dev-zero", "error-contract", ["report", "/dev/zero"], 2, "not a regular file"),
    Case("model-not-utf8", "error-contract", ["show", "m.toml"], 2, "not UTF-8",
         {"m.toml": "\udcff"}),
    Case("limit-unknown", "error-contract", ["report", "hawk_dove", "--limit", "bogus=3"], 2,
         "unknown limit 'bogus'"),
    Case("limit-negative", "error-contract", ["report", "hawk_dove", "--limit", "samples=-1"], 2,
         "positive number"),
    Case("limit-env-not-a-number", "error-contract",
         ["sweep", "hawk_dove", "--vary", "C=1:5:3", "--quiet"], 2,
         "GAMETHEORY_REGEN_MAX_SAMPLES", env={"GAMETHEORY_REGEN_MAX_SAMPLES": "lots"}),
    Case("fullwidth-p", "error-contract", ["show", "m.toml"], 2, "U+FF50",
         {"m.toml": model(payoff='"\uff50 + 1"')}),
    # ---------------------------------------------------------------- valid input that crashed
    Case("p-minus-sqrt2-report", "exact-numbers", ["report", "m.toml"], 0, "",
         {"m.toml": model(payoff='"p - sqrt(2)"')}, stdout="p - sqrt(2) > 0"),
    Case("p-minus-e-json", "exact-numbers", ["report", "m.toml", "--format", "json"], 0, "",
         {"m.toml": model(payoff='"p - exp(1)"')}, stdout='"p - E > 0"'),
    Case("sqrt2-markdown", "exact-numbers", ["report", "m.toml", "--format", "markdown"], 0, "",
         {"m.toml": model(payoff='"p*sqrt(2) - 1"')}),
    Case("irrational-interior-centre", "exact-numbers", ["report", "m.toml"], 0, "",
         {"m.toml": MATCHING_IRRATIONAL}, stdout="non-hyperbolic (linearisation cannot decide)"),
    # ---------------------------------------------------------------- outputs that harm
    Case("output-symlink", "outputs", ["show", "hawk_dove", "--output", "link.txt"], 2,
         "symbolic link", {"target.txt": "keep\n"}),
    Case("output-fifo", "outputs", ["show", "hawk_dove", "--output", "out.fifo"], 2, "FIFO"),
    Case("output-device", "outputs", ["show", "hawk_dove", "--output", "/dev/null"], 2,
         "is a device"),
    Case("output-folder", "outputs", ["report", "hawk_dove", "--output", "."], 2, "folder"),
    Case("output-is-input-model", "outputs", ["report", "m.toml", "--output", "./m.toml"], 2,
         "input model", {"m.toml": model()}),
    Case("output-is-input-via-hardlink", "outputs", ["report", "m.toml", "--output", "hard.toml"],
         2, "input model", {"m.toml": model()}),
    Case("output-new-file-umask", "outputs", ["show", "hawk_dove", "--output", "new.txt"], 0),
    Case("output-existing-mode-kept", "outputs", ["show", "hawk_dove", "--output", "old.txt"], 0,
         "", {"old.txt": "old\n"}),
    Case("output-dash-is-stdout", "outputs", ["show", "hawk_dove", "--output", "-"], 0, "",
         stdout="Replicator equations"),
    # ---------------------------------------------------------------- schedules
    Case("schedule-below-min", "schedules", ["simulate", "m.toml", "--initial", "a=0.5,b=0.5"],
         2, "below the declared min 0",
         {"m.toml": SCHEDULE.replace("TIMES", "[0, 10]").replace("VALUES", "[2, -100]")}),
    Case("schedule-near-zero-interval", "schedules",
         ["simulate", "m.toml", "--initial", "a=0.5,b=0.5"], 2, "too short",
         {"m.toml": SCHEDULE.replace("TIMES", "[0, 5e-324]").replace("VALUES", "[2, 3]")}),
    # ---------------------------------------------------------------- text injection
    Case("escape-in-strategy", "injection", ["show", "m.toml"], 2, "control character '\\x1b'",
         {"m.toml": model().replace('"s1", "s2"', '"s\\u001b[31m1", "s2"')
          .replace('["s1", "t1"]', '["s\\u001b[31m1", "t1"]')}),
    Case("carriage-return-in-title", "injection", ["show", "m.toml"], 2, "key `title`",
         {"m.toml": 'title = "ok\\rEVIL"\n' + model()}),
    Case("newline-heading-in-title", "injection", ["report", "m.toml", "--format", "markdown"], 2,
         "a newline is allowed only", {"m.toml": 'title = "T\\n# injected"\n' + model()}),
    Case("bidi-override-in-name", "injection", ["show", "m.toml"], 2, "control character",
         {"m.toml": model().replace('"t1", "t2"', '"t\\u202e1", "t2"')
          .replace('["s1", "t1"]', '["s1", "t\\u202e1"]')}),
    Case("newline-in-description-allowed", "injection", ["show", "m.toml"], 0, "",
         {"m.toml": 'description = "two\\nlines"\n' + model()}),
    Case("escape-in-set-name-escaped", "injection", ["report", "hawk_dove", "--set", "\x1b[2J=1"],
         2, "\\x1b", not_in="\x1b"),
    Case("csv-formula-in-strategy", "injection",
         ["simulate", "m.toml", "--initial", "a=0.5,b=0.5", "--format", "csv", "--points", "2"],
         0, "", {"m.toml": model().replace('"s1", "s2"', '"s1", "=HYPERLINK(1)"')},
         stdout="a.=HYPERLINK(1)"),
    # ---------------------------------------------------------------- wrong advice
    Case("sweep-pole-names-the-pole", "advice",
         ["sweep", "m.toml", "--vary", "p=0:6:7", "--samples", "2", "--quiet"], 2, "a pole of",
         {"m.toml": model(payoff='"1/(p - 3)"')}, not_in="rescale"),
    Case("threshold-pole-not-zero", "advice",
         ["threshold", "m.toml", "--outcome", "a=s1,b=t1", "--parameter", "p"], 0, "",
         {"m.toml": model(payoff='"1/(p - 3)"')}, stdout="has a pole", not_in="is 0 there"),
    # ---------------------------------------------------------------- hostile environments
    Case("model-path-fifo", "environment", ["report", "in.fifo"], 2, "not a regular file",
         subprocess=True),
    Case("stdout-closed", "environment", ["report", "hawk_dove"], 2, "stdout is closed",
         subprocess=True),
    Case("stdout-full-disk", "environment", ["report", "hawk_dove"], 2, "No space left",
         subprocess=True),
    Case("pythonioencoding-ascii", "environment", ["report", "hawk_dove"], 0, "",
         subprocess=True, env={"PYTHONIOENCODING": "ascii"}, stdout="\\u2014"),
    Case("pythonioencoding-latin1", "environment", ["report", "regeneration"], 0, "",
         subprocess=True, env={"PYTHONIOENCODING": "latin-1"}),
    Case("pythonioencoding-ascii-error", "environment", ["report", "hawk_dove", "--set",
                                                         "\u0416=1"], 2, "\\u0416",
         subprocess=True, env={"PYTHONIOENCODING": "ascii"}),
    Case("broken-pipe", "environment", ["report", "regeneration"], 0, "", subprocess=True),
]


def _prepare(case: Case, folder: Path) -> None:
    for name, text in case.files.items():
        path = folder / name
        if "\udcff" in text:
            path.write_bytes(b"name = \"\xff\"\n")
        else:
            path.write_text(text, encoding="utf-8")
    if case.id == "output-symlink":
        (folder / "link.txt").symlink_to(folder / "target.txt")
    if case.id == "output-fifo":
        os.mkfifo(folder / "out.fifo")
    if case.id == "model-path-fifo":
        os.mkfifo(folder / "in.fifo")
    if case.id == "output-is-input-via-hardlink":
        os.link(folder / "m.toml", folder / "hard.toml")
    if case.id == "output-existing-mode-kept":
        os.chmod(folder / "old.txt", 0o640)


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _run_subprocess(case: Case, folder: Path) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_NUM_THREADS": "1", **case.env}
    env.pop("GAMETHEORY_REGEN_DEBUG", None)
    cmd = [sys.executable, "-m", "gametheory_regen", *case.argv]
    if case.id == "broken-pipe":
        proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=_limit_memory)
        proc.stdout.read(10)
        proc.stdout.close()  # the reader goes away, like `| head -c 10`
        err = proc.stderr.read().decode("utf-8", "replace")
        return proc.wait(timeout=TIMEOUT), "", err
    stdout = subprocess.PIPE
    closer = None
    if case.id == "stdout-closed":
        stdout = None
        closer = _closing_stdout
    if case.id == "stdout-full-disk":
        stdout = open("/dev/full", "wb")  # noqa: SIM115
    try:
        result = subprocess.run(cmd, cwd=folder, env=env, stdout=stdout, stderr=subprocess.PIPE,
                                timeout=TIMEOUT, preexec_fn=closer or _limit_memory)
    finally:
        if case.id == "stdout-full-disk":
            stdout.close()
    out = result.stdout.decode("utf-8", "replace") if result.stdout else ""
    return result.returncode, out, result.stderr.decode("utf-8", "replace")


def _closing_stdout() -> None:
    _limit_memory()
    os.close(1)


def _run_inprocess(case: Case, folder: Path, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(folder)
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(case.argv)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.klass}:{c.id}") for c in CASES])
def test_hostile(case: Case, tmp_path: Path, monkeypatch) -> None:
    _prepare(case, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()
              and not stat.S_ISFIFO(p.lstat().st_mode) and not p.is_symlink()}
    old_mask = os.umask(0o027)
    try:
        if case.subprocess:
            status, out, err = _run_subprocess(case, tmp_path)
        else:
            status, out, err = _run_inprocess(case, tmp_path, monkeypatch)
    finally:
        os.umask(old_mask)
    assert status == case.exit, (status, err[-2000:])
    assert "Traceback" not in err and "internal error" not in err
    if case.exit == 2:
        assert err.count("\n") == 1 and err.startswith("error: "), err
        assert case.stderr in err, err
        # nothing written where it would harm: every file as it was, no temporary left
        after = {p.name for p in tmp_path.iterdir()}
        assert not [n for n in after if n.endswith(".tmp")], after
        for name, data in before.items():
            assert (tmp_path / name).read_bytes() == data, name
    else:
        assert err == "" or case.id.startswith("pythonioencoding"), err
    if case.stdout:
        assert case.stdout in out, out[-2000:]
    if case.not_in:
        assert case.not_in not in out + err
    _check_after(case, tmp_path)


def _check_after(case: Case, folder: Path) -> None:
    if case.id == "output-symlink":
        assert (folder / "link.txt").is_symlink()
        assert (folder / "target.txt").read_text() == "keep\n"
    if case.id == "output-fifo":
        assert stat.S_ISFIFO((folder / "out.fifo").lstat().st_mode)
    if case.id == "output-new-file-umask":  # 0o666 less the umask 0o027 of the test
        assert stat.S_IMODE((folder / "new.txt").stat().st_mode) == 0o640
        assert "Replicator equations" in (folder / "new.txt").read_text(encoding="utf-8")
    if case.id == "output-existing-mode-kept":
        assert stat.S_IMODE((folder / "old.txt").stat().st_mode) == 0o640
        assert (folder / "old.txt").read_text(encoding="utf-8") != "old\n"


def test_csv_cells_are_formula_safe():
    """OWASP CSV injection: a text cell starting with = + - @ is prefixed with a quote."""
    from gametheory_regen.presentation.engine_verbs import csv_safe

    assert csv_safe("a.=HYPERLINK(1)") == "a.=HYPERLINK(1)"
    for bad in ("=1+1", "+1+1", "-cmd", "@SUM(A1)", "\tx"):
        assert csv_safe(bad) == "'" + bad
    assert csv_safe("-0.5") == "-0.5" and csv_safe("1e-3") == "1e-3"


# ---------------------------------------------------------------------------- library API
LIBRARY = [
    pytest.param(lambda: gr.analyze(None), "expected a Game", id="analyze-none"),
    pytest.param(lambda: gr.analyze("hawk_dove"), "Game.builtin('hawk_dove')", id="analyze-str"),
    pytest.param(lambda: gr.Game.builtin(None), "built-in models", id="builtin-none"),
    pytest.param(lambda: gr.analyze(gr.Game.builtin("hawk_dove"), time_budget=float("nan")),
                 "finite number of seconds", id="time-budget-nan"),
    pytest.param(lambda: gr.analyze(gr.Game.builtin("hawk_dove"), time_budget=-1),
                 "finite number of seconds", id="time-budget-negative"),
    pytest.param(lambda: gr.threshold(gr.Game.builtin("hawk_dove"), ("hawk", "dove"), "C",
                                      time_budget=float("inf")),
                 "finite number of seconds", id="threshold-time-budget-inf"),
    pytest.param(lambda: gr.Game.builtin("hawk_dove").with_values({"V": "1e-999999999"}),
                 "`number_digits`", id="with-values-huge-decimal"),
    pytest.param(lambda: gr.read_model_text(model(payoff='"\uff50"'), "m.toml"), "U+FF50",
                 id="fullwidth-p-refused"),
    pytest.param(lambda: gr.read_model_text(model(params='p = 1\n"\uff50" = 2',
                                                  payoff='"\uff50"'), "m.toml"),
                 "same name to Python's parser", id="fullwidth-p-declared-beside-p"),
    pytest.param(lambda: gr.Schedule("p", "piecewise_linear", (0, 5e-324), (2, 3)), "too short",
                 id="schedule-near-zero-interval"),
    # games built in Python get the checks of model files (the same functions, issue 12)
    pytest.param(lambda: _builder_populations(9, 2), "limit `populations`",
                 id="builder-nine-populations"),
    pytest.param(lambda: gr.Game.from_table("g", [("a", [f"s{i}" for i in range(200)]),
                                                  ("b", ["t1", "t2"])], {}),
                 "limit `strategies`", id="from-table-200-strategies"),
    pytest.param(lambda: _builder_populations(3, 8), "limit `profiles`",
                 id="builder-512-profiles"),
    pytest.param(lambda: gr.Game.symmetric("g", [f"s{i}" for i in range(17)], {}),
                 "limit `strategies`", id="symmetric-17-strategies"),
    pytest.param(lambda: gr.Game.from_table("g", [("a", ["\x1b[2J", "t"]), ("b", ["h", "t"])],
                                            {}), "control character '\\x1b'",
                 id="from-table-escape-in-strategy"),
    pytest.param(lambda: gr.Game.from_table("g", [("a", ["h", "t"]), ("b", ["h", "t"])], {},
                                            title="T\n# injected heading"),
                 "control character '\\n'", id="from-table-newline-in-title"),
    pytest.param(lambda: gr.Game.symmetric("g", ["h", "t\r"], [[0, 1], [1, 0]]),
                 "control character '\\r'", id="symmetric-carriage-return"),
    pytest.param(lambda: _builder_with(lambda b: b.parameter("p", 1, description="\x9b31m")),
                 "control character", id="builder-c1-in-parameter-description"),
    pytest.param(lambda: _builder_with(lambda b: b.cost("\u202efee", 1, who="a")),
                 "control character", id="builder-bidi-in-term-label"),
    pytest.param(lambda: _builder_squaring(60), "`expanded_degree`",
                 id="builder-derived-squaring-60"),
    pytest.param(lambda: gr.Game.from_table("g", [("a", ["h", "t"]), ("b", ["h", "t"])],
                                            {("h", "h"): (_sympy_power(), 0)}),
                 "`expanded_degree`", id="from-table-sympy-degree-90"),
]


def _builder_populations(n: int, k: int):
    b = gr.GameBuilder("big")
    for j in range(n):
        b.population(f"p{j}", [f"s{i}" for i in range(k)])
    return b.build()


def _builder_with(step):
    b = gr.GameBuilder("g")
    b.population("a", ["h", "t"])
    b.population("b", ["h", "t"])
    step(b)
    return b.build()


def _builder_squaring(n: int):
    def chain(b):
        b.parameter("x0", 2)
        for i in range(1, n + 1):
            b.derived(f"x{i}", f"x{i - 1}*x{i - 1}")
        b.payoff(("h", "h"), (f"x{n}", 0))
    return _builder_with(chain)


def _sympy_power():
    import sympy as sp

    p = sp.Symbol("p", real=True)
    return (p**30 + 1) * (p**30 - 1) * (p**30 + 2)


@pytest.mark.parametrize("call, fragment", LIBRARY)
def test_library_raises_own_errors(call, fragment):
    with pytest.raises(gr.GameInputError) as info:
        call()
    assert isinstance(info.value, ValueError | TypeError)
    assert fragment in str(info.value)


def test_declared_non_ascii_name_is_used_exactly():
    """A name declared with a non-ASCII letter works when written as declared."""
    text = model(params='"\u03b1" = 2', payoff='"\u03b1 + 1"')
    game = gr.read_model_text(text, "m.toml")
    assert str(game.payoff_at(("s1", "t1"))[0]) == "\u03b1 + 1"


def test_sqrt2_report_is_exact():
    """p - sqrt(2) with p = 2: exact eigenvalues at the vertex (s1, t1).

    Hand derivation from the payoff table: the gain of a's deviation to s2 is
    0 - (p - sqrt(2)) = sqrt(2) - 2 < 0 and of b's to t2 is 0 - 1 = -1, so the vertex is stable
    (exactly: no floating-point tolerance is needed to sign sqrt(2) - 2).
    """
    import sympy as sp

    game = gr.read_model_text(model(payoff='"p - sqrt(2)"'), "m.toml")
    first = gr.analyze(game).rest_points[0]
    assert str(first.stability) == "stable"
    assert set(first.spectrum.exact) == {sp.sqrt(2) - 2, sp.Integer(-1)}


def test_the_suite_size_matches_the_readme():
    """README records how many hostile cases the suite holds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    total = len(CASES) + len(LIBRARY)
    assert f"{total} hostile cases" in readme


def test_docs_list_every_limit():
    """docs/limits.md lists every declared limit with its default."""
    from gametheory_regen.limits import LIMITS

    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name in LIMITS:
        assert f"| `{name}` |" in doc, name

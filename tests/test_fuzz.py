"""Fuzzing the expression parser and the model-file reader (issue 12), under a memory cap.

Property: whatever the text, the parser returns a sympy expression or raises the package's own
:class:`~gametheory_regen.errors.GameInputError`; the command line on a generated model file
exits 0 or 2 (never 1, the internal-error status), writes at most one line on stderr when it
fails, and stays under the memory cap.  Hypothesis runs derandomized with a bounded number of
examples (``tests/conftest.py``), so the run is reproducible and takes seconds.

The fuzzing runs in a child process (this file run as a script) under ``RLIMIT_AS`` = 2 GiB and
a timeout, so that an input that escapes the limits fails the test instead of exhausting the
machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MEMORY_CAP = 2 * 1024**3
ROOT = Path(__file__).resolve().parents[1]

TOKENS = ["p", "q", "x0", "C", "I", "E", "\uff50", "\u03b1", "1", "0", "2", "64", "65", "1000",
          "9" * 60, "2.5", "1e308", "1e-999", "0.1", "+", "-", "*", "/", "**", "(", ")", ",",
          "exp(", "log(", "sqrt(", "Abs(", "Min(", "Max(", " ", "\x1b", "\r", "__import__",
          ".", "[", "]", "'", "lambda", "%", "//", "==", "_"]
EXPRESSIONS = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.text(max_size=30),
    st.builds(lambda n, t: t * n, st.integers(0, 400), st.sampled_from(["-", "(", "p*", "x0**2*"])),
)
VALID = st.recursive(
    st.sampled_from(["p", "q", "1", "2", "0.5", "3", "sqrt(2)", "exp(1)"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["exp", "sqrt", "log", "Abs", "Min", "Max", "-"]), inner).map(
            lambda t: f"{t[0]}({t[1]})")),
    max_leaves=6)
PAYOFFS = st.one_of(VALID, VALID, EXPRESSIONS)
NUMBERS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["1e-999999999", "0." + "0" * 2000 + "1", "2", "-1"]))
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")), deadline=None,
                    derandomize=True, suppress_health_check=list(HealthCheck))


def _names():
    return {"p": sp.Symbol("p", real=True), "q": sp.Symbol("q", real=True),
            "x0": sp.Symbol("x0", real=True), "C": sp.Symbol("C", real=True),
            "I": sp.Symbol("I", real=True), "E": sp.Symbol("E", real=True),
            "\u03b1": sp.Symbol("\u03b1", real=True)}


@SETTINGS
@given(EXPRESSIONS)
def fuzz_expressions(text: str) -> None:
    """The parser returns an expression or raises GameInputError, nothing else."""
    from gametheory_regen.errors import GameInputError
    from gametheory_regen.model import parse_expression

    try:
        result = parse_expression(text, _names(), "fuzz")
    except GameInputError as exc:
        assert "\n" not in str(exc) or "\n" in text
        return
    assert isinstance(result, sp.Basic)


def _toml_string(s: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                         for c in s) + '"'


@st.composite
def model_files(draw) -> str:
    """A valid model in which one field (or none) is drawn hostile."""
    hostile = draw(st.sampled_from(["none", "payoff", "payoff", "derived", "param", "shape",
                                    "strategy", "name", "title", "schedule", "extra"]))

    def pick(field, valid, bad):
        return draw(bad) if hostile == field else (draw(valid) if isinstance(
            valid, st.SearchStrategy) else valid)

    k = pick("shape", 2, st.sampled_from([1, 3, 70]))
    n = pick("shape", 2, st.sampled_from([0, 1, 3, 17]))
    strategies = [f"s{i}" for i in range(k)]
    strategies[-1] = pick("strategy", strategies[-1],
                          st.sampled_from(["=HYPERLINK(1)", "a\x1bb", "x\ny", "s0", "", "\u202e"]))
    head = f"name = {_toml_string(pick('name', 'm', st.sampled_from(['m x', 'm-1', '', 'é'])))}\n"
    head += f"title = {_toml_string(pick('title', 'T', st.text(max_size=12)))}\n"
    pops = "".join(f'[[populations]]\nname = "p{j}"\nstrategies = '
                   f'[{", ".join(_toml_string(s) for s in strategies)}]\n' for j in range(n))
    value = pick("param", st.integers(-3, 3), NUMBERS)
    params = f"[parameters]\np = {value if not isinstance(value, str) else _toml_string(value)}\n"
    params += 'q = { value = 1, min = 0 }\n'
    derived = f'[derived]\nx0 = {_toml_string(pick("derived", VALID, EXPRESSIONS))}\n'
    payoff = ""
    if n:
        profile = ", ".join(_toml_string(strategies[0]) for _ in range(n))
        values = ", ".join(_toml_string(pick("payoff", VALID, PAYOFFS)) for _ in range(n))
        payoff = f"[[payoffs]]\nprofile = [{profile}]\nvalues = [{values}]\n"
    tail = pick("schedule", "", st.sampled_from([
        '[schedules.q]\nkind = "piecewise_linear"\ntimes = [0, 1e-320]\nvalues = [1, 2]\n',
        '[schedules.q]\nkind = "piecewise_constant"\ntimes = [0, 1]\nvalues = [1, -2]\n']))
    tail += pick("extra", "", st.sampled_from(["junk = 1\n", "[scenarios.s]\nset = { p = 3 }\n",
                                               "[scenarios.s]\nset = { q = -1 }\n"]))
    return head + pops + params + derived + payoff + tail


@SETTINGS
@given(model_files(), st.sampled_from(["show", "report"]))
def fuzz_model_files(text: str, verb: str) -> None:
    """The command line on any model file exits 0 or 2, never 1, with one line when it fails."""
    from gametheory_regen.presentation.cli import main

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        out, err = io.StringIO(), io.StringIO()
        argv = [verb, str(path)] + (["--time-budget", "0.2"] if verb == "report" else [])
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    assert status in (0, 2), (status, err.getvalue(), text)
    if status == 2:
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("error: ")


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def test_fuzz_parser_and_reader_under_memory_cap():
    """Both fuzzers, in a child process capped at 2 GiB and 240 s (usually ~15 s)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_NUM_THREADS": "1"}
    env.pop("GAMETHEORY_REGEN_DEBUG", None)
    result = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True,
                            timeout=240, preexec_fn=_cap)
    assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])
    assert "fuzz ok" in result.stdout


if __name__ == "__main__":
    sys.setrecursionlimit(1000)
    fuzz_expressions()
    fuzz_model_files()
    print("fuzz ok")

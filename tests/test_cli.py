"""The command line (Contract 2) and the JSON report (Contract 3) of DESIGN.md.

Exit status 0 on success; 2 on bad input with exactly one line on stderr that names the file, table
and key (or the option), no traceback, and no output file left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gametheory_regen.model import builtin_names
from gametheory_regen.presentation.cli import main

GOOD = """
name = "g"
[[populations]]
name = "row"
strategies = ["a", "b"]
[[populations]]
name = "col"
strategies = ["c", "d"]
[parameters]
S = 1
[[payoffs]]
profile = ["a", "c"]
values = ["S", "1"]
[[payoffs]]
profile = ["b", "d"]
values = ["1", "S"]
[scenarios.big]
set = { S = 3 }
"""

CONTRACT3_KEYS = {"model", "scenario", "version", "parameters", "populations", "replicator",
                  "rest_points", "continua"}
POINT_KEYS = {"state", "kind", "eigenvalues", "stability", "nash", "strict_nash", "ess"}


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gametheory_regen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def call(capsys, *args: str):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


# ------------------------------------------------------------------------------ success
def test_python_dash_m_models():
    result = run("models")
    assert result.returncode == 0, result.stderr
    for name in builtin_names():
        assert name in result.stdout
    assert "--scenario jinsong" in result.stdout
    assert result.stderr == ""


def test_python_dash_m_without_verb_is_usage_error():
    result = run()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_show(capsys):
    status, out, err = call(capsys, "show", "matching_pennies")
    assert status == 0 and err == ""
    assert "(heads, heads): a; -a" in out
    # with a = 1: u_H - u_T = 4y - 2 for row and 2 - 4x for column (Hofbauer & Sigmund 1998, 10.3)
    assert "dx/dt = x*(1 - x)*(4*y - 2)" in out
    assert "dy/dt = y*(1 - y)*(2 - 4*x)" in out


def test_show_ledger_terms(capsys, tmp_path):
    status, out, _ = call(capsys, "show", "/work/shared/examples/toy_tripartite.toml")
    assert status == 0
    assert "subsidy: government -S, operator +S" in out


@pytest.mark.parametrize("model", builtin_names())
def test_report_json_has_every_contract3_key(model, capsys):
    status, out, err = call(capsys, "report", model, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert CONTRACT3_KEYS <= set(data)
    assert data["model"] == model and data["scenario"] is None
    assert data["rest_points"], "vertices are always rest points"
    kinds = [p["kind"] for p in data["rest_points"]]
    order = {"vertex": 0, "boundary": 1, "interior": 2}
    assert kinds == sorted(kinds, key=order.get)
    n_vertices = 1
    for pop in data["populations"]:
        assert set(pop) >= {"name", "strategies", "symbol"}
        n_vertices *= len(pop["strategies"])
    assert kinds.count("vertex") == n_vertices
    for point in data["rest_points"]:
        assert POINT_KEYS <= set(point)
        assert point["stability"] in {"stable", "unstable", "saddle", "non-hyperbolic"}
        assert all(len(pair) == 2 for pair in point["eigenvalues"])
        for shares in point["state"].values():
            assert sum(shares) == pytest.approx(1, abs=1e-12)
        if point["kind"] == "vertex":
            assert isinstance(point["conditions"], list)
        # Contract 3: stable exactly for strict Nash vertices; ess = strict Nash
        assert (point["stability"] == "stable") == bool(point["strict_nash"])
        assert point["ess"] == point["strict_nash"]


def test_report_json_scenario_and_set(capsys, tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GOOD)
    status, out, _ = call(capsys, "report", str(path), "--scenario", "big", "--set", "S=5",
                          "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["scenario"] == "big"
    assert data["parameters"] == {"S": 5}


@pytest.mark.parametrize("fmt,marker", [
    ("text", "Rest points:"),
    ("markdown", "| # | kind | point |"),
    ("json", '"rest_points"'),
    ("latex", "\\begin{longtable}"),
], ids=["text", "markdown", "json", "latex"])
def test_report_formats(fmt, marker, capsys, tmp_path):
    status, out, err = call(capsys, "report", "hawk_dove", "--format", fmt)
    assert status == 0 and err == ""
    assert marker in out
    if fmt == "latex":
        assert "\\end{longtable}" in out and "\\toprule" in out
    # the same through --output: written whole, nothing on stdout
    target = tmp_path / f"report.{fmt}"
    status, out2, _ = call(capsys, "report", "hawk_dove", "--format", fmt, "--output", str(target))
    assert status == 0 and out2 == ""
    assert target.read_text(encoding="utf-8") == out
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_report_text_says_non_hyperbolic_not_stable(capsys):
    status, out, _ = call(capsys, "report", "matching_pennies")
    assert status == 0
    assert "non-hyperbolic" in out
    assert "Evolutionarily stable (strict Nash = asymptotically stable vertex, Selten 1980): none" \
        in out


# ------------------------------------------------------------------------------ bad input
def _variant(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


BAD_FILES = [
    pytest.param('name = "g" [[', ["bad.toml", "TOML"], id="malformed-toml"),
    pytest.param(_variant('values = ["S", "1"]', 'values = ["S"]'),
                 ["bad.toml", "[[payoffs]] 1", "values"], id="too-few-values"),
    pytest.param(_variant('values = ["S", "1"]', 'values = ["S", "1", "2"]'),
                 ["bad.toml", "[[payoffs]] 1", "values"], id="too-many-values"),
    pytest.param(_variant('profile = ["a", "c"]', 'profile = ["a", "zz"]'),
                 ["bad.toml", "[[payoffs]] 1", "'zz'"], id="unknown-strategy"),
    pytest.param(_variant('values = ["S", "1"]', 'values = ["S + K", "1"]'),
                 ["bad.toml", "[[payoffs]] 1", "'K'", "Known names: S"],
                 id="unknown-parameter-in-expression"),
    pytest.param(_variant("S = 1", "S = nan"), ["bad.toml", "[parameters]", "`S`"],
                 id="nan-parameter"),
    pytest.param(_variant("S = 1", 'S = "abc"'), ["bad.toml", "[parameters]", "`S`"],
                 id="string-parameter"),
    pytest.param(_variant('values = ["S", "1"]', 'values = ["abc", "1"]'),
                 ["bad.toml", "[[payoffs]] 1", "'abc'"], id="string-value"),
    pytest.param(_variant('values = ["S", "1"]', 'values = [nan, "1"]'),
                 ["bad.toml", "[[payoffs]] 1"], id="nan-value"),
    pytest.param(_variant('values = ["S", "1"]',
                          'values = ["__import__(\'os\').system(\'touch PWNED\')", "1"]'),
                 ["bad.toml", "[[payoffs]] 1"], id="expression-runs-code"),
    pytest.param(_variant("set = { S = 3 }", "set = { S = nan }"),
                 ["bad.toml", "[scenarios.big]"], id="scenario-nan"),
]


def _assert_one_clean_line(status, err, fragments):
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize("text,fragments", BAD_FILES)
def test_bad_model_file(text, fragments, capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out_file = tmp_path / "out.json"
    status, out, err = call(capsys, "report", str(path), "--format", "json",
                            "--output", str(out_file))
    _assert_one_clean_line(status, err, fragments)
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]  # nothing left behind


def test_bad_model_file_in_a_subprocess(tmp_path):
    """The same through the real process: exit 2, one line, no traceback, no code run."""
    path = tmp_path / "bad.toml"
    path.write_text(_variant('values = ["S", "1"]',
                             'values = ["__import__(\'os\').system(\'touch PWNED\')", "1"]'))
    result = run("report", str(path), "--output", str(tmp_path / "out.txt"), cwd=tmp_path)
    _assert_one_clean_line(result.returncode, result.stderr, ["bad.toml"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


BAD_ARGS = [
    pytest.param(["--set", "K=1"], ["'K'", "S"], id="set-unknown-name"),
    pytest.param(["--set", "S=nan"], ["--set", "S=nan"], id="set-nan"),
    pytest.param(["--set", "S=inf"], ["--set"], id="set-inf"),
    pytest.param(["--set", "S=abc"], ["--set", "abc"], id="set-string"),
    pytest.param(["--set", "S"], ["--set"], id="set-without-value"),
    pytest.param(["--scenario", "nope"], ["'nope'", "big"], id="unknown-scenario"),
    pytest.param(["--format", "pdf"], ["--format"], id="unknown-format"),
]


@pytest.mark.parametrize("extra,fragments", BAD_ARGS)
def test_bad_arguments(extra, fragments, capsys, tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GOOD)
    out_file = tmp_path / "out.json"
    status, out, err = call(capsys, "report", str(path), *extra, "--output", str(out_file))
    _assert_one_clean_line(status, err, fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.toml"]


def test_set_unknown_name_names_the_option(capsys, tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GOOD)
    status, _, err = call(capsys, "report", str(path), "--set", "K=1")
    _assert_one_clean_line(status, err, ["--set", "'K'"])


@pytest.mark.parametrize("profile", ['["a"]', '["a", "zz"]'], ids=["too-short", "unknown"])
def test_bad_profile_names_the_profile_key(profile, capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(_variant('profile = ["a", "c"]', f"profile = {profile}"))
    status, _, err = call(capsys, "report", str(path))
    _assert_one_clean_line(status, err, ["bad.toml", "[[payoffs]] 1", "key `profile`"])


@pytest.mark.parametrize("where", ["missing-folder", "under-a-file", "is-a-folder"])
def test_unwritable_output(where, capsys, tmp_path):
    """Tests run as root, so a read-only folder would still be writable: use a folder that does
    not exist, a path below a regular file, and an existing folder as the target."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = {"missing-folder": tmp_path / "nope" / "out.json",
              "under-a-file": blocker / "out.json",
              "is-a-folder": tmp_path}[where]
    status, out, err = call(capsys, "report", "hawk_dove", "--format", "json",
                            "--output", str(target))
    _assert_one_clean_line(status, err, ["--output"])
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]
    assert blocker.read_text() == "x"


def test_missing_model_file(capsys, tmp_path):
    status, _, err = call(capsys, "report", str(tmp_path / "missing.toml"))
    _assert_one_clean_line(status, err, ["missing.toml"])


def test_unknown_builtin_model(capsys):
    status, _, err = call(capsys, "report", "no_such_model")
    _assert_one_clean_line(status, err, ["'no_such_model'", "hawk_dove"])


@pytest.mark.parametrize("value", ["sqrt(-1)", "((2**64)**64)**64"], ids=["imaginary", "huge"])
def test_unusable_constant_payoff_is_bad_input(value, capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(_variant('values = ["S", "1"]', f'values = ["{value}", "1"]'))
    status, _, err = call(capsys, "report", str(path))
    _assert_one_clean_line(status, err, ["bad.toml", "[[payoffs]] 1"])


# ------------------------------------------------------------------------------ strict JSON
def _strict_json(text: str):
    """Parse as strict JSON (RFC 8259): NaN and Infinity are not JSON and are refused."""
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    data = json.loads(text, parse_constant=refuse)
    json.dumps(data, allow_nan=False)
    return data


OVERFLOW = """
name = "overflow"
[[populations]]
name = "row"
strategies = ["a", "b"]
[[populations]]
name = "col"
strategies = ["c", "d"]
[parameters]
S = 1e308
[[payoffs]]
profile = ["a", "c"]
values = ["S", "S"]
[[payoffs]]
profile = ["b", "c"]
values = ["-S", "-S"]
[[payoffs]]
profile = ["b", "d"]
values = ["1", "1"]
"""


def test_report_json_writes_overflowing_eigenvalues_as_null(capsys, tmp_path):
    """Payoff differences of 2e308 overflow a double: the eigenvalue is null, never Infinity."""
    path = tmp_path / "overflow.toml"
    path.write_text(OVERFLOW)
    status, out, err = call(capsys, "report", str(path), "--format", "json")
    assert status == 0, err
    data = _strict_json(out)
    pairs = [pair for p in data["rest_points"] for pair in p["eigenvalues"]]
    assert all(len(pair) == 2 for pair in pairs)
    assert [None, 0.0] in pairs  # -inf at (a, c) and +inf at (b, c)


def test_simulate_json_is_strict(capsys, monkeypatch):
    """Whatever the engine returns, `simulate --format json` writes strict JSON."""
    import dataclasses

    from gametheory_regen.analysis import batch

    real = batch.simulate

    def simulate_with_non_finite(*args, **kwargs):
        sim = real(*args, **kwargs)
        return dataclasses.replace(sim, atol=float("inf"), rtol=float("nan"))

    monkeypatch.setattr(batch, "simulate", simulate_with_non_finite)
    status, out, err = call(capsys, "simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6",
                            "--t-end", "5", "--points", "3", "--format", "json")
    assert status == 0, err
    data = _strict_json(out)
    assert data["method"]["atol"] is None and data["method"]["rtol"] is None
    assert {"model", "scenario", "parameters", "initial", "t", "states", "final",
            "settled_at"} <= set(data)


def test_sweep_json_is_strict(capsys, monkeypatch):
    import dataclasses
    import importlib

    sweep_module = importlib.import_module("gametheory_regen.analysis.sweep")  # not the function
    real = sweep_module.sweep

    def sweep_with_non_finite(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), match_tol=float("-inf"))

    monkeypatch.setattr(sweep_module, "sweep", sweep_with_non_finite)
    status, out, err = call(capsys, "sweep", "hawk_dove", "--vary", "C=1:5:2", "--samples", "2",
                            "--t-end", "5", "--quiet")
    assert status == 0, err
    data = _strict_json(out)
    assert data["method"]["match_tol"] is None
    assert [c["at"] for c in data["cells"]] == [{"C": 1.0}, {"C": 5.0}]


def test_threshold_json_unbounded_interval_is_null(capsys):
    status, out, err = call(capsys, "threshold", "hawk_dove", "--outcome",
                            "owner=hawk,intruder=dove", "--parameter", "C", "--format", "json")
    assert status == 0, err
    data = _strict_json(out)
    assert data["value"] == 2.0
    assert data["intervals"][0]["upper"] is None and data["bounds"] == [0.0, None]


# ------------------------------------------------------------------------------ simulate wording
def test_simulate_text_does_not_call_a_moving_path_settled(capsys):
    """Hawk-dove enters the invariant box of (dove, hawk) long before its shares stop moving:
    the text says it converges there, not that it has settled."""
    status, out, err = call(capsys, "simulate", "hawk_dove", "--initial",
                            "owner=0.3,intruder=0.6", "--t-end", "10")
    assert status == 0, err
    last = out.strip().splitlines()[-1]
    assert "settled at" not in out
    assert last.startswith("converging to (dove, hawk): inside its invariant box from t = ")
    # and the shares really are still moving at the end: not yet at the vertex
    status, out, _ = call(capsys, "simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6",
                          "--t-end", "10", "--format", "json")
    data = json.loads(out)
    assert data["settled_at"] == {"owner": [0.0, 1.0], "intruder": [1.0, 0.0]}
    assert data["settled_time"] < 5
    assert 0 < data["final"]["owner"][0] < 1e-3


INDIFFERENT = """
name = "indifferent"
[[populations]]
name = "row"
strategies = ["a", "b"]
[[populations]]
name = "col"
strategies = ["c", "d"]
[[payoffs]]
profile = ["a", "c"]
values = ["0", "1"]
[[payoffs]]
profile = ["b", "c"]
values = ["0", "1"]
"""


def test_simulate_text_at_rest_off_the_vertices(capsys, tmp_path):
    """Row is indifferent, column prefers c: the path stops on the edge at row share 0.3, a rest
    point that is no vertex; there the velocity falls below the tolerance and the path is at
    rest."""
    path = tmp_path / "indifferent.toml"
    path.write_text(INDIFFERENT)
    status, out, err = call(capsys, "simulate", str(path), "--initial", "row=0.3,col=0.5",
                            "--t-end", "50")
    assert status == 0, err
    last = out.strip().splitlines()[-1]
    assert last.startswith("at rest from t = ") and "speed below 1e-10" in last
    assert "{'row': [0.3, 0.7]" in last


# ------------------------------------------------------------------------------ exit status
@pytest.mark.parametrize("args,marker", [
    (["--version"], "gametheory-regen "),
    (["--help"], "usage: gametheory-regen"),
    (["report", "--help"], "usage: gametheory-regen report"),
], ids=["version", "help", "verb-help"])
def test_help_and_version_return_zero(args, marker, capsys):
    status, out, err = call(capsys, *args)  # main returns, it does not raise SystemExit
    assert status == 0 and err == ""
    assert out.startswith(marker)


def test_usage_error_still_one_line_and_two(capsys):
    status, out, err = call(capsys, "--no-such-option")
    _assert_one_clean_line(status, err, ["--no-such-option"])
    assert out == ""


@pytest.mark.parametrize("verb", [
    ["report", "hawk_dove"],
    ["threshold", "hawk_dove", "--outcome", "owner=hawk,intruder=dove", "--parameter", "C"],
], ids=["report", "threshold"])
@pytest.mark.parametrize("budget", ["inf", "nan", "-1"])
def test_time_budget_must_be_finite_and_non_negative(verb, budget, capsys):
    status, out, err = call(capsys, *verb, "--time-budget", budget)
    _assert_one_clean_line(status, err, ["--time-budget", budget])
    assert out == ""


# ------------------------------------------------------------------------------ engine messages
def test_state_error_shows_plain_numbers():
    import numpy as np

    from gametheory_regen.analysis.batch import as_full_states, simulate
    from gametheory_regen.errors import GameInputError, StateError

    with pytest.raises(StateError, match=r"sums to 1\.2$") as info:
        as_full_states([[0.5, 0.7, 0.5, 0.5]], (2, 2))
    assert "np." not in str(info.value)
    with pytest.raises(GameInputError, match=r"got -1\.0$") as info:
        simulate(np.zeros((2, 2, 2)), [0.5, 0.5], np.float64(-1.0))
    assert "np." not in str(info.value)


HUGE_PAYOFFS = """
name = "huge"
[[populations]]
name = "row"
strategies = ["a", "b"]
[[populations]]
name = "col"
strategies = ["c", "d"]
[parameters]
S = 1e308
[[payoffs]]
profile = ["a", "c"]
values = ["S", "-S"]
[[payoffs]]
profile = ["a", "d"]
values = ["-S", "S"]
[[payoffs]]
profile = ["b", "c"]
values = ["-S", "S"]
[[payoffs]]
profile = ["b", "d"]
values = ["S", "-S"]
"""


@pytest.mark.parametrize("verb", [
    ["simulate", "--initial", "row=0.3,col=0.6"],
    ["sweep", "--vary", "S=1e307:1e308:3"],
])
def test_engine_refuses_payoffs_near_overflow(verb, tmp_path, capsys):
    model = tmp_path / "huge.toml"
    model.write_text(HUGE_PAYOFFS)
    plot = tmp_path / "out.png"
    status, out, err = call(capsys, verb[0], str(model), *verb[1:], "--plot", str(plot))
    assert status == 2
    assert err.count("\n") == 1 and "payoffs must be finite" in err and "rescale" in err
    assert "Traceback" not in err and not plot.exists()

"""Dynamics other than the replicator above the engine (issue 11, Contract 4 of DESIGN.md).

The model file's ``[dynamics]`` table, the command line's ``--dynamics`` (which wins over the
file), the ``"dynamics"`` key of every JSON document, and simulations and sweeps run under the
chosen dynamics, with attractors found wherever they are.

Known results used:

* [HS98] Hofbauer & Sigmund (1998), *Evolutionary Games and Population Dynamics*, sec. 11.2:
  in a zero-sum bimatrix game with an interior equilibrium (p, q) the replicator conserves
  ``H = sum_i p_i log x_i + sum_j q_j log y_j``, so two-population rock-paper-scissors cycles
  around its centre and never converges. Adding uniform mutation in the additive form
  ``mu (1/k - x_i)`` subtracts ``mu`` from every eigenvalue of the reduced Jacobian (whose
  eigenvalues at the centre are purely imaginary), so for ``mu > 0`` the centre becomes
  asymptotically stable with rate ``mu``.
* [MP95] McKelvey & Palfrey (1995): the rest points of the logit dynamics are the logit quantal
  response equilibria, ``x_p = softmax(u_p(x) / eta)`` for every population.
* [MS82] Maynard Smith (1982), ch. 2: hawk-dove in one population has the mixed ESS hawk share
  ``V / C`` when ``V < C``, the attractor of every interior start.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import gametheory_regen as gr
from gametheory_regen.dynamics.field import DYNAMICS_KINDS, REPLICATOR, Dynamics
from gametheory_regen.errors import ModelFileError
from gametheory_regen.model import model_to_toml, read_model_text
from gametheory_regen.model.dynamics_spec import Dynamics as SpecDynamics
from gametheory_regen.model.library import builtin_path
from gametheory_regen.presentation.cli import main

RPS_TEXT = builtin_path("rock_paper_scissors").read_text(encoding="utf-8")
# the integrator's noise floor on a state, 100 (rtol + atol) with the engine's defaults
# (gametheory_regen.analysis.attractors, step 1)
FLOOR = 100 * (1e-8 + 1e-10)


def with_table(table: str) -> str:
    return RPS_TEXT + "\n" + table


def call(capsys, *args: str):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def model_file(tmp_path, table: str) -> str:
    path = tmp_path / "rps.toml"
    path.write_text(with_table(table), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------- the model layer
def test_dynamics_is_reexported_from_the_model_layer():
    assert Dynamics is SpecDynamics and REPLICATOR == SpecDynamics()
    assert DYNAMICS_KINDS[0] == "replicator"


TABLES = [
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = 0.1\n',
                 {"kind": "logit", "temperature": 0.1}, id="logit-temperature"),
    pytest.param('[dynamics]\nkind = "replicator_mutator"\nmutation = 0.05\n',
                 {"kind": "replicator_mutator", "mutation": 0.05}, id="replicator-mutator"),
    pytest.param('[dynamics]\nkind = "replicator_mutator"\n',
                 {"kind": "replicator_mutator", "mutation": 0.0}, id="replicator-mutator-mu-0"),
    pytest.param('[dynamics]\nkind = "imitation"\nintensity = 2\n',
                 {"kind": "imitation", "intensity": 2.0}, id="imitation-integer-intensity"),
    pytest.param('[dynamics]\nkind = "bnn"\n', {"kind": "bnn"}, id="bnn"),
    pytest.param('[dynamics]\nkind = "smith"\n', {"kind": "smith"}, id="smith"),
    pytest.param('[dynamics]\nkind = "replicator"\n', {"kind": "replicator"},
                 id="replicator-explicit"),
    pytest.param("", {"kind": "replicator"}, id="no-table-replicator"),
]


@pytest.mark.parametrize("table, expected", TABLES)
def test_model_file_table_is_read_and_round_trips(table, expected):
    game = read_model_text(with_table(table), "rps.toml")
    assert game.dynamics.as_dict() == expected
    again = read_model_text(model_to_toml(game), "again.toml")
    assert again.dynamics == game.dynamics
    # the dynamics survives scenarios and --set
    assert game.with_values({"w": 2}).dynamics == game.dynamics
    assert game.with_scenario(None).dynamics == game.dynamics


BAD_TABLES = [
    pytest.param('[dynamics]\nkind = "lgit"\n', "key `kind`", id="unknown-kind"),
    pytest.param('[dynamics]\nkind = "smith"\ntemperature = 0.1\n', "key `temperature`",
                 id="parameter-of-another-dynamics"),
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = 0\n', "key `temperature`",
                 id="eta-zero"),
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = -0.5\n', "key `temperature`",
                 id="eta-negative"),
    pytest.param('[dynamics]\nkind = "logit"\n', "key `temperature`", id="eta-missing"),
    pytest.param('[dynamics]\nkind = "replicator_mutator"\nmutation = -0.01\n',
                 "key `mutation`", id="mu-negative"),
    pytest.param('[dynamics]\nkind = "imitation"\nintensity = 0\n', "key `intensity`",
                 id="beta-zero"),
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = "hot"\n', "key `temperature`",
                 id="not-a-number"),
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = nan\n', "key `temperature`",
                 id="nan"),
    pytest.param('[dynamics]\nkind = "logit"\ntemperature = true\n', "key `temperature`",
                 id="boolean"),
    pytest.param('[dynamics]\nkind = "logit"\ntemp = 0.1\n', "unknown key(s) temp",
                 id="unknown-key"),
]


@pytest.mark.parametrize("table, where", BAD_TABLES)
def test_bad_model_file_table_names_file_table_and_key(table, where):
    with pytest.raises(ModelFileError) as info:
        read_model_text(with_table(table), "rps.toml")
    message = str(info.value)
    assert message.startswith("rps.toml: [dynamics]") and where in message
    assert "\n" not in message


@pytest.mark.parametrize("table, where", BAD_TABLES[:3])
def test_bad_model_file_table_exits_2_with_one_line(capsys, tmp_path, table, where):
    status, out, err = call(capsys, "show", model_file(tmp_path, table))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and where in err and "[dynamics]" in err


def test_show_prints_the_model_files_dynamics(capsys, tmp_path):
    path = model_file(tmp_path, '[dynamics]\nkind = "logit"\ntemperature = 0.1\n')
    status, out, _ = call(capsys, "show", path)
    assert status == 0
    assert "Dynamics: logit (temperature = 0.1)" in out and "softmax(u / eta)" in out


# ------------------------------------------------------------------------- the command line
def test_the_flag_beats_the_model_file(capsys, tmp_path):
    path = model_file(tmp_path, '[dynamics]\nkind = "logit"\ntemperature = 0.1\n')
    common = ["simulate", path, "--initial", "row=0.5,column=0.2", "--t-end", "1",
              "--points", "2", "--format", "json"]
    status, out, _ = call(capsys, *common)
    assert status == 0 and json.loads(out)["dynamics"] == {"kind": "logit", "temperature": 0.1}
    status, out, _ = call(capsys, *common, "--dynamics", "replicator_mutator,mutation=0.3")
    assert status == 0
    assert json.loads(out)["dynamics"] == {"kind": "replicator_mutator", "mutation": 0.3}


BAD_FLAGS = [
    pytest.param("quantum", "unknown dynamics", id="unknown-dynamics"),
    pytest.param("smith,mutation=0.1", "mutation is a parameter of dynamics", id="wrong-param"),
    pytest.param("logit,temperature=0", "temperature must be", id="eta-zero"),
    pytest.param("logit,temperature=-1", "temperature must be", id="eta-negative"),
    pytest.param("logit", "needs temperature", id="eta-missing"),
    pytest.param("replicator_mutator,mutation=-0.1", "mutation must be", id="mu-negative"),
    pytest.param("imitation,intensity=0", "intensity must be", id="beta-zero"),
    pytest.param("logit,temperature=nan", "temperature must be", id="nan"),
    pytest.param("logit,temperature=hot", "must be a number", id="not-a-number"),
    pytest.param("logit,temperature=0.1,temperature=0.2", "given twice", id="repeated"),
    pytest.param("logit,eta", "expected KIND[,NAME=VALUE...]", id="no-equals"),
]

VERBS = {
    "simulate": ["simulate", "hawk_dove", "--initial", "owner=0.5,intruder=0.5"],
    "sweep": ["sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "2", "--quiet"],
    "report": ["report", "hawk_dove"],
    "compare": ["compare", "hawk_dove"],
}


@pytest.mark.parametrize("verb", list(VERBS))
@pytest.mark.parametrize("flag, words", BAD_FLAGS)
def test_bad_flag_exits_2_with_one_line(capsys, verb, flag, words):
    status, out, err = call(capsys, *VERBS[verb], "--dynamics", flag)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "--dynamics" in lines[0]


@pytest.mark.parametrize("verb", ["simulate", "sweep", "report"])
def test_all_is_refused_outside_compare(capsys, verb):
    status, _, err = call(capsys, *VERBS[verb], "--dynamics", "all")
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "only `compare` takes all" in err


def test_compare_lets_all_through_to_args():
    import gametheory_regen.presentation.verbs  # noqa: F401  (registers compare)
    from gametheory_regen.presentation.cli import build_parser
    from gametheory_regen.presentation.dynamics_opts import resolve_dynamics

    args = build_parser().parse_args(["compare", "hawk_dove", "--dynamics", "all"])
    assert args.dynamics == "all"
    game = gr.Game.builtin("hawk_dove")
    assert resolve_dynamics(args, game, allow_all=True) is game


def test_threshold_refuses_a_dynamics_whose_vertices_are_not_rest_points(capsys, tmp_path):
    path = model_file(tmp_path, '[dynamics]\nkind = "logit"\ntemperature = 0.1\n')
    status, _, err = call(capsys, "threshold", path, "--outcome", "row=rock,column=rock",
                          "--parameter", "w")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "logit" in err


# ------------------------------------------------------------------------- JSON documents
JSON_RUNS = [
    pytest.param(["simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6", "--t-end", "1",
                  "--points", "2", "--format", "json"], id="simulate"),
    pytest.param(["sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "2", "--t-end", "5",
                  "--quiet"], id="sweep"),
    pytest.param(["compare", "battle_of_sexes", "--parameter", "a", "--format", "json"],
                 id="compare"),
    pytest.param(["threshold", "hawk_dove", "--outcome", "owner=hawk,intruder=dove",
                  "--parameter", "C", "--format", "json"], id="threshold"),
]


FLAGS = [(None, {"kind": "replicator"}),
         ("imitation,intensity=2", {"kind": "imitation", "intensity": 2.0})]
# threshold has no --dynamics (Contract 4): it carries the model file's (test below)
JSON_CASES = [pytest.param(run.values[0], flag, expected,
                           id=f"{run.id}-{'default' if flag is None else 'imitation'}")
              for run in JSON_RUNS for flag, expected in FLAGS
              if flag is None or run.id != "threshold"]


@pytest.mark.parametrize("argv, flag, expected", JSON_CASES)
def test_every_json_document_carries_the_dynamics(capsys, argv, flag, expected):
    extra = [] if flag is None else ["--dynamics", flag]
    status, out, err = call(capsys, *argv, *extra)
    assert status == 0, err
    assert json.loads(out)["dynamics"] == expected


def test_threshold_json_carries_the_model_files_dynamics(capsys, tmp_path):
    path = model_file(tmp_path, '[dynamics]\nkind = "imitation"\nintensity = 3\n')
    status, out, err = call(capsys, "threshold", path, "--outcome", "row=rock,column=rock",
                            "--parameter", "w", "--format", "json")
    assert status == 0, err
    assert json.loads(out)["dynamics"] == {"kind": "imitation", "intensity": 3.0}


# ------------------------------------------------------------------------- known dynamics
def _rps_run(capsys, flag, t_end):
    argv = ["simulate", "rock_paper_scissors", "--initial", "row=0.6/0.3/0.1,column=0.2/0.2/0.6",
            "--t-end", str(t_end), "--points", "401", "--format", "json"]
    status, out, err = call(capsys, *argv, *(["--dynamics", flag] if flag else []))
    assert status == 0, err
    return json.loads(out)


def test_replicator_mutator_makes_the_rps_centre_attract(capsys):
    """[HS98]: with mu = 0.2 the centre attracts at rate mu; by t = 300 the distance is of the
    order e^{-60} times the start's, far below the integrator's noise floor, so the end state
    lies within that floor of (1/3, 1/3, 1/3) in both populations."""
    doc = _rps_run(capsys, "replicator_mutator,mutation=0.2", 300)
    final = np.array(doc["final"]["row"] + doc["final"]["column"])
    assert np.max(np.abs(final - 1 / 3)) < FLOOR


def test_the_replicator_keeps_cycling_around_the_rps_centre(capsys):
    """[HS98]: under the replicator H = sum log x_i + sum log y_j (weights 1/3) is a constant of
    motion, so the distance to the centre never shrinks; H is conserved to within the
    integrator's tolerance over the run."""
    doc = _rps_run(capsys, None, 300)
    rows = np.array(doc["states"]["row"])
    cols = np.array(doc["states"]["column"])
    H = np.log(rows).sum(axis=1) / 3 + np.log(cols).sum(axis=1) / 3
    assert np.max(np.abs(H - H[0])) < 1e-4
    final = np.concatenate([rows[-1], cols[-1]])
    assert np.max(np.abs(final - 1 / 3)) > 0.05 and doc["settled_at"] is None


def _logit_fixed_point_error(game, state_by_pop, eta):
    """Sup-norm of x - softmax(u(x) / eta) over both populations [MP95]."""
    from gametheory_regen.dynamics.field import expected_payoffs_np
    from gametheory_regen.dynamics.kernels import layout_of
    from gametheory_regen.dynamics.numeric import payoff_tensor

    x = np.array([v for p in game.populations for v in state_by_pop[p.name]])[None]
    lay = layout_of(game.shape)
    u = expected_payoffs_np(x, payoff_tensor(game).reshape(1, game.n_populations, -1),
                            lay.counts, lay.profiles + lay.offsets[:-1][None, :])[0]
    err = 0.0
    for p in range(game.n_populations):
        a, b = lay.offsets[p], lay.offsets[p + 1]
        e = np.exp((u[a:b] - u[a:b].max()) / eta)
        err = max(err, float(np.max(np.abs(x[0, a:b] - e / e.sum()))))
    return err


def test_sweep_under_logit_reports_interior_attractors(capsys):
    """Hawk-dove under logit (eta = 0.3): every start ends at an interior attractor, each a
    logit QRE [MP95] to within the clustering tolerance; the shares of a cell sum to 1."""
    status, out, err = call(capsys, "sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "8",
                            "--quiet", "--dynamics", "logit,temperature=0.3")
    assert status == 0, err
    doc = json.loads(out)
    game = gr.Game.builtin("hawk_dove")
    assert doc["method"]["stable_from"] == "simulation"
    for cell in doc["cells"]:
        assert abs(sum(b["share"] for b in cell["basins"]) - 1) < 1e-12
        found = [b for b in cell["basins"] if b["attractor"] is not None]
        assert found and all(b["kind"] == "interior" for b in found)
        for b in found:
            at = game.with_values({k: v for k, v in cell["at"].items()})
            assert _logit_fixed_point_error(at, b["attractor"], 0.3) < 1e-5
        assert cell["stable"] == [b["attractor"] for b in found]
    # C = 4 > V = 2: two asymmetric QRE near (hawk, dove) and (dove, hawk)
    assert len([b for b in doc["cells"][1]["basins"] if b["attractor"]]) == 2


def test_sweep_of_a_replicator_game_is_unchanged_by_naming_the_replicator(capsys):
    argv = ["sweep", "hawk_dove", "--vary", "C=1:5:3", "--samples", "8", "--quiet"]
    status, plain, _ = call(capsys, *argv)
    status2, named, _ = call(capsys, *argv, "--dynamics", "replicator")
    assert status == status2 == 0
    assert json.loads(plain)["cells"] == json.loads(named)["cells"]


def test_single_population_interior_ess_is_an_attractor():
    """[MS82]: hawk-dove in one population, V = 2 < C = 4: the mixed ESS (1/2, 1/2) takes every
    start (issue 10's leftover: it used to count as not settled)."""
    hd = gr.Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
                           [gr.Parameter.make("V", 2), gr.Parameter.make("C", 4)])
    res = gr.sweep(hd, {"V": [2.0]}, samples=8)
    assert int(res.not_settled[0]) == 0 and res.other_counts[0].tolist() == [8]
    assert np.max(np.abs(res.other_attractors[0] - 0.5)) < FLOOR


def test_a_saddle_reached_on_its_stable_manifold_is_not_an_attractor():
    """Two-population anti-coordination under imitation: the grid starts on the diagonal x = y,
    the stable manifold of the interior saddle (1/2, 1/2), end at the saddle; the attractor
    test rejects it, so they are not settled. (The diagonal is kept exactly in floating point:
    with payoffs A and A transposed both populations compute the same numbers. A separatrix
    such as the coordination game's x + y = 1 is not: rounding moves a start off it, to either
    side.)"""
    A = np.array([[0.0, 2.0], [2.0, 0.0]])
    res = gr.basin_shares(np.stack([A, A.T]), sampler="grid", resolution=8, backend="numpy",
                          dynamics=Dynamics("imitation"))
    assert sorted(res.attractors.tolist()) == [[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]
    assert res.counts.tolist() == [28, 28] and res.not_settled == 8

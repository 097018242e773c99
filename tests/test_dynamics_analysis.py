"""Rest points, eigenvalues and stability under the dynamics other than the replicator.

Every known result names its source.  Independent computations: the engine's numpy field
(:func:`gametheory_regen.dynamics.field.velocity_np`, written separately from the sympy field
the analysis uses), nashpy's support enumeration, brute-force Nash checks on payoff tensors,
and a one-dimensional brentq solution of the 2x2 logit QRE.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq

import gametheory_regen as gr
from gametheory_regen.analysis.dynamics_rest import NUMERIC_EIG_TOL
from gametheory_regen.analysis.qre import QRE_TOL, qre_path
from gametheory_regen.dynamics.field import Dynamics, velocity_np
from gametheory_regen.dynamics.kernels import layout_of
from gametheory_regen.dynamics.numeric import payoff_tensor
from gametheory_regen.dynamics.symbolic_field import dynamics_system
from gametheory_regen.errors import GameInputError, ParameterError
from gametheory_regen.model import Game
from gametheory_regen.presentation.report import render_json, render_text

RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


def _amp() -> Game:
    """McKelvey & Palfrey (1995, sec. 4): asymmetric matching pennies."""
    return Game.from_table("amp", [("row", ["L", "R"]), ("column", ["L", "R"])],
                           {("L", "L"): (9, 0), ("L", "R"): (0, 1), ("R", "L"): (0, 1),
                            ("R", "R"): (1, 0)})


def _random_game(shape, seed) -> Game:
    rng = np.random.default_rng(seed)
    pops = [(f"p{q}", [f"s{j}" for j in range(k)]) for q, k in enumerate(shape)]
    table = {}
    for prof in np.ndindex(*shape):
        names = tuple(pops[q][1][j] for q, j in enumerate(prof))
        table[names] = tuple(int(v) for v in rng.integers(-5, 6, size=len(shape)))
    return Game.from_table(f"random{seed}", pops, table)


def _engine_velocity(game: Game, dyn: Dynamics, full: np.ndarray) -> np.ndarray:
    """The engine's numpy reference field at full states (m, N)."""
    from gametheory_regen.dynamics.field import expected_payoffs_np

    counts = game.shape
    lay = layout_of(counts)
    gather = lay.profiles + lay.offsets[:-1]
    pay = payoff_tensor(game).reshape(1, len(counts), int(np.prod(counts)))
    u = expected_payoffs_np(full, pay, counts, gather)
    return velocity_np(full, u, lay.offsets, dyn.code, dyn.param)


def _flat(state) -> np.ndarray:
    return np.array([v for row in state for v in row], dtype=float)


def _brute_nash(game: Game, state, tol=1e-9) -> bool:
    """No population has a strategy earning more than its mix (payoff tensor, numpy)."""
    full = _flat(state)[None, :]
    from gametheory_regen.dynamics.field import expected_payoffs_np

    counts = game.shape
    lay = layout_of(counts)
    pay = payoff_tensor(game).reshape(1, len(counts), int(np.prod(counts)))
    u = expected_payoffs_np(full, pay, counts, lay.profiles + lay.offsets[:-1])[0]
    a = 0
    for k in counts:
        x, v = full[0, a:a + k], u[a:a + k]
        if v.max() > x @ v + tol:
            return False
        a += k
    return True


# ----------------------------------------------------------------------------- replicator-mutator
@pytest.mark.parametrize("mu", [0.05, 0.1, 0.25])
def test_replicator_mutator_stabilises_the_rps_centre(mu):
    """Zero-sum RPS: the replicator's centre (eigenvalues +-i/sqrt(3), a centre; Hofbauer &
    Sigmund 1998, sec. 7.7) becomes asymptotically stable under uniform mutation mu > 0.

    By hand: A is antisymmetric, so x.Ax = 0 for every x and u(x*) = Ax* = 0 at
    x* = (1/3, 1/3, 1/3).  Then f_i = x_i (Ax)_i + mu (1/3 - x_i) has Jacobian A/3 - mu I at x*.
    A maps the tangent plane {sum v = 0} to itself with eigenvalues +-i sqrt(3), so the
    eigenvalues on the plane are -mu +- i sqrt(3)/3: real part -mu < 0, stable (a focus).
    """
    game = Game.symmetric("rps", ["rock", "paper", "scissors"], RPS)
    res = gr.analyze(game, dynamics=Dynamics("replicator_mutator", mutation=mu))
    centre = [r for r in res.rest_points
              if np.allclose(_flat(r.state), 1 / 3, atol=0, rtol=0) or
              np.max(np.abs(_flat(r.state) - 1 / 3)) < 1e-12]
    assert len(centre) == 1
    spec = centre[0].spectrum
    assert str(centre[0].stability) == "stable"
    m = sp.Rational(repr(mu))
    expected = sorted([-m - sp.sqrt(3) * sp.I / 3, -m + sp.sqrt(3) * sp.I / 3],
                      key=lambda z: complex(z).imag)
    assert spec.method == "exact"
    got = sorted(spec.exact, key=lambda z: complex(z).imag)
    assert all(sp.simplify(a - b) == 0 for a, b in zip(got, expected, strict=True))
    assert res.complete  # exact route (Bezout number 9): every rest point found
    assert "conditions" not in json.loads(render_json(res))["rest_points"][0]


def test_replicator_mutator_two_population_rps_numeric_route():
    """Two-population RPS: the same focus, -mu +- i/sqrt(3) twice (numeric route, stated
    tolerance), and the report says the rest points are not proven complete."""
    mu = 0.1
    res = gr.analyze(Game.builtin("rock_paper_scissors"),
                     dynamics=Dynamics("replicator_mutator", mutation=mu))
    centre = min(res.rest_points, key=lambda r: np.max(np.abs(_flat(r.state) - 1 / 3)))
    assert np.max(np.abs(_flat(centre.state) - 1 / 3)) < 1e-9
    vals = sorted(centre.spectrum.values, key=lambda z: (z.imag, z.real))
    target = sorted([complex(-mu, s / math.sqrt(3)) for s in (-1, -1, 1, 1)],
                    key=lambda z: (z.imag, z.real))
    assert max(abs(a - b) for a, b in zip(vals, target, strict=True)) < 1e-7
    assert str(centre.stability) == "stable"
    assert not res.complete
    assert "not proven complete" in render_text(res)


def test_mutation_zero_is_the_replicator():
    hd = Game.builtin("hawk_dove")
    a = gr.analyze(hd)
    b = gr.analyze(hd, dynamics=Dynamics("replicator_mutator", mutation=0.0))
    assert [r.state for r in a.rest_points] == [r.state for r in b.rest_points]
    assert [r.stability for r in a.rest_points] == [r.stability for r in b.rest_points]
    assert all(r.conditions is None and r.nash is None for r in b.rest_points)


# ----------------------------------------------------------------------------- BNN and Smith
def _nashpy_equilibria(game: Game):
    import warnings

    nashpy = pytest.importorskip("nashpy")
    T = payoff_tensor(game)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games
        eqs = list(nashpy.Game(T[0], T[1]).support_enumeration())
    return [np.concatenate([a, b]) for a, b in eqs]


@pytest.mark.parametrize("kind", ["bnn", "smith"])
@pytest.mark.parametrize("name", ["hawk_dove", "battle_of_sexes", "matching_pennies",
                                  "rock_paper_scissors"])
def test_bnn_smith_rest_points_are_the_nash_equilibria_of_bimatrix_games(kind, name):
    """Nash stationarity (Sandholm 2010, secs. 5.5 and 5.6): the rest points of BNN and Smith
    are exactly the Nash equilibria; nashpy's support enumeration gives those independently."""
    game = Game.builtin(name)
    res = gr.analyze(game, dynamics=kind)
    ours = sorted((_flat(r.state) for r in res.rest_points), key=tuple)
    theirs = sorted(_nashpy_equilibria(game), key=tuple)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert np.max(np.abs(a - b)) < 1e-12
    # the engine's own field (an independent implementation) vanishes there
    v = _engine_velocity(game, Dynamics(kind), np.array(ours))
    assert np.max(np.abs(v)) < 1e-12


@pytest.mark.parametrize("kind", ["bnn", "smith"])
@pytest.mark.parametrize("game", [Game.builtin("jordan_matching_pennies"),
                                  _random_game((2, 2, 2), 3), _random_game((2, 2, 2), 11)],
                         ids=["jordan", "random3", "random11"])
def test_bnn_smith_rest_points_in_three_population_games(kind, game):
    """2x2x2 games: every rest point is a Nash equilibrium (brute-force payoff check), every
    pure Nash profile is among them, and the engine's field vanishes at each."""
    res = gr.analyze(game, dynamics=kind)
    states = [r.state for r in res.rest_points]
    assert states and all(_brute_nash(game, s) for s in states)
    for prof in game.profiles():
        st = tuple(tuple(1.0 if j == i else 0.0 for j in range(k))
                   for i, k in zip(prof, game.shape, strict=True))
        if _brute_nash(game, st, tol=0):
            assert st in states
    v = _engine_velocity(game, Dynamics(kind), np.array([_flat(s) for s in states]))
    assert np.max(np.abs(v)) < 1e-9


def test_smith_strict_equilibrium_has_the_deviation_gains_and_bnn_a_zero_jacobian():
    """At a strict pure equilibrium Smith's field is sum_j x_j (u_i - u_j)(e_i - e_j) locally,
    so its eigenvalues are the deviation gains (here -1, -1 in hawk-dove V=2, C=4); BNN's is
    (u_i - ubar)(e_i - x), a product of two factors vanishing there: Jacobian 0."""
    hd = Game.builtin("hawk_dove")
    smith = gr.analyze(hd, dynamics="smith")
    bnn = gr.analyze(hd, dynamics="bnn")
    v_s = [r for r in smith.rest_points if r.kind == "vertex"]
    v_b = [r for r in bnn.rest_points if r.kind == "vertex"]
    assert [r.spectrum.exact for r in v_s] == [(-1, -1), (-1, -1)]
    assert all(str(r.stability) == "stable" for r in v_s)
    assert all(r.spectrum.exact == (0, 0) and str(r.stability) == "non-hyperbolic" for r in v_b)
    assert all(r.nearby.verdict == "attracting" for r in v_b)


def test_kink_rows_are_null_with_a_note():
    """Contract 4: at a tied Nash equilibrium of BNN/Smith eigenvalues and stability are null
    with a note; the text says "not differentiable here" and gives one-sided slopes.

    Battle of the sexes (Hofbauer & Sigmund 1998, sec. 10.2; here x' = x(1-x)(3y-1),
    y' = y(1-y)(3x-2)), mixed equilibrium x = 2/3, y = 1/3.  For a two-strategy population
    with advantage D = u1 - u2, BNN is y1' = y2^2 D for D > 0 and y1^2 D for D < 0.  The woman
    moving eps from opera to football makes the man's D = 3x - 2 = -3 eps: y1' = (1/9)(-3 eps),
    slope -1/3; the opposite deviation gives D = +3 eps, y1' = (4/9)(3 eps), slope +4/3, which is
    not -(-1/3): a kink.
    """
    for kind in ("bnn", "smith"):
        res = gr.analyze(Game.builtin("battle_of_sexes"), dynamics=kind)
        doc = json.loads(render_json(res))
        assert doc["dynamics"] == {"kind": kind}
        mixed = doc["rest_points"][-1]
        assert mixed["kind"] == "interior"
        assert mixed["eigenvalues"] is None and mixed["stability"] is None
        assert "not differentiable here" in mixed["note"]
        assert mixed["one_sided_slopes"] and mixed["nearby_runs"]["verdict"] == "repelling"
        assert all(k not in mixed for k in ("nash", "strict_nash", "ess", "conditions"))
        text = render_text(res)
        assert "not differentiable here" in text and "one-sided slopes" in text
    res = gr.analyze(Game.builtin("battle_of_sexes"), dynamics="bnn")
    slopes = {(s.population, s.source, s.target): dict(((p, st), e) for p, st, _, e in
                                                       s.derivative)
              for s in res.rest_points[-1].kink.slopes}
    assert slopes[("woman", "opera", "football")][("man", "opera")] == sp.Rational(-1, 3)
    assert slopes[("woman", "football", "opera")][("man", "opera")] == sp.Rational(4, 3)


def test_a_symmetric_mixed_point_is_not_a_kink():
    """Hawk-dove (V=2, C=4) at (1/2, 1/2): the BNN field of a two-strategy population is
    y2^2 D or y1^2 D by the sign of D, equal coefficients at y = 1/2, so the field is
    differentiable there (the two tied terms' kinks cancel) with Jacobian [[0, -1/2], [-1/2, 0]]:
    a saddle, like the replicator's."""
    res = gr.analyze(Game.builtin("hawk_dove"), dynamics="bnn")
    mixed = res.rest_points[-1]
    assert mixed.kink.differentiable and mixed.spectrum.exact == (-sp.Rational(1, 2),
                                                                  sp.Rational(1, 2))
    assert str(mixed.stability) == "saddle"


def test_zero_sum_rps_centre_attracts_under_bnn_in_simulation():
    """Zero-sum games are stable games: BNN converges to the Nash equilibria (Hofbauer &
    Sandholm 2009, Thm 5.1); the nearby runs at the (kinked) centre move none away."""
    game = Game.symmetric("rps", ["rock", "paper", "scissors"], RPS)
    centre = gr.analyze(game, dynamics="bnn").rest_points[0]
    assert centre.stability is None and centre.nearby.repelled == 0
    assert centre.nearby.attracted == centre.nearby.starts


# ----------------------------------------------------------------------------- imitation
@pytest.mark.parametrize("name", ["hawk_dove", "battle_of_sexes", "matching_pennies",
                                  "rock_paper_scissors", "jordan_matching_pennies"])
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_imitation_has_the_replicators_rest_points_and_words(name, beta):
    """Fermi imitation: the rest points are the replicator's (module docstring of
    analysis.dynamics_rest; tanh odd and increasing), and every word agrees; at a vertex the
    eigenvalues are tanh(beta g / 2) of the replicator's deviation gains g."""
    game = Game.builtin(name)
    rep = gr.analyze(game)
    imi = gr.analyze(game, dynamics=Dynamics("imitation", intensity=beta))
    assert [r.state for r in rep.rest_points] == [r.state for r in imi.rest_points]
    assert [r.stability for r in rep.rest_points] == [r.stability for r in imi.rest_points]
    assert [r.nash for r in rep.rest_points] == [r.nash for r in imi.rest_points]
    for a, b in zip(rep.rest_points, imi.rest_points, strict=True):
        if a.kind == "vertex":
            want = sorted(math.tanh(beta * v.real / 2) for v in a.spectrum.values)
            got = sorted(v.real for v in b.spectrum.values)
            assert np.allclose(got, want, atol=1e-12, rtol=0)
    v = _engine_velocity(game, Dynamics("imitation", intensity=beta),
                         np.array([_flat(r.state) for r in imi.rest_points]))
    assert np.max(np.abs(v)) < 1e-9
    assert "conditions" in json.loads(render_json(imi))["rest_points"][0]


# ----------------------------------------------------------------------------- logit / QRE
def _amp_qre(eta: float) -> tuple[float, float]:
    """The QRE of asymmetric matching pennies by brentq on one equation (independent).

    Row: x = L((10 y - 1)/eta) (L the logistic function); column: y = L((1 - 2x)/eta).
    """
    def L(z):
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def g(x):
        return x - L((10 * L((1 - 2 * x) / eta) - 1) / eta)

    x = brentq(g, 0.0, 1.0, xtol=1e-15, rtol=1e-15)
    return x, L((1 - 2 * x) / eta)


@pytest.mark.parametrize("eta", [2.0, 0.5, 0.1])
def test_logit_rest_points_match_an_independent_qre(eta):
    """Logit rest points are logit QRE (McKelvey & Palfrey 1995); this game's is unique (the
    row's response is decreasing in x through y, so g is increasing)."""
    res = gr.analyze(_amp(), dynamics=Dynamics("logit", temperature=eta))
    assert len(res.rest_points) == 1
    x, y = _amp_qre(eta)
    st = res.rest_points[0].state
    assert abs(st[0][0] - x) < 1e-9 and abs(st[1][0] - y) < 1e-9
    assert res.rest_points[0].method == "numeric"  # certified by the Krawczyk test
    assert res.rest_points[0].nash is None


def test_logit_contraction_proves_uniqueness():
    """For eta above the contraction bound (here L <= 1/eta for matching pennies) the QRE is
    unique (Banach), so the analysis is complete."""
    res = gr.analyze(Game.builtin("matching_pennies"), dynamics=Dynamics("logit",
                                                                          temperature=4.0))
    assert res.complete and len(res.rest_points) == 1


def test_qre_path_matches_brentq_and_converges_to_nash():
    """The QRE path equals the independent brentq QRE at every recorded eta (within the path's
    tolerance, amplified by the condition of the 2x2 fixed point), and approaches the Nash
    equilibrium ((1/2, 1/2), (1/10, 9/10)) as eta -> 0 (McKelvey & Palfrey 1995, Thm 1).

    Rate, by hand: y = L((1 - 2x)/eta) -> 1/10 needs (1 - 2x)/eta -> logit(1/10) = -ln 9, so
    x - 1/2 = eta ln(9)/2 + o(eta) ~ 1.0986 eta; the distance to the equilibrium is O(eta).
    """
    path = qre_path(_amp(), 100.0, 1e-3)
    assert path.reached and path.tolerance == QRE_TOL
    for eta, st in zip(path.eta[::3], path.states[::3], strict=True):
        x, y = _amp_qre(float(eta))
        assert abs(st[0] - x) < 1e-7 and abs(st[2] - y) < 1e-7
    assert path.limit == ((0.5, 0.5), (0.1, 0.9))
    assert path.limit_distance <= 1.2 * 1e-3
    assert abs(path.states[-1][0] - 0.5 - math.log(9) / 2 * 1e-3) < 1e-5
    coarse = qre_path(_amp(), 100.0, 1e-2)
    assert coarse.limit_distance > path.limit_distance


# ----------------------------------------------------------------------------- Jacobians
@pytest.mark.parametrize("kind,param", [("replicator", None), ("replicator_mutator", 0.07),
                                        ("logit", 0.6), ("bnn", None), ("smith", None),
                                        ("imitation", 1.3)])
@pytest.mark.parametrize("shape,seed", [((2, 3), 1), ((2, 2, 2), 2), ((3, 3), 5)])
def test_symbolic_field_and_jacobian_against_the_engine(kind, param, shape, seed):
    """The sympy field equals the engine's numpy field, and its symbolic Jacobian equals a
    central finite difference of the engine's field (reduced coordinates, error O(h^2))."""
    names = {"replicator_mutator": "mutation", "logit": "temperature", "imitation": "intensity"}
    dyn = Dynamics(kind, **({names[kind]: param} if param is not None else {}))
    game = _random_game(shape, seed)
    system = dynamics_system(game, dyn)
    f = sp.lambdify(system.flat_variables, list(system.rhs), "numpy")
    J = sp.lambdify(system.flat_variables, system.jacobian(), ["numpy", {"Heaviside": lambda
                                                                         z: np.heaviside(z, .5)}])
    rng = np.random.default_rng(seed)
    offsets = np.cumsum([0] + [k - 1 for k in shape])

    def full(red):
        out = []
        for p in range(len(shape)):
            r = list(red[offsets[p]:offsets[p + 1]])
            out += r + [1 - sum(r)]
        return np.array(out)

    def engine(red):
        return _engine_velocity(game, dyn, full(red)[None, :])[0]

    keep = [i for p, k in enumerate(shape) for i in range(sum(shape[:p]), sum(shape[:p]) + k - 1)]
    h = 1e-5
    for _ in range(3):
        red = np.concatenate([rng.dirichlet(np.ones(k))[:-1] for k in shape])
        assert np.allclose(np.array(f(*red), dtype=float), engine(red)[keep], atol=1e-12)
        fd = np.empty((len(red), len(red)))
        for j in range(len(red)):
            e = np.zeros(len(red))
            e[j] = h
            fd[:, j] = (engine(red + e) - engine(red - e))[keep] / (2 * h)
        assert np.allclose(np.array(J(*red), dtype=float), fd, atol=1e-6)


# ----------------------------------------------------------------------------- interface
def test_replicator_default_unchanged_and_dynamics_recorded():
    hd = Game.builtin("hawk_dove")
    a, b = gr.analyze(hd), gr.analyze(hd, dynamics="replicator")
    assert render_text(a) == render_text(b)
    assert a.dynamics.kind == "replicator"
    assert json.loads(render_json(a))["dynamics"] == {"kind": "replicator"}
    res = gr.analyze(hd, dynamics="logit,temperature=0.2")
    doc = json.loads(render_json(res))
    assert doc["dynamics"] == {"kind": "logit", "temperature": 0.2}
    assert "Dynamics: logit" in render_text(res)


def test_bad_dynamics_arguments():
    hd = Game.builtin("hawk_dove")
    with pytest.raises(GameInputError, match="unknown dynamics"):
        gr.analyze(hd, dynamics="lotka")
    with pytest.raises(GameInputError):
        gr.analyze(hd, dynamics=3)
    with pytest.raises(ParameterError, match="needs a value for every parameter"):
        gr.analyze(hd.without_values(), dynamics="smith")
    with pytest.raises(GameInputError, match="eta_from > eta_to > 0"):
        qre_path(hd, 0.1, 1.0)


def test_numeric_eigenvalue_tolerance_is_stated():
    res = gr.analyze(_amp(), dynamics=Dynamics("logit", temperature=0.5))
    spec = res.rest_points[0].spectrum
    assert spec.method == "numeric" and spec.tolerance == NUMERIC_EIG_TOL
    assert json.loads(render_json(res))["rest_points"][0]["tolerance"] == NUMERIC_EIG_TOL


# ------------------------------------------------------------------------ compare --dynamics all
def test_compare_dynamics_all_through_the_compare_verb():
    """The compare verb hands ``--dynamics all`` to the robustness table (six dynamics)."""
    import contextlib
    import io

    from gametheory_regen.presentation.cli import build_parser
    from gametheory_regen.presentation.domain_verbs import cmd_compare

    args = build_parser().parse_args(["compare", "hawk_dove", "--format", "json",
                                      "--dynamics", "all"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cmd_compare(args)
    doc = json.loads(out.getvalue())
    assert doc["dynamics"] == {"kind": "all"}  # an object, as Contract 4 says
    assert [d["kind"] for d in doc["compared"]] == ["replicator", "replicator_mutator", "logit",
                                                    "bnn", "smith", "imitation"]
    scen = doc["scenarios"][0]
    assert scen["robust"] and scen["changes"] == []
    bnn = scen["outcomes"][3]
    # BNN's strict equilibria are non-hyperbolic (zero Jacobian): attracting in simulation only
    assert bnn["stable"] == [] and len(bnn["attracting_in_simulation"]) == 2


def test_compare_flags_a_conclusion_that_changes():
    """Much logit noise (eta = 5 against payoff gaps of 1-2) leaves one QRE near the centre of
    the battle of the sexes: both coordinated outcomes are lost, and the table says so."""
    from gametheory_regen.domain.robustness import robustness_table
    from gametheory_regen.presentation.compare_dynamics import render_robustness_text

    t = robustness_table(Game.builtin("battle_of_sexes"),
                         dynamics=[Dynamics(), Dynamics("logit", temperature=5.0)])
    s = t.scenarios[0]
    assert not s.robust and len(s.changes) == 3  # two lost, one new
    assert "CONCLUSION CHANGES" in render_robustness_text(t)

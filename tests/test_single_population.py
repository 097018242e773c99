"""Single-population (symmetric) games: known results, each with its source.

Sources
-------
[MSP73]  Maynard Smith, J. & Price, G. R. (1973), The logic of animal conflict, Nature 246:15-18
         (hawk-dove; the mixed ESS plays hawk with probability V/C when V < C).
[MS82]   Maynard Smith, J. (1982), Evolution and the Theory of Games, Cambridge UP (ESS definition).
[TJ78]   Taylor, P. D. & Jonker, L. B. (1978), Evolutionarily stable strategies and game dynamics,
         Math. Biosci. 40:145-156 (the replicator x_i' = x_i((Ax)_i - x.Ax)).
[HSS79]  Hofbauer, J., Schuster, P. & Sigmund, K. (1979), A note on evolutionary stable strategies
         and game dynamics, J. Theor. Biol. 81:609-612 (every ESS is asymptotically stable).
[Zee80]  Zeeman, E. C. (1980), Population dynamics from game theory, in Global Theory of Dynamical
         Systems, LNM 819:471-497 (the 3x3 game A = [[0,6,-4],[-3,0,5],[-1,3,0]]: interior point
         asymptotically stable, not an ESS).
[HS98]   Hofbauer, J. & Sigmund, K. (1998), Evolutionary Games and Population Dynamics, sec. 7.7
         (rock-paper-scissors: zero-sum centre with the conserved product x1*x2*x3; win > loss:
         the interior is globally stable and an ESS; win < loss: a heteroclinic cycle on the
         boundary attracts, the interior repels).
"""

from __future__ import annotations

import json

import nashpy
import numpy as np
import pytest
import sympy as sp
from scipy.integrate import solve_ivp

from gametheory_regen.analysis import Stability, analyze
from gametheory_regen.dynamics import replicator_system
from gametheory_regen.model import Game, Parameter
from gametheory_regen.model.modelfile import read_model_text
from gametheory_regen.presentation.cli import main
from gametheory_regen.presentation.report import render_json, render_text


def hawk_dove(V, C):
    return Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
                          [Parameter.make("V", V), Parameter.make("C", C)])


def rps(win, loss):
    return Game.symmetric("rps", ["R", "P", "S"],
                          [[0, -loss, win], [win, 0, -loss], [-loss, win, 0]])


ZEEMAN = [[0, 6, -4], [-3, 0, 5], [-1, 3, 0]]


def test_hawk_dove_mixed_ess():
    """[MSP73] V = 2 < C = 4: the interior point plays hawk with probability V/C = 1/2; it is an
    ESS and asymptotically stable (eigenvalue on the tangent space: d/dx [x(1-x)(V - Cx)/2] at
    x = V/C is -(V/C)(1 - V/C) C/2 = -1/2); both vertices are unstable (eigenvalues V/2 at dove,
    (C - V)/2 at hawk, each 1)."""
    res = analyze(hawk_dove(2, 4))
    hawk, dove, mixed = res.rest_points
    assert mixed.kind == "interior" and mixed.exact_state == ((sp.Rational(1, 2),) * 2,)
    assert mixed.spectrum.exact == (sp.Rational(-1, 2),)
    assert mixed.stability is Stability.STABLE and mixed.ess is True and mixed.nash is True
    assert [str(r.stability) for r in (hawk, dove)] == ["unstable", "unstable"]
    assert hawk.ess is False and dove.ess is False
    assert res.consistent


def test_hawk_dove_v_equals_c_non_regular_ess_is_non_hyperbolic():
    """[MS82] and Contract 4: with V = C pure hawk is an ESS: a dove entrant ties against hawks
    (0 = (V - C)/2), and then hawk does better against doves than dove does (V > V/2), Maynard
    Smith's second condition; yet its eigenvalue (C - V)/2 is 0: non-hyperbolic with ess true,
    never "stable"."""
    res = analyze(hawk_dove(2, 2))
    hawk = res.rest_points[0]
    assert hawk.spectrum.exact == (0,)
    assert hawk.stability is Stability.NON_HYPERBOLIC and hawk.ess is True
    data = json.loads(render_json(res))
    assert data["rest_points"][0]["stability"] == "non-hyperbolic"
    assert data["rest_points"][0]["ess"] is True


def test_zeeman_stable_interior_point_is_not_an_ess():
    """[Zee80] A = [[0,6,-4],[-3,0,5],[-1,3,0]]: interior rest point (1/3, 1/3, 1/3) is
    asymptotically stable (a stable focus) but not an ESS; e1 is a strict Nash equilibrium, an
    ESS and stable."""
    res = analyze(Game.symmetric("zeeman", ["e1", "e2", "e3"], ZEEMAN))
    inner = res.rest_points[-1]
    third = sp.Rational(1, 3)
    assert inner.kind == "interior" and inner.exact_state == ((third, third, third),)
    assert inner.stability is Stability.STABLE and inner.ess is False and inner.nash is True
    assert inner.focus
    e1 = res.rest_points[0]
    assert e1.stability is Stability.STABLE and e1.ess is True
    assert res.consistent
    text = render_text(res)
    assert "stable focus" in text and "need not be an ESS" in text


def _own_rhs(A):
    """The replicator x_i' = x_i((Ax)_i - x.Ax) written here with numpy [TJ78], independent of
    the package."""
    A = np.asarray(A, float)

    def f(t, x):
        u = A @ x
        return x * (u - x @ u)
    return f


def test_zero_sum_rps_centre_and_conserved_product():
    """[HS98 7.7] win = loss: the interior point is a centre of the linearisation (eigenvalues
    +-i/sqrt(3)), reported non-hyperbolic and not an ESS; x1*x2*x3 is constant along orbits.
    Checked with scipy's integrator on the package's symbolic right-hand side and on an
    independent numpy one."""
    game = rps(1, 1)
    res = analyze(game)
    inner = res.rest_points[-1]
    assert inner.stability is Stability.NON_HYPERBOLIC and inner.ess is False
    assert all(abs(v.real) < 1e-12 for v in inner.spectrum.values)
    assert sorted(abs(v.imag) for v in inner.spectrum.values) == pytest.approx([3**-0.5] * 2)
    system = replicator_system(game)
    x1, x2 = system.flat_variables
    f = sp.lambdify((x1, x2), list(system.rhs))
    sol = solve_ivp(lambda t, v: f(*v), (0, 30), [0.5, 0.3], rtol=1e-11, atol=1e-13,
                    dense_output=True)
    prod = [a * b * (1 - a - b) for a, b in sol.y.T]
    assert max(prod) - min(prod) < 1e-8
    own = solve_ivp(_own_rhs([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]), (0, 30), [0.5, 0.3, 0.2],
                    rtol=1e-11, atol=1e-13)
    assert np.allclose(own.y[:2, -1], sol.y[:, -1], atol=1e-7)


def test_rps_win_greater_than_loss_is_stable_ess():
    """[HS98 7.7] win = 2 > loss = 1: the interior point is asymptotically stable (a stable
    focus) and an ESS; trajectories converge to it."""
    res = analyze(rps(2, 1))
    inner = res.rest_points[-1]
    assert inner.stability is Stability.STABLE and inner.ess is True and inner.focus
    sol = solve_ivp(_own_rhs([[0, -1, 2], [2, 0, -1], [-1, 2, 0]]), (0, 200), [0.7, 0.2, 0.1],
                    rtol=1e-10, atol=1e-12)
    assert np.allclose(sol.y[:, -1], 1 / 3, atol=1e-6)


def test_rps_win_less_than_loss_heteroclinic_cycle():
    """[HS98 7.7] win = 1 < loss = 2: the interior point is unstable (not an ESS); the vertices
    are saddles joined by a heteroclinic cycle that attracts: x1*x2*x3 -> 0."""
    res = analyze(rps(1, 2))
    inner = res.rest_points[-1]
    assert inner.stability is Stability.UNSTABLE and inner.ess is False
    assert all(r.stability is Stability.SADDLE for r in res.vertices)
    sol = solve_ivp(_own_rhs([[0, -2, 1], [1, 0, -2], [-2, 1, 0]]), (0, 300), [0.4, 0.35, 0.25],
                    rtol=1e-10, atol=1e-14)
    prod = sol.y.prod(axis=0)
    assert prod[-1] < 1e-6 * prod[0]


@pytest.mark.parametrize("A", [ZEEMAN, [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
                               [[-1, 2], [0, 1]], [[3, 0], [5, 1]], [[1, 0, 0], [0, 2, 0],
                                                                     [0, 0, 3]]])
def test_nash_equilibria_match_nashpy_symmetric_equilibria(A):
    """nashpy (Knight & Campbell 2018): the symmetric equilibria of the bimatrix game (A, A^T),
    by support enumeration, are exactly our rest points flagged Nash."""
    A = np.array(A, dtype=float)
    res = analyze(Game.symmetric("g", [f"s{i}" for i in range(len(A))], A.astype(int).tolist()))
    ours = sorted(tuple(round(v, 9) for v in r.state[0]) for r in res.rest_points if r.nash)
    theirs = sorted({tuple(round(v, 9) for v in s) for s, t in
                     nashpy.Game(A, A.T).support_enumeration() if np.allclose(s, t)})
    assert ours == theirs


def test_replicator_matches_nashpy_replicator_dynamics():
    """nashpy's replicator_dynamics (odeint on x_i((Ax)_i - x.Ax)) and the package's symbolic
    right-hand side give the same trajectory of the hawk-dove game."""
    game = hawk_dove(2, 4)
    A = np.array([[-1.0, 2.0], [0.0, 1.0]])
    ts = np.linspace(0, 10, 101)
    theirs = nashpy.Game(A, A.T).replicator_dynamics(y0=np.array([0.1, 0.9]), timepoints=ts)
    (x,) = replicator_system(game).flat_variables
    f = sp.lambdify(x, replicator_system(game).rhs[0])
    sol = solve_ivp(lambda t, v: [f(v[0])], (0, 10), [0.1], t_eval=ts, rtol=1e-10, atol=1e-12)
    assert np.allclose(sol.y[0], theirs[:, 0], atol=1e-6)


SNOW = """
name = "hd_file"
[[populations]]
name = "animals"
strategies = ["hawk", "dove"]
[parameters]
V = 2
C = 4
[[payoffs]]
profile = ["hawk", "hawk"]
values = ["(V - C)/2"]
[[payoffs]]
profile = ["hawk", "dove"]
values = ["V"]
[[payoffs]]
profile = ["dove", "dove"]
values = ["V/2"]
"""


def test_model_file_single_population_equals_constructor():
    """Contract 4: a file with one [[populations]] entry is the symmetric game."""
    game = read_model_text(SNOW)
    assert game.symmetric and game.table_shape == (2, 2)
    built = Game.symmetric("hd_file", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
                           [Parameter.make("V", 2), Parameter.make("C", 4)], population="animals")
    assert render_json(analyze(game)) == render_json(analyze(built))


@pytest.mark.parametrize("extra, message", [
    ('[[terms]]\nlabel = "x"\namount = "1"\nto = "animals"\n', "[[terms]]"),
    ('[[payoffs]]\nprofile = ["dove", "hawk"]\nvalues = ["0", "1"]\n', "one value"),
    ('[[payoffs]]\nprofile = ["dove"]\nvalues = ["0"]\n', "[own strategy, opponent's"),
])
def test_single_population_bad_input_exit_2(tmp_path, capsys, extra, message):
    """Contract 4: [[terms]] in a single-population file, or a row that is not [own, opponent]
    with one value: one line naming file and table, exit 2."""
    path = tmp_path / "bad.toml"
    path.write_text(SNOW + extra)
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "bad.toml" in err and message in err


def test_cli_report_formats_accept_single_population(tmp_path, capsys):
    """report (text, markdown, json, latex) and show accept a symmetric game."""
    path = tmp_path / "hd.toml"
    path.write_text(SNOW)
    for fmt in ("text", "markdown", "json", "latex"):
        assert main(["report", str(path), "--format", fmt]) == 0
    assert "Evolutionarily stable states" in capsys.readouterr().out
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "own strategy vs opponent's" in out


def test_compare_and_threshold_accept_single_population(tmp_path, capsys):
    """compare explains a symmetric game's vertices from its payoffs; threshold finds the
    critical value of V for pure hawk: its eigenvalue (V - C)/2 changes sign at V = C."""
    path = tmp_path / "hd.toml"
    path.write_text(SNOW)
    assert main(["compare", str(path)]) == 0
    assert "also stable: interior point" in capsys.readouterr().out
    assert main(["threshold", str(path), "--outcome", "animals=hawk", "--parameter", "V",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["value"] == pytest.approx(4.0)

"""The delayed replicator (Contract 4, ``--delay``): known results and independent references.

Sources
-------
* Hayes, N. D. (1950). Roots of the transcendental equation associated with a certain
  difference-differential equation. J. London Math. Soc. 25, 226-232: ``x'(t) = -a x(t - tau)``
  is asymptotically stable iff ``0 < a tau < pi/2``.
* Yi, T. & Zuwang, W. (1997). Effect of time delay and evolutionarily stable strategy.
  J. theor. Biol. 187, 111-116: the delayed hawk-dove replicator loses the stability of its
  mixed ESS at a critical delay.
* Shinozaki, H. & Mori, T. (2006). Robust stability analysis of linear time-delay systems by
  Lambert W function. Automatica 42, 1791-1799: the rightmost root of
  ``lambda + a exp(-lambda tau) = 0`` is ``W_0(-a tau) / tau``.
* Bellen, A. & Zennaro, M. (2003). Numerical Methods for Delay Differential Equations, ch. 3-5:
  the method of steps, global order ``min(p, q + 1)`` of a continuous Runge-Kutta method.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.special import lambertw

import gametheory_regen as gr
from gametheory_regen.analysis.delay import critical_delay, simulate_delayed
from gametheory_regen.analysis.delay_sweep import sweep_delayed
from gametheory_regen.dynamics.delay import integrate_delayed, tensor_payoffs
from gametheory_regen.dynamics.kernels import Piece, integrate_pieces
from gametheory_regen.dynamics.numeric import expected_payoff_function
from gametheory_regen.errors import GameInputError
from gametheory_regen.presentation.cli import main


def hawk_dove(V: float, C: float):
    """One-population hawk-dove: payoffs (V - C)/2, V; 0, V/2 (Maynard Smith 1982)."""
    return gr.Game.symmetric("hd", ["hawk", "dove"], [[(V - C) / 2, V], [0, V / 2]])


# ----------------------------------------------------------------------------- critical delay
@pytest.mark.parametrize("V,C", [(2, 4), (1, 3), (2, 6), (3, 4)], ids=lambda v: str(v))
def test_critical_delay_closed_form_hawk_dove(V, C):
    """D(x) = (V - C x)/2, x* = V/C, a = x*(1 - x*) C/2 = V (C - V)/(2C), tau_c = pi/(2a)
    (derived by hand; Yi & Zuwang 1997)."""
    cd = critical_delay(hawk_dove(V, C))
    a = V * (C - V) / (2 * C)
    assert cd.rest_point == pytest.approx(V / C, rel=1e-15)
    assert cd.a == pytest.approx(a, rel=1e-14)
    assert cd.tau_c == pytest.approx(math.pi / (2 * a), rel=1e-14)
    # at tau_c the rightmost root is on the imaginary axis: lambda = i a (Hayes 1950)
    lam = lambertw(-a * cd.tau_c, 0) / cd.tau_c
    assert abs(lam.real) < 1e-12 and lam.imag == pytest.approx(a, rel=1e-12)


def test_critical_delay_exact_text():
    assert critical_delay(hawk_dove(2, 4)).exact == "pi"
    assert critical_delay(hawk_dove(2, 6)).exact == "3*pi/4"


@pytest.mark.parametrize("game,words", [
    (gr.Game.builtin("hawk_dove"), "2 populations"),
    (gr.Game.symmetric("rps", ["r", "p", "s"], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]),
     "3 strategies"),
    (gr.Game.symmetric("c", ["a", "b"], [[1, 0], [0, 1]]), "unstable without delay"),
    (gr.Game.symmetric("pd", ["c", "d"], [[3, 0], [5, 1]]), "has 0"),
    (gr.Game.symmetric("z", ["a", "b"], [[1, 1], [1, 1]]), "every state is a rest point"),
], ids=["two-populations", "three-strategies", "coordination", "dominance",
        "indifferent"])
def test_critical_delay_does_not_apply(game, words):
    cd = critical_delay(game)
    assert cd.tau_c is None and not cd.applies and words in cd.reason


# ----------------------------------------------------------------------------- stability
@pytest.mark.parametrize("factor", [0.8, 1.2], ids=["below-tau_c", "above-tau_c"])
def test_hawk_dove_amplitude_follows_linear_theory(factor):
    """Hawk-dove V = 2, C = 4 (x* = 1/2, a = 1/2, tau_c = pi), started 1e-3 off x*.

    The linearisation's rightmost roots lambda = W_0(-a tau)/tau (Shinozaki & Mori 2006) give
    the growth rate sigma = Re lambda (-0.0629 at 0.8 tau_c, +0.0346 at 1.2 tau_c) and the
    period P = 2 pi / Im lambda. The largest |x - x*| over one period at t1 = 40 and at
    t2 = t1 + 4P (same phase) has the ratio exp(sigma (t2 - t1)). Error budget of the
    measured rate (ln A2 - ln A1)/(t2 - t1): the next roots are at least 0.4 further left, so
    their share is below exp(-0.4 * 40) = 1e-7; the cubic term of x(1-x) = 1/4 - xi^2 shifts
    ln A by O(xi^2) <= 1e-2 for |xi| <= 0.05; sampling at 0.01 loses < 1e-4; the integration
    error (rtol 1e-8, about 0.2 rtol measured below) is < 1e-3 of A >= 4e-6. Together
    |rate - sigma| <= 2e-2 / (t2 - t1) < 0.03 |sigma|. Below tau_c the amplitude decays,
    above it grows: the conclusion rests on the sign, which the margin cannot flip.
    """
    tau = factor * math.pi
    lam = lambertw(-0.5 * tau, 0) / tau
    sigma, P = lam.real, 2 * math.pi / lam.imag
    t1 = 40.0
    t2 = t1 + 4 * P
    t = np.arange(0.0, t2 + P, 0.01)
    sim = simulate_delayed(hawk_dove(2, 4), [0.501, 0.499], float(t[-1]), tau, t_eval=t,
                           settle_tol=0)
    xi = sim.states[:, 0] - 0.5
    A1 = np.abs(xi[(t >= t1) & (t <= t1 + P)]).max()
    A2 = np.abs(xi[(t >= t2) & (t <= t2 + P)]).max()
    rate = math.log(A2 / A1) / (t2 - t1)
    assert (rate < 0) == (factor < 1)
    assert abs(rate - sigma) <= 0.03 * abs(sigma)
    # shares stay on the simplex
    assert np.all(sim.states >= 0) and np.allclose(sim.states.sum(axis=1), 1.0, atol=1e-12)


def test_above_tau_c_oscillation_persists():
    """Above tau_c the mixed ESS is unstable: the path oscillates with an amplitude that grows
    to a lasting cycle (Hopf bifurcation; Yi & Zuwang 1997), never settling."""
    sim = simulate_delayed(hawk_dove(2, 4), [0.7, 0.3], 80.0, 1.2 * math.pi, n_points=801)
    xi = sim.states[:, 0] - 0.5
    late = np.abs(xi[sim.times >= 50]).max()
    assert late > 0.2 and sim.settled_state is None


# ----------------------------------------------------------------------------- references
def _reference(u, x0, tau, T):
    """Method of steps with scipy's DOP853 and its 7th-order dense output, segment by segment
    (independent of the engine's stepping and interpolation)."""
    sols, prev, k = [], None, 0
    while k * tau < T:
        a, b = k * tau, min((k + 1) * tau, T)

        def rhs(t, x, prev=prev):
            z = x0 if prev is None else prev.sol(t - tau)
            uu = u(t, z[None], np.zeros(1, int))[0]
            return x * (uu - x @ uu)

        s = solve_ivp(rhs, (a, b), x0 if prev is None else prev.y[:, -1], method="DOP853",
                      rtol=1e-13, atol=1e-15, dense_output=True)
        sols.append(s)
        prev, k = s, k + 1
    return sols


@pytest.fixture(scope="module")
def reference_run():
    u = expected_payoff_function(hawk_dove(2, 4))
    x0, tau, T = np.array([0.7, 0.3]), 1.2 * math.pi, 60.0
    tq = np.linspace(0.0, T, 601)
    sols = _reference(u, x0, tau, T)
    ref = np.concatenate([[x0[0]]] + [s.sol(tq[(tq > s.t[0]) & (tq <= s.t[-1])])[0]
                                      for s in sols])
    return u, x0, tau, T, tq, ref


def test_method_of_steps_against_scipy_reference(reference_run):
    """dopri5 with the residual-controlled Hermite history: the global error is proportional
    to the tolerance (Bellen & Zennaro 2003; measured about 0.2 rtol), so it is below 10 rtol
    at rtol = 1e-6 and 1e-8, and shrinks by at least 30x when rtol shrinks 100x."""
    u, x0, tau, T, tq, ref = reference_run
    errs = []
    for rt in (1e-6, 1e-8):
        r = integrate_delayed(u, x0[None], (2,), tau, T, t_out=tq, rtol=rt, atol=rt * 1e-2,
                              settle_tol=0)
        errs.append(np.abs(r.output[0][:, 0] - ref).max())
        assert errs[-1] < 10 * rt
    assert errs[0] / errs[1] > 30


def test_rk4_global_order_four(reference_run):
    """Fixed-step rk4 (p = 4) with the cubic Hermite history (q = 3): global order
    min(p, q + 1) = 4 (Bellen & Zennaro 2003), so halving dt divides the error by about 16."""
    u, x0, tau, T, tq, ref = reference_run
    e = [np.abs(integrate_delayed(u, x0[None], (2,), tau, T, t_out=tq, method="rk4", dt=dt,
                                  settle_tol=0).output[0][:, 0] - ref).max()
         for dt in (0.1, 0.05)]
    assert 3.5 < math.log2(e[0] / e[1]) < 4.5


def test_tau_zero_is_the_engine():
    """With tau = 0 the delayed stepper takes the engine's steps (same tableau, same
    controller): its output equals the numpy reference integrator's to rounding."""
    u = expected_payoff_function(hawk_dove(2, 4))
    x0 = np.array([[0.6, 0.4]])
    tq = np.linspace(0, 20, 11)
    r0 = integrate_delayed(u, x0, (2,), 0.0, 20.0, t_out=tq, settle_tol=0)
    kr = integrate_pieces([Piece(0.0, 20.0, np.zeros((1, 1, 2)), expected_at=u)], x0, (2,),
                          t_out=tq, settle_tol=0, backend="numpy")
    assert np.abs(r0.output - kr.output).max() < 1e-14
    assert r0.steps.tolist() == kr.steps.tolist()


def test_delay_zero_simulate_equals_undelayed():
    game = gr.Game.builtin("hawk_dove")
    a = simulate_delayed(game, [0.3, 0.6], 10.0, 0.0, n_points=11)
    b = gr.simulate(game, [0.3, 0.6], 10.0, n_points=11)
    assert np.array_equal(a.states, b.states)


def test_many_trajectories_match_one_at_a_time():
    """Vectorised over starts, each row is integrated with its own steps: the batch equals
    the rows run alone."""
    A = np.array([[0.0, 3.0], [1.0, 2.0]])
    pay = np.stack([A, A.T])[None]
    u = tensor_payoffs(pay, (2, 2))
    x0 = np.array([[0.2, 0.8, 0.7, 0.3], [0.6, 0.4, 0.5, 0.5], [0.9, 0.1, 0.1, 0.9]])
    batch = integrate_delayed(u, x0, (2, 2), 0.8, 15.0, settle_tol=0)
    for i in range(3):
        one = integrate_delayed(u, x0[i:i + 1], (2, 2), 0.8, 15.0, settle_tol=0)
        assert np.array_equal(one.state[0], batch.state[i])


def test_vertex_box_over_a_delay_converges():
    """A path that stays in a strict Nash vertex's invariant box over a whole delay converges
    to it (module docstring of dynamics/delay.py); the sweep counts it there."""
    res = sweep_delayed(gr.Game.builtin("hawk_dove"), {"V": [2.0, 6.0]}, 1.0, samples=8)
    assert res.basin_counts.sum() + res.not_settled.sum() == 16
    assert res.not_settled.tolist() == [0, 0]
    assert res.stable[1, 0] and res.basin_counts[1, 0] == 8  # V > C: (hawk, hawk)


# ----------------------------------------------------------------------------- command line
def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_cli_bad_delay(capsys, value):
    code, out, err = _run(capsys, "simulate", "hawk_dove", "--initial",
                          "owner=0.3,intruder=0.6", "--delay", value)
    assert code == 2 and out == "" and err.count("\n") == 1 and "--delay" in err


def test_cli_delay_with_other_dynamics_refused(capsys):
    import argparse

    from gametheory_regen.presentation.delay_verbs import delay_of

    with pytest.raises(GameInputError, match="replicator"):
        delay_of(argparse.Namespace(delay=1.0, dynamics="logit,temperature=0.1"))


def test_cli_simulate_delay_reports_critical_delay(capsys, tmp_path):
    model = tmp_path / "hd.toml"
    model.write_text('name = "hd"\n[[populations]]\nname = "animals"\n'
                     'strategies = ["hawk", "dove"]\n[parameters]\nV = 2\nC = 4\n'
                     '[[payoffs]]\nprofile = ["hawk", "hawk"]\nvalues = ["(V - C)/2"]\n'
                     '[[payoffs]]\nprofile = ["hawk", "dove"]\nvalues = ["V"]\n'
                     '[[payoffs]]\nprofile = ["dove", "dove"]\nvalues = ["V/2"]\n')
    code, out, _ = _run(capsys, "simulate", str(model), "--initial", "animals=0.7",
                        "--delay", "2", "--t-end", "10", "--points", "3")
    assert code == 0 and "critical delay tau_c = pi" in out and "tau < tau_c" in out
    code, out, _ = _run(capsys, "simulate", str(model), "--initial", "animals=0.7",
                        "--delay", "2", "--t-end", "10", "--points", "3", "--format", "json")
    import json

    doc = json.loads(out)
    assert doc["delay"]["tau"] == 2.0
    assert doc["delay"]["critical_delay"]["tau_c"] == pytest.approx(math.pi, rel=1e-15)


def test_cli_delay_zero_equals_undelayed(capsys):
    args = ["simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6", "--t-end", "5",
            "--points", "6", "--format", "csv"]
    _, plain, _ = _run(capsys, *args)
    _, zero, _ = _run(capsys, *args, "--delay", "0")
    assert plain == zero


def test_cli_sweep_delay(capsys):
    code, out, _ = _run(capsys, "sweep", "hawk_dove", "--vary", "V=2:6:2", "--samples", "4",
                        "--delay", "1", "--quiet")
    import json

    doc = json.loads(out)
    assert code == 0 and doc["delay"] == 1.0 and len(doc["cells"]) == 2


def test_sweep_delay_one_population():
    """One-population hawk-dove with V > C: hawk is a strict (linearly stable) vertex and, the
    delay not changing a vertex's linearisation, every start ends within match_tol of it."""
    from gametheory_regen.model.game import Parameter

    hd = gr.Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
                           [Parameter.make("V", 2), Parameter.make("C", 4)])
    res = sweep_delayed(hd, [("V", [6.0])], 1.0, samples=4)
    assert res.stable.tolist() == [[True, False]]
    assert res.basin_counts.tolist() == [[4, 0]] and res.not_settled.tolist() == [0]


def test_cli_too_many_restarts_refused_before_work(capsys):
    code, out, err = _run(capsys, "simulate", "hawk_dove", "--initial",
                          "owner=0.3,intruder=0.6", "--delay", "1e-6", "--t-end", "100")
    assert code == 2 and out == "" and err.count("\n") == 1 and "restarts" in err


def test_delay_with_piecewise_schedule_against_reference(tmp_path):
    """One-population hawk-dove (C = 4) whose V jumps from 2 to 3 at t = 3, delay 1.3. The
    solution's derivatives jump at 0, 3 and every one of them plus a multiple of the delay
    (Bellen & Zennaro 2003, sec. 3.1), all restarts. Reference: scipy's DOP853 from restart to
    restart, the payoff at each piece's value of V, the history from the dense output of the
    piece containing t - tau. Bound as for the scheduled-free reference (10 rtol)."""
    path = tmp_path / "hd.toml"
    path.write_text('name = "hd"\n[[populations]]\nname = "animals"\n'
                    'strategies = ["hawk", "dove"]\n[parameters]\nV = 2\nC = 4\n'
                    '[schedules.V]\nkind = "piecewise_constant"\ntimes = [0, 3]\n'
                    'values = [2, 3]\n'
                    '[[payoffs]]\nprofile = ["hawk", "hawk"]\nvalues = ["(V - C)/2"]\n'
                    '[[payoffs]]\nprofile = ["hawk", "dove"]\nvalues = ["V"]\n'
                    '[[payoffs]]\nprofile = ["dove", "dove"]\nvalues = ["V/2"]\n')
    game = gr.Game.from_file(path)
    tau, T, x0 = 1.3, 12.0, np.array([0.8, 0.2])
    cuts = sorted({k * tau for k in range(10) if k * tau < T}
                  | {3 + k * tau for k in range(10) if 3 + k * tau < T} | {T})
    sols = []

    def history(s):
        if s <= 0:
            return x0
        return next(sol for sol in sols if sol.t[0] <= s <= sol.t[-1]).sol(s)

    x = x0
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        V = 2.0 if b <= 3 + 1e-12 else 3.0

        def rhs(t, y, V=V):
            z = history(t - tau)
            u = np.array([z[0] * (V - 4) / 2 + z[1] * V, z[1] * V / 2])
            return y * (u - y @ u)

        sol = solve_ivp(rhs, (a, b), x, method="DOP853", rtol=1e-13, atol=1e-15,
                        dense_output=True)
        sols.append(sol)
        x = sol.y[:, -1]
    sim = simulate_delayed(game, x0, T, tau, schedules=game.schedules,
                           t_eval=np.linspace(0, T, 121))
    ref = np.array([history(t)[0] for t in sim.times])
    err = np.abs(sim.states[:, 0] - ref).max()
    assert err < 10 * 1e-8

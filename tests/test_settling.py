"""simulate finds rest the engine's early stop cannot see (analysis/settling.py).

Known results: one-population hawk-dove with V < C has its mixed ESS at x = V/C (Maynard Smith
1982, ch. 2), which attracts every interior start; one-population prisoner's dilemma has
all-defect as its strict (ESS) vertex. Both are integrated from expected payoffs, with no
invariant box, and the first stalls at the integrator's noise floor above ``settle_tol``.
"""

import numpy as np
import pytest

from gametheory_regen import Game
from gametheory_regen.analysis.batch_simulate import simulate
from gametheory_regen.analysis.settling import noise_floor, settle_after
from gametheory_regen.dynamics.integrator import Integrator
from gametheory_regen.model.dynamics_spec import Dynamics


def _symmetric(table, strategies):
    return Game.symmetric("g", strategies, table)


@pytest.fixture(scope="module")
def hawk_dove():
    # V = 2, C = 4: u_hawk = (V - C)/2 x + V (1 - x), u_dove = V/2 (1 - x); ESS x* = V/C = 1/2
    return _symmetric([[-1, 2], [0, 1]], ["hawk", "dove"])


def test_mixed_ess_is_at_rest(hawk_dove):
    sim = simulate(hawk_dove, [0.2, 0.8], 50.0, backend="numpy")
    assert sim.settled_by in ("speed", "noise floor")
    assert abs(sim.settled_state[0] - 0.5) < 1e-6
    # the path really is where it says from the settling time on: x(t) - 1/2 decays like
    # 0.3 exp(-t/2) (the eigenvalue at 1/2 is -1/2), within the floor's distance by then
    i = int(np.searchsorted(sim.times, sim.settled_time))
    assert np.all(np.abs(sim.states[i:, 0] - 0.5) < 1e-4)


def test_strict_vertex_without_box():
    pd = _symmetric([[3, 0], [5, 1]], ["cooperate", "defect"])
    sim = simulate(pd, [0.9, 0.1], 50.0, backend="numpy")
    assert sim.settled_by == "stable vertex"
    assert sim.settled_state.tolist() == [0.0, 1.0]
    i = int(np.searchsorted(sim.times, sim.settled_time))
    assert np.all(sim.states[i:, 0] < Integrator().match_tol)


def test_cycle_is_not_at_rest():
    # zero-sum rock-paper-scissors: closed orbits around the centre (Hofbauer & Sigmund 1998,
    # sec. 7.7); the speed stays of the order of the payoffs, never at rest
    rps = _symmetric([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], ["R", "P", "S"])
    sim = simulate(rps, [0.5, 0.3, 0.2], 50.0, backend="numpy")
    assert sim.settled_state is None and sim.settled_by is None


def test_unstable_vertex_is_not_claimed():
    # a path ending near a vertex whose deviation gain is positive is not settled there
    def pay(x):
        return np.stack([np.ones(len(x)), np.zeros(len(x))], axis=1)   # strategy 0 earns more

    def vel(x):
        h = x[:, 0] * x[:, 1]
        return np.stack([h, -h], axis=1)

    t = np.array([0.0, 1.0])
    x = np.array([[1e-7, 1 - 1e-7], [1e-7, 1 - 1e-7]])   # a frozen path at the unstable vertex
    assert settle_after(t, x, vel, pay, (2,), Integrator(), Dynamics()) is None


def test_fixed_step_and_no_settling_have_no_floor():
    t, x = np.array([0.0]), np.array([[0.5, 0.5]])

    def zero(x):
        return np.zeros_like(x)

    assert settle_after(t, x, zero, zero, (2,), Integrator(method="rk4", dt=0.1),
                        Dynamics()) is None
    assert settle_after(t, x, zero, zero, (2,), Integrator(settle_tol=0.0), Dynamics()) is None
    assert noise_floor(Integrator(rtol=1e-6, atol=1e-9)) == pytest.approx(1.001e-4)

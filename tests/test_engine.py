"""Tests of the batch replicator engine (gametheory_regen.dynamics.kernels, analysis.batch).

Known results checked (closed forms and invariants, not snapshots):

* A two-strategy population whose first strategy earns a constant advantage ``a`` follows the
  logistic curve ``x(t) = x0 e^{at} / (1 - x0 + x0 e^{at})`` (Taylor & Jonker 1978;
  Hofbauer & Sigmund 1998, sec. 7.1).
* Two-population matching pennies (payoffs +-1) conserves
  ``H = log x(1-x) + log y(1-y)`` (Hofbauer & Sigmund 1998, sec. 10.2 / 11.2).
* Shares stay on their simplices (drift < 1e-12); numba and numpy paths agree; the batch engine
  agrees with scipy's solve_ivp on random games (hypothesis).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from gametheory_regen.analysis.batch import (
    NOT_SETTLED,
    as_full_states,
    integrate_batch,
    simulate,
    vertex_states,
)
from gametheory_regen.dynamics.kernels import (
    Piece,
    integrate_pieces,
    numba_available,
    replicator_rhs,
)
from gametheory_regen.errors import GameInputError, StateError

BACKENDS = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not numba_available(), reason="numba not importable"))]


def logistic(x0, a, t):
    e = np.exp(a * t)
    return x0 * e / (1 - x0 + x0 * e)


def advantage_game(a: float) -> np.ndarray:
    """Population 0's first strategy earns ``a`` more whatever population 1 does."""
    pay = np.zeros((2, 2, 2))
    pay[0, 0, :] = a
    return pay


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("a", [1.0, -0.7, 3.0], ids=["a=1", "a=-0.7", "a=3"])
def test_logistic_closed_form_adaptive(backend, a):
    t = np.linspace(0, 4, 9)
    x0 = np.array([0.1, 0.5, 0.93])
    starts = np.stack([x0, np.full(3, 0.4)], axis=1)
    kr = integrate_pieces(
        [Piece(0.0, 4.0, advantage_game(a).reshape(1, 2, 4))], as_full_states(starts, (2, 2)),
        (2, 2), rtol=1e-11, atol=1e-13, settle_tol=0.0, t_out=t, backend=backend,
    )
    exact = logistic(x0[:, None], a, t[None, :])
    # interpolated outputs (cubic Hermite between steps) and the step end points
    assert np.max(np.abs(kr.output[:, :, 0] - exact)) < 1e-7
    assert np.max(np.abs(kr.state[:, 0] - exact[:, -1])) < 1e-10


@pytest.mark.parametrize("backend", BACKENDS)
def test_logistic_closed_form_rk4_fourth_order(backend):
    """Fixed-step RK4: error falls ~16x when the step halves (classical 4th order)."""
    x0, a, T = 0.2, 1.5, 2.0
    errs = []
    for dt in (0.1, 0.05):
        kr = integrate_pieces(
            [Piece(0.0, T, advantage_game(a).reshape(1, 2, 4))],
            as_full_states([[x0, 0.5]], (2, 2)), (2, 2), method="rk4", dt=dt, settle_tol=0.0,
            backend=backend,
        )
        errs.append(abs(kr.state[0, 0] - logistic(x0, a, T)))
        assert kr.steps[0] == round(T / dt)
    assert errs[1] < 2e-7
    assert 10 < errs[0] / errs[1] < 24


@pytest.mark.parametrize("backend", BACKENDS)
def test_matching_pennies_constant_of_motion(backend):
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    pay = np.stack([A, -A])
    starts = np.array([[0.2, 0.3], [0.6, 0.45], [0.9, 0.9]])
    t = np.linspace(0, 30, 61)
    kr = integrate_pieces(
        [Piece(0.0, 30.0, pay.reshape(1, 2, 4))], as_full_states(starts, (2, 2)), (2, 2),
        rtol=1e-11, atol=1e-13, settle_tol=1e-10, t_out=t, backend=backend,
    )
    x, y = kr.output[:, :, 0], kr.output[:, :, 2]
    H = np.log(x * (1 - x)) + np.log(y * (1 - y))
    assert np.max(np.abs(H - H[:, :1])) < 1e-7
    # a centre: never settles, so the outcome is "not settled", not a vertex
    res = integrate_batch(pay, starts, 30.0, rest_points=vertex_states((2, 2)), backend=backend)
    assert np.all(res.outcome == NOT_SETTLED) and not np.any(res.settled)


def random_game(rng, counts):
    return rng.normal(size=(len(counts), *counts))


def random_starts(rng, counts, m):
    cols = [rng.dirichlet(np.ones(k), size=m) for k in counts]
    return np.concatenate(cols, axis=1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("counts", [(2, 2, 2), (3, 2), (3, 3, 2)], ids=str)
def test_simplex_drift_below_1e12(backend, counts):
    rng = np.random.default_rng(7)
    pay = random_game(rng, counts)
    x0 = random_starts(rng, counts, 64)
    t = np.linspace(0, 40, 41)
    kr = integrate_pieces(
        [Piece(0.0, 40.0, pay.reshape(1, len(counts), -1))], x0, counts, rtol=1e-6, atol=1e-9,
        settle_tol=0.0, t_out=t, backend=backend,
    )
    off = np.concatenate([[0], np.cumsum(counts)])
    for q in range(len(counts)):
        sums = kr.state[:, off[q]:off[q + 1]].sum(axis=1)
        assert np.max(np.abs(sums - 1.0)) < 1e-12
        assert np.all(kr.state >= 0.0)
        # the step end points are projected; interpolated outputs keep the sum as well
        out_sums = kr.output[:, :, off[q]:off[q + 1]].sum(axis=2)
        assert np.max(np.abs(out_sums - 1.0)) < 1e-12


@pytest.mark.skipif(not numba_available(), reason="numba not importable")
@pytest.mark.parametrize("method", ["dopri5", "rk4"])
def test_numba_and_numpy_agree(method):
    rng = np.random.default_rng(3)
    counts = (2, 3, 2)
    pays = rng.normal(size=(5, 3, *counts))
    x0 = random_starts(rng, counts, 200)
    pidx = rng.integers(0, 5, size=200)
    kw = dict(counts=counts, payoff_index=pidx, method=method, dt=0.05, rtol=1e-8, atol=1e-10,
              settle_tol=1e-9, rest_points=vertex_states(counts))
    a = integrate_batch(pays, x0, 60.0, backend="numba", **kw)
    b = integrate_batch(pays, x0, 60.0, backend="numpy", **kw)
    assert a.backend == "numba" and b.backend == "numpy"
    assert np.max(np.abs(a.final - b.final)) < 1e-9
    assert np.array_equal(a.outcome, b.outcome)
    assert np.array_equal(a.steps, b.steps)


def test_env_var_forces_numpy(monkeypatch):
    monkeypatch.setenv("GAMETHEORY_REGEN_NO_NUMBA", "1")
    res = integrate_batch(advantage_game(1.0), [[0.5, 0.5]], 1.0)
    assert res.backend == "numpy"


@settings(max_examples=25, deadline=None)
@given(
    counts=st.sampled_from([(2, 2), (2, 3), (2, 2, 2), (3, 3)]),
    seed=st.integers(0, 2**32 - 1),
)
def test_batch_agrees_with_solve_ivp(counts, seed):
    rng = np.random.default_rng(seed)
    pay = random_game(rng, counts)
    x0 = random_starts(rng, counts, 4)
    T = 5.0
    res = integrate_batch(pay, x0, T, rtol=1e-10, atol=1e-12, settle_tol=0.0)

    def f(t, y):
        return replicator_rhs(y[None], pay, counts)[0]

    for i in range(4):
        ref = solve_ivp(f, (0, T), x0[i], method="DOP853", rtol=1e-12, atol=1e-14).y[:, -1]
        assert np.max(np.abs(res.final[i] - ref)) < 1e-7


def test_rhs_blocks_sum_to_zero_and_vertices_rest():
    rng = np.random.default_rng(0)
    counts = (3, 2, 2)
    pay = random_game(rng, counts)
    f = replicator_rhs(random_starts(rng, counts, 10), pay, counts)
    off = np.concatenate([[0], np.cumsum(counts)])
    for q in range(3):
        assert np.max(np.abs(f[:, off[q]:off[q + 1]].sum(axis=1))) < 1e-14
    assert np.max(np.abs(replicator_rhs(vertex_states(counts), pay, counts))) == 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_early_stop_and_classification(backend):
    A = np.eye(2)
    res = integrate_batch(np.stack([A, A]), [[0.8, 0.7], [0.2, 0.3], [0.5, 0.5]], 200.0,
                          rest_points=vertex_states((2, 2)), settle_tol=1e-10, backend=backend)
    assert res.outcome.tolist() == [0, 3, NOT_SETTLED] or res.outcome[2] == NOT_SETTLED
    assert res.outcome[:2].tolist() == [0, 3]
    assert np.all(res.time[:2] < 200.0) and np.all(res.velocity[:2] < 1e-10)
    # the interior saddle (1/2, 1/2) is a rest point: settled, but at no given attractor
    assert res.settled[2] and res.outcome[2] == NOT_SETTLED
    assert res.method == "dopri5" and res.rtol == 1e-8 and res.t_end == 200.0


def test_simulate_time_series():
    sim = simulate(advantage_game(1.0), [0.3, 0.5], 3.0, n_points=31, backend="numpy")
    assert sim.times.shape == (31,) and sim.states.shape == (31, 4)
    # output between steps is cubic Hermite interpolation (third order)
    assert np.max(np.abs(sim.states[:, 0] - logistic(0.3, 1.0, sim.times))) < 5e-6
    assert sim.population_states()["pop0"].shape == (31, 2)
    assert sim.settled_time is None


def test_input_errors():
    with pytest.raises(StateError):
        integrate_batch(advantage_game(1.0), [[0.5, 0.6, 0.5, 0.5]], 1.0)
    with pytest.raises(GameInputError):
        integrate_batch(advantage_game(1.0), [[0.5, 0.5]], 1.0, method="rk4")
    with pytest.raises(GameInputError):
        integrate_batch(advantage_game(1.0), [[0.5, 0.5]], 1.0, backend="fortran")


def hawk_dove(V: float, C: float) -> np.ndarray:
    """Role-asymmetric hawk-dove (owner, intruder); strategies (hawk, dove)."""
    owner = np.array([[(V - C) / 2, V], [0.0, V / 2]])
    return np.stack([owner, owner.T])


@pytest.mark.parametrize("backend", BACKENDS)
def test_hawk_dove_settles_at_strict_vertex_by_invariant_box(backend):
    """Near a strict Nash vertex shares hover at the level of atol; the box rule still
    recognises the vertex (regression: V=3 was reported 'not settled')."""
    pay = hawk_dove(3.0, 4.0)
    res = integrate_batch(pay, [[0.7, 0.2]], 100.0, rest_points=vertex_states((2, 2)),
                          backend=backend)
    assert res.outcome.tolist() == [1]  # (hawk, dove)
    assert res.settled[0] and res.time[0] < 100.0
    assert res.final[0].tolist() == [1.0, 0.0, 0.0, 1.0]  # the vertex exactly
    sim = simulate(pay, [0.7, 0.2], 100.0, backend=backend)
    assert sim.settled_state.tolist() == [1.0, 0.0, 0.0, 1.0] and sim.settled_time < 100.0
    assert np.max(np.abs(sim.final - [1.0, 0.0, 0.0, 1.0])) < 1e-6


@pytest.mark.parametrize("backend", BACKENDS)
def test_hawk_dove_basins_at_v3_have_no_unsettled_starts(backend):
    from gametheory_regen.analysis.basins import basin_shares

    res = basin_shares(hawk_dove(3.0, 4.0), samples=512, backend=backend)
    assert res.attractors.tolist() == [[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]]
    assert res.shares.sum() + res.share_not_settled == pytest.approx(1.0)
    assert res.share_not_settled < 0.01
    # the separatrix through the saddle (3/4, 3/4) is the diagonal: halves by symmetry
    assert abs(res.shares[0] - 0.5) < 0.05


def test_vertex_boxes_are_invariant_and_exclude_non_strict_vertices():
    from gametheory_regen.dynamics.kernels import vertex_boxes

    rng = np.random.default_rng(11)
    counts = (2, 3, 2)
    pays = rng.normal(size=(20, 3, *counts))
    rad = vertex_boxes(pays, counts)
    from gametheory_regen.analysis.batch import stable_vertices, vertex_eigenvalues

    assert np.array_equal(rad > 0, stable_vertices(pays, counts))
    # every payoff difference keeps its sign at random states of each box
    V = vertex_states(counts)
    eig = vertex_eigenvalues(pays, counts)
    off = np.concatenate([[0], np.cumsum(counts)])
    for P, s in zip(*np.nonzero(rad > 0)):
        x = V[s] * 1.0
        for q in range(3):
            noise = rng.dirichlet(np.ones(counts[q]), size=200) * rad[P, s]
            blk = (1 - rad[P, s]) * V[s, off[q]:off[q + 1]] + noise
            x = np.repeat(x[None], 200, axis=0) if x.ndim == 1 else x
            x[:, off[q]:off[q + 1]] = blk
        # payoffs u_pj(x) via replicator velocity: f_pj/x_pj = u_pj - ubar, compare differences
        from gametheory_regen.dynamics.kernels import replicator_rhs

        f = replicator_rhs(x, pays[P], counts)
        for q in range(3):
            a, b = off[q], off[q + 1]
            own = a + int(np.argmax(V[s, a:b]))
            g = f[:, a:b] / x[:, a:b] - (f[:, own] / x[:, own])[:, None]
            others = [j for j in range(a, b) if j != own]
            assert np.all(g[:, [j - a for j in others]] < 0)
    assert eig.shape[:2] == rad.shape


def test_near_non_strict_vertex_is_not_settled():
    """A vertex with a zero eigenvalue attracts from one side only slowly: never snapped."""
    pay = np.zeros((2, 2, 2))
    pay[0, 0, :] = 1.0  # population 0: strategy 0 earns 1; population 1 indifferent
    res = integrate_batch(pay, [[0.5, 1.0 - 1e-9]], 100.0, rest_points=vertex_states((2, 2)))
    assert res.outcome.tolist() == [NOT_SETTLED] and not res.settled[0]


def test_named_starts_and_games_are_accepted():
    import gametheory_regen as gr

    game = gr.Game.builtin("hawk_dove")
    a = gr.simulate(game, {"owner": 0.3, "intruder": 0.6}, 5.0, backend="numpy")
    b = gr.simulate(game, [[0.3, 0.7, 0.6, 0.4]], 5.0, backend="numpy")
    assert np.array_equal(a.states, b.states)
    rps = gr.Game.builtin("rock_paper_scissors")
    s = gr.simulate(rps, {"row": 0.4, "column": [0.2, 0.3, 0.5]}, 1.0, backend="numpy")
    assert s.initial.tolist() == [0.4, 0.3, 0.3, 0.2, 0.3, 0.5]
    with pytest.raises(GameInputError, match="unknown population 'ownr'.*known: owner"):
        gr.simulate(game, {"ownr": 0.3, "intruder": 0.6})
    with pytest.raises(GameInputError, match="missing intruder"):
        gr.simulate(game, {"owner": 0.3})
    for bad in (1.5, float("nan"), "half", [0.2, 0.2]):
        with pytest.raises(StateError):
            gr.simulate(game, {"owner": bad, "intruder": 0.6})
    # basin shares of a game and of its payoff tensor are the same computation
    from gametheory_regen.dynamics.numeric import payoff_tensor

    bos = gr.Game.builtin("battle_of_sexes")
    g1 = gr.basin_shares(bos, samples=256, backend="numpy")
    g2 = gr.basin_shares(payoff_tensor(bos), samples=256, backend="numpy")
    assert np.array_equal(g1.counts, g2.counts)
    with pytest.raises(GameInputError, match="needs a number for every parameter"):
        gr.basin_shares(gr.Game.builtin("hawk_dove").without_values())

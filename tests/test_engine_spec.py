"""The engine's specification: methods as data, one answer from every backend and thread count.

Sources: Butcher's order conditions and the tableaux of Dormand & Prince (1980), Bogacki &
Shampine (1989) and Kutta (1901), as printed in Hairer, Nørsett & Wanner, *Solving ODEs I*
(1993), sec. II.1-II.5; the logistic solution of the replicator equation with a constant
payoff advantage (Hofbauer & Sigmund 1998, sec. 7.1); the separatrix x + y = 1 of the 2x2
coordination game (Hofbauer & Sigmund 1998, sec. 10.2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gametheory_regen.analysis.batch import integrate_batch
from gametheory_regen.dynamics.field import DYNAMICS_KINDS, Dynamics
from gametheory_regen.dynamics.integrator import Integrator
from gametheory_regen.dynamics.kernels import Piece, integrate_pieces
from gametheory_regen.dynamics.methods import METHODS
from gametheory_regen.errors import GameInputError


@pytest.mark.parametrize("name", sorted(METHODS))
def test_tableau_order_conditions(name):
    """Butcher's conditions up to the method's order (Hairer et al. 1993, Table II.2.1)."""
    tab = METHODS[name]
    b, a, c = tab.b, tab.a, tab.c
    assert np.allclose(a.sum(axis=1), c, atol=1e-15)
    conds = [(b.sum(), 1.0), (b @ c, 1 / 2)]
    if tab.order >= 3:
        conds += [(b @ c**2, 1 / 3), (b @ (a @ c), 1 / 6)]
    if tab.order >= 4:
        conds += [(b @ c**3, 1 / 4), (b @ (c * (a @ c)), 1 / 8), (b @ (a @ c**2), 1 / 12),
                  (b @ (a @ (a @ c)), 1 / 24)]
    for got, want in conds:
        assert abs(got - want) < 1e-14
    if tab.adaptive:
        assert abs(tab.e.sum()) < 1e-15  # both weight vectors are consistent
        bhat = b - tab.e
        assert abs(bhat @ c - 1 / 2) < 1e-14  # the embedded solution has order >= 2


def _logistic(x0, t):
    return x0 * np.exp(t) / (x0 * np.exp(t) + 1 - x0)


def _advantage_one():
    pay = np.zeros((1, 1, 2))
    pay[0, 0, 0] = 1.0  # one population, strategy 0 earns 1 more: x' = x (1 - x)
    return pay


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_rk4_converges_at_order_four(backend):
    """Halving dt divides RK4's global error by 2**4 = 16 (up to higher-order terms)."""
    x0 = np.array([[0.2, 0.8]])
    errs = []
    for dt in (0.2, 0.1, 0.05):
        res = integrate_pieces([Piece(0.0, 2.0, _advantage_one())], x0, (2,),
                               integrator=Integrator(method="rk4", dt=dt, backend=backend,
                                                     settle_tol=0.0))
        errs.append(abs(res.state[0, 0] - _logistic(0.2, 2.0)))
    ratios = [errs[0] / errs[1], errs[1] / errs[2]]
    assert all(13.0 < r < 19.0 for r in ratios), ratios


@pytest.mark.parametrize("method", ["dopri5", "bs32"])
@pytest.mark.parametrize("rtol", [1e-6, 1e-9])
def test_adaptive_error_follows_the_tolerance(method, rtol):
    """Logistic curve to t = 3: the global error stays within a small multiple of rtol (the
    local error per step is at most rtol * |x| + atol; over ~tens of steps on a contracting
    flow the global error stays of that order)."""
    x0 = np.array([[0.2, 0.8]])
    res = integrate_pieces([Piece(0.0, 3.0, _advantage_one())], x0, (2,),
                           integrator=Integrator(method=method, rtol=rtol, atol=rtol * 1e-2,
                                                 settle_tol=0.0))
    assert abs(res.state[0, 0] - _logistic(0.2, 3.0)) < 10 * rtol


def _random_game(counts, seed):
    rng = np.random.default_rng(seed)
    K = int(np.prod(counts))
    pay = rng.uniform(-1, 1, (1, len(counts), K))
    x0 = np.concatenate([rng.dirichlet(np.ones(k), 64) for k in counts], axis=1)
    return pay, x0


_DYNAMICS = [Dynamics(), Dynamics("replicator_mutator", mutation=0.05),
             Dynamics("logit", temperature=0.3), Dynamics("bnn"), Dynamics("smith"),
             Dynamics("imitation", intensity=2.0)]


# (4, 4, 2): the third population contracts two 4-strategy axes in one pass
@pytest.mark.parametrize("counts", [(2, 2, 2), (3, 3), (2, 3, 4), (4, 4, 2), (5, 2), (6,)],
                         ids=str)
@pytest.mark.parametrize("dyn", _DYNAMICS, ids=lambda d: d.kind)
def test_numba_takes_the_steps_of_the_numpy_reference(counts, dyn):
    """Same arithmetic in the same order: the compiled kernel reproduces the reference.

    The only operations whose last bit may differ are library functions (``exp``, ``tanh``,
    ``pow``: numpy vectorises its own); step-size factors are rounded to 21 bits, so both
    backends take the same steps and the end states agree to rounding, for every dynamics
    (BNN and Smith included, whose kinks would otherwise amplify a last-bit difference in a
    step size).
    """
    pay, x0 = _random_game(counts, 7)
    integ = Integrator(rtol=1e-8, atol=1e-10)
    a = integrate_pieces([Piece(0.0, 20.0, pay)], x0, counts, integrator=integ.replace(
        backend="numba"), dynamics=dyn)
    b = integrate_pieces([Piece(0.0, 20.0, pay)], x0, counts, integrator=integ.replace(
        backend="numpy"), dynamics=dyn)
    assert a.backend == "numba" and b.backend == "numpy"
    assert np.array_equal(a.status, b.status)
    assert np.array_equal(a.steps, b.steps) and np.array_equal(a.rejected, b.rejected)
    assert np.abs(a.state - b.state).max() < 1e-12


@pytest.mark.parametrize("counts", [(2, 2, 2), (4, 4), (4, 4, 2), (5, 2), (3,)], ids=str)
@pytest.mark.parametrize("dyn", [Dynamics(), Dynamics("logit", temperature=0.3)],
                         ids=lambda d: d.kind)
def test_own_payoffs_and_slopes_take_the_steps_of_the_numpy_reference(counts, dyn):
    """Every trajectory with its own payoffs (the compiled kernel copies them into its lane),
    affine in time on a first piece: the same steps on both backends."""
    rng = np.random.default_rng(5)
    K = int(np.prod(counts))
    m = 48
    pay = rng.uniform(-1, 1, (m, len(counts), K))
    slope = rng.uniform(-0.5, 0.5, pay.shape)
    x0 = np.concatenate([rng.dirichlet(np.ones(k), m) for k in counts], axis=1)
    pieces = [Piece(0.0, 3.0, pay, slope=slope), Piece(3.0, 15.0, pay + 3.0 * slope)]
    integ = Integrator(rtol=1e-8, atol=1e-10)
    a = integrate_pieces(pieces, x0, counts, integrator=integ.replace(backend="numba"),
                         dynamics=dyn)
    b = integrate_pieces(pieces, x0, counts, integrator=integ.replace(backend="numpy"),
                         dynamics=dyn)
    assert np.array_equal(a.status, b.status)
    assert np.array_equal(a.steps, b.steps) and np.array_equal(a.rejected, b.rejected)
    assert np.abs(a.state - b.state).max() < 1e-12


@pytest.mark.parametrize("counts", [(2,), (3, 2), (2, 2, 2), (2, 3, 4), (4, 3, 2), (3, 3, 3, 3),
                                    (2,) * 6, (5, 6)], ids=str)
def test_contraction_equals_the_sum_over_profiles(counts):
    """The integrator's expected payoffs (contracted one population at a time) equal the sum
    over profiles of payoff times profile weight (field.expected_payoffs_np) up to rounding:
    each is a sum of K / k_p terms of a payoff times n - 1 shares, so each side's rounding
    error is at most (n + K) eps max|a| (shares are at most 1 and sum to 1), and the two
    differ by at most twice that."""
    from gametheory_regen.dynamics.contraction import expected_payoffs_contracted
    from gametheory_regen.dynamics.field import expected_payoffs_np
    from gametheory_regen.dynamics.kernels import layout_of

    rng = np.random.default_rng(3)
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    x = np.concatenate([rng.dirichlet(np.ones(k), 40) for k in counts], axis=1)
    x[:5] = np.concatenate([np.eye(k)[rng.integers(0, k, 5)] for k in counts], axis=1)
    for P in (1, 40):
        pay = rng.uniform(-3, 3, (P, n, K))
        got = expected_payoffs_contracted(x, pay, counts, lay.offsets)
        want = expected_payoffs_np(x, pay, counts, lay.profiles + lay.offsets[:-1])
        bound = 2 * (n + K) * np.finfo(float).eps * np.abs(pay).max()
        assert np.abs(got - want).max() <= bound
    # at a vertex every weight is 0 or 1: both are exact
    assert np.array_equal(got[:5], want[:5])


def test_lanes_blocks_and_refills_never_change_a_number(monkeypatch):
    """A trajectory's numbers do not depend on its lane, its block, when its lane was
    refilled or whether its field was evaluated with every lane or apart with a few: the
    compiled kernel gives the same arrays for any number of lanes, block size, refill count
    and number of lanes the projection moved that are evaluated apart (0: always every lane;
    1000: always apart, in chunks). These are run-time numbers: nothing is recompiled."""
    from gametheory_regen.dynamics import backends

    # the second game's trajectories run into faces: the projection moves lanes on many steps
    for counts, t1 in (((2, 3, 2), 20.0), ((3, 3), 50.0)):
        pay, x0 = _random_game(counts, 9)
        x0 = np.repeat(x0, 9, axis=0)[:500]
        runs = []
        for lanes, block, refill, gather in ((96, 384, 4, 16), (8, 64, 1, 0),
                                             (64, 1024, 16, 1000), (40, 256, 3, 3),
                                             (96, 384, 4, 0)):
            mod = backends._load_kernel()
            monkeypatch.setattr(backends, "LANES", lanes)
            monkeypatch.setattr(backends, "BLOCK", block)
            monkeypatch.setattr(mod, "REFILL", refill)
            monkeypatch.setattr(mod, "GATHER_MAX", gather)
            runs.append(integrate_pieces([Piece(0.0, t1, pay)], x0, counts, backend="numba"))
        for r in runs[1:]:
            for name in ("state", "time", "status", "steps", "rejected", "velocity", "vertex"):
                assert np.array_equal(getattr(r, name), getattr(runs[0], name)), name


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_coordination_attractor_is_decided_by_the_separatrix(backend):
    """2x2 coordination (payoff 1 on the diagonal): a start goes to (first, first) exactly
    when x + y > 1. Every start at least 0.01 from the separatrix reaches the predicted
    vertex, on every backend."""
    rng = np.random.default_rng(11)
    x0 = rng.uniform(0.02, 0.98, (4000, 2))
    x0 = x0[np.abs(x0.sum(axis=1) - 1) > 0.01]
    A = np.eye(2)
    res = integrate_batch(np.stack([A, A]), x0, 200.0, backend=backend)
    want = np.where(x0.sum(axis=1) > 1, 0, 3)
    assert np.array_equal(res.vertex, want)


def test_output_times_match_on_both_backends():
    pay, x0 = _random_game((2, 2, 2), 3)
    t = np.linspace(0, 10, 41)
    a = integrate_pieces([Piece(0.0, 10.0, pay)], x0, (2, 2, 2), t_out=t, backend="numba")
    b = integrate_pieces([Piece(0.0, 10.0, pay)], x0, (2, 2, 2), t_out=t, backend="numpy")
    assert np.abs(a.output - b.output).max() < 1e-13


def test_every_dynamics_keeps_the_simplices():
    pay, x0 = _random_game((3, 2), 5)
    for dyn in _DYNAMICS:
        res = integrate_pieces([Piece(0.0, 30.0, pay)], x0, (3, 2), dynamics=dyn)
        assert res.state.min() >= 0.0
        assert np.abs(res.state[:, :3].sum(axis=1) - 1).max() < 1e-12
        assert np.abs(res.state[:, 3:].sum(axis=1) - 1).max() < 1e-12


def test_dynamics_names_and_parameters_are_checked():
    assert set(DYNAMICS_KINDS) == {d.kind for d in _DYNAMICS}
    for bad in ("logit,temperature=0", "replicator_mutator,mutation=-1", "imitation,intensity=nan",
                "gradient", "logit,temperature=0.1,mutation=0.2", "smith,eta=1"):
        with pytest.raises(GameInputError):
            Dynamics.parse(bad)


def _sweep_json(env_extra) -> str:
    env = dict(os.environ, **env_extra)
    proc = subprocess.run(
        [sys.executable, "-m", "gametheory_regen", "sweep", "regeneration", "--scenario",
         "jinsong", "--vary", "T=5:30:8", "--samples", "64", "--format", "json", "--quiet"],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_sweep_json_is_byte_identical_across_runs_and_thread_counts():
    """One input, one answer: 1 or 2 threads, first or second run."""
    one = _sweep_json({"NUMBA_NUM_THREADS": "1"})
    two = _sweep_json({"NUMBA_NUM_THREADS": "2"})
    again = _sweep_json({"NUMBA_NUM_THREADS": "2"})
    assert one == two == again
    cells = json.loads(one)["cells"]
    assert len(cells) == 8 and all(abs(sum(b["share"] for b in c["basins"]) - 1) < 1e-12
                                   for c in cells)


def test_sweep_outcomes_agree_between_backends():
    """The compiled and the numpy backends count the same basins (starts of this sweep are
    far from the basin boundaries at these tolerances)."""
    fast = json.loads(_sweep_json({}))
    ref = json.loads(_sweep_json({"GAMETHEORY_REGEN_NO_NUMBA": "1"}))
    assert fast["cells"] == ref["cells"]


def test_expected_payoffs_of_a_game_with_256_profiles_or_more():
    """A 16 x 16 game (256 profiles): the per-profile sum used by the noise and delay engines
    keyed its column cache by ``bytes(shape)``, which raised for a dimension of 256 or more.
    Both sums must agree with ``A y`` and ``B^T x`` computed by numpy directly."""
    from gametheory_regen.dynamics.contraction import expected_payoffs_contracted
    from gametheory_regen.dynamics.field import expected_payoffs_np
    from gametheory_regen.dynamics.kernels import layout_of

    rng = np.random.default_rng(3)
    A, B = rng.uniform(-1, 1, (16, 16)), rng.uniform(-1, 1, (16, 16))
    lay = layout_of((16, 16))
    gather = lay.profiles + lay.offsets[:-1]
    pay = np.stack([A, B]).reshape(1, 2, 256)
    x = rng.dirichlet(np.ones(16), size=3)
    y = rng.dirichlet(np.ones(16), size=3)
    X = np.hstack([x, y])
    want = np.hstack([y @ A.T, x @ B])
    for got in (expected_payoffs_np(X, pay, (16, 16), gather),
                expected_payoffs_contracted(X, pay, (16, 16), lay.offsets)):
        np.testing.assert_allclose(got, want, rtol=0, atol=64 * np.finfo(float).eps)

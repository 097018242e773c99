"""Tests of basins and sweeps (gametheory_regen.analysis.basins, analysis.sweep).

Known results:

* Two populations playing the symmetric 2x2 coordination game (payoff a > 0 on the diagonal,
  0 off it) have two strict equilibria whose basins are the two halves of the square cut by the
  separatrix x + y = 1 (Hofbauer & Sigmund 1998, sec. 10.2): basin shares 1/2 each.
* The asymptotically stable rest points of multi-population replicator dynamics are exactly the
  strict Nash equilibria, which are pure (Selten 1980; Ritzberger & Vogelsberger 1990): our
  vectorised vertex test must agree with the lead's symbolic analysis and with a brute-force
  strict-Nash check.
* Wilson (1927) score interval, e.g. 50 of 100 gives (0.4038, 0.5962).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory_regen.analysis.basins import (
    basin_shares,
    grid_starts,
    sample_starts,
    wilson_interval,
)
from gametheory_regen.analysis.batch import stable_vertices, vertex_eigenvalues, vertex_states
from gametheory_regen.analysis.sweep import sweep_payoffs
from gametheory_regen.errors import GameInputError, ParameterError


def coordination(a: float) -> np.ndarray:
    A = a * np.eye(2)
    return np.stack([A, A])


@pytest.mark.parametrize("a", [1.0, 3.0], ids=["a=1", "a=3"])
def test_coordination_basins_one_half_each(a):
    res = basin_shares(coordination(a), samples=1024, sampler="sobol", seed=1)
    assert res.attractors.tolist() == [[1, 0, 1, 0], [0, 1, 0, 1]]
    assert res.share_not_settled == 0.0
    assert np.all(np.abs(res.shares - 0.5) < 0.03)
    assert np.all(res.low[:2] < 0.5) and np.all(res.high[:2] > 0.5)
    assert res.shares.sum() + res.share_not_settled == pytest.approx(1.0)
    rnd = basin_shares(coordination(a), samples=1024, sampler="random", seed=2)
    assert np.all(np.abs(rnd.shares - 0.5) < 0.06)


def test_wilson_interval_known_values():
    lo, hi = wilson_interval(50, 100)
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.4038, 0.5962)
    lo, hi = wilson_interval(0, 20)
    assert lo == 0.0 and 0.16 < hi < 0.17  # 0.1611 (Wilson 1927 formula)


def test_samplers_are_uniform_on_simplices():
    x = sample_starts((3, 2), 8192, method="random", seed=0)
    # flat Dirichlet on the 3-simplex: each share is Beta(1, 2), mean 1/3, variance 1/18
    assert np.allclose(x[:, :3].mean(axis=0), 1 / 3, atol=0.01)
    assert np.allclose(x[:, :3].var(axis=0), 1 / 18, atol=0.005)
    assert np.allclose(x[:, :3].sum(axis=1), 1.0) and np.all(x >= 0)
    s = sample_starts((3, 2), 1024, method="sobol", seed=0)
    assert np.allclose(s[:, :3].mean(axis=0), 1 / 3, atol=0.005)
    assert np.array_equal(s, sample_starts((3, 2), 1024, method="sobol", seed=0))
    g = grid_starts((3, 2), 4)
    assert g.shape == (3 * 4, 5) and np.all(g > 0)


def brute_force_strict_nash(pay, counts):
    out = []
    for s in np.ndindex(*counts):
        ok = True
        for p in range(len(counts)):
            for j in range(counts[p]):
                if j != s[p]:
                    alt = list(s)
                    alt[p] = j
                    ok &= pay[(p, *s)] > pay[(p, *alt)]
        out.append(bool(ok))
    return out


@settings(max_examples=40, deadline=None)
@given(counts=st.sampled_from([(2, 2), (2, 3), (2, 2, 2), (3, 2, 2)]), seed=st.integers(0, 10**6))
def test_stable_vertices_are_strict_nash(counts, seed):
    rng = np.random.default_rng(seed)
    pay = rng.integers(-2, 3, size=(len(counts), *counts)).astype(float)  # ties happen
    assert stable_vertices(pay)[0].tolist() == brute_force_strict_nash(pay, counts)


def test_vertex_eigenvalues_match_symbolic_analysis():
    analysis = pytest.importorskip("gametheory_regen.analysis")
    numeric = pytest.importorskip("gametheory_regen.dynamics.numeric")
    from gametheory_regen.model import Game

    for name in ("battle_of_sexes", "hawk_dove"):
        game = Game.builtin(name)
        pay = numeric.payoff_tensor(game)
        eig = vertex_eigenvalues(pay)[0]
        result = analysis.analyze(game)
        for rp in result.vertices:
            profile = tuple(s[0] for s in rp.support)
            idx = int(np.ravel_multi_index(profile, pay.shape[1:]))
            ours = sorted(eig[idx].tolist())
            theirs = sorted(float(complex(e).real) for e in rp.spectrum.values) \
                if hasattr(rp.spectrum, "values") else None
            if theirs is not None:
                assert np.allclose(ours, theirs)
            assert bool(np.all(eig[idx] < 0)) == (rp.stability == analysis.Stability.STABLE)


def linear_coordination_fn(values):
    """Coordination with payoff a on (first, first) and 1 on (second, second)."""
    v = np.atleast_2d(values)
    m = v.shape[0]
    pay = np.zeros((m, 2, 2, 2))
    pay[:, :, 0, 0] = v[:, :1]
    pay[:, :, 1, 1] = 1.0
    return pay


def test_sweep_1d_regimes_and_basins():
    a = np.array([-1.0, 0.5, 1.0, 2.0])
    res = sweep_payoffs(linear_coordination_fn, ["a"], {}, {"a": a}, samples=256, seed=0,
                        backend="auto")
    # for a < 0 only (second, second) is strict Nash; for a > 0 both coordinated profiles
    assert res.stable[:, 0].tolist() == [False, True, True, True]
    assert res.stable[:, 3].all() and not res.stable[:, 1:3].any()
    sh = res.shares
    assert np.allclose(sh.sum(axis=1), 1.0)
    assert sh[0, 3] == 1.0
    # separatrix of the a-vs-1 coordination game: basin of (first, first) grows with a
    assert sh[1, 0] < sh[2, 0] < sh[3, 0]
    assert abs(sh[2, 0] - 0.5) < 0.05
    lo, hi = res.intervals()
    assert lo.shape == (4, 5) and np.all(lo <= sh) and np.all(sh <= hi)


def two_param_fn(values):
    v = np.atleast_2d(values)
    pay = np.zeros((v.shape[0], 3, 2, 2, 2))
    pay[:, :, 0, 0, 0] = v[:, :1]
    pay[:, :, 1, 1, 1] = v[:, 1:2]
    return pay


def test_sweep_2d_progress_and_errors():
    calls = []
    res = sweep_payoffs(two_param_fn, ["a", "b"], {}, [("a", [0.5, 1, 2]), ("b", [1, 2])],
                        samples=16, chunk_cells=2, progress=lambda d, t: calls.append((d, t)))
    assert res.shares.shape == (3, 2, 9) and res.stable.shape == (3, 2, 8)
    assert calls[-1] == (6, 6) and len(calls) == 3
    with pytest.raises(ParameterError):
        sweep_payoffs(two_param_fn, ["a", "b"], {}, {"c": [1]})
    with pytest.raises(ParameterError):
        sweep_payoffs(two_param_fn, ["a", "b"], {}, {"a": [1]})  # b has no value
    with pytest.raises(GameInputError):
        sweep_payoffs(two_param_fn, ["a", "b"], {"b": 1}, {"a": [1]}, scheduler="nowhere")


def test_sweep_on_dask_local_cluster_matches_in_process():
    distributed = pytest.importorskip("dask.distributed")
    kw = dict(samples=32, chunk_cells=3)
    local = sweep_payoffs(two_param_fn, ["a", "b"], {}, [("a", [0.5, 1, 2, 3]), ("b", [1, 2])],
                          **kw)
    calls = []
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as lc, \
            distributed.Client(lc) as client:
        remote = sweep_payoffs(two_param_fn, ["a", "b"], {}, [("a", [0.5, 1, 2, 3]),
                               ("b", [1, 2])], scheduler=client,
                               progress=lambda d, t: calls.append(d), **kw)
    assert np.array_equal(local.basin_counts, remote.basin_counts)
    assert np.array_equal(local.not_settled, remote.not_settled)
    assert remote.scheduler != "in-process" and sorted(calls)[-1] == 8


def test_share_paths_and_sweep_on_a_game():
    pytest.importorskip("gametheory_regen.dynamics.numeric")
    from gametheory_regen.analysis.batch import simulate
    from gametheory_regen.analysis.sweep import share_paths, sweep
    from gametheory_regen.model import Game

    game = Game.builtin("battle_of_sexes")
    paths = share_paths(game, "a", [1.0, 2.0, 4.0], [0.3, 0.6], population="woman",
                        strategy="opera", t_end=10.0, n_points=11)
    assert paths.shares.shape == (3, 11)
    for i, a in enumerate([1.0, 2.0, 4.0]):
        sim = simulate(game.with_values({"a": a}), [0.3, 0.6], 10.0, n_points=11)
        assert np.allclose(paths.shares[i], sim.states[:, 0], atol=1e-9)
    res = sweep(game, {"a": [1.0, 2.0]}, samples=64)
    assert res.stable[:, 0].all() and res.stable[:, 3].all()
    assert np.allclose(res.shares.sum(axis=1), 1.0)
    assert vertex_states((2, 2)).shape == (4, 4)

"""Stochastic evolutionary games (issue 11, Contract 4 "Noise and delay").

Known results, each with its source:

* sigma = 0 gives the deterministic explicit Euler trajectory bit for bit, and its error
  against the logistic closed form obeys Euler's global error bound (Hairer, Norsett & Wanner
  1993, sec. I.7, Thm 7.5).
* The stochastic logistic (Verhulst) equation ``dx = a x (1 - x) dt + sigma x dW`` -- a
  constant-advantage population under ``linear`` noise -- has the explicit solution
  ``x_t = x0 e^{Y_t} / (1 + a x0 int_0^t e^{Y_s} ds)``, ``Y_s = (a - sigma^2/2) s + sigma W_s``
  (Kloeden & Platen 1992, sec. 4.4); Euler-Maruyama converges to it with strong order 1/2 and
  Milstein with strong order 1 (Kloeden & Platen 1992, Thms 10.2.2 and 10.3.5; Higham 2001).
* Without drift, ``simplex`` noise is a martingale (an Ito integral): ``E x(T) = x(0)``
  (Oksendal 2003, Thm 3.2.1), which a wrong Ito correction would bias.
"""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_regen as gr
from gametheory_regen import limits
from gametheory_regen.analysis.stochastic import noise_sweep, simulate_noise
from gametheory_regen.dynamics import sde
from gametheory_regen.dynamics.backends import numba_available
from gametheory_regen.dynamics.field import DYNAMICS_KINDS, Dynamics
from gametheory_regen.dynamics.kernels import vector_field
from gametheory_regen.dynamics.sde import LEFT, Noise, integrate_paths, sde_chunk_np
from gametheory_regen.dynamics.sde_drift import expected_payoffs_at, vertex_payoffs
from gametheory_regen.dynamics.sde_reduced import difference_tensor, reduced_chunk_np
from gametheory_regen.errors import GameInputError
from gametheory_regen.presentation.cli import main

needs_numba = pytest.mark.skipif(not numba_available(), reason="numba not importable")


def advantage(a: float) -> np.ndarray:
    """One population, two strategies, the first earning a constant ``a`` more."""
    pay = np.zeros((1, 1, 2))
    pay[0, 0, 0] = a
    return pay


def euler_reference(pay, counts, x0, dt, n, dyn=None):
    """Explicit Euler with the engine's projection, written independently of the engine."""
    dyn = Dynamics() if dyn is None else dyn
    off = np.concatenate([[0], np.cumsum(counts)])
    x = np.array(x0, dtype=float)
    for _ in range(n):
        y = x + dt * vector_field(x, pay[0], counts, dyn)
        y = np.maximum(y, 0.0)
        for q in range(len(counts)):
            tot = y[:, off[q]]
            for i in range(off[q] + 1, off[q + 1]):
                tot = tot + y[:, i]
            y[:, off[q]:off[q + 1]] /= tot[:, None]
        x = y
    return x


def reduced_euler_reference(pay, x0, dt, n_steps):
    """Explicit Euler of the two-strategy replicator in the papers' reduced coordinates,
    ``x_p' = x_p (1 - x_p) (u_p1 - u_p2)``, written independently of the engine: the payoff
    difference of population p is a multilinear polynomial of the other shares, evaluated
    population by population from the last one (``v2 + x (v1 - v2)``)."""
    n = pay.shape[1]
    full = pay[0].reshape((n,) + (2,) * n)
    x = [float(v) for v in x0[0::2]]
    for _ in range(n_steps):
        new = []
        for p in range(n):
            d = np.take(full[p], 0, axis=p) - np.take(full[p], 1, axis=p)
            others = [q for q in range(n) if q != p]
            for q in reversed(others):   # contract the last axis: v2 + x_q (v1 - v2)
                d = d[..., 1] + x[q] * (d[..., 0] - d[..., 1])
            y = x[p] + dt * (x[p] * (1.0 - x[p]) * float(d))
            new.append(min(max(y, 0.0), 1.0))
        x = new
    return np.array([[v, 1.0 - v] for v in x]).ravel()


# ------------------------------------------------------------------------------ sigma = 0
@pytest.mark.parametrize("name,x0,form", [
    pytest.param("regeneration", [0.3, 0.7, 0.6, 0.4, 0.5, 0.5], "simplex",
                 id="regeneration-2x2x2-simplex"),
    pytest.param("regeneration", [0.3, 0.7, 0.6, 0.4, 0.5, 0.5], "linear",
                 id="regeneration-2x2x2-linear"),
    pytest.param("rock_paper_scissors", [0.5, 0.3, 0.2, 0.1, 0.3, 0.6], "simplex",
                 id="rps-3x3-simplex"),
])
def test_sigma_zero_is_the_deterministic_euler_trajectory_bit_for_bit(name, x0, form):
    from gametheory_regen.dynamics.numeric import payoff_tensor

    game = gr.Game.builtin(name)
    if name == "regeneration":
        game = game.with_scenario("jinsong")
    pay = payoff_tensor(game)[None]
    counts = game.shape
    res = integrate_paths(pay, x0, counts, 1.0, Noise(0.0, form=form, dt=0.01, paths=3,
                                                      backend="numpy"), n_points=2)
    if all(k == 2 for k in counts):
        # two strategies each: the reduced-coordinate scheme (docs/noise.md), whose Euler step
        # is the same map as the full-coordinate one up to rounding
        ref = np.tile(reduced_euler_reference(pay, x0, 0.01, 100), (3, 1))
    else:
        ref = euler_reference(pay, counts, [x0] * 3, 0.01, 100)
    assert np.array_equal(res.final, ref)


def test_sigma_zero_logistic_within_eulers_global_error_bound():
    # x' = x(1 - x): L = max|f'| = 1, M2 = max|x''| = max|(1 - 2x) x (1 - x)| = 1/(6 sqrt 3);
    # Euler's global error at T is at most h M2 (e^{LT} - 1) / (2L) (Hairer et al. 1993, I.7)
    T, x0 = 2.0, 0.2
    exact = x0 * math.exp(T) / (x0 * math.exp(T) + 1 - x0)
    errs = []
    for h in (0.02, 0.01, 0.005):
        r = integrate_paths(advantage(1.0), [x0, 1 - x0], (2,), T,
                            Noise(0.0, dt=h, paths=1, backend="numpy"))
        err = abs(r.final[0, 0] - exact)
        assert err <= h * (1 / (6 * math.sqrt(3))) * (math.exp(T) - 1) / 2
        errs.append(err)
    # first order: halving h halves the error (up to O(h^2))
    assert 1.8 < errs[0] / errs[1] < 2.2 and 1.8 < errs[1] / errs[2] < 2.2


# ------------------------------------------------------------------------------ simplices
GAMES = st.sampled_from([(2, 2), (2, 3), (3, 3), (2, 2, 2)])


@settings(max_examples=25, deadline=None)
@given(counts=GAMES, seed=st.integers(0, 2**31), sigma=st.floats(0.0, 3.0),
       kind=st.sampled_from(DYNAMICS_KINDS), boundary=st.booleans())
def test_every_simplex_form_path_stays_on_its_simplices(counts, seed, sigma, kind, boundary):
    rng = np.random.default_rng(seed)
    pay = rng.normal(scale=5.0, size=(len(counts), *counts))[None]
    dyn = Dynamics(kind, **{"replicator_mutator": {"mutation": 0.05},
                            "logit": {"temperature": 0.3}}.get(kind, {}))
    R = float(sde.outflow_bound(pay, counts, dyn)[0])
    starts = np.concatenate([rng.dirichlet(np.ones(k), size=6) for k in counts], axis=1)
    if boundary:  # a share exactly 0 (a face of the simplex)
        starts[:, 0] = 0.0
        starts[:, :counts[0]] /= starts[:, :counts[0]].sum(axis=1, keepdims=True)
    res = integrate_paths(pay, starts, counts, 2.0,
                          Noise(sigma, dt=min(0.05, 1.0 / R), paths=12, seed=seed,
                                backend="numpy"),
                          dynamics=dyn, n_points=11)
    out = res.output
    assert np.all(np.isfinite(out)) and np.all(out >= 0.0)
    off = np.concatenate([[0], np.cumsum(counts)])
    for q in range(len(counts)):
        assert np.max(np.abs(out[:, :, off[q]:off[q + 1]].sum(axis=2) - 1.0)) < 1e-12
    assert not np.any(res.status == LEFT)


def test_dt_too_large_for_the_drift_is_refused():
    with pytest.raises(GameInputError, match="too large for this game"):
        integrate_paths(advantage(50.0), [0.5, 0.5], (2,), 1.0, Noise(0.1, dt=0.1, paths=1))


# ------------------------------------------------------------------------------ linear form
def test_linear_form_counts_freezes_and_reports_leaving_paths_apart():
    from gametheory_regen.dynamics.numeric import payoff_tensor

    hd = gr.Game.builtin("hawk_dove")
    noise = Noise(2.0, form="linear", dt=0.01, paths=400, seed=5, backend="numpy")
    res = integrate_paths(payoff_tensor(hd), [0.5, 0.5, 0.5, 0.5], (2, 2), 5.0, noise,
                          n_points=501)
    left = res.status == LEFT
    assert 0 < left.sum() < 400
    # a path that left is frozen on the boundary it crossed: some population at a vertex
    fin = res.final[left]
    at_edge = (fin[:, [0, 2]] == 0.0) | (fin[:, [0, 2]] == 1.0)
    assert np.all(at_edge.any(axis=1))
    # it is recorded while inside, and not after it left (reported apart, never clipped)
    for i in np.flatnonzero(left)[:20]:
        before = res.times < res.left_time[i] - 1e-9
        assert np.all(np.isfinite(res.output[i, before])) and np.all(
            np.isnan(res.output[i, res.times >= res.left_time[i] - 1e-9]))
    assert np.all(res.output[~left] >= 0) and np.all(res.output[~left] <= 1)
    summary = simulate_noise(hd, [0.5, 0.5], 5.0, noise)
    assert summary.left_simplex == int(left.sum())
    assert abs(summary.shares().sum() - 1.0) < 1e-12
    assert summary.inside[-1] == 400 - left.sum()


def test_linear_form_is_refused_for_more_than_two_strategies():
    with pytest.raises(GameInputError, match="two-strategy populations only"):
        simulate_noise(gr.Game.builtin("rock_paper_scissors"),
                       [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3], 1.0,
                       Noise(0.1, form="linear", paths=2))


# ------------------------------------------------------------------------------ strong order
def _slope(dts, errs, ses):
    """Least-squares slope of log err against log dt, and its standard error (delta method:
    sd(log err) = se / err, independent across dt -- conservative for common random numbers)."""
    x = np.log(dts)
    y = np.log(errs)
    xc = x - x.mean()
    w = xc / (xc @ xc)
    return float(w @ y), float(np.sqrt(np.sum((w * np.asarray(ses) / errs) ** 2)))


def _logistic_paths(scheme_form, M, a, sigma, x0, T, levels, fine_exp, rng, exact=True,
                    reduced=False):
    """Errors at T of the schemes at dt = T / 2**l (l in levels) on shared Brownian paths
    (``reduced``: the reduced-coordinate scheme of two-strategy games, sde_reduced)."""
    nf = 2 ** fine_exp
    hf = T / nf
    errs = {lv: [] for lv in levels}
    finest = {lv: [] for lv in levels}
    for _ in range(M // 500):
        xi = rng.standard_normal((nf, 500))
        W = np.concatenate([np.zeros((1, 500)), np.cumsum(np.sqrt(hf) * xi, axis=0)])
        t = np.linspace(0.0, T, nf + 1)[:, None]
        Y = (a - 0.5 * sigma**2) * t + sigma * W
        eY = np.exp(Y)
        integral = np.sum(0.5 * (eY[1:] + eY[:-1]) * hf, axis=0)   # trapezoid
        x_exact = x0 * eY[-1] / (1 + a * x0 * integral)
        results = {}
        for lv in levels:
            r = nf // 2 ** lv
            Z = xi.reshape(2**lv, r, 500).sum(axis=1) / math.sqrt(r)    # coarse normals
            X = np.tile([x0, 1 - x0], (500, 1))
            stt = np.zeros(500, np.int64)
            form, scheme = scheme_form
            hs = np.full(2**lv, T / 2**lv)
            if reduced:
                reduced_chunk_np(X, stt, np.full(500, np.nan), 0, hs, np.cumsum(hs),
                                 np.zeros(500, np.int64), np.array([sigma]),
                                 difference_tensor(advantage(a).reshape(1, 1, 2), 1), form,
                                 scheme, np.zeros((500, 0, 2)), np.full(2**lv, -1),
                                 Z=Z[:, None, :])
            else:
                sde_chunk_np(X, stt, np.full(500, np.nan), Z[:, None, :], hs, np.cumsum(hs),
                             np.zeros(500, np.int64), np.array([sigma]), advantage(a), (2,), 0,
                             0.0, form, scheme, np.zeros((500, 0, 2)), np.full(2**lv, -1))
            results[lv] = (X[:, 0], stt)
        ok = np.ones(500, bool)
        for lv in levels:
            ok &= results[lv][1] == 0
        ok &= x_exact < 1.0
        for lv in levels:
            target = x_exact if exact else results[max(levels)][0]
            errs[lv].append(np.abs(results[lv][0] - target)[ok])
            finest[lv].append(ok.sum())
    out_e, out_se = [], []
    for lv in levels:
        e = np.concatenate(errs[lv])
        out_e.append(e.mean())
        out_se.append(e.std(ddof=1) / math.sqrt(e.size))
    kept = sum(finest[levels[0]])
    return np.array(out_e), np.array(out_se), kept


@pytest.mark.parametrize("reduced", [False, True], ids=["full", "reduced"])
@pytest.mark.parametrize("scheme,order", [(0, 0.5), (1, 1.0)], ids=["euler-1/2", "milstein-1"])
def test_strong_order_on_the_stochastic_logistic_equation(scheme, order, reduced):
    # Kloeden & Platen 1992: EM strong order 1/2 (Thm 10.2.2), Milstein 1 (Thm 10.3.5); the
    # exact solution of the Verhulst equation, sec. 4.4 (a = 1, sigma = 0.5, x0 = 0.1, T = 1;
    # reference integral by the trapezoid rule on 2**13 steps). 4,000 paths: each mean error
    # has a standard error of about 1.7 %; the slope must lie within 0.1 (pre-asymptotic
    # terms) plus three standard errors of the slope of its order.
    rng = np.random.default_rng(2026)
    M = 4000
    levels = [4, 5, 6, 7]
    errs, ses, kept = _logistic_paths((1, scheme), M, 1.0, 0.5, 0.1, 1.0, levels, 13, rng,
                                      reduced=reduced)
    assert kept > 0.99 * M  # paths that left [0, 1] (in any scheme) are few and set apart
    assert np.all(ses / errs < 0.05)
    dts = 1.0 / 2.0 ** np.array(levels)
    slope, se = _slope(dts, errs, ses)
    assert abs(slope - order) <= 0.1 + 3 * se, (slope, se, errs)


@pytest.mark.parametrize("reduced", [False, True], ids=["full", "reduced"])
def test_simplex_scheme_is_strong_order_one_and_a_martingale_without_drift(reduced):
    # Self-convergence of the log-ratio scheme on shared paths against its finest level (the
    # noise is additive in log-odds, so Euler-Maruyama there is Milstein: order 1).
    rng = np.random.default_rng(7)
    levels = [3, 4, 5, 6, 9]
    errs, ses, _ = _logistic_paths((0, 0), 2000, 1.0, 0.5, 0.1, 1.0, levels, 9, rng,
                                   exact=False, reduced=reduced)
    slope, se = _slope(1.0 / 2.0 ** np.array(levels[:-1]), errs[:-1], ses[:-1])
    assert abs(slope - 1.0) <= 0.1 + 3 * se, (slope, se)
    if not reduced:
        return
    # No drift: E x(T) = x(0) for every share (Ito integral, Oksendal 2003, Thm 3.2.1); the
    # bound is four standard errors of the mean over 20,000 paths.
    for counts, x0 in (((2, 2), [0.3, 0.7, 0.8, 0.2]), ((3, 3), [0.2, 0.3, 0.5, 0.6, 0.3, 0.1])):
        res = integrate_paths(np.zeros((len(counts), *counts)), x0, counts, 2.0,
                              Noise(1.0, dt=0.02, paths=20000, seed=3, backend="numpy"),
                              n_points=2)
        mean = res.final.mean(axis=0)
        se = res.final.std(axis=0, ddof=1) / math.sqrt(20000)
        assert np.all(np.abs(mean - np.array(x0)) <= 4 * se + 1e-15), (mean, se)


# ------------------------------------------------------------------------------ reproducible
def _batch(backend, **kw):
    from gametheory_regen.dynamics.numeric import payoff_tensor

    game = gr.Game.builtin("regeneration").with_scenario("jinsong")
    settings = dict(sigma=0.6, dt=0.01, paths=300, seed=11, backend=backend)
    settings.update(kw)
    return integrate_paths(payoff_tensor(game), [0.4, 0.6, 0.5, 0.5, 0.6, 0.4], game.shape,
                           3.0, Noise(**settings), n_points=7)


@needs_numba
def test_numpy_and_numba_agree_and_threads_and_chunks_do_not_matter(monkeypatch):
    import numba

    for kw in ({}, {"form": "linear", "sigma": 1.5}, {"form": "linear", "scheme": "milstein",
                                                       "sigma": 1.5}):
        a, b = _batch("numpy", **kw), _batch("numba", **kw)
        assert a.backend == "numpy" and b.backend == "numba"
        # the same IEEE operations in the same order (no libm call for two strategies)
        assert np.array_equal(a.status, b.status)
        assert np.array_equal(a.output, b.output, equal_nan=True)
        assert np.array_equal(a.left_time, b.left_time, equal_nan=True)
    # three-strategy populations (log-space softmax: libm's exp and log may differ from numpy's
    # in the last bit) and another dynamics
    rps = np.stack([np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], float)] * 2)
    rps[1] = -rps[0].T
    for dyn in (Dynamics(), Dynamics("logit", temperature=0.5)):
        outs = [integrate_paths(rps, [0.5, 0.3, 0.2, 0.2, 0.3, 0.5], (3, 3), 2.0,
                                Noise(0.7, paths=130, seed=2, backend=be), dynamics=dyn).output
                for be in ("numpy", "numba")]
        assert np.max(np.abs(outs[0] - outs[1])) < 1e-12
    # thread count and chunk size change nothing
    saved = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _batch("numba")
        numba.set_num_threads(max(1, numba.config.NUMBA_NUM_THREADS))
        many = _batch("numba")
    finally:
        numba.set_num_threads(saved)
    assert np.array_equal(one.output, many.output)
    lin = _batch("numba", form="linear", sigma=1.5)
    monkeypatch.setattr(sde, "CHUNK_BYTES", 8 * 3 * 300 * 7)  # 7 steps per chunk
    assert np.array_equal(_batch("numba").output, many.output)
    lin7 = _batch("numba", form="linear", sigma=1.5)
    assert np.array_equal(lin7.left_time, lin.left_time, equal_nan=True)
    assert np.array_equal(lin7.final, lin.final)
    assert np.array_equal(_batch("numpy").output, many.output)


def test_seed_changes_paths_and_the_same_seed_repeats_them():
    a, b, c = _batch("numpy"), _batch("numpy"), _batch("numpy", seed=12)
    assert np.array_equal(a.output, b.output) and not np.array_equal(a.output, c.output)


def test_noise_sweep_uses_common_random_numbers():
    hd = gr.Game.builtin("hawk_dove")
    sw = noise_sweep(hd, [0.3, 0.3], [0.5, 0.5], 5.0, Noise(paths=64, backend="numpy"))
    assert np.array_equal(sw.counts[0], sw.counts[1])
    single = simulate_noise(hd, [0.5, 0.5], 5.0, Noise(0.3, paths=64, backend="numpy"))
    assert np.array_equal(sw.counts[0, :-2], single.outcome_counts)


# ------------------------------------------------------------------------------ bad input
def run(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(argv)
    return code, err.getvalue(), out.getvalue()


SIM = ["simulate", "hawk_dove", "--initial", "owner=0.5,intruder=0.5", "--quiet"]


@pytest.mark.parametrize("extra,message", [
    pytest.param(["--noise", "-1"], "--noise: expected a finite number >= 0", id="negative"),
    pytest.param(["--noise", "nan"], "--noise: expected a finite number >= 0", id="nan"),
    pytest.param(["--noise", "inf"], "--noise: expected a finite number >= 0", id="inf"),
    pytest.param(["--noise", "0.1", "--paths", "0"], "--paths 0: expected at least 1",
                 id="zero-paths"),
    pytest.param(["--noise", "0.1", "--dt", "0"], "--dt: expected a finite step > 0",
                 id="zero-dt"),
    pytest.param(["--noise", "0.1", "--dt", "-0.5"], "--dt: expected a finite step > 0",
                 id="negative-dt"),
    pytest.param(["--noise", "0.1", "--paths", "2000000"], "above the limit `paths`",
                 id="paths-limit"),
    pytest.param(["--noise", "0.1", "--paths", "1000000", "--points", "100000"],
                 "above the limit `memory`", id="memory-limit"),
    pytest.param(["--noise", "0.1", "--dt", "1e-8"], "above the limit `noise_steps`",
                 id="steps-limit"),
    pytest.param(["--paths", "10"], "--paths is a noise option", id="paths-without-noise"),
    pytest.param(["--noise", "0.1", "--seed", "-1"], "--seed", id="negative-seed"),
])
def test_bad_noise_input_is_one_line_and_exit_2(extra, message):
    code, err, out = run(SIM + extra)
    assert code == 2 and message in err and err.count("\n") == 1 and out == ""


def test_linear_noise_on_three_strategies_is_refused_on_the_command_line():
    code, err, _ = run(["simulate", "rock_paper_scissors", "--initial", "row=0.5,column=0.5",
                        "--noise", "0.1", "--noise-form", "linear"])
    assert code == 2 and "two-strategy populations only" in err


def test_noise_sweep_cli_refuses_a_parameter_grid_and_negative_noise():
    code, err, _ = run(["sweep", "hawk_dove", "--vary", "noise=0:1:2", "--vary", "C=1:2:2"])
    assert code == 2 and "exactly one --vary" in err
    code, err, _ = run(["sweep", "hawk_dove", "--vary", "noise=-1:1:2"])
    assert code == 2 and "STOP >= 0" in err


def test_simulate_noise_json_has_the_contract_keys():
    import json

    code, _, out = run(SIM + ["--noise", "0.3", "--paths", "50", "--t-end", "5", "--points",
                              "6", "--format", "json"])
    assert code == 0
    d = json.loads(out)
    for key in ("model", "scenario", "parameters", "initial", "t", "states", "final",
                "settled_at", "paths", "quantiles", "left_simplex", "outcomes", "noise",
                "dynamics"):
        assert key in d
    assert d["quantiles"]["levels"] == [0.05, 0.25, 0.5, 0.75, 0.95]
    assert len(d["quantiles"]["states"]["owner"]) == 6
    assert abs(sum(o["share"] for o in d["outcomes"]) + d["left_simplex"] / 50 - 1) < 1e-12
    with limits.overridden(paths=10):
        with pytest.raises(GameInputError):
            Noise(0.1, paths=11)


def test_noise_applies_to_every_dynamics():
    # Contract 4: "Noise applies to every dynamics". Under logit the rest points are not the
    # replicator's; the outcome shares still account for every path.
    hd = gr.Game.builtin("hawk_dove")
    for dyn in (Dynamics("logit", temperature=0.5), Dynamics("imitation"), Dynamics("smith")):
        res = simulate_noise(hd, [0.5, 0.5], 5.0, Noise(0.3, paths=50, backend="numpy"),
                             dynamics=dyn, n_points=6)
        assert res.dynamics == dyn
        assert abs(res.shares().sum() - 1.0) < 1e-12
        assert np.all(res.quantiles >= 0.0) and np.all(res.quantiles <= 1.0)


# ------------------------------------------------------------------------------ every game
# Contract 4: noise applies to one-population games, payoffs that depend on the state,
# [[fitness]] and parameter schedules too (expected payoffs lambdified, numpy backend).
EXAMPLES = "/work/shared/examples"

TWO_LOGISTIC = """
name = "two_logistic"
[[populations]]
name = "p"
strategies = ["u", "v"]
[[populations]]
name = "q"
strategies = ["u", "v"]
[parameters]
a = { value = 1 }
b = { value = 0.5 }
[[payoffs]]
profile = ["u", "u"]
values = ["a", "b"]
[[payoffs]]
profile = ["u", "v"]
values = ["a", "0"]
[[payoffs]]
profile = ["v", "u"]
values = ["0", "b"]
[[payoffs]]
profile = ["v", "v"]
values = ["0", "0"]
"""


def _game(tmp_path, text, name="g.toml"):
    path = tmp_path / name
    path.write_text(text)
    return gr.Game.from_file(str(path))


def _logit(p):
    return math.log(p / (1 - p))


def _expit(z):
    return 1 / (1 + math.exp(-z))


def test_contract_command_runs_the_single_population_snowdrift():
    # the project's contract check (Contract 4): exit 0 and the noise keys
    import json
    import os

    path = os.path.join(EXAMPLES, "snowdrift_single.toml")
    if not os.path.exists(path):
        pytest.skip("the shared examples are not on this machine")
    code, err, out = run(["simulate", path, "--initial", "drivers=0.9", "--t-end", "5",
                          "--noise", "0.05", "--paths", "50", "--seed", "1", "--format",
                          "json"])
    assert code == 0, err
    d = json.loads(out)
    for key in ("paths", "quantiles", "left_simplex", "outcomes"):
        assert key in d
    # snowdrift b = 4, c = 2: the mixed ESS shovels with (b - c)/(b - c/2) = 2/3 (Maynard
    # Smith 1982, ch. 2); it is one of the outcomes the paths are matched against
    rps = [o["rest_point"]["drivers"][0] for o in d["outcomes"] if o["rest_point"]]
    assert any(abs(r - 2 / 3) < 1e-12 for r in rps)


def test_single_population_snowdrift_paths_stay_on_the_simplex():
    # snowdrift b = 4, c = 2 in one population (the shared example's payoffs)
    game = gr.Game.symmetric("snowdrift", ["shovel", "wait"], [[3, 2], [4, 0]])
    res = integrate_paths(None, [0.9, 0.1], (2,), 5.0,
                          Noise(1.5, dt=0.01, paths=200, seed=4, backend="numpy"),
                          expected_at=expected_payoffs_at(game), n_points=51)
    out = res.output
    assert np.all(np.isfinite(out)) and np.all(out >= 0.0)
    assert np.max(np.abs(out.sum(axis=2) - 1.0)) < 1e-12
    summary = simulate_noise(game, [0.9, 0.1], 5.0, Noise(1.5, paths=200, seed=4),
                             n_points=51)
    assert summary.backend == "numpy" and abs(summary.shares().sum() - 1.0) < 1e-12
    # the same paths: the summary's median is the median of the raw paths
    assert np.array_equal(summary.quantiles[2], np.median(out, axis=0))


def _hd_one_population():
    # hawk-dove in one population, V = 2, C = 4 (Maynard Smith & Price 1973):
    # a hawk earns (V - C)/2 = -1 against a hawk and V = 2 against a dove; a dove 0 and V/2 = 1
    return gr.Game.symmetric("hd", ["hawk", "dove"], [[-1, 2], [0, 1]])


def test_one_population_sigma_zero_is_the_fixed_step_euler_trajectory():
    # explicit Euler of x_i' = x_i ((Ax)_i - x.Ax), written here independently, with the
    # engine's projection; the engine's payoffs are lambdified sums, so equal up to rounding
    A = np.array([[-1.0, 2.0], [0.0, 1.0]])
    x = np.array([[0.9, 0.1], [0.2, 0.8]])
    h = 0.01
    for _ in range(300):
        u = x @ A.T
        y = np.maximum(x + h * x * (u - np.sum(x * u, axis=1, keepdims=True)), 0.0)
        x = y / y.sum(axis=1, keepdims=True)
    res = integrate_paths(None, [[0.9, 0.1], [0.2, 0.8]], (2,), 3.0,
                          Noise(0.0, dt=h, paths=2, backend="numpy"),
                          expected_at=expected_payoffs_at(_hd_one_population()))
    assert np.max(np.abs(res.final - x)) < 1e-13


def test_one_population_sigma_zero_converges_to_the_deterministic_engine():
    # x' = f(x) = x (1 - x)(1 - 2x) (hawk share; V = 2, C = 4). On [0, 1] |f'| <= 1 = L and
    # |x''| = |f f'| <= max|f| = 1/(6 sqrt 3) = M2, so Euler's global error at T is at most
    # h M2 (e^{LT} - 1) / (2L) (Hairer, Norsett & Wanner 1993, sec. I.7, Thm 7.5). The
    # reference is the engine's Dormand-Prince at rtol 1e-11 (its error is far below h M2).
    from gametheory_regen.analysis.batch import simulate

    game, T = _hd_one_population(), 4.0
    ref = simulate(game, [0.9, 0.1], T, t_eval=[0.0, T], rtol=1e-11, atol=1e-13,
                   backend="numpy").states[-1, 0]
    errs = []
    for h in (0.02, 0.01, 0.005):
        r = simulate_noise(game, [0.9, 0.1], T, Noise(0.0, dt=h, paths=1))
        err = abs(float(r.quantiles[2, -1, 0]) - ref)
        assert err <= h * (1 / (6 * math.sqrt(3))) * (math.exp(T) - 1) / 2
        errs.append(err)
    assert 1.8 < errs[0] / errs[1] < 2.2 and 1.8 < errs[1] / errs[2] < 2.2
    # its outcomes are the analysis' rest points: both vertices and the mixed ESS (1/2, 1/2)
    assert sorted(r.rest_points[:, 0].tolist()) == [0.0, 0.5, 1.0]


def test_state_dependent_game_runs_and_follows_the_deterministic_engine():
    # dynamic subsidy (Contract 4 example): the subsidy S (1 - y) falls as adoption y rises
    import os

    path = f"{EXAMPLES}/dynamic_subsidy.toml"
    if not os.path.exists(path):
        pytest.skip("the shared examples are not on this machine")
    from gametheory_regen.analysis.batch import simulate

    game = gr.Game.from_file(path)
    x0, T = [0.6, 0.7], 3.0
    ref = simulate(game, x0, T, t_eval=[0.0, T], rtol=1e-11, atol=1e-13,
                   backend="numpy").states[-1]
    errs = [np.max(np.abs(simulate_noise(game, x0, T, Noise(0.0, dt=h, paths=1)).quantiles[
        2, -1] - ref)) for h in (0.01, 0.005, 0.0025)]
    # first order (Euler): halving the step halves the error, up to O(h^2)
    assert 1.8 < errs[0] / errs[1] < 2.2 and 1.8 < errs[1] / errs[2] < 2.2, errs
    res = simulate_noise(game, x0, T, Noise(0.8, paths=100, seed=2), n_points=31)
    assert res.backend == "numpy" and res.left_simplex == 0
    q = res.quantiles
    assert np.all(q >= 0.0) and np.all(q <= 1.0)
    assert abs(res.shares().sum() - 1.0) < 1e-12


def test_schedule_is_followed_against_the_exact_solution_and_the_engine(tmp_path):
    # Two independent populations, p's first strategy earning a(t) more, q's b = 1/2 more:
    # logit p(t) = logit p(0) + int_0^t a (the logistic equation in time-varying form).
    # a is piecewise linear through (0, 1), (1, -1), (2, 0.5): |a| <= 1 = L (the Jacobian is
    # diagonal), |a'| <= 2, so |x''| <= |a'|/4 + a^2/(6 sqrt 3) <= 0.5 + 0.0963 = M2 a.e.;
    # Euler's global error is at most h M2 (e^{LT} - 1)/(2L) (Hairer et al. 1993, I.7;
    # the local error bound needs only x'' bounded a.e., so the kinks do not matter).
    from gametheory_regen.analysis.batch import simulate

    game = _game(tmp_path, TWO_LOGISTIC + """
[schedules.a]
kind = "piecewise_linear"
times = [0.0, 1.0, 2.0]
values = [1.0, -1.0, 0.5]
""")
    T, p0, q0 = 2.0, 0.3, 0.6
    area = 0.0  # int_0^2 a = 0 (first piece) + (-1 + 0.5)/2 (second)
    area += (-1.0 + 0.5) / 2
    exact_p, exact_q = _expit(_logit(p0) + area), _expit(_logit(q0) + 0.5 * T)
    det = simulate(game, [p0, q0], T, t_eval=[0.0, T], rtol=1e-11, atol=1e-13,
                   backend="numpy").states[-1]
    assert abs(det[0] - exact_p) < 1e-8 and abs(det[2] - exact_q) < 1e-8
    M2 = 0.5 + 1 / (6 * math.sqrt(3))
    errs = []
    for h in (1 / 32, 1 / 64, 1 / 128):
        r = simulate_noise(game, [p0, q0], T, Noise(0.0, dt=h, paths=1))
        assert r.schedules and r.schedules[0].parameter == "a"
        err = float(np.max(np.abs(r.quantiles[2, -1] - det)))
        assert err <= h * M2 * (math.exp(T) - 1) / 2 + 1e-8
        errs.append(err)
    assert 1.8 < errs[0] / errs[1] < 2.2 and 1.8 < errs[1] / errs[2] < 2.2, errs
    # without the schedule (a = 1 throughout) the answer is far away: the test can fail
    flat = simulate_noise(game, [p0, q0], T, Noise(0.0, dt=1 / 128, paths=1), schedules=())
    assert abs(float(flat.quantiles[2, -1, 0]) - exact_p) > 100 * errs[-1]


def test_expression_schedule_and_jump_in_a_single_population_game(tmp_path):
    # One population whose first strategy earns a(t) more: logit x(T) = logit x0 + int a.
    # a = 2 exp(-t) - 1/2 (expression): |a| <= 1.5 = L, |a'| <= 2, M2 <= 2/4 + 1.5^2/(6 sqrt 3);
    # a piecewise-constant a (1, then -1 from t = 1, a grid point) has x'' bounded within each
    # piece and steps that never straddle the jump, so the same bound holds with L = 1.
    base = """
name = "one_logistic"
[[populations]]
name = "p"
strategies = ["u", "v"]
[parameters]
a = { value = 1 }
[[payoffs]]
profile = ["u", "u"]
values = ["a"]
[[payoffs]]
profile = ["u", "v"]
values = ["a"]
[[payoffs]]
profile = ["v", "u"]
values = ["0"]
[[payoffs]]
profile = ["v", "v"]
values = ["0"]
"""
    T, x0 = 2.0, 0.3
    cases = [
        ("""
[schedules.a]
kind = "expression"
value = "2*exp(-t) - 1/2"
""", 2 * (1 - math.exp(-T)) - T / 2, 1.5, 0.5 + 2.25 / (6 * math.sqrt(3))),
        ("""
[schedules.a]
kind = "piecewise_constant"
times = [0.0, 1.0]
values = [1.0, -1.0]
""", 0.0, 1.0, 1 / (6 * math.sqrt(3))),
    ]
    for i, (sched, area, L, M2) in enumerate(cases):
        game = _game(tmp_path, base + sched, f"g{i}.toml")
        exact = _expit(_logit(x0) + area)
        errs = []
        for h in (1 / 32, 1 / 64, 1 / 128):
            r = simulate_noise(game, [x0, 1 - x0], T, Noise(0.0, dt=h, paths=1))
            err = abs(float(r.quantiles[2, -1, 0]) - exact)
            assert err <= h * M2 * (math.exp(L * T) - 1) / (2 * L)
            errs.append(err)
        assert 1.7 < errs[0] / errs[1] < 2.3 and 1.7 < errs[1] / errs[2] < 2.3, (i, errs)
        noisy = simulate_noise(game, [x0, 1 - x0], T, Noise(0.5, paths=50, seed=1))
        assert noisy.left_simplex == 0 and np.all(noisy.quantiles >= 0)


def test_a_drift_step_that_would_leave_the_simplex_is_refused(tmp_path):
    # payoffs that vanish at the vertices but reach 100 inside: the check at the vertices
    # passes, the run refuses the first step that would overshoot (nothing is clipped)
    game = _game(tmp_path, """
name = "bump"
[[populations]]
name = "p"
strategies = ["u", "v"]
[[fitness]]
population = "p"
strategy = "v"
value = "400*x*(1 - x)"
""")
    with pytest.raises(GameInputError, match="would overshoot a simplex"):
        simulate_noise(game, [0.5, 0.5], 1.0, Noise(0.1, dt=0.1, paths=4))
    code, err, _ = run(["simulate", str(tmp_path / "g.toml"), "--initial", "p=0.5",
                        "--noise", "0.1", "--dt", "0.1", "--quiet"])
    assert code == 2 and "use --dt" in err and err.count("\n") == 1
    ok = simulate_noise(game, [0.5, 0.5], 1.0, Noise(0.1, dt=0.005, paths=4))
    assert ok.left_simplex == 0


def test_noise_sweep_of_a_single_population_game():
    game = _hd_one_population()
    sw = noise_sweep(game, [0.0, 0.4], [0.5, 0.5], 10.0, Noise(paths=40))
    # sigma = 0 stays at the mixed ESS 1/2; the shares account for every path
    j = list(sw.rest_points[:, 0]).index(0.5)
    assert sw.counts[0, j] == 40
    assert np.all(sw.counts.sum(axis=1) == 40)


def test_every_dynamics_runs_with_noise_on_a_single_population_game():
    game = _hd_one_population()
    for kind in DYNAMICS_KINDS:
        dyn = Dynamics(kind, **{"replicator_mutator": {"mutation": 0.05},
                                "logit": {"temperature": 0.3}}.get(kind, {}))
        res = simulate_noise(game, [0.9, 0.1], 3.0, Noise(0.5, paths=30, seed=1),
                             dynamics=dyn, n_points=4)
        assert res.dynamics == dyn and res.backend == "numpy"
        assert abs(res.shares().sum() - 1.0) < 1e-12
        assert np.all(res.quantiles >= 0.0) and np.all(res.quantiles <= 1.0)


def test_payoffs_that_are_not_finite_on_the_path_are_refused(tmp_path):
    game = _game(tmp_path, """
name = "pole"
[[populations]]
name = "p"
strategies = ["u", "v"]
[[fitness]]
population = "p"
strategy = "u"
value = "1/(x - 1/2)"
""")
    with pytest.raises(GameInputError, match="not finite at t = 0"):
        simulate_noise(game, [0.5, 0.5], 1.0, Noise(0.1, dt=0.01, paths=2))


@settings(max_examples=12, deadline=None)
@given(k=st.sampled_from([2, 3, 4]), seed=st.integers(0, 2**31), sigma=st.floats(0.0, 3.0),
       kind=st.sampled_from(DYNAMICS_KINDS))
def test_single_population_paths_stay_on_the_simplex(k, seed, sigma, kind):
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, size=(k, k)).tolist()
    game = gr.Game.symmetric("g", [f"s{i}" for i in range(k)], A)
    dyn = Dynamics(kind, **{"replicator_mutator": {"mutation": 0.05},
                            "logit": {"temperature": 0.3}}.get(kind, {}))
    fn = expected_payoffs_at(game)
    R = float(sde.outflow_bound(vertex_payoffs(fn, (k,)), (k,), dyn)[0])
    starts = rng.dirichlet(np.ones(k), size=5)
    res = integrate_paths(None, starts, (k,), 2.0,
                          Noise(sigma, dt=min(0.05, 1.0 / max(R, 1e-9)), paths=10, seed=seed,
                                backend="numpy"),
                          dynamics=dyn, n_points=6, expected_at=fn)
    out = res.output
    assert np.all(np.isfinite(out)) and np.all(out >= 0.0)
    assert np.max(np.abs(out.sum(axis=2) - 1.0)) < 1e-12

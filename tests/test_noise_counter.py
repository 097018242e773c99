"""The counter-based normals and the reduced-coordinate noise path (issue 11, "Speed").

* The transform is Box-Muller (Box & Muller 1958): two independent uniforms on (0, 1) give two
  independent standard normals. The logarithm and sine/cosine are fdlibm's methods (Sun
  Microsystems 1993, ``e_log.c``, ``k_sin.c``, ``k_cos.c``), checked here against numpy's
  ``log``/``sin``/``cos``.
* Sample statistics of N normals: the mean has standard error 1/sqrt(N), the variance
  sqrt(2/N); the Kolmogorov-Smirnov statistic exceeds 1.95/sqrt(N) with probability 0.001
  (asymptotic Kolmogorov distribution, e.g. Stephens 1974); the lag correlations between
  counters (steps, populations, neighbouring paths) have standard error 1/sqrt(N). Every bound
  below is 4 standard errors (or the 0.001 KS quantile), fixed by the sample size.
* The compiled kernel (kernel_sde2) runs the numpy reference's operations in the same order, so
  the two agree bit for bit, at any thread count and any chunking.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from gametheory_regen.dynamics import sde
from gametheory_regen.dynamics.backends import numba_available
from gametheory_regen.dynamics.sde import Noise, integrate_paths
from gametheory_regen.dynamics.sde_counter import (
    counter_normals,
    log_unit,
    path_keys,
    seed_key,
    sincos_2pi,
    uniforms,
)
from gametheory_regen.dynamics.sde_reduced import difference_tensor, reduced_chunk_np

needs_numba = pytest.mark.skipif(not numba_available(), reason="numba not importable")


def test_log_and_sincos_match_numpy():
    rng = np.random.default_rng(1)
    u = np.concatenate([rng.random(200_000), uniforms(rng.integers(0, 2**63, 1000,
                                                                   dtype=np.uint64)),
                        [2.0**-53, 1 - 2.0**-53, 0.5, 1 / math.sqrt(2)]])
    u = u[u > 0]
    # fdlibm's log: below 1 ulp; allow 1 ulp of numpy's own rounding
    assert np.all(np.abs(log_unit(u) - np.log(u)) <= np.spacing(np.abs(np.log(u))))
    c, s = sincos_2pi(u)
    # against extended precision (x87 long double, 64-bit mantissa): the reduction 4u - q is
    # exact, the angle (4u - q) pi/2 has a relative error below 1.5e-16 (one rounding, pi/2
    # rounded) on |angle| <= pi/4, the polynomials below 1 ulp: |error| <= 3e-16
    pi = np.longdouble("3.14159265358979323846264338327950288")
    ang = 2 * pi * u.astype(np.longdouble)
    assert np.max(np.abs(c - np.cos(ang))) <= 3e-16
    assert np.max(np.abs(s - np.sin(ang))) <= 3e-16


def test_uniforms_are_strictly_inside_the_unit_interval():
    w = np.array([0, 1, 2**12 - 1, 2**12, 2**64 - 1], dtype=np.uint64)
    u = uniforms(w)
    assert u[0] == 2.0**-53 and u[-1] == 1 - 2.0**-53 and np.all((u > 0) & (u < 1))
    assert u[3] == 3 * 2.0**-53


@pytest.fixture(scope="module")
def sample():
    """(steps, populations, paths) normals of seed 2026: 40 x 3 x 10,000 = 1.2e6 numbers."""
    keys = path_keys(seed_key(2026), np.arange(10_000))
    return np.stack([counter_normals(keys, s, 3) for s in range(40)])


def test_normals_have_mean_0_variance_1_and_the_normal_law(sample):
    z = sample.ravel()
    N = z.size
    assert abs(z.mean()) <= 4 / math.sqrt(N)
    assert abs(z.var() - 1.0) <= 4 * math.sqrt(2 / N)
    assert stats.kstest(z, "norm").statistic <= 1.95 / math.sqrt(N)
    # each population on its own (the odd one uses the cosine and sine of a pair in turn)
    for p in range(3):
        zp = sample[:, p].ravel()
        assert abs(zp.mean()) <= 4 / math.sqrt(zp.size)
        assert stats.kstest(zp, "norm").statistic <= 1.95 / math.sqrt(zp.size)
    # tails: P(|Z| > 3) = 0.0027; the count is binomial, 4 standard deviations
    p3 = 2 * stats.norm.sf(3.0)
    assert abs(np.mean(np.abs(z) > 3.0) - p3) <= 4 * math.sqrt(p3 * (1 - p3) / N)


def test_normals_are_uncorrelated_across_steps_populations_and_paths(sample):
    def corr(a, b):
        a, b = a.ravel(), b.ravel()
        return float(np.corrcoef(a, b)[0, 1]), 4 / math.sqrt(a.size)

    pairs = [(sample[1:, p], sample[:-1, p]) for p in range(3)]        # step s, s + 1
    pairs += [(sample[:, 0], sample[:, 1]), (sample[:, 1], sample[:, 2]),
              (sample[:, 0], sample[:, 2])]                              # populations
    pairs += [(sample[:, :, 1:], sample[:, :, :-1])]                     # neighbouring paths
    # squares too: Box-Muller's cosine and sine share a radius, so their squares would
    # correlate if the pair were not independent normals
    pairs += [(sample[0::2, 2] ** 2, sample[1::2, 2] ** 2), (sample[:, 0] ** 2, sample[:, 1] ** 2)]
    for a, b in pairs:
        r, bound = corr(a, b)
        assert abs(r) <= bound, (r, bound)


def test_normals_depend_only_on_seed_path_step_and_population():
    keys = path_keys(seed_key(5), np.arange(100))
    a = counter_normals(keys, 11, 5)
    assert np.array_equal(a[:, 40:60], counter_normals(keys[40:60], 11, 5))
    assert not np.array_equal(a, counter_normals(path_keys(seed_key(6), np.arange(100)), 11, 5))
    assert not np.array_equal(a, counter_normals(keys, 12, 5))


def _reduced_case(n, m=150, P=2):
    rng = np.random.default_rng(n)
    A = rng.normal(scale=2.0, size=(P, n, 2**n))
    x = rng.random((m, n))
    X = np.empty((m, 2 * n))
    X[:, 0::2] = x
    X[:, 1::2] = 1.0 - x
    return difference_tensor(A, n), X, rng.integers(0, P, m)


@needs_numba
@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("form,scheme,sigma", [(0, 0, 0.8), (1, 0, 1.5), (1, 1, 1.5)],
                         ids=["simplex", "linear-euler", "linear-milstein"])
def test_compiled_kernel_is_the_reference_bit_for_bit(n, form, scheme, sigma):
    from gametheory_regen.dynamics.kernel_sde2 import run_chunk

    D, X0, pidx = _reduced_case(n)
    m = X0.shape[0]
    C = 40
    hs = np.full(C, 0.02)
    tends = 0.5 + np.cumsum(hs)
    rec = np.full(C, -1)
    rec[9::10] = np.arange(4)
    sigs = np.array([sigma, 0.5 * sigma])
    key, streams = seed_key(9), 100       # paths 100.. reuse the numbers of paths 0..
    res = []
    for compiled in (False, True):
        X = X0.copy()
        st = np.zeros(m, np.int64)
        tl = np.full(m, np.nan)
        out = np.full((m, 4, 2 * n), np.nan)
        if compiled:
            run_chunk(X, st, tl, 7, hs, tends, pidx, sigs, D, key, streams, form, scheme, out,
                      rec)
        else:
            reduced_chunk_np(X, st, tl, 7, hs, tends, pidx, sigs, D, form, scheme, out, rec,
                             keys=path_keys(key, np.arange(m) % streams))
        res.append((X, st, tl, out))
    for a, b in zip(*res, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    if form == 1:
        assert res[0][1].any()       # some paths left [0, 1] and were frozen alike


def _regeneration(backend, **kw):
    import gametheory_regen as gr
    from gametheory_regen.dynamics.numeric import payoff_tensor

    game = gr.Game.builtin("regeneration").with_scenario("jinsong")
    settings = dict(sigma=0.6, dt=0.01, paths=200, seed=4, backend=backend)
    settings.update(kw)
    return integrate_paths(payoff_tensor(game), [0.4, 0.6, 0.5, 0.5, 0.6, 0.4], game.shape,
                           2.0, Noise(**settings), n_points=5).output


def test_chunking_does_not_change_the_numpy_reference(monkeypatch):
    whole = _regeneration("numpy")
    monkeypatch.setattr(sde, "CHUNK_BYTES", 8 * 3 * 200 * 13)  # 13 steps per chunk
    assert np.array_equal(_regeneration("numpy"), whole, equal_nan=True)


@needs_numba
def test_one_thread_and_two_threads_give_the_same_bits():
    import hashlib

    here = hashlib.sha256(_regeneration("numba").tobytes()).hexdigest()
    code = ("import hashlib, sys; sys.path.insert(0, {tests!r}); "
            "from test_noise_counter import _regeneration; "
            "print(hashlib.sha256(_regeneration('numba').tobytes()).hexdigest())")
    env = dict(os.environ, NUMBA_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-c",
                           code.format(tests=os.path.dirname(os.path.abspath(__file__)))],
                          env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == here
    assert np.array_equal(_regeneration("numpy"), _regeneration("numba"), equal_nan=True)


@pytest.mark.parametrize("form,scheme", [(0, 0), (1, 0), (1, 1)],
                         ids=["simplex", "linear-euler", "linear-milstein"])
def test_reduced_step_is_the_full_coordinate_step_on_the_same_normals(form, scheme):
    # The same map in two coordinates (docs/noise.md): with the same normals the two schemes
    # differ by rounding only. Each step rounds about 20 operations (<= 20 eps), and an error
    # grows by at most 1 + h L per step, L = (1 + (n - 1)/2) max|D| + sigma^2 bounding the
    # step map's Lipschitz constant in the shares; hence the bound below.
    from gametheory_regen.dynamics.sde_step import sde_chunk_np

    rng = np.random.default_rng(11)
    n, m, C, h = 3, 400, 50, 0.01
    sigma = 0.7 if form == 0 else 0.3      # linear: most paths stay inside [0, 1]
    A = rng.uniform(-1.0, 1.0, size=(1, n, 2**n))
    D = difference_tensor(A, n)
    x = rng.uniform(0.2, 0.8, size=(m, n))
    X0 = np.empty((m, 2 * n))
    X0[:, 0::2] = x
    X0[:, 1::2] = 1.0 - x
    Z = rng.standard_normal((C, n, m))
    hs = np.full(C, h)
    args = (np.zeros(m, np.int64), np.array([sigma]))
    full, red = X0.copy(), X0.copy()
    st_f, st_r = np.zeros(m, np.int64), np.zeros(m, np.int64)
    sde_chunk_np(full, st_f, np.full(m, np.nan), Z, hs, np.cumsum(hs), *args, A, (2,) * n, 0,
                 0.0, form, scheme, np.zeros((m, 0, 2 * n)), np.full(C, -1))
    reduced_chunk_np(red, st_r, np.full(m, np.nan), 0, hs, np.cumsum(hs), *args, D, form,
                     scheme, np.zeros((m, 0, 2 * n)), np.full(C, -1), Z=Z)
    L = (1 + (n - 1) / 2) * np.abs(D).max() + sigma**2
    bound = C * 20 * np.finfo(float).eps * (1 + h * L) ** C
    inside = (st_f == 0) & (st_r == 0)
    assert np.array_equal(st_f, st_r) and inside.sum() > m // 2
    assert np.max(np.abs(full[inside] - red[inside])) <= bound

"""The integrator contracts payoffs relative to each population's last strategy.

Every dynamics the engine integrates depends on a population's payoffs only through their
differences (Sandholm, *Population Games and Evolutionary Dynamics*, 2010, ch. 5: the
replicator, BNN, Smith, logit and pairwise-comparison dynamics are invariant under adding a
constant to a population's payoffs; the replicator-mutator here adds uniform mutation, which
does not involve payoffs). So the engine contracts tensors rewritten for the differences
u_i - u_last and the shares but each population's last (``dynamics.contraction``), and the
compiled kernel repeats that arithmetic.

Checked here: the rewritten contraction against the sum over profiles
(``field.expected_payoffs_np``, the analysis layer's formula) within a rounding bound derived
below; every dynamics' velocity unchanged by the shift; the kernel's steps identical to the
numpy reference on shapes reaching each branch of the compiled contraction; end states
within the tolerance-derived distance of a DOP853 solution.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from gametheory_regen.dynamics.contraction import (
    own_entries,
    relative_payoffs_contracted,
    relative_plan,
    relative_tensors,
)
from gametheory_regen.dynamics.field import Dynamics, expected_payoffs_np, velocity_np
from gametheory_regen.dynamics.integrator import Integrator
from gametheory_regen.dynamics.kernels import Piece, integrate_pieces, layout_of

EPS = np.finfo(float).eps

SHAPES = [(2,), (5,), (3, 2), (2, 2, 2), (2, 3, 4), (4, 3, 2), (3, 3, 3, 3), (2,) * 6, (5, 6),
          (4, 4, 4), (2, 5, 3)]


def _states(counts, m, rng):
    x = np.concatenate([rng.dirichlet(np.ones(k), m) for k in counts], axis=1)
    x[:5] = np.concatenate([np.eye(k)[rng.integers(0, k, 5)] for k in counts], axis=1)
    return x


def _differences(u, offsets):
    out = np.empty_like(u)
    for p in range(len(offsets) - 1):
        a, b = offsets[p], offsets[p + 1]
        out[:, a:b] = u[:, a:b] - u[:, b - 1:b]
    return out


@pytest.mark.parametrize("counts", SHAPES, ids=str)
def test_relative_contraction_equals_differences_of_the_sum_over_profiles(counts):
    """Rounding bound. A rewritten coefficient is a +-1 combination of at most 2**n payoffs
    formed by n successive differences, so it is at most 2**n M in size (M = max |payoff|)
    and off by at most n 2**n eps M. The contraction evaluates a polynomial with at most K
    coefficients, each multiplied by at most n - 1 shares in [0, 1], through at most 2 K
    operations whose partial results are at most 2**n M: another 2 K 2**n eps M, plus the
    coefficient errors times a sum of share products at most 1 per axis level (K of them at
    most). The reference difference of two sums over profiles is off by at most
    2 (n + K) eps M (test_engine_spec)."""
    rng = np.random.default_rng(11)
    lay = layout_of(counts)
    n, K = lay.n_pops, lay.n_profiles
    x = _states(counts, 40, rng)
    for P in (1, 40):
        pay = rng.uniform(-3, 3, (P, n, K))
        rel = relative_tensors(pay, counts)
        got = relative_payoffs_contracted(x, rel, counts, lay.offsets)
        want = _differences(expected_payoffs_np(x, pay, counts, lay.profiles + lay.offsets[:-1]),
                            lay.offsets)
        M = np.abs(pay).max()
        bound = ((n + 2 * K) * 2**n * EPS + K * n * 2**n * EPS + 2 * (n + K) * EPS) * M
        assert np.abs(got - want).max() <= bound
        for p in range(n):  # the last strategy's entry is exactly 0; the padding is zero
            assert np.all(got[:, lay.offsets[p + 1] - 1] == 0.0)
            assert np.all(rel[:, p, own_entries(counts, p):] == 0.0)


def test_relative_plan_covers_each_tensor_exactly():
    """Each population's first contraction reads its whole rewritten tensor; the last leaves
    ``counts[p] - 1`` entries."""
    for counts in SHAPES[2:]:
        plan = relative_plan(counts)
        n = len(counts)
        for p in range(n):
            rows = plan[plan[:, 0] == p]
            assert len(rows) == n - 1
            _, _, outer, k, inner = rows[0]
            assert outer * k * inner == own_entries(counts, p)
            _, _, outer, k, inner = rows[-1]
            assert outer * inner == counts[p] - 1


_DYNAMICS = [Dynamics(), Dynamics("replicator_mutator", mutation=0.05),
             Dynamics("logit", temperature=0.3), Dynamics("bnn"), Dynamics("smith"),
             Dynamics("imitation", intensity=2.0)]


@pytest.mark.parametrize("dyn", _DYNAMICS, ids=lambda d: d.kind)
def test_every_dynamics_depends_on_payoff_differences_only(dyn):
    """The velocity from the payoffs and from the payoffs minus the last one agree to rounding:
    the shifted payoffs differ from the exact differences by at most 2 eps M (M = max |u|),
    and each formula sums at most 2 k terms of products of shares with payoff differences
    (logit: exp((u_i - u_max) / eta) moves by at most its argument's error; imitation:
    tanh(beta d / 2) by at most beta / 2 times d's error), so the two differ by at most
    16 k eps M times the dynamics' sensitivity (1 / eta for logit, beta for imitation)."""
    rng = np.random.default_rng(4)
    counts = (2, 3, 4, 5)
    lay = layout_of(counts)
    x = _states(counts, 200, rng)
    u = rng.uniform(-5, 5, x.shape)
    g = _differences(u, lay.offsets)
    scale = {"logit": 1 / 0.3, "imitation": 2.0}.get(dyn.kind, 1.0)
    a = velocity_np(x, u, lay.offsets, dyn.code, dyn.param)
    b = velocity_np(x, g, lay.offsets, dyn.code, dyn.param)
    assert np.abs(a - b).max() <= 16 * max(counts) * EPS * 10 * scale


# every branch of the compiled contraction: single axes of 1 to 5 strategies, two fused axes
# of 2, 3 and 4 strategies, three fused 2- or 3-strategy axes; shared and per-lane payoffs,
# slopes
@pytest.mark.parametrize("counts", [(2,) * 5, (3, 3, 3), (2, 4, 4), (3, 5, 2), (2, 2, 3, 3),
                                    (1, 2, 3), (2, 3, 3, 3), (3, 3, 3, 3)], ids=str)
def test_kernel_contracts_like_the_reference(counts):
    rng = np.random.default_rng(sum(counts))
    K = int(np.prod(counts))
    m = 64
    x0 = np.concatenate([rng.dirichlet(np.ones(k), m) for k in counts], axis=1)
    shared = rng.uniform(-1, 1, (1, len(counts), K))
    own = rng.uniform(-1, 1, (m, len(counts), K))
    slope = rng.uniform(-0.5, 0.5, own.shape)
    integ = Integrator(rtol=1e-8, atol=1e-10)
    for pieces in ([Piece(0.0, 12.0, shared)],
                   [Piece(0.0, 3.0, own, slope=slope), Piece(3.0, 12.0, own + 3.0 * slope)]):
        a = integrate_pieces(pieces, x0, counts, integrator=integ.replace(backend="numba"))
        b = integrate_pieces(pieces, x0, counts, integrator=integ.replace(backend="numpy"))
        assert a.backend == "numba" and b.backend == "numpy"
        assert np.array_equal(a.steps, b.steps) and np.array_equal(a.rejected, b.rejected)
        assert np.array_equal(a.state, b.state)


def _full_rhs(pay, counts):
    lay = layout_of(counts)
    gather = lay.profiles + lay.offsets[:-1]

    def f(_t, y):
        x = y[None, :]
        u = expected_payoffs_np(x, pay, counts, gather)
        return velocity_np(x, u, lay.offsets, 0, 0.0)[0]

    return f


@pytest.mark.parametrize("counts", [(2,) * 6, (3, 3, 3, 3), (4, 4, 4)], ids=str)
@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_end_states_agree_with_a_dop853_solution(counts, backend):
    """Against scipy's DOP853 on the full-coordinate replicator with the payoffs summed over
    profiles (rtol 1e-12, atol 1e-14), at t = 5 from starts inside the simplices. The engine at
    rtol 1e-10, atol 1e-12 must be within 1e-7 (a thousand local tolerances for the errors of
    its 50-100 steps and their growth, as in test_engine.test_batch_agrees_with_solve_ivp),
    and its error must follow the tolerance: at rtol 1e-7, atol 1e-9 it is larger (a
    rewritten field that were wrong would give the same error at both)."""
    rng = np.random.default_rng(21)
    K = int(np.prod(counts))
    pay = rng.uniform(-1, 1, (1, len(counts), K))
    x0 = np.concatenate([rng.dirichlet(np.ones(k) * 4, 8) for k in counts], axis=1)
    f = _full_rhs(pay, counts)
    ref = np.array([solve_ivp(f, (0.0, 5.0), x, method="DOP853", rtol=1e-12,
                              atol=1e-14).y[:, -1] for x in x0])
    errs = []
    for rtol in (1e-10, 1e-7):
        res = integrate_pieces([Piece(0.0, 5.0, pay)], x0, counts,
                               integrator=Integrator(rtol=rtol, atol=rtol / 100,
                                                     backend=backend))
        errs.append(np.abs(res.state - ref).max())
    assert errs[0] < 1e-7
    assert errs[0] < errs[1]

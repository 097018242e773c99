"""Property-based tests (hypothesis) of the replicator dynamics on random games.

Domain strategies first (payoff tables, simplex points), then one property per test.  The facts:

* vertices are rest points; faces of the product of simplices are invariant
  (Hofbauer & Sigmund 1998, section 10.1; a zero share has derivative x_i(...) = 0);
* the derivatives of the full shares of each population sum to zero
  (sum_i x_i (u_i - ubar) = ubar - ubar);
* the symbolic Jacobian equals central finite differences of the right-hand side (differential);
* at a vertex the eigenvalues are the payoff differences A_p(j, s_-p) - A_p(s) (Hofbauer & Sigmund
  1998, section 10.3), and so a vertex is asymptotically stable iff it is a strict Nash
  equilibrium (Ritzberger & Vogelsberger 1990; Selten 1980 for ESS = strict Nash);
* two populations with B = A^T started on the diagonal x = y follow the one-population replicator
  dynamics of A (the metamorphic property Nashpy's tests use; Taylor 1979).
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory_regen.analysis import Stability, analyze
from gametheory_regen.dynamics import replicator_system
from gametheory_regen.model import Game

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------------------ domain strategies
@st.composite
def shapes(draw, max_pops=3, max_k=3, max_profiles=18):
    n = draw(st.integers(2, max_pops))
    shape = tuple(draw(st.integers(2, max_k)) for _ in range(n))
    if int(np.prod(shape)) > max_profiles:
        shape = (2,) * n
    return shape


@st.composite
def games(draw, max_pops=3, max_k=3, payoff=st.integers(-6, 6), max_profiles=18):
    """A random n-population game with integer payoffs, as a Game and as a numpy tensor."""
    shape = draw(shapes(max_pops, max_k, max_profiles))
    n = len(shape)
    tensor = np.zeros((n, *shape), dtype=int)
    for profile in itertools.product(*(range(k) for k in shape)):
        for p in range(n):
            tensor[(p, *profile)] = draw(payoff)
    pops = [(f"p{p}", [f"s{p}_{i}" for i in range(k)]) for p, k in enumerate(shape)]
    table = {tuple(pops[p][1][i] for p, i in enumerate(profile)):
             tuple(int(tensor[(p, *profile)]) for p in range(n))
             for profile in itertools.product(*(range(k) for k in shape))}
    return Game.from_table("random", pops, table), tensor


@st.composite
def interior_points(draw, shape):
    """Full shares per population, each strictly inside its simplex (rationals)."""
    out = []
    for k in shape:
        w = [draw(st.integers(1, 20)) for _ in range(k)]
        out.append([sp.Rational(v, sum(w)) for v in w])
    return out


def reduced(shares):
    return [v for row in shares for v in row[:-1]]


def subs_of(system, shares):
    return dict(zip(system.flat_variables, reduced(shares), strict=True))


def vertex_shares(shape, profile):
    return [[sp.Integer(int(j == i)) for j in range(k)] for k, i in zip(shape, profile, strict=True)]


def payoff_differences(tensor, profile):
    out = []
    for p, i in enumerate(profile):
        for j in range(tensor.shape[p + 1]):
            if j != i:
                dev = list(profile)
                dev[p] = j
                out.append(int(tensor[(p, *dev)] - tensor[(p, *profile)]))
    return out


# ------------------------------------------------------------------------------ properties
@FAST
@given(games())
def test_vertices_are_rest_points(case):
    game, _ = case
    system = replicator_system(game)
    for profile in game.profiles():
        subs = subs_of(system, vertex_shares(game.shape, profile))
        assert all(e.xreplace(subs) == 0 for e in system.rhs)


@FAST
@given(st.data())
def test_full_share_derivatives_sum_to_zero(data):
    """The reduced right-hand sides plus the implied derivative of each last share, computed
    independently as x_k (u_k - ubar) from the expected payoffs, sum to zero per population."""
    game, _ = data.draw(games())
    system = replicator_system(game)
    shares = data.draw(interior_points(game.shape))
    subs = subs_of(system, shares)
    idx = 0
    for p, pop in enumerate(game.populations):
        u = [e.xreplace(subs) for e in system.payoffs[p]]
        ubar = sum(x * ui for x, ui in zip(shares[p], u, strict=True))
        full = [x * (ui - ubar) for x, ui in zip(shares[p], u, strict=True)]
        assert sum(full) == 0
        rhs = [system.rhs[idx + j].xreplace(subs) for j in range(pop.k - 1)]
        assert rhs == full[:-1]
        idx += pop.k - 1


@FAST
@given(st.data())
def test_faces_are_invariant(data):
    """A strategy with share zero keeps share zero: its derivative vanishes on that face."""
    game, _ = data.draw(games())
    system = replicator_system(game)
    shares = data.draw(interior_points(game.shape))
    p = data.draw(st.integers(0, game.n_populations - 1))
    j = data.draw(st.integers(0, game.shape[p] - 1))
    row = list(shares[p])
    row[j] = 0
    row = [v / sum(row) for v in row]
    shares[p] = row
    subs = subs_of(system, shares)
    start = sum(k - 1 for k in game.shape[:p])
    derivs = [system.rhs[start + i].xreplace(subs) for i in range(game.shape[p] - 1)]
    derivs.append(-sum(derivs))  # the last share's derivative
    assert derivs[j] == 0


@FAST
@given(st.data())
def test_symbolic_jacobian_equals_finite_differences(data):
    game, _ = data.draw(games())
    system = replicator_system(game)
    f = sp.lambdify([system.flat_variables], list(system.rhs), "numpy")
    jac = sp.lambdify([system.flat_variables], system.jacobian(), "numpy")
    point = np.array([float(v) for v in reduced(data.draw(interior_points(game.shape)))])
    exact = np.asarray(jac(point), float)
    h = 1e-6
    fd = np.empty_like(exact)
    for i in range(len(point)):
        e = np.zeros_like(point)
        e[i] = h
        fd[:, i] = (np.asarray(f(point + e), float) - np.asarray(f(point - e), float)) / (2 * h)
    scale = max(1.0, float(np.max(np.abs(exact))))
    assert np.max(np.abs(fd - exact)) <= 1e-7 * scale


@FAST
@given(games())
def test_vertex_eigenvalues_are_payoff_differences(case):
    game, tensor = case
    system = replicator_system(game)
    for profile in game.profiles():
        jv = system.jacobian().xreplace(subs_of(system, vertex_shares(game.shape, profile)))
        eig = sorted(int(v) for v, m in jv.eigenvals().items() for _ in range(m))
        assert eig == sorted(payoff_differences(tensor, profile))


@SLOW
@given(games(max_pops=3, max_k=3, payoff=st.integers(-3, 3), max_profiles=9))
def test_strict_nash_iff_stable_vertex(case):
    """Payoff comparison (here, independently) vs eigenvalue verdict (analyze).  Games up to
    3x3 or 2x2x2 keep the face solving fast; the vertex verdicts do not depend on it."""
    game, tensor = case
    analysis = analyze(game)
    assert analysis.consistent
    for v in analysis.vertices:
        profile = tuple(s[0] for s in v.support)
        diffs = payoff_differences(tensor, profile)
        strict = all(d < 0 for d in diffs)
        assert v.strict_nash == strict
        assert v.ess == strict
        assert v.nash == all(d <= 0 for d in diffs)
        assert (v.stability is Stability.STABLE) == strict
        if 0 in diffs:
            assert v.stability is Stability.NON_HYPERBOLIC
    assert all(r.kind == "vertex" for r in analysis.stable)


@FAST
@given(st.data())
def test_symmetric_two_population_game_reproduces_one_population_dynamics(data):
    """B = A^T: column's payoff at (i, j) is A[j, i].  On the diagonal x = y = q the two-population
    right-hand side equals the one-population replicator q_i ((Aq)_i - q'Aq) in both populations."""
    k = data.draw(st.integers(2, 4))
    A = np.array([[data.draw(st.integers(-6, 6)) for _ in range(k)] for _ in range(k)])
    names = [f"s{i}" for i in range(k)]
    table = {(names[i], names[j]): (int(A[i, j]), int(A[j, i]))
             for i in range(k) for j in range(k)}
    game = Game.from_table("sym", [("row", names), ("col", names)], table)
    system = replicator_system(game)
    q = data.draw(interior_points((k,)))[0]
    Aq = [sum(int(A[i, j]) * q[j] for j in range(k)) for i in range(k)]
    mean = sum(q[i] * Aq[i] for i in range(k))
    one_pop = [q[i] * (Aq[i] - mean) for i in range(k - 1)]
    rhs = [e.xreplace(subs_of(system, [q, q])) for e in system.rhs]
    assert rhs[: k - 1] == one_pop
    assert rhs[k - 1:] == one_pop


# --- shortcuts of the report, checked against the general computation they replace ----------

@settings(max_examples=20, deadline=None)
@given(st.sampled_from([(2, 2), (3, 2), (2, 2, 2), (3, 3)]), st.integers(0, 2**31 - 1))
def test_vertex_diagonal_is_the_jacobian_diagonal(counts, seed):
    """At a vertex the reduced Jacobian's diagonal is the deviation gains in variable order and
    holds all its eigenvalues (Hofbauer & Sigmund 1998, sec. 10.3); the symbolic report relies
    on it."""
    from gametheory_regen.analysis.equilibria import _reduced_subs, _vertex_diagonal
    from gametheory_regen.model import GameBuilder

    rng = np.random.default_rng(seed)
    b = GameBuilder("random")
    for p, k in enumerate(counts):
        b.population(f"p{p}", [f"s{j}" for j in range(k)])
    for prof in itertools.product(*(range(k) for k in counts)):
        b.payoff([f"s{j}" for j in prof],
                 [int(v) for v in rng.integers(-5, 6, size=len(counts))])
    game = b.build()
    system = replicator_system(game)
    tensors = game.payoff_tensors(numeric=True)
    for prof in game.profiles():
        exact = tuple(tuple(sp.Integer(1 if j == i else 0) for j in range(k))
                      for k, i in zip(counts, prof))
        jv = system.jacobian().xreplace(_reduced_subs(system, exact))
        n = jv.shape[0]
        diag = _vertex_diagonal(game, tensors, prof)
        assert [jv[i, i] for i in range(n)] == diag
        # block triangular with triangular blocks: the diagonal holds every eigenvalue
        lam = sp.Symbol("lam")
        char = (jv - lam * sp.eye(n)).det()
        assert sp.expand(char - sp.prod([d - lam for d in diag])) == 0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_exact_face_solutions_agree_with_a_numeric_solver(seed):
    """The exact face solver (Groebner basis, isolated real roots) finds exactly the positive
    solutions that many seeded Newton runs find, each satisfying the equations to 40 digits
    (multilinear equations like an interior face of a 2x2x2 game)."""
    from scipy.optimize import fsolve

    from gametheory_regen.analysis.polysolve import solve_exact

    rng = np.random.default_rng(seed)
    x, y, z = sp.symbols("x y z", real=True)
    eqs = [sum(sp.Rational(int(c), 4) * m for c, m in zip(rng.integers(-4, 5, size=4), pick))
           for pick in ([1, y, z, y * z], [1, x, z, x * z], [1, x, y, x * y])]
    sol = solve_exact(eqs, [x, y, z], [x, y, z])
    if sol is None or not sol.complete:
        return  # a continuum, or not in shape position: the caller takes another route
    for p in sol.points:
        for e in eqs:
            assert abs(complex(sp.N(e.subs(p), 50))) < 1e-40
    f = sp.lambdify([(x, y, z)], eqs)
    found = []
    for start in np.random.default_rng(1).uniform(0.01, 5, size=(200, 3)):
        r, info, ok, _ = fsolve(lambda v: f(v), start, full_output=True, xtol=1e-13)
        if ok == 1 and np.max(np.abs(f(r))) < 1e-10 and np.all(r > 1e-7):
            if not any(np.allclose(r, g, atol=1e-6) for g in found):
                found.append(r)
    exact = [np.array([float(p[v]) for v in (x, y, z)]) for p in sol.points]
    for r in found:  # every numeric root is among the exact ones
        assert any(np.allclose(r, e, atol=1e-6) for e in exact)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_derived_bounds_contain_every_value(seed):
    """Interval bounds of the regeneration model's derived expressions are sound: every value at
    a random point of the declared parameter box lies within them."""
    from gametheory_regen.analysis.conditions import derived_bounds
    from gametheory_regen.analysis.equilibria import _bounds, _derived_exprs

    game = Game.builtin("regeneration")
    bounds = _bounds(game)
    proven = derived_bounds(_derived_exprs(game), bounds)
    assert {s.name for s in proven} >= {"aT", "ak", "am", "aL", "vL", "trust_level"}
    rng = np.random.default_rng(seed)
    point = {}
    for sym, (lo, hi) in bounds.items():
        lo_f = float(lo) if lo is not None else -10.0
        hi_f = float(hi) if hi is not None else lo_f + 100.0
        point[sym] = sp.Float(float(np.clip(rng.uniform(lo_f, hi_f), lo_f, hi_f)), 30)
    for sym, expr in _derived_exprs(game).items():
        if sym not in proven:
            continue
        value = float(expr.xreplace(point))
        lo, hi = proven[sym]
        assert lo is None or value >= float(lo) - 1e-12
        assert hi is None or value <= float(hi) + 1e-12


def test_regeneration_vertices_that_can_never_be_stable():
    """With the annuity factor proven positive, (enable, stay_out, *) can never be stable: the
    government's gain from withholding, Ca + Cp*platform + aT*c_l*lease (+ the permits and
    ownerless-land costs Ca_x*no_permits + C_reg*ownerless), is never negative
    (the papers' "E3 can never be an ESS because ...")."""
    game = Game.builtin("regeneration").without_values()
    res = analyze(game)
    never = {r.state: r.conditions for r in res.rest_points if r.conditions.never}
    profiles = {tuple(game.populations[p].strategies[s.index(1)] for p, s in enumerate(state))
                for state in never}
    assert profiles == {("enable", "stay_out", "participate"),
                        ("enable", "stay_out", "stay_passive")}
    for cond in never.values():
        assert cond.reasons == ("eigenvalue C_reg*ownerless + Ca + Ca_x*no_permits + Cp*platform "
                                "+ aT*c_l*lease is never negative",)

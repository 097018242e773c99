"""Face systems from the payoff table (analysis/facepoly.py, facecertify.py) vs expressions.

Differential tests: the polynomials over QQ built from the rational payoff table must be the
very polynomials that substituting the face into the symbolic expected payoffs and expanding
gives (the expansion of a polynomial with rational coefficients is unique), with the same
multihomogeneous Bezout number and the same Groebner basis; the double-precision Krawczyk test
must agree with the mpmath.iv one it stands in front of, and both are checked against roots
known exactly.

Sources
-------
[Kra69]  Krawczyk, R. (1969), Newton-Algorithmen zur Bestimmung von Nullstellen mit
         Fehlerschranken, Computing 4:187-201.
[Neu90]  Neumaier, Interval Methods for Systems of Equations, Thm 5.1.8 (K(X) in int X: a
         unique zero in X).
[MM97]   McKelvey & McLennan (1997), J. Econ. Theory 72:411-425 (interior Bezout number of n
         populations of two strategies: the derangement number; 9 for n = 4).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing

from gametheory_regen.analysis.dominance import dominated_face, rational_table
from gametheory_regen.analysis.facebudget import faces_in_order
from gametheory_regen.analysis.facecertify import _krawczyk_float, krawczyk_polys
from gametheory_regen.analysis.facepoly import face_system, groebner_basis
from gametheory_regen.analysis.faces import _groups, face_equations
from gametheory_regen.analysis.polysolve import _jacobian, _krawczyk, bezout_bound
from gametheory_regen.dynamics.replicator import expected_payoffs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_rest_points import random_game  # noqa: E402


def _faces(game, limit):
    table = rational_table(game)
    out = []
    for face in faces_in_order(game.shape):
        if any(len(s) > 1 for s in face) and not dominated_face(face, table):
            out.append(face)
        if len(out) >= limit:
            break
    return table, out


@pytest.mark.parametrize("n, k, seed", [(3, 3, 1), (4, 2, 1), (2, 4, 3), (3, 4, 1)],
                         ids=["3x3", "4x2", "2x4", "3x4"])
def test_table_polynomials_are_the_expanded_face_equations(n, k, seed):
    """The same canonical expressions (args and all) and Bezout numbers as the substitution
    route of faces.face_equations / polysolve.bezout_bound, face by face."""
    game = random_game(n, k, seed)
    payoffs = expected_payoffs(game)
    table, faces = _faces(game, 60)
    checked = 0
    for face in faces:
        system = face_system(game, table, face)
        expected = face_equations(game, payoffs, face, system.shares)
        got = system.exprs()
        assert got == expected, face
        assert [e.args for e in got] == [e.args for e in expected], face
        nonzero = [e for e in expected if e != 0]
        if nonzero and not any(e.is_number for e in nonzero):
            assert system.bezout_bound() == bezout_bound(
                nonzero, _groups(face, system.unknowns)), face
            checked += 1
    assert checked > 10


def test_interior_bezout_number_of_four_populations_is_nine():
    """[MM97]: the derangement number of 4."""
    game = random_game(4, 2, 3)
    system = face_system(game, rational_table(game), ((0, 1),) * 4)
    assert system.bezout_bound() == 9


@pytest.mark.parametrize("n, k, seed", [(3, 3, 1), (4, 3, 1)], ids=["3x3", "4x3"])
def test_groebner_basis_is_sympys(n, k, seed):
    """The ring route gives sympy.groebner's basis of the expressions, and the same lex basis
    after FGLM."""
    game = random_game(n, k, seed)
    table, faces = _faces(game, 200)
    checked = 0
    for face in faces:
        system = face_system(game, table, face)
        polys = [p for p in system.polys if p]
        if not polys or any(p.is_ground for p in polys) or system.linear or \
                system.bezout_bound() > 10:
            continue
        exprs = [e for e in system.exprs() if e != 0]
        g1 = sp.groebner(exprs, *system.unknowns, order="grevlex")
        g2 = groebner_basis(polys, system.unknowns, system.domain())
        assert g1.exprs == g2.exprs, face
        if g1.is_zero_dimensional:
            assert g1.fglm("lex").exprs == g2.fglm("lex").exprs, face
        checked += 1
        if checked >= 12:
            break
    assert checked >= 5


def _ring2():
    u, v = sp.symbols("u v")
    R = PolyRing((u, v), sp.QQ, lex)
    return R, R.gens


def test_krawczyk_float_certifies_a_known_root_and_rejects_a_non_root():
    """[Kra69, Neu90]: u v = 1/4, u = v has the root (1/2, 1/2) in the open quadrant: certified;
    the test proves nothing at a point that is not a root."""
    R, (u, v) = _ring2()
    F = [u * v - sp.QQ(1, 4), u - v]
    J = [[f.diff(g) for g in (u, v)] for f in F]
    assert _krawczyk_float(F, J, [u, v], np.array([0.5, 0.5])) == "inside"
    assert _krawczyk_float(F, J, [u, v], np.array([0.5, 0.6])) is None
    # the root (1/2, 1/2) where the second "share" 1/2 - u is 0 on it: outside the open face
    assert _krawczyk_float(F, J, [u, sp.QQ(1, 2) - u], np.array([0.5, 0.5])) == "outside"


def test_krawczyk_float_and_mpmath_agree_on_a_random_games_numeric_faces():
    """The double-interval test and the mpmath.iv test (polysolve._krawczyk, on the
    expressions) give the same verdict at Newton roots of a random 3x4 game's non-linear faces
    (any face can take the numeric route)."""
    from gametheory_regen.analysis.facepoly import solve_numeric_polys
    from gametheory_regen.analysis.polysolve import dirichlet_starts

    game = random_game(3, 4, 1)
    table, faces = _faces(game, 400)
    compared = 0
    for face in faces:
        system = face_system(game, table, face)
        polys = [p for p in system.polys if p]
        if not polys or any(p.is_ground for p in polys) or system.linear:
            continue
        gen = dirichlet_starts([len(s) for s in face if len(s) > 1])
        sol = solve_numeric_polys(polys, system, gen, starts=16)
        jac = [[p.diff(g) for g in system.ring.gens] for p in polys]
        exprs = [p.as_expr() for p in polys]
        jac_expr = _jacobian(exprs, system.unknowns)
        shares = [h.as_expr() for h in system.share_polys]
        for point in sol.points:
            x = np.array([point[u] for u in system.unknowns])
            quick = _krawczyk_float(polys, jac, system.share_polys, x)
            slow = _krawczyk(exprs, jac_expr, system.unknowns, shares, x)
            assert quick == slow, (face, x)
            assert krawczyk_polys(polys, jac, system.share_polys, x) == slow
            compared += 1
        if compared >= 20:
            break
    assert compared >= 10


# ----------------------------------------------------------------- exact classification helpers
def test_charpoly_factors_per_block_are_those_of_the_whole_polynomial():
    """Factorisation over QQ is unique: factoring the diagonal blocks of the block-triangular
    form separately gives the factors (with multiplicity) of the whole characteristic
    polynomial, on random sparse rational matrices (repeated diagonal entries included)."""
    import random

    from gametheory_regen.analysis.eigen import _LAMBDA, _charpoly_factors

    rnd = random.Random(2)
    for _ in range(150):
        n = rnd.randint(1, 7)
        m = sp.zeros(n, n)
        for i in range(n):
            for j in range(n):
                if i == j or rnd.random() < 0.35:
                    m[i, j] = sp.Rational(rnd.randint(-5, 5), rnd.choice([1, 1, 2, 3, 7]))
        if n > 1 and rnd.random() < 0.3:
            m[0, 0] = m[n - 1, n - 1]
        whole = sp.Poly(m.charpoly(_LAMBDA).as_expr(), _LAMBDA, domain="QQ").factor_list()[1]
        assert dict(_charpoly_factors(m)) == dict(whole), m


def test_exact_jacobian_and_payoffs_at_a_rational_point_match_substitution():
    """The shared-monomial integer evaluation gives the rationals that substituting the point
    into the symbolic Jacobian and payoffs gives (a polynomial has one value at a point)."""
    import random

    from gametheory_regen.analysis.jacobian_eval import jacobian_at, payoffs_at
    from gametheory_regen.dynamics.replicator import replicator_system

    game = random_game(3, 3, 4)
    system = replicator_system(game, numeric=True)
    payoffs = expected_payoffs(game, numeric=True)
    rnd = random.Random(1)
    for _ in range(3):
        subs = {v: sp.Rational(rnd.randint(0, 50), rnd.randint(51, 97))
                for v in system.flat_variables}
        assert jacobian_at(system, subs) == system.jacobian().xreplace(subs).applyfunc(sp.expand)
        assert payoffs_at(system, payoffs, subs) == [[sp.expand(e.xreplace(subs)) for e in row]
                                                     for row in payoffs]


def test_payoffs_at_a_partly_irrational_point_match_substitution():
    """At a point with 0/1 coordinates for some populations and 50-digit or radical ones for
    others: exact rationals exactly where substitution gives rationals, and otherwise values
    that agree with the substitution to 30 digits."""
    from gametheory_regen.analysis.jacobian_eval import payoffs_at
    from gametheory_regen.dynamics.replicator import replicator_system

    game = random_game(3, 3, 4)
    system = replicator_system(game, numeric=True)
    payoffs = expected_payoffs(game, numeric=True)
    xs = system.flat_variables
    points = [
        {xs[0]: sp.Integer(1), xs[1]: sp.Integer(0), xs[2]: sp.Float("0.3141592653589793238", 50),
         xs[3]: sp.Float("0.2718281828459045235", 50), xs[4]: sp.Integer(0),
         xs[5]: sp.Integer(1)},
        {xs[0]: sp.Integer(0), xs[1]: sp.Integer(0), xs[2]: (sp.sqrt(2) - 1) / 2,
         xs[3]: sp.Rational(1, 3), xs[4]: sp.Rational(2, 7), xs[5]: 1 - sp.sqrt(2) / 2},
    ]
    for subs in points:
        got = payoffs_at(system, payoffs, subs, mixed=True)
        for row_got, row in zip(got, payoffs, strict=True):
            for value, expr in zip(row_got, row, strict=True):
                expected = expr.xreplace(subs)
                assert value.is_Rational == expected.is_Rational
                if expected.is_Rational:
                    assert value == expected
                else:
                    assert abs(value - sp.N(expected, 40)) < sp.Float("1e-29")

"""Every rest point, deterministically: the work budget, the exact route, certification, flags.

Sources
-------
[MM97]   McKelvey, R. D. & McLennan, A. (1997), The maximal number of regular totally mixed Nash
         equilibria, J. Econ. Theory 72:411-425 (n players with two strategies: at most the
         number of derangements of n totally mixed equilibria: 1, 2, 9, 44 for n = 2..5, the
         multihomogeneous Bezout number of the interior face).
[CLO15]  Cox, Little & O'Shea, Ideals, Varieties, and Algorithms, 4th ed. (the shape lemma).
[Neu90]  Neumaier, Interval Methods for Systems of Equations (Krawczyk's test, Thm 5.1.8).
"""

from __future__ import annotations

import json
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import fsolve

from gametheory_regen.analysis import analyze
from gametheory_regen.analysis import faces as faces_mod
from gametheory_regen.analysis.faces import _face_unknowns, _share_exprs, face_equations
from gametheory_regen.analysis.polysolve import bezout_bound, solve_exact, solve_numeric
from gametheory_regen.dynamics.replicator import expected_payoffs
from gametheory_regen.presentation.report import (
    render_json,
    render_latex,
    render_markdown,
    render_text,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_rest_points import random_game  # noqa: E402


@pytest.mark.parametrize("n, bound", [(2, 1), (3, 2), (4, 9), (5, 44)])
def test_interior_bezout_bound_is_the_derangement_number(n, bound):
    """[MM97]: the interior face of an n-population game of two strategies has multihomogeneous
    Bezout number D(n) (derangements); the work budget is this number."""
    game = random_game(n, 2, 3)
    face = ((0, 1),) * n
    unknowns, shares = _face_unknowns(game, face)
    eqs = face_equations(game, expected_payoffs(game), face, shares)
    assert bezout_bound(eqs, [[u] for u in unknowns]) == bound


def test_4x2_interior_point_that_solve_poly_system_misses():
    """Issue 10: on this random 4x2 game (payoffs uniform in [-1, 1] to 3 decimals, seed 1)
    ``sympy.solve_poly_system`` returns [] for the interior face (degree-9 eliminant), which
    the former code read as "no rest point".  The exact route finds the interior point; it
    solves the equations to 40 digits, and 400 seeded Newton runs find no other root in the
    open face."""
    game = random_game(4, 2, 1)
    face = ((0, 1),) * 4
    unknowns, shares = _face_unknowns(game, face)
    eqs = face_equations(game, expected_payoffs(game), face, shares)
    sol = solve_exact(eqs, unknowns, _share_exprs(shares, face))
    assert sol.complete and len(sol.points) == 1
    (p,) = sol.points
    for e in eqs:
        assert abs(sp.N(e.xreplace(p), 50)) < 1e-40
    f = sp.lambdify([unknowns], eqs)
    exact = np.array([float(p[u]) for u in unknowns])
    rng = np.random.default_rng(0)
    for start in rng.uniform(0, 1, size=(400, 4)):
        r, _, ok, _ = fsolve(lambda v: f(v), start, full_output=True, xtol=1e-13)
        if ok == 1 and np.max(np.abs(f(r))) < 1e-10 and np.all((r > 1e-9) & (r < 1 - 1e-9)):
            assert np.allclose(r, exact, atol=1e-7)
    res = analyze(game)
    assert res.complete
    interior = [r for r in res.rest_points if r.kind == "interior"]
    assert len(interior) == 1 and np.allclose([s[0] for s in interior[0].state], exact)


def test_same_report_on_any_thread_and_with_any_time_budget():
    """One input gives one report: on a worker thread (where SIGALRM never worked) and with the
    deprecated ``time_budget`` (ignored, with a DeprecationWarning)."""
    game = random_game(3, 2, 5)
    main = render_json(analyze(game))
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", render_json(analyze(game))))
    t.start()
    t.join()
    assert out["r"] == main
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert render_json(analyze(game, time_budget=1e-9)) == main
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_face_beyond_the_budget_is_flagged_in_every_format(monkeypatch):
    """A face beyond the exact work budget is solved by certified Newton and said to be "not
    proven complete" in text, markdown, LaTeX and JSON; its point is the exact one."""
    game = random_game(3, 2, 5)
    exact = analyze(game)
    monkeypatch.setattr(faces_mod, "EXACT_MAX_SOLUTIONS", 1)
    res = analyze(game)
    assert not res.complete and res.incomplete_faces
    for text in (render_text(res), render_markdown(res), render_latex(res)):
        assert "not proven complete" in text
    data = json.loads(render_json(res))
    assert data["analysis"]["complete"] is False
    assert "not proven complete" in data["analysis"]["incomplete_faces"][0]["summary"]
    numeric = sorted(r.state for r in res.rest_points if r.kind == "interior")
    want = sorted(r.state for r in exact.rest_points if r.kind == "interior")
    assert len(numeric) == len(want)
    for a, b in zip(numeric, want):
        assert np.allclose(np.array(a), np.array(b), atol=1e-9)
    assert all(r.method == "numeric" for r in res.rest_points if r.kind == "interior")


def test_krawczyk_certifies_on_residual_not_solver_flag():
    """[Neu90] A root is kept when the interval test proves a unique root near it, whatever a
    solver reports: here a double-precision Newton start lands on the root of
    x^3 - 2 = 0, y = x (cube root of 2), certified."""
    x, y = sp.symbols("x y", real=True)
    sol = solve_numeric([x**3 - 2, y - x], [x, y], [x, y], lambda rng, m: rng.random((m, 2)) + 0.5)
    assert len(sol.points) == 1 and sol.certified == [True]
    assert float(sol.points[0][x]) == pytest.approx(2 ** (1 / 3), rel=1e-14)
    assert not sol.complete


# ---------------------------------------------------------------------------- issue 12: bounded
def test_dominated_faces_hold_no_rest_point():
    """Every face that analysis.dominance declares empty is empty by the solver too (its own
    route: equations, exact Groebner basis or linear algebra), on a random 4x2 game and a
    degenerate 3x3 coordination game (ties everywhere, continua on many faces)."""
    from gametheory_regen.analysis.dominance import dominated_face, rational_table
    from gametheory_regen.analysis.facebudget import faces_in_order
    from gametheory_regen.analysis.faces import solve_face
    from gametheory_regen.model import Game

    coord = Game.from_table("c", [("a", ["s", "t", "u"]), ("b", ["s", "t", "u"])],
                            {(s, s): (1, 1) for s in ("s", "t", "u")})
    checked = 0
    for game in (random_game(4, 2, 1), coord):
        table = rational_table(game)
        payoffs = expected_payoffs(game, numeric=True)
        for face in faces_in_order(game.shape):
            if dominated_face(face, table):
                states, continua, _info = solve_face(game, payoffs, face)
                assert states == [] and continua == [], face
                checked += 1
    assert checked > 40


def test_pruning_keeps_every_rest_point(monkeypatch):
    """The analysis with and without the dominance pruning finds the same rest points and
    continua (random 4x2 game; 6x6 coordination is the same argument at scale)."""
    import gametheory_regen.analysis.equilibria as eq

    game = random_game(4, 2, 2)
    pruned = analyze(game)
    monkeypatch.setattr(eq, "dominated_face", lambda face, table: False)
    full = analyze(game)
    assert [r.state for r in pruned.rest_points] == [r.state for r in full.rest_points]
    assert [str(r.stability) for r in pruned.rest_points] == \
        [str(r.stability) for r in full.rest_points]
    assert pruned.continua == full.continua and pruned.complete and full.complete


def test_faces_in_order_is_the_sorted_enumeration():
    """The lazy generator visits the faces of the former sorted list, in the same order."""
    import itertools

    from gametheory_regen.analysis.facebudget import face_count, faces_in_order
    from gametheory_regen.analysis.faces import _subsets

    for shape in [(2, 2), (3, 3, 3), (2, 4, 3), (4, 1, 2), (5, 3)]:
        faces = [f for f in itertools.product(*(_subsets(k) for k in shape))
                 if any(len(s) > 1 for s in f)]
        faces.sort(key=lambda f: (sum(len(s) for s in f), f))
        assert list(faces_in_order(shape)) == faces
        assert face_count(shape) == len(faces)


def test_face_work_count_bounds_the_search_and_says_so():
    """With a small `face_work` the search stops at a face (the same one on every run), the
    rest points found are a subset of the full set, and the analysis is not complete; the note
    is in every format and the JSON counts the unsearched faces."""
    from gametheory_regen import limits

    game = random_game(4, 2, 1)
    with limits.overridden(face_work=60):
        part = analyze(game)
        again = analyze(game)
    assert part.unsearched_faces > 0 and not part.complete
    assert part.unsearched_faces == again.unsearched_faces
    assert [r.state for r in part.rest_points] == [r.state for r in again.rest_points]
    full = analyze(random_game(4, 2, 1))
    assert full.unsearched_faces == 0 and full.complete
    assert {r.state for r in part.rest_points} <= {r.state for r in full.rest_points}
    for text in (render_text(part), render_markdown(part), render_latex(part)):
        assert "faces not searched" in text
    data = json.loads(render_json(part))
    assert data["analysis"]["unsearched_faces"] == part.unsearched_faces
    assert data["analysis"]["complete"] is False


def test_vertex_gain_spectrum_equals_the_jacobian_route(monkeypatch):
    """Hofbauer & Sigmund (1998), sec. 10.3: at a vertex the reduced Jacobian is triangular with
    the deviation gains on its diagonal.  Beyond VERTEX_JACOBIAN_ENTRIES the report uses the
    gains; both routes give the same exact eigenvalues, in the same order."""
    import gametheory_regen.analysis.equilibria as eq

    game = random_game(4, 2, 4)
    full = analyze(game)
    monkeypatch.setattr(eq, "VERTEX_JACOBIAN_ENTRIES", 0)
    gains = analyze(game)
    for a, b in zip(full.vertices, gains.vertices, strict=True):
        assert a.spectrum.exact == b.spectrum.exact and a.spectrum.signs == b.spectrum.signs
        assert a.stability == b.stability
    assert any("deviation gains" in n for n in gains.notes)


def test_jacobian_at_equals_symbolic_substitution():
    """analysis.jacobian_eval evaluates the same Jacobian as Matrix.xreplace: exactly at
    rational points, to 35 digits at 40-digit points."""
    from gametheory_regen.analysis.jacobian_eval import jacobian_at
    from gametheory_regen.dynamics.replicator import replicator_system

    game = random_game(3, 3, 6)
    system = replicator_system(game, numeric=True)
    rng = np.random.default_rng(0)
    for _ in range(3):
        vals = [sp.Rational(int(a), 97) for a in rng.integers(1, 40, len(system.flat_variables))]
        subs = dict(zip(system.flat_variables, vals, strict=True))
        assert jacobian_at(system, subs) == system.jacobian().xreplace(subs)
        floats = {k: sp.Float(sp.N(v + sp.sqrt(2) / 1000, 40), 40) for k, v in subs.items()}
        fast = jacobian_at(system, floats)
        slow = system.jacobian().xreplace(floats)
        assert all(abs(a - b) < sp.Float("1e-35") for a, b in zip(fast, slow, strict=True))

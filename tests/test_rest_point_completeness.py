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

"""Known results about textbook games, each with its source.

Every case states the closed form it checks and where it comes from.  Where the source gives the
game but not the number (an eigenvalue, a share), the closed form is derived by hand in the case's
docstring from the replicator equations dx/dt = x(1-x)(u_1 - u_2) (DESIGN.md, Conventions).

Sources
-------
[HS98]   Hofbauer, J. & Sigmund, K. (1998), Evolutionary Games and Population Dynamics, Cambridge UP,
         ch. 10 (bimatrix games; matching pennies has an interior centre, section 10.3).
[LR57]   Luce, R. D. & Raiffa, H. (1957), Games and Decisions, Wiley, ch. 5 (battle of the sexes).
[MS82]   Maynard Smith, J. (1982), Evolution and the Theory of Games, Cambridge UP, ch. 8
         (asymmetric contests, owner / intruder hawk-dove).
[Sel80]  Selten, R. (1980), A note on evolutionarily stable strategies in asymmetric animal
         conflicts, J. Theor. Biol. 84:93-101 (in asymmetric contests an ESS is a strict Nash
         equilibrium, hence pure).
[Jor93]  Jordan, J. S. (1993), Three problems in learning mixed-strategy Nash equilibria, Games and
         Economic Behavior 5:368-386 (three-player matching pennies).
[San10]  Sandholm, W. (2010), Population Games and Evolutionary Dynamics, MIT Press, ex. 9.1.2
         (rock-paper-scissors).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from gametheory_regen.analysis import Stability, analyze
from gametheory_regen.dynamics import replicator_system
from gametheory_regen.model import Game, GameBuilder
from gametheory_regen.presentation.cli import main

I = sp.I  # noqa: E741  (sympy's imaginary unit, only in expected eigenvalues)


def _interior(analysis):
    points = [r for r in analysis.rest_points if r.kind == "interior"]
    assert len(points) == 1, [r.state for r in points]
    return points[0]


def _exactly_equal_multiset(got, expected) -> bool:
    """Exact (symbolic) multiset equality of eigenvalues."""
    rest = list(expected)
    for g in got:
        for j, e in enumerate(rest):
            if sp.simplify(g - e) == 0:
                rest.pop(j)
                break
        else:
            return False
    return not rest


# ------------------------------------------------------------------------------ matching pennies
@pytest.mark.parametrize("a", [1, 3, sp.Rational(1, 2)], ids=["a=1", "a=3", "a=1/2"])
def test_matching_pennies_interior_centre(a):
    """[HS98] section 10.3: the centre (1/2, 1/2) is surrounded by closed orbits.

    Hand derivation: dx = x(1-x) 2a(2y-1), dy = -y(1-y) 2a(2x-1); at (1/2, 1/2) the Jacobian is
    [[0, a], [-a, 0]] with eigenvalues exactly +-a i: non-hyperbolic, never "stable".
    """
    game = Game.builtin("matching_pennies").with_values({"a": a})
    centre = _interior(analyze(game))
    assert np.allclose(centre.state, [[0.5, 0.5], [0.5, 0.5]], rtol=0, atol=1e-15)
    assert centre.exact_state == ((sp.Rational(1, 2), sp.Rational(1, 2)),) * 2
    assert _exactly_equal_multiset(centre.spectrum.exact, [sp.Rational(a) * I, -sp.Rational(a) * I])
    assert centre.spectrum.method == "exact"
    assert centre.spectrum.signs == (0, 0)
    assert centre.stability is Stability.NON_HYPERBOLIC
    assert str(centre.stability) == "non-hyperbolic"
    assert not centre.certainly_unstable
    assert centre.nash is True
    assert centre.strict_nash is False
    assert centre.ess is False


def test_matching_pennies_vertices_are_saddles():
    """[HS98] section 10.3: no pure Nash equilibrium; each vertex has eigenvalues -2a and +2a
    (the payoff differences of the two populations' deviations), hence a saddle."""
    analysis = analyze(Game.builtin("matching_pennies"))
    assert len(analysis.vertices) == 4
    for v in analysis.vertices:
        assert _exactly_equal_multiset(v.spectrum.exact, [-2, 2])
        assert v.stability is Stability.SADDLE
        assert v.nash is False and v.strict_nash is False and v.ess is False
        assert v.conditions.as_strings() == ["False"]
    assert analysis.stable == ()
    assert analysis.continua == ()
    assert analysis.consistent


# ------------------------------------------------------------------------------ interior saddles
@dataclass(frozen=True)
class SaddleCase:
    model: str
    values: dict
    state: tuple            # expected exact interior state (first shares)
    eig: sp.Expr            # the interior eigenvalues are +-eig
    stable_vertices: tuple  # profiles (strategy names) that are stable strict Nash vertices
    source: str


def _bos(a, b):
    """[LR57], dynamics [HS98] ch. 10.  Woman x = share at the opera, man y.
    Indifference: man x*b = (1-x)*a -> x = a/(a+b); woman y*a = (1-y)*b -> y = b/(a+b).
    Jacobian [[0, x(1-x)(a+b)], [y(1-y)(a+b), 0]] with x(1-x) = y(1-y) = ab/(a+b)^2:
    eigenvalues +-ab/(a+b)."""
    a, b = sp.Rational(a), sp.Rational(b)
    return SaddleCase("battle_of_sexes", {"a": a, "b": b}, (a / (a + b), b / (a + b)),
                      a * b / (a + b), (("opera", "opera"), ("football", "football")), "LR57")


def _hd(v, c):
    """[MS82] ch. 8, [Sel80].  Owner x = share of hawks, intruder y.  Indifference:
    x(V-C)/2 + (1-x)V = (1-x)V/2 -> x = V/C (likewise y).  Jacobian off-diagonal entries
    -x(1-x)C/2 = -V(C-V)/(2C): eigenvalues +-V(C-V)/(2C)."""
    v, c = sp.Rational(v), sp.Rational(c)
    return SaddleCase("hawk_dove", {"V": v, "C": c}, (v / c, v / c), v * (c - v) / (2 * c),
                      (("hawk", "dove"), ("dove", "hawk")), "MS82, Sel80")


SADDLES = [
    pytest.param(_bos(2, 1), id="battle-of-sexes-a2-b1-interior-saddle"),
    pytest.param(_bos(1, 2), id="battle-of-sexes-a1-b2-interior-saddle"),
    pytest.param(_bos(3, 5), id="battle-of-sexes-a3-b5-interior-saddle"),
    pytest.param(_bos(1, 1), id="battle-of-sexes-a1-b1-interior-saddle"),
    pytest.param(_bos(Fraction(7, 2), 1), id="battle-of-sexes-a3.5-b1-interior-saddle"),
    pytest.param(_hd(2, 4), id="hawk-dove-V2-C4-interior-saddle"),
    pytest.param(_hd(1, 3), id="hawk-dove-V1-C3-interior-saddle"),
    pytest.param(_hd(3, 5), id="hawk-dove-V3-C5-interior-saddle"),
    pytest.param(_hd(Fraction(1, 2), 7), id="hawk-dove-V0.5-C7-interior-saddle"),
]


@pytest.mark.parametrize("case", SADDLES)
def test_interior_saddle_and_stable_strict_nash_vertices(case: SaddleCase):
    game = Game.builtin(case.model).with_values(case.values)
    analysis = analyze(game)
    centre = _interior(analysis)
    x, y = case.state
    assert centre.exact_state == ((x, 1 - x), (y, 1 - y))
    assert centre.state[0][0] == pytest.approx(float(x), rel=1e-15)
    assert centre.state[1][0] == pytest.approx(float(y), rel=1e-15)
    assert _exactly_equal_multiset(centre.spectrum.exact, [case.eig, -case.eig])
    assert centre.stability is Stability.SADDLE
    assert centre.nash is True and centre.strict_nash is False
    # the stable rest points are exactly the strict Nash vertices [Sel80]
    stable = {game.profile_names(tuple(s[0] for s in r.support)) for r in analysis.stable}
    assert stable == set(case.stable_vertices)
    for profile in case.stable_vertices:
        v = analysis.vertex(profile)
        assert v.stability is Stability.STABLE
        assert v.nash and v.strict_nash and v.ess
    assert all(r.kind == "vertex" for r in analysis.stable)
    assert analysis.continua == ()
    assert analysis.consistent


@pytest.mark.parametrize(
    "a,b", [(2, 1), (3, 5), (1, 4)], ids=["a2-b1", "a3-b5", "a1-b4"])
def test_battle_of_sexes_interior_via_cli_set(a, b, capsys):
    """[LR57]: the interior point (a/(a+b), b/(a+b)) also when the values come from --set."""
    status = main(["report", "battle_of_sexes", "--set", f"a={a}", "--set", f"b={b}",
                   "--format", "json"])
    out = capsys.readouterr().out
    assert status == 0
    data = json.loads(out)
    assert data["parameters"] == {"a": a, "b": b}
    interior = [r for r in data["rest_points"] if r["kind"] == "interior"]
    assert len(interior) == 1
    state = interior[0]["state"]
    assert state["woman"][0] == pytest.approx(a / (a + b), rel=1e-14)
    assert state["man"][0] == pytest.approx(b / (a + b), rel=1e-14)
    assert interior[0]["stability"] == "saddle"
    eig = sorted(re for re, im in interior[0]["eigenvalues"])
    assert eig == pytest.approx([-a * b / (a + b), a * b / (a + b)], rel=1e-14)


def test_hawk_dove_vertex_eigenvalues_are_payoff_differences():
    """[MS82] ch. 8 with V=2, C=4: (hawk, hawk) has eigenvalues (C-V)/2 = 1 twice (unstable),
    (dove, dove) V/2 = 1 twice (unstable), (hawk, dove) -V/2 and (V-C)/2 (stable)."""
    analysis = analyze(Game.builtin("hawk_dove"))
    expected = {("hawk", "hawk"): ([1, 1], Stability.UNSTABLE),
                ("dove", "dove"): ([1, 1], Stability.UNSTABLE),
                ("hawk", "dove"): ([-1, -1], Stability.STABLE),
                ("dove", "hawk"): ([-1, -1], Stability.STABLE)}
    for profile, (eigs, word) in expected.items():
        v = analysis.vertex(profile)
        assert _exactly_equal_multiset(v.spectrum.exact, eigs), profile
        assert v.stability is word


# ------------------------------------------------------------------------------ rock-paper-scissors
def test_rock_paper_scissors_barycentre():
    """[HS98] ch. 10, [San10] ex. 9.1.2.  Bimatrix zero-sum RPS, B = -A with A antisymmetric and
    A 1 = 0.  At the barycentre J = (1/3)[[0, A], [A, 0]] on the tangent spaces, so
    lambda^2 = eig(A^2)/9 = -3/9: eigenvalues +-i/sqrt(3), each twice.  Non-hyperbolic."""
    analysis = analyze(Game.builtin("rock_paper_scissors"))
    centre = _interior(analysis)
    third = sp.Rational(1, 3)
    assert centre.exact_state == ((third,) * 3, (third,) * 3)
    w = I / sp.sqrt(3)
    assert _exactly_equal_multiset(centre.spectrum.exact, [w, w, -w, -w])
    assert centre.spectrum.signs == (0, 0, 0, 0)
    assert centre.stability is Stability.NON_HYPERBOLIC
    assert centre.nash is True and centre.strict_nash is False
    assert all(v.stability is Stability.SADDLE for v in analysis.vertices)
    assert analysis.stable == ()


def test_rock_paper_scissors_boundary_centres():
    """Hand derivation.  On the face {R,P} x {R,S} the game restricts to a 2x2 game of
    matching-pennies type (row: R earns (0, 1), P earns (1, -1) against column R, S; column:
    R earns (0, -1), S earns (-1, 1) against row R, P), whose centre is x = (2/3, 1/3, 0),
    y = (2/3, 0, 1/3).  There, the unused strategies give the transverse eigenvalues
    u_S - u_R = -1 (row) and u_P - u_R = +1 (column), the in-face pair is +-2i/3.
    The six such points (one per face of this type) are non-hyperbolic and certainly unstable."""
    analysis = analyze(Game.builtin("rock_paper_scissors"))
    boundary = [r for r in analysis.rest_points if r.kind == "boundary"]
    assert len(boundary) == 6
    for r in boundary:
        assert _exactly_equal_multiset(r.spectrum.exact, [-1, 1, 2 * I / 3, -2 * I / 3])
        assert r.stability is Stability.NON_HYPERBOLIC
        assert r.certainly_unstable
        assert r.nash is False
    shares = {tuple(round(v, 12) for v in r.state[0]) for r in boundary}
    assert (round(2 / 3, 12), round(1 / 3, 12), 0.0) in shares


def test_rock_paper_scissors_product_of_shares_is_conserved():
    """[HS98] ch. 10 (zero-sum bimatrix games have a constant of motion).  For RPS:
    d/dt log(prod x_i prod y_j) = sum_i u_i - 3 ubar_x + sum_j v_j - 3 ubar_y = 0 - 3x'Ay + 0 + 3x'Ay.
    Checked along an orbit integrated from our right-hand side."""
    from scipy.integrate import solve_ivp

    system = replicator_system(Game.builtin("rock_paper_scissors"))
    f = sp.lambdify([system.flat_variables], list(system.rhs), "numpy")
    x0 = np.array([0.5, 0.3, 0.2, 0.25])  # x1, x2, y1, y2

    def product(v):
        x1, x2, y1, y2 = v
        return x1 * x2 * (1 - x1 - x2) * y1 * y2 * (1 - y1 - y2)

    sol = solve_ivp(lambda t, v: f(v), (0, 30), x0, rtol=1e-11, atol=1e-13,
                    t_eval=np.linspace(0, 30, 61))
    assert sol.success
    values = np.array([product(sol.y[:, i]) for i in range(sol.y.shape[1])])
    assert np.max(np.abs(values / values[0] - 1)) < 1e-7


# ------------------------------------------------------------------------------ Jordan 1993
def test_jordan_replicator_equations():
    """[Jor93]: player 1 matches 2, 2 matches 3, 3 mismatches 1 (stakes 1).  By hand:
    u1(H) - u1(T) = (2y-1) - (1-2y) = 4y - 2, likewise 4z - 2 for player 2 and 2 - 4x for player 3."""
    system = replicator_system(Game.builtin("jordan_matching_pennies"))
    x, y, z = system.flat_variables
    expected = [x * (1 - x) * (4 * y - 2), y * (1 - y) * (4 * z - 2), z * (1 - z) * (2 - 4 * x)]
    for got, exp in zip(system.rhs, expected, strict=True):
        assert sp.expand(got - exp) == 0


def test_jordan_centre_eigenvalues_are_cube_roots_of_minus_one():
    """[Jor93].  At (1/2, 1/2, 1/2), x(1-x) = 1/4, so J = [[0, 1, 0], [0, 0, 1], [-1, 0, 0]] and
    det(lambda I - J) = lambda^3 + 1: eigenvalues -1 and 1/2 +- i sqrt(3)/2 (the stakes are 1; the
    characteristic equation is lambda^3 = -1, not -8).  One negative and two positive real parts:
    a saddle, and the unique rest point off the vertices."""
    analysis = analyze(Game.builtin("jordan_matching_pennies"))
    off_vertex = [r for r in analysis.rest_points if r.kind != "vertex"]
    assert len(off_vertex) == 1 and off_vertex[0].kind == "interior"
    centre = off_vertex[0]
    half = sp.Rational(1, 2)
    assert centre.exact_state == ((half, half),) * 3
    lam = sp.Symbol("lam")
    system = analysis.system
    jac = system.jacobian().xreplace(dict.fromkeys(system.flat_variables, half))
    assert sp.expand(jac.charpoly(lam).as_expr() - (lam**3 + 1)) == 0
    roots = [-1, half + sp.sqrt(3) * I / 2, half - sp.sqrt(3) * I / 2]
    assert _exactly_equal_multiset(centre.spectrum.exact, roots)
    assert sorted(centre.spectrum.signs) == [-1, 1, 1]
    assert centre.stability is Stability.SADDLE
    assert centre.nash is True and centre.strict_nash is False
    assert analysis.stable == ()
    assert all(v.nash is False for v in analysis.vertices)
    assert analysis.continua == ()


# ------------------------------------------------------------------------------ continua
def _indifferent_column_game():
    """Column's payoffs are all equal (0); row is a coordination player (1 on the diagonal).
    By hand: every point of the edges {row plays a} x Delta(col) and {row plays b} x Delta(col)
    is a rest point (row pure, column indifferent), and in the interior the rest points are the
    line y = 1/2 (row indifferent), x free."""
    return Game.from_table("indifferent_column", [("row", ["a", "b"]), ("col", ["c", "d"])],
                           {("a", "c"): (1, 0), ("b", "d"): (1, 0)})


def test_continua_of_an_indifferent_population_are_reported_not_sampled():
    analysis = analyze(_indifferent_column_game())
    assert analysis.continua, "expected continua of rest points"
    assert {c.support for c in analysis.continua} == {((0,), (0, 1)), ((1,), (0, 1)),
                                                       ((0, 1), (0, 1))}
    assert all(c.dimension == 1 for c in analysis.continua)
    interior = [c for c in analysis.continua if c.support == ((0, 1), (0, 1))][0]
    assert list(interior.parametrization.values()) == [sp.Rational(1, 2)]
    # not sampled: only the four vertices are listed as rest points
    assert [r.kind for r in analysis.rest_points] == ["vertex"] * 4
    # every vertex has a zero eigenvalue (column's deviation gains nothing)
    assert all(v.stability is Stability.NON_HYPERBOLIC for v in analysis.vertices)
    assert analysis.stable == ()


def test_continuum_line_of_rest_points_in_a_ledger_game():
    """A ledger game where the operator's payoff does not depend on its own strategy (a transfer
    it receives whatever it does): its share is free wherever the government is indifferent.
    By hand: government's payoff difference is 2y - 1 ... here: enable pays 1 if the operator
    operates and -1 if not, withhold pays 0, so it is indifferent at y = 1/2: a line x in (0,1)."""
    b = GameBuilder("line")
    b.population("government", ["enable", "withhold"])
    b.population("operator", ["operate", "stay_out"])
    b.benefit("gain", 1, who="government", when={"government": "enable", "operator": "operate"})
    b.cost("loss", 1, who="government", when={"government": "enable", "operator": "stay_out"})
    b.benefit("grant", 5, who="operator")  # paid whatever the operator does
    analysis = analyze(b.build())
    lines = [c for c in analysis.continua if c.support == ((0, 1), (0, 1))]
    assert len(lines) == 1
    assert lines[0].dimension == 1
    assert list(lines[0].parametrization.values()) == [sp.Rational(1, 2)]
    assert not [r for r in analysis.rest_points if r.kind == "interior"]


# ------------------------------------------------------------------------------ symbolic
def _conjunction_holds(strings, symbols, point) -> bool:
    if strings == ["False"]:
        return False
    local = {str(s): s for s in symbols}
    return all(bool(sp.sympify(s, locals=local).xreplace(point)) for s in strings)


def _grid(symbols, lo=0, hi=6, step=sp.Rational(1, 2)):
    values = [lo + k * step for k in range(int((hi - lo) / step) + 1)]
    import itertools

    for combo in itertools.product(values, repeat=len(symbols)):
        yield dict(zip(symbols, combo, strict=True))


def test_hawk_dove_symbolic_vertex_conditions():
    """[MS82] ch. 8, [Sel80]: (hawk, dove) is an ESS iff V > 0 and C > V; (dove, dove) never
    (its eigenvalue V/2 cannot be negative with V >= 0); (hawk, hawk) iff C < V."""
    game = Game.builtin("hawk_dove")
    analysis = analyze(game, symbolic=True)
    assert not analysis.numeric
    V, C = game.parameter("V").symbol, game.parameter("C").symbol
    expected = {
        ("hawk", "dove"): lambda p: p[V] > 0 and p[C] - p[V] > 0,
        ("dove", "hawk"): lambda p: p[V] > 0 and p[C] - p[V] > 0,
        ("hawk", "hawk"): lambda p: p[C] - p[V] < 0,
        ("dove", "dove"): lambda p: False,
    }
    for profile, rule in expected.items():
        strings = analysis.vertex(profile).conditions.as_strings()
        for point in _grid([V, C]):
            assert _conjunction_holds(strings, [V, C], point) == rule(point), (profile, point)
    assert analysis.vertex(("dove", "dove")).conditions.as_strings() == ["False"]
    assert analysis.vertex(("dove", "dove")).conditions.never


def test_hawk_dove_symbolic_interior_point():
    """[MS82] ch. 8: the mixed rest point is (V/C, V/C) for free V, C."""
    game = Game.builtin("hawk_dove")
    analysis = analyze(game, symbolic=True)
    V, C = game.parameter("V").symbol, game.parameter("C").symbol
    interior = [s for s in analysis.symbolic_points if s.kind == "interior"]
    assert len(interior) == 1
    (x, _), (y, _) = interior[0].exact_state
    assert sp.simplify(x - V / C) == 0 and sp.simplify(y - V / C) == 0


def test_matching_pennies_can_never_be_an_ess():
    """[HS98] section 10.3: with a >= 0 no vertex is stable for any stake: ["False"] everywhere
    (the papers' "E1 can never be an ESS")."""
    analysis = analyze(Game.builtin("matching_pennies"), symbolic=True)
    assert [v.conditions.as_strings() for v in analysis.vertices] == [["False"]] * 4


def test_battle_of_sexes_symbolic_conditions():
    """[LR57]: (opera, opera) is stable iff a > 0 and b > 0; the miscoordinated profiles never."""
    game = Game.builtin("battle_of_sexes")
    analysis = analyze(game, symbolic=True)
    a, b = game.parameter("a").symbol, game.parameter("b").symbol
    for profile in [("opera", "opera"), ("football", "football")]:
        strings = analysis.vertex(profile).conditions.as_strings()
        for point in _grid([a, b], hi=3):
            assert _conjunction_holds(strings, [a, b], point) == (point[a] > 0 and point[b] > 0)
    for profile in [("opera", "football"), ("football", "opera")]:
        assert analysis.vertex(profile).conditions.as_strings() == ["False"]


def _bounded_game(max_c=None):
    """Vertex (s, s) has eigenvalues 1 - c (row) and c - 3 (column): stable iff 1 < c < 3."""
    b = GameBuilder("bounded")
    b.population("row", ["s", "t"])
    b.population("col", ["s", "t"])
    b.parameter("c", min=0, max=max_c)
    b.payoff(["s", "s"], ["c", "3"])
    b.payoff(["t", "s"], ["1", "0"])
    b.payoff(["s", "t"], ["0", "c"])
    return b.build()


@pytest.mark.parametrize("max_c", [None, 10], ids=["unbounded-1<c<3", "max10-1<c<3"])
def test_condition_is_exact_under_bounds(max_c):
    game = _bounded_game(max_c)
    c = game.parameter("c").symbol
    strings = analyze(game, symbolic=True).vertex(("s", "s")).conditions.as_strings()
    for value in [0, 1, 2, 3, 4, sp.Rational(3, 2), sp.Rational(5, 2)]:
        assert _conjunction_holds(strings, [c], {c: value}) == (1 < value < 3), value


def test_condition_that_cannot_hold_under_bounds_is_false():
    """With the declared bound c <= 1 the conditions c > 1 and c < 3 cannot hold together."""
    analysis = analyze(_bounded_game(max_c=1), symbolic=True)
    assert analysis.vertex(("s", "s")).conditions.as_strings() == ["False"]


def test_condition_always_true_is_empty_list():
    """A vertex whose deviations always lose is stable for every parameter value: []."""
    b = GameBuilder("always")
    b.population("row", ["s", "t"])
    b.population("col", ["s", "t"])
    b.parameter("c", 1, min=0)
    b.payoff(["s", "s"], ["c + 1", "c + 1"])
    analysis = analyze(b.build(), symbolic=True)
    assert analysis.vertex(("s", "s")).conditions.as_strings() == []

"""Payoffs that depend on the state, [[fitness]], perceived values, expression schedules.

Sources
-------
[Tse89]  Tsebelis, G. (1989), The abuse of probability in political analysis: the Robinson Crusoe
         fallacy, APSR 83:77-91 (the inspection game; its mixed equilibrium).
[HS98]   Hofbauer, J. & Sigmund, K. (1998), Evolutionary Games and Population Dynamics, sec. 10.3
         (a bimatrix game's interior rest point with zero trace is a centre of the
         linearisation).
[WZ16]   The "dynamic penalty" device of the Chinese tripartite-game literature (e.g. Wang, Zhou
         et al.): a penalty F(1 - x) that falls as compliance x rises makes the mixed point an
         asymptotically stable focus. The eigenvalues are derived by hand below.
[TK92]   Tversky, A. & Kahneman, D. (1992), Advances in prospect theory, J. Risk Uncertainty
         5:297-323 (alpha = beta = 0.88, lambda = 2.25, gamma = 0.61 gains / 0.69 losses; their
         Table 3 / Fig. 3: w(0.5) about 0.42 for gains and 0.45 for losses).
"""

from __future__ import annotations

import itertools
import json
import math
import pathlib

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory_regen.analysis import Stability, analyze
from gametheory_regen.dynamics import replicator_system
from gametheory_regen.dynamics.replicator import expected_payoffs
from gametheory_regen.dynamics.schedules import Schedule
from gametheory_regen.model import GameBuilder
from gametheory_regen.model.expr import pt_value, pt_weight
from gametheory_regen.model.modelfile import read_model, read_model_text
from gametheory_regen.presentation.cli import main
from gametheory_regen.presentation.report import render_json, render_text

DATA = pathlib.Path(__file__).parent / "data"


def test_inspection_static_penalty_is_a_centre():
    """[Tse89], [HS98 10.3]: firms comply (cost C) or evade (penalty F if inspected); the agency
    inspects (cost c, collects F from evaders) or skips (loses L per evader).  Advantages:
    comply F*y - C, inspect (F + L)(1 - x) - c; interior x* = 1 - c/(F + L) = 1/2, y* = C/F = 1/4
    (F = 4, C = 1, c = 3, L = 2).  The Jacobian there is [[0, x(1-x)F], [-y(1-y)(F+L), 0]]:
    trace 0, eigenvalues +-i sqrt(x(1-x)y(1-y)F(F+L)) = +-i sqrt(9/8): a centre, non-hyperbolic."""
    res = analyze(read_model(DATA / "inspection_static.toml"))
    inner = res.rest_points[-1]
    assert inner.exact_state == ((sp.Rational(1, 2),) * 2, (sp.Rational(1, 4), sp.Rational(3, 4)))
    assert inner.stability is Stability.NON_HYPERBOLIC
    assert sorted(abs(v.imag) for v in inner.spectrum.values) == pytest.approx(
        [math.sqrt(9 / 8)] * 2)
    assert all(abs(v.real) < 1e-15 for v in inner.spectrum.values)
    assert res.consistent and not res.game.state_dependent


def test_inspection_dynamic_penalty_is_a_stable_focus():
    """[WZ16] The penalty is F(1 - x).  Advantages g1 = F(1-x)y - C and
    g2 = (F(1-x) + L)(1-x) - c.  Interior: with u = 1 - x, F u^2 + L u - c = 0, so
    u = (-L + sqrt(L^2 + 4Fc))/(2F) = (-1 + sqrt(13))/4, y = C/(F u).  Jacobian at the point
    (g1 = g2 = 0): J11 = x(1-x) dg1/dx = -x(1-x)F y, J12 = x(1-x)F u,
    J21 = y(1-y) dg2/dx = -y(1-y)(2F u + L), J22 = 0.  Trace -x(1-x)F y < 0 and determinant
    x(1-x) F u y(1-y)(2F u + L) > 0 with trace^2 < 4 det: a stable focus, eigenvalues
    (tr +- i sqrt(4 det - tr^2))/2.  It is `stable` with ess false and a note (Contract 4)."""
    game = read_model(DATA / "inspection_dynamic.toml")
    assert game.state_dependent
    res = analyze(game)
    inner = res.rest_points[-1]
    F, C, c, L = 4, 1, 3, 2
    u = (-L + math.sqrt(L * L + 4 * F * c)) / (2 * F)
    x, y = 1 - u, C / (F * u)
    assert inner.state[0][0] == pytest.approx(x, abs=1e-12)
    assert inner.state[1][0] == pytest.approx(y, abs=1e-12)
    tr = -x * (1 - x) * F * y
    det = x * (1 - x) * F * u * y * (1 - y) * (2 * F * u + L)
    assert tr * tr < 4 * det
    want = sorted([complex(tr / 2, -math.sqrt(4 * det - tr * tr) / 2),
                   complex(tr / 2, math.sqrt(4 * det - tr * tr) / 2)], key=lambda z: z.imag)
    got = sorted(inner.spectrum.values, key=lambda z: z.imag)
    assert np.allclose(got, want, atol=1e-12)
    assert inner.stability is Stability.STABLE and inner.focus and inner.ess is False
    assert "Selten" in inner.note
    assert "stable focus" in render_text(res)
    data = json.loads(render_json(res))
    assert data["rest_points"][-1]["stability"] == "stable"
    assert data["rest_points"][-1]["ess"] is False and "note" in data["rest_points"][-1]


def test_fitness_and_table_forms_give_identical_reports():
    """Contract 4: the inspection game written as expected payoffs ([[fitness]]) and as a ledger
    gives the same report, byte for byte."""
    a = render_json(analyze(read_model(DATA / "inspection_static.toml")))
    b = render_json(analyze(read_model(DATA / "inspection_static_fitness.toml")))
    assert a == b


def test_kink_gives_null_eigenvalues_and_a_note():
    """Contract 4: a rest point where Abs's argument vanishes has no Jacobian: eigenvalues and
    stability null with a note; the text says "not differentiable here"."""
    b = GameBuilder("kink")
    b.population("a", ["s", "t"])
    b.population("b", ["s", "t"])
    b.fitness("a", "s", "-Abs(y - 1/2)")
    b.fitness("b", "s", "1/2 - x")
    res = analyze(b.build())
    inner = [r for r in res.rest_points if r.kind == "interior"]
    assert len(inner) == 1 and inner[0].state[1][0] == pytest.approx(0.5)
    assert inner[0].stability is None and inner[0].spectrum is None
    assert "not differentiable" in inner[0].note
    assert "not differentiable here" in render_text(res)
    entry = json.loads(render_json(res))["rest_points"][-1]
    assert entry["eigenvalues"] is None and entry["stability"] is None and "note" in entry


def test_pt_value_and_weight_tversky_kahneman():
    """[TK92]: v(x) = x^0.88 for gains, -2.25 (-x)^0.88 for losses; w+(0.5) = 0.42 (gamma 0.61),
    w-(0.5) = 0.45 (gamma 0.69), small probabilities overweighted (w(0.01) > 0.01)."""
    a, lam = sp.Rational(88, 100), sp.Rational(225, 100)
    assert float(pt_value(-1, a, a, lam)) == pytest.approx(-2.25)
    assert float(pt_value(50, a, a, lam)) == pytest.approx(50 ** 0.88)
    assert float(pt_value(-50, a, a, lam)) == pytest.approx(-2.25 * 50 ** 0.88)
    assert float(pt_weight(sp.Rational(1, 2), sp.Rational(61, 100))) == pytest.approx(0.42, abs=0.005)
    assert float(pt_weight(sp.Rational(1, 2), sp.Rational(69, 100))) == pytest.approx(0.45, abs=0.005)
    assert float(pt_weight(sp.Rational(1, 100), sp.Rational(61, 100))) > 0.01
    game = read_model_text(PT_GAME)
    u = expected_payoffs(game)
    assert u[0][0].is_number and float(u[0][0]) == pytest.approx(-2.25 * 2 ** 0.88)


PT_GAME = """
name = "pt"
[[populations]]
name = "a"
strategies = ["s", "t"]
[[populations]]
name = "b"
strategies = ["s", "t"]
[[fitness]]
population = "a"
strategy = "s"
value = "pt_value(-2, 0.88, 0.88, 2.25)"
"""


def test_expression_schedule_reads_and_evaluates():
    """Contract 4: [schedules.S] kind = "expression", value in t and parameters."""
    game = read_model_text(INSPECT_HEAD + """
[schedules.F]
kind = "expression"
value = "C*4*exp(-0.2*t)"
""")
    (spec,) = game.schedules
    assert spec.kind == "expression"
    sched = Schedule(spec.parameter, spec.kind, expression=spec.expression).bind(
        {k: float(v) for k, v in game.values.items()})
    assert sched.value_at(5.0) == pytest.approx(4 * math.exp(-1.0))


INSPECT_HEAD = (DATA / "inspection_static.toml").read_text() if (
    DATA / "inspection_static.toml").exists() else ""


@pytest.mark.parametrize("patch, needle", [
    (('F = { value = 4, description = "penalty at zero compliance", min = 0 }', 'x = 4'), "share symbol"),
    (('F = { value = 4, description = "penalty at zero compliance", min = 0 }', 't = 4'), "`t`"),
    (('amount = "C"', 'amount = "C*t"'), "`t` (time)"),
    (None, "share of the state"),
    (None, "one form only"),
])
def test_bad_state_input_exit_2(tmp_path, capsys, patch, needle):
    """Contract 4 bad input: a parameter named like a share symbol or t; t outside a schedule;
    a share symbol in a schedule; a [[fitness]] entry that doubles a [[terms]] payoff: one line
    naming file and table, exit 2."""
    text = INSPECT_HEAD
    if patch is not None:
        assert patch[0] in text
        text = text.replace(patch[0], patch[1], 1)
    elif needle == "share of the state":
        text += '\n[schedules.F]\nkind = "expression"\nvalue = "4*x"\n'
    else:
        text += '\n[[fitness]]\npopulation = "firms"\nstrategy = "comply"\nvalue = "1"\n'
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "bad.toml" in err and needle in err, err


# ------------------------------------------------------------------------- properties
def _random_state_game(seed: int, counts):
    rng = np.random.default_rng(seed)
    b = GameBuilder("random_state")
    for p, k in enumerate(counts):
        b.population(f"p{p}", [f"s{j}" for j in range(k)])
    shares = b.share_names()
    for prof in itertools.product(*(range(k) for k in counts)):
        vals = []
        for _ in counts:
            c0, c1 = (int(v) for v in rng.integers(-3, 4, size=2))
            s = shares[int(rng.integers(len(shares)))]
            vals.append(f"{c0} + {c1}*{s}*(1 - {s})")
        b.payoff([f"s{j}" for j in prof], vals)
    return b.build()


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([(2, 2), (3, 2), (2, 2, 2)]))
def test_share_dependent_payoffs_keep_every_face_invariant(seed, counts):
    """Each x_pi' has the factor x_pi, whatever the payoffs: on a face where a share is 0 its
    derivative is 0 (checked symbolically for every share)."""
    game = _random_state_game(seed, counts)
    system = replicator_system(game)
    for f, v in zip(system.rhs, system.flat_variables, strict=True):
        assert sp.expand(f.subs(v, 0)) == 0
    # the last share of each population: its derivative -sum(x_i') vanishes where it is 0
    pos = 0
    for pop, syms in zip(game.populations, system.variables, strict=True):
        block = system.rhs[pos:pos + len(syms)]
        last_zero = {syms[-1]: 1 - sum(syms[:-1])}
        assert sp.expand(sum(block).subs(last_zero)) == 0
        pos += len(syms)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([(2, 2), (3, 2), (2, 2, 2)]))
def test_symbolic_jacobian_matches_finite_differences(seed, counts):
    """The symbolic Jacobian of a random state-dependent game equals central differences of
    the right-hand side (step 1e-6, error O(h^2) = 1e-12 times third derivatives)."""
    game = _random_state_game(seed, counts)
    system = replicator_system(game)
    n = system.dimension
    f = sp.lambdify([system.flat_variables], list(system.rhs))
    J = sp.lambdify([system.flat_variables], system.jacobian())
    rng = np.random.default_rng(seed)
    point = []
    for pop in game.populations:
        point.extend(rng.dirichlet(np.ones(pop.k))[:-1])
    point = np.array(point)
    h = 1e-6
    fd = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        fd[:, j] = (np.array(f(point + e)) - np.array(f(point - e))) / (2 * h)
    assert np.allclose(np.array(J(point), dtype=float), fd, atol=1e-7)


def test_continuum_outside_the_simplex_is_not_reported():
    """Issue 10 reproduction: X indifferent everywhere, Y's advantage for c is k(2 - x): the
    set x = 2 lies outside the simplex and is not a continuum; the two edges where Y plays d
    (X indifferent) are the only continua."""
    b = GameBuilder("cont")
    b.population("X", ["a", "b"])
    b.population("Y", ["c", "d"])
    b.parameter("k", 1)
    b.payoff(["a", "c"], ["0", "k"])
    b.payoff(["b", "c"], ["0", "2*k"])
    res = analyze(b.build())
    faces = sorted(c.support for c in res.continua)
    assert all(c.parametrization.get("X.a") != 2 for c in res.continua)
    assert faces == [((0, 1), (0,)), ((0, 1), (1,))]


def test_perceived_term_uses_pt_value_for_one_party(tmp_path, capsys):
    """A ledger term perceived by the firms through [TK92]'s value function: the firms' payoff
    is pt_value(-F, 0.88, 0.88, 2.25) = -2.25 F^0.88 while the agency receives the money F;
    ``show`` prints both, and the file round-trips."""
    text = INSPECT_HEAD.replace(
        'label = "penalty"\namount = "F"\nfrom = "firms"\nto = "agency"',
        'label = "penalty"\namount = "F"\nfrom = "firms"\nto = "agency"\n'
        'perceived = { by = "firms", value = "pt_value(amount, 0.88, 0.88, 2.25)" }')
    assert "perceived" in text
    game = read_model_text(text)
    firms, agency = game.payoff_at(("evade", "inspect"))
    assert float(game.substitute_values(firms)) == pytest.approx(-2.25 * 4 ** 0.88)
    assert game.substitute_values(agency) == 4 - 3
    path = tmp_path / "pt.toml"
    path.write_text(text)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(money); perceived by firms as" in out
    from gametheory_regen.model import write_model
    write_model(game, tmp_path / "again.toml")
    again = read_model(tmp_path / "again.toml")
    assert again.payoff_at(("evade", "inspect")) == game.payoff_at(("evade", "inspect"))


@pytest.mark.parametrize("name", ["inspection_dynamic.toml", "inspection_static_fitness.toml"])
def test_new_kinds_of_game_round_trip_through_write_model(tmp_path, name):
    """write_model writes state-dependent terms and [[fitness]] back; the report is unchanged."""
    from gametheory_regen.model import write_model

    game = read_model(DATA / name)
    write_model(game, tmp_path / "again.toml")
    again = read_model(tmp_path / "again.toml")
    assert render_json(analyze(again)) == render_json(analyze(game)).replace(
        str(DATA / name), str(tmp_path / "again.toml"))


def test_compare_evaluates_state_dependent_terms_at_the_vertex(capsys):
    """compare on the dynamic-penalty game: at (comply, inspect) an evading firm would pay
    F(1 - x) = 0 (x = 1), so evading gains exactly the compliance cost C = 1."""
    assert main(["compare", str(DATA / "inspection_dynamic.toml")]) == 0
    out = capsys.readouterr().out
    assert "firms: evade beats comply by +1: compliance cost -1" in out


DEVALUATION = """
name = "devaluation"
[[populations]]
name = "sellers"
strategies = ["keep", "cut"]
[parameters]
a = 0.5
[[payoffs]]
profile = ["keep", "keep"]
values = ["1 - x**a"]
[[payoffs]]
profile = ["keep", "cut"]
values = ["1 - x**a"]
[[payoffs]]
profile = ["cut", "keep"]
values = ["pt_value(x - 0.25, 0.88, 0.88, 2.25)"]
[[payoffs]]
profile = ["cut", "cut"]
values = ["pt_value(x - 0.25, 0.88, 0.88, 2.25)"]
"""


def test_non_polynomial_single_population_root_is_certified():
    """A devaluation game in one population with payoffs that are powers of the own share and
    a perceived value [TK92]: keeping earns 1 - sqrt(x), cutting pt_value(x - 1/4).  The
    interior rest point solves 1 - sqrt(x) = (x - 1/4)^0.88 (brentq here, independently); the
    face is not polynomial, so the root is found numerically and certified by the Krawczyk
    test, and the face is flagged not proven complete.  The vertex x = 0 sits where sqrt has
    an infinite slope: not differentiable there."""
    from scipy.optimize import brentq

    res = analyze(read_model_text(DEVALUATION))
    (inner,) = [r for r in res.rest_points if r.kind == "interior"]
    want = brentq(lambda x: 1 - math.sqrt(x) - (x - 0.25) ** 0.88, 0.26, 0.99, xtol=1e-15)
    assert inner.state[0][0] == pytest.approx(want, abs=1e-12)
    assert inner.method == "numeric" and inner.stability is Stability.STABLE and inner.ess
    assert not res.complete and "not proven complete" in render_text(res)
    cut = res.rest_points[1]
    assert cut.stability is None and "not differentiable" in cut.note

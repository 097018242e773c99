r"""The rest-point equations of each face of the state space, and their solution.

A state is a rest point iff in every population all strategies in use earn the same payoff.
On the relative interior of the face :math:`\prod_p \Delta(S_p)` the rest points solve

.. math:: u_{pi}(x) = u_{p\,\ell_p}(x) \quad (i \in S_p,\ \ell_p = \max S_p), \qquad x_{pi} > 0,

a square system with one unknown per used strategy but the last of each population (the
unknowns ``_f{p}_{i}`` are the shares of the used strategies; the last used share is one minus
their sum, unused shares are 0).  The payoffs :math:`u_{pi}` are those of
:func:`~gametheory_regen.dynamics.replicator.expected_payoffs`, for every kind of game: with
constant multi-population payoffs population :math:`p`'s equations involve only the *other*
populations' shares and are multilinear; in single-population games and with state-dependent
payoffs they involve its own shares and may be of any degree, or not polynomial at all.

How a face is solved, deterministically (:mod:`.polysolve`):

* linear equations: exactly (``linsolve``), any number of unknowns and parameters;
* polynomial equations with numbers: exactly (Groebner basis, isolated real roots) within the
  work budget of :data:`~.polysolve.EXACT_MAX_SOLUTIONS` Bezout solutions and
  :data:`~.polysolve.EXACT_MAX_UNKNOWNS` unknowns; solutions of positive dimension are
  *continua*, reported where their parametrisation meets the open face and never sampled;
* beyond the budget, or not polynomial: certified numeric roots, the face flagged
  "not proven complete";
* with free parameters: symbolically when the equations are linear, or by linear elimination
  (:func:`eliminate`) within :data:`SYMBOLIC_MAX_SOLUTIONS` Bezout solutions,
  :data:`SYMBOLIC_MAX_UNKNOWNS` unknowns and :data:`SYMBOLIC_MAX_OPS` terms per equation; otherwise listed as not solved symbolically, with the equations.
"""

from __future__ import annotations

import itertools

import sympy as sp

from ..model.game import Game
from .continua import (  # noqa: F401  (Continuum is re-exported)
    Continuum,
    _continuum,
    _continuum_certainly_outside,
    _continuum_meets_face,
)
from .elimination import SYMBOLIC_MAX_OPS, eliminate
from .facepoly import face_system, groebner_basis, solve_numeric_polys
from .polysolve import (
    EXACT_MAX_SOLUTIONS,
    EXACT_MAX_UNKNOWNS,
    NUMERIC_STARTS,
    FaceSolution,
    bezout_bound,
    dirichlet_starts,
    solve_exact,
    solve_numeric,
)

__all__ = ["Continuum", "face_equations", "solve_face", "SYMBOLIC_MAX_SOLUTIONS",
           "SYMBOLIC_MAX_UNKNOWNS"]

#: Exact work budget of one analysis: sum of squared Bezout numbers of the non-linear faces
#: solved exactly (see :class:`ExactBudget`).
EXACT_TOTAL_COST = 1500
#: Largest Bezout number of a face solved with free parameters (``sympy.solve``, radicals).
SYMBOLIC_MAX_SOLUTIONS = 2
#: Most unknowns of a non-linear face solved with free parameters.
SYMBOLIC_MAX_UNKNOWNS = 3


def face_subs(game: Game, shares) -> dict:
    """Reduced share symbol -> its expression on a face.

    Parameters
    ----------
    game : Game
    shares : list of list of sympy.Expr
        Full shares per population on the face (see :func:`_face_unknowns`).

    Returns
    -------
    dict
        From :func:`~gametheory_regen.dynamics.replicator.state_symbols` to the face's shares.

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> mp = Game.builtin("matching_pennies")
    >>> face_subs(mp, _face_unknowns(mp, ((0, 1), (1,)))[1])
    {x: _f0_0, y: 0}
    """
    from ..dynamics.replicator import state_symbols

    subs = {}
    for syms, row in zip(state_symbols(game), shares, strict=True):
        for v, s in zip(syms, row, strict=False):
            subs[v] = s
    return subs


def face_equations(game: Game, payoffs, face, shares) -> list:
    """The rest-point equations of a face: :math:`u_{pi} - u_{p\\ell_p}` with the face's shares.

    Parameters
    ----------
    game : Game
    payoffs : tuple of tuple of sympy.Expr
        :func:`~gametheory_regen.dynamics.replicator.expected_payoffs` of the game.
    face : tuple of tuple of int
        The strategies in use, per population.
    shares : list of list of sympy.Expr
        Full shares per population on the face (see :func:`_face_unknowns`).

    Returns
    -------
    list of sympy.Expr
        One expression (``= 0``) per used strategy but the last of each population.

    Examples
    --------
    Hawk-dove in one population (V = 2, C = 4): on the edge {hawk, dove} the rest point solves
    :math:`u_h - u_d = (V - C u)/2 = 0`, :math:`u` the share of hawks:

    >>> from gametheory_regen.dynamics.replicator import expected_payoffs
    >>> from gametheory_regen.model import Game, Parameter
    >>> hd = Game.symmetric("hd", ["hawk", "dove"], [["(V - C)/2", "V"], [0, "V/2"]],
    ...                     [Parameter.make("V", 2), Parameter.make("C", 4)])
    >>> unknowns, shares = _face_unknowns(hd, ((0, 1),))
    >>> face_equations(hd, expected_payoffs(hd), ((0, 1),), shares)
    [1 - 2*_f0_0]
    """
    subs = face_subs(game, shares)
    eqs = []
    for p, s in enumerate(face):
        if len(s) == 1:
            continue
        u = {i: _face_payoff(payoffs[p][i], subs) for i in s}  # the used strategies only
        last = u[s[-1]][0]
        for i in s[:-1]:
            d = u[i][0] - last
            if u[i][1] is not None and u[s[-1]][1] is not None:
                # both expanded polynomials with rational coefficients: the expansion of the
                # difference is the difference of the expansions (one canonical form)
                eqs.append(sp.expand(u[i][1] - u[s[-1]][1]))
            else:
                eqs.append(sp.expand(d) if d.is_polynomial() else d)
    return eqs


#: (payoff, the face's values of its symbols) -> (payoff on the face, its expansion when it is a
#: polynomial with rational coefficients, else None).  A payoff of population p in a game with
#: constant payoffs depends on the other populations' shares only, so the faces that use the same
#: strategies elsewhere share it: computed once per game instead of once per face.
_FACE_PAYOFFS: dict = {}


def _face_payoff(expr, subs):
    key = (expr, tuple(sorted(((str(v), subs[v]) for v in expr.free_symbols if v in subs),
                              key=lambda t: t[0])))
    hit = _FACE_PAYOFFS.get(key)
    if hit is None:
        value = expr.xreplace(subs)
        expanded = None
        if value.is_polynomial() and not value.has(sp.Float):
            expanded = sp.expand(value)
            if not all(isinstance(a, (sp.Rational, sp.Symbol)) for a in expanded.atoms()) or \
                    not all(q.base.is_Symbol and q.exp.is_Integer for q in expanded.atoms(sp.Pow)):
                expanded = None  # radicals, pi, functions: the original expansion of the difference
        hit = (value, expanded)
        if len(_FACE_PAYOFFS) >= 20_000:
            _FACE_PAYOFFS.clear()
        _FACE_PAYOFFS[key] = hit
    return hit


def _groups(face, unknowns):
    """The face's unknowns grouped by population (for the Bezout bound)."""
    out, pos = [], 0
    for s in face:
        if len(s) > 1:
            out.append(unknowns[pos:pos + len(s) - 1])
            pos += len(s) - 1
    return out


def _share_exprs(shares, face):
    return [row[j] for row, s in zip(shares, face, strict=True) if len(s) > 1 for j in s]


def _polynomial_form(eqs, unknowns):
    """(numerators, denominators) when every equation is a rational function of the unknowns."""
    nums, dens = [], []
    if all(e.is_polynomial(*unknowns) for e in eqs):
        return [sp.expand(e) for e in eqs], []
    for e in eqs:
        t = sp.together(e)
        num, den = sp.fraction(t)
        try:
            sp.Poly(num, *unknowns)
            sp.Poly(den, *unknowns)
        except sp.PolynomialError:
            return None
        nums.append(sp.expand(num))
        if den.free_symbols & set(unknowns):
            dens.append(den)
    return nums, dens


class ExactBudget:
    """The work budget of one analysis: the sum of squared Bezout numbers of the non-linear faces
    solved exactly (faces are visited in a fixed order, smallest first), at most
    :data:`EXACT_TOTAL_COST`.  A function of the input alone, so deterministic.

    Examples
    --------
    >>> b = ExactBudget()
    >>> b.take(9), b.spent
    (True, 81)
    """

    def __init__(self, total: int | None = None) -> None:
        self.total = EXACT_TOTAL_COST if total is None else total
        self.spent = 0

    def take(self, bound: int) -> bool:
        """Spend ``bound**2`` if it fits; whether it did.

        Parameters
        ----------
        bound : int
            The face's Bezout number.

        Returns
        -------
        bool

        Examples
        --------
        >>> ExactBudget(10).take(4)
        False
        """
        cost = bound * bound
        if self.spent + cost > self.total:
            return False
        self.spent += cost
        return True


def solve_face(game: Game, payoffs, face, *, starts: int = NUMERIC_STARTS,
               budget: ExactBudget | None = None, table=None):
    """Rest points (relative interior of ``face``), continua, and how completely they are known.

    Parameters
    ----------
    game : Game
    payoffs : tuple of tuple of sympy.Expr
        :func:`~gametheory_regen.dynamics.replicator.expected_payoffs` (numbers substituted when
        the game is numeric).
    face : tuple of tuple of int
    starts : int
        Newton starts of the numeric route.
    budget : ExactBudget, optional
        The analysis' exact work budget.
    table : list of dict, optional
        :func:`~.dominance.rational_table` of the game (constant rational payoffs): the face's
        equations are then built from it as polynomials over QQ (:mod:`.facepoly`), the same
        polynomials at a fraction of the cost.

    Returns
    -------
    tuple
        ``(states, continua, info)``: exact or numeric full share vectors per point, a list of
        :class:`~.equilibria.Continuum`, and a :class:`~.polysolve.FaceSolution` (no points)
        telling whether the face is proven complete, the method and the certification of each
        point; ``info`` is None for a face left unsolved symbolically (beyond the budget).

    Examples
    --------
    >>> from gametheory_regen.dynamics.replicator import expected_payoffs
    >>> from gametheory_regen.model import Game
    >>> mp = Game.builtin("matching_pennies")
    >>> states, continua, info = solve_face(mp, expected_payoffs(mp), ((0, 1), (0, 1)))
    >>> states, info.complete, info.method
    ([((1/2, 1/2), (1/2, 1/2))], True, 'exact')
    """
    if table is not None:
        return _solve_table_face(game, face, table, starts, budget)
    unknowns, shares = _face_unknowns(game, face)
    eqs = face_equations(game, payoffs, face, shares)
    nonzero = [e for e in eqs if e != 0]
    if not nonzero:
        return [], [_continuum(game, face, unknowns, shares, eqs, {})], FaceSolution()
    if any(e.is_number for e in nonzero):
        return [], [], FaceSolution()  # a non-zero constant: no solution on this face
    numeric = game.is_numeric
    form = _polynomial_form(nonzero, unknowns)
    linear = form is not None and not form[1] and all(
        sp.Poly(e, *unknowns).total_degree() <= 1 for e in form[0])
    if linear:
        sol_set = sp.linsolve(form[0], unknowns)
        solutions = [dict(zip(unknowns, tup, strict=True)) for tup in sol_set]
        return _collect(game, face, unknowns, shares, eqs, solutions, FaceSolution())
    if not numeric:
        bound = bezout_bound(form[0], _groups(face, unknowns)) if form else None
        if form is None or bound is None or bound > SYMBOLIC_MAX_SOLUTIONS or \
                len(unknowns) > SYMBOLIC_MAX_UNKNOWNS:
            return [], [], None
        solutions = eliminate(form[0], unknowns)
        if solutions is None:
            return [], [], None
        solutions = [s for s in solutions if not any(
            sp.expand(d.xreplace(s)) == 0 for d in form[1])]
        return _collect(game, face, unknowns, shares, eqs, solutions, FaceSolution())
    share_list = _share_exprs(shares, face)
    if form is not None and all(c.is_Rational for e in form[0]
                                for c in sp.Poly(e, *unknowns).coeffs()):
        bound = bezout_bound(form[0], _groups(face, unknowns))
        done, reason = _exact_route(game, face, unknowns, shares, eqs, form, bound, budget,
                                    share_list)
        if done is not None:
            return done
    else:
        reason = "the equations are not polynomial with rational coefficients"
    gen = dirichlet_starts([len(s) for s in face if len(s) > 1])
    result = solve_numeric(nonzero, unknowns, share_list, gen, starts=starts, reason=reason)
    states = [_state(shares, p) for p in result.points]
    states = [tuple(tuple(float(v) for v in row) for row in st) for st in states]
    info = FaceSolution([], False, "numeric", result.reason, result.uncertified,
                        result.certified)
    return states, [], info


def _exact_route(game, face, unknowns, shares, eqs, form, bound, budget, share_list,
                 basis=None):
    """The exact route of a polynomial face within the work budget: ``(result, "")`` when it
    decided the face, else ``(None, why not)`` (the numeric route follows)."""
    within = bound is not None and bound <= EXACT_MAX_SOLUTIONS and \
        len(unknowns) <= EXACT_MAX_UNKNOWNS
    if within and budget is not None and not budget.take(bound):
        within = False
        bound_note = (f"the analysis' exact work budget ({budget.total}, the sum of squared "
                      f"Bezout numbers of exactly solved faces) is spent")
    else:
        bound_note = ""
    if not within:
        return None, bound_note or (f"beyond the exact work budget (Bezout number {bound} > "
                                    f"{EXACT_MAX_SOLUTIONS} or {len(unknowns)} > "
                                    f"{EXACT_MAX_UNKNOWNS} unknowns)")
    result = solve_exact(form[0], unknowns, share_list, basis=basis)
    if result is None:  # positive-dimensional: continua (and isolated points)
        solutions = sp.solve(form[0], unknowns, dict=True)
        return _collect(game, face, unknowns, shares, eqs, solutions, FaceSolution()), ""
    if result.complete:
        pts = [p for p in result.points
               if not any(_is_zero(d.xreplace(p)) for d in form[1])]
        states = [_state(shares, p) for p in pts]
        return (states, [], FaceSolution([], True, "exact", certified=[True] * len(states))), ""
    return None, result.reason


def _solve_table_face(game, face, table, starts, budget):
    """:func:`solve_face` for constant rational payoffs, from the face's polynomials over QQ
    (:func:`.facepoly.face_system`): the same decisions on the same polynomials (the expansion
    of a polynomial is unique), without substituting into and expanding sympy expressions."""
    system = face_system(game, table, face)
    unknowns, shares = system.unknowns, system.shares
    nonzero = [p for p in system.polys if p]
    if not nonzero:
        eqs = system.exprs()
        return [], [_continuum(game, face, unknowns, shares, eqs, {})], FaceSolution()
    if any(p.is_ground for p in nonzero):
        return [], [], FaceSolution()  # a non-zero constant: no solution on this face
    if system.linear:
        eqs = system.exprs()
        form = [e for e in eqs if e != 0]
        sol_set = sp.linsolve(form, unknowns)
        solutions = [dict(zip(unknowns, tup, strict=True)) for tup in sol_set]
        return _collect(game, face, unknowns, shares, eqs, solutions, FaceSolution())
    share_list = _share_exprs(shares, face)
    bound = system.bezout_bound()
    if bound <= EXACT_MAX_SOLUTIONS and len(unknowns) <= EXACT_MAX_UNKNOWNS:
        eqs = system.exprs()
        done, reason = _exact_route(
            game, face, unknowns, shares, eqs, ([e for e in eqs if e != 0], []), bound, budget,
            share_list, lambda: groebner_basis(nonzero, unknowns, system.domain()))
        if done is not None:
            return done
    else:
        _, reason = _exact_route(game, face, unknowns, shares, None, None, bound, budget,
                                 share_list)
    gen = dirichlet_starts([len(s) for s in face if len(s) > 1])
    result = solve_numeric_polys(nonzero, system, gen, starts=starts, reason=reason)
    states = [_state(shares, p) for p in result.points]
    states = [tuple(tuple(float(v) for v in row) for row in st) for st in states]
    info = FaceSolution([], False, "numeric", result.reason, result.uncertified,
                        result.certified)
    return states, [], info


def _is_zero(e) -> bool:
    e = sp.sympify(e)
    if e.is_number:
        return abs(complex(sp.N(e, 30))) < 1e-25
    return False


def _state(shares, point):
    return tuple(tuple(v if isinstance(v, float) else
                       (sp.sympify(v).xreplace(point) if not sp.sympify(v).is_number else v)
                       for v in row) for row in shares)


def _collect(game, face, unknowns, shares, eqs, solutions, info):
    """Points strictly inside the face, and continua, from a list of sympy solution dicts."""
    points, conts = [], []
    numeric = game.is_numeric
    simplify = (lambda e: e) if numeric else _simplify_solution
    for sol in solutions:
        values = {u: _tidy(sol.get(u, u), simplify) for u in unknowns}
        free = [u for u in unknowns
                if values[u] == u or any(values[w].has(u) for w in unknowns)]
        if free:
            if numeric and not _continuum_meets_face(shares, values, unknowns, face):
                continue
            if not numeric and _continuum_certainly_outside(shares, values, face):
                continue
            conts.append(_continuum(game, face, unknowns, shares, eqs, values))
            continue
        state = tuple(tuple(v if v.is_number else values[v] if v in values
                            else _tidy(v.xreplace(values), simplify) for v in row)
                      for row in shares)
        if numeric:
            if not _strictly_inside(state, face):
                continue
        elif _certainly_outside(state, face):
            continue
        points.append(state)
    info.certified = [True] * len(points)
    return points, conts, info


def _subsets(k: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)]



def _face_name(game: Game, face) -> str:
    parts = []
    for pop, s in zip(game.populations, face, strict=True):
        parts.append(f"{pop.name}:{'+'.join(pop.strategies[i] for i in s)}")
    return "{" + ", ".join(parts) + "}"



def _face_unknowns(game: Game, face):
    """Per population: the face's share expressions (symbols for free shares, 0 outside)."""
    unknowns = []
    shares = []
    for p, (pop, s) in enumerate(zip(game.populations, face, strict=True)):
        row = [sp.Integer(0)] * pop.k
        if len(s) == 1:
            row[s[0]] = sp.Integer(1)
        else:
            syms = [sp.Symbol(f"_f{p}_{i}", real=True) for i in s[:-1]]
            unknowns.extend(syms)
            for i, v in zip(s[:-1], syms, strict=True):
                row[i] = v
            row[s[-1]] = 1 - sum(syms)
        shares.append(row)
    return unknowns, shares



def _display_shares(game: Game, face):
    """Share expressions of a face named by the populations' symbols (for messages)."""
    out = []
    for pop, s in zip(game.populations, face, strict=True):
        names = pop.share_names()
        row = [sp.Integer(0)] * pop.k
        if len(s) == 1:
            row[s[0]] = sp.Integer(1)
        else:
            syms = [sp.Symbol(names[i] if i < len(names) else f"{pop.symbol}{i + 1}", real=True)
                    for i in s[:-1]]
            for i, v in zip(s[:-1], syms, strict=True):
                row[i] = v
            row[s[-1]] = 1 - sum(syms)
        out.append(row)
    return out



def _simplify_solution(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few canonical forms of a rational function of the parameters.

    Rest points of a game with free parameters are rational functions of them (radicals only
    from quadratic faces). For those, ``sympy.simplify`` amounts to trying ``cancel``, ``factor``
    and ``factor_terms`` and keeping the shortest, at many times the cost (its first call also
    imports ``sympy.physics.units``, 0.16 s). Anything else goes to ``sympy.simplify``.
    """
    if not expr.is_rational_function():
        return sp.simplify(expr)
    c = sp.cancel(expr)
    num, den = sp.fraction(c)
    # the same fraction with both signs flipped reads better when it has fewer minus signs
    flipped = sp.expand(-num) / sp.expand(-den)
    forms = [c, flipped, expr]
    if max(_total_degree(num), _total_degree(den)) > 1:  # a linear form has no other factors
        forms.append(sp.factor(c))
    forms = list(dict.fromkeys(forms))
    if len(forms) == 1:
        return forms[0]

    def rough(e):
        return sp.count_ops(e), len(sp.Add.make_args(e))

    def fine(e):
        text = str(e)
        # negations are free (where a sign goes is taste); then a denominator that does not
        # start with a minus sign, fewest bracketed groups that do, fewest minus signs, shortest
        ops = sp.count_ops(e, visual=True)
        ops = int(ops.subs(sp.Symbol("NEG"), 0).subs({a: 1 for a in ops.free_symbols})
                  if ops != 0 else 0)
        lead_minus = str(sp.fraction(e)[1]).startswith("-")
        return (ops, len(sp.Add.make_args(e)), lead_minus, text.count("(-"), text.count("-"),
                len(text))

    # the printing tie-breakers only among forms close to the fewest operations
    scored = [(rough(e), e) for e in forms]
    best = min(r for r, _ in scored)
    close = [e for r, e in scored if r[0] <= best[0] + 2 and r[1] <= best[1] + 1]
    return min(close, key=fine)



def _total_degree(expr: sp.Expr) -> int:
    syms = expr.free_symbols
    if not syms:
        return 0
    try:
        return sp.Poly(expr, *syms).total_degree()
    except sp.PolynomialError:
        return 2  # not a polynomial: let factor try



#: Solutions larger than this (``count_ops``) are reported as computed, not simplified.
SIMPLIFY_MAX_OPS = 400
#: ... and so are solutions in more parameters than this (factoring them costs seconds).
SIMPLIFY_MAX_SYMBOLS = 12


def _tidy(expr: sp.Expr, simplify) -> sp.Expr:
    """Numbers are made canonical cheaply (radsimp); expressions with symbols are simplified."""
    if expr.is_Rational:
        return expr
    if expr.is_number:
        return sp.radsimp(sp.expand(expr))
    if len(expr.free_symbols) > SIMPLIFY_MAX_SYMBOLS or sp.count_ops(expr) > SIMPLIFY_MAX_OPS:
        return expr
    return simplify(expr)



def _strictly_inside(state, face) -> bool:
    for row, s in zip(state, face, strict=True):
        for j in s:
            v = row[j]
            if v.is_real is False:
                return False
            im = sp.im(v)
            if im != 0 and abs(complex(sp.N(v, 30)).imag) > 1e-25:
                return False
            sign = _sign_of(sp.re(v))
            if sign is None:
                sign = 1 if float(sp.N(sp.re(v), 30)) > 0 else -1
            if sign <= 0:
                return False
    return True



def _certainly_outside(state, face) -> bool:
    for row, s in zip(state, face, strict=True):
        for j in s:
            v = row[j]
            if v.is_number and (v.is_real is False or not v > 0):
                return True
    return False



def _sign_of(expr: sp.Expr) -> int | None:
    if expr.is_zero:
        return 0
    if expr.is_positive:
        return 1
    if expr.is_negative:
        return -1
    return None



r"""Properties of single states: vertex stability conditions, deviation gains, Nash tests, kinks.

At a vertex :math:`e` (every population pure, playing :math:`s_p`) the reduced Jacobian is
triangular and its eigenvalues are the deviation gains :math:`u_{pj}(e) - u_{ps}(e)`
(Hofbauer & Sigmund 1998, sec. 10.3); this holds for every kind of game, state-dependent
payoffs and single populations included, since each row of a share that is zero at the vertex
has only its diagonal entry.  A vertex is stable iff every gain is negative:
:func:`vertex_conditions` simplifies that conjunction under the parameters' bounds.

A state is a Nash equilibrium iff no unused strategy earns more than the used ones
(:func:`_nash`).  A *kink* of the vector field is a zero of a switching function
(:func:`switching_functions`): the argument of ``Abs``, a difference of ``Min``/``Max``
arguments, a ``Piecewise`` boundary (``pt_value`` at 0), or the base of a power with a
fractional exponent below 1; there the Jacobian does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import sympy as sp

from ..dynamics.replicator import ReplicatorSystem, expected_payoffs
from ..model.game import Game
from .conditions import VertexConditions, derived_bounds, simplify_conditions
from .polysolve import NUMERIC_TOL

__all__ = ["vertex_conditions", "switching_functions"]


# ---------------------------------------------------------------------------- helpers
def _bounds(game: Game) -> dict:
    return {p.symbol: (p.min, p.max) for p in game.parameters}


def vertex_conditions(game: Game, profile: Sequence[int]) -> VertexConditions:
    """Symbolic stability condition of the vertex at ``profile`` (strategy indices).

    Uses the payoffs as written (derived names kept); parameter values are ignored.  The
    eigenvalues at a vertex are the deviation gains :math:`u_{pj}(e) - u_{ps}(e)` for every kind
    of game (the Jacobian is triangular there, state-dependent payoffs included).

    Parameters
    ----------
    game : Game
    profile : sequence of int
        Strategy indices, in population order (one index for a single-population game).

    Returns
    -------
    VertexConditions
        The eigenvalues and the simplified condition that all are negative, under the
        parameters' declared bounds.

    Examples
    --------
    Hawk-dove: (hawk, hawk) is stable only when the resource is worth more than a fight costs;
    (dove, dove) never is, since a hawk among doves gains V/2 >= 0:

    >>> from gametheory_regen.model import Game
    >>> hd = Game.builtin("hawk_dove")
    >>> vertex_conditions(hd, (0, 0)).as_strings()
    ['C - V < 0']
    >>> dd = vertex_conditions(hd, (1, 1))
    >>> dd.never, dd.reasons
    (True, ('eigenvalue V/2 is never negative',))
    """
    payoffs = expected_payoffs(game, numeric=False, expand=False)
    gains = list(_deviation_gains(game, payoffs, profile))
    bounds = _bounds(game)
    # derived names with a proven sign become symbols carrying it (and their proven bounds
    # join the declared ones); the result is written back in the game's own symbols
    signed, back = {}, {}
    for sym, new, lo, hi in _signed_derived(tuple(_derived_exprs(game).items()),
                                            tuple(bounds.items())):
        signed[sym], back[new] = new, sym
        bounds[new] = (lo, hi)
    if not signed:
        return simplify_conditions(gains, bounds)
    cond = simplify_conditions([g.xreplace(signed) for g in gains], bounds)
    return VertexConditions(
        tuple(r.xreplace(back) for r in cond.inequalities), cond.never, cond.reasons,
        tuple(gains))


@functools.lru_cache(maxsize=32)
def _signed_derived(derived_items, bounds_items) -> tuple:
    """(derived symbol, symbol with its proven sign, lower, upper) for each bounded one."""
    out = []
    for sym, (lo, hi) in derived_bounds(dict(derived_items), dict(bounds_items)).items():
        assume = ({"positive": True} if lo is not None and lo > 0 else
                  {"nonnegative": True} if lo is not None and lo >= 0 else
                  {"negative": True} if hi is not None and hi < 0 else
                  {"nonpositive": True} if hi is not None and hi <= 0 else {})
        out.append((sym, sp.Symbol(sym.name, real=True, **assume), lo, hi))
    return tuple(out)


def _derived_exprs(game: Game) -> dict:
    """Derived symbol (as in the payoffs) -> its expression in the parameters alone (derived
    names that use the state are left out: they are expanded in the payoffs)."""
    shares = set(game.share_symbols.values())
    out = {}
    for sym in game.derived_symbols.values():
        e = game.expand_derived(sym)
        if not (e.free_symbols & shares):
            out[sym] = e
    return out


def _vertex_subs(game: Game, profile) -> dict:
    from ..dynamics.replicator import state_symbols

    subs = {}
    for syms, pop, s in zip(state_symbols(game), game.populations, profile, strict=True):
        for i, v in enumerate(syms):
            subs[v] = sp.Integer(1 if i == s else 0)
    return subs


def _deviation_gains(game: Game, payoffs, profile):
    """u_pj(e) - u_ps(e) at the vertex e for every population p and strategy j != s_p, in order.

    These are at once the gains from unilateral deviation and the vertex's eigenvalues.
    """
    subs = _vertex_subs(game, profile)
    for p, pop in enumerate(game.populations):
        u = [sp.sympify(e).xreplace(subs) for e in payoffs[p]]
        here = u[profile[p]]
        for j in range(pop.k):
            if j != profile[p]:
                yield u[j] - here


def _vertex_diagonal(game: Game, payoffs, profile) -> list:
    """The diagonal of the reduced Jacobian at a vertex, in the order of the variables.

    Population ``p``'s variables are the shares of its strategies ``0 .. k-2``. At the vertex
    with strategy ``s`` the entry of variable ``i != s`` is the gain ``u_i - u_s`` of deviating
    to ``i``; the entry of variable ``s`` itself (when ``s < k-1``) is the gain of deviating to
    the last strategy, ``u_{k-1} - u_s``. The Jacobian at a vertex is block diagonal with
    triangular blocks, so these are its eigenvalues (Hofbauer & Sigmund 1998, sec. 10.3;
    checked against the Jacobian in tests/test_properties.py). ``payoffs`` may also be the
    game's payoff tensors (the former interface).
    """
    if payoffs and isinstance(payoffs[0], sp.NDimArray):
        payoffs = expected_payoffs(game, numeric=all(e.is_number for t in payoffs for e in t))
    subs = _vertex_subs(game, profile)
    out = []
    for p, pop in enumerate(game.populations):
        u = [sp.sympify(e).xreplace(subs) for e in payoffs[p]]
        here = u[profile[p]]
        for i in range(pop.k - 1):
            j = i if i != profile[p] else pop.k - 1
            out.append(u[j] - here)
    return out


def _sign_of(expr: sp.Expr) -> int | None:
    if expr.is_zero:
        return 0
    if expr.is_positive:
        return 1
    if expr.is_negative:
        return -1
    return None


def _to_floats(exact_state) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(sp.re(sp.N(v, 30))) for v in shares) for shares in exact_state)


def _kind(support: Sequence[Sequence[int]], shape: Sequence[int]) -> str:
    if all(len(s) == 1 for s in support):
        return "vertex"
    if all(len(s) == k for s, k in zip(support, shape, strict=True)):
        return "interior"
    return "boundary"


def _reduced_subs(system: ReplicatorSystem, exact_state) -> dict:
    subs = {}
    for vars_p, shares in zip(system.variables, exact_state, strict=True):
        for v, s in zip(vars_p, shares, strict=False):
            subs[v] = s
    return subs


def _nash(game: Game, payoffs, system, state, support, exact: bool, tol: float = NUMERIC_TOL):
    """(nash, strict_nash) by payoff comparison at a state (full shares per population)."""
    subs = _reduced_subs(system, state if exact else tuple(
        tuple(sp.Float(v, 30) for v in row) for row in state))
    nash = True
    strict = all(len(s) == 1 for s in support)
    from .jacobian_eval import payoffs_at

    # polynomial evaluation, the same numbers (an exact point with radicals or 50-digit
    # coordinates: exact rationals where the substitution gives them, else 30 digits)
    fast = payoffs_at(system, payoffs, subs, mixed=exact)
    for p in range(game.n_populations):
        u = fast[p] if fast is not None else [sp.sympify(e).xreplace(subs) for e in payoffs[p]]
        if exact and all(v.is_Rational for v in u):
            used = u[support[p][0]]
            for j in range(len(u)):
                if j in support[p]:
                    continue
                diff = u[j] - used
                if diff > 0:
                    nash = False
                if diff >= 0:
                    strict = False
            continue
        vals = [float(sp.re(sp.N(v, 30))) for v in u]
        used = max(vals[i] for i in support[p])
        scale = 1e-25 if exact else tol
        for j in range(len(vals)):
            if j in support[p]:
                continue
            if vals[j] > used + scale:
                nash = False
            if vals[j] >= used - scale:
                strict = False
    return nash, strict and nash


def _vertex_nash(gains) -> tuple[bool | None, bool | None]:
    """Best-reply test at a pure profile from its deviation gains."""
    nash: bool | None = True
    strict: bool | None = True
    for gain in gains:
        sign = _sign_of(sp.expand(gain))
        if sign is None:
            nash = None if nash is not False else False
            strict = None if strict is not False else False
            continue
        if sign > 0:
            nash = False
        if sign >= 0:
            strict = False
    if nash is False:
        strict = False
    return nash, strict


# ---------------------------------------------------------------------------- kinks
def switching_functions(exprs) -> list[sp.Expr]:
    """Expressions whose zero set is a kink of the vector field (no derivative there).

    The argument of ``Abs``, the differences of ``Min``/``Max`` arguments, the ``lhs - rhs`` of
    each ``Piecewise`` condition (``pt_value`` switches at 0), and the base of a power with a
    non-integer exponent below 1 (infinite slope at 0).

    Parameters
    ----------
    exprs : iterable of sympy.Expr

    Returns
    -------
    list of sympy.Expr

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> switching_functions([sp.Abs(x - 1) + sp.Max(x, 2*x)])
    [x - 1, -x]
    """
    out = []
    for e in exprs:
        for node in sp.preorder_traversal(sp.sympify(e)):
            if isinstance(node, sp.Abs):
                out.append(node.args[0])
            elif isinstance(node, (sp.Min, sp.Max)):
                a = node.args
                out.extend(sp.expand(a[i] - a[j]) for i in range(len(a))
                           for j in range(i + 1, len(a)))
            elif isinstance(node, sp.Piecewise):
                for _, cond in node.args:
                    if isinstance(cond, sp.core.relational.Relational):
                        out.append(sp.expand(cond.lhs - cond.rhs))
            elif isinstance(node, sp.Pow) and node.exp.is_number and not node.exp.is_Integer \
                    and node.exp < 1 and node.base.free_symbols:
                out.append(node.base)
    return list(dict.fromkeys(out))


def _on_kink(switches, subs) -> sp.Expr | None:
    for s in switches:
        v = s.xreplace(subs)
        if not v.free_symbols:
            try:
                if v == 0 or abs(complex(sp.N(v, 30))) < 1e-9:
                    return s
            except TypeError:
                continue
    return None



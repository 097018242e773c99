r"""Parameter thresholds: for which values of one parameter is a pure outcome stable?

At a vertex (pure profile :math:`s`) the eigenvalues of the replicator Jacobian are the payoff
differences :math:`\lambda_{pj} = A_p(j, s_{-p}) - A_p(s)` for every population :math:`p` and every
other strategy :math:`j` (see :mod:`.conditions`).  The vertex is asymptotically stable (a strict
Nash equilibrium, an ESS) exactly when every :math:`\lambda_{pj} < 0`.

Fix every parameter but one, :math:`P`, at the game's values.  Each eigenvalue becomes a function
:math:`\lambda_i(P)` of one real variable, and the *stable set*

.. math:: \mathcal S = \{P \in [P_{\min}, P_{\max}] : \lambda_i(P) < 0 \ \forall i\}

is a union of intervals whose finite ends (other than declared bounds) are roots of some
:math:`\lambda_i`.  At such a *critical value* some eigenvalue is 0: the vertex is non-hyperbolic
there and is never called stable, so interval ends at critical values are open.  Declared bounds
are inclusive and belong to :math:`\mathcal S` when every eigenvalue is negative there.

How the roots are found, robustly:

1. **exactly** when :math:`\lambda_i(P)` is a rational function of :math:`P` (the common case:
   subsidies, costs, shares): the real roots of its numerator (and of its denominator: poles) come
   from :meth:`sympy.Poly.real_roots`, all of them, on the whole real line;
2. otherwise (a term :math:`T` inside :math:`(1+\rho)^{-T}`) **numerically**: :math:`\lambda_i` is
   sampled on the search interval (declared bounds; an unbounded side is cut at a stated distance)
   and every sign change is refined with Brent's method;
3. **symbolically** as well: :math:`\lambda_i = 0` is solved for :math:`P` by sympy, under a
   deterministic work budget (degree at most 4 in :math:`P`, at most :data:`SYMBOLIC_MAX_OPS`
   operations; never a clock), keeping derived names that do not involve :math:`P` (``aT``, ``ak``): the critical value
   in terms of the other parameters.  Its number under the game's values is added to the
   candidate roots.

All roots are sorted and the sign pattern is tested, in 30-digit arithmetic, at the midpoint of each
piece between consecutive roots; stable pieces are the stable set.  The critical values are the
roots that bound it.  The result also says when the outcome is stable for every value of
:math:`P` in range, or for none, and which eigenvalue blocks it then.

The result types are in :mod:`.threshold_types`, the root finding of one eigenvalue in
:mod:`.threshold_roots`; this module puts them together (:func:`threshold`) and re-exports every
name it had before.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass  # noqa: F401

import mpmath  # noqa: F401
import numpy as np  # noqa: F401
import sympy as sp
from scipy.optimize import brentq  # noqa: F401

from ..errors import GameInputError, ParameterError
from ..model.game import Game
from .equilibria import _deviation_gains
from .threshold_roots import (  # noqa: F401  (moved there; re-exported)
    _SOLVE_CACHE,
    DIGITS,
    MAX_DEGREE,
    SAMPLES,
    SYMBOLIC_MAX_OPS,
    _merge,
    _numeric_roots,
    _poly_roots,
    _rationalize,
    _safe,
    _sign_at,
    _solve_symbolic,
    _to_float,
)
from .threshold_types import CriticalValue, Interval, ThresholdResult, VertexEigenvalue

__all__ = [
    "ThresholdResult",
    "CriticalValue",
    "Interval",
    "VertexEigenvalue",
    "threshold",
    "DEFAULT_TIME_BUDGET",
]

#: Kept for compatibility; ``time_budget`` is deprecated and changes nothing.
DEFAULT_TIME_BUDGET = None
#: An unbounded side of the search interval is cut at this many times the parameter's scale.
WINDOW_FACTOR = 100.0


def _outcome_profile(game: Game, outcome: Mapping[str, str] | Sequence[str]) -> tuple[int, ...]:
    if isinstance(outcome, str) or not isinstance(outcome, Mapping | Sequence):
        raise GameInputError(
            f"outcome: expected a mapping population -> strategy (e.g. "
            f"{{{game.populations[0].name!r}: {game.populations[0].strategies[0]!r}, ...}}), "
            f"got {outcome!r}"
        )
    return game.profile_index(outcome, where="outcome")


def _check_parameter(game: Game, name: str):
    if name in game.derived:
        raise ParameterError(
            f"parameter {name!r} is a derived name of model {game.name!r}, computed from "
            f"parameters; choose one of its parameters. Known parameters: "
            f"{', '.join(game.parameter_names)}"
        )
    return game.parameter(name)


# ---------------------------------------------------------------------------- main entry
def threshold(game: Game, outcome: Mapping[str, str] | Sequence[str], parameter: str, *,
              time_budget: float | None = None, symbolic: bool = True) -> ThresholdResult:
    """The values of ``parameter`` for which the pure ``outcome`` is stable.

    Parameters
    ----------
    game : Game
        Every parameter other than ``parameter`` needs a value (a scenario, ``with_values``).
    outcome : mapping of population -> strategy (or strategy names in population order)
    parameter : str
        A parameter (not a derived name) of the game.
    time_budget : float, optional
        Deprecated and ignored (a ``DeprecationWarning``): symbolic solving has a
        deterministic work budget, so the result never depends on the clock.
    symbolic : bool
        Also solve symbolically for the critical values' expressions (default True).

    Returns
    -------
    ThresholdResult

    Raises
    ------
    GameInputError
        Unknown population or strategy in ``outcome``, unknown ``parameter``, or another
        parameter without a value.

    Examples
    --------
    Role-asymmetric hawk-dove (Maynard Smith 1982, ch. 8): (hawk, dove) is an ESS iff
    0 < V < C; with C = 4:

    >>> from gametheory_regen.model import Game
    >>> res = threshold(Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"}, "V")
    >>> [c.value for c in res.critical], [c.expression for c in res.critical]
    ([0.0, 4.0], [0, C])
    >>> res.stable_set[0]
    Interval(lower=0.0, upper=4.0, lower_closed=False, upper_closed=False)
    """
    from .equilibria import _check_analyze_arguments

    _check_analyze_arguments(game, time_budget)
    if time_budget is not None:
        warnings.warn("threshold(time_budget=...) is deprecated and ignored: symbolic solving "
                      "uses a deterministic work budget", DeprecationWarning, stacklevel=2)
    profile = _outcome_profile(game, outcome)
    param = _check_parameter(game, parameter)
    P = param.symbol
    missing = [n for n in game.free_parameters if n != parameter]
    if missing:
        raise ParameterError(
            f"threshold of {parameter!r}: the other parameters need values, but "
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} none; give them with "
            f"--set NAME=VALUE or a scenario"
        )
    notes: list[str] = []

    # ---- eigenvalues: as written, partially expanded (for sympy), and of P alone
    from ..dynamics.replicator import expected_payoffs

    gains = iter(_deviation_gains(game, expected_payoffs(game, numeric=False, expand=False),
                                  profile))
    with_p = {s: e for s, e in game._derived_subs().items() if e.has(P)}
    values = {p.symbol: p.value for p in game.parameters
              if p.value is not None and p.name != parameter}
    eigs: list[VertexEigenvalue] = []
    partial: list[sp.Expr] = []
    poly_roots: list[list[float] | None] = []
    for p, pop in enumerate(game.populations):
        for j in range(pop.k):
            if j == profile[p]:
                continue
            lam = next(gains)
            part = lam.xreplace(with_p)
            of_p = game.expand_derived(lam).xreplace(values)
            poly = _poly_roots(of_p, P) if of_p.has(P) else []
            eigs.append(VertexEigenvalue(pop.name, pop.strategies[j], lam, of_p, poly is not None))
            partial.append(part)
            poly_roots.append(poly)

    # ---- symbolic solutions
    sym_sols: list[list[tuple[sp.Expr, float]]] = [[] for _ in eigs]
    sym_ok = True
    if symbolic:
        for i, part in enumerate(partial):
            if not game.expand_derived(part).has(P):
                continue
            sols = _solve_symbolic(part, P)
            if sols is None:
                sym_ok = False
                continue
            for s in sols:
                v = _to_float(game.substitute_values(s).xreplace(values))
                if v is not None:
                    sym_sols[i].append((s, v))
        if not sym_ok:
            notes.append("sympy found no closed form for some eigenvalue's root (beyond the "
                         "symbolic work budget: degree > 4, more than "
                         f"{SYMBOLIC_MAX_OPS} operations, or the parameter in several "
                         "transcendental forms); those critical values have no expression")

    # ---- search interval
    lo_b = float(param.min) if param.min is not None else -math.inf
    hi_b = float(param.max) if param.max is not None else math.inf
    exact_roots: list[tuple[float, int]] = []
    for i, e in enumerate(eigs):
        if e.of_parameter.has(P) and e.exact_roots:
            exact_roots += [(r, i) for r in poly_roots[i]]
    known = [r for r, _ in exact_roots] + [v for sols in sym_sols for _, v in sols]
    scale = max([1.0] + [abs(x) for x in (lo_b, hi_b) if math.isfinite(x)]
                + ([abs(float(param.value))] if param.value is not None else [])
                + [abs(x) for x in known])
    lo = lo_b if math.isfinite(lo_b) else -WINDOW_FACTOR * scale
    hi = hi_b if math.isfinite(hi_b) else WINDOW_FACTOR * scale
    if not math.isfinite(lo_b) and math.isfinite(hi_b):
        lo = min(lo, hi_b - WINDOW_FACTOR * scale)
    if not math.isfinite(hi_b) and math.isfinite(lo_b):
        hi = max(hi, lo_b + WINDOW_FACTOR * scale)
    complete = all(e.exact_roots for e in eigs)
    if not complete and (math.isinf(lo_b) or math.isinf(hi_b)):
        notes.append(f"{parameter} is unbounded; the numeric root search covered "
                     f"[{lo:.6g}, {hi:.6g}] only")

    # ---- all roots, per eigenvalue
    roots: list[tuple[float, int]] = [(r, i) for r, i in exact_roots if lo <= r <= hi]
    for i, e in enumerate(eigs):
        if not e.of_parameter.has(P) or e.exact_roots:
            continue
        f = sp.lambdify(P, e.of_parameter, modules=["math", "mpmath"])
        extra = [v for _, v in sym_sols[i]]
        roots += [(r, i) for r in _numeric_roots(f, lo, hi, extra)]
    for i, sols in enumerate(sym_sols):
        roots += [(v, i) for _, v in sols if lo <= v <= hi]
    points = [r for r in _merge([r for r, _ in roots]) if lo < r < hi]

    # ---- sign pattern on each piece
    def signs_at(x: float) -> list[int | None]:
        return [_sign_at(e.of_parameter, P, x) for e in eigs]

    edges = [lo] + points + [hi]
    pieces = []  # (a, b, stable, signs at midpoint)
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        sg = signs_at((a + b) / 2)
        pieces.append((a, b, all(s == -1 for s in sg), sg))
    negative_somewhere = [any(pc[3][i] == -1 for pc in pieces) for i in range(len(eigs))]
    intervals: list[Interval] = []
    for k, (a, b, stable, _) in enumerate(pieces):
        if not stable:
            continue
        if k == 0:
            if math.isinf(lo_b):
                lower, lclosed = -math.inf, False
            else:
                lower, lclosed = a, all(s == -1 for s in signs_at(a))
        else:
            lower, lclosed = a, False
        if k == len(pieces) - 1:
            if math.isinf(hi_b):
                upper, uclosed = math.inf, False
            else:
                upper, uclosed = b, all(s == -1 for s in signs_at(b))
        else:
            upper, uclosed = b, False
        intervals.append(Interval(lower, upper, lclosed, uclosed))
    if not intervals and len(eigs) == 0:  # pragma: no cover - every vertex has eigenvalues
        intervals.append(Interval(lo_b, hi_b, math.isfinite(lo_b), math.isfinite(hi_b)))

    # ---- critical values: the ends of the stable set that are roots (or zeros at a bound)
    ends = []
    for iv in intervals:
        for x, closed in ((iv.lower, iv.lower_closed), (iv.upper, iv.upper_closed)):
            if math.isfinite(x) and not closed:
                ends.append(x)
    critical = []
    for x in _merge(ends):
        which = tuple(sorted({i for r, i in roots if abs(r - x) <= 1e-7 * max(1.0, abs(x))}))
        if not which:  # a declared bound where an eigenvalue is exactly zero
            which = tuple(i for i, s in enumerate(signs_at(x)) if s == 0)
        expr, method, value = None, "numeric", x
        for i in which:
            for s, v in sym_sols[i]:
                if abs(v - x) <= 1e-7 * max(1.0, abs(x)):
                    expr, method, value = s, "symbolic", v
                    break
            if expr is not None:
                break
        if expr is None:
            if any(eigs[i].exact_roots for i in which):
                method = "exact"
            if which and x in (lo_b, hi_b):
                expr, method = sp.nsimplify(x, rational=True), "exact"
        critical.append(CriticalValue(value, which, expr, method))
    # the interval ends at critical values take the (more precise) critical numbers
    snap = {}
    for x, c in zip(_merge(ends), critical, strict=True):
        snap[x] = c.value
    intervals = [Interval(snap.get(iv.lower, iv.lower), snap.get(iv.upper, iv.upper),
                          iv.lower_closed, iv.upper_closed) for iv in intervals]

    blocking = tuple(i for i, ok in enumerate(negative_somewhere) if not ok)
    if not any(e.of_parameter.has(P) for e in eigs):
        notes.append(f"no eigenvalue of this vertex depends on {parameter}")
    method = ("exact polynomial roots" if complete else "sampling and Brent's method") + \
        (" with sympy solve for the expressions" if symbolic else "") + \
        f"; signs tested at the midpoint of each piece in {DIGITS}-digit arithmetic"
    return ThresholdResult(
        model=game.name,
        scenario=game.scenario,
        parameter=parameter,
        outcome=tuple(zip((p.name for p in game.populations), game.profile_names(profile),
                          strict=True)),
        eigenvalues=tuple(eigs),
        critical=tuple(critical),
        stable_set=tuple(intervals),
        bounds=(lo_b, hi_b),
        search=(lo, hi),
        complete=complete,
        current_value=float(param.value) if param.value is not None else None,
        blocking=blocking,
        method=method,
        time_budget=time_budget,
        notes=tuple(notes),
    )

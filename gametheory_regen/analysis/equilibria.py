"""Every rest point of the replicator dynamics, its eigenvalues, stability and Nash properties.

**Rest points by support.**  A state :math:`x` is a rest point iff in every population all strategies
in use earn the same payoff.  Fix a support :math:`S_p \\subseteq \\{1..k_p\\}` for each population;
on the relative interior of the face :math:`\\prod_p \\Delta(S_p)` the rest points solve

.. math:: u_{pi}(x) = u_{p\\,\\ell_p}(x) \\quad (i \\in S_p,\\ \\ell_p = \\max S_p), \\qquad x_{pi} > 0,

a square polynomial system (:math:`\\sum_p (|S_p|-1)` unknowns and equations; population
:math:`p`'s equations involve only the *other* populations' shares).  Supports of size one
everywhere give the vertices, which are always rest points.  Each face system is solved by
:mod:`.faces`: exactly within a deterministic *work budget* (a Bezout number and a count of
unknowns, never a clock, so one input gives one report on any machine and thread), and
otherwise by certified numeric roots, the face then flagged "k rest points found, not proven
complete"; solution sets of positive dimension are *continua* of non-isolated rest points,
reported as such and never sampled.  Faces are visited smallest first under a work count (the
limit ``face_work``, :mod:`.facebudget`): faces beyond it are counted as unsearched and the
analysis is not complete.  With constant payoffs a face on which a used strategy dominates
another holds no rest point and is skipped (:mod:`.dominance`, an exact argument).

**Stability** comes from the eigenvalues of the full reduced Jacobian (:mod:`.eigen`).

**Nash, strict Nash, ESS.**  A rest point is a Nash equilibrium iff no population has an unused
strategy earning more than its used ones; strict Nash iff it is pure and every deviation earns
strictly less.  In multi-population games an ESS is exactly a strict Nash equilibrium (Selten 1980),
and the strict Nash equilibria are exactly the asymptotically stable rest points of the
replicator dynamics (Ritzberger & Vogelsberger 1990; Hofbauer & Sigmund 1998, Thm 10.3.1 ff.).
Both facts are computed independently here (payoff comparisons vs. Jacobian eigenvalues) and
checked against each other: :attr:`EquilibriumAnalysis.consistent` (for constant payoffs only:
a tie whose advantage depends on the state can still attract).

**Single-population games** (:mod:`.ess`): an ESS may be mixed (Maynard Smith & Price 1973) and is
decided by Maynard Smith's definition; every ESS is asymptotically stable (Hofbauer, Schuster &
Sigmund 1979; Zeeman 1980), not conversely (Zeeman 1980), and a non-regular ESS can be
non-hyperbolic; the consistency check is then "no ESS is unstable or a saddle".

**State-dependent payoffs.**  An asymptotically stable non-vertex point of a game of two or
more populations is reported ``stable`` with ``ess`` False and a note (Selten's theorem assumes
constant payoffs).  Where a rest point lies on a kink of the vector field (the argument of
``Abs``, a difference of ``Min``/``Max`` arguments or a ``Piecewise`` boundary, as ``pt_value``
at 0, vanishes there) the Jacobian does not exist: eigenvalues and stability are None, with a note.

The result types (:class:`RestPoint`, :class:`SymbolicRestPoint`, :class:`EquilibriumAnalysis`)
are in :mod:`.restpoints`, the classification of one found point in :mod:`.restclassify`; this
module runs the search (:func:`analyze`) and re-exports every name it had before.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence  # noqa: F401
from dataclasses import dataclass, field  # noqa: F401

import numpy as np  # noqa: F401
import sympy as sp

from ..dynamics.field import REPLICATOR, Dynamics
from ..dynamics.replicator import (  # noqa: F401
    ReplicatorSystem,
    expected_payoffs,
    replicator_system,
)
from ..model.game import Game
from .conditions import VertexConditions  # noqa: F401
from .dominance import dominated_face, rational_table
from .eigen import (  # noqa: F401
    Spectrum,
    Stability,
    exact_spectrum,
    numeric_spectrum,
)
from .ess import symmetric_ess
from .facebudget import CONTINUUM_COST, FaceWork, face_count, faces_in_order, point_cost
from .faces import (
    Continuum,
    ExactBudget,
    _display_shares,
    _face_name,
    _face_unknowns,
    face_equations,
    solve_face,
)
from .jacobian_eval import jacobian_at  # noqa: F401
from .pointwise import (  # noqa: F401  (re-exported: tests and older callers import them here)
    _bounds,
    _derived_exprs,
    _deviation_gains,
    _kind,
    _nash,
    _on_kink,
    _reduced_subs,
    _sign_of,
    _signed_derived,
    _to_floats,
    _vertex_diagonal,
    _vertex_nash,
    switching_functions,
    vertex_conditions,
)
from .polysolve import NUMERIC_STARTS
from .restclassify import (  # noqa: F401  (moved there; re-exported)
    FLOAT_SIGN_MARGIN,
    _classify_point,
    _gain_spectrum,
    _jacobian_function,
    _spectrum,
    _vertex_jacobian,
)
from .restpoints import _STRICT, EquilibriumAnalysis, RestPoint, SymbolicRestPoint

__all__ = [
    "RestPoint",
    "Continuum",
    "SymbolicRestPoint",
    "EquilibriumAnalysis",
    "analyze",
    "vertex_conditions",
]

#: Kept for compatibility: ``time_budget`` no longer changes any result (deprecated).
DEFAULT_TIME_BUDGET = None


# ---------------------------------------------------------------------------- main entry
def _check_analyze_arguments(game: object, time_budget: object) -> None:
    """The package's own errors for a wrong argument, not a deep AttributeError."""
    from ..errors import GameInputError
    from ..limits import check_time_budget

    if not isinstance(game, Game):
        hint = (f"; for a built-in model use analyze(Game.builtin({game!r}))"
                if isinstance(game, str) else "")
        raise GameInputError(f"expected a Game, got {type(game).__name__} "
                             f"{game!r:.60}{hint}")
    if time_budget is not None:
        check_time_budget(time_budget, "analyze(time_budget=)")


_SYMMETRIC_RELATIONS = (
    "every ESS is asymptotically stable under the replicator dynamics (Hofbauer, Schuster & "
    "Sigmund 1979; Zeeman 1980)",
    "an asymptotically stable rest point need not be an ESS (Zeeman 1980: a 3x3 game whose "
    "interior point is stable but not an ESS)",
    "an ESS that is not regular can be non-hyperbolic (hawk-dove with V = C): the stability "
    "word comes from the eigenvalues",
)
_SELTEN = (
    "in games of two or more populations an ESS is a strict Nash equilibrium, hence pure "
    "(Selten 1980), and the strict Nash equilibria are exactly the asymptotically stable "
    "vertices (Ritzberger & Vogelsberger 1990)",
)
_SELTEN_STATE = (
    "with payoffs that depend on the state a non-vertex rest point can be asymptotically "
    "stable; it is reported with ess false (Selten's theorem assumes constant payoffs)",
)


def analyze(game: Game, *, time_budget: float | None = None,
            symbolic: bool | None = None, starts: int = NUMERIC_STARTS,
            dynamics: Dynamics | str | None = None) -> EquilibriumAnalysis:
    """Find and classify every rest point of the replicator dynamics of ``game`` (or of
    another dynamics).

    Works for every kind of game: several populations or one (symmetric), constant or
    state-dependent payoffs, ``[[fitness]]``.  The result depends on the input alone.

    Parameters
    ----------
    game : Game
    time_budget : float, optional
        Deprecated and ignored: faces are solved under a deterministic work budget
        (:mod:`.polysolve`), never a clock.  Passing it gives a ``DeprecationWarning``.
    symbolic : bool, optional
        Ignore parameter values and analyse with every parameter free.  Default: symbolic exactly
        when some parameter has no value.
    starts : int
        Newton starts per face on the certified numeric route (part of the work budget).
    dynamics : Dynamics or str, optional
        Default: the game's own (``game.dynamics``, the replicator unless the model file says
        otherwise).  A string is read as ``KIND[,NAME=VALUE...]``.  Other dynamics are analysed
        by :mod:`.dynamics_rest` (Contract 4: no conditions, and Nash flags only under
        imitation).

    Returns
    -------
    EquilibriumAnalysis

    Examples
    --------
    Matching pennies has a centre at (1/2, 1/2) with eigenvalues +-i (Hofbauer & Sigmund 1998,
    section 10.3): non-hyperbolic, never "stable".

    >>> from gametheory_regen.model import Game
    >>> res = analyze(Game.builtin("matching_pennies"))
    >>> centre = res.rest_points[-1]
    >>> centre.kind, centre.state, centre.spectrum.exact, str(centre.stability)
    ('interior', ((0.5, 0.5), (0.5, 0.5)), (-I, I), 'non-hyperbolic')

    Under the Smith dynamics the rest points are the Nash equilibria; in the battle of the sexes
    the mixed one is a kink of the field (no eigenvalues, no stability word):

    >>> [(r.kind, str(r.stability)) for r in analyze(Game.builtin("battle_of_sexes"),
    ...                                               dynamics="smith").rest_points]
    [('vertex', 'stable'), ('vertex', 'stable'), ('interior', 'None')]
    """
    _check_analyze_arguments(game, time_budget)
    dyn = getattr(game, "dynamics", REPLICATOR) if dynamics is None else dynamics
    if isinstance(dyn, str):
        dyn = Dynamics.parse(dyn)
    if not isinstance(dyn, Dynamics):
        from ..errors import GameInputError

        raise GameInputError(f"analyze(dynamics=): expected a Dynamics or 'KIND[,NAME=VALUE]'; "
                             f"got {dyn!r:.60}")
    if dyn.kind != "replicator":
        from .dynamics_rest import analyze_dynamics

        rep = analyze(game, time_budget=time_budget, symbolic=symbolic, starts=starts,
                      dynamics=REPLICATOR)
        return analyze_dynamics(rep.game, dyn, rep, starts=starts)
    if time_budget is not None:
        warnings.warn("analyze(time_budget=...) is deprecated and ignored: results use a "
                      "deterministic work budget", DeprecationWarning, stacklevel=2)
    if symbolic:
        game = game.without_values()
    numeric = game.is_numeric
    system = replicator_system(game, numeric=numeric)
    payoffs = expected_payoffs(game, numeric=numeric)
    constant = not game.state_dependent and not game.symmetric
    switches = switching_functions(system.rhs)
    notes: list[str] = []

    points: list[RestPoint] = []
    # ------------------------------------------------------------ vertices
    dim = sum(k - 1 for k in game.shape)
    jacobian_check = math.prod(game.shape) * dim * dim <= VERTEX_JACOBIAN_ENTRIES
    if numeric and not jacobian_check and constant:
        notes.append(f"vertex eigenvalues are the deviation gains (the Jacobian at a vertex is "
                     f"triangular); the independent check against the full Jacobian is made up "
                     f"to {VERTEX_JACOBIAN_ENTRIES:,} Jacobian entries over all vertices and "
                     f"this game has {math.prod(game.shape) * dim * dim:,}")
    for profile in game.profiles():
        support = tuple((i,) for i in profile)
        exact_state = tuple(tuple(sp.Integer(1 if j == i else 0) for j in range(pop.k))
                            for pop, i in zip(game.populations, profile, strict=True))
        cond = vertex_conditions(game, profile)
        gains = list(_deviation_gains(game, payoffs, profile))
        nash, strict = _vertex_nash(gains)
        note = ""
        kink = _on_kink(switches, _reduced_subs(system, exact_state))
        if kink is not None:
            spectrum, stability = None, None
            note = f"not differentiable here ({sp.sstr(kink)} = 0 is a kink of the vector field)"
        elif numeric and (jacobian_check or game.state_dependent or game.symmetric):
            # exact eigenvalues of the Jacobian itself (an independent check of the deviation
            # gains: strict Nash and stable vertices must coincide, see below)
            jv = _vertex_jacobian(system, _reduced_subs(system, exact_state))
            spectrum = _spectrum(jv)
            stability = spectrum.stability
        elif numeric:
            spectrum = _gain_spectrum(game, payoffs, profile, system, exact_state)
            stability = spectrum.stability
        else:
            # With free parameters the symbolic Jacobian of a large model costs more than the
            # rest of the report; at a vertex it is triangular and its diagonal is known: the
            # payoff gains of the deviations (the numeric path checks this on every game).
            diag = [sp.expand(d) for d in _vertex_diagonal(game, payoffs, profile)]
            signs = [_sign_of(d) for d in diag]
            if all(s is not None for s in signs):
                values = tuple(complex(sp.N(d)) for d in diag) if all(
                    d.is_number for d in diag) else ()
                spectrum = Spectrum(values, tuple(diag), tuple(signs), "exact-symbolic")
                stability = spectrum.stability
            else:
                spectrum = Spectrum((), tuple(diag), (), "exact-symbolic")
                stability = None
        ess_value: object = _STRICT
        if game.symmetric:
            ess_value = symmetric_ess(game, payoffs, exact_state, support, nash, True)[0] \
                if numeric else (strict if strict else None if nash is not False else False)
        points.append(RestPoint(_to_floats(exact_state), exact_state, "vertex", support,
                                spectrum, stability, nash, strict, cond,
                                cond.eigenvalues, "vertex", ess_value, note))

    # ------------------------------------------------------------ faces
    continua: list[Continuum] = []
    symbolic_points: list[SymbolicRestPoint] = []
    unsolved = []
    incomplete = []
    budget = ExactBudget()
    work = FaceWork()
    searched = 0
    table = rational_table(game) if numeric else None
    for face in faces_in_order(game.shape):
        pruned = table is not None and dominated_face(face, table)
        if not work.take(face, 1 if pruned else None):  # spent: this face and all later ones
            unsearched = face_count(game.shape) - searched
            notes.append(_unsearched_note(unsearched, face_count(game.shape), work))
            break
        searched += 1
        if pruned:  # proven empty: a used strategy dominates another one within the face
            continue
        if not numeric:
            # an equation free of the face's unknowns (a condition on the parameters alone)
            # means no rest point for generic parameter values: say so at once
            unknowns, shares = _face_unknowns(game, face)
            eqs = face_equations(game, payoffs, face, shares)
            fixed = [e for e in eqs if e != 0 and not (e.free_symbols & set(unknowns))]
            if fixed:
                cond = "; ".join(f"{sp.sstr(e)} = 0" for e in fixed)
                notes.append(f"face {_face_name(game, face)}: no rest point for generic parameter "
                             f"values; rest points exist only where {cond}")
                continue
        states, conts, info = solve_face(game, payoffs, face, starts=starts, budget=budget,
                                         table=table)
        if info is None:
            unsolved.append(face)
            eqs = "; ".join(f"{sp.sstr(e)} = 0" for e in
                            face_equations(game, payoffs, face, _display_shares(game, face)))
            notes.append(f"face {_face_name(game, face)}: not solved symbolically (beyond the "
                         f"symbolic work budget; give parameter values for an exact or certified "
                         f"numeric solution); its rest points solve {eqs}")
            continue
        continua.extend(conts)
        work.charge(CONTINUUM_COST * len(conts))
        if not info.complete:
            incomplete.append((face, len(states), info.reason))
            extra = (f"; {info.uncertified} of them not certified by the interval test"
                     if info.uncertified else "")
            notes.append(f"face {_face_name(game, face)}: {len(states)} rest point"
                         f"{'s' if len(states) != 1 else ''} found, not proven complete "
                         f"({info.reason}{extra})")
        for k, state in enumerate(states):
            if not numeric and info.method == "exact":
                existence = tuple(
                    sp.StrictGreaterThan(v, 0) for shares, s in zip(state, face, strict=True)
                    for j, v in enumerate(shares) if j in s and not v.is_number)
                symbolic_points.append(SymbolicRestPoint(state, _kind(face, game.shape),
                                                         face, existence))
                continue
            method = info.method
            if method == "numeric" and not (info.certified[k] if k < len(info.certified)
                                            else False):
                method = "numeric-uncertified"
            points.append(_classify_point(game, system, payoffs, state, face, method,
                                          switches, constant))
            work.charge(point_cost(dim))
    order = {"vertex": 0, "boundary": 1, "interior": 2}
    points.sort(key=lambda r: order[r.kind])

    consistent = True
    if constant:
        vertices = [r for r in points if r.kind == "vertex"]
        consistent = all(r.strict_nash == (r.stability is Stability.STABLE)
                         for r in vertices if r.stability is not None and r.strict_nash is not None)
        if not consistent:  # pragma: no cover - would be a bug
            notes.append("INCONSISTENT: strict Nash vertices differ from stable vertices")
        if any(r.stability is Stability.STABLE and r.kind != "vertex" for r in points):
            notes.append("a non-vertex rest point was classified stable, which contradicts "
                         "the theorem that only strict Nash equilibria are asymptotically stable")
            consistent = False
        relations = _SELTEN
    elif game.symmetric:
        bad = [r for r in points if r.ess is True and r.stability in (Stability.UNSTABLE,
                                                                       Stability.SADDLE)]
        if bad:  # pragma: no cover - would be a bug
            consistent = False
            notes.append("INCONSISTENT: an ESS was classified unstable or a saddle")
        relations = _SYMMETRIC_RELATIONS
    else:
        relations = _SELTEN + _SELTEN_STATE
    return EquilibriumAnalysis(game, system, tuple(points), tuple(continua),
                               tuple(symbolic_points), tuple(unsolved), numeric, None,
                               tuple(notes), consistent, tuple(incomplete), relations,
                               face_count(game.shape) - searched)


def _unsearched_note(unsearched: int, total: int, work: FaceWork) -> str:
    """What the spent work count left undone, in one sentence (every format shows the notes)."""
    return (f"{unsearched:,} of {total:,} faces not searched: the rest-point search's "
            f"work count (limit `face_work` = {work.total} units, docs/limits.md) is spent; "
            f"rest points, continua and their stability on those faces are not reported, so "
            f"the rest points found are not proven complete (raise it with --limit face_work=N "
            f"or GAMETHEORY_REGEN_MAX_FACE_WORK=N)")


#: Work bound of the vertices' independent eigenvalue check: the full Jacobian is evaluated at
#: every vertex while (number of vertices) x (dimension)**2 is at most this; beyond it a vertex's
#: eigenvalues are its deviation gains, exactly (the Jacobian there is triangular: Hofbauer &
#: Sigmund 1998, sec. 10.3; tests/test_properties.py checks the two agree).  A 16x16 game has
#: 230,400 entries: the full route cost 0.7 s per vertex there.
VERTEX_JACOBIAN_ENTRIES = 20_000



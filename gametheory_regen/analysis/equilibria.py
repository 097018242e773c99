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
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..dynamics.field import REPLICATOR, Dynamics
from ..dynamics.replicator import ReplicatorSystem, expected_payoffs, replicator_system
from ..model.game import Game
from .conditions import VertexConditions
from .dominance import dominated_face, rational_table
from .eigen import (
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
from .jacobian_eval import jacobian_at
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
_STRICT = "strict"


@dataclass(frozen=True)
class RestPoint:
    """An isolated rest point.

    Attributes
    ----------
    state : tuple of tuple of float
        Full shares per population.
    exact_state : tuple of tuple of sympy.Expr or None
        The same, exactly (None when found numerically).
    kind : str
        ``"vertex"``, ``"boundary"`` or ``"interior"``.
    support : tuple of tuple of int
        Strategies in use, per population.
    spectrum : Spectrum or None
        Eigenvalues and how they were decided; None when they depend on free parameters and could
        not be signed.
    stability : Stability or None
        None only in a symbolic analysis where it depends on parameter values.
    nash, strict_nash, ess : bool or None
        None when undecidable with free parameters.
    conditions : VertexConditions or None
        For vertices: the symbolic condition for stability.
    symbolic_eigenvalues : tuple of sympy.Expr or None
        For vertices: the eigenvalues as expressions of the parameters (derived names kept).
    method : str
        How the point was found: ``"vertex"``, ``"exact"`` (exact algebra; algebraic points of
        degree > 2 carry 50-digit values), ``"numeric"`` (certified by the Krawczyk test) or
        ``"numeric-uncertified"`` (small residual, interval test not applicable).
    ess_value : bool or None or "strict"
        ``"strict"`` (the default): :attr:`ess` is :attr:`strict_nash`; otherwise the verdict
        itself (single-population games, state-dependent payoffs).
    note : str
        Why eigenvalues are missing (a kink) or why a stable point is not an ESS.
    kink : LocalField or None
        BNN and Smith (:mod:`.dynamics_local`): one-sided slopes at the point, and whether the
        field is differentiable there.
    nearby : NearbyRuns or None
        Dynamics other than the replicator, where linearisation cannot decide: what short
        simulations from nearby starts do.

    Examples
    --------
    The interior rest point of role-asymmetric hawk-dove (V = 2, C = 4) is a saddle at
    :math:`(V/C, V/C)`, a Nash equilibrium but not a strict one:

    >>> from gametheory_regen.model import Game
    >>> mixed = analyze(Game.builtin("hawk_dove")).rest_points[-1]
    >>> mixed.kind, mixed.state, mixed.support
    ('interior', ((0.5, 0.5), (0.5, 0.5)), ((0, 1), (0, 1)))
    >>> mixed.spectrum.exact, str(mixed.stability), mixed.nash, mixed.ess
    ((-1/2, 1/2), 'saddle', True, False)
    """

    state: tuple[tuple[float, ...], ...]
    exact_state: tuple[tuple[sp.Expr, ...], ...] | None
    kind: str
    support: tuple[tuple[int, ...], ...]
    spectrum: Spectrum | None
    stability: Stability | None
    nash: bool | None
    strict_nash: bool | None
    conditions: VertexConditions | None = None
    symbolic_eigenvalues: tuple[sp.Expr, ...] | None = None
    method: str = "exact"
    ess_value: object = _STRICT
    note: str = ""
    kink: object = None
    nearby: object = None

    @property
    def ess(self) -> bool | None:
        """ESS = strict Nash in multi-population games (Selten 1980); Maynard Smith's ESS in a
        single-population game (mixed ones included).

        In multi-population games the same as :attr:`strict_nash`; None when that depends on
        free parameters.

        >>> from gametheory_regen.model import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> points = analyze(hd).rest_points    # 4 vertices (C order), then the interior saddle
        >>> [r.ess for r in points], all(r.ess == r.strict_nash for r in points)
        ([False, True, True, False, False], True)
        >>> analyze(hd.without_values()).rest_points[1].ess is None     # (hawk, dove): 0 < V < C?
        True
        """
        if self.ess_value == _STRICT:
            return self.strict_nash
        return self.ess_value

    @property
    def differentiable(self) -> bool:
        """False when the point lies on a kink of the vector field (no Jacobian there).

        >>> from gametheory_regen.model import Game
        >>> all(r.differentiable for r in analyze(Game.builtin("hawk_dove")).rest_points)
        True
        """
        return "not differentiable" not in self.note

    @property
    def focus(self) -> bool:
        """Hyperbolic with a complex pair of eigenvalues: a (stable or unstable) focus.

        >>> from gametheory_regen.model import Game
        >>> [r.focus for r in analyze(Game.builtin("matching_pennies")).rest_points][-1]
        False
        """
        spec = self.spectrum
        return (spec is not None and 0 not in spec.signs
                and any(abs(v.imag) > 1e-12 for v in spec.values))

    @property
    def certainly_unstable(self) -> bool:
        """Some eigenvalue has a positive real part: unstable, hyperbolic or not.

        >>> from gametheory_regen.model import Game
        >>> [r.certainly_unstable for r in analyze(Game.builtin("hawk_dove")).rest_points]
        [True, False, False, True, True]
        """
        return self.spectrum is not None and self.spectrum.certainly_unstable


@dataclass(frozen=True)
class SymbolicRestPoint:
    """A non-vertex rest point of a game with free parameters, valid where its shares are in (0, 1).

    Attributes
    ----------
    exact_state : tuple of tuple of sympy.Expr
        Full shares per population, as expressions of the parameters.
    kind : str
        ``"boundary"`` or ``"interior"``.
    support : tuple of tuple of int
        Strategies in use, per population.
    existence : tuple of sympy.Rel
        The point exists (in the relative interior of its face) where all of these hold.

    Examples
    --------
    Hawk-dove with free V and C: the mixed rest point is :math:`(V/C, V/C)`, present for
    :math:`0 < V < C`:

    >>> from gametheory_regen.model import Game
    >>> point = analyze(Game.builtin("hawk_dove"), symbolic=True).symbolic_points[0]
    >>> point.kind, point.exact_state
    ('interior', ((V/C, (C - V)/C), (V/C, (C - V)/C)))
    >>> sorted(set(map(str, point.existence)))
    ['(C - V)/C > 0', 'V/C > 0']
    """

    exact_state: tuple[tuple[sp.Expr, ...], ...]
    kind: str
    support: tuple[tuple[int, ...], ...]
    existence: tuple[sp.Rel, ...]


@dataclass(frozen=True)
class EquilibriumAnalysis:
    """Everything known about the rest points of a game's replicator dynamics.

    Attributes
    ----------
    game : Game
    system : ReplicatorSystem
    rest_points : tuple of RestPoint
        Vertices, then boundary, then interior points.
    continua : tuple of Continuum
    symbolic_points : tuple of SymbolicRestPoint
        Non-vertex rest points with free parameters (existence conditions attached).
    unsolved_faces : tuple of tuple
        Faces left unsolved with free parameters (beyond the symbolic work budget).
    numeric : bool
        Whether parameter values were substituted.
    time_budget : None
        Deprecated and ignored (results never depend on a clock).
    notes : tuple of str
    consistent : bool
        Constant payoffs: strict Nash vertices (payoff comparison) == stable vertices
        (eigenvalues). Single population: no ESS is unstable or a saddle.
    incomplete_faces : tuple of (face, int, str)
        Faces whose rest points are not proven complete: the face, how many were found, why.
    unsearched_faces : int
        Faces not searched at all because the work count ``face_work`` was spent
        (:mod:`.facebudget`); a note says so.
    relations : tuple of str
        The theorems that relate ESS and stability for this kind of game.
    dynamics : Dynamics
        The dynamics the rest points belong to (the replicator unless ``analyze(dynamics=)``).

    Examples
    --------
    Battle of the sexes: both coordinated profiles are stable, the mixed point is a saddle
    (Hofbauer & Sigmund 1998, section 10.2):

    >>> from gametheory_regen.model import Game
    >>> res = analyze(Game.builtin("battle_of_sexes"))
    >>> [res.profile(r) for r in res.stable]
    [{'woman': 'opera', 'man': 'opera'}, {'woman': 'football', 'man': 'football'}]
    >>> [(r.kind, str(r.stability)) for r in res.rest_points]     # doctest: +NORMALIZE_WHITESPACE
    [('vertex', 'stable'), ('vertex', 'unstable'), ('vertex', 'unstable'), ('vertex', 'stable'),
     ('interior', 'saddle')]
    >>> res.consistent, res.continua, res.unsolved_faces
    (True, (), ())
    """

    game: Game
    system: ReplicatorSystem
    rest_points: tuple[RestPoint, ...]
    continua: tuple[Continuum, ...]
    symbolic_points: tuple[SymbolicRestPoint, ...] = ()
    unsolved_faces: tuple = ()
    numeric: bool = True
    time_budget: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    consistent: bool = True
    incomplete_faces: tuple = ()
    relations: tuple[str, ...] = ()
    unsearched_faces: int = 0
    dynamics: Dynamics = REPLICATOR

    @property
    def complete(self) -> bool:
        """Every rest point proven found (no face flagged, none left unsolved).

        >>> from gametheory_regen.model import Game
        >>> analyze(Game.builtin("rock_paper_scissors")).complete
        True
        """
        return not self.incomplete_faces and not self.unsolved_faces and \
            not self.unsearched_faces

    @property
    def stable(self) -> tuple[RestPoint, ...]:
        """The asymptotically stable rest points (stability word ``"stable"``).

        >>> from gametheory_regen.model import Game
        >>> [r.state for r in analyze(Game.builtin("hawk_dove")).stable]
        [((1.0, 0.0), (0.0, 1.0)), ((0.0, 1.0), (1.0, 0.0))]
        """
        return tuple(r for r in self.rest_points if r.stability is Stability.STABLE)

    @property
    def vertices(self) -> tuple[RestPoint, ...]:
        """The rest points at pure profiles (every vertex is one), in profile order.

        >>> from gametheory_regen.model import Game
        >>> len(analyze(Game.builtin("jordan_matching_pennies")).vertices)
        8
        """
        return tuple(r for r in self.rest_points if r.kind == "vertex")

    def profile(self, point: RestPoint) -> dict[str, str] | None:
        """Population -> strategy for a vertex; None for a mixed rest point.

        Parameters
        ----------
        point : RestPoint
            One of :attr:`rest_points`.

        Returns
        -------
        dict of str to str or None

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> res = analyze(Game.builtin("hawk_dove"))
        >>> res.profile(res.rest_points[1]), res.profile(res.rest_points[-1])
        ({'owner': 'hawk', 'intruder': 'dove'}, None)
        """
        if point.kind != "vertex":
            return None
        return {pop.name: pop.strategies[s[0]]
                for pop, s in zip(self.game.populations, point.support, strict=True)}

    def vertex(self, profile: Sequence[str] | dict) -> RestPoint:
        """The vertex of a pure profile (strategy names in population order, or a mapping).

        Parameters
        ----------
        profile : sequence of str or mapping of str to str
            Strategy names in population order, or population -> strategy.

        Returns
        -------
        RestPoint

        Raises
        ------
        GameInputError
            For an unknown population or strategy, or a wrong number of strategies.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> res = analyze(Game.builtin("hawk_dove"))
        >>> hd = res.vertex(("hawk", "dove"))
        >>> str(hd.stability), hd.strict_nash, hd.conditions.as_strings()
        ('stable', True, ['V > 0', 'C - V > 0'])
        >>> str(res.vertex({"owner": "dove", "intruder": "dove"}).stability)
        'unstable'
        """
        idx = self.game.profile_index(profile)
        for r in self.vertices:
            if tuple(s[0] for s in r.support) == idx:
                return r
        raise KeyError(profile)  # pragma: no cover - every vertex is listed


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


def _gain_spectrum(game, payoffs, profile, system, exact_state) -> Spectrum:
    """A vertex's exact spectrum from its deviation gains (the diagonal of its triangular
    Jacobian), sorted as :func:`~.eigen.exact_spectrum` sorts; the full Jacobian when a sign
    cannot be decided exactly."""
    diag = [sp.expand(d) for d in _vertex_diagonal(game, payoffs, profile)]
    signs = [_sign_of(d) for d in diag]
    if any(s is None for s in signs) or any(not d.is_number or d.has(sp.Float) for d in diag):
        return _spectrum(system.jacobian().xreplace(_reduced_subs(system, exact_state)))
    order = sorted(range(len(diag)), key=lambda i: float(sp.N(diag[i], 30)))
    return Spectrum(tuple(complex(sp.N(diag[i], 30)) for i in order),
                    tuple(diag[i] for i in order), tuple(signs[i] for i in order), "exact")


#: Real parts farther than this from 0 are signed from double-precision eigenvalues of an
#: exactly known (algebraic) Jacobian; closer ones are decided with 50-digit arithmetic.
FLOAT_SIGN_MARGIN = 1e-6


def _spectrum(jv: sp.Matrix) -> Spectrum:
    if all(e.is_Rational for e in jv):
        return exact_spectrum(jv)
    if all(e.is_number and not e.has(sp.Float) for e in jv):
        # exact irrational entries (sqrt(2), E): exact where the matrix is triangular, else a
        # stated 50-digit spectrum (eigen._irrational_spectrum)
        return exact_spectrum(jv)
    if all(e.is_number for e in jv):
        quick = numeric_spectrum(np.array(jv.tolist(), dtype=float),
                                 tolerance=FLOAT_SIGN_MARGIN)
        if 0 not in quick.signs:
            return quick
        return numeric_spectrum(jv, tolerance=1e-20)
    raise ValueError("the Jacobian still has symbols")  # pragma: no cover


def _classify_point(game, system, payoffs, state, face, method, switches,
                    constant) -> RestPoint:
    kind = _kind(face, game.shape)
    exact = method == "exact"
    if exact:
        subs = _reduced_subs(system, state)
        floats = _to_floats(state)
        exact_state = state if all(not isinstance(v, sp.Float) for row in state for v in row) \
            else None
    else:
        floats = state
        subs = _reduced_subs(system, tuple(tuple(sp.Float(v, 30) for v in row)
                                           for row in state))
        exact_state = None
    note = ""
    kink = _on_kink(switches, subs)
    if kink is not None:
        spectrum, stability = None, None
        note = f"not differentiable here ({sp.sstr(kink)} = 0 is a kink of the vector field)"
    elif exact:
        if not all(v.is_Rational for v in subs.values()):  # radicals: 40-digit floats suffice
            subs = {k: sp.Float(sp.N(v, 40), 40) for k, v in subs.items()}
        spectrum = _spectrum(jacobian_at(system, subs))
        stability = spectrum.stability
    else:
        fn = _jacobian_function(system)
        flat = [v for row, pop in zip(state, game.populations, strict=True)
                for v in row[: pop.k - 1]]
        with np.errstate(all="ignore"):  # numpy evaluates every Piecewise branch
            values = np.array(fn(*flat), dtype=complex)
        spectrum = numeric_spectrum(np.real(values), tolerance=1e-7)
        stability = spectrum.stability
    nash, strict = _nash(game, payoffs, system, state, face, exact)
    ess_value: object = _STRICT
    if game.symmetric:
        ess_value, why = symmetric_ess(game, payoffs, state if exact else floats, face, nash,
                                       exact and exact_state is not None and all(
                                           v.is_Rational for row in state for v in row))
    elif not constant:
        ess_value = False
        if stability is Stability.STABLE:
            note = ("asymptotically stable but not an ESS: in games of two or more populations "
                    "an ESS is a strict Nash equilibrium, and Selten's theorem (only those are "
                    "stable) assumes constant payoffs")
    return RestPoint(floats, exact_state, kind, face, spectrum, stability, nash, strict,
                     None, None, method, ess_value, note)


def _vertex_jacobian(system, subs) -> sp.Matrix:
    """The Jacobian at a vertex: from the rhs' polynomials over QQ (:func:`.jacobian_at`, the
    same rationals) when the rhs has no floats, else by substitution."""
    cache = system.__dict__.setdefault("_rhs_has_float", [])
    if not cache:
        cache.append(any(f.has(sp.Float) for f in system.rhs))
    if not cache[0] and all(v.is_Rational for v in subs.values()):
        return jacobian_at(system, subs)
    return system.jacobian().xreplace(subs)


def _jacobian_function(system):
    cache = system.__dict__.setdefault("_jac_fn", [])
    if not cache:
        cache.append(sp.lambdify(system.flat_variables, system.jacobian(), "numpy"))
    return cache[0]

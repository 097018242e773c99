"""Every rest point of the replicator dynamics, its eigenvalues, stability and Nash properties.

**Rest points by support.**  A state :math:`x` is a rest point iff in every population all strategies
in use earn the same payoff.  Fix a support :math:`S_p \\subseteq \\{1..k_p\\}` for each population;
on the relative interior of the face :math:`\\prod_p \\Delta(S_p)` the rest points solve

.. math:: u_{pi}(x) = u_{p\\,\\ell_p}(x) \\quad (i \\in S_p,\\ \\ell_p = \\max S_p), \\qquad x_{pi} > 0,

a square polynomial system (:math:`\\sum_p (|S_p|-1)` unknowns and equations; population
:math:`p`'s equations involve only the *other* populations' shares).  Supports of size one
everywhere give the vertices, which are always rest points.  Each face system is solved exactly by
sympy where it can (under a time budget) and numerically otherwise (multi-start Newton with a
stated tolerance); solution sets of positive dimension are *continua* of non-isolated rest points,
reported as such and never sampled.

**Stability** comes from the eigenvalues of the full reduced Jacobian (:mod:`.eigen`).

**Nash, strict Nash, ESS.**  A rest point is a Nash equilibrium iff no population has an unused
strategy earning more than its used ones; strict Nash iff it is pure and every deviation earns
strictly less.  In multi-population games an ESS is exactly a strict Nash equilibrium (Selten 1980),
and the strict Nash equilibria are exactly the asymptotically stable rest points of the
replicator dynamics (Ritzberger & Vogelsberger 1990; Hofbauer & Sigmund 1998, Thm 10.3.1 ff.).
Both facts are computed independently here (payoff comparisons vs. Jacobian eigenvalues) and
checked against each other: :attr:`EquilibriumAnalysis.consistent`.
"""

from __future__ import annotations

import functools
import itertools
import signal
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..dynamics.replicator import ReplicatorSystem, expected_payoffs, replicator_system
from ..model.game import Game
from .conditions import VertexConditions, derived_bounds, simplify_conditions
from .eigen import (
    Spectrum,
    Stability,
    exact_spectrum,
    numeric_spectrum,
)

__all__ = [
    "RestPoint",
    "Continuum",
    "SymbolicRestPoint",
    "EquilibriumAnalysis",
    "analyze",
    "vertex_conditions",
]

#: Default time budget (seconds) for solving all faces with numeric parameters (faces left over
#: are solved numerically).
DEFAULT_TIME_BUDGET = 20.0
#: Default time budget with free parameters: vertices and conditions come first and are never cut;
#: faces that do not finish in time are listed as unsolved (raise it with ``time_budget``).
SYMBOLIC_TIME_BUDGET = 0.3
#: Tolerance of the numeric fallback (residual and positivity).
NUMERIC_TOL = 1e-9


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
        How the point was found: ``"vertex"``, ``"exact"`` (sympy) or ``"numeric"``.

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

    @property
    def ess(self) -> bool | None:
        """ESS = strict Nash in multi-population games (Selten 1980).

        The same as :attr:`strict_nash`; None when that depends on free parameters.

        >>> from gametheory_regen.model import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> points = analyze(hd).rest_points    # 4 vertices (C order), then the interior saddle
        >>> [r.ess for r in points], all(r.ess == r.strict_nash for r in points)
        ([False, True, True, False, False], True)
        >>> analyze(hd.without_values()).rest_points[1].ess is None     # (hawk, dove): 0 < V < C?
        True
        """
        return self.strict_nash

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
class Continuum:
    """A set of non-isolated rest points: a solution set of positive dimension on a face.

    Attributes
    ----------
    support : tuple of tuple of int
        The face (strategies in use per population).
    dimension : int
    equations : tuple of sympy.Expr
        The face's rest-point equations (each ``= 0``), simplified; shares outside the support are 0.
    parametrization : dict of str to sympy.Expr
        Determined shares as functions of the free ones.
    free : tuple of str
        The free shares.

    Examples
    --------
    Selten's entry game: once the entrant stays out, the incumbent is indifferent, so the whole
    edge {entrant: out} is a line of rest points:

    >>> from gametheory_regen.model import Game
    >>> entry = Game.from_table("entry", [("entrant", ["in", "out"]),
    ...                                   ("incumbent", ["fight", "accommodate"])],
    ...     {("in", "fight"): (-1, -1), ("in", "accommodate"): (1, 1),
    ...      ("out", "fight"): (0, 2), ("out", "accommodate"): (0, 2)})
    >>> (line,) = analyze(entry).continua
    >>> line.support, line.dimension, line.free
    (((1,), (0, 1)), 1, ('incumbent.fight',))
    """

    support: tuple[tuple[int, ...], ...]
    dimension: int
    equations: tuple[sp.Expr, ...]
    parametrization: dict
    free: tuple[str, ...]


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
        Faces whose rest points could not be determined (time budget, numeric failure).
    numeric : bool
        Whether parameter values were substituted.
    time_budget : float
    notes : tuple of str
    consistent : bool
        Strict Nash vertices (payoff comparison) == stable vertices (eigenvalues).

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
    time_budget: float = DEFAULT_TIME_BUDGET
    notes: tuple[str, ...] = field(default_factory=tuple)
    consistent: bool = True

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


# ---------------------------------------------------------------------------- time budget
class _Timeout(Exception):
    pass


@contextmanager
def _deadline(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (main thread only; elsewhere no limit)."""
    if seconds <= 0:
        raise _Timeout
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------------------- helpers
def _bounds(game: Game) -> dict:
    return {p.symbol: (p.min, p.max) for p in game.parameters}


def vertex_conditions(game: Game, profile: Sequence[int]) -> VertexConditions:
    """Symbolic stability condition of the vertex at ``profile`` (strategy indices).

    Uses the payoffs as written (derived names kept); parameter values are ignored.

    Parameters
    ----------
    game : Game
    profile : sequence of int
        Strategy indices, in population order.

    Returns
    -------
    VertexConditions
        The eigenvalues :math:`A_p(j, s_{-p}) - A_p(s)` and the simplified condition that all
        are negative, under the parameters' declared bounds.

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
    tensors = game.payoff_tensors(numeric=False, expand=False)
    gains = list(_deviation_gains(game, tensors, profile))
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
    """Derived symbol (as in the payoffs) -> its expression in the parameters alone."""
    return {sym: game.expand_derived(sym) for sym in game.derived_symbols.values()}


def _deviation_gains(game: Game, tensors, profile):
    """A_p(j, s_-p) - A_p(s) for every population p and strategy j != s_p, in order.

    These are at once the gains from unilateral deviation and the vertex's eigenvalues.
    """
    for p, pop in enumerate(game.populations):
        here = tensors[p][tuple(profile)]
        for j in range(pop.k):
            if j == profile[p]:
                continue
            dev = list(profile)
            dev[p] = j
            yield tensors[p][tuple(dev)] - here


def _vertex_diagonal(game: Game, tensors, profile) -> list:
    """The diagonal of the reduced Jacobian at a vertex, in the order of the variables.

    Population ``p``'s variables are the shares of its strategies ``0 .. k-2``. At the vertex
    with strategy ``s`` the entry of variable ``i != s`` is the gain ``u_i - u_s`` of deviating
    to ``i``; the entry of variable ``s`` itself (when ``s < k-1``) is the gain of deviating to
    the last strategy, ``u_{k-1} - u_s``. The Jacobian at a vertex is block diagonal with
    triangular blocks, so these are its eigenvalues (Hofbauer & Sigmund 1998, sec. 10.3;
    checked against the Jacobian in tests/test_properties.py).
    """
    out = []
    for p, pop in enumerate(game.populations):
        here = tensors[p][tuple(profile)]
        for i in range(pop.k - 1):
            j = i if i != profile[p] else pop.k - 1
            dev = list(profile)
            dev[p] = j
            out.append(tensors[p][tuple(dev)] - here)
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


def _nash(game: Game, tensors, full_state, support, exact: bool, tol: float = NUMERIC_TOL):
    """(nash, strict_nash) by payoff comparison at a state."""
    nash = True
    strict = all(len(s) == 1 for s in support)
    for p in range(game.n_populations):
        u = expected_payoffs(tensors[p], p, full_state)
        if exact:
            u = [sp.expand(v) for v in u]
            used = u[support[p][0]]
            for j in range(len(u)):
                if j in support[p]:
                    continue
                diff = sp.expand(u[j] - used)
                sign = _sign_of(diff) if diff.is_Rational else None
                if sign is None:
                    val = float(sp.N(diff, 30))
                    sign = 0 if abs(val) < 1e-25 else (1 if val > 0 else -1)
                if sign > 0:
                    nash = False
                if sign >= 0:
                    strict = False
        else:
            vals = [float(v) for v in u]
            used = max(vals[i] for i in support[p])
            for j in range(len(vals)):
                if j in support[p]:
                    continue
                if vals[j] > used + tol:
                    nash = False
                if vals[j] >= used - tol:
                    strict = False
    return nash, strict and nash


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


def analyze(game: Game, *, time_budget: float | None = None,
            symbolic: bool | None = None) -> EquilibriumAnalysis:
    """Find and classify every rest point of the replicator dynamics of ``game``.

    Parameters
    ----------
    game : Game
    time_budget : float, optional
        Seconds allowed for solving the faces symbolically; faces left over are solved
        numerically (with numbers) or listed in ``unsolved_faces`` (with free parameters).
        Default :data:`DEFAULT_TIME_BUDGET` with numbers, :data:`SYMBOLIC_TIME_BUDGET` without.
    symbolic : bool, optional
        Ignore parameter values and analyse with every parameter free.  Default: symbolic exactly
        when some parameter has no value.

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
    """
    _check_analyze_arguments(game, time_budget)
    if symbolic:
        game = game.without_values()
    numeric = game.is_numeric
    if time_budget is None:
        time_budget = DEFAULT_TIME_BUDGET if numeric else SYMBOLIC_TIME_BUDGET
    system = replicator_system(game, numeric=numeric)
    tensors = game.payoff_tensors(numeric=numeric)
    notes: list[str] = []

    points: list[RestPoint] = []
    # ------------------------------------------------------------ vertices
    for profile in game.profiles():
        support = tuple((i,) for i in profile)
        exact_state = tuple(tuple(sp.Integer(1 if j == i else 0) for j in range(pop.k))
                            for pop, i in zip(game.populations, profile, strict=True))
        cond = vertex_conditions(game, profile)
        if numeric:
            # exact eigenvalues of the Jacobian itself (an independent check of the deviation
            # gains: strict Nash and stable vertices must coincide, see below)
            jv = system.jacobian().xreplace(_reduced_subs(system, exact_state))
            spectrum = exact_spectrum(jv)
            stability = spectrum.stability
        else:
            # With free parameters the symbolic Jacobian of a large model costs more than the
            # rest of the report; at a vertex it is triangular and its diagonal is known: the
            # payoff gains of the deviations (the numeric path checks this on every game).
            diag = [sp.expand(d) for d in _vertex_diagonal(game, tensors, profile)]
            signs = [_sign_of(d) for d in diag]
            if all(s is not None for s in signs):
                values = tuple(complex(sp.N(d)) for d in diag) if all(
                    d.is_number for d in diag) else ()
                spectrum = Spectrum(values, tuple(diag), tuple(signs), "exact-symbolic")
                stability = spectrum.stability
            else:
                spectrum = Spectrum((), tuple(diag), (), "exact-symbolic")
                stability = None
        nash, strict = _vertex_nash(game, tensors, profile)
        points.append(RestPoint(_to_floats(exact_state), exact_state, "vertex", support,
                                spectrum, stability, nash, strict, cond,
                                cond.eigenvalues, "vertex"))

    # ------------------------------------------------------------ faces
    continua: list[Continuum] = []
    symbolic_points: list[SymbolicRestPoint] = []
    unsolved = []
    start = time.monotonic()
    faces = [f for f in itertools.product(*(_subsets(k) for k in game.shape))
             if any(len(s) > 1 for s in f)]
    faces.sort(key=lambda f: (sum(len(s) for s in f), f))
    for face in faces:
        if not numeric:
            # an equation free of the face's unknowns (a condition on the parameters alone)
            # means no rest point for generic parameter values: say so at once, without
            # spending the time budget on it
            unknowns, shares = _face_unknowns(game, face)
            eqs = _face_equations(game, tensors, face, shares)
            fixed = [e for e in eqs if e != 0 and not (e.free_symbols & set(unknowns))]
            if fixed:
                cond = "; ".join(f"{sp.sstr(e)} = 0" for e in fixed)
                notes.append(f"face {_face_name(game, face)}: no rest point for generic parameter "
                             f"values; rest points exist only where {cond}")
                continue
        remaining = time_budget - (time.monotonic() - start)
        try:
            with _deadline(remaining):
                sols, conts = _solve_face(game, tensors, face)
        except _Timeout:
            if numeric:
                sols, conts = _solve_face_numeric(game, tensors, face), []
                notes.append(f"face {_face_name(game, face)}: sympy did not finish within the "
                             f"time budget; solved numerically (tolerance {NUMERIC_TOL:g})")
                method = "numeric"
            else:
                unsolved.append(face)
                unknowns, shares = _face_unknowns(game, face)
                eqs = "; ".join(f"{sp.sstr(e)} = 0" for e in
                                _face_equations(game, tensors, face, _display_shares(game, face)))
                notes.append(f"face {_face_name(game, face)}: not solved symbolically within the "
                             f"time budget of {time_budget:g} s (raise --time-budget); its rest "
                             f"points solve {eqs}")
                continue
        else:
            method = "exact"
        continua.extend(conts)
        for exact_state in sols:
            if not numeric and method == "exact":
                existence = tuple(
                    sp.StrictGreaterThan(v, 0) for shares, s in zip(exact_state, face, strict=True)
                    for j, v in enumerate(shares) if j in s and not v.is_number)
                symbolic_points.append(SymbolicRestPoint(exact_state, _kind(face, game.shape),
                                                         face, existence))
                continue
            points.append(_classify_point(game, system, tensors, system.jacobian(), exact_state,
                                          face, method))
    order = {"vertex": 0, "boundary": 1, "interior": 2}
    points.sort(key=lambda r: order[r.kind])

    vertices = [r for r in points if r.kind == "vertex"]
    consistent = all(r.strict_nash == (r.stability is Stability.STABLE)
                     for r in vertices if r.stability is not None and r.strict_nash is not None)
    if not consistent:  # pragma: no cover - would be a bug
        notes.append("INCONSISTENT: strict Nash vertices differ from stable vertices")
    if any(r.stability is Stability.STABLE and r.kind != "vertex" for r in points):
        notes.append("a non-vertex rest point was classified stable, which contradicts "
                     "the theorem that only strict Nash equilibria are asymptotically stable")
        consistent = False
    return EquilibriumAnalysis(game, system, tuple(points), tuple(continua),
                               tuple(symbolic_points), tuple(unsolved), numeric, time_budget,
                               tuple(notes), consistent)


def _subsets(k: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)]


def _face_name(game: Game, face) -> str:
    parts = []
    for pop, s in zip(game.populations, face, strict=True):
        parts.append(f"{pop.name}:{'+'.join(pop.strategies[i] for i in s)}")
    return "{" + ", ".join(parts) + "}"


def _reduced_subs(system: ReplicatorSystem, exact_state) -> dict:
    subs = {}
    for vars_p, shares in zip(system.variables, exact_state, strict=True):
        for v, s in zip(vars_p, shares, strict=False):
            subs[v] = s
    return subs


def _vertex_nash(game: Game, tensors, profile) -> tuple[bool | None, bool | None]:
    """Best-reply test at a pure profile straight from the payoff table."""
    nash: bool | None = True
    strict: bool | None = True
    for gain in _deviation_gains(game, tensors, profile):
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


def _face_equations(game: Game, tensors, face, shares):
    eqs = []
    for p, s in enumerate(face):
        if len(s) == 1:
            continue
        u = expected_payoffs(tensors[p], p, shares)
        last = u[s[-1]]
        for i in s[:-1]:
            eqs.append(sp.expand(u[i] - last))
    return eqs


def _solve_face(game: Game, tensors, face):
    """Exact rest points (relative interior of the face) and continua."""
    unknowns, shares = _face_unknowns(game, face)
    eqs = _face_equations(game, tensors, face, shares)
    nonzero = [e for e in eqs if e != 0]
    if not nonzero:
        return [], [_continuum(game, face, unknowns, shares, eqs, {})]
    if any(e.is_number for e in nonzero):
        return [], []  # a non-zero constant: no solution on this face
    if all(sp.Poly(e, *unknowns).total_degree() <= 1 for e in nonzero):
        sol_set = sp.linsolve(nonzero, unknowns)
        solutions = [dict(zip(unknowns, tup, strict=True)) for tup in sol_set]
    elif game.is_numeric:
        solutions = _solve_rational_system(nonzero, unknowns)
    else:
        solutions = sp.solve(nonzero, unknowns, dict=True)
    points, conts = [], []
    for sol in solutions:
        simplify = (lambda e: e) if game.is_numeric else _simplify_solution
        values = {u: _tidy(sol.get(u, u), simplify) for u in unknowns}
        free = [u for u in unknowns
                if values[u] == u or any(values[w].has(u) for w in unknowns)]
        if free:
            if game.is_numeric and not _continuum_meets_face(shares, values, unknowns, face):
                continue
            conts.append(_continuum(game, face, unknowns, shares, eqs, values))
            continue
        state = tuple(tuple(v if v.is_number else values[v] if v in values
                            else _tidy(v.xreplace(values), simplify) for v in row)
                      for row in shares)
        if game.is_numeric:
            if not _strictly_inside(state, face):
                continue
        else:
            if _certainly_outside(state, face):
                continue
        points.append(state)
    return points, conts


def _continuum_meets_face(shares, values, unknowns, face, samples: int = 400) -> bool:
    """Whether a solution set of positive dimension has points with every support share > 0.

    Exact (Fourier–Motzkin) when the shares are affine in the free unknowns; otherwise a seeded
    sample of the free unknowns in (0, 1).
    """
    from fractions import Fraction

    from .conditions import fourier_motzkin_feasible

    free = [u for u in unknowns if values[u] == u]
    exprs = [sp.expand(v.xreplace(values)) for row, s in zip(shares, face, strict=True)
             for j, v in enumerate(row) if j in s]
    try:
        polys = [sp.Poly(e, *free) for e in exprs]
        affine = all(p.total_degree() <= 1 and all(c.is_Rational for c in p.coeffs())
                     for p in polys)
    except sp.PolynomialError:
        affine = False
    if affine:
        rows = []
        for p in polys:  # -share < 0
            coeffs = {u: -Fraction(str(p.coeff_monomial(u))) for u in free}
            rows.append((coeffs, -Fraction(str(p.coeff_monomial(1))), True))
        return fourier_motzkin_feasible(rows, free)
    f = sp.lambdify(free, exprs, "numpy")
    rng = np.random.default_rng(0)
    for point in rng.random((samples, len(free))):
        vals = np.array(f(*point), dtype=complex)
        if np.all(np.abs(vals.imag) < 1e-12) and np.all(vals.real > 0):
            return True
    return False


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


def _tidy(expr: sp.Expr, simplify) -> sp.Expr:
    """Numbers are made canonical cheaply (radsimp); expressions with symbols are simplified."""
    if expr.is_Rational:
        return expr
    if expr.is_number:
        return sp.radsimp(sp.expand(expr))
    return simplify(expr)


def _shape_lemma_solutions(eqs, unknowns) -> list[dict] | None:
    """Solutions read off a lex Groebner basis in shape position, or ``None``.

    A zero-dimensional radical ideal generically has a lex Groebner basis of the form
    ``x_i - g_i(x_n)`` (i < n) and ``p(x_n)`` (the shape lemma; Cox, Little & O'Shea, *Ideals,
    Varieties, and Algorithms*, sec. 3.5/2.8). Then the solutions are ``x_n`` a root of ``p`` and
    ``x_i = g_i(x_n)``: no back-substitution solving (which in sympy simplifies over algebraic
    domains and costs more than the rest of a numeric report). Other bases return ``None`` and
    the caller uses the general route.
    """
    if not unknowns:
        return None
    try:
        G = sp.groebner(eqs, *unknowns, order="lex")
    except (NotImplementedError, sp.PolynomialError, sp.polys.polyerrors.CoercionFailed):
        return None
    if list(G.exprs) == [1]:
        return []
    last = unknowns[-1]
    polys = list(G.exprs)
    if len(polys) != len(unknowns):
        return None
    uni = sp.Poly(polys[-1], *unknowns)
    if uni.free_symbols - {last} or uni.degree(last) < 1:
        return None
    maps = []
    for i, var in enumerate(unknowns[:-1]):
        g = sp.Poly(polys[i], *unknowns)
        others = set(unknowns) - {var, last}
        if g.free_symbols & others or g.degree(var) != 1:
            return None
        lead = g.coeff_monomial(var)
        if lead == 0 or (sp.sympify(lead).free_symbols):
            return None
        rest = sp.expand(polys[i] - lead * var)
        if var in rest.free_symbols:
            return None
        maps.append((var, rest, lead))
    p = sp.Poly(polys[-1], last).sqf_part()
    found = sp.roots(p, multiple=False)
    if sum(found.values()) < p.degree():
        return None  # not solvable in radicals: the general route decides what to do
    out = []
    for r in found:
        sol = {last: r}
        for var, rest, lead in maps:
            sol[var] = sp.expand(-rest.subs(last, r) / lead)
        out.append(sol)
    return out


def _solve_rational_system(eqs, unknowns) -> list[dict]:
    """Solutions of a polynomial system with rational coefficients.

    Zero-dimensional systems go through a lex Groebner basis (``solve_poly_system``), which is
    far faster than the general solver; positive-dimensional ones (continua) fall back to
    ``sympy.solve``, which returns parametric solutions.
    """
    shaped = _shape_lemma_solutions(eqs, unknowns)
    if shaped is not None:
        return shaped
    try:
        tuples = sp.solve_poly_system(eqs, *unknowns)
    except (NotImplementedError, sp.PolynomialError):
        return sp.solve(eqs, unknowns, dict=True)
    if tuples is None:
        return sp.solve(eqs, unknowns, dict=True)
    return [dict(zip(unknowns, t, strict=True)) for t in tuples]


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


def _continuum(game: Game, face, unknowns, shares, eqs, values) -> Continuum:
    free = tuple(str(u) for u in unknowns if values.get(u, u) == u)
    names = {}
    for p, (pop, s) in enumerate(zip(game.populations, face, strict=True)):
        for i in s[:-1] if len(s) > 1 else ():
            names[sp.Symbol(f"_f{p}_{i}", real=True)] = sp.Symbol(
                f"{pop.name}.{pop.strategies[i]}", real=True)
    param = {}
    for u in unknowns:
        if values.get(u, u) != u:
            param[str(names[u])] = values[u].xreplace(names)
    clean = tuple(sp.factor(e.xreplace(names)) for e in eqs if e != 0)
    return Continuum(face, len(free) if free else len(unknowns), clean, param,
                     tuple(str(names[sp.Symbol(f, real=True)]) for f in free))


def _classify_point(game, system, tensors, jac, exact_state, face, method) -> RestPoint:
    kind = _kind(face, game.shape)
    if method == "exact":
        subs = _reduced_subs(system, exact_state)
        jv = jac.xreplace(subs)
        if all(e.is_Rational for e in jv):
            spectrum = exact_spectrum(jv)
        else:
            spectrum = numeric_spectrum(jv, tolerance=1e-20)
        nash, strict = _nash(game, tensors, exact_state, face, exact=True)
        state = _to_floats(exact_state)
        exact = exact_state
    else:
        state = exact_state
        fn = sp.lambdify(system.flat_variables, jac, "numpy")
        flat = [v for row, pop in zip(state, game.populations, strict=True)
                for v in row[: pop.k - 1]]
        spectrum = numeric_spectrum(np.array(fn(*flat), dtype=float), tolerance=1e-7)
        nash, strict = _nash(game, tensors, state, face, exact=False)
        exact = None
    return RestPoint(state, exact, kind, face, spectrum, spectrum.stability, nash, strict,
                     None, None, method)


def _solve_face_numeric(game: Game, tensors, face, starts: int = 64, seed: int = 0):
    """Multi-start Newton on the face equations; distinct roots strictly inside the face."""
    from scipy.optimize import root

    unknowns, shares = _face_unknowns(game, face)
    eqs = _face_equations(game, tensors, face, shares)
    f = sp.lambdify([unknowns], eqs, "numpy")
    jf = sp.lambdify([unknowns], sp.Matrix(eqs).jacobian(unknowns), "numpy")
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    for _ in range(starts):
        x0 = []
        for pop, s in zip(game.populations, face, strict=True):
            if len(s) > 1:
                x0.extend(rng.dirichlet(np.ones(len(s)))[:-1])
        res = root(lambda v: np.asarray(f(v), float), np.array(x0),
                   jac=lambda v: np.asarray(jf(v), float), tol=1e-14)
        if not res.success or np.max(np.abs(res.fun)) > NUMERIC_TOL:
            continue
        if any(np.allclose(res.x, g, atol=1e-7) for g in found):
            continue
        found.append(res.x)
    out = []
    for x in found:
        subs = dict(zip(unknowns, x, strict=True))
        state = tuple(tuple(float(sp.sympify(v).xreplace(subs)) for v in row) for row in shares)
        if all(state[p][j] > NUMERIC_TOL for p, s in enumerate(face) for j in s):
            out.append(state)
    return out

r"""What is known about the rest points of a game: the results of :func:`.equilibria.analyze`.

A rest point :math:`x` of the replicator dynamics :math:`\dot x_{pi} = x_{pi}(u_{pi}(x) -
\bar u_p(x))` (every used strategy of every population earns its population's mean payoff) is
reported with its support :math:`S_p = \{i : x_{pi} > 0\}` and kind (vertex, boundary,
interior), the eigenvalues of the reduced Jacobian and the stability they decide
(:mod:`.eigen`; ``non-hyperbolic`` when linearisation cannot), and its Nash, strict Nash and ESS
properties: Nash iff no unused strategy earns more than the used ones; strict Nash iff it is
pure and every deviation earns strictly less; in games of two or more populations an ESS is
exactly a strict Nash equilibrium (Selten 1980) (:class:`RestPoint`).  With free parameters a
non-vertex rest point is an expression of them, valid where its shares lie in :math:`(0, 1)`
(:class:`SymbolicRestPoint`).  :class:`EquilibriumAnalysis` gathers the rest points, the
continua of non-isolated ones, the faces not proven complete or not searched, and whether the
two independent routes (payoff comparisons and eigenvalues) agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from ..dynamics.field import REPLICATOR, Dynamics
from ..dynamics.replicator import ReplicatorSystem
from ..model.game import Game
from .conditions import VertexConditions
from .eigen import Spectrum, Stability
from .faces import Continuum

__all__ = ["RestPoint", "SymbolicRestPoint", "EquilibriumAnalysis"]

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
    >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
        >>> all(r.differentiable for r in analyze(Game.builtin("hawk_dove")).rest_points)
        True
        """
        return "not differentiable" not in self.note

    @property
    def focus(self) -> bool:
        """Hyperbolic with a complex pair of eigenvalues: a (stable or unstable) focus.

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
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
    >>> from gametheory_regen.analysis.equilibria import analyze
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
    >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
        >>> analyze(Game.builtin("rock_paper_scissors")).complete
        True
        """
        return not self.incomplete_faces and not self.unsolved_faces and \
            not self.unsearched_faces

    @property
    def stable(self) -> tuple[RestPoint, ...]:
        """The asymptotically stable rest points (stability word ``"stable"``).

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.equilibria import analyze
        >>> [r.state for r in analyze(Game.builtin("hawk_dove")).stable]
        [((1.0, 0.0), (0.0, 1.0)), ((0.0, 1.0), (1.0, 0.0))]
        """
        return tuple(r for r in self.rest_points if r.stability is Stability.STABLE)

    @property
    def vertices(self) -> tuple[RestPoint, ...]:
        """The rest points at pure profiles (every vertex is one), in profile order.

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
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
        >>> from gametheory_regen.analysis.equilibria import analyze
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

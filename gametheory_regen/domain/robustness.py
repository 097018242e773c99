"""Does a policy conclusion survive another dynamics?  Stable outcomes under six dynamics.

A conclusion drawn from the replicator dynamics ("under the Jinsong package (enable, operate,
participate) is stable") is fragile if it holds for the replicator only.  For every scenario
this module analyses the game under each dynamics of :data:`DEFAULT_DYNAMICS` and lists its
*stable outcomes*: rest points whose stability word is ``stable`` (linearisation), and, where
linearisation cannot decide (a kink, or ``non-hyperbolic``, as at every strict equilibrium of
BNN, whose Jacobian vanishes there), rest points whose nearby runs were all attracted
(:class:`~gametheory_regen.analysis.dynamics_local.NearbyRuns`; marked as simulation evidence,
never called ``stable``).

A replicator-stable outcome is *kept* under another dynamics when a stable outcome of that
dynamics lies within ``move_tol`` of it in every share (noise and mutation move it inward by
:math:`O(\\mu)` or :math:`O(e^{-g/\\eta})`: the distance is reported), and *lost* otherwise:
then the conclusion changes.  An outcome stable under another dynamics but near no
replicator-stable one is *new*.

Default parameters of the other dynamics (overridable): replicator-mutator :math:`\\mu = 0.01`,
logit :math:`\\eta = 0.05`, imitation :math:`\\beta = 1`.  They are meant as small perturbations
of the replicator on payoffs of order one; for payoffs on another scale pass your own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..analysis.dynamics_rest import analyze_dynamics
from ..analysis.eigen import Stability
from ..analysis.equilibria import analyze
from ..dynamics.field import Dynamics
from ..errors import GameInputError
from ..model.game import Game

__all__ = ["DEFAULT_DYNAMICS", "MOVE_TOL", "DynamicsOutcomes", "ScenarioRobustness",
           "RobustnessTable", "robustness_table"]

#: The six dynamics of ``compare --dynamics all``, with their default parameters.
DEFAULT_DYNAMICS = (
    Dynamics("replicator"),
    Dynamics("replicator_mutator", mutation=0.01),
    Dynamics("logit", temperature=0.05),
    Dynamics("bnn"),
    Dynamics("smith"),
    Dynamics("imitation", intensity=1.0),
)

#: Largest share difference for an outcome to count as the same (moved, not lost).
MOVE_TOL = 0.05


@dataclass(frozen=True)
class DynamicsOutcomes:
    """The stable outcomes of one scenario under one dynamics.

    Attributes
    ----------
    dynamics : Dynamics
    stable : tuple of tuple of tuple of float
        States of the rest points with the word ``stable``.
    attracting : tuple of tuple of tuple of float
        States linearisation cannot decide whose nearby runs were all attracted.
    complete : bool
        Whether the analysis proved it found every rest point.
    labels : tuple of str
        A label per outcome in ``stable + attracting`` (the profile when near a vertex).

    Examples
    --------
    >>> o = DynamicsOutcomes(Dynamics("bnn"), (), (((1.0, 0.0), (0.0, 1.0)),), True,
    ...                      ("(hawk, dove)",))
    >>> o.outcomes
    (((1.0, 0.0), (0.0, 1.0)),)
    """

    dynamics: Dynamics
    stable: tuple
    attracting: tuple
    complete: bool
    labels: tuple[str, ...]

    @property
    def outcomes(self) -> tuple:
        """``stable + attracting``.

        >>> DynamicsOutcomes(Dynamics(), (), (), True, ()).outcomes
        ()
        """
        return tuple(self.stable) + tuple(self.attracting)


@dataclass(frozen=True)
class ScenarioRobustness:
    """One scenario under every dynamics, and what changes.

    Attributes
    ----------
    scenario : str or None
    rows : tuple of DynamicsOutcomes
        In the order of the dynamics given (the replicator first).
    changes : tuple of str
        One sentence per replicator-stable outcome lost or new outcome gained.
    moves : tuple of tuple
        ``(dynamics kind, label, distance)`` for every kept outcome that moved.

    Examples
    --------
    >>> ScenarioRobustness("a", (), (), ()).robust
    True
    """

    scenario: str | None
    rows: tuple[DynamicsOutcomes, ...]
    changes: tuple[str, ...]
    moves: tuple

    @property
    def robust(self) -> bool:
        """No conclusion changes under any dynamics.

        >>> ScenarioRobustness("a", (), ("lost",), ()).robust
        False
        """
        return not self.changes


@dataclass(frozen=True)
class RobustnessTable:
    """Every scenario's stable outcomes under every dynamics.

    Attributes
    ----------
    model, title : str
    dynamics : tuple of Dynamics
    scenarios : tuple of ScenarioRobustness
    move_tol : float

    Examples
    --------
    >>> t = robustness_table(Game.builtin("hawk_dove"),
    ...                      dynamics=[Dynamics(), Dynamics("smith")])
    >>> [(s.scenario, s.robust) for s in t.scenarios]
    [(None, True)]
    """

    model: str
    title: str
    dynamics: tuple[Dynamics, ...]
    scenarios: tuple[ScenarioRobustness, ...]
    move_tol: float


def _label(game: Game, state, tol: float) -> str:
    names = []
    for pop, row in zip(game.populations, state, strict=True):
        i = int(np.argmax(row))
        if 1.0 - row[i] > tol:
            return "(" + ", ".join("/".join(f"{v:.3g}" for v in r) if len(r) > 2 else f"{r[0]:.3g}"
                                   for r in state) + ")"
        names.append(pop.strategies[i])
    near = any(max(row) < 1.0 for row in state)
    return ("~" if near else "") + "(" + ", ".join(names) + ")"


def _outcomes(game: Game, res, tol: float) -> DynamicsOutcomes:
    stable, attracting = [], []
    for rp in res.rest_points:
        if rp.stability is Stability.STABLE:
            stable.append(rp.state)
        elif rp.stability in (None, Stability.NON_HYPERBOLIC) and rp.nearby is not None \
                and rp.nearby.verdict == "attracting":
            attracting.append(rp.state)
    labels = tuple(_label(game, s, tol) for s in stable + attracting)
    return DynamicsOutcomes(res.dynamics, tuple(stable), tuple(attracting), res.complete, labels)


def _dist(a, b) -> float:
    return float(np.max(np.abs(np.array([v for r in a for v in r])
                               - np.array([v for r in b for v in r]))))


def robustness_table(game: Game, scenarios: Sequence[str] | None = None,
                     dynamics: Sequence[Dynamics] = DEFAULT_DYNAMICS, *,
                     overrides: Mapping[str, object] | None = None,
                     move_tol: float = MOVE_TOL, progress=None) -> RobustnessTable:
    """Stable outcomes of every scenario under every dynamics, and where a conclusion changes.

    Parameters
    ----------
    game : Game
    scenarios : sequence of str, optional
        Default: all of the model's (the game as given if it has none).
    dynamics : sequence of Dynamics
        The first is the reference (default :data:`DEFAULT_DYNAMICS`, the replicator first).
    overrides : mapping of str to number, optional
        Parameter values applied after each scenario (the CLI's ``--set``).
    move_tol : float
        Largest share difference for an outcome to count as kept.
    progress : callable, optional
        ``progress(done, total)`` after each analysis (for a progress bar).

    Returns
    -------
    RobustnessTable

    Raises
    ------
    GameInputError
        Unknown scenario, no dynamics, or a parameter without a value.

    Examples
    --------
    Battle of the sexes: both coordinated outcomes survive every dynamics (they move inward by
    a little under mutation and logit noise):

    >>> t = robustness_table(Game.builtin("battle_of_sexes"))
    >>> s = t.scenarios[0]
    >>> s.robust, [len(r.outcomes) for r in s.rows]
    (True, [2, 2, 2, 2, 2, 2])
    """
    dyns = tuple(dynamics)
    if not dyns or not all(isinstance(d, Dynamics) for d in dyns):
        raise GameInputError("robustness_table: give a non-empty sequence of Dynamics")
    names: list[str | None] = list(game.scenarios) or [None] if scenarios is None \
        else list(scenarios)
    out = []
    for name in names:
        g = game.with_scenario(name).with_values(dict(overrides or {}), where="--set") \
            if name is not None else game.with_values(dict(overrides or {}), where="--set")
        if not g.is_numeric:
            raise GameInputError(f"compare: model {game.name!r} has no value for "
                                 f"{', '.join(map(str, g.free_parameters))}; give them with "
                                 f"--set NAME=VALUE")
        rep = analyze(g, dynamics=Dynamics())  # the reference the others are built from
        rows = []
        for d in dyns:
            res = rep if d.kind == "replicator" else analyze_dynamics(g, d, rep)
            rows.append(_outcomes(g, res, move_tol))
            if progress is not None:
                progress(len(out) * len(dyns) + len(rows), len(names) * len(dyns))
        ref = rows[0]
        changes, moves = [], []
        for row in rows[1:]:
            for state, label in zip(ref.outcomes, ref.labels, strict=True):
                dists = [_dist(state, o) for o in row.outcomes]
                if not dists or min(dists) > move_tol:
                    changes.append(f"{label}, stable under {ref.dynamics.kind}, is not stable "
                                   f"(nor attracting) under {row.dynamics.kind}")
                elif min(dists) > 1e-9:
                    moves.append((row.dynamics.kind, label, min(dists)))
            for state, label in zip(row.outcomes, row.labels, strict=True):
                if all(_dist(state, o) > move_tol for o in ref.outcomes):
                    changes.append(f"{label} is stable (or attracting) under "
                                   f"{row.dynamics.kind} but not under {ref.dynamics.kind}")
        out.append(ScenarioRobustness(name, tuple(rows), tuple(changes), tuple(moves)))
    return RobustnessTable(game.name, game.title or "", dyns, tuple(out), float(move_tol))

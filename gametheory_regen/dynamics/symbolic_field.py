r"""Every dynamics of :mod:`.field` as sympy expressions in reduced coordinates.

The analysis layer needs each dynamics' vector field as a formula (rest points, exact
Jacobians); the engine integrates the numpy and compiled versions of the same formulas
(:func:`gametheory_regen.dynamics.field.velocity_np`).  Population :math:`p` has shares
:math:`x = x_p` (:math:`k` strategies; reduced coordinates: the first :math:`k-1`), expected
payoffs :math:`u_i = u_{pi}(x)` and mean payoff :math:`\bar u = x \cdot u`:

============================  ===============================================================
``replicator``                :math:`f_i = x_i (u_i - \bar u)`
``replicator_mutator``        :math:`f_i = x_i (u_i - \bar u) + \mu (1/k - x_i)`
``logit``                     :math:`f_i = 1 / \sum_j \exp((u_j - u_i)/\eta) - x_i`
                              (the softmax written so that no exponential overflows)
``bnn``                       :math:`f_i = [u_i - \bar u]_+ - x_i \sum_j [u_j - \bar u]_+`
``smith``                     :math:`f_i = \sum_j x_j [u_i - u_j]_+ - x_i \sum_j [u_j - u_i]_+`
``imitation``                 :math:`f_i = x_i \sum_j x_j \tanh(\beta (u_i - u_j)/2)`
============================  ===============================================================

:math:`[a]_+ = \max(a, 0)` is written ``Max(a, 0)``.  The parameter (:math:`\mu`, :math:`\eta`,
:math:`\beta`) enters as the exact rational of its decimal representation (0.1 is 1/10), so
that rest points and Jacobians of polynomial fields can be computed exactly.  The field is given
for the first :math:`k - 1` strategies of each population (the last share is one minus the
others); every dynamics keeps the shares summing to one, so that is the whole field.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..model.game import Game
from .field import REPLICATOR, Dynamics
from .replicator import full_shares, replicator_system

__all__ = ["DynamicsSystem", "dynamics_system", "exact_parameter"]


def exact_parameter(dynamics: Dynamics) -> sp.Rational:
    """The dynamics' parameter as the exact rational of its decimal form.

    Parameters
    ----------
    dynamics : Dynamics

    Returns
    -------
    sympy.Rational
        0 for the dynamics without a parameter.

    Examples
    --------
    >>> exact_parameter(Dynamics("logit", temperature=0.1))
    1/10
    >>> exact_parameter(Dynamics("bnn"))
    0
    """
    return sp.Rational(repr(float(dynamics.param)))


@dataclass(frozen=True, eq=False)
class DynamicsSystem:
    """A dynamics' vector field of a game in reduced coordinates.

    Attributes
    ----------
    game : Game
    dynamics : Dynamics
    variables : tuple of tuple of sympy.Symbol
        Reduced coordinates per population (as for the replicator).
    payoffs : tuple of tuple of sympy.Expr
        :math:`u_{pi}(x)` per population and strategy.
    rhs : tuple of sympy.Expr
        The field, in the order of :attr:`flat_variables`.
    numeric : bool
        Whether parameter values were substituted.

    Examples
    --------
    The replicator-mutator field of matching pennies with :math:`\\mu = 1/10`:

    >>> from gametheory_regen.model import Game
    >>> system = dynamics_system(Game.builtin("matching_pennies"),
    ...                          Dynamics("replicator_mutator", mutation=0.1))
    >>> system.rhs[0]
    -4*x**2*y + 2*x**2 + 4*x*y - 21*x/10 + 1/20
    """

    game: Game
    dynamics: Dynamics
    variables: tuple[tuple[sp.Symbol, ...], ...]
    payoffs: tuple[tuple[sp.Expr, ...], ...]
    rhs: tuple[sp.Expr, ...]
    numeric: bool

    @property
    def flat_variables(self) -> tuple[sp.Symbol, ...]:
        """All reduced coordinates, population after population.

        >>> from gametheory_regen.model import Game
        >>> dynamics_system(Game.builtin("hawk_dove"), Dynamics("smith")).flat_variables
        (x, y)
        """
        return tuple(v for vs in self.variables for v in vs)

    def jacobian(self) -> sp.Matrix:
        """Symbolic Jacobian :math:`\\partial f_i / \\partial x_j` (cached).

        ``Max`` terms differentiate to ``Heaviside``: valid only away from their kinks (the
        analysis treats the kinks itself, :mod:`gametheory_regen.analysis.dynamics_rest`).

        Returns
        -------
        sympy.Matrix

        Examples
        --------
        At the centre of matching pennies the imitation dynamics (:math:`\\beta = 1`) is the
        replicator's rotation scaled by :math:`\\beta/2`:

        >>> from gametheory_regen.model import Game
        >>> system = dynamics_system(Game.builtin("matching_pennies"), Dynamics("imitation"))
        >>> half = {v: sp.Rational(1, 2) for v in system.flat_variables}
        >>> system.jacobian().xreplace(half).tolist()
        [[0, 1/2], [-1/2, 0]]
        """
        cache = self.__dict__.setdefault("_jac", [])
        if not cache:
            variables = self.flat_variables
            cache.append(sp.Matrix([[sp.diff(f, v) for v in variables] for f in self.rhs]))
        return cache[0]


def _population_field(kind: str, x: list, u: list, param: sp.Expr) -> list:
    """The field of one population, all k components (full shares ``x``)."""
    k = len(x)
    ubar = sum(xi * ui for xi, ui in zip(x, u, strict=True))
    if kind == "replicator_mutator":
        return [x[i] * (u[i] - ubar) + param * (sp.Rational(1, k) - x[i]) for i in range(k)]
    if kind == "logit":
        return [1 / sum(sp.exp((u[j] - u[i]) / param) for j in range(k)) - x[i]
                for i in range(k)]
    if kind == "bnn":
        ex = [sp.Max(u[i] - ubar, 0) for i in range(k)]
        tot = sum(ex)
        return [ex[i] - x[i] * tot for i in range(k)]
    if kind == "smith":
        return [sum(x[j] * sp.Max(u[i] - u[j], 0) for j in range(k) if j != i)
                - x[i] * sum(sp.Max(u[j] - u[i], 0) for j in range(k) if j != i)
                for i in range(k)]
    if kind == "imitation":
        return [x[i] * sum(x[j] * sp.tanh(param * (u[i] - u[j]) / 2) for j in range(k) if j != i)
                for i in range(k)]
    raise ValueError(kind)  # pragma: no cover - Dynamics validates the kind


def dynamics_system(game: Game, dynamics: Dynamics = REPLICATOR, *,
                    numeric: bool | None = None) -> DynamicsSystem:
    """Build the field of ``dynamics`` for ``game`` (any kind of game).

    Parameters
    ----------
    game : Game
    dynamics : Dynamics
    numeric : bool, optional
        Substitute parameter values (default: when every parameter has one).

    Returns
    -------
    DynamicsSystem
        Cached on the game per dynamics.

    Examples
    --------
    Logit with :math:`\\eta = 1/2` in hawk-dove (V = 2, C = 4): each role's share of hawks
    moves toward :math:`1/(1 + e^{-2(1 - 2y)})`:

    >>> from gametheory_regen.model import Game
    >>> system = dynamics_system(Game.builtin("hawk_dove"), Dynamics("logit", temperature=0.5))
    >>> system.rhs[0]
    -x + 1/(exp(4*y - 2) + 1)
    """
    if numeric is None:
        numeric = game.is_numeric
    cache = game._cache  # type: ignore[attr-defined]
    key = ("dynamics_system", dynamics, numeric)
    if key in cache:
        return cache[key]
    rep = replicator_system(game, numeric=numeric)
    if dynamics.kind == "replicator":
        rhs = rep.rhs
    else:
        param = exact_parameter(dynamics)
        shares = full_shares(game, rep.variables)
        rhs = []
        for p, vars_p in enumerate(rep.variables):
            f = _population_field(dynamics.kind, shares[p], list(rep.payoffs[p]), param)
            rhs.extend(sp.expand(e) if e.is_polynomial(*rep.flat_variables) else e
                       for e in f[: len(vars_p)])
        rhs = tuple(rhs)
    system = DynamicsSystem(game, dynamics, rep.variables, rep.payoffs, tuple(rhs), numeric)
    cache[key] = system
    return system

r"""What a threshold analysis returns: the stable set of one parameter and its critical values.

At a vertex (pure profile :math:`s`) each eigenvalue of the replicator Jacobian is a deviation
gain :math:`\lambda_{pj}(P) = A_p(j, s_{-p}) - A_p(s)`, a function of the one free parameter
:math:`P` (:class:`VertexEigenvalue`).  The *stable set*
:math:`\mathcal S = \{P \in [P_{\min}, P_{\max}] : \lambda_i(P) < 0 \ \forall i\}` is a union of
intervals (:class:`Interval`: declared bounds inclusive, ends at critical values open); a
*critical value* is a root of some :math:`\lambda_i` at which the vertex is non-hyperbolic, with
its expression in the other parameters when one was found (:class:`CriticalValue`).
:class:`ThresholdResult` gathers them, says whether the outcome is stable now, always or never,
and which eigenvalue blocks it (:func:`.thresholds.threshold` computes it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

__all__ = ["ThresholdResult", "CriticalValue", "Interval", "VertexEigenvalue"]


@dataclass(frozen=True)
class VertexEigenvalue:
    """One eigenvalue of the vertex: the gain of a population's deviation.

    Attributes
    ----------
    population, deviation : str
        The population that deviates and the strategy it deviates to.
    expression : sympy.Expr
        :math:`A_p(j, s_{-p}) - A_p(s)` as written (derived names kept).
    of_parameter : sympy.Expr
        The same with derived names expanded and every other parameter at its value: a function
        of the chosen parameter only (or a number).
    exact_roots : bool
        Whether all its real roots were found exactly (rational function of the parameter).

    Examples
    --------
    At (hawk, dove) in hawk-dove, along V with C = 4:

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis.thresholds import threshold
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V")
    >>> [(e.population, e.deviation, e.expression, e.of_parameter) for e in res.eigenvalues]
    [('owner', 'dove', -V/2, -V/2), ('intruder', 'hawk', -C/2 + V/2, V/2 - 2)]
    """

    population: str
    deviation: str
    expression: sp.Expr
    of_parameter: sp.Expr
    exact_roots: bool


@dataclass(frozen=True)
class CriticalValue:
    """A value of the parameter at which the outcome gains or loses stability.

    Attributes
    ----------
    value : float
    eigenvalues : tuple of int
        Indices (into :attr:`ThresholdResult.eigenvalues`) of the eigenvalues that vanish there.
    expression : sympy.Expr or None
        The critical value in terms of the other parameters (derived names not involving the
        parameter kept), or None when sympy could not solve within the time budget.
    method : str
        ``"symbolic"`` (the expression evaluated), ``"exact"`` (real root of a polynomial) or
        ``"numeric"`` (Brent's method on a sampled sign change).

    Examples
    --------
    (hawk, dove) loses stability when V reaches C, where the intruder's eigenvalue vanishes:

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis.thresholds import threshold
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V")
    >>> res.critical[-1]
    CriticalValue(value=4.0, eigenvalues=(1,), expression=C, method='symbolic')
    """

    value: float
    eigenvalues: tuple[int, ...]
    expression: sp.Expr | None
    method: str


@dataclass(frozen=True)
class Interval:
    """An interval of the real line; infinite ends are ``-inf`` / ``inf`` and open.

    Attributes
    ----------
    lower, upper : float
        The ends (``-inf`` / ``inf`` for an unbounded side).
    lower_closed, upper_closed : bool
        Whether each end belongs to the interval.

    Examples
    --------
    >>> Interval(0.0, 4.0, lower_closed=True, upper_closed=False)
    Interval(lower=0.0, upper=4.0, lower_closed=True, upper_closed=False)
    """

    lower: float
    upper: float
    lower_closed: bool
    upper_closed: bool

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval (ends only if closed).

        Parameters
        ----------
        value : float

        Returns
        -------
        bool

        Examples
        --------
        >>> iv = Interval(0.0, 4.0, lower_closed=False, upper_closed=True)
        >>> iv.contains(0.0), iv.contains(2), iv.contains(4.0)
        (False, True, True)
        """
        above = value > self.lower or (self.lower_closed and value == self.lower)
        below = value < self.upper or (self.upper_closed and value == self.upper)
        return above and below


@dataclass(frozen=True)
class ThresholdResult:
    """Where, along one parameter, a pure outcome is stable.

    Attributes
    ----------
    model : str
    scenario : str or None
    parameter : str
    outcome : tuple of (population, strategy)
        The vertex, in population order (see :attr:`outcome_dict`).
    eigenvalues : tuple of VertexEigenvalue
    critical : tuple of CriticalValue
        The roots that bound the stable set, ascending.
    stable_set : tuple of Interval
        :math:`\\{P : \\text{every eigenvalue} < 0\\}` within the bounds, ascending.
    bounds : (float, float)
        Declared bounds of the parameter (``-inf`` / ``inf`` when not declared).
    search : (float, float)
        The interval searched numerically (equal to ``bounds`` on declared sides).
    complete : bool
        Whether every root was found exactly on the whole range, so that no root can lie outside
        :attr:`search`.  When False, unbounded ends of :attr:`stable_set` rest on the search
        interval (see :attr:`notes`).
    current_value : float or None
        The parameter's value in the game.
    blocking : tuple of int
        Eigenvalues that are non-negative everywhere in range (why the outcome is never stable).
    method : str
    time_budget : float
    notes : tuple of str

    Examples
    --------
    Hawk-dove along the fighting cost C (V = 2): (hawk, hawk) is stable only while fights are
    cheap, :math:`0 \\le C < V`; at the model's C = 4 it is not.

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis.thresholds import threshold
    >>> res = threshold(Game.builtin("hawk_dove"), ("hawk", "hawk"), "C")
    >>> res.stable_set
    (Interval(lower=0.0, upper=2.0, lower_closed=True, upper_closed=False),)
    >>> res.bounds, res.current_value, res.stable_now, res.never, res.always
    ((0.0, inf), 4.0, False, False, False)
    >>> res.critical[0].expression, res.complete
    (V, True)

    (dove, dove) is never stable: both eigenvalues are V/2 = 1 > 0 whatever C is.

    >>> never = threshold(Game.builtin("hawk_dove"), ("dove", "dove"), "C")
    >>> never.never, never.blocking
    (True, (0, 1))
    """

    model: str
    scenario: str | None
    parameter: str
    outcome: tuple[tuple[str, str], ...]
    eigenvalues: tuple[VertexEigenvalue, ...]
    critical: tuple[CriticalValue, ...]
    stable_set: tuple[Interval, ...]
    bounds: tuple[float, float]
    search: tuple[float, float]
    complete: bool
    current_value: float | None
    blocking: tuple[int, ...]
    method: str
    time_budget: float
    notes: tuple[str, ...] = ()

    @property
    def outcome_dict(self) -> dict[str, str]:
        """:attr:`outcome` as a dict population -> strategy.

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.thresholds import threshold
        >>> threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "V").outcome_dict
        {'owner': 'hawk', 'intruder': 'dove'}
        """
        return dict(self.outcome)

    @property
    def never(self) -> bool:
        """The outcome is stable for no value of the parameter in range.

        True when :attr:`stable_set` is empty (:attr:`blocking` says which eigenvalues
        prevent it).

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.thresholds import threshold
        >>> pennies = threshold(Game.builtin("matching_pennies"), ("heads", "heads"), "a")
        >>> pennies.never, pennies.stable_set, pennies.blocking   # the column would switch
        (True, (), (1,))
        >>> threshold(Game.builtin("hawk_dove"), ("hawk", "dove"), "C").never
        False
        """
        return not self.stable_set

    @property
    def always(self) -> bool:
        """The outcome is stable for every value of the parameter in range.

        A closed declared bound must belong to the stable set. In the battle of the sexes
        (opera, opera) is stable for every ``a > 0`` but not at the declared minimum
        ``a = 0``, where an eigenvalue ``-a`` vanishes:

        >>> from gametheory_regen.model import Game, GameBuilder
        >>> from gametheory_regen.analysis.thresholds import threshold
        >>> res = threshold(Game.builtin("battle_of_sexes"), ("opera", "opera"), "a")
        >>> res.stable_set
        (Interval(lower=0.0, upper=inf, lower_closed=False, upper_closed=False),)
        >>> res.bounds, res.always
        ((0.0, inf), False)

        In a stag hunt with reward ``r >= 1`` for a joint stag hunt and 1 for hunting hare,
        (hare, hare) is stable whatever ``r`` is (its eigenvalues are -1):

        >>> b = GameBuilder("stag_hunt")
        >>> _ = b.population("row", ["stag", "hare"])
        >>> _ = b.population("column", ["stag", "hare"])
        >>> _ = b.parameter("r", 2, min=1)
        >>> b.payoff(("stag", "stag"), ("r", "r"))
        >>> b.payoff(("stag", "hare"), (0, 1))
        >>> b.payoff(("hare", "stag"), (1, 0))
        >>> b.payoff(("hare", "hare"), (1, 1))
        >>> threshold(b.build(), ("hare", "hare"), "r").always
        True
        """
        if len(self.stable_set) != 1:
            return False
        iv = self.stable_set[0]
        lo, hi = self.bounds
        return (iv.lower == lo and (iv.lower_closed or math.isinf(lo))
                and iv.upper == hi and (iv.upper_closed or math.isinf(hi)))

    @property
    def stable_now(self) -> bool | None:
        """Whether the outcome is stable at the parameter's current value (None without one).

        In hawk-dove with C = 4, (hawk, dove) is stable for 0 < V < 4, so at the model's
        V = 2 but not at V = 6; with V left free there is no current value:

        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.thresholds import threshold
        >>> hd = Game.builtin("hawk_dove")
        >>> threshold(hd, ("hawk", "dove"), "V").stable_now
        True
        >>> threshold(hd.with_values({"V": 6}), ("hawk", "dove"), "V").stable_now
        False
        >>> free = hd.without_values().with_values({"C": 4})
        >>> threshold(free, ("hawk", "dove"), "V").stable_now is None
        True
        """
        if self.current_value is None:
            return None
        return any(iv.contains(self.current_value) for iv in self.stable_set)

    def condition(self) -> sp.Boolean:
        """The stable set as a sympy condition on the parameter's symbol (floats).

        Returns
        -------
        sympy.Boolean
            An ``Or`` of one ``And`` of bounds per interval of :attr:`stable_set`; ``false``
            when it is empty.

        Examples
        --------
        >>> from gametheory_regen.model import Game
        >>> from gametheory_regen.analysis.thresholds import threshold
        >>> hd = Game.builtin("hawk_dove")
        >>> threshold(hd, ("hawk", "dove"), "V").condition()
        (V > 0.0) & (V < 4.0)
        >>> threshold(hd, ("dove", "dove"), "C").condition()
        False
        """
        P = sp.Symbol(self.parameter, real=True)
        parts = []
        for iv in self.stable_set:
            rels = []
            if not math.isinf(iv.lower):
                rels.append((P >= iv.lower) if iv.lower_closed else (P > iv.lower))
            if not math.isinf(iv.upper):
                rels.append((P <= iv.upper) if iv.upper_closed else (P < iv.upper))
            parts.append(sp.And(*rels))
        return sp.Or(*parts)

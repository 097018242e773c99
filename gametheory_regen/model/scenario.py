r"""Scenarios and schedules: parameter values set by a policy, or changing over time.

A scenario is a named policy: overrides :math:`\theta_j \mapsto v_j` of parameter values
(applied by :meth:`Game.with_scenario <gametheory_regen.model.game.Game.with_scenario>`) and,
optionally, time schedules.  A schedule makes one parameter a function of time
:math:`\theta(t)`: piecewise constant or piecewise linear between breakpoints
:math:`t_0 < t_1 < \dots`, or an expression in :math:`t` and parameters (Contract 4).  This
module holds the declarations; the numeric engine evaluates them
(:mod:`gametheory_regen.dynamics.schedules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

__all__ = ["Scenario", "ScheduleSpec"]


@dataclass(frozen=True)
class ScheduleSpec:
    """A declared time schedule of one parameter (see :mod:`gametheory_regen.dynamics.schedules`).

    ``kind`` is ``"piecewise_constant"`` or ``"piecewise_linear"``; ``times`` are breakpoints in the
    model's time unit and ``values`` the parameter's values there.  ``kind = "expression"``
    (Contract 4) has empty ``times``/``values`` and an ``expression`` in ``t`` (the symbol
    ``Symbol("t", real=True)``) and parameters, never a share.

    Attributes
    ----------
    parameter : str
        The parameter the schedule drives.
    kind : str
        ``"piecewise_constant"`` or ``"piecewise_linear"``.
    times : tuple of float
        Breakpoints, increasing.
    values : tuple of float
        The parameter's value at each breakpoint.
    expression : sympy.Expr or None
        For ``kind = "expression"``: the value as a function of ``t`` and parameters.

    Examples
    --------
    A subsidy paid for the first three years only; the numeric engine turns the declaration into
    a :class:`~gametheory_regen.dynamics.schedules.Schedule`:

    >>> from gametheory_regen.dynamics.schedules import Schedule
    >>> spec = ScheduleSpec("s", "piecewise_constant", (0.0, 3.0), (1.43, 0.0))
    >>> Schedule(spec.parameter, spec.kind, spec.times, spec.values).value_at([1.0, 4.0]).tolist()
    [1.43, 0.0]
    """

    parameter: str
    kind: str
    times: tuple[float, ...]
    values: tuple[float, ...]
    expression: sp.Expr | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Scenario:
    """A named policy: parameter overrides (and optional schedules), with its description and source.

    Attributes
    ----------
    name : str
        An identifier.
    description, source : str
        What the policy is and where it comes from.
    overrides : mapping of str to number
        Parameter values the scenario sets (as declared; checked when applied by
        :meth:`Game.with_scenario`).
    schedules : tuple of ScheduleSpec
        Time schedules of parameters under this scenario.

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> baseline = Game.builtin("regeneration").scenarios["baseline"]
    >>> baseline.name, baseline.overrides["rights"], baseline.overrides["s"]
    ('baseline', 0, 0)
    """

    name: str
    description: str = ""
    source: str = ""
    overrides: Mapping[str, sp.Rational] = field(default_factory=dict)
    schedules: tuple[ScheduleSpec, ...] = ()

r"""Parameter values of a Game: which are set, setting them, and substituting them.

A game's payoffs are expressions in parameters :math:`\theta` and derived names
:math:`d = f(\theta)` (annuity factors, totals).  :meth:`~GameValues.expand_derived` replaces
each :math:`d` by :math:`f(\theta)`, :meth:`~GameValues.substitute_values` then every parameter
that has a value by that value, so that a payoff is an exact number once every parameter it uses
is set.  Setting values (``--set``, a scenario) returns a new game, after checking each value
against its parameter's bounds and that no payoff becomes a number beyond the size limit
(:func:`check_bounded_values`); a game may also be made fully symbolic
(:meth:`~GameValues.without_values`) or put under another dynamics
(:meth:`~GameValues.with_dynamics`).

:class:`GameValues` is a mixin of :class:`~gametheory_regen.model.game.Game` that holds these
properties and copies; the fields they read are the game's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import GameInputError, ParameterError
from .dynamics_spec import Dynamics

if TYPE_CHECKING:
    from .game import Game

__all__ = ["GameValues", "check_bounded_values"]


def check_bounded_values(game: Game, where: str) -> None:
    """Refuse parameter values at which a payoff would be a number beyond the limit.

    ``2**q`` is harmless as a formula but has 301,030 digits at ``q = 1e6``; the magnitude of
    every payoff at the game's values is estimated on logarithms
    (:func:`~gametheory_regen.model.expr.magnitude`) before anything substitutes them.

    Parameters
    ----------
    game : Game
    where : str
        Prefix of error messages (``--set``, a file name).

    Returns
    -------
    None

    Raises
    ------
    LimitError
        When some payoff's value would exceed ``10**number_digits`` (docs/limits.md).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> check_bounded_values(Game.builtin("hawk_dove"), "--set")
    """
    from ..errors import LimitError
    from .bounds import magnitude

    values = game._value_subs()
    if not values:
        return
    dsubs = game._derived_subs()
    cells = [e for profile in game.table_profiles() for e in game.table[profile]
             if not e.is_Number]
    try:  # all cells at once (shared subexpressions walked once); locate a failure below
        magnitude(sp.Tuple(*cells).xreplace(dsubs) if dsubs else sp.Tuple(*cells), values, "")
        return
    except LimitError:
        pass
    for profile in game.table_profiles():
        for p, expr in enumerate(game.table[profile]):
            if expr.is_Number:
                continue
            try:
                magnitude(expr.xreplace(dsubs) if dsubs else expr, values, "")
            except LimitError as exc:
                raise LimitError(f"{where}: the payoff of {game.populations[p].name!r} at "
                                 f"({', '.join(game.cell_names(profile))}) at these values"
                                 f"{exc}") from None


class GameValues:
    """Parameter values and substitution of a :class:`~gametheory_regen.model.game.Game`
    (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> issubclass(Game, GameValues), Game.builtin("hawk_dove").with_values({"V": 6}).values
    (True, {'V': 6, 'C': 4})
    """

    @property
    def symbols(self) -> dict[str, sp.Symbol]:
        """Parameter name -> sympy symbol.

        >>> from gametheory_regen import Game
        >>> V = Game.builtin("hawk_dove").symbols["V"]
        >>> V, V.is_nonnegative
        (V, True)
        """
        return {p.name: p.symbol for p in self.parameters}

    @property
    def derived_symbols(self) -> dict[str, sp.Symbol]:
        """Derived name -> the plain real symbol that stands for it in :attr:`table`.

        >>> from gametheory_regen import Game
        >>> list(Game.builtin("regeneration").derived_symbols)[:3]
        ['aT', 'ak', 'am']
        """
        return {name: sp.Symbol(name, real=True) for name in self.derived}

    @property
    def values(self) -> dict[str, sp.Rational]:
        """Parameter name -> exact value, for parameters that have one.

        >>> from gametheory_regen import Game
        >>> Game.builtin("regeneration").values["rho"]
        1/20
        """
        return {p.name: p.value for p in self.parameters if p.value is not None}

    @property
    def free_parameters(self) -> tuple[str, ...]:
        """Names of parameters without a value.

        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").without_values().with_values({"V": 2}).free_parameters
        ('C',)
        """
        return tuple(p.name for p in self.parameters if p.value is None)

    @property
    def is_numeric(self) -> bool:
        """True when every parameter has a value.

        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.is_numeric, hd.without_values().is_numeric
        (True, False)
        """
        return not self.free_parameters

    def with_values(self, overrides: Mapping[str, object], where: str = "--set") -> Game:
        """A copy with some parameter values set (numbers; checked against bounds).

        Parameters
        ----------
        overrides : mapping of str to number or str
            Parameter name -> value; numbers become exact rationals.  Empty: this game itself.
        where : str
            Prefix of error messages (default ``"--set"``, the command-line option).

        Returns
        -------
        Game
            A new game; this one is unchanged.

        Raises
        ------
        ParameterError
            For an unknown name, a value that is not a finite number, or one outside bounds.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> rich = hd.with_values({"V": 6})
        >>> rich.values, hd.values
        ({'V': 6, 'C': 4}, {'V': 2, 'C': 4})
        >>> rich.payoff_tensors(numeric=True)[0].tolist()   # V > C: hawk dominates
        [[1, 6], [0, 3]]
        >>> hd.with_values({"W": 1})
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: --set: unknown parameter 'W' in model ...
        """
        if not overrides:
            return self
        params = {p.name: p for p in self.parameters}
        for name, value in overrides.items():
            if name not in params:
                known = ", ".join(self.parameter_names) or "(none)"
                if name in self.derived:
                    raise ParameterError(
                        f"{where}: {name!r} is a derived name of model {self.name!r}, computed from "
                        f"parameters; set those instead. Known parameters: {known}"
                    )
                raise ParameterError(
                    f"{where}: unknown parameter {name!r} in model {self.name!r}; known "
                    f"parameters: {known}")
            params[name] = params[name].with_value(value, f"{where} {name}")
        game = replace(self, parameters=tuple(params[p.name] for p in self.parameters))
        check_bounded_values(game, where)
        return game

    def with_scenario(self, name: str | None) -> Game:
        """A copy with the scenario's overrides applied (``None``: unchanged).

        Parameters
        ----------
        name : str or None
            One of :attr:`scenarios`, or None for this game itself.

        Returns
        -------
        Game
            A new game with the scenario's values, whose :attr:`scenario` is ``name``.

        Raises
        ------
        GameInputError
            For an unknown scenario; the message lists the model's scenarios.
        ParameterError
            When a value of the scenario breaks a parameter's bounds.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> reg = Game.builtin("regeneration")
        >>> base = reg.with_scenario("baseline")
        >>> base
        Game('regeneration', 2x2x2, 50 parameters, scenario='baseline')
        >>> base.values["rights"], reg.values["rights"]
        (0, 1)
        >>> Game.builtin("hawk_dove").with_scenario("peace")
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: unknown scenario 'peace' of model 'hawk_dove'; ...
        """
        if name is None:
            return self
        if name not in self.scenarios:
            known = ", ".join(self.scenarios) or "(this model has none)"
            raise GameInputError(
                f"unknown scenario {name!r} of model {self.name!r}; scenarios: {known}"
            )
        scen = self.scenarios[name]
        game = self.with_values(scen.overrides, where=f"scenario {name!r}")
        return replace(game, scenario=name)

    def with_dynamics(self, dynamics: Dynamics | str | None) -> Game:
        """A copy integrated and analysed under another dynamics (``None``: unchanged).

        Parameters
        ----------
        dynamics : Dynamics, str or None
            A :class:`~gametheory_regen.model.dynamics_spec.Dynamics`, or its command-line
            text ``KIND[,NAME=VALUE...]`` (``"logit,temperature=0.1"``).

        Returns
        -------
        Game
            A new game; this one is unchanged. Scenarios and ``--set`` keep the dynamics.

        Raises
        ------
        GameInputError
            For an unknown dynamics or a parameter out of range.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> rps = Game.builtin("rock_paper_scissors")
        >>> rm = rps.with_dynamics("replicator_mutator,mutation=0.05")
        >>> rm.dynamics.as_dict(), rps.dynamics.kind
        ({'kind': 'replicator_mutator', 'mutation': 0.05}, 'replicator')
        >>> rm.with_values({"w": 2}).dynamics.kind
        'replicator_mutator'
        """
        if dynamics is None:
            return self
        if isinstance(dynamics, str):
            dynamics = Dynamics.parse(dynamics)
        return replace(self, dynamics=dynamics)

    def without_values(self) -> Game:
        """A copy with every parameter free (for a fully symbolic analysis).

        Returns
        -------
        Game
            The same game with every parameter's value removed (bounds kept).

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> free = Game.builtin("hawk_dove").without_values()
        >>> free.free_parameters, free.is_numeric
        (('V', 'C'), False)
        """
        return replace(self, parameters=tuple(replace(p, value=None) for p in self.parameters))

    def _derived_subs(self) -> dict[sp.Symbol, sp.Expr]:
        return {sp.Symbol(n, real=True): e for n, e in self.derived.items()}

    def _value_subs(self) -> dict[sp.Symbol, sp.Rational]:
        return {p.symbol: p.value for p in self.parameters if p.value is not None}

    def expand_derived(self, expr: sp.Expr) -> sp.Expr:
        """Replace derived names in ``expr`` by their expressions in parameters.

        Parameters
        ----------
        expr : sympy.Expr
            May use derived names (as the plain real symbols of :attr:`derived_symbols`).

        Returns
        -------
        sympy.Expr
            In parameters only.

        Examples
        --------
        The annuity factor ``aT`` of the regeneration model:

        >>> from gametheory_regen import Game
        >>> reg = Game.builtin("regeneration")
        >>> reg.expand_derived(reg.derived_symbols["aT"])
        (1 - 1/(rho + 1)**T)/rho
        """
        return sp.sympify(expr).xreplace(self._derived_subs())

    def substitute_values(self, expr: sp.Expr) -> sp.Expr:
        """Expand derived names and substitute every parameter that has a value.

        Parameters
        ----------
        expr : sympy.Expr
            In parameters and derived names.

        Returns
        -------
        sympy.Expr
            Exact; a number when every parameter it uses has a value.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> reg = Game.builtin("regeneration")
        >>> round(float(reg.substitute_values(reg.derived_symbols["aT"])), 6)   # T = 20, rho = 5%
        12.46221
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.substitute_values(hd.payoff_at(("hawk", "hawk"))[0])
        -1
        """
        return self.expand_derived(expr).xreplace(self._value_subs())

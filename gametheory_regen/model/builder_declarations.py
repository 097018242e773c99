r"""The names a ledger game is written in: populations, share symbols, parameters, derived names.

A game has populations :math:`p = 1..n`, population :math:`p` with :math:`k_p \ge 2` strategies
and shares :math:`x_{p,1}, \dots, x_{p,k_p}` on the simplex (:math:`\sum_i x_{p,i} = 1`).  A
payoff may use the shares through their *share symbols* (Contract 4): ``x`` for a population of
two strategies (the share of the first), ``x1 .. x{k-1}`` otherwise, the last share being
:math:`1 - x_1 - \dots - x_{k-1}`.  *Parameters* :math:`\theta` are real symbols with a value
(or none), bounds and a unit; a *derived name* :math:`d_j = f_j(\theta, d_1, \dots, d_{j-1})`
stands for an expression of parameters and earlier derived names (annuity factors, totals).
Every amount is parsed safely over exactly these names
(:func:`~gametheory_regen.model.expr.parse_expression`); ``t`` (time) is reserved for schedules.

:class:`BuilderDeclarations` is a mixin of :class:`~gametheory_regen.model.builder.GameBuilder`
that holds the declaring methods and the helpers that check names against them; the fields they
read and write are the builder's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..errors import ExpressionError, GameInputError
from .expr import parse_expression
from .game import DEFAULT_SYMBOLS, Parameter
from .untrusted import check_counts, check_text

__all__ = ["BuilderDeclarations"]


class BuilderDeclarations:
    """Declarations of a :class:`~gametheory_regen.model.builder.GameBuilder` (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen.model import GameBuilder
    >>> b = GameBuilder("toy")
    >>> _ = b.population("firms", ["comply", "evade"])
    >>> issubclass(GameBuilder, BuilderDeclarations), b.share_names()
    (True, ['x'])
    """

    # ------------------------------------------------------------ declarations
    def population(self, name: str, strategies: Sequence[str], symbol: str | None = None) -> str:
        """Declare a population (in order); returns its name.

        Parameters
        ----------
        name : str
            An identifier, unique among the populations.
        strategies : sequence of str
            At least two non-empty strategy names, in order.
        symbol : str, optional
            Display name of its shares.  Default: the first of ``x, y, z, w, v, u, q, r`` not
            used by a parameter, a derived name or another population's ``symbol``.

        Returns
        -------
        str
            ``name``.

        Raises
        ------
        GameInputError
            For a name or symbol that is not an identifier, a population declared twice, or
            fewer than two strategies.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> b.population("government", ["enable", "withhold"])
        'government'
        >>> _ = b.population("operator", ["operate", "stay_out"], symbol="x")
        >>> _ = b.payoff(("enable", "operate"), (1, 1))
        >>> [p.symbol for p in b.build().populations]   # 'x' is taken: the government gets 'y'
        ['y', 'x']
        >>> b.population("residents", ["participate"])
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: population 'residents': needs a list of at least ...
        """
        where = f"population {name!r}"
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"{where}: a population name must be an identifier")
        if any(p[0] == name for p in self._populations):
            raise GameInputError(f"{where}: declared twice")
        if isinstance(strategies, str) or len(strategies) < 2:
            raise GameInputError(f"{where}: needs a list of at least two strategy names")
        # the limits before anything is made of them (the same check as for model files)
        check_counts([len(p[1]) for p in self._populations] + [len(strategies)],
                     f"game {self.name!r}: populations")
        for s in strategies:
            if not isinstance(s, str) or not s:
                raise GameInputError(f"{where}: strategy names must be non-empty strings, got {s!r}")
            check_text(s, f"{where}: strategy name")
        if symbol is not None and (not isinstance(symbol, str) or not symbol.isidentifier()):
            raise GameInputError(f"{where}: symbol must be an identifier, got {symbol!r}")
        self._populations.append((name, tuple(strategies), symbol))
        return name

    def add_parameter(self, param: Parameter) -> sp.Symbol:
        """Declare a ready-made :class:`Parameter`; returns its symbol.

        Parameters
        ----------
        param : Parameter
            Made with :meth:`Parameter.make`.

        Returns
        -------
        sympy.Symbol
            ``param.symbol``, to write amounts as sympy expressions.

        Raises
        ------
        GameInputError
            When the name is already declared (as a parameter or a derived name).

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> from gametheory_regen.model import Parameter
        >>> b = GameBuilder("toy")
        >>> S = b.add_parameter(Parameter.make("S", 1.5, min=0))
        >>> S, S.is_nonnegative
        (S, True)
        >>> b.add_parameter(Parameter.make("S", 2))
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: parameter 'S': declared twice
        """
        if param.name in self._parameters or param.name in self._derived_raw:
            raise GameInputError(f"parameter {param.name!r}: declared twice")
        self._check_not_state(param.name, f"parameter {param.name!r}")
        self._parameters[param.name] = param
        return param.symbol

    def parameter(
        self,
        name: str,
        value: object = None,
        *,
        description: str = "",
        unit: str = "",
        min: object = None,
        max: object = None,
    ) -> sp.Symbol:
        """Declare a parameter (value None leaves it free); returns its sympy symbol.

        Parameters
        ----------
        name : str
            An identifier, not yet declared.
        value : number or str, optional
            Made an exact rational (``1.43 -> 143/100``); None leaves the parameter free.
        description, unit : str
            Shown in reports.
        min, max : number, optional
            Inclusive bounds; they set the symbol's sign assumptions.

        Returns
        -------
        sympy.Symbol

        Raises
        ------
        GameInputError
            For a bad or repeated name.
        ParameterError
            For a value or bound that is not a finite number, or a value outside the bounds.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> I = b.parameter("I", 30, description="investment", unit="million yuan", min=0)
        >>> I, I.is_nonnegative
        (I, True)
        >>> b.parameter("rho", 2, max=1)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: parameter 'rho': value 2 is above the declared max 1
        """
        return self.add_parameter(Parameter.make(name, value, description, unit, min, max))

    def derived(self, name: str, expression: object) -> sp.Symbol:
        """Declare a derived name for an expression of parameters (and earlier derived names).

        Payoffs keep derived names as written (they read like the source); the built game expands
        them on demand (:meth:`Game.expand_derived`).

        Parameters
        ----------
        name : str
            An identifier, not yet declared.
        expression : str, number or sympy.Expr
            In parameters and derived names declared before.

        Returns
        -------
        sympy.Symbol
            The plain real symbol that stands for the derived name.

        Raises
        ------
        GameInputError
            For a bad or repeated name, or an expression that uses an undeclared name.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.parameter("rho", 0.05, min=0)
        >>> _ = b.parameter("n", 2, min=0)
        >>> b.derived("a", "(1 - (1 + rho)**(-n)) / rho")
        a
        >>> _ = b.population("p", ["s", "t"]), b.population("q", ["s", "t"])
        >>> b.payoff(("s", "s"), ("a", 0))
        >>> game = b.build()
        >>> game.payoff_at(("s", "s"))[0], game.substitute_values(game.payoff_at(("s", "s"))[0])
        (a, 820/441)
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise GameInputError(f"derived name {name!r} must be an identifier")
        if name in self._parameters or name in self._derived_raw:
            raise GameInputError(f"derived name {name!r}: declared twice")
        self._check_not_state(name, f"derived name {name!r}")
        self._derived_raw[name] = self._expr(expression, f"derived {name!r}")
        return sp.Symbol(name, real=True)

    def names(self) -> dict[str, sp.Basic]:
        """Every name an expression may use: parameters, then derived names.

        Returns
        -------
        dict of str to sympy.Symbol
            Name -> the symbol an expression string is parsed into.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.parameter("rho", 0.05)
        >>> _ = b.derived("a", "1/rho")
        >>> b.names()
        {'rho': rho, 'a': a}
        """
        # cached per declaration state: a 16x16 table parses 512 cells against the same names
        key = (tuple(self._parameters.values()), tuple(self._derived_raw),
               tuple(self._populations))
        cached = getattr(self, "_names_cache", None)
        if cached is not None and cached[0] == key:
            return dict(cached[1])
        out: dict[str, sp.Basic] = {n: p.symbol for n, p in self._parameters.items()}
        out.update({n: sp.Symbol(n, real=True) for n in self._derived_raw})
        for name in self.share_names():
            out.setdefault(name, sp.Symbol(name, real=True))
        self._names_cache = (key, out)
        return dict(out)

    def _symbols(self) -> list[str]:
        """The share symbol of each declared population (explicit, else the first free default)."""
        used = set(self._parameters) | set(self._derived_raw) | {
            p[2] for p in self._populations if p[2] is not None}
        free_symbols = iter(s for s in DEFAULT_SYMBOLS if s not in used)
        out = []
        for _, _, symbol in self._populations:
            if symbol is None:
                symbol = next(free_symbols, None) or f"s{len(out) + 1}"
            out.append(symbol)
        return out

    def share_names(self) -> list[str]:
        """The share symbols payoffs may use (Contract 4), for the populations declared so far.

        Population ``p`` with symbol ``x`` and ``k`` strategies has ``x`` (k = 2) or
        ``x1 .. x{k-1}``; the last share is written ``1 - x1 - ...``.  Declare parameters before
        the payoffs that use share symbols (a default symbol skips parameter names).

        Returns
        -------
        list of str

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("firms", ["comply", "evade"])
        >>> _ = b.population("agency", ["inspect", "skip", "audit"])
        >>> b.share_names()
        ['x', 'y1', 'y2']
        """
        out = []
        for (_, strategies, _), symbol in zip(self._populations, self._symbols(), strict=True):
            if len(strategies) == 2:
                out.append(symbol)
            else:
                out.extend(f"{symbol}{i + 1}" for i in range(len(strategies) - 1))
        return out

    def _check_not_state(self, name: str, where: str) -> None:
        if name == "t":
            raise GameInputError(f"{where}: `t` is the time of schedules; choose another name")
        explicit = [p for p in self._populations if p[2] is not None]
        for pname, strategies, symbol in explicit:
            names = [symbol] if len(strategies) == 2 else [
                f"{symbol}{i + 1}" for i in range(len(strategies) - 1)]
            if name in names:
                raise GameInputError(
                    f"{where}: {name!r} is a share symbol of population {pname!r} (the state); "
                    f"choose another name")

    def _expr(self, value: object, where: str) -> sp.Expr:
        if isinstance(value, sp.Basic):
            return value
        try:
            return parse_expression(value, self.names(), where)
        except ExpressionError as exc:
            if "unknown name 't'" in str(exc):
                raise ExpressionError(
                    f"{where}: `t` (time) may only be used in a schedule of kind = "
                    f"\"expression\", not in {value!r}; payoffs depend on the state, not on "
                    f"time (schedule a parameter instead)") from None
            raise

    def _pop_names(self) -> list[str]:
        return [p[0] for p in self._populations]

    def _check_pop(self, name: str | None, where: str) -> None:
        if name is not None and name not in self._pop_names():
            raise GameInputError(
                f"{where}: unknown population {name!r}; populations are "
                f"{', '.join(self._pop_names())}"
            )

    def _when(self, when: Mapping[str, object] | None, where: str) -> tuple:
        if when is None:
            return ()
        if not isinstance(when, Mapping):
            raise GameInputError(
                f"{where}: `when` must be a table population = strategy, got {when!r}"
            )
        out = []
        for pop_name, strategies in when.items():
            self._check_pop(pop_name, f"{where}, when")
            strategies_of = dict((p[0], p[1]) for p in self._populations)[pop_name]
            listed = (strategies,) if isinstance(strategies, str) else tuple(strategies)
            if not listed:
                raise GameInputError(f"{where}, when.{pop_name}: give at least one strategy")
            for s in listed:
                if s not in strategies_of:
                    raise GameInputError(
                        f"{where}, when.{pop_name}: unknown strategy {s!r}; strategies of "
                        f"{pop_name!r} are {', '.join(strategies_of)}"
                    )
            out.append((pop_name, listed))
        return tuple(out)

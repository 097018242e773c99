r"""Payoffs of a ledger game, written three ways: ledger terms, table entries, expected payoffs.

A *term* :math:`t` is an amount :math:`a_t` that flows from a payer (``source``) to a receiver
(``to``) at the profiles where its conditions (``when``) hold.  With table entries
:math:`T_p(s)` written directly (:meth:`~BuilderPayoffs.payoff`), population :math:`p`'s payoff at
profile :math:`s` is

.. math::  A_p(s) = T_p(s) + \sum_{t \text{ active at } s} a_t\,([p = \text{to}_t]
           - [p = \text{source}_t]),

so a transfer is zero-sum between its two parties, a cost has only a payer and a benefit only a
receiver.  A single-population game's entries are rows :math:`A(i, j)`, the payoff of strategy
:math:`i` against :math:`j`.  Papers that print expected payoffs :math:`u_{p,i}(x)` directly give
them as *fitness* entries (:meth:`~BuilderPayoffs.fitness`, Contract 4 ``[[fitness]]``); a
population paid that way has no table entries or terms.

:class:`BuilderPayoffs` is a mixin of :class:`~gametheory_regen.model.builder.GameBuilder` that
holds these methods; the fields they write are the builder's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..errors import GameInputError
from .expr import parse_expression
from .game import Term

__all__ = ["BuilderPayoffs"]


class BuilderPayoffs:
    """Payoffs of a :class:`~gametheory_regen.model.builder.GameBuilder` (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen.model import GameBuilder
    >>> b = GameBuilder("toy")
    >>> _ = b.population("operator", ["operate", "stay_out"])
    >>> _ = b.population("residents", ["participate", "stay_passive"])
    >>> _ = b.cost("investment", 3, who="operator", when={"operator": "operate"})
    >>> issubclass(GameBuilder, BuilderPayoffs), b.build().payoff_at(("operate", "participate"))
    (True, (-3, 0))
    """

    # ------------------------------------------------------------ ledger terms
    def term(
        self,
        label: str,
        amount: object,
        *,
        source: str | None = None,
        to: str | None = None,
        when: Mapping[str, object] | None = None,
        note: str = "",
        perceived: Mapping[str, object] | None = None,
    ) -> Term:
        """Add a ledger term: ``amount`` flows from ``source`` to ``to`` when ``when`` holds.

        ``perceived = {"by": party, "value": expression}`` makes one party (payer or receiver)
        value the term through an expression of ``amount`` (the signed money it gets, negative
        when it pays), e.g. ``pt_value(amount, 0.88, 0.88, 2.25)``; the other party keeps the
        money.

        Parameters
        ----------
        label : str
            What the term is (non-empty); explanations name terms by their labels.
        amount : str, number or sympy.Expr
            In declared parameters and derived names.
        source, to : str, optional
            Paying and receiving population; at least one, and not the same.
        when : mapping of str to str or sequence of str, optional
            Population -> the strategy (or strategies) under which the term flows; all must
            hold.  None: at every profile.
        note : str
            Free text (the source passage).

        Returns
        -------
        Term

        Raises
        ------
        GameInputError
            For an empty label, neither or the same ``source`` and ``to``, an unknown population
            or strategy, or an amount that uses an undeclared name.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("government", ["enable", "withhold"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("S", 1.5, min=0)
        >>> t = b.term("subsidy", "S", source="government", to="operator",
        ...            when={"government": "enable", "operator": "operate"})
        >>> t.kind, t.when
        ('transfer', (('government', ('enable',)), ('operator', ('operate',))))
        >>> b.term("rent", 1, to="operator", when={"operator": "run"})
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: term 'rent', when.operator: unknown strategy ...
        """
        where = f"term {label!r}"
        if not isinstance(label, str) or not label:
            raise GameInputError(f"a term needs a non-empty label, got {label!r}")
        if source is None and to is None:
            raise GameInputError(f"{where}: give at least one of `from` (payer) and `to` (receiver)")
        if source is not None and source == to:
            raise GameInputError(f"{where}: `from` and `to` are the same population {to!r}")
        self._check_pop(source, f"{where}, from")
        self._check_pop(to, f"{where}, to")
        by, value = None, None
        if perceived is not None:
            if not isinstance(perceived, Mapping) or set(perceived) != {"by", "value"}:
                raise GameInputError(f"{where}, perceived: expected a table with `by` (the "
                                     f"perceiving party) and `value` (an expression in amount)")
            by = perceived["by"]
            if by not in (source, to):
                raise GameInputError(f"{where}, perceived.by: {by!r} neither pays nor receives "
                                     f"this term (from {source!r}, to {to!r})")
            from .game import PERCEIVED_AMOUNT

            names = dict(self.names())
            names["amount"] = PERCEIVED_AMOUNT
            value = parse_expression(perceived["value"], names, f"{where}, perceived.value")
        t = Term(label, self._expr(amount, f"{where}, amount"), source, to,
                 self._when(when, where), note, by, value)
        self._terms.append(t)
        return t

    def cost(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A cost borne by ``who``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        who : str
            The paying population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term
            With ``source=who`` and no receiver.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> c = b.cost("investment", 30, who="operator", when={"operator": "operate"})
        >>> c.kind, c.source, c.amount
        ('cost', 'operator', 30)
        >>> b.build().payoff_at(("operate", "stay_passive"))
        (-30, 0)
        """
        return self.term(label, amount, source=who, when=when, note=note)

    def benefit(self, label: str, amount: object, *, who: str, when=None, note: str = "") -> Term:
        """A benefit received by ``who``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        who : str
            The receiving population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term
            With ``to=who`` and no payer.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> gain = b.benefit("renovated space", 2, who="residents", when={"operator": "operate"})
        >>> gain.kind, gain.to
        ('benefit', 'residents')
        >>> b.build().payoff_at(("operate", "stay_passive"))
        (0, 2)
        """
        return self.term(label, amount, to=who, when=when, note=note)

    def transfer(self, label: str, amount: object, *, source: str, to: str, when=None,
                 note: str = "") -> Term:
        """A transfer from ``source`` to ``to``.

        Parameters
        ----------
        label : str
        amount : str, number or sympy.Expr
        source, to : str
            The paying and the receiving population.
        when : mapping, optional
            As for :meth:`term`.
        note : str

        Returns
        -------
        Term

        Examples
        --------
        A transfer is zero-sum between its two parties:

        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("residents", ["participate", "stay_passive"])
        >>> _ = b.population("operator", ["operate", "stay_out"])
        >>> _ = b.parameter("F", 1.6, min=0)
        >>> fee = b.transfer("fees", "F", source="residents", to="operator",
        ...                  when={"residents": "participate", "operator": "operate"})
        >>> b.build().payoff_at(("participate", "operate"))
        (-F, F)
        """
        return self.term(label, amount, source=source, to=to, when=when, note=note)

    # ------------------------------------------------------------ table form
    def payoff(self, profile: Sequence[str], values: Sequence[object], where: str = "") -> None:
        """Add payoffs at a profile (strategy names in population order); they add to the ledger.

        Parameters
        ----------
        profile : sequence of str
            One strategy name per population, in declaration order.
        values : sequence of (str, number or sympy.Expr)
            One payoff per population, in the same order.
        where : str
            Prefix of error messages (default ``payoff [profile]``).

        Returns
        -------
        None

        Raises
        ------
        GameInputError
            For a wrong number of strategies or values, an unknown strategy, a profile given
            twice, or a value that uses an undeclared name.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("toy")
        >>> _ = b.population("row", ["heads", "tails"])
        >>> _ = b.population("column", ["heads", "tails"])
        >>> b.payoff(("heads", "heads"), (1, -1))
        >>> _ = b.benefit("bonus", 1, who="row")          # a ledger term adds to the table
        >>> b.build().payoff_at(("heads", "heads"))
        (2, -1)
        >>> b.payoff(("heads",), (1, -1))
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.GameInputError: payoff ['heads']: a profile lists one strategy ...
        """
        where = where or f"payoff {list(profile)}"
        if len(self._populations) == 1:
            self._symmetric_payoff(profile, values, where)
            return
        if isinstance(profile, str) or len(profile) != len(self._populations):
            raise GameInputError(
                f"{where}: a profile lists one strategy per population "
                f"({', '.join(self._pop_names())}), got {profile!r}"
            )
        for (pop_name, strategies, _), s in zip(self._populations, profile, strict=True):
            if s not in strategies:
                raise GameInputError(
                    f"{where}: unknown strategy {s!r} of population {pop_name!r}; its strategies "
                    f"are {', '.join(strategies)}"
                )
        if isinstance(values, str) or len(values) != len(self._populations):
            n = len(values) if not isinstance(values, str) else 1
            raise GameInputError(
                f"{where}: expected {len(self._populations)} values (one per population, in "
                f"order {', '.join(self._pop_names())}), got {n}"
            )
        exprs = tuple(self._expr(v, f"{where}, value {i + 1}") for i, v in enumerate(values))
        key = tuple(profile)
        if key in self._table:
            raise GameInputError(f"{where}: profile {list(profile)} is given twice")
        self._table[key] = exprs

    def _symmetric_payoff(self, profile, values, where: str) -> None:
        pop_name, strategies, _ = self._populations[0]
        if isinstance(profile, str) or len(profile) != 2:
            raise GameInputError(
                f"{where}: a single-population game's profile is [own strategy, opponent's "
                f"strategy], got {profile!r}")
        for s in profile:
            if s not in strategies:
                raise GameInputError(f"{where}: unknown strategy {s!r} of population "
                                     f"{pop_name!r}; its strategies are {', '.join(strategies)}")
        if isinstance(values, str | int | float) or isinstance(values, sp.Basic):
            values = [values]
        if len(values) != 1:
            raise GameInputError(
                f"{where}: a single-population game's row holds one value (the payoff of the "
                f"player using {profile[0]!r}), got {len(values)}")
        key = tuple(profile)
        if key in self._table:
            raise GameInputError(f"{where}: profile {list(profile)} is given twice")
        self._table[key] = (self._expr(values[0], f"{where}, value 1"),)

    # ------------------------------------------------------------ expected payoffs
    def fitness(self, population: str, strategy: str, value: object, where: str = "") -> None:
        """Give a population's expected payoff of one strategy directly, as papers print it.

        ``value`` may use parameters, derived names and the share symbols (Contract 4,
        ``[[fitness]]``).  A population with fitness entries may not be paid by
        :meth:`payoff` values or terms; a strategy without an entry earns 0.

        Parameters
        ----------
        population, strategy : str
        value : str, number or sympy.Expr
        where : str
            Prefix of error messages.

        Returns
        -------
        None

        Raises
        ------
        GameInputError
            For an unknown population or strategy, or a strategy given twice.

        Examples
        --------
        >>> from gametheory_regen.model import GameBuilder
        >>> b = GameBuilder("inspection")
        >>> _ = b.population("firms", ["comply", "evade"])
        >>> _ = b.population("agency", ["inspect", "skip"])
        >>> _ = b.parameter("F", 2)
        >>> b.fitness("firms", "evade", "-F*y")
        >>> b.build().fitness
        mappingproxy({(0, 1): -F*y})
        """
        where = where or f"fitness {population}.{strategy}"
        self._check_pop(population, where)
        pi = self._pop_names().index(population)
        strategies = self._populations[pi][1]
        if strategy not in strategies:
            raise GameInputError(f"{where}: unknown strategy {strategy!r} of population "
                                 f"{population!r}; its strategies are {', '.join(strategies)}")
        key = (pi, strategies.index(strategy))
        if key in self._fitness:
            raise GameInputError(f"{where}: {population}.{strategy} is given twice")
        self._fitness[key] = self._expr(value, f"{where}, key `value`")

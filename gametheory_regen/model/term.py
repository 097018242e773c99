r"""Ledger terms: a payoff as the sum of the costs, benefits and transfers active at a profile.

A game written as a ledger (:mod:`gametheory_regen.model.builder`) gives population :math:`p` at
profile :math:`s` the payoff :math:`A_p(s) = \sum_{t \text{ active at } s} v_{t,p}`.  A term
:math:`t` with amount :math:`a_t` is active when every population it lists plays one of its
listed strategies; :math:`v_{t,p}` is the money it pays :math:`p` (:math:`+a_t` to the receiver,
:math:`-a_t` to the payer, 0 to anyone else) or, for the party that perceives the term through a
value function such as prospect theory's, that function of the money
(:data:`PERCEIVED_AMOUNT` stands for the money in it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

__all__ = ["PERCEIVED_AMOUNT", "Term"]


#: The symbol ``amount`` of a term's ``perceived`` value: the signed money the perceiving party
#: gets from the term (negative when it pays).
PERCEIVED_AMOUNT = sp.Symbol("amount", real=True)


@dataclass(frozen=True)
class Term:
    """A ledger entry: ``amount`` is added to ``to`` and subtracted from ``source``.

    ``when`` maps a population name to the strategies under which the term is active (all listed
    populations must play one of their listed strategies).  A term with only ``source`` is a cost,
    with only ``to`` a benefit, with both a transfer.

    Attributes
    ----------
    label : str
        What the term is (shown in explanations and reports).
    amount : sympy.Expr
        The amount, in parameters and derived names.
    source, to : str or None
        The paying and the receiving population (at least one is given).
    when : tuple of (population, tuple of strategies)
        The conditions on the profile; empty: always active.
    note : str
        Free text, e.g. the passage of the source the term encodes.
    perceived_by : str or None
        A party (the payer or the receiver) that perceives the term's money through
        ``perceived`` (e.g. prospect theory's ``pt_value``) instead of at face value.
    perceived : sympy.Expr or None
        The perceived value, an expression in :data:`PERCEIVED_AMOUNT` (the signed money the
        party gets from the term) and parameters.

    Examples
    --------
    >>> import sympy as sp
    >>> subsidy = Term("subsidy", sp.Symbol("S"), source="government", to="operator",
    ...                when=(("government", ("enable",)), ("operator", ("operate",))))
    >>> subsidy.kind
    'transfer'
    >>> subsidy.active({"government": "enable", "operator": "operate"})
    True
    """

    label: str
    amount: sp.Expr
    source: str | None = None
    to: str | None = None
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: str = ""
    perceived_by: str | None = None
    perceived: sp.Expr | None = None

    def received(self, population: str) -> sp.Expr:
        """The signed money this term pays ``population`` (``-amount`` to the payer).

        Parameters
        ----------
        population : str

        Returns
        -------
        sympy.Expr

        Examples
        --------
        >>> fee = Term("fee", sp.Symbol("F"), source="residents", to="operator")
        >>> fee.received("residents"), fee.received("operator"), fee.received("government")
        (-F, F, 0)
        """
        out = sp.Integer(0)
        if self.to == population:
            out += self.amount
        if self.source == population:
            out -= self.amount
        return out

    def value_to(self, population: str) -> sp.Expr:
        """What the term is worth to ``population``: its money, or the perceived value for the
        party that perceives it (``perceived`` with ``amount`` replaced by the money).

        Parameters
        ----------
        population : str

        Returns
        -------
        sympy.Expr

        Examples
        --------
        A fine perceived by the firm through prospect theory's value function (loss aversion):

        >>> from gametheory_regen.model.expr import pt_value
        >>> F, amount = sp.Symbol("F"), PERCEIVED_AMOUNT
        >>> fine = Term("fine", F, source="firms", to="agency", perceived_by="firms",
        ...             perceived=pt_value(amount, 1, 1, sp.Rational(9, 4)))
        >>> fine.value_to("agency"), fine.value_to("firms").subs(F, 2)
        (F, -9/2)
        """
        money = self.received(population)
        if self.perceived_by == population and self.perceived is not None:
            return self.perceived.xreplace({PERCEIVED_AMOUNT: money})
        return money

    @property
    def kind(self) -> str:
        """``"cost"``, ``"benefit"`` or ``"transfer"``.

        A term with both ``source`` and ``to`` is a transfer, with only ``source`` a cost,
        otherwise a benefit.

        >>> import sympy as sp
        >>> c = sp.Symbol("c")
        >>> [Term("effort", c, source="operator").kind, Term("rent", c, to="operator").kind,
        ...  Term("fee", c, source="residents", to="operator").kind]
        ['cost', 'benefit', 'transfer']
        """
        if self.source and self.to:
            return "transfer"
        return "cost" if self.source else "benefit"

    def active(self, named_profile: Mapping[str, str]) -> bool:
        """Whether the term applies at a profile given as population -> strategy.

        Parameters
        ----------
        named_profile : mapping of str to str
            Population name -> strategy name, for (at least) every population in :attr:`when`.

        Returns
        -------
        bool
            True when every listed population plays one of its listed strategies.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> investment = Game.builtin("regeneration").terms[0]
        >>> investment.label, investment.kind
        ('operator investment', 'cost')
        >>> profile = {"government": "enable", "operator": "operate", "residents": "participate"}
        >>> investment.active(profile), investment.active({**profile, "operator": "stay_out"})
        (True, False)
        """
        return all(named_profile[pop] in strategies for pop, strategies in self.when)

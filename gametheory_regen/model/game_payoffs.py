r"""Payoffs of a Game: at a profile, as tensors, term by term, and whether they depend on the state.

Population :math:`p`'s payoffs form a tensor :math:`A_p` of the table's shape (:math:`(k_1,
\dots, k_n)`, or :math:`(k, k)` for one population), :math:`A_p[s]` its payoff at profile
:math:`s` (:meth:`~GamePayoffs.payoff_tensors`: symbolic, or exact at the parameters' values).  A
game is *state dependent* when some payoff uses the shares :math:`x` (Contract 4), or when a
population's expected payoffs :math:`u_{p,i}(x)`, given directly (``[[fitness]]``), are not what
a constant table gives: free of population :math:`p`'s own shares and affine in each other
population's shares (multilinear).  A game written as a ledger also tells which terms make up
each payoff (:meth:`~GamePayoffs.cell_terms`).

:class:`GamePayoffs` is a mixin of :class:`~gametheory_regen.model.game.Game` that holds these
methods; the fields they read are the game's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import ParameterError
from .exact import _exact_number, _round_floats

if TYPE_CHECKING:
    from .term import Term

__all__ = ["GamePayoffs"]


class GamePayoffs:
    """Payoffs of a :class:`~gametheory_regen.model.game.Game` (a mixin; see there).

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> issubclass(Game, GamePayoffs), Game.builtin("hawk_dove").payoff_at(("dove", "dove"))
    (True, (V/2, V/2))
    """

    @property
    def state_dependent(self) -> bool:
        """True when some payoff depends on the state beyond what a constant payoff table gives.

        A table entry or term amount that uses a share symbol (derived names expanded), or a
        ``[[fitness]]`` value that uses its own population's shares or is not affine in each
        other population's shares (a constant table's expected payoffs are exactly those).

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").state_dependent
        False
        >>> from gametheory_regen.model.modelfile import read_model_text
        >>> g = read_model_text('''
        ... name = "dyn"
        ... [[populations]]
        ... name = "a"
        ... strategies = ["s", "t"]
        ... [[populations]]
        ... name = "b"
        ... strategies = ["s", "t"]
        ... [[payoffs]]
        ... profile = ["s", "s"]
        ... values = ["1 - y", "x"]
        ... ''')
        >>> g.state_dependent
        True
        """
        key = ("state_dependent",)
        cache = self._cache  # type: ignore[attr-defined]
        if key not in cache:
            shares = set(self.share_symbols.values())
            exprs = [e for vals in self.table.values() for e in vals]
            dependent = any(self.expand_derived(e).free_symbols & shares for e in exprs)
            for (p, _), e in self.fitness.items():
                dependent = dependent or not self._multilinear_fitness(p, self.expand_derived(e))
            cache[key] = bool(dependent)
        return cache[key]

    def _multilinear_fitness(self, p: int, expr: sp.Expr) -> bool:
        """Whether a fitness of population ``p`` is what a constant payoff table gives: free of
        its own shares and affine in each other population's shares (multilinear)."""
        groups = []
        for q, pop in enumerate(self.populations):
            syms = {sp.Symbol(n, real=True) for n in pop.share_names()}
            if q == p:
                if expr.free_symbols & syms:
                    return False
            else:
                groups.append(syms)
        used = [g for g in groups if expr.free_symbols & g]
        if not used:
            return True
        try:
            poly = sp.Poly(expr, *[v for g in used for v in g])
        except sp.PolynomialError:
            return False
        gens = poly.gens
        for m in poly.monoms():
            for g in used:
                if sum(d for d, v in zip(m, gens, strict=True) if v in g) > 1:
                    return False
        return True

    @property
    def has_fitness(self) -> bool:
        """True when some population's expected payoffs are given directly (``[[fitness]]``).

        >>> from gametheory_regen import Game
        >>> Game.builtin("hawk_dove").has_fitness
        False
        """
        return bool(self.fitness)

    def payoff_at(self, profile: Sequence[int] | Sequence[str]) -> tuple[sp.Expr, ...]:
        """Payoffs as written (derived names kept) at a profile (indices or names).

        Parameters
        ----------
        profile : sequence of int or sequence of str
            Strategy indices or names, in population order.

        Returns
        -------
        tuple of sympy.Expr
            One payoff per population, in population order.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> hd.payoff_at(("hawk", "dove")), hd.payoff_at((1, 1))
        ((V, 0), (V/2, V/2))
        """
        if profile and isinstance(next(iter(profile)), str):
            if self.n_populations == 1:
                pop = self.populations[0]
                profile = tuple(pop.index(s) for s in profile)
            else:
                profile = self.profile_index(profile)
        return self.table[tuple(profile)]

    def payoff_tensors(self, *, numeric: bool = False, expand: bool = True) -> tuple[sp.Array, ...]:
        """One sympy array of shape :attr:`shape` per population.

        Parameters
        ----------
        numeric : bool
            Substitute the parameters' values (they must all have one).
        expand : bool
            Replace derived names by their expressions (always done when ``numeric``).

        Returns
        -------
        tuple of sympy.Array
            ``tensors[p][s]`` is population ``p``'s payoff at profile ``s`` (cached).

        Raises
        ------
        ParameterError
            With ``numeric=True`` when some parameter has no value.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> hd = Game.builtin("hawk_dove")
        >>> owner, intruder = hd.payoff_tensors()
        >>> owner
        [[-C/2 + V/2, V], [0, V/2]]
        >>> intruder.tolist() == owner.transpose().tolist()   # a symmetric contest
        True
        >>> hd.payoff_tensors(numeric=True)[1].tolist()
        [[-1, 0], [2, 1]]
        >>> hd.without_values().payoff_tensors(numeric=True)
        Traceback (most recent call last):
        ...
        gametheory_regen.errors.ParameterError: model 'hawk_dove': no value for parameter(s) ...
        """
        key = ("tensors", numeric, expand)
        cache = self._cache  # type: ignore[attr-defined]
        if key in cache:
            return cache[key]
        if numeric and not self.is_numeric:
            raise ParameterError(
                f"model {self.name!r}: no value for parameter(s) {', '.join(self.free_parameters)}; "
                f"give them with --set NAME=VALUE or a scenario"
            )
        dsubs = self._derived_subs() if (expand or numeric) else {}
        vsubs = self._value_subs() if numeric else {}
        numeric_cells = numeric
        shares = set(self.share_symbols.values())
        out = []
        for p in range(self.n_populations):
            cells = []
            for profile in self.table_profiles():
                e = self.table[profile][p]
                if dsubs:
                    e = e.xreplace(dsubs)
                if numeric_cells:
                    e = e.xreplace(vsubs)
                    e = _exact_number(e) if not (e.free_symbols & shares) else _round_floats(e)
                cells.append(e)
            out.append(sp.Array(cells, self.table_shape))
        result = tuple(out)
        cache[key] = result
        return result

    def cell_terms(self, profile: Sequence[int] | Sequence[str]) -> list[tuple[Term, tuple[sp.Expr, ...]]]:
        """The ledger terms that make up the payoffs at ``profile``.

        Returns a list of ``(term, contributions)`` where ``contributions`` gives the signed
        amount for each population (``-amount`` to the payer, ``+amount`` to the receiver).
        Empty for a game given as a plain table.

        Parameters
        ----------
        profile : sequence of int or sequence of str
            Strategy indices or names, in population order.

        Returns
        -------
        list of (Term, tuple of sympy.Expr)
            The active terms in ledger order, with each population's signed contribution.

        Examples
        --------
        >>> from gametheory_regen import Game
        >>> reg = Game.builtin("regeneration")
        >>> cells = reg.cell_terms(("enable", "operate", "participate"))
        >>> for term, contributions in cells[:3]:
        ...     print(term.label, contributions)
        operator investment (0, -I, 0)
        space income from the granted area over the term (0, A*aT*let_share*r*rights/1000000, 0)
        transitional subsidy (-ak*s, ak*s, 0)
        >>> Game.builtin("hawk_dove").cell_terms(("hawk", "dove"))   # a plain table has no ledger
        []
        """
        if not self.terms:
            return []
        if profile and isinstance(next(iter(profile)), str):
            profile = self.profile_index(profile)
        named = dict(zip((p.name for p in self.populations), self.profile_names(profile), strict=True))
        out = []
        for term in self.terms:
            if term.active(named):
                contrib = []
                for pop in self.populations:
                    amount = sp.Integer(0)
                    if term.to == pop.name:
                        amount += term.amount
                    if term.source == pop.name:
                        amount -= term.amount
                    contrib.append(amount)
                out.append((term, tuple(contrib)))
        return out

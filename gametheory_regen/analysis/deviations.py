"""Vertex eigenvalues tied to the unilateral deviations they measure.

At a pure profile :math:`s` of a multi-population game the reduced Jacobian of the replicator
dynamics is block diagonal with triangular blocks, and its eigenvalues are the payoff gains of
the unilateral deviations,

.. math::

    \\lambda_{p,j} = u_p(j, s_{-p}) - u_p(s_p, s_{-p}), \\qquad j \\neq s_p,

one for every population :math:`p` and every strategy :math:`j` it could switch to (Hofbauer &
Sigmund 1998, sec. 10.3; Ritzberger & Weibull 1995).  Papers number them
:math:`\\lambda_1, \\lambda_2, \\dots` by party in the order of the populations, and so does this
module: the deviations are listed population by population, and within a population by strategy
order, skipping the strategy in use.

The eigenvalues themselves are computed elsewhere (:func:`~gametheory_regen.analysis.eigen.exact_spectrum`
on the Jacobian, sorted by real part).  Here each payoff gain is matched to one of them, exactly
where both are exact (``expand(gain - eigenvalue) == 0``) and otherwise to the nearest unused
floating-point value, so that the permutation found carries the exactly decided signs along.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Deviation", "VertexDeviations", "vertex_deviations"]


@dataclass(frozen=True)
class Deviation:
    """One unilateral deviation from a pure profile.

    Attributes
    ----------
    population : str
        The population (party) that deviates.
    strategy : str
        The strategy it switches to.
    index : int
        1-based number of the eigenvalue, :math:`\\lambda_{index}`.

    Examples
    --------
    >>> Deviation("operator", "stay_out", 2).as_dict()
    {'population': 'operator', 'strategy': 'stay_out'}
    """

    population: str
    strategy: str
    index: int

    def as_dict(self) -> dict:
        """The JSON form ``{"population": ..., "strategy": ...}``.

        >>> Deviation("a", "b", 1).as_dict()
        {'population': 'a', 'strategy': 'b'}
        """
        return {"population": self.population, "strategy": self.strategy}


@dataclass(frozen=True)
class VertexDeviations:
    """The eigenvalues of a vertex in deviation order.

    Attributes
    ----------
    deviations : tuple of Deviation
        In population order, then strategy order.
    values : tuple of complex
        ``values[i]`` is the eigenvalue (payoff gain) of ``deviations[i]``.
    signs : tuple of int
        Sign of each real part (-1, 0, +1), as decided by the spectrum; empty when undecided.
    expressions : tuple of sympy.Expr
        The payoff gains as expressions of the parameters (derived names kept).
    exact : tuple of sympy.Expr or None
        The exact eigenvalues in the same order, where the spectrum has them.
    matched : str
        ``"exact"`` when every gain was matched to an exactly equal eigenvalue, ``"numeric"``
        when some match was by the nearest floating-point value, ``"symbolic"`` when the
        spectrum has no numbers (free parameters): then ``values`` is empty.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("hawk_dove"))
    >>> dev = vertex_deviations(res, res.rest_points[1])      # (hawk, dove)
    >>> [(d.population, d.strategy) for d in dev.deviations], dev.values, dev.signs
    ([('owner', 'dove'), ('intruder', 'hawk')], ((-1+0j), (-1+0j)), (-1, -1))
    """

    deviations: tuple[Deviation, ...]
    values: tuple[complex, ...]
    signs: tuple[int, ...]
    expressions: tuple[sp.Expr, ...]
    matched: str
    exact: tuple[sp.Expr, ...] | None = None


def _gains(game, profile, numeric=None):
    if game.symmetric or game.state_dependent or getattr(game, "has_fitness", False):
        return _gains_from_expected(game, profile, numeric)
    tensors = game.payoff_tensors(numeric=numeric)
    out = []
    for p, pop in enumerate(game.populations):
        here = tensors[p][tuple(profile)]
        for j in range(pop.k):
            if j == profile[p]:
                continue
            dev = list(profile)
            dev[p] = j
            out.append((pop.name, pop.strategies[j], tensors[p][tuple(dev)] - here))
    return out


def _gains_from_expected(game, profile, numeric):
    """Gains ``u_pj(v) - u_{p s_p}(v)`` at the vertex ``v`` from the expected payoffs (every
    kind of game: one population, payoffs that depend on the state, ``[[fitness]]``)."""
    from ..dynamics.replicator import expected_payoffs
    from .pointwise import _deviation_gains

    gains = iter(_deviation_gains(game, expected_payoffs(game, numeric=numeric), profile))
    return [(pop.name, pop.strategies[j], next(gains))
            for p, pop in enumerate(game.populations) for j in range(pop.k) if j != profile[p]]


def vertex_deviations(analysis, rest_point) -> VertexDeviations:
    """Tie each eigenvalue of a vertex to the deviation whose payoff gain it is.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
        From :func:`gametheory_regen.analyze`.
    rest_point : RestPoint
        A vertex of ``analysis`` (``kind == "vertex"``).

    Returns
    -------
    VertexDeviations

    Raises
    ------
    ValueError
        If ``rest_point`` is not a vertex.

    Examples
    --------
    Battle of the sexes at (opera, opera): each party loses by switching alone.

    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("battle_of_sexes"))
    >>> dev = vertex_deviations(res, res.rest_points[0])
    >>> [d.index for d in dev.deviations], dev.signs, dev.matched
    ([1, 2], (-1, -1), 'exact')
    """
    if rest_point.kind != "vertex":
        raise ValueError(f"vertex_deviations: expected a vertex, got a {rest_point.kind} point")
    game = analysis.game
    profile = tuple(s[0] for s in rest_point.support)
    gains = _gains(game, profile, analysis.numeric)
    deviations = tuple(Deviation(pop, strat, i) for i, (pop, strat, _) in enumerate(gains, 1))
    expressions = tuple(rest_point.symbolic_eigenvalues or (g for _, _, g in gains))
    spec = rest_point.spectrum
    if spec is None or not spec.values or len(spec.values) != len(gains):
        signs = tuple(spec.signs) if spec is not None and spec.signs and spec.exact is not None \
            and len(spec.exact) == len(gains) else ()
        if signs:  # symbolic spectrum: exact diagonal, match the expressions
            perm = _match([g for _, _, g in gains], list(spec.exact), None)
            signs = tuple(spec.signs[k] for k in perm)
        return VertexDeviations(deviations, (), signs, expressions, "symbolic",
                                tuple(expressions))
    exact = list(spec.exact) if spec.exact is not None and len(spec.exact) == len(gains) else None
    perm = _match([g for _, _, g in gains], exact, list(spec.values))
    matched = "exact" if exact is not None and all(
        sp.expand(g - exact[k]) == 0 for (_, _, g), k in zip(gains, perm, strict=True)) \
        else "numeric"
    return VertexDeviations(deviations, tuple(spec.values[k] for k in perm),
                            tuple(spec.signs[k] for k in perm), expressions, matched,
                            tuple(exact[k] for k in perm) if exact is not None else None)


def _match(gains, exact, values) -> list[int]:
    """A permutation ``perm`` with ``gains[i]`` equal (or nearest) to eigenvalue ``perm[i]``."""
    n = len(gains)
    free = list(range(n))
    perm = [-1] * n
    if exact is not None:
        for i, g in enumerate(gains):
            for k in free:
                if sp.expand(g - exact[k]) == 0:
                    perm[i] = k
                    free.remove(k)
                    break
    for i, g in enumerate(gains):
        if perm[i] >= 0:
            continue
        try:
            target = complex(sp.N(g, 30))
        except TypeError:
            target = None
        if target is None or values is None:
            k = free[0]
        else:
            k = min(free, key=lambda j: abs(values[j] - target))
        perm[i] = k
        free.remove(k)
    return perm

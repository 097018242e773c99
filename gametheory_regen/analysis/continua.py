r"""Continua: solution sets of positive dimension of a face's rest-point equations.

A face whose equations leave some unknowns free carries a set of non-isolated rest points.  It
is reported only where its parametrisation meets the *open* face (every used share positive):
exactly by Fourier--Motzkin elimination when the shares are affine in the free unknowns,
otherwise on a seeded sample.  A set that meets only the closure belongs to a lower face and is
found there, so duplicates of lower faces are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..model.game import Game

__all__ = ["Continuum"]


@dataclass(frozen=True)
class Continuum:
    """A set of non-isolated rest points: a solution set of positive dimension on a face.

    Attributes
    ----------
    support : tuple of tuple of int
        The face (strategies in use per population).
    dimension : int
    equations : tuple of sympy.Expr
        The face's rest-point equations (each ``= 0``), simplified; shares outside the support are 0.
    parametrization : dict of str to sympy.Expr
        Determined shares as functions of the free ones.
    free : tuple of str
        The free shares.

    Examples
    --------
    Selten's entry game: once the entrant stays out, the incumbent is indifferent, so the whole
    edge {entrant: out} is a line of rest points:

    >>> from gametheory_regen.model import Game
    >>> from gametheory_regen.analysis.equilibria import analyze
    >>> entry = Game.from_table("entry", [("entrant", ["in", "out"]),
    ...                                   ("incumbent", ["fight", "accommodate"])],
    ...     {("in", "fight"): (-1, -1), ("in", "accommodate"): (1, 1),
    ...      ("out", "fight"): (0, 2), ("out", "accommodate"): (0, 2)})
    >>> (line,) = analyze(entry).continua
    >>> line.support, line.dimension, line.free
    (((1,), (0, 1)), 1, ('incumbent.fight',))
    """

    support: tuple[tuple[int, ...], ...]
    dimension: int
    equations: tuple[sp.Expr, ...]
    parametrization: dict
    free: tuple[str, ...]





def _continuum_meets_face(shares, values, unknowns, face, samples: int = 400) -> bool:
    """Whether a solution set of positive dimension has points with every support share > 0.

    Exact (Fourier–Motzkin) when the shares are affine in the free unknowns; otherwise a seeded
    sample of the free unknowns in (0, 1).
    """
    from fractions import Fraction

    from .conditions import fourier_motzkin_feasible

    free = [u for u in unknowns if values[u] == u]
    exprs = [sp.expand(v.xreplace(values)) for row, s in zip(shares, face, strict=True)
             for j, v in enumerate(row) if j in s]
    try:
        polys = [sp.Poly(e, *free) for e in exprs]
        affine = all(p.total_degree() <= 1 and all(c.is_Rational for c in p.coeffs())
                     for p in polys)
    except sp.PolynomialError:
        affine = False
    if affine:
        rows = []
        for p in polys:  # -share < 0
            coeffs = {u: -Fraction(str(p.coeff_monomial(u))) for u in free
                      if p.coeff_monomial(u) != 0}
            rows.append((coeffs, -Fraction(str(p.coeff_monomial(1))), True))
        return fourier_motzkin_feasible(rows, free)
    f = sp.lambdify(free, exprs, "numpy")
    rng = np.random.default_rng(0)
    for point in rng.random((samples, len(free))):
        vals = np.array(f(*point), dtype=complex)
        if np.all(np.abs(vals.imag) < 1e-12) and np.all(vals.real > 0):
            return True
    return False



def _continuum_certainly_outside(shares, values, face) -> bool:
    """A parametrised continuum (free parameters) with a determined share that is a number
    outside (0, 1), or a share that is identically <= 0."""
    for row, s in zip(shares, face, strict=True):
        for j in s:
            v = sp.expand(sp.sympify(row[j]).xreplace(values))
            if v.is_number and not (0 < v < 1):
                return True
    return False


def _continuum(game: Game, face, unknowns, shares, eqs, values) -> Continuum:
    free = tuple(str(u) for u in unknowns if values.get(u, u) == u)
    names = {}
    for p, (pop, s) in enumerate(zip(game.populations, face, strict=True)):
        for i in s[:-1] if len(s) > 1 else ():
            names[sp.Symbol(f"_f{p}_{i}", real=True)] = sp.Symbol(
                f"{pop.name}.{pop.strategies[i]}", real=True)
    param = {}
    for u in unknowns:
        if values.get(u, u) != u:
            param[str(names[u])] = values[u].xreplace(names)
    clean = tuple(sp.factor(e.xreplace(names)) for e in eqs if e != 0)
    return Continuum(face, len(free) if free else len(unknowns), clean, param,
                     tuple(str(names[sp.Symbol(f, real=True)]) for f in free))




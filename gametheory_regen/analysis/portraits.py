"""Plain data for figures and for the single-party analysis of a paper (no drawing here).

Single-party stability analysis
-------------------------------
For a population with two strategies and share :math:`x` of the first, the replicator equation
factors as

.. math::

    F(x) = \\frac{dx}{dt} = x (1 - x)\\, g(y, z, \\dots), \\qquad
    g = u_1 - u_2 ,

with :math:`g` the payoff advantage of the first strategy, a function of the other populations'
shares only (multi-population games with constant payoffs).  Then :math:`F'(0) = g` and
:math:`F'(1) = -g`: on the party's own line, :math:`x = 1` is stable where :math:`g > 0` and
:math:`x = 0` where :math:`g < 0`, and every :math:`x` is at rest on the threshold surface
:math:`g = 0`.  When :math:`g` is affine in some other share :math:`y`,
:math:`g = a\\, y + b` (:math:`a`, :math:`b` free of :math:`y`), the surface is
:math:`y^* = -b / a` and the side of it on which :math:`x = 1` is stable is the sign of
:math:`a` (papers' :math:`y^* = (C_o - S)/(R + F)`).

Figures
-------
Figures never integrate nor evaluate expressions themselves: the trajectories and surfaces they
draw are computed here with the engine's public functions (:func:`gametheory_regen.simulate`)
and a single ``lambdify`` of each advantage function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .fields import (  # noqa: F401  (re-exported: the data of every figure in one place)
    log_times, parameter_trajectories, plane_samples, rhs_function, trajectories)

__all__ = ["SingleParty", "bifurcation_data", "evolution_paths", "log_times", "parameter_paths",
           "parameter_trajectories", "plane_samples", "rhs_function", "single_party_analysis",
           "threshold_surface", "trajectories"]


@dataclass(frozen=True)
class SingleParty:
    """The single-party stability analysis of one two-strategy population.

    Attributes
    ----------
    population : str
    variable : sympy.Symbol
        Its share symbol (share of its first strategy).
    advantage : sympy.Expr
        :math:`g = u_1 - u_2` in the other shares and the parameters (derived names kept).
    replicator : sympy.Expr
        :math:`F = x (1 - x) g`.
    threshold_variable : sympy.Symbol or None
        The other share in which :math:`g` is affine (the first such), or None.
    threshold : sympy.Expr or None
        :math:`-b/a`, the threshold surface solved for ``threshold_variable``.
    slope : sympy.Expr or None
        :math:`a = \\partial g / \\partial y`: where it is positive, ``x = 1`` is stable above the
        surface.
    slope_sign : int or None
        Sign of ``slope`` at the parameter values (None with free parameters or a zero slope).
    threshold_value : float or None
        ``threshold`` at the parameter values when it is a number.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> party = single_party_analysis(gr.Game.builtin("hawk_dove"))[0]
    >>> party.advantage, party.threshold, party.slope_sign
    (-C*y/2 + V/2, V/C, -1)
    """

    population: str
    variable: sp.Symbol
    advantage: sp.Expr
    replicator: sp.Expr
    threshold_variable: sp.Symbol | None
    threshold: sp.Expr | None
    slope: sp.Expr | None
    slope_sign: int | None
    threshold_value: float | None


def _share_symbols(game):
    shares, variables = [], []
    for pop in game.populations:
        names = [sp.Symbol(n) for n in pop.share_names()]
        if pop.k == 2:
            shares.append([names[0], 1 - names[0]])
        else:
            shares.append(list(names) + [1 - sum(names)])
        variables.append(names)
    return shares, variables


def _values(game) -> dict:
    subs = {p.symbol: p.value for p in game.parameters if p.value is not None}
    for name, sym in getattr(game, "derived_symbols", {}).items():
        expr = game.expand_derived(sym).xreplace(subs)
        subs[sym] = expr
    return subs


def single_party_analysis(game) -> tuple[SingleParty, ...]:
    """Each two-strategy population's advantage function and threshold surface.

    Parameters
    ----------
    game : Game
        A game of two or more populations (with or without parameter values).

    Returns
    -------
    tuple of SingleParty
        One per two-strategy population, in model order (populations with more strategies are
        skipped: their analysis is the full table of rest points).

    Examples
    --------
    Battle of the sexes (a = 2, b = 1): the first population's first strategy pays when the
    other plays its first with probability above b/(a + b) = 1/3, the interior rest point's
    coordinate (Hofbauer & Sigmund 1998, sec. 10.2).

    >>> import gametheory_regen as gr
    >>> row = single_party_analysis(gr.Game.builtin("battle_of_sexes"))[0]
    >>> row.threshold_variable, row.threshold, row.threshold_value
    (y, b/(a + b), 0.3333333333333333)
    """
    from .equilibria import expected_payoffs

    if game.n_populations < 2:
        return ()
    tensors = game.payoff_tensors(numeric=False, expand=False)
    shares, variables = _share_symbols(game)
    subs = _values(game)
    out = []
    for p, pop in enumerate(game.populations):
        if pop.k != 2:
            continue
        u = expected_payoffs(tensors[p], p, shares)
        g = sp.expand(u[0] - u[1])
        x = variables[p][0]
        others = [v for q, vs in enumerate(variables) if q != p for v in vs]
        tvar = thr = slope = None
        sign = value = None
        for v in others:
            if v in g.free_symbols and sp.degree(g, v) == 1:
                a = sp.expand(sp.diff(g, v))
                b = sp.expand(g - a * v)
                tvar, slope, thr = v, a, sp.factor(-b / a)
                break
        if slope is not None:
            num = sp.sympify(slope).xreplace(subs)
            if num.is_number:
                val = float(sp.N(num, 30))
                sign = 0 if val == 0 else (1 if val > 0 else -1)
                sign = sign or None
            tv = sp.sympify(thr).xreplace(subs)
            if tv.is_number and sign:
                value = float(sp.N(tv, 30))
        out.append(SingleParty(pop.name, x, g, x * (1 - x) * g, tvar, thr, slope, sign, value))
    return tuple(out)


def threshold_surface(game, party: SingleParty, n: int = 21) -> dict:
    """The threshold surface of a party on a grid of the other two shares (three populations).

    Parameters
    ----------
    game : Game
        Three two-strategy populations, every parameter with a value.
    party : SingleParty
        From :func:`single_party_analysis`.
    n : int
        Grid points per axis.

    Returns
    -------
    dict
        ``axes`` (the three share symbols' names, in population order), ``grid`` (the two free
        axes' names), ``u``, ``v`` (``(n, n)`` grids of the two free shares), ``w`` (the
        threshold share, NaN outside ``[0, 1]``), ``axis`` (index in ``axes`` of the threshold
        share) and ``slope_sign``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> g = gr.Game.builtin("regeneration")
    >>> party = single_party_analysis(g)[2]                          # residents: z
    >>> surf = threshold_surface(g, party, n=5)
    >>> surf["axes"], surf["axis"], round(float(np.nanmax(surf["w"])), 4)   # y* = 0.2875
    (['x', 'y', 'z'], 1, 0.2875)
    """
    _, variables = _share_symbols(game)
    names = [str(vs[0]) for vs in variables]
    t = names.index(str(party.threshold_variable))
    free = [i for i in range(len(names)) if i != t]
    grid = np.linspace(0.0, 1.0, n)
    U, V = np.meshgrid(grid, grid, indexing="ij")
    subs = _values(game)
    expr = sp.sympify(party.threshold).xreplace(subs)
    syms = [sp.Symbol(names[i]) for i in free]
    fn = sp.lambdify(syms, expr, modules="numpy")
    with np.errstate(all="ignore"):
        W = np.asarray(fn(U, V), dtype=float) * np.ones_like(U)
    W[(W < 0) | (W > 1)] = np.nan
    return {"axes": names, "grid": [names[i] for i in free], "u": U, "v": V, "w": W,
            "axis": t, "slope_sign": party.slope_sign}


def evolution_paths(game, starts, t_end: float, n_points: int = 401) -> list[dict]:
    """Trajectories from several starts, with the engine's dense output.

    Parameters
    ----------
    game : Game
        Every parameter with a value.
    starts : sequence of array_like
        Starting states (first shares per population when all have two strategies).
    t_end : float
    n_points : int
        Output times per trajectory (default 401: the dense output, not 101 points).

    Returns
    -------
    list of dict
        ``{"start": tuple, "t": (T,), "states": (T, N) full shares}``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> paths = evolution_paths(gr.Game.builtin("hawk_dove"), [(0.6, 0.4)], 5.0, n_points=11)
    >>> paths[0]["t"].shape, paths[0]["states"].shape
    ((11,), (11, 4))
    """
    from .batch import simulate

    out = []
    for s in starts:
        sim = simulate(game, np.asarray(s, dtype=float), float(t_end), n_points=int(n_points))
        out.append({"start": tuple(float(v) for v in np.ravel(s)), "t": np.asarray(sim.times),
                    "states": np.asarray(sim.states)})
    return out


def parameter_paths(game, name: str, values, start, t_end: float,
                    n_points: int = 401) -> list[dict]:
    """One trajectory from ``start`` for each value of parameter ``name`` (sensitivity panels).

    Parameters
    ----------
    game : Game
    name : str
        A parameter of ``game``.
    values : sequence of float
    start : array_like
    t_end : float
    n_points : int

    Returns
    -------
    list of dict
        ``{"value": float, "t": (T,), "states": (T, N)}``, one per value.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> runs = parameter_paths(gr.Game.builtin("hawk_dove"), "V", [1.0, 3.0], (0.6, 0.4), 2.0,
    ...                        n_points=5)
    >>> [r["value"] for r in runs], runs[0]["states"].shape
    ([1.0, 3.0], (5, 4))
    """
    out = []
    for v in values:
        g = game.with_values({name: v})
        path = evolution_paths(g, [start], t_end, n_points)[0]
        out.append({"value": float(v), "t": path["t"], "states": path["states"]})
    return out


# ------------------------------------------------------------------- bifurcation diagram
def bifurcation_data(game, parameter: str, values=None, n: int = 201,
                     time_budget: float = 5.0, thresholds: bool = True) -> dict:
    """Stable pure outcomes along one parameter, with the exact thresholds where they change.

    For every value the stable vertices are those whose deviation gains are all negative
    (:func:`gametheory_regen.analysis.batch.stable_vertices`, strict Nash = asymptotically
    stable); the critical values come from :func:`gametheory_regen.threshold` (exact where
    sympy finds a closed form).

    Parameters
    ----------
    game : Game
        Every other parameter with a value.
    parameter : str
    values : array_like, optional
        Default: ``n`` points over the declared bounds, or from 0 (or a quarter of the value)
        to twice the current value.
    n : int
    time_budget : float
        Deprecated and ignored (thresholds use a deterministic work budget).
    thresholds : bool
        Compute the exact thresholds (False: only the stable outcomes, a quick scan).

    Returns
    -------
    dict
        ``parameter``, ``values`` ``(P,)``, ``profiles`` (strategy indices of the outcomes
        stable somewhere), ``stable`` ``(len(profiles), P)`` bool, ``thresholds`` (list of
        ``{"value", "outcomes", "expression"}`` inside the range, one per distinct value: the
        outcomes whose stability changes there) and ``current`` (the value).

    Examples
    --------
    Hawk-dove (V = 2): (hawk, hawk) is stable for C < 2, the asymmetric outcomes for C > 2.

    >>> import gametheory_regen as gr
    >>> d = bifurcation_data(gr.Game.builtin("hawk_dove"), "C", np.linspace(0.5, 4, 8))
    >>> d["profiles"], [t["value"] for t in d["thresholds"]]
    ([(0, 0), (0, 1), (1, 0)], [2.0])
    """
    from ..dynamics.numeric import payoff_function
    from .batch import stable_vertices
    from .thresholds import threshold

    p = game.parameter(parameter)
    cur = float(p.value) if p.value is not None else None
    if values is None:
        lo = float(p.min) if p.min is not None else (0.0 if (cur or 0) >= 0 else 2 * cur)
        hi = float(p.max) if p.max is not None else max(2 * abs(cur or 1.0), lo + 1.0)
        values = np.linspace(lo, hi, int(n))
    values = np.asarray(values, dtype=float)
    names, f = payoff_function(game)
    base = np.array([[float(game.values.get(nm, 0.0)) for nm in names]] * len(values))
    base[:, names.index(parameter)] = values
    counts = tuple(pop.k for pop in game.populations)
    stable = stable_vertices(f(base), counts)          # (P, K), profiles in C order
    profiles = list(game.profiles())
    keep = [k for k in range(len(profiles)) if stable[:, k].any()]
    found = []
    for k in keep if thresholds else []:
        outcome = {pop.name: pop.strategies[i] for pop, i in zip(game.populations,
                                                                  profiles[k], strict=True)}
        res = threshold(game, outcome, parameter)
        for c in res.critical:
            if not values[0] <= c.value <= values[-1]:
                continue
            same = [t for t in found if abs(t["value"] - c.value) <= 1e-9 * (
                1 + abs(c.value))]
            if same:
                same[0]["outcomes"].append(profiles[k])
            else:
                found.append({"value": float(c.value), "outcomes": [profiles[k]],
                              "expression": c.expression})
    found.sort(key=lambda t: t["value"])
    return {"parameter": parameter, "values": values, "profiles": [profiles[k] for k in keep],
            "stable": stable[:, keep].T.copy(), "thresholds": found, "current": cur}

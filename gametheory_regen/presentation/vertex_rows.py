"""Plain rows shared by the text, markdown, LaTeX and paper renderers.

Every vertex eigenvalue is shown in deviation order (:mod:`gametheory_regen.analysis.deviations`):
:math:`\\lambda_1, \\lambda_2, \\dots` number the deviations party by party, so the signs column
and the expressions column always read in the same order.  Nothing here computes stability; it
only reorders and formats what the analysis found.
"""

from __future__ import annotations

import sympy as sp

from ..analysis.deviations import VertexDeviations, vertex_deviations
from .i18n import tr

__all__ = ["derived_used", "eig_values_text", "flag", "signs_text", "vertex_eigen"]

_CACHE: dict[int, tuple[object, dict]] = {}


def vertex_eigen(analysis, rp) -> VertexDeviations | None:
    """The vertex's eigenvalues in deviation order (None for a point that is not a vertex).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    rp : RestPoint

    Returns
    -------
    VertexDeviations or None

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("hawk_dove"))
    >>> vertex_eigen(res, res.rest_points[0]).signs, vertex_eigen(res, res.rest_points[-1])
    ((1, 1), None)
    """
    if rp.kind != "vertex":
        return None
    dyn = getattr(analysis, "dynamics", None)
    if dyn is not None and dyn.kind != "replicator":
        return None  # the deviation gains are the replicator's eigenvalues only
    key = id(analysis)
    held = _CACHE.get(key)
    if held is None or held[0] is not analysis:
        if len(_CACHE) > 16:
            _CACHE.clear()
        held = (analysis, {})
        _CACHE[key] = held
    cache = held[1]
    if id(rp) not in cache:
        cache[id(rp)] = vertex_deviations(analysis, rp)
    return cache[id(rp)]


def _complex_text(v: complex, digits: int) -> str:
    if abs(v.imag) > 0:
        return f"{v.real:.{digits}g}{v.imag:+.{digits}g}i"
    return f"{v.real:.{digits}g}"


def eig_values_text(analysis, rp, digits: int = 4) -> list[str]:
    """The eigenvalues as short strings: exact when short, else ``digits`` significant digits.

    Vertices in deviation order (:func:`vertex_eigen`); other points sorted by real part.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    rp : RestPoint
    digits : int

    Returns
    -------
    list of str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("hawk_dove"))
    >>> eig_values_text(res, res.rest_points[-1])
    ['-1/2', '1/2']
    """
    dev = vertex_eigen(analysis, rp)
    spec = rp.spectrum
    if dev is not None:
        exact, values = dev.exact, dev.values
    elif spec is not None:
        exact, values = spec.exact, spec.values
    else:
        return []
    if not values:
        return [sp.sstr(e) for e in exact] if exact else []
    if exact is not None and spec is not None and spec.method.startswith("exact") and all(
            len(sp.sstr(e)) <= 18 for e in exact):
        return [sp.sstr(e) for e in exact]
    return [_complex_text(v, digits) for v in values]


def signs_text(analysis, rp) -> str:
    """``(-, +, +)``: the signs of the real parts, in the order of :func:`eig_values_text`.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    rp : RestPoint

    Returns
    -------
    str
        ``?`` when the signs depend on free parameters.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("battle_of_sexes"))
    >>> signs_text(res, res.rest_points[1])
    '(+, +)'
    """
    dev = vertex_eigen(analysis, rp)
    signs = dev.signs if dev is not None else (rp.spectrum.signs if rp.spectrum else ())
    if not signs:
        return "?"
    return "(" + ", ".join({-1: "-", 0: "0", 1: "+"}[s] for s in signs) + ")"


def derived_used(game, exprs) -> list[tuple[str, sp.Expr, float | None]]:
    """The derived names that occur in ``exprs``: (name, definition, value or None).

    A report that prints ``aT`` must say what ``aT`` is; this lists, in the model's order,
    each derived name used, its definition in the parameters and its value at the parameter
    values (None with free parameters).

    Parameters
    ----------
    game : Game
    exprs : iterable of sympy.Basic

    Returns
    -------
    list of (str, sympy.Expr, float or None)

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> g = gr.Game.builtin("regeneration")
    >>> [name for name, _, _ in derived_used(g, [g.derived_symbols["aT"] + 1])]
    ['aT']
    """
    symbols = set()
    for e in exprs:
        if isinstance(e, sp.Basic):
            symbols |= e.free_symbols
    names = {s.name for s in symbols}
    out = []
    derived_symbols = getattr(game, "derived_symbols", {})
    for name, expr in game.derived.items():
        if name not in names:
            continue
        value = None
        try:
            sym = derived_symbols[name]
            full = game.expand_derived(sym)
            subs = {p.symbol: p.value for p in game.parameters if p.value is not None}
            v = full.xreplace(subs)
            if v.is_number:
                value = float(sp.N(v, 17))
        except (KeyError, TypeError, ValueError):
            value = None
        out.append((name, expr, value))
    return out


def flag(value: bool | None, lang: str = "en") -> str:
    """``yes`` / ``no`` / ``?`` in ``lang``.

    Parameters
    ----------
    value : bool or None
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> flag(True, "zh"), flag(None)
    ('是', '?')
    """
    return "?" if value is None else tr("yes" if value else "no", lang)

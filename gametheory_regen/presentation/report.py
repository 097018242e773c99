"""Equilibrium reports: JSON (Contract 3), text, markdown and LaTeX.

:func:`report_data` turns an :class:`~gametheory_regen.analysis.EquilibriumAnalysis` into plain
data (the JSON report); the renderers only format it.  Nothing here computes stability.
"""

from __future__ import annotations

import json
import math

import sympy as sp

from .. import __version__
from ..analysis.equilibria import EquilibriumAnalysis, RestPoint
from ..dynamics.replicator import ReplicatorSystem
from ..model.game import Game
from .i18n import display_width, ljust, stability_word, tr
from .report_dynamics import dynamics_line, flags_reported, is_replicator, json_extra, \
    json_point, local_lines
from .report_latex import render_latex, tex_text as _tex_text  # noqa: F401  (public here)
from .vertex_rows import derived_used, eig_values_text, flag, signs_text, vertex_eigen

__all__ = [
    "to_json_large",
    "report_data",
    "render_json",
    "render_text",
    "render_markdown",
    "render_latex",
    "replicator_strings",
    "show_text",
    "json_safe",
    "to_json",
    "FORMATS",
]

FORMATS = ("text", "markdown", "json", "latex")


def json_safe(obj):
    """Plain, strictly JSON-encodable data: non-finite floats -> None, tuples -> lists.

    JSON has no NaN or infinity, so a number that is not finite (an eigenvalue that overflows a
    double, say) is written as ``null``.  Numpy scalars become Python numbers, dictionary keys
    strings, and any other object its ``str``.

    Parameters
    ----------
    obj : object
        Nested dicts, lists and tuples of numbers, strings, booleans and None.

    Returns
    -------
    object
        The same structure with only types :func:`json.dumps` writes as strict JSON.

    Examples
    --------
    >>> import numpy as np
    >>> json_safe({"a": (1.5, float("inf")), "b": np.float64("nan"), 3: np.int64(2)})
    {'a': [1.5, None], 'b': None, '3': 2}
    """
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "item") and not isinstance(obj, (int, float)):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, bool):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    return str(obj)


def to_json(data) -> str:
    """``data`` as strict JSON text (two-space indent, UTF-8 characters, final newline).

    Every JSON document the command writes goes through here: the data is passed through
    :func:`json_safe` and written with ``allow_nan=False``, so the text never contains ``NaN``
    or ``Infinity``.

    Parameters
    ----------
    data : object

    Returns
    -------
    str

    Examples
    --------
    >>> print(to_json({"value": float("-inf"), "name": "Jinsong"}), end="")
    {
      "value": null,
      "name": "Jinsong"
    }
    """
    return json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_json_large(data) -> str:
    """Strict JSON like :func:`to_json`, for documents of millions of values (sweep maps).

    Encoded by orjson (a dependency: a compiled encoder about twenty times faster than the
    standard library's on such documents), two-space indent; a float that is not finite is
    written as ``null`` and any other object as its ``str``. Numbers use the shortest text
    that reads back to the same double (``1e-05`` may read ``1e-5``).

    Parameters
    ----------
    data : object
        Nested dicts, lists and tuples of numbers, strings, booleans and None.

    Returns
    -------
    str

    Examples
    --------
    >>> print(to_json_large({"share": 0.25, "attractor": None, "x": float("nan")}), end="")
    {
      "share": 0.25,
      "attractor": null,
      "x": null
    }
    """
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return to_json(data)
    opts = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
    return orjson.dumps(data, option=opts, default=str).decode("utf-8") + "\n"


def _num(value: float) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return float(value)
    return value


def readable(expr: sp.Expr, digits: int = 10) -> sp.Expr:
    """Show rationals with large numerators or denominators as decimals (display only).

    A rational is shown as a decimal when its denominator exceeds 10**4 or its numerator
    exceeds 10**8; small rationals such as ``1/3`` stay exact.

    Parameters
    ----------
    expr : sympy.Expr
    digits : int
        Significant digits of the decimals.

    Returns
    -------
    sympy.Expr
        ``expr`` with the long rationals replaced (``expr`` itself when there are none).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> readable(sp.Rational(123456, 1000003) * x + sp.Rational(1, 3))
    0.1234556296*x + 1/3
    """
    big = {r: sp.Float(r, digits) for r in expr.atoms(sp.Rational)
           if abs(r.q) > 10**4 or abs(r.p) > 10**8}
    return expr.xreplace(big) if big else expr


def replicator_strings(system: ReplicatorSystem) -> dict[str, str]:
    """Variable name -> sympy-readable right-hand side (``x*(1 - x)*(...)`` for two strategies).

    Exact rationals with long digits are shown as 10-digit decimals.

    Parameters
    ----------
    system : ReplicatorSystem
        From :func:`gametheory_regen.replicator_system`.

    Returns
    -------
    dict of str to str
        One entry per reduced variable, in the order of the populations: the factored form
        ``x*(1 - x)*(payoff difference)`` for a two-strategy population, the expanded right-hand
        side for a larger one.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> replicator_strings(gr.replicator_system(gr.Game.builtin("hawk_dove")))
    {'x': 'x*(1 - x)*(1 - 2*y)', 'y': 'y*(1 - y)*(1 - 2*x)'}
    >>> list(replicator_strings(gr.replicator_system(gr.Game.builtin("rock_paper_scissors"))))
    ['x1', 'x2', 'y1', 'y2']
    """
    out = {}
    for p, vars_p in enumerate(system.variables):
        u = system.payoffs[p]
        if len(vars_p) == 1:
            x = vars_p[0]
            diff = sp.expand(u[0] - u[1])
            out[str(x)] = f"{x}*(1 - {x})*({sp.sstr(readable(diff))})"
        else:
            idx = sum(len(v) for v in system.variables[:p])
            for j, x in enumerate(vars_p):
                out[str(x)] = sp.sstr(readable(system.rhs[idx + j]))
    return out


def _parameters(game: Game) -> dict:
    return {p.name: (float(p.value) if p.value is not None else None) for p in game.parameters}


def _state(game: Game, state) -> dict:
    return {pop.name: [_num(float(v)) for v in shares]
            for pop, shares in zip(game.populations, state, strict=True)}


def _profile_label(game: Game, rp: RestPoint) -> str:
    if rp.kind == "vertex":
        return "(" + ", ".join(pop.strategies[s[0]] for pop, s in
                               zip(game.populations, rp.support, strict=True)) + ")"
    parts = []
    for pop, shares in zip(game.populations, rp.state, strict=True):
        parts.append("/".join(f"{v:.4g}" for v in shares) if pop.k > 2 else f"{shares[0]:.4g}")
    return "(" + ", ".join(parts) + ")"


def _verdict_words(rp: RestPoint, lang: str = "en") -> str:
    if rp.stability is None:
        if not rp.differentiable:
            return tr("not_differentiable", lang)
        if rp.conditions is not None and rp.conditions.never:
            return tr("never", lang)
        return tr("depends", lang)
    word = str(rp.stability)
    if word in ("stable", "unstable") and rp.focus:
        return tr(f"{word}_focus", lang)
    return stability_word(word, rp.certainly_unstable, lang)


def report_data(analysis: EquilibriumAnalysis) -> dict:
    """The JSON report of Contract 3 as plain Python data (plus documented extra keys).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
        From :func:`gametheory_regen.analyze`.

    Returns
    -------
    dict
        ``model``, ``scenario``, ``version``, ``parameters``, ``populations``, ``replicator``,
        ``rest_points`` (state, kind, eigenvalues, stability, Nash flags; for vertices also the
        profile and the stability conditions), ``continua`` and ``analysis``; plus
        ``symbolic_rest_points`` when the game has free parameters.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> data = report_data(gr.analyze(gr.Game.builtin("hawk_dove")))
    >>> [(p["kind"], p["stability"]) for p in data["rest_points"]]
    [('vertex', 'unstable'), ('vertex', 'stable'), ('vertex', 'stable'), ('vertex', 'unstable'),
     ('interior', 'saddle')]
    >>> stable = data["rest_points"][1]
    >>> stable["profile"], stable["conditions"], stable["eigenvalue_expressions"]
    ({'owner': 'hawk', 'intruder': 'dove'}, ['V > 0', 'C - V > 0'], ['-V/2', '-C/2 + V/2'])
    """
    game = analysis.game
    points = []
    for rp in analysis.rest_points:
        spec = rp.spectrum
        entry = {
            "state": _state(game, rp.state),
            "kind": rp.kind,
            "eigenvalues": ([[_num(v.real), _num(v.imag)] for v in spec.values] if spec else
                            None if not rp.differentiable else []),
            "stability": str(rp.stability) if rp.stability is not None else None,
            "nash": rp.nash,
            "strict_nash": rp.strict_nash,
            "ess": rp.ess,
        }
        dev = vertex_eigen(analysis, rp)
        if rp.kind == "vertex":
            if dev is not None and dev.values:  # eigenvalues[i]: payoff gain of deviations[i]
                entry["eigenvalues"] = [[_num(v.real), _num(v.imag)] for v in dev.values]
            if dev is not None:
                entry["deviations"] = [d.as_dict() for d in dev.deviations]
            entry["profile"] = {pop.name: pop.strategies[s[0]]
                                for pop, s in zip(game.populations, rp.support, strict=True)}
            entry["conditions"] = rp.conditions.as_strings() if rp.conditions else []
            if rp.conditions and rp.conditions.never:
                entry["never_stable_because"] = list(rp.conditions.reasons)
            if rp.symbolic_eigenvalues is not None:
                entry["eigenvalue_expressions"] = [sp.sstr(e) for e in rp.symbolic_eigenvalues]
        if spec is not None:
            if rp.kind == "vertex" and spec.exact and analysis.numeric:
                entry["eigenvalues_exact"] = [sp.sstr(e) for e in
                                              (dev.exact if dev is not None else None)
                                              or spec.exact]
            elif spec.exact is not None and rp.kind != "vertex":
                entry["eigenvalues_exact"] = [sp.sstr(e) for e in spec.exact]
            entry["eigenvalue_method"] = spec.method
            if spec.tolerance is not None:
                entry["tolerance"] = spec.tolerance
        if rp.stability is not None and str(rp.stability) == "non-hyperbolic":
            entry["certainly_unstable"] = rp.certainly_unstable
        entry["found_by"] = rp.method
        if rp.note:
            entry["note"] = rp.note
        points.append(json_point(analysis, rp, entry))
    continua = []
    for c in analysis.continua:
        continua.append({
            "face": {pop.name: [pop.strategies[i] for i in s]
                     for pop, s in zip(game.populations, c.support, strict=True)},
            "dimension": c.dimension,
            "equations": [f"{sp.sstr(e)} = 0" for e in c.equations],
            "parametrization": {k: sp.sstr(v) for k, v in c.parametrization.items()},
            "free": list(c.free),
        })
    data = {
        "model": game.name,
        "scenario": game.scenario,
        "version": __version__,
        "parameters": _parameters(game),
        "populations": [{"name": p.name, "strategies": list(p.strategies), "symbol": p.symbol}
                        for p in game.populations],
        "replicator": replicator_strings(analysis.system),
        **json_extra(analysis),
        "rest_points": points,
        "continua": continua,
        "derived": {name: sp.sstr(expr) for name, expr in game.derived.items()},
        "analysis": {
            "numeric": analysis.numeric,
            "time_budget_seconds": analysis.time_budget,
            "consistent_strict_nash_and_stable": analysis.consistent,
            "symmetric": game.symmetric,
            "state_dependent": game.state_dependent,
            "complete": analysis.complete,
            "incomplete_faces": [
                {"face": {pop.name: [pop.strategies[i] for i in s]
                          for pop, s in zip(game.populations, f, strict=True)},
                 "found": n, "reason": why,
                 "summary": f"{n} rest point{'s' if n != 1 else ''} found, not proven complete"}
                for f, n, why in analysis.incomplete_faces],
            "relations": list(analysis.relations),
            "notes": list(analysis.notes),
            "unsolved_faces": [
                {pop.name: [pop.strategies[i] for i in s]
                 for pop, s in zip(game.populations, f, strict=True)}
                for f in analysis.unsolved_faces],
            # faces never searched: the work count `face_work` was spent (issue 12)
            "unsearched_faces": analysis.unsearched_faces,
        },
    }
    if analysis.symbolic_points:
        data["symbolic_rest_points"] = [
            {"kind": sp_.kind,
             "state": {pop.name: [sp.sstr(v) for v in row]
                       for pop, row in zip(game.populations, sp_.exact_state, strict=True)},
             "exists_when": [sp.sstr(r) for r in sp_.existence]}
            for sp_ in analysis.symbolic_points]
    return data


def render_json(analysis: EquilibriumAnalysis) -> str:
    """The JSON report (``report --format json``): :func:`report_data` as indented JSON.

    The text is strict JSON (:func:`to_json`): a number that is not finite is written as ``null``.

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    str
        The JSON text, ending with a newline.

    Examples
    --------
    >>> import json
    >>> import gametheory_regen as gr
    >>> doc = json.loads(render_json(gr.analyze(gr.Game.builtin("battle_of_sexes"))))
    >>> [p["stability"] for p in doc["rest_points"]]
    ['stable', 'unstable', 'unstable', 'stable', 'saddle']
    >>> doc["replicator"]
    {'x': 'x*(1 - x)*(3*y - 1)', 'y': 'y*(1 - y)*(3*x - 2)'}
    """
    return to_json(report_data(analysis))


def _eig_text(analysis: EquilibriumAnalysis, rp: RestPoint, digits: int = 4) -> str:
    return ", ".join(eig_values_text(analysis, rp, digits)) or "-"


def _header(analysis: EquilibriumAnalysis, lang: str = "en") -> list[str]:
    game = analysis.game
    lines = [f"{tr('model', lang)}: {game.name}" + (f" — {game.title}" if game.title else "")]
    if game.scenario:
        scen = game.scenarios.get(game.scenario)
        lines.append(f"{tr('scenario', lang)}: {game.scenario}" + (
            f" — {scen.description}" if scen and scen.description else ""))
    if game.parameters:
        vals = ", ".join(f"{p.name}={float(p.value):g}" if p.value is not None
                         else f"{p.name} {tr('free', lang)}" for p in game.parameters)
        lines.append(f"{tr('parameters', lang)}: {vals}")
    lines.append(f"{tr('populations', lang)}: " + "; ".join(
        f"{p.name} [{', '.join(p.strategies)}] ({', '.join(p.share_names())})"
        for p in game.populations))
    return lines


def _vertex_deviation_lines(analysis: EquilibriumAnalysis, lang: str) -> list[str]:
    """Per vertex: lambda_i, the deviation it measures, its value and expression."""
    game = analysis.game
    lines = []
    for i, rp in enumerate(analysis.rest_points, 1):
        dev = vertex_eigen(analysis, rp)
        if dev is None:
            continue
        lines.append(f"  E{i} {_profile_label(game, rp)}")
        values = eig_values_text(analysis, rp)
        for k, d in enumerate(dev.deviations):
            val = values[k] if k < len(values) else "?"
            sign = {-1: "-", 0: "0", 1: "+"}[dev.signs[k]] if dev.signs else "?"
            expr = sp.sstr(dev.expressions[k]) if k < len(dev.expressions) else ""
            same = expr == val
            lines.append(f"    λ{d.index}  {d.population} -> {d.strategy}: {val} ({sign})"
                         + ("" if same or not expr else f"  =  {expr}"))
    return lines


def _shown_exprs(analysis: EquilibriumAnalysis) -> list:
    out = []
    for rp in analysis.rest_points:
        if rp.symbolic_eigenvalues:
            out += list(rp.symbolic_eigenvalues)
        if rp.conditions is not None:
            out += list(rp.conditions.inequalities)
    return out


def _derived_lines(analysis: EquilibriumAnalysis, lang: str, code=lambda t: t) -> list[str]:
    lines = []
    for name, expr, value in derived_used(analysis.game, _shown_exprs(analysis)):
        lines.append(f"{code(f'{name} = {sp.sstr(expr)}')}"
                     + (f" (= {value:.6g})" if value is not None else ""))
    return lines


def render_text(analysis: EquilibriumAnalysis, lang: str = "en") -> str:
    """The stability table papers print: point, eigenvalues, signs, verdict; then conditions.

    This is ``gametheory-regen report MODEL`` (the default text format).  Vertex eigenvalues
    are listed in deviation order, :math:`\\lambda_1, \\lambda_2, \\dots` party by party (the
    signs column reads in the same order), and each is tied to its deviation in a section of its
    own; derived names the report uses are defined at its end.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str
        ``"en"`` or ``"zh"`` (Chinese words; columns aligned by display width).

    Returns
    -------
    str
        Header (model, parameters, populations), replicator equations, the table of rest points,
        the stability conditions of the vertices, continua, the evolutionarily stable points and
        the check that strict Nash equilibria and stable vertices agree.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> text = render_text(gr.analyze(gr.Game.builtin("hawk_dove")))
    >>> for line in text.splitlines()[8:16]:
    ...     print(line)
    Rest points:
      #   kind      point         eigenvalues (λ1, λ2, ...)  signs   verdict   Nash  strict/ESS
      --  --------  ------------  -------------------------  ------  --------  ----  ----------
      E1  vertex    (hawk, hawk)  1, 1                       (+, +)  unstable  no    no
      E2  vertex    (hawk, dove)  -1, -1                     (-, -)  stable    yes   yes
      E3  vertex    (dove, hawk)  -1, -1                     (-, -)  stable    yes   yes
      E4  vertex    (dove, dove)  1, 1                       (+, +)  unstable  no    no
      E5  interior  (0.5, 0.5)    -1/2, 1/2                  (-, +)  saddle    yes   no
    >>> for line in text.splitlines()[21:23]:
    ...     print(line)
      E2 (hawk, dove)
        λ1  owner -> dove: -1 (-)  =  -V/2
    >>> print(text.splitlines()[-1])
    Check strict Nash <=> stable vertex: consistent
    """
    game = analysis.game
    lines = _header(analysis, lang)
    if is_replicator(analysis):
        lines += ["", f"{tr('replicator', lang)}:"]
        lines += [f"  d{k}/dt = {v}" for k, v in replicator_strings(analysis.system).items()]
    else:
        lines += ["", dynamics_line(analysis)]
    ncol = 8 if flags_reported(analysis) else 6
    rows = [tuple(tr(k, lang) for k in ("col_point", "col_kind", "col_state", "col_eig",
                                         "col_signs", "col_verdict", "col_nash",
                                         "col_strict")[:ncol])]
    for i, rp in enumerate(analysis.rest_points, 1):
        rows.append((f"E{i}", tr(rp.kind, lang), _profile_label(game, rp), _eig_text(analysis, rp),
                     signs_text(analysis, rp), _verdict_words(rp, lang), flag(rp.nash, lang),
                     flag(rp.ess, lang))[:ncol])
    widths = [max(display_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines += ["", f"{tr('rest_points', lang)}:"]
    for j, r in enumerate(rows):
        lines.append("  " + "  ".join(ljust(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip())
        if j == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    dev_lines = _vertex_deviation_lines(analysis, lang)
    if dev_lines:
        lines += ["", f"{tr('eig_by_dev', lang)}:"] + dev_lines
    if flags_reported(analysis):
        lines += ["", f"{tr('conditions_title', lang)}:"]
    for i, rp in enumerate(analysis.rest_points, 1):
        if rp.kind != "vertex" or rp.conditions is None:
            continue
        c = rp.conditions
        if c.never:
            text = tr("never", lang) + ": " + "; ".join(c.reasons)
        elif not c.inequalities:
            text = tr("always", lang)
        else:
            text = tr("and", lang).join(sp.sstr(r) for r in c.inequalities)
        lines.append(f"  E{i} {_profile_label(game, rp)}: {text}")
    if analysis.continua:
        lines += ["", f"{tr('continua', lang)}:"]
        for c in analysis.continua:
            face = ", ".join(f"{pop.name}: {'+'.join(pop.strategies[i] for i in s)}"
                             for pop, s in zip(game.populations, c.support, strict=True))
            eqs = "; ".join(f"{sp.sstr(e)} = 0" for e in c.equations) or tr("every_point", lang)
            lines.append(f"  {tr('dimension', lang)} {c.dimension} {tr('on_face', lang)} "
                         f"[{face}]: {eqs}")
    if analysis.symbolic_points:
        lines += ["", f"{tr('offvertex', lang)}:"]
        for s in analysis.symbolic_points:
            st = "; ".join(f"{pop.name}=[" + ", ".join(sp.sstr(v) for v in row) + "]"
                           for pop, row in zip(game.populations, s.exact_state, strict=True))
            cond = tr("and", lang).join(sp.sstr(r) for r in s.existence) or tr("always_short", lang)
            lines.append(f"  {tr(s.kind, lang)}: {st}  ({tr('exists_when', lang)} {cond})")
    derived = _derived_lines(analysis, lang)
    if derived:
        lines += ["", f"{tr('derived_title', lang)}:"] + [f"  {d}" for d in derived]
    if flags_reported(analysis):
        lines += _ess_lines(analysis, lang)
    if not is_replicator(analysis):
        lines += [""] + [f"Known relation: {r}" for r in analysis.relations
                         if analysis.dynamics.kind != "imitation" or r in
                         analysis.relations[-1:]]
    for i, rp in enumerate(analysis.rest_points, 1):
        if rp.note:
            lines.append(f"Note: E{i} {_profile_label(game, rp)}: {rp.note}")
    lines += local_lines(analysis, lambda rp: _profile_label(game, rp))
    for note in analysis.notes:
        lines.append(f"{tr('note', lang)}: {note}")
    return "\n".join(lines) + "\n"


def _ess_lines(analysis: EquilibriumAnalysis, lang: str = "en") -> list[str]:
    """The ESS line and the check or the known relations, by kind of game."""
    game = analysis.game
    pts = analysis.rest_points
    if game.symmetric or game.state_dependent:
        ess = [i for i, rp in enumerate(pts, 1) if rp.ess]
        title = ("Evolutionarily stable states (Maynard Smith & Price 1973)" if game.symmetric
                 else "Evolutionarily stable (strict Nash vertices)")
        lines = ["", f"{title}: " + (", ".join(f"E{i} {_profile_label(game, pts[i - 1])}"
                                               for i in ess) or "none")]
        lines += [f"Known relation: {r}" for r in analysis.relations]
        if game.symmetric:
            lines.append("Check every ESS is asymptotically stable or non-hyperbolic: " +
                         ("consistent" if analysis.consistent else "INCONSISTENT"))
        return lines
    stable = [i for i, rp in enumerate(pts, 1) if str(rp.stability) == "stable"]
    return ["", f"{tr('ess_line', lang)}: "
            + (", ".join(f"E{i} {_profile_label(game, pts[i - 1])}" for i in stable)
               or tr("none", lang)),
            f"{tr('check', lang)}: " + tr("consistent" if analysis.consistent else "inconsistent",
                                          lang)]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*")


def render_markdown(analysis: EquilibriumAnalysis, lang: str = "en") -> str:
    """The report as Markdown (``report --format markdown``).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        A title, the header as a list, the replicator equations, the table of rest points, the
        stability conditions of the vertices, continua and notes.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> md = render_markdown(gr.analyze(gr.Game.builtin("matching_pennies")))
    >>> print(md.splitlines()[0])
    # Two-population matching pennies
    >>> for line in md.splitlines():
    ...     if line.startswith("| E"):
    ...         print(line)
    | E1 | vertex | (heads, heads) | -2, 2 | (-, +) | saddle | no | no |
    | E2 | vertex | (heads, tails) | 2, -2 | (+, -) | saddle | no | no |
    | E3 | vertex | (tails, heads) | 2, -2 | (+, -) | saddle | no | no |
    | E4 | vertex | (tails, tails) | -2, 2 | (-, +) | saddle | no | no |
    | E5 | interior | (0.5, 0.5) | -I, I | (0, 0) | non-hyperbolic (linearisation ...) | yes | no |
    """
    game = analysis.game
    lines = [f"# {game.title or game.name}", ""]
    lines += [f"- {line}" for line in _header(analysis, lang)]
    if is_replicator(analysis):
        lines += ["", f"## {tr('replicator', lang)}", ""]
        lines += [f"- `d{k}/dt = {v}`" for k, v in replicator_strings(analysis.system).items()]
    else:
        lines += [f"- {_md_escape(dynamics_line(analysis))}"]
    ncol = 8 if flags_reported(analysis) else 6
    cols = [tr(k, lang) for k in ("col_point", "col_kind", "col_state", "col_eig", "col_signs",
                                  "col_verdict", "col_nash", "col_strict")[:ncol]]
    lines += ["", f"## {tr('rest_points', lang)}", "", "| " + " | ".join(cols) + " |",
              "|" + "---|" * len(cols)]
    for i, rp in enumerate(analysis.rest_points, 1):
        lines.append("| " + " | ".join(_md_escape(c) for c in (
            f"E{i}", tr(rp.kind, lang), _profile_label(game, rp), _eig_text(analysis, rp),
            signs_text(analysis, rp), _verdict_words(rp, lang), flag(rp.nash, lang),
            flag(rp.ess, lang))[:ncol]) + " |")
    dev_lines = _vertex_deviation_lines(analysis, lang)
    if dev_lines:
        lines += ["", f"## {tr('eig_by_dev', lang)}", ""]
        lines += ["    " + line for line in dev_lines]
    if flags_reported(analysis):
        lines += ["", f"## {tr('conditions_title', lang)}", ""]
    for i, rp in enumerate(analysis.rest_points, 1):
        if rp.kind == "vertex" and rp.conditions is not None:
            c = rp.conditions
            text = (tr("never", lang) + ": " + "; ".join(c.reasons)) if c.never else (
                tr("and", lang).join(f"`{sp.sstr(r)}`" for r in c.inequalities)
                or tr("always_short", lang))
            lines.append(f"- E{i} {_profile_label(game, rp)}: {text}")
    if analysis.continua:
        lines += ["", f"## {tr('continua', lang)}", ""]
        for c in analysis.continua:
            lines.append(f"- {tr('dimension', lang)} {c.dimension}: " + "; ".join(
                f"`{sp.sstr(e)} = 0`" for e in c.equations))
    derived = _derived_lines(analysis, lang, code=lambda t: f"`{t}`")
    if derived:
        lines += ["", f"## {tr('derived_title', lang)}", ""] + [f"- {d}" for d in derived]
    for note in analysis.notes:
        lines.append(f"\n> {note}")
    if not is_replicator(analysis):
        lines += [f"\n> E{i} {_profile_label(game, rp)}: {_md_escape(rp.note)}"
                  for i, rp in enumerate(analysis.rest_points, 1) if rp.note]
        lines += [f"\n> {_md_escape(t)}"
                  for t in local_lines(analysis, lambda rp: _profile_label(game, rp))]
    return "\n".join(lines) + "\n"


def show_text(game: Game, system: ReplicatorSystem) -> str:
    """Payoff table (with the ledger terms of each cell) and replicator equations.

    This is ``gametheory-regen show MODEL``: the model's description and source, its parameters
    with units and bounds, derived quantities, the payoffs of every pure profile (with the terms
    each cell is made of, for a model written as a ledger), the replicator equations and the
    names of the scenarios.

    Parameters
    ----------
    game : Game
    system : ReplicatorSystem
        The game's replicator system (:func:`gametheory_regen.replicator_system`).

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> mp = gr.Game.builtin("matching_pennies")
    >>> text = show_text(mp, gr.replicator_system(mp))
    >>> print(text[text.index("Payoffs"):])
    Payoffs (row, column):
      (heads, heads): a; -a
      (heads, tails): -a; a
      (tails, heads): -a; a
      (tails, tails): a; -a
    <BLANKLINE>
    Replicator equations:
      dx/dt = x*(1 - x)*(4*y - 2)
      dy/dt = y*(1 - y)*(2 - 4*x)
    <BLANKLINE>
    """
    lines = [f"Model: {game.name}" + (f" — {game.title}" if game.title else "")]
    if game.description:
        lines.append(game.description)
    if game.source:
        lines.append(f"Source: {game.source}")
    if game.parameters:
        lines += ["", "Parameters:"]
        for p in game.parameters:
            val = f"{float(p.value):g}" if p.value is not None else "free"
            bounds = []
            if p.min is not None:
                bounds.append(f">= {p.min}")
            if p.max is not None:
                bounds.append(f"<= {p.max}")
            meta = "; ".join(x for x in (p.description, p.unit, ", ".join(bounds)) if x)
            lines.append(f"  {p.name} = {val}" + (f"   ({meta})" if meta else ""))
    if game.derived:
        lines += ["", "Derived:"]
        lines += [f"  {n} = {sp.sstr(e)}" for n, e in game.derived.items()]
    if game.symmetric:
        pop = game.populations[0]
        lines += ["", f"Payoffs (single population {pop.name}: own strategy vs opponent's; "
                  f"payoff of the first):"]
        for profile in game.table_profiles():
            names = ", ".join(pop.strategies[i] for i in profile)
            lines.append(f"  ({names}): {sp.sstr(game.table[profile][0])}")
    if game.fitness:
        lines += ["", "Expected payoffs given directly ([[fitness]]):"]
        for (pi, si), e in sorted(game.fitness.items()):
            pop = game.populations[pi]
            lines.append(f"  {pop.name}.{pop.strategies[si]} = {sp.sstr(e)}")
    if game.state_dependent:
        lines += ["", "Payoffs depend on the state (share symbols: "
                  + ", ".join(game.share_symbols) + ")."]
    lines += ["", "Payoffs (" + ", ".join(p.name for p in game.populations) + "):"] \
        if not game.symmetric else []
    for profile in (game.profiles() if not game.symmetric else ()):
        names = ", ".join(game.profile_names(profile))
        vals = "; ".join(sp.sstr(v) for v in game.table[profile])
        lines.append(f"  ({names}): {vals}")
        for term, contrib in game.cell_terms(profile):
            who = ", ".join(f"{pop.name} {'+' if c.could_extract_minus_sign() is False else ''}{sp.sstr(c)}"
                            for pop, c in zip(game.populations, contrib, strict=True) if c != 0)
            if term.perceived_by:
                who += (f" (money); perceived by {term.perceived_by} as "
                        f"{sp.sstr(term.value_to(term.perceived_by))}")
            lines.append(f"      {term.label}: {who}")
    noted = [t for t in game.terms if t.note]
    if noted:  # each ledger term's note (its source), once per term, in the model's order
        lines += ["", "Term notes:"]
        for term in noted:
            lines += [f"  {term.label}", f"      {term.note}"]
    lines += ["", "Replicator equations:"]
    lines += [f"  d{k}/dt = {v}" for k, v in replicator_strings(system).items()]
    if game.scenarios:
        lines += ["", "Scenarios: " + ", ".join(game.scenarios)]
    return "\n".join(lines) + "\n"

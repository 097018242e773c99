r"""The ``threshold`` verb: where, along one parameter, a pure outcome is stable, in words.

A pure outcome :math:`s` (a vertex of the state space) is a rest point of the replicator; it is
asymptotically stable when every eigenvalue of its Jacobian is negative, and each eigenvalue is a
payoff difference, :math:`\lambda_{p \to j}(\theta) = A_p(j, s_{-p}) - A_p(s)`, the gain of one
population's deviation to strategy :math:`j`.  Along one parameter :math:`\theta` (the others at
their values), :func:`gametheory_regen.analysis.thresholds.threshold` finds the set where all
:math:`\lambda < 0`: a union of intervals, ``every`` value or ``never`` (with the deviations that
never lose).  This module only formats that result: one sentence (:func:`stable_when_text`),
Contract 3's JSON ``{"parameter", "outcome", "expression", "value", "stable_when"}`` plus extra
keys (:func:`threshold_data`), and the text report; the verb ``threshold MODEL --outcome
POP=STRATEGY,... --parameter NAME`` (:func:`cmd_threshold`).
"""

from __future__ import annotations

import math

import sympy as sp

from ..errors import GameInputError
from .cli import _add_common, emit
from .domain_verb_common import (
    _check_output,
    _finite,
    _g,
    _game_for,
    _profile_text,
    parse_outcome,
)
from .report import to_json as _dumps  # strict JSON: non-finite numbers -> null

__all__ = ["stable_when_text", "threshold_data", "render_threshold_json", "render_threshold_text",
           "cmd_threshold"]


def _range_text(res) -> str:
    lo, hi = res.bounds
    if math.isinf(lo) and math.isinf(hi):
        return "any real value"
    left = "(-inf" if math.isinf(lo) else f"[{_g(lo)}"
    right = "inf)" if math.isinf(hi) else f"{_g(hi)}]"
    return f"{left}, {right}"


def _interval_text(res, iv) -> str:
    P = res.parameter
    lo_b, hi_b = res.bounds
    lower_free = math.isinf(iv.lower) or (iv.lower == lo_b and iv.lower_closed)
    upper_free = math.isinf(iv.upper) or (iv.upper == hi_b and iv.upper_closed)
    lop = "<=" if iv.lower_closed else "<"
    uop = "<=" if iv.upper_closed else "<"
    if lower_free and upper_free:
        return f"any {P}"
    if lower_free:
        return f"{P} {uop} {_g(iv.upper)}"
    if upper_free:
        return f"{P} {'>=' if iv.lower_closed else '>'} {_g(iv.lower)}"
    return f"{_g(iv.lower)} {lop} {P} {uop} {_g(iv.upper)}"


def _eig_name(res, i: int) -> str:
    e = res.eigenvalues[i]
    return f"{e.population} -> {e.deviation}"


def stable_when_text(res) -> str:
    """One line: ``stable when T > 13.7232``, ``stable when 0 < V < 4``, ``never stable ...``.

    Parameters
    ----------
    res : ThresholdResult
        From :func:`gametheory_regen.threshold`.

    Returns
    -------
    str
        Where along the parameter the outcome is stable (the intervals, numbers to six
        significant digits); ``stable for every ...``; or ``never stable ...`` with the
        deviations that never lose.  A search range is added when the intervals were only
        searched for within a finite window of an unbounded parameter.

    Examples
    --------
    In hawk-dove (``V = 2``) the owner's hawk and the intruder's dove are stable once a fight
    costs more than the resource is worth; (dove, dove) never is:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> stable_when_text(gr.threshold(hd, {"owner": "hawk", "intruder": "dove"}, "C"))
    'stable when C > 2'
    >>> stable_when_text(gr.threshold(hd, {"owner": "dove", "intruder": "dove"}, "C"))
    'never stable for C in [0, inf): the deviations owner -> hawk, intruder -> hawk never lose'
    """
    if res.never:
        why = ""
        if res.blocking:
            names = ", ".join(_eig_name(res, i) for i in res.blocking)
            why = (f": the deviation {names} never loses" if len(res.blocking) == 1
                   else f": the deviations {names} never lose")
        return f"never stable for {res.parameter} in {_range_text(res)}{why}"
    if res.always:
        return f"stable for every {res.parameter} in {_range_text(res)}"
    text = "stable when " + " or ".join(_interval_text(res, iv) for iv in res.stable_set)
    if not res.complete and (math.isinf(res.bounds[0]) or math.isinf(res.bounds[1])):
        text += f" (searched {res.parameter} in [{_g(res.search[0])}, {_g(res.search[1])}])"
    return text


def threshold_data(res) -> dict:
    """Contract 3's threshold JSON plus the documented extra keys.

    Parameters
    ----------
    res : ThresholdResult
        From :func:`gametheory_regen.threshold`.

    Returns
    -------
    dict
        Contract 3's ``parameter``, ``outcome``, ``expression`` and ``value`` (a single critical
        value and its expression, a list when there are several, None when there is none) and
        ``stable_when`` (:func:`stable_when_text`); and the extra keys ``model``, ``scenario``,
        ``current_value``, ``stable_now``, ``always``, ``never``, ``intervals``, ``critical``,
        ``eigenvalues`` (each deviation's gain, as an expression and at the current value),
        ``blocking``, ``bounds``, ``search``, ``complete``, ``method`` and ``notes``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.threshold(gr.Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"}, "C")
    >>> data = threshold_data(res)
    >>> {k: data[k] for k in ("parameter", "expression", "value", "stable_when", "stable_now")}
    {'parameter': 'C', 'expression': 'V', 'value': 2.0, 'stable_when': 'stable when C > 2',
     'stable_now': True}
    >>> [(e["deviation"], e["expression"], e["at_current_value"]) for e in data["eigenvalues"]]
    [('dove', '-V/2', -1.0), ('hawk', '-C/2 + V/2', -1.0)]
    """
    values = [c.value for c in res.critical]
    exprs = [sp.sstr(c.expression) if c.expression is not None else None for c in res.critical]
    P = sp.Symbol(res.parameter)
    eigs = []
    for e in res.eigenvalues:
        at = None
        if res.current_value is not None:
            v = e.of_parameter.xreplace({s: sp.Rational(repr(res.current_value))
                                         for s in e.of_parameter.free_symbols if s.name == P.name})
            try:
                at = float(sp.re(sp.N(v, 20)))
            except TypeError:
                at = None
        eigs.append({"population": e.population, "deviation": e.deviation,
                     "expression": sp.sstr(e.expression), "at_current_value": at})
    return {
        "parameter": res.parameter,
        "outcome": dict(res.outcome),
        "expression": exprs[0] if len(exprs) == 1 else (exprs or None),
        "value": values[0] if len(values) == 1 else (values or None),
        "stable_when": stable_when_text(res),
        "model": res.model,
        "scenario": res.scenario,
        "current_value": res.current_value,
        "stable_now": res.stable_now,
        "always": res.always,
        "never": res.never,
        "intervals": [{"lower": _finite(iv.lower), "upper": _finite(iv.upper),
                       "lower_closed": iv.lower_closed, "upper_closed": iv.upper_closed}
                      for iv in res.stable_set],
        "critical": [{"value": c.value,
                      "expression": sp.sstr(c.expression) if c.expression is not None else None,
                      "eigenvalues": [{"population": res.eigenvalues[i].population,
                                       "deviation": res.eigenvalues[i].deviation}
                                      for i in c.eigenvalues],
                      "method": c.method} for c in res.critical],
        "eigenvalues": eigs,
        "blocking": [{"population": res.eigenvalues[i].population,
                      "deviation": res.eigenvalues[i].deviation} for i in res.blocking],
        "bounds": [_finite(res.bounds[0]), _finite(res.bounds[1])],
        "search": [res.search[0], res.search[1]],
        "complete": res.complete,
        "method": res.method,
        "notes": list(res.notes),
    }


def render_threshold_json(res, dynamics=None) -> str:
    """``threshold --format json``: :func:`threshold_data` as strict JSON.

    Non-finite numbers are written as ``null`` and tuples as lists. Every JSON document names
    its dynamics (Contract 4): the verb passes the game's.

    Parameters
    ----------
    res : ThresholdResult
    dynamics : Dynamics, optional
        The dynamics the conditions are about (default: the replicator).

    Returns
    -------
    str
        Indented JSON, ending with a newline.

    Examples
    --------
    >>> import json
    >>> import gametheory_regen as gr
    >>> res = gr.threshold(gr.Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"}, "C")
    >>> doc = json.loads(render_threshold_json(res))
    >>> doc["outcome"], doc["value"], doc["intervals"], doc["bounds"]
    ({'owner': 'hawk', 'intruder': 'dove'}, 2.0,
     [{'lower': 2.0, 'upper': None, 'lower_closed': False, 'upper_closed': False}], [0.0, None])
    >>> doc["dynamics"]["kind"]
    'replicator'
    """
    if dynamics is None:
        from ..model.dynamics_spec import Dynamics

        dynamics = Dynamics()
    return _dumps({**threshold_data(res), "dynamics": dynamics.as_dict()})


def render_threshold_text(res) -> str:
    """``threshold`` in text: where the outcome is stable, the critical values and why.

    Parameters
    ----------
    res : ThresholdResult

    Returns
    -------
    str
        The outcome and the parameter's declared range; whether the outcome is stable at the
        current value; the :func:`stable_when_text` line; each critical value with the
        eigenvalue that vanishes there (and its closed form when known); each deviation's gain;
        the method and notes.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.threshold(gr.Game.builtin("hawk_dove"), {"owner": "hawk", "intruder": "dove"}, "C")
    >>> print(render_threshold_text(res))
    threshold of C for (hawk, dove) [owner=hawk, intruder=dove]
    model hawk_dove; C declared in [0, inf)
    now C = 4: stable
    <BLANKLINE>
    stable when C > 2
      critical C = 2  (eigenvalue intruder -> hawk is 0 there; symbolic)
        C* = V
    <BLANKLINE>
    eigenvalues (gain of each deviation; stable when all < 0):
      owner -> dove: -V/2   = -1 now
      intruder -> hawk: -C/2 + V/2   = -1 now
    <BLANKLINE>
    method: exact polynomial roots with sympy solve ...
    <BLANKLINE>
    """
    data = threshold_data(res)
    P = res.parameter
    scen = f", scenario {res.scenario}" if res.scenario else ""
    lines = [f"threshold of {P} for {_profile_text(res.outcome)} "
             f"[{', '.join(f'{p}={s}' for p, s in res.outcome)}]",
             f"model {res.model}{scen}; {P} declared in {_range_text(res)}"]
    if res.current_value is not None:
        now = "stable" if res.stable_now else "not stable"
        lines.append(f"now {P} = {_g(res.current_value)}: {now}")
    lines.append("")
    lines.append(stable_when_text(res))
    for c, crit in zip(data["critical"], res.critical, strict=True):
        who = ", ".join(f"{e['population']} -> {e['deviation']}" for e in c["eigenvalues"])
        what = _crossing_words(res, crit)
        lines.append(f"  critical {P} = {_g(c['value'], 10)}  (eigenvalue {who} {what} there; "
                     f"{c['method']})")
        if c["expression"] is not None:
            lines.append(f"    {P}* = {c['expression']}")
    lines.append("")
    lines.append("eigenvalues (gain of each deviation; stable when all < 0):")
    for e in data["eigenvalues"]:
        at = f"   = {_g(e['at_current_value'])} now" if e["at_current_value"] is not None else ""
        lines.append(f"  {e['population']} -> {e['deviation']}: {e['expression']}{at}")
    lines.append("")
    lines.append(f"method: {res.method}")
    for n in res.notes:
        lines.append(f"note: {n}")
    return "\n".join(lines) + "\n"


def _crossing_words(res, crit) -> str:
    """``"is 0"`` where an eigenvalue vanishes, ``"has a pole (changes sign through infinity)"``
    where it changes sign because its denominator vanishes (a payoff such as ``1/(p - 3)``)."""
    import sympy as sp

    for i in crit.eigenvalues:
        expr = res.eigenvalues[i].of_parameter
        syms = list(expr.free_symbols)
        if len(syms) != 1:
            continue
        num, den = sp.fraction(sp.together(expr))
        try:
            d = abs(complex(den.subs(syms[0], crit.value).evalf(30)))
            n = abs(complex(num.subs(syms[0], crit.value).evalf(30)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if d <= 1e-9 * max(1.0, n) and n > 1e-9:
            return "has a pole (changes sign through infinity)"
    return "is 0"


def _add_threshold(sub) -> None:
    p = sub.add_parser("threshold", help="where, along one parameter, a pure outcome is stable")
    _add_common(p)
    p.add_argument("--outcome", required=True, metavar="POP=STRATEGY,...",
                   help="the pure outcome, one strategy per population")
    p.add_argument("--parameter", required=True, metavar="NAME", help="the parameter to vary")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="time allowed for sympy's symbolic solving (default 5)")


def cmd_threshold(args) -> None:
    """The ``threshold`` verb: where, along one parameter, a pure outcome is stable.

    Parameters
    ----------
    args : argparse.Namespace
        As parsed for ``threshold``: ``model``, ``scenario``, ``set``, ``outcome``,
        ``parameter``, ``format`` (``text`` or ``json``), ``output`` and ``time_budget``.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        A bad model, scenario, ``--set``, outcome or parameter; an output file that cannot be
        written.

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import build_parser
    >>> import gametheory_regen.presentation.verbs  # registers the verbs with the parser
    >>> args = build_parser().parse_args(["threshold", "battle_of_sexes", "--outcome",
    ...                                   "woman=opera,man=opera", "--parameter", "b"])
    >>> cmd_threshold(args)
    threshold of b for (opera, opera) [woman=opera, man=opera]
    model battle_of_sexes; b declared in [0, inf)
    now b = 1: stable
    <BLANKLINE>
    stable when b > 0
    ...
    """
    from ..analysis.thresholds import threshold

    _check_output(args.output)
    outcome = parse_outcome(args.outcome)
    game = _game_for(args)
    if not game.dynamics.vertices_are_rest_points:
        raise GameInputError(
            f"threshold: model {game.name!r} declares dynamics {game.dynamics.describe()}, under "
            f"which vertices are not rest points; the stability conditions of a pure outcome are "
            f"those of the replicator and imitation dynamics (use `report` or `sweep` instead)")
    # --time-budget is deprecated (results use a deterministic work budget): passed on only
    # when given, so that threshold warns exactly when the user asked for it
    res = threshold(game, outcome, args.parameter,
                    **({} if args.time_budget is None else {"time_budget": args.time_budget}))
    if args.format == "json":
        text = render_threshold_json(res, game.dynamics)
    else:
        text = render_threshold_text(res)
    if args.format == "text":
        from .i18n import translate_verb_text

        text = translate_verb_text(text, getattr(args, "lang", "en"))
    emit(text, args.output)

"""The ``compare``, ``threshold`` and ``calibrate`` verbs (Contract 2) and their renderers.

``threshold MODEL --outcome POP=STRATEGY,... --parameter NAME`` prints where, along one parameter,
a pure outcome is stable (:func:`gametheory_regen.analysis.thresholds.threshold`); its JSON is
Contract 3's ``{"parameter", "outcome", "expression", "value", "stable_when"}`` plus extra keys
(:func:`threshold_data`).  ``compare MODEL`` puts the scenarios (policies) side by side
(:func:`gametheory_regen.domain.policies.compare_policies`).  ``calibrate CASE`` shows every step
of a calibration (:func:`gametheory_regen.domain.calibration.calibrate_jinsong`).

Nothing here computes stability: these functions only format the results.
"""

from __future__ import annotations

import math

import sympy as sp

from ..errors import GameInputError
from .cli import UsageError, _add_common, emit, parse_assignment, register
from .report import to_json as _dumps  # strict JSON: non-finite numbers -> null

__all__ = [
    "parse_outcome",
    "stable_when_text",
    "threshold_data",
    "render_threshold_text",
    "comparison_data",
    "render_comparison_text",
    "render_comparison_markdown",
    "calibration_data",
    "render_calibration_text",
    "CALIBRATION_CASES",
]

#: Significant digits of numbers in sentences (JSON numbers are full precision).
DIGITS = 6


# ---------------------------------------------------------------------------- helpers
def _g(x: float, digits: int = DIGITS) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}"


def _finite(x):
    return x if (isinstance(x, float) and math.isfinite(x)) or isinstance(x, int) else None


def parse_outcome(text: str, where: str = "--outcome") -> dict[str, str]:
    """``POP=STRATEGY,...`` -> {population: strategy} (names are checked against the model later).

    Parameters
    ----------
    text : str
        The ``--outcome`` option.
    where : str
        The option named in error messages.

    Returns
    -------
    dict of str to str

    Raises
    ------
    UsageError
        An empty item, an item without ``=`` or without a population or strategy, or a
        population given twice.

    Examples
    --------
    >>> parse_outcome("government=enable, operator=operate")
    {'government': 'enable', 'operator': 'operate'}
    >>> parse_outcome("owner=hawk,owner=dove")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --outcome 'owner=hawk,owner=dove': population ...
    """
    out: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"{where} {text!r}: empty item; "
                             f"expected POP=STRATEGY,POP=STRATEGY,...")
        if "=" not in part:
            raise UsageError(f"{where} {text!r}: {part!r} is not POP=STRATEGY "
                             f"(e.g. {where} operator=operate,residents=participate)")
        pop, _, strategy = (s.strip() for s in part.partition("="))
        if not pop or not strategy:
            raise UsageError(f"{where} {text!r}: {part!r} needs a population and a strategy")
        if pop in out:
            raise UsageError(f"{where} {text!r}: population {pop!r} is given twice")
        out[pop] = strategy
    return out


def _check_output(path: str | None) -> None:
    if path:
        from ..fileio import check_writable

        check_writable(path)


def _game_for(args):
    from .cli import load_game

    return load_game(args)


def _scenario_name(name: str | None) -> str:
    return "(as given)" if name is None else name


def _profile_text(outcome) -> str:
    pairs = outcome.items() if isinstance(outcome, dict) else outcome
    return "(" + ", ".join(s for _, s in pairs) + ")"


# ---------------------------------------------------------------------------- threshold
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


def render_threshold_json(res) -> str:
    """``threshold --format json``: :func:`threshold_data` as strict JSON.

    Non-finite numbers are written as ``null`` and tuples as lists.

    Parameters
    ----------
    res : ThresholdResult

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
    """
    return _dumps(threshold_data(res))


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
        text = _dumps({**threshold_data(res), "dynamics": game.dynamics.as_dict()})
    else:
        text = render_threshold_text(res)
    if args.format == "text":
        from .i18n import translate_verb_text

        text = translate_verb_text(text, getattr(args, "lang", "en"))
    emit(text, args.output)


# ---------------------------------------------------------------------------- compare
def _explanation_data(ex) -> dict:
    return {
        "outcome": dict(ex.outcome),
        "strict_nash": ex.strict_nash,
        "ess": ex.strict_nash,
        "stability": str(ex.stability) if ex.stability is not None else None,
        "reasons": [{"population": r.population, "strategy": r.strategy,
                     "deviation": r.deviation, "margin": r.margin,
                     "terms": [{"term": k, "net": v} for k, v in r.terms],
                     "text": r.text} for r in ex.reasons],
    }


def comparison_data(cmp) -> dict:
    """The ``compare --format json`` document.

    Parameters
    ----------
    cmp : PolicyComparison
        From :func:`gametheory_regen.compare_policies`.

    Returns
    -------
    dict
        ``model``, ``title``, ``version``, ``cooperation`` (the cooperative outcome),
        ``parameters`` (those with thresholds), ``set`` (overrides) and ``notes``; and
        ``scenarios``, one entry per scenario with its description and source, the stable
        outcomes with the reasons no deviation pays, other stable rest points, whether
        cooperation is stable (and why not) and its thresholds (:func:`threshold_data`).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> cmp = gr.compare_policies(gr.Game.builtin("hawk_dove"), parameters=["C"],
    ...                           cooperation={"owner": "hawk", "intruder": "dove"})
    >>> data = comparison_data(cmp)
    >>> data["cooperation"], [s["scenario"] for s in data["scenarios"]]
    ({'owner': 'hawk', 'intruder': 'dove'}, [None])
    >>> scen = data["scenarios"][0]
    >>> scen["cooperation_stable"], [e["outcome"] for e in scen["stable"]]
    (True, [{'owner': 'hawk', 'intruder': 'dove'}, {'owner': 'dove', 'intruder': 'hawk'}])
    >>> [r["text"] for r in scen["cooperation"]["reasons"]]
    ['owner: hawk beats dove by +1: payoff V = 2 at hawk against V/2 = 1 at dove',
     'intruder: dove beats hawk by +1: payoff 0 at dove against -C/2 + V/2 = -1 at hawk']
    >>> scen["thresholds"][0]["stable_when"]
    'stable when C > 2'
    """
    from .. import __version__

    scenarios = []
    for s in cmp.scenarios:
        scenarios.append({
            "scenario": s.scenario,
            "description": s.description,
            "source": s.source,
            "set": s.overrides,
            "stable": [_explanation_data(e) for e in s.stable],
            "other_stable": [{"kind": rp.kind, "state": [list(x) for x in rp.state]}
                             for rp in s.other_stable],
            "cooperation_stable": s.cooperation_stable,
            "cooperation": _explanation_data(s.cooperation),
            "thresholds": [threshold_data(t) for t in s.thresholds],
        })
    return {
        "model": cmp.model,
        "title": cmp.title,
        "version": __version__,
        "cooperation": dict(cmp.cooperation),
        "parameters": list(cmp.parameters),
        "set": cmp.overrides,
        "scenarios": scenarios,
        "notes": list(cmp.notes),
    }


def _short_threshold(t) -> str:
    if t.never:
        return f"{t.parameter}: never"
    if t.always:
        return f"{t.parameter}: always"
    return " or ".join(_interval_text(t, iv) for iv in t.stable_set)


def render_comparison_text(cmp) -> str:
    """``compare`` in text: a summary table of the scenarios, then each scenario in detail.

    Parameters
    ----------
    cmp : PolicyComparison
        From :func:`gametheory_regen.compare_policies`.

    Returns
    -------
    str
        One summary line per scenario (cooperation stable or not, the stable outcomes); then,
        per scenario, its description and source, each stable outcome with the payoff
        comparison that keeps every population from deviating, the deviations that undo
        cooperation when it is not stable, and cooperation's thresholds.

    Examples
    --------
    In hawk-dove, "cooperation" (hawk, hawk) is not stable: each population gains by switching
    to dove.

    >>> import gametheory_regen as gr
    >>> text = render_comparison_text(gr.compare_policies(gr.Game.builtin("hawk_dove")))
    >>> for line in text.splitlines()[:5]:
    ...     print(line)
    compare: hawk_dove — Role-asymmetric hawk-dove (owner and intruder)
    cooperative outcome (hawk, hawk)
    <BLANKLINE>
    scenario    cooperation  stable outcomes (ESS)
    (as given)  not stable   (hawk, dove); (dove, hawk)
    >>> print(text[text.index("   cooperation (hawk, hawk)"):])
       cooperation (hawk, hawk) is not stable:
          owner: dove beats hawk by +1: payoff -C/2 + V/2 = -1 at hawk against 0 at dove
          intruder: dove beats hawk by +1: payoff -C/2 + V/2 = -1 at hawk against 0 at dove
    <BLANKLINE>
    """
    coop = _profile_text(cmp.cooperation)
    lines = [f"compare: {cmp.model}" + (f" — {cmp.title}" if cmp.title else ""),
             f"cooperative outcome {coop}"
             + (f"; thresholds on {', '.join(cmp.parameters)}" if cmp.parameters else ""),
             ""]
    width = max([len(_scenario_name(s.scenario)) for s in cmp.scenarios] + [8])
    lines.append(f"{'scenario':<{width}}  cooperation  stable outcomes (ESS)")
    for s in cmp.scenarios:
        outs = "; ".join(_profile_text(e.outcome) for e in s.stable) or "none"
        lines.append(f"{_scenario_name(s.scenario):<{width}}  "
                     f"{'stable' if s.cooperation_stable else 'not stable':<11}  {outs}")
    for s in cmp.scenarios:
        lines += ["", f"== {_scenario_name(s.scenario)}: {s.description}"]
        if s.source:
            lines.append(f"   source: {s.source}")
        if s.stable:
            lines.append("   stable outcomes (strict Nash = asymptotically stable = ESS):")
        else:
            lines.append("   no stable vertex")
        for e in s.stable:
            lines.append(f"   {_profile_text(e.outcome)}")
            for r in e.reasons:
                lines.append(f"      {r.text}")
        if not s.cooperation_stable:
            lines.append(f"   cooperation {coop} is not stable:")
            for r in s.cooperation.deviators:
                lines.append(f"      {r.text}")
        for rp in s.other_stable:
            lines.append(f"   also stable: {rp.kind} point {rp.state}")
        if s.thresholds:
            lines.append(f"   cooperation {coop} along each parameter (others at their values):")
            for t in s.thresholds:
                lines.append(f"      {stable_when_text(t)}")
    for n in cmp.notes:
        lines.append(f"note: {n}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_comparison_markdown(cmp) -> str:
    """``compare --format markdown``: a table of the scenarios, then a section per scenario.

    Parameters
    ----------
    cmp : PolicyComparison
        From :func:`gametheory_regen.compare_policies`.

    Returns
    -------
    str
        A table (scenario, stable outcomes, whether cooperation is stable, one column of
        thresholds per parameter), then per scenario its description, source, stable outcomes
        with their reasons and cooperation's thresholds.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> cmp = gr.compare_policies(gr.Game.builtin("hawk_dove"), parameters=["C"],
    ...                           cooperation={"owner": "hawk", "intruder": "dove"})
    >>> md = render_comparison_markdown(cmp)
    >>> for line in md.splitlines():
    ...     if line.startswith("|"):
    ...         print(line)
    | scenario | stable outcomes (ESS) | cooperation stable | stable when (C) |
    |---|---|---|---|
    | `(as given)` | (hawk, dove)<br>(dove, hawk) | yes | C > 2 |
    """
    coop = _profile_text(cmp.cooperation)
    lines = [f"# Policies compared: {cmp.model}", ""]
    if cmp.title:
        lines += [cmp.title, ""]
    params = list(cmp.parameters)
    lines += [f"Cooperation is the outcome {coop}. "
              + ("The last columns say where along each parameter it is stable, the other "
                 "parameters at the scenario's values." if params else ""), ""]
    head = ["scenario", "stable outcomes (ESS)", "cooperation stable"] + \
        [f"stable when ({p})" for p in params]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for s in cmp.scenarios:
        outs = "<br>".join(_profile_text(e.outcome) for e in s.stable) or "none"
        row = [f"`{_scenario_name(s.scenario)}`", outs, "yes" if s.cooperation_stable else "no"]
        row += [_md(_short_threshold(t)) for t in s.thresholds]
        lines.append("| " + " | ".join(row) + " |")
    for s in cmp.scenarios:
        lines += ["", f"## `{_scenario_name(s.scenario)}`", "", _md(s.description)]
        if s.source:
            lines += ["", f"Source: {s.source}"]
        lines.append("")
        for e in s.stable:
            lines.append(f"* **{_profile_text(e.outcome)}** is stable (ESS):")
            for r in e.reasons:
                lines.append(f"  * {_md(r.text)}")
        if not s.cooperation_stable:
            lines.append(f"* {coop} is not stable:")
            for r in s.cooperation.deviators:
                lines.append(f"  * {_md(r.text)}")
        for t in s.thresholds:
            lines.append(f"* {coop}: {_md(stable_when_text(t))}")
    for n in cmp.notes:
        lines += ["", f"Note: {n}"]
    return "\n".join(lines) + "\n"


def _add_compare(sub) -> None:
    p = sub.add_parser("compare", help="policies (scenarios) side by side")
    _add_common(p, multi_scenario=True)
    p.add_argument("--parameter", action="append", default=None, metavar="NAME",
                   help="threshold parameter for the cooperative outcome (repeatable; default "
                        "T, s, k, Ct where the model has them)")
    p.add_argument("--outcome", metavar="POP=STRATEGY,...",
                   help="the cooperative outcome (default: every population's first strategy)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="time allowed for symbolic work per analysis and threshold (default 5)")
    from .dynamics_opts import add_dynamics_option

    add_dynamics_option(p, allow_all=True)  # `all` is handled by the comparison itself


def cmd_compare(args) -> None:
    """The ``compare`` verb: the model's scenarios (policies) side by side.

    Unlike the other verbs, ``--scenario`` may be repeated (default: every scenario) and
    ``--set`` is applied after each scenario.

    Parameters
    ----------
    args : argparse.Namespace
        As parsed for ``compare``: ``model``, ``scenario`` (a list or None), ``set``,
        ``parameter`` (a list or None), ``outcome``, ``format`` (``text``, ``markdown`` or
        ``json``), ``output`` and ``time_budget``.

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
    >>> import json, contextlib, io
    >>> from gametheory_regen.presentation.cli import build_parser
    >>> args = build_parser().parse_args(["compare", "battle_of_sexes", "--parameter", "a",
    ...                                   "--format", "json"])
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     cmd_compare(args)
    >>> doc = json.loads(out.getvalue())
    >>> scen = doc["scenarios"][0]
    >>> doc["cooperation"], scen["cooperation_stable"], scen["thresholds"][0]["stable_when"]
    ({'woman': 'opera', 'man': 'opera'}, True, 'stable when a > 0')
    """
    from ..domain.policies import compare_policies
    from ..model.library import resolve_model

    from .dynamics_opts import ALL, resolve_dynamics

    # --dynamics wins over [dynamics]; `all` passes through in args.dynamics
    game = resolve_dynamics(args, resolve_model(args.model), allow_all=True)
    if (args.dynamics or "").strip() == ALL or game.dynamics.kind != "replicator":
        from .compare_dynamics import cmd_compare_all  # the scenarios under several dynamics

        return cmd_compare_all(args)
    _check_output(args.output)
    overrides = dict(parse_assignment(s) for s in (args.set or []))
    cooperation = parse_outcome(args.outcome) if args.outcome else None
    cmp = compare_policies(game, args.scenario, parameters=args.parameter,
                           cooperation=cooperation, overrides=overrides,
                           time_budget=args.time_budget)
    render = {"text": render_comparison_text, "markdown": render_comparison_markdown,
              "json": lambda c: _dumps({**comparison_data(c),
                                        "dynamics": game.dynamics.as_dict()})}[args.format]
    text = render(cmp)
    if args.format != "json":
        from .i18n import translate_verb_text

        text = translate_verb_text(text, getattr(args, "lang", "en"))
    emit(text, args.output)


# ---------------------------------------------------------------------------- calibrate
def _jinsong():
    from ..domain.calibration import calibrate_jinsong

    return calibrate_jinsong()


#: Calibration cases: name -> (function returning a CalibrationResult, source).
CALIBRATION_CASES = {
    "jinsong": (_jinsong, "Jiang Ling and Li Lei (2022), section 5: the Jinsong North pilot, "
                          "Beijing; parameters of the built-in model `regeneration`"),
}


def calibration_data(case: str, res) -> dict:
    """The ``calibrate --format json`` document.

    Parameters
    ----------
    case : str
        The case's name (a key of :data:`CALIBRATION_CASES`; its source is looked up there).
    res : CalibrationResult
        E.g. from :func:`gametheory_regen.calibrate_jinsong`.

    Returns
    -------
    dict
        ``case``, ``source``, ``ok`` (every check passed), ``steps`` (name, formula, value,
        unit, source), ``parameters`` (the model's parameter values), ``checks``,
        ``assumptions`` and ``cash_flows``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> data = calibration_data("jinsong", gr.calibrate_jinsong())
    >>> data["ok"], len(data["steps"]), data["steps"][0]["name"], data["steps"][0]["value"]
    (True, 25, 'investment I', 30.0)
    >>> {k: round(data["parameters"][k], 4) for k in ("T", "s", "k", "F", "r")}
    {'T': 20.0, 's': 1.43, 'k': 3.0, 'F': 1.6163, 'r': 784.1778}
    """
    return {
        "case": case,
        "source": CALIBRATION_CASES[case][1] if case in CALIBRATION_CASES else "",
        "ok": bool(res.ok),
        "steps": [{"name": s.name, "formula": s.formula, "value": s.value, "unit": s.unit,
                   "source": s.source} for s in res.steps],
        "parameters": dict(res.parameters),
        "checks": [{"name": n, "expected": e, "obtained": o, "ok": bool(ok)}
                   for n, e, o, ok in res.checks],
        "assumptions": [{"name": n, "value": v, "note": note} for n, v, note in res.assumptions],
        "cash_flows": [float(c) for c in res.cash_flows],
    }


def render_calibration_text(case: str, res) -> str:
    """``calibrate CASE`` in text: every step with its formula and source, then the checks.

    Parameters
    ----------
    case : str
        A key of :data:`CALIBRATION_CASES`.
    res : CalibrationResult

    Returns
    -------
    str
        The numbered steps (value, unit, formula, source), the model's parameter values, the
        checks, the assumptions the source leaves open, the operator's cash flows, and ``all
        checks passed`` or ``SOME CHECKS FAILED``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> text = render_calibration_text("jinsong", gr.calibrate_jinsong())
    >>> for line in text.splitlines():
    ...     if line.startswith("  [") or line.startswith("all"):
    ...         print(line)
      [ok] IRR equals the 8% target: expected 0.08, obtained 0.08
      [ok] space share equals 46%: expected 0.46, obtained 0.46
      [ok] NPV at the target IRR is zero: expected 0, obtained ...e-14
      [ok] closed-form NPV at rho equals cash-flow NPV: expected 7.89830226, obtained 7.89830226
    all checks passed
    """
    lines = [f"calibration: {case}", f"source: {CALIBRATION_CASES[case][1]}", "", "steps:"]
    for i, s in enumerate(res.steps, 1):
        lines.append(f"  {i:2d}. {s.name} = {_g(s.value, 10)} {s.unit}")
        lines.append(f"      formula: {s.formula}")
        lines.append(f"      source:  {s.source}")
    lines += ["", "parameters (as in regeneration.toml):"]
    for k, v in res.parameters.items():
        lines.append(f"  {k} = {v!r}")
    lines += ["", "checks:"]
    for n, e, o, ok in res.checks:
        lines.append(f"  [{'ok' if ok else 'FAILED'}] {n}: expected {_g(float(e), 10)}, "
                     f"obtained {_g(float(o), 10)}")
    lines += ["", "assumptions (the paper leaves these open):"]
    for n, v, note in res.assumptions:
        lines.append(f"  {n} = {v}: {note}")
    flows = ", ".join(f"{_g(float(c), 6)}" for c in res.cash_flows)
    lines += ["", f"operator's cash flows c_0..c_T (million yuan, end of year): {flows}",
              "", "all checks passed" if res.ok else "SOME CHECKS FAILED"]
    return "\n".join(lines) + "\n"


def _add_calibrate(sub) -> None:
    p = sub.add_parser("calibrate", help="turn a case's figures into parameter values, every "
                                         "step shown")
    p.add_argument("case", metavar="CASE", help=f"one of: {', '.join(CALIBRATION_CASES)}")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")


def cmd_calibrate(args) -> None:
    """The ``calibrate`` verb: turn a case's figures into parameter values, every step shown.

    Parameters
    ----------
    args : argparse.Namespace
        ``case`` (a key of :data:`CALIBRATION_CASES`), ``format`` (``text`` or ``json``) and
        ``output`` (a file, or None for stdout).

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        An unknown case; an output file that cannot be written.

    Examples
    --------
    >>> import argparse
    >>> cmd_calibrate(argparse.Namespace(case="jinsong", format="text", output=None))
    calibration: jinsong
    source: Jiang Ling and Li Lei (2022), section 5: the Jinsong North pilot, Beijing; ...
    ...
    all checks passed
    >>> cmd_calibrate(argparse.Namespace(case="atlantis", format="text", output=None))
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: unknown calibration case 'atlantis'; known cases: ...
    """
    if args.case not in CALIBRATION_CASES:
        raise GameInputError(f"unknown calibration case {args.case!r}; known cases: "
                             f"{', '.join(CALIBRATION_CASES)}")
    _check_output(args.output)
    res = CALIBRATION_CASES[args.case][0]()
    text = (_dumps(calibration_data(args.case, res)) if args.format == "json"
            else render_calibration_text(args.case, res))
    if args.format == "text":
        from .i18n import translate_verb_text

        text = translate_verb_text(text, getattr(args, "lang", "en"))
    emit(text, args.output)


register("compare", _add_compare, cmd_compare)
register("threshold", _add_threshold, cmd_threshold)
register("calibrate", _add_calibrate, cmd_calibrate)

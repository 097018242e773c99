r"""The ``compare`` verb: a model's scenarios (policies) side by side.

Each scenario :math:`k` sets parameter values :math:`\theta_k`.  Under each, the stable pure
outcomes :math:`s` are the strict Nash vertices (every deviation loses,
:math:`A_p(s) - A_p(j, s_{-p}) > 0`; in multi-population games exactly the asymptotically stable
rest points of the replicator and the ESS), each explained by the ledger terms that make up its
margins; the cooperative outcome is explained the same way, with where, along each threshold
parameter, it is stable (:func:`gametheory_regen.domain.policies.compare_policies` computes all
of it).  This module only
formats that comparison: JSON (:func:`comparison_data`), text and Markdown, and the verb
``compare MODEL`` (:func:`cmd_compare`; under other dynamics or ``--dynamics all`` it hands over
to :mod:`.compare_dynamics`).
"""

from __future__ import annotations

from .cli import _add_common, emit, parse_assignment
from .domain_verb_common import (
    _check_output,
    _profile_text,
    _scenario_name,
    parse_outcome,
)
from .report import to_json as _dumps  # strict JSON: non-finite numbers -> null
from .threshold_verb import _interval_text, stable_when_text, threshold_data

__all__ = ["comparison_data", "render_comparison_text", "render_comparison_markdown",
           "cmd_compare"]


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
    >>> from gametheory_regen.presentation import verbs  # registers the verbs with the parser
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

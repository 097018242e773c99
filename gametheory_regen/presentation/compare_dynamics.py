"""``compare MODEL --dynamics all|KIND``: every scenario's stable outcomes under several dynamics.

The table a reviewer asks for: does the policy conclusion drawn from the replicator dynamics
survive imitation, errors (logit), mutation, and the BNN and Smith dynamics?  The analysis is
:func:`gametheory_regen.domain.robustness.robustness_table`; this module renders it as text or
JSON and is the ``compare`` verb's branch for ``--dynamics all`` (the six dynamics) and for
``--dynamics KIND`` with a dynamics other than the replicator (the replicator, as the reference,
and ``KIND``).

Contract 4 gives every JSON document a ``"dynamics"`` object; here it is
``{"kind": "all"}`` or the chosen dynamics, and ``"compared"`` lists every dynamics of the table.
"""

from __future__ import annotations

__all__ = ["ALL", "cmd_compare_all", "robustness_data", "render_robustness_text"]

from .dynamics_opts import ALL  # noqa: E402  (the --dynamics value for every dynamics)


def _params(d) -> str:
    extra = {k: v for k, v in d.as_dict().items() if k != "kind"}
    return d.kind + ("" if not extra else "(" + ", ".join(f"{k}={v:g}" for k, v in
                                                          extra.items()) + ")")


def robustness_data(table) -> dict:
    """The JSON document of ``compare --dynamics all``.

    Parameters
    ----------
    table : RobustnessTable

    Returns
    -------
    dict
        ``model``, ``dynamics`` (``{"kind": "all"}`` for the six, else the one compared with
        the replicator), ``compared`` (every dynamics with its parameters), ``move_tol`` and,
        per scenario, each dynamics' stable and attracting outcomes, the changes and the moves.

    Examples
    --------
    >>> from gametheory_regen.domain.robustness import robustness_table
    >>> from gametheory_regen.dynamics.field import Dynamics
    >>> from gametheory_regen.model import Game
    >>> t = robustness_table(Game.builtin("hawk_dove"), dynamics=[Dynamics(), Dynamics("smith")])
    >>> doc = robustness_data(t)
    >>> doc["dynamics"], doc["compared"], doc["scenarios"][0]["robust"]
    ({'kind': 'smith'}, [{'kind': 'replicator'}, {'kind': 'smith'}], True)
    """
    def state(game_pops, st):
        return {name: list(row) for name, row in zip(game_pops, st, strict=True)}

    scenarios = []
    for s in table.scenarios:
        rows = []
        for r in s.rows:
            rows.append({
                "dynamics": r.dynamics.as_dict(),
                "stable": [{"label": lab, "state": list(map(list, st))}
                           for lab, st in zip(r.labels, r.stable, strict=False)],
                "attracting_in_simulation": [
                    {"label": lab, "state": list(map(list, st))}
                    for lab, st in zip(r.labels[len(r.stable):], r.attracting, strict=True)],
                "complete": r.complete,
            })
        scenarios.append({"scenario": s.scenario, "robust": s.robust, "outcomes": rows,
                          "changes": list(s.changes),
                          "moves": [{"dynamics": k, "outcome": lab, "distance": d}
                                    for k, lab, d in s.moves]})
    compared = [d.as_dict() for d in table.dynamics]
    chosen = compared[-1] if len(compared) == 2 else {"kind": ALL}
    return {"model": table.model, "dynamics": chosen, "compared": compared,
            "move_tol": table.move_tol, "scenarios": scenarios}


def render_robustness_text(table) -> str:
    """The text of ``compare --dynamics all``.

    Parameters
    ----------
    table : RobustnessTable

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.domain.robustness import robustness_table
    >>> from gametheory_regen.dynamics.field import Dynamics
    >>> from gametheory_regen.model import Game
    >>> t = robustness_table(Game.builtin("hawk_dove"), dynamics=[Dynamics(), Dynamics("bnn")])
    >>> print(render_robustness_text(t))     # doctest: +NORMALIZE_WHITESPACE
    compare --dynamics bnn: hawk_dove — Role-asymmetric hawk-dove (owner and intruder)
    dynamics: replicator; bnn
    stable outcomes (* = attracting in simulation, linearisation cannot decide;
    ~ = near the profile; kept = within 0.05 in every share):
    <BLANKLINE>
    scenario: (as given)
      replicator  (hawk, dove), (dove, hawk)
      bnn         (hawk, dove)*, (dove, hawk)*
      conclusion unchanged under every dynamics
    """
    which = table.dynamics[-1].kind if len(table.dynamics) == 2 else ALL
    lines = [f"compare --dynamics {which}: {table.model}"
             + (f" — {table.title}" if table.title else ""),
             "dynamics: " + "; ".join(_params(d) for d in table.dynamics),
             "stable outcomes (* = attracting in simulation, linearisation cannot decide;",
             f"~ = near the profile; kept = within {table.move_tol:g} in every share):"]
    width = max(len(d.kind) for d in table.dynamics)
    for s in table.scenarios:
        lines += ["", f"scenario: {s.scenario or '(as given)'}"]
        for r in s.rows:
            items = list(r.labels[:len(r.stable)]) + [f"{lab}*" for lab in
                                                       r.labels[len(r.stable):]]
            tail = "" if r.complete else "  (rest points not proven complete)"
            lines.append(f"  {r.dynamics.kind:<{width}}  {', '.join(items) or 'none'}{tail}")
        if s.changes:
            lines += ["  CONCLUSION CHANGES:"] + [f"    - {c}" for c in s.changes]
        else:
            lines.append("  conclusion unchanged under every dynamics")
        for kind, lab, d in s.moves:
            if d > 1e-3:
                lines.append(f"  moved: {lab} under {kind} by {d:.3g}")
    return "\n".join(lines) + "\n"


def cmd_compare_all(args) -> None:
    """``compare MODEL --dynamics all|KIND``: every scenario under the six dynamics, or under
    the replicator and ``KIND``.

    Parameters
    ----------
    args : argparse.Namespace
        As parsed for ``compare`` (``model``, ``scenario``, ``set``, ``format``, ``output``,
        ``dynamics``: ``all``, a ``KIND[,NAME=VALUE]`` text, or None for the model's own
        ``[dynamics]``). ``--format markdown`` is written as text.

    Returns
    -------
    None

    Examples
    --------
    >>> import argparse, contextlib, io, json
    >>> args = argparse.Namespace(model="battle_of_sexes", scenario=None, set=None,
    ...                           format="json", output=None, dynamics="all")
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     cmd_compare_all(args)
    >>> doc = json.loads(out.getvalue())
    >>> doc["dynamics"], doc["scenarios"][0]["robust"]
    ({'kind': 'all'}, True)
    >>> [d["kind"] for d in doc["compared"]]
    ['replicator', 'replicator_mutator', 'logit', 'bnn', 'smith', 'imitation']
    """
    from ..domain.robustness import DEFAULT_DYNAMICS, robustness_table
    from ..model.dynamics_spec import REPLICATOR
    from ..model.library import resolve_model
    from .cli import emit, parse_assignment
    from .domain_verbs import _check_output, _dumps
    from .dynamics_opts import resolve_dynamics

    _check_output(args.output)
    game = resolve_model(args.model)
    every = str(getattr(args, "dynamics", None) or "").strip() == ALL
    if not every:  # --dynamics KIND wins over the model's [dynamics]
        game = resolve_dynamics(args, game)
    dynamics = DEFAULT_DYNAMICS if every else (REPLICATOR, game.dynamics)
    overrides = dict(parse_assignment(s) for s in (args.set or []))
    from .progress import ProgressBar

    with ProgressBar(f"compare --dynamics {ALL if every else game.dynamics.kind}") as bar:
        table = robustness_table(game, args.scenario, dynamics=dynamics, overrides=overrides,
                                 progress=bar.update)
    text = _dumps(robustness_data(table)) if args.format == "json" else \
        render_robustness_text(table)
    emit(text, args.output)

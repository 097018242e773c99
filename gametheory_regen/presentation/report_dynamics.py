"""What the reports add when the analysis is about a dynamics other than the replicator.

Nothing here computes: the dynamics' formula, the one-sided slopes at a kink and the nearby runs
come from :mod:`gametheory_regen.analysis.dynamics_rest` and
:mod:`gametheory_regen.analysis.dynamics_local`; this module only words them for the text,
markdown, LaTeX and JSON reports.  Under the replicator every function here returns nothing, so
the replicator's reports are unchanged.
"""

from __future__ import annotations

__all__ = ["dynamics_line", "flags_reported", "is_replicator", "json_extra", "json_point",
           "local_lines"]


def is_replicator(analysis) -> bool:
    """Whether the analysis is about the replicator dynamics.

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    bool

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> is_replicator(gr.analyze(gr.Game.builtin("hawk_dove")))
    True
    """
    dyn = getattr(analysis, "dynamics", None)
    return dyn is None or dyn.kind == "replicator"


def flags_reported(analysis) -> bool:
    """Nash, strict-Nash and ESS flags (and conditions) are reported under the replicator and
    imitation only (Contract 4).

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    bool

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> flags_reported(gr.analyze(gr.Game.builtin("hawk_dove"), dynamics="smith"))
    False
    """
    return is_replicator(analysis) or analysis.dynamics.kind == "imitation"


def dynamics_line(analysis) -> str | None:
    """``Dynamics: KIND — formula, parameter`` (None under the replicator).

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    str or None

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> print(dynamics_line(gr.analyze(gr.Game.builtin("matching_pennies"), dynamics="bnn")))
    Dynamics: bnn — x_i' = [u_i - ubar]_+ - x_i sum_j [u_j - ubar]_+
    """
    if is_replicator(analysis):
        return None
    from ..analysis.dynamics_rest import formula

    return f"Dynamics: {analysis.dynamics.kind} — {formula(analysis.dynamics)}"


def local_lines(analysis, label) -> list[str]:
    """Per rest point: its one-sided slopes (at a kink) and what the nearby runs did.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    label : callable
        ``label(rp)``: the point's display label.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("battle_of_sexes"), dynamics="bnn")
    >>> for line in local_lines(res, lambda rp: ""):
    ...     print(line)         # doctest: +ELLIPSIS
    E1 : simulation: 6 of 6 nearby starts attracted (distance halved by t = 200)
    E2 : simulation: 6 of 6 nearby starts attracted (distance halved by t = 200)
    E3 : one-sided slopes (directional derivatives of the field along each deviation): woman opera -> football: man.opera -1/3, ...
    E3 : simulation: 0 of 8 nearby starts attracted, 8 moved away (by t = 200)
    """  # noqa: E501
    lines = []
    for i, rp in enumerate(analysis.rest_points, 1):
        kink = getattr(rp, "kink", None)
        if kink is not None and not kink.differentiable:
            lines.append(f"E{i} {label(rp)}: one-sided slopes (directional derivatives of the "
                         f"field along each deviation): "
                         + "; ".join(s.text() for s in kink.slopes))
        runs = getattr(rp, "nearby", None)
        if runs is not None:
            lines.append(f"E{i} {label(rp)}: {runs.text()}")
    return lines


def json_extra(analysis) -> dict:
    """Top-level JSON keys: ``dynamics`` always (Contract 4), ``dynamics_formula`` otherwise.

    Parameters
    ----------
    analysis : EquilibriumAnalysis

    Returns
    -------
    dict

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> json_extra(gr.analyze(gr.Game.builtin("hawk_dove")))
    {'dynamics': {'kind': 'replicator'}}
    """
    from ..dynamics.field import REPLICATOR

    dyn = getattr(analysis, "dynamics", None) or REPLICATOR
    out: dict = {"dynamics": dyn.as_dict()}
    if dyn.kind != "replicator":
        from ..analysis.dynamics_rest import formula

        out["dynamics_formula"] = formula(dyn)
    return out


def json_point(analysis, rp, entry: dict) -> dict:
    """Adjust one ``rest_points`` entry for the dynamics (no Nash flags or conditions where
    Contract 4 says so; slopes and nearby runs where there are some).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    rp : RestPoint
    entry : dict
        The entry as the replicator's report builds it (changed in place and returned).

    Returns
    -------
    dict

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> res = gr.analyze(gr.Game.builtin("battle_of_sexes"), dynamics="smith")
    >>> sorted(json_point(res, res.rest_points[-1], {"nash": True, "conditions": []}))
    ['nearby_runs', 'one_sided_slopes']
    """
    if not flags_reported(analysis):
        for key in ("nash", "strict_nash", "ess", "conditions", "never_stable_because",
                    "eigenvalue_expressions", "deviations"):
            entry.pop(key, None)
    kink = getattr(rp, "kink", None)
    if kink is not None and not kink.differentiable:
        entry["one_sided_slopes"] = [s.as_dict() for s in kink.slopes]
    runs = getattr(rp, "nearby", None)
    if runs is not None:
        entry["nearby_runs"] = runs.as_dict()
    return entry

r"""The ``calibrate`` verb: a case's published figures made parameter values, every step shown.

A calibration derives each parameter of a model from a case's figures (areas, prices, costs,
rates, an annuity factor :math:`(1 - (1 + \rho)^{-n})/\rho`) by stated arithmetic, and checks the
result against the figures the source reports
(:func:`gametheory_regen.domain.calibration.calibrate_jinsong`: Jiang Ling and Li Lei (2022),
section 5).  This module only formats a calibration: JSON (:func:`calibration_data`) and text,
with the verb ``calibrate CASE`` (:func:`cmd_calibrate`) over the cases of
:data:`CALIBRATION_CASES`.
"""

from __future__ import annotations

from ..errors import GameInputError
from .cli import emit
from .domain_verb_common import (
    _check_output,
    _g,
)
from .report import to_json as _dumps  # strict JSON: non-finite numbers -> null

__all__ = ["CALIBRATION_CASES", "calibration_data", "render_calibration_text", "cmd_calibrate"]


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

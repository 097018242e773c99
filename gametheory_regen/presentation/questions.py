"""The four questions of the Jinsong case as commands: text answers and figures.

``python -m gametheory_regen.presentation.questions QUESTION [--plot FILE] [--samples N]``
with QUESTION one of

* ``q1`` which package makes cooperation an ESS, and from which starts it is reached (basin
  shares with 95% Wilson intervals, contract view);
* ``q2`` the smallest subsidy and the shortest term (exact thresholds along the other);
* ``q3`` what happens when the subsidy ends after year 3 (calendar view, several revision rates);
* ``q4`` whether the 8% target is consistent with the Jinsong figures (calibration variants).

The numbers are computed in :mod:`gametheory_regen.domain.questions`; this module only renders
them.  ``docs/regeneration_model.md`` shows each command's output and figure.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

__all__ = ["render_q1", "render_q2", "render_q3", "render_q4", "main"]

T_GRID = tuple(float(t) for t in np.arange(8.0, 30.5, 1.0))


def _pyplot():
    """matplotlib.pyplot, on the Agg backend when there is no display (never switched in a
    notebook)."""
    from .fig_fonts import plt

    return plt


def _write(fig, path) -> None:
    """Lay ``fig`` out, write it to ``path`` (format by extension, 90 dpi) and close it."""
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    _pyplot().close(fig)


def _pct(v: float) -> str:
    return f"{100 * v:5.1f}%"


def render_q1(rows) -> str:
    """Text of question 1 (see :func:`gametheory_regen.domain.questions.cooperation_basins`).

    Parameters
    ----------
    rows : tuple of ScenarioBasin

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.domain.questions import cooperation_basins
    >>> print(render_q1(cooperation_basins(["jinsong"], samples=64)))  # doctest: +ELLIPSIS
    Q1 ... 64 Sobol starts ...
    scenario                  ESS  reach C   95% interval     status quo  ...
    jinsong                   yes   ...
    """
    n = rows[0].n if rows else 0
    out = [f"Q1 cooperation C = (enable, operate, participate): ESS, and its basin share from "
           f"{n} Sobol starts (contract view, revision periods)",
           f"{'scenario':25s} ESS  reach C   95% interval     status quo  not settled  "
           f"reach C by operator's start share: 0-.2 .2-.4 .4-.6 .6-.8 .8-1"]
    for r in rows:
        bins = " ".join(f"{b[2]:.2f}" for b in r.by_operator_start)
        out.append(f"{r.scenario:25s} {'yes' if r.ess else 'no ':3s}  {_pct(r.share)}  "
                   f"[{_pct(r.low)}, {_pct(r.high)}]  {_pct(r.status_quo)}  "
                   f"{_pct(r.not_settled)}       {bins}")
    return "\n".join(out)


def plot_q1(rows, path: str) -> None:
    """Figure of question 1: basin share of C per scenario (Wilson bars) and by operator start.

    Parameters
    ----------
    rows : tuple of ScenarioBasin
    path : str

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from gametheory_regen.domain.questions import cooperation_basins
    >>> with tempfile.TemporaryDirectory() as d:
    ...     plot_q1(cooperation_basins(["jinsong"], samples=16), os.path.join(d, "q1.png"))
    ...     os.listdir(d)
    ['q1.png']
    """
    plt = _pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1.1, 1]})
    names = [r.scenario for r in rows]
    y = np.arange(len(rows))
    share = np.array([r.share for r in rows])
    err = np.array([[r.share - r.low for r in rows], [r.high - r.share for r in rows]])
    colors = ["tab:green" if r.ess else "tab:gray" for r in rows]
    a.barh(y, share, xerr=err, color=colors, capsize=3)
    a.set_yticks(y, names, fontsize=8)
    a.invert_yaxis()
    a.set_xlabel("share of starts reaching cooperation (95% Wilson interval)")
    a.set_title("green: cooperation is an ESS", fontsize=9)
    for r in rows:
        if r.ess:
            mids = [0.5 * (bb[0] + bb[1]) for bb in r.by_operator_start]
            b.errorbar(mids, [bb[2] for bb in r.by_operator_start],
                       yerr=[bb[3] for bb in r.by_operator_start], marker="o", capsize=2,
                       label=r.scenario)
    b.set_xlabel("operator's initial share y0 (fifths)")
    b.set_ylabel("share reaching cooperation")
    b.set_ylim(0, 1)
    b.legend(fontsize=7)
    fig.suptitle(f"Q1 contract view: which package, from which starts ({rows[0].n} starts)")
    _write(fig, path)


def render_q2(by_T, by_s) -> str:
    """Text of question 2: stable intervals of ``s`` along ``T`` and of ``T`` along ``s``.

    Parameters
    ----------
    by_T, by_s : tuple of (float, tuple of Interval)
        From :func:`gametheory_regen.domain.questions.threshold_curve`.

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.domain.questions import threshold_curve
    >>> print(render_q2(threshold_curve("jinsong", "s", "T", [20.0]), ()))
    Q2 jinsong: where cooperation is stable (exact critical values)
    term T   subsidy s per year (M yuan) keeping C stable
      20.0   [0, 7.87)
    """
    def ivs(stable):
        if not stable:
            return "never"
        return " or ".join(
            f"{'[' if iv.lower_closed else '('}{iv.lower:.4g}, {iv.upper:.4g}"
            f"{']' if iv.upper_closed else ')'}" for iv in stable)

    out = ["Q2 jinsong: where cooperation is stable (exact critical values)"]
    if by_T:
        out.append("term T   subsidy s per year (M yuan) keeping C stable")
        out += [f"{T:6.1f}   {ivs(st)}" for T, st in by_T]
    if by_s:
        out.append("subsidy s   term T (years) keeping C stable")
        out += [f"{s:9.2f}   {ivs(st)}" for s, st in by_s]
    return "\n".join(out)


def plot_q2(by_T, path: str) -> None:
    """Figure of question 2: the region of (T, s) where cooperation is stable under Jinsong.

    Parameters
    ----------
    by_T : tuple of (float, tuple of Interval)
    path : str

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from gametheory_regen.domain.questions import threshold_curve
    >>> with tempfile.TemporaryDirectory() as d:
    ...     plot_q2(threshold_curve("jinsong", "s", "T", [15.0, 20.0]), os.path.join(d, "q2.png"))
    ...     os.listdir(d)
    ['q2.png']
    """
    plt = _pyplot()
    T = np.array([t for t, st in by_T if st])
    lo = np.array([st[0].lower for t, st in by_T if st])
    hi = np.array([min(st[-1].upper, 12.0) for t, st in by_T if st])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.fill_between(T, lo, hi, color="tab:green", alpha=0.3, label="cooperation stable (ESS)")
    ax.plot(T, lo, color="tab:green", label="smallest subsidy (operator's margin 0)")
    ax.plot(T, hi, color="tab:olive", ls="--", label="largest subsidy (government's margin 0)")
    ax.plot([20], [1.43], "k*", ms=12, label="Jinsong: T = 20, s = 1.43")
    ax.set_xlabel("operating-right term T (years)")
    ax.set_ylabel("subsidy s (M yuan per year, k = 3 years)")
    ax.set_ylim(0, 12)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Q2 exact thresholds (contract view, scenario jinsong)", fontsize=10)
    _write(fig, path)


def render_q3(rows) -> str:
    """Text of question 3 (:func:`gametheory_regen.domain.questions.persistence_after_subsidy`).

    Parameters
    ----------
    rows : tuple of PersistenceRow

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.domain.questions import persistence_after_subsidy
    >>> print(render_q3(persistence_after_subsidy(["jinsong"], [1.0], samples=16)))
    ... # doctest: +ELLIPSIS
    Q3 calendar view: starts at year 3 (the subsidy's end), state at year 20 (16 Sobol starts)
    ...
    jinsong                 1.00  ...
    """
    n = rows[0].n if rows else 0
    out = [f"Q3 calendar view: starts at year 3 (the subsidy's end), state at year 20 "
           f"({n} Sobol starts)",
           f"{'scenario':22s} kappa  contract kept (x, y > 0.99)  full cooperation  "
           f"status quo  residents' share rose  median (x, y, z) at year 20"]
    for r in rows:
        med = ", ".join(f"{v:.3f}" for v in r.median_final)
        out.append(f"{r.scenario:22s} {r.kappa:5.2f}  {_pct(r.contract)} "
                   f"[{_pct(r.contract_low)}, {_pct(r.contract_high)}]  {_pct(r.cooperation)}"
                   f"            {_pct(r.status_quo)}      {_pct(r.residents_up)}"
                   f"                ({med})")
    return "\n".join(out)


def plot_q3(paths, rows, path: str) -> None:
    """Figure of question 3: calendar paths from year 3, and the revision-rate sensitivity.

    Parameters
    ----------
    paths : tuple of (start, Simulation)
        From :func:`gametheory_regen.domain.questions.calendar_paths`.
    rows : tuple of PersistenceRow
    path : str

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from gametheory_regen.domain.questions import calendar_paths, persistence_after_subsidy
    >>> rows = persistence_after_subsidy(["jinsong"], [1.0], samples=8)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     plot_q3(calendar_paths(starts=[(0.5, 0.5, 0.5)], years=2.0), rows,
    ...             os.path.join(d, "q3.png"))
    ...     os.listdir(d)
    ['q3.png']
    """
    plt = _pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.4))
    styles = {0: ("government x", "-"), 2: ("operator y", "--"), 4: ("residents z", ":")}
    for i, (start, sim) in enumerate(paths):
        color = f"C{i}"
        for col, (label, ls) in styles.items():
            a.plot(3.0 + sim.times, sim.states[:, col], ls=ls, color=color,
                   label=f"{label}, start {start}" if col == 0 else label if i == 0 else None)
    a.axvline(3.0, color="k", lw=0.6)
    a.set_xlabel("calendar year (subsidy ended after year 3)")
    a.set_ylabel("share of the first strategy")
    a.set_ylim(-0.02, 1.02)
    a.legend(fontsize=6, loc="lower right")
    a.set_title("jinsong, kappa = 0.1: solid x, dashed y, dotted z", fontsize=9)
    for name, marker in (("jinsong", "o"), ("jinsong_subsidy_kept", "s")):
        sel = [r for r in rows if r.scenario == name]
        k = [r.kappa for r in sel]
        b.errorbar(k, [r.contract for r in sel],
                   yerr=[[r.contract - r.contract_low for r in sel],
                         [r.contract_high - r.contract for r in sel]],
                   marker=marker, capsize=3, label=f"{name}: contract kept (x, y > 0.99)")
        b.plot(k, [r.cooperation for r in sel], marker=marker, ls=":",
               label=f"{name}: full cooperation (z too)")
    b.set_xscale("log")
    b.set_xlabel("revision rate kappa (per year per M yuan)")
    b.set_ylabel("share of starts at year 3, state at year 20")
    b.set_ylim(-0.02, 1.02)
    b.legend(fontsize=7)
    b.set_title("sensitivity to the revision rate (95% Wilson intervals)", fontsize=9)
    fig.suptitle("Q3 calendar view: after the subsidy ends")
    _write(fig, path)


def render_q4(variants) -> str:
    """Text of question 4 (:func:`gametheory_regen.domain.questions.calibration_variants`).

    Parameters
    ----------
    variants : tuple of (str, dict, CalibrationResult)

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.domain.questions import calibration_variants
    >>> print(render_q4(calibration_variants()[:1]))  # doctest: +NORMALIZE_WHITESPACE
    Q4 is the 8% target consistent with 30 M yuan, 20 years, 1.43 M yuan x 3, 1,698 m2, 46%?
    assumptions                          rent r (yuan/m2/yr)  per day  fees F (M yuan/yr)
    IRR of the cash flows  NPV at 5%  all checks
    default assumptions                  784.2  2.15  1.6163  0.080000  7.898  yes
    """
    out = ["Q4 is the 8% target consistent with 30 M yuan, 20 years, 1.43 M yuan x 3, 1,698 m2, "
           "46%?",
           f"{'assumptions':36s} rent r (yuan/m2/yr)  per day  fees F (M yuan/yr)  "
           f"IRR of the cash flows  NPV at 5%  all checks"]
    for label, _, res in variants:
        irr = next(s.value for s in res.steps if s.name == "IRR of the cash flows")
        npv = next(s.value for s in res.steps if s.name == "operator NPV at rho")
        r = res.parameters["r"]
        out.append(f"{label:36s} {r:6.1f}  {r / 365:5.2f}  {res.parameters['F']:.4f}  "
                   f"{irr:.6f}  {npv:.3f}  {'yes' if res.ok else 'NO'}")
    return "\n".join(out)


def plot_q4(res, path: str) -> None:
    """Figure of question 4: the calibrated cash flows and their NPV against the discount rate.

    Parameters
    ----------
    res : CalibrationResult
    path : str

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from gametheory_regen.domain.calibration import calibrate_jinsong
    >>> with tempfile.TemporaryDirectory() as d:
    ...     plot_q4(calibrate_jinsong(), os.path.join(d, "q4.png"))
    ...     os.listdir(d)
    ['q4.png']
    """
    plt = _pyplot()
    from gametheory_regen.domain.calibration import npv

    flows = res.cash_flows
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    a.bar(np.arange(len(flows)), flows, color=["tab:red"] + ["tab:blue"] * (len(flows) - 1))
    a.set_xlabel("year (flows at the end of each year)")
    a.set_ylabel("operator's cash flow (M yuan)")
    a.set_title("outlay I + C, then space + fees (+ subsidy in years 1-3)", fontsize=9)
    q = np.linspace(0.0, 0.15, 151)
    b.plot(q, [npv(flows, v) for v in q])
    b.axhline(0, color="k", lw=0.6)
    b.axvline(0.08, color="tab:green", ls="--", label="IRR = 8% (paper's target)")
    b.axvline(res.parameters["rho"], color="tab:gray", ls=":", label="model's rho = 5%")
    b.set_xlabel("discount rate")
    b.set_ylabel("NPV (M yuan)")
    b.legend(fontsize=8)
    fig.suptitle("Q4 calibration: the Jinsong figures with an 8% return")
    _write(fig, path)


def main(argv: list[str] | None = None) -> int:
    """Print one question's answer (and write its figure with ``--plot``).

    Parameters
    ----------
    argv : list of str, optional

    Returns
    -------
    int
        0 on success, 2 on bad usage.

    Examples
    --------
    >>> main(["q4"])    # doctest: +ELLIPSIS
    Q4 is the 8% target consistent ...
    0
    """
    from gametheory_regen.domain import questions as q

    parser = argparse.ArgumentParser(prog="python -m gametheory_regen.presentation.questions",
                                     description="the four questions of the Jinsong case")
    parser.add_argument("question", choices=["q1", "q2", "q3", "q4"])
    parser.add_argument("--plot", metavar="FILE", help="write the figure (.png/.svg/.pdf)")
    parser.add_argument("--samples", type=int, default=None,
                        help="starting mixes (q1 default 1024, q3 default 256)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.samples is not None and args.samples < 1:
        print("error: --samples must be a positive integer", file=sys.stderr)
        return 2
    if args.question == "q1":
        rows = q.cooperation_basins(samples=args.samples or 1024)
        print(render_q1(rows))
        if args.plot:
            plot_q1(rows, args.plot)
    elif args.question == "q2":
        by_T = q.threshold_curve("jinsong", "s", "T", T_GRID)
        by_s = q.threshold_curve("jinsong", "T", "s", (0.0, 0.5, 1.0, 1.43, 2.0, 3.0))
        print(render_q2(by_T, by_s))
        if args.plot:
            plot_q2(by_T, args.plot)
    elif args.question == "q3":
        rows = q.persistence_after_subsidy(kappas=(0.01, 0.03, 0.1, 0.3, 1.0),
                                           samples=args.samples or 256)
        print(render_q3(rows))
        if args.plot:
            plot_q3(q.calendar_paths(), rows, args.plot)
    else:
        variants = q.calibration_variants()
        print(render_q4(variants))
        if args.plot:
            plot_q4(variants[0][2], args.plot)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

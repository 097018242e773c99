"""``simulate`` and ``sweep`` with noise (Contract 4, "Noise and delay"): options, output, plots.

:mod:`.engine_verbs` declares the two verbs; :func:`add_noise_arguments` adds the noise options
to them, and each verb hands a noisy run to :func:`run_simulate_noise` or
:func:`run_sweep_noise` (see ``docs/noise.md``):

>>> from gametheory_regen.presentation.cli import main
>>> main(["simulate", "hawk_dove", "--initial", "owner=0.5,intruder=0.5", "--noise", "0.5",
...       "--paths", "200", "--t-end", "10", "--points", "3", "--format", "csv", "--quiet"])
t,owner.hawk.q05,owner.hawk.q25,owner.hawk.q50,...
0.0,0.5,0.5,0.5,0.5,0.5,...
0

Bad input is one line and exit status 2:

>>> import contextlib, sys
>>> with contextlib.redirect_stderr(sys.stdout):
...     main(["simulate", "hawk_dove", "--initial", "owner=0.5,intruder=0.5", "--noise", "-1"])
error: --noise: expected a finite number >= 0 (sigma); got -1.0
2
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from .. import limits
from ..errors import GameInputError
from .cli import UsageError, count_arg, emit, load_game

__all__ = ["add_noise_arguments", "noise_requested", "noise_settings", "run_simulate_noise",
           "run_sweep_noise", "noise_json"]

_NOISE_FLAGS = ("noise_form", "paths", "scheme", "dt")


def add_noise_arguments(p, verb: str) -> None:
    """Add ``--noise``, ``--noise-form``, ``--paths``, ``--scheme``, ``--dt`` (and ``--seed`` on
    ``simulate``, ``--initial`` on ``sweep``) to a verb's parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
    verb : {"simulate", "sweep"}

    Returns
    -------
    None

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import build_parser, main
    >>> _ = main(["models"]) if False else None
    >>> args = build_parser().parse_args(["simulate", "hawk_dove", "--initial", "owner=0.5,"
    ...                                   "intruder=0.5", "--noise", "0.1", "--paths", "10"])
    >>> args.noise, args.paths, args.noise_form, args.seed
    (0.1, 10, None, 0)
    """
    g = p.add_argument_group("noise (docs/noise.md)")
    g.add_argument("--noise", type=float, default=None, metavar="SIGMA",
                   help="integrate dx = f dt + SIGMA g(x) dW over many paths")
    g.add_argument("--noise-form", choices=("simplex", "linear"), default=None,
                   help="g dW = x(1-x) dW on the simplex (default) or g = x (two strategies)")
    g.add_argument("--paths", type=count_arg, default=None, metavar="N",
                   help="sample paths (default 1000)")
    g.add_argument("--scheme", choices=("euler", "milstein"), default=None,
                   help="Euler-Maruyama (default) or Milstein (strong order 1)")
    g.add_argument("--dt", type=float, default=None, metavar="H",
                   help="fixed step of the noisy integration (default 0.01)")
    if verb == "simulate":
        g.add_argument("--seed", type=count_arg, default=0,
                       help="seed of the random streams (default 0)")
        g.add_argument("--quiet", action="store_true", help="no progress bar")
    else:
        g.add_argument("--initial", default=None, metavar="POP=SHARE,...",
                       help="with --vary noise=...: start every path here (default: the "
                            "--samples starting mixes, used round-robin)")


def noise_requested(args) -> bool:
    """True when a noise option is given (``--vary noise=...`` counts on ``sweep``).

    A noise setting without ``--noise`` (or ``--vary noise=``) is a usage error.

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    bool

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import build_parser, main
    >>> _ = main(["models"]) if False else None
    >>> args = build_parser().parse_args(["sweep", "hawk_dove", "--vary", "noise=0:1:3"])
    >>> noise_requested(args)
    True
    """
    varied = any(v.partition("=")[0].strip() == "noise" for v in (getattr(args, "vary", None)
                                                                  or []))
    if args.noise is not None or varied:
        return True
    given = [f"--{n.replace('_', '-')}" for n in _NOISE_FLAGS if getattr(args, n) is not None]
    if getattr(args, "initial", None) is not None and getattr(args, "vary", None) is not None:
        given.append("--initial")
    if given:
        raise UsageError(f"{given[0]} is a noise option: give --noise SIGMA too"
                         + (" (or --vary noise=START:STOP:COUNT)" if hasattr(args, "vary")
                            else ""))
    return False


def noise_settings(args, sigma: float = 0.0):
    """The :class:`~gametheory_regen.dynamics.sde.Noise` of the command line's options.

    Parameters
    ----------
    args : argparse.Namespace
    sigma : float
        Used when ``--noise`` is absent (a sweep over noise).

    Returns
    -------
    Noise

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import build_parser, main
    >>> _ = main(["models"]) if False else None
    >>> a = build_parser().parse_args(["simulate", "hawk_dove", "--initial", "owner=0.5,"
    ...                                "intruder=0.5", "--noise", "0.1", "--dt", "0.05"])
    >>> noise_settings(a).as_dict()
    {'sigma': 0.1, 'form': 'simplex', 'scheme': 'euler', 'dt': 0.05, 'paths': 1000, 'seed': 0}
    """
    from ..dynamics.sde import Noise

    return Noise(sigma=sigma if args.noise is None else args.noise,
                 form=args.noise_form or "simplex", scheme=args.scheme or "euler",
                 dt=0.01 if args.dt is None else args.dt,
                 paths=1000 if args.paths is None else args.paths, seed=args.seed)


def _check_common(args) -> None:
    if args.output:
        from ..fileio import check_writable

        check_writable(args.output)
    from .cli import _check_plot_path

    _check_plot_path(args.plot)
    if not (math.isfinite(args.t_end) and args.t_end > 0):
        raise UsageError(f"--t-end {args.t_end}: expected a positive number")
    if args.paths is not None and args.paths < 1:
        raise UsageError(f"--paths {args.paths}: expected at least 1 path")


def _dynamics(args, game):
    """``--dynamics`` where the verb has it (a Dynamics or its text), else the game's."""
    from ..dynamics.field import REPLICATOR, Dynamics

    if getattr(args, "delay", None) is not None:
        raise UsageError("--delay and --noise together are not supported; give one")
    given = getattr(args, "dynamics", None)
    if isinstance(given, Dynamics):
        return given
    if isinstance(given, str) and given.strip():
        return Dynamics.parse(given)
    return getattr(game, "dynamics", None) or REPLICATOR


def _state_dict(game, vec) -> dict:
    out, a = {}, 0
    for pop in game.populations:
        out[pop.name] = [float(v) for v in vec[a:a + pop.k]]
        a += pop.k
    return out


def _strategies(game, vec):
    """Population -> strategy of a pure state (None for a mixed one)."""
    out, a = {}, 0
    for pop in game.populations:
        block = np.asarray(vec[a:a + pop.k], dtype=float)
        j = int(np.argmax(block))
        if abs(block[j] - 1.0) > 1e-9:
            return None
        out[pop.name] = pop.strategies[j]
        a += pop.k
    return out


def _outcome_name(game, vec) -> str:
    s = _strategies(game, vec)
    if s is not None:
        return "(" + ", ".join(s[p.name] for p in game.populations) + ")"
    return "(" + "; ".join("/".join(f"{v:.3g}" for v in vals)
                           for vals in _state_dict(game, vec).values()) + ")"


def _progress_bar(args, label):
    from .progress import ProgressBar

    return ProgressBar(label, enabled=not getattr(args, "quiet", False))


# ------------------------------------------------------------------------------ simulate
def noise_json(game, res) -> dict:
    """The simulate JSON of a noisy run (Contract 3 plus Contract 4's noise keys).

    ``states`` and ``final`` hold the per-time *median* of every share (the 50 % quantile,
    not one path); ``quantiles`` holds all levels; ``outcomes`` lists every rest point with
    the share of paths within 0.01 of it at ``t_end``, then ``rest_point: null`` (not settled).

    Parameters
    ----------
    game : Game
    res : NoiseResult

    Returns
    -------
    dict

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.stochastic import simulate_noise
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> d = noise_json(hd, simulate_noise(hd, [0.9, 0.1], 5.0, Noise(0.1, paths=8,
    ...                backend="numpy"), n_points=3))
    >>> d["paths"], d["left_simplex"], d["quantiles"]["levels"], len(d["quantiles"]["states"]["owner"])
    (8, 0, [0.05, 0.25, 0.5, 0.75, 0.95], 3)
    >>> d["outcomes"][1]["strategies"], d["outcomes"][1]["share"]
    ({'owner': 'hawk', 'intruder': 'dove'}, 1.0)
    """  # noqa: E501
    from ..analysis.stochastic import QUANTILES

    shares = res.shares().tolist()
    lo, hi = (a.tolist() for a in res.intervals())
    cnt = res.outcome_counts.tolist()
    med = res.quantiles[2]
    q = res.population_quantiles()
    outcomes = [{"rest_point": _state_dict(game, rp), "strategies": _strategies(game, rp),
                 "paths": cnt[j], "share": shares[j], "interval": [lo[j], hi[j]]}
                for j, rp in enumerate(res.rest_points)]
    r = len(cnt)
    outcomes.append({"rest_point": None, "strategies": None, "paths": res.not_settled,
                     "share": shares[r], "interval": [lo[r], hi[r]]})
    return {
        "model": game.name, "scenario": game.scenario,
        "parameters": {p.name: (float(p.value) if p.value is not None else None)
                       for p in game.parameters},
        "dynamics": res.dynamics.as_dict(),
        "initial": _state_dict(game, res.initial),
        "t": [float(t) for t in res.times],
        "states": {pop: [[float(v) for v in row] for row in arr[2]] for pop, arr in q.items()},
        "final": _state_dict(game, med[-1]),
        "settled_at": None,
        "paths": res.paths,
        "quantiles": {"levels": list(QUANTILES),
                      "states": {pop: np.transpose(arr, (1, 0, 2)).tolist()
                                 for pop, arr in q.items()}},
        "inside": [int(v) for v in res.inside],
        "left_simplex": res.left_simplex,
        "outcomes": outcomes,
        "outcome_radius": 0.01,
        "noise": res.noise.as_dict(),
        "schedules": _schedules_json(res.schedules),
        "time_unit": game.time_unit,
        "method": {"integrator": {"euler": "euler-maruyama", "milstein": "milstein"}[
            res.noise.scheme], "dt": res.noise.dt, "steps": res.n_steps,
            "backend": res.backend},
    }


def _schedules_json(schedules) -> list:
    out = []
    for s in schedules:
        if s.kind == "expression":
            out.append({"parameter": s.parameter, "kind": s.kind,
                        "expression": str(s.expression)})
        else:
            out.append({"parameter": s.parameter, "kind": s.kind, "times": list(s.times),
                        "values": list(s.values)})
    return out


def _noise_text(game, res) -> str:
    nz = res.noise
    lines = [f"Model: {game.name}" + (f", scenario {game.scenario}" if game.scenario else ""),
             f"noise: sigma = {nz.sigma:g}, form {nz.form}, scheme {nz.scheme}, dt = {nz.dt:g}, "
             f"{nz.paths} paths, seed {nz.seed}; dynamics {res.dynamics.kind}",
             *([f"schedules (at each step's start time): "
                f"{', '.join(s.parameter for s in res.schedules)}; rest points at their "
                f"t = {res.t_end:g} values"] if res.schedules else []),
             "", "median [5 %, 95 %] of each population's first share:", ""]
    cols = [f"{p.name}.{p.strategies[0]}" for p in game.populations]
    idx, a = [], 0
    for p in game.populations:
        idx.append(a)
        a += p.k
    width = 26
    lines.append("t".rjust(8) + "".join(c.rjust(max(width, len(c) + 2)) for c in cols))
    T = len(res.times)
    rows = list(range(0, T, max(1, T // 20)))
    if rows[-1] != T - 1:
        rows.append(T - 1)
    for i in rows:
        cells = []
        for j, c in zip(idx, cols, strict=True):
            q = res.quantiles[:, i, j]
            txt = "-" if np.isnan(q[2]) else f"{q[2]:.4f} [{q[0]:.4f}, {q[4]:.4f}]"
            cells.append(txt.rjust(max(width, len(c) + 2)))
        lines.append(f"{res.times[i]:8.3f}" + "".join(cells))
    lines += ["", f"at t = {res.t_end:g} (within 0.01 of a rest point in every share):"]
    shares = res.shares()
    lo, hi = res.intervals()
    for j, rp in enumerate(res.rest_points):
        if res.outcome_counts[j] == 0:
            continue
        lines.append(f"  {_outcome_name(game, rp)}: {shares[j]:.4g} "
                     f"(95 % interval {lo[j]:.3g} to {hi[j]:.3g})")
    r = len(res.rest_points)
    lines.append(f"  not settled: {shares[r]:.4g} (95 % interval {lo[r]:.3g} to {hi[r]:.3g})")
    if nz.form == "linear":
        lines.append(f"  left [0, 1] (frozen at the boundary, counted apart): "
                     f"{res.left_simplex} of {nz.paths} paths")
    return "\n".join(lines) + "\n"


def _noise_csv(game, res) -> str:
    from ..analysis.stochastic import QUANTILES
    from .engine_verbs import csv_safe

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = [f"{p.name}.{s}" for p in game.populations for s in p.strategies]
    w.writerow(["t"] + [csv_safe(f"{n}.q{round(100 * q):02d}") for n in names
                        for q in QUANTILES] + ["inside"])
    for i, t in enumerate(res.times):
        w.writerow([repr(float(t))] + [repr(float(res.quantiles[lv, i, j]))
                                       for j in range(len(names))
                                       for lv in range(len(QUANTILES))]
                   + [int(res.inside[i])])
    return buf.getvalue()


def run_simulate_noise(args) -> None:
    """``simulate ... --noise SIGMA``: quantile bands and outcome shares (text, JSON or CSV).

    Parameters
    ----------
    args : argparse.Namespace
        The ``simulate`` options, with the noise options of :func:`add_noise_arguments`.

    Returns
    -------
    None

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import main
    >>> main(["simulate", "hawk_dove", "--initial", "owner=0.5,intruder=0.5", "--noise", "0.5",
    ...       "--paths", "100", "--t-end", "20", "--points", "3", "--quiet"])
    Model: hawk_dove
    noise: sigma = 0.5, form simplex, scheme euler, dt = 0.01, 100 paths, seed 0; dynamics ...
    ...
    at t = 20 (within 0.01 of a rest point in every share):
      (hawk, dove): ...
      (dove, hawk): ...
      not settled: ...
    0
    """
    from ..analysis.stochastic import simulate_noise
    from .engine_verbs import parse_initial

    _check_common(args)
    noise = noise_settings(args)
    if args.points < 2:
        raise UsageError(f"--points {args.points}: expected at least 2")
    limits.check_count("--points", args.points, "points",
                       "write fewer points and integrate in parts with a smaller --t-end")
    game = load_game(args)
    from .engine_verbs import _schedules

    schedules = () if args.no_schedules else _schedules(game)
    x0 = parse_initial(game, args.initial)
    with _progress_bar(args, "noise") as bar, np.errstate(all="ignore"):
        res = simulate_noise(game, x0, args.t_end, noise, dynamics=_dynamics(args, game),
                             n_points=args.points, schedules=schedules, progress=bar.update)
    if args.format == "json":
        from .report import to_json

        text = to_json(noise_json(game, res))
    elif args.format == "csv":
        text = _noise_csv(game, res)
    else:
        text = _noise_text(game, res)
    if args.plot:
        from .fig_noise import save_noise_figure

        save_noise_figure(res, game, args.plot, lang=getattr(args, "lang", "en"))
    emit(text, args.output)


# ------------------------------------------------------------------------------ sweep
def _parse_noise_vary(text: str) -> np.ndarray:
    _, _, rng = text.partition("=")
    parts = rng.split(":")
    if len(parts) != 3:
        raise UsageError(f"--vary {text!r}: expected noise=START:STOP:COUNT, e.g. "
                         f"noise=0:0.5:11")
    try:
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise UsageError(f"--vary {text!r}: START and STOP must be numbers and COUNT a whole "
                         f"number") from None
    if not (math.isfinite(a) and math.isfinite(b)) or n < 1 or min(a, b) < 0:
        raise UsageError(f"--vary {text!r}: expected finite START, STOP >= 0 and COUNT >= 1")
    limits.check_count("--vary noise: COUNT", n, "sweep_cells")
    return np.linspace(a, b, n)


def run_sweep_noise(args) -> None:
    """``sweep ... --vary noise=START:STOP:COUNT``: outcome probabilities against sigma.

    Parameters
    ----------
    args : argparse.Namespace
        The ``sweep`` options with the noise options; ``--vary noise=...`` must be the only
        ``--vary``.

    Returns
    -------
    None

    Examples
    --------
    At sigma = 0 every path stays at the interior saddle; at 0.5 they leave it:

    >>> from gametheory_regen.presentation.cli import main
    >>> main(["sweep", "hawk_dove", "--vary", "noise=0:0.5:2", "--initial",
    ...       "owner=0.5,intruder=0.5", "--paths", "40", "--t-end", "10", "--format", "csv",
    ...       "--quiet"])
    noise,"(hawk, hawk)","(hawk, dove)","(dove, hawk)","(dove, dove)",(0.5/0.5; 0.5/0.5),not settled,...
    0.0,0.0,0.0,0.0,0.0,1.0,0.0,0.0
    0.5,0.0,...
    0
    """  # noqa: E501
    from ..analysis.stochastic import noise_sweep
    from .engine_verbs import parse_initial

    _check_common(args)
    noisy = [v for v in args.vary if v.partition("=")[0].strip() == "noise"]
    if not noisy or len(args.vary) != 1:
        raise UsageError("sweep with noise: give exactly one --vary, noise=START:STOP:COUNT "
                         "(a parameter grid at fixed noise is not supported yet; fix the "
                         "parameter with --set)")
    if args.noise is not None:
        raise UsageError("sweep: --noise and --vary noise=... together; give one")
    sigmas = _parse_noise_vary(noisy[0])
    noise = noise_settings(args)
    game = load_game(args)
    from .engine_verbs import _schedules

    schedules = _schedules(game)
    missing = list(game.free_parameters)
    if missing:
        raise GameInputError(f"parameters without values: {', '.join(missing)}; give them with "
                             f"--set NAME=VALUE")
    if args.initial is not None:
        starts = parse_initial(game, args.initial)
        start_text = "every path starts at --initial"
    else:
        from ..analysis.basins import sample_starts

        limits.check_count("--samples", args.samples, "samples")
        starts = sample_starts(game.shape, args.samples, seed=args.seed)
        start_text = f"paths start at {args.samples} Sobol starting mixes (round-robin)"
    with _progress_bar(args, "noise sweep") as bar, np.errstate(all="ignore"):
        res = noise_sweep(game, sigmas, starts, args.t_end, noise,
                          dynamics=_dynamics(args, game), schedules=schedules,
                          progress=bar.update)
    shares = res.shares()
    lo, hi = res.intervals()
    names = [_outcome_name(game, rp) for rp in res.rest_points] + ["not settled",
                                                                   "left [0, 1]"]
    if args.format == "json":
        from .report import to_json

        cells = []
        for s, sig in enumerate(res.sigmas):
            outs = [{"rest_point": _state_dict(game, rp), "strategies": _strategies(game, rp),
                     "paths": int(res.counts[s, j]), "share": float(shares[s, j]),
                     "interval": [float(lo[s, j]), float(hi[s, j])]}
                    for j, rp in enumerate(res.rest_points)]
            r = len(res.rest_points)
            outs.append({"rest_point": None, "strategies": None, "paths": int(res.counts[s, r]),
                         "share": float(shares[s, r]),
                         "interval": [float(lo[s, r]), float(hi[s, r])]})
            cells.append({"at": {"noise": float(sig)}, "outcomes": outs,
                          "left_simplex": int(res.counts[s, r + 1])})
        data = {"model": game.name, "scenario": game.scenario,
                "parameters": {p.name: (float(p.value) if p.value is not None else None)
                               for p in game.parameters},
                "dynamics": res.dynamics.as_dict(),
                "vary": [{"name": "noise", "values": [float(v) for v in res.sigmas]}],
                "paths": int(res.noise.paths), "t_end": res.t_end, "starts": start_text,
                "outcome_radius": 0.01, "cells": cells,
                "noise": {k: v for k, v in res.noise.as_dict().items() if k != "sigma"},
                "schedules": _schedules_json(res.schedules),
                "method": {"integrator": {"euler": "euler-maruyama", "milstein": "milstein"}[
                    res.noise.scheme], "steps": res.n_steps, "backend": res.backend}}
        text = to_json(data)
    elif args.format == "csv":
        from .engine_verbs import csv_safe

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["noise"] + [csv_safe(n) for n in names])
        for s, sig in enumerate(res.sigmas):
            w.writerow([repr(float(sig))] + [repr(float(v)) for v in shares[s]])
        text = buf.getvalue()
    else:
        from .i18n import align_columns

        keep = [j for j in range(len(names)) if res.counts[:, j].any()]
        head = ["noise"] + [names[j] for j in keep]
        rows = [head, ["-" * len(h) for h in head]]
        for s, sig in enumerate(res.sigmas):
            rows.append([f"{sig:g}"] + [f"{shares[s, j]:.4g}" for j in keep])
        nz = res.noise
        lines = [f"noise sweep of {game.name}" + (f" (scenario {game.scenario})"
                                                  if game.scenario else "")
                 + f": {nz.paths} paths per value, t_end = {res.t_end:g}, form {nz.form}, "
                 f"scheme {nz.scheme}, dt = {nz.dt:g}, seed {nz.seed}", start_text,
                 "share of paths within 0.01 of each rest point at t_end:", "",
                 *align_columns(rows)]
        text = "\n".join(lines) + "\n"
    if args.plot:
        from .fig_noise import save_noise_sweep_figure

        save_noise_sweep_figure(res, game, args.plot, lang=getattr(args, "lang", "en"))
    emit(text, args.output)

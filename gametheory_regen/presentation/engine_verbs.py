"""The `simulate` and `sweep` verbs (Contract 2), on the batch engine of the analysis layer.

``simulate`` integrates one trajectory (:func:`gametheory_regen.simulate`) and prints a table,
CSV or JSON; ``sweep`` computes stable outcomes and basin shares over a parameter grid
(:func:`gametheory_regen.sweep`).  Both verbs are registered with
:func:`gametheory_regen.presentation.cli.register` when this module is imported, and run through
:func:`gametheory_regen.presentation.cli.main`:

>>> from gametheory_regen.presentation.cli import main
>>> main(["simulate", "hawk_dove", "--initial", "owner=0.3,intruder=0.6", "--t-end", "10",
...       "--points", "3", "--format", "csv"])
t,owner.hawk,owner.dove,intruder.hawk,intruder.dove
0.0,0.3,0.7,0.6,0.4
5.0,0.0149529...,0.985047...,0.982873...,0.0171268...
10.0,0.000105896...,0.999894...,0.999878...,0.000121026...
0

Below ``C = V = 2`` hawk meets hawk profitably: (hawk, hawk) is the only stable outcome; above,
the two role-asymmetric outcomes share the basins:

>>> main(["sweep", "hawk_dove", "--vary", "C=1:5:3", "--samples", "4", "--t-end", "20",
...       "--format", "csv", "--quiet"])
C,"stable (hawk, hawk)","stable (hawk, dove)","stable (dove, hawk)","stable (dove, dove)",...
1.0,1,0,0,0,1.0,0.0,0.0,0.0,0.0
3.0,0,1,1,0,0.0,0.5,0.5,0.0,0.0
5.0,0,1,1,0,0.0,0.5,0.5,0.0,0.0
0
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from .. import limits
from ..errors import GameInputError, StateError
from . import delay_verbs, noise_verbs
from .cli import UsageError, _add_common, count_arg, _check_plot_path, emit, load_game, register
from .dynamics_opts import add_dynamics_option, dynamics_json, resolve_dynamics
from .progress import ProgressBar
from .report import to_json, to_json_large

__all__ = ["parse_initial", "parse_vary", "check_sweep_size", "csv_safe"]


def parse_initial(game, text: str) -> np.ndarray:
    """``POP=SHARE,...`` or ``POP=a/b/c`` (all shares) -> full state vector.

    A single share is the share of the population's first strategy; with more than two
    strategies the remainder is split evenly among the others (``row=0.4`` -> 0.4/0.3/0.3).

    Parameters
    ----------
    game : Game
    text : str
        The ``--initial`` option: one ``POP=SHARE`` or ``POP=a/b/c`` item per population,
        separated by commas.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` every share, populations concatenated in the model's order.

    Raises
    ------
    UsageError
        An item without ``=``, a population given twice or missing.
    StateError
        A share that is not a number in [0, 1], the wrong number of shares, or shares that do
        not sum to 1.
    GameInputError
        An unknown population.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> parse_initial(gr.Game.builtin("hawk_dove"), "intruder=0.6, owner=0.3")
    array([0.3, 0.7, 0.6, 0.4])
    >>> parse_initial(gr.Game.builtin("rock_paper_scissors"), "row=0.4,column=0.2/0.3/0.5")
    array([0.4, 0.3, 0.3, 0.2, 0.3, 0.5])
    >>> parse_initial(gr.Game.builtin("hawk_dove"), "owner=0.3")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --initial: give a start for every population; ...
    """
    given: dict[str, list[float]] = {}
    for item in (t for t in text.split(",") if t.strip()):
        if "=" not in item:
            raise UsageError(f"--initial {item!r}: expected POP=SHARE, e.g. operator=0.3")
        name, _, value = item.partition("=")
        name = name.strip()
        pop = game.population(name)
        try:
            shares = [float(v) for v in value.split("/")]
        except ValueError:
            raise StateError(f"--initial {item!r}: {value!r} is not a number (or numbers "
                             f"separated by /)") from None
        if any(not math.isfinite(v) for v in shares):
            raise StateError(f"--initial {item!r}: shares must be finite numbers")
        if any(v < 0 or v > 1 for v in shares):
            raise StateError(f"--initial {item!r}: a share must lie in [0, 1]")
        if len(shares) == 1:
            # the share of the first strategy; the rest is split evenly among the others
            rest = (1 - shares[0]) / (pop.k - 1)
            shares = [shares[0]] + [rest] * (pop.k - 1)
        if len(shares) != pop.k:
            raise StateError(
                f"--initial {item!r}: population {name!r} has {pop.k} strategies "
                f"({', '.join(pop.strategies)}); give the first strategy's share or all {pop.k} "
                f"shares separated by /")
        if abs(sum(shares) - 1) > 1e-9:
            raise StateError(f"--initial {item!r}: the shares of {name!r} sum to {sum(shares):g}, "
                             f"not 1")
        if name in given:
            raise UsageError(f"--initial: population {name!r} given twice")
        given[name] = shares
    missing = [p.name for p in game.populations if p.name not in given]
    if missing:
        raise UsageError(f"--initial: give a start for every population; missing "
                         f"{', '.join(missing)} (e.g. {missing[0]}=0.5)")
    return np.array([v for p in game.populations for v in given[p.name]])


def parse_vary(game, text: str) -> tuple[str, np.ndarray]:
    """``NAME=START:STOP:COUNT`` -> (name, values), each value checked against the bounds.

    Parameters
    ----------
    game : Game
    text : str
        The ``--vary`` option: ``COUNT`` evenly spaced values from ``START`` to ``STOP``.

    Returns
    -------
    tuple of (str, numpy.ndarray)

    Raises
    ------
    UsageError
        Not of the form ``NAME=START:STOP:COUNT``, non-finite ends or ``COUNT < 1``.
    ParameterError
        An unknown parameter, or an end of the grid outside the parameter's declared bounds.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> parse_vary(gr.Game.builtin("hawk_dove"), "C=1:5:5")
    ('C', array([1., 2., 3., 4., 5.]))
    >>> parse_vary(gr.Game.builtin("hawk_dove"), "C=-1:5:3")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: --vary C: value -1 is below the declared min 0
    """
    if "=" not in text or text.count(":") != 2:
        raise UsageError(f"--vary {text!r}: expected NAME=START:STOP:COUNT, e.g. T=5:30:26")
    name, _, rng = text.partition("=")
    name = name.strip()
    param = game.parameter(name)
    start, stop, count = rng.split(":")
    try:
        a, b, n = float(start), float(stop), int(count)
    except ValueError:
        raise UsageError(f"--vary {text!r}: START and STOP must be numbers and COUNT a whole "
                         f"number") from None
    if not (math.isfinite(a) and math.isfinite(b)) or n < 1:
        raise UsageError(f"--vary {text!r}: finite START, STOP and COUNT >= 1 expected")
    limits.check_count(f"--vary {name}: COUNT", n, "sweep_cells",
                       "sweep the grid in parts (several runs over sub-ranges)")
    values = np.linspace(a, b, n)
    for v in (values[0], values[-1]):
        param.with_value(repr(float(v)), f"--vary {name}")
    return name, values


def check_sweep_size(game, counts, samples: int) -> None:
    """Refuse, before any allocation, a sweep whose grid, starts or results exceed the limits.

    The cells are the product of the grid counts (limit ``sweep_cells``); the starting mixes of
    one cell take ``samples`` rows of ``8 * dimension`` bytes, and the results of the whole grid
    take, per cell, the counts, stability flags and shares of every vertex (``profiles + 1``
    outcomes) and the grid coordinates; both are held to the limit ``memory``.

    Parameters
    ----------
    game : Game
    counts : sequence of int
        The number of values of each varied parameter.
    samples : int
        Starting mixes per cell.

    Returns
    -------
    None

    Raises
    ------
    LimitError

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> check_sweep_size(gr.Game.builtin("hawk_dove"), [100000, 100000], 64)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: --vary: 10000000000 is above the limit `sweep_cells` ...
    """
    cells = 1
    for c in counts:
        cells *= int(c)
    limits.check_count("--vary", cells, "sweep_cells",
                       "sweep the grid in parts (several runs over sub-ranges)")
    dim = sum(game.shape)
    outcomes = math.prod(game.shape) + 1
    limits.check_allocation("sweep starting mixes", samples, 8 * dim * 4,
                            "give fewer --samples")
    limits.check_allocation("sweep results", cells, 8 * (3 * outcomes + len(counts) + 4),
                            "sweep the grid in parts (several runs over sub-ranges)")


def csv_safe(cell: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (CSV injection).

    A text cell starting with ``= + - @``, a tab or a carriage return is prefixed with ``'``
    (the OWASP advice); numbers such as ``-0.5`` are left as they are.

    Parameters
    ----------
    cell : str

    Returns
    -------
    str

    Examples
    --------
    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-0.5"), csv_safe("owner.hawk")
    ("'=HYPERLINK(1)", '-0.5', 'owner.hawk')
    """
    text = str(cell)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _pole_advice(exc: GameInputError, game, vary) -> GameInputError:
    """An infinite or undefined payoff on the grid is a pole, not a units problem: say so."""
    text = str(exc)
    if "infinite or not a number" not in text:
        return exc
    import sympy as sp

    for name, values in vary:
        sym = game.parameter(name).symbol
        for v in values:
            try:
                at = game.with_values({name: repr(float(v))}, where=f"--vary {name}")
                for profile in at.profiles():
                    for e in at.table[profile]:
                        val = at.substitute_values(e)
                        if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                            return GameInputError(
                                f"--vary {name}: a payoff is infinite or undefined at {name} = "
                                f"{float(v):g} (a pole of {sp.sstr(e)}, at "
                                f"({', '.join(game.profile_names(profile))})); choose a grid "
                                f"that avoids {name} = {float(v):g}")
            except GameInputError:
                continue
        del sym
    return GameInputError(f"a payoff is infinite or undefined somewhere on the --vary grid (a "
                          f"pole, e.g. a division by zero); choose a grid that avoids it "
                          f"({text.split(';')[0]})")


def _state_dict(game, vec) -> dict:
    out, a = {}, 0
    for pop in game.populations:
        out[pop.name] = [float(v) for v in vec[a:a + pop.k]]
        a += pop.k
    return out


def _parameters(game) -> dict:
    return {p.name: (float(p.value) if p.value is not None else None) for p in game.parameters}


# ------------------------------------------------------------------------------ simulate
def _add_simulate(sub) -> None:
    p = sub.add_parser("simulate", help="integrate one trajectory from a starting mix")
    _add_common(p)
    p.add_argument("--initial", required=True, metavar="POP=SHARE,...",
                   help="start: operator=0.3 (two strategies) or row=0.2/0.3/0.5")
    p.add_argument("--t-end", type=float, default=50.0, metavar="T",
                   help="horizon in the model's time unit (default 50)")
    p.add_argument("--points", type=count_arg, default=101, metavar="N",
                   help="number of output times (default 101)")
    p.add_argument("--no-schedules", action="store_true",
                   help="ignore the model's and scenario's parameter schedules")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--plot", metavar="FILE", help="time-series figure (.png/.svg/.pdf)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of --plot labels")
    add_dynamics_option(p)
    noise_verbs.add_noise_arguments(p, "simulate")
    delay_verbs.add_delay_argument(p)


def _run_simulate(args) -> None:

    if noise_verbs.noise_requested(args):
        return noise_verbs.run_simulate_noise(args)

    if args.output:
        from ..fileio import check_writable

        check_writable(args.output)
    _check_plot_path(args.plot)
    if not (math.isfinite(args.t_end) and args.t_end > 0):
        raise UsageError(f"--t-end {args.t_end}: expected a positive number")
    if args.points < 2:
        raise UsageError(f"--points {args.points}: expected at least 2")
    limits.check_count("--points", args.points, "points",
                       "write fewer points and integrate in parts with a smaller --t-end")
    game = resolve_dynamics(args, load_game(args))  # --dynamics wins over [dynamics]
    delay = delay_verbs.delay_of(args, game)
    # times, states and the rendered rows: about three float64 copies of each row
    limits.check_allocation("simulate output", args.points, 8 * 3 * (1 + sum(game.shape)),
                            "give fewer --points")
    x0 = parse_initial(game, args.initial)
    schedules = () if args.no_schedules else _schedules(game)
    sim = delay_verbs.run_simulation(delay, game, x0, args.t_end, args.points, schedules)
    settled = None if sim.settled_state is None else _state_dict(game, sim.settled_state)
    if args.format == "json":
        data = {
            "model": game.name, "scenario": game.scenario, "parameters": _parameters(game),
            "initial": _state_dict(game, sim.initial),
            "t": [float(t) for t in sim.times],
            "states": {pop: [[float(v) for v in row] for row in arr]
                       for pop, arr in sim.population_states().items()},
            "final": _state_dict(game, sim.final),
            "settled_at": settled,
            "settled_time": sim.settled_time,
            "dynamics": dynamics_json(game),
            "time_unit": game.time_unit,
            "schedules": [{"parameter": s.parameter, "kind": s.kind, "times": list(s.times),
                           "values": list(s.values),
                           **({"expression": str(s.expression)} if s.kind == "expression"
                              else {})} for s in schedules],
            "method": {"integrator": sim.method, "rtol": sim.rtol, "atol": sim.atol,
                       "backend": sim.backend},
        }
        if delay is not None:
            data["delay"] = delay_verbs.delay_json(game, delay)
        text = to_json(data)
    elif args.format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["t"] + [csv_safe(f"{p.name}.{s}") for p in game.populations
                            for s in p.strategies])
        for t, row in zip(sim.times, sim.states, strict=True):
            w.writerow([repr(float(t))] + [repr(float(v)) for v in row])
        text = buf.getvalue()
    else:
        cols = [f"{p.name}.{p.strategies[0]}" for p in game.populations]
        idx, a = [], 0
        for p in game.populations:
            idx.append(a)
            a += p.k
        lines = [f"Model: {game.name}" + (f", scenario {game.scenario}" if game.scenario else ""),
                 f"time unit: {game.time_unit}; integrator {sim.method} rtol={sim.rtol:g}"
                 + ("" if game.dynamics.kind == "replicator"
                    else f"; dynamics {game.dynamics.describe()}"), "",
                 "t".rjust(8) + "".join(c.rjust(max(12, len(c) + 2)) for c in cols)]
        step = max(1, len(sim.times) // 20)
        rows = list(range(0, len(sim.times), step))
        if rows[-1] != len(sim.times) - 1:
            rows.append(len(sim.times) - 1)
        for i in rows:
            lines.append(f"{sim.times[i]:8.3f}" + "".join(
                f"{sim.states[i, j]:.6f}".rjust(max(12, len(c) + 2)) for j, c in zip(idx, cols,
                                                                                    strict=True)))
        lines.append("")
        lines.append(settling_text(game, sim))
        if delay is not None:
            lines.append(delay_verbs.delay_text(game, delay))
        text = "\n".join(lines) + "\n"
    if args.plot:
        from .figures import save_simulation_figure

        plot_sim = sim if args.points >= 1001 else delay_verbs.run_simulation(  # dense output
            delay, game, x0, args.t_end, 1001, schedules)
        save_simulation_figure(plot_sim, game, args.plot, lang=getattr(args, "lang", "en"))
    emit(text, args.output)


def settling_text(game, sim) -> str:
    """The last line of ``simulate``'s text output: how the trajectory ends, in honest words.

    :func:`~gametheory_regen.analysis.batch.simulate` reports a settling time in two senses,
    told apart by the state it reports (velocity settling happens only away from the vertices):

    * ``"box"``: the path entered the forward-invariant box of that strict Nash vertex at
      ``settled_time`` and provably converges to it, but it is still moving (the shares only
      approach 0 and 1 as t grows);
    * ``"stable vertex"``: from ``settled_time`` on the path stays within ``match_tol`` of a
      vertex whose eigenvalues are all negative (no invariant box is known for these payoffs
      or this dynamics): it approaches that vertex, by linearisation near it;
    * ``"speed"``: the velocity fell below the settling tolerance at ``settled_time``; the
      state is at rest from then on;
    * ``"noise floor"``: from ``settled_time`` on the speed stayed below what the integrator's
      tolerances can resolve; the path is at rest as far as the integration can tell.

    Parameters
    ----------
    game : Game
    sim : Simulation

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.batch import simulate
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> print(settling_text(hd, simulate(hd, [0.3, 0.7, 0.6, 0.4], 10.0)))
    converging to (dove, hawk): inside its invariant box from t = 1.45, so it tends to this
    vertex without reaching it
    >>> print(settling_text(hd, simulate(hd, [0.3, 0.7, 0.6, 0.4], 0.5)))
    not settled by t = 0.5
    """
    if sim.settled_state is None:
        return f"not settled by t = {sim.t_end:g}"
    state = np.asarray(sim.settled_state)
    if sim.settled_by in ("box", "stable vertex"):  # converging to a vertex, not at rest
        a, names = 0, []
        for pop in game.populations:
            names.append(pop.strategies[int(np.argmax(state[a:a + pop.k]))])
            a += pop.k
        if sim.settled_by == "box":
            return (f"converging to ({', '.join(names)}): inside its invariant box from "
                    f"t = {sim.settled_time:.4g}, so it tends to this vertex without reaching it")
        return (f"converging to ({', '.join(names)}): within {sim.integrator.match_tol:g} of this "
                f"linearly stable vertex from t = {sim.settled_time:.4g}")
    if sim.settled_by == "noise floor":
        from gametheory_regen.analysis.settling import noise_floor

        return (f"at rest from t = {sim.settled_time:.4g} (speed below the integrator's "
                f"resolution {noise_floor(sim.integrator):.3g}): {_state_dict(game, state)}")
    return (f"at rest from t = {sim.settled_time:.4g} (speed below {sim.settle_tol:g}): "
            f"{_state_dict(game, state)}")


def _schedules(game):
    scheds = list(game.schedules)
    if game.scenario and game.scenario in game.scenarios:
        own = {s.parameter for s in game.scenarios[game.scenario].schedules}
        scheds = [s for s in scheds if s.parameter not in own]
        scheds += list(game.scenarios[game.scenario].schedules)
    return tuple(scheds)


# ------------------------------------------------------------------------------ sweep
def _add_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="stable outcomes and basin shares over a parameter grid")
    _add_common(p)
    p.add_argument("--vary", action="append", required=True, metavar="NAME=START:STOP:COUNT",
                   help="a parameter and its grid (one or two --vary)")
    p.add_argument("--samples", type=count_arg, default=64, metavar="N",
                   help="starting mixes per cell (seeded Sobol sample; default 64)")
    p.add_argument("--seed", type=count_arg, default=0)
    p.add_argument("--t-end", type=float, default=100.0, metavar="T")
    p.add_argument("--format", choices=("json", "csv", "text"), default="json")
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--plot", metavar="FILE", help="regime map (.png/.svg/.pdf)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of --plot labels")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run chunks on a Dask cluster, e.g. dask://127.0.0.1:8786")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_dynamics_option(p)
    noise_verbs.add_noise_arguments(p, "sweep")
    p.add_argument("--no-schedules", action="store_true",
                   help="ignore the model's and scenario's parameter schedules")
    delay_verbs.add_delay_argument(p)


def _run_sweep(args) -> None:

    if noise_verbs.noise_requested(args):
        return noise_verbs.run_sweep_noise(args)

    if args.output:
        from ..fileio import check_writable

        check_writable(args.output)
    _check_plot_path(args.plot)
    if args.samples < 1:
        raise UsageError(f"--samples {args.samples}: expected at least 1")
    if not (math.isfinite(args.t_end) and args.t_end > 0):
        raise UsageError(f"--t-end {args.t_end}: expected a positive number")
    if len(args.vary) > 2:
        raise UsageError("--vary: give one or two parameters")
    limits.check_count("--samples", args.samples, "samples")
    game = resolve_dynamics(args, load_game(args))  # --dynamics wins over [dynamics]
    delay = delay_verbs.delay_of(args, game)
    schedules = () if args.no_schedules else _schedules(game)
    vary = [parse_vary(game, v) for v in args.vary]
    check_sweep_size(game, [len(vals) for _, vals in vary], args.samples)
    if len({n for n, _ in vary}) != len(vary):
        raise UsageError("--vary: the same parameter twice")
    varied = {n for n, _ in vary}
    missing = [n for n in game.free_parameters if n not in varied]
    if missing:
        raise GameInputError(f"parameters without values: {', '.join(missing)}; give them with "
                             f"--set NAME=VALUE")
    with ProgressBar("sweep", enabled=not args.quiet) as bar, np.errstate(all="ignore"):
        try:
            res = delay_verbs.run_sweep(delay, game, vary, samples=args.samples,
                                        seed=args.seed, t_end=args.t_end,
                                        scheduler=args.scheduler, progress=bar.update,
                                        schedules=schedules)
        except GameInputError as exc:
            raise _pole_advice(exc, game, vary) from exc
    # plain Python numbers, built once per array (tolist) and per vertex, not per cell
    shares = res.shares.tolist()
    low, high = (a.tolist() for a in res.intervals())
    counts = res.basin_counts.tolist()
    stable_of = res.stable.tolist()
    unsettled = res.not_settled.tolist()
    vertex = [_state_dict(game, v) for v in res.vertices]
    vertex_names = [_vertex_strategies(game, v) for v in res.vertices]
    grids = [[float(v) for v in vals] for vals in res.values]
    nv = res.vertices.shape[0]
    cells = []
    other = _other_attractor_entries(game, res)
    for flat, index in enumerate(np.ndindex(*res.shape)):
        at = {name: grid[i] for name, grid, i in zip(res.names, grids, index, strict=True)}
        sh, lo, hi, cn, st = shares, low, high, counts, stable_of
        for i in index:
            sh, lo, hi, cn, st = sh[i], lo[i], hi[i], cn[i], st[i]
        ns = unsettled
        for i in index:
            ns = ns[i]
        basins = [{"attractor": vertex[v], "attractor_strategies": vertex_names[v],
                   "share": sh[v], "interval": [lo[v], hi[v]]}
                  for v in range(nv) if cn[v] > 0]
        basins += other[flat]  # interior and boundary attractors (dynamics other than the
        # replicator, single-population games)
        if ns > 0:
            basins.append({"attractor": None, "attractor_strategies": None, "share": sh[-1],
                           "interval": [lo[-1], hi[-1]]})
        cells.append({"at": at, "stable": [vertex[v] for v in range(nv) if st[v]]
                      + [b["attractor"] for b in other[flat]],
                      "basins": basins,
                      "stable_strategies": [vertex_names[v] for v in range(nv) if st[v]]})
    if args.format == "json":
        data = {
            "model": game.name, "scenario": game.scenario, "parameters": _parameters(game),
            "vary": [{"name": n, "values": [float(v) for v in vals]} for n, vals in vary],
            "samples": res.samples, "t_end": res.t_end, "cells": cells,
            "dynamics": dynamics_json(game),
            **({"delay": delay} if delay is not None else {}),
            **({"schedules": [{"parameter": s.parameter, "kind": s.kind,
                               "times": list(s.times), "values": list(s.values),
                               **({"expression": str(s.expression)}
                                  if s.kind == "expression" else {})} for s in schedules]}
               if schedules else {}),
            "method": {"sampler": res.sampler, "seed": res.seed, "integrator": res.method,
                       "rtol": res.rtol, "match_tol": res.match_tol,
                       "confidence": res.confidence, "backend": res.backend,
                       "scheduler": res.scheduler,
                       "stable_from": getattr(res, "stable_basis", "linearisation")},
        }
        text = to_json_large(data)
    elif args.format == "text":
        text = sweep_text(game, res, cells)
    else:
        shares = res.shares
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        labels = ["(" + ", ".join(game.profile_names(p)) + ")" for p in game.profiles()]
        extra = any(other)  # a column for the attractors that are not vertices
        w.writerow([csv_safe(n) for n in res.names] + [f"stable {lab}" for lab in labels]
                   + [f"basin {lab}" for lab in labels] + ["basin not settled"]
                   + (["basin other attractors"] if extra else []))
        for flat, index in enumerate(np.ndindex(*res.shape)):
            w.writerow([repr(float(vals[i])) for vals, i in zip(res.values, index, strict=True)]
                       + [int(b) for b in res.stable[index]]
                       + [repr(float(s)) for s in shares[index]]
                       + ([repr(float(sum(b["share"] for b in other[flat])))] if extra else []))
        text = buf.getvalue()
    if args.plot:
        from .figures import save_sweep_figure

        # with non-vertex attractors the figure reads the cells (its own reading of a
        # SweepResult knows the vertices only)
        plotted = {"vary": [{"name": n, "values": [float(v) for v in vals]} for n, vals in vary],
                   "cells": cells} if any(other) else res
        save_sweep_figure(plotted, game, args.plot, lang=getattr(args, "lang", "en"))
    emit(text, args.output)


def _other_attractor_entries(game, res) -> list[list[dict]]:
    """Per cell (C order), the basin entries of the attractors that are not vertices.

    Each is ``{"attractor": state, "attractor_strategies": None, "share", "interval",
    "kind": "interior" | "boundary"}`` (Contract 3's basin entry with two keys more).
    """
    from ..analysis.basins import wilson_interval

    out = []
    ncell = int(np.prod(res.shape))
    states = getattr(res, "other_attractors", ()) or ((),) * ncell
    counts = getattr(res, "other_counts", ()) or ((),) * ncell
    for st, cn in zip(states, counts, strict=True):
        cell = []
        for x, n in zip(st, cn, strict=True):
            lo, hi = wilson_interval(int(n), res.samples, res.confidence)
            kind = "interior" if np.all(np.asarray(x) > 0.0) else "boundary"
            cell.append({"attractor": _state_dict(game, x), "attractor_strategies": None,
                         "share": int(n) / res.samples, "interval": [float(lo), float(hi)],
                         "kind": kind})
        out.append(cell)
    return out


def _vertex_strategies(game, state) -> dict | None:
    """Population -> strategy of a pure state (None for a mixed one)."""
    state = np.asarray(state, dtype=float)
    out, a = {}, 0
    for pop in game.populations:
        block = state[a:a + pop.k]
        j = int(np.argmax(block))
        if abs(block[j] - 1.0) > 1e-9:
            return None
        out[pop.name] = pop.strategies[j]
        a += pop.k
    return out


def sweep_text(game, res, cells) -> str:
    """``sweep --format text``: a table of the grid with the outcomes named by their strategies.

    One row per grid cell: the parameter values, the stable pure outcomes, and the share of
    starting mixes reaching each outcome (``not settled``: by ``t_end``), with a legend naming
    each outcome's strategies.

    Parameters
    ----------
    game : Game
    res : SweepResult
    cells : list of dict
        The cells of the sweep JSON.

    Returns
    -------
    str

    Examples
    --------
    >>> from gametheory_regen.presentation.cli import main
    >>> main(["sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "8", "--format", "text",
    ...       "--quiet"])
    sweep of hawk_dove: 8 starts per cell, t_end = 100
    outcomes: O1 = (hawk, hawk), O2 = (hawk, dove), O3 = (dove, hawk)
    <BLANKLINE>
    C  stable  O1  O2   O3
    -  ------  --  ---  ---
    1  O1      1   0    0
    4  O2, O3  0   0.5  0.5
    0
    """
    from .i18n import align_columns

    labels: dict[str, str] = {}

    def name(strats):
        if strats is None:
            return "not settled"
        if isinstance(strats, str):  # a state that is not a vertex, already written out
            text = strats
        else:
            text = "(" + ", ".join(strats[p.name] for p in game.populations) + ")"
        return labels.setdefault(text, f"O{len(labels) + 1}") if text not in labels else labels[text]

    def key(basin):
        if basin["attractor"] is not None and basin["attractor_strategies"] is None:
            return "(" + ", ".join("/".join(f"{v:.4g}" for v in basin["attractor"][p.name])
                                   for p in game.populations) + ")"
        return basin["attractor_strategies"]

    for prof in game.profiles():  # number the outcomes in profile order, as they occur
        strats = {p.name: p.strategies[i] for p, i in zip(game.populations, prof, strict=True)}
        if any(strats in c["stable_strategies"] or any(b["attractor_strategies"] == strats
                                                      for b in c["basins"]) for c in cells):
            name(strats)
    for c in cells:
        for b in c["basins"]:
            if b["attractor"] is not None and b["attractor_strategies"] is None:
                name(key(b))
    unsettled = any(b["attractor"] is None for c in cells for b in c["basins"])
    head = list(res.names) + ["stable"] + list(labels.values()) + (
        ["not settled"] if unsettled else [])
    rows = [head]
    for c in cells:
        share = {name(key(b)): b["share"] for b in c["basins"]}
        others = [name(key(b)) for b in c["basins"]
                  if b["attractor"] is not None and b["attractor_strategies"] is None]
        rows.append([f"{c['at'][n]:g}" for n in res.names]
                    + [", ".join([name(s) for s in c["stable_strategies"]] + others) or "none"]
                    + [f"{share.get(k, 0.0):.4g}" for k in labels.values()]
                    + ([f"{share.get('not settled', 0.0):.4g}"] if unsettled else []))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    rule = ["-" * w for w in widths]
    table = align_columns([rows[0], rule, *rows[1:]])
    legend = ", ".join(f"{v} = {k}" for k, v in labels.items())
    dyn = "" if game.dynamics.kind == "replicator" else f", dynamics {game.dynamics.describe()}"
    lines = [f"sweep of {game.name}" + (f" (scenario {game.scenario})" if game.scenario else "")
             + f": {res.samples} starts per cell, t_end = {res.t_end:g}{dyn}",
             f"outcomes: {legend}", "", *table]
    return "\n".join(lines) + "\n"


register("simulate", _add_simulate, _run_simulate)
register("sweep", _add_sweep, _run_sweep)

r"""Shares over time: :func:`plot_time_series` and :func:`plot_evolution_paths`.

A trajectory :math:`t \mapsto x(t)` of the replicator dynamics
:math:`\dot x_{p,i} = x_{p,i}\,(f_{p,i}(x) - \bar f_p(x))` is drawn as each population's shares
against time (the first share of a two-strategy population, every share of a larger one);
:func:`plot_evolution_paths` draws one population's share from one start for several values of
one parameter, the classic figure of tripartite evolutionary-game papers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import GameInputError
from .fig_fonts import _check_glyphs, _style, plt
from .fig_states import _as_full, _initial_state, _offsets
from .fig_style import _LANG, _new_axes, _palette, _share_label, _tr

__all__ = ["plot_time_series", "plot_evolution_paths"]


def _unpack_result(result):
    """``(times, states)`` from a result object, a JSON-like mapping or a pair."""
    if isinstance(result, tuple) and len(result) == 2:
        return np.asarray(result[0], dtype=float), result[1]
    if isinstance(result, Mapping):
        times = result.get("t", result.get("times"))
        return np.asarray(times, dtype=float), result["states"]
    for tname in ("t", "times", "t_out", "time"):
        if hasattr(result, tname):
            times = getattr(result, tname)
            break
    else:
        raise GameInputError(
            "plot_time_series: expected a (times, states) pair, a mapping with 't' and 'states', "
            f"or a result with .t/.times and .states; got {type(result).__name__}")
    for sname in ("states", "output", "trajectories", "x"):
        if hasattr(result, sname):
            return np.asarray(times, dtype=float), getattr(result, sname)
    raise GameInputError(f"plot_time_series: {type(result).__name__} has no states")


def plot_time_series(result_or_times_states, game, ax=None, panels: str = "single"):
    """Every population's shares over time.

    Parameters
    ----------
    result_or_times_states : tuple or mapping or result object
        ``(times, states)`` with ``states`` of shape ``(T, N)`` (full shares, populations
        concatenated), ``(T, d)`` (reduced coordinates), ``(m, T, ...)`` (several trajectories)
        or a mapping population -> ``(T, k)``; or a mapping/result with ``t`` and ``states``
        (e.g. the simulate JSON of DESIGN.md).
    game : Game
        For the labels.
    ax : matplotlib Axes or sequence of Axes, optional
    panels : {"single", "population"}
        One panel (the first strategy's share of each two-strategy population, every share of a
        larger one) or one panel per population (every share).

    Returns
    -------
    Axes (``panels="single"``) or Figure (``panels="population"``)

    Raises
    ------
    GameInputError
        Another ``panels``; states that do not fit the game or the times.

    Examples
    --------
    In hawk-dove the owner gives up hawk and the intruder takes it up:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> sim = gr.simulate(hd, [0.3, 0.7, 0.6, 0.4], t_end=5.0, n_points=11, backend="numpy")
    >>> ax = plot_time_series(sim, hd)
    >>> [line.get_label() for line in ax.get_lines()], ax.get_xlabel()
    (['x (owner: hawk)', 'y (intruder: hawk)'], 'time (year)')
    >>> [round(float(line.get_ydata()[-1]), 3) for line in ax.get_lines()]
    [0.015, 0.983]
    >>> plt.close(ax.figure)
    >>> fig = plot_time_series(sim, hd, panels="population")
    >>> [a.get_ylabel() for a in fig.axes], [len(a.get_lines()) for a in fig.axes]
    (['owner (x)', 'intruder (y)'], [2, 2])
    >>> plt.close(fig)
    """
    if panels not in ("single", "population"):
        raise GameInputError(f"panels must be 'single' or 'population'; got {panels!r}")
    times, states = _unpack_result(result_or_times_states)
    full = _as_full(game, states)
    if full.ndim == 2:
        full = full[None]
    if full.shape[1] != len(times):
        raise GameInputError(f"plot_time_series: {len(times)} times but states have "
                             f"{full.shape[1]} rows")
    off = _offsets(game)
    unit = game.time_unit or "time"
    with _style():
        if panels == "single":
            ax = _new_axes(ax, figsize=(6.5, 4.0))
            colors = _palette(sum(1 if p.k == 2 else p.k for p in game.populations))
            c = 0
            for p, pop in enumerate(game.populations):
                strategies = [0] if pop.k == 2 else range(pop.k)
                for i in strategies:
                    label = (f"{pop.symbol} ({pop.name}: {pop.strategies[i]})" if pop.k == 2
                             else f"{pop.name}: {pop.strategies[i]}")
                    for j, traj in enumerate(full):
                        ax.plot(times, traj[:, off[p] + i], color=colors[c], lw=1.6,
                                label=label if j == 0 else None)
                    c += 1
            ax.set_xlabel(f"{_tr('time')} ({unit})")
            ax.set_ylabel(_tr("share_of") if _LANG[-1] == "zh" else "share")
            ax.set_ylim(-0.02, 1.02)
            ax.legend(loc="best", fontsize="small")
            ax.set_title(game.title or game.name, fontsize="medium")
            _check_glyphs(ax.figure)
            return ax
        n = game.n_populations
        if ax is None:
            fig, axes = plt.subplots(n, 1, figsize=(6.5, 2.2 * n), sharex=True, squeeze=False,
                                     layout="constrained")
            axes = list(axes[:, 0])
        else:
            axes = list(np.ravel(ax))
            if len(axes) != n:
                raise GameInputError(f"panels='population' needs {n} axes, got {len(axes)}")
            fig = axes[0].figure
        for p, (pop, pax) in enumerate(zip(game.populations, axes, strict=True)):
            colors = _palette(pop.k)
            for i in range(pop.k):
                for j, traj in enumerate(full):
                    pax.plot(times, traj[:, off[p] + i], color=colors[i], lw=1.4,
                             label=pop.strategies[i] if j == 0 else None)
            pax.set_ylabel(f"{pop.name} ({pop.symbol})")
            pax.set_ylim(-0.02, 1.02)
            pax.legend(loc="best", fontsize="small")
        axes[-1].set_xlabel(f"{_tr('time')} ({unit})")
        fig.suptitle(game.title or game.name, fontsize="medium")
        _check_glyphs(fig)
        return fig


def plot_evolution_paths(game, parameter: str, values: Sequence[float], population=None, *,
                         initial=None, t_end: float = 20.0, ax=None, schedules=None):
    """One population's share over time for several values of one parameter.

    The classic figure of tripartite evolutionary-game papers: the same starting mix, the
    evolution of (say) the operator's share of "operate" for a handful of subsidy levels.

    Parameters
    ----------
    game : Game
        Every parameter but ``parameter`` needs a value.
    parameter : str
    values : sequence of float
    population : str, optional
        The population whose first strategy's share is drawn (default the first population).
    initial : mapping or array_like, optional
        Starting state: population name -> share of the first strategy (two strategies) or all
        shares; or a full-share vector.  Default: every share 1/2 (uniform for larger
        populations).
    t_end : float
    ax : Axes, optional
    schedules : sequence of Schedule, optional
        Time schedules of *other* parameters applied on every path (e.g. a subsidy that ends).

    Returns
    -------
    Axes

    Raises
    ------
    GameInputError
        An unknown parameter or population, no values, another parameter without a value, or
        a bad ``initial``.

    Examples
    --------
    From the uniform mix, hawk-dove stays on the diagonal and heads for the saddle at
    ``x = y = V/C`` (``C = 4``):

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> ax = plot_evolution_paths(hd, "V", [1.0, 2.0, 3.0], t_end=5.0)
    >>> [line.get_label() for line in ax.get_lines()]
    ['V = 1', 'V = 2', 'V = 3']
    >>> [round(float(line.get_ydata()[-1]), 3) for line in ax.get_lines()]
    [0.277, 0.5, 0.723]
    >>> ax.get_ylabel()
    'x: share of owner playing hawk'
    >>> plt.close(ax.figure)
    """
    pop = game.populations[0] if population is None else game.population(population)
    game.parameter(parameter)  # unknown name -> clear error
    values = [float(v) for v in values]
    if not values:
        raise GameInputError("plot_evolution_paths: give at least one parameter value")
    missing = [n for n in game.free_parameters if n != parameter]
    if missing:
        raise GameInputError(f"plot_evolution_paths: parameters without a value: "
                             f"{', '.join(missing)}")
    x0 = _initial_state(game, initial)
    from ..analysis.portraits import parameter_trajectories

    t_out, traj = parameter_trajectories(game, parameter, values, x0, t_end, schedules)
    p = game.population_index(pop.name)
    col = _offsets(game)[p]
    param = game.parameter(parameter)
    with _style():
        ax = _new_axes(ax, figsize=(6.4, 4.2))
        cmap = plt.get_cmap("viridis")
        for j, v in enumerate(values):
            color = cmap(j / max(1, len(values) - 1) * 0.9)
            ax.plot(t_out, traj[j, :, col], color=color, lw=1.6, label=f"{parameter} = {v:g}")
        unit = f" ({param.unit})" if param.unit else ""
        ax.legend(title=f"{parameter}{unit}", fontsize="small", loc="best")
        ax.set_xlabel(f"{_tr('time')} ({game.time_unit or 'time'})")
        ax.set_ylabel(_share_label(pop))
        ax.set_ylim(-0.02, 1.02)
        desc = f" — {param.description}" if param.description else ""
        ax.set_title(f"{game.title or game.name}\nvarying {parameter}{desc}"[:160],
                     fontsize="small")
        _check_glyphs(ax.figure)
    return ax

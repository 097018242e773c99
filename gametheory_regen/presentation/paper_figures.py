"""Figures of the paper: threshold surfaces, evolution paths, the sensitivity grid.

These functions only draw plain data computed by :mod:`gametheory_regen.analysis.portraits`
(trajectories from :func:`gametheory_regen.simulate`, threshold surfaces); nothing here
integrates or evaluates expressions.  Every figure of a model uses one colour per outcome,
:func:`outcome_colours`, fixed by the game's list of pure profiles (so "everyone cooperates"
has the same colour in every figure and every scenario of a model); legends sit outside the
data; size and resolution are arguments; PDF and SVG output are vector.
"""

from __future__ import annotations

import numpy as np

from .fig_fonts import _check_glyphs, _style, plt
from .fig_style import OUTCOME_PALETTE
from .i18n import tr

__all__ = ["axis_label", "outcome_colours", "outcome_of", "parameter_label", "plot_bifurcation",
           "plot_paths",
           "plot_sensitivity_grid", "plot_threshold_surface"]

UNSETTLED = "#9e9e9e"


def outcome_colours(game) -> dict[tuple[int, ...], str]:
    """Pure profile -> colour, fixed by the order of the game's profiles.

    Parameters
    ----------
    game : Game

    Returns
    -------
    dict of tuple of int to str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> colours = outcome_colours(gr.Game.builtin("hawk_dove"))
    >>> colours[(0, 1)], len(colours)
    ('#d95f02', 4)
    """
    return {prof: OUTCOME_PALETTE[i % len(OUTCOME_PALETTE)]
            for i, prof in enumerate(game.profiles())}


def outcome_of(game, state, tol: float = 0.02) -> tuple[int, ...] | None:
    """The pure profile a full-share state is within ``tol`` of (every share), or None.

    Parameters
    ----------
    game : Game
    state : array_like
        ``(N,)`` full shares.
    tol : float

    Returns
    -------
    tuple of int or None

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> outcome_of(gr.Game.builtin("hawk_dove"), [0.995, 0.005, 0.01, 0.99])
    (0, 1)
    """
    state = np.asarray(state, dtype=float)
    prof, i = [], 0
    for pop in game.populations:
        shares = state[i:i + pop.k]
        j = int(np.argmax(shares))
        if shares[j] < 1 - tol:
            return None
        prof.append(j)
        i += pop.k
    return tuple(prof)


def parameter_label(p, value=None, lang: str = "en") -> str:
    """``T = 20 years (operating-right term)``: symbol, value, unit and short description.

    Parameters
    ----------
    p : Parameter
    value : float, optional
        Default: the parameter's value.
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> parameter_label(gr.Game.builtin("regeneration").parameters[0])
    'T = 20 years (operating-right term = contract term)'
    """
    v = float(p.value) if value is None and p.value is not None else value
    desc = (p.description or "").split(" (")[0].split("（")[0]
    text = p.name + (f" = {v:.4g}" if v is not None else "")
    if p.unit:
        text += f" {p.unit}"
    return text + (f" ({desc})" if desc else "")


def axis_label(pop, lang: str = "en") -> str:
    """``x: share of government choosing enable`` (the population's first strategy).

    Parameters
    ----------
    pop : Population
    lang : str

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> axis_label(gr.Game.builtin("regeneration").populations[0], "zh")
    'x: government 选择比例 enable'
    """
    sym = pop.share_names()[0]
    if lang == "zh":
        return f"{sym}: {pop.name} {tr('share_of', lang)} {pop.strategies[0]}"
    return f"{sym}: share of {pop.name} choosing {pop.strategies[0]}"


def _short_title(pop, lang: str = "en") -> str:
    """``x: government → enable``: a panel title that fits a third of the page."""
    return f"{pop.share_names()[0]}: {pop.name} → {pop.strategies[0]}"


def _time_label(game, lang):
    return f"{tr('time', lang)} ({getattr(game, 'time_unit', 'year')})"


def plot_paths(paths, game, lang: str = "en", figsize=(7.0, 2.4)):
    """One panel per population: its shares over time from every start.

    A two-strategy population shows the share of its first strategy; a larger one every
    share, one line style per strategy.  Lines are coloured by the outcome reached.

    Parameters
    ----------
    paths : list of dict
        From :func:`gametheory_regen.analysis.portraits.evolution_paths`.
    game : Game
    lang : str
    figsize : tuple of float
        Inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.portraits import evolution_paths
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> fig = plot_paths(evolution_paths(hd, [(0.6, 0.4), (0.4, 0.6)], 5.0, 50), hd)
    >>> len(fig.axes)
    2
    """
    colours = outcome_colours(game)
    offsets = np.cumsum([0] + [pop.k for pop in game.populations])
    styles = ("-", "--", ":", "-.")
    with _style():
        fig, axes = plt.subplots(1, game.n_populations, figsize=figsize, sharey=True,
                                      layout="constrained", squeeze=False)
        seen = {}
        for ax, (p, pop) in zip(axes[0], enumerate(game.populations), strict=True):
            shown = [0] if pop.k == 2 else list(range(pop.k))   # two strategies: the first
            for path in paths:
                prof = outcome_of(game, path["states"][-1])
                colour = colours.get(prof, UNSETTLED)
                for j in shown:
                    line, = ax.plot(path["t"], path["states"][:, offsets[p] + j], color=colour,
                                    lw=1.0, ls=styles[j % len(styles)])
                label = ("(" + ", ".join(game.profile_names(prof)) + ")" if prof is not None
                         else tr("unsettled", lang))
                seen.setdefault(label, line)
            ax.set_xlabel(_time_label(game, lang))
            if pop.k == 2:
                ax.set_title(_short_title(pop, lang), fontsize=8)
            else:
                ax.set_title(f"{pop.name}: " + ", ".join(
                    f"{s} ({styles[j % len(styles)]})" for j, s in enumerate(pop.strategies)),
                    fontsize=8)
            ax.set_ylim(-0.02, 1.02)
        axes[0][0].set_ylabel(tr("share_of", lang))
        fig.legend(list(seen.values()), list(seen), loc="outside lower center",
                   ncol=min(len(seen), 3), fontsize=7, frameon=False)
        _check_glyphs(fig)
    return fig


def plot_sensitivity_grid(runs: dict, game, lang: str = "en", figsize=None):
    """The classic grid: a row per parameter, a column per party, a line per parameter value.

    Parameters
    ----------
    runs : dict of str to list of dict
        Parameter name -> :func:`gametheory_regen.analysis.portraits.parameter_paths`.
    game : Game
    lang : str
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.portraits import parameter_paths
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> fig = plot_sensitivity_grid({"V": parameter_paths(hd, "V", [1, 2, 3], (0.6, 0.4), 5.0,
    ...                                                   40)}, hd)
    >>> len(fig.axes)
    2
    """
    binary = [i for i, pop in enumerate(game.populations) if pop.k == 2]
    offsets = np.cumsum([0] + [pop.k for pop in game.populations])
    params = {p.name: p for p in game.parameters}
    figsize = figsize or (7.0, 1.9 * max(1, len(runs)) + 0.4)
    cmap = plt.get_cmap("viridis")
    with _style():
        fig, axes = plt.subplots(len(runs), len(binary), figsize=figsize, sharex=True,
                                      sharey=True, layout="constrained", squeeze=False)
        for r, (name, series) in enumerate(runs.items()):
            handles = []
            for k, run in enumerate(series):
                colour = cmap(k / max(1, len(series) - 1) * 0.85)
                for c, p in enumerate(binary):
                    line, = axes[r][c].plot(run["t"], run["states"][:, offsets[p]],
                                            color=colour, lw=1.0)
                handles.append((line, parameter_label(params[name], run["value"], lang)
                                .split(" (")[0]))
            axes[r][-1].legend([h for h, _ in handles], [lbl for _, lbl in handles],
                               loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7,
                               frameon=False)
            for c, p in enumerate(binary):
                if r == 0:
                    axes[r][c].set_title(_short_title(game.populations[p], lang), fontsize=8)
                if c == 0:
                    axes[r][c].set_ylabel(tr("share_of", lang), fontsize=8)
                axes[r][c].set_ylim(-0.02, 1.02)
        for c in range(len(binary)):
            axes[-1][c].set_xlabel(_time_label(game, lang))
        _check_glyphs(fig)
    return fig


def plot_threshold_surface(surface: dict, game, party, lang: str = "en", figsize=(3.6, 3.2)):
    """The 3-D figure of one party's threshold surface in the unit cube, with the two regions
    labelled (where the party's share goes to 1, where it goes to 0) when the side is decided
    at the parameter values.

    Parameters
    ----------
    surface : dict
        From :func:`gametheory_regen.analysis.portraits.threshold_surface`.
    game : Game
    party : SingleParty
    lang : str
    figsize : tuple of float

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.analysis.portraits import single_party_analysis, threshold_surface
    >>> g = gr.Game.builtin("regeneration")
    >>> party = single_party_analysis(g)[2]
    >>> fig = plot_threshold_surface(threshold_surface(g, party, 9), g, party)
    >>> fig.axes[0].name
    '3d'
    """
    coords = [None, None, None]
    free = [i for i in range(3) if i != surface["axis"]]
    coords[free[0]], coords[free[1]] = surface["u"], surface["v"]
    coords[surface["axis"]] = surface["w"]
    with _style():
        fig = plt.figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot(projection="3d")
        ax.plot_surface(*coords, color=OUTCOME_PALETTE[2], alpha=0.55, linewidth=0.2,
                        edgecolor="#333333")
        for i, setter in enumerate((ax.set_xlabel, ax.set_ylabel, ax.set_zlabel)):
            setter(axis_label(game.populations[i], lang).split(":")[0], fontsize=8)
        ax.set_xlim(0, 1), ax.set_ylim(0, 1), ax.set_zlim(0, 1)
        sign = surface.get("slope_sign")
        x = str(party.variable)
        if sign:  # the two regions: above the surface the party's share goes to 1 when a > 0
            above, below = (f"{x} → 1", f"{x} → 0") if sign > 0 else (f"{x} → 0", f"{x} → 1")
            w = surface["w"]
            level = float(np.nanmean(w)) if np.isfinite(w).any() else 0.5
            for text, pos in ((above, (1.0 + level) / 2), (below, level / 2)):
                at = [0.5, 0.5, 0.5]
                at[surface["axis"]] = pos
                ax.text(*at, text, fontsize=8, ha="center", color="#222222")
        ax.set_title(tr("p_fig_surface", lang).format(pop=party.population), fontsize=8)
        _check_glyphs(fig)
    return fig


def plot_bifurcation(data: dict, game, lang: str = "en", figsize=(7.0, 2.6)):
    """1-D bifurcation diagram: each party's share at the stable outcomes along a parameter.

    A panel per two-strategy party; a thick segment at share 1 or 0 wherever an outcome is
    stable (one colour per outcome, as in every figure of the model), the exact thresholds
    (from :func:`gametheory_regen.threshold`) as dashed lines, the current value dotted.

    Parameters
    ----------
    data : dict
        From :func:`gametheory_regen.analysis.portraits.bifurcation_data`.
    game : Game
    lang : str
    figsize : tuple of float

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np, gametheory_regen as gr
    >>> from gametheory_regen.analysis.portraits import bifurcation_data
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> fig = plot_bifurcation(bifurcation_data(hd, "C", np.linspace(0.5, 4, 8)), hd)
    >>> len(fig.axes), len(fig.legends)
    (2, 1)
    """
    colours = outcome_colours(game)
    binary = [i for i, pop in enumerate(game.populations) if pop.k == 2]
    x = data["values"]
    param = game.parameter(data["parameter"])
    with _style():
        fig, axes = plt.subplots(1, len(binary), figsize=figsize, sharey=True,
                                      layout="constrained", squeeze=False)
        handles = {}
        for ax, p in zip(axes[0], binary, strict=True):
            for k, prof in enumerate(data["profiles"]):
                y = np.where(data["stable"][k], 1.0 if prof[p] == 0 else 0.0, np.nan)
                line, = ax.plot(x, y + (0.015 * k - 0.01), color=colours[prof], lw=3.0,
                                solid_capstyle="butt")
                handles.setdefault("(" + ", ".join(game.profile_names(prof)) + ")", line)
            for t in data["thresholds"]:
                ax.axvline(t["value"], color="black", lw=0.8, ls="--")
                ax.annotate(f"{data['parameter']}* = {t['value']:.4g}", (t["value"], 0.5),
                            rotation=90, fontsize=6, ha="right", va="center",
                            xytext=(-2, 0), textcoords="offset points")
            if data.get("current") is not None:
                ax.axvline(data["current"], color="0.5", lw=0.8, ls=":")
            ax.set_xlabel(parameter_label(param, None, lang).split(" = ")[0]
                          + (f" ({param.unit})" if param.unit else ""), fontsize=8)
            ax.set_title(_short_title(game.populations[p], lang), fontsize=8)
            ax.set_ylim(-0.1, 1.1)
        axes[0][0].set_ylabel(tr("stable_points", lang))
        fig.legend(list(handles.values()), list(handles), loc="outside lower center",
                   ncol=min(3, len(handles)), fontsize=7, frameon=False)
        _check_glyphs(fig)
    return fig

r"""Phase portraits of two-strategy populations: the unit cube and the unit square.

Three two-strategy populations live in the unit cube :math:`[0, 1]^3` of first-strategy shares
:math:`(x, y, z)` (:func:`plot_phase_portrait_3d`); two, or a 2-D slice of a larger game with the
other shares held fixed, in the unit square, where the vector field :math:`(\dot x, \dot y)` is a
streamplot with the nullclines :math:`\dot x = 0` and :math:`\dot y = 0`
(:func:`plot_phase_plane`).  Trajectories are coloured by the stable rest point they end near
(within ``attractor_tol`` in the largest share difference), grey when none.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..errors import GameInputError
from .fig_fonts import (
    _check_glyphs,
    _style,
    plt,  # noqa: F401 - the examples close their figures
)
from .fig_states import (
    _as_full,
    _attractor_index,
    _continuum_points,
    _first_shares,
    _grid_starts,
    _integrate,
    _offsets,
    _require_numeric,
)
from .fig_style import (
    _GREY,
    _LANG,
    STABILITY_STYLE,
    _new_axes,
    _profile_label,
    _share_label,
    _stability_legend,
    _word_order,
    outcome_colour,
)

__all__ = ["plot_phase_portrait_3d", "plot_phase_plane"]


def plot_phase_portrait_3d(game, analysis, trajectories=None, ax=None, *, grid: int = 3,
                           t_end: float = 50.0, attractor_tol: float = 1e-3):
    """Three two-strategy populations in the unit cube.

    Parameters
    ----------
    game : Game
        Three populations of two strategies each, every parameter with a value.
    analysis : EquilibriumAnalysis
        Of the same game (``analyze(game)``): rest points, their stability, continua.
    trajectories : array_like, optional
        ``(m, T, 6)`` full shares or ``(m, T, 3)`` first-strategy shares; default: integrated
        from a ``grid`` x ``grid`` x ``grid`` grid of interior starts over ``[0, t_end]``.
    ax : 3-D Axes, optional
    grid : int
        Starts per axis of the default grid (between 0.1 and 0.9).
    t_end : float
        Horizon of the default trajectories.
    attractor_tol : float
        A trajectory ends at a stable rest point when no share differs by more than this.

    Returns
    -------
    Axes (3-D)

    Raises
    ------
    GameInputError
        A game that is not three populations of two strategies; free parameters (when the
        trajectories must be integrated).

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> jmp = gr.Game.builtin("jordan_matching_pennies")
    >>> ax = plot_phase_portrait_3d(jmp, gr.analyze(jmp), grid=2, t_end=5.0)
    >>> len(ax.get_lines())  # 8 trajectories and their starts, 12 cube edges, 9 rest points
    37
    >>> ax.get_zlabel()
    'z: share of player3 playing heads'
    >>> plt.close(ax.figure)
    """
    if game.shape != (2, 2, 2):
        raise GameInputError(
            f"plot_phase_portrait_3d: needs three populations of two strategies each; "
            f"model {game.name!r} has shape {game.shape}")
    if trajectories is None:
        _require_numeric(game, "plot_phase_portrait_3d")
        trajectories = _integrate(game, _grid_starts(game, grid), t_end)
    traj = _as_full(game, trajectories)
    if traj.ndim == 2:
        traj = traj[None]
    finals = traj[:, -1, :]
    which = _attractor_index(analysis, finals, attractor_tol)
    stable = analysis.stable
    colors = [outcome_colour(game, r.state) for r in stable] or [_GREY]
    with _style():
        ax = _new_axes(ax, projection="3d", figsize=(6.5, 6.0))
        xyz = _first_shares(game, traj)
        for m in range(len(traj)):
            color = colors[which[m]] if which[m] >= 0 else _GREY
            ax.plot(xyz[m, :, 0], xyz[m, :, 1], xyz[m, :, 2], color=color, lw=0.9, alpha=0.85)
            ax.plot([xyz[m, 0, 0]], [xyz[m, 0, 1]], [xyz[m, 0, 2]], marker=".", color=color,
                    markersize=3)
        # cube edges
        for a in (0, 1):
            for b in (0, 1):
                kw = dict(color="0.8", lw=0.6)
                ax.plot([0, 1], [a, a], [b, b], **kw)
                ax.plot([a, a], [0, 1], [b, b], **kw)
                ax.plot([a, a], [b, b], [0, 1], **kw)
        for cont in analysis.continua:
            pts = _continuum_points(game, cont)
            if pts is not None:
                p3 = _first_shares(game, pts)
                ax.plot(p3[:, 0], p3[:, 1], p3[:, 2], color="crimson", lw=2.2)
        words = []
        for r in analysis.rest_points:
            x, y, z = (s[0] for s in r.state)
            ax.plot([x], [y], [z], linestyle="none", markersize=9, **STABILITY_STYLE[r.stability])
            if r.stability not in words:
                words.append(r.stability)
        pops = game.populations
        ax.set_xlabel(_share_label(pops[0]), fontsize="small")
        ax.set_ylabel(_share_label(pops[1]), fontsize="small")
        ax.set_zlabel(_share_label(pops[2]), fontsize="small")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_zlim(0, 1)
        handles = _stability_legend(ax, sorted(words, key=_word_order))
        for j, r in enumerate(stable):
            handles.append(Line2D([], [], color=colors[j], lw=2,
                                  label="→ " + _profile_label(game, r.state)))
        if np.any(which < 0):
            handles.append(Line2D([], [], color=_GREY, lw=2, label="→ " + (
                "no stable rest point" if _LANG[-1] == "en" else "无稳定均衡点")))
        if analysis.continua:
            handles.append(Line2D([], [], color="crimson", lw=2, label="continuum of rest points"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2,
                  fontsize="x-small", frameon=False)  # outside the cube
        ax.set_title(game.title or game.name, fontsize="medium")
        _check_glyphs(ax.figure)
    return ax


def _slice_setup(game, fixed):
    """The two free populations of a plane and the fixed shares of the others."""
    fixed = dict(fixed or {})
    names = {p.name: p for p in game.populations}
    by_symbol = {p.symbol: p.name for p in game.populations}
    fixed_named = {}
    for key, value in fixed.items():
        name = by_symbol.get(key, key)
        if name not in names:
            raise GameInputError(
                f"fixed: unknown population {key!r}; populations are "
                f"{', '.join(names)} (or their symbols {', '.join(by_symbol)})")
        pop = names[name]
        shares = np.atleast_1d(np.asarray(value, dtype=float))
        if pop.k == 2 and shares.size == 1:
            shares = np.array([shares[0], 1.0 - shares[0]])
        if shares.size != pop.k or np.any(shares < 0) or abs(shares.sum() - 1) > 1e-9:
            raise GameInputError(
                f"fixed: {name!r} needs the share of its first strategy (two strategies) or "
                f"{pop.k} shares summing to 1; got {value!r}")
        fixed_named[name] = shares
    free = [p for p in game.populations if p.name not in fixed_named]
    if len(free) != 2 or any(p.k != 2 for p in free):
        raise GameInputError(
            f"plot_phase_plane: needs exactly two free populations of two strategies each; "
            f"fix the others with fixed={{name: share}}; free now: "
            f"{[p.name for p in free]} of shape {[p.k for p in free]}")
    return free, fixed_named


def _plane_constants(game, fixed_named) -> dict:
    """Share variable -> value for the populations held fixed on the slice."""
    constants = {}
    for pop in game.populations:
        if pop.name in fixed_named:
            shares = fixed_named[pop.name]
            for j, sname in enumerate(pop.share_names()):
                constants[sname] = float(shares[j])
    return constants


def _in_slice(game, r, fixed_named, tol=1e-9) -> bool:
    for pop, shares in zip(game.populations, r.state, strict=True):
        if pop.name not in fixed_named:
            continue
        if np.max(np.abs(np.asarray(shares) - fixed_named[pop.name])) > tol:
            return False
    return True


def plot_phase_plane(game, analysis, ax=None, fixed=None, *, starts=None, t_end: float = 30.0,
                     density: float = 1.2):
    """The phase plane of two two-strategy populations (or a 2-D slice of a larger game).

    Draws the vector field as a streamplot (the model's replicator right-hand side, lambdified
    once), the nullclines (:math:`\\dot x = 0` blue, :math:`\\dot y = 0` orange, interior parts;
    the edges of the square are invariant), the rest points of the analysis that lie in the plane
    (markers by stability word) and a few trajectories.

    Parameters
    ----------
    game : Game
    analysis : EquilibriumAnalysis or None
        Rest points to mark (those in the slice).
    ax : Axes, optional
    fixed : mapping, optional
        Population name (or symbol) -> share of its first strategy (or all its shares) for every
        population outside the plane; the slice's dynamics hold them fixed.
    starts : array_like, optional
        ``(m, 2)`` starting points of the trajectories; default five points on a diagonal.
    t_end : float
    density : float
        Streamplot density.

    Returns
    -------
    Axes

    Raises
    ------
    GameInputError
        Free parameters; not exactly two free populations of two strategies once ``fixed`` is
        applied; a bad entry of ``fixed``.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> ax = plot_phase_plane(hd, gr.analyze(hd), starts=[[0.2, 0.3]], t_end=5.0, density=0.5)
    >>> len(ax.get_lines())  # one trajectory and its start, five rest points
    7
    >>> ax.get_xlabel()
    'x: share of owner playing hawk'
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['stable', 'saddle', 'unstable', 'x-nullcline (dx/dt = 0)', 'y-nullcline (dy/dt = 0)',
     'trajectories']
    >>> plt.close(ax.figure)

    A slice of a three-population game, the third population held at one half:

    >>> jmp = gr.Game.builtin("jordan_matching_pennies")
    >>> ax = plot_phase_plane(jmp, None, fixed={"player3": 0.5}, starts=[[0.2, 0.3]],
    ...                       t_end=5.0, density=0.5)
    >>> ax.get_title()
    "Jordan's three-player matching pennies\\nz = 0.5 fixed"
    >>> plt.close(ax.figure)
    """
    _require_numeric(game, "plot_phase_plane")
    free, fixed_named = _slice_setup(game, fixed)
    if starts is None:
        starts = np.array([[0.15, 0.8], [0.35, 0.65], [0.5, 0.3], [0.75, 0.55], [0.85, 0.15]])
    starts = np.asarray(starts, dtype=float)
    from ..analysis.portraits import plane_samples

    d = plane_samples(game, (free[0].symbol, free[1].symbol), _plane_constants(game, fixed_named),
                      starts, t_end)
    X, Y, U, V = d["X"], d["Y"], d["U"], d["V"]
    Xi, Yi, Gx, Gy = d["Xi"], d["Yi"], d["Gx"], d["Gy"]  # payoff differences: nullclines
    paths = d["paths"]
    with _style():
        ax = _new_axes(ax, figsize=(5.6, 5.0))
        speed = np.hypot(U, V)
        ax.streamplot(X, Y, U, V, color=speed, cmap="Greys", density=density, linewidth=0.7,
                      arrowsize=0.8, broken_streamlines=False)
        handles = []
        for G, color, pop in ((Gx, "tab:blue", free[0]), (Gy, "tab:orange", free[1])):
            if np.nanmin(G) < 0 < np.nanmax(G):
                ax.contour(Xi, Yi, G, levels=[0.0], colors=[color], linewidths=1.6)
                handles.append(Line2D([], [], color=color, lw=1.6,
                                      label=f"{pop.symbol}-nullcline (d{pop.symbol}/dt = 0)"))
        for path in paths:
            ax.plot(path[:, 0], path[:, 1], color="tab:green", lw=1.3)
            ax.plot(path[0, 0], path[0, 1], marker=".", color="tab:green")
        if paths:
            handles.append(Line2D([], [], color="tab:green", lw=1.3, label="trajectories"))
        words = []
        if analysis is not None:
            i0, i1 = game.population_index(free[0].name), game.population_index(free[1].name)
            for r in analysis.rest_points:
                if not _in_slice(game, r, fixed_named):
                    continue
                ax.plot(r.state[i0][0], r.state[i1][0], linestyle="none", markersize=10,
                        clip_on=False, zorder=5, **STABILITY_STYLE[r.stability])
                if r.stability not in words:
                    words.append(r.stability)
            for cont in analysis.continua:
                pts = _continuum_points(game, cont)
                if pts is not None:
                    keep = np.ones(len(pts), bool)
                    off = _offsets(game)
                    for name, shares in fixed_named.items():
                        p = game.population_index(name)
                        keep &= np.max(np.abs(pts[:, off[p]:off[p + 1]] - shares), axis=1) < 1e-9
                    ax.plot(np.where(keep, pts[:, off[i0]], np.nan),
                            np.where(keep, pts[:, off[i1]], np.nan), color="crimson", lw=2.2)
        handles = _stability_legend(ax, sorted(words, key=_word_order)) + handles
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel(_share_label(free[0]))
        ax.set_ylabel(_share_label(free[1]))
        title = game.title or game.name
        if fixed_named:
            title += "\n" + ", ".join(
                f"{game.population(k).symbol} = {v[0]:.3g}" if len(v) == 2 else
                f"{game.population(k).symbol} = ({', '.join(f'{s:.2g}' for s in v)})"
                for k, v in fixed_named.items()) + " fixed"
        ax.set_title(title, fontsize="medium")
        if handles:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14),
                      ncol=2, fontsize="x-small", frameon=False)
        _check_glyphs(ax.figure)
    return ax

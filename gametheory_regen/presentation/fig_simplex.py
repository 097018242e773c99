r"""The ternary plot of a three-strategy population (:func:`plot_simplex`).

A point :math:`(s_1, s_2, s_3)` of the simplex :math:`\Delta_3` is drawn at
:math:`s_1 v_1 + s_2 v_2 + s_3 v_3` with the vertices :math:`v_1 = (0, 0)`, :math:`v_2 = (1, 0)`,
:math:`v_3 = (1/2, \sqrt 3/2)` of an equilateral triangle (barycentric coordinates); the other
populations of the game are projected out.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import GameInputError
from .fig_fonts import (
    _check_glyphs,
    _style,
    plt,  # noqa: F401 - the examples close their figures
)
from .fig_states import _as_full, _integrate, _offsets, _require_numeric
from .fig_style import STABILITY_STYLE, _new_axes, _palette, _stability_legend, _word_order

__all__ = ["plot_simplex"]


_TRI = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])


def _bary(shares: np.ndarray) -> np.ndarray:
    """Barycentric -> Cartesian: ``(..., 3)`` shares to ``(..., 2)`` points of the triangle."""
    return np.asarray(shares, dtype=float) @ _TRI


def plot_simplex(game, analysis=None, population=None, ax=None, *, trajectories=None,
                 starts=None, t_end: float = 40.0):
    """A ternary plot of a population with three strategies.

    Trajectories of the whole game (default: from three starts) are projected onto the chosen
    population's simplex; rest points of the analysis are marked by their stability word.

    Parameters
    ----------
    game : Game
    analysis : EquilibriumAnalysis, optional
    population : str, optional
        The population drawn; default the first with three strategies.
    ax : Axes, optional
    trajectories : array_like, optional
        ``(m, T, N)`` full shares (or reduced coordinates).
    starts : array_like, optional
        ``(m, N)`` full-share starts of the default trajectories.
    t_end : float

    Returns
    -------
    Axes

    Raises
    ------
    GameInputError
        No population with three strategies (or ``population`` has another number); free
        parameters when the trajectories must be integrated.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> rps = gr.Game.builtin("rock_paper_scissors")
    >>> ax = plot_simplex(rps, gr.analyze(rps), t_end=5.0)
    >>> [t.get_text() for t in ax.texts]  # the vertices
    ['rock', 'paper', 'scissors']
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['saddle', 'non-hyperbolic']
    >>> plt.close(ax.figure)
    """
    if population is None:
        three = [p for p in game.populations if p.k == 3]
        if not three:
            raise GameInputError(f"plot_simplex: model {game.name!r} has no population with "
                                 f"three strategies (shape {game.shape})")
        pop = three[0]
    else:
        pop = game.population(population)
        if pop.k != 3:
            raise GameInputError(f"plot_simplex: population {pop.name!r} has {pop.k} strategies; "
                                 "a ternary plot needs three")
    p = game.population_index(pop.name)
    off = _offsets(game)
    if trajectories is None:
        _require_numeric(game, "plot_simplex")
        if starts is None:
            rows = []
            for a in ([0.6, 0.25, 0.15], [0.2, 0.5, 0.3], [0.4, 0.3, 0.3]):
                row = []
                for q in game.populations:
                    if q.k == 3:
                        row += a if q is pop else a[::-1]
                    else:
                        base = np.full(q.k, 1.0 / q.k) + np.linspace(-0.1, 0.1, q.k)
                        row += list(base / base.sum())
                rows.append(row)
            starts = np.array(rows)
        trajectories = _integrate(game, np.asarray(starts, dtype=float), t_end,
                                  t_out=np.linspace(0.0, t_end, 600))
    traj = _as_full(game, trajectories)
    if traj.ndim == 2:
        traj = traj[None]
    with _style():
        ax = _new_axes(ax, figsize=(5.6, 5.2))
        ax.plot(*np.vstack([_TRI, _TRI[:1]]).T, color="black", lw=1.0)
        for level in (0.25, 0.5, 0.75):  # grid lines of constant share
            for i in range(3):
                j, k = (i + 1) % 3, (i + 2) % 3
                a = np.zeros(3)
                a[i], a[j] = level, 1 - level
                b = np.zeros(3)
                b[i], b[k] = level, 1 - level
                ax.plot(*_bary(np.array([a, b])).T, color="0.88", lw=0.6, zorder=0)
        colors = _palette(len(traj))
        for m, tr in enumerate(traj):
            pts = _bary(tr[:, off[p]:off[p] + 3])
            ax.plot(pts[:, 0], pts[:, 1], color=colors[m], lw=1.0)
            ax.plot(pts[0, 0], pts[0, 1], marker=".", color=colors[m])
        words = []
        if analysis is not None:
            for r in analysis.rest_points:
                xy = _bary(np.asarray(r.state[p]))
                ax.plot(xy[0], xy[1], linestyle="none", markersize=10, clip_on=False, zorder=5,
                        **STABILITY_STYLE[r.stability])
                if r.stability not in words:
                    words.append(r.stability)
        offsets = [(-0.04, -0.05, "right"), (0.04, -0.05, "left"), (0.0, 0.04, "center")]
        for (dx, dy, ha), (vx, vy), name in zip(offsets, _TRI, pop.strategies, strict=True):
            ax.text(vx + dx, vy + dy, name, ha=ha, va="center")
        ax.set_xlim(-0.15, 1.15)
        ax.set_ylim(-0.12, 1.0)
        ax.set_aspect("equal")
        ax.axis("off")
        note = " (other populations projected out)" if game.n_populations > 1 else ""
        ax.set_title(f"{game.title or game.name}\n{pop.name} ({pop.symbol}){note}",
                     fontsize="medium")
        handles = _stability_legend(ax, sorted(words, key=_word_order))
        if handles:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02),
                      ncol=4, fontsize="x-small", frameon=False)  # below the triangle
        _check_glyphs(ax.figure)
    return ax

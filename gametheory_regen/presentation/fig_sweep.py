r"""Regime maps of parameter sweeps (:func:`plot_regime_map`).

Over a grid of parameter values :math:`\theta`, a *regime* is a set of cells with the same set of
stable rest points; the basin share of an attractor :math:`a` at :math:`\theta` is the fraction
of starting mixes whose trajectory ends at :math:`a`.  A 2-D map colours each cell by one basin
share and draws the regime boundaries; a 1-D map stacks every attractor's basin share.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Mapping

import numpy as np
from matplotlib.lines import Line2D

from ..errors import GameInputError
from .fig_fonts import (
    _check_glyphs,
    _style,
    plt,  # noqa: F401 - the examples close their figures
)
from .fig_style import (
    _GREY,
    _LANG,
    _new_axes,
    _palette,
    _param_label,
    _profile_label,
    _tr,
    outcome_colour,
)

__all__ = ["plot_regime_map"]


def _get(obj, name, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _split_state(flat, counts) -> list[list[float]]:
    out, a = [], 0
    for k in counts:
        out.append([float(v) for v in flat[a:a + k]])
        a += k
    return out


def _sweep_result_dict(sweep) -> dict:
    """Cells of a :class:`gametheory_regen.analysis.sweep.SweepResult` as in the sweep JSON."""
    counts = tuple(sweep.strategy_counts)
    vertices = [_split_state(v, counts) for v in np.asarray(sweep.vertices)]
    shares = np.asarray(sweep.shares)
    stable = np.asarray(sweep.stable)
    cells = []
    for pos in itertools.product(*(range(len(v)) for v in sweep.values)):
        at = {n: float(sweep.values[d][pos[d]]) for d, n in enumerate(sweep.names)}
        basins = [{"attractor": vertices[j], "share": float(shares[pos][j])}
                  for j in range(len(vertices)) if shares[pos][j] > 0]
        if shares[pos][-1] > 0:
            basins.append({"attractor": None, "share": float(shares[pos][-1])})
        cells.append({"at": at, "stable": [vertices[j] for j in np.flatnonzero(stable[pos])],
                      "basins": basins})
    vary = [{"name": n, "values": [float(x) for x in v]}
            for n, v in zip(sweep.names, sweep.values, strict=True)]
    return {"vary": vary, "cells": cells}


def _sweep_dict(sweep):
    """Normalise a sweep result (object or the sweep JSON of DESIGN.md) to plain data."""
    if all(hasattr(sweep, a) for a in ("names", "values", "vertices", "stable", "shares")):
        return _sweep_result_dict(sweep)
    for method in ("to_dict", "as_dict", "to_json_dict"):
        if hasattr(sweep, method) and not isinstance(sweep, Mapping):
            with contextlib.suppress(Exception):
                data = getattr(sweep, method)()
                if isinstance(data, Mapping) and "cells" in data:
                    return data
    vary = _get(sweep, "vary")
    cells = _get(sweep, "cells")
    if vary is None or cells is None:
        raise GameInputError("plot_regime_map: expected a sweep result with 'vary' and 'cells' "
                             f"(the sweep JSON of DESIGN.md); got {type(sweep).__name__}")
    return {"vary": vary, "cells": cells, "model": _get(sweep, "model", "")}


def _state_key(state) -> tuple:
    if state is None:
        return ()
    if isinstance(state, Mapping):
        state = list(state.values())
    return tuple(round(float(s), 3) for shares in state for s in np.ravel(shares))


def _state_text(state) -> str:
    if state is None:
        return "not settled"
    if isinstance(state, Mapping):
        state = list(state.values())
    pure, parts = [], []
    for shares in state:
        shares = np.ravel(np.asarray(shares, dtype=float))
        idx = np.flatnonzero(shares > 1 - 1e-6)
        pure.append(int(idx[0]) if len(idx) else None)
        parts.append(f"{shares[0]:.2f}" if len(shares) == 2 else
                     "/".join(f"{s:.2f}" for s in shares))
    if all(i is not None for i in pure) and all(len(np.ravel(s)) == 2 for s in state):
        return "(" + ", ".join("1" if i == 0 else "0" for i in pure) + ")"
    return "(" + ", ".join(parts) + ")"


def plot_regime_map(sweep_result, ax=None, *, outcome=None, game=None):
    """Which outcome is stable where, over a 1-D or 2-D parameter sweep.

    For a 2-D sweep the colour of a cell is the basin share of ``outcome`` (the share of starting
    mixes that end there); black lines separate *regimes*, cells with different sets of stable
    rest points, and each regime is numbered with its set in the legend.  Without basins the
    regimes are coloured.  For a 1-D sweep the basin shares of every attractor are stacked over
    the parameter.

    Parameters
    ----------
    sweep_result : SweepResult or mapping
        A :class:`gametheory_regen.analysis.sweep.SweepResult`, or plain data with ``vary``
        (``[{"name", "values"}]``) and ``cells`` (``[{"at", "stable",
        "basins": [{"attractor", "share"}]}]``), as in the sweep JSON of DESIGN.md.
    ax : Axes, optional
    outcome : state, optional
        The attractor whose basin share colours the map (mapping population -> shares, or a
        sequence of share vectors); default the attractor with the largest total share.
    game : Game, optional
        For labels (a pure outcome named by strategies).

    Returns
    -------
    Axes

    Raises
    ------
    GameInputError
        Not a sweep result, or not one or two varied parameters.

    Examples
    --------
    A 1-D sweep of hawk-dove's fighting cost: one regime boundary, between ``C = 1`` (where
    (hawk, hawk) is stable) and ``C = 3``:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> res = gr.sweep(hd, {"C": [1.0, 3.0, 5.0]}, samples=4, t_end=20.0, backend="numpy")
    >>> ax = plot_regime_map(res, game=hd)
    >>> [float(line.get_xdata()[0]) for line in ax.get_lines()]
    [2.0]
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['(dove, hawk)', '(hawk, dove)', '(hawk, hawk)']
    >>> plt.close(ax.figure)

    A 2-D map from plain data (the sweep JSON), without basins:

    >>> data = {"vary": [{"name": "V", "values": [1, 3]}, {"name": "C", "values": [2]}],
    ...         "cells": [{"at": {"V": 1, "C": 2}, "stable": [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]},
    ...                   {"at": {"V": 3, "C": 2}, "stable": [[[1, 0], [1, 0]]]}]}
    >>> ax = plot_regime_map(data, game=hd)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['R1: stable (hawk, dove) + (dove, hawk)', 'R2: stable (hawk, hawk)']
    >>> plt.close(ax.figure)
    """
    data = _sweep_dict(sweep_result)
    vary = [dict(name=_get(v, "name"), values=list(_get(v, "values"))) for v in data["vary"]]
    cells = data["cells"]
    if len(vary) not in (1, 2):
        raise GameInputError(f"plot_regime_map: needs a 1-D or 2-D sweep; got {len(vary)} "
                             "varied parameters")
    names = [v["name"] for v in vary]
    values = [np.asarray(v["values"], dtype=float) for v in vary]
    index = [{round(float(x), 12): i for i, x in enumerate(vals)} for vals in values]
    shape = tuple(len(v) for v in values)
    regime_of = np.full(shape, -1)
    regimes: list[tuple] = []
    regime_states: list[list] = []
    basin: dict[tuple, np.ndarray] = {}
    attractor_state: dict[tuple, object] = {}
    has_basins = False
    for cell in cells:
        at = _get(cell, "at")
        pos = tuple(index[d][round(float(at[n]), 12)] for d, n in enumerate(names))
        stable = list(_get(cell, "stable", []) or [])
        key = tuple(sorted(_state_key(s) for s in stable))
        if key not in regimes:
            regimes.append(key)
            regime_states.append(stable)
        regime_of[pos] = regimes.index(key)
        for b in _get(cell, "basins", []) or []:
            has_basins = True
            akey = _state_key(_get(b, "attractor"))
            attractor_state.setdefault(akey, _get(b, "attractor"))
            basin.setdefault(akey, np.zeros(shape))[pos] += float(_get(b, "share"))
    label = _outcome_labeller(game)
    with _style():
        ax = _new_axes(ax, figsize=(6.4, 4.8))
        if len(vary) == 1:
            x = values[0]
            keys = sorted(basin, key=lambda k: (k == (), k))
            if has_basins:
                ys = [basin[k] for k in keys]
                colors = [_GREY if k == () or game is None else
                          outcome_colour(game, _state_blocks(game, attractor_state[k]))
                          for k in keys]
                if game is None:
                    colors = [_GREY if k == () else c for k, c in
                              zip(keys, _palette(len(keys)), strict=True)]
                ax.stackplot(x, *ys, labels=[label(attractor_state[k]) for k in keys],
                             colors=colors, alpha=0.85)
                ax.set_ylabel(_tr("basin_share") if _LANG[-1] == "zh" else "basin share")
                ax.set_ylim(0, 1)
            for i in range(1, len(x)):
                if regime_of[i] != regime_of[i - 1]:
                    ax.axvline(0.5 * (x[i] + x[i - 1]), color="black", lw=1.2, ls="--")
            ax.set_xlabel(_param_label(game, names[0]))
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                      fontsize="x-small", frameon=False)  # below the data, not beside it
            ax.set_title("basins over " + names[0], fontsize="medium")
            _check_glyphs(ax.figure)
            return ax
        xv, yv = values
        xe, ye = _edges(xv), _edges(yv)
        if has_basins:
            if outcome is None:
                candidates = [k for k in basin if k != ()]
                okey = max(candidates, key=lambda k: basin[k].sum()) if candidates else ()
            else:
                okey = _state_key(outcome)
            share = basin.get(okey, np.zeros(shape))
            mesh = ax.pcolormesh(xe, ye, share.T, cmap="viridis", vmin=0, vmax=1)
            cbar = ax.figure.colorbar(mesh, ax=ax)
            cbar.set_label("basin share of " + label(attractor_state.get(okey)), fontsize="small")
        else:
            from matplotlib.colors import ListedColormap

            cmap = ListedColormap(_palette(max(1, len(regimes))))
            ax.pcolormesh(xe, ye, regime_of.T, cmap=cmap, vmin=-0.5,
                          vmax=max(1, len(regimes)) - 0.5)
        _regime_boundaries(ax, regime_of, xe, ye)
        handles = []
        for r, states in enumerate(regime_states):
            cells_r = np.argwhere(regime_of == r)
            ci, cj = cells_r[len(cells_r) // 2]
            ax.text(xv[ci], yv[cj], f"R{r + 1}", ha="center", va="center", fontsize="small",
                    color="white" if has_basins else "black")
            text = ("stable " + " + ".join(label(s) for s in states) if states
                    else "no stable rest point")
            handles.append(Line2D([], [], linestyle="none", label=f"R{r + 1}: {text}"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13),
                  fontsize="x-small", frameon=False, handlelength=0)
        ax.set_xlabel(_param_label(game, names[0]))
        ax.set_ylabel(_param_label(game, names[1]))
        model = data.get("model") or (game.name if game is not None else "")
        ax.set_title(f"regimes{' of ' + model if model else ''}", fontsize="medium")
        _check_glyphs(ax.figure)
    return ax


def _state_blocks(game, state):
    """An attractor of the sweep JSON (mapping or nested list) as shares per population."""
    if state is None:
        return None
    if isinstance(state, Mapping):
        return [state[p.name] for p in game.populations]
    return list(state)


def _outcome_labeller(game):
    def label(state) -> str:
        if state is None:
            return "not settled"
        if game is not None:
            if isinstance(state, Mapping):
                full = [np.ravel(np.asarray(state[p.name], dtype=float)) for p in game.populations]
            else:
                full = [np.ravel(np.asarray(s, dtype=float)) for s in state]
            return _profile_label(game, full, tol=1e-6)
        return _state_text(state)

    return label


def _edges(v: np.ndarray) -> np.ndarray:
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = 0.5 * (v[1:] + v[:-1])
    return np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])


def _regime_boundaries(ax, regime_of, xe, ye) -> None:
    nx, ny = regime_of.shape
    segs = []
    for i in range(nx - 1):
        for j in range(ny):
            if regime_of[i, j] != regime_of[i + 1, j]:
                segs.append([(xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])])
    for i in range(nx):
        for j in range(ny - 1):
            if regime_of[i, j] != regime_of[i, j + 1]:
                segs.append([(xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])])
    if segs:
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(segs, colors="black", linewidths=1.4))

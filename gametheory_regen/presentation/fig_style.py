r"""What every figure shares: markers of the stability words, one colour per outcome, labels.

A rest point is drawn with the marker of its stability word (filled = stable, open = unstable,
half-filled = saddle, cross = non-hyperbolic; :data:`STABILITY_STYLE`), read from the analysis.
An outcome has one colour in every figure of a model: a pure profile :math:`(i_1, \dots, i_n)`
takes :data:`OUTCOME_PALETTE` at its position in ``game.profiles()`` (the lexicographic order of
:math:`\prod_p \{1, \dots, k_p\}`), a mixed rest point a colour of a second palette chosen from
its rounded shares (:func:`outcome_colour`).  Labels name the model's populations, strategies and
parameters, in the language chosen with :func:`language`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import numpy as np
from matplotlib.lines import Line2D

from ..analysis.eigen import Stability
from .fig_fonts import plt

__all__ = ["STABILITY_STYLE", "language", "OUTCOME_PALETTE", "outcome_colour"]


#: Marker style of each stability word (filled / open / half-filled / cross).
STABILITY_STYLE: dict[Stability | None, dict] = {
    Stability.STABLE: dict(marker="o", fillstyle="full", markerfacecolor="black",
                           markeredgecolor="black"),
    Stability.UNSTABLE: dict(marker="o", fillstyle="none", markeredgecolor="black"),
    Stability.SADDLE: dict(marker="o", fillstyle="left", markerfacecolor="black",
                           markerfacecoloralt="white", markeredgecolor="black"),
    Stability.NON_HYPERBOLIC: dict(marker="X", fillstyle="full", markerfacecolor="black",
                                   markeredgecolor="white", markeredgewidth=0.6),
    None: dict(marker="d", fillstyle="none", markeredgecolor="grey"),
}


_STABILITY_LABEL = {Stability.STABLE: "stable", Stability.UNSTABLE: "unstable",
                    Stability.SADDLE: "saddle", Stability.NON_HYPERBOLIC: "non-hyperbolic",
                    None: "undecided (free parameters)"}


_GREY = "0.6"


_LANG = ["en"]


@contextlib.contextmanager
def language(lang: str):
    """Draw the labels of every figure made inside in ``lang`` (``"en"`` or ``"zh"``).

    Parameters
    ----------
    lang : str

    Yields
    ------
    None

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> from gametheory_regen.presentation.figures import plot_time_series
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> with language("zh"):
    ...     ax = plot_time_series(([0, 1], [[0.5, 0.5, 0.5, 0.5], [0.6, 0.4, 0.7, 0.3]]), hd)
    >>> ax.get_xlabel()
    '时间 (year)'
    >>> plt.close(ax.figure)
    """
    from .i18n import check_lang

    check_lang(lang)
    _LANG.append(lang)
    try:
        yield
    finally:
        _LANG.pop()


def _tr(key: str) -> str:
    from .i18n import tr

    return tr(key, _LANG[-1])


def _word(w) -> str:
    if w is None:
        return _STABILITY_LABEL[None] if _LANG[-1] == "en" else "未定（自由参数）"
    from .i18n import stability_word

    return stability_word(str(w), lang=_LANG[-1], short=True)


def _word_order(word) -> int:
    order = [Stability.STABLE, Stability.SADDLE, Stability.UNSTABLE, Stability.NON_HYPERBOLIC,
             None]
    return order.index(word)


def _param_label(game, name: str) -> str:
    """``T (years): operating-right term``: a parameter axis label from its unit and meaning."""
    try:
        p = game.parameter(name) if game is not None else None
    except Exception:  # noqa: BLE001 - a name the game does not know: the bare name
        p = None
    if p is None:
        return name
    desc = (p.description or "").split(" (")[0].split("（")[0]
    return name + (f" ({p.unit})" if p.unit else "") + (f": {desc}" if desc else "")


def _share_label(pop) -> str:
    """Axis label of a two-strategy population: ``x = share of government playing enable``."""
    if _LANG[-1] == "zh":
        return f"{pop.symbol}: {pop.name} 选择 {pop.strategies[0]} 的比例"
    return f"{pop.symbol}: share of {pop.name} playing {pop.strategies[0]}"


def _profile_label(game, state, tol: float = 1e-9) -> str:
    """``(enable, operate, participate)`` for a vertex, symbols and shares otherwise."""
    pure = []
    for pop, shares in zip(game.populations, state, strict=True):
        idx = [i for i, s in enumerate(shares) if s > 1 - tol]
        if not idx:
            break
        pure.append(pop.strategies[idx[0]])
    else:
        return "(" + ", ".join(pure) + ")"
    parts = []
    for pop, shares in zip(game.populations, state, strict=True):
        if pop.k == 2:
            parts.append(f"{pop.symbol}={shares[0]:.3g}")
        else:
            parts.append(f"{pop.symbol}=(" + ", ".join(f"{s:.2g}" for s in shares) + ")")
    return ", ".join(parts)


#: Colours of the pure outcomes, by the position of the profile in ``game.profiles()``: the
#: same outcome has the same colour in every figure (and every scenario) of a model.
OUTCOME_PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                   "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ff7f00", "#6a3d9a",
                   "#b15928", "#a6cee3", "#666666")


_MIXED_PALETTE = ("#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69")


def outcome_colour(game, state) -> str:
    """The colour of an outcome (a rest point), the same in every figure of ``game``.

    A pure profile takes :data:`OUTCOME_PALETTE` at its position among ``game.profiles()``;
    a mixed rest point a colour of a second palette chosen from its rounded shares; ``None``
    (not settled) grey.

    Parameters
    ----------
    game : Game
    state : sequence of sequences, mapping population -> shares, or None

    Returns
    -------
    str

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> outcome_colour(hd, ((1.0, 0.0), (0.0, 1.0))), outcome_colour(hd, None)
    ('#d95f02', '0.6')
    """
    if state is None:
        return _GREY
    if isinstance(state, Mapping):
        state = [state[p.name] for p in game.populations]
    blocks = [np.ravel(np.asarray(s, dtype=float)) for s in state]
    profile = []
    for b in blocks:
        j = int(np.argmax(b))
        if abs(b[j] - 1.0) > 1e-6:
            profile = None
            break
        profile.append(j)
    if profile is not None:
        order = {prof: i for i, prof in enumerate(game.profiles())}
        return OUTCOME_PALETTE[order[tuple(profile)] % len(OUTCOME_PALETTE)]
    key = tuple(round(float(v), 3) for b in blocks for v in b)
    return _MIXED_PALETTE[sum(int(v * 1000) for v in key) % len(_MIXED_PALETTE)]


def _palette(n: int) -> list:
    cmap = plt.get_cmap("tab10")
    return [cmap(i % 10) for i in range(n)]


def _new_axes(ax, projection: str | None = None, figsize=(6.0, 5.0)):
    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot(111, projection=projection) if projection else fig.add_subplot(111)


def _stability_legend(ax, words, **kwargs):
    handles = [Line2D([], [], linestyle="none", markersize=8, label=_word(w),
                      **STABILITY_STYLE[w]) for w in words]
    return handles

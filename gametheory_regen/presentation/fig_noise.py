r"""Figures of stochastic evolutionary games: quantile bands in time, outcome probability vs sigma.

Both figures draw only what :mod:`gametheory_regen.analysis.stochastic` computed:

* :func:`plot_noise_bands` -- per population, the median of each share (of the first share
  only for a two-strategy population, the second being its complement) with the 25-75 % and
  5-95 % quantile bands over the paths;
* :func:`plot_outcome_probability` -- the share of paths ending within 0.01 of each rest point
  (and not settled, and left [0, 1] for the ``linear`` form) against the noise intensity
  :math:`\sigma`, with 95 % Wilson intervals.

``simulate --noise ... --plot FILE`` and ``sweep --vary noise=... --plot FILE`` write them
(:func:`save_noise_figure`, :func:`save_noise_sweep_figure`), atomically.
"""

from __future__ import annotations

import numpy as np

from .fig_fonts import plt
from .fig_save import _plot_format, _save
from .fig_style import language

__all__ = ["plot_noise_bands", "plot_outcome_probability", "save_noise_figure",
           "save_noise_sweep_figure"]

_ZH = {"time": "时间", "share": "份额", "median": "中位数", "noise": "噪声强度 σ",
       "probability": "概率", "not settled": "未稳定", "left [0, 1]": "离开 [0, 1]"}


def _t(text: str, lang: str) -> str:
    return _ZH.get(text, text) if lang == "zh" else text


def _label(game, res, pop_index: int, strat_index: int) -> str:
    pops = res.populations if game is None else tuple(p.name for p in game.populations)
    strats = res.strategies if game is None else tuple(tuple(p.strategies)
                                                       for p in game.populations)
    return f"{pops[pop_index]}.{strats[pop_index][strat_index]}"


def plot_noise_bands(res, game=None, *, lang: str = "en"):
    """Median and 25-75 % / 5-95 % quantile bands of the shares over time, a panel per population.

    Parameters
    ----------
    res : NoiseResult
    game : Game, optional
        For the labels (default: the names stored on ``res``).
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from gametheory_regen.analysis.stochastic import simulate_noise
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> import gametheory_regen as gr
    >>> r = simulate_noise(gr.Game.builtin("hawk_dove"), [0.5, 0.5], 5.0,
    ...                    Noise(0.3, paths=50, backend="numpy"), n_points=11)
    >>> fig = plot_noise_bands(r)
    >>> len(fig.axes), len(fig.axes[0].collections)   # two bands per shown share
    (2, 2)
    >>> plt.close(fig)
    """
    q = res.quantiles
    n = len(res.populations)
    # one population (a symmetric game) gets a wider panel, so that the title fits
    fig, axes = plt.subplots(1, n, figsize=(max(3.6 * n, 5.6), 3.0 if n > 1 else 3.4),
                             sharey=True, squeeze=False, layout="constrained")
    a = 0
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for p in range(n):
        ax = axes[0, p]
        k = len(res.strategies[p])
        shown = [0] if k == 2 else list(range(k))
        for i in shown:
            c = colours[i % len(colours)]
            col = a + i
            ax.fill_between(res.times, q[0, :, col], q[4, :, col], color=c, alpha=0.15,
                            linewidth=0)
            ax.fill_between(res.times, q[1, :, col], q[3, :, col], color=c, alpha=0.35,
                            linewidth=0)
            ax.plot(res.times, q[2, :, col], color=c, linewidth=1.5,
                    label=_label(game, res, p, i))
        ax.set_title(res.populations[p] if game is None else game.populations[p].name)
        ax.set_xlabel(_t("time", lang))
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best", fontsize="small")
        a += k
    axes[0, 0].set_ylabel(_t("share", lang))
    nz = res.noise
    sep = ":\n" if n == 1 else ": "
    fig.suptitle(f"σ = {nz.sigma:g} ({nz.form}, {nz.scheme}, dt = {nz.dt:g}, {nz.paths} paths)"
                 f"{sep}median, 25-75 % and 5-95 %", fontsize="medium")
    return fig


def plot_outcome_probability(sweep, game=None, *, lang: str = "en"):
    """Share of paths ending near each rest point against the noise intensity.

    Outcomes that no path reached at any sigma are not drawn. Error bars are 95 % Wilson
    intervals.

    Parameters
    ----------
    sweep : NoiseSweep
    game : Game, optional
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from gametheory_regen.analysis.stochastic import noise_sweep
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> import gametheory_regen as gr
    >>> sw = noise_sweep(gr.Game.builtin("hawk_dove"), [0.0, 0.5], [0.5, 0.5], 5.0,
    ...                  Noise(paths=20, backend="numpy"))
    >>> fig = plot_outcome_probability(sw)
    >>> len(fig.axes[0].lines) >= 1
    True
    >>> plt.close(fig)
    """
    from .noise_verbs import _outcome_name

    shares = sweep.shares()
    lo, hi = sweep.intervals()
    r = sweep.rest_points.shape[0]
    names = []
    for rp in sweep.rest_points:
        names.append(_outcome_name(game, rp) if game is not None else
                     "(" + ", ".join(f"{v:.3g}" for v in rp) + ")")
    names += [_t("not settled", lang), _t("left [0, 1]", lang)]
    fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
    for j in range(r + 2):
        if not sweep.counts[:, j].any():
            continue
        err = np.vstack([shares[:, j] - lo[:, j], hi[:, j] - shares[:, j]])
        ax.errorbar(sweep.sigmas, shares[:, j], yerr=err, marker="o", markersize=3,
                    capsize=2, linewidth=1.2, label=names[j],
                    linestyle="--" if j >= r else "-")
    ax.set_xlabel(_t("noise", lang) if lang == "zh" else "noise intensity σ")
    ax.set_ylabel(_t("probability", lang) if lang == "zh" else
                  f"share of paths near the outcome at t = {sweep.t_end:g}")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best", fontsize="small")
    nz = sweep.noise
    ax.set_title(f"{nz.paths} paths per σ ({nz.form}, {nz.scheme}, dt = {nz.dt:g}); "
                 f"95 % Wilson intervals", fontsize="small")
    return fig


def save_noise_figure(res, game, path, *, lang: str = "en", dpi: int = 150) -> None:
    """Write :func:`plot_noise_bands` to ``path`` (``simulate --noise ... --plot``).

    Parameters
    ----------
    res : NoiseResult
    game : Game or None
    path : str or path-like
        Ending in ``.png``, ``.svg`` or ``.pdf``; written whole or not at all.
    lang : {"en", "zh"}
    dpi : int

    Returns
    -------
    None

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from gametheory_regen.analysis.stochastic import simulate_noise
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> r = simulate_noise(hd, [0.5, 0.5], 2.0, Noise(0.3, paths=10, backend="numpy"),
    ...                    n_points=5)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = pathlib.Path(folder) / "bands.svg"
    ...     save_noise_figure(r, hd, out)
    ...     out.read_text(encoding="utf-8").startswith("<?xml")
    True
    """
    fmt = _plot_format(path)  # a bad name or an unwritable path is refused before drawing
    with language(lang):
        _save(plot_noise_bands(res, game, lang=lang), path, fmt, dpi)


def save_noise_sweep_figure(sweep, game, path, *, lang: str = "en", dpi: int = 150) -> None:
    """Write :func:`plot_outcome_probability` to ``path`` (``sweep --vary noise=... --plot``).

    Parameters
    ----------
    sweep : NoiseSweep
    game : Game or None
    path : str or path-like
    lang : {"en", "zh"}
    dpi : int

    Returns
    -------
    None

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from gametheory_regen.analysis.stochastic import noise_sweep
    >>> from gametheory_regen.dynamics.sde import Noise
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> sw = noise_sweep(hd, [0.0, 0.4], [0.5, 0.5], 2.0, Noise(paths=10, backend="numpy"))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = pathlib.Path(folder) / "p.png"
    ...     save_noise_sweep_figure(sw, hd, out)
    ...     out.stat().st_size > 1000
    True
    """
    fmt = _plot_format(path)
    with language(lang):
        _save(plot_outcome_probability(sweep, game, lang=lang), path, fmt, dpi)

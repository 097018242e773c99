r"""The logit QRE path as a figure: shares against the noise level :math:`\eta`.

One panel per population; each strategy's share along the principal branch
(:func:`gametheory_regen.analysis.qre.qre_path`) is a line against :math:`\eta` on a logarithmic
axis, :math:`\eta` decreasing to the right (from much noise to none), and the Nash equilibrium
the branch approaches is marked at the right edge.  The path is computed by the analysis layer;
this module only draws it (McKelvey & Palfrey 1995, Fig. 2 draws the same picture).
"""

from __future__ import annotations

from .fig_fonts import plt

__all__ = ["plot_qre_path"]


def plot_qre_path(path, *, fig=None, title: str | None = None):
    """Draw a :class:`~gametheory_regen.analysis.qre.QREPath`.

    Parameters
    ----------
    path : QREPath
    fig : matplotlib.figure.Figure, optional
        Drawn into (default: a new figure).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per population.

    Examples
    --------
    >>> from gametheory_regen.analysis.qre import qre_path
    >>> from gametheory_regen.model import Game
    >>> fig = plot_qre_path(qre_path(Game.builtin("matching_pennies"), 10.0, 0.01))
    >>> [ax.get_xscale() for ax in fig.axes], len(fig.axes[0].lines)
    (['log', 'log'], 3)
    >>> plt.close(fig)
    """
    n = len(path.populations)
    if fig is None:
        fig = plt.figure(figsize=(4.2 * n, 3.4))
    axes = fig.subplots(1, n, squeeze=False)[0]
    for p, (ax, pop) in enumerate(zip(axes, path.populations, strict=True)):
        shares = path.shares(pop)
        for i, strat in enumerate(path.strategies[p]):
            ax.plot(path.eta, shares[:, i], label=strat, lw=1.6)
        if path.limit is not None:
            ax.plot([path.eta[-1]] * len(path.limit[p]), path.limit[p], "k*", ms=9,
                    label="Nash equilibrium", clip_on=False, zorder=5)
        ax.set_xscale("log")
        ax.set_xlim(path.eta.max(), path.eta.min())  # noise falls from left to right
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("η (logit noise)")
        ax.set_ylabel(f"{pop}: share")
        ax.set_title(pop)
        ax.legend(fontsize=8, loc="best")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig

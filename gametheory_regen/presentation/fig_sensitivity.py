r"""Sensitivity figures of a model: the parameter grid and the 1-D bifurcation diagram.

For parameters :math:`\theta_j` and factors :math:`c`, the grid draws each two-strategy party's
share over time at :math:`c\,\theta_j`; the bifurcation diagram marks where each pure profile is
stable along one parameter, with the exact thresholds where an eigenvalue changes sign.  The data
come from :mod:`gametheory_regen.analysis.portraits`; the drawing is in
:mod:`gametheory_regen.presentation.paper_figures`.
"""

from __future__ import annotations

import numpy as np  # noqa: F401 - used by the examples

from ..errors import GameInputError
from .fig_fonts import plt  # noqa: F401 - the examples close their figures

__all__ = ["plot_sensitivity_grid", "plot_bifurcation"]


def plot_sensitivity_grid(game, parameters, factors=(0.5, 1.0, 1.5), *, start=None,
                          t_end: float = 30.0, n_points: int = 401, lang: str = "en",
                          figsize=None):
    """The classic sensitivity grid: each parameter's effect on every party's evolution path.

    A row per parameter, a column per two-strategy party, one line per value
    (``factor * value``); the trajectories are computed by
    :func:`gametheory_regen.analysis.portraits.parameter_paths` (the engine's ``simulate``).

    Parameters
    ----------
    game : Game
    parameters : sequence of str
    factors : sequence of float
        Multiples of each parameter's value.
    start : sequence of float, optional
        First shares per population (default one half each).
    t_end : float
    n_points : int
    lang : str
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> fig = plot_sensitivity_grid(gr.Game.builtin("hawk_dove"), ["V", "C"], t_end=5.0,
    ...                             n_points=41)
    >>> len(fig.axes)
    4
    >>> plt.close(fig)
    """
    from ..analysis.portraits import parameter_paths
    from .paper_figures import plot_sensitivity_grid as draw

    start = tuple(0.5 for _ in game.populations) if start is None else tuple(start)
    runs = {}
    for name in parameters:
        v = game.parameter(name).value
        if v is None:
            raise GameInputError(f"plot_sensitivity_grid: parameter {name!r} has no value")
        runs[name] = parameter_paths(game, name, [float(v) * f for f in factors], start, t_end,
                                     n_points)
    return draw(runs, game, lang, figsize)


def plot_bifurcation(game, parameter: str, values=None, *, lang: str = "en", figsize=(7.0, 2.6)):
    """1-D bifurcation diagram: stable outcomes against a parameter, exact thresholds marked.

    Parameters
    ----------
    game : Game
    parameter : str
    values : array_like, optional
        See :func:`gametheory_regen.analysis.portraits.bifurcation_data`.
    lang : str
    figsize : tuple of float

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> fig = plot_bifurcation(gr.Game.builtin("hawk_dove"), "C", np.linspace(0.5, 4, 15))
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['C* = 2']
    >>> plt.close(fig)
    """
    from ..analysis.portraits import bifurcation_data
    from .paper_figures import plot_bifurcation as draw

    return draw(bifurcation_data(game, parameter, values), game, lang, figsize)

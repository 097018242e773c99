r"""The figures of the command line: ``report --plot``, ``simulate --plot``, ``sweep --plot``.

:func:`report_figure` chooses the figure by the game's shape :math:`(k_1, \dots, k_n)`: the cube
for :math:`(2, 2, 2)`, the phase plane for :math:`(2, 2)`, the simplex of a three-strategy
population, otherwise a time series.  The ``save_*`` functions render to bytes first
(:func:`gametheory_regen.presentation.fig_fonts.figure_bytes`) and then write the file
atomically, so that a file is whole or absent.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import GameInputError
from .fig_fonts import _FORMATS, figure_bytes, plt
from .fig_portrait import plot_phase_plane, plot_phase_portrait_3d
from .fig_series import plot_time_series
from .fig_simplex import plot_simplex
from .fig_states import _initial_state, _integrate, _offsets, _require_numeric
from .fig_style import language
from .fig_sweep import plot_regime_map

__all__ = ["report_figure", "save_simulation_figure", "save_sweep_figure", "save_report_figure"]


def report_figure(analysis):
    """The figure of ``gametheory-regen report --plot``, chosen by the game's shape.

    Three two-strategy populations: the 3-D cube; two: the phase plane; a population with three
    strategies: its simplex; otherwise a time series from the uniform mix.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
        Of a game whose parameters all have values.

    Returns
    -------
    Figure

    Raises
    ------
    GameInputError
        Free parameters.

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> fig = report_figure(gr.analyze(gr.Game.builtin("battle_of_sexes")))
    >>> len(fig.axes), fig.axes[0].get_xlabel()  # the phase plane
    (1, 'x: share of woman playing opera')
    >>> plt.close(fig)
    """
    game = analysis.game
    _require_numeric(game, "report --plot")
    shape = tuple(game.shape)
    if shape == (2, 2, 2):
        ax = plot_phase_portrait_3d(game, analysis)
    elif shape == (2, 2):
        ax = plot_phase_plane(game, analysis)
    elif 3 in shape:
        ax = plot_simplex(game, analysis)
    else:
        x0 = _initial_state(game, None)
        offs = np.linspace(-0.15, 0.15, 3)
        starts = []
        for d in offs:
            row = x0.copy()
            off = _offsets(game)
            for p, pop in enumerate(game.populations):
                blk = row[off[p]:off[p + 1]] + d * np.linspace(-1, 1, pop.k) / pop.k
                row[off[p]:off[p + 1]] = blk / blk.sum()
            starts.append(row)
        t = np.linspace(0, 30.0, 301)
        traj = _integrate(game, np.array(starts), 30.0, t_out=t)
        ax = plot_time_series((t, traj), game)
    return _figure_of(ax)


def _plot_format(path) -> str:
    """The figure format of ``path`` by its extension, once the path is known to be writable."""
    from ..fileio import check_writable

    ext = os.path.splitext(str(path))[1].lower()
    if ext not in _FORMATS:
        raise GameInputError(f"--plot {str(path)!r}: the file name must end in .png, .svg or .pdf")
    check_writable(path, "--plot")
    return _FORMATS[ext]


def _save(fig, path, fmt: str, dpi: int = 150, figsize=None) -> None:
    """Render ``fig`` to ``fmt`` bytes, close it, and write the bytes to ``path`` atomically."""
    from ..fileio import write_bytes_atomic

    try:
        if figsize is not None:
            fig.set_size_inches(*figsize)
        data = figure_bytes(fig, fmt, dpi=dpi)
    finally:
        plt.close(fig)
    write_bytes_atomic(path, data, "--plot")


def _figure_of(drawn):
    """The Figure of what a plotting function returned (a Figure or an Axes)."""
    from matplotlib.figure import Figure

    return drawn if isinstance(drawn, Figure) else drawn.figure


def save_simulation_figure(simulation, game, path, *, lang: str = "en", dpi: int = 150,
                           figsize=None) -> None:
    """Write the time series of a simulation (``simulate --plot``), a panel per population.

    Parameters
    ----------
    simulation : Simulation
        From :func:`gametheory_regen.simulate` (or any result :func:`plot_time_series` takes).
    game : Game
    path : str or path-like
        Ending in ``.png``, ``.svg`` or ``.pdf``; written atomically.  The figure is closed.

    lang : str
        Language of the labels (``"en"`` or ``"zh"``).
    dpi : int
        Resolution of PNG output.
    figsize : (float, float), optional
        Width and height in inches (default: the figure's own).

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        Another extension, or a path that cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> sim = gr.simulate(hd, [0.3, 0.7, 0.6, 0.4], t_end=5.0, n_points=11, backend="numpy")
    >>> open_before = plt.get_fignums()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "simulation.svg"
    ...     save_simulation_figure(sim, hd, path)
    ...     path.read_text(encoding="utf-8").startswith("<?xml")
    True
    >>> plt.get_fignums() == open_before
    True
    """
    fmt = _plot_format(path)
    with language(lang):
        drawn = plot_time_series(simulation, game, panels="population")
    _save(_figure_of(drawn), path, fmt, dpi, figsize)


def save_sweep_figure(sweep_result, game, path, *, lang: str = "en", dpi: int = 150,
                      figsize=None) -> None:
    """Write the regime map of a sweep (``sweep --plot``).

    Parameters
    ----------
    sweep_result : SweepResult or mapping
        As for :func:`plot_regime_map`.
    game : Game
        For the labels.
    path : str or path-like
        Ending in ``.png``, ``.svg`` or ``.pdf``; written atomically.  The figure is closed.

    lang : str
        Language of the labels (``"en"`` or ``"zh"``).
    dpi : int
        Resolution of PNG output.
    figsize : (float, float), optional
        Width and height in inches (default: the figure's own).

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        Another extension, or a path that cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> res = gr.sweep(hd, {"C": [1.0, 3.0]}, samples=4, t_end=20.0, backend="numpy")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "regimes.pdf"
    ...     save_sweep_figure(res, hd, path)
    ...     path.read_bytes()[:5]
    b'%PDF-'
    """
    fmt = _plot_format(path)
    with language(lang):
        ax = plot_regime_map(sweep_result, game=game)
    _save(ax.figure, path, fmt, dpi, figsize)


def save_report_figure(analysis, path, *, lang: str = "en", dpi: int = 150,
                       figsize=None) -> None:
    """Write the report figure to ``path`` (PNG, SVG or PDF by extension), atomically.

    The figure is rendered to bytes first and then written with
    :func:`gametheory_regen.fileio.write_bytes_atomic`: the file is whole or absent.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
        The figure is :func:`report_figure`'s; it is closed after rendering.
    path : str or path-like

    lang : str
        Language of the labels (``"en"`` or ``"zh"``).
    dpi : int
        Resolution of PNG output.
    figsize : (float, float), optional
        Width and height in inches (default: the figure's own).

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        Another extension (checked before any drawing), a path that cannot be written, or free
        parameters.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import gametheory_regen as gr
    >>> analysis = gr.analyze(gr.Game.builtin("hawk_dove"))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "report.png"
    ...     save_report_figure(analysis, path)
    ...     path.read_bytes()[1:4]
    b'PNG'
    >>> save_report_figure(analysis, "report.gif")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --plot 'report.gif': the file name must end in ...
    """
    fmt = _plot_format(path)
    with language(lang):
        fig = report_figure(analysis)
    _save(fig, path, fmt, dpi, figsize)

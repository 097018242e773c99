"""The ``paper`` verb: the analysis section, its figures and a manifest, written into a folder.

``gametheory-regen paper MODEL [--scenario S] [--set N=V] [--lang en|zh] [--format
latex|markdown|docx] --output DIR`` writes

* ``latex``: ``analysis.tex`` (a fragment to ``\\input``), ``paper.tex`` (a standalone document
  for ``xelatex``; ``ctex`` for Chinese) and the figures as PDF (vector);
* ``markdown``: ``analysis.md`` and the figures as PNG;
* ``docx``: ``analysis.docx`` with the figures embedded, and the figures as PNG;

and ``manifest.json``: every file with its SHA-256 and the exact command that regenerates the
folder.  Each file is written atomically (whole or not at all) by
:func:`gametheory_regen.fileio.write_bytes_atomic`; the trajectories of the figures come from
:mod:`gametheory_regen.analysis.portraits` (the engine), not from the drawing code.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shlex

import numpy as np

from .. import __version__
from ..errors import GameInputError

__all__ = ["FORMATS", "paper_files", "write_paper"]

FORMATS = ("latex", "markdown", "docx")


def _starts(game):
    if all(pop.k == 2 for pop in game.populations):
        levels = (0.2, 0.8) if game.n_populations >= 3 else (0.2, 0.5, 0.8)
        return [tuple(c) for c in itertools.product(levels, repeat=game.n_populations)]
    starts = []
    for shift in (0.0, 0.15, -0.15):
        full = []
        for pop in game.populations:
            v = np.full(pop.k, 1.0 / pop.k)
            v[0] += shift
            v[-1] -= shift
            full.extend(v)
        starts.append(tuple(full))
    return starts


def _figures(paper, t_end: float, fmt: str, dpi: int, n_points: int) -> dict[str, bytes]:
    from ..analysis.portraits import (evolution_paths, parameter_paths, single_party_analysis,
                                      threshold_surface)
    from . import figures as fig_mod
    from . import paper_figures as pf
    from .paper import _sensitivity_parameters

    game, lang = paper.game, paper.lang
    out = {}
    wanted = set(paper.figures)
    for party in single_party_analysis(game):
        stem = f"threshold_{party.population}"
        if stem in wanted and party.threshold is not None:
            fig = pf.plot_threshold_surface(threshold_surface(game, party), game, party, lang)
            out[stem] = fig_mod.figure_bytes(fig, fmt, dpi=dpi)
            fig_mod.plt.close(fig)
    if "paths" in wanted:
        fig = pf.plot_paths(evolution_paths(game, _starts(game), t_end, n_points), game, lang)
        out["paths"] = fig_mod.figure_bytes(fig, fmt, dpi=dpi)
        fig_mod.plt.close(fig)
    if "sensitivity" in wanted:
        start = tuple(0.5 for _ in game.populations)
        runs = {}
        for name in _sensitivity_parameters(paper.analysis):
            v = float(next(p.value for p in game.parameters if p.name == name))
            runs[name] = parameter_paths(game, name, [0.5 * v, v, 1.5 * v], start, t_end,
                                         n_points)
        fig = pf.plot_sensitivity_grid(runs, game, lang)
        out["sensitivity"] = fig_mod.figure_bytes(fig, fmt, dpi=dpi)
        fig_mod.plt.close(fig)
    if "bifurcation" in wanted:
        from ..analysis.portraits import bifurcation_data

        from .paper import bifurcation_parameter

        name = bifurcation_parameter(paper.analysis)
        fig = pf.plot_bifurcation(bifurcation_data(game, name), game, lang)
        out["bifurcation"] = fig_mod.figure_bytes(fig, fmt, dpi=dpi)
        fig_mod.plt.close(fig)
    return out


def paper_files(analysis, lang: str = "en", fmt: str = "latex", *, t_end: float = 30.0,
                dpi: int = 200, n_points: int = 401) -> dict[str, bytes]:
    """File name -> bytes of the paper folder (without the manifest).

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    lang : str
        ``"en"`` or ``"zh"``.
    fmt : str
        ``"latex"``, ``"markdown"`` or ``"docx"``.
    t_end : float
        Horizon of the simulation figures.
    dpi : int
        Resolution of PNG figures.
    n_points : int
        Output times per trajectory.

    Returns
    -------
    dict of str to bytes

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> files = paper_files(gr.analyze(gr.Game.builtin("hawk_dove")), "en", "markdown",
    ...                     t_end=5.0, dpi=50, n_points=51)
    >>> sorted(files)
    ['analysis.md', 'bifurcation.png', 'paths.png', 'sensitivity.png']
    """
    from .i18n import check_lang
    from .paper import build_paper

    check_lang(lang)
    if fmt not in FORMATS:
        raise GameInputError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    paper = build_paper(analysis, lang)
    fig_fmt = "pdf" if fmt == "latex" else "png"
    figures = _figures(paper, t_end, fig_fmt, dpi, n_points) if analysis.game.is_numeric else {}
    files = {f"{stem}.{fig_fmt}": data for stem, data in figures.items()}
    if fmt == "latex":
        from .paper_latex import render_fragment, render_standalone

        files["analysis.tex"] = render_fragment(paper, fig_fmt).encode()
        files["paper.tex"] = render_standalone(paper, "analysis.tex").encode()
    elif fmt == "markdown":
        from .paper_markdown import render_markdown

        files["analysis.md"] = render_markdown(paper, fig_fmt).encode()
    else:
        from .paper_docx import render_docx

        files["analysis.docx"] = render_docx(paper, figures)
    return files


def write_paper(analysis, output: str, lang: str = "en", fmt: str = "latex", *,
                command: str = "", **options) -> dict:
    """Write the paper folder and its ``manifest.json``; return the manifest.

    Parameters
    ----------
    analysis : EquilibriumAnalysis
    output : str
        The folder (created if missing).
    lang, fmt : str
        See :func:`paper_files`.
    command : str
        The command that regenerates the folder (recorded in the manifest).
    **options
        Passed to :func:`paper_files`.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    GameInputError
        A folder that cannot be created or written.

    Examples
    --------
    >>> import tempfile, gametheory_regen as gr
    >>> with tempfile.TemporaryDirectory() as d:
    ...     man = write_paper(gr.analyze(gr.Game.builtin("hawk_dove")), d, "zh", "markdown",
    ...                       t_end=5.0, dpi=50, n_points=51)
    >>> [f["path"] for f in man["files"]]
    ['analysis.md', 'bifurcation.png', 'paths.png', 'sensitivity.png']
    """
    from ..fileio import check_writable, write_bytes_atomic

    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise GameInputError(f"--output {output!r}: cannot create the folder ({exc.strerror})") \
            from exc
    files = paper_files(analysis, lang, fmt, **options)
    for name in [*files, "manifest.json"]:
        check_writable(os.path.join(output, name))
    game = analysis.game
    manifest = {
        "model": game.name, "scenario": game.scenario, "version": __version__,
        "lang": lang, "format": fmt, "command": command,
        "files": [{"path": name, "bytes": len(data),
                   "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(files.items())],
    }
    for name, data in files.items():
        write_bytes_atomic(os.path.join(output, name), data)
    write_bytes_atomic(os.path.join(output, "manifest.json"),
                       (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return manifest


# ------------------------------------------------------------------------- command line
def _add_parser(sub) -> None:
    p = sub.add_parser("paper", help="the analysis section of a paper (LaTeX, Markdown, Word)")
    p.add_argument("model", help="a built-in model name (see `models`) or a path to a .toml file")
    p.add_argument("--scenario", metavar="NAME", help="apply a named scenario (policy)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter (repeatable; after the scenario)")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument("--format", choices=FORMATS, default="latex")
    p.add_argument("--output", required=True, metavar="DIR", help="folder to write into")
    p.add_argument("--t-end", type=float, default=30.0, metavar="T",
                   help="horizon of the simulation figures (default 30)")
    p.add_argument("--dpi", type=int, default=200, help="resolution of PNG figures")


def _command(args) -> str:
    parts = ["gametheory-regen", "paper", args.model]
    if args.scenario:
        parts += ["--scenario", args.scenario]
    for s in args.set:
        parts += ["--set", s]
    parts += ["--lang", args.lang, "--format", args.format, "--output", args.output]
    if args.t_end != 30.0:
        parts += ["--t-end", f"{args.t_end:g}"]
    if args.dpi != 200:
        parts += ["--dpi", str(args.dpi)]
    return shlex.join(parts)


def _run(args) -> None:
    from ..analysis.equilibria import analyze
    from .cli import load_game

    if not (np.isfinite(args.t_end) and args.t_end > 0):
        raise GameInputError(f"--t-end {args.t_end:g}: expected a positive number, e.g. 30")
    if not 10 <= args.dpi <= 2400:
        raise GameInputError(f"--dpi {args.dpi}: expected 10 .. 2400, e.g. 200")
    game = load_game(args)
    if game.dynamics.kind != "replicator":  # the section is the replicator's (Contract 4)
        raise GameInputError(
            f"paper writes the replicator analysis section; the model declares dynamics "
            f"{game.dynamics.kind!r}: use `report --dynamics {game.dynamics.kind}` for its rest "
            f"points, or remove the [dynamics] table")
    analysis = analyze(game)
    manifest = write_paper(analysis, args.output, args.lang, args.format,
                           command=_command(args), t_end=args.t_end, dpi=args.dpi)
    for f in manifest["files"]:
        print(os.path.join(args.output, f["path"]))
    print(os.path.join(args.output, "manifest.json"))


def register() -> None:
    """Add the ``paper`` verb to the command line (called by :mod:`.verbs`).

    Returns
    -------
    None

    Examples
    --------
    >>> from gametheory_regen.presentation import cli
    >>> register()
    >>> "paper" in cli._VERBS
    True
    """
    from .cli import _VERBS, register as cli_register

    if "paper" not in _VERBS:
        cli_register("paper", _add_parser, _run)

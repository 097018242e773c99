"""Figures: every function runs on built-in models, returns Axes/Figure, and is deterministic.

Stability markers are read from the analysis (never recomputed); the CJK font fallback either
finds an installed font or warns with install instructions.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gametheory_regen.analysis import analyze  # noqa: E402
from gametheory_regen.errors import GameInputError  # noqa: E402
from gametheory_regen.model import Game  # noqa: E402
from gametheory_regen.presentation import figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def games():
    names = ["regeneration", "matching_pennies", "rock_paper_scissors", "battle_of_sexes",
             "hawk_dove", "jordan_matching_pennies"]
    return {n: (Game.builtin(n), analyze(Game.builtin(n))) for n in names}


def svg(fig) -> bytes:
    return figures.figure_bytes(fig, "svg")


def test_time_series_single_and_panels(games):
    game, _ = games["battle_of_sexes"]
    t = np.linspace(0, 5, 50)
    states = np.column_stack([np.linspace(0.2, 0.9, 50), np.linspace(0.6, 0.1, 50)])  # reduced
    ax = figures.plot_time_series((t, states), game)
    assert isinstance(ax, Axes)
    assert [line.get_label() for line in ax.get_lines()] == [
        "x (woman: opera)", "y (man: opera)"]
    fig = figures.plot_time_series({"t": t, "states": {"woman": np.column_stack(
        [states[:, 0], 1 - states[:, 0]]), "man": np.column_stack([states[:, 1], 1 - states[:, 1]])}},
        game, panels="population")
    assert isinstance(fig, Figure) and len(fig.axes) == 2


def test_time_series_of_a_simulation(games):
    from gametheory_regen.analysis.batch import simulate

    game, _ = games["regeneration"]
    sim = simulate(game, [0.6, 0.6, 0.6], 5.0, backend="numpy")
    ax = figures.plot_time_series(sim, game)
    assert len(ax.get_lines()) == 3
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), sim.states[:, 0])


def test_time_series_rejects_wrong_width(games):
    game, _ = games["battle_of_sexes"]
    with pytest.raises(GameInputError, match="last axis"):
        figures.plot_time_series((np.arange(3), np.zeros((3, 5))), game)


def test_phase_portrait_3d_markers_follow_the_analysis(games):
    game, analysis = games["regeneration"]
    ax = figures.plot_phase_portrait_3d(game, analysis, grid=2)
    assert ax.name == "3d"
    markers = [ln for ln in ax.get_lines() if ln.get_markersize() == 9]
    assert len(markers) == len(analysis.rest_points)
    for line, rest in zip(markers, analysis.rest_points, strict=True):
        style = figures.STABILITY_STYLE[rest.stability]
        assert line.get_fillstyle() == style["fillstyle"]
        assert line.get_marker() == style["marker"]


def test_phase_portrait_3d_colours_by_attractor(games):
    game, analysis = games["regeneration"]
    stable = [np.concatenate(r.state) for r in analysis.stable]
    # two hand-made trajectories ending at the two stable vertices, one ending nowhere
    traj = np.array([[stable[0] * 0 + 0.5, stable[0]], [stable[1] * 0 + 0.5, stable[1]],
                     [stable[1] * 0 + 0.5, stable[1] * 0 + 0.5]])
    ax = figures.plot_phase_portrait_3d(game, analysis, trajectories=traj)
    colours = [ln.get_color() for ln in ax.get_lines()[:6:2]]
    assert colours[0] != colours[1] and colours[2] == figures._GREY


def test_phase_portrait_3d_needs_three_binary_populations(games):
    game, analysis = games["battle_of_sexes"]
    with pytest.raises(GameInputError, match="three populations"):
        figures.plot_phase_portrait_3d(game, analysis)


def test_phase_plane_matching_pennies_centre_is_a_cross(games):
    """Hofbauer & Sigmund (1998) 10.3: the centre (1/2, 1/2) is non-hyperbolic, never stable."""
    game, analysis = games["matching_pennies"]
    ax = figures.plot_phase_plane(game, analysis)
    crosses = [ln for ln in ax.get_lines() if ln.get_marker() == "X"]
    assert len(crosses) == 1
    assert crosses[0].get_xdata() == 0.5 and crosses[0].get_ydata() == 0.5


def test_phase_plane_slice_of_regeneration(games):
    game, analysis = games["regeneration"]
    ax = figures.plot_phase_plane(game, analysis, fixed={"residents": 1.0})
    assert "z = 1 fixed" in ax.get_title()
    with pytest.raises(GameInputError, match="two free populations"):
        figures.plot_phase_plane(game, analysis)


def test_phase_plane_lambdifies_once(games, monkeypatch):
    import sympy as sp

    game, analysis = games["hawk_dove"]
    figures.plot_phase_plane(game, analysis)
    calls = []
    real = sp.lambdify
    monkeypatch.setattr(sp, "lambdify", lambda *a, **k: calls.append(1) or real(*a, **k))
    figures.plot_phase_plane(game, analysis)
    assert calls == []


def test_simplex_rock_paper_scissors(games):
    game, analysis = games["rock_paper_scissors"]
    ax = figures.plot_simplex(game, analysis)
    texts = {t.get_text() for t in ax.texts}
    assert {"rock", "paper", "scissors"} <= texts
    with pytest.raises(GameInputError, match="three strategies"):
        figures.plot_simplex(*games["hawk_dove"])


REGIME_DATA = {
    "vary": [{"name": "a", "values": [0.0, 1.0, 2.0]}, {"name": "b", "values": [0.0, 1.0]}],
    "cells": [
        {"at": {"a": a, "b": b},
         "stable": [{"p": [1.0, 0.0], "q": [1.0, 0.0]}] + ([{"p": [0.0, 1.0], "q": [0.0, 1.0]}]
                                                            if a > 0 else []),
         "basins": [{"attractor": {"p": [1.0, 0.0], "q": [1.0, 0.0]}, "share": 1 - a / 4},
                    {"attractor": {"p": [0.0, 1.0], "q": [0.0, 1.0]}, "share": a / 4}]}
        for a in (0.0, 1.0, 2.0) for b in (0.0, 1.0)],
}


def test_regime_map_from_sweep_json():
    ax = figures.plot_regime_map(REGIME_DATA)
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b"
    assert {t.get_text() for t in ax.texts} == {"R1", "R2"}
    mesh = ax.collections[0].get_array().reshape(2, 3)  # (b, a)
    np.testing.assert_allclose(mesh[0], [1.0, 0.75, 0.5])


def test_regime_map_from_sweep_result(games):
    from gametheory_regen.analysis.sweep import sweep

    game, _ = games["hawk_dove"]
    res = sweep(game, {"V": [1.0, 3.0, 5.0], "C": [2.0, 4.0]}, samples=16, t_end=40.0,
                backend="numpy")
    ax = figures.plot_regime_map(res, game=game)
    assert isinstance(ax, Axes)
    one = sweep(game, {"V": [1.0, 3.0, 5.0]}, samples=16, t_end=40.0, backend="numpy")
    assert isinstance(figures.plot_regime_map(one, game=game), Axes)


def test_evolution_paths(games):
    game, _ = games["regeneration"]
    ax = figures.plot_evolution_paths(game, "s", [0.0, 1.43, 3.0], "operator",
                                      initial={"government": 0.8, "operator": 0.6,
                                               "residents": 0.7}, t_end=5.0)
    assert [ln.get_label() for ln in ax.get_lines()] == ["s = 0", "s = 1.43", "s = 3"]
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(0.6)


def test_evolution_paths_with_a_schedule(games):
    from gametheory_regen.dynamics.schedules import Schedule

    game, _ = games["regeneration"]
    ax = figures.plot_evolution_paths(game, "T", [10.0, 20.0], "operator", t_end=6.0,
                                      initial={"government": 0.8, "operator": 0.6,
                                               "residents": 0.7},
                                      schedules=[Schedule("s", "piecewise_constant", (0, 3),
                                                          (1.43, 0))])
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize("name", ["regeneration", "matching_pennies", "rock_paper_scissors",
                                  "jordan_matching_pennies"])
def test_same_svg_bytes_twice(games, name):
    _, analysis = games[name]
    a = svg(figures.report_figure(analysis))
    b = svg(figures.report_figure(analysis))
    assert a == b
    fig = figures.report_figure(analysis)
    assert svg(fig) == svg(fig) == a  # re-rendering one figure does not move its layout


def test_pdf_and_png_are_deterministic(games):
    _, analysis = games["battle_of_sexes"]
    fig = figures.report_figure(analysis)
    for fmt in ("pdf", "png"):
        assert figures.figure_bytes(fig, fmt) == figures.figure_bytes(fig, fmt)
    assert b"CreationDate" not in figures.figure_bytes(fig, "pdf")


@pytest.mark.parametrize("ext,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                       (".pdf", b"%PDF")])
def test_save_report_figure(games, tmp_path, ext, magic):
    _, analysis = games["regeneration"]
    path = tmp_path / f"portrait{ext}"
    figures.save_report_figure(analysis, path)
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_save_report_figure_rejects_unknown_extension(games, tmp_path):
    with pytest.raises(GameInputError, match=".png, .svg or .pdf"):
        figures.save_report_figure(games["hawk_dove"][1], tmp_path / "x.jpg")
    assert list(tmp_path.iterdir()) == []


def _chinese_game():
    return Game.from_table("cn", [("政府", ["支持", "不支持"]), ("居民", ["参与", "不参与"])],
                           {("支持", "参与"): (2, 1), ("不支持", "不参与"): (1, 2)})


def test_cjk_labels_render_or_warn():
    game = _chinese_game()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = figures.plot_phase_plane(game, analyze(game))
        figures.figure_bytes(ax.figure, "png")
    ours = [w for w in caught if issubclass(w.category, figures.CJKFontWarning)]
    glyphs = [w for w in caught if "missing from font" in str(w.message)]
    if figures.cjk_font():
        assert not ours and not glyphs
        assert figures.cjk_font() in ax.xaxis.label.get_fontfamily()
    else:
        assert len(ours) == 1 and "fonts-noto-cjk" in str(ours[0].message)


def test_missing_cjk_font_warns(monkeypatch):
    monkeypatch.setattr(figures, "_font_cache", [None])
    game = _chinese_game()
    with pytest.warns(figures.CJKFontWarning, match="apt-get install fonts-noto-cjk"):
        figures.plot_time_series((np.arange(2.0), np.full((2, 2), 0.5)), game)


def test_no_warning_for_latin_labels(monkeypatch, games):
    monkeypatch.setattr(figures, "_font_cache", [None])
    with warnings.catch_warnings():
        warnings.simplefilter("error", figures.CJKFontWarning)
        figures.plot_phase_plane(*games["battle_of_sexes"])


def test_no_show_in_library_code():
    import inspect

    assert "plt.show" not in inspect.getsource(figures).replace("plt.show`", "")


def test_presentation_never_integrates_nor_lambdifies():
    """Issue 13 / layering: the computation behind figures lives in analysis/portraits.py."""
    import pathlib
    import re

    root = pathlib.Path(figures.__file__).parent
    for path in sorted(root.glob("*.py")):
        code = "\n".join(line for line in path.read_text().splitlines()
                         if not line.lstrip().startswith("#"))
        for word in ("lambdify(", "solve_ivp(", "integrate_pieces(", "integrate_batch("):
            assert not re.search(re.escape(word), code), f"{path.name} calls {word}"


def test_sweep_text_and_attractor_strategy_names(capsys):
    """sweep --format text names outcomes by strategies; JSON basins carry the names beside the
    share vectors (Contract 3 keys unchanged).  Hawk-dove: for C < V = 2, (hawk, hawk) is the
    only ESS; for C > V the two asymmetric profiles are (Maynard Smith 1982, ch. 8)."""
    import json

    from gametheory_regen.presentation.cli import main

    assert main(["sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "8", "--format",
                 "text", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "O1 = (hawk, hawk)" in text and "O2 = (hawk, dove)" in text
    rows = [line.split() for line in text.splitlines() if line[:1].isdigit()]
    assert rows[0][:2] == ["1", "O1"] and rows[1][:3] == ["4", "O2,", "O3"]
    assert main(["sweep", "hawk_dove", "--vary", "C=1:4:2", "--samples", "8", "--quiet"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cell = doc["cells"][1]
    assert set(cell) >= {"at", "stable", "basins"}
    assert cell["stable_strategies"] == [{"owner": "hawk", "intruder": "dove"},
                                         {"owner": "dove", "intruder": "hawk"}]
    for b in cell["basins"]:
        assert set(b) >= {"attractor", "share"}
        if b["attractor"] is not None:
            strat = b["attractor_strategies"]
            for pop, shares in b["attractor"].items():
                names = {"owner": ["hawk", "dove"], "intruder": ["hawk", "dove"]}[pop]
                assert names[shares.index(max(shares))] == strat[pop]


def test_outcome_colour_is_the_same_in_every_figure(games):
    """Issue 13: an outcome kept its colour neither between the portrait and the basin plot."""
    game, analysis = games["regeneration"]
    ax = figures.plot_phase_portrait_3d(game, analysis, grid=2, t_end=5.0)
    coop = ((1.0, 0.0), (1.0, 0.0), (1.0, 0.0))
    colour = figures.outcome_colour(game, coop)
    legend = {t.get_text(): h.get_color() for t, h in
              zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)
              if t.get_text().startswith("→ (")}
    assert legend["→ (enable, operate, participate)"] == colour
    from gametheory_regen.presentation.paper_figures import outcome_colours
    assert outcome_colours(game)[(0, 0, 0)] == colour
    figures.plt.close(ax.figure)


# ------------------------------------------------------------------ visual regression test
import os as _os  # noqa: E402
import pathlib as _pathlib  # noqa: E402

BASELINES = _pathlib.Path(__file__).parent / "baseline_images"
#: RMS tolerance (0-255 grey levels) of matplotlib.testing.compare.compare_images.  The figures
#: are drawn at 40 dpi; differences in font hinting between FreeType builds move a few text
#: pixels (RMS below about 3), while a changed colour, line, marker or layout moves far more.
VISUAL_TOL = 6.0


def _figure_kinds(games):
    from gametheory_regen.analysis.portraits import (bifurcation_data, evolution_paths,
                                                     parameter_paths, single_party_analysis,
                                                     threshold_surface)
    from gametheory_regen.presentation import paper_figures as pf

    regen, regen_an = games["regeneration"]
    hd, hd_an = games["hawk_dove"]
    rps, rps_an = games["rock_paper_scissors"]
    t = np.linspace(0, 5, 60)
    yield "time_series", lambda: figures.plot_time_series(
        (t, np.column_stack([0.5 + 0.4 * np.tanh(t), 0.5 - 0.4 * np.tanh(t),
                             0.5 - 0.4 * np.tanh(t), 0.5 + 0.4 * np.tanh(t)])), hd).figure
    yield "portrait_3d", lambda: figures.plot_phase_portrait_3d(regen, regen_an, grid=2,
                                                               t_end=10.0).figure
    yield "phase_plane", lambda: figures.plot_phase_plane(hd, hd_an, t_end=5.0,
                                                         density=0.5).figure
    yield "simplex", lambda: figures.plot_simplex(rps, rps_an, t_end=5.0).figure
    yield "evolution_paths", lambda: figures.plot_evolution_paths(hd, "V", [1.0, 2.0, 3.0],
                                                                 t_end=5.0).figure
    yield "paper_paths", lambda: pf.plot_paths(evolution_paths(hd, [(0.6, 0.4), (0.3, 0.8)],
                                                               5.0, 101), hd)
    yield "sensitivity", lambda: pf.plot_sensitivity_grid(
        {"V": parameter_paths(hd, "V", [1.0, 2.0, 3.0], (0.6, 0.4), 5.0, 101)}, hd)
    yield "bifurcation", lambda: pf.plot_bifurcation(
        bifurcation_data(hd, "C", np.linspace(0.5, 4, 36)), hd)
    party = single_party_analysis(regen)[2]
    yield "threshold_surface", lambda: pf.plot_threshold_surface(
        threshold_surface(regen, party, 9), regen, party)


def test_visual_regression(games, tmp_path):
    """Each figure kind, drawn small, matches its stored PNG within VISUAL_TOL
    (matplotlib.testing.compare.compare_images).  Regenerate the baselines after an intended
    change with GAMETHEORY_REGEN_UPDATE_BASELINES=1 and review them."""
    from matplotlib.testing.compare import compare_images

    update = _os.environ.get("GAMETHEORY_REGEN_UPDATE_BASELINES") == "1"
    failures = []
    for name, draw in _figure_kinds(games):
        fig = draw()
        data = figures.figure_bytes(fig, "png", dpi=40)
        figures.plt.close(fig)
        actual = tmp_path / f"{name}.png"
        actual.write_bytes(data)
        expected = BASELINES / f"{name}.png"
        if update:
            BASELINES.mkdir(exist_ok=True)
            expected.write_bytes(data)
            continue
        assert expected.exists(), f"missing baseline {expected}"
        result = compare_images(str(expected), str(actual), tol=VISUAL_TOL, in_decorator=True)
        if result is not None:
            failures.append(f"{name}: RMS {result['rms']:.2f}")
    assert not failures, failures


def test_figure_modules_never_show_and_stay_small():
    """The split of figures.py (issue 13): no fig_* module calls plt.show, none outgrows the
    ~500-line limit of one thing per module, and the facade re-exports every public name."""
    import pathlib

    root = pathlib.Path(figures.__file__).parent
    modules = sorted(root.glob("fig_*.py"))
    assert len(modules) >= 9
    for path in modules:
        code = path.read_text()
        assert "plt.show(" not in code, path.name
        assert code.count("\n") <= 500, path.name
    for name in figures.__all__:
        assert getattr(figures, name) is not None, name

r"""Publication figures of replicator dynamics (matplotlib).

What is drawn
-------------
The state of an :math:`n`-population game is one point of the product of simplices
:math:`\prod_p \Delta_{k_p}`.  A two-strategy population is one coordinate in :math:`[0, 1]` (the
share of its first strategy, the population's ``symbol``), so

* three two-strategy populations live in the unit cube (:func:`plot_phase_portrait_3d`);
* two two-strategy populations, or a 2-D slice of a larger game with the other shares held fixed,
  live in the unit square, where the vector field
  :math:`(\dot x, \dot y)` is drawn as a streamplot together with its nullclines
  :math:`\dot x = 0` and :math:`\dot y = 0` (:func:`plot_phase_plane`);
* a three-strategy population lives in a triangle, drawn in barycentric coordinates
  (:func:`plot_simplex`): the point :math:`(s_1, s_2, s_3)` goes to
  :math:`s_1 v_1 + s_2 v_2 + s_3 v_3` with the vertices :math:`v_i` of an equilateral triangle.

Rest points are marked by their stability word, which figures read from the analysis and never
compute: filled = ``stable``, open = ``unstable``, half-filled = ``saddle``,
cross = ``non-hyperbolic``.  Continua of rest points are drawn as lines.

Trajectories that are not given are computed by the analysis layer
(:mod:`gametheory_regen.analysis.portraits`, with the numeric engine; this module never integrates
nor lambdifies), from a regular grid of starting
points (no randomness); a trajectory is coloured by the stable rest point it ends near (within
``attractor_tol`` in the largest share difference), grey when it ends near none.

Fonts and reproducibility
-------------------------
Labels come from the model (population, strategy and parameter names, population symbols) and may
be Chinese.  A CJK font installed on the machine (Noto Sans CJK, Source Han Sans, WenQuanYi,
SimHei, ...) is found with :mod:`matplotlib.font_manager` and used as a fallback after DejaVu Sans;
when there is none and a label needs one, a :class:`CJKFontWarning` says how to install one rather
than drawing empty boxes silently.  :func:`figure_bytes` renders a figure to PNG, SVG or PDF bytes
deterministically (fixed ``svg.hashsalt``, no dates in the metadata), and
:func:`save_report_figure` writes the figure of ``gametheory-regen report --plot FILE`` atomically.

Every function takes ``ax=None`` and returns the Axes (or the Figure when it draws several panels);
none calls ``plt.show``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import os
import re
import warnings
from collections.abc import Mapping, Sequence

import matplotlib

if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
    # headless: never try an interactive backend (no effect once pyplot chose one)
    with contextlib.suppress(Exception):
        matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from ..analysis.eigen import Stability  # noqa: E402
from ..errors import GameInputError  # noqa: E402

__all__ = [
    "CJKFontWarning",
    "cjk_font",
    "bundled_cjk_font_path",
    "figure_bytes",
    "language",
    "outcome_colour",
    "OUTCOME_PALETTE",
    "plot_sensitivity_grid",
    "plot_bifurcation",
    "plot_time_series",
    "plot_phase_portrait_3d",
    "plot_phase_plane",
    "plot_simplex",
    "plot_regime_map",
    "plot_evolution_paths",
    "save_report_figure",
    "STABILITY_STYLE",
]

#: The salt of SVG element ids, fixed so that the same figure gives the same bytes.
SVG_HASHSALT = "gametheory_regen"

# ----------------------------------------------------------------------------------- fonts
#: Family names of CJK fonts looked for, in order of preference.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR",
    "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN",
    "Source Han Sans", "Source Han Serif SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei Sharp", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC",
    "STHeiti", "Sarasa Gothic SC", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
)
_CJK_FILE_PATTERN = re.compile(
    r"(notosanscjk|notoserifcjk|notosanssc|sourcehan|wqy|wenquanyi|simhei|msyh|pingfang|"
    r"droidsansfallback|sarasa|uming|ukai)", re.IGNORECASE)
_CJK_CHARS = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")

INSTALL_HINT = (
    "install a CJK font and restart Python: `apt-get install fonts-noto-cjk` "
    "(or the smaller `fonts-wqy-microhei`) on Debian/Ubuntu, or `pip install mplfonts` "
    "(a dependency of gametheory_regen: reinstall the package)"
)


class CJKFontWarning(UserWarning):
    """A label needs a CJK font and none is installed: it would be drawn as empty boxes.

    Every plotting function checks its labels once drawn and warns (once per figure) when some
    need a CJK font and :func:`cjk_font` found none; the message says how to install one.

    Examples
    --------
    A game with Chinese names warns exactly when no CJK font is installed:

    >>> import warnings
    >>> import gametheory_regen as gr
    >>> game = gr.Game.from_table("囚徒", [("甲", ["合作", "背叛"]), ("乙", ["合作", "背叛"])],
    ...                           {("合作", "合作"): (3, 3), ("背叛", "背叛"): (1, 1)})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ax = plot_time_series(([0, 1], [[0.5, 0.5, 0.5, 0.5], [0.6, 0.4, 0.7, 0.3]]), game)
    >>> warned = [w for w in caught if issubclass(w.category, CJKFontWarning)]
    >>> len(warned) == (0 if cjk_font() else 1)
    True
    >>> [line.get_label() for line in ax.get_lines()]
    ['x (甲: 合作)', 'y (乙: 合作)']
    >>> plt.close(ax.figure)
    """


_font_cache: list[str | None] = []


def cjk_font(refresh: bool = False) -> str | None:
    """The family name of an installed CJK font, or None.

    Looks in matplotlib's font list for the families of :data:`CJK_FAMILIES`, then among the
    system's font files for a CJK font matplotlib has not registered yet (one installed after its
    font cache was built), which it then registers.

    Parameters
    ----------
    refresh : bool
        Look again instead of returning the remembered answer.

    Returns
    -------
    str or None
        A family name registered with :mod:`matplotlib.font_manager` (used as a fallback after
        DejaVu Sans in every figure), or None when there is no CJK font.

    Examples
    --------
    The answer depends on the machine, but it is always a font matplotlib knows, and it is
    remembered:

    >>> from matplotlib import font_manager
    >>> font = cjk_font()
    >>> font is None or font in {f.name for f in font_manager.fontManager.ttflist}
    True
    >>> cjk_font() == font
    True
    """
    if _font_cache and not refresh:
        return _font_cache[0]
    found = _registered_cjk_family()
    if found is None:  # the font shipped by the `mplfonts` dependency (Noto Sans CJK SC, OFL)
        path = bundled_cjk_font_path()
        if path is not None:
            with contextlib.suppress(Exception):
                font_manager.fontManager.addfont(path)
            found = _registered_cjk_family()
    if found is None:
        with contextlib.suppress(Exception):
            for path in sorted(font_manager.findSystemFonts()):
                if _CJK_FILE_PATTERN.search(os.path.basename(path)):
                    with contextlib.suppress(Exception):
                        font_manager.fontManager.addfont(path)
            found = _registered_cjk_family()
    _font_cache[:] = [found]
    return found


def bundled_cjk_font_path() -> str | None:
    """The Noto Sans CJK SC font file shipped by the ``mplfonts`` package, or None.

    ``mplfonts`` (a dependency of this package) carries Noto Sans CJK SC (SIL Open Font
    License); the file is found without importing ``mplfonts`` and registered with
    :mod:`matplotlib.font_manager` by :func:`cjk_font`, so Chinese labels work right after
    ``pip install`` on a machine with no system font.

    Returns
    -------
    str or None

    Examples
    --------
    >>> path = bundled_cjk_font_path()
    >>> path is None or path.endswith("NotoSansCJKsc-Regular.otf")
    True
    """
    import importlib.util

    with contextlib.suppress(Exception):
        spec = importlib.util.find_spec("mplfonts")
        for root in (spec.submodule_search_locations or []) if spec else []:
            path = os.path.join(root, "fonts", "NotoSansCJKsc-Regular.otf")
            if os.path.isfile(path):
                return path
    return None


def _registered_cjk_family() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    for name in sorted(names):  # any other font whose name says CJK
        if re.search(r"CJK|Han Sans|WenQuanYi|Hei\b", name):
            return name
    return None


def _has_cjk(text: str) -> bool:
    return bool(_CJK_CHARS.search(text or ""))


def _font_family() -> list[str]:
    font = cjk_font()
    return ["DejaVu Sans", font] if font else ["DejaVu Sans"]


@contextlib.contextmanager
def _style():
    """Fonts (with the CJK fallback) and deterministic SVG ids for everything drawn inside."""
    with plt.rc_context({"font.family": _font_family(), "svg.hashsalt": SVG_HASHSALT,
                         "axes.unicode_minus": True}):
        yield


def _check_glyphs(fig) -> None:
    """Warn when some text of ``fig`` needs a CJK font and none is installed."""
    from matplotlib.text import Text

    if cjk_font() is not None:
        return
    for text in fig.findobj(Text):
        if _has_cjk(text.get_text()):
            warnings.warn(
                f"the label {text.get_text()!r} has Chinese/Japanese/Korean characters but no CJK "
                f"font is installed, so they would be drawn as empty boxes; {INSTALL_HINT}",
                CJKFontWarning, stacklevel=3)
            return


# ----------------------------------------------------------------------------------- output
_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def figure_bytes(fig, fmt: str = "png", *, dpi: int = 150) -> bytes:
    """Render ``fig`` to PNG, SVG or PDF bytes, the same bytes for the same figure.

    SVG element ids use a fixed hash salt and no dates are written into SVG or PDF metadata.
    A constrained layout is run to its fixed point and then frozen, so that rendering the
    figure again gives the same bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    fmt : {"png", "svg", "pdf"}
        Case-insensitive; a leading dot is allowed (``".svg"``).
    dpi : int
        Resolution of PNG output.

    Returns
    -------
    bytes

    Raises
    ------
    GameInputError
        Another format.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> figure_bytes(fig, "png")[1:4], figure_bytes(fig, ".PDF")[:5]
    (b'PNG', b'%PDF-')
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    >>> figure_bytes(fig, "gif")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: figure format must be png, svg or pdf; got 'gif'
    >>> plt.close(fig)
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise GameInputError(f"figure format must be png, svg or pdf; got {fmt!r}")
    metadata: dict[str, object] = {"png": {"Software": "gametheory_regen"},
                                   "svg": {"Date": None, "Creator": "gametheory_regen"},
                                   "pdf": {"CreationDate": None, "ModDate": None,
                                           "Creator": "gametheory_regen",
                                           "Producer": "gametheory_regen"}}[fmt]
    buffer = io.BytesIO()
    with _style():
        _freeze_layout(fig)
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def _freeze_layout(fig) -> None:
    """Run a constrained layout to its fixed point once and keep it.

    A constrained layout is recomputed, and moves by a fraction of a point, at every draw; frozen,
    every later rendering of the figure gives the same bytes.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        for _ in range(2):
            engine.execute(fig)
        fig.set_layout_engine("none")


# ----------------------------------------------------------------------------------- helpers
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


def _counts(game) -> tuple[int, ...]:
    return tuple(game.shape)


def _offsets(game) -> list[int]:
    out = [0]
    for k in game.shape:
        out.append(out[-1] + k)
    return out


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


def _flat(state) -> np.ndarray:
    return np.concatenate([np.asarray(s, dtype=float) for s in state])


def _as_full(game, states) -> np.ndarray:
    """States as full shares ``(..., N)`` from full ``(..., N)``, reduced ``(..., d)`` or a mapping
    population -> ``(..., k)``."""
    counts = _counts(game)
    N, d = sum(counts), sum(k - 1 for k in counts)
    if isinstance(states, Mapping):
        blocks = [np.asarray(states[pop.name], dtype=float) for pop in game.populations]
        return np.concatenate(blocks, axis=-1)
    arr = np.asarray(states, dtype=float)
    if arr.shape[-1] == N:
        return arr
    if arr.shape[-1] == d:
        blocks, j = [], 0
        for k in counts:
            red = arr[..., j:j + k - 1]
            blocks += [red, 1.0 - red.sum(axis=-1, keepdims=True)]
            j += k - 1
        return np.concatenate(blocks, axis=-1)
    raise GameInputError(
        f"states: the last axis must have {N} entries (every share) or {d} (reduced "
        f"coordinates) for model {game.name!r}; got shape {arr.shape}")


def _first_shares(game, full: np.ndarray) -> np.ndarray:
    """Share of the first strategy of each population, ``(..., n)``."""
    off = _offsets(game)
    return np.stack([full[..., off[p]] for p in range(game.n_populations)], axis=-1)


def _log_times(t_end: float, n: int = 400) -> np.ndarray:
    from ..analysis.portraits import log_times

    return log_times(t_end, n)


def _integrate(game, starts: np.ndarray, t_end: float, t_out: np.ndarray | None = None,
               payoffs: np.ndarray | None = None) -> np.ndarray:
    """Trajectories ``(m, T, N)``, computed by the analysis layer (figures never integrate)."""
    from ..analysis.portraits import trajectories

    return trajectories(game, starts, t_end, t_out=t_out, payoffs=payoffs)


def _grid_starts(game, per_axis: int, lo: float = 0.1, hi: float = 0.9) -> np.ndarray:
    """A regular grid of interior starting states of a game of two-strategy populations."""
    axes = [np.linspace(lo, hi, per_axis)] * game.n_populations
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, game.n_populations)
    full = np.empty((len(mesh), 2 * game.n_populations))
    full[:, 0::2] = mesh
    full[:, 1::2] = 1.0 - mesh
    return full


def _attractor_index(analysis, finals: np.ndarray, tol: float) -> np.ndarray:
    """Index into ``analysis.stable`` of the stable rest point each final state is near, or -1."""
    stable = [_flat(r.state) for r in analysis.stable]
    out = np.full(len(finals), -1)
    for j, s in enumerate(stable):
        out[np.max(np.abs(finals - s[None, :]), axis=1) < tol] = j
    return out


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


def _require_numeric(game, what: str) -> None:
    if not game.is_numeric:
        raise GameInputError(
            f"{what}: model {game.name!r} has parameters without a value "
            f"({', '.join(game.free_parameters)}); set them with Game.with_values or a scenario")


def _continuum_points(game, continuum, samples: int = 201) -> np.ndarray | None:
    """Full states along a one-dimensional continuum, ``(m, N)`` (None for other dimensions)."""
    if len(continuum.free) != 1:
        return None
    free = sp.Symbol(continuum.free[0], real=True)
    param = {k: sp.sympify(v) for k, v in continuum.parametrization.items()}
    ts = np.linspace(0.0, 1.0, samples)
    rows = []
    for t in ts:
        state = []
        ok = True
        for pop, support in zip(game.populations, continuum.support, strict=True):
            shares = [0.0] * pop.k
            used = list(support)
            for i in used[:-1]:
                name = f"{pop.name}.{pop.strategies[i]}"
                if name == continuum.free[0]:
                    shares[i] = float(t)
                elif name in param:
                    value = param[name].xreplace({free: t})
                    shares[i] = float(value) if value.is_number else math.nan
                else:
                    ok = False
            shares[used[-1]] = 1.0 - sum(shares[i] for i in used[:-1])
            state += shares
        arr = np.array(state)
        if ok and np.all(np.isfinite(arr)) and np.all(arr >= -1e-9) and np.all(arr <= 1 + 1e-9):
            rows.append(arr)
        else:
            rows.append(np.full(len(state), np.nan))
    return np.array(rows)


# ----------------------------------------------------------------------------------- time series
def _unpack_result(result):
    """``(times, states)`` from a result object, a JSON-like mapping or a pair."""
    if isinstance(result, tuple) and len(result) == 2:
        return np.asarray(result[0], dtype=float), result[1]
    if isinstance(result, Mapping):
        times = result.get("t", result.get("times"))
        return np.asarray(times, dtype=float), result["states"]
    for tname in ("t", "times", "t_out", "time"):
        if hasattr(result, tname):
            times = getattr(result, tname)
            break
    else:
        raise GameInputError(
            "plot_time_series: expected a (times, states) pair, a mapping with 't' and 'states', "
            f"or a result with .t/.times and .states; got {type(result).__name__}")
    for sname in ("states", "output", "trajectories", "x"):
        if hasattr(result, sname):
            return np.asarray(times, dtype=float), getattr(result, sname)
    raise GameInputError(f"plot_time_series: {type(result).__name__} has no states")


def plot_time_series(result_or_times_states, game, ax=None, panels: str = "single"):
    """Every population's shares over time.

    Parameters
    ----------
    result_or_times_states : tuple or mapping or result object
        ``(times, states)`` with ``states`` of shape ``(T, N)`` (full shares, populations
        concatenated), ``(T, d)`` (reduced coordinates), ``(m, T, ...)`` (several trajectories)
        or a mapping population -> ``(T, k)``; or a mapping/result with ``t`` and ``states``
        (e.g. the simulate JSON of DESIGN.md).
    game : Game
        For the labels.
    ax : matplotlib Axes or sequence of Axes, optional
    panels : {"single", "population"}
        One panel (the first strategy's share of each two-strategy population, every share of a
        larger one) or one panel per population (every share).

    Returns
    -------
    Axes (``panels="single"``) or Figure (``panels="population"``)

    Raises
    ------
    GameInputError
        Another ``panels``; states that do not fit the game or the times.

    Examples
    --------
    In hawk-dove the owner gives up hawk and the intruder takes it up:

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> sim = gr.simulate(hd, [0.3, 0.7, 0.6, 0.4], t_end=5.0, n_points=11, backend="numpy")
    >>> ax = plot_time_series(sim, hd)
    >>> [line.get_label() for line in ax.get_lines()], ax.get_xlabel()
    (['x (owner: hawk)', 'y (intruder: hawk)'], 'time (year)')
    >>> [round(float(line.get_ydata()[-1]), 3) for line in ax.get_lines()]
    [0.015, 0.983]
    >>> plt.close(ax.figure)
    >>> fig = plot_time_series(sim, hd, panels="population")
    >>> [a.get_ylabel() for a in fig.axes], [len(a.get_lines()) for a in fig.axes]
    (['owner (x)', 'intruder (y)'], [2, 2])
    >>> plt.close(fig)
    """
    if panels not in ("single", "population"):
        raise GameInputError(f"panels must be 'single' or 'population'; got {panels!r}")
    times, states = _unpack_result(result_or_times_states)
    full = _as_full(game, states)
    if full.ndim == 2:
        full = full[None]
    if full.shape[1] != len(times):
        raise GameInputError(f"plot_time_series: {len(times)} times but states have "
                             f"{full.shape[1]} rows")
    off = _offsets(game)
    unit = game.time_unit or "time"
    with _style():
        if panels == "single":
            ax = _new_axes(ax, figsize=(6.5, 4.0))
            colors = _palette(sum(1 if p.k == 2 else p.k for p in game.populations))
            c = 0
            for p, pop in enumerate(game.populations):
                strategies = [0] if pop.k == 2 else range(pop.k)
                for i in strategies:
                    label = (f"{pop.symbol} ({pop.name}: {pop.strategies[i]})" if pop.k == 2
                             else f"{pop.name}: {pop.strategies[i]}")
                    for j, traj in enumerate(full):
                        ax.plot(times, traj[:, off[p] + i], color=colors[c], lw=1.6,
                                label=label if j == 0 else None)
                    c += 1
            ax.set_xlabel(f"{_tr('time')} ({unit})")
            ax.set_ylabel(_tr("share_of") if _LANG[-1] == "zh" else "share")
            ax.set_ylim(-0.02, 1.02)
            ax.legend(loc="best", fontsize="small")
            ax.set_title(game.title or game.name, fontsize="medium")
            _check_glyphs(ax.figure)
            return ax
        n = game.n_populations
        if ax is None:
            fig, axes = plt.subplots(n, 1, figsize=(6.5, 2.2 * n), sharex=True, squeeze=False,
                                     layout="constrained")
            axes = list(axes[:, 0])
        else:
            axes = list(np.ravel(ax))
            if len(axes) != n:
                raise GameInputError(f"panels='population' needs {n} axes, got {len(axes)}")
            fig = axes[0].figure
        for p, (pop, pax) in enumerate(zip(game.populations, axes, strict=True)):
            colors = _palette(pop.k)
            for i in range(pop.k):
                for j, traj in enumerate(full):
                    pax.plot(times, traj[:, off[p] + i], color=colors[i], lw=1.4,
                             label=pop.strategies[i] if j == 0 else None)
            pax.set_ylabel(f"{pop.name} ({pop.symbol})")
            pax.set_ylim(-0.02, 1.02)
            pax.legend(loc="best", fontsize="small")
        axes[-1].set_xlabel(f"{_tr('time')} ({unit})")
        fig.suptitle(game.title or game.name, fontsize="medium")
        _check_glyphs(fig)
        return fig


# ----------------------------------------------------------------------------------- 3-D cube
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


def _word_order(word) -> int:
    order = [Stability.STABLE, Stability.SADDLE, Stability.UNSTABLE, Stability.NON_HYPERBOLIC,
             None]
    return order.index(word)


# ----------------------------------------------------------------------------------- plane
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
        if pop.name in fixed_named and np.max(np.abs(np.asarray(shares) - fixed_named[pop.name])) > tol:
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


# ----------------------------------------------------------------------------------- simplex
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


# ----------------------------------------------------------------------------------- sweeps
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


def _state_text(state, names=None) -> str:
    if state is None:
        return "not settled"
    if isinstance(state, Mapping):
        names = list(state.keys())
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
        A :class:`gametheory_regen.analysis.sweep.SweepResult`, or plain data with ``vary`` (``[{"name", "values"}]``) and ``cells`` (``[{"at", "stable",
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


# ----------------------------------------------------------------------------------- paths
def plot_evolution_paths(game, parameter: str, values: Sequence[float], population=None, *,
                         initial=None, t_end: float = 20.0, ax=None, schedules=None):
    """One population's share over time for several values of one parameter.

    The classic figure of tripartite evolutionary-game papers: the same starting mix, the
    evolution of (say) the operator's share of "operate" for a handful of subsidy levels.

    Parameters
    ----------
    game : Game
        Every parameter but ``parameter`` needs a value.
    parameter : str
    values : sequence of float
    population : str, optional
        The population whose first strategy's share is drawn (default the first population).
    initial : mapping or array_like, optional
        Starting state: population name -> share of the first strategy (two strategies) or all
        shares; or a full-share vector.  Default: every share 1/2 (uniform for larger
        populations).
    t_end : float
    ax : Axes, optional
    schedules : sequence of Schedule, optional
        Time schedules of *other* parameters applied on every path (e.g. a subsidy that ends).

    Returns
    -------
    Axes

    Raises
    ------
    GameInputError
        An unknown parameter or population, no values, another parameter without a value, or
        a bad ``initial``.

    Examples
    --------
    From the uniform mix, hawk-dove stays on the diagonal and heads for the saddle at
    ``x = y = V/C`` (``C = 4``):

    >>> import gametheory_regen as gr
    >>> hd = gr.Game.builtin("hawk_dove")
    >>> ax = plot_evolution_paths(hd, "V", [1.0, 2.0, 3.0], t_end=5.0)
    >>> [line.get_label() for line in ax.get_lines()]
    ['V = 1', 'V = 2', 'V = 3']
    >>> [round(float(line.get_ydata()[-1]), 3) for line in ax.get_lines()]
    [0.277, 0.5, 0.723]
    >>> ax.get_ylabel()
    'x: share of owner playing hawk'
    >>> plt.close(ax.figure)
    """
    pop = game.populations[0] if population is None else game.population(population)
    game.parameter(parameter)  # unknown name -> clear error
    values = [float(v) for v in values]
    if not values:
        raise GameInputError("plot_evolution_paths: give at least one parameter value")
    missing = [n for n in game.free_parameters if n != parameter]
    if missing:
        raise GameInputError(f"plot_evolution_paths: parameters without a value: "
                             f"{', '.join(missing)}")
    x0 = _initial_state(game, initial)
    from ..analysis.portraits import parameter_trajectories

    t_out, traj = parameter_trajectories(game, parameter, values, x0, t_end, schedules)
    p = game.population_index(pop.name)
    col = _offsets(game)[p]
    param = game.parameter(parameter)
    with _style():
        ax = _new_axes(ax, figsize=(6.4, 4.2))
        cmap = plt.get_cmap("viridis")
        for j, v in enumerate(values):
            color = cmap(j / max(1, len(values) - 1) * 0.9)
            ax.plot(t_out, traj[j, :, col], color=color, lw=1.6, label=f"{parameter} = {v:g}")
        unit = f" ({param.unit})" if param.unit else ""
        ax.legend(title=f"{parameter}{unit}", fontsize="small", loc="best")
        ax.set_xlabel(f"{_tr('time')} ({game.time_unit or 'time'})")
        ax.set_ylabel(_share_label(pop))
        ax.set_ylim(-0.02, 1.02)
        desc = f" — {param.description}" if param.description else ""
        ax.set_title(f"{game.title or game.name}\nvarying {parameter}{desc}"[:160],
                     fontsize="small")
        _check_glyphs(ax.figure)
    return ax


def _initial_state(game, initial) -> np.ndarray:
    if initial is None:
        return np.concatenate([np.full(p.k, 1.0 / p.k) for p in game.populations])
    if isinstance(initial, Mapping):
        blocks = []
        for pop in game.populations:
            if pop.name not in initial:
                blocks.append(np.full(pop.k, 1.0 / pop.k))
                continue
            s = np.atleast_1d(np.asarray(initial[pop.name], dtype=float))
            if pop.k == 2 and s.size == 1:
                s = np.array([s[0], 1 - s[0]])
            if s.size != pop.k or np.any(s < 0) or abs(s.sum() - 1) > 1e-9:
                raise GameInputError(f"initial: population {pop.name!r} needs the share of its "
                                     f"first strategy or {pop.k} shares summing to 1; got "
                                     f"{initial[pop.name]!r}")
            blocks.append(s)
        return np.concatenate(blocks)
    return _as_full(game, np.asarray(initial, dtype=float))


# ----------------------------------------------------------------------------------- report
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
    from matplotlib.figure import Figure

    return ax if isinstance(ax, Figure) else ax.figure


def _save(fig, path, dpi: int = 150, figsize=None) -> None:
    """Render ``fig`` to bytes by the file's extension and write it atomically."""
    from ..fileio import check_writable, write_bytes_atomic

    ext = os.path.splitext(str(path))[1].lower()
    if ext not in _FORMATS:
        raise GameInputError(f"--plot {str(path)!r}: the file name must end in .png, .svg or .pdf")
    check_writable(path, "--plot")
    try:
        if figsize is not None:
            fig.set_size_inches(*figsize)
        data = figure_bytes(fig, _FORMATS[ext], dpi=dpi)
    finally:
        plt.close(fig)
    write_bytes_atomic(path, data, "--plot")


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
    with language(lang):
        ax = plot_time_series(simulation, game, panels="population")
    _save(ax if isinstance(ax, plt.Figure) else (ax.figure if not isinstance(ax, np.ndarray)
                                                 else ax.flat[0].figure), path, dpi, figsize)


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
    with language(lang):
        ax = plot_regime_map(sweep_result, game=game)
    _save(ax if isinstance(ax, plt.Figure) else ax.figure, path, dpi, figsize)


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
    from ..fileio import check_writable, write_bytes_atomic

    ext = os.path.splitext(str(path))[1].lower()
    if ext not in _FORMATS:
        raise GameInputError(f"--plot {str(path)!r}: the file name must end in .png, .svg or .pdf")
    check_writable(path, "--plot")
    with language(lang):
        fig = report_figure(analysis)
    try:
        if figsize is not None:
            fig.set_size_inches(*figsize)
        data = figure_bytes(fig, _FORMATS[ext], dpi=dpi)
    finally:
        plt.close(fig)
    write_bytes_atomic(path, data, "--plot")


# ----------------------------------------------------------------------- sensitivity figures
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

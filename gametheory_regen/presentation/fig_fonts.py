r"""Fonts and deterministic output of the figures: the CJK fallback and :func:`figure_bytes`.

A figure is a function of its data alone: the same figure gives the same bytes.  Text is set in
DejaVu Sans with an installed CJK font (Noto Sans CJK, Source Han Sans, WenQuanYi, ...; the
``mplfonts`` dependency ships Noto Sans CJK SC) as the fallback for Chinese labels; a label that
needs a CJK font when there is none raises a :class:`CJKFontWarning` instead of drawing empty
boxes.  SVG element ids use the fixed salt :data:`SVG_HASHSALT`, no dates are written into SVG or
PDF metadata, and a constrained layout is iterated to its fixed point and frozen before
rendering, so that a second rendering does not move anything by a fraction of a point.

Importing this module selects the non-interactive Agg backend on a machine without a display.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import warnings

import matplotlib

if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
    # headless: never try an interactive backend (no effect once pyplot chose one)
    with contextlib.suppress(Exception):
        matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from ..errors import GameInputError  # noqa: E402

__all__ = ["SVG_HASHSALT", "CJK_FAMILIES", "INSTALL_HINT", "CJKFontWarning", "cjk_font",
           "bundled_cjk_font_path", "figure_bytes"]


#: The salt of SVG element ids, fixed so that the same figure gives the same bytes.
SVG_HASHSALT = "gametheory_regen"


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
    >>> from gametheory_regen.presentation.figures import plot_time_series
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

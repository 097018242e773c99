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

Where the code lives
--------------------
This module is the public face of the figures; the code is in sibling modules by figure kind:
:mod:`.fig_fonts` (fonts, :func:`figure_bytes`), :mod:`.fig_style` (markers, colours, labels,
:func:`language`), :mod:`.fig_states` (state conversions), :mod:`.fig_series` (time series,
evolution paths), :mod:`.fig_portrait` (cube and plane), :mod:`.fig_simplex`, :mod:`.fig_sweep`
(regime maps), :mod:`.fig_save` (the figures of the command line), :mod:`.fig_sensitivity`,
:mod:`.fig_qre` (the logit QRE path) and :mod:`.fig_noise` (quantile bands, outcome
probability against the noise intensity).
Every name importable from here before the split still is.
"""

from __future__ import annotations

import sys
import types

import numpy as np  # noqa: F401 - kept as attributes of the facade
import sympy as sp  # noqa: F401

from ..analysis.eigen import Stability  # noqa: F401
from ..errors import GameInputError  # noqa: F401
from .fig_fonts import (  # noqa: F401
    _CJK_CHARS,
    _CJK_FILE_PATTERN,
    _FORMATS,
    CJK_FAMILIES,
    INSTALL_HINT,
    SVG_HASHSALT,
    CJKFontWarning,
    _check_glyphs,
    _font_cache,
    _font_family,
    _freeze_layout,
    _has_cjk,
    _registered_cjk_family,
    _style,
    bundled_cjk_font_path,
    cjk_font,
    figure_bytes,
    plt,  # noqa: F401
)
from .fig_noise import (
    plot_noise_bands,
    plot_outcome_probability,
    save_noise_figure,
    save_noise_sweep_figure,
)
from .fig_portrait import (  # noqa: F401
    _in_slice,
    _plane_constants,
    _slice_setup,
    plot_phase_plane,
    plot_phase_portrait_3d,
)
from .fig_qre import plot_qre_path
from .fig_save import (
    _save,  # noqa: F401
    report_figure,
    save_report_figure,
    save_simulation_figure,
    save_sweep_figure,
)
from .fig_sensitivity import plot_bifurcation, plot_sensitivity_grid
from .fig_series import (
    _unpack_result,  # noqa: F401
    plot_evolution_paths,
    plot_time_series,
)
from .fig_simplex import _TRI, _bary, plot_simplex  # noqa: F401
from .fig_states import (  # noqa: F401
    _as_full,
    _attractor_index,
    _continuum_points,
    _counts,
    _first_shares,
    _flat,
    _grid_starts,
    _initial_state,
    _integrate,
    _log_times,
    _offsets,
    _require_numeric,
)
from .fig_style import (  # noqa: F401
    _GREY,
    _LANG,
    _MIXED_PALETTE,
    _STABILITY_LABEL,
    OUTCOME_PALETTE,
    STABILITY_STYLE,
    _new_axes,
    _palette,
    _param_label,
    _profile_label,
    _share_label,
    _stability_legend,
    _tr,
    _word,
    _word_order,
    language,
    outcome_colour,
)
from .fig_sweep import (  # noqa: F401
    _edges,
    _get,
    _outcome_labeller,
    _regime_boundaries,
    _split_state,
    _state_blocks,
    _state_key,
    _state_text,
    _sweep_dict,
    _sweep_result_dict,
    plot_regime_map,
)

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
    "plot_qre_path",
    "plot_noise_bands",
    "plot_outcome_probability",
    "save_noise_figure",
    "save_noise_sweep_figure",
    # public before the split though not listed here then
    "CJK_FAMILIES",
    "INSTALL_HINT",
    "SVG_HASHSALT",
    "report_figure",
    "save_simulation_figure",
    "save_sweep_figure",
]


class _Facade(types.ModuleType):
    """The facade's module type: setting a name here sets it where the code reads it.

    Before the split every helper was a global of this module, so that
    ``monkeypatch.setattr(figures, "_font_cache", [None])`` reached the code; now the new value
    is also bound in every ``fig_*`` module that holds the old one.
    """

    def __setattr__(self, name: str, value) -> None:
        old = self.__dict__.get(name, _MISSING)
        for home in _HOMES:
            if old is not _MISSING and getattr(home, name, _MISSING) is old:
                setattr(home, name, value)
        super().__setattr__(name, value)


_MISSING = object()
_HOMES = tuple(sys.modules[f"{__package__}.{m}"] for m in (
    "fig_fonts", "fig_style", "fig_states", "fig_series", "fig_portrait", "fig_simplex",
    "fig_sweep", "fig_save", "fig_sensitivity"))
sys.modules[__name__].__class__ = _Facade

"""The ``compare``, ``threshold`` and ``calibrate`` verbs (Contract 2) and their renderers.

``threshold MODEL --outcome POP=STRATEGY,... --parameter NAME`` prints where, along one parameter,
a pure outcome is stable (:func:`gametheory_regen.analysis.thresholds.threshold`); its JSON is
Contract 3's ``{"parameter", "outcome", "expression", "value", "stable_when"}`` plus extra keys
(:func:`threshold_data`).  ``compare MODEL`` puts the scenarios (policies) side by side
(:func:`gametheory_regen.domain.policies.compare_policies`).  ``calibrate CASE`` shows every step
of a calibration (:func:`gametheory_regen.domain.calibration.calibrate_jinsong`).

Nothing here computes stability: these functions only format the results.

Where the code lives
--------------------
This module registers the three verbs with the command line (in the order compare, threshold,
calibrate) and re-exports every name it had before the split; the code is in
:mod:`.domain_verb_common` (reading an outcome, numbers and profiles in words),
:mod:`.threshold_verb`, :mod:`.compare_verb` and :mod:`.calibrate_verb`, one module per verb with
its renderers, each opening with what it shows.
"""

from __future__ import annotations

import math  # noqa: F401  (names of this module before the split, here and below)

import sympy as sp  # noqa: F401

from ..errors import GameInputError  # noqa: F401
from .calibrate_verb import (  # noqa: F401
    CALIBRATION_CASES,
    _add_calibrate,
    _jinsong,
    calibration_data,
    cmd_calibrate,
    render_calibration_text,
)
from .cli import UsageError, _add_common, emit, parse_assignment, register  # noqa: F401
from .compare_verb import (  # noqa: F401
    _add_compare,
    _explanation_data,
    _md,
    _short_threshold,
    cmd_compare,
    comparison_data,
    render_comparison_markdown,
    render_comparison_text,
)
from .domain_verb_common import (  # noqa: F401
    DIGITS,
    _check_output,
    _finite,
    _g,
    _game_for,
    _profile_text,
    _scenario_name,
    parse_outcome,
)
from .report import to_json as _dumps  # noqa: F401  (strict JSON: non-finite numbers -> null)
from .threshold_verb import (  # noqa: F401
    _add_threshold,
    _crossing_words,
    _eig_name,
    _interval_text,
    _range_text,
    cmd_threshold,
    render_threshold_json,
    render_threshold_text,
    stable_when_text,
    threshold_data,
)

__all__ = [
    "parse_outcome",
    "stable_when_text",
    "threshold_data",
    "render_threshold_text",
    "comparison_data",
    "render_comparison_text",
    "render_comparison_markdown",
    "calibration_data",
    "render_calibration_text",
    "CALIBRATION_CASES",
]


register("compare", _add_compare, cmd_compare)
register("threshold", _add_threshold, cmd_threshold)
register("calibrate", _add_calibrate, cmd_calibrate)

r"""Batch simulation: many replicator trajectories at once, each end state classified.

For a game with payoff tensors :math:`a_p(s)` the multi-population replicator dynamics
:math:`\dot x_{pi} = x_{pi}\,(u_{pi}(x) - \bar u_p(x))` is integrated from many starting states;
a trajectory that enters the forward-invariant box of a strict Nash vertex converges to it, any
other settles at a known rest point or is reported as not settled (:data:`NOT_SETTLED`). The
vertices' eigenvalues, the payoff differences :math:`a_p(j, s_{-p}) - a_p(i_p, s_{-p})`, decide
which vertices are asymptotically stable (strict Nash).

Where the code lives
--------------------
This module is the public face of the batch engine; the code is in sibling modules by what they
hold, each opening with the mathematics it implements: :mod:`.batch_inputs` (payoff tensors and
starting states: :func:`split_payoffs`, :func:`as_full_states`, :func:`initial_states`),
:mod:`.batch_vertices` (:func:`vertex_states`, :func:`vertex_eigenvalues`,
:func:`stable_vertices`), :mod:`.batch_classify` (what a trajectory reached:
:func:`classify_end_states`), :mod:`.batch_integrate` (:func:`integrate_batch`,
:class:`BatchResult`) and :mod:`.batch_simulate` (one trajectory as a time series, with
schedules: :func:`simulate`, :class:`Simulation`).
Every name importable from here before the split still is.
"""

from __future__ import annotations

# kept as attributes of the facade (they were names of the module before the split)
from collections.abc import Mapping, Sequence  # noqa: F401
from dataclasses import dataclass  # noqa: F401

import numpy as np  # noqa: F401

from gametheory_regen.errors import GameInputError, ParameterError, StateError  # noqa: F401

from .batch_classify import NOT_SETTLED, _vertex_profile, classify_end_states  # noqa: F401
from .batch_inputs import as_full_states, initial_states, split_payoffs  # noqa: F401
from .batch_integrate import BatchResult, integrate_batch
from .batch_simulate import (  # noqa: F401
    Simulation,
    _as_schedules,
    _bind_schedules,
    _expected_schedule_pieces,
    _game_numeric,
    simulate,
)
from .batch_vertices import stable_vertices, vertex_eigenvalues, vertex_states

__all__ = [
    "NOT_SETTLED",
    "BatchResult",
    "Simulation",
    "integrate_batch",
    "classify_end_states",
    "simulate",
    "vertex_states",
    "vertex_eigenvalues",
    "stable_vertices",
    "as_full_states",
    "split_payoffs",
]

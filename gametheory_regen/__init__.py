"""gametheory_regen: evolutionary game theory for collaborative governance.

The public surface, layer by layer (model -> dynamics -> analysis -> domain -> presentation):

>>> import gametheory_regen as gr
>>> game = gr.Game.builtin("hawk_dove")
>>> [str(r.stability) for r in gr.analyze(game).rest_points]
['unstable', 'stable', 'stable', 'unstable', 'saddle']

Model: games are built in (:func:`builtin_names`), read from TOML model files
(:func:`read_model`), written as a ledger of terms (:class:`GameBuilder`) or as a table
(:meth:`Game.from_table`), and exchanged with Gambit and nashpy (:func:`to_nfg`,
:func:`to_nashpy`, :func:`from_nashpy`):

>>> gr.builtin_names()[:4]
['battle_of_sexes', 'hawk_dove', 'jordan_matching_pennies', 'matching_pennies']
>>> game.payoff_at(("hawk", "dove")), game.values["V"]  # symbolic payoffs, parameter values
((V, 0), 2)
>>> gr.to_nashpy(game).payoff_matrices[0].tolist()  # the owner's payoffs at those values
[[-1.0, 2.0], [0.0, 1.0]]

Dynamics: the symbolic replicator equations (:func:`replicator_system`) and the numeric engine
(:func:`simulate`, :func:`integrate_batch`; parameters may follow a :class:`Schedule`):

>>> gr.replicator_system(game).equations()["x"]
x*(1 - x)*(1 - 2*y)
>>> gr.simulate(game, [0.3, 0.7, 0.6, 0.4], t_end=20.0, backend="numpy").final.round(3)
array([0., 1., 1., 0.])

Analysis: rest points and their stability (:func:`analyze`, :func:`vertex_conditions`), where
along a parameter an outcome is stable (:func:`threshold`), basins of attraction
(:func:`basin_shares`) and parameter sweeps (:func:`sweep`):

>>> gr.threshold(game, {"owner": "hawk", "intruder": "dove"}, "C").stable_set
(Interval(lower=2.0, upper=inf, lower_closed=False, upper_closed=False),)
>>> basins = gr.basin_shares(gr.payoff_tensor(game), samples=16, t_end=50.0, backend="numpy")
>>> basins.attractors.tolist(), float(basins.shares.sum())
([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]], 1.0)

Domain: the community-regeneration case (:func:`calibrate_jinsong`, :func:`compare_policies`,
:func:`explain_outcome`).  Presentation: publication figures in :mod:`gametheory_regen.figures`
(matplotlib, imported on first use) and the ``gametheory-regen`` command line.
"""

__version__ = "0.1.0"

from .analysis import (  # noqa: E402
    Continuum,
    EquilibriumAnalysis,
    RestPoint,
    Spectrum,
    Stability,
    analyze,
    vertex_conditions,
)
from .dynamics import ReplicatorSystem, replicator_system  # noqa: E402
from .errors import (  # noqa: E402
    ExpressionError,
    GameInputError,
    LimitError,
    ModelFileError,
    OutputError,
    ParameterError,
    StateError,
)
from .model import (  # noqa: E402
    Game,
    GameBuilder,
    Parameter,
    Population,
    Scenario,
    Term,
    builtin_names,
    model_to_toml,
    read_model,
    read_model_text,
    write_model,
)

# Heavier parts of the public API are imported on first use (PEP 562), so that
# ``import gametheory_regen`` and the ``report`` command do not pay for the batch engine,
# the domain layer or matplotlib.
_LAZY = {
    "simulate": "gametheory_regen.analysis.batch",
    "integrate_batch": "gametheory_regen.analysis.batch",
    "BatchResult": "gametheory_regen.analysis.batch",
    "Simulation": "gametheory_regen.analysis.batch",
    "basin_shares": "gametheory_regen.analysis.basins",
    "BasinShares": "gametheory_regen.analysis.basins",
    "sweep": "gametheory_regen.analysis.sweep",
    "SweepResult": "gametheory_regen.analysis.sweep",
    "share_paths": "gametheory_regen.analysis.sweep",
    "SharePaths": "gametheory_regen.analysis.sweep",
    "threshold": "gametheory_regen.analysis.thresholds",
    "ThresholdResult": "gametheory_regen.analysis.thresholds",
    "Schedule": "gametheory_regen.dynamics.schedules",
    "Integrator": "gametheory_regen.dynamics.integrator",
    "Dynamics": "gametheory_regen.dynamics.field",
    "METHODS": "gametheory_regen.dynamics.methods",
    "payoff_tensor": "gametheory_regen.dynamics.numeric",
    "payoff_function": "gametheory_regen.dynamics.numeric",
    "to_nfg": "gametheory_regen.model.interop",
    "write_nfg": "gametheory_regen.model.interop",
    "to_nashpy": "gametheory_regen.model.interop",
    "from_nashpy": "gametheory_regen.model.interop",
    "payoff_matrices": "gametheory_regen.model.interop",
    "calibrate_jinsong": "gametheory_regen.domain.calibration",
    "CalibrationResult": "gametheory_regen.domain.calibration",
    "compare_policies": "gametheory_regen.domain.policies",
    "explain_outcome": "gametheory_regen.domain.policies",
    "PolicyComparison": "gametheory_regen.domain.policies",
    "qre_path": "gametheory_regen.analysis.qre",
    "QREPath": "gametheory_regen.analysis.qre",
    "Noise": "gametheory_regen.dynamics.sde",
    "simulate_noise": "gametheory_regen.analysis.stochastic",
    "noise_sweep": "gametheory_regen.analysis.stochastic",
    "NoiseResult": "gametheory_regen.analysis.stochastic",
    "NoiseSweep": "gametheory_regen.analysis.stochastic",
    "simulate_delayed": "gametheory_regen.analysis.delay",
    "critical_delay": "gametheory_regen.analysis.delay",
    "CriticalDelay": "gametheory_regen.analysis.delay",
    "sweep_delayed": "gametheory_regen.analysis.delay_sweep",
    "robustness_table": "gametheory_regen.domain.robustness",
    "RobustnessTable": "gametheory_regen.domain.robustness",
}
_LAZY_MODULES = {"figures": "gametheory_regen.presentation.figures"}


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _LAZY_MODULES:
        value = importlib.import_module(_LAZY_MODULES[name])
    else:
        raise AttributeError(f"module 'gametheory_regen' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_MODULES))


__all__ = [
    *sorted(_LAZY),
    "figures",
    "Continuum",
    "EquilibriumAnalysis",
    "ExpressionError",
    "Game",
    "GameBuilder",
    "GameInputError",
    "LimitError",
    "ModelFileError",
    "OutputError",
    "Parameter",
    "ParameterError",
    "Population",
    "ReplicatorSystem",
    "RestPoint",
    "Scenario",
    "Spectrum",
    "Stability",
    "StateError",
    "Term",
    "__version__",
    "analyze",
    "builtin_names",
    "model_to_toml",
    "read_model",
    "read_model_text",
    "replicator_system",
    "vertex_conditions",
    "write_model",
]

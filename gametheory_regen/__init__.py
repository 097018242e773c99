"""gametheory_regen: evolutionary game theory for collaborative governance.

The public surface, layer by layer (model -> dynamics -> analysis -> domain -> presentation):

>>> import gametheory_regen as gr
>>> game = gr.Game.builtin("hawk_dove")
>>> [str(r.stability) for r in gr.analyze(game).rest_points]
['unstable', 'stable', 'stable', 'unstable', 'saddle']
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
    ModelFileError,
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

__all__ = [
    "Continuum",
    "EquilibriumAnalysis",
    "ExpressionError",
    "Game",
    "GameBuilder",
    "GameInputError",
    "ModelFileError",
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

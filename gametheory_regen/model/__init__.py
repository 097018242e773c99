"""Model layer: populations, parameters, payoffs; the ledger builder; model files."""

from .builder import GameBuilder
from .expr import parse_expression
from .game import Game, Parameter, Population, Scenario, ScheduleSpec, Term
from .library import builtin_names, load_builtin, resolve_model
from .modelfile import model_to_toml, read_model, read_model_text, write_model

__all__ = [
    "Game",
    "GameBuilder",
    "Parameter",
    "Population",
    "Scenario",
    "ScheduleSpec",
    "Term",
    "builtin_names",
    "load_builtin",
    "model_to_toml",
    "parse_expression",
    "read_model",
    "read_model_text",
    "resolve_model",
    "write_model",
]

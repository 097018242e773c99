"""The exception family of gametheory_regen.

Every error a user can cause by what they write (a model file, a command-line argument, an
argument of a public function) is a :class:`GameInputError`, a subclass of :class:`ValueError`.
Its message names the place (file, table, key or argument), states the rule, shows what was
received and, where there is one, suggests the fix. The command line turns these into one line on
stderr and exit status 2; anything else is an internal error (exit status 1).
"""

from __future__ import annotations

__all__ = [
    "GameInputError",
    "ModelFileError",
    "ExpressionError",
    "ParameterError",
    "StateError",
]


class GameInputError(ValueError):
    """Bad input from the user: a model, a parameter value, a state, an argument."""


class ModelFileError(GameInputError):
    """A model file that cannot be read: TOML syntax, a missing or malformed table or key."""


class ExpressionError(GameInputError):
    """An expression that is not allowed or cannot be parsed (unknown name, forbidden syntax)."""


class ParameterError(GameInputError):
    """An unknown parameter, or a value that is not a finite number or breaks declared bounds."""


class StateError(GameInputError):
    """A state (shares of strategies) that is not a point of the product of simplices."""

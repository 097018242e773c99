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
    "LimitError",
    "ExpressionLimitError",
    "OutputError",
]


class GameInputError(ValueError):
    """Bad input from the user: a model, a parameter value, a state, an argument.

    The base class of every error a user can cause; a :class:`ValueError`, so code that catches
    ``ValueError`` keeps working.  The message names the place, the rule and what was received.

    Parameters
    ----------
    message : str
        The one-line explanation shown to the user.

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> issubclass(GameInputError, ValueError)
    True
    >>> Game.builtin("no_such_model")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: unknown built-in model 'no_such_model'; ...
    """


class ModelFileError(GameInputError):
    """A model file that cannot be read: TOML syntax, a missing or malformed table or key.

    Parameters
    ----------
    message : str
        Starts with the file name, then the table and key at fault.

    Examples
    --------
    >>> from gametheory_regen.model import read_model_text
    >>> read_model_text('name = "toy"', "toy.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: toy.toml: [[populations]]: expected at least one ...
    """


class ExpressionError(GameInputError):
    """An expression that is not allowed or cannot be parsed (unknown name, forbidden syntax).

    Parameters
    ----------
    message : str
        Says where the expression stands, what was found and what is allowed.

    Examples
    --------
    >>> from gametheory_regen.model import parse_expression
    >>> parse_expression("b + 1", {}, "amount")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ExpressionError: amount: unknown name 'b' in 'b + 1'; declare it ...
    """


class ParameterError(GameInputError):
    """An unknown parameter, or a value that is not a finite number or breaks declared bounds.

    Parameters
    ----------
    message : str
        Names the parameter, the rule broken and, for an unknown name, the known ones.

    Examples
    --------
    >>> from gametheory_regen import Game
    >>> Game.builtin("hawk_dove").with_values({"V": -1})
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ParameterError: --set V: value -1 is below the declared min 0
    """


class StateError(GameInputError):
    """A state (shares of strategies) that is not a point of the product of simplices.

    Parameters
    ----------
    message : str
        Says which population's shares are wrong and how.

    Examples
    --------
    >>> from gametheory_regen.analysis.batch import as_full_states
    >>> as_full_states([0.5, 0.7, 0.2, 0.8], (2, 2))   # the first population sums to 1.2
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.StateError: the shares of population 0 must sum to 1; ...
    """


class LimitError(GameInputError):
    """An input that would need more work or memory than a declared limit allows.

    The limits are listed in ``docs/limits.md`` and :data:`gametheory_regen.limits.LIMITS`; the
    message names the limit, the value found, and how to split the work or raise the limit.

    Parameters
    ----------
    message : str
        Names the limit and the value found.

    Examples
    --------
    >>> from gametheory_regen.limits import check_count
    >>> check_count("--samples", 10**12, "samples")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: --samples: 1000000000000 is above the limit `samples` ...
    """


class ExpressionLimitError(ExpressionError, LimitError):
    """An expression beyond a declared limit: both an ExpressionError and a LimitError.

    Parameters
    ----------
    message : str
        Names the limit and the value found.

    Examples
    --------
    >>> from gametheory_regen.model import parse_expression
    >>> parse_expression("2**1000", {}, "amount")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ExpressionLimitError: amount: exponent 1000 is above the limit ...
    """


class OutputError(GameInputError):
    """An output that cannot be written safely (a symlink, FIFO, device, the input model).

    Parameters
    ----------
    message : str
        Names the option and the path, and says what to do instead.

    Examples
    --------
    >>> from gametheory_regen.fileio import write_text_atomic
    >>> write_text_atomic("/dev/null", "x")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.OutputError: --output: /dev/null is a device, not a regular file; ...
    """

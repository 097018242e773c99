"""Model files (Contract 1 of DESIGN.md): a game written in TOML, read and written back.

The format, key by key, is documented in ``docs/model-files.md``.  In short::

    name = "toy"                       # identifier
    title = "..."; description = "..."; source = "..."  # optional text
    time_unit = "year"                 # optional (default "year")
    [[populations]]  name, strategies, symbol (optional)
    [parameters]     NAME = number  or  NAME = {value, description, unit, min, max, latex}
    [derived]        NAME = "expression"
    [[payoffs]]      profile = [...], values = [...]          (form A)
    [[terms]]        label, amount, from, to, when, note       (form B, a ledger)
    [[fitness]]      population, strategy, value               (expected payoffs, Contract 4)
    [scenarios.N]    description, source, set = {...}, schedules = {...}
    [schedules.P]    kind, times, values                       (a time-varying parameter)
    [dynamics]       kind, mutation | temperature | intensity  (Contract 4; default replicator)

A model file is untrusted: expressions are parsed by :mod:`gametheory_regen.model.expr`
(never ``eval``).  Every error names the file, the table and the key and says what was expected.

Where the code lives
--------------------
This module holds the entry points :func:`read_model` and :func:`read_model_text` (the size
limit, TOML parsing, the shape checks of untrusted input); the tables are read and checked in
:mod:`.modelfile_reader` and a game is written back in :mod:`.modelfile_writer`
(:func:`model_to_toml`, :func:`write_model`).  Every name importable from here before the split
still is.
"""


from __future__ import annotations

import json  # noqa: F401  (names of this module before the split, here and below)
import math  # noqa: F401
import pathlib
import tomllib
from collections.abc import Mapping  # noqa: F401

import sympy as sp  # noqa: F401

from ..errors import GameInputError, ModelFileError
from .builder import GameBuilder  # noqa: F401
from .dynamics_spec import (  # noqa: F401
    DYNAMICS_KINDS,
    DYNAMICS_PARAMETERS,
    REPLICATOR,
    Dynamics,
)
from .game import Game, Parameter, ScheduleSpec  # noqa: F401
from .modelfile_reader import (  # noqa: F401
    _FITNESS_KEYS,
    _PARAM_KEYS,
    _SCENARIO_KEYS,
    _SCHEDULE_KEYS,
    _TERM_KEYS,
    _TOP_KEYS,
    SCHEDULE_KINDS,
    _names_in,
    _Reader,
)
from .modelfile_writer import (  # noqa: F401
    _expr,
    _num,
    _pt_sstr,
    _q,
    _schedule_lines,
    _table_beyond_terms,
    model_to_toml,
    write_model,
)
from .untrusted import _check_expanded, _check_shape, _check_strings, _read_bounded  # noqa: F401

__all__ = ["read_model", "read_model_text", "write_model", "model_to_toml"]


def read_model(path: object) -> Game:
    """Read a model file.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    Game
        Its :attr:`~gametheory_regen.model.game.Game.path` is ``path``.

    Raises
    ------
    ModelFileError
        When the file is missing, unreadable, not TOML, or breaks Contract 1.

    Examples
    --------
    >>> from gametheory_regen.model.library import builtin_path
    >>> game = read_model(builtin_path("rock_paper_scissors"))
    >>> game.shape, game.payoff_at(("rock", "scissors"))
    ((3, 3), (w, -w))
    >>> read_model("missing.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: missing.toml: no such model file ...
    """
    p = pathlib.Path(str(path))
    if not p.exists():
        raise ModelFileError(f"{p}: no such model file (give a path to a .toml file or a built-in "
                             f"model name; `gametheory-regen models` lists them)")
    if p.is_dir():
        raise ModelFileError(f"{p}: is a folder, expected a .toml model file")
    return read_model_text(_read_bounded(p), str(p))


def read_model_text(text: str, filename: str = "<model>") -> Game:
    """Read a model from TOML text; ``filename`` is used in error messages.

    Parameters
    ----------
    text : str
        The model, in the format of ``docs/model-files.md``.
    filename : str
        Shown at the start of every error message.

    Returns
    -------
    Game

    Raises
    ------
    ModelFileError
        For invalid TOML or a model that breaks the format (unknown keys, names, strategies,
        expressions, values outside bounds); the message names the table and key.

    Examples
    --------
    A prisoner's dilemma of donation games (benefit ``b``, cost ``c``):

    >>> text = '''
    ... name = "pd"
    ... [[populations]]
    ... name = "row"
    ... strategies = ["cooperate", "defect"]
    ... [[populations]]
    ... name = "column"
    ... strategies = ["cooperate", "defect"]
    ... [parameters]
    ... b = 3
    ... c = { value = 1, min = 0 }
    ... [[payoffs]]
    ... profile = ["cooperate", "cooperate"]
    ... values = ["b - c", "b - c"]
    ... [[payoffs]]
    ... profile = ["cooperate", "defect"]
    ... values = ["-c", "b"]
    ... [[payoffs]]
    ... profile = ["defect", "cooperate"]
    ... values = ["b", "-c"]
    ... '''
    >>> pd = read_model_text(text, "pd.toml")
    >>> pd, pd.payoff_at(("defect", "cooperate")), pd.values
    (Game('pd', 2x2, 2 parameters), (b, -c), {'b': 3, 'c': 1})
    >>> read_model_text(text.replace('"b - c", "b - c"', '"b - d", "b - c"'), "pd.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: pd.toml: [[payoffs]] 1, key `values`, value 1: ...
    """
    from .. import limits

    if len(text) > limits.get("model_file_bytes"):
        raise ModelFileError(f"{filename}: {len(text)} characters is above the limit "
                             f"`model_file_bytes` = {limits.get('model_file_bytes')}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{filename}: not valid TOML: {exc}") from exc
    except (ValueError, RecursionError) as exc:  # an integer beyond Python's digit limit
        raise ModelFileError(f"{filename}: a number too long to read (more than 4300 digits); "
                             f"numbers are limited to {limits.get('number_digits')} digits (limit "
                             f"`number_digits`, docs/limits.md): write it with an exponent") from exc
    _check_strings(data, filename, "top level")
    _check_shape(data, filename)
    try:
        return _Reader(filename).read(data)
    except ModelFileError:
        raise
    except GameInputError as exc:
        raise ModelFileError(f"{filename}: {exc}") from exc

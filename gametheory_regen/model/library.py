"""Built-in models: the TOML files shipped in ``gametheory_regen/models/``."""

from __future__ import annotations

import pathlib

from ..errors import GameInputError
from .game import Game

__all__ = ["builtin_names", "builtin_path", "load_builtin", "resolve_model"]

_FOLDER = pathlib.Path(__file__).resolve().parent.parent / "models"


def builtin_names() -> list[str]:
    """Names of the built-in models, sorted.

    Returns
    -------
    list of str
        The stems of the ``.toml`` files in ``gametheory_regen/models/``.

    Examples
    --------
    >>> builtin_names()   # doctest: +NORMALIZE_WHITESPACE
    ['battle_of_sexes', 'hawk_dove', 'jordan_matching_pennies', 'matching_pennies',
     'regeneration', 'regeneration_calendar', 'rock_paper_scissors']
    """
    return sorted(p.stem for p in _FOLDER.glob("*.toml"))


def builtin_path(name: str) -> pathlib.Path:
    """Path of a built-in model file.

    Parameters
    ----------
    name : str
        A name from :func:`builtin_names` (only identifiers, so no path can escape the folder).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    GameInputError
        For an unknown name; the message lists the built-in models.

    Examples
    --------
    >>> builtin_path("hawk_dove").name
    'hawk_dove.toml'
    >>> builtin_path("../hawk_dove")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: unknown built-in model '../hawk_dove'; built-in ...
    """
    path = _FOLDER / f"{name}.toml"
    if not name.replace("-", "_").isidentifier() or not path.is_file():
        raise GameInputError(
            f"unknown built-in model {name!r}; built-in models: {', '.join(builtin_names())} "
            f"(or give a path to a .toml file)"
        )
    return path


def load_builtin(name: str) -> Game:
    """Load a built-in model by name.

    Parameters
    ----------
    name : str
        A name from :func:`builtin_names`.

    Returns
    -------
    Game

    Raises
    ------
    GameInputError
        For an unknown name.

    Examples
    --------
    >>> game = load_builtin("battle_of_sexes")
    >>> game, game.values
    (Game('battle_of_sexes', 2x2, 2 parameters), {'a': 2, 'b': 1})
    """
    from .modelfile import read_model

    return read_model(builtin_path(name))


def resolve_model(spec: str) -> Game:
    """A built-in model name or a path to a model file (anything with a / or ending in .toml).

    Parameters
    ----------
    spec : str
        What the user typed: a built-in name, or a path (a spec that ends in ``.toml``,
        contains a path separator or names an existing file is read as a path).

    Returns
    -------
    Game

    Raises
    ------
    GameInputError
        For an unknown built-in name; :class:`~gametheory_regen.errors.ModelFileError` for a
        missing or broken model file.

    Examples
    --------
    >>> resolve_model("matching_pennies")
    Game('matching_pennies', 2x2, 1 parameters)
    >>> resolve_model(str(builtin_path("hawk_dove"))).path.endswith("hawk_dove.toml")
    True
    >>> resolve_model("no/such/model.toml")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.ModelFileError: no/such/model.toml: no such model file ...
    """
    from .modelfile import read_model

    if spec.endswith(".toml") or "/" in spec or "\\" in spec or pathlib.Path(spec).exists():
        return read_model(spec)
    return load_builtin(spec)

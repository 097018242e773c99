"""Built-in models: the TOML files shipped in ``gametheory_regen/models/``."""

from __future__ import annotations

import pathlib

from ..errors import GameInputError
from .game import Game

__all__ = ["builtin_names", "builtin_path", "load_builtin", "resolve_model"]

_FOLDER = pathlib.Path(__file__).resolve().parent.parent / "models"


def builtin_names() -> list[str]:
    """Names of the built-in models, sorted."""
    return sorted(p.stem for p in _FOLDER.glob("*.toml"))


def builtin_path(name: str) -> pathlib.Path:
    """Path of a built-in model file."""
    path = _FOLDER / f"{name}.toml"
    if not name.replace("-", "_").isidentifier() or not path.is_file():
        raise GameInputError(
            f"unknown built-in model {name!r}; built-in models: {', '.join(builtin_names())} "
            f"(or give a path to a .toml file)"
        )
    return path


def load_builtin(name: str) -> Game:
    """Load a built-in model by name."""
    from .modelfile import read_model

    return read_model(builtin_path(name))


def resolve_model(spec: str) -> Game:
    """A built-in model name or a path to a model file (anything with a / or ending in .toml)."""
    from .modelfile import read_model

    if spec.endswith(".toml") or "/" in spec or "\\" in spec or pathlib.Path(spec).exists():
        return read_model(spec)
    return load_builtin(spec)

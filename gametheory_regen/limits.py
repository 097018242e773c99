"""Declared limits on the work one input may cause, checked before the work starts.

A model file is untrusted and a command line is typed in a hurry: a 1 KB file whose
``[derived]`` chain squares sixty times describes a polynomial of degree 2**60, and
``--samples 1e9`` asks for 15 GiB of starting states.  Every such size is bounded here, in one
place, by a named :class:`Limit`; the checks run *before* the work (parsing, expansion,
allocation) and fail with a :class:`~gametheory_regen.errors.LimitError` that names the limit,
the value found and how to chunk the work or raise the limit.  ``docs/limits.md`` lists them.

The memory check is arithmetic, not a measurement: an allocation of ``n`` items of ``b`` bytes
each needs ``n * b`` bytes (a Python integer, so it cannot overflow), compared with the limit
``memory``.  Sizes of expanded expressions are estimated structurally, bottom-up over the
expression tree (see :func:`gametheory_regen.model.expr.expanded_measure`), never by expanding.

A limit is read, in this order, from an override set in the program (:func:`set_limit`,
:func:`overridden`, the command line's ``--limit NAME=VALUE``), the environment variable
``GAMETHEORY_REGEN_MAX_<NAME>`` (``GAMETHEORY_REGEN_MAX_SAMPLES=1e7``), or its default.

This module imports nothing heavy (no sympy, no numpy) so that every layer may use it.

Examples
--------
>>> get("samples")
1000000
>>> check_count("--samples", 64, "samples")
64
>>> check_count("--samples", 10**9, "samples")
Traceback (most recent call last):
...
gametheory_regen.errors.LimitError: --samples: 1000000000 is above the limit `samples` = ...
>>> with overridden(samples=10**9):
...     check_count("--samples", 10**9, "samples")
1000000000
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import GameInputError, LimitError

__all__ = [
    "Limit",
    "LIMITS",
    "get",
    "set_limit",
    "overridden",
    "check_count",
    "check_allocation",
    "check_time_budget",
    "check_seed",
    "format_bytes",
]


@dataclass(frozen=True)
class Limit:
    """One declared limit.

    Parameters
    ----------
    name : str
        The limit's name, used in ``--limit NAME=VALUE`` and in messages.
    default : int or float
        The value used unless overridden.
    what : str
        What is limited, in words (shown in ``docs/limits.md`` and messages).
    unit : str
        The unit of the value ("bytes", "seconds", "" for a count).

    Examples
    --------
    >>> LIMITS["memory"].env
    'GAMETHEORY_REGEN_MAX_MEMORY'
    """

    name: str
    default: int | float
    what: str
    unit: str = ""

    @property
    def env(self) -> str:
        """The environment variable that overrides the default.

        Examples
        --------
        >>> LIMITS["samples"].env
        'GAMETHEORY_REGEN_MAX_SAMPLES'
        """
        return f"GAMETHEORY_REGEN_MAX_{self.name.upper()}"


_ALL = (
    Limit("model_file_bytes", 1_000_000, "size of a model file", "bytes"),
    Limit("expression_chars", 10_000, "characters of one expression"),
    Limit("expression_depth", 100, "nesting depth of one expression (parentheses, calls, "
          "powers, unary signs)"),
    Limit("expression_operators", 2_000, "operators and calls in one expression"),
    Limit("expanded_size", 200_000, "nodes of an expression once [derived] names are replaced "
          "by their expressions (estimated without expanding)"),
    Limit("expanded_degree", 24, "polynomial degree of an expression once [derived] names "
          "are replaced (estimated without expanding)"),
    Limit("exponent", 64, "absolute value of a numeric exponent (literal or combined, as in "
          "(p**8)**8)"),
    Limit("number_digits", 1_000, "decimal digits of an exact number: an integer literal, the "
          "exact value of a decimal such as --set V=1e-300, a constant, a payoff at the "
          "parameter values"),
    Limit("populations", 8, "populations of a game"),
    Limit("strategies", 16, "strategies of one population"),
    Limit("profiles", 256, "strategy profiles of a game (the product of the strategy counts)"),
    Limit("sweep_cells", 1_000_000, "cells of a sweep grid (the product of the --vary counts)"),
    Limit("samples", 1_000_000, "starting mixes per sweep cell or basin estimate"),
    Limit("points", 10_000_000, "output times of one simulation"),
    Limit("paths", 1_000_000, "sample paths of a noisy simulation"),
    Limit("noise_steps", 10_000_000, "fixed steps of one noisy path (t_end / dt)"),
    Limit("memory", 2**30, "bytes one array of results or starting states may take", "bytes"),
    Limit("time_budget", 86_400, "a --time-budget / time_budget value", "seconds"),
    Limit("face_work", 16_000, "work units of the rest-point search of one analysis: each face "
          "searched costs 1 + its number of unknowns, each continuum found 8 more; faces beyond "
          "are left unsearched and the report says so"),
)
#: Every limit by name.
LIMITS: dict[str, Limit] = {lim.name: lim for lim in _ALL}

_overrides: dict[str, float] = {}


def _limit(name: str) -> Limit:
    try:
        return LIMITS[name]
    except KeyError:
        raise GameInputError(f"unknown limit {name!r}; limits: {', '.join(LIMITS)}") from None


def _parse_value(name: str, value: object, where: str) -> int | float:
    lim = _limit(name)
    if isinstance(value, bool):
        raise GameInputError(f"{where}: expected a positive number for limit `{name}`, got "
                             f"{value!r}")
    try:
        number = float(value) if isinstance(value, str) else value
        number = float(number)
    except (TypeError, ValueError, OverflowError):
        raise GameInputError(f"{where}: expected a positive number for limit `{name}`, got "
                             f"{value!r}") from None
    if not (math.isfinite(number) and number > 0):
        raise GameInputError(f"{where}: expected a finite positive number for limit `{name}`, "
                             f"got {value!r}")
    if isinstance(lim.default, int):
        if number >= 2**63:
            raise GameInputError(f"{where}: limit `{name}` at most 9.2e18, got {value!r}")
        return int(number)
    return number


def get(name: str) -> int | float:
    """The current value of a limit (override, then environment variable, then default).

    Parameters
    ----------
    name : str
        A key of :data:`LIMITS`.

    Returns
    -------
    int or float

    Raises
    ------
    GameInputError
        For an unknown limit, or an environment variable that is not a positive number.

    Examples
    --------
    >>> get("exponent")
    64
    """
    lim = _limit(name)
    if name in _overrides:
        return _overrides[name]
    raw = os.environ.get(lim.env)
    if raw is not None and raw.strip():
        return _parse_value(name, raw.strip(), lim.env)
    return lim.default


def set_limit(name: str, value: object, where: str = "--limit") -> None:
    """Override a limit for the rest of the process (the command line's ``--limit``).

    Parameters
    ----------
    name : str
        A key of :data:`LIMITS`.
    value : number or str
        A finite positive number (``"1e7"`` is accepted for counts).
    where : str
        Named in error messages.

    Returns
    -------
    None

    Examples
    --------
    >>> set_limit("samples", "2e6"); get("samples")
    2000000
    >>> set_limit("samples", None)   # None removes the override
    >>> get("samples")
    1000000
    """
    if value is None:
        _overrides.pop(name, None)
        _limit(name)
        return
    _overrides[name] = _parse_value(name, value, where)


@contextlib.contextmanager
def overridden(**values: object) -> Iterator[None]:
    """Override limits inside a ``with`` block, restoring them afterwards.

    Parameters
    ----------
    **values : number
        Limit name -> value.

    Yields
    ------
    None

    Examples
    --------
    >>> with overridden(points=5):
    ...     get("points")
    5
    >>> get("points")
    10000000
    """
    saved = {n: _overrides.get(n) for n in values}
    try:
        for n, v in values.items():
            set_limit(n, v, "overridden()")
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                _overrides.pop(n, None)
            else:
                _overrides[n] = v


def _how_to_raise(name: str) -> str:
    return f"--limit {name}=N or {LIMITS[name].env}=N"


def check_count(what: str, value: object, limit_name: str, hint: str = "") -> int:
    """Check that a count is a whole number in ``[0, limit]``; return it as an ``int``.

    Parameters
    ----------
    what : str
        How the count is called in messages (``"--samples"``, ``"sweep(samples=)"``).
    value : int
        The count (a float with an integer value, such as ``1e6``, is accepted).
    limit_name : str
        A key of :data:`LIMITS`.
    hint : str, optional
        How to split the work, appended to the message (e.g. ``"run the grid in parts"``).

    Returns
    -------
    int

    Raises
    ------
    LimitError
        Above the limit (the message names it, the value found and how to raise it).
    GameInputError
        Not a whole number, or negative.

    Examples
    --------
    >>> check_count("--points", 101, "points")
    101
    >>> check_count("--points", -3, "points")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --points: expected a whole number >= 0, got -3
    """
    count = _as_count(what, value)
    limit = get(limit_name)
    if count > limit:
        extra = f"; {hint}" if hint else ""
        raise LimitError(f"{what}: {count} is above the limit `{limit_name}` = {limit} "
                         f"({LIMITS[limit_name].what}){extra}; raise it with "
                         f"{_how_to_raise(limit_name)}")
    return count


def _as_count(what: str, value: object) -> int:
    if isinstance(value, bool):
        raise GameInputError(f"{what}: expected a whole number >= 0, got {value!r}")
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            raise GameInputError(f"{what}: expected a whole number >= 0, got {value!r}")
        value = int(value)
    try:
        count = int(value.__index__())  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        raise GameInputError(f"{what}: expected a whole number >= 0, got {value!r}") from None
    if count < 0:
        raise GameInputError(f"{what}: expected a whole number >= 0, got {count}")
    return count


def format_bytes(n: int | float) -> str:
    """``n`` bytes in binary units.

    Parameters
    ----------
    n : int or float

    Returns
    -------
    str

    Examples
    --------
    >>> format_bytes(512), format_bytes(2**30), format_bytes(16 * 10**18)
    ('512 B', '1.0 GiB', '13.9 EiB')
    """
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    value, unit = float(n), 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    return f"{int(n)} B" if unit == 0 else f"{value:.1f} {units[unit]}"


def check_allocation(what: str, n_items: object, bytes_each: object, hint: str = "") -> int:
    """Check, before allocating, that ``n_items`` of ``bytes_each`` bytes fit the memory limit.

    Parameters
    ----------
    what : str
        What would be allocated (``"sweep starting mixes"``).
    n_items : int
        Number of items (rows, samples, cells).
    bytes_each : int
        Bytes per item (e.g. ``8 * dimension`` for float64 rows).
    hint : str, optional
        How to chunk the work; by default the largest number of items that fits is suggested.

    Returns
    -------
    int
        The total number of bytes.

    Raises
    ------
    LimitError
        When ``n_items * bytes_each`` exceeds the limit ``memory``.

    Examples
    --------
    >>> check_allocation("starting mixes", 64, 32)
    2048
    >>> check_allocation("sweep starting mixes", 10**9, 16)
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: sweep starting mixes: 1000000000 x 16 bytes = 14.9 GiB ...
    """
    n = _as_count(what, n_items)
    each = _as_count(what, bytes_each)
    total = n * each
    limit = get("memory")
    if total > limit:
        fits = limit // each if each else n
        chunk = hint or f"split the work into parts of at most {fits} items"
        raise LimitError(f"{what}: {n} x {each} bytes = {format_bytes(total)} is above the limit "
                         f"`memory` = {format_bytes(limit)}; {chunk}, or raise the limit with "
                         f"{_how_to_raise('memory')} (bytes)")
    return total


def check_time_budget(value: object, where: str = "time_budget") -> float:
    """A time budget must be a finite positive number of seconds, at most the limit.

    Parameters
    ----------
    value : float
    where : str
        Named in messages (``"--time-budget"``).

    Returns
    -------
    float

    Raises
    ------
    GameInputError
        Not a number, not finite, not positive; LimitError above the limit ``time_budget``.

    Examples
    --------
    >>> check_time_budget(20)
    20.0
    >>> check_time_budget(float("nan"), "--time-budget")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --time-budget: expected a finite number of seconds ...
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if isinstance(value, bool) or not (math.isfinite(seconds) and seconds > 0):
        raise GameInputError(f"{where}: expected a finite number of seconds > 0, got {value!r} "
                             f"(e.g. 20)")
    limit = get("time_budget")
    if seconds > limit:
        raise LimitError(f"{where}: {seconds:g} s is above the limit `time_budget` = {limit:g} s; "
                         f"raise it with {_how_to_raise('time_budget')}")
    return seconds


def check_seed(value: object, where: str = "seed") -> int:
    """A random seed must be a whole number in ``[0, 2**63)``.

    Parameters
    ----------
    value : int
    where : str

    Returns
    -------
    int

    Raises
    ------
    GameInputError

    Examples
    --------
    >>> check_seed(0)
    0
    >>> check_seed(-1, "--seed")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --seed: expected a whole number in [0, 2**63), got -1
    """
    try:
        seed = _as_count(where, value)
    except GameInputError:
        seed = -1
    if seed < 0 or seed >= 2**63:
        raise GameInputError(f"{where}: expected a whole number in [0, 2**63), got {value!r}")
    return seed

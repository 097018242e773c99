"""Checks of an untrusted model file before and while it is built (issue 12).

A model file may come from anyone; before the reader builds a game from it:

* the file must be a regular file of at most ``model_file_bytes`` (checked on the open
  descriptor, opened non-blocking, so a FIFO or ``/dev/zero`` is refused and never read);
* no string or key may hold a control character (C0, DEL, C1) or a bidirectional override;
  a newline or tab is allowed only in ``description``, ``source`` and ``note``;
* the counts of populations, strategies and profiles must be within their limits;
* each ``[derived]`` name and each payoff cell, once derived names are expanded, must stay
  within ``expanded_size`` nodes and ``expanded_degree``, estimated structurally
  (:func:`gametheory_regen.model.bounds.expanded_measure`) before anything is expanded.

Games built in Python (:class:`~gametheory_regen.model.builder.GameBuilder`,
:meth:`Game.from_table <gametheory_regen.model.game.Game.from_table>`, ``Game.symmetric``) pass
the same checks, through the same functions (:func:`check_text`, :func:`check_counts`,
:func:`check_expanded`, :func:`check_cells`), with the package's own exceptions.

The limits are those of :mod:`gametheory_regen.limits` (``docs/limits.md``).
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import GameInputError, LimitError, ModelFileError

if TYPE_CHECKING:  # pragma: no cover
    from .builder import GameBuilder
    from .game import Game

__all__ = ["check_text", "check_counts", "check_expanded", "check_cells"]


def _read_bounded(p: pathlib.Path) -> str:
    """The text of a regular file of at most ``model_file_bytes``, checked before reading.

    The file type is checked on the open descriptor (opened non-blocking, so a FIFO cannot
    block), so a FIFO, ``/dev/zero`` or a socket is refused instead of read forever.
    """
    import os
    import stat

    from .. import limits

    limit = limits.get("model_file_bytes")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ModelFileError(f"{p}: not a regular file (a FIFO, device or socket); give a "
                                 f"path to a .toml model file")
        if st.st_size > limit:
            raise ModelFileError(f"{p}: {st.st_size} bytes is above the limit `model_file_bytes` "
                                 f"= {limit} (docs/limits.md); raise it with --limit "
                                 f"model_file_bytes=N or {limits.LIMITS['model_file_bytes'].env}")
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot read the file: {exc.strerror or exc}") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise ModelFileError(f"{p}: more than {limit} bytes, above the limit `model_file_bytes`")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the "
                             f"model file as UTF-8") from exc



#: Keys whose text may span lines (a newline or a tab is allowed there, nothing else).
_MULTILINE_KEYS = {"description", "source", "note"}


def _bad_char(c: str) -> bool:
    """A control character (C0, DEL, C1) or a bidirectional override, unsafe in any output."""
    import unicodedata

    return unicodedata.category(c) == "Cc" or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"


def _text_problem(text: str, allowed: str = "") -> str | None:
    """The message for the first unsafe character of ``text``, or None."""
    for i, c in enumerate(text):
        if c not in allowed and _bad_char(c):
            return (f"control character '{c.encode('unicode_escape').decode()}' at position {i} "
                    f"of '{text[:40].encode('unicode_escape').decode()}'; text may not hold "
                    f"control characters"
                    + (" (a newline is allowed only in description, source and note)"
                       if c in "\n\r" else ""))
    return None


def check_text(text: object, where: str, *, multiline: bool = False,
               error: type[GameInputError] = GameInputError) -> None:
    """Refuse a control character (C0, DEL, C1) or a bidirectional override in a text.

    The one check of every name, title and note, in model files and in games built in Python:
    such characters reach terminals, documents and CSV cells raw (terminal injection).

    Parameters
    ----------
    text : object
        Checked when it is a string (anything else is left to the caller's type checks).
    where : str
        Where the text comes from, named in the message.
    multiline : bool
        Allow newlines and tabs (descriptions, sources, notes).
    error : type
        The exception raised (a :class:`~gametheory_regen.errors.GameInputError` subclass).

    Raises
    ------
    GameInputError
        Naming the character, its position and the text.

    Examples
    --------
    >>> check_text("enable", "strategy")
    >>> check_text("a\\x1b[31m", "strategy")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: strategy: control character '\\x1b' at position 1 ...
    """
    if isinstance(text, str):
        problem = _text_problem(text, "\n\t" if multiline else "")
        if problem:
            raise error(f"{where}: {problem}")


def _check_strings(data: object, filename: str, where: str, key: str = "") -> None:
    """Refuse control characters in every string and key of the file (terminal injection)."""
    if isinstance(data, dict):
        for k, v in data.items():
            _check_strings(k, filename, where, "")
            inner = f"[[{k}]]" if where == "top level" and isinstance(v, list) and v and \
                isinstance(v[0], dict) else f"[{k}]" if where == "top level" and isinstance(v, dict) else \
                (f"key `{k}`" if where == "top level" else f"{where}, key `{k}`")
            _check_strings(v, filename, inner, str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data, 1):
            _check_strings(v, filename, f"{where} {i}" if isinstance(v, dict) else where, key)
    elif isinstance(data, str):
        check_text(data, f"{filename}: {where}", multiline=key in _MULTILINE_KEYS,
                   error=ModelFileError)


def check_counts(strategy_counts, where: str, error: type[GameInputError] = LimitError) -> None:
    """Counts of populations, strategies and profiles against their limits, before building.

    Parameters
    ----------
    strategy_counts : sequence of int
        The number of strategies of each population declared so far.
    where : str
        Prefix of the messages (``"m.toml: [[populations]]"``, ``"game 'g'"``).
    error : type
        The exception raised; a :class:`~gametheory_regen.errors.LimitError` by default.

    Raises
    ------
    LimitError
        Naming the limit, the value found and how to raise it.

    Examples
    --------
    >>> check_counts([2, 3], "game 'g'")
    >>> check_counts([2] * 9, "game 'g'")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: game 'g': number of populations: 9 is above the limit ...
    """
    from .. import limits

    try:
        limits.check_count(f"{where}: number of populations", len(strategy_counts),
                           "populations")
        profiles = 1
        for i, k in enumerate(strategy_counts, 1):
            limits.check_count(f"{where} {i}: number of strategies", k, "strategies")
            profiles *= max(k, 1)
        limits.check_count(f"{where}: number of strategy profiles", profiles, "profiles")
    except LimitError as exc:
        if isinstance(exc, error):
            raise
        raise error(str(exc)) from exc


def _check_shape(data: Mapping, filename: str) -> None:
    """Counts of populations, strategies and profiles against their limits, before building."""
    pops = data.get("populations")
    if not isinstance(pops, list):
        return
    counts = []
    for pop in pops:
        strategies = pop.get("strategies") if isinstance(pop, dict) else None
        counts.append(len(strategies) if isinstance(strategies, list) else 1)
    check_counts(counts, f"{filename}: [[populations]]", ModelFileError)


def check_expanded(derived: Mapping, place, error: type[GameInputError] = LimitError,
                   how: str = "") -> dict:
    """Size and degree of every derived name once expanded, estimated before expanding.

    Parameters
    ----------
    derived : mapping of str to sympy.Expr
        Derived names and their expressions as written (in declaration order).
    place : callable
        ``place(name)`` names the derived name in messages.
    error : type
        The exception raised.
    how : str
        How to raise a limit, a template with ``{lname}`` (default: the library's ways).

    Returns
    -------
    dict
        Symbol -> (size, degree), for :func:`check_cells`.

    Raises
    ------
    LimitError
        When some expansion would exceed ``expanded_size`` or ``expanded_degree``.

    Examples
    --------
    >>> chain = {"x0": sp.Symbol("p") ** 2}
    >>> chain.update({f"x{i}": sp.Symbol(f"x{i - 1}", real=True) ** 2 for i in range(1, 40)})
    >>> check_expanded(chain, lambda n: f"derived name {n!r}")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.LimitError: derived name 'x4': once the [derived] names it uses are ...
    """
    from .. import limits
    from .expr import expanded_measure

    known: dict = {}
    max_size, max_degree = limits.get("expanded_size"), limits.get("expanded_degree")
    for name, expr in derived.items():
        size, degree = expanded_measure(expr, known)
        for value, limit, lname, word in ((size, max_size, "expanded_size", "nodes"),
                                          (degree, max_degree, "expanded_degree", "degree")):
            if value > limit:
                shown = f"{value}" if value < 10**15 else f"about 10**{len(str(value)) - 1}"
                raise error(
                    f"{place(name)}: once the [derived] names it uses are "
                    f"replaced it would have {word} {shown}, above the limit `{lname}` = {limit} "
                    f"(docs/limits.md); rewrite the chain (e.g. use a power with a parameter as "
                    f"exponent) or raise it with "
                    f"{how.format(lname=lname) if how else _library_how(lname)}")
        known[sp.Symbol(name, real=True)] = (size, degree)
    return known


def _library_how(lname: str) -> str:
    from .. import limits

    return f"gametheory_regen.limits.set_limit({lname!r}, N) or {limits.LIMITS[lname].env}=N"


def _check_expanded(b: GameBuilder, filename: str) -> dict:
    """Size and degree of every derived name once expanded, estimated before expanding."""
    return check_expanded(b._derived_raw, lambda name: f"{filename}: [derived], key `{name}`",
                          ModelFileError, "--limit {lname}=N")


def check_cells(game: Game, known: dict, where: str,
                error: type[GameInputError] = LimitError) -> None:
    """The estimate of :func:`check_expanded` for every payoff cell and ``[[fitness]]`` entry.

    Parameters
    ----------
    game : Game
    known : dict
        From :func:`check_expanded`.
    where : str
        Prefix of the messages (a file name, or ``"game 'g'"``).
    error : type
        The exception raised.

    Raises
    ------
    LimitError

    Examples
    --------
    >>> from gametheory_regen.model import Game
    >>> check_cells(Game.builtin("hawk_dove"), {}, "game 'hawk_dove'")
    """
    from .. import limits
    from .expr import expanded_measure

    max_size, max_degree = limits.get("expanded_size"), limits.get("expanded_degree")
    cells = [(p, profile, expr) for profile in game.table_profiles()
             for p, expr in enumerate(game.table[profile])]
    cells += [(pi, None, expr) for (pi, _), expr in game.fitness.items()]
    for p, profile, expr in cells:
        size, degree = expanded_measure(expr, known)
        if size > max_size or degree > max_degree:
            lname, value = ("expanded_size", size) if size > max_size else \
                ("expanded_degree", degree)
            at = f" at ({', '.join(game.cell_names(profile))})" if profile is not None else \
                " ([[fitness]])"
            raise error(
                f"{where}: the payoff of population {game.populations[p].name!r}{at} would have "
                f"{'nodes' if lname == 'expanded_size' else 'degree'} {value} once [derived] "
                f"names are replaced, above the limit `{lname}` = "
                f"{limits.get(lname)} (docs/limits.md)")

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

The limits are those of :mod:`gametheory_regen.limits` (``docs/limits.md``).
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import ModelFileError

if TYPE_CHECKING:  # pragma: no cover
    from .builder import GameBuilder
    from .game import Game

__all__: list[str] = []


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
        allowed = "\n\t" if key in _MULTILINE_KEYS else ""
        for i, c in enumerate(data):
            if c not in allowed and _bad_char(c):
                raise ModelFileError(
                    f"{filename}: {where}: control character '{c.encode('unicode_escape').decode()}'"
                    f" at position {i} of '{data[:40].encode('unicode_escape').decode()}'; "
                    f"text may not hold control characters"
                    + (" (a newline is allowed only in description, source and note)"
                       if c in "\n\r" else ""))


def _check_shape(data: Mapping, filename: str) -> None:
    """Counts of populations, strategies and profiles against their limits, before building."""
    from .. import limits
    from ..errors import LimitError

    pops = data.get("populations")
    if not isinstance(pops, list):
        return
    try:
        limits.check_count(f"{filename}: [[populations]]: number of populations", len(pops),
                           "populations")
        profiles = 1
        for i, pop in enumerate(pops, 1):
            strategies = pop.get("strategies") if isinstance(pop, dict) else None
            if isinstance(strategies, list):
                limits.check_count(f"{filename}: [[populations]] {i}: number of strategies",
                                   len(strategies), "strategies")
                profiles *= max(len(strategies), 1)
        limits.check_count(f"{filename}: [[populations]]: number of strategy profiles", profiles,
                           "profiles")
    except LimitError as exc:
        raise ModelFileError(str(exc)) from exc


def _check_expanded(b: GameBuilder, filename: str) -> dict:
    """Size and degree of every derived name once expanded, estimated before expanding."""
    from .. import limits
    from .expr import expanded_measure

    known: dict = {}
    max_size, max_degree = limits.get("expanded_size"), limits.get("expanded_degree")
    for name, expr in b._derived_raw.items():
        size, degree = expanded_measure(expr, known)
        for value, limit, lname, word in ((size, max_size, "expanded_size", "nodes"),
                                          (degree, max_degree, "expanded_degree", "degree")):
            if value > limit:
                shown = f"{value}" if value < 10**15 else f"about 10**{len(str(value)) - 1}"
                raise ModelFileError(
                    f"{filename}: [derived], key `{name}`: once the [derived] names it uses are "
                    f"replaced it would have {word} {shown}, above the limit `{lname}` = {limit} "
                    f"(docs/limits.md); rewrite the chain (e.g. use a power with a parameter as "
                    f"exponent) or raise it with --limit {lname}=N")
        known[sp.Symbol(name, real=True)] = (size, degree)
    return known


def _check_cells(game: Game, known: dict, filename: str) -> None:
    """The same estimate for every payoff cell (payoffs keep derived names as written)."""
    from .. import limits
    from .expr import expanded_measure

    max_size, max_degree = limits.get("expanded_size"), limits.get("expanded_degree")
    for profile in game.table_profiles():
        for p, expr in enumerate(game.table[profile]):
            size, degree = expanded_measure(expr, known)
            if size > max_size or degree > max_degree:
                lname, value = ("expanded_size", size) if size > max_size else \
                    ("expanded_degree", degree)
                raise ModelFileError(
                    f"{filename}: the payoff of population {game.populations[p].name!r} at "
                    f"({', '.join(game.cell_names(profile))}) would have "
                    f"{'nodes' if lname == 'expanded_size' else 'degree'} {value} once [derived] "
                    f"names are replaced, above the limit `{lname}` = "
                    f"{limits.get(lname)} (docs/limits.md)")

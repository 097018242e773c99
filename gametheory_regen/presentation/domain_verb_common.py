r"""Shared by the domain verbs: an outcome read from the command line, numbers in words.

A pure outcome :math:`s = (s_1, \dots, s_n)` is given on the command line as
``POP=STRATEGY,...``, one strategy per population (:func:`parse_outcome`); a profile is printed as
its strategies in population order, ``(enable, operate)``.  Numbers in sentences have six
significant digits (:data:`DIGITS`; JSON numbers keep full precision), :math:`\pm\infty` is
written ``inf`` and ``-inf``, and a non-finite number becomes JSON ``null``.  The verbs of
:mod:`.threshold_verb`, :mod:`.compare_verb` and :mod:`.calibrate_verb` also share the check
that an ``--output`` file can be written before any work starts, and the loading of the model
with its scenario and ``--set`` values.
"""

from __future__ import annotations

import math

from .cli import UsageError

__all__ = ["parse_outcome", "DIGITS"]

#: Significant digits of numbers in sentences (JSON numbers are full precision).
DIGITS = 6


def _g(x: float, digits: int = DIGITS) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}"


def _finite(x):
    return x if (isinstance(x, float) and math.isfinite(x)) or isinstance(x, int) else None


def parse_outcome(text: str, where: str = "--outcome") -> dict[str, str]:
    """``POP=STRATEGY,...`` -> {population: strategy} (names are checked against the model later).

    Parameters
    ----------
    text : str
        The ``--outcome`` option.
    where : str
        The option named in error messages.

    Returns
    -------
    dict of str to str

    Raises
    ------
    UsageError
        An empty item, an item without ``=`` or without a population or strategy, or a
        population given twice.

    Examples
    --------
    >>> parse_outcome("government=enable, operator=operate")
    {'government': 'enable', 'operator': 'operate'}
    >>> parse_outcome("owner=hawk,owner=dove")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --outcome 'owner=hawk,owner=dove': population ...
    """
    out: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"{where} {text!r}: empty item; "
                             f"expected POP=STRATEGY,POP=STRATEGY,...")
        if "=" not in part:
            raise UsageError(f"{where} {text!r}: {part!r} is not POP=STRATEGY "
                             f"(e.g. {where} operator=operate,residents=participate)")
        pop, _, strategy = (s.strip() for s in part.partition("="))
        if not pop or not strategy:
            raise UsageError(f"{where} {text!r}: {part!r} needs a population and a strategy")
        if pop in out:
            raise UsageError(f"{where} {text!r}: population {pop!r} is given twice")
        out[pop] = strategy
    return out


def _check_output(path: str | None) -> None:
    if path:
        from ..fileio import check_writable

        check_writable(path)


def _game_for(args):
    from .cli import load_game

    return load_game(args)


def _scenario_name(name: str | None) -> str:
    return "(as given)" if name is None else name


def _profile_text(outcome) -> str:
    pairs = outcome.items() if isinstance(outcome, dict) else outcome
    return "(" + ", ".join(s for _, s in pairs) + ")"

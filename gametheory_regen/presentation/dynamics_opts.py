"""The command line's ``--dynamics KIND[,NAME=VALUE...]`` (Contract 4), shared by the verbs.

``report``, ``simulate``, ``sweep`` and ``compare`` take the option; it wins over the model
file's ``[dynamics]`` table. The raw text is kept in ``args.dynamics`` (``None`` when the option
is absent) and :func:`resolve_dynamics` turns it into the game's
:class:`~gametheory_regen.model.dynamics_spec.Dynamics`. For ``compare`` the value ``all`` is
reserved (every dynamics side by side); elsewhere it is refused with one line.

>>> from gametheory_regen.presentation.cli import build_parser, load_game
>>> import gametheory_regen.presentation.verbs  # registers the verbs with the parser
>>> args = build_parser().parse_args(["simulate", "rock_paper_scissors", "--initial",
...                                   "row=0.5,column=0.2", "--dynamics", "logit,temperature=0.5"])
>>> args.dynamics
'logit,temperature=0.5'
>>> resolve_dynamics(args, load_game(args)).dynamics.as_dict()
{'kind': 'logit', 'temperature': 0.5}
"""

from __future__ import annotations

import argparse

from ..model.dynamics_spec import DYNAMICS_KINDS, FORMULAS, Dynamics
from .cli import UsageError

__all__ = ["ALL", "add_dynamics_option", "parse_dynamics_option", "resolve_dynamics",
           "dynamics_json", "dynamics_show_text"]

#: The reserved value of ``compare --dynamics``: every dynamics side by side.
ALL = "all"


def add_dynamics_option(parser: argparse.ArgumentParser, *, allow_all: bool = False) -> None:
    """Declare ``--dynamics`` on a verb's parser (stored raw in ``args.dynamics``).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The verb's sub-parser.
    allow_all : bool
        Document the value ``all`` (``compare`` only).

    Returns
    -------
    None

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_dynamics_option(p)
    >>> p.parse_args(["--dynamics", "smith"]).dynamics, p.parse_args([]).dynamics
    ('smith', None)
    """
    extra = "; `all`: every dynamics side by side" if allow_all else ""
    parser.add_argument(
        "--dynamics", default=None, metavar="KIND[,NAME=VALUE...]",
        help=f"the dynamics, overriding the model file's [dynamics]: one of "
             f"{', '.join(DYNAMICS_KINDS)}, with mutation=MU (replicator_mutator), "
             f"temperature=ETA (logit) or intensity=BETA (imitation){extra}")


def parse_dynamics_option(text: str | None, *, allow_all: bool = False) -> Dynamics | None:
    """The :class:`Dynamics` of a ``--dynamics`` text (``None`` for an absent option or ``all``).

    Parameters
    ----------
    text : str or None
        ``args.dynamics``.
    allow_all : bool
        Accept ``all`` (returned as ``None``: the caller handles it).

    Returns
    -------
    Dynamics or None

    Raises
    ------
    UsageError
        An unknown dynamics, a parameter of another dynamics, a value out of range or not a
        number (one line; the command exits with status 2), or ``all`` where it is not
        allowed.

    Examples
    --------
    >>> parse_dynamics_option("replicator_mutator,mutation=0.01").mutation
    0.01
    >>> parse_dynamics_option("logit,temperature=-1")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --dynamics 'logit,temperature=-1': dynamics 'logit': temperature must be a finite number > 0; got -1.0
    >>> parse_dynamics_option("all")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --dynamics all: only `compare` takes all (every dynamics side by side); give one of replicator, replicator_mutator, logit, bnn, smith, imitation
    """  # noqa: E501
    if text is None:
        return None
    if text.strip() == ALL:
        if allow_all:
            return None
        raise UsageError(f"--dynamics all: only `compare` takes all (every dynamics side by "
                         f"side); give one of {', '.join(DYNAMICS_KINDS)}")
    from ..errors import GameInputError

    try:
        return Dynamics.parse(text)
    except GameInputError as exc:
        message = str(exc)
        if not message.startswith("--dynamics"):
            message = f"--dynamics {text!r}: {message}"
        raise UsageError(message) from exc


def resolve_dynamics(args, game, *, allow_all: bool = False):
    """The game under the dynamics of ``--dynamics`` if given, else the model file's.

    Parameters
    ----------
    args : argparse.Namespace
        With ``dynamics`` (the raw option text, or None); a namespace without it leaves the
        game unchanged.
    game : Game
    allow_all : bool
        ``compare``: ``all`` leaves the game unchanged (the caller runs every dynamics).

    Returns
    -------
    Game

    Raises
    ------
    UsageError
        A bad ``--dynamics`` (see :func:`parse_dynamics_option`).

    Examples
    --------
    >>> import argparse
    >>> import gametheory_regen as gr
    >>> rps = gr.Game.builtin("rock_paper_scissors")
    >>> resolve_dynamics(argparse.Namespace(dynamics="bnn"), rps).dynamics.kind
    'bnn'
    >>> resolve_dynamics(argparse.Namespace(dynamics=None), rps) is rps
    True
    """
    dyn = parse_dynamics_option(getattr(args, "dynamics", None), allow_all=allow_all)
    return game if dyn is None else game.with_dynamics(dyn)


def dynamics_json(game) -> dict:
    """The ``"dynamics"`` entry of every JSON document: ``{"kind": ..., parameter: value}``.

    Parameters
    ----------
    game : Game

    Returns
    -------
    dict

    Examples
    --------
    >>> import gametheory_regen as gr
    >>> dynamics_json(gr.Game.builtin("hawk_dove").with_dynamics("imitation,intensity=2"))
    {'kind': 'imitation', 'intensity': 2.0}
    """
    return game.dynamics.as_dict()




def dynamics_show_text(dynamics) -> str:
    """The lines ``show`` adds for a model whose ``[dynamics]`` is not the replicator.

    Parameters
    ----------
    dynamics : Dynamics

    Returns
    -------
    str

    Examples
    --------
    >>> print(dynamics_show_text(Dynamics("logit", temperature=0.1)), end="")
    Dynamics: logit (temperature = 0.1), per population: x' = softmax(u / eta) - x
    (u: the expected payoffs above; the replicator equations are shown for reference)
    """
    return (f"Dynamics: {dynamics.describe()}, per population: {FORMULAS[dynamics.kind]}\n"
            f"(u: the expected payoffs above; the replicator equations are shown for "
            f"reference)\n")



"""The ``gametheory-regen`` command (Contract 2 of DESIGN.md).

Exit status: 0 success; 2 bad input or usage (one line on stderr, no traceback); 1 internal
error.  Output files are written whole or not at all.  The full reference is ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import GameInputError
from .streams import _say, _silence_stdout, _tolerant_streams, write_stdout

__all__ = ["main", "build_parser"]


class UsageError(GameInputError):
    """A command-line usage error.

    A :class:`~gametheory_regen.errors.GameInputError`, so :func:`main` reports it on one line
    of stderr and exits with status 2.

    Examples
    --------
    >>> issubclass(UsageError, GameInputError)
    True
    >>> parse_assignment("S")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --set 'S': expected NAME=VALUE, e.g. --set S=1.5
    """


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


# ---------------------------------------------------------------------------- argument helpers
def parse_assignment(text: str, where: str = "--set") -> tuple[str, str]:
    """``NAME=VALUE`` -> (name, value text), the value checked to be a finite number.

    The value is returned as its (stripped) text, not as a float, so that
    :meth:`Game.with_values <gametheory_regen.Game.with_values>` reads a decimal such as
    ``0.1`` exactly (as 1/10).

    Parameters
    ----------
    text : str
        ``NAME=VALUE``.
    where : str
        The option named in error messages.

    Returns
    -------
    tuple of (str, str)
        The parameter name and the value's text.

    Raises
    ------
    UsageError
        No ``=``, a name that is not an identifier, or a value that is not a finite number.

    Examples
    --------
    >>> parse_assignment("V = 0.1")
    ('V', '0.1')
    >>> parse_assignment("V=inf")
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: --set 'V=inf': the value must be a finite ...
    """
    if "=" not in text:
        raise UsageError(f"{where} {text!r}: expected NAME=VALUE, e.g. {where} S=1.5")
    name, _, value = text.partition("=")
    name = name.strip()
    if not name.isidentifier():
        raise UsageError(f"{where} {text!r}: {name!r} is not a parameter name")
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"{where} {text!r}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise UsageError(f"{where} {text!r}: the value must be a finite number, got {value!r}")
    from ..model.expr import check_decimal_text

    check_decimal_text(value.strip(), f"{where} {name}")
    return name, value.strip()


def count_arg(text: str) -> int:
    """An argparse type: a whole number, also written ``1e6`` (but not ``1.5``).

    Parameters
    ----------
    text : str

    Returns
    -------
    int

    Raises
    ------
    argparse.ArgumentTypeError
        When ``text`` is not a whole number.

    Examples
    --------
    >>> count_arg("64"), count_arg("1e6"), count_arg("-1")
    (64, 1000000, -1)
    """
    t = text.strip()
    try:
        return int(t)
    except ValueError:
        pass
    try:
        number = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not (math.isfinite(number) and number.is_integer()):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(number)


def load_game(args) -> object:
    """The model named by ``args.model`` with ``--scenario`` then ``--set`` applied.

    Parameters
    ----------
    args : argparse.Namespace
        With ``model`` (a built-in name or a ``.toml`` path) and optionally ``scenario`` (a name,
        or a list of names of which the last counts) and ``set`` (``NAME=VALUE`` strings).

    Returns
    -------
    Game

    Raises
    ------
    GameInputError
        An unknown model or scenario, a bad ``--set`` (:class:`UsageError`), an unknown parameter
        or a value outside its bounds.

    Examples
    --------
    >>> args = build_parser().parse_args(["report", "hawk_dove", "--set", "V=3"])
    >>> game = load_game(args)
    >>> game.name, {k: str(v) for k, v in game.values.items()}
    ('hawk_dove', {'V': '3', 'C': '4'})
    """
    from ..model.library import builtin_names, resolve_model

    game = resolve_model(args.model)
    if getattr(game, "path", None) and args.model not in builtin_names():
        from ..fileio import protect

        protect(game.path)
    scenarios = getattr(args, "scenario", None)
    if isinstance(scenarios, list):
        scenarios = scenarios[-1] if scenarios else None
    game = game.with_scenario(scenarios)
    overrides = dict(parse_assignment(s) for s in (getattr(args, "set", None) or []))
    return game.with_values(overrides, where="--set")


def emit(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to ``output``.

    Parameters
    ----------
    text : str or bytes
        Bytes are decoded as UTF-8 for stdout; text is encoded as UTF-8 for a file.
    output : str or None
        A file path (written whole or not at all, see
        :func:`gametheory_regen.fileio.write_bytes_atomic`), or None for stdout.

    Returns
    -------
    None

    Examples
    --------
    >>> emit("hello\\n", None)
    hello
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "out.txt"
    ...     emit(b"saved\\n", str(path))
    ...     path.read_text(encoding="utf-8")
    'saved\\n'
    """
    from ..fileio import write_bytes_atomic

    if output and output != "-":
        data = text.encode("utf-8") if isinstance(text, str) else text
        write_bytes_atomic(output, data, "--output")
    else:
        write_stdout(text if isinstance(text, str) else text.decode("utf-8"))


def _check_plot_path(path: str | None) -> None:
    if path is None:
        return
    from ..fileio import check_writable

    ext = os.path.splitext(path)[1].lower()
    if ext not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--plot {path!r}: the file name must end in .png, .svg or .pdf")
    check_writable(path, "--plot")


# ---------------------------------------------------------------------------- verbs
def cmd_models(args) -> None:
    """The ``models`` verb: list the built-in models, their shapes and scenarios, on stdout.

    Parameters
    ----------
    args : argparse.Namespace or None
        Unused (the verb has no options).

    Returns
    -------
    None

    Examples
    --------
    >>> cmd_models(None)
    battle_of_sexes  (2x2)  Battle of the sexes (two populations)
    hawk_dove  (2x2)  Role-asymmetric hawk-dove (owner and intruder)
    jordan_matching_pennies  (2x2x2)  Jordan's three-player matching pennies
    matching_pennies  (2x2)  Two-population matching pennies
    regeneration  (2x2x2)  Community regeneration: government, operator and residents ...
        --scenario baseline: Status quo: no operating rights, no subsidy, ...
    ...
    rock_paper_scissors  (3x3)  Two-population rock-paper-scissors (zero-sum)
    """
    from ..model.library import builtin_names, load_builtin

    lines = []
    for name in builtin_names():
        game = load_builtin(name)
        shape = "x".join(map(str, game.shape))
        lines.append(f"{name}  ({shape})  {game.title}")
        for scen in game.scenarios.values():
            lines.append(f"    --scenario {scen.name}: {scen.description}")
    emit("\n".join(lines) + "\n", None)


def cmd_show(args) -> None:
    """The ``show`` verb: payoff table and replicator equations (:func:`~.report.show_text`).

    Parameters
    ----------
    args : argparse.Namespace
        ``model``, ``scenario``, ``set`` (see :func:`load_game`) and ``output`` (a file, or None
        for stdout).

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        A bad model, scenario or ``--set``; an output file that cannot be written.

    Examples
    --------
    >>> cmd_show(build_parser().parse_args(["show", "battle_of_sexes", "--set", "a=3"]))
    Model: battle_of_sexes — Battle of the sexes (two populations)
    ...
    Parameters:
      a = 3   (...)
      b = 1   (...)
    <BLANKLINE>
    Payoffs (woman, man):
      (opera, opera): a; b
      (opera, football): 0; 0
      (football, opera): 0; 0
      (football, football): b; a
    <BLANKLINE>
    Replicator equations:
      dx/dt = x*(1 - x)*(4*y - 1)
      dy/dt = y*(1 - y)*(4*x - 3)
    """
    from ..dynamics.replicator import replicator_system
    from .report import show_text

    game = load_game(args)
    text = show_text(game, replicator_system(game))
    if game.dynamics.kind != "replicator":  # the model file's [dynamics] (Contract 4)
        from .dynamics_opts import dynamics_show_text

        text = text.rstrip("\n") + "\n\n" + dynamics_show_text(game.dynamics)
    emit(text, getattr(args, "output", None))


def cmd_report(args) -> None:
    """The ``report`` verb: every rest point, its eigenvalues, stability and conditions.

    The output and ``--plot`` paths are checked before any work, then the analysis is rendered
    in the chosen format (:mod:`~gametheory_regen.presentation.report`) and, with ``--plot``, a
    figure is saved (:func:`~gametheory_regen.presentation.figures.save_report_figure`).

    Parameters
    ----------
    args : argparse.Namespace
        As parsed by :func:`build_parser` for ``report``: ``model``, ``scenario``, ``set``,
        ``format``, ``output``, ``plot``, ``symbolic`` and ``time_budget``.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        A bad model, scenario or ``--set``; an output or plot path that cannot be written.

    Examples
    --------
    >>> cmd_report(build_parser().parse_args(["report", "hawk_dove", "--format", "markdown"]))
    # Role-asymmetric hawk-dove (owner and intruder)
    ...
    | E2 | vertex | (hawk, dove) | -1, -1 | (-, -) | stable | yes | yes |
    ...
    - E2 (hawk, dove): `V > 0` and `C - V > 0`
    ...
    """
    from ..analysis.equilibria import analyze
    from . import report

    if args.output:
        from ..fileio import check_writable

        check_writable(args.output)
    _check_plot_path(args.plot)
    from .dynamics_opts import resolve_dynamics

    game = resolve_dynamics(args, load_game(args))  # --dynamics wins over [dynamics]
    analysis = analyze(game, time_budget=args.time_budget, symbolic=args.symbolic or None)
    render = {"text": report.render_text, "markdown": report.render_markdown,
              "json": report.render_json, "latex": report.render_latex}[args.format]
    lang = getattr(args, "lang", "en")
    text = render(analysis) if args.format == "json" else render(analysis, lang=lang)
    if args.plot:
        from .figures import save_report_figure

        save_report_figure(analysis, args.plot, lang=lang)
    emit(text, args.output)


_VERBS: dict[str, Callable] = {"models": cmd_models, "show": cmd_show, "report": cmd_report}


def _add_common(p: argparse.ArgumentParser, multi_scenario: bool = False) -> None:
    p.add_argument("model", help="a built-in model name (see `models`) or a path to a .toml file")
    if multi_scenario:
        p.add_argument("--scenario", action="append", default=None, metavar="NAME",
                       help="a scenario (repeatable; default: all)")
    else:
        p.add_argument("--scenario", metavar="NAME", help="apply a named scenario (policy)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable; applied after the scenario)")
    p.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                   help="raise a limit of docs/limits.md (repeatable), e.g. --limit samples=1e7")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests).

    It has the verbs ``models``, ``show`` and ``report``, plus those registered with
    :func:`register` so far (:func:`main` imports the modules that register ``simulate``,
    ``sweep``, ``compare``, ``threshold`` and ``calibrate``).  A usage error raises
    :class:`UsageError` instead of exiting.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> args = build_parser().parse_args(["report", "hawk_dove", "--set", "V=1", "--symbolic"])
    >>> args.verb, args.model, args.set, args.format, args.symbolic
    ('report', 'hawk_dove', ['V=1'], 'text', True)
    >>> build_parser().parse_args(["report", "hawk_dove", "--format", "html"])
    Traceback (most recent call last):
    ...
    gametheory_regen.presentation.cli.UsageError: gametheory-regen report: argument --format: ...
    """
    parser = _Parser(prog="gametheory-regen",
                     description="Evolutionary game theory for collaborative governance: "
                                 "replicator dynamics, rest points and honest stability verdicts.")
    parser.add_argument("--version", action="version", version=f"gametheory-regen {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)

    sub.add_parser("models", help="list the built-in models and their scenarios")

    p = sub.add_parser("show", help="payoff table and replicator equations")
    _add_common(p)
    p.add_argument("--output", metavar="FILE")

    p = sub.add_parser("report", help="every rest point, eigenvalues, stability, conditions")
    _add_common(p)
    p.add_argument("--format", choices=("text", "markdown", "json", "latex"), default="text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--plot", metavar="FILE", help="also draw a phase portrait (.png/.svg/.pdf)")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of the text, markdown and LaTeX reports (JSON is unchanged)")
    p.add_argument("--symbolic", action="store_true",
                   help="ignore parameter values: a fully symbolic report")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="deprecated and ignored: faces are solved under a deterministic work "
                        "budget, so the report never depends on the clock")
    from .dynamics_opts import add_dynamics_option

    add_dynamics_option(p)

    for extra in _EXTRA_PARSERS:
        extra(sub)
    return parser


#: Functions that add further verbs (filled by the modules that implement them).
_EXTRA_PARSERS: list[Callable] = []


def register(name: str, add_parser: Callable, run: Callable) -> None:
    """Register a verb: ``add_parser(subparsers)`` declares it, ``run(args)`` executes it.

    Parameters
    ----------
    name : str
        The verb, as typed on the command line.
    add_parser : callable
        ``add_parser(subparsers)`` adds the verb's sub-parser and options.
    run : callable
        ``run(args)`` does the work; it raises
        :class:`~gametheory_regen.errors.GameInputError` for bad input.

    Returns
    -------
    None

    Examples
    --------
    >>> def add_hello(sub):
    ...     sub.add_parser("hello", help="say hello").add_argument("who")
    >>> def run_hello(args):
    ...     print(f"hello, {args.who}")
    >>> register("hello", add_hello, run_hello)
    >>> main(["hello", "world"])
    hello, world
    0
    >>> _EXTRA_PARSERS.remove(add_hello); del _VERBS["hello"]  # unregister again
    """
    _EXTRA_PARSERS.append(add_parser)
    _VERBS[name] = run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 success (also after ``--help`` or ``--version``); 2 bad input or usage (one line on
        stderr, no traceback, or the help when no verb is given); 1 internal error (set
        ``GAMETHEORY_REGEN_DEBUG=1`` for the traceback); 130 interrupted.  ``main`` never
        raises :class:`SystemExit`.

    Examples
    --------
    >>> main(["report", "hawk_dove"])
    Model: hawk_dove — Role-asymmetric hawk-dove (owner and intruder)
    ...
    Evolutionarily stable (...): E2 (hawk, dove), E3 (dove, hawk)
    Check strict Nash <=> stable vertex: consistent
    0

    Errors are one line on stderr (shown here on stdout) and exit status 2:

    >>> import contextlib, sys
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     main(["report", "hawk_dove", "--set", "V=-1"])
    error: --set V: value -1 is below the declared min 0
    2

    ``--help`` and ``--version`` print and return 0:

    >>> main(["--version"])
    gametheory-regen ...
    0
    """
    from . import verbs  # noqa: F401  (registers simulate, sweep, compare, threshold, calibrate)
    from .. import limits
    from ..fileio import unprotect
    from .notices import install as _install_notices

    _install_notices()  # the engine's first-time compile is announced on stderr

    _tolerant_streams()
    unprotect()
    saved_limits = dict(limits._overrides)
    try:
        return _main(argv)
    finally:
        limits._overrides.clear()
        limits._overrides.update(saved_limits)


def _apply_limits(args) -> None:
    from .. import limits

    for item in getattr(args, "limit", None) or []:
        if "=" not in item:
            raise UsageError(f"--limit {item!r}: expected NAME=VALUE, e.g. --limit samples=1e7; "
                             f"limits: {', '.join(limits.LIMITS)}")
        name, _, value = item.partition("=")
        limits.set_limit(name.strip(), value.strip(), f"--limit {name.strip()}")


def _main(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help or --version: argparse printed and wants to exit
            if exc.code is None or isinstance(exc.code, int):
                return exc.code or 0
            _say(f"error: {exc.code}")
            return 2
        if not args.verb:
            if sys.stderr is not None:
                parser.print_help(sys.stderr)
            return 2
        _apply_limits(args)
        budget = getattr(args, "time_budget", None)  # report, compare, threshold
        if budget is not None:
            from ..limits import check_time_budget

            check_time_budget(budget, "--time-budget")
        for name in ("seed",):
            if getattr(args, name, None) is not None:
                from ..limits import check_seed

                check_seed(getattr(args, name), f"--{name}")
        _VERBS[args.verb](args)
        return 0
    except GameInputError as exc:
        _say(f"error: {exc}")
        return 2
    except RecursionError:
        _say("error: the input is nested too deeply to be read (see docs/limits.md, "
             "`expression_depth`)")
        return 2
    except MemoryError:
        _say("error: out of memory; the input asks for more than this machine has: make it "
             "smaller or lower the limits of docs/limits.md")
        return 2
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # an internal error: say so, without a traceback unless asked
        if os.environ.get("GAMETHEORY_REGEN_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (set GAMETHEORY_REGEN_DEBUG=1 for "
             f"the traceback, and please report it)")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

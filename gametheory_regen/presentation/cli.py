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

__all__ = ["main", "build_parser"]


class UsageError(GameInputError):
    """A command-line usage error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


# ---------------------------------------------------------------------------- argument helpers
def parse_assignment(text: str, where: str = "--set") -> tuple[str, float]:
    """``NAME=VALUE`` -> (name, finite float)."""
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
    return name, value.strip()


def load_game(args) -> object:
    """The model named by ``args.model`` with ``--scenario`` then ``--set`` applied."""
    from ..model.library import resolve_model

    game = resolve_model(args.model)
    scenarios = getattr(args, "scenario", None)
    if isinstance(scenarios, list):
        scenarios = scenarios[-1] if scenarios else None
    game = game.with_scenario(scenarios)
    overrides = dict(parse_assignment(s) for s in (getattr(args, "set", None) or []))
    return game.with_values(overrides, where="--set")


def emit(text: str | bytes, output: str | None) -> None:
    """Write to stdout, or atomically to ``output``."""
    from ..fileio import write_bytes_atomic

    if output:
        data = text.encode("utf-8") if isinstance(text, str) else text
        write_bytes_atomic(output, data, "--output")
    else:
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        sys.stdout.flush()


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
    from ..dynamics.replicator import replicator_system
    from .report import show_text

    game = load_game(args)
    emit(show_text(game, replicator_system(game)), getattr(args, "output", None))


def cmd_report(args) -> None:
    from ..analysis.equilibria import analyze
    from . import report

    if args.output:
        from ..fileio import check_writable

        check_writable(args.output)
    _check_plot_path(args.plot)
    game = load_game(args)
    analysis = analyze(game, time_budget=args.time_budget, symbolic=args.symbolic or None)
    render = {"text": report.render_text, "markdown": report.render_markdown,
              "json": report.render_json, "latex": report.render_latex}[args.format]
    text = render(analysis)
    if args.plot:
        from .figures import save_report_figure

        save_report_figure(analysis, args.plot)
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests)."""
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
    p.add_argument("--symbolic", action="store_true",
                   help="ignore parameter values: a fully symbolic report")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="time allowed for symbolic solving of faces (default 20 with numbers, "
                        "0.5 with free parameters)")

    for extra in _EXTRA_PARSERS:
        extra(sub)
    return parser


#: Functions that add further verbs (filled by the modules that implement them).
_EXTRA_PARSERS: list[Callable] = []


def register(name: str, add_parser: Callable, run: Callable) -> None:
    """Register a verb: ``add_parser(subparsers)`` declares it, ``run(args)`` executes it."""
    _EXTRA_PARSERS.append(add_parser)
    _VERBS[name] = run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    from . import verbs  # noqa: F401  (registers simulate, sweep, compare, threshold, calibrate)

    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.verb:
            parser.print_help(sys.stderr)
            return 2
        _VERBS[args.verb](args)
        return 0
    except GameInputError as exc:
        message = str(exc).replace("\n", " ")
        print(f"error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: say so, without a traceback unless asked
        if os.environ.get("GAMETHEORY_REGEN_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set GAMETHEORY_REGEN_DEBUG=1 for "
              f"the traceback, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""One-time notices on stderr that the lower layers ask for but never print themselves.

The engine (:mod:`gametheory_regen.dynamics.backends`) calls a hook just before it compiles
its kernel for the first time on a machine; the command line installs :func:`compile_notice`
there, so a user waiting for the first ``sweep`` knows why.
"""

from __future__ import annotations

import sys

__all__ = ["compile_notice", "install"]


def compile_notice(seconds: float, stream=None) -> None:
    """Say, once, that the fast kernel is being compiled.

    Parameters
    ----------
    seconds : float
        The engine's estimate of the compile time.
    stream : file-like, optional
        Default ``sys.stderr``.

    Examples
    --------
    >>> import io
    >>> log = io.StringIO()
    >>> compile_notice(15, log)
    >>> log.getvalue()
    'compiling the fast kernel for this machine, first time only, about 15 s\\n'
    """
    out = sys.stderr if stream is None else stream
    print(f"compiling the fast kernel for this machine, first time only, about {seconds:.0f} s",
          file=out, flush=True)


def install() -> None:
    """Register :func:`compile_notice` with the engine.

    >>> install()
    >>> from gametheory_regen.dynamics import backends
    >>> backends.on_compile is compile_notice
    True
    """
    from gametheory_regen.dynamics import backends

    backends.on_compile = compile_notice

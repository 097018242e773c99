"""Standard streams in hostile environments: closed, full, narrow encodings, broken pipes.

* Text is written with ``errors="backslashreplace"``: a character that an ASCII or latin-1
  ``PYTHONIOENCODING`` cannot show becomes ``\\u2014``, never a crash.
* A closed stdout (``>&-``), a full disk (``ENOSPC``) or another I/O error on stdout is bad
  input from the environment: :class:`~gametheory_regen.errors.OutputError` (one line, exit 2);
  stdout is then pointed at ``/dev/null`` so that the interpreter's final flush cannot fail.
* A broken pipe (``| head``) is left to :func:`~gametheory_regen.presentation.cli.main`, which
  ends quietly.
* Error lines on stderr have control characters escaped (an argument may hold an escape
  sequence) and are dropped silently when stderr itself is closed.
"""

from __future__ import annotations

import os
import sys

__all__ = ["write_stdout"]


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush; a closed or full stdout is bad input, not a bug.

    Characters the stdout encoding cannot show (an ASCII or latin-1 ``PYTHONIOENCODING``) are
    written as backslash escapes.  A full disk (``ENOSPC``) or a closed stdout raises
    :class:`~gametheory_regen.errors.OutputError`; a broken pipe is left to :func:`main`, which
    ends quietly.

    Parameters
    ----------
    text : str

    Returns
    -------
    None

    Raises
    ------
    OutputError
        When stdout is closed or cannot take the text (no space left, I/O error).

    Examples
    --------
    >>> write_stdout("année\\n")
    année
    """
    from ..errors import OutputError

    out = sys.stdout
    if out is None:
        raise OutputError("stdout is closed; give --output FILE to write to a file")
    try:
        try:
            out.write(text)
        except UnicodeEncodeError:
            encoding = getattr(out, "encoding", None) or "ascii"
            out.write(text.encode(encoding, "backslashreplace").decode(encoding))
        out.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: I/O operation on closed file
        _silence_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write to stdout: {reason}; give --output FILE on a disk "
                          f"with space") from exc


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def _tolerant_streams() -> None:
    """Never crash on a character the terminal's encoding lacks: write it as an escape."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _say(message: str) -> None:
    """One line on stderr, control characters escaped; silent when stderr is closed."""
    err = sys.stderr
    if err is None:
        return
    line = "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
                   for c in message.replace("\n", " ").replace("\r", " "))
    try:
        err.write(line + "\n")
        err.flush()
    except (OSError, ValueError):
        pass

"""Writing output files whole or not at all.

Output is first written to a temporary file in the target's folder and then moved over the
target with :func:`os.replace`, which is atomic on POSIX: a reader sees the old file or the new
one, never half of one, and a failure leaves no partial file behind.
"""

from __future__ import annotations

import os
import pathlib
import tempfile

from .errors import GameInputError

__all__ = ["write_bytes_atomic", "write_text_atomic", "check_writable"]


def check_writable(path: object, where: str = "--output") -> pathlib.Path:
    """Fail early, with a clear message, when ``path`` cannot be written."""
    p = pathlib.Path(str(path))
    folder = p.parent if str(p.parent) else pathlib.Path(".")
    if p.is_dir():
        raise GameInputError(f"{where}: {p} is a folder; give a file name")
    if not folder.is_dir():
        raise GameInputError(f"{where}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise GameInputError(f"{where}: cannot write in folder {folder} (permission denied)")
    if p.exists() and not os.access(p, os.W_OK):
        raise GameInputError(f"{where}: {p} is not writable (permission denied)")
    return p


def write_bytes_atomic(path: object, data: bytes, where: str = "--output") -> None:
    """Write ``data`` to ``path`` atomically."""
    p = check_writable(path, where)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, p)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise GameInputError(f"{where}: cannot write {p}: {exc.strerror or exc}") from exc
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text_atomic(path: object, text: str, where: str = "--output") -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"), where)

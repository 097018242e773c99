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
    """Fail early, with a clear message, when ``path`` cannot be written.

    Parameters
    ----------
    path : str or os.PathLike
        The file to be written (it need not exist yet).
    where : str
        What the path is called in messages (a command-line option, a function name).

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`pathlib.Path`.

    Raises
    ------
    GameInputError
        When ``path`` is a folder, its folder does not exist, or either is not writable.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(d / "out.toml") == d / "out.toml"
    True
    >>> check_writable(d, "--output")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: --output: ... is a folder; give a file name
    >>> shutil.rmtree(d)
    """
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
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder, which then replaces ``path``; on any
    failure the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or os.PathLike
        The target file; created or replaced.
    data : bytes
        The whole content.
    where : str
        What the path is called in messages.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        When the file cannot be written (see :func:`check_writable`), or writing fails.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = pathlib.Path(d) / "data.bin"
    ...     write_bytes_atomic(target, b"\\x00\\x01")
    ...     print(target.read_bytes(), [p.name for p in pathlib.Path(d).iterdir()])
    b'\\x00\\x01' ['data.bin']
    """
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
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The target file; created or replaced.
    text : str
        The whole content, encoded as UTF-8.
    where : str
        What the path is called in messages.

    Returns
    -------
    None

    Raises
    ------
    GameInputError
        When the file cannot be written; a missing folder is reported, not created.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_text_atomic(d / "note.txt", "année 1\\n")
    >>> (d / "note.txt").read_text(encoding="utf-8")
    'année 1\\n'
    >>> write_text_atomic(d / "missing" / "x.txt", "x", "write_nfg")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.GameInputError: write_nfg: folder .../missing does not exist; ...
    >>> sorted(p.name for p in d.iterdir())      # no temporary file left behind
    ['note.txt']
    >>> shutil.rmtree(d)
    """
    write_bytes_atomic(path, text.encode("utf-8"), where)

"""Writing output files whole or not at all, and never where writing would harm.

Output is first written to a temporary file in the target's folder, flushed to disk
(:func:`os.fsync`) and then moved over the target with :func:`os.replace`, which is atomic on
POSIX: a reader sees the old file or the new one, never half of one, and a failure leaves no
partial file behind.  The new file gets the mode an ordinary ``open()`` would give it (``0o666``
less the umask), or the mode of the file it replaces.

Some targets are refused, because replacing them would lose or misdeliver data: a symbolic link
(the link would be replaced, not its target written), a FIFO, a device, a socket or a folder,
and any file registered with :func:`protect` (the command line registers the input model, so
``--output`` equal to the model cannot overwrite it, whatever path names it).
"""

from __future__ import annotations

import os
import pathlib
import stat
import tempfile

from .errors import GameInputError, OutputError

__all__ = ["write_bytes_atomic", "write_text_atomic", "check_writable", "protect", "unprotect"]

#: (device, inode) of files that must never be overwritten (the input model of a command).
_PROTECTED: dict[tuple[int, int], str] = {}


def protect(path: object, why: str = "the input model") -> None:
    """Refuse, from now on, to write over the file at ``path`` (by inode, whatever its name).

    Parameters
    ----------
    path : str or os.PathLike
        An existing file; a missing one is ignored.
    why : str
        What the file is, for messages.

    Returns
    -------
    None

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     model = pathlib.Path(d) / "m.toml"
    ...     _ = model.write_text("name = 'm'")
    ...     protect(model)
    ...     try:
    ...         write_text_atomic(pathlib.Path(d) / "." / "m.toml", "x")
    ...     except OutputError as exc:
    ...         print(str(exc).split(":")[-1].strip())
    ...     unprotect()
    refusing to overwrite it; choose another file
    """
    try:
        st = os.stat(str(path))
    except OSError:
        return
    _PROTECTED[(st.st_dev, st.st_ino)] = why


def unprotect() -> None:
    """Forget every file registered with :func:`protect`.

    Returns
    -------
    None

    Examples
    --------
    >>> unprotect()
    """
    _PROTECTED.clear()


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_target(p: pathlib.Path, where: str) -> os.stat_result | None:
    """lstat ``p`` and refuse what must not be replaced; None when ``p`` does not exist."""
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GameInputError(f"{where}: cannot use {p}: {exc.strerror or exc}") from exc
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{where}: {p} is a symbolic link; refusing to replace it (give the "
                          f"path of its target, or remove the link)")
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{where}: {p} is a folder; give a file name")
    kind = _kind(st.st_mode)
    if kind:
        raise OutputError(f"{where}: {p} is {kind}, not a regular file; refusing to replace it "
                          f"(write to stdout with `-` and redirect, or give a file name)")
    why = _PROTECTED.get((st.st_dev, st.st_ino))
    if why:
        raise OutputError(f"{where}: {p} is {why}: refusing to overwrite it; choose another file")
    return st


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
    OutputError
        When ``path`` is a symbolic link, a folder, a FIFO, a device, a socket or a file
        registered with :func:`protect`.
    GameInputError
        When its folder does not exist, or either is not writable.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(d / "out.toml") == d / "out.toml"
    True
    >>> check_writable(d, "--output")
    Traceback (most recent call last):
    ...
    gametheory_regen.errors.OutputError: --output: ... is a folder; give a file name
    >>> shutil.rmtree(d)
    """
    p = pathlib.Path(str(path))
    if str(path) == "-":  # stdout (the command line's `--output -`)
        return p
    folder = p.parent if str(p.parent) else pathlib.Path(".")
    st = _check_target(p, where)
    if not folder.is_dir():
        raise GameInputError(f"{where}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise GameInputError(f"{where}: cannot write in folder {folder} (permission denied)")
    if st is not None and not os.access(p, os.W_OK):
        raise GameInputError(f"{where}: {p} is not writable (permission denied)")
    return p


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: object, data: bytes, where: str = "--output") -> None:
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder, flushed to disk, which then replaces
    ``path``; on any failure the temporary file is removed and ``path`` is left as it was.  The
    file keeps the mode of the file it replaces; a new file gets ``0o666`` less the umask.

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
    folder = p.parent if str(p.parent) else pathlib.Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            existing = _check_target(p, where)  # again, just before replacing
            mode = stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode()
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, p)
        _fsync_folder(folder)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise GameInputError(f"{where}: cannot write {p}: {exc.strerror or exc}") from exc
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fsync_folder(folder: pathlib.Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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

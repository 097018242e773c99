"""Where compiled code is cached, and why nobody else's code is ever loaded from there.

The compiled kernel (:mod:`.kernel_numba`) is one real module of this package; numba compiles
it once per machine and caches the machine code on disk. This module chooses that directory
and guards it:

* **Candidates**, in order: ``$GAMETHEORY_REGEN_CACHE``, ``$XDG_CACHE_HOME/gametheory_regen``,
  ``~/.cache/gametheory_regen``. A candidate is used only if it is (or can be made) a real
  directory, not a symbolic link, owned by the current user, with no write permission for group
  or others (new directories are made with mode 0700), inside a parent that others cannot write
  either (or that is sticky, like ``/tmp``). Otherwise the next candidate is tried, then a fresh
  private directory from :func:`tempfile.mkdtemp` (mode 0700, unpredictable name, this process
  only); when nothing is writable the engine runs its compiled-free numpy path.
* **Keys.** Compiled code lives in a subdirectory named by everything that changes it: this
  package's kernel version, numba's version, Python's version, the CPU (numba also keys each
  entry by the CPU's name and features) and a digest of the compiled modules' sources (numba
  checks only each function's own file, so an edited callee in another file would otherwise
  leave its callers' stale code in use). Subdirectories of other keys are pruned.
* **Verification.** After numba has written its files, their SHA-256 digests are recorded in
  ``MANIFEST.json``. Before numba may read the directory, every file is checked against it: a
  file that is not listed, or whose content does not match (truncated, corrupted, planted), is
  deleted, so numba compiles afresh and the run succeeds with the right answer.
* **Healing.** If loading still fails (a race with another process, say), the directory is
  emptied and this process compiles without caching.

Nothing here imports numba; :func:`prepare` is called just before :mod:`.kernel_numba` is.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KERNEL_VERSION", "CacheDir", "candidates", "choose", "verify", "record", "wipe"]

#: Bumped whenever the compiled kernel's results could change for the same numba.
KERNEL_VERSION = "5"
MANIFEST = "MANIFEST.json"
ENV_CACHE = "GAMETHEORY_REGEN_CACHE"


@dataclass(frozen=True)
class CacheDir:
    """The chosen cache: the root directory and the keyed subdirectory numba writes into.

    Attributes
    ----------
    root : pathlib.Path
        The verified directory (``$GAMETHEORY_REGEN_CACHE`` or a fallback).
    path : pathlib.Path
        ``root / key``: where numba's files and the manifest live.
    private : bool
        True for a per-process temporary directory (nothing is shared between runs).

    Examples
    --------
    >>> from pathlib import Path
    >>> CacheDir(Path("/c"), Path("/c/k")).private
    False
    """

    root: Path
    path: Path
    private: bool = False


def candidates() -> list[Path]:
    """The cache directories tried, in order (see the module docstring).

    >>> import os
    >>> saved = os.environ.get("GAMETHEORY_REGEN_CACHE")
    >>> os.environ["GAMETHEORY_REGEN_CACHE"] = "/some/where"
    >>> str(candidates()[0])
    '/some/where'
    >>> _ = os.environ.pop("GAMETHEORY_REGEN_CACHE") if saved is None else os.environ.update(
    ...     GAMETHEORY_REGEN_CACHE=saved)
    """
    out = []
    env = os.environ.get(ENV_CACHE)
    if env:
        out.append(Path(env))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        out.append(Path(xdg) / "gametheory_regen")
    try:
        out.append(Path.home() / ".cache" / "gametheory_regen")
    except (RuntimeError, KeyError):
        pass
    return out


def _private_enough(st: os.stat_result) -> bool:
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
            and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)))


def _parent_ok(path: Path) -> bool:
    try:
        st = os.stat(path.parent)
    except OSError:
        return False
    if not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return True
    # a world-writable parent is acceptable only when sticky (others cannot rename our entry)
    return bool(st.st_mode & stat.S_ISVTX)


def trusted(path: Path, *, create: bool = True) -> bool:
    """Whether ``path`` is a directory this user alone can write (made 0700 if missing).

    Parameters
    ----------
    path : pathlib.Path
    create : bool
        Make the directory (and its missing parents, mode 0700) when it does not exist.

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile, os
    >>> from pathlib import Path
    >>> base = Path(tempfile.mkdtemp())
    >>> trusted(base / "cache"), oct(os.stat(base / "cache").st_mode & 0o777)
    (True, '0o700')
    >>> os.chmod(base / "cache", 0o777)
    >>> trusted(base / "cache")
    False
    """
    try:
        if create and not os.path.lexists(path):
            os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode) or not _private_enough(st):
        return False
    if not _parent_ok(path):
        return False
    return os.access(path, os.W_OK | os.X_OK)


def _cpu() -> str:
    name = platform.machine() or "cpu"
    try:
        import llvmlite.binding as llvm

        name = f"{name}-{llvm.get_host_cpu_name()}"
    except Exception:  # noqa: BLE001 - the CPU name only sharpens the key
        pass
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


#: the modules whose compiled code is cached (numba checks each function's own file only, so a
#: change in a compiled callee in another file would not invalidate its callers' entries)
KERNEL_SOURCES = ("kernel_numba.py", "kernel_step.py", "kernel_contract.py")


def _sources_digest() -> str:
    h = hashlib.sha256()
    for name in KERNEL_SOURCES:
        try:
            with open(Path(__file__).with_name(name), "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:12]


def key(numba_version: str) -> str:
    """The subdirectory name for this kernel version, numba, Python, CPU and kernel sources.

    Parameters
    ----------
    numba_version : str

    >>> key("0.60.0").startswith("kernel5-numba0.60.0-py")
    True
    """
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return f"kernel{KERNEL_VERSION}-numba{numba_version}-py{py}-{_cpu()}-{_sources_digest()}"


def choose(numba_version: str) -> CacheDir | None:
    """Choose and prepare the cache directory, or ``None`` when nothing is writable.

    Parameters
    ----------
    numba_version : str

    Returns
    -------
    CacheDir or None

    Examples
    --------
    >>> import os, tempfile
    >>> saved = os.environ.get("GAMETHEORY_REGEN_CACHE")
    >>> os.environ["GAMETHEORY_REGEN_CACHE"] = tempfile.mkdtemp()
    >>> c = choose("0.0")
    >>> c.path.parent == c.root, c.private
    (True, False)
    >>> _ = os.environ.pop("GAMETHEORY_REGEN_CACHE") if saved is None else os.environ.update(
    ...     GAMETHEORY_REGEN_CACHE=saved)
    """
    sub = key(numba_version)
    for root in candidates():
        if trusted(root) and trusted(root / sub):
            _prune(root, sub)
            return CacheDir(root, root / sub)
    try:
        root = Path(tempfile.mkdtemp(prefix="gametheory_regen-"))
    except OSError:
        return None
    if trusted(root, create=False) and trusted(root / sub):
        return CacheDir(root, root / sub, private=True)
    return None


def _prune(root: Path, current: str) -> None:
    """Remove what older kernels left: other keys, and the generated sources of old engines."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False) and name.startswith("kernel") \
                    and name != current:
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.is_file(follow_symlinks=False) and (
                    name.startswith(("_gen_", "binary_", "general_")) and
                    name.endswith((".py", ".nbi", ".nbc"))):
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False) and name == "__pycache__":
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass


def _digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_manifest(path: Path) -> dict:
    try:
        with open(path / MANIFEST, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def verify(cache: CacheDir) -> int:
    """Delete every file in the cache that the manifest does not vouch for.

    Parameters
    ----------
    cache : CacheDir

    Returns
    -------
    int
        How many files were removed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp())
    >>> c = CacheDir(d, d)
    >>> _ = (d / "a.nbi").write_bytes(b"x"); record(c)
    >>> _ = (d / "planted.nbc").write_bytes(b"y")
    >>> verify(c), sorted(p.name for p in d.iterdir())
    (1, ['MANIFEST.json', 'a.nbi'])
    """
    manifest = _read_manifest(cache.path)
    removed = 0
    for root, dirs, files in os.walk(cache.path):
        for name in files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, cache.path)
            if rel == MANIFEST:
                continue
            try:
                st = os.lstat(full)
                ok = (stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid()
                      and manifest.get(rel) == _digest(full))
            except OSError:
                ok = False
            if not ok:
                try:
                    os.unlink(full)
                    removed += 1
                except OSError:
                    pass
        for d in list(dirs):
            full = os.path.join(root, d)
            if os.path.islink(full):
                os.unlink(full)
                dirs.remove(d)
    return removed


def record(cache: CacheDir) -> None:
    """Write the manifest of the files now in the cache (atomically).

    Parameters
    ----------
    cache : CacheDir

    Examples
    --------
    See :func:`verify`.

    >>> callable(record)
    True
    """
    entries = {}
    for root, _dirs, files in os.walk(cache.path):
        for name in files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, cache.path)
            if rel == MANIFEST or name.endswith(".tmp"):
                continue
            try:
                if stat.S_ISREG(os.lstat(full).st_mode):
                    entries[rel] = _digest(full)
            except OSError:
                pass
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.path, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(entries, fh, sort_keys=True)
        os.replace(tmp, cache.path / MANIFEST)
    except OSError:
        pass


def wipe(cache: CacheDir) -> None:
    """Empty the keyed cache directory (after a failed load).

    Parameters
    ----------
    cache : CacheDir

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp()) / "k"
    >>> _ = d.mkdir(); _ = (d / "x.nbi").write_bytes(b"x")
    >>> wipe(CacheDir(d.parent, d)); list(d.iterdir())
    []
    """
    shutil.rmtree(cache.path, ignore_errors=True)
    try:
        os.makedirs(cache.path, mode=0o700, exist_ok=True)
    except OSError:
        pass

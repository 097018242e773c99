"""The compiled kernel's cache: nobody else's code is loaded from it, and it heals itself.

Threat model (issue #9): a cache directory that another user can write, a predictable
temporary directory, a symbolic link, or a planted or truncated file must never make this
process run foreign code or fail. The checks below run the engine in fresh processes against
prepared cache directories; they share one compiled cache (copied, never recompiled) so the
module stays fast.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from gametheory_regen.analysis.batch import integrate_batch
from gametheory_regen.dynamics import cache

pytest.importorskip("numba")

# A planted "cache entry" that runs code when unpickled: if it is ever loaded, the marker file
# appears.
_PLANT = textwrap.dedent("""
    import os
    class Boom:
        def __reduce__(self):
            return (os.system, ("touch {marker}",))
""")

_RUN = textwrap.dedent("""
    import numpy as np
    from gametheory_regen.analysis.batch import integrate_batch
    A = np.eye(2)
    x0 = np.random.default_rng(3).uniform(0.05, 0.95, (3000, 2))
    res = integrate_batch(np.stack([A, A]), x0, 50.0, backend="numba")
    print(int((res.vertex == 0).sum()), int((res.vertex == 3).sum()), res.backend)
""")


def _expected():
    """Coordination game: a start goes to (first, first) iff x + y > 1 (Hofbauer & Sigmund
    1998, sec. 10.2: the separatrix of the 2x2 coordination game is the line x + y = 1)."""
    x0 = np.random.default_rng(3).uniform(0.05, 0.95, (3000, 2))
    up = int((x0.sum(axis=1) > 1).sum())
    return f"{up} {3000 - up} numba"


def _run(env_cache: Path, home: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["GAMETHEORY_REGEN_CACHE"] = str(env_cache)
    env.pop("GAMETHEORY_REGEN_NO_NUMBA", None)
    if home is not None:
        env["HOME"] = str(home)
        env.pop("XDG_CACHE_HOME", None)
    return subprocess.run([sys.executable, "-c", _RUN], env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """A cache root holding a copy of this test session's compiled kernel (the session
    compiles it once for every test that needs it; nothing here compiles again)."""
    from gametheory_regen.dynamics import backends

    A = np.eye(2)
    integrate_batch(np.stack([A, A]), [[0.6, 0.7]], 5.0, backend="numba")
    session = backends._STATE.get("cache")
    if session is None:
        pytest.skip("no writable cache directory in this environment")
    root = tmp_path_factory.mktemp("warm")
    os.chmod(root, 0o700)
    shutil.copytree(session.path, root / session.path.name)
    proc = _run(root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == _expected().split()
    return root


def _copy_warm(warm: Path, dst: Path) -> Path:
    shutil.copytree(warm, dst)
    os.chmod(dst, 0o700)
    return dst


def _keyed(root: Path) -> Path:
    subs = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("kernel")]
    assert len(subs) == 1, subs
    return subs[0]


def test_warm_cache_has_a_manifest_covering_every_file(warm):
    sub = _keyed(warm)
    manifest = json.loads((sub / cache.MANIFEST).read_text())
    files = sorted(str(p.relative_to(sub)) for p in sub.rglob("*")
                   if p.is_file() and p.name != cache.MANIFEST)
    assert files == sorted(manifest)
    assert any(name.endswith(".nbi") and "_block" in name for name in files)


def test_a_truncated_cache_file_heals(warm, tmp_path):
    root = _copy_warm(warm, tmp_path / "c")
    sub = _keyed(root)
    # the entry point's files: the ones a run loads (damaging them forces a real reload)
    hit = [p for p in sub.rglob("*piece_kernel*") if p.suffix in (".nbi", ".nbc")]
    assert len(hit) >= 2
    for p in hit:
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 3])
    proc = _run(root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == _expected()
    # the healed cache is whole again: the next run loads it and agrees
    proc = _run(root)
    assert proc.returncode == 0 and proc.stdout.strip() == _expected()


def test_a_planted_cache_entry_is_never_loaded(warm, tmp_path):
    root = _copy_warm(warm, tmp_path / "c")
    sub = _keyed(root)
    marker = tmp_path / "PWNED"
    _plant(sub, marker)
    for d in [sub, *[p for p in sub.rglob("*") if p.is_dir()]]:
        (d / "kernel_numba.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    proc = _run(root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == _expected()
    assert not marker.exists()


def numba_version_tag():
    import numba

    return numba.__version__


def _plant(sub: Path, marker: Path) -> None:
    ns: dict = {}
    exec(_PLANT.format(marker=marker), ns)  # the attacker's class, defined here only
    hit = [p for p in sub.rglob("*piece_kernel*.nbi")]
    assert hit
    for p in hit:
        # same name, attacker's content: a pickle that runs a command when loaded
        with open(p, "wb") as fh:
            pickle.dump(numba_version_tag(), fh)
            fh.write(pickle.dumps(ns["Boom"]()))


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o757, 0o722])
def test_a_directory_others_can_write_is_not_trusted(tmp_path, mode):
    root = tmp_path / "c"
    root.mkdir()
    os.chmod(root, mode)
    assert not cache.trusted(root)


def test_a_directory_others_can_write_is_never_read(warm, tmp_path):
    loose = _copy_warm(warm, tmp_path / "loose")
    marker = tmp_path / "PWNED"
    _plant(_keyed(loose), marker)
    os.chmod(loose, 0o777)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / ".cache").mkdir(mode=0o700)
    _copy_warm(warm, home / ".cache" / "gametheory_regen")
    before = {p: p.read_bytes() for p in loose.rglob("*") if p.is_file()}
    proc = _run(loose, home=home)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == _expected()
    assert not marker.exists()
    # not read, not "verified" and cleaned either: the loose directory is left exactly as it was
    assert {p: p.read_bytes() for p in loose.rglob("*") if p.is_file()} == before


def test_a_symlink_or_foreign_owner_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert cache.trusted(real) and not cache.trusted(link)
    if os.getuid() == 0:  # only root can give a directory away
        foreign = tmp_path / "foreign"
        foreign.mkdir(mode=0o700)
        os.chown(foreign, 12345, 12345)
        assert not cache.trusted(foreign)


def test_nothing_writable_falls_back_to_a_private_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "candidates", lambda: [Path("/proc/no/such/dir")])
    chosen = cache.choose("0.0")
    assert chosen is not None and chosen.private
    assert (os.stat(chosen.root).st_mode & 0o777) == 0o700
    assert chosen.root.name.startswith("gametheory_regen-") and chosen.root != tmp_path


def test_stale_keys_and_old_generated_sources_are_pruned(tmp_path):
    root = tmp_path / "c"
    root.mkdir(mode=0o700)
    (root / "kernel0-numba0.1-py30-x").mkdir()
    (root / "binary_3_v7.py").write_text("raise SystemExit('old generated kernel')\n")
    (root / "keep.txt").write_text("not ours to delete\n")
    os.environ["GAMETHEORY_REGEN_CACHE"], saved = str(root), os.environ.get(
        "GAMETHEORY_REGEN_CACHE")
    try:
        chosen = cache.choose("0.0")
    finally:
        if saved is None:
            os.environ.pop("GAMETHEORY_REGEN_CACHE")
        else:
            os.environ["GAMETHEORY_REGEN_CACHE"] = saved
    assert chosen.root == root
    assert sorted(p.name for p in root.iterdir()) == sorted([chosen.path.name, "keep.txt"])


def test_importing_the_kernel_module_directly_caches_only_in_the_verified_directory(tmp_path):
    """However the kernel module is imported (a documentation tool walking the package, say),
    its dispatchers cache in the verified directory, never in the package's __pycache__."""
    root = tmp_path / "c"
    root.mkdir(mode=0o700)
    env = dict(os.environ, GAMETHEORY_REGEN_CACHE=str(root))
    code = ("import numba, gametheory_regen.dynamics.kernel_numba as k; "
            "print(k.CACHE_DIR.path); print(numba.config.CACHE_DIR)")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    chosen, numba_dir = proc.stdout.split()
    assert chosen == numba_dir and chosen.startswith(str(root))

"""Every teaching notebook runs top to bottom (the pygambit ``tests/test_tutorials.py`` pattern)."""

from __future__ import annotations

import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_notebooks_exist():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07", "08"]


def _output_kinds(cell) -> list:
    """What a code cell shows, robust to floats and timings: output types and MIME types
    (consecutive chunks of one stream, which a kernel splits as it flushes, count once)."""
    kinds = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            if not kinds or kinds[-1] != ("stream", o.get("name")):
                kinds.append(("stream", o.get("name")))
        else:
            kinds.append((o.get("output_type"), tuple(sorted(o.get("data", {})))))
    return kinds


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    """Each notebook runs, and its stored outputs are current: every code cell's source has
    the SHA-256 recorded when its outputs were stored (``notebooks/store_outputs.py``), and a
    fresh run shows the same kinds of output (stream names, MIME types) in every cell."""
    import hashlib

    monkeypatch.setenv("MPLBACKEND", "Agg")
    stored = nbformat.read(path, as_version=4)
    stale = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and (
        c.metadata.get("gametheory_regen", {}).get("source_sha256")
        != hashlib.sha256(c.source.encode()).hexdigest())]
    assert not stale, (f"{path.name}: cells {stale} changed since their outputs were stored; "
                       f"run `python notebooks/store_outputs.py {path.name[:2]}`")
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for cell in book.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    fresh = [_output_kinds(c) for c in book.cells if c.cell_type == "code"]
    kept = [_output_kinds(c) for c in stored.cells if c.cell_type == "code"]
    assert fresh == kept, (f"{path.name}: the stored outputs differ from a fresh run; run "
                           f"`python notebooks/store_outputs.py {path.name[:2]}`")
    assert sum(map(len, kept)) > 0, f"{path.name} is stored without outputs"

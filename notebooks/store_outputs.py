"""Execute every notebook and store it with its outputs (what a reader on GitHub sees).

Run from the repository root after changing a notebook or the code it shows::

    python notebooks/store_outputs.py            # all notebooks
    python notebooks/store_outputs.py 04         # those whose name starts with 04

Each code cell records the SHA-256 of its source in ``metadata.gametheory_regen.source_sha256``;
``tests/test_notebooks.py`` re-runs the notebooks and checks that the stored sources and the
kinds of the stored outputs are still those of a fresh run.  Execution timings are dropped so
that re-running changes nothing but the outputs.
"""

from __future__ import annotations

import hashlib
import pathlib
import sys

import nbclient
import nbformat

HERE = pathlib.Path(__file__).resolve().parent


def source_sha(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def store(path: pathlib.Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(book, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in book.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata["gametheory_regen"] = {"source_sha256": source_sha(cell.source)}
    nbformat.write(book, path)
    print(f"stored {path.name}")


if __name__ == "__main__":
    prefixes = sys.argv[1:]
    for nb in sorted(HERE.glob("*.ipynb")):
        if not prefixes or any(nb.name.startswith(p) for p in prefixes):
            store(nb)

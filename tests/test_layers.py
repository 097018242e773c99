"""Layers flow one way: model -> dynamics -> analysis -> domain -> presentation (DESIGN.md,
"Architecture: one direction of flow").

Every import statement of every module, at module level or inside a function, is read with
:mod:`ast` (nothing is imported) and resolved to the subpackage it names; a module may import
its own layer and the layers below it, never one above.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "gametheory_regen"
LAYERS = {"model": 0, "dynamics": 1, "analysis": 2, "domain": 3, "presentation": 4}


def _imported(path: pathlib.Path, package_dir: pathlib.Path = PACKAGE) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every module ``path`` imports (relative names resolved)."""
    package = path.relative_to(package_dir.parent).with_suffix("").parts[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ((node.module,) if node.module else ()))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            # `from . import x` / `from .. import analysis`: the names may be subpackages
            out += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return out


def _layer(dotted: str) -> int | None:
    parts = dotted.split(".")
    if len(parts) < 2 or parts[0] != "gametheory_regen":
        return None
    return LAYERS.get(parts[1])


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_no_module_imports_a_higher_layer(path):
    own = LAYERS[path.relative_to(PACKAGE).parts[0]]
    upward = [f"line {line}: {name}" for line, name in _imported(path)
              if (layer := _layer(name)) is not None and layer > own]
    assert not upward, f"{path.relative_to(PACKAGE)} imports a higher layer: {upward}"


def test_the_check_sees_an_upward_import(tmp_path):
    """The resolver is not vacuous: upward imports written three ways are all caught."""
    fake_pkg = tmp_path / "gametheory_regen"
    (fake_pkg / "analysis").mkdir(parents=True)
    fake = fake_pkg / "analysis" / "bad.py"
    fake.write_text("from ..presentation import figures\n"
                    "def f():\n    from gametheory_regen.domain import policies\n"
                    "    from .. import presentation\n", encoding="utf-8")
    names = [name for _, name in _imported(fake, fake_pkg)]
    layers = sorted({_layer(n) for n in names} - {None})
    assert layers == [LAYERS["domain"], LAYERS["presentation"]]

"""Every public function, class, method and property carries a docstring with an example.

The examples themselves run as doctests (``--doctest-modules``); this test makes sure none is
missing, so that a new public function without one fails the suite.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import gametheory_regen


def _public_objects():
    mods = [m.name for m in pkgutil.walk_packages(gametheory_regen.__path__, "gametheory_regen.")
            if not m.name.endswith("__main__")]
    for mn in mods:
        mod = importlib.import_module(mn)
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mn:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            yield f"{mn}.{name}", obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    func = member.fget if isinstance(member, property) else member
                    if inspect.isfunction(func):
                        yield f"{mn}.{name}.{attr}", func


def test_every_public_object_has_a_running_example():
    objects = list(_public_objects())
    assert len(objects) > 200
    missing = [name for name, obj in objects if ">>>" not in (inspect.getdoc(obj) or "")]
    assert missing == []


def test_public_functions_document_their_parameters():
    """numpydoc: a function that takes arguments has a Parameters section (or says where)."""
    missing = []
    for name, obj in _public_objects():
        if not inspect.isfunction(obj):
            continue
        params = [p for p in inspect.signature(obj).parameters if p not in ("self", "cls")]
        doc = inspect.getdoc(obj) or ""
        if params and "Parameters" not in doc and "See " not in doc and ":func:" not in doc:
            missing.append(name)
    assert missing == []

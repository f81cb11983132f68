"""Importing libraries without the parts of them dripmail never uses (start-up time)."""

from __future__ import annotations

import importlib
import sys
import types


class Deferred(types.ModuleType):
    """Stands in for a module that is imported only when one of its attributes is used."""

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self.__name__), attr)


def import_with(stand_ins: dict[str, types.ModuleType | None], name: str) -> types.ModuleType:
    """Import module `name` while `stand_ins` replace modules it imports but does not need yet
    (None: "not installed"); they are then removed from sys.modules, so every later import gets
    the real module. Nothing is replaced when `name` or a replaced module is already loaded."""
    import urllib

    later = {mod: stand for mod, stand in stand_ins.items() if mod not in sys.modules}
    if name in sys.modules:
        later = {}
    sys.modules.update(later)
    if "urllib.request" in later:
        urllib.request = later["urllib.request"]  # `import urllib.request` binds `urllib`
    try:
        return importlib.import_module(name)
    finally:
        for mod, stand in later.items():
            if mod in sys.modules and sys.modules[mod] is stand:
                del sys.modules[mod]

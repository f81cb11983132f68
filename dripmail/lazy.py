"""Libraries loaded without the parts dripmail seldom uses (start-up time).

:func:`defer` puts a module in `sys.modules` before it has run: the module object the import
system would make (`importlib.util.module_from_spec`), whose code runs when a name it does not
hold yet is first read from it, after which it is an ordinary module. Nothing stands in for it,
so every importer, dripmail's or not, gets the same module as without this. (The stdlib's
`LazyLoader` does not fit: on Python 3.11 an `import` statement reads the module's `__spec__`,
which runs it.) premailer imports `requests` and `cssutils`, which dripmail's inlining seldom
uses: about 100 ms of every start-up together.

:func:`hidden` hides a module (as if not installed) while others are imported: Markdown's
`fenced_code` imports `codehilite`, which then records that Pygments is missing (dripmail never
enables codehilite) instead of importing it (about 16 ms).

With DRIPMAIL_REFERENCE=1 (read when these are called), modules are imported as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

from dripmail.reference import reference

_LOCK = threading.RLock()
_WAITING: dict[str, tuple[Any, Callable[[types.ModuleType], None]]] = {}


class Pending(types.ModuleType):
    """A module whose code has not run yet (see :func:`defer`)."""

    def __getattr__(self, attr: str) -> Any:  # only for names the module does not hold
        with _LOCK:
            if type(self) is Pending:  # (another thread may have run it meanwhile)
                waiting = _WAITING.pop(self.__name__, None)
                if waiting is None:  # running now, in this thread
                    raise AttributeError(f"partially initialized module {self.__name__!r} "
                                         f"has no attribute {attr!r}")
                spec, then = waiting
                try:
                    spec.loader.exec_module(self)
                except BaseException:
                    del sys.modules[self.__name__]  # as a failed import leaves it
                    raise
                finally:
                    self.__class__ = types.ModuleType
                then(self)
        return getattr(self, attr)


def defer(name: str, then: Callable[[types.ModuleType], None] = lambda module: None) -> None:
    """Make top-level module `name` run when first used, and call `then(module)` when it has
    run (at once when it is loaded already or DRIPMAIL_REFERENCE is set; never when it is not
    installed)."""
    with _LOCK:
        if name in _WAITING:
            return
        if name in sys.modules or reference():
            then(importlib.import_module(name))
            return
        spec = importlib.util.find_spec(name)
        if spec is None:
            return
        module = importlib.util.module_from_spec(spec)
        module.__class__ = Pending
        _WAITING[name] = (spec, then)
        sys.modules[name] = module


@contextlib.contextmanager
def hidden(name: str) -> Iterator[None]:
    """Within the block, importing `name` fails as if it were not installed (unless it is loaded
    already or DRIPMAIL_REFERENCE is set); afterwards it imports as usual."""
    if name in sys.modules or reference():
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]  # the import system's "not found"
    try:
        yield
    finally:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]

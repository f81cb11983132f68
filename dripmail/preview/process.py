"""The preview's build process: a forked child with warm imports and none of the server's
sockets, killed with everything it started when it runs over its time limit."""

from __future__ import annotations

import importlib
import os
import signal
import stat
import sys
from typing import Any

# What a build imports lazily: imported here once, each child starts with them (about 60 ms
# less per rebuild). Only imports: nothing of an article is ever worked on in this process.
_PIPELINE = ("dripmail.pipeline.build", "dripmail.checks", "dripmail.rendering.compose",
             "dripmail.reading.article", "dripmail.rendering.inline",
             "dripmail.reading.from_markdown", "dripmail.writing.staging",
             "dripmail.planning.plan", "dripmail.rendering.restyle", "dripmail.rendering.theme",
             "dripmail.rendering.themecss")


def import_the_pipeline() -> None:
    for name in _PIPELINE:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except ImportError:  # (the quality gate is optional)
                pass


def let_go_of_sockets() -> None:
    """In a forked child: drop its copies of the server's sockets (a connection the server closes
    must not stay open until the build ends). Each becomes /dev/null under the same number, so
    no file of the build can take that number and be closed by a stale socket object."""
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/dev/fd"):
        fd = int(name)
        try:
            if fd != null and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.dup2(null, fd)
        except OSError:  # the listing's own descriptor, already closed
            pass
    os.close(null)


def kill(child: Any) -> None:
    """End a build process and everything it started (its process group), and reap it."""
    if child.exitcode is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:  # not yet in its own group, or already gone
            child.kill()
    child.join(timeout=10)


def timed_out(limit: float) -> dict[str, Any]:
    return {"file": None, "line": None, "kind": "TimeoutError",
            "message": f"the build took longer than {limit:g} s and was stopped; an article may "
                       "be too large or too deeply nested: fix it and save again"}


def died(child: Any) -> dict[str, Any]:
    child.join(timeout=10)
    return {"file": None, "line": None, "kind": "ChildProcessError",
            "message": f"the build process ended without a result (exit code {child.exitcode});"
                       " save the file again to retry"}

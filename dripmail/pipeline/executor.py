"""A generic ordered process pool: map a picklable function over items in up to N processes.

Workers are forked where the platform allows it, so they share the parent's imported modules
and hash seed; results come back in the order of the items, so what the caller makes of them
does not depend on the number of processes. Workers leave Ctrl-C and SIGTERM to the parent
(which stops the pool: see `ordered_map`) and die with it. This module knows nothing of
dripmail: it imports nothing of it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Progress = Callable[[int, int], None]  # (items done, items in all)


def cores() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def ordered_map(fn: Callable[[Item], Result], items: Sequence[Item], jobs: int = 1, *,
                progress: Progress | None = None, initializer: Callable[[], None] | None = None
                ) -> Iterator[Result]:
    """Yield `fn(item)` for each item, in order, using up to `jobs` processes (one: in this
    process). `initializer` runs first in each worker process. Closing the iterator early
    (an error, Ctrl-C, or the SystemExit a SIGTERM handler raises) cancels what has not
    started and waits for the workers."""
    total = len(items)
    jobs = max(1, min(jobs, total))
    if jobs == 1:
        for done, item in enumerate(items, 1):
            yield fn(item)
            if progress:
                progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                               initializer=_start_worker, initargs=(os.getpid(), initializer))
    try:
        for done, result in enumerate(pool.map(fn, items), 1):
            yield result
            if progress:
                progress(done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int, initializer: Callable[[], None] | None) -> None:
    """In a worker: ignore Ctrl-C, die on SIGTERM, run the caller's initializer, and die with
    the parent (the caller cleans up what a dead worker left)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer()
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies, even by SIGKILL (Linux): an
    orphaned pool worker would otherwise wait for work for ever."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the parent died before that
        os._exit(1)


def _context():
    """The fork start method where it exists (shared imports, no pickling of the modules)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)

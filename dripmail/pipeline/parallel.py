"""Render sequences in worker processes (sequences are independent), in a fixed order.

Workers are forked where the platform allows it, so they share the parent's imported modules
and hash seed; results come back in the order the articles were given, so the output is
byte-identical whatever the number of jobs.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from dripmail.models import EmailSequence, Settings, Source

Staged = tuple[EmailSequence, tuple[str, ...], Path, list[Path], list | None, dict]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to render one article and stage its folder."""

    source: Source
    settings: Settings
    project_dir: Path
    out_dir: Path
    extras: Callable | None
    tag: str
    check: bool = False


def cores() -> int:
    """The number of cores this process may use (the default for --jobs)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _run(job: Job) -> Staged:
    """Render one article, write it to a temporary folder and (with `check`) run the quality
    gate on it: (sequence, warnings, folder, files, findings or None, the folder's file stats
    for the build cache). Everything a sequence costs happens here, in a worker when
    --jobs > 1."""
    from dripmail.pipeline.build import render_one
    from dripmail.pipeline.cache import folder_stats
    from dripmail.writing.staging import stage_sequence

    seq, warnings = render_one(job.source, job.settings, job.project_dir)
    tmp, files = stage_sequence(seq, job.out_dir, job.project_dir, job.extras, job.tag)
    findings = None
    if job.check:
        from dripmail.checks import check_sequences

        findings = check_sequences([seq], job.out_dir)[1]
    return seq, warnings, tmp, files, findings, folder_stats(tmp)  # renaming keeps them


def _quiet_worker(parent: int) -> None:
    """Workers leave Ctrl-C and SIGTERM to the parent, which stops the pool and cleans up,
    hold none of its locks, and die with it (the next build clears what they staged)."""
    from dripmail.writing.staging import forget_locks

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    forget_locks()
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
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def render_and_stage(jobs_list: Sequence[Job], jobs: int = 1, progress: Progress | None = None
                     ) -> Iterator[Staged]:
    """Yield each job's staged result in order, using up to `jobs` processes."""
    total = len(jobs_list)
    jobs = max(1, min(jobs, total))
    if jobs == 1:
        for done, job in enumerate(jobs_list, 1):
            yield _run(job)
            if progress:
                progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor

    import dripmail.pipeline.build  # noqa: F401  (loaded once here, shared by the forked workers)
    import dripmail.reading.article  # noqa: F401
    import dripmail.rendering.compose  # noqa: F401

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                               initializer=_quiet_worker, initargs=(os.getpid(),))
    try:
        for done, result in enumerate(pool.map(_run, jobs_list), 1):
            yield result
            if progress:
                progress(done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ProgressBar:
    """A click progress bar over sequences, shown only on a terminal and for long builds."""

    def __init__(self, enabled: bool | None = None, threshold: int = 8):
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self.threshold = threshold
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.threshold:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering sequences")
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

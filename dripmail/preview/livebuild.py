"""The preview's live build: rebuild into fresh temporary folders, keep the last error.

A build error never escapes: it becomes `Preview.error` (file, line, message) and the last good
build stays on show. Every attempt bumps `Preview.epoch`, which open pages watch to reload.
Each build runs in a child process with a time limit: one that runs over is killed (with its
own children), so a hostile article costs the preview at most TIME_LIMIT seconds of CPU.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from dripmail.preview import process, timeline

BuildFn = Callable[..., Any]  # build(project_dir, sources, out_dir=, overrides=) -> BuildResult
# (out_dir, build result) -> {"<sequence folder>/<email>.html": findings}
Checker = Callable[[Path, Any], dict[str, list[dict[str, Any]]]]
Log = Callable[[str], None]
TIME_LIMIT = 60.0  # seconds a preview build may take (the example builds in a fraction of one)
_FILE_LINE = re.compile(r"([^\s:][^:\n]*):(\d+): ")


def error_info(exc: BaseException) -> dict[str, Any]:
    """What the page shows for a failed build: file, line and message."""
    path, line = getattr(exc, "path", None), getattr(exc, "line", None)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    found = _FILE_LINE.match(message)
    if found and (path is None or found.group(1) == str(path)):  # `file:line: what is wrong`
        path, line, message = found.group(1), int(found.group(2)), message[found.end():]
    elif path is not None and message.startswith(f"{path}: "):
        message = message[len(f"{path}: "):]
    info: dict[str, Any] = {
        "file": str(path) if path is not None else None,
        "line": line,
        "message": message,
        "kind": type(exc).__name__,
    }
    if not hasattr(exc, "message"):  # not a DripmailError: an unexpected failure, keep the trace
        info["traceback"] = "".join(traceback.format_exception(exc))
    return info


def fresh_build(project_dir: Path, sources: Sequence[Path] = (), out_dir: Path | None = None,
                overrides: Any = None) -> Any:
    """`dripmail.pipeline.build.build`, with the theme's cached Jinja environments dropped first: a
    cached environment keeps serving the built-in template after a project adds its own."""
    from dripmail.errors import ContentError
    from dripmail.pipeline import build
    from dripmail.rendering import theme

    theme.reset()
    result = build.build(project_dir, sources, out_dir, overrides)
    if result.refused:  # the page shows the first article that could not be built
        error = ContentError(result.refused[0].message)
        error.path = result.refused[0].source
        raise error
    return result


def fillers(result: Any) -> dict[str, tuple[Any, Any]]:
    """{sequence folder: (HTML, plain-text) sample-subscriber filler} of a finished build."""
    from dripmail.preview.sample import filler

    found = {}
    for seq in getattr(result, "sequences", ()):
        settings = getattr(seq, "settings", None)
        if settings is not None:
            found[seq.slug] = (filler(settings, as_html=True), filler(settings, as_html=False))
    return found


def default_checker() -> Checker | None:
    """Findings per email from the quality gate (`dripmail.checks`), when it is installed."""
    try:
        from dripmail import checks  # optional: the quality gate
    except ImportError:
        return None
    run = getattr(checks, "check_sequences", None)
    if run is None:
        return None

    def checker(out_dir: Path, result: Any) -> dict[str, list[dict[str, Any]]]:
        _docs, findings = run(result.sequences, out_dir)
        by_file: dict[str, list[dict[str, Any]]] = {}
        for f in findings:
            path = Path(str(f.file))
            key = path.relative_to(out_dir).as_posix() if path.is_relative_to(out_dir) else ""
            by_file.setdefault(key, []).append(
                {k: str(getattr(f, k, "") or "") for k in ("severity", "rule", "message", "fix")}
            )
        return by_file

    return checker


class Preview:
    """The preview's state: the current build folder, its summary, the last error and an epoch.

    The epoch grows by one after every build attempt; pages reload when it changes. Builds run
    in a child process stopped after `time_limit` seconds (None: in this process, no limit).
    """

    def __init__(
        self,
        project_dir: Path,
        sources: Sequence[Path] = (),
        build_fn: BuildFn | None = None,
        *,
        checker: Checker | None = None,
        providers: Iterable[str] = (),
        log: Log | None = None,
        time_limit: float | None = TIME_LIMIT,
    ) -> None:
        build_fn = build_fn or fresh_build
        self.project_dir = Path(project_dir).resolve()
        self.sources = tuple(Path(s) for s in sources)
        self.build_fn = build_fn
        self.checker = checker
        self.providers = tuple(providers)
        self.log = log or (lambda message: None)
        self.time_limit = time_limit
        self.root = Path(tempfile.mkdtemp(prefix="dripmail-preview-"))
        self.provider: str | None = None  # None: as configured
        self.out_dir: Path | None = None
        self.epoch = 0
        self.error: dict[str, Any] | None = None
        self.sequences: list[dict[str, Any]] = []
        self.fillers: dict[str, tuple[Any, Any]] = {}  # folder -> (HTML filler, text filler)
        self.warnings: list[str] = []
        self.stopping = threading.Event()
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._count = 0
        self._child: Any = None  # the running build process

    def rebuild(self) -> bool:
        """Build into a fresh folder and make it current; on failure keep the last good one."""
        with self._building:
            self._count += 1
            target = self.root / f"build-{self._count}"
            overrides = {"provider": self.provider} if self.provider else None
            started = time.monotonic()
            if self.time_limit is None:
                outcome = self._attempt(target, overrides)
            else:
                outcome = self._attempt_in_child(target, overrides, self.time_limit)
            if self.stopping.is_set():
                return False
            if outcome[0] == "failed":
                return self._failed(target, outcome[1])
            _, sequences, warnings, fillers = outcome
            old, count = self.out_dir, sum(len(s["emails"]) for s in sequences)
            with self._changed:
                self.out_dir, self.sequences, self.error = target, sequences, None
                self.fillers = fillers
                self.warnings = warnings
                self.epoch += 1
                self._changed.notify_all()
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.log(f"Built {count} emails in {time.monotonic() - started:.1f} s")
            return True

    def _attempt(self, target: Path, overrides: dict[str, str] | None) -> tuple:
        """("built", sequences, warnings, fillers) or ("failed", error info): one build, its
        summary and the sample subscriber's fillers per sequence folder."""
        try:
            result = self.build_fn(
                self.project_dir, self.sources, out_dir=target, overrides=overrides
            )
            sequences = self._summarize(target, result)
        except Exception as exc:  # a build error never stops the server
            return "failed", error_info(exc)
        return ("built", sequences, [str(w) for w in getattr(result, "warnings", ())],
                fillers(result))

    def _attempt_in_child(self, target: Path, overrides: dict[str, str] | None,
                          limit: float) -> tuple:
        """`_attempt` in a forked child process, killed (with its children) after `limit` s.

        Forked, so the child has the build function, checker and warm imports as they are here
        (nothing is pickled but the small outcome); it runs in its own process group.
        """
        process.import_the_pipeline()
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        sys.stdout.flush()  # (the child would write out a copy of anything still buffered)
        sys.stderr.flush()
        child = context.Process(target=self._child_main, args=(send, target, overrides),
                                name="dripmail-preview-build", daemon=True)
        child.start()
        self._child = child
        send.close()
        try:
            if not receive.poll(limit):
                return "failed", process.timed_out(limit)
            try:
                outcome, logs = receive.recv()
            except EOFError:  # killed: the preview is stopping, or the system ran out of memory
                return "failed", process.died(child)
        finally:
            receive.close()
            process.kill(child)
            self._child = None
        for line in logs:
            self.log(line)
        if outcome == "interrupted":
            raise KeyboardInterrupt
        return outcome

    def _child_main(self, send: Any, target: Path, overrides: dict[str, str] | None) -> None:
        """In the child: build, summarise, send (outcome, log lines) to the parent."""
        os.setpgid(0, 0)  # its own process group: Ctrl-C is the parent's, a kill reaches all
        process.let_go_of_sockets()
        logs: list[str] = []
        self.log = logs.append
        try:
            outcome: Any = self._attempt(target, overrides)
        except KeyboardInterrupt:
            outcome = "interrupted"
        send.send((outcome, logs))
        send.close()

    def _failed(self, target: Path, error: dict[str, Any]) -> bool:
        """Record a failed build: the page shows the error, the last good build stays."""
        shutil.rmtree(target, ignore_errors=True)
        self.log(f"Build failed: {where(error)}{error['message']}")
        if "traceback" in error:
            self.log(error["traceback"])
        with self._changed:
            self.error = error
            self.epoch += 1
            self._changed.notify_all()
        return False

    def _summarize(self, out_dir: Path, result: Any) -> list[dict[str, Any]]:
        """The timeline data of a finished build, read from its manifests."""
        built = {s.slug: s for s in getattr(result, "sequences", ())}
        findings: dict[str, list[dict[str, Any]]] = {}
        if self.checker is not None:
            try:
                findings = self.checker(out_dir, result)
            except Exception as exc:  # the checks are an extra: never break the preview
                self.log(f"Checks failed: {exc}")
        summaries = []
        for folder, manifest in timeline.read_manifests(out_dir, built):
            settings = getattr(built.get(folder), "settings", None)
            sender = getattr(settings, "sender_name", "") if settings else ""
            summaries.append(
                timeline.sequence_summary(folder, manifest, sender=sender, findings=findings)
            )
        return summaries

    def state(self) -> dict[str, Any]:
        """Everything the preview page shows, as JSON-ready data."""
        with self._changed:
            return {
                "epoch": self.epoch,
                "error": self.error,
                "provider": self.provider,
                "providers": list(self.providers),
                "checks": self.checker is not None,
                "project": str(self.project_dir),
                "sequences": self.sequences,
                "warnings": self.warnings,
                "index": "/build/" if self.out_dir and (self.out_dir / "index.html").exists()
                else None,
            }

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the epoch differs from `seen`, the preview stops, or `timeout` passes."""
        with self._changed:
            self._changed.wait_for(lambda: self.epoch != seen or self.stopping.is_set(), timeout)
            return self.epoch

    def close(self) -> None:
        """Stop a running build, wake every waiting page stream, delete the temporary folder."""
        self.stopping.set()
        if self._child is not None:
            process.kill(self._child)
        with self._changed:
            self._changed.notify_all()
        shutil.rmtree(self.root, ignore_errors=True)


def where(error: dict[str, Any]) -> str:
    """`file:line: ` for an error (empty when the file is unknown)."""
    if not error.get("file"):
        return ""
    return f"{error['file']}:{error['line']}: " if error.get("line") else f"{error['file']}: "

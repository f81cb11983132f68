"""Write a build: staged folders switched in by one logged swap, so that a build that fails or
is killed never leaves a mixed or dirty output folder. This is the writer's entry point (lock,
stage, commit, discard); the writing stage is the only code that writes build output, and
nothing outside the output folder is ever written or deleted. Its pieces: `paths` (names),
`folder` (the files of a sequence folder), `index` (the preview page), `swap` (the journal).

How (issue 11, S1 and D2):

- Paths. Every name the build writes in the output folder is checked (`paths`), whatever
  checked it before: a sequence folder is named by a slug (`slug.is_slug`: no separator, no
  dot-name, no control character, bounded length) and must resolve to a direct child of the
  output folder; a symbolic link is never replaced or written through.
- Lock. A build holds an exclusive `flock` on the output folder from start to end. The kernel
  drops it when the process dies, however it dies, so whoever holds it knows that every
  leftover in the folder belongs to a dead build.
- Staging. Each changed sequence is written to `.<slug>.tmp-<tag>` and the preview page to
  `.index.html.tmp-<tag>` (`tag`: one build's random name). Unchanged (cached) sequences stay
  where they are: nothing is copied.
- Commit (`swap`). Once everything is staged, the renames that switch it in (`<final>` to
  `.<final>.old-<tag>`, then the staged name to `<final>`) are written to `.dripmail-swap.json`
  in one atomic rename: that is the commit point. The renames follow; then the journal and
  the old folders are deleted. A failure in this process (an error, Ctrl-C, or SIGTERM, which
  the command line turns into an exit) undoes the renames already made.
- Recovery. A build killed outright (SIGKILL) cannot undo anything, so the next build, before
  anything else, redoes the journal's renames (each one only if still needed, so redoing is
  safe) and deletes every recognisable leftover of ours: `.<slug>.tmp-*` and `.<slug>.old-*`
  folders and `.index.html.*` / `..dripmail-cache.json.*` temporary files. A kill before the
  commit point leaves the previous output whole; after it, the new one is completed.
- Readers. Dot-names are never read as sequences, and `dripmail check` refuses a folder that
  holds a journal (a swap a killed build did not finish) instead of checking a mix.

Why not one rename of the whole output folder: the folder is the user's path (opened from
disk, uploaded), it cannot be swapped for a symbolic link, and staging a whole copy of the
unchanged sequences would cost the time the cache saves. The journal makes the few renames
all-or-nothing instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from dripmail.errors import OutputError
from dripmail.models import EmailSequence, Staged
from dripmail.writing import index as index_page
from dripmail.writing.files import output_error
from dripmail.writing.folder import write_sequence
from dripmail.writing.manifest import manifests_after
from dripmail.writing.paths import check_out_dir, check_replaceable, child, new_tag
from dripmail.writing.swap import commit, discard, interrupted, recover

__all__ = ["check_out_dir", "commit", "discard", "forget_locks", "interrupted", "locked",
           "new_tag", "prepare", "stage_sequence", "write_sequences"]
LOCK_WAIT = 10.0  # seconds to wait for another build writing to the same folder
_HELD: set[int] = set()  # lock descriptors of this process (closed in forked workers)


def stage_sequence(seq: EmailSequence, out_dir: Path, project_dir: Path, tag: str = ""
                   ) -> Staged:
    """Write one sequence into `.<slug>.tmp-<tag>` in `out_dir`."""
    try:
        check_replaceable(child(out_dir, seq.slug))
        tmp = out_dir / f".{seq.slug}.tmp-{tag or new_tag()}"
        tmp.mkdir()  # 0777 less the umask, like any folder
        try:
            files = write_sequence(seq, tmp, project_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    return Staged(seq.slug, tmp, tuple(files))


# --- the output folder ---------------------------------------------------------------------

def prepare(out_dir: Path) -> None:
    """Create the output folder, or raise a one-line OutputError.

    An `index.html` that dripmail did not write (no generator mark) is never replaced.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        index_page.check_replaceable(out_dir)
    except OSError as exc:
        raise output_error(exc, out_dir) from exc


def _lock(out_dir: Path) -> int | None:
    """An exclusive lock on the output folder (None where locks are unsupported)."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(out_dir, os.O_RDONLY)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise OutputError("another dripmail build is writing to this folder; wait for "
                                  "it to finish or choose another --out folder",
                                  path=out_dir) from None
            time.sleep(0.05)
        except OSError:  # a file system without locks
            os.close(fd)
            return None


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Create and lock the output folder and clear what killed builds left, for one build."""
    prepare(out_dir)
    try:
        fd = _lock(out_dir)
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    if fd is not None:
        _HELD.add(fd)
    try:
        try:
            recover(out_dir)
        except OSError as exc:
            raise output_error(exc, out_dir) from exc
        yield
    finally:
        if fd is not None:
            _HELD.discard(fd)
            os.close(fd)


def forget_locks() -> None:
    """In a forked worker: close the inherited lock descriptors (without unlocking them), so
    that only the building process holds the lock."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


def write_sequences(sequences: Iterable[EmailSequence], out_dir: Path, project_dir: Path,
                    index: Callable[[list[dict[str, Any]]], str] | None = None) -> list[Path]:
    """Write each sequence to `out_dir/<slug>/` (and, with `index`, the preview page rendered
    from the manifests) and return the files.

    Everything is staged first (`sequences` may be a lazy iterator that raises); only then is it
    switched in, so a failed or interrupted build leaves the previous output whole.
    """
    with locked(out_dir):
        tag = new_tag()
        try:
            staged = [stage_sequence(seq, out_dir, project_dir, tag) for seq in sequences]
            page = None
            if index is not None:
                page = index_page.stage_index(out_dir, index(manifests_after(out_dir, staged)),
                                              tag)
            return commit(staged, out_dir, tag, page)
        finally:
            discard(out_dir, tag)

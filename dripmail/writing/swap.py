"""The commit of a build: staged folders switched in by one logged swap (issue 11, D2).

The renames that switch everything in (`<final>` to `.<final>.old-<tag>`, then the staged name
to `<final>`) are written to `.dripmail-swap.json` in one atomic rename: that is the commit
point. The renames follow; then the journal and the old folders are deleted. A failure in this
process (an error, Ctrl-C, or SIGTERM, which the command line turns into an exit) undoes the
renames already made. A build killed outright (SIGKILL) cannot undo anything, so the next build,
holding the folder's lock and before anything else, redoes the journal's renames (each one only
if still needed, so redoing is safe) and deletes every recognisable leftover of ours. A kill
before the commit point leaves the previous output whole; after it, the new one is completed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dripmail.models import Staged
from dripmail.slug import is_slug
from dripmail.writing.files import output_error, write_text_atomic
from dripmail.writing.index import INDEX
from dripmail.writing.manifest import MANIFEST
from dripmail.writing.paths import check_replaceable, child, new_tag

JOURNAL = ".dripmail-swap.json"
# Leftovers of a dead build (also the names older versions used: mkdtemp/mkstemp suffixes).
_LEFTOVER_DIR = re.compile(r"\.[a-z0-9][a-z0-9-]*\.(tmp|old)-[0-9a-z_-]+")
_LEFTOVER_FILE = re.compile(r"\.(index\.html|\.dripmail-cache\.json|\.dripmail-swap\.json)"
                            r"\.((tmp|old)-[0-9a-z_-]+|[0-9a-z_]{8})")


def _plan(staged: list[Staged], index: Path | None, out_dir: Path, tag: str
          ) -> list[dict[str, str]]:
    """The renames of a commit, as journal entries {staged, final, old} (plain names)."""
    plan = []
    for s in staged:
        check_replaceable(child(out_dir, s.slug))
        plan.append({"staged": s.folder.name, "final": s.slug, "old": f".{s.slug}.old-{tag}"})
    if index is not None:
        plan.append({"staged": index.name, "final": INDEX, "old": f".{INDEX}.old-{tag}"})
    return plan


def _valid_entry(entry: Any) -> bool:
    """Whether a journal entry names only what a build of ours makes in the folder."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                              for k in ("staged", "final", "old")):
        return False
    final = re.escape(entry["final"])
    return ((is_slug(entry["final"]) or entry["final"] == INDEX)
            and re.fullmatch(rf"\.{final}\.tmp-[0-9a-z_-]+", entry["staged"]) is not None
            and re.fullmatch(rf"\.{final}\.old-[0-9a-z_-]+", entry["old"]) is not None)


def _ours(final: Path) -> bool:
    """Whether a journal may move `final`: missing, our preview page, or a sequence folder."""
    if not os.path.lexists(final):
        return True
    if final.is_symlink():
        return False
    return final.is_file() if final.name == INDEX else (final / MANIFEST).is_file()


def _forward(out_dir: Path, entry: dict[str, str]) -> None:
    """Do (or finish) one switch: final -> old, then staged -> final, each only if needed."""
    staged, final, old = (out_dir / entry[k] for k in ("staged", "final", "old"))
    if os.path.lexists(staged) and os.path.lexists(final) and not os.path.lexists(old):
        final.rename(old)
    if os.path.lexists(staged) and not os.path.lexists(final):
        staged.rename(final)


def _undo(out_dir: Path, plan: list[dict[str, str]]) -> None:
    """Put the previous output back after a failure in this process, last switch first."""
    for entry in reversed(plan):
        staged, final, old = (out_dir / entry[k] for k in ("staged", "final", "old"))
        if os.path.lexists(final) and not os.path.lexists(staged):
            final.rename(staged)  # the new one goes back to its staging name
        if os.path.lexists(old) and not os.path.lexists(final):
            old.rename(final)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _swap(out_dir: Path, plan: list[dict[str, str]]) -> None:
    """Log the renames (the commit point), do them, then drop the log and the old copies.
    A failure here undoes them; a kill leaves the log for `recover` to finish."""
    journal = out_dir / JOURNAL
    write_text_atomic(journal, json.dumps({"format": 1, "renames": plan}))
    try:
        for entry in plan:
            _forward(out_dir, entry)
    except BaseException:
        _undo(out_dir, plan)  # should this fail, the journal stays and the next build finishes
        journal.unlink()
        raise
    journal.unlink()
    for entry in plan:
        _remove(out_dir / entry["old"])


def commit(staged: Iterable[Staged], out_dir: Path, tag: str = "", index: Path | None = None
           ) -> list[Path]:
    """Switch staged sequence folders and a staged preview page in as one logged swap; return
    the final paths of the files."""
    staged, tag = list(staged), tag or new_tag()
    try:
        plan = _plan(staged, index, out_dir, tag)
        if plan:
            _swap(out_dir, plan)
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    written: list[Path] = []
    for s in staged:
        final, inside = out_dir / s.slug, len(str(s.folder)) + 1
        written += [final / str(f)[inside:] for f in s.files]  # each f is folder / something
    return [*written, *([out_dir / INDEX] if index is not None else [])]


def interrupted(out_dir: Path) -> bool:
    """Whether a build was killed while it switched its output in (the next build finishes)."""
    return (Path(out_dir) / JOURNAL).is_file()


def recover(out_dir: Path) -> None:
    """Finish the swap a killed build left (its journal) and delete our leftovers. Call only
    while holding the folder's lock: then no live build owns them."""
    journal = out_dir / JOURNAL
    if journal.is_file():
        try:
            renames = json.loads(journal.read_text(encoding="utf-8")).get("renames", [])
        except (OSError, ValueError, AttributeError):
            renames = []
        for entry in renames if isinstance(renames, list) else []:
            if _valid_entry(entry) and _ours(out_dir / entry["final"]):
                _forward(out_dir, entry)
        journal.unlink()
    for entry in os.scandir(out_dir):
        if _LEFTOVER_DIR.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif _LEFTOVER_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def discard(out_dir: Path, tag: str) -> None:
    """Remove the temporary files and folders a build tagged `tag` left (failure, Ctrl-C)."""
    for tmp in out_dir.glob(f".*.tmp-{tag}"):
        _remove(tmp)

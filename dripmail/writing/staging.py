"""Write a build: staged folders switched in by one logged swap, so that a build that fails or
is killed never leaves a mixed or dirty output folder. The only module that writes build output;
nothing outside the output folder is ever written or deleted.

How (issue 11, S1 and D2):

- Paths. Every name the build writes in the output folder is checked here, whatever checked it
  before: a sequence folder is named by a slug (`slug.is_slug`: no separator, no dot-name, no
  control character, bounded length) and must resolve to a direct child of the output folder;
  a symbolic link is never replaced or written through.
- Lock. A build holds an exclusive `flock` on the output folder from start to end. The kernel
  drops it when the process dies, however it dies, so whoever holds it knows that every
  leftover in the folder belongs to a dead build.
- Staging. Each changed sequence is written to `.<slug>.tmp-<tag>` and the preview page to
  `.index.html.tmp-<tag>` (`tag`: one build's random name). Unchanged (cached) sequences stay
  where they are: nothing is copied.
- Commit. Once everything is staged, the renames that switch it in (`<final>` to
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
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dripmail.errors import OutputError
from dripmail.models import EmailSequence
from dripmail.slug import is_slug

MANIFEST = "manifest.json"
INDEX = "index.html"
JOURNAL = ".dripmail-swap.json"
LOCK_WAIT = 10.0  # seconds to wait for another build writing to the same folder
# Leftovers of a dead build (also the names older versions used: mkdtemp/mkstemp suffixes).
_LEFTOVER_DIR = re.compile(r"\.[a-z0-9][a-z0-9-]*\.(tmp|old)-[0-9a-z_-]+")
_LEFTOVER_FILE = re.compile(r"\.(index\.html|\.dripmail-cache\.json|\.dripmail-swap\.json)"
                            r"\.((tmp|old)-[0-9a-z_-]+|[0-9a-z_]{8})")
_HELD: set[int] = set()  # lock descriptors of this process (closed in forked workers)


def manifest(seq: EmailSequence, project_dir: Path) -> dict[str, Any]:
    """The manifest.json document of one sequence (schema in the README)."""
    try:
        source = seq.source.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        source = seq.source.name
    return {
        "sequence": {"slug": seq.slug, "title": seq.title, "source": source,
                     "lang": seq.settings.language, "provider": seq.settings.provider,
                     "emails": len(seq.emails), "kind": seq.kind},
        "emails": [{"position": e.position, "day": e.day, "subject": e.subject,
                    "preheader": e.preheader, "title": e.title, "html": f"{e.stem}.html",
                    "text": f"{e.stem}.txt", "words": e.words,
                    "html_bytes": len(e.html.encode("utf-8"))} for e in seq.emails],
    }


# --- paths ---------------------------------------------------------------------------------

def child(out_dir: Path, slug: str) -> Path:
    """`out_dir/slug`, refused unless it is a plain, direct child of the output folder."""
    if not is_slug(slug):
        raise OutputError(f"refusing to write the sequence folder {slug!r}: a slug may hold only "
                          "lower-case letters, digits and hyphens; fix the article's `slug:`",
                          path=out_dir)
    final = out_dir / slug
    if final.is_symlink() or final.resolve().parent != out_dir.resolve():
        raise OutputError(f"refusing to write {final}: it is a symbolic link or resolves outside "
                          f"{out_dir}; remove it or choose another --out folder")
    return final


def sequence_folders(out_dir: Path) -> list[Path]:
    """The sequence folders of a build folder (`<name>/manifest.json`), sorted; never the
    hidden ones (staging and old folders)."""
    try:
        names = sorted(e.name for e in os.scandir(out_dir)
                       if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [out_dir / n for n in names if (out_dir / n / MANIFEST).is_file()]


def check_out_dir(out_dir: Path, project_dir: Path, sources: Sequence[Path] = ()) -> None:
    """Refuse an output folder that is or contains the project folder, or that is, contains
    or lies inside its articles or templates: a build there would mix with its own input."""
    out, root = Path(out_dir).resolve(), Path(project_dir).resolve()
    if root.is_relative_to(out):
        raise OutputError(f"refusing to build into {out_dir}: it is (or contains) the project "
                          "folder; choose a folder inside the project, such as --out build")
    inputs = [project_dir / "sequences", project_dir / "templates", *sources]
    for folder in inputs:
        inside = Path(folder).resolve()
        if inside.is_relative_to(out) or (Path(folder).is_dir() and out.is_relative_to(inside)):
            raise OutputError(f"refusing to build into {out_dir}: it would mix the emails with "
                              f"the sources in {folder}; choose another folder, such as "
                              "--out build")


# --- files and folders, with the modes the umask gives -------------------------------------

def _create_file(path: Path, data: bytes) -> None:
    """Write a new file (0666 less the umask, like any file); remove it again on failure."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def write_text_atomic(path: Path, text: str) -> Path:
    """Write a file via a temporary file and a rename; on failure nothing is left behind."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(6)}")
    try:
        _create_file(tmp, text.encode("utf-8"))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from exc
    return path


def _write_sequence(seq: EmailSequence, folder: Path, project_dir: Path) -> list[Path]:
    paths = []
    for e in seq.emails:
        for suffix, body in ((".html", e.html), (".txt", e.text)):
            path = folder / f"{e.stem}{suffix}"
            path.write_text(body, encoding="utf-8", newline="\n")
            paths.append(path)
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest(seq, project_dir), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return [*paths, path]


def _check_replaceable(final: Path) -> None:
    if final.is_symlink() or (final.exists() and not (final / MANIFEST).is_file()):
        raise OutputError(f"refusing to replace {final}: it was not made by dripmail (no "
                          f"{MANIFEST}); move it away or choose another --out folder")


def _output_error(exc: OSError, out_dir: Path) -> OutputError:
    return OutputError(f"cannot write: {exc.strerror or exc}; check the free space and the "
                       "folder's permissions, or choose another folder with --out",
                       path=exc.filename or out_dir)


def new_tag() -> str:
    """A random name for one build's temporary files and folders."""
    return secrets.token_hex(6)


def stage_sequence(seq: EmailSequence, out_dir: Path, project_dir: Path, extras=None,
                   tag: str = "") -> tuple[Path, list[Path]]:
    """Write one sequence into `.<slug>.tmp-<tag>` in `out_dir`: (folder, files written)."""
    try:
        _check_replaceable(child(out_dir, seq.slug))
        tmp = out_dir / f".{seq.slug}.tmp-{tag or new_tag()}"
        tmp.mkdir()  # 0777 less the umask, like any folder
        try:
            files = _write_sequence(seq, tmp, project_dir)
            if extras is not None:
                files += extras(seq, tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc
    return tmp, files


def stage_index(out_dir: Path, html: str, tag: str) -> Path:
    """Write the preview page to `.index.html.tmp-<tag>`, for `commit` to switch in."""
    tmp = out_dir / f".{INDEX}.tmp-{tag}"
    try:
        _create_file(tmp, html.encode("utf-8"))
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc
    return tmp


# --- the swap ------------------------------------------------------------------------------

def _plan(staged: list[tuple[str, Path, list[Path]]], index: Path | None, out_dir: Path,
          tag: str) -> list[dict[str, str]]:
    """The renames of a commit, as journal entries {staged, final, old} (plain names)."""
    plan = []
    for slug, tmp, _files in staged:
        _check_replaceable(child(out_dir, slug))
        plan.append({"staged": tmp.name, "final": slug, "old": f".{slug}.old-{tag}"})
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


def commit(staged: Iterable[tuple[str, Path, list[Path]]], out_dir: Path, tag: str = "",
           index: Path | None = None) -> list[Path]:
    """Switch staged (slug, folder, files) and a staged preview page in as one logged swap;
    return the final paths of the files."""
    staged, tag = list(staged), tag or new_tag()
    try:
        plan = _plan(staged, index, out_dir, tag)
        if plan:
            _swap(out_dir, plan)
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc
    written: list[Path] = []
    for slug, tmp, files in staged:
        final, inside = out_dir / slug, len(str(tmp)) + 1
        written += [final / str(f)[inside:] for f in files]  # each f is tmp / something
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


# --- the output folder ---------------------------------------------------------------------

INDEX_MARK = '<meta name="generator" content="dripmail">'
_OLD_INDEX_MARK = "<title>dripmail preview</title>"  # index pages written before the mark


def prepare(out_dir: Path) -> None:
    """Create the output folder, or raise a one-line OutputError.

    An `index.html` that dripmail did not write (no generator mark) is never replaced.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        index = out_dir / INDEX
        if index.is_symlink():
            raise OutputError(f"refusing to replace {index}: it is a symbolic link; remove it or "
                              "choose another --out folder")
        head = index.read_text("utf-8", "replace")[:4096] if index.is_file() else INDEX_MARK
        if INDEX_MARK not in head and _OLD_INDEX_MARK not in head:
            raise OutputError(f"refusing to replace {index}: it was not made by dripmail; move "
                              "it away or choose another --out folder")
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc


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
        raise _output_error(exc, out_dir) from exc
    if fd is not None:
        _HELD.add(fd)
    try:
        try:
            recover(out_dir)
        except OSError as exc:
            raise _output_error(exc, out_dir) from exc
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


def manifests_after(out_dir: Path, staged: Iterable[tuple[str, Path, list[Path]]]
                    ) -> list[dict[str, Any]]:
    """The manifests the folder will hold once `staged` is switched in, sorted by folder."""
    folders = {p.name: p for p in sequence_folders(out_dir)}
    folders.update({slug: tmp for slug, tmp, _files in staged})
    return [m for name in sorted(folders) if (m := _read_manifest(folders[name], name))]


def _read_manifest(folder: Path, name: str) -> dict[str, Any] | None:
    try:
        return {**json.loads((folder / MANIFEST).read_text(encoding="utf-8")), "folder": name}
    except (OSError, ValueError, TypeError):
        return None


def read_manifests(out_dir: Path) -> list[dict[str, Any]]:
    """Every sequence manifest in a build folder, sorted by folder name (hidden folders, such
    as a killed build's staging folders, are not sequences)."""
    return [m for folder in sequence_folders(out_dir)
            if (m := _read_manifest(folder, folder.name))]


def write_sequences(sequences: Iterable[EmailSequence], out_dir: Path, project_dir: Path,
                    extras=None, index: Callable[[list[dict[str, Any]]], str] | None = None
                    ) -> list[Path]:
    """Write each sequence to `out_dir/<slug>/` (and, with `index`, the preview page rendered
    from the manifests) and return the files.

    Everything is staged first (`sequences` may be a lazy iterator that raises); only then is it
    switched in, so a failed or interrupted build leaves the previous output whole.
    """
    with locked(out_dir):
        tag = new_tag()
        try:
            staged = [(seq.slug, *stage_sequence(seq, out_dir, project_dir, extras, tag))
                      for seq in sequences]
            page = None
            if index is not None:
                page = stage_index(out_dir, index(manifests_after(out_dir, staged)), tag)
            return commit(staged, out_dir, tag, page)
        finally:
            discard(out_dir, tag)

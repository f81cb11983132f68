"""Write a build: one folder per sequence, swapped in whole so a failed build loses nothing.
The only module that writes build output; nothing outside the output folder is ever deleted."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dripmail.errors import OutputError
from dripmail.models import Sequence

MANIFEST = "manifest.json"


def manifest(seq: Sequence, project_dir: Path) -> dict[str, Any]:
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


def _write_sequence(seq: Sequence, folder: Path, project_dir: Path) -> list[Path]:
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
    if final.exists() and not (final / MANIFEST).is_file():
        raise OutputError(f"refusing to replace {final}: it was not made by dripmail (no "
                          f"{MANIFEST}); move it away or choose another --out folder")


def _swap_in(tmp: Path, final: Path) -> None:
    """Replace `final` (a folder dripmail made before) by `tmp` in two renames."""
    _check_replaceable(final)
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
        try:
            tmp.rename(final)
        except BaseException:
            old.rename(final)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(final)


def _output_error(exc: OSError, out_dir: Path) -> OutputError:
    return OutputError(f"cannot write: {exc.strerror or exc}; check the folder's permissions "
                       "or choose another with --out", path=exc.filename or out_dir)


def stage_sequence(seq: Sequence, out_dir: Path, project_dir: Path, extras=None,
                   tag: str = "") -> tuple[Path, list[Path]]:
    """Write one sequence into a new temporary folder in `out_dir`: (folder, files written).

    `tag` names the build, so that `discard` can remove what an interrupted build left.
    """
    try:
        _check_replaceable(out_dir / seq.slug)
        tmp = Path(tempfile.mkdtemp(prefix=f".{seq.slug}.tmp-{tag}", dir=out_dir))
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


def commit(staged: Iterable[tuple[str, Path, list[Path]]], out_dir: Path) -> list[Path]:
    """Swap staged (slug, folder, files) into place; return the final paths of the files."""
    staged = list(staged)
    written: list[Path] = []
    try:
        for slug, _tmp, _files in staged:
            _check_replaceable(out_dir / slug)
        for slug, tmp, files in staged:
            _swap_in(tmp, out_dir / slug)
            final, inside = out_dir / slug, len(str(tmp)) + 1
            written += [final / str(f)[inside:] for f in files]  # each f is tmp / something
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc
    return written


def discard(out_dir: Path, tag: str) -> None:
    """Remove the temporary folders a build tagged `tag` left behind (failure or Ctrl-C)."""
    for tmp in out_dir.glob(f".*.tmp-{tag}*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)


INDEX_MARK = '<meta name="generator" content="dripmail">'
_OLD_INDEX_MARK = "<title>dripmail preview</title>"  # index pages written before the mark


def prepare(out_dir: Path) -> None:
    """Create the output folder, or raise a one-line OutputError.

    An `index.html` that dripmail did not write (no generator mark) is never replaced.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        index = out_dir / "index.html"
        head = index.read_text("utf-8", "replace")[:4096] if index.is_file() else INDEX_MARK
        if INDEX_MARK not in head and _OLD_INDEX_MARK not in head:
            raise OutputError(f"refusing to replace {index}: it was not made by dripmail; move "
                              "it away or choose another --out folder")
    except OSError as exc:
        raise _output_error(exc, out_dir) from exc


def new_tag() -> str:
    """A name for one build's temporary folders."""
    return f"{os.getpid()}{secrets.token_hex(3)}-"


def write_sequences(sequences: Iterable[Sequence], out_dir: Path, project_dir: Path,
                    extras=None) -> list[Path]:
    """Write each sequence to `out_dir/<slug>/` and return the files.

    Every sequence is first written to a temporary folder; only when all of them are written
    (`sequences` may be a lazy iterator that raises) are the folders swapped in, so a failed
    or interrupted build leaves the previous output and no temporary folders behind.
    """
    tag = new_tag()
    prepare(out_dir)
    try:
        staged = [(seq.slug, *stage_sequence(seq, out_dir, project_dir, extras, tag))
                  for seq in sequences]
        return commit(staged, out_dir)
    finally:
        discard(out_dir, tag)


def read_manifests(out_dir: Path) -> list[dict[str, Any]]:
    """Every sequence manifest in a build folder, sorted by slug."""
    found = []
    for path in sorted(out_dir.glob(f"*/{MANIFEST}")):
        try:
            found.append({**json.loads(path.read_text(encoding="utf-8")),
                          "folder": path.parent.name})
        except (OSError, ValueError):
            continue
    return found


def write_text_atomic(path: Path, text: str) -> Path:
    """Write a file via a temporary file and a rename."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from exc
    return path

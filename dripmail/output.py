"""Write a build: one folder per sequence, swapped in whole so a failed build loses nothing.
The only module that writes build output; nothing outside the output folder is ever deleted."""

from __future__ import annotations

import json
import os
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


def write_sequences(sequences: Iterable[Sequence], out_dir: Path, project_dir: Path,
                    extras=None) -> list[Path]:
    """Write each sequence to `out_dir/<slug>/` and return the files.

    Every sequence is first written to a temporary folder; only when all of them are written
    (`sequences` may be a lazy iterator that raises) are the folders swapped in, so a failed
    or interrupted build leaves the previous output and no temporary folders behind.
    """
    staged: list[tuple[Path, str, list[Path]]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for seq in sequences:
            _check_replaceable(out_dir / seq.slug)
            tmp = Path(tempfile.mkdtemp(prefix=f".{seq.slug}.tmp-", dir=out_dir))
            staged.append((tmp, seq.slug, []))
            files = _write_sequence(seq, tmp, project_dir)
            if extras is not None:
                files += extras(seq, tmp)
            staged[-1][2].extend(files)
        written: list[Path] = []
        for tmp, slug, files in staged:
            _swap_in(tmp, out_dir / slug)
            written += [out_dir / slug / f.relative_to(tmp) for f in files]
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}; check the folder's permissions "
                          "or choose another with --out", path=exc.filename or out_dir) from exc
    finally:
        for tmp, _slug, _files in staged:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return written


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

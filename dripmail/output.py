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


def _swap_in(tmp: Path, final: Path) -> None:
    """Replace `final` (a folder dripmail made before) by `tmp` in two renames."""
    if final.exists():
        if not (final / MANIFEST).is_file():
            raise OutputError(f"refusing to replace {final}: it was not made by dripmail (no "
                              f"{MANIFEST}); move it away or choose another --out folder")
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old)
    else:
        tmp.rename(final)


def write_sequences(sequences: Iterable[Sequence], out_dir: Path, project_dir: Path,
                    extras=None) -> list[Path]:
    """Write each sequence to `out_dir/<slug>/` atomically (per sequence) and return the files."""
    written: list[Path] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for seq in sequences:
            tmp = Path(tempfile.mkdtemp(prefix=f".{seq.slug}.tmp-", dir=out_dir))
            try:
                files = _write_sequence(seq, tmp, project_dir)
                if extras is not None:
                    files += extras(seq, tmp)
                _swap_in(tmp, out_dir / seq.slug)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
            written += [out_dir / seq.slug / f.relative_to(tmp) for f in files]
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}; check the folder's permissions "
                          "or choose another with --out", path=exc.filename or out_dir) from exc
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

"""`manifest.json`: what a sequence folder holds (schema in the README), written and read back."""

from __future__ import annotations

import functools
import json
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dripmail.models import EmailSequence, Staged

MANIFEST = "manifest.json"


def manifest(seq: EmailSequence, project_dir: Path) -> dict[str, Any]:
    """The manifest.json document of one sequence."""
    try:
        source = seq.source.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        source = seq.source.name
    about = {"slug": seq.slug, "title": seq.title, "source": source,
             "lang": seq.settings.language, "provider": seq.settings.provider,
             "postal_address": seq.settings.postal_address, "emails": len(seq.emails),
             "kind": seq.kind}
    if dict(seq.settings.check) != _project_levels(project_dir):
        about["check"] = dict(seq.settings.check)  # the article's own (front matter)
    return {
        "sequence": about,
        "emails": [{"position": e.position, "day": e.day, "subject": e.subject,
                    "preheader": e.preheader, "title": e.title, "html": f"{e.stem}.html",
                    "text": f"{e.stem}.txt", "words": e.words,
                    "html_bytes": len(e.html.encode("utf-8"))} for e in seq.emails],
    }


def _project_levels(project_dir: Path) -> dict[str, Any]:
    """The `[check]` table of the project's dripmail.toml (validated by the build)."""
    return dict(project_settings(project_dir).get("check", {}))


def project_settings(project_dir: Path) -> dict[str, Any]:
    """The project's dripmail.toml as read (validated by the build), {} without one."""
    path = project_dir / "dripmail.toml"
    try:
        st = path.stat()
    except OSError:
        return {}
    return _settings_in(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)  # read once per build (and per worker), not per sequence
def _settings_in(path: str, _mtime_ns: int, _size: int) -> dict[str, Any]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        return tomllib.loads(text)
    except (OSError, ValueError):  # (a TOML or UTF-8 error stops the build before)
        return {}


def page_language(project_dir: Path, manifests: list[dict[str, Any]]) -> str:
    """The language of the preview page: the sequences' when they share one, else the
    project's `language` setting, else English."""
    found = {str((m.get("sequence") or {}).get("lang") or "en") for m in manifests}
    if len(found) == 1:
        return found.pop()
    language = project_settings(project_dir).get("language")
    return language if isinstance(language, str) and language.strip() else "en"


def manifest_text(seq: EmailSequence, project_dir: Path) -> str:
    """The manifest as the file holds it."""
    return json.dumps(manifest(seq, project_dir), indent=2, ensure_ascii=False) + "\n"


def sequence_folders(out_dir: Path) -> list[Path]:
    """The sequence folders of a build folder (`<name>/manifest.json`), sorted; never the
    hidden ones (staging and old folders)."""
    try:
        names = sorted(e.name for e in os.scandir(out_dir)
                       if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [out_dir / n for n in names if (out_dir / n / MANIFEST).is_file()]


def read_manifest(folder: Path, name: str) -> dict[str, Any] | None:
    """A folder's manifest with its folder `name` added, or None when unreadable."""
    try:
        return {**json.loads((folder / MANIFEST).read_text(encoding="utf-8")), "folder": name}
    except (OSError, ValueError, TypeError):
        return None


def read_manifests(out_dir: Path) -> list[dict[str, Any]]:
    """Every sequence manifest in a build folder, sorted by folder name (hidden folders, such
    as a killed build's staging folders, are not sequences)."""
    return [m for folder in sequence_folders(out_dir)
            if (m := read_manifest(folder, folder.name))]


def manifests_after(out_dir: Path, staged: Iterable[Staged]) -> list[dict[str, Any]]:
    """The manifests the folder will hold once `staged` is switched in, sorted by folder."""
    folders = {p.name: p for p in sequence_folders(out_dir)}
    folders.update({s.slug: s.folder for s in staged})
    return [m for name in sorted(folders) if (m := read_manifest(folders[name], name))]


def kind_of(folder: Path) -> str | None:
    """The `kind` a sequence folder's manifest records ("sequence" when it records none), or
    None when the folder holds no readable manifest."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))[
            "sequence"].get("kind", "sequence")
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None

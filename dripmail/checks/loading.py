"""Turning a build folder or an in-memory build into the documents the rules read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dripmail.checks.model import LEVELS, EmailDoc
from dripmail.errors import DripmailError
from dripmail.writing.manifest import sequence_folders
from dripmail.writing.swap import interrupted


def _read(path: Path, manifest: Path) -> str:
    """A built file's text exactly as written (no newline translation, as the build saw it)."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DripmailError(f"lists {path.name}, which is missing; build again",
                            path=manifest) from None
    except UnicodeDecodeError:
        raise DripmailError("is not UTF-8; build again", path=path) from None


@dataclass(frozen=True, slots=True)
class BuiltSequence:
    """One sequence folder of a build: its emails, and the `[check]` levels its article set
    for itself (None: the project's dripmail.toml decides, as it did for the build)."""

    docs: tuple[EmailDoc, ...]
    levels: Mapping[str, str] | None = None


def _load_manifest(manifest: Path) -> BuiltSequence:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        sequence, emails = data["sequence"], data["emails"]
        levels = sequence.get("check")
        if levels is not None and not (isinstance(levels, dict)
                                       and all(v in LEVELS for v in levels.values())):
            raise TypeError("its 'check' is not a table of levels")
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise DripmailError(f"not a dripmail manifest ({exc}); build again",
                            path=manifest) from None
    folder = manifest.parent
    docs = []
    for entry in emails:
        if not _plain(entry.get("html")) or (entry.get("text") and not _plain(entry["text"])):
            raise DripmailError("not a dripmail manifest (it names files outside its folder); "
                                "build again", path=manifest)
        html_path = folder / entry["html"]
        text_path = folder / entry["text"] if entry.get("text") else None
        text = _read(text_path, manifest) if text_path and text_path.exists() else None
        docs.append(EmailDoc(
            file=str(html_path),
            sequence=sequence.get("slug", folder.name),
            position=int(entry["position"]),
            total=int(sequence.get("emails") or len(emails)),
            day=int(entry.get("day", 0)),
            subject=entry.get("subject", ""),
            preheader=entry.get("preheader", ""),
            html=_read(html_path, manifest),
            text=text,
            text_file=str(text_path) if text_path else None,
            words=entry.get("words"),
            provider=sequence.get("provider", "generic"),
            postal_address=sequence.get("postal_address", ""),
            kind=sequence.get("kind", "sequence"),
            lang=str(sequence.get("lang") or ""),
        ))
    return BuiltSequence(tuple(docs), levels)


def _plain(name: object) -> bool:
    """Whether a manifest's file name is a plain name inside the sequence folder."""
    return isinstance(name, str) and bool(name) and Path(name).name == name \
        and not name.startswith(".")


def load_build(path: Path) -> list[EmailDoc]:
    """Every email of a build folder (or of one sequence folder), in manifest order; hidden
    folders (what a killed build left) are not sequences."""
    return [doc for seq in load_sequences(path) for doc in seq.docs]


def load_sequences(path: Path) -> list[BuiltSequence]:
    """Each sequence of a build folder (or the one sequence folder), in folder order."""
    path = Path(path)
    if interrupted(path) or interrupted(path.parent):
        raise DripmailError("a build was killed while it replaced these emails; run `dripmail "
                            "build` again to finish it before checking", path=path)
    if (path / "manifest.json").is_file():
        manifests = [path / "manifest.json"]
    else:
        manifests = [folder / "manifest.json" for folder in sequence_folders(path)]
    if not manifests:
        hint = "run `dripmail build` first" if not path.exists() else "is it a build folder?"
        raise DripmailError(f"no emails found (no */manifest.json); {hint}", path=path)
    return [_load_manifest(manifest) for manifest in manifests]


def docs_from_sequences(sequences: Iterable, root: str | Path = "build") -> list[EmailDoc]:
    """Documents for an in-memory build (models.EmailSequence), named as the build writes them."""
    docs = []
    for seq in sequences:
        settings = seq.settings
        for email in seq.emails:
            base = Path(root) / seq.slug / email.stem
            docs.append(EmailDoc(
                file=f"{base}.html", sequence=seq.slug, position=email.position,
                total=email.total, day=email.day, subject=email.subject,
                preheader=email.preheader, html=email.html, text=email.text,
                text_file=f"{base}.txt", words=email.words,
                provider=getattr(settings, "provider", "generic"),
                postal_address=getattr(settings, "postal_address", ""),
                kind=getattr(seq, "kind", "sequence"),
                lang=getattr(settings, "language", "") or "",
            ))
    return docs

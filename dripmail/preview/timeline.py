"""Pure summaries of a build for the preview page: reading time, size level, inbox rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dripmail.limits import GMAIL_CLIP, READING_WPM, SIZE_WARN  # (email-rules.md A5, C1)

# (subject, preheader) characters a client shows before it cuts the text off
PHONE = (35, 40)
DESKTOP = (70, 100)


def reading_seconds(words: int, wpm: int = READING_WPM) -> int:
    """Seconds an adult needs to read `words` words."""
    return round(words * 60 / wpm)


def reading_time(words: int, wpm: int = READING_WPM) -> str:
    """Reading time as `1 min 05 s` (or `40 s` under a minute)."""
    minutes, seconds = divmod(reading_seconds(words, wpm), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def size_level(html_bytes: int) -> str:
    """`ok`, `warn` (≥ 75 KB) or `fail` (≥ 102 KB: Gmail clips it)."""
    if html_bytes >= GMAIL_CLIP:
        return "fail"
    return "warn" if html_bytes >= SIZE_WARN else "ok"


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def inbox_row(subject: str, preheader: str, limits: tuple[int, int]) -> dict[str, str]:
    """Subject and preheader as an inbox list with these (subject, preheader) limits shows them."""
    return {"subject": truncate(subject, limits[0]), "preheader": truncate(preheader, limits[1])}


def email_summary(
    entry: Mapping[str, Any], base: str, findings: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """One manifest email entry, with URLs under `base` and the figures the timeline shows."""
    words = int(entry.get("words", 0))
    size = int(entry.get("html_bytes", 0))
    subject, preheader = str(entry.get("subject", "")), str(entry.get("preheader", ""))
    return {
        "position": entry.get("position"),
        "day": entry.get("day"),
        "subject": subject,
        "preheader": preheader,
        "words": words,
        "reading": reading_time(words),
        "html_bytes": size,
        "size_kb": round(size / 1024, 1),
        "size_level": size_level(size),
        "html": f"{base}/{entry['html']}",
        "text": f"{base}/{entry['text']}" if entry.get("text") else None,
        "inbox": {"phone": inbox_row(subject, preheader, PHONE),
                  "desktop": inbox_row(subject, preheader, DESKTOP)},
        "findings": [dict(f) for f in findings],
    }


def read_manifests(out_dir: Path, order: Iterable[str] = ()) -> list[tuple[str, dict[str, Any]]]:
    """(folder name, manifest) for every `<slug>/manifest.json` in `out_dir`, in `order` first."""
    from dripmail.writing.manifest import read_manifests as read_all

    found = {m["folder"]: m for m in read_all(out_dir)}
    names = [n for n in order if n in found] + sorted(n for n in found if n not in set(order))
    return [(n, found[n]) for n in names]


def sequence_summary(
    folder: str,
    manifest: Mapping[str, Any],
    *,
    sender: str = "",
    findings: Mapping[str, list[dict[str, Any]]] | None = None,
    url_root: str = "/build",
) -> dict[str, Any]:
    """A sequence as the timeline shows it (`findings`: `<folder>/<email>.html` -> findings)."""
    findings = findings or {}
    base = f"{url_root}/{folder}"
    info = dict(manifest.get("sequence", {}))
    emails = [
        email_summary(e, base, findings.get(f"{folder}/{e['html']}", ()))
        for e in manifest.get("emails", [])
    ]
    return {**info, "folder": folder, "sender": sender, "emails": emails}

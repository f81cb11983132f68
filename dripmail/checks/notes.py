"""One-line notes on what the checks do differently for the languages of the emails checked:
the reading-ease formula used, and the rules that are off for a language (no formula, no
capital letters, no words shipped) instead of warning falsely."""

from __future__ import annotations

from collections.abc import Sequence

from dripmail import languages
from dripmail.checks.formulas import FORMULAS
from dripmail.checks.model import EmailDoc


def language_note(tag: str) -> str | None:
    """The note for one language tag (None for English, which every rule knows)."""
    code = languages.primary(tag) or "en"
    if code == "en":
        return None
    name = f"{languages.name(code)} ({code})"
    found = languages.language(code)
    if found is None:
        return (f"{name}: dripmail ships no data for this language: reading-ease, grade-level, "
                "wordy-phrases and relative-time are off; link-text and all-caps know English "
                "words only")
    parts = []
    if found.reading_ease:
        formula = FORMULAS[found.reading_ease]
        parts.append(f"reading ease is the {formula.label} (want {formula.want})")
    else:
        parts.append(f"reading-ease is off: no published formula for {found.name} is shipped")
    parts.append("grade-level is off (Flesch–Kincaid grades English only)")
    if not found.has_case:
        parts.append(f"all-caps is off ({found.name} script has no capitals)")
    return f"{name}: " + "; ".join(parts)


def language_notes(docs: Sequence[EmailDoc]) -> list[str]:
    """One note per language of these emails other than English, in order of appearance."""
    seen: dict[str, None] = {}
    for doc in docs:
        seen.setdefault(languages.primary(doc.language) or "en", None)
    return [note for note in map(language_note, seen) if note]

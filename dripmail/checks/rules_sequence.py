"""Sequence rules: the schedule starts at day 0, never goes back and has no long gaps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from dripmail import languages
from dripmail.checks.dom import visible_text
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule

MAX_GAP = 7
SCHEDULE_FIX = "fix `schedule` in dripmail.toml or the article's front matter"


@lru_cache(maxsize=16)
def relative_wording(lang: str) -> re.Pattern[str] | None:
    """The time-relative wording of a language (None for a language dripmail has no words of)."""
    found = languages.language(lang)
    return re.compile(found.relative_time) if found else None


def _course(docs: Sequence[EmailDoc]) -> list[EmailDoc]:
    return sorted((d for d in docs if d.kind != "newsletter"), key=lambda d: d.position)


@rule("sequence-start", "error", "sequence", "the first email goes out on day 0", per="sequence")
def sequence_start(docs: Sequence[EmailDoc]):
    """Subscribers expect the first email right after signing up."""
    course = _course(docs)
    if course and course[0].day != 0:
        yield (course[0], "error", f"the first email is scheduled on day {course[0].day}, not 0; "
               "new subscribers wait for nothing", SCHEDULE_FIX + " (start at 0)")


@rule("sequence-order", "error", "sequence", "days never go back", per="sequence")
def sequence_order(docs: Sequence[EmailDoc]):
    """A later email scheduled earlier arrives out of order."""
    course = _course(docs)
    for before, after in zip(course, course[1:], strict=False):
        if after.day < before.day:
            yield (after, "error", f"email {after.position} is on day {after.day}, before email "
                   f"{before.position} (day {before.day})", SCHEDULE_FIX + " (days must increase)")


@rule("sequence-gap", "warning", "sequence", "no gap over 7 days between emails", per="sequence")
def sequence_gap(docs: Sequence[EmailDoc]):
    """Long gaps make readers forget the course."""
    course = _course(docs)
    for before, after in zip(course, course[1:], strict=False):
        if after.day - before.day > MAX_GAP:
            yield (after, "warning", f"{after.day - before.day} days pass between email "
                   f"{before.position} and email {after.position} (over {MAX_GAP})",
                   SCHEDULE_FIX + " (space emails 1–2 days apart)")


@rule("relative-time", "warning", "sequence",
      "no \"yesterday\"/\"tomorrow\"/\"today's email\" wording, in the email's language "
      "(sends slip)")
def relative_time(doc: EmailDoc):
    """Readers open emails late or binge them; say "the previous email" instead."""
    pattern = relative_wording(doc.language)
    if pattern is None:
        return
    text = visible_text(doc.tree) + "\n" + (doc.text or "")
    found = pattern.search(text)
    if found:
        yield ("warning", f"says \"{found.group()}\", which is wrong when a reader opens the "
               "email later", "say \"the previous email\" / \"the next email\" instead")

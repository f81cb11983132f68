"""Subject line and preheader rules."""

from __future__ import annotations

from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule
from dripmail.limits import (
    CHECKED_PREHEADER_MAX,
    CHECKED_PREHEADER_MIN,
    SUBJECT_LIMIT,
    SUBJECT_TARGET,
)


@rule("subject-length", "error", "subject", "subject present, at most 78 characters (aim ≤ 50)")
def subject_length(doc: EmailDoc):
    """Phones show about 40–50 characters of a subject; RFC 5322 folds past 78."""
    n = len(doc.subject.strip())
    if n == 0:
        yield ("error", "the subject is empty",
               "set `subject` in the article's front matter (`subjects: [...]`)")
    elif n > SUBJECT_LIMIT:
        yield ("error", f"the subject has {n} characters (over {SUBJECT_LIMIT}): "
               f"\"{doc.subject}\"", "shorten the subject to 50 characters or fewer")
    elif n > SUBJECT_TARGET:
        yield ("warning", f"the subject has {n} characters; phones cut it at about "
               f"{SUBJECT_TARGET}: \"{doc.subject}\"",
               "shorten the subject to 50 characters or fewer (front matter `subjects`)")


@rule("preheader", "error", "subject", "preheader present, 30–140 characters, not the subject")
def preheader(doc: EmailDoc):
    """Without a preheader, inboxes show whatever text comes first."""
    text = doc.preheader.strip()
    fix = "write a 40–100 character preheader (front matter `preheaders: [...]`)"
    if not text:
        yield "error", "the preheader is missing; inboxes will show the first body text", fix
    elif text.casefold() == doc.subject.strip().casefold():
        yield "error", "the preheader repeats the subject, wasting the preview line", fix
    elif len(text) < CHECKED_PREHEADER_MIN:
        yield ("error", f"the preheader has {len(text)} characters (under "
               f"{CHECKED_PREHEADER_MIN}), so body text leaks into the preview", fix)
    elif len(text) > CHECKED_PREHEADER_MAX:
        yield ("warning", f"the preheader has {len(text)} characters; most inboxes show up to "
               f"about {CHECKED_PREHEADER_MAX}", fix)

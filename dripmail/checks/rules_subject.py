"""Subject line and preheader rules."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dripmail import languages
from dripmail.checks.dom import MERGE_TAG
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


CAPS_SHARE = 0.5  # Kajabi flags subjects whose letters are 50% or more capitals
CAPS_LETTERS = 8  # fewer letters than this are too few to judge a share
CAPS_RUN = 3  # this many capitalised words in a row shout, whatever the share
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def shouting(text: str, acronyms: Iterable[str]) -> str | None:
    """What shouts in a line (its share of capitals, or a run of capitalised words), or None.
    Acronyms are left out of both."""
    known = set(acronyms)
    tokens = [t for t in _TOKEN.findall(MERGE_TAG.sub(" ", text)) if t not in known]
    letters = sum(len(t) for t in tokens)
    capitals = sum(ch.isupper() for t in tokens for ch in t)
    if letters >= CAPS_LETTERS and capitals / letters >= CAPS_SHARE:
        return f"{capitals / letters:.0%} of its letters are capitals"
    runs: list[list[str]] = [[]]
    for token in tokens:
        if len(token) > 1 and token.isupper():
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    run = next((r for r in runs if len(r) >= CAPS_RUN), None)
    return f"\"{' '.join(run)}\" is in capitals" if run else None


@rule("all-caps", "warning", "subject",
      "subject and preheader not in capitals (the language's acronyms excepted)")
def all_caps(doc: EmailDoc):
    """Capitals read as shouting and look like spam (Kajabi's subject check: capitals at 50% of
    the letters). Scripts without capitals (Arabic, Hebrew) are not checked (a report note)."""
    lang = languages.language(doc.language)
    if lang is not None and not lang.has_case:
        return
    acronyms = (lang or languages.EN).acronyms
    for what, text in (("subject", doc.subject), ("preheader", doc.preheader)):
        said = shouting(text, acronyms)
        if said:
            yield ("warning", f"the {what} shouts: {said}: \"{text.strip()}\"",
                   f"write the {what} in sentence case; keep capitals for acronyms")

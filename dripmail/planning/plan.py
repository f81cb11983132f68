"""Plan a sequence: split the article, then give each email its day, title, subject, preheader."""

from __future__ import annotations

import re

from dripmail.errors import ContentError
from dripmail.limits import (
    MAX_EMAILS,
    PLANNED_PREHEADER_MAX,
    PLANNED_PREHEADER_MIN,
    SUBJECT_KEEP,
    SUBJECT_TARGET,
)
from dripmail.models import Article, Block, Part
from dripmail.planning.split import CannotSplit, split
from dripmail.safetext import one_line

_DANGLING = {"a", "an", "the", "of", "to", "for", "and", "or", "but", "in", "on", "at", "with",
             "from", "by", "is", "isn’t", "isn't", "your", "my", "our", "their", "only"}
_READ = 8 * PLANNED_PREHEADER_MAX  # characters of prose the preheader reads first
_SENTENCE = re.compile(r"(?<=[.!?…”\"])\s+(?=[A-Z0-9“\"‘'(])")


def days(count: int, schedule: tuple[int, ...], spacing: int) -> list[int]:
    """Day offsets: the configured schedule (extended by `spacing`), else 0, s, 2s, ..."""
    out = list(schedule[:count]) or [0]
    while len(out) < count:
        out.append(out[-1] + spacing)
    return out


def shorten(text: str, limit: int, keep: int = SUBJECT_KEEP) -> str:
    """Fit `text` in `limit` chars by cutting at a colon, dash or parenthesis; a text without
    such a break is kept whole up to `keep` chars, else cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    for sep in (": ", " – ", " — ", " - ", " (", "? ", "! ", ". "):
        head = text.split(sep)[0].strip() + (sep.strip() if sep in ("? ", "! ") else "")
        if 12 <= len(head) <= limit:
            return head
    if len(text) <= keep:
        return text
    words = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:–—-").split()
    while len(words) > 2 and words[-1].lower() in _DANGLING:
        words.pop()
    cut = " ".join(words)
    return cut if len(cut) >= 12 else text[:limit].rstrip()


def clip(text: str, limit: int = PLANNED_PREHEADER_MAX) -> str:
    """Cut `text` at a word boundary to at most `limit` characters, marking the cut with …."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"


def _normal(prose: str) -> str:
    return re.sub(r"^[>\-\s]+|\s+", " ", prose).strip()


def _opening(prose: str) -> str:
    """The first sentences of normalised `prose` up to PLANNED_PREHEADER_MIN characters, clipped."""
    text = ""
    for sentence in _SENTENCE.split(prose):
        text = f"{text} {sentence}".strip()
        if len(text) >= PLANNED_PREHEADER_MIN:
            break
    return clip(text)


def preheader(blocks: tuple[Block, ...], subject: str, fallback: str) -> str:
    """40–100 characters of the email's opening prose, cut at a word boundary."""
    prose = " ".join(b.text for b in blocks if b.kind in ("paragraph", "quote", "list")
                     and b.text).replace("\n", " ")
    # Only the opening is needed: a prefix gives the same result once its normalised text is
    # longer than PLANNED_PREHEADER_MAX (the sentences read are then whole, or clipped anyway).
    opening = _normal(prose[:_READ])
    if len(prose) > _READ and len(opening) <= PLANNED_PREHEADER_MAX:
        opening = _normal(prose)
    text = _opening(opening)
    if len(text) < 30 or text.casefold() == subject.casefold():
        text = fallback
    return text


def plan(article: Article) -> tuple[Part, ...]:
    """Split `article` into Parts with days, titles, subjects and preheaders."""
    s = article.settings
    try:
        groups = split(article.blocks, target=s.words_per_email, min_words=s.min_words,
                       max_words=s.max_words, count=s.emails)
    except CannotSplit as exc:
        raise ContentError(f"cannot make {s.emails} emails from this article: {exc}; ask for "
                           "fewer emails (--emails) or add '<!-- email -->' markers",
                           path=article.source) from exc
    if s.emails is None and len(groups) > MAX_EMAILS:
        raise ContentError(f"this article would make {len(groups)} emails, more than the "
                           f"{MAX_EMAILS} a sequence may have; split it into several articles "
                           "or raise words_per_email", path=article.source)
    when = days(len(groups), s.schedule, s.spacing)
    parts, section = [], article.title
    for n, blocks in enumerate(groups, 1):
        lead = n > 1 and blocks[0].kind == "heading"
        if n == 1:
            title = article.title
        elif lead:
            title = _heading_text(blocks[0])
        else:
            title = f"{section} (continued)"
        for b in blocks:
            if b.kind == "heading":
                section = _heading_text(b)
        subject = one_line(_override(s.subjects, n) or s.subject_prefix + shorten(
            title, SUBJECT_TARGET - len(s.subject_prefix)))
        fallback = f"Part {n} of {len(groups)}: {title}"
        pre = _override(s.preheaders, n) or preheader(blocks, subject, fallback)
        parts.append(Part(position=n, day=when[n - 1], title=title, subject=subject,
                          preheader=pre, blocks=blocks, lead_heading=lead))
    return tuple(parts)


def _heading_text(block: Block) -> str:
    """A heading as an email title: its first line, without controls or invisible marks."""
    return one_line(block.text.split("\n")[0]).strip()


def _override(values: tuple[str, ...], n: int) -> str:
    return (values[n - 1] or "") if len(values) >= n else ""


def size_warnings(article: Article, parts: tuple[Part, ...]) -> tuple[str, ...]:
    """Warnings for emails over max_words because one block alone is too long to cut."""
    s, out = article.settings, []
    for part in parts:
        words = sum(b.words for b in part.blocks)
        big = max(part.blocks, key=lambda b: b.words, default=None)
        if words > s.max_words and big is not None and big.words > s.max_words:
            out.append(f"{article.source}: email {part.position} has {words} words (max_words "
                       f"is {s.max_words}) because one {big.kind} has {big.words} words and is "
                       "never cut; break it up with blank lines or '<!-- email -->' markers")
    return tuple(out)

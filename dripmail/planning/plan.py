"""Plan a sequence: split the article, then give each email its day, title, subject, preheader."""

from __future__ import annotations

from dripmail import i18n
from dripmail.errors import ContentError
from dripmail.limits import MAX_EMAILS, RECAP_TOPIC_MAX
from dripmail.models import Article, Block, Part
from dripmail.planning.names import inline, proper_words, shorten
from dripmail.planning.preheader import clip, preheader
from dripmail.planning.split import CannotSplit, split
from dripmail.planning.subjects import name_emails
from dripmail.planning.words import for_language

__all__ = ["clip", "days", "plan", "preheader", "shorten", "size_warnings"]


def days(count: int, schedule: tuple[int, ...], spacing: int) -> list[int]:
    """Day offsets: the configured schedule (extended by `spacing`), else 0, s, 2s, ..."""
    out = list(schedule[:count]) or [0]
    while len(out) < count:
        out.append(out[-1] + spacing)
    return out


def plan(article: Article, catalog: i18n.Catalog | None = None) -> tuple[Part, ...]:
    """Split `article` into Parts with days, titles, subjects and preheaders (`catalog`: the
    theme's, with a project's own strings; else the shipped one of the article's language)."""
    s = article.settings
    words = for_language(s.language)
    no_prose = (catalog or i18n.catalog(s.language)).gettext(i18n.NO_PROSE)
    groups = _split(article)
    when = days(len(groups), s.schedule, s.spacing)
    names = name_emails(article, groups, words)
    proper = proper_words(article.blocks)
    parts = []
    for n, (blocks, name) in enumerate(zip(groups, names, strict=True), 1):
        fallback = no_prose % {"n": i18n.number(n, s.language), "subject": name.subject,
                               "total": i18n.number(len(groups), s.language)}
        pre = _override(s.preheaders, n) or preheader(blocks, name.subject, fallback, words,
                                                        proper)
        seen = name.subject.removeprefix(s.subject_prefix) or name.subject
        parts.append(Part(position=n, day=when[n - 1], title=name.title, subject=name.subject,
                          preheader=pre, blocks=blocks, lead_heading=name.lead,
                          topic=_topic(seen, proper, words)))
    return tuple(parts)


def _split(article: Article) -> list[tuple[Block, ...]]:
    """The article's blocks in groups, one per email; a clear error when it cannot be done."""
    s = article.settings
    try:
        groups = split(article.blocks, target=s.words_per_email, min_words=s.min_words,
                       max_words=s.max_words, count=s.emails)
    except CannotSplit as exc:
        can = f"{exc.low} to {exc.high}" if exc.low < exc.high else f"{exc.low}"
        raise ContentError(f"cannot make {s.emails} emails from this article: {exc}; ask for "
                           f"{can} (--emails or `emails`), or add or remove '<!-- email -->' "
                           "markers", path=article.source) from exc
    if s.emails is None and len(groups) > MAX_EMAILS:
        raise ContentError(f"this article would make {len(groups)} emails, more than the "
                           f"{MAX_EMAILS} a sequence may have; split it into several articles "
                           "or raise words_per_email", path=article.source)
    return groups


def _topic(subject: str, proper: frozenset[str], words) -> str:
    """The subject as a phrase inside the recap and teaser line; a longer one than two lines on
    a phone hold is cut at a word, with "…"."""
    return clip(inline(subject, proper), RECAP_TOPIC_MAX, words=words)


def _override(values: tuple[str, ...], n: int) -> str:
    return (values[n - 1] or "") if len(values) >= n else ""


# What to do about one block too long for an email, by the block's kind and the article's format.
_ADVICE = {
    "code": "split the listing into shorter ones with a sentence between them, or link to it "
            "instead",
    "table": "split the table into smaller tables, or link to it instead",
    ("paragraph", "html"): "split it into several <p> elements",
    ("list", "html"): "split it into several lists (<ul>/<ol>) with a sentence between them",
    ("quote", "html"): "split the quotation into several <p> elements inside its <blockquote>",
    "list": "give its items blank lines or split it into several lists",
    "quote": "split the quotation into paragraphs (a line with only '>' between them)",
    "paragraph": "break it up with blank lines",
}


def size_warnings(article: Article, parts: tuple[Part, ...]) -> tuple[str, ...]:
    """Warnings for emails over max_words because one block is too long to cut: the block
    (its kind, section and opening words) and advice for its format."""
    s, out = article.settings, []
    fmt = article.source.suffix.lstrip(".").lower()
    for part in parts:
        words = sum(b.words for b in part.blocks)
        big = max(part.blocks, key=lambda b: b.words, default=None)
        if words <= s.max_words or big is None or big.words <= s.max_words:
            continue
        advice = _ADVICE.get((big.kind, fmt)) or _ADVICE.get(big.kind) or \
            "split it, or add '<!-- email -->' markers"
        opening = clip(" ".join(big.text.split()), 40) if big.text.strip() else ""
        what = f"the {big.kind} {opening!r}" if opening else f"a {big.kind}"
        out.append(f"{article.source}: email {part.position} has {words} words (max_words is "
                   f"{s.max_words}) because {what} (in “{part.subject}”) has {big.words} "
                   f"words and cannot be cut; {advice}")
    return tuple(out)


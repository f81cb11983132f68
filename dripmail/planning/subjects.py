"""Each email's title and subject: unique in the sequence, named for what the email holds.

The first email is named for the article; an email that opens a section, for its heading. An
email that goes on with a section is named for its first subheading when that covers much of
it, else for the section with the email's own focus ("Locks: Mutex"). A generic heading
("Introduction", "Conclusion") gives way to the email's focus. When a subject is taken, the
next name that is free is used; front-matter `subjects:` are never changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dripmail.limits import SUBJECT_TARGET
from dripmail.models import Article, Block
from dripmail.planning.names import (
    Profile,
    clean,
    focus,
    heading,
    is_generic,
    key,
    profile,
    shorten,
)
from dripmail.planning.preheader import first_sentence
from dripmail.planning.words import Words
from dripmail.safetext import one_line

SUBHEADING_SHARE = 0.4  # a continuing email is named for its first subheading from this share
_FOCUS_TRIES = 6  # focus phrases tried per email before the other names


@dataclass(frozen=True, slots=True)
class Name:
    """An email's title (its heading, whole) and subject (shortened, with the prefix)."""

    title: str
    subject: str
    lead: bool  # the email's first block is the heading its title repeats


def name_emails(article: Article, groups: Sequence[Sequence[Block]], words: Words
                ) -> list[Name]:
    """A title and a unique subject for each group of blocks (overrides kept as they are)."""
    s = article.settings
    fixed = [one_line(s.subjects[n]) if n < len(s.subjects) and s.subjects[n] else ""
             for n in range(len(groups))]
    taken = {key(f) for f in fixed if f}
    profiles = _Profiles(groups, words)
    names: list[Name] = []
    path: list[tuple[int, str]] = []  # the headings (level, text) open where an email starts
    for n, blocks in enumerate(groups):
        email = _Email(n, blocks, tuple(path), profiles)
        title = _pick(_candidates(email, article, words), fixed[n], taken, s.subject_prefix,
                      words, fallback=_section_or_title(email, article, words))
        subject = fixed[n] or _subject(title, s.subject_prefix, words)
        taken.add(key(subject))
        lead = n > 0 and blocks[0].kind == "heading" and heading(blocks[0]) == title
        names.append(Name(title, subject, lead))
        for b in blocks:
            if b.kind == "heading" and heading(b):
                path = [(level, h) for level, h in path if level < b.level] + [
                    (b.level, heading(b))]
    return names


class _Profiles:
    """The phrases of every email, worked out the first time an email needs them (most
    emails are named for a heading before any phrase is looked at)."""

    def __init__(self, groups: Sequence[Sequence[Block]], words: Words) -> None:
        self._groups, self._words = groups, words
        self._all: list[Profile] | None = None

    def split(self, n: int) -> tuple[Profile, list[Profile]]:
        """Email n's profile and the other emails'."""
        if self._all is None:
            self._all = [profile(g, self._words) for g in self._groups]
        return self._all[n], self._all[:n] + self._all[n + 1:]


@dataclass(frozen=True, slots=True)
class _Email:
    """One email to name: its place, blocks, the sections open where it starts, its phrases."""

    n: int  # 0-based
    blocks: Sequence[Block]
    path: tuple[tuple[int, str], ...]  # (level, heading), the outermost first
    profiles: _Profiles

    @property
    def section(self) -> str:
        return self.path[-1][1] if self.path else ""

    def parent(self, level: int) -> str:
        """The heading of the section around one of this level, where the email starts."""
        return next((h for lv, h in reversed(self.path) if lv < level), "")


def _subject(title: str, prefix: str, words: Words) -> str:
    return prefix + shorten(title, SUBJECT_TARGET - len(prefix), words=words)


def _pick(candidates: Iterator[str], fixed: str, taken: set[str], prefix: str,
          words: Words, fallback: str = "") -> str:
    """The first candidate whose subject is free (any, when the subject is given); else the
    first one numbered. With none (an email of only table rows or list items), `fallback`:
    "Price list", then "Price list (2)"."""
    seen: list[str] = []
    for title in candidates:
        if not title or title in seen:
            continue
        if fixed or key(_subject(title, prefix, words)) not in taken:
            return title
        seen.append(title)
    if not seen and fallback:
        if key(_subject(fallback, prefix, words)) not in taken:
            return fallback
        seen.append(fallback)
    base = shorten(seen[0] if seen else "…", SUBJECT_TARGET - len(prefix) - 6, words=words)
    number = 2
    while key(_subject(f"{base} ({number})", prefix, words)) in taken:
        number += 1  # (only emails with no words of their own, or very many forced, get here)
    return f"{base} ({number})"


def _section_or_title(email: _Email, article: Article, words: Words) -> str:
    """The section the email goes on with (unless generic), else the article's title."""
    section = email.section
    return section if section and not is_generic(section, words) else clean(article.title)


def _candidates(email: _Email, article: Article, words: Words) -> Iterator[str]:
    """Names for an email, best first."""
    blocks, title = email.blocks, clean(article.title)
    heads = [(k, heading(b)) for k, b in enumerate(blocks) if b.kind == "heading"]
    own = [(k, h) for k, h in heads if h and not is_generic(h, words)]
    opens = bool(heads) and heads[0][0] == 0
    if email.n == 0:
        base = title or (own[0][1] if own else "")
        yield base
    elif opens and own and own[0][0] == 0:
        base = own[0][1]
        yield base  # the email opens a section
        parent = email.parent(blocks[0].level)
        if parent and not is_generic(parent, words):
            yield _join(parent, base, words)  # the same heading in another section
    elif opens:
        base = title  # it opens a section with a generic heading
    else:
        base = _section_or_title(email, article, words)
        if own and _share(blocks, own[0][0]) >= SUBHEADING_SHARE:
            yield own[0][1]  # its first subheading covers much of it
    mine, others = email.profiles.split(email.n)
    for phrase in focus(mine, others, known=base)[:_FOCUS_TRIES]:
        yield _join(base, phrase, words)
    for _k, h in own:
        yield h
        yield _join(base, h, words)
    opening = first_sentence(blocks, words)
    if opening:
        yield _join(base, shorten(opening, 30, keep=30, words=words), words)


def _share(blocks: Sequence[Block], k: int) -> float:
    total = sum(b.words for b in blocks) or 1
    return sum(b.words for b in blocks[k:]) / total


def _join(base: str, phrase: str, words: Words) -> str:
    """"Base: phrase", for the base its first non-generic part before a colon, whole; the
    phrase alone (capitalised) when that has no room in a subject."""
    phrase = phrase.strip()
    parts = [p for p in base.split(": ") if p.strip() and not is_generic(p, words)]
    head = parts[0].strip() if parts else ""
    if key(phrase).startswith(key(head)) or not head:
        return phrase[:1].upper() + phrase[1:]
    if len(head) + 2 + len(phrase) <= SUBJECT_TARGET:
        return f"{head[:1].upper()}{head[1:]}: {phrase}"
    return phrase[:1].upper() + phrase[1:]

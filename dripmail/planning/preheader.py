"""Preheaders: 40 to 100 characters of clean prose from the opening of an email.

Sentences are read from the email's paragraphs, quotes and list items in order (table cells
when there is nothing else), as a reader sees them: link text without its address. A sentence
is left out when it does not read as prose, or carries a URL, code or markup, an underline or
page navigation, or opens with the subject or a heading of the email; list and quote markers,
and a heading run into its text, are taken off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import lxml.html

from dripmail.limits import PLANNED_PREHEADER_MAX, PLANNED_PREHEADER_MIN
from dripmail.models import Block
from dripmail.planning.names import heading, inline, key, prose_text
from dripmail.planning.words import Words, for_language

_SENTENCE = re.compile(r"(?<=[.!?…])[”\"’)]?\s+(?=[\"“‘'(¿¡]?[A-ZÀ-ÖØ-Þ0-9])")
_MARKER = re.compile(r"^\s*(?:[-*•◦▪‣–+>]\s+|\d{1,3}[.)]\s+|[a-z][.)]\s+|>\s*)+")
_URL = re.compile(r"https?://|www\.\w|\w@\w+\.\w", re.I)
_CODE = re.compile(r"[`{}<>\\|$¶]|\w_\w|(?<!\w)_\w|_\w+_|\*\w|\w\*|->|=>|::|\w\(\)|\(\)|\[\w*\]\(|"
                   r"={2,}|-{3,}|_{3,}|~{3,}|\*{2,}|^\W+$|^//|/\*|\b[0-9a-f]{12,}\b|\w\(|;$|\w;\s")
_SPACE = re.compile(r"\s+")
_PROSE_WORD = re.compile(r"[\"'“‘(¿¡«»]*[^\W\d_][\w’'-]*[.,;:!?…)\"'”’»]*")
_PATH = re.compile(r"\w[/.:]\w+[/.:]\w")  # linux-2.6.12.tar.gz, /usr/local/bin, a:b:c
_READ = 8 * PLANNED_PREHEADER_MAX  # characters of a block a preheader reads at most


def clip(text: str, limit: int = PLANNED_PREHEADER_MAX, words: Words | None = None) -> str:
    """Cut `text` at a word boundary to at most `limit` characters with the ellipsis, never
    after a dangling function word, marking the cut with …."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    dangling = (words or for_language("en")).dangling
    kept = text[:limit].rsplit(" ", 1)[0].split()
    while len(kept) > 1 and (kept[-1].casefold().strip(",;:") in dangling
                             or not kept[-1].rstrip(",;:–—-")):
        kept.pop()
    return " ".join(kept).rstrip(",;:–—-") + "…"


def preheader(blocks: Sequence[Block], subject: str, fallback: str,
              words: Words | None = None, proper: frozenset[str] = frozenset()) -> str:
    """40–100 characters of the email's opening prose, cut at a sentence or word boundary;
    `fallback` when the email has no prose to take it from."""
    words = words or for_language("en")
    headings = [key(b.text.split("\n")[0]) for b in blocks if b.kind == "heading"]
    text, first = "", -1
    for avoid in ([key(subject), *headings], [key(subject)]):
        text, first = _opening(blocks, avoid, words)
        text = clip(_ending(text), words=words)
        if len(text) >= PLANNED_PREHEADER_MIN and key(text) != key(subject):
            return text
    if text and first >= 0:  # too little prose: say what it is about, from its heading
        above = [b for b in blocks[:first] if b.kind == "heading"]
        about = inline(heading(above[-1]), proper) if above else inline(subject, proper)
        text = clip(f"{text.rstrip(':…')}: {about}" if about else text, words=words)
        if len(text) >= PLANNED_PREHEADER_MIN and not _CODE.search(text):
            return text
    return fallback


def first_sentence(blocks: Sequence[Block], words: Words) -> str:
    """The email's first sentence of clean prose ("" if it has none)."""
    for b in blocks:
        if b.kind in ("paragraph", "quote", "list"):
            for sentence in _clean_sentences(_sentences(b), [], words):
                return sentence
    return ""


def _ending(text: str) -> str:
    """A preheader ending in ":" (it introduced a list or code) ends in "…" instead."""
    return text[:-1].rstrip() + "…" if text.endswith(":") else text


def _opening(blocks: Sequence[Block], avoid: list[str], words: Words) -> tuple[str, int]:
    """Clean sentences from the start of the email's prose (paragraphs, quotes, list items;
    table cells when there is nothing else) until there are PLANNED_PREHEADER_MIN characters;
    the index of the block of the first one (-1: none)."""
    text, first = "", -1
    for kinds in (("paragraph", "quote", "list"), ("table",)):
        for k, b in enumerate(blocks):
            if b.kind not in kinds:
                continue
            for sentence in _clean_sentences(_sentences(b), avoid, words):
                text = f"{text} {sentence}".strip()
                first = k if first < 0 else first
                if len(text) >= PLANNED_PREHEADER_MIN:
                    return text, first
    return text, first


def _sentences(block: Block) -> Iterator[str]:
    """The sentences of a block, in order (list items and cells apart)."""
    for piece in _pieces(block):
        yield from _SENTENCE.split(piece)


def _pieces(block: Block) -> list[str]:
    """A block's text as a reader sees it, one piece per list item or table cell."""
    if block.kind not in ("list", "table"):
        return [prose_text(block)[:_READ]]
    el = lxml.html.fragment_fromstring(block.html)
    cells = el.iter("li", "dd", "td") if block.kind == "list" or el.tag != "table" else \
        el.iter("td")
    return [" ".join(" ".join(c.itertext()).split())[:_READ] for c in cells]


def _prose(text: str) -> bool:
    """Whether a sentence reads as prose: three words or more, nearly all of them words (or a
    short sentence of words only: "Yes.")."""
    tokens = text.split()
    wordy = sum(bool(_PROSE_WORD.fullmatch(t)) for t in tokens)
    whole = wordy == len(tokens) and text.endswith((".", "!", "?", "…"))
    return (len(tokens) >= 3 and wordy >= 0.75 * len(tokens) or whole) \
        and not _PATH.search(text)


def _clean_sentences(sentences: Iterator[str], avoid: list[str], words: Words
                     ) -> Iterator[str]:
    """The sentences that read as clean prose, markers taken off; a heading run into its
    text ("Step 6: Wash it The screen ...") taken off too; one that opens with a text to
    avoid (the subject, a heading) left out."""
    for sentence in sentences:
        text = _SPACE.sub(" ", _MARKER.sub("", sentence)).strip()
        for a in avoid:
            text = _unglued(text, a)
        if not _prose(text) or _URL.search(text) or _CODE.search(text):
            continue
        folded = key(text)
        if any(a and folded.startswith(a) and not folded[len(a):len(a) + 1].isalnum()
               for a in avoid):  # at a word's end: "Rust" does not avoid "Rusty old tools"
            continue
        if folded.rstrip(":.!? ") in words.navigation:
            continue
        yield text


def _unglued(text: str, heading: str) -> str:
    """`text` without `heading` at its start when a new sentence follows it (a capital)."""
    size = len(heading.split())
    tokens = text.split()
    if size and key(" ".join(tokens[:size])) == heading and len(tokens) > size \
            and tokens[size][:1].isupper():
        return " ".join(tokens[size:])
    return text

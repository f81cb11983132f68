"""Plain-text part rules: present, wrapped, clean, and carrying the same words as the HTML."""

from __future__ import annotations

import re
from collections import Counter

from dripmail import limits
from dripmail.checks.dom import MERGE_TAG, URL, visible_text, words
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule

WIDTH = limits.WIDTH  # RFC 5322 SHOULD
HARD_WIDTH = 998  # RFC 5322 MUST
FILLER = re.compile(r"[\u200b\u200c\u200d\u034f\ufeff\u2007\u00ad]|\u00a0{2,}|&nbsp;|&zwnj;|&#\d+;")
FILLER_NAMES = {"\u200b": "U+200B", "\u200c": "U+200C", "\u200d": "U+200D", "\u034f": "U+034F",
                "\ufeff": "U+FEFF", "\u2007": "U+2007", "\u00ad": "U+00AD"}
OVERLAP_MIN = 0.8
TAG_WIDTH = 12  # a word holding merge tags (e.g. a first name with its fallback) once sent


@rule("text-present", "error", "plain text", "every email has a plain-text part")
def text_present(doc: EmailDoc):
    """Spam filters and text-only readers expect multipart/alternative."""
    if doc.text is None or not doc.text.strip():
        yield ("error", "the plain-text part is missing or empty",
               "build again with dripmail (it writes a .txt next to each .html)")


def width(line: str) -> int:
    """Columns of a line as sent: a word holding merge tags counts as TAG_WIDTH characters.

    A word is a run of merge tags (spaces inside them included) and other non-space characters.
    """
    tags = {m.start(): m.end() for m in MERGE_TAG.finditer(line)}
    if not tags:  # the common case
        return len(line)
    columns, i, n = 0, 0, len(line)
    while i < n:
        if line[i].isspace():
            columns, i = columns + 1, i + 1
            continue
        start, tagged = i, False
        while i < n and (i in tags or not line[i].isspace()):
            tagged, i = (True, tags[i]) if i in tags else (tagged, i + 1)
        columns += TAG_WIDTH if tagged else i - start
    return columns


def _excused(line: str) -> bool:
    """A long line is fine when it is a URL with at most a short marker around it."""
    return bool(URL.search(line)) and len(URL.sub("", line).strip()) <= 12


@rule("text-line-length", "warning", "plain text", "plain-text lines ≤ 78 columns (URLs excepted)")
def text_line_length(doc: EmailDoc):
    """Long lines get re-wrapped badly by mail clients. Merge tags are measured as sent."""
    if not doc.text:
        return
    long_lines = [(n, line) for n, line in enumerate(doc.text.splitlines(), 1)
                  if width(line) > WIDTH and not _excused(line)]
    fix = "wrap the plain text at 78 columns; put long URLs on their own line"
    too_long = [n for n, line in long_lines if len(line) > HARD_WIDTH]
    if too_long:
        yield ("error", f"line {too_long[0]} of the plain text is over {HARD_WIDTH} characters "
               "(RFC 5322 limit)", fix)
    elif long_lines:
        n, line = long_lines[0]
        more = f" ({len(long_lines)} lines in all)" if len(long_lines) > 1 else ""
        yield "warning", f"line {n} of the plain text has {width(line)} columns{more}", fix


@rule("text-filler", "error", "plain text", "no preheader filler or HTML entities in plain text")
def text_filler(doc: EmailDoc):
    """Invisible filler characters show up as garbage in text-only clients."""
    if not doc.text or not FILLER.search(doc.text):
        return
    for n, line in enumerate(doc.text.splitlines(), 1):
        found = FILLER.search(line)
        if found:
            what = found.group()
            name = FILLER_NAMES.get(what, "runs of U+00A0" if "\u00a0" in what else what)
            yield ("error", f"line {n} of the plain text contains filler {name}",
                   "build the plain text from the content, not from the HTML with its preheader")
            return


def overlap(html_words: list[str], text_words: list[str]) -> float:
    """Shared words as a share of the longer side (1.0 = the same words)."""
    if not html_words and not text_words:
        return 1.0
    h, t = Counter(html_words), Counter(text_words)
    return sum((h & t).values()) / max(sum(h.values()), sum(t.values()))


@rule("text-matches-html", "warning", "plain text", "plain text has the HTML's words (≥ 0.8)")
def text_matches(doc: EmailDoc):
    """Some spam filters compare the two parts; text-only readers deserve the same content."""
    if not doc.text:
        return
    score = overlap(words(visible_text(doc.tree)), words(doc.text))
    if score < OVERLAP_MIN:
        yield ("warning", f"the plain text shares only {score:.0%} of its words with the HTML "
               f"(want ≥ {OVERLAP_MIN:.0%})",
               "render the plain text from the same content as the HTML")

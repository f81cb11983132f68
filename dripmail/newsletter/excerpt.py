"""Excerpts of an article: its opening prose cut at a sentence or paragraph end, its first
image, and its headings moved down a level for a digest."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import lxml.html

from dripmail.models import Block
from dripmail.reading.blocktext import block_text

IMAGE_WIDTH = 536  # the 600 px card minus its padding
_PROSE = {"paragraph", "list", "quote"}
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "mx", "prof", "st", "vs", "etc", "e.g", "i.e", "jr",
                  "sr", "no", "fig", "cf", "approx", "inc", "ltd", "co"}
# (a run of marks is tried from its first mark only; group 1 is the next sentence's first letter)
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"”’')\]]*(?=\s+(\S))")


def _word_before(text: str, end: int) -> str:
    """The last word of text[:end] (as str.split() cuts words), without copying the text."""
    while end and text[end - 1].isspace():
        end -= 1
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end in `text` (abbreviations and initials skipped)."""
    ends = []
    for m in _SENTENCE_END.finditer(text):
        following = m.group(1)
        word = _word_before(text, m.start()).lower().lstrip("(\"“‘'")
        if following.islower():
            continue
        if text[m.start()] == "." and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        ends.append(m.end())
    return ends


def _truncate(el: lxml.html.HtmlElement, limit: int) -> None:
    """Keep the first `limit` characters of `el`'s text (inline markup kept), drop the rest."""
    left = limit

    def cut(node: lxml.html.HtmlElement) -> bool:
        nonlocal left
        if node.text and len(node.text) >= left:
            node.text = node.text[:left]
            for child in list(node):
                node.remove(child)
            return True
        left -= len(node.text or "")
        children = list(node)
        for i, child in enumerate(children):
            if cut(child):
                child.tail = None
            elif child.tail and len(child.tail) >= left:
                child.tail = child.tail[:left]
            else:
                left -= len(child.tail or "")
                continue
            for later in children[i + 1:]:
                node.remove(later)  # lxml removes an element together with its tail
            return True
        return False

    cut(el)


def element(block: Block) -> lxml.html.HtmlElement:
    """The block's HTML as an element."""
    return lxml.html.fragment_fromstring(block.html)


def from_element(el: lxml.html.HtmlElement, kind: str, level: int = 0) -> Block:
    """A Block from an element: its HTML, plain text and word count."""
    return Block(kind=kind, html=lxml.html.tostring(el, encoding="unicode", with_tail=False),
                 text=block_text(el), words=len(el.text_content().split()), level=level)


def cut_paragraph(block: Block, budget: int, *, force: bool) -> Block | None:
    """The paragraph's longest run of whole sentences within `budget` words.

    With `force`, at least the first sentence (or the whole paragraph if it has no sentence
    end); otherwise None when not even one sentence fits.
    """
    el = element(block)
    text = el.text_content()
    starts = [m.start() for m in re.finditer(r"\S+", text)]  # words before `end`: bisect
    fits = [end for end in sentence_ends(text) if bisect_left(starts, end) <= budget]
    if fits:
        end = fits[-1]
    elif force:
        end = next(iter(sentence_ends(text)), len(text))
    else:
        return None
    _truncate(el, end)
    return from_element(el, "paragraph")


def _without_images(block: Block) -> Block:
    if "<img" not in block.html:
        return block
    el = element(block)
    for img in el.findall(".//img"):
        img.drop_tree()
    return from_element(el, block.kind)


def excerpt(blocks: Sequence[Block], limit: int) -> tuple[Block, ...]:
    """The article's opening prose, at most `limit` words, cut at a sentence or paragraph end.

    Headings, images, code and tables are left out. At least the first sentence is kept.
    """
    out: list[Block] = []
    count = 0
    for block in blocks:
        if block.kind not in _PROSE or not block.words:
            continue
        block = _without_images(block)
        if count + block.words <= limit:
            out.append(block)
            count += block.words
            continue
        if block.kind == "paragraph":
            cut = cut_paragraph(block, limit - count, force=not out)
            if cut is not None:
                out.append(cut)
        elif not out:
            out.append(block)
        break
    return tuple(out)


def first_image(blocks: Sequence[Block]) -> dict[str, Any] | None:
    """src, alt and width of the first image in the article, if any."""
    for block in blocks:
        if "<img" in block.html:
            img = lxml.html.fragment_fromstring(block.html, create_parent="div").find(".//img")
            if img is not None and img.get("src"):
                width = img.get("width", "")
                width = int(width) if width.isdigit() and 0 < int(width) < IMAGE_WIDTH \
                    else IMAGE_WIDTH
                return {"src": img.get("src"), "alt": img.get("alt") or "", "width": width}
    return None


def shift_headings(blocks: Sequence[Block], by: int) -> tuple[Block, ...]:
    """Blocks with every heading `by` levels deeper (and the cut markers dropped)."""
    out = []
    for block in blocks:
        if block.kind == "break":
            continue
        if block.kind == "heading" and by:
            el = element(block)
            el.tag = f"h{min(block.level + by, 6)}"
            block = from_element(el, "heading", min(block.level + by, 6))
        out.append(block)
    return tuple(out)

"""Cut a long list, table or quote into pieces the splitter may put in different emails.

A list is cut between its items, a table between its body rows (each later piece repeats the
header row), a quote between its paragraphs. Each piece is a valid element of its own: an
`<ol>` piece starts at its first item's number. After splitting, the pieces of one block that
land in the same email are joined back into one block (:func:`join`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import lxml.html

from dripmail.models import Block
from dripmail.reading.blocktext import block_text

_CUTTABLE = {"ul", "ol", "dl", "table", "blockquote"}


@dataclass(frozen=True, slots=True)
class _Cut:
    """A block's element parsed once, with its items and header rows (for every piece)."""

    el: lxml.html.HtmlElement
    items: list[list[lxml.html.HtmlElement]]
    header: list[lxml.html.HtmlElement]


@dataclass(frozen=True, slots=True)
class Piece:
    """A block, or a run of the items of one block (`origin`, items `start` to `stop`)."""

    block: Block
    origin: Block | None = None  # the block it was cut from (None: a whole block)
    start: int = 0
    stop: int = 0
    cut: _Cut | None = field(default=None, compare=False, repr=False)  # the origin, parsed


def pieces(block: Block, max_words: int) -> list[Piece]:
    """`block` as one piece, or cut into its items when it is over `max_words` and has some."""
    if block.words <= max_words or block.kind not in ("list", "table", "quote"):
        return [Piece(block)]
    el = lxml.html.fragment_fromstring(block.html)
    if el.tag not in _CUTTABLE:
        return [Piece(block)]
    header = _header(el) if el.tag == "table" else []
    cut = _Cut(el, _items(el, header), header)
    if len(cut.items) < 2:
        return [Piece(block)]
    return [Piece(_make(block, cut, k, k + 1), block, k, k + 1, cut)
            for k in range(len(cut.items))]


def join(run: list[Piece]) -> Block:
    """One block from consecutive pieces of one origin (or the one whole block)."""
    first = run[0]
    if first.origin is None or first.cut is None:
        return first.block
    if first.start == 0 and run[-1].stop == len(first.cut.items):
        return first.origin  # every item in one email: the block as it was
    return _make(first.origin, first.cut, first.start, run[-1].stop)


def _items(el: lxml.html.HtmlElement, header: list[lxml.html.HtmlElement]
           ) -> list[list[lxml.html.HtmlElement]]:
    """The element's cuttable items, each a list of its child elements (a `dl` item is a
    term with its descriptions; a table item is one of its rows not in `header`)."""
    if el.tag in ("ul", "ol"):
        return [[li] for li in el if li.tag == "li"]
    if el.tag == "blockquote":
        return [[c] for c in el if isinstance(c.tag, str)]
    if el.tag == "dl":
        out: list[list[lxml.html.HtmlElement]] = []
        for c in el:
            if c.tag == "dt" and (not out or out[-1][-1].tag != "dt"):
                out.append([c])
            elif isinstance(c.tag, str) and out:
                out[-1].append(c)
            elif isinstance(c.tag, str):
                out.append([c])
        return out
    heads = {id(tr) for tr in header}  # (the elements of `header` are alive: ids hold)
    return [[tr] for tr in _rows(el) if id(tr) not in heads]


def _header(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's header rows: its `<thead>`, else a first row of only `<th>` cells."""
    head = table.find("thead")
    if head is not None:
        return [tr for tr in head if tr.tag == "tr"]
    rows = _rows(table)
    if rows and all(c.tag == "th" for c in rows[0] if isinstance(c.tag, str)):
        return rows[:1]
    return []


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows, in order (not those of a table nested in a cell)."""
    return [tr for child in table
            for tr in ([child] if child.tag == "tr" else
                       child if child.tag in ("thead", "tbody", "tfoot") else [])
            if tr.tag == "tr"]


def _make(origin: Block, cut: _Cut, start: int, stop: int) -> Block:
    """A block of items start..stop of the cut element (copies: the element is left as it
    was)."""
    el = cut.el
    if el.tag == "table":
        new, repeated = _table_part(cut, start, stop)
    else:
        new = lxml.html.Element(el.tag, dict(el.attrib))
        new.text = el.text if start == 0 else None
        for item in cut.items[start:stop]:
            for child in item:
                new.append(copy.deepcopy(child))
        if el.tag == "ol" and start:
            new.set("start", str(int(el.get("start", "1") or 1) + start))
        repeated = 0
    html = lxml.html.tostring(new, encoding="unicode", with_tail=False)
    return Block(kind=origin.kind, html=html, text=block_text(new),
                 words=_words(new) - repeated, level=origin.level)


def _table_part(cut: _Cut, start: int, stop: int) -> tuple[lxml.html.HtmlElement, int]:
    """Rows start..stop of a table under a copy of its header rows; the words of a repeated
    header (they were counted in the first piece)."""
    table = cut.el
    new = lxml.html.Element("table", dict(table.attrib))
    caption = table.find("caption")
    if caption is not None and start == 0:
        new.append(copy.deepcopy(caption))
    repeated = 0
    if cut.header:
        head = _sub(new, "thead")
        for tr in cut.header:
            head.append(copy.deepcopy(tr))
        if start:
            repeated = sum(_words(tr) for tr in cut.header)
    body = _sub(new, "tbody")
    for item in cut.items[start:stop]:
        for tr in item:
            body.append(copy.deepcopy(tr))
    return new, repeated


def _words(el: lxml.html.HtmlElement) -> int:
    """Words of an element (cells and items apart even without spaces between them)."""
    return len(" ".join(el.itertext()).split())


def _sub(parent: lxml.html.HtmlElement, tag: str) -> lxml.html.HtmlElement:
    child = lxml.html.Element(tag)
    parent.append(child)
    return child

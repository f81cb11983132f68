"""The article's markup fitted into an email: headings renumbered under the email's own heading,
every article table told whether it holds data or only lays things out, lists of points marked
as such, and HTML5 elements that Outlook and Yahoo Mail do not know (figure, mark, abbr …) made
into ones every client knows, with a class the theme styles.

An email shows the article's sections under its own `<h1>` (or, in a digest, under an article's
`<h2>`): whatever levels the writer used, the email's outline must go down one level at a time
(screen readers list headings by level; a skipped level hides structure). Tables written in an
article are data unless they only hold blocks side by side (a code listing beside its line
numbers), and say so with `role`, so that no reader, client or check takes one for the other.

The HTML is the sanitiser's output, where text never holds a raw `<`: each `<…>` is a tag, and
a quoted attribute value cannot end one early.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import lxml.html

_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)
_LAYOUT_CELL = ("pre", "div", "p", "table", "ul", "ol", "img", "figure", "blockquote")


def levels(previous: int, found: Sequence[int]) -> list[int]:
    """New levels for headings of levels `found` (in document order) under a heading of level
    `previous`: the article's levels keep their order of rank, none is more than one below the
    heading before it, and none is above `previous + 1` or below h6."""
    rank = {level: n for n, level in enumerate(sorted(set(found)))}
    out, before = [], previous
    for level in found:
        before = min(previous + 1 + rank[level], before + 1, 6)
        out.append(before)
    return out


def _headings(html: str) -> list[int]:
    """The levels of the opening heading tags in `html`, in order."""
    return [int(m.group(2)) for t in _TAG.finditer(html)
            if (m := _HEADING.match(t.group())) and not m.group(1)]


def _renumber(html: str, new: Iterable[int]) -> str:
    """`html` with its heading tags given the levels `new`, in order (end tags follow)."""
    todo, open_levels = iter(new), []

    def swap(tag: re.Match[str]) -> str:
        m = _HEADING.match(tag.group())
        if m is None:
            return tag.group()
        if m.group(1):
            level = open_levels.pop() if open_levels else int(m.group(2))
            return f"</h{level}" + tag.group()[m.end():]
        open_levels.append(next(todo))
        return f"<h{open_levels[-1]}" + tag.group()[m.end():]

    return _TAG.sub(swap, html)


def fit_headings(pieces: Sequence[str], under: int = 1) -> list[str]:
    """The HTML `pieces` (in document order) with their headings renumbered under a heading of
    level `under` (see :func:`levels`)."""
    found = [_headings(p) if "<h" in p or "<H" in p else [] for p in pieces]
    new = iter(levels(under, [level for each in found for level in each]))
    return [_renumber(p, [next(new) for _ in each]) if each else p
            for p, each in zip(pieces, found, strict=True)]


def is_layout(table: lxml.html.HtmlElement) -> bool:
    """Whether an article's table only lays blocks side by side: no header cell or caption, and
    one row, or cells holding blocks (a listing beside its line numbers)."""
    if table.xpath(".//th|.//caption|.//thead"):
        return False
    rows = table.xpath(".//tr")
    return len(rows) <= 1 or bool(table.xpath(
        ".//td/*[" + " or ".join(f"self::{tag}" for tag in _LAYOUT_CELL) + "]"))


# HTML5 elements unknown to Outlook for Windows and Yahoo Mail (caniemail `html-semantics`,
# `html-abbr`) -> (the element every client knows, the class the theme styles it by).
EMAIL_SAFE = {"figure": ("div", "figure"), "figcaption": ("p", "figcaption"),
              "mark": ("span", "mark"), "abbr": ("span", "abbr"), "time": ("span", "time"),
              **{tag: ("div", tag) for tag in ("article", "section", "aside", "header", "footer",
                                               "nav", "main", "details", "summary")}}
_NEEDS_PARSE = ("<table", *(f"<{tag}" for tag in EMAIL_SAFE))


def _add_class(el: lxml.html.HtmlElement, name: str) -> None:
    el.set("class", " ".join([*(el.get("class") or "").split(), name]))


def mark_blocks(html: str) -> str:
    """`html` made ready for the theme: each table without a `role` given one (`table` and the
    class `data` for data, `presentation` and the class `layout` for layout) and put in a
    `scroll` box, each list of points (items of paragraphs: a title and its explanation) the class
    `points`, and the elements of :data:`EMAIL_SAFE` swapped for ones every client knows."""
    points = "<li" in html and "<p" in html
    if not points and not any(marker in html for marker in _NEEDS_PARSE):
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for table in list(root.iter("table")):
        if not table.get("role"):
            _mark_table(table)
    for items in root.iter("ul", "ol"):
        if items.xpath("./li/p"):
            _add_class(items, "points")
    for el in list(root.iter(*EMAIL_SAFE)):
        el.tag, name = EMAIL_SAFE[el.tag]
        _add_class(el, name)
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode")
                                       for child in root)


def _mark_table(table: lxml.html.HtmlElement) -> None:
    """Give an article table its role and class, in a box that scrolls sideways on a narrow
    screen instead of widening the email."""
    layout = is_layout(table)
    table.set("role", "presentation" if layout else "table")
    _add_class(table, "layout" if layout else "data")
    box = lxml.html.Element("div", {"class": "scroll"})
    table.addprevious(box)
    box.tail, table.tail = table.tail, None
    box.append(table)

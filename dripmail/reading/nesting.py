"""A hard bound on how deeply an article's content nests (lists, quotes, containers, markup).

NESTING_LIMIT is 32 levels. No real article comes near it: lists and quotes rarely go past 4 levels,
the wrappers of an exported page (article > div > section > div > p > span > em) add a handful,
and the theme indents each list level by 24 px, so the 552 px of text in a 600 px email are gone
by the 23rd. Past the bound the readers go wrong: Python-Markdown recurses about 3 frames per
list level (a RecursionError near 300) and is quadratic on nested <div markdown="1">, the html5
parser in nh3 is quadratic in the depth, lxml silently drops everything below 255 levels, and
every tree walk costs depth × size. Within it, every walk over an article is linear in its size.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

import lxml.html

from dripmail.errors import ContentError
from dripmail.limits import NESTING_LIMIT
from dripmail.models import Source
from dripmail.reading.from_html import article_root
from dripmail.reading.htmlparser import PARSER, without_xml_declaration

# Elements that only structure their parent add no level: a list's items, a table's rows.
_PARTS = frozenset({"li", "dt", "dd", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                    "figcaption"})
_FENCE = re.compile(r"(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_TAG = re.compile(r"<(/?)(div|section|article|aside|main|blockquote|ul|ol|dl|table|figure"
                        r"|details|header|footer|nav|center)\b[^<>]*>", re.IGNORECASE)


class NestingError(ContentError):
    """The article nests deeper than NESTING_LIMIT."""

    def __init__(self, source: Source, depth: int | None, line: int | None) -> None:
        levels = f"{depth} levels" if depth else f"more than {NESTING_LIMIT} levels"
        super().__init__(f"the article nests lists/quotes {levels} deep (the limit is "
                         f"{NESTING_LIMIT}); flatten it", path=source.path,
                         line=line or source.body_line)


def levels(roots: Iterable[object]) -> Iterator[tuple[lxml.html.HtmlElement, int]]:
    """Every element under `roots` (document order) with its nesting level (no recursion)."""
    stack = [(root, 0) for root in reversed(list(roots))]
    while stack:
        el, above = stack.pop()
        if not isinstance(getattr(el, "tag", None), str):
            continue  # text, comments, processing instructions
        level = above + (el.tag not in _PARTS)
        yield el, level
        stack.extend((child, level) for child in reversed(el))


def check_tree(roots: Iterable[object], source: Source) -> None:
    """Raise NestingError when the parsed article content nests deeper than NESTING_LIMIT."""
    depth = max((level for _el, level in levels(roots)), default=0)
    if depth > NESTING_LIMIT:
        raise NestingError(source, depth, source_line(source))


def check_markdown(source: Source) -> None:
    """Refuse a Markdown article whose lists, quotes and HTML blocks nest deeper than NESTING_LIMIT,
    before Python-Markdown (which recurses per level) reads it."""
    depth, line = _deepest(_markdown_levels(source.body))
    if depth > NESTING_LIMIT:
        raise NestingError(source, depth, source.body_line + line)


def _deepest(found: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """(greatest level, where it first went over NESTING_LIMIT, else where the greatest is)."""
    depth, at, over = 0, 0, None
    for where, level in found:
        if level > depth:
            depth, at = level, where
        if over is None and level > NESTING_LIMIT:
            over = where
    return depth, at if over is None else over


def _markdown_levels(text: str) -> Iterator[tuple[int, int]]:
    """(line index, estimated level) of each Markdown line: one per quote marker, one per four
    columns of indent, one for a list marker, one per raw HTML block element still open (such
    as <div markdown="1">, which Python-Markdown reads recursively). Fenced code is skipped."""
    fence, html = "", Counter[str]()
    for index, line in enumerate(text.split("\n")):
        prefix = re.match(r"[ >]*", line.expandtabs(4)).group()  # type: ignore[union-attr]
        rest = line.lstrip(" >\t")
        if fence:
            fence = "" if rest.startswith(fence) else fence
            continue
        if m := _FENCE.match(rest):
            fence = m.group(1)[:3]
            continue
        parts = prefix.split(">")  # the indents between quote markers
        indent = sum(len(p) - (1 if i and p.startswith(" ") else 0) for i, p in enumerate(parts))
        markdown = len(parts) - 1 + indent // 4 + bool(_LIST_ITEM.match(rest))
        yield index, markdown + _open_blocks(line, html)


def _open_blocks(line: str, html: Counter[str]) -> int:
    """Count the line's HTML block tags into `html` (open ones by name; `code spans` left out);
    the most open at once on the line."""
    deepest = total = html.total()
    for outside_code in line.split("`")[::2]:
        for m in _BLOCK_TAG.finditer(outside_code):
            name = m.group(2).lower()
            if m.group(1):
                if html[name]:
                    html[name], total = html[name] - 1, total - 1
            elif not m.group(0).endswith("/>"):
                html[name], total = html[name] + 1, total + 1
                deepest = max(deepest, total)
    return deepest


def source_line(source: Source) -> int | None:
    """The file line where the article first nests too deep (or nests deepest)."""
    if source.fmt == "md":
        return source.body_line + _deepest(_markdown_levels(source.body))[1]
    if source.fmt != "html":
        return None
    doc = lxml.html.document_fromstring(without_xml_declaration(source.body),
                                        parser=PARSER)
    whole_page = re.search(r"<(html|body|head)\b", source.body, re.IGNORECASE)
    root = article_root(doc) if whole_page else doc.find("body")
    found = [(el.sourceline or 1, level) for el, level in levels(root if root is not None else doc)]
    return source.body_line + _deepest(found)[1] - 1 if found else None

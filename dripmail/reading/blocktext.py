"""The plain-text form of a content block (unwrapped lines: the plain-text part wraps them).

Everything the HTML shows is in it: list items and quotes that mix text with blocks (a
paragraph, a code listing, a nested list), figures with their captions and listings, tables,
definition lists. Nested lists are indented under their item.
"""

from __future__ import annotations

import re

from lxml import html as lhtml

from dripmail.limits import WIDTH

_SPACE = re.compile(r"\s+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that make blocks of their own inside a list item, quote or figure.
BLOCKS = frozenset({"p", "pre", "ul", "ol", "dl", "blockquote", "table", "figure", "div",
                    "section", "article", "figcaption", "hr", *_HEADINGS})


def _inline_piece(child: lhtml.HtmlElement) -> str:
    """One inline element as text; links become `text (url)`, images are left out."""
    if child.tag == "br":
        return "\n"
    if child.tag == "img":
        return ""
    if child.tag == "a":
        label = _SPACE.sub(" ", inline_text(child)).strip()
        href = child.get("href", "")
        if href and href != label and not href.startswith("#"):
            label = f"{label} ({href.removeprefix('mailto:')})" if label else href
        return label
    if child.tag in ("ul", "ol"):
        return "\n" + block_text(child)
    return inline_text(child)


def inline_text(el: lhtml.HtmlElement) -> str:
    """Text of an inline run; links become `text (url)`, images are left out."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_inline_piece(child))
        parts.append(child.tail or "")
    return "".join(parts)


_NO_BREAK = ("\u00a0", "\u202f")  # French typography: « oui », « non » ; « quoi ? »


def _space(found: re.Match[str]) -> str:
    """A run of spaces as one space, but a lone no-break space inside guillemets or before
    `: ; ! ?` (where French puts one, so that the line never breaks there)."""
    run, text = found.group(), found.string
    if run in _NO_BREAK and (text[found.start() - 1:found.start()] == "«"
                             or text[found.end():found.end() + 1] in ("»", ":", ";", "!", "?")):
        return run
    return " "


def _clean(text: str) -> str:
    return "\n".join(_SPACE.sub(_space, line).strip() for line in text.split("\n")).strip()


def mixed_text(el: lhtml.HtmlElement) -> tuple[list[str], bool]:
    """The pieces of an element that mixes text with blocks (a list item, a quote, a figure):
    each run of inline content as one line, each block as its text; and whether the pieces
    are paragraphs (then a blank line goes between them)."""
    pieces: list[str] = []
    run: list[str] = [el.text or ""]
    loose = False
    for child in el:
        if isinstance(child.tag, str) and child.tag in BLOCKS:
            if text := _clean("".join(run)):
                pieces.append(text)
            found = block_text(child)
            if found.strip():
                pieces.append(found if child.tag == "pre" else _clean(found) if
                              child.tag not in ("ul", "ol", "blockquote", "dl") else found)
            loose = loose or child.tag not in ("ul", "ol")
            run = [child.tail or ""]
        else:
            if isinstance(child.tag, str):
                run.append(_inline_piece(child))
            run.append(child.tail or "")
    if text := _clean("".join(run)):
        pieces.append(text)
    return pieces, loose


def _list_text(el: lhtml.HtmlElement) -> str:
    """A list: one marker per item, its other lines indented under the item's text."""
    start = int(el.get("start", "1") or 1) if el.tag == "ol" and \
        (el.get("start") or "1").isdigit() else 1
    items = []
    for n, li in enumerate(el.findall("li"), start):
        marker = f"{n}. " if el.tag == "ol" else "- "
        pieces, loose = mixed_text(li)
        text = ("\n\n" if loose else "\n").join(pieces)
        lines = text.split("\n")
        items.append(marker + lines[0] + "".join(
            "\n" + (" " * len(marker) + ln if ln else "") for ln in lines[1:]))
    return "\n".join(items)


def _definitions(el: lhtml.HtmlElement) -> str:
    """A definition list: each term on its line, its definitions indented under it."""
    lines = []
    for child in el:
        if child.tag == "dt":
            lines.append(_clean(inline_text(child)))
        elif child.tag == "dd":
            pieces, _loose = mixed_text(child)
            lines += ["    " + ln if ln else "" for ln in "\n".join(pieces).split("\n")]
    return "\n".join(lines)


def block_text(el: lhtml.HtmlElement) -> str:
    """Plain-text form of one block element (unwrapped lines; wrap() does the columns)."""
    tag = el.tag
    if tag in _HEADINGS:
        title = _clean(inline_text(el))
        return f"{title}\n{('=' if tag in ('h1', 'h2') else '-') * min(len(title), WIDTH)}"
    if tag in ("ul", "ol"):
        return _list_text(el)
    if tag == "dl":
        return _definitions(el)
    if tag == "blockquote":
        pieces, _loose = mixed_text(el)
        inner = "\n\n".join(pieces)
        return "\n".join(f"> {ln}" if ln else ">" for ln in inner.split("\n"))
    if tag == "pre":
        return "\n".join("    " + ln for ln in el.text_content().rstrip("\n").split("\n"))
    if tag == "table":
        rows = [" | ".join(_clean(inline_text(c)) for c in tr if c.tag in ("td", "th"))
                for tr in el.iter("tr")]
        caption = el.find("caption")
        head = [_clean(inline_text(caption))] if caption is not None else []
        return "\n".join(head + rows)
    if tag == "hr":
        return "* * *"
    if tag in ("div", "section", "article", "figure", "figcaption"):
        pieces, _loose = mixed_text(el)
        return "\n\n".join(pieces)
    return _clean(inline_text(el))

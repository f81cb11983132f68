"""Plain-text rendering of content blocks, and wrapping at 78 columns without breaking URLs."""

from __future__ import annotations

import re
import textwrap

from lxml import html as lhtml

WIDTH = 78
_SPACE = re.compile(r"\s+")
_PREFIX = re.compile(r"((?:> )*(?:- |\d+\. )?|\s+)")


def inline_text(el: lhtml.HtmlElement) -> str:
    """Text of an inline run; links become `text (url)`, images are left out."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append("\n")
        elif child.tag == "img":
            pass
        elif child.tag == "a":
            label = _SPACE.sub(" ", inline_text(child)).strip()
            href = child.get("href", "")
            if href and href != label and not href.startswith("#"):
                label = f"{label} ({href.removeprefix('mailto:')})" if label else href
            parts.append(label)
        elif child.tag in ("ul", "ol"):
            parts.append("\n" + block_text(child))
        else:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(text: str) -> str:
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n")).strip()


def block_text(el: lhtml.HtmlElement) -> str:
    """Plain-text form of one block element (unwrapped lines; wrap() does the columns)."""
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        title = _clean(inline_text(el))
        return f"{title}\n{('=' if tag in ('h1', 'h2') else '-') * min(len(title), WIDTH)}"
    if tag in ("ul", "ol"):
        start = int(el.get("start", "1") or 1) if tag == "ol" else 1
        items = []
        for n, li in enumerate(el.findall("li"), start):
            marker = f"{n}. " if tag == "ol" else "- "
            if any(c.tag == "p" for c in li):  # (never both: the nested lists would run twice)
                text = "\n\n".join(_clean(block_text(c)) if c.tag in ("p", "ul", "ol") else ""
                                     for c in li if isinstance(c.tag, str)).strip()
            else:
                text = _clean(inline_text(li))
            lines = text.split("\n")
            items.append(marker + lines[0] + "".join(
                "\n" + (" " * len(marker) + ln if ln else "") for ln in lines[1:]))
        return "\n".join(items)
    if tag == "blockquote":
        inner = "\n\n".join(block_text(c) for c in el if isinstance(c.tag, str)) \
            or _clean(inline_text(el))
        return "\n".join(f"> {ln}" if ln else ">" for ln in inner.split("\n"))
    if tag == "pre":
        return "\n".join("    " + ln for ln in el.text_content().rstrip("\n").split("\n"))
    if tag == "table":
        rows = [" | ".join(_clean(inline_text(c)) for c in tr if c.tag in ("td", "th"))
                for tr in el.iter("tr")]
        return "\n".join(rows)
    if tag == "hr":
        return "* * *"
    if tag in ("div", "section", "article", "figure"):
        return "\n\n".join(block_text(c) for c in el if isinstance(c.tag, str))
    return _clean(inline_text(el))


def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap each line at `width` columns; list and quote prefixes continue; URLs never break.

    Words never break, so a long URL stays whole on its own line. U+0000 inside a word stands
    for a space that must not break (merge tags such as `{{ first_name }}`).
    """
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("    "):
            out.append(line)
            continue
        m = _PREFIX.match(line)
        prefix = m.group(1) if m else ""
        quote = "> " * prefix.count("> ")
        follow = quote + " " * (len(prefix) - len(quote))
        body = line[len(prefix):]
        out.extend(textwrap.wrap(body, width=width, initial_indent=prefix,
                                 subsequent_indent=follow, break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out).replace("\0", " ")

"""Small helpers over the parsed HTML: inline styles, hidden elements, visible text, merge tags."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from lxml.html import HtmlElement

_BLANK = " \t\r\n\u00a0\u200c\u034f\ufeff\u2007"  # spaces and preheader filler
SKIP_TAGS = frozenset({"style", "script", "head", "title", "template", "noscript"})
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# (the lookahead lets the engine skip most positions: twice as fast with IGNORECASE)
URL = re.compile(r"(?=[hmw])(?:https?://|mailto:|www\.)\S+", re.IGNORECASE)
# Merge tags of the providers dripmail knows, and the common shapes of others. (A tag's inside
# is at most 200 characters: unbounded, every "{{" of a line without "}}" reads to its end.)
MERGE_TAG = re.compile(
    r"\{\{\{.{0,200}?\}\}\}|\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|\*\|.{0,200}?\|\*|\{\$\w+\}"
    r"|\{[a-z_]+(?:=[^}]{0,200})?\}|%[a-z_.]+%|\[\[\w+\]\]|<%.{0,200}?%>|\$\w+\$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_style(style: str) -> dict[str, str]:
    """Declarations of a `style` attribute as {property: value} (names lower-cased)."""
    result: dict[str, str] = {}
    for decl in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration":
            result[decl.lower_name] = tinycss2.serialize(decl.value).strip()
    return result


def style_of(el: HtmlElement) -> dict[str, str]:
    """The inline style declarations of an element."""
    return parse_style(el.get("style") or "")


def is_element(el: object) -> bool:
    """Whether `el` is an element (not a comment or processing instruction)."""
    return isinstance(getattr(el, "tag", None), str)


def hides(el: HtmlElement) -> bool:
    """Whether this element itself hides its content (display:none, preheader tricks, hidden)."""
    if el.get("hidden") is not None or el.tag in SKIP_TAGS:
        return True
    return style_hides(el.get("style") or "")


@lru_cache(maxsize=4096)  # an email's elements share a few dozen distinct style attributes
def style_hides(style: str) -> bool:
    """Whether a `style` attribute hides the element (see :func:`hides`)."""
    s = parse_style(style)
    if s.get("display", "").lower().startswith("none"):
        return True
    if s.get("visibility", "").lower() == "hidden" or s.get("mso-hide", "").lower() == "all":
        return True
    if s.get("max-height", "").replace(" ", "") in {"0", "0px"} and "overflow" in s:
        return True
    if s.get("opacity", "").strip() in {"0", "0.0"}:
        return True
    return s.get("color", "").lower() == "transparent"


def hidden(el: HtmlElement) -> bool:
    """Whether the element or one of its ancestors hides it."""
    node: HtmlElement | None = el
    while node is not None:
        if is_element(node) and hides(node):
            return True
        node = node.getparent()
    return False


def visible_elements(root: HtmlElement) -> Iterator[HtmlElement]:
    """`root` and the elements under it that `hidden` would not report, in document order
    (a hidden element's subtree is skipped at once instead of climbing from every element)."""
    if not is_element(root) or hidden(root):
        return
    stack = [root]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(child for child in reversed(el) if is_element(child) and not hides(child))


def body(tree: HtmlElement) -> HtmlElement:
    """The <body> element (the whole tree when there is none)."""
    found = tree.find(".//body")
    return found if found is not None else tree


_BLOCK_TAGS = frozenset({"p", "div", "td", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr"})


def direct_text(el: HtmlElement) -> str:
    """The text nodes that belong to `el` itself (its text and its children's tails)."""
    parts = [el.text or ""]
    parts += [child.tail or "" for child in el]
    return "".join(parts)


def _has_text(text: str) -> bool:
    # (text that is only blanks cannot hold a merge tag: skip the substitution)
    return bool(text.strip(_BLANK)) and bool(MERGE_TAG.sub("", text).strip(_BLANK))


@dataclass(frozen=True, slots=True)
class Scan:
    """What several rules read from a document's body, gathered in one walk."""

    text: str  # the text a reader sees (hidden preheader, styles and comments left out)
    text_elements: tuple[HtmlElement, ...]  # visible elements with text of their own
    elements: tuple[HtmlElement, ...]  # visible elements, in document order


@lru_cache(maxsize=32)  # trees are shared per email (model.parse_html)
def scan(tree: HtmlElement) -> Scan:
    """Walk the body once: visible text, text elements and visible elements."""
    out: list[str] = []
    texty: list[HtmlElement] = []
    elements: list[HtmlElement] = []

    def walk(el: HtmlElement) -> None:  # el is a visible element
        elements.append(el)
        head = el.text
        if head:
            out.append(head)
        children = list(el)
        if _has_text((head or "") + "".join([child.tail or "" for child in children])):
            texty.append(el)
        for child in children:
            if isinstance(child.tag, str) and not hides(child):
                walk(child)
            if child.tail:
                out.append(child.tail)
        if el.tag in _BLOCK_TAGS:
            out.append("\n")

    root = body(tree)
    if isinstance(root.tag, str) and not hides(root):
        walk(root)
    if any(hides(up) for up in root.iterancestors()):
        elements = []  # the text rules read the body as before; nothing in it is visible
    return Scan("".join(out), tuple(texty), tuple(elements))


def visible_text(tree: HtmlElement) -> str:
    """The text a reader sees in the body (hidden preheader, styles and comments left out)."""
    return scan(tree).text


def text_elements(tree: HtmlElement) -> tuple[HtmlElement, ...]:
    """Visible body elements that carry text of their own, in document order."""
    return scan(tree).text_elements


@lru_cache(maxsize=64)  # the plain text is read by the word, sentence and overlap rules
def without_tags(text: str) -> str:
    """The text with merge tags and URLs blanked out."""
    return URL.sub(" ", MERGE_TAG.sub(" ", text))


def words(text: str) -> list[str]:
    """Lower-case words of a text, with URLs and merge tags removed."""
    return WORD.findall(without_tags(text).lower().replace("’", "'"))


# What a browser ignores inside a URL: C0 controls and spaces (it drops tabs and line breaks
# anywhere and trims the rest at the ends); dropping them everywhere also catches `java script:`.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")


def script_url(value: str) -> bool:
    """Whether an attribute value is a `javascript:` (or `vbscript:`) URL, however it is
    disguised: character references (the parser decoded those it knows; a second pass takes
    the rest, such as `&#106` without `;`), spaces, tabs, line breaks and letter case."""
    plain = html.unescape(value) if "&" in value else value
    return ":" in plain and _IGNORED.sub("", plain).lower().startswith(_SCRIPT_SCHEMES)

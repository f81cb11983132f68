"""Value objects of the quality gate: the email document the rules read and their findings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from dripmail.reading.htmlparser import without_xml_declaration

SEVERITIES = ("error", "warning")
LEVELS = ("off", "warning", "error")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one email (`position` is the email's 1-based place in its sequence)."""

    rule: str
    severity: str  # "error" | "warning"
    file: str
    message: str
    fix: str
    position: int | None = None


@dataclass(frozen=True, slots=True)
class EmailDoc:
    """One built email as the rules see it: files, metadata, final HTML and plain text."""

    file: str  # the HTML file as shown to the user (e.g. build/course/01-intro.html)
    sequence: str  # sequence slug
    position: int
    total: int
    day: int
    subject: str
    preheader: str
    html: str
    text: str | None  # None when there is no plain-text part
    text_file: str | None = None
    words: int | None = None  # body words as counted by the build (None: count the text)
    provider: str = "generic"
    postal_address: str = ""  # the configured literal address, when known
    kind: str = "sequence"
    lang: str = ""  # the build's `language` setting (manifest "lang"), when known

    @property
    def language(self) -> str:
        """The email's language tag: its `<html lang>`, else the build's setting, else "en"."""
        declared = (self.tree.get("lang") or "").strip()
        return declared or self.lang.strip() or "en"

    @property
    def html_bytes(self) -> int:
        """Size of the HTML as sent (UTF-8)."""
        return len(self.html.encode("utf-8"))

    @property
    def tree(self) -> HtmlElement:
        """The parsed HTML document (shared, read-only: rules must not modify it)."""
        return parse_html(self.html)


_PARSER = etree.HTMLParser()  # plain elements: lxml.html's class lookup runs Python per node
_EMPTY = "<html><body></body></html>"


@lru_cache(maxsize=32)
def parse_html(html: str) -> HtmlElement:
    """Parse an HTML document once; later calls with the same text share the tree (the tree
    lxml.html.document_fromstring builds, with plain lxml elements)."""
    html = without_xml_declaration(html)
    tree = etree.fromstring(html, _PARSER) if html.strip() else None
    return tree if tree is not None else etree.fromstring(_EMPTY, _PARSER)

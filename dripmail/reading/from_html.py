"""The HTML reader. Untrusted article HTML: keep the article body, drop everything that could run
or track."""

from __future__ import annotations

import html
import re

import lxml.html
import nh3

from dripmail.models import Page, Settings, Source
from dripmail.reading.cut import CUT, CUT_HTML

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote", "pre",
    "code", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure",
    "figcaption", "div", "section", "article", "span", "abbr", "cite", "q", "dl", "dt", "dd",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
}
# Removed together with everything inside them.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "form", "nav",
    "button", "select", "textarea", "svg", "math", "canvas", "video", "audio", "frameset",
    "frame", "head", "title",
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# lxml's HTML parser without its 255-level cap (which silently drops deeper content), so that
# the depth dripmail.reading.nesting measures (and bounds) is the article's own.
PARSER = lxml.html.HTMLParser(huge_tree=True)
# Page furniture dropped from whole HTML pages before the article body is picked.
_PAGE_FURNITURE = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript",
                   "iframe", "menu", "dialog")


def clean(html: str) -> str:
    """Sanitise an HTML fragment: no scripts, handlers, javascript: URLs, iframes or forms."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags=DROP_WITH_CONTENT, strip_comments=True, link_rel=None)


def article_body(page: str) -> tuple[str, str]:
    """From a whole HTML page, return (title, inner HTML of the article body)."""
    doc = lxml.html.document_fromstring(page, parser=PARSER)
    title = (doc.findtext(".//title") or "").strip()
    for bad in doc.xpath("|".join(f"//{t}" for t in _PAGE_FURNITURE)):
        if bad.getparent() is not None:
            bad.drop_tree()
    root = article_root(doc)
    inner = html.escape(root.text or "", quote=False) + "".join(  # text stays text
        lxml.html.tostring(child, encoding="unicode") for child in root)
    return title, inner


def article_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element of a whole page that holds the article: <article>, <main>, else <body>."""
    root = next(iter(doc.xpath("//article|//main|//*[@role='main']")), None)
    if root is None:
        root = doc.find("body") if doc.find("body") is not None else doc
    return root


def read(source: Source, settings: Settings) -> Page:
    """An HTML article (a fragment, or a whole page: its title and article body) as raw HTML."""
    body = CUT_HTML.sub(f"<p>{CUT}</p>", source.body)
    if re.search(r"<(html|body|head)\b", body, re.IGNORECASE):
        return Page(*article_body(body))
    return Page("", body)

"""The HTML reader. Untrusted article HTML: keep the article body, drop everything that could run
or track."""

from __future__ import annotations

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
    "*": {"id"},  # in-page link targets (an email's own #anchors; see reading.anchors)
    "a": {"href", "title", "name"},
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
def clean(html: str) -> str:
    """Sanitise an HTML fragment: no scripts, handlers, javascript: URLs, iframes or forms."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags=DROP_WITH_CONTENT, strip_comments=True, link_rel=None)


def article_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element of a whole page marked as the article: <article>, <main>, else <body>
    (dripmail.reading.webpage finds it on pages without such markup)."""
    root = next(iter(doc.xpath("//article|//main|//*[@role='main']")), None)
    if root is None:
        root = doc.find("body") if doc.find("body") is not None else doc
    return root


def read(source: Source, settings: Settings) -> Page:
    """An HTML article: a fragment as it is, or a whole page's article (see webpage)."""
    body = CUT_HTML.sub(f"<p>{CUT}</p>", source.body)
    if re.search(r"<(html|body|head)\b", body, re.IGNORECASE):
        from dripmail.reading import webpage  # (readability-lxml: for whole pages only)

        found = webpage.read_page(body)
        return Page(found.title, found.html, found.url)
    return Page("", body)

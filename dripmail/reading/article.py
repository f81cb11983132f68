"""Parse an article (Markdown, plain text or HTML) into a title and sanitised content blocks."""

from __future__ import annotations

import html
import importlib
import re
import secrets
import threading
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html
import markdown

from dripmail import lazy
from dripmail.errors import ContentError
from dripmail.models import Article, Block, Settings, Source
from dripmail.reading import nesting
from dripmail.reading.from_html import article_body, clean
from dripmail.reference import reference
from dripmail.rendering.textpart import block_text
from dripmail.safetext import one_line
from dripmail.slug import slugify  # noqa: F401  (part of this module's API)

if TYPE_CHECKING:
    from dripmail.reading.from_markdown import Converter

# The `<!-- email -->` marker while the article is converted; random, so no text can pose as it.
CUT = f"zzdmcut{secrets.token_hex(16)}zz"
_CUT_LINE = re.compile(r"^[ \t]*<!--\s*email\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
_CUT_HTML = re.compile(r"<!--\s*email\s*-->", re.IGNORECASE)
_CONTAINERS = {"div", "section", "article", "main", "body"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_KINDS = {"p": "paragraph", "ul": "list", "ol": "list", "dl": "list", "blockquote": "quote",
          "pre": "code", "table": "table", "hr": "rule", "img": "image", "figure": "image"}


def to_html(source: Source, settings: Settings) -> tuple[str, str]:
    """Turn the source body into (page title or "", raw article HTML)."""
    if source.fmt == "html":
        body = _CUT_HTML.sub(f"<p>{CUT}</p>", source.body)
        if re.search(r"<(html|body|head)\b", body, re.IGNORECASE):
            return article_body(body)
        return "", body
    text = source.body
    if source.fmt == "txt":
        from dripmail.reading.from_text import text_to_markdown

        text = text_to_markdown(text)
    else:
        nesting.check_markdown(source)
    text = _CUT_LINE.sub(f"\n\n{CUT}\n\n", text)
    try:
        if reference():  # DRIPMAIL_REFERENCE=1: a new Markdown for every article
            return "", markdown.Markdown(extensions=_extensions(settings.smart_quotes),
                                         output_format="html").convert(text)
        return "", _converter(settings.smart_quotes).convert(text)
    except BaseException as exc:
        _CONVERTERS.__dict__.get("by_quotes", {}).pop(settings.smart_quotes, None)  # half done
        if isinstance(exc, RecursionError):  # e.g. <div markdown="1"> nested 1000 deep
            raise nesting.NestingError(source, None, nesting.source_line(source)) from None
        raise


_CONVERTERS = threading.local()


def _converter(smart_quotes: bool) -> Converter:
    """This thread's Markdown converter (dripmail.reading.from_markdown), built on first use."""
    from dripmail.reading.from_markdown import Converter

    cache = _CONVERTERS.__dict__.setdefault("by_quotes", {})
    if smart_quotes not in cache:
        cache[smart_quotes] = Converter(markdown.Markdown(extensions=_extensions(smart_quotes),
                                                          output_format="html"))
    return cache[smart_quotes]


def _extensions(smart_quotes: bool) -> list:
    """Python-Markdown's "extra" and "sane_lists" (and "smarty") as instances, in the order
    "extra" registers them: named extensions make Markdown scan the entry points of every
    installed package, about 20 ms per process."""
    from markdown.extensions import extra

    # fenced_code imports codehilite, which imports Pygments when it is installed (about 16 ms);
    # dripmail never enables codehilite, so Pygments is hidden while they load.
    with lazy.hidden("pygments"):
        importlib.import_module("markdown.extensions.fenced_code")
    names = [*extra.extensions, "sane_lists", *(["smarty"] if smart_quotes else [])]
    return [importlib.import_module(f"markdown.extensions.{name}").makeExtension()
            for name in names]


def _absolute(url: str, settings: Settings) -> str:
    """Resolve a relative URL against base_url and add UTM parameters to web links."""
    if settings.base_url and not re.match(r"[a-z][a-z0-9+.-]*:", url) and not url.startswith("#"):
        url = urljoin(settings.base_url.rstrip("/") + "/", url)
    return url


# Merge-tag syntax of the common providers ({{ }}, {% %}, *| |*, %% %%, [[ ]], and their
# URL-encoded forms): such a link is personal and must reach the provider untouched.
_MERGE_SYNTAX = re.compile(r"\{\{|\{%|\*\||%%|\[\[|%7B%7B|%7B%25|\*%7C", re.IGNORECASE)


def add_utm(url: str, settings: Settings, campaign: str) -> str:
    """Append the configured utm_* parameters to an http(s) URL (existing ones win).

    Never on unsubscribe, preferences or view-in-browser links, nor on merge-tag links.
    """
    if not settings.utm or not url.startswith(("http://", "https://")):
        return url
    if _MERGE_SYNTAX.search(url) or "unsubscribe" in url.lower() or url in (
            settings.unsubscribe_url, settings.preferences_url, settings.view_in_browser_url):
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in settings.utm.items():
        name = key if key.startswith("utm_") else f"utm_{key}"
        query.setdefault(name, str(value).replace("{slug}", campaign))
    return urlunsplit(parts._replace(query=urlencode(query)))


Nodes = list[str | lxml.html.HtmlElement]  # leading text, then top-level elements


def _fragments(html: str) -> Nodes:
    """HTML parsed (leading text, then top-level elements), without lxml's depth cap."""
    if not html.strip():
        return []
    try:
        return lxml.html.fragments_fromstring(html, parser=nesting.PARSER)
    except lxml.etree.ParserError:  # nothing but comments or processing instructions
        return []


def _sanitised(raw: str, source: Source) -> Nodes:
    """The article's HTML, bounded in depth and sanitised.

    lxml reads it first (linear time) and its well-formed output is what nh3 gets: the html5
    parser inside nh3 is quadratic on deep stacks of open elements and on formatting elements
    left open (each new paragraph rebuilds them all), which well-formed markup never has.
    """
    parsed = _fragments(raw)
    nesting.check_tree(parsed, source)
    fragments = _fragments(clean("".join(
        _escape(n) if isinstance(n, str) else lxml.html.tostring(n, encoding="unicode")
        for n in parsed)))
    nesting.check_tree(fragments, source)
    return fragments


def _elements(nodes: Nodes) -> list[lxml.html.HtmlElement]:
    """Top-level block elements, descending into layout containers (text between blocks
    becomes paragraphs). One pass over the tree: nothing is serialised or parsed again."""
    out: list[lxml.html.HtmlElement] = []
    stack = list(reversed(list(nodes)))  # (no recursion: containers may nest deeply)
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node.strip():
                out.append(lxml.html.fromstring(f"<p>{_escape(node.strip())}</p>"))
            continue
        tail, node.tail = node.tail, None
        if node.tag in _CONTAINERS:  # (text right after a container is left out, as before)
            stack.extend(reversed([node.text or "", *node]))
        elif isinstance(node.tag, str):
            out.append(node)
            stack.append(tail or "")
    return out


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _block(el: lxml.html.HtmlElement, shift: int) -> Block:
    """One element as a Block (headings shifted so sections start at h2)."""
    if el.tag in _HEADINGS:
        level = min(int(el.tag[1]) + shift, 6)
        el.tag = f"h{level}"
        kind = "heading"
    else:
        level = 0
        only_img = el.tag == "p" and len(el) == 1 and el[0].tag == "img" \
            and not (el.text or "").strip() and not (el[0].tail or "").strip()
        kind = "image" if only_img else _KINDS.get(el.tag, "paragraph")
    text = block_text(el)
    if kind == "image":
        text = ""
    html = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    return Block(kind=kind, html=html, text=text, words=len(el.text_content().split()),
                 level=level)


def _fix_links(el: lxml.html.HtmlElement, settings: Settings, campaign: str) -> None:
    for a in el.iter("a"):
        if a.get("href"):
            a.set("href", add_utm(_absolute(a.get("href"), settings), settings, campaign))
    for img in el.iter("img"):
        if img.get("src"):
            img.set("src", _absolute(img.get("src"), settings))
        if img.get("alt") is None:
            img.set("alt", "")


def parse_article(source: Source, settings: Settings) -> Article:
    """Parse a Source into an Article with a title and content blocks."""
    page_title, raw = to_html(source, settings)
    slug = settings.slug or slugify(source.path.stem, "article")
    elements = _elements(_sanitised(raw, source))
    title = settings.title
    if elements and elements[0].tag == "h1":
        first_text = " ".join(elements[0].text_content().split())
        if not title or first_text == " ".join(title.split()):
            title = first_text
            elements.pop(0)
    title = title or page_title or source.path.stem.replace("-", " ").replace("_", " ").title()
    levels = [int(e.tag[1]) for e in elements if e.tag in _HEADINGS]
    shift = 2 - min(levels) if levels else 0
    blocks = []
    for el in elements:
        if el.tag == "p" and el.text_content().strip() == CUT:
            blocks.append(Block(kind="break", html="", text="", words=0))
            continue
        _fix_links(el, settings, slug)
        blocks.append(_block(el, shift))
    if not any(b.words for b in blocks):
        raise ContentError("the article has a title but no body text; add some paragraphs",
                           path=source.path, line=source.body_line)
    return Article(source=source.path, slug=slug, title=" ".join(one_line(title).split()),
                   blocks=tuple(blocks), settings=settings, warnings=source.warnings)

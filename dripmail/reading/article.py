"""Parse an article (Markdown, plain text or HTML) into a title and sanitised content blocks."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from dripmail.errors import ContentError
from dripmail.models import Article, Block, Settings, Source
from dripmail.reading import anchors, nesting, templatetags, to_html
from dripmail.reading.blocktext import block_text
from dripmail.reading.cut import CUT
from dripmail.reading.from_html import clean
from dripmail.reading.sources import without_controls
from dripmail.safetext import one_line
from dripmail.slug import slugify  # noqa: F401  (part of this module's API)

_CONTAINERS = {"div", "section", "article", "main", "body"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_KINDS = {"p": "paragraph", "ul": "list", "ol": "list", "dl": "list", "blockquote": "quote",
          "pre": "code", "table": "table", "hr": "rule", "img": "image", "figure": "image"}


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
        stack.append(tail or "")  # text after an element or container: after its content
        if node.tag in _CONTAINERS:
            _pass_id(node)
            stack.extend(reversed([node.text or "", *node]))
        elif isinstance(node.tag, str):
            out.append(node)
    return out


def _pass_id(container: lxml.html.HtmlElement) -> None:
    """A container's id (a link target: Sphinx's sections) goes to its first element."""
    first = next((c for c in container if isinstance(c.tag, str)), None)
    if container.get("id") and first is not None and not first.get("id") \
            and not (container.text or "").strip():
        first.set("id", container.get("id"))


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
    if kind == "image" and el.tag != "figure":
        text = ""  # (a figure keeps its caption and listings)
    html = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    return Block(kind=kind, html=html, text=text, words=len(el.text_content().split()),
                 level=level)


def _fix_links(el: lxml.html.HtmlElement, settings: Settings, campaign: str) -> None:
    """UTM parameters on web links; an image without alt text gets an empty one."""
    for a in el.iter("a"):
        if a.get("href"):
            a.set("href", add_utm(a.get("href"), settings, campaign))
    for img in el.iter("img"):
        if img.get("alt") is None:
            img.set("alt", "")


def parse_article(source: Source, settings: Settings) -> Article:
    """Parse a Source into an Article with a title and content blocks."""
    page = to_html(source, settings)
    slug = settings.slug or slugify(source.path.stem, "article")
    elements = _elements(_sanitised(without_controls(page.html), source))
    url = settings.url or page.url
    left = anchors.resolve(elements, url, settings.base_url)
    title = settings.title
    if elements and elements[0].tag == "h1":
        first_text = " ".join(elements[0].text_content().split())
        if not title or first_text == " ".join(title.split()):
            title = first_text
            elements.pop(0)
    title = title or page.title or source.path.stem.replace("-", " ").replace("_", " ").title()
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
                   blocks=tuple(blocks), settings=settings,
                   warnings=source.warnings + _warnings(source, left), url=url)


def _warnings(source: Source, relative: list[str]) -> tuple[str, ...]:
    """What the reader should know about the article: relative addresses no one can resolve,
    another generator's template tags."""
    found = []
    if relative:
        shown = ", ".join(relative[:5]) + (f" and {len(relative) - 5} more"
                                           if len(relative) > 5 else "")
        found.append(f"{source.path}: {len(relative)} relative link(s) cannot work "
                     f"in an inbox: {shown}; set `url:` in its front matter (the article's "
                     "web address) or `base_url` in dripmail.toml")
    if source.fmt in ("md", "txt") and (tags := templatetags.warning(source)):
        found.append(tags)
    return tuple(found)

"""Links and images that work in an inbox: relative addresses made absolute, in-page anchors
that never point into another email.

- A relative link or image is resolved against the article's own URL (front matter `url`, a
  page's canonical link) or else `base_url`; with neither, it stays as written and the build
  warns once per article naming them (`dripmail check` reports each: rule `relative-url`).
- An in-page `#anchor` whose target is in the same email stays. Any other points to the
  article's web page (`URL#anchor`) or, when its URL is unknown, stops being a link (its text
  stays): never a dead anchor (rule `dead-anchor`). Targets are found per article when it is
  read (`resolve`) and per email once the article is planned (`settle`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urljoin

import lxml.html

from dripmail.models import Part

# Schemes and the merge-tag shapes of the providers: an address that is not relative.
_ABSOLUTE = re.compile(r"([a-z][a-z0-9+.-]*:|//|\{\{|\{%|\*\||%%|\{\$|\[\[)", re.IGNORECASE)


def is_relative(url: str) -> bool:
    """Whether an address depends on the page it is on (not `#anchor`, a scheme or a tag)."""
    url = url.strip()
    return bool(url) and not url.startswith("#") and not _ABSOLUTE.match(url)


def targets(elements: Iterable[lxml.html.HtmlElement]) -> set[str]:
    """The ids (and `<a name>`s) an in-page link can reach in these elements."""
    found: set[str] = set()
    for root in elements:
        for el in root.iter():
            if isinstance(el.tag, str):
                found.update(v for v in (el.get("id"), el.get("name") if el.tag == "a" else None)
                             if v)
    return found


def resolve(elements: Sequence[lxml.html.HtmlElement], page_url: str, base_url: str
            ) -> list[str]:
    """Make the article's relative links and images absolute (against `page_url`, else
    `base_url`) and point its dead `#anchors` at its web page; the relative LINKS left
    (neither is known), in order. (Relative images left are the providers' to report:
    Mailchimp's import zip carries local ones, see providers/images.py.)"""
    base = page_url or (base_url.rstrip("/") + "/" if base_url else "")
    ids = targets(elements)
    left: list[str] = []
    for root in elements:
        for el, attr in _addresses(root):
            url = el.get(attr, "").strip()
            if url.startswith("#") and el.tag == "a":
                if _target(url) not in ids:
                    _away(el, page_url)
            elif is_relative(url):
                if base:
                    el.set(attr, urljoin(base, url))
                elif el.tag == "a" and url not in left:
                    left.append(url)
    return left


def _addresses(root: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    return [(el, "href" if el.tag == "a" else "src") for el in root.iter("a", "img")
            if el.get("href" if el.tag == "a" else "src")]


def _target(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href[1:])


def _away(a: lxml.html.HtmlElement, page_url: str) -> None:
    """An `#anchor` whose target is not here: to the article's web page, or no link at all."""
    if page_url:
        a.set("href", page_url.split("#")[0] + a.get("href", ""))
    else:
        del a.attrib["href"]


def settle(parts: Sequence[Part], page_url: str,
           text_of: Callable[[lxml.html.HtmlElement], str] | None = None) -> tuple[Part, ...]:
    """The parts with each `#anchor` whose target is in another email pointed at the
    article's web page (or made plain text); `text_of(element)` remakes a block's text."""
    out = []
    for part in parts:
        ids = targets(_parsed(b.html) for b in part.blocks if 'id="' in b.html
                      or "name=" in b.html)
        blocks = tuple(_settled(b, ids, page_url, text_of) if 'href="#' in b.html else b
                       for b in part.blocks)
        out.append(part if blocks == part.blocks else dataclasses.replace(part, blocks=blocks))
    return tuple(out)


def _parsed(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _settled(block, ids: set[str], page_url: str, text_of):
    holder = _parsed(block.html)
    changed = False
    for a in holder.iter("a"):
        href = a.get("href", "")
        if href.startswith("#") and _target(href) not in ids:
            _away(a, page_url)
            changed = True
    if not changed:
        return block
    el = holder[0]
    html = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    text = text_of(el) if text_of and block.kind != "image" else block.text
    return dataclasses.replace(block, html=html, text=text)

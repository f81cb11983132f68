"""Matching simple selectors (`.a`, `p.a`, `.a p`, `.a .b`) with a class index instead of XPath.

A theme's dark-mode block is a few dozen such selectors, and evaluating each as an XPath costs
about 20 µs per email; looking classes up in one index per document is several times faster.
Anything else (other combinators, attributes, pseudo-classes) is left to cssselect's XPath.
Both give the same elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from cssselect.parser import Class, CombinedSelector, Element, Selector
from lxml.html import HtmlElement

Compound = tuple[str | None, frozenset[str]]  # (tag, None for any; classes it must have)
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses
_CLASS_NAME = re.compile(r"[^ \t\r\n\f]+")  # cssselect matches nothing for other names


def classes(el: HtmlElement) -> list[str]:
    """The class names of an element, split as `contains(normalize-space(@class))` does."""
    return [name for name in _XML_SPACE.split(el.get("class") or "") if name]


def _compound(node: object) -> Compound | None:
    names = set()
    while isinstance(node, Class):
        if not _CLASS_NAME.fullmatch(node.class_name):
            return None
        names.add(node.class_name)
        node = node.selector
    if not isinstance(node, Element) or node.namespace is not None:
        return None
    return (node.element.lower() if node.element else None), frozenset(names)


def chain(selector: Selector) -> tuple[Compound, ...] | None:
    """The compounds of a selector made of tags and classes joined by spaces, or None."""
    if selector.pseudo_element is not None:
        return None
    out = []
    node = selector.parsed_tree
    while isinstance(node, CombinedSelector):
        right = _compound(node.subselector)
        if node.combinator != " " or right is None:
            return None
        out.append(right)
        node = node.selector
    first = _compound(node)
    if first is None:
        return None
    return (first, *reversed(out))


class Index:
    """A document's class names: per element, and the elements having each, in document order."""

    def __init__(self, tree: HtmlElement):
        self.of: dict[HtmlElement, frozenset[str]] = {}
        self.having: dict[str, list[HtmlElement]] = {}
        for el in tree.iter():
            if isinstance(el.tag, str):
                names = classes(el)
                self.of[el] = frozenset(names)
                for name in dict.fromkeys(names):
                    self.having.setdefault(name, []).append(el)

    def fits(self, el: HtmlElement, compound: Compound) -> bool:
        """Whether `el` matches one compound selector."""
        tag, names = compound
        return (tag is None or el.tag == tag) and names <= self.of.get(el, frozenset())

    def under(self, el: HtmlElement, compounds: tuple[Compound, ...]) -> bool:
        """Whether ancestors of `el` match `compounds`, outermost first (descendant combinators:
        matching the nearest ancestor first is enough)."""
        i = len(compounds) - 1
        if i < 0:
            return True
        for ancestor in el.iterancestors():
            if self.fits(ancestor, compounds[i]):
                i -= 1
                if i < 0:
                    return True
        return False


@lru_cache(maxsize=32)  # one per document (trees are shared per email, see model.parse_html)
def index(tree: HtmlElement) -> Index:
    """The class index of a document."""
    return Index(tree)


def select(tree: HtmlElement, compounds: tuple[Compound, ...]) -> list[HtmlElement]:
    """The elements of `tree` (itself included) that a :func:`chain` matches."""
    found = index(tree)
    *outer, last = compounds
    tag, names = last
    if names:
        candidates = found.having.get(min(names), [])
    else:
        candidates = [el for el in tree.iter(tag or None) if isinstance(el.tag, str)]
    outer_chain = tuple(outer)
    return [el for el in candidates if found.fits(el, last) and found.under(el, outer_chain)]


def matcher(selector: Selector, xpath: Callable) -> Callable[[HtmlElement], list]:
    """A function from a document to the elements `selector` matches (`xpath` when needed)."""
    compounds = chain(selector)
    if compounds is None:
        return xpath
    return lambda tree: select(tree, compounds)

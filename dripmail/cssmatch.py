"""The one selector matcher of dripmail: selectors of tags and classes joined by spaces.

Such a selector (`p`, `.a`, `td.a.b`, `.content a`) is a descendant *chain* of compounds (a tag
or None for any, and the classes the element must have). Whether it matches an element depends
only on the tags and classes of the element and its ancestors, so the inliner (`rendering/
restyle.py`) and the quality gate (`checks/paint.py`) answer it once per element *context*
instead of per element. Anything else (ids, attributes, pseudo-classes, other combinators,
upper-case tags, namespaces) is not a chain: callers leave it to cssselect's XPath, which gives
the same elements for a chain (tests/test_cssmatch.py). Stdlib and cssselect only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import cssselect
from cssselect.parser import Class, CombinedSelector, Element, Selector

Compound = tuple[str | None, frozenset[str]]  # (tag or None for any, classes it must have)
Chain = tuple[Compound, ...]  # outermost first
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits @class on
_CLASS_NAME = re.compile(r"[^ \t\r\n\f]+")  # cssselect's XPath matches nothing for other names


@lru_cache(maxsize=4096)  # a theme has a few dozen class attributes
def classes(value: str | None) -> frozenset[str]:
    """The class names of a `class` attribute, split as `contains(normalize-space(@class))`."""
    return frozenset(name for name in _XML_SPACE.split(value or "") if name)


def _compound(node: object) -> Compound | None:
    names = set()
    while isinstance(node, Class):
        if not _CLASS_NAME.fullmatch(node.class_name):
            return None
        names.add(node.class_name)
        node = node.selector
    if not isinstance(node, Element) or node.namespace is not None:
        return None
    tag = node.element
    if tag is not None and tag != tag.lower():  # XML XPath compares as written, HTML lowered
        return None
    return tag, frozenset(names)


def chain_of(selector: Selector) -> Chain | None:
    """The compounds of a parsed selector made of tags and classes joined by spaces, or None."""
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


@lru_cache(maxsize=4096)  # a theme has a few dozen selectors
def chain(selector: str) -> Chain | None:
    """:func:`chain_of` one selector given as text (None for a list or a syntax error)."""
    try:
        parsed = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    return chain_of(parsed[0]) if len(parsed) == 1 else None


def fits(compound: Compound, tag: str, names: frozenset[str]) -> bool:
    """Whether an element of this tag and these classes matches one compound."""
    want, needed = compound
    return (want is None or want == tag) and needed <= names


def matches(compounds: Chain, tag: str, names: frozenset[str],
            ancestors: Iterable[tuple[str, frozenset[str]]]) -> bool:
    """Whether a chain matches an element, given its tag and classes and those of its
    ancestors, nearest first (with descendant combinators the nearest match is enough)."""
    *outer, last = compounds
    if not fits(last, tag, names):
        return False
    i = len(outer) - 1
    if i < 0:
        return True
    for up_tag, up_names in ancestors:
        if fits(outer[i], up_tag, up_names):
            i -= 1
            if i < 0:
                return True
    return False

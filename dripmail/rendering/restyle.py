"""premailer's inlining, answered per element *context* for stylesheets of simple selectors.

With selectors made only of tags and classes joined by spaces (a theme's usual CSS), which rules
reach an element depends only on the tags and classes of the element and its ancestors, and the
style premailer writes on it only on those rules and the element's own `style`. So each such
context is worked out once per process, by premailer's own functions (`merge_styles`, the style
pairs and HTML attributes of :class:`dripmail.rendering.inline._OncePremailer`), and every email
is then restyled in one walk instead of one XPath query per rule. Anything outside that case
returns None and goes through premailer itself; tests/test_inline_fast.py checks the two give
the same bytes.
"""

from __future__ import annotations

import operator
import re
from typing import Any

from lxml import etree
from premailer import merge_style

_XML_SPACE = re.compile(r"[ \t\r\n]+")  # how XPath's normalize-space() splits @class
_COMPOUND = re.compile(r"([a-z][a-z0-9]*)?((?:\.[_a-zA-Z][-\w]*)*)", re.ASCII)
Chain = tuple[tuple[str | None, frozenset[str]], ...]  # (tag or None, classes), outermost first
LIMIT = 100_000  # contexts remembered before starting afresh


def chain(selector: str) -> Chain | None:
    """A selector of tags and classes joined by spaces as compounds, else None (premailer's
    XML translator compares tag names as written, so upper-case tags are left to it too)."""
    out = []
    for part in selector.split():
        match = _COMPOUND.fullmatch(part)
        if not part or match is None or not (match.group(1) or match.group(2)):
            return None
        out.append((match.group(1), frozenset(match.group(2).split(".")[1:])))
    return tuple(out) if out else None


class Restyler:
    """Inlines one stylesheet set (the CSS of each <style> element, in order) by context."""

    def __init__(self, premailer: Any, sheets: list[tuple[list, list]]):
        self.premailer = premailer  # an _OncePremailer: options, style pairs, HTML attributes
        ordered = sorted((rule for rules, _left in sheets for rule in rules),
                         key=operator.itemgetter(0))  # premailer's stable sort by specificity
        self.rules = [(chain(selector), bulk) for _spec, selector, bulk in ordered]
        self.simple = all(found is not None for found, _bulk in self.rules)
        self.matching: dict[tuple, int] = {}  # (parent id, tag, classes) -> context id
        self.contexts: list[tuple[int, str, frozenset[str]]] = []
        self.results: dict[tuple[int, str], tuple[str, tuple]] = {}

    def _context(self, el: Any, memo: dict) -> int:
        found = memo.get(el)
        if found is None:
            parent = el.getparent()
            up = self._context(parent, memo) if parent is not None else -1
            key = (up, el.tag, el.get("class") or "")
            found = self.matching.get(key)
            if found is None:
                found = self.matching[key] = len(self.contexts)
                names = _XML_SPACE.split(el.get("class") or "")
                self.contexts.append((up, el.tag, frozenset(name for name in names if name)))
            memo[el] = found
        return found

    def _matches(self, cid: int, compounds: Chain) -> bool:
        *outer, (tag, names) = compounds
        up, own_tag, own = self.contexts[cid]
        if (tag is not None and tag != own_tag) or not names <= own:
            return False
        i = len(outer) - 1
        while i >= 0 and up >= 0:
            up, anc_tag, anc = self.contexts[up]
            tag, names = outer[i]
            if (tag is None or tag == anc_tag) and names <= anc:
                i -= 1
        return i < 0

    def result(self, cid: int, inline: str) -> tuple[str, tuple] | None:
        """(final style, HTML attributes) premailer gives an element of this context with this
        `style`, or None when no rule reaches it (premailer leaves it as it is)."""
        key = (cid, inline)
        if key not in self.results:
            p = self.premailer
            styles = [merge_style.csstext_to_pairs(bulk, validate=not p.disable_validation)
                      for compounds, bulk in self.rules if self._matches(cid, compounds)]
            if not styles:
                self.results[key] = None
            else:
                final = merge_style.merge_styles(inline, styles, [""] * len(styles),
                                     remove_unset_properties=p.remove_unset_properties)
                self.results[key] = (final, p.basic_attributes(final))
        return self.results[key]

    def restyle(self, page: Any) -> bool:
        """Write the inlined styles into the elements of `page`; False (nothing changed) when
        premailer must do it: an image that could float (premailer then adds `align`)."""
        memo: dict = {}
        todo = []
        for el in page.iter():
            if not isinstance(el.tag, str):
                continue
            found = self.result(self._context(el, memo), el.get("style", ""))
            if found is not None:
                if el.tag == "img" and "float" in found[0].lower():
                    return False
                todo.append((el, found))
        for el, (final, attributes) in todo:
            if final:
                el.set("style", final)
            for name, value in attributes:
                el.set(name, value)
        return True


def inline(premailer: Any, html: str) -> str | None:
    """premailer's `transform(pretty_print=False)` of `html`, or None when the document is not
    one this module answers for (then premailer runs as usual)."""
    p = premailer
    stripped = html.strip()
    tree = etree.fromstring(stripped, etree.HTMLParser()).getroottree()
    page = tree.getroot()
    if page is None or page.find("head") is None:
        return None
    root = tree if stripped.startswith(tree.docinfo.doctype) else page
    styles = list(page.iter("style"))
    if any(s.get("media") or s.get(p.attribute_name) for s in styles):
        return None
    sheets = [p._sheet(s.text, index)[:2] for index, s in enumerate(styles)]
    restyler = _restyler(p, sheets, tuple((s.text or "", i) for i, s in enumerate(styles)))
    if not restyler.simple:
        return None
    for element, (_rules, leftover) in zip(styles, sheets, strict=True):
        if leftover:
            element.text = p._css_rules_to_string(leftover)
        else:
            element.getparent().remove(element)
    if not restyler.restyle(page):
        return None
    return etree.tostring(root, method="html", pretty_print=False,
                          encoding="utf-8").decode("utf-8")


_RESTYLERS: dict[tuple, Restyler] = {}


def _restyler(premailer: Any, sheets: list[tuple[list, list]], key: tuple) -> Restyler:
    found = _RESTYLERS.get(key)
    if found is None or len(found.contexts) > LIMIT:
        if len(_RESTYLERS) >= 16:
            _RESTYLERS.clear()
        found = _RESTYLERS[key] = Restyler(premailer, sheets)
    return found

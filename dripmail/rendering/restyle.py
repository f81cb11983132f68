"""premailer's inlining, answered per element *context* for stylesheets of simple selectors.

With selectors made only of tags and classes joined by spaces (`dripmail.cssmatch` chains, a
theme's usual CSS), which rules reach an element depends only on the tags and classes of the
element and its ancestors, and the style premailer writes on it only on those rules and the
element's own `style`. So each such context is worked out once per process, by premailer's own
functions (`merge_styles`, its style pairs and HTML attributes), and every email is then
restyled in one walk instead of one XPath query per rule. Anything outside that case returns
None and goes through premailer itself; tests/test_inline_fast.py checks the two give the same
bytes.
"""

from __future__ import annotations

import operator
from typing import Any

from lxml import etree
from premailer import merge_style

from dripmail import cssmatch

LIMIT = 100_000  # contexts a restyler remembers before it is started afresh


class Restyler:
    """Inlines one stylesheet set (the CSS of each <style> element, in order) by context."""

    def __init__(self, premailer: Any, sheets: list[tuple[list, list]]):
        self.premailer = premailer  # options, and premailer's HTML attributes of a style
        ordered = sorted((rule for rules, _left in sheets for rule in rules),
                         key=operator.itemgetter(0))  # premailer's stable sort by specificity
        self.rules = [(cssmatch.chain(selector), bulk) for _spec, selector, bulk in ordered]
        self.simple = all(found is not None for found, _bulk in self.rules)
        self.matching: dict[tuple, int] = {}  # (parent id, tag, class attribute) -> context id
        self.contexts: list[tuple[int, str, frozenset[str]]] = []  # (parent id, tag, classes)
        self.results: dict[tuple[int, str], tuple[str, tuple] | None] = {}

    def full(self) -> bool:
        """Whether it has seen so many contexts that it should be started afresh."""
        return len(self.contexts) > LIMIT

    def _context(self, el: Any, memo: dict) -> int:
        found = memo.get(el)
        if found is None:
            parent = el.getparent()
            up = self._context(parent, memo) if parent is not None else -1
            key = (up, el.tag, el.get("class") or "")
            found = self.matching.get(key)
            if found is None:
                found = self.matching[key] = len(self.contexts)
                self.contexts.append((up, el.tag, cssmatch.classes(key[2])))
            memo[el] = found
        return found

    def _ancestors(self, cid: int):
        up = self.contexts[cid][0]
        while up >= 0:
            up, tag, names = self.contexts[up]
            yield tag, names

    def _attributes(self, style: str) -> tuple[tuple[str, str], ...]:
        """(name, value) of the HTML attributes premailer sets, in order, for an inlined style."""
        scratch = etree.Element("scratch")
        self.premailer._style_to_basic_html_attributes(scratch, style, force=True)
        return tuple(scratch.attrib.items())

    def result(self, cid: int, inline: str) -> tuple[str, tuple] | None:
        """(final style, HTML attributes) premailer gives an element of this context with this
        `style`, or None when no rule reaches it (premailer leaves it as it is)."""
        key = (cid, inline)
        if key not in self.results:
            p = self.premailer
            _up, tag, names = self.contexts[cid]
            styles = [merge_style.csstext_to_pairs(bulk, validate=not p.disable_validation)
                      for compounds, bulk in self.rules
                      if cssmatch.matches(compounds, tag, names, self._ancestors(cid))]
            if not styles:
                self.results[key] = None
            else:
                final = merge_style.merge_styles(inline, styles, [""] * len(styles),
                                                 remove_unset_properties=p.remove_unset_properties)
                self.results[key] = (final, self._attributes(final))
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
    one this module answers for (then premailer runs as usual). `premailer` is an
    `inline._OncePremailer` (its `_sheet` and `cache`)."""
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
    sheets = [p._sheet(s.text, index) for index, s in enumerate(styles)]
    restyler = p.cache.restyler(p, tuple((s.text or "", i) for i, s in enumerate(styles)),
                                sheets)
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

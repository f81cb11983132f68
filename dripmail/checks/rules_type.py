"""Type and colour: body text size from inlined styles, WCAG contrast in light and dark mode.

What each text element renders like comes from :mod:`dripmail.checks.paint`, which works it out
once per element context and shares it between emails.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import cssselect
from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement

from dripmail.checks import paint
from dripmail.checks.css import StyleRule, is_dark_context, stylesheet_items
from dripmail.checks.dom import direct_text, text_elements
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule
from dripmail.checks.select import chain, matcher

MIN_PX, TARGET_PX = 14.0, 16.0
Override = Callable[[HtmlElement], paint.Declarations]


def _snippet(el: HtmlElement) -> str:
    text = " ".join(direct_text(el).split())
    return text if len(text) <= 40 else text[:37] + "…"


def _light(tree: HtmlElement) -> Callable[[HtmlElement], int]:
    """Element -> light-mode context id, for the elements of one document."""
    memo = paint.light_ids(tree)
    return lambda el: paint.context_id(el, memo)


@rule("font-size", "error", "type and colour", "body text at least 14 px (16 px recommended)")
def font_size_rule(doc: EmailDoc):
    """Small text is hard to read on phones; Apple Mail enlarges text under 13 px anyway."""
    cid = _light(doc.tree)
    small: dict[float, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        size = paint.font_size(cid(el))
        if size < TARGET_PX:
            small.setdefault(round(size, 1), []).append(el)
    for size in sorted(small):
        els = small[size]
        severity = "error" if size < MIN_PX else "warning"
        need = MIN_PX if severity == "error" else TARGET_PX
        yield (severity, f"{len(els)} text element(s) at {size:g}px (under {need:g}px), e.g. "
               f"<{els[0].tag}> \"{_snippet(els[0])}\"",
               "set font-size to 16px or more in the theme (14px is the minimum for fine print)")


@lru_cache(maxsize=512)  # the theme's selectors are the same in every email
def _matchers(selector_text: str) -> tuple[tuple[Callable, tuple[int, int, int], tuple | None],
                                           ...]:
    """(document -> matching elements, specificity, chain or None) of each selector in a
    selector list; unusable ones left out. Simple selectors use a class index (`select.py`),
    others an XPath compiled once (`tree.xpath(text)` would compile it on every call)."""
    try:
        selectors = cssselect.parse(selector_text)
    except cssselect.SelectorError:
        return ()
    out = []
    for selector in selectors:
        try:
            xpath = etree.XPath(HTMLTranslator().selector_to_xpath(selector))
            out.append((matcher(selector, xpath), selector.specificity(), chain(selector)))
        except (cssselect.SelectorError, ValueError, etree.XPathSyntaxError):
            continue  # pseudo-classes such as :hover never match a static email
    return tuple(out)


def _dark_rules(doc: EmailDoc) -> tuple[StyleRule, ...]:
    return tuple(item for item in stylesheet_items(doc.tree)
                 if isinstance(item, StyleRule) and is_dark_context(item.context))


def _colour_declarations(item: StyleRule) -> paint.Declarations:
    """The text and background colours a rule sets, in order."""
    return tuple((p, v) for p, v, _imp in item.declarations
                 if p in {"color", "background-color", "background"})


@lru_cache(maxsize=64)
def _sheet(rules: tuple[StyleRule, ...]) -> paint.DarkSheet | None:
    """The colour declarations of dark-mode rules with their selectors as compound chains, in
    rule order; None when a selector is more than tags and classes (then matched per email)."""
    sheet = []
    for order, item in enumerate(rules):
        decls = _colour_declarations(item)
        if not decls:
            continue
        for _match, specificity, compounds in _matchers(item.selector):
            if compounds is None:
                return None
            sheet.append((compounds, (*specificity, order), decls))
    return tuple(sheet)


def _per_element(doc: EmailDoc, rules: tuple[StyleRule, ...]) -> dict[HtmlElement, dict]:
    """Dark-mode colour declarations per element, matched in this document (any selector)."""
    best: dict[HtmlElement, dict[str, tuple[tuple, str]]] = {}
    for order, item in enumerate(rules):
        decls = dict(_colour_declarations(item))
        if not decls:
            continue
        for match, specificity, _chain in _matchers(item.selector):
            rank = (*specificity, order)
            for el in match(doc.tree):
                slot = best.setdefault(el, {})
                for prop, value in decls.items():
                    if prop not in slot or slot[prop][0] <= rank:
                        slot[prop] = (rank, value)
    return {el: {p: v for p, (_r, v) in props.items()} for el, props in best.items()}


def dark_override(doc: EmailDoc) -> Override | None:
    """Element -> the `@media (prefers-color-scheme: dark)` colours that apply to it (None: the
    email has no such block). The rules are `!important`, so they beat inline styles; among
    themselves the most specific selector wins, then the later rule, as in a browser."""
    rules = _dark_rules(doc)
    if not rules:
        return None
    sheet = _sheet(rules)
    if sheet is not None:
        light, table = _light(doc.tree), paint.dark_table(sheet)
        return lambda el: paint.dark_override(sheet, table, light(el))
    found = _per_element(doc, rules)
    return lambda el: tuple(found.get(el, {}).items())


def _contrast_findings(doc: EmailDoc, cid: Callable[[HtmlElement], int], mode: str):
    failures: dict[tuple, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        found = paint.verdict(cid(el))
        if found is not None:
            failures.setdefault(found, []).append(el)
    for (fg, bg, ratio, need), els in failures.items():
        yield ("error", f"{mode}: text {fg} on {bg} has contrast {ratio}:1 (needs {need:g}:1) in "
               f"{len(els)} element(s), e.g. <{els[0].tag}> \"{_snippet(els[0])}\"",
               "darken the text or lighten the background (WCAG 1.4.3)"
               + (" in the theme's @media (prefers-color-scheme: dark) block"
                  if mode == "dark mode" else ""))


@rule("contrast", "error", "type and colour", "text/background contrast ≥ 4.5:1 (3:1 large)")
def contrast_rule(doc: EmailDoc):
    """Low-contrast text is unreadable for many readers and on phones in sunlight."""
    yield from _contrast_findings(doc, _light(doc.tree), "light mode")


@rule("contrast-dark", "error", "type and colour",
      "contrast ≥ 4.5:1 also with the @media (prefers-color-scheme: dark) palette")
def contrast_dark(doc: EmailDoc):
    """Dark-mode overrides often leave some text dark on dark."""
    override = dark_override(doc)
    if override is not None:
        memo = paint.dark_ids(doc.tree)
        yield from _contrast_findings(doc, lambda el: paint.context_id(el, memo, override),
                                      "dark mode")

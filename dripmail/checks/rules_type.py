"""Type and colour: body text size from inlined styles, WCAG contrast in light and dark mode.

What each text element renders like comes from the check run's :class:`~dripmail.checks.paint.
Paint`, which works it out once per element context and shares it between emails.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import cssselect
from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement

from dripmail import cssmatch
from dripmail.checks import paint
from dripmail.checks.css import StyleRule, is_dark_context, stylesheet_items
from dripmail.checks.dom import direct_text, text_elements
from dripmail.checks.model import EmailDoc
from dripmail.checks.paint import Override, Paint
from dripmail.checks.registry import rule

MIN_PX, TARGET_PX = 14.0, 16.0


def _snippet(el: HtmlElement) -> str:
    text = " ".join(direct_text(el).split())
    return text if len(text) <= 40 else text[:37] + "…"


@rule("font-size", "error", "type and colour", "body text at least 14 px (16 px recommended)",
      shared=True)
def font_size_rule(doc: EmailDoc, run: Paint):
    """Small text is hard to read on phones; Apple Mail enlarges text under 13 px anyway."""
    cid = run.ids(doc.tree)
    small: dict[float, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        size = run.font_size(cid(el))
        if size < TARGET_PX:
            small.setdefault(round(size, 1), []).append(el)
    for size in sorted(small):
        els = small[size]
        severity = "error" if size < MIN_PX else "warning"
        need = MIN_PX if severity == "error" else TARGET_PX
        yield (severity, f"{len(els)} text element(s) at {size:g}px (under {need:g}px), e.g. "
               f"<{els[0].tag}> \"{_snippet(els[0])}\"",
               "set font-size to 16px or more in the theme (14px is the minimum for fine print)")


Selectors = tuple[tuple[Callable, tuple[int, int, int], cssmatch.Chain | None], ...]


@lru_cache(maxsize=512)  # the theme's selectors are the same in every email
def _selectors(selector_text: str) -> Selectors:
    """(document -> matching elements, specificity, chain or None) of each selector in a
    selector list; unusable ones left out. The XPath is compiled once (`tree.xpath(text)`
    would compile it on every call)."""
    try:
        selectors = cssselect.parse(selector_text)
    except cssselect.SelectorError:
        return ()
    out = []
    for selector in selectors:
        try:
            xpath = etree.XPath(HTMLTranslator().selector_to_xpath(selector))
            out.append((xpath, selector.specificity(), cssmatch.chain_of(selector)))
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
def _sheet(rules: tuple[StyleRule, ...]) -> tuple[paint.DarkSheet, tuple]:
    """The colour declarations of dark-mode rules, in rule order: (those whose selector is a
    chain, matched per context; the others with their XPath, matched per element)."""
    chains, others = [], []
    for order, item in enumerate(rules):
        decls = _colour_declarations(item)
        if not decls:
            continue
        for xpath, specificity, compounds in _selectors(item.selector):
            rank = (*specificity, order)
            if compounds is None:
                others.append((xpath, rank, decls))
            else:
                chains.append((compounds, rank, decls))
    return paint.DarkSheet(tuple(chains)), tuple(others)


def _per_element(doc: EmailDoc, rules: tuple[StyleRule, ...]) -> dict[HtmlElement, dict]:
    """Dark-mode colour declarations per element, every selector matched by its XPath (the
    reference the matching per context is tested against)."""
    best: dict[HtmlElement, dict[str, tuple[tuple, str]]] = {}
    for order, item in enumerate(rules):
        decls = dict(_colour_declarations(item))
        if not decls:
            continue
        for xpath, specificity, _chain in _selectors(item.selector):
            rank = (*specificity, order)
            for el in xpath(doc.tree):
                slot = best.setdefault(el, {})
                for prop, value in decls.items():
                    if prop not in slot or slot[prop][0] <= rank:
                        slot[prop] = (rank, value)
    return {el: {p: v for p, (_r, v) in props.items()} for el, props in best.items()}


def dark_override(doc: EmailDoc, run: Paint) -> Override | None:
    """Element -> the `@media (prefers-color-scheme: dark)` colours that apply to it (None: the
    email has no such block). The rules are `!important`, so they beat inline styles; among
    themselves the most specific selector wins, then the later rule, as in a browser.

    Chains of tags and classes are matched once per context, other selectors by XPath in this
    email (with DRIPMAIL_REFERENCE=1, every selector by XPath)."""
    rules = _dark_rules(doc)
    if not rules:
        return None
    if not run.shared:
        found = _per_element(doc, rules)
        return lambda el: tuple(found.get(el, {}).items())
    chains, others = _sheet(rules)
    light, table = run.ids(doc.tree), run.dark_table(chains)
    per_element: dict[HtmlElement, list[paint.Match]] = {}
    for xpath, rank, decls in others:
        for el in xpath(doc.tree):
            per_element.setdefault(el, []).append((rank, decls))
    if not per_element:
        return lambda el: run.dark_matches(chains, table, light(el))[1]
    return lambda el: paint.winners(sorted(
        (*run.dark_matches(chains, table, light(el))[0], *per_element.get(el, ())),
        key=lambda match: match[0]))


def _contrast_findings(doc: EmailDoc, run: Paint, cid: Callable[[HtmlElement], int], mode: str):
    failures: dict[tuple, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        found = run.verdict(cid(el))
        if found is not None:
            failures.setdefault(found, []).append(el)
    for (fg, bg, ratio, need), els in failures.items():
        yield ("error", f"{mode}: text {fg} on {bg} has contrast {ratio}:1 (needs {need:g}:1) in "
               f"{len(els)} element(s), e.g. <{els[0].tag}> \"{_snippet(els[0])}\"",
               "darken the text or lighten the background (WCAG 1.4.3)"
               + (" in the theme's @media (prefers-color-scheme: dark) block"
                  if mode == "dark mode" else ""))


@rule("contrast", "error", "type and colour", "text/background contrast ≥ 4.5:1 (3:1 large)",
      shared=True)
def contrast_rule(doc: EmailDoc, run: Paint):
    """Low-contrast text is unreadable for many readers and on phones in sunlight."""
    yield from _contrast_findings(doc, run, run.ids(doc.tree), "light mode")


@rule("contrast-dark", "error", "type and colour",
      "contrast ≥ 4.5:1 also with the @media (prefers-color-scheme: dark) palette", shared=True)
def contrast_dark(doc: EmailDoc, run: Paint):
    """Dark-mode overrides often leave some text dark on dark."""
    override = dark_override(doc, run)
    if override is not None:
        yield from _contrast_findings(doc, run, run.ids(doc.tree, override, "dark"), "dark mode")

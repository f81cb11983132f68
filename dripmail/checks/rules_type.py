"""Type and colour: body text size from inlined styles, WCAG contrast in light and dark mode."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import cssselect
import tinycss2.color3
from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement

from dripmail.checks.css import StyleRule, is_dark_context, stylesheet_items
from dripmail.checks.dom import direct_text, style_of, text_elements
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule
from dripmail.checks.select import matcher

MIN_PX, TARGET_PX = 14.0, 16.0
ROOT_PX = 16.0
KEYWORD_PX = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18,
              "x-large": 24, "xx-large": 32, "xxx-large": 48}
TAG_EM = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h5": 0.83, "h6": 0.67, "small": 0.83,
          "sub": 0.83, "sup": 0.83}
SIZE = re.compile(r"(?<![\w.-])(\d*\.?\d+)(px|pt|em|rem|%)(?![\w])", re.IGNORECASE)
BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
RGB = tuple[float, float, float]
WHITE, BLACK, LINK_BLUE = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.933)


def _size_token(style: dict[str, str]) -> str | None:
    if "font-size" in style:
        return style["font-size"].lower()
    if "font" in style:
        found = SIZE.search(style["font"]) or re.search(r"\b(" + "|".join(KEYWORD_PX) + r")\b",
                                                        style["font"])
        return found.group(0).lower() if found else None
    return None


def font_size(el: HtmlElement, cache: dict[HtmlElement, float]) -> float:
    """Computed font size in px from inline styles, tag defaults and inheritance."""
    key = el  # element keys keep lxml's proxies alive, so identity stays stable
    if key in cache:
        return cache[key]
    parent = el.getparent()
    inherited = font_size(parent, cache) if parent is not None else ROOT_PX
    size = inherited * TAG_EM.get(el.tag, 1.0)
    token = _size_token(style_of(el))
    if token:
        found = SIZE.fullmatch(token.split("/")[0].strip()) or SIZE.search(token)
        if token in KEYWORD_PX:
            size = float(KEYWORD_PX[token])
        elif token == "smaller":
            size = inherited / 1.2
        elif token == "larger":
            size = inherited * 1.2
        elif found:
            number, unit = float(found.group(1)), found.group(2).lower()
            size = {"px": number, "pt": number * 4 / 3, "em": number * inherited,
                    "rem": number * ROOT_PX, "%": number * inherited / 100}[unit]
    cache[key] = size
    return size


@lru_cache(maxsize=32)  # three rules need the sizes of the same tree
def font_sizes(tree: HtmlElement) -> dict[HtmlElement, float]:
    """The memo :func:`font_size` fills for one document (shared by the rules that read it)."""
    return {}


def is_bold(el: HtmlElement) -> bool:
    """Whether the element's text renders bold (inline font-weight or a bold tag)."""
    node: HtmlElement | None = el
    while node is not None:
        style = style_of(node)
        weight = style.get("font-weight", "").lower()
        if not weight and "font" in style:
            found = re.search(r"\b(bold|bolder|[6-9]00)\b", style["font"].lower())
            weight = found.group(1) if found else ""
        if weight:
            return weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 600)
        if node.tag in BOLD_TAGS:
            return True
        node = node.getparent()
    return False


def _snippet(el: HtmlElement) -> str:
    text = " ".join(direct_text(el).split())
    return text if len(text) <= 40 else text[:37] + "…"


@rule("font-size", "error", "type and colour", "body text at least 14 px (16 px recommended)")
def font_size_rule(doc: EmailDoc):
    """Small text is hard to read on phones; Apple Mail enlarges text under 13 px anyway."""
    cache = font_sizes(doc.tree)
    small: dict[float, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        size = font_size(el, cache)
        if size < TARGET_PX:
            small.setdefault(round(size, 1), []).append(el)
    for size in sorted(small):
        els = small[size]
        severity = "error" if size < MIN_PX else "warning"
        need = MIN_PX if severity == "error" else TARGET_PX
        yield (severity, f"{len(els)} text element(s) at {size:g}px (under {need:g}px), e.g. "
               f"<{els[0].tag}> \"{_snippet(els[0])}\"",
               "set font-size to 16px or more in the theme (14px is the minimum for fine print)")


@lru_cache(maxsize=1024)  # a theme uses a handful of colours, parsed for every element
def parse_color(value: str) -> tuple[float, float, float, float] | None:
    """An (r, g, b, alpha) colour from a CSS colour value, or None."""
    parsed = tinycss2.color3.parse_color(value.strip().removesuffix("!important").strip())
    if parsed is None or parsed == "currentColor":
        return None
    return (parsed.red, parsed.green, parsed.blue, parsed.alpha)


def _background_value(style: dict[str, str]) -> str | None:
    if "background-color" in style:
        return style["background-color"]
    if "background" in style:
        for token in style["background"].split():
            if parse_color(token) is not None:
                return token
    return None


def _blend(top: tuple[float, float, float, float], under: RGB) -> RGB:
    r, g, b, a = top
    return (r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a))


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


Overrides = dict[HtmlElement, dict[str, str]]


@lru_cache(maxsize=512)  # the theme's selectors are the same in every email
def _matchers(selector_text: str) -> tuple[tuple[Callable, tuple[int, int, int]], ...]:
    """(document -> matching elements, specificity) of each selector in a selector list;
    unusable ones left out. Simple selectors use a class index (`select.py`), others an XPath
    compiled once (`tree.xpath(text)` would compile it on every call)."""
    try:
        selectors = cssselect.parse(selector_text)
    except cssselect.SelectorError:
        return ()
    out = []
    for selector in selectors:
        try:
            xpath = etree.XPath(HTMLTranslator().selector_to_xpath(selector))
            out.append((matcher(selector, xpath), selector.specificity()))
        except (cssselect.SelectorError, ValueError, etree.XPathSyntaxError):
            continue  # pseudo-classes such as :hover never match a static email
    return tuple(out)


def dark_overrides(doc: EmailDoc) -> Overrides | None:
    """Colours set by `@media (prefers-color-scheme: dark)` rules, per element (None: no block).

    The rules are `!important`, so they beat inline styles; among themselves the most specific
    selector wins, then the later rule, as in a browser.
    """
    rules = [item for item in stylesheet_items(doc.tree)
             if isinstance(item, StyleRule) and is_dark_context(item.context)]
    if not rules:
        return None
    best: dict[HtmlElement, dict[str, tuple[tuple, str]]] = {}
    for order, item in enumerate(rules):
        decls = {p: v for p, v, _imp in item.declarations
                 if p in {"color", "background-color", "background"}}
        if not decls:
            continue
        for match, specificity in _matchers(item.selector):
            matches = match(doc.tree)
            rank = (*specificity, order)
            for el in matches:
                slot = best.setdefault(el, {})
                for prop, value in decls.items():
                    if prop not in slot or slot[prop][0] <= rank:
                        slot[prop] = (rank, value)
    return {el: {p: v for p, (_r, v) in props.items()} for el, props in best.items()}


Layer = tuple[float, float, float, float]


def _own(node: HtmlElement, overrides: Overrides) -> tuple[Layer | None, Layer | None]:
    """A node's own text colour and visible background layer (None where it sets none)."""
    style = {**style_of(node), **overrides.get(node, {})}
    value = style.get("color") or (node.get("color") if node.tag == "font" else None)
    fg = parse_color(value) if value else None
    value = _background_value(style) or node.get("bgcolor")
    layer = parse_color(value) if value else None
    return fg, (layer if layer is not None and layer[3] > 0 else None)


def _inherited(node: HtmlElement | None, overrides: Overrides, memo: dict
               ) -> tuple[Layer | None, RGB]:
    """(text colour set on `node` or above it, up to the first opaque background; the
    background composited from there down to `node`), memoised per node."""
    if node is None:
        return None, WHITE
    if node in memo:
        return memo[node]
    fg, layer = _own(node, overrides)
    if layer is not None and layer[3] >= 1:
        result = fg, _blend(layer, WHITE)
    else:
        up_fg, under = _inherited(node.getparent(), overrides, memo)
        result = (fg if fg is not None else up_fg), (_blend(layer, under) if layer else under)
    memo[node] = result
    return result


def colours(el: HtmlElement, overrides: Overrides, memo: dict | None = None) -> tuple[RGB, RGB]:
    """(text colour, background colour) of an element, with the given stylesheet overrides.

    `memo` (one per document and overrides) keeps what ancestors contribute between calls.
    """
    fg, background = _inherited(el, overrides, {} if memo is None else memo)
    if el.tag == "a" and _own(el, overrides)[0] is None:
        fg = (*LINK_BLUE, 1.0)  # an unstyled link itself is blue; its children inherit
    return _blend(fg or (*BLACK, 1.0), background), background


def _contrast_findings(doc: EmailDoc, overrides: Overrides, mode: str):
    cache = font_sizes(doc.tree)
    memo: dict = {}
    failures: dict[tuple, list[HtmlElement]] = {}
    for el in text_elements(doc.tree):
        fg, bg = colours(el, overrides, memo)
        size = font_size(el, cache)
        large = size >= 24 or (size >= 18.66 and is_bold(el))
        need = 3.0 if large else 4.5
        ratio = contrast(fg, bg)
        if ratio < need:
            failures.setdefault((_hex(fg), _hex(bg), round(ratio, 2), need), []).append(el)
    for (fg, bg, ratio, need), els in failures.items():
        yield ("error", f"{mode}: text {fg} on {bg} has contrast {ratio}:1 (needs {need:g}:1) in "
               f"{len(els)} element(s), e.g. <{els[0].tag}> \"{_snippet(els[0])}\"",
               "darken the text or lighten the background (WCAG 1.4.3)"
               + (" in the theme's @media (prefers-color-scheme: dark) block"
                  if mode == "dark mode" else ""))


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


@rule("contrast", "error", "type and colour", "text/background contrast ≥ 4.5:1 (3:1 large)")
def contrast_rule(doc: EmailDoc):
    """Low-contrast text is unreadable for many readers and on phones in sunlight."""
    yield from _contrast_findings(doc, {}, "light mode")


@rule("contrast-dark", "error", "type and colour",
      "contrast ≥ 4.5:1 also with the @media (prefers-color-scheme: dark) palette")
def contrast_dark(doc: EmailDoc):
    """Dark-mode overrides often leave some text dark on dark."""
    overrides = dark_overrides(doc)
    if overrides is not None:
        yield from _contrast_findings(doc, overrides, "dark mode")

"""Reading the `<style>` blocks: rules with their enclosing at-rules, nesting, dark-mode palette."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from lxml.html import HtmlElement


@dataclass(frozen=True, slots=True)
class StyleRule:
    """One qualified rule: its selector, declarations and the at-rule preludes around it."""

    selector: str
    declarations: tuple[tuple[str, str, bool], ...]  # (property, value, important)
    context: tuple[str, ...]  # e.g. ("@media (prefers-color-scheme: dark)",)


@dataclass(frozen=True, slots=True)
class AtRule:
    """An at-rule as written: `@name prelude`, with the at-rules around it."""

    name: str
    prelude: str
    context: tuple[str, ...]
    nested: bool  # contains another at-rule


def style_blocks(tree: HtmlElement) -> list[str]:
    """The text of every <style> element, in document order."""
    return [el.text or "" for el in tree.iter("style")]


def _declarations(tokens: list) -> tuple[tuple[str, str, bool], ...]:
    out = []
    for decl in tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration":
            out.append((decl.lower_name, tinycss2.serialize(decl.value).strip(), decl.important))
    return tuple(out)


def _has_at_keyword(tokens: list) -> bool:
    for token in tokens or ():
        if token.type == "at-keyword":
            return True
        if getattr(token, "content", None) is not None and token.type != "at-rule":
            if _has_at_keyword(token.content):
                return True
    return False


def _walk(nodes: list, context: tuple[str, ...]) -> Iterator[StyleRule | AtRule]:
    for node in nodes:
        if node.type == "qualified-rule":
            selector = tinycss2.serialize(node.prelude).strip()
            yield StyleRule(selector, _declarations(node.content), context)
        elif node.type == "at-rule":
            prelude = tinycss2.serialize(node.prelude).strip()
            label = f"@{node.lower_at_keyword} {prelude}".strip()
            nested = _has_at_keyword(node.content) if node.content else False
            yield AtRule(node.lower_at_keyword, prelude, context, nested)
            if node.content is not None and node.lower_at_keyword in {"media", "supports"}:
                inner = tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                 skip_whitespace=True)
                yield from _walk(inner, (*context, label))


@lru_cache(maxsize=64)
def parse_css(css: str) -> tuple[StyleRule | AtRule, ...]:
    """Every rule and at-rule of a stylesheet, flattened with their at-rule context."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return tuple(_walk(nodes, ()))


def stylesheet_items(tree: HtmlElement) -> list[StyleRule | AtRule]:
    """All rules of all <style> blocks of a document."""
    items: list[StyleRule | AtRule] = []
    for css in style_blocks(tree):
        items.extend(parse_css(css))
    return items


def is_dark_context(context: tuple[str, ...]) -> bool:
    """Whether rules in this context apply only in dark mode."""
    return any("prefers-color-scheme" in c and "dark" in c for c in context)

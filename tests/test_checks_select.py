"""The quality gate's class-index selector matching equals cssselect's XPath."""

from __future__ import annotations

import random

import cssselect
import lxml.html
from cssselect import HTMLTranslator
from lxml import etree

from dripmail.checks.select import chain, select

TAGS = ["div", "p", "td", "a", "span", "table", "tr"]
CLASSES = ["a", "b", "c", "btn-a", "A"]
SPACES = [" ", "  ", "\t", "\n", " \u00a0", "\f"]


def _tree(rng: random.Random, depth: int = 0) -> str:
    tag = rng.choice(TAGS)
    names = rng.sample(CLASSES, rng.randint(0, 3)) + (["a"] if rng.random() < 0.1 else [])
    attr = (f' class="{rng.choice(SPACES)}' + rng.choice(SPACES).join(names) + '"'
            if names or rng.random() < 0.2 else "")
    inner = "".join(_tree(rng, depth + 1) for _ in range(rng.randint(0, 3) if depth < 5 else 0))
    comment = "<!-- x -->" if rng.random() < 0.1 else ""
    return f"<{tag}{attr}>{comment}t{inner}</{tag}>"


def _selector(rng: random.Random) -> str:
    def compound() -> str:
        tag = rng.choice(["", "*", *TAGS, "DIV"])
        names = "".join("." + n for n in rng.sample(CLASSES, rng.randint(0 if tag else 1, 2)))
        return tag + names
    return " ".join(compound() for _ in range(rng.randint(1, 3)))


def test_select_matches_xpath() -> None:
    rng = random.Random(7)
    simple = 0
    for _ in range(300):
        doc = lxml.html.document_fromstring(
            f'<html class="a"><body class="b c">{_tree(rng)}{_tree(rng)}</body></html>')
        for _ in range(10):
            selector = cssselect.parse(_selector(rng))[0]
            compounds = chain(selector)
            if compounds is None:
                continue
            simple += 1
            expected = etree.XPath(HTMLTranslator().selector_to_xpath(selector))(doc)
            assert select(doc, compounds) == expected, selector
    assert simple > 2000


def test_other_selectors_are_left_to_xpath() -> None:
    for text in (".a > p", ".a + p", "p[title]", "a:hover", ".a::before", "#id", "ns|p"):
        assert chain(cssselect.parse(text)[0]) is None, text

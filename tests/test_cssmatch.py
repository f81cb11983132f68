"""The one selector matcher (dripmail.cssmatch) finds the elements cssselect's XPath finds, with
the HTML translator (the quality gate's) and the XML one (premailer's)."""

from __future__ import annotations

import random

import cssselect
import lxml.html
from cssselect import GenericTranslator, HTMLTranslator
from lxml import etree

from dripmail import cssmatch

TAGS = ["div", "p", "td", "a", "span", "table", "tr"]
CLASSES = ["a", "b", "c", "btn-a", "A", "x\\:y"]
SPACES = [" ", "  ", "\t", "\n", " \u00a0", "\f"]


def _tree(rng: random.Random, depth: int = 0) -> str:
    tag = rng.choice(TAGS)
    names = [n.replace("\\", "") for n in rng.sample(CLASSES, rng.randint(0, 3))]
    names += ["a"] if rng.random() < 0.1 else []
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


def _matching(doc: etree._Element, compounds: cssmatch.Chain) -> list:
    return [el for el in doc.iter() if isinstance(el.tag, str) and cssmatch.matches(
        compounds, el.tag, cssmatch.classes(el.get("class")),
        ((up.tag, cssmatch.classes(up.get("class"))) for up in el.iterancestors()))]


def test_chains_match_what_xpath_matches() -> None:
    rng = random.Random(7)
    simple = 0
    for _ in range(200):
        doc = lxml.html.document_fromstring(
            f'<html class="a"><body class="b c">{_tree(rng)}{_tree(rng)}</body></html>')
        for _ in range(10):
            text = _selector(rng)
            compounds = cssmatch.chain(text)
            if compounds is None:
                assert "DIV" in text, text  # upper-case tags are left to XPath
                continue
            simple += 1
            found = _matching(doc, compounds)
            for translator in (HTMLTranslator(), GenericTranslator()):
                expected = etree.XPath(translator.css_to_xpath(text))(doc)
                assert found == expected, (text, translator)
    assert simple > 1200


def test_other_selectors_are_left_to_xpath() -> None:
    for text in (".a > p", ".a + p", ".a ~ p", "p[title]", "a:hover", ".a::before", "#id",
                 "ns|p", "P", "td.X P", "p, .a", "p:first-child", ".a\\ b", "!", ""):
        assert cssmatch.chain(text) is None, text
    assert cssmatch.chain_of(cssselect.parse("td .a.b")[0]) == (
        ("td", frozenset()), (None, frozenset({"a", "b"})))
    assert cssmatch.chain("* .x\\:y") == ((None, frozenset()), (None, frozenset({"x:y"})))

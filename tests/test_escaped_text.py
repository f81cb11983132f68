"""Escaped HTML in an article (`&lt;em&gt;`) is text, wherever it stands: at the start of a
fragment or a whole page, in the middle, in the text after an element or a container (a tail),
and in attribute values; in .html and .md articles, in the blocks and in the built email."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from dripmail.models import Settings, Source
from dripmail.pipeline.project import render_project
from dripmail.reading.article import parse_article
from tests.conftest import write

WORDS = "Enough plain words follow here so that the paragraph is a real one."
LITERAL = {"<em>start</em>", "<b>middle</b>", "<i>tail</i>", "<u>after div</u>"}
HTML_BODY = (f"&lt;em&gt;start&lt;/em&gt; text. <p>One &lt;b&gt;middle&lt;/b&gt; {WORDS}</p>"
             f"&lt;i&gt;tail&lt;/i&gt;<div><p>{WORDS}</p></div>&lt;u&gt;after div&lt;/u&gt;"
             f'<p><a href="https://example.com/?q=&lt;em&gt;" title="&lt;em&gt;x">a link</a></p>')
CASES = {
    "html-fragment": ("html", HTML_BODY),
    "html-page": ("html", f"<html><head><title>T</title></head><body>{HTML_BODY}</body></html>"),
    "html-article": ("html", f"<html><body><nav>menu</nav><article>{HTML_BODY}</article>"
                             "</body></html>"),
    "md": ("md", f"&lt;em&gt;start&lt;/em&gt; text.\n\nOne &lt;b&gt;middle&lt;/b&gt; {WORDS}\n\n"
                 f"<div markdown=\"1\">\n{WORDS}\n</div>\n\n&lt;i&gt;tail&lt;/i&gt; "
                 "&lt;u&gt;after div&lt;/u&gt;\n\n"
                 "[a link](https://example.com/?q=&lt;em&gt; \"&lt;em&gt;x\")\n"),
}


def _article(fmt: str, body: str):
    return parse_article(Source(Path(f"post.{fmt}"), fmt, body), Settings())


@pytest.mark.parametrize("case", list(CASES))
def test_escaped_html_stays_text_in_blocks(case: str) -> None:
    a = _article(*CASES[case])
    html = "".join(b.html for b in a.blocks)
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not tree.xpath(".//em|.//b|.//i|.//u"), html  # no markup made from text
    text = tree.text_content()
    for literal in LITERAL:
        assert literal in text, (literal, html)
    assert all(b.kind in {"paragraph", "heading"} for b in a.blocks)
    link = tree.find(".//a")
    assert link.get("href") == "https://example.com/?q=<em>"
    assert link.get("title") == "<em>x"
    assert "&lt;em&gt;" in lxml.html.tostring(link, encoding="unicode")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_escaped_text_at_the_start_stays_text_in_the_email(fmt: str, tmp_path: Path) -> None:
    body = CASES["html-page" if fmt == "html" else "md"][1]
    write(tmp_path / "sequences" / f"post.{fmt}", body)
    email = render_project(tmp_path).sequences[0].emails[0]
    content = lxml.html.fromstring(email.html).xpath("//td[contains(@class,'content')]")[0]
    assert not content.xpath(".//em|.//b|.//i|.//u")
    assert "<em>start</em> text." in content.text_content()
    assert "<em>start</em> text." in email.text


def test_text_after_a_layout_container_is_kept() -> None:
    a = _article("html", f"<div><p>{WORDS}</p></div>Closing words after the div."
                         f"<section><p>{WORDS}</p></section>  \n")
    assert [b.text for b in a.blocks] == [WORDS, "Closing words after the div.", WORDS]

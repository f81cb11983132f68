"""Parsing articles into sanitised blocks: Markdown, HTML pages, safety, links."""

from __future__ import annotations

from pathlib import Path

from dripmail.models import Settings, Source
from dripmail.reading.article import parse_article, slugify


def article(body: str, fmt: str = "md", **settings):
    src = Source(path=Path(f"post.{fmt}"), fmt=fmt, body=body)
    return parse_article(src, Settings(**settings))


def test_markdown_title_sections_and_kinds() -> None:
    a = article("# The Title\n\nIntro text.\n\n## First\n\n- a\n- b\n\n> quoted\n\n"
                "```\ncode\n```\n\n| h | i |\n|---|---|\n| 1 | 2 |\n")
    assert a.title == "The Title"
    assert [b.kind for b in a.blocks] == ["paragraph", "heading", "list", "quote", "code",
                                          "table"]
    assert a.blocks[1].level == 2


def test_headings_are_shifted_so_sections_are_h2() -> None:
    a = article(
        "# Section one\n\nText.\n\n# Section two\n\nMore.\n", title="Front matter title")
    assert a.title == "Front matter title"
    assert [b.html[:4] for b in a.blocks if b.kind == "heading"] == ["<h2>", "<h2>"]


def test_untitled_html_fragment_title_from_file_name() -> None:
    a = article("<p>Just a paragraph.</p>", fmt="html")
    assert a.title == "Post"


def test_html_page_keeps_article_drops_furniture() -> None:
    page = """<html><head><title>Page title</title><style>p{color:red}</style>
    <script>alert(1)</script></head><body>
    <nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <header><p>Site banner</p></header>
    <article><h1>Real Title</h1><p onclick="steal()">Hello <a href="javascript:alert(1)">x</a>
    <a href="https://ok.example/">ok</a></p>
    <iframe src="https://evil.example"></iframe><img src="a.png" onerror="x()">
    <form><input name="q"><button>Go</button></form>
    <blockquote><p>Quote</p></blockquote><ul><li>one</li></ul></article>
    <footer>Copyright</footer></body></html>"""
    a = article(page, fmt="html")
    html = "".join(b.html for b in a.blocks)
    assert a.title == "Real Title"
    for gone in ("Home", "Site banner", "alert", "onclick", "javascript:", "iframe",
                 "onerror", "<form", "input", "Copyright", "color:red"):
        assert gone not in html
    assert '<a href="https://ok.example/">ok</a>' in html
    assert [b.kind for b in a.blocks] == ["paragraph", "image", "quote", "list"]


def test_markdown_raw_html_is_sanitised() -> None:
    a = article("# T\n\nHi <script>alert(1)</script><b onmouseover=x()>bold</b> "
                "[link](javascript:alert(2)) <iframe src=x></iframe>\n")
    html = a.blocks[0].html
    assert "script" not in html and "onmouseover" not in html
    assert "javascript" not in html and "iframe" not in html
    assert "<b>bold</b>" in html


def test_template_syntax_stays_literal_text() -> None:
    a = article("# T\n\nCompute {{ 7*7 }} and {% for x in y %}loop{% endfor %}.\n")
    assert "{{ 7*7 }}" in a.blocks[0].text
    assert "{% for x in y %}" in a.blocks[0].text


def test_relative_links_and_images_use_base_url_and_utm() -> None:
    a = article("# T\n\nSee [the post](/blog/x) and ![a photo](img/p.jpg) and "
                "[mail](mailto:a@b.c).\n",
                base_url="https://site.example/", utm={"source": "news", "campaign": "{slug}"})
    html = a.blocks[0].html
    assert 'href="https://site.example/blog/x?utm_source=news&amp;utm_campaign=post"' in html
    assert 'src="https://site.example/img/p.jpg"' in html
    assert 'href="mailto:a@b.c"' in html


def test_images_always_get_alt() -> None:
    a = article("<p>Text <img src='https://x.example/a.png'></p>", fmt="html")
    assert 'alt=""' in a.blocks[0].html


def test_cut_marker_becomes_a_break() -> None:
    a = article("# T\n\nOne.\n\n<!-- email -->\n\nTwo.\n")
    assert [b.kind for b in a.blocks] == ["paragraph", "break", "paragraph"]
    h = article("<p>One.</p><!-- email --><p>Two.</p>", fmt="html")
    assert [b.kind for b in h.blocks] == ["paragraph", "break", "paragraph"]


def test_text_rendering_of_blocks() -> None:
    a = article("# T\n\n## Section\n\n1. first\n2. second\n\n> wise words\n\n"
                "A [link](https://x.example/) here.\n")
    texts = [b.text for b in a.blocks]
    assert texts[0] == "Section\n======="
    assert texts[1] == "1. first\n2. second"
    assert texts[2] == "> wise words"
    assert texts[3] == "A link (https://x.example/) here."


def test_slugify() -> None:
    assert slugify("When Your Partner Isn’t Ready!") == "when-your-partner-isnt-ready"
    assert slugify("Ça va? Déjà") == "ca-va-deja"
    assert slugify("???") == "email"

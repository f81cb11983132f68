"""The built-in theme as a reader meets it: the sign-off, one next step per email, the quiet
footer, "Part N of M", headings that skip no level, article tables and HTML5 elements made safe
for every client, the index page's plurals, and the preview's sample subscriber."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dripmail.models import Settings
from dripmail.pipeline.project import render_project
from dripmail.preview import livebuild
from dripmail.preview import server as serve
from dripmail.preview.sample import filler, subscriber
from dripmail.providers import dialect
from dripmail.rendering.fit import fit_headings, levels, mark_blocks
from dripmail.writing.index import render_index
from tests.conftest import write

THEME = Path(__file__).resolve().parents[1] / "templates" / "styles.css"


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def lum(colour: str) -> float:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((lum(fg), lum(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def emails(project: Path, **overrides):
    seq, = render_project(project, overrides=overrides or None).sequences
    return seq.emails


def content(email) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(email.html).find_class("content")[0]


# --- headings: the email's outline skips no level ----------------------------------------------

@pytest.mark.parametrize(("found", "under", "expected"), [
    ([3, 4, 3], 1, [2, 3, 2]),      # a section's subsections, its own heading in the <h1>
    ([4, 3], 1, [2, 2]),            # an email that starts inside a subsection
    ([2, 5, 6], 1, [2, 3, 4]),      # levels the writer skipped
    ([1, 2, 1], 1, [2, 3, 2]),      # the article's own <h1>s never compete with the email's
    ([2, 3], 2, [3, 4]),            # under a digest article's <h2>
    ([2, 3, 4, 5, 6, 6], 1, [2, 3, 4, 5, 6, 6]),
])
def test_heading_levels_fit_under_the_email_heading(found, under, expected) -> None:
    assert levels(under, found) == expected


@given(st.lists(st.integers(1, 6), max_size=30), st.integers(1, 2))
def test_fitted_headings_never_skip_a_level(found: list[int], under: int) -> None:
    new = levels(under, found)
    for before, level in zip([under, *new], new, strict=False):
        assert under < level <= min(before + 1, 6)


def test_heading_tags_are_renumbered_with_their_end_tags_not_attribute_text() -> None:
    pieces = ['<h4 class="x">Four</h4>', '<p><a title="<h5>">not a heading</a></p>',
              "<div><h6>Six</h6><p>text</p></div>"]
    assert fit_headings(pieces) == ['<h2 class="x">Four</h2>', pieces[1],
                                    "<div><h3>Six</h3><p>text</p></div>"]


def test_an_email_starting_inside_a_section_gets_h2(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'postal_address = "1 Road"\nemails = 2\nmin_words = 10\n')
    words = " ".join(["word"] * 150) + "."
    write(tmp_path / "sequences" / "deep.md", f"""
        # Deep

        {words}

        ### Details

        {words}

        #### Finer points

        {words}
    """)
    for email in emails(tmp_path):
        found = [int(h.tag[1]) for h in lxml.html.document_fromstring(email.html).iter(
            "h1", "h2", "h3", "h4", "h5", "h6")]
        assert found[0] == 1 and found.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(found, found[1:], strict=False)), found


# --- article markup every client knows -----------------------------------------------------

def test_data_tables_get_role_table_and_a_scroll_box_layout_tables_presentation() -> None:
    data = "<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>"
    listing = "<table><tr><td><pre>1\n2</pre></td><td><pre>x = 1\ny = 2</pre></td></tr></table>"
    headed = "<table><thead><tr><th>k</th></tr></thead><tr><td>v</td></tr></table>"
    out = lxml.html.fragment_fromstring(mark_blocks(data + listing + headed),
                                        create_parent="div")
    first, second, third = out.iter("table")
    assert (first.get("role"), first.get("class")) == ("table", "data")
    assert first.getparent().get("class") == "scroll"
    assert (second.get("role"), second.get("class")) == ("presentation", "layout")
    assert third.get("role") == "table"


def test_html5_elements_become_ones_every_client_knows_and_lists_of_points_are_marked() -> None:
    html = ('<figure><img src="https://x.example/a.png" alt="A"><figcaption>Cap</figcaption>'
            '</figure><p><mark>hot</mark> <abbr title="HyperText">HTML</abbr></p>'
            "<ol><li><p><strong>Title</strong></p><p>Why.</p></li></ol><ul><li>plain</li></ul>")
    out = mark_blocks(html)
    for gone in ("<figure", "<figcaption", "<mark", "<abbr"):
        assert gone not in out
    assert '<div class="figure">' in out and '<p class="figcaption">Cap</p>' in out
    assert '<span class="mark">hot</span>' in out and 'title="HyperText"' in out
    assert '<ol class="points">' in out and "<ul><li>plain" in out
    assert mark_blocks("<p>plain</p>") == "<p>plain</p>"


# --- the example's emails --------------------------------------------------------------------

def test_header_has_a_noun_and_each_email_is_signed(example: Path) -> None:
    found = emails(example)
    for email in found:
        doc = lxml.html.document_fromstring(email.html)
        header = " ".join(doc.find_class("header")[0].text_content().split())
        assert header == f"Harbor Counseling · Part {email.position} of {len(found)}"
        signoff = doc.find_class("signoff")[0]
        assert [t.strip() for t in signoff.itertext()] == ["Warmly,", "Maya"]
        assert email.text.startswith(f"Harbor Counseling · Part {email.position} of 5\n")
        assert "\nWarmly,\nMaya\n\n" in email.text


def test_signature_defaults_to_warmly_and_the_sender_name(example: Path) -> None:
    toml = example / "dripmail.toml"
    toml.write_text(re.sub(r"(?m)^signature = .*\n", "", toml.read_text(encoding="utf-8")),
                    encoding="utf-8")
    email = emails(example)[0]
    signoff = content(email).find_class("signoff")[0]
    assert [t.strip() for t in signoff.itertext()] == ["Warmly,", "Dr. Maya Ellis"]
    assert "\nWarmly,\nDr. Maya Ellis\n" in email.text


def test_middle_emails_end_on_the_teaser_and_the_article_link_is_a_ps_in_the_last(
        example: Path) -> None:
    found = emails(example)
    article = "https://example.com/blog/when-your-partner-isnt-ready"
    for email in found[:-1]:
        cell = content(email)
        assert [el.get("class") for el in cell][-2:] == ["signoff", "teaser"]
        assert article not in email.html and article not in email.text
    cell = content(found[-1])
    tail = [el.get("class") or el.tag for el in cell][-3:]
    assert tail == ["table", "signoff", "postscript"]  # the button, the close, the P.S.
    link = cell.find_class("postscript")[0].find("a")
    assert link.get("href") == article and link.text == "Read the whole article on the blog"
    assert f"P.S. Read the whole article on the blog:\n{article}\n" in found[-1].text


def test_footer_is_below_the_card_quiet_and_readable(example: Path) -> None:
    email = emails(example)[0]
    doc = lxml.html.document_fromstring(email.html)
    footer = doc.find_class("footer")[0]
    assert not [t for t in footer.iterancestors("table") if "card" in (t.get("class") or "")]
    body_size = int(re.search(r"font-size:(\d+)px", content(email).get("style")).group(1))
    for p in footer.iter("p"):
        style = p.get("style")
        size = int(re.search(r"font-size:(\d+)px", style).group(1))
        colour = re.search(r"color:(#[0-9a-f]{6})", style).group(1)
        assert 16 <= size < body_size
        assert 4.5 <= contrast(colour, "#f4f1ec") < contrast("#1f2933", "#ffffff")
    dark = re.search(r"\.footer, \.footer p, \.footer a \{ color: (#[0-9a-f]{6})",
                     THEME.read_text(encoding="utf-8")).group(1)
    assert contrast(dark, "#14181c") >= 4.5
    text = footer.text_content()
    assert "Unsubscribe" in text and "123 Harbor Street" in text


def test_titles_stay_readable_from_inline_styles_alone(example: Path) -> None:
    for email in emails(example):
        h1 = content(email).find("h1")
        assert int(re.search(r"font-size:(\d+)px", h1.get("style")).group(1)) <= 24


def test_index_page_counts_emails_in_words() -> None:
    def manifest(n: int) -> dict:
        return {"folder": "s", "sequence": {"title": "T", "kind": "sequence", "emails": n,
                                            "source": "a.md", "provider": "generic"},
                "emails": []}
    page = render_index(Path("."), [manifest(1), manifest(3)])
    assert "1 email &middot;" in page and "3 emails &middot;" in page
    assert "1 emails" not in page


# --- the preview's sample subscriber ---------------------------------------------------------

@pytest.mark.parametrize("provider", sorted(dialect.DIALECTS))
def test_sample_subscriber_fills_every_providers_tags(example: Path, provider: str) -> None:
    write(example / "sequences" / "literal.md", """
        # Literal tags

        Write {{ first_name }}, *|FNAME|*, {$name} or {{ contact.FIRSTNAME }} to greet people.
        This sentence pads the article so that it makes one email with enough words in it.
    """)
    seqs = render_project(example, overrides={"provider": provider}).sequences
    for seq in seqs:
        html_fill, text_fill = filler(seq.settings, as_html=True), filler(seq.settings,
                                                                          as_html=False)
        for email in seq.emails:
            html, text = html_fill.fill(email.html), text_fill.fill(email.text)
            greeting = lxml.html.document_fromstring(html).find_class("greeting")[0]
            assert greeting.text_content() == "Hi Sam,", provider
            assert re.search(r"Hi\s+Sam,", text), provider
            d = dialect.dialect(provider, seq.settings)
            for name in dialect.NAMES:
                for fallback in ("there", ""):
                    syntax, literal = d.render(name, fallback, seq.settings)
                    assert literal or not syntax or syntax not in html, (provider, name)
            if seq.slug == "literal":  # what the article wrote stays as written
                shown = lxml.html.document_fromstring(html).text_content()
                assert "to greet people" in shown and "Sam, *|" not in shown


def test_sample_subscriber_comes_from_the_preview_table(tmp_path: Path) -> None:
    assert subscriber(Settings()) == {"first_name": "Sam", "email": "sam@example.com"}
    s = Settings(extra={"preview": {"first_name": "Robin"}})
    assert subscriber(s) == {"first_name": "Robin", "email": "sam@example.com"}
    empty = Settings(extra={"preview": {"first_name": ""}})
    html = dialect.resolve(f"<p>Hi {dialect.token('first_name', 'there')},</p>", "generic",
                           empty, as_html=True, document=False)
    assert filler(empty, as_html=True).fill(html) == "<p>Hi there,</p>"  # the fallback


@pytest.mark.slow
def test_preview_serves_emails_with_the_sample_subscriber_or_raw(example: Path) -> None:
    toml = example / "dripmail.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('# first_name = "Sam"',
                                                             'first_name = "Robin"'),
                    encoding="utf-8")
    state = livebuild.Preview(example, (), time_limit=None)
    assert state.rebuild(), state.error
    email = state.sequences[0]["emails"][0]
    with serve.PreviewServer(state, "127.0.0.1", 0) as running:
        def get(path: str) -> str:
            with urllib.request.urlopen(running.url.rstrip("/") + path, timeout=10) as r:
                return r.read().decode("utf-8")
        raw, filled = get(f"{email['html']}?raw=1"), get(f"{email['html']}?raw=1&sample=1")
        text = get(f"{email['text']}?sample=1")
    assert 'Hi {{ first_name | default: "there" }},' in raw
    assert "Hi Robin," in filled and "{{" not in filled
    assert "Hi Robin," in text and "Unsubscribe: https://example.com/unsubscribe" in text


def test_digest_links_each_article_to_its_page(example: Path) -> None:
    from dripmail.newsletter.issue import render_newsletter
    from tests.conftest import ROOT

    posts = [example / "sequences" / "when-your-partner-isnt-ready.txt",
             ROOT / "docs" / "digest" / "small-repairs.md",
             ROOT / "docs" / "digest" / "sleep-and-conflict.md"]
    issue = render_newsletter(example, posts, {"title": "November notes", "date": "2025-11-28"})
    doc = lxml.html.document_fromstring(issue.sequence.emails[0].html)
    links = [a.get("href") for a in doc.find_class("btn-a")] + [
        a.get("href") for p in doc.find_class("read-more") for a in p.iter("a")]
    assert links == ["https://example.com/blog/when-your-partner-isnt-ready",
                     "https://example.com/blog/small-repairs",
                     "https://example.com/blog/sleep-and-conflict"]
    header = doc.find_class("header")[0]
    assert [s.text_content() for s in header.find_class("nowrap")] == ["28 November 2025"]

"""`dripmail newsletter`: one article as one email, digests, excerpts, URLs, UTM tags, settings."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import textwrap
import threading
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dripmail.cli import cli
from dripmail.errors import ConfigError
from dripmail.models import Block
from dripmail.newsletter.excerpt import cut_paragraph, excerpt
from dripmail.newsletter.issue import render_newsletter
from dripmail.newsletter.options import check_table
from dripmail.pipeline.build import build
from tests.browser import chromium, needs_chromium, playwright

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sequences" / "when-your-partner-isnt-ready.txt"


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def para(html: str) -> Block:
    el = lxml.html.fragment_fromstring(html)
    return Block(kind="paragraph", html=html, text=el.text_content(),
                 words=len(el.text_content().split()))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(word in it for word in needle)


def content_of(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html).find_class("content")[0]


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["newsletter", *args], catch_exceptions=False)


@pytest.fixture
def cli_runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_project(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example (dripmail.toml + sequences/), as the current folder."""
    monkeypatch.chdir(example)
    return example


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with three posts: one.md (front-matter url, an image), two.md, three.txt."""
    put(tmp_path / "dripmail.toml", """
        brand = "Test Studio"
        postal_address = "1 Test Road, Testville"
        base_url = "https://blog.example.com/posts/"
    """)
    put(tmp_path / "one.md", """
        ---
        url: https://example.com/articles/one
        ---
        # Sleep first

        ![A calm harbour at dusk](https://example.com/harbour.jpg)

        Dr. Smith says rest matters. Sleep is the base of everything we do, and *most* people
        get too little of it. See [the study](https://example.com/study) for details.

        This second paragraph starts within the budget of the excerpt, so its first sentence is
        kept in the digest. ONE-LATER, the second sentence, goes
        on to say that rest is not a luxury but a condition for everything else, that the body
        keeps score, and that the mind needs quiet hours to sort what the day has brought in.

        ## Why it matters

        ONE-SECTION text that belongs to the full article only.
    """)
    put(tmp_path / "two.md", """
        # Second thoughts

        Changing your mind is a skill. It takes practice and patience, and it gets easier.
        Most of us were taught that holding firm is a virtue, and that people who change their
        views are weak or unreliable, yet the research on judgement points the other way: good
        forecasters update often, in small steps, and say so out loud without any shame at all.
        TWO-LATER sentence that should be cut away at the sentence boundary because the word
        budget of the excerpt is used up well before this point in the paragraph.
    """)
    put(tmp_path / "three.txt", """
        Third time lucky
        This plain-text article is the third one. It has short sentences.
    """)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def newsletter_files(out: Path, slug: str) -> tuple[str, str, dict]:
    manifest = json.loads((out / slug / "manifest.json").read_text(encoding="utf-8"))
    email = manifest["emails"][0]
    html = (out / slug / email["html"]).read_text(encoding="utf-8")
    text = (out / slug / email["text"]).read_text(encoding="utf-8")
    return html, text, manifest


# --- one article -----------------------------------------------------------------------------

def test_seed_article_becomes_one_whole_email(seed_project: Path, cli_runner: CliRunner) -> None:
    result = run(cli_runner, "sequences/when-your-partner-isnt-ready.txt")
    assert result.exit_code == 0, result.output
    out = seed_project / "build"
    slug = "when-your-partner-isnt-ready-newsletter"  # never the sequence's own folder
    html, text, manifest = newsletter_files(out, slug)
    assert manifest["sequence"]["kind"] == "newsletter"
    assert manifest["sequence"]["emails"] == 1 and len(manifest["emails"]) == 1
    email = manifest["emails"][0]
    assert email["html"].startswith("01-") and email["text"].startswith("01-")
    assert email["subject"] == "When Your Partner Isn’t Ready for Couple Therapy"
    assert email["preheader"].startswith("There is a particular kind of loneliness")
    assert 40 <= len(email["preheader"]) <= 101
    # every word of the seed, in order, in the plain text and in the HTML body
    seed = words(SEED.read_text(encoding="utf-8"))
    assert is_subsequence(seed, words(text))
    body = content_of(html)
    assert is_subsequence([w for w in seed if not w.isdigit()], words(body.text_content()))
    assert body.find(".//h1").text_content().startswith("When Your Partner Isn’t Ready")
    assert len(body.findall(".//h2")) == 6  # the seed's section headings, in the one email
    # a newsletter, not a course email: no position, recap or teaser
    for absent in ("1 of 1", "Last time:", "Next time:"):
        assert absent not in html and absent not in text
    assert "subscribed to the Harbor Counseling newsletter" in " ".join(text.split())
    assert "Built newsletter" in result.output and slug in result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{slug}/{email['html']}" in index and "newsletter" in index


def test_single_article_with_its_own_title_keeps_the_article_title(blog: Path) -> None:
    issue = render_newsletter(blog, [blog / "two.md"], {"title": "Weekly letter"})
    email = issue.sequence.emails[0]
    body = content_of(email.html)
    assert body.find(".//h1").text_content() == "Weekly letter"
    assert body.find(".//h2").text_content() == "Second thoughts"
    assert "TWO-LATER" in email.text  # still the whole article
    assert issue.sequence.slug == "weekly-letter"


# --- digests ---------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web(tmp_path: Path):
    """A local web server for the blog's article pages: /two, /three."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("two", "three"):
        (site / name).mkdir()
        (site / name / "index.html").write_text(f"<h1>{name}</h1>", encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_digest_of_three_articles(blog: Path, cli_runner: CliRunner, web: str) -> None:
    toml = (blog / "dripmail.toml").read_text(encoding="utf-8")
    (blog / "dripmail.toml").write_text(  # (an unsubscribe_url: else the build warns)
        toml.replace("https://blog.example.com/posts/", web)
        + 'unsubscribe_url = "https://blog.example.com/unsubscribe"\n', encoding="utf-8")
    result = run(cli_runner, "one.md", "two.md", "three.txt", "--title", "November notes")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    html, text, manifest = newsletter_files(blog / "build", "november-notes")
    assert manifest["sequence"]["kind"] == "newsletter"
    assert manifest["emails"][0]["html"] == "01-november-notes.html"
    assert manifest["emails"][0]["subject"] == "November notes"
    assert manifest["emails"][0]["preheader"].startswith("In this issue: Sleep first")
    body = content_of(html)
    assert body.find(".//h1").text_content() == "November notes"

    # contents list: one entry per article, plain titles (no in-email anchors: Gmail on iOS does
    # not follow them); each article's title is a heading, not a link
    contents = body.find_class("contents")[0]
    assert [li.text_content() for li in contents.findall("li")] == [
        "Sleep first", "Second thoughts", "Third time lucky"]
    assert not contents.findall(".//a") and not body.xpath(".//a[starts-with(@href, '#')]")
    titles = body.find_class("article-title")
    assert [(h.tag, h.text_content()) for h in titles] == [
        ("h2", "Sleep first"), ("h2", "Second thoughts"), ("h2", "Third time lucky")]
    assert all(not h.findall(".//a") for h in titles)

    # an excerpt per article, cut before the later material
    content = " ".join(body.text_content().split())
    assert "Dr. Smith says rest matters." in content and "the study" in content
    assert "Changing your mind is a skill. It takes practice" in content
    assert "This plain-text article is the third one." in content
    assert "so its first sentence is kept in the digest." in content  # cut inside paragraph 2
    for later in ("ONE-LATER", "ONE-SECTION", "Why it matters", "TWO-LATER"):
        assert later not in content and later not in text

    # the first image, with its alt text, linked to the article
    img = body.find(".//img")
    assert img.get("src") == "https://example.com/harbour.jpg"
    assert img.get("alt") == "A calm harbour at dusk" and img.get("width") == "536"

    # one button (the lead article's, bulletproof), then text links, each to its article's URL
    buttons = body.find_class("btn-a")
    assert [b.text_content() for b in buttons] == ["Read the full article"]
    links = [a for p in body.find_class("read-more") for a in p.findall("a")]
    assert [a.text_content() for a in links] == ["Read the full article"] * 2
    hrefs = [b.get("href") for b in buttons + links]
    assert hrefs == ["https://example.com/articles/one", f"{web}two", f"{web}three"]
    assert len(re.findall(r"<v:roundrect [^>]*href=", html)) == 1  # the Outlook twin
    for href in hrefs[1:]:
        with urllib.request.urlopen(href, timeout=5) as response:  # noqa: S310 (local server)
            assert response.status == 200

    # plain text: contents list, excerpts and the links, wrapped without breaking URLs
    assert "In this issue:\n- Sleep first\n- Second thoughts\n- Third time lucky\n" in text
    for href in hrefs:
        assert f"Read the full article: {href}" in text or f"Read the full article:\n{href}" in text
    assert all(len(line) <= 78 or "://" in line for line in text.splitlines())
    assert "zzdm" not in text and "zzdm" not in html


def test_digest_email_structure(blog: Path) -> None:
    issue = render_newsletter(blog, [blog / "one.md", blog / "two.md"],
                              {"title": "Notes", "issue": 7, "date": "2026-11-27"})
    html = issue.sequence.emails[0].html
    doc = lxml.html.document_fromstring(html)
    assert all(t.get("role") in ("presentation", "table") for t in doc.iter("table"))
    assert all(img.get("alt") is not None for img in doc.iter("img"))
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    for el in content_of(html).iter("p", "li", "a"):
        size = re.search(r"font-size:\s*(\d+)px", el.get("style", ""))
        assert size is None or int(size.group(1)) >= 16
    header = doc.find_class("header")[0].text_content()
    assert "Issue 7" in header and "27 November 2026" in header
    dates = [span for span in doc.find_class("nowrap") if "2026" in span.text_content()]
    assert dates and "white-space:nowrap" in dates[0].get("style", "").replace(" ", "")
    assert "View in browser" not in header  # not configured


def test_view_in_browser_link_when_configured(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + 'view_in_browser_url = "https://example.com/web/nov"\n')
    email = render_newsletter(blog, [blog / "one.md", blog / "two.md"]).sequence.emails[0]
    header = lxml.html.document_fromstring(email.html).find_class("header")[0]
    link = header.find(".//a")
    assert link.text_content() == "View in browser"
    assert link.get("href") == "https://example.com/web/nov"
    assert "View in browser: https://example.com/web/nov" in email.text


def test_intro_from_settings_then_front_matter(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + '[newsletter]\nintro = "Hello from the settings."\n')
    email = render_newsletter(blog, [blog / "two.md", blog / "three.txt"]).sequence.emails[0]
    assert "Hello from the settings." in content_of(email.html).text_content()
    put(blog / "two.md", """
        ---
        newsletter:
          intro: "Hello from the *front matter*. Two short pieces about changing your mind."
        ---
        # Second thoughts

        Changing your mind is a skill.
    """)
    issue = render_newsletter(blog, [blog / "two.md", blog / "three.txt"])
    email = issue.sequence.emails[0]
    body = content_of(email.html)
    assert "Hello from the front matter." in body.text_content()
    assert body.find(".//em").text == "front matter"
    assert "Hello from the settings." not in email.text
    assert email.preheader.startswith("In this issue") is False  # from the intro


def test_digest_keeps_the_excerpt_length_setting(blog: Path) -> None:
    short = render_newsletter(blog, [blog / "one.md", blog / "two.md"], {})
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + "[newsletter]\nexcerpt_words = 200\n")
    long = render_newsletter(blog, [blog / "one.md", blog / "two.md"], {})
    assert "ONE-LATER" not in short.sequence.emails[0].text
    assert "ONE-LATER" in long.sequence.emails[0].text
    assert "TWO-LATER" in long.sequence.emails[0].text
    assert long.sequence.emails[0].words > short.sequence.emails[0].words


def test_template_syntax_in_articles_and_intro_is_printed_as_written(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + '[newsletter]\nintro = "Sums like {{ 7*7 }} stay."\n')
    put(blog / "four.md", """
        # Templates {% raw %}

        Write {{ 7*7 }} and {% if x %}this{% endif %} in a post. It stays as it is.
    """)
    email = render_newsletter(blog, [blog / "four.md", blog / "two.md"]).sequence.emails[0]
    for part in (content_of(email.html).text_content(), email.text):
        assert "{{ 7*7 }}" in part and "{% if x %}this{% endif %}" in part and "49" not in part


def test_a_folder_of_posts_makes_a_digest(blog: Path, cli_runner: CliRunner) -> None:
    posts = blog / "posts"
    posts.mkdir()
    for name in ("one.md", "two.md"):
        shutil.move(blog / name, posts / name)
    put(posts / "five.html", """
        <html><head><title>Five</title></head><body><nav>Menu</nav>
        <article><h1>Fifth post</h1><p>HTML posts work too. They keep their links.</p></article>
        </body></html>
    """)
    result = cli_runner.invoke(cli, ["newsletter", "posts", "--title", "Folder"])
    assert result.exit_code == 0, result.output
    html, text, _ = newsletter_files(blog / "build", "folder")
    titles = [li.text_content() for li in content_of(html).find_class("contents")[0].iter("li")]
    assert titles == ["Fifth post", "Sleep first", "Second thoughts"]
    assert "HTML posts work too." in text and "Menu" not in text


# --- excerpts --------------------------------------------------------------------------------

def test_excerpt_cuts_at_a_sentence_boundary() -> None:
    block = para("<p>One two three four. Five six seven eight. Nine ten eleven twelve.</p>")
    cut = excerpt([block], 9)
    assert [b.text for b in cut] == ["One two three four. Five six seven eight."]
    assert cut[0].words == 8


def test_excerpt_cuts_at_a_paragraph_boundary() -> None:
    first = para("<p>First paragraph has exactly six words.</p>")
    second = para("<p>A second paragraph whose only sentence is too long for what is left.</p>")
    assert excerpt([first, second], 10) == (first,)


def test_excerpt_keeps_a_long_first_sentence_whole() -> None:
    block = para("<p>This opening sentence is much longer than the tiny budget allows. Next.</p>")
    assert excerpt([block], 3)[0].text == (
        "This opening sentence is much longer than the tiny budget allows.")


def test_excerpt_does_not_cut_after_abbreviations_or_initials() -> None:
    block = para("<p>Dr. Jones and J. Smith met Mrs. Brown at noon, e.g. on Tuesday. Later.</p>")
    assert excerpt([block], 13)[0].text.endswith("on Tuesday.")
    assert cut_paragraph(block, 3, force=False) is None


def test_excerpt_keeps_inline_markup_of_the_kept_part() -> None:
    block = para('<p>Read <a href="https://e.com/a">the <em>first</em> study</a> now. '
                 'Then <a href="https://e.com/b">the second</a>. More text here.</p>')
    cut = excerpt([block], 7)[0]
    el = lxml.html.fragment_fromstring(cut.html)
    assert el.text_content() == "Read the first study now."
    assert [a.get("href") for a in el.iter("a")] == ["https://e.com/a"]
    assert el.find(".//em").text == "first"


def test_excerpt_skips_headings_images_and_code() -> None:
    blocks = [Block("heading", "<h2>Intro</h2>", "Intro", 1, 2),
              Block("image", '<p><img src="https://e.com/x.png" alt=""></p>', "", 0),
              Block("code", "<pre>x = 1</pre>", "    x = 1", 3),
              para('<p>Words <img src="https://e.com/y.png" alt="y"> here.</p>')]
    cut = excerpt(blocks, 50)
    assert len(cut) == 1 and "<img" not in cut[0].html and cut[0].text.startswith("Words")


sentence = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), min_size=1,
                    max_size=12).map(lambda ws: " ".join([ws[0].title(), *ws[1:]]) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=5), st.integers(1, 80))
def test_excerpt_is_a_prefix_ending_on_a_sentence(paragraphs: list[str], limit: int) -> None:
    blocks = [para(f"<p>{p}</p>") for p in paragraphs]
    cut = excerpt(blocks, limit)
    kept = " ".join(b.text for b in cut)
    assert kept.endswith(".")
    assert " ".join(paragraphs).startswith(kept)
    first_sentence = len(paragraphs[0].split(".")[0].split())
    assert sum(b.words for b in cut) <= max(limit, first_sentence)


# --- missing URLs ----------------------------------------------------------------------------

def test_article_without_url_is_included_in_full_with_a_warning(
        blog: Path, cli_runner: CliRunner) -> None:
    put(blog / "dripmail.toml", 'brand = "Test Studio"\n')  # no base_url
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "two.md", "--title", "Nov"])
    assert result.exit_code == 0, result.output
    assert "Warning: two.md: no URL for the 'Read the full article' button" in result.output
    assert "one.md" not in result.output.split("Built")[0]  # one.md has a front-matter url
    html, text, _ = newsletter_files(blog / "build", "nov")
    body = content_of(html)
    assert "TWO-LATER" in body.text_content() and "TWO-LATER" in text  # the whole article
    assert len(body.find_class("btn-a")) == 1  # only one.md gets a button
    two = [h for h in body.find_class("article-title") if h.text_content() == "Second thoughts"]
    assert two and two[0].find(".//a") is None and not body.find_class("read-more")


def test_headings_of_a_fully_included_article_move_one_level_down(blog: Path) -> None:
    put(blog / "dripmail.toml", 'brand = "Test Studio"\n')
    issue = render_newsletter(blog, [blog / "one.md", blog / "three.txt"])
    assert any("three.txt" in w for w in issue.warnings)
    put(blog / "one.md", (blog / "one.md").read_text().split("---\n", 2)[2])  # drop its url
    issue = render_newsletter(blog, [blog / "one.md", blog / "three.txt"])
    body = content_of(issue.sequence.emails[0].html)
    section = [h for h in body.iter("h3") if h.text_content() == "Why it matters"]
    assert section and not [h for h in body.iter("h2") if h.text_content() == "Why it matters"]
    assert len(issue.warnings) == 2


# --- UTM tagging -----------------------------------------------------------------------------

def utm_of(url: str) -> dict[str, list[str]]:
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k.startswith("utm_")}


def test_links_carry_utm_parameters_but_not_unsubscribe_or_merge_tag_links(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + textwrap.dedent("""
        unsubscribe_url = "https://example.com/unsubscribe"
        preferences_url = "https://example.com/prefs"
        view_in_browser_url = "https://example.com/web/nov"
        [newsletter]
        utm_source = "monthly"
        intro = "Hi. [Share it](https://example.com/share?who=*|EMAIL|*) or [about](https://example.com/about)."
    """))
    issue = render_newsletter(blog, [blog / "one.md", blog / "two.md"], {"title": "Nov notes"})
    email = issue.sequence.emails[0]
    expected = {"utm_source": ["monthly"], "utm_medium": ["email"], "utm_campaign": ["nov-notes"]}
    doc = lxml.html.document_fromstring(email.html)
    hrefs = {a.text_content().strip(): a.get("href") for a in doc.iter("a")}
    for label in ("Read the full article", "the study", "about"):
        assert utm_of(hrefs[label]) == expected, label
    button = doc.find_class("btn-a")[0].get("href")  # the lead article's
    assert hrefs["Share it"] == "https://example.com/share?who=*|EMAIL|*"
    assert hrefs["Unsubscribe"] == "https://example.com/unsubscribe"
    assert hrefs["Update your preferences"] == "https://example.com/prefs"
    assert hrefs["View in browser"] == "https://example.com/web/nov"
    assert button.startswith("https://example.com/articles/one?") and utm_of(button) == expected
    assert button in email.text  # the same tagged links in the plain text
    assert "Unsubscribe: https://example.com/unsubscribe\n" in email.text
    assert not any(h.startswith("#") and "utm_" in h for h in hrefs.values())


def test_no_utm_parameters_unless_configured(blog: Path) -> None:
    email = render_newsletter(blog, [blog / "one.md", blog / "two.md"]).sequence.emails[0]
    assert "utm_" not in email.html and "utm_" not in email.text


def test_project_utm_table_is_used_with_the_newsletter_slug_as_campaign(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + '[utm]\nsource = "blog-list"\ncampaign = "{slug}"\n')
    email = render_newsletter(blog, [blog / "one.md", blog / "two.md"],
                              {"title": "Nov notes"}).sequence.emails[0]
    button = content_of(email.html).find_class("btn-a")[0].get("href")
    assert utm_of(button) == {"utm_source": ["blog-list"], "utm_medium": ["email"],
                              "utm_campaign": ["nov-notes"]}


# --- settings --------------------------------------------------------------------------------

def test_newsletter_table_problems_are_all_reported_with_lines_and_suggestions(
        blog: Path, cli_runner: CliRunner) -> None:
    put(blog / "dripmail.toml", """
        brand = "Test Studio"
        brnad = "typo"

        [newsletter]
        title = "November notes"
        excerpt_word = 50
        issue = "twelve"
        date = "27/11/2026"
        provider = "nope"
    """)
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "two.md"])
    assert result.exit_code == 1
    out = result.output
    assert "5 settings problems" in out
    assert "dripmail.toml:2: unknown setting 'brnad'; did you mean 'brand'?" in out
    assert ("dripmail.toml:6: unknown setting 'newsletter.excerpt_word'; did you mean "
            "'newsletter.excerpt_words'?") in out
    assert "dripmail.toml:7: setting 'newsletter.issue' must be a whole number" in out
    assert "dripmail.toml:8: setting 'newsletter.date' must be a date written YYYY-MM-DD" in out
    assert "dripmail.toml:9: setting 'newsletter.provider' must be one of: brevo, generic," in out
    assert "Traceback" not in out
    assert not (blog / "build").exists()


def test_newsletter_table_is_checked_by_build_too(blog: Path) -> None:
    put(blog / "dripmail.toml", '[newsletter]\nexcerpt_wrods = 50\n')
    with pytest.raises(ConfigError, match="did you mean 'newsletter.excerpt_words'"):
        build(blog, [blog / "two.md"])


def test_front_matter_newsletter_table_is_checked(blog: Path) -> None:
    put(blog / "two.md", """
        ---
        title: Second thoughts
        newsletter:
          titel: Oops
        ---
        Changing your mind is a skill.
    """)
    with pytest.raises(ConfigError) as exc:
        render_newsletter(blog, [blog / "two.md"])
    assert f"{blog / 'two.md'}:4: unknown setting 'newsletter.titel'; did you mean " \
           "'newsletter.title'?" in str(exc.value)


def test_check_table_accepts_every_documented_key() -> None:
    table = {"title": "T", "slug": "t-1", "subject": "S", "preheader": "P", "date": "2026-01-31",
             "issue": 3, "intro": "Hi", "excerpt_words": 80, "button_text": "Read it",
             "utm_source": "nl", "reason": "Because.", "provider": "generic", "out": "dist"}
    assert check_table(table, "dripmail.toml") == []
    assert check_table({"slug": "Not A Slug", "excerpt_words": 5}, "x") == [
        "x: setting 'newsletter.slug' must be lower-case letters a-z, digits and hyphens, "
        "starting with a letter or digit (it names a folder: no '/', '.', spaces or control "
        'characters), such as "not-a-slug"',
        "x: setting 'newsletter.excerpt_words' must be a whole number from 20 to 2000"]


def test_settings_file_options_apply_and_command_line_wins(blog: Path) -> None:
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + textwrap.dedent("""
        [newsletter]
        title = "From the file"
        issue = 3
        date = 2026-10-01
        out = "dist"
        subject = "A hand-written subject"
        button_text = "Keep reading"
    """))
    issue = render_newsletter(blog, [blog / "one.md", blog / "two.md"], {"issue": 4})
    email = issue.sequence.emails[0]
    assert issue.sequence.slug == "from-the-file" and email.subject == "A hand-written subject"
    header = lxml.html.document_fromstring(email.html).find_class("header")[0].text_content()
    assert "Issue 4" in header and "1 October 2026" in header
    assert "Keep reading: https://example.com/articles/one" in email.text
    result = CliRunner().invoke(cli, ["newsletter", "one.md", "two.md"])
    assert result.exit_code == 0, result.output
    assert (blog / "dist" / "from-the-file" / "manifest.json").is_file()


# --- command line ----------------------------------------------------------------------------

def test_cli_needs_an_article(blog: Path, cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["newsletter"])
    assert result.exit_code == 2 and "Missing argument 'ARTICLES...'" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "27/11/2026"], "'27/11/2026' is not a date; write it YYYY-MM-DD"),
    (["--date", "2026-02-30"], "is not a date"),
    (["--issue", "0"], "0 is not in the range 1<=x<=100000"),
    (["--issue", "twelve"], "'twelve' is not a valid integer"),
])
def test_cli_usage_errors_exit_2(blog: Path, cli_runner: CliRunner, args: list[str],
                                 message: str) -> None:
    result = cli_runner.invoke(cli, ["newsletter", "one.md", *args])
    assert result.exit_code == 2 and message in result.output


def test_cli_user_errors_exit_1_with_one_line(blog: Path, cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "--provider", "nope"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: command line: setting '--provider' must be one of: ")
    assert result.output.count("\n") == 1 and " generic," in result.output
    result = cli_runner.invoke(cli, ["newsletter", "missing.md"])
    assert result.exit_code == 1 and result.output == "Error: missing.md: no such file or folder\n"


def test_cli_out_option_and_summary(blog: Path, cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "two.md", "--title", "Nov",
                                     "--issue", "2", "--date", "2026-11-01", "--out", "dist"])
    assert result.exit_code == 0, result.output
    assert "Built newsletter 'Nov' into dist/nov/ (open dist/index.html)" in result.output
    assert '01-nov.html: subject "Nov"' in result.output
    assert (blog / "dist" / "nov" / "01-nov.html").is_file()
    assert (blog / "dist" / "nov" / "01-nov.txt").is_file()
    assert "nov/01-nov.html" in (blog / "dist" / "index.html").read_text(encoding="utf-8")
    # building again replaces the issue in place
    again = cli_runner.invoke(cli, ["newsletter", "one.md", "two.md", "--title", "Nov",
                                    "--out", "dist"])
    assert again.exit_code == 0, again.output


def test_cli_never_replaces_a_sequence_folder(blog: Path, cli_runner: CliRunner) -> None:
    build(blog, [blog / "two.md"])
    assert (blog / "build" / "two" / "manifest.json").is_file()
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "two.md", "--title", "two"])
    assert result.exit_code == 0  # the slug would be "two": it becomes "two-newsletter"
    assert (blog / "build" / "two-newsletter" / "manifest.json").is_file()
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text() + '[newsletter]\nslug = "two"\n')
    result = cli_runner.invoke(cli, ["newsletter", "one.md", "three.txt"])
    assert result.exit_code == 1
    assert "holds the sequence 'two'; give the newsletter another slug" in result.output
    manifest = json.loads((blog / "build" / "two" / "manifest.json").read_text())
    assert manifest["sequence"]["kind"] == "sequence"


def test_cli_help_has_an_example(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["newsletter", "--help"])
    assert result.exit_code == 0
    assert "dripmail newsletter posts/one.md posts/two.md --title" in result.output


# --- in a real browser -----------------------------------------------------------------------

@pytest.mark.slow
@needs_chromium
def test_digest_in_headless_chromium(blog: Path, web: str) -> None:
    sync_api = playwright()
    toml = blog / "dripmail.toml"
    toml.write_text(toml.read_text().replace("https://blog.example.com/posts/", web))
    build_dir = blog / "build"
    CliRunner().invoke(cli, ["newsletter", "two.md", "three.txt", "--title", "Nov"],
                       catch_exceptions=False)
    page_url = (build_dir / "nov" / "01-nov.html").resolve().as_uri()
    with chromium(sync_api) as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800})  # a phone
        page.goto(page_url)
        buttons = page.get_by_role("link", name="Read the full article")
        assert buttons.count() == 2  # the lead article's button, then a text link
        for i in range(2):
            box = buttons.nth(i).bounding_box()  # both big enough to tap
            assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 375
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        sizes = page.eval_on_selector_all(
            ".content p, .content li",
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 16
        assert page.get_by_role("heading", name="Second thoughts", level=2).count() == 1
        assert page.get_by_role("link", name="Second thoughts").count() == 0
        with page.expect_navigation():
            buttons.nth(1).click()
        assert page.url.startswith(f"{web}three")
        assert page.locator("h1").inner_text() == "three"

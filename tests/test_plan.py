"""Planning emails: days, subjects (unique, named for what an email holds), preheaders, the
recap and teaser phrases, size warnings, and the --emails range."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dripmail.errors import ContentError
from dripmail.models import Block, Settings, Source
from dripmail.planning.names import clean, inline, is_generic, proper_words
from dripmail.planning.plan import clip, days, plan, preheader, shorten, size_warnings
from dripmail.planning.words import for_language
from dripmail.reading.article import parse_article

EN = for_language("en")


def parsed(body: str, fmt: str = "md", **settings):
    return parse_article(Source(path=Path(f"a.{fmt}"), fmt=fmt, body=body), Settings(**settings))


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def para(text: str) -> Block:
    return Block(kind="paragraph", html=f"<p>{text}</p>", text=text, words=len(text.split()))


def head(text: str, level: int = 2) -> Block:
    return Block(kind="heading", html=f"<h{level}>{text}</h{level}>",
                 text=f"{text}\n{'=' * len(text)}", words=len(text.split()), level=level)


def test_days() -> None:
    assert days(4, (), 2) == [0, 2, 4, 6]
    assert days(3, (0, 1, 3, 5), 2) == [0, 1, 3]
    assert days(4, (0, 1), 3) == [0, 1, 4, 7]


# --- subjects ---------------------------------------------------------------------------------

def test_shorten_subjects() -> None:
    assert shorten("Short title", 50) == "Short title"
    assert shorten("When Your Partner Isn’t Ready for Couple Therapy: What You Can Do on "
                   "Your Own", 50) == "When Your Partner Isn’t Ready for Couple Therapy"
    assert shorten("A Fictional Example (Drawn from Real Clinical Themes)", 50) == \
        "A Fictional Example"
    long = "Why Your Partner’s Readiness Isn’t the Only Measure of Progress"
    assert shorten(long, 50) == long  # no natural break: kept whole up to SUBJECT_KEEP
    cut = shorten("word " * 30, 50)
    assert len(cut) <= 50 and not cut.endswith(" ")
    assert shorten("The things we learn when we listen to the quiet voice of the body and "
                   "the mind together", 50) == "The things we learn when we listen to the quiet"


@pytest.mark.parametrize("text", [
    "Myth #4: Creating conda in the first place was irresponsible of the whole team, as we "
    "all know by now",
    "Why one partner often feels ready to start long before the other one does it",
    "A very long heading that keeps going with more and more words of the kind that",
])
def test_a_shortened_subject_never_ends_on_a_dangling_word(text: str) -> None:
    cut = shorten(text, 50)
    assert len(cut) <= 65
    assert re.findall(r"[\w’']+", cut)[-1].casefold() not in EN.dangling, cut


@pytest.mark.parametrize(("raw", "want"), [
    ("Acoustic scene classification¶", "Acoustic scene classification"),
    ("Getting Started with MkDocs\uf0c1", "Getting Started with MkDocs"),
    ("Linux kernel release 3.x <http://kernel.org/>", "Linux kernel release 3.x"),
    ("From: Junio C Hamano <gitster@pobox.com>", "From: Junio C Hamano"),
    ("= Usage =", "Usage"),
    ("Using `sed` with *care*", "Using sed with care"),
    ("$CMSIMPLE_XH_VERSION$ Readme", "Readme"),
])
def test_subject_text_has_no_markup_or_permalink_marks(raw: str, want: str) -> None:
    assert clean(raw) == want


@pytest.mark.parametrize(("heading", "generic"), [
    ("Introduction", True), ("3. Conclusion", True), ("Final thoughts:", True),
    ("Wrapping up", True), ("Fazit", True), ("Résumé", True), ("Conclusión", True),
    ("Introduction to Rust", False), ("Locks", False)])
def test_generic_headings(heading: str, generic: bool) -> None:
    assert is_generic(heading, for_language("de" if heading == "Fazit" else "en")) == generic \
        or is_generic(heading, for_language("fr")) or is_generic(heading, for_language("es"))


def test_a_continuing_email_is_named_for_what_it_holds() -> None:
    body = ("# Course\n\nIntro " + words(150) + "\n\n## Locks\n\n" + words(150, "lock")
            + "\n\n" + "The mutex guards the data. " * 20 + "\n\n"
            + "A mutex is a lock. " * 20 + "\n")
    parts = plan(parsed(body, emails=3, subject_prefix="Course: ", subjects=("", "Custom")))
    assert [p.title for p in parts][:2] == ["Course", "Locks"]
    assert parts[2].title.startswith("Locks: ") and "mutex" in parts[2].title.casefold()
    assert parts[2].subject == "Course: " + parts[2].title
    assert parts[1].subject == "Custom"  # the front matter wins
    assert [p.day for p in parts] == [0, 2, 4]
    assert parts[1].lead_heading and not parts[2].lead_heading


def test_a_continuing_email_with_a_subheading_is_named_for_it() -> None:
    body = ("# Course\n\n## Background\n\n" + words(200, "intro") + "\n\n<!-- email -->\n\n"
            + words(30, "more") + "\n\n### Ownership\n\n" + words(120, "own") + "\n\n"
            + words(120, "owner") + "\n")
    parts = plan(parsed(body))
    assert parts[1].title == "Ownership" and not parts[1].lead_heading


def test_a_generic_heading_gives_way_to_the_emails_focus() -> None:
    body = ("# Hello World\n\n" + words(250, "intro") + "\n\n## Conclusion\n\n"
            + "Your pull request is merged. The pull request is done. " * 10 + "\n")
    parts = plan(parsed(body, emails=2))
    assert not is_generic(parts[1].subject, EN)
    assert "pull request" in parts[1].subject.casefold()
    assert not parts[1].lead_heading  # the "Conclusion" heading stays in the email's text


_HEADINGS = st.sampled_from(["Example", "Introduction", "Summary", "Setup", "Example", "Notes",
                             "Step 1: Install", "Step 1: Install", "Why this matters"])
_WORDS = st.sampled_from(["apple", "river", "garden", "engine", "castle", "violin", "planet",
                          "kettle", "harbor", "lantern", "meadow", "pencil"])


@st.composite
def outlines(draw) -> str:
    """A Markdown article whose headings repeat and are often generic."""
    out = ["# " + draw(_HEADINGS)]
    for _ in range(draw(st.integers(1, 8))):
        out.append(("## " if draw(st.booleans()) else "### ") + draw(_HEADINGS))
        for _ in range(draw(st.integers(1, 4))):
            sentence = " ".join(draw(st.lists(_WORDS, min_size=3, max_size=9))).capitalize()
            out.append((sentence + ". ") * draw(st.integers(1, 12)))
    return "\n\n".join(out) + "\n"


@settings(max_examples=60, deadline=None)
@given(outlines(), st.one_of(st.none(), st.integers(1, 12)))
def test_subjects_are_unique_and_never_continued_or_generic(body: str, count) -> None:
    article = parsed(body, emails=count)
    try:
        parts = plan(article)
    except ContentError:
        assert count is not None
        return
    keys = [" ".join(p.subject.casefold().split()) for p in parts]
    assert len(set(keys)) == len(keys), keys
    for p in parts:
        assert "continued" not in p.subject and not re.search(r"\bpart \d", p.subject, re.I)
        assert not is_generic(p.subject, EN) or p.position == 1, p.subject
        assert p.preheader != p.subject
    for p in parts[1:]:  # an email never ends on a heading
        assert p.blocks[-1].kind != "heading" or p.position == len(parts)


# --- preheaders -------------------------------------------------------------------------------

@pytest.mark.parametrize(("blocks", "bad"), [
    ((para("SciFoo (<a href='http://x.example/s'>link</a>) is an annual gathering of "
           "scientists. It is held in California every summer."),), "http"),
    ((Block("list", "<ul><li>Use the standard editor for background information.</li>"
                    "<li>Write one step per item.</li></ul>", "- Use …", 12),), "- "),
    ((Block("quote", "<blockquote><p>We'll start with an overview of the ownership and "
                     "borrowing systems.</p></blockquote>", "> We'll", 11),), ">"),
    ((para("================== These are installation instructions."),
      para("Run the configure script first, then make, then make install.")), "==="),
    ((head("Step 6: Wash out the screen"),
      para("Step 6: Wash out the screen The screen may not be clean yet, so rinse it again.")),
     "Step 6"),
    ((para("See http://www.zlib.org for the home page."),
      para("The zlib library compresses data in memory and on disk, quickly and safely.")),
     "zlib.org"),
    ((para("The `--show-signature` option shows the verification."),
      para("A signed tag lets the integrator check who made the pull request.")), "`"),
])
def test_preheaders_are_clean_prose(blocks, bad: str) -> None:
    text = preheader(blocks, "Subject", "Part 1 of 2: Subject")
    assert bad not in text and not text.startswith("Part ")
    assert 40 <= len(text) <= 100, text


def test_preheader_from_opening_prose() -> None:
    text = preheader((para("Short one. This second sentence makes it long enough to use."),),
                     "Subject", "fallback text that is long enough")
    assert text == "Short one. This second sentence makes it long enough to use."
    long = preheader((para(words(60)),), "Subject", "fallback")
    assert 40 <= len(long) <= 100 and long.endswith("…")
    assert re.findall(r"\w+", long)[-1] not in EN.dangling


def test_a_preheader_never_repeats_the_subject() -> None:
    subject = "Exactly the subject line here, nothing else at all"
    same = preheader((para(subject), para("And then the email goes on with its own words, "
                                          "which make a preheader.")), subject, "fallback")
    assert same.startswith("And then the email goes on")
    only = preheader((para(subject),), subject, "Part 2 of 3: a fallback preheader")
    assert only == "Part 2 of 3: a fallback preheader"


def test_a_sentence_that_only_starts_with_the_subjects_letters_is_kept() -> None:
    rusty = "Rusty old tools are what most of us start with, and that is fine."
    assert preheader((para(rusty),), "Rust", "Part 1 of 1: Rust") == rusty
    assert preheader((para("Rust: " + rusty),), "Rust", "Part 1 of 1: Rust") == \
        "Part 1 of 1: Rust"  # the subject itself, with more after it, is still avoided


def test_a_lead_in_colon_ends_the_preheader_with_an_ellipsis() -> None:
    text = preheader((para("By making a contribution to this project, I certify that:"),
                      Block("list", "<ol><li>(a) I wrote it.</li></ol>", "1. (a)", 4)),
                     "Subject", "fallback")
    assert text == "By making a contribution to this project, I certify that…"


def test_little_prose_says_what_it_is_about_from_its_heading() -> None:
    blocks = (head("Acoustic scene classification", 3), para("Usage example to evaluate files:"),
              Block("code", "<pre>x = 1</pre>", "x = 1", 3))
    assert preheader(blocks, "Quickstart", "Part 5 of 5: Quickstart") == \
        "Usage example to evaluate files: acoustic scene classification"


def test_the_part_fallback_only_without_prose() -> None:
    parts = plan(parsed("# T\n\n" + words(200, "intro") + ".\n\n## Code\n\n```\n"
                        + "x = 1\n" * 200 + "```\n", emails=2))
    assert parts[1].preheader.startswith("Part 2 of 2: Code")
    assert not parts[0].preheader.startswith("Part ")


def test_clip_cuts_at_a_word_boundary_not_at_a_colon() -> None:
    text = "In this issue: Calm in Five Small Steps and When Your Partner Isn’t Ready for Couple " \
        "Therapy: What You Can Do"
    out = clip(text)
    assert out.startswith("In this issue: Calm in Five Small Steps") and out.endswith("…")
    assert len(out) <= 100
    assert clip("short enough") == "short enough"


_piece = st.sampled_from(["word", "Word", "x" * 90, "A.", "end.", "Yes!", "“Quote.”", "9", " ",
                          "   ", "\n", "\t", ">", "- ", "—", "…", "(see it)", "\u00a0", "http://x.y",
                          "a_b", "`c`", "===", "Title:"])


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.lists(_piece, max_size=120).map(" ".join), min_size=1, max_size=6),
       kinds=st.lists(st.sampled_from(["paragraph", "quote", "list", "heading"]), min_size=6,
                      max_size=6))
def test_a_preheader_is_clean_prose_of_40_to_100_characters_or_the_fallback(texts, kinds):
    import html

    blocks = tuple(Block(kind, f"<p>{html.escape(text)}</p>", text, len(text.split()))
                   for kind, text in zip(kinds, texts, strict=False))
    got = preheader(blocks, "Subject", "FALLBACK")
    assert got == "FALLBACK" or (40 <= len(got) <= 100 and not re.search(
        r"https?://|\w_\w|`|={3,}|^\s*[->]", got)), got


# --- recap and teaser ---------------------------------------------------------------------

@pytest.mark.parametrize(("subject", "phrase"), [
    ("Why One Partner Often Feels Ready Before the Other",
     "why one partner often feels ready before the other"),
    ("A Fictional Example", "a fictional example"),
    ("Fearless Concurrency with Rust", "fearless concurrency with Rust"),
    ("Getting Started with MkDocs", "getting started with MkDocs"),
    ("ON WHAT HARDWARE DOES IT RUN?", "ON WHAT HARDWARE DOES IT RUN?"),
    ("Defining data science", "defining data science"),
    ("1. Where does Data Science fit?", "where does data science fit?"),
    ("Wie soll Ihre Webseite aussehen?", "wie soll Ihre Webseite aussehen?"),
])
def test_a_subject_as_a_phrase_inside_a_sentence(subject: str, phrase: str) -> None:
    proper = proper_words([para("We use Rust every day, and so does the team. Our Webseite "
                                "matters, and Ihre Webseite too.")])
    assert inline(subject, proper) == phrase


def test_recap_and_teaser_name_the_subject_the_reader_saw(tmp_path: Path) -> None:
    from dripmail.models import Loaded
    from dripmail.pipeline.worker import render_article

    body = ("# Calm Together\n\n" + words(200, "calm") + ".\n\n## Why One Partner Feels Ready "
            "First\n\n" + words(200, "ready") + ".\n\n## A Fictional Example\n\n"
            + words(200, "elena") + ".\n")
    src = Source(path=tmp_path / "c.md", fmt="md", body=body)
    seq = render_article(Loaded(src, Settings(subject_prefix="Calm: "), "c"), tmp_path).sequence
    second = seq.emails[1]
    assert "Last time: calm together." in second.text
    assert "Next time: a fictional example." in second.text
    assert "Last time:</strong> calm together." in second.html
    assert "Previously" not in second.html and "continued" not in second.html


# --- warnings and errors ------------------------------------------------------------------

def test_a_block_too_long_to_cut_is_named_with_advice_for_its_format() -> None:
    body = "# T\n\n" + words(100, "intro") + ".\n\n## Listing\n\n```\n" + \
        "\n".join(f"line{n} = {n}" for n in range(800)) + "\n```\n"
    article = parsed(body)
    (warning,) = size_warnings(article, plan(article))
    assert "because the code 'line0 = 0 line1 = 1" in warning
    assert "split the listing" in warning and "link to it" in warning
    html = parsed("<h1>T</h1><p>" + words(900) + "</p>", fmt="html")
    (warning,) = size_warnings(html, plan(html))
    assert "paragraph" in warning and "<p> elements" in warning


def test_emails_out_of_range_says_the_range() -> None:
    body = "# T\n\n" + "\n\n".join(words(100, f"w{n}") + "." for n in range(6)) + "\n"
    with pytest.raises(ContentError, match="cannot make 9 emails from this article: it makes "
                                           "1 to 6 emails; ask for 1 to 6"):
        plan(parsed(body, emails=9))
    for count in range(1, 7):
        assert len(plan(parsed(body, emails=count))) == count


def test_the_most_emails_an_article_makes_have_unique_subjects() -> None:
    """Forced to its maximum, an article of repeated headings and sentences still gives each
    email its own subject."""
    section = "## Example\n\n" + "\n\n".join(["The same sentence again. " * 3] * 4)
    body = "# Same\n\n" + "\n\n".join([section] * 5) + "\n"
    from dripmail.planning.split import feasible

    high = feasible(parsed(body).blocks, max_words=350)[1]
    parts = plan(parsed(body, emails=high))
    subjects = [p.subject.casefold() for p in parts]
    assert len(parts) == high and len(set(subjects)) == len(subjects)


@pytest.mark.parametrize(("section", "name"), [("", "T"), ("## Price list\n\nThe prices.\n\n",
                                                           "Price list")])
def test_emails_of_only_table_rows_are_named_for_their_section(section: str, name: str) -> None:
    """No heading, focus phrase or sentence of their own: the section (else the article's
    title), numbered when taken ("… (2)" before)."""
    rows = "".join(f"| r{k} | x y |\n" for k in range(600))
    body = f"# T\n\nIntro words.\n\n{section}| a | b |\n|---|---|\n{rows}"
    subjects = [p.subject for p in plan(parsed(body))]
    assert len(subjects) > 3
    want = ["T", name] if section else ["T"]
    want += [f"{name} ({n})" for n in range(2, len(subjects) - len(want) + 2)]
    assert subjects == want

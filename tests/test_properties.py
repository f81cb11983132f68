"""Property tests over generated articles, end to end (parse -> plan -> theme -> inline).

Every word of a generated article is a unique token (t00001, t00002, ...), so the emails can be
checked for: no crash, every token exactly once and in order (HTML and plain text), the number
of emails, and each email's size against the configured bounds. Block-level splitter properties
live in tests/test_split.py.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from dripmail.errors import ContentError
from dripmail.limits import MAX_EMAILS
from dripmail.models import Email, Loaded, Settings, Source
from dripmail.pipeline.worker import render_article
from dripmail.planning.plan import plan
from dripmail.reading.article import parse_article
from tests.test_split import cuttable, possible_counts

TOKEN = re.compile(r"\bt\d{5}\b")
# theme text around the article's words
SKIPPED = {"greeting", "recap", "teaser", "signoff", "postscript"}

block = st.one_of(
    st.tuples(st.just("p"), st.integers(1, 160)),
    st.tuples(st.just("list"), st.lists(st.integers(1, 10), min_size=1, max_size=6)),
    st.tuples(st.just("quote"), st.integers(3, 60)),
    st.tuples(st.just("h3"), st.integers(1, 5)),
)
section = st.tuples(st.integers(1, 6), st.lists(block, min_size=1, max_size=5))
spec = st.tuples(st.integers(1, 8), st.integers(1, 90), st.lists(section, max_size=8))


def article(shape, fmt: str) -> tuple[str, list[str]]:
    """Markdown or plain text for a generated shape, and its tokens in reading order."""
    counter = itertools.count(1)
    tokens: list[str] = []

    def words(n: int) -> str:
        out = [f"t{next(counter):05d}" for _ in range(n)]
        tokens.extend(out)
        return " ".join(out)

    title_words, intro, sections = shape
    md = fmt == "md"
    out = [("# " if md else "") + words(title_words), words(intro) + "."]
    for heading, blocks in sections:
        out.append(("## " if md else "") + words(heading))
        for kind, size in blocks:
            if kind == "p":
                out.append(words(size) + ".")
            elif kind == "list":
                items = [words(n) for n in size]
                out.append("\n".join(("- " if md else "") + item for item in items))
            elif kind == "quote":
                out.append(("> " if md else "") + words(size) + ".")
            else:
                out.append(("### " if md else "") + words(size))
    return ("\n\n" if md else "\n").join(out) + "\n", tokens


def html_tokens(email: Email, named: bool = False) -> list[str]:
    """Tokens of the article shown in an email's HTML (title and content, not recap/teaser).
    `named`: the email's title is a name made for it (not a heading of the article moved
    out of its content), so its tokens are not counted."""
    doc = lxml.html.document_fromstring(email.html)
    cell = next(td for td in doc.iter("td") if "content" in (td.get("class") or "").split())
    found: list[str] = []
    for el in cell:
        if not isinstance(el.tag, str) or SKIPPED & set((el.get("class") or "").split()):
            continue
        if el.tag == "table":  # the call-to-action button
            continue
        text = el.text_content()
        if el.tag == "h1" and named:
            continue
        found += TOKEN.findall(text)
    return found


def text_tokens(email: Email, named: bool = False) -> list[str]:
    """Tokens of the article in an email's plain text (title and content)."""
    paragraphs = email.text.split("\n\n")
    title = paragraphs[1].split("\n")[0]
    found = [] if named else TOKEN.findall(title)
    rest = paragraphs[3:] if paragraphs[2].startswith("Hi ") else paragraphs[2:]
    for para in rest:
        if para.startswith("Last time:"):
            continue
        if para.startswith(("Next time:", "--")):
            break
        found += TOKEN.findall(para)
    return found


def named(source: Source, s: Settings) -> list[bool]:
    """Per email: whether its title is a name made for it (see html_tokens)."""
    return [p.position > 1 and not p.lead_heading for p in plan(parse_article(source, s))]


def check_names(emails: tuple[Email, ...]) -> None:
    """Subjects unique in the sequence, none "(continued)" or "Part N"."""
    keys = [" ".join(e.subject.casefold().split()) for e in emails]
    assert len(set(keys)) == len(keys), keys
    assert not any(re.search(r"continued|\bpart \d", k) for k in keys), keys
    for e in emails[1:]:
        assert e.preheader != e.subject


def check_sizes(emails: tuple[Email, ...], source: Source, s: Settings) -> None:
    """Auto mode: at most 100 emails; none over max_words where a cut was possible; an email
    under min_words only at a section boundary, or where joining it to the email before or
    after would go over max_words.

    (Joining a short email that starts and ends inside a section to a neighbour within
    max_words always costs the splitter less: the cut it saves costs 0.8, a short email at
    least 0.16 more than target, and the joined one at most 0.56 + 0.25 for an extra section.
    The first email starts at the article's intro, not at a section: when the intro and the
    start of the first section are short but the whole section is over max_words, a short
    first email is the best there is. Hypothesis found that; the test was wrong, see the
    @example below.)
    """
    assert 1 <= len(emails) <= MAX_EMAILS
    parts = plan(parse_article(source, s))
    sizes = [sum(b.words for b in p.blocks) for p in parts]
    assert sizes == [e.words for e in emails]
    for n, (part, words) in enumerate(zip(parts, sizes, strict=True)):
        assert words <= s.max_words or not cuttable(part.blocks, s.max_words), (n, words)
        if words < s.min_words and len(parts) > 1:
            starts_section = part.blocks[0].kind == "heading"
            next_section = n + 1 == len(parts) or parts[n + 1].blocks[0].kind == "heading"
            joinable = any(0 <= m < len(parts) and sizes[m] + words <= s.max_words
                           for m in (n - 1, n + 1))
            assert starts_section or next_section or not joinable, (n, words, sizes)


@pytest.mark.parametrize("fmt", ["md", "txt"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=spec)
# A 114-word first email: the intro (30 words) and the first section's heading and paragraph;
# the whole section (362 words with the intro) is over max_words, and a cut at the heading
# would leave a 30-word email. It failed "an email under min_words only at a section".
@example(shape=(2, 30, [(3, [("p", 81), ("p", 141), ("p", 105)])]))
def test_generated_articles_lose_nothing_and_stay_in_bounds(shape, fmt: str) -> None:
    text, tokens = article(shape, fmt)
    s = Settings()
    source = Source(path=Path(f"generated.{fmt}"), fmt=fmt, body=text)
    seq = render_article(Loaded(source, s, "generated"), Path(".")).sequence
    flags = named(source, s)
    assert [t for e, f in zip(seq.emails, flags, strict=True) for t in html_tokens(e, f)] == \
        tokens
    assert [t for e, f in zip(seq.emails, flags, strict=True) for t in text_tokens(e, f)] == \
        tokens
    check_names(seq.emails)
    assert [e.position for e in seq.emails] == list(range(1, len(seq.emails) + 1))
    assert all(e.total == len(seq.emails) for e in seq.emails)
    days = [e.day for e in seq.emails]
    assert days == sorted(days) and days[0] == 0
    if fmt == "md":
        check_sizes(seq.emails, source, s)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=spec, count=st.integers(1, 6))
def test_a_forced_email_count_is_met_exactly_or_refused_clearly(shape, count: int) -> None:
    text, tokens = article(shape, "md")
    source = Source(path=Path("generated.md"), fmt="md", body=text)
    s = Settings(emails=count)
    possible = possible_counts(parse_article(source, s).blocks)
    if count not in possible:
        with pytest.raises(ContentError, match=f"cannot make {count} emails from this article: "
                           f"it makes (only {min(possible)} email|{min(possible)} to "
                           f"{max(possible)} emails)"):
            render_article(Loaded(source, s, "generated"), Path("."))
        return
    seq = render_article(Loaded(source, s, "generated"), Path(".")).sequence
    assert len(seq.emails) == count
    flags = named(source, s)
    assert [t for e, f in zip(seq.emails, flags, strict=True) for t in html_tokens(e, f)] == \
        tokens
    check_names(seq.emails)


def _quick(test, **strategies):
    """The property `test` run again: a fixed seed, no shrinking, no example database."""
    return settings(max_examples=40, deadline=None, database=None, derandomize=True,
                    phases=[Phase.generate], suppress_health_check=[HealthCheck.too_slow])(
        given(**strategies)(test.hypothesis.inner_test))


@pytest.mark.parametrize("prop", ["auto", "count"])
def test_the_properties_fail_for_a_refusing_splitter(prop: str, monkeypatch) -> None:
    """With a splitter that refuses every exact count and, in `auto`, makes one email of
    everything, the end-to-end properties fail."""
    from tests.test_split import _refusing

    monkeypatch.setattr("dripmail.planning.plan.split", _refusing)
    with pytest.raises((AssertionError, ContentError)):  # the property fails
        if prop == "auto":
            _quick(test_generated_articles_lose_nothing_and_stay_in_bounds, shape=spec)(fmt="md")
        else:
            _quick(test_a_forced_email_count_is_met_exactly_or_refused_clearly, shape=spec,
                   count=st.integers(1, 6))()


hiding = st.sampled_from(["", ' style="display:none"', ' hidden', ' style="mso-hide:all"',
                          ' style="color: transparent"', ' style="font-size: 16px"'])
tree = st.recursive(st.just("<p>x</p>"), lambda kids: st.builds(
    lambda tag, attr, inner: f"<{tag}{attr}>{''.join(inner)}</{tag}>",
    st.sampled_from(["div", "span", "td", "section"]), hiding, st.lists(kids, max_size=4)),
    max_leaves=25)


@settings(max_examples=100, deadline=None)
@given(st.lists(tree, min_size=1, max_size=4), hiding)
def test_visible_elements_is_the_elements_hidden_does_not_report(parts, body_attr) -> None:
    """The quality gate's pruned walk (dom.visible_elements) equals the per-element check."""
    from dripmail.checks.dom import body, direct_text, hidden, is_element, scan, visible_elements

    doc = lxml.html.document_fromstring(
        f"<html><body{body_attr}><!-- c -->{''.join(parts)}</body></html>")
    root = body(doc)
    visible = [el for el in root.iter() if is_element(el) and not hidden(el)]
    assert list(visible_elements(root)) == visible
    found = scan(doc)  # the one walk the rules share: the same elements, and those with text
    assert list(found.elements) == visible
    assert list(found.text_elements) == [el for el in visible if direct_text(el).strip()]

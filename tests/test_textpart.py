"""textpart.wrap: its fast path gives what textwrap gives (generated lines, corpus emails)."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dripmail.pipeline.project import render_project
from dripmail.rendering import compose
from dripmail.rendering.textpart import _fill, wrap
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402

ODD_SPACES = "\t\r\x0b\x0c\x1c\x85\xa0\u1680\u2007\u2028\u202f\u3000"
LETTERS = "abcXYZ019.,;:!?-_/()'\"\0éßøЖ日…"
PREFIXES = ("", "- ", "1. ", "12. ", "> ", "> > ", "> - ", "> > 3. ", "    ", " ", "   ",
            "> " * 45)


def reference(text: str, width: int = 78) -> str:
    """wrap() as it was before the fast path: textwrap for every line longer than the width."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("    "):
            out.append(line)
            continue
        m = re.match(r"((?:> )*(?:- |\d+\. )?|\s+)", line)
        prefix = m.group(1) if m else ""
        quote = "> " * prefix.count("> ")
        follow = quote + " " * (len(prefix) - len(quote))
        out.extend(textwrap.wrap(line[len(prefix):], width=width, initial_indent=prefix,
                                 subsequent_indent=follow, break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out).replace("\0", " ")


def word(alphabet: str) -> st.SearchStrategy[str]:
    """Mostly short words, some longer than any width used here."""
    return st.one_of(st.text(alphabet, min_size=1, max_size=12),
                     st.text(alphabet, min_size=60, max_size=120))


def words_line(space: st.SearchStrategy[str], alphabet: str) -> st.SearchStrategy[str]:
    """Optional leading and trailing whitespace around words joined by whitespace runs."""
    gap = st.lists(space, min_size=1, max_size=4).map("".join)
    body = st.lists(st.tuples(gap, word(alphabet)), max_size=25).map(
        lambda pairs: "".join(g + w for g, w in pairs))
    edge = st.one_of(st.just(""), gap, st.text(" ", min_size=70, max_size=100))
    return st.tuples(edge, body, edge).map(lambda t: (t[0] + t[1].lstrip() + t[2]))


SPACES = st.text(" ", min_size=1, max_size=5)
ANY_SPACE = st.one_of(SPACES, st.sampled_from(ODD_SPACES))
LINE = st.one_of(words_line(SPACES, LETTERS), words_line(SPACES, LETTERS),
                 words_line(ANY_SPACE, LETTERS))


@st.composite
def lines_and_width(draw) -> tuple[str, int]:
    """A few lines with list/quote prefixes and odd whitespace, and a width near their lengths."""
    lines = draw(st.lists(st.tuples(st.sampled_from(PREFIXES), LINE).map("".join),
                          min_size=1, max_size=3))
    near = draw(st.sampled_from(lines))
    width = draw(st.one_of(st.integers(1, 100),
                           st.integers(max(1, len(near) - 12), len(near) + 2)))
    return "\n".join(lines), width


@settings(max_examples=300, deadline=None)
@given(words_line(SPACES, LETTERS), st.integers(1, 100))
@example("   abc def", 5)  # leading spaces kept only when the first word fits after them
@example("   abc def", 6)
@example(" " * 90 + "abc", 78)
@example("    ", 2)  # whitespace only: no lines at all
@example("ab " + "x" * 90 + "  cd   ", 10)
def test_fill_is_textwrap_for_plain_spaces(text: str, width: int):
    expected = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    assert _fill(text, width) == expected


@settings(max_examples=200, deadline=None)
@given(lines_and_width())
@example(("1. " + "word " * 30 + "\n> > " + "x" * 100 + " y", 78))
@example(("> " * 45 + "a b c", 78))  # prefix wider than the width: textwrap decides
@example(("- a\tb " * 20 + "\n" + "c\xa0 d " * 30, 78))
@example(("2. " + "{{\0first_name\0}} " * 12, 78))
def test_wrap_is_textwrap(case: tuple[str, int]):
    text, width = case
    assert wrap(text, width) == reference(text, width)


def test_corpus_emails_wrap_as_before(tmp_path: Path, monkeypatch):
    """Every plain-text part of a small benchmark corpus wraps exactly as textwrap did."""
    write_corpus(tmp_path, articles=6, seed=5)
    seen: list[str] = []

    def spy(text: str, width: int = 78) -> str:
        seen.append(text)
        return wrap(text, width)

    monkeypatch.setattr(compose, "wrap", spy)
    render_project(tmp_path)
    assert len(seen) >= 20
    long_lines = [ln for text in seen for ln in text.split("\n") if len(ln) > 78]
    assert len(long_lines) >= 50
    for text in seen:
        assert wrap(text) == reference(text)


def test_printable_text_has_only_plain_spaces():
    """wrap() skips its whitespace regex for printable lines: no other whitespace is printable."""
    odd = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " "]
    assert len(odd) > 20
    assert not any(c.isprintable() for c in odd)

"""Markdown conversion: the reused, pruned converter gives the bytes a new Markdown gives (the
reference path, DRIPMAIL_REFERENCE=1)."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dripmail.models import Settings, Source
from dripmail.reading import to_html
from dripmail.reading.cut import CUT, CUT_LINE
from dripmail.reading.from_markdown import BLOCK_NEEDS, NEEDS, _extensions
from dripmail.reading.from_text import text_to_markdown
from tests.conftest import ROOT, reference_path

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402

INLINE = [
    "word", "Word's", "it's", "'90s", '"quoted"', "'single'", "\"'nested' quote\"", "--", "---",
    "----", "...", "....", "a-b", "`code`", "``a`b``", "`<b> & *x*`", "\\`not`", "\\\\`x`",
    "\\*", "\\_", "\\[", "\\\\", "\\<", "\\&", "\\'", '\\"', "\\-", "\\.", "\\!", "\\q",
    "[text](http://x.example/a_b)", '[t](/u "title")', "[t](<u v>)", "[ref][r1]", "[r1]",
    "[r1][]", "[missing]", "[*em* link](u)", "<http://auto.example/x>", "<me@example.com>",
    "![alt](a.png)", '![alt *x*](a.png "T")', "![alt][r1]", "![r1]", "!", "<b>bold</b>",
    '<span class="x">s</span>', "<!-- c -->", "<br/>", "<?pi?>", "&amp;", "&copy;", "&#169;",
    "&#xA9;", "& alone", "AT&T", "a < b", "a > b", "<<", ">>", "*em*", "**strong**",
    "***both***", "_em_", "__strong__", "snake_case_word", "2*3*4", "* lone", "**", "__",
    "[^1]", "[^n]", "[^none]", "HTML", "W3C", "{: .cls }", "{#id}", "*x*{: .c}", "  \n", "\t\n",
    "\n", "[", "]", "(", ")", "^", ":", "|", "@", "'", '"', "\\", "-", ".", "~", "{", "}", "#",
    "\x02", "\x03", "\r\n", "zz1337820767766393qq", "klzzwxh:0", "\u2014", "&nbsp;'x'",
    "&mdash;", "\"'", "'\"", "x\"'y", "x'\"y", "'80s", "\u2013",
]
# Each of these converts differently when one particular pattern is left out.
TOUCHING = ["a&amp;'b", "a\"\"'", "\u2013'x", 'a\u2014"b', "x\"'1", "x'\".", "--'x", "*a*--b",
            "a  \nb", "`a`*b*", "\\*a*", "[^1]\n\n[^1]: n", "![a](b)", "<a@b.c>", "<http://a>",
            "&#42;*", "a|b\n-|-\n1|2", "[x]\n\n[x]:\t/u", "T\n:\td", "*[A]: B\n\nA",
            "|x|\n|-|", "x\x02[^1]\n\n[\x02^1]: n", "[y]\n\n[y]\x03: /u", "> q"]
BLOCKS = [
    "# H", "## H2 {: #hid }", "Setext\n======", "Sub\n---", "- a\n- b", "1. a\n2. b", "3. x\n4. y",
    "* a\n\n    para", "- a\n    - nested", "> q\n> q2", "> lazy\ncontinued",
    "```python\ncode <x> & `y` 'q' -- ...\n```", "~~~ {.c #i}\nz\n~~~", "    indented *code*",
    "| a | b |\n|---|:-:|\n| 1 | *2* |", "a | b\n--|--\n1 | `2`", "---", "***", "_ _ _",
    '[r1]: http://r.example "T"', "[^1]: Footnote with *em* and 'quote'.",
    "[^n]:\n    multi para -- 'x'\n\n    second", "*[HTML]: Hyper Text 'Markup'",
    "*[W3C]: World", "Term\n:   Definition 'd'", "Term\n\n:   Loose -- def",
    '<div markdown="1">\n*in div* \'q\'\n</div>', "<div>\nraw *x* 'y'\n</div>", "<p>raw</p>",
    "<!-- email -->", "<!--\ncomment\n-->", "Para {: .p }\n", "text\n{: #after }",
    "Ref[^1] and[^n] -- HTML.\n\n[^1]: Note 'x'.\n\n[^n]: Other\n\n*[HTML]: Markup",
    '<div markdown="1">\n| a | b |\n|---|---|\n| [r1] | 2 |\n\n[r1]: http://in.example\n\n'
    'T\n:   d [^1] HTML\n\n[^1]: in div\n\n*[HTML]: H\n</div>',
    "> | q | t |\n> |---|---|\n> | 1 | 2 |\n>\n> [r2]: /q\n>\n> T\n> : d",
    "- | l | t |\n  |---|---|\n  | 1 | 2 |\n\n- [r3]: /l\n\n- T\n\n    :\td",
]


def reference(text: str, smart_quotes: bool) -> str:
    """A new Markdown with the same extensions, as the reference path makes for every article."""
    text = CUT_LINE.sub(f"\n\n{CUT}\n\n", text)
    return markdown.markdown(text, extensions=_extensions(smart_quotes), output_format="html")


def check(text: str, fmt: str = "md") -> None:
    for smart_quotes in (False, True):
        source, settings = Source(path=Path(f"a.{fmt}"), fmt=fmt, body=text), Settings(
            smart_quotes=smart_quotes)
        got = to_html(source, settings).html
        with reference_path():
            expected = to_html(source, settings).html
        assert got == expected, (fmt, smart_quotes, text)
        converted = text_to_markdown(text) if fmt == "txt" else text
        assert expected == reference(converted, smart_quotes)


# Pieces glued with and without spaces, so that constructs touch ("--\"x", "&amp;'s", "*`a`*").
piece = st.one_of(st.sampled_from(INLINE), st.text(" \n*_`[]()!<>&\\'\"-.:^|@a1", max_size=6))
paragraph = st.lists(st.tuples(st.sampled_from(["", " ", "\n"]), piece), max_size=12).map(
    lambda parts: "".join(glue + part for glue, part in parts))
document = st.lists(st.one_of(st.sampled_from(BLOCKS), paragraph), max_size=8).map(
    lambda blocks: "\n\n".join(blocks))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(document, min_size=1, max_size=3))
def test_generated_markdown_converts_like_a_fresh_markdown(docs: list[str]) -> None:
    for doc in docs:  # one converter serves them in turn, so each must leave nothing behind
        check(doc)


@pytest.mark.parametrize("text", TOUCHING)
def test_touching_constructs_convert_like_a_fresh_markdown(text: str) -> None:
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_converts_like_a_fresh_markdown(text: str) -> None:
    check(text)


def test_needs_cover_exactly_the_processors_dripmail_runs() -> None:
    md = markdown.Markdown(extensions=_extensions(True))
    regexes = {p.getCompiledRegExp().pattern for p in md.inlinePatterns}
    regexes |= {p.getCompiledRegExp().pattern for p in md.treeprocessors["smarty"].inlinePatterns}
    # A Markdown release that adds or respells a pattern shows up here: the output stays right
    # (patterns without NEEDS always run), but NEEDS should learn the new regex.
    assert regexes == set(NEEDS)
    assert all(name in md.parser.blockprocessors for name in BLOCK_NEEDS)


def test_corpus_example_and_fixtures_convert_like_a_fresh_markdown(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, articles=24, seed=5)
    paths += sorted((ROOT / "sequences").iterdir()) + sorted(
        p for p in (ROOT / "tests" / "data").rglob("*") if p.is_file())
    for path in paths:
        check(path.read_text(encoding="utf-8"), "txt" if path.suffix == ".txt" else "md")


def test_a_failed_conversion_leaves_no_state_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Some *text* with [^1] and [r].\n\n[^1]: Note.\n\n[r]: http://r.example\n"
    check(text)
    monkeypatch.setattr("markdown.treeprocessors.PrettifyTreeprocessor.run",
                        lambda self, root: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        to_html(Source(path=Path("a.md"), fmt="md", body="Half [^1] done.\n\n[^1]: x\n"),
                Settings())
    monkeypatch.undo()
    check(text)

"""The splitter: nothing lost, nothing reordered, cuts at sections, exact counts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dripmail.models import Block
from dripmail.planning.split import CannotSplit, split


def para(words: int, tag: str = "p") -> Block:
    return Block(kind="paragraph", html=f"<{tag}>", text="w " * words, words=words)


def heading(level: int = 2) -> Block:
    return Block(kind="heading", html=f"<h{level}>", text="H", words=3, level=level)


BREAK = Block(kind="break", html="", text="", words=0)

blocks_strategy = st.lists(
    st.one_of(
        st.builds(para, st.integers(1, 400)),
        st.builds(heading, st.sampled_from([2, 3])),
        st.just(BREAK),
    ),
    min_size=1, max_size=60,
)


def content(blocks: Sequence[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "break"]


def places(blocks: Sequence[Block]) -> tuple[int, int]:
    """(places where an email may start, markers that force one), counted from the blocks:
    an email may start after any block but a heading, and must after a marker."""
    items = content(blocks)
    before = [len(content(blocks[:i])) for i, b in enumerate(blocks) if b.kind == "break"]
    forced = {j for j in before if 0 < j < len(items)}
    allowed = {j for j in range(1, len(items)) if items[j - 1].kind != "heading"} | forced
    return len(allowed), len(forced)


def can_make(blocks: Sequence[Block], count: int) -> bool:
    """Whether the blocks make exactly `count` emails: one more than the markers at least, and
    at most one more than the places to cut (the README: `--emails N` forces N emails, or fails
    clearly when the article cannot make N)."""
    allowed, forced = places(blocks)
    return forced + 1 <= count <= allowed + 1


def cuttable(group: Sequence[Block]) -> bool:
    """Whether a group has a place inside where an email could start."""
    return any(group[m - 1].kind != "heading" for m in range(1, len(group)))


@settings(max_examples=300, deadline=None)
@given(blocks_strategy, st.integers(100, 400))
def test_nothing_lost_nothing_reordered(blocks: list[Block], target: int) -> None:
    groups = split(blocks, target=target, min_words=target // 2, max_words=target * 2)
    flat = [b for g in groups for b in g]
    assert [id(b) for b in flat] == [id(b) for b in content(blocks)]
    assert all(groups)
    for g in groups:  # `auto`: within max_words wherever a cut is possible
        assert sum(b.words for b in g) <= target * 2 or not cuttable(g)


@settings(max_examples=200, deadline=None)
@given(blocks_strategy, st.integers(1, 8))
def test_exact_count_or_clear_refusal(blocks: list[Block], count: int) -> None:
    if not content(blocks):
        assert split(blocks, target=250, min_words=150, max_words=350, count=count) == []
        return
    if not can_make(blocks, count):
        with pytest.raises(CannotSplit):
            split(blocks, target=250, min_words=150, max_words=350, count=count)
        return
    groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
    assert len(groups) == count
    assert [id(b) for g in groups for b in g] == [id(b) for b in content(blocks)]


def test_a_long_article_makes_few_emails() -> None:
    """Any article makes one email, and a long one two (both were refused: the splitter left
    out emails over three times max_words)."""
    blocks = [para(150) for _ in range(20)]
    for count in (1, 2, 3):
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
        assert [len(g) for g in groups] == {1: [20], 2: [10, 10], 3: [6, 7, 7]}[count]
    marked = [para(10), BREAK, *[para(150) for _ in range(20)]]
    assert [len(g) for g in split(marked, target=250, min_words=150, max_words=350,
                                  count=2)] == [1, 20]


@settings(max_examples=200, deadline=None)
@given(blocks_strategy)
def test_no_email_ends_with_a_heading_and_markers_force_cuts(blocks: list[Block]) -> None:
    groups = split(blocks, target=250, min_words=150, max_words=350)
    for g in groups[:-1]:
        assert g[-1].kind != "heading" or len(g) == 1 or _forced_after(blocks, g[-1])
    # every marker between two content blocks is a cut
    ends = {id(g[-1]) for g in groups}
    items = list(blocks)
    for i, b in enumerate(items):
        if b.kind == "break":
            before = [x for x in items[:i] if x.kind != "break"]
            after = [x for x in items[i + 1:] if x.kind != "break"]
            if before and after:
                assert id(before[-1]) in ends


def _forced_after(blocks: list[Block], block: Block) -> bool:
    i = next(n for n, b in enumerate(blocks) if b is block)
    return i + 1 < len(blocks) and blocks[i + 1].kind == "break"


def test_cuts_fall_on_section_headings() -> None:
    sections = []
    for _ in range(4):
        sections += [heading(), para(120), para(110)]
    groups = split([para(200), *sections], target=250, min_words=150, max_words=350)
    for g in groups[1:]:
        assert g[0].kind == "heading"


def test_long_section_is_cut_at_paragraphs() -> None:
    blocks = [heading(), *[para(100) for _ in range(12)]]
    groups = split(blocks, target=250, min_words=150, max_words=350)
    assert len(groups) >= 4
    assert all(sum(b.words for b in g) <= 350 for g in groups)


def test_one_giant_paragraph_is_one_email() -> None:
    assert len(split([para(5000)], target=250, min_words=150, max_words=350)) == 1


def test_too_many_emails_is_refused() -> None:
    with pytest.raises(CannotSplit, match="only 2 places"):
        split([para(10), para(10)], target=250, min_words=150, max_words=350, count=5)


def test_markers_outnumber_count() -> None:
    with pytest.raises(CannotSplit, match="markers already make 3"):
        split([para(10), BREAK, para(10), BREAK, para(10)], target=250, min_words=150,
              max_words=350, count=2)


# --- the properties above fail for a splitter that refuses or falls back -------------------

def _refusing(blocks, *, count=None, **_kwargs):
    """Refuses every exact count; in `auto`, one email with everything."""
    if count is not None:
        raise CannotSplit("its blocks cannot be grouped that way")
    items = content(blocks)
    return [tuple(items)] if items else []


def _quick(test, *strategies):
    """The property `test` run again: a fixed seed, no shrinking, no example database."""
    from hypothesis import Phase

    return settings(max_examples=200, deadline=None, database=None, derandomize=True,
                    phases=[Phase.generate])(given(*strategies)(test.hypothesis.inner_test))


@pytest.mark.parametrize(("prop", "second"), [
    (test_nothing_lost_nothing_reordered, st.integers(100, 400)),
    (test_exact_count_or_clear_refusal, st.integers(1, 8)),
])
def test_the_properties_fail_for_a_refusing_splitter(prop, second, monkeypatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "split", _refusing)
    with pytest.raises((AssertionError, CannotSplit)):  # the property fails
        _quick(prop, blocks_strategy, second)()

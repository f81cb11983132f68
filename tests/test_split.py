"""The splitter: nothing lost, nothing reordered, cuts at sections, exact counts."""

from __future__ import annotations

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


def content(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "break"]


@settings(max_examples=300, deadline=None)
@given(blocks_strategy, st.integers(100, 400))
def test_nothing_lost_nothing_reordered(blocks: list[Block], target: int) -> None:
    groups = split(blocks, target=target, min_words=target // 2, max_words=target * 2)
    flat = [b for g in groups for b in g]
    assert [id(b) for b in flat] == [id(b) for b in content(blocks)]
    assert all(groups)


@settings(max_examples=200, deadline=None)
@given(blocks_strategy, st.integers(1, 8))
def test_exact_count_or_clear_refusal(blocks: list[Block], count: int) -> None:
    try:
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
    except CannotSplit:
        return
    if not content(blocks):
        assert groups == []
        return
    assert len(groups) == count
    assert [id(b) for g in groups for b in g] == [id(b) for b in content(blocks)]


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

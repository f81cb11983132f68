"""The splitter: nothing lost, nothing reordered, cuts along the outline, exact counts."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dripmail.models import Block
from dripmail.planning.split import LEAD_MIN, CannotSplit, feasible, split

TOKEN = re.compile(r"\b[tr]\d{5}\b")  # t: a word of the article; r: a word of a table header
_count = itertools.count(1)


def _words(n: int, prefix: str = "t") -> str:
    return " ".join(f"{prefix}{next(_count):05d}" for _ in range(n))


def para(words: int, tag: str = "p", colon: bool = False) -> Block:
    text = _words(words) + (":" if colon else ".")
    return Block(kind="paragraph", html=f"<{tag}>{text}</{tag}>", text=text, words=words)


def heading(level: int = 2) -> Block:
    text = _words(3)
    return Block(kind="heading", html=f"<h{level}>{text}</h{level}>", text=text, words=3,
                 level=level)


def items(sizes: Sequence[int], tag: str = "ul", start: int = 1) -> Block:
    lis = [_words(n) for n in sizes]
    attr = f' start="{start}"' if start != 1 else ""
    html = f"<{tag}{attr}>" + "".join(f"<li>{t}</li>" for t in lis) + f"</{tag}>"
    marker = (lambda k: f"{k}. ") if tag == "ol" else (lambda k: "- ")
    text = "\n".join(marker(k) + t for k, t in enumerate(lis, start))
    return Block(kind="list", html=html, text=text, words=sum(sizes))


def table(rows: Sequence[int]) -> Block:
    head = "<thead><tr><th>" + _words(1, "r") + "</th><th>" + _words(1, "r") + "</th></tr></thead>"
    body = "".join(f"<tr><td>{_words(n)}</td><td>{_words(1)}</td></tr>" for n in rows)
    return Block(kind="table", html=f"<table>{head}<tbody>{body}</tbody></table>", text="x",
                 words=2 + sum(n + 1 for n in rows))


def code(words: int) -> Block:
    text = _words(words)
    return Block(kind="code", html=f"<pre><code>{text}</code></pre>", text=text, words=words)


BREAK = Block(kind="break", html="", text="", words=0)

blocks_strategy = st.lists(
    st.one_of(
        st.builds(para, st.integers(1, 400)),
        st.builds(lambda n: para(n, colon=True), st.integers(1, 60)),
        st.builds(heading, st.sampled_from([2, 3])),
        st.builds(items, st.lists(st.integers(1, 120), min_size=1, max_size=8)),
        st.just(BREAK),
    ),
    min_size=1, max_size=60,
)


def content(blocks: Sequence[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "break"]


def tokens(blocks: Sequence[Block]) -> list[str]:
    """The article's words in the blocks' HTML, in order (repeated table headers left out)."""
    return [t for b in blocks if b.html for t in TOKEN.findall(b.html) if t[0] == "t"]


# --- a feasibility oracle: which counts an article can make, by brute force ------------------

def units(blocks: Sequence[Block], max_words: int) -> tuple[list[tuple[str, int, bool, int]],
                                                           set[int]]:
    """(kind, words, ends with ':', level) per unit the splitter may separate (a list or table
    over max_words: each item or row), and the places where markers force a cut."""
    out, forced = [], set()
    for b in blocks:
        if b.kind == "break":
            if out:
                forced.add(len(out))
            continue
        parts = lxml.html.fragment_fromstring(b.html).findall(".//li") if b.kind == "list" \
            else lxml.html.fragment_fromstring(b.html).findall(".//tbody/tr")
        if b.kind in ("list", "table") and b.words > max_words and len(parts) > 1:
            out += [(b.kind, len(p.text_content().split()), False, 0) for p in parts]
        else:
            out.append((b.kind, b.words, b.text.rstrip().endswith(":"), b.level))
    return out, {f for f in forced if f < len(out)}


def _start_ok(us: list, forced: set[int], j: int) -> bool:
    """An email may start at unit j: never after a heading, after a ':' lead-in (unless a
    heading starts it), or between two units without words."""
    if j in forced:
        return True
    kind, words, colon, _l = us[j - 1]
    if us[j][1] == 0 and words == 0:
        return False
    return kind != "heading" and not (kind == "paragraph" and colon and us[j][0] != "heading")


def _group_ok(us: list, forced: set[int], i: int, j: int) -> bool:
    """Units i..j may be one email: no forced cut inside, and it does not end less than
    LEAD_MIN words into a section that started inside it and goes on after it."""
    if any(i < f < j for f in forced):
        return False
    if j == len(us) or j in forced or us[j][0] == "heading":
        return True
    heads = [k for k in range(i + 1, j) if us[k][0] == "heading"]
    return not heads or sum(w for _k, w, _c, _l in us[heads[-1] + 1:j]) >= LEAD_MIN


def possible_counts(blocks: Sequence[Block], max_words: int = 350) -> set[int]:
    """Every number of emails the blocks can make (the rules of _start_ok and _group_ok)."""
    us, forced = units(blocks, max_words)
    n = len(us)
    counts: dict[int, set[int]] = {0: {0}}
    for j in range(1, n + 1):
        if j < n and not _start_ok(us, forced, j):
            continue
        counts[j] = {c + 1 for i, cs in counts.items()
                     if i < j and _group_ok(us, forced, i, j) for c in cs}
    return counts.get(n, set())


def cuttable(group: Sequence[Block], max_words: int = 350) -> bool:
    """Whether a group has a place inside where an email could start, by the same rules
    (between the items of a list or table over max_words too)."""
    us, forced = units(group, max_words)
    return any(_start_ok(us, forced, m) and _group_ok(us, forced, 0, m)
               for m in range(1, len(us)))


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(blocks_strategy, st.integers(100, 400))
@example([heading(2), heading(2), para(1), para(194)], 100)  # a 1-word lead-in: no cut
def test_nothing_lost_nothing_reordered(blocks: list[Block], target: int) -> None:
    groups = split(blocks, target=target, min_words=target // 2, max_words=target * 2)
    assert tokens([b for g in groups for b in g]) == tokens(blocks)
    assert all(groups)
    for g in groups:  # `auto`: within max_words wherever a cut is possible
        assert sum(b.words for b in g) <= target * 2 or not cuttable(g, target * 2)


@settings(max_examples=200, deadline=None)
@given(blocks_strategy, st.integers(1, 8))
def test_exact_count_or_clear_refusal(blocks: list[Block], count: int) -> None:
    if not content(blocks):
        assert split(blocks, target=250, min_words=150, max_words=350, count=count) == []
        return
    possible = possible_counts(blocks)
    assert feasible(blocks, max_words=350) == (min(possible), max(possible))
    if count not in possible:
        with pytest.raises(CannotSplit, match=r"it makes (only \d+ emails?|\d+ to \d+ emails)|"
                           r"markers? already makes? \d+ emails"):
            split(blocks, target=250, min_words=150, max_words=350, count=count)
        return
    groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
    assert len(groups) == count
    assert tokens([b for g in groups for b in g]) == tokens(blocks)


@settings(max_examples=200, deadline=None)
@given(blocks_strategy, st.sampled_from([None, 1, 2, 3, 5]))
def test_no_email_ends_on_a_heading_a_short_lead_in_or_a_lead_in_colon(blocks, count) -> None:
    if count is not None and count not in possible_counts(blocks):
        return
    groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
    ends = _forced_ends(blocks)
    for g, nxt in zip(groups, groups[1:], strict=False):
        if id(g[-1]) in ends:
            continue  # an author's marker wins
        assert g[-1].kind != "heading"
        assert not (g[-1].kind == "paragraph" and g[-1].text.endswith(":")
                    and nxt[0].kind != "heading")
        heads = [k for k, b in enumerate(g) if b.kind == "heading"]
        if heads and heads[-1] > 0 and nxt[0].kind != "heading":
            assert sum(b.words for b in g[heads[-1] + 1:]) >= LEAD_MIN


def _forced_ends(blocks: list[Block]) -> set[int]:
    """The blocks just before a marker."""
    out, last = set(), None
    for b in blocks:
        if b.kind == "break" and last is not None:
            out.add(id(last))
        elif b.kind != "break":
            last = b
    return out


def test_markers_force_cuts() -> None:
    blocks = [para(100), BREAK, para(100), para(100), BREAK, para(10)]
    assert [len(g) for g in split(blocks, target=250, min_words=150, max_words=350)] == [1, 2, 1]


# --- cuts along the outline -------------------------------------------------------------------

def test_a_long_article_makes_few_emails() -> None:
    """Any article makes one email, and a long one two."""
    blocks = [para(150) for _ in range(20)]
    for count in (1, 2, 3):
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
        assert [len(g) for g in groups] == {1: [20], 2: [10, 10], 3: [6, 7, 7]}[count]
    marked = [para(10), BREAK, *[para(150) for _ in range(20)]]
    assert [len(g) for g in split(marked, target=250, min_words=150, max_words=350,
                                  count=2)] == [1, 20]


def test_cuts_fall_on_section_headings() -> None:
    sections = []
    for _ in range(4):
        sections += [heading(), para(120), para(110)]
    groups = split([para(200), *sections], target=250, min_words=150, max_words=350)
    for g in groups[1:]:
        assert g[0].kind == "heading"


def test_a_long_section_is_cut_at_its_subsections_first() -> None:
    sub = [heading(3), para(90), para(90), para(90)]
    blocks = [heading(2), para(60), *sub, *[heading(3), para(90), para(90), para(90)]]
    groups = split(blocks, target=250, min_words=150, max_words=350)
    assert [g[0].kind for g in groups] == ["heading", "heading"]
    assert groups[1][0].level == 3


def test_a_higher_section_is_not_buried_under_a_subsection() -> None:
    """An email that opens with a subsection does not also hold the next top section."""
    blocks = [heading(2), para(200), heading(3), para(80), heading(2), para(100), para(150)]
    groups = split(blocks, target=250, min_words=150, max_words=350)
    for g in groups:
        levels = [b.level for b in g if b.kind == "heading"]
        assert not (g[0].kind == "heading" and any(lv < g[0].level for lv in levels[1:]))


def test_a_section_never_starts_at_the_tail_of_an_email() -> None:
    """A heading and a short lead-in go with the rest of their section."""
    blocks = [para(230), heading(), para(20), para(200), para(100)]
    groups = split(blocks, target=250, min_words=150, max_words=350)
    assert [len(g) for g in groups][0] == 1
    assert groups[1][0].kind == "heading"


def test_a_colon_lead_in_stays_with_its_block() -> None:
    intro = para(230)
    lead = para(12, colon=True)
    code_block = code(60)
    blocks = [intro, lead, code_block, para(200)]
    for count in (None, 2, 3):
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
        together = [g for g in groups if lead in g]
        assert code_block in together[0], [len(g) for g in groups]


def test_a_long_list_is_cut_between_items_and_numbering_goes_on() -> None:
    long = items([60] * 12, tag="ol", start=3)  # 720 words
    intro = para(100)
    groups = split([intro, long], target=250, min_words=150, max_words=350)
    lists = [b for g in groups for b in g if b.kind == "list"]
    assert len(lists) >= 3 and all(b.words <= 350 for b in lists)
    starts = [int(lxml.html.fragment_fromstring(b.html).get("start", "1")) for b in lists]
    counts = [len(lxml.html.fragment_fromstring(b.html).findall("li")) for b in lists]
    assert starts[0] == 3 and all(s + c == t for s, c, t in zip(starts, counts, starts[1:],
                                                                  strict=False))
    assert sum(counts) == 12 and sum(b.words for b in lists) == 720
    assert tokens([b for g in groups for b in g]) == tokens([intro, long])
    assert [ln.split(".")[0] for ln in lists[1].text.split("\n")][0] == str(starts[1])
    for b in lists:  # each piece is a whole, valid list
        el = lxml.html.fragment_fromstring(b.html)
        assert el.tag == "ol" and all(li.tag == "li" for li in el)


def test_a_list_within_max_words_is_never_cut() -> None:
    short = items([40] * 5)  # 200 words
    groups = split([para(300), short, para(300)], target=250, min_words=150, max_words=350,
                   count=3)
    assert any(short in g for g in groups)


def test_a_long_table_is_cut_between_rows_and_repeats_its_header() -> None:
    big = table([60] * 10)
    groups = split([big], target=250, min_words=150, max_words=350)
    assert len(groups) >= 2
    pieces = [g[0] for g in groups]
    header = TOKEN.findall(lxml.html.tostring(
        lxml.html.fragment_fromstring(big.html).find("thead"), encoding="unicode"))
    for piece in pieces:
        el = lxml.html.fragment_fromstring(piece.html)
        assert TOKEN.findall(lxml.html.tostring(el.find("thead"), encoding="unicode")) == header
    assert tokens(pieces) == tokens([big])
    assert sum(p.words for p in pieces) == big.words  # a repeated header is not counted again


@pytest.mark.parametrize("block", [items([3] * 4000, tag="ol"), table([3] * 4000)],
                         ids=["list", "table"])
def test_a_4000_item_block_is_cut_and_joined_walking_its_items_once(block, monkeypatch) -> None:
    """Every piece and every email's join reuse one parse and one list of the items (each
    piece walked them all: minutes for a long table)."""
    from dripmail.planning import pieces as module

    walks = []
    monkeypatch.setattr(module, "_items", lambda *a, _f=module._items: walks.append(1) or _f(*a))
    cut = module.pieces(block, 350)
    assert [(p.start, p.stop) for p in cut] == [(k, k + 1) for k in range(4000)]
    assert tokens([p.block for p in cut]) == tokens([block])
    assert sum(p.block.words for p in cut) == block.words
    middle = module.join(cut[1000:2000])
    assert tokens([middle]) == tokens([p.block for p in cut[1000:2000]])
    assert module.join(cut) is block
    assert len(walks) == 1


def test_one_uncuttable_block_is_one_email() -> None:
    assert len(split([para(5000)], target=250, min_words=150, max_words=350)) == 1
    groups = split([para(100), code(900), para(100)], target=250, min_words=150, max_words=350)
    assert [b.kind for b in max(groups, key=lambda g: sum(b.words for b in g))] == ["code"]


# --- counts that cannot be made -----------------------------------------------------------

def test_too_many_emails_is_refused_with_the_range() -> None:
    with pytest.raises(CannotSplit, match="it makes 1 to 2 emails") as info:
        split([para(10), para(10)], target=250, min_words=150, max_words=350, count=5)
    assert (info.value.low, info.value.high) == (1, 2)
    with pytest.raises(CannotSplit, match="it makes only 1 email$"):
        split([para(10)], target=250, min_words=150, max_words=350, count=2)


def test_markers_outnumber_count() -> None:
    with pytest.raises(CannotSplit, match="markers already make 3"):
        split([para(10), BREAK, para(10), BREAK, para(10)], target=250, min_words=150,
              max_words=350, count=2)


def test_every_count_in_the_range_is_made() -> None:
    blocks = [para(150), heading(), para(30), para(200), heading(3), para(100), para(100),
              items([80] * 6), para(60, colon=True), code(40), para(90)]
    low, high = feasible(blocks, max_words=350)
    assert low == 1 and high > 6
    for count in range(low, high + 1):
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
        assert len(groups) == count
        assert tokens([b for g in groups for b in g]) == tokens(blocks)


# --- the properties above fail for a splitter that refuses or falls back -------------------

def _refusing(blocks, *, count=None, **_kwargs):
    """Refuses every exact count; in `auto`, one email with everything."""
    if count is not None:
        raise CannotSplit("its blocks cannot be grouped that way", 1, 1)
    items_ = content(blocks)
    return [tuple(items_)] if items_ else []


def _quick(test, *strategies):
    """The property `test` run again: a fixed seed, no shrinking, no example database."""
    from hypothesis import Phase

    return settings(max_examples=200, deadline=None, database=None, derandomize=True,
                    phases=[Phase.generate])(given(*strategies)(test.hypothesis.inner_test))


@pytest.mark.parametrize(("prop", "second"), [
    (test_nothing_lost_nothing_reordered, st.integers(100, 400)),
    (test_exact_count_or_clear_refusal, st.integers(1, 8)),
    (test_no_email_ends_on_a_heading_a_short_lead_in_or_a_lead_in_colon,
     st.sampled_from([None, 2, 3])),
])
def test_the_properties_fail_for_a_refusing_splitter(prop, second, monkeypatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "split", _refusing)
    with pytest.raises((AssertionError, CannotSplit)):  # the property fails
        _quick(prop, blocks_strategy, second)()


def test_few_emails_from_very_many_blocks() -> None:
    """Emails of over MAX_BLOCKS places to cut: `--emails 2` still works (fewer places are
    looked at), and the range starts at one email."""
    blocks = [para(5) for _ in range(1500)]
    assert feasible(blocks, max_words=350)[0] == 1
    for count in (2, 3):
        groups = split(blocks, target=250, min_words=150, max_words=350, count=count)
        assert len(groups) == count
        assert tokens([b for g in groups for b in g]) == tokens(blocks)


def test_a_run_of_blocks_without_words_stays_together() -> None:
    rule = Block(kind="rule", html="<hr>", text="* * *", words=0)
    groups = split([para(300), rule, rule, rule, para(300)], target=250, min_words=150,
                   max_words=350)
    assert [[b.kind for b in g] for g in groups] in (
        [["paragraph", "rule", "rule", "rule"], ["paragraph"]],
        [["paragraph"], ["rule", "rule", "rule", "paragraph"]])

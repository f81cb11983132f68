"""Planning emails: days, subjects, preheaders, titles of continued sections."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dripmail.models import Settings, Source
from dripmail.planning.plan import days, plan, preheader, shorten
from dripmail.reading.article import parse_article


def test_days() -> None:
    assert days(4, (), 2) == [0, 2, 4, 6]
    assert days(3, (0, 1, 3, 5), 2) == [0, 1, 3]
    assert days(4, (0, 1), 3) == [0, 1, 4, 7]


def test_shorten_subjects() -> None:
    assert shorten("Short title", 50) == "Short title"
    assert shorten("When Your Partner Isn’t Ready for Couple Therapy: What You Can Do on "
                   "Your Own", 50) == "When Your Partner Isn’t Ready for Couple Therapy"
    assert shorten("A Fictional Example (Drawn from Real Clinical Themes)", 50) == \
        "A Fictional Example"
    # no natural break: kept whole when it is not much longer than the aim
    long = "Why Your Partner’s Readiness Isn’t the Only Measure of Progress"
    assert shorten(long, 50) == long
    cut = shorten("word " * 30, 50)
    assert len(cut) <= 50 and not cut.endswith(" ")
    assert shorten("The things we learn when we listen to the quiet voice of the body and "
                   "the mind together", 50) == \
        "The things we learn when we listen to the quiet"


def para(text: str):
    from dripmail.models import Block

    return Block(kind="paragraph", html=f"<p>{text}</p>", text=text, words=len(text.split()))


def test_preheader_from_opening_prose() -> None:
    text = preheader((para("Short one. This second sentence makes it long enough to use."),),
                     "Subject", "fallback text that is long enough")
    assert text == "Short one. This second sentence makes it long enough to use."
    long = preheader((para("word " * 60),), "Subject", "fallback")
    assert 40 <= len(long) <= 101 and long.endswith("…")
    same = preheader((para("Exactly the subject line here, nothing else at all"),),
                     "Exactly the subject line here, nothing else at all",
                     "Part 2 of 3: a fallback preheader")
    assert same == "Part 2 of 3: a fallback preheader"


def test_plan_titles_subjects_and_overrides() -> None:
    body = "# Course\n\nIntro " + "word " * 150 + "\n\n## Two\n\n" + "more " * 150 + \
        "\n\n" + "again " * 150 + "\n"
    src = Source(path=Path("c.md"), fmt="md", body=body)
    parts = plan(parse_article(src, Settings(emails=3, subject_prefix="Course: ",
                                             subjects=("", "Custom second"))))
    assert [p.title for p in parts] == ["Course", "Two", "Two (continued)"]
    assert [p.subject for p in parts] == ["Course: Course", "Custom second",
                                          "Course: Two (continued)"]
    assert [p.day for p in parts] == [0, 2, 4]
    assert parts[1].lead_heading and not parts[2].lead_heading


def test_clip_cuts_at_a_word_boundary_not_at_a_colon() -> None:
    from dripmail.planning.plan import clip

    text = "In this issue: Calm in Five Small Steps and When Your Partner Isn’t Ready for Couple " \
        "Therapy: What You Can Do"
    out = clip(text)
    assert out.startswith("In this issue: Calm in Five Small Steps") and out.endswith("…")
    assert len(out) <= 101
    assert clip("short enough") == "short enough"


def _preheader_reading_everything(blocks, subject: str, fallback: str) -> str:
    """The preheader as computed before it read only the opening of the prose."""
    import re

    from dripmail.limits import PLANNED_PREHEADER_MIN
    from dripmail.planning.plan import _SENTENCE, clip

    prose = " ".join(b.text for b in blocks if b.kind in ("paragraph", "quote", "list")
                     and b.text).replace("\n", " ")
    prose = re.sub(r"^[>\-\s]+|\s+", " ", prose).strip()
    text = ""
    for sentence in _SENTENCE.split(prose):
        text = f"{text} {sentence}".strip()
        if len(text) >= PLANNED_PREHEADER_MIN:
            break
    text = clip(text)
    return fallback if len(text) < 30 or text.casefold() == subject.casefold() else text


_piece = st.sampled_from(["word", "Word", "x" * 90, "A.", "end.", "Yes!", "“Quote.”", "9", " ",
                          "   ", "\n", "\t", ">", "- ", "—", "…", "(see it)", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.lists(_piece, max_size=120).map(" ".join), min_size=1, max_size=6),
       kinds=st.lists(st.sampled_from(["paragraph", "quote", "list", "heading"]), min_size=6,
                      max_size=6))
def test_preheader_reads_only_the_opening_with_the_same_result(texts, kinds) -> None:
    from dripmail.models import Block

    blocks = tuple(Block(kind, "", text, 0) for kind, text in zip(kinds, texts, strict=False))
    assert (preheader(blocks, "Subject", "fallback")
            == _preheader_reading_everything(blocks, "Subject", "fallback"))

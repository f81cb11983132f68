"""Plain-text structure recovery: the seed, varied realistic texts, and a property test."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

import lxml.html
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dripmail.reading.from_text import DEFAULT_RULES, Rules, text_to_markdown

SEED = Path(__file__).resolve().parents[1] / "sequences" / "when-your-partner-isnt-ready.txt"
ALLOWED_TAGS = {"div", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "blockquote"}
# (h3 and h4: underlines of "-" or "~", and numbered subsections such as "7.1.", issue 13)


def render(text: str, rules: Rules = DEFAULT_RULES) -> lxml.html.HtmlElement:
    """Text -> Markdown -> HTML (the pipeline's extension set) -> an lxml tree."""
    html = markdown.markdown(text_to_markdown(text, rules), extensions=["extra", "sane_lists"])
    return lxml.html.fragment_fromstring(html, create_parent="div")


def words(s: str) -> list[str]:
    """Letter runs: list numbers and bullets become markup, every word must survive."""
    return re.findall(r"[^\W\d_]+", s)


def texts(root: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """Text content of the matching elements, whitespace collapsed."""
    return [" ".join(e.text_content().split()) for e in root.xpath(xpath)]


def child_tags(root: lxml.html.HtmlElement) -> list[str]:
    """Top-level element tags, in order."""
    return [e.tag for e in root]


# -- the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, lxml.html.HtmlElement]:
    text = SEED.read_text(encoding="utf-8")
    return text, render(text)


def test_seed_title_and_headings(seed):
    text, root = seed
    assert texts(root, "//h1") == [text.splitlines()[0]]
    assert texts(root, "//h2") == [
        "Why One Partner Often Feels Ready Before the Other",
        "A Fictional Example (Drawn from Real Clinical Themes)",
        "Why Starting Therapy Alone Can Be Transformative",
        "Why Your Partner’s Readiness Isn’t the Only Measure of Progress",
        "A Shift in One Person Can Shift the Entire Dynamic",
        "If You’re Ready for Change, You Don’t Need to Wait",
    ]


def test_seed_lists(seed):
    _, root = seed
    assert [len(ul.xpath("li")) for ul in root.xpath("//ul")] == [6, 6, 4]
    assert texts(root, "//ul[1]/li")[0] == "fear of being blamed"
    (ol,) = root.xpath("//ol")
    assert len(ol.xpath("li")) == 5
    assert texts(ol, "li/p[1]/strong")[0] == "Your Patterns in the Relationship"
    assert len(ol.xpath("li/p[1]/strong")) == 5
    assert texts(ol, "li[2]/p") == [
        "The Meaning Behind the Conflict",
        "Arguments are rarely about the surface issue.",
        "They are often about longing, fear, attachment, or old wounds.",
    ]
    # the last item is no longer than the shortest one: the closing line follows the list
    assert texts(ol, "li[5]/p")[1:] == ["There is relief in discovering where your agency lies."]
    assert ol.getnext().text_content().startswith("When one partner becomes more attuned")


def test_seed_quotes_and_short_lines(seed):
    _, root = seed
    assert texts(root, "//blockquote") == [
        "“I know we need help, but my partner doesn’t think therapy is necessary.”",
        "“I brought it up, but they shut it down immediately.”",
    ]
    paragraphs = texts(root, "/div/p")
    assert "He softened." in paragraphs
    assert "Here’s the truth:" in paragraphs
    assert "“We’re fine,” or “It’s not that serious.”" in paragraphs
    assert "You don’t have to wait for your partner to begin." in paragraphs


def test_seed_keeps_every_word_in_order(seed):
    text, root = seed
    assert words(root.text_content()) == words(text)


def test_seed_layout_variants_give_the_same_markdown(seed):
    """Blank lines between all lines, before headings, or hard-wrapped paragraphs: same result."""
    text, root = seed
    expected = text_to_markdown(text)
    assert text_to_markdown(text.replace("\n", "\n\n")) == expected
    headings = set(texts(root, "//h2"))
    spaced = "\n".join(("\n" + ln if ln in headings else ln) for ln in text.splitlines())
    assert text_to_markdown(spaced) == expected
    attached = set(texts(root, "//ul/li")) | {"or", "“It’s not that serious.”"}
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if line in attached:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    wrapped = "\n\n".join("\n".join(textwrap.fill(ln, 72) for ln in b) for b in blocks)
    assert max(len(ln) for ln in wrapped.splitlines()) <= 72
    assert text_to_markdown(wrapped) == expected


# -- varied realistic texts -------------------------------------------------------------------

RECIPE = """Simple Weeknight Focaccia
This bread takes about two hours, most of it waiting for the dough.
You will need:
500 g strong white flour
10 g salt
7 g instant yeast
400 ml warm water
olive oil for the tin
Method
1. Mix the flour, salt and yeast in a large bowl.
2. Pour in the water and stir until no dry flour remains.
3. Cover and leave to rise for one hour.
4. Tip the dough into an oiled tin and dimple it with your fingers.
5. Bake at 220°C for 25 minutes.
Let it cool for ten minutes before slicing.
"""


def test_recipe_with_single_line_numbered_steps():
    root = render(RECIPE)
    assert texts(root, "//h1") == ["Simple Weeknight Focaccia"]
    assert texts(root, "//h2") == ["Method"]
    assert texts(root, "//ul/li") == [
        "500 g strong white flour", "10 g salt", "7 g instant yeast", "400 ml warm water",
        "olive oil for the tin",
    ]
    assert texts(root, "//ol/li")[0] == "Mix the flour, salt and yeast in a large bowl."
    assert len(root.xpath("//ol/li")) == 5
    assert not root.xpath("//strong") and not root.xpath("//ol//p")
    assert child_tags(root)[-2:] == ["ol", "p"]
    assert words(root.text_content()) == words(RECIPE)


def test_crlf_and_cr_line_endings_give_the_same_structure():
    expected = text_to_markdown(RECIPE)
    assert text_to_markdown(RECIPE.replace("\n", "\r\n")) == expected
    assert text_to_markdown(RECIPE.replace("\n", "\r")) == expected
    assert text_to_markdown("\ufeff" + RECIPE.replace("\n", "\r\n")) == expected


NEWSLETTER_PARAGRAPHS = [
    "The library reopens on Monday after three weeks of repairs to the roof, and we could not be "
    "happier to welcome you back. The reading room has new lights. The children's corner has a "
    "new rug, donated by the Friends of the Library, which the toddlers have already tested.",
    "Opening hours stay the same for now: nine to six on weekdays and ten to four on Saturdays. "
    "If you borrowed books before the closure, the due dates were extended automatically, so "
    "there is nothing to pay and nothing to do.",
    "We are also looking for volunteers for the summer reading challenge. It takes about two "
    "hours a week, and you will spend most of it listening to children tell you about dragons.",
]
NEWSLETTER = (
    "Library News, June\n\nBack in the Building\n\n"
    + "\n\n".join(textwrap.fill(p, width=68) for p in NEWSLETTER_PARAGRAPHS[:2])
    + "\n\nHelp Wanted\n\n"
    + textwrap.fill(NEWSLETTER_PARAGRAPHS[2], width=68)
    + "\n\nSee you soon,\nThe library team\n"
)


def test_newsletter_with_hard_wrapped_paragraphs_is_rejoined():
    root = render(NEWSLETTER)
    assert texts(root, "//h1") == ["Library News, June"]
    assert texts(root, "//h2") == ["Back in the Building", "Help Wanted"]
    assert texts(root, "//p") == [*NEWSLETTER_PARAGRAPHS, "See you soon,", "The library team"]
    assert words(root.text_content()) == words(NEWSLETTER)


ALL_CAPS = """GARDEN CLUB SPRING UPDATE
Our first meeting of the year drew more than forty members, a record for March.
WHAT WE PLANTED
The community beds now hold early potatoes, broad beans and two rows of onions.
Thanks to everyone who turned up with a spade.
NEXT WORKDAYS
We meet on the first Saturday of every month at ten, rain or shine.
"""


def test_all_caps_headings():
    root = render(ALL_CAPS)
    assert texts(root, "//h1") == ["GARDEN CLUB SPRING UPDATE"]
    assert texts(root, "//h2") == ["WHAT WE PLANTED", "NEXT WORKDAYS"]
    assert len(root.xpath("//p")) == 4
    assert words(root.text_content()) == words(ALL_CAPS)


LETTER = """Dear neighbours,
Thank you to everyone who came to the street party last weekend.
We raised enough money to repaint the playground fence and buy two new benches.
A few of you asked about the next event, so we will send a note in the spring.
With thanks,
Priya from number 12
"""


def test_text_without_headings_is_all_paragraphs():
    root = render(LETTER)
    assert child_tags(root) == ["p"] * 6
    assert texts(root, "//p")[0] == "Dear neighbours,"
    assert words(root.text_content()) == words(LETTER)


REMOTE = """Three Lessons From a Year of Remote Work
When our team went fully remote, we expected technology to be the hard part. It was not.
Here is what we learned instead:
Communication has to be written down, because hallway talk no longer reaches everyone.
Meetings shrink when every one of them needs an agenda shared the day before.
Trust grows from delivering small things often, not from being seen online.
The rule we ended up with was simple:
Ship something every week.
"""


def test_colon_line_followed_by_sentences_is_not_a_list():
    root = render(REMOTE)
    assert not root.xpath("//ul") and not root.xpath("//ol")
    assert child_tags(root) == ["h1"] + ["p"] * 7
    assert words(root.text_content()) == words(REMOTE)


SPECIAL = """Notes on Templates & <Tags>
Use {{ 7*7 }} to print a value, and {% for item in items %} to loop over a list.
*Not emphasis* and _not either_ and `not code` and **not bold**.
[Not a link](http://example.com) and <b>not bold</b> & &amp; stays as typed.
# not a heading
Some prose between the odd lines keeps them apart.
> not a quote
- just one dash line
1986. A year to remember.
: not a definition
~~~
a | b | c
--- | ---
back\\slash, C#, 100% and <!-- a comment -->
+ a plus line
---
<script>alert(1)</script>
"""


def test_markdown_and_html_characters_show_as_typed():
    root = render(SPECIAL)
    assert {e.tag for e in root.iter()} <= {"div", "h1", "p"}
    assert texts(root, "//h1|//p") == SPECIAL.splitlines()
    assert "{{ 7*7 }}" in root.text_content()


BULLETS = """Packing List for a Weekend Hike
Pack light, but do not skip the essentials.
- water, at least two litres
- a waterproof jacket
- a map and a charged phone
Also bring something to share:
• trail mix
• fruit
• chocolate
Have a great trip.
"""


def test_bullet_characters_make_lists():
    root = render(BULLETS)
    assert [texts(ul, "li") for ul in root.xpath("//ul")] == [
        ["water, at least two litres", "a waterproof jacket", "a map and a charged phone"],
        ["trail mix", "fruit", "chocolate"],
    ]
    assert child_tags(root) == ["h1", "p", "ul", "p", "ul", "p"]


def test_blank_line_between_every_line_still_finds_lists():
    text = "Shopping Day\n\nWe ran out.\n\nWe need:\n\nbread\n\nmilk\n\neggs\n\nBye.\n"
    root = render(text)
    assert texts(root, "//ul/li") == ["bread", "milk", "eggs"]
    assert child_tags(root) == ["h1", "p", "p", "ul", "p"]


JOURNAL = """How to start journaling

Journaling is one of the simplest habits you can build, and it costs nothing.

Why it works

Writing slows your thinking down. It lets you notice patterns you would otherwise miss.

What you need

A notebook
A pen
Ten quiet minutes

Getting started

Pick a time of day and protect it. Morning works for many people:

1. Write the date.
2. Write three things on your mind.
3. Close the notebook.

That is it. See you next week,
Sam
"""


def test_sentence_case_headings_standing_between_blank_lines():
    root = render(JOURNAL)
    assert texts(root, "//h1") == ["How to start journaling"]
    assert texts(root, "//h2") == ["Why it works", "What you need", "Getting started"]
    assert texts(root, "//ul/li") == ["A notebook", "A pen", "Ten quiet minutes"]
    assert len(root.xpath("//ol/li")) == 3
    assert texts(root, "/div/p")[-2:] == ["That is it. See you next week,", "Sam"]
    assert words(root.text_content()) == words(JOURNAL)


def test_blocks_of_short_lines_are_not_taken_for_hard_wrapping():
    text = "Trip Notes\n\nBring:\nsocks\nshoes\na hat\n\nLeave at nine.\nDo not be late.\n"
    root = render(text)
    assert texts(root, "//ul/li") == ["socks", "shoes", "a hat"]
    assert texts(root, "//p") == ["Bring:", "Leave at nine.", "Do not be late."]


def test_numbered_items_with_descriptions():
    text = (
        "Three Habits Worth Keeping\nSmall routines add up.\n1. Write Things Down\n"
        "Memory is unreliable.\nA notebook is not.\n2. Walk After Lunch\n"
        "Ten minutes is enough.\n3. Go to Bed Earlier\nThe news can wait.\n"
        "None of this is new, and that is the point.\n"
    )
    root = render(text)
    assert texts(root, "//ol/li[1]/p") == [
        "Write Things Down", "Memory is unreliable.", "A notebook is not.",
    ]
    assert texts(root, "//ol/li/p/strong") == [
        "Write Things Down", "Walk After Lunch", "Go to Bed Earlier",
    ]
    assert texts(root, "//ol/li[3]/p") == ["Go to Bed Earlier", "The news can wait."]
    assert child_tags(root)[-2:] == ["ol", "p"]


def test_connector_and_comma_join_quoted_replies():
    text = (
        "Story\nShe asked him twice.\n“Yes.”\nand\n“No.”\n“We’re fine,”\nhe said again.\n"
        '"Straight quotes work too."\n'
    )
    root = render(text)
    assert texts(root, "/div/p") == [
        "She asked him twice.", "“Yes.” and “No.”", "“We’re fine,” he said again.",
    ]
    assert texts(root, "//blockquote") == ['"Straight quotes work too."']


def test_email_marker_passes_through():
    text = "Title Here\nFirst part of the text.\n<!-- email -->\nSecond part of the text.\n"
    md = text_to_markdown(text)
    assert "\n<!-- email -->\n" in md
    html = markdown.markdown(md, extensions=["extra", "sane_lists"])
    assert "<!-- email -->" in html


def test_rules_are_frozen_and_drive_the_heuristics():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_RULES.min_list_items = 3  # type: ignore[misc]
    root = render(SEED.read_text(encoding="utf-8"), Rules(min_list_items=7))
    assert not root.xpath("//ul") and not root.xpath("//ol")


def test_empty_and_blank_input():
    assert text_to_markdown("") == ""
    assert text_to_markdown(" \n\t\n\u00a0\n") == ""


# -- property ---------------------------------------------------------------------------------

WORD = st.sampled_from(
    "the a cat sat on mat Café naïve Zoë déjà vu isn’t we’re Straße Ελένη or and".split()
)
SPECIAL_TOKENS = st.sampled_from(
    ["*", "**x**", "_y_", "`z`", "[l](u)", "<b>", "&amp;", "&", "{{ 7*7 }}", "{% if %}", "#",
     "|", "\\", "![i](s)", "[^1]", "~~", ":", "=", "!", "<!-- c -->", "\u00a0", "\t"]
)
PHRASE = st.lists(st.one_of(WORD, WORD, WORD, SPECIAL_TOKENS), min_size=1, max_size=12).map(
    lambda ws: " ".join(ws)
)
LINE = st.one_of(
    PHRASE.map(lambda p: "The " + p + "."),  # sentence
    PHRASE.map(lambda p: "So " + p),  # short line, no punctuation
    PHRASE.map(lambda p: "Title " + " ".join(w.capitalize() for w in p.split())),
    PHRASE.map(lambda p: "Here " + p + ":"),  # colon line
    st.tuples(st.integers(1, 4), PHRASE).map(lambda t: f"{t[0]}. Item {t[1]}"),
    PHRASE.map(lambda p: "“Quote " + p + ".”"),
    PHRASE.map(lambda p: '"Say ' + p + ',"'),
    PHRASE.map(lambda p: "• bullet " + p),
    PHRASE.map(lambda p: "- dash " + p),
    st.sampled_from(["or", "and", "<!-- email -->", "# hash", "> gt", ": colon", "~~~", "===",
                     "---", "+ plus", "1986. A year.", "| a | b |", "   indented code"]),
)
SEPARATOR = st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\r"])
CHECKED = "*_#[]`<>&\\{}|~:=!%"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINE, SEPARATOR), min_size=1, max_size=25))
def test_property_words_and_characters_survive(pieces):
    text = "".join(line + sep for line, sep in pieces)
    root = render(text)
    rendered = root.text_content()
    visible = re.sub(r"<!--\s*email\s*-->", "", text)
    assert words(rendered) == words(visible)
    # an underline or frame of rule characters is decoration, not content (issue 13): its
    # characters may go; every other character stays
    undecorated = re.sub(r"(?m)^[ \t]*([=~^*#+_-])\1{2,}[ \t]*$", "",
                         visible.replace("\r\n", "\n").replace("\r", "\n"))
    for char in CHECKED:
        assert undecorated.count(char) <= rendered.count(char) <= visible.count(char), char
    assert {e.tag for e in root.iter() if isinstance(e.tag, str)} <= ALLOWED_TAGS

"""textpart.wrap: textwrap per line, with list and quote prefixes that continue and words (URLs,
merge tags) that never break."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dripmail.rendering.textpart import wrap

PREFIXES = ("", "- ", "1. ", "12. ", "> ", "> > ", "> - ", "> > 3. ")
WORD = st.one_of(st.text("abcXYZéßøЖ日", min_size=1, max_size=12),
                 st.text("abc/:.-", min_size=60, max_size=120).map(lambda w: "x" + w))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PREFIXES), st.lists(WORD, min_size=1, max_size=40), st.integers(20, 100))
@example("1. ", ["https://example.com/" + "x" * 90, "after"], 78)
def test_wrap_keeps_words_whole_and_prefixes_continuing(prefix: str, words: list[str],
                                                        width: int) -> None:
    line = prefix + " ".join(words)
    out = wrap(line, width).split("\n")
    quote = "> " * prefix.count("> ")
    follow = quote + " " * (len(prefix) - len(quote))
    if len(line) <= width:
        assert out == [line]
        return
    assert out[0].startswith(prefix)
    assert all(ln.startswith(follow) for ln in out[1:])
    assert " ".join(ln[len(prefix) if i == 0 else len(follow):]
                    for i, ln in enumerate(out)).split() == words
    assert all(len(ln) <= width or " " not in ln[len(follow):].strip() for ln in out)


def test_merge_tag_spaces_do_not_break_and_code_is_left_alone() -> None:
    tag = "{{\0first_name\0}}"
    out = wrap("2. " + (tag + " ") * 12, 78)
    assert "{{ first_name }}" in out and "\0" not in out
    assert all(ln.count("{{") == ln.count("}}") for ln in out.split("\n"))
    code = "    " + "x " * 60
    assert wrap(code) == code

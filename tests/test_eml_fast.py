"""The fast .eml writer (eml.message_bytes) gives the same bytes as the stdlib message (its
reference path, eml.stdlib_bytes, which DRIPMAIL_REFERENCE=1 writes), and its fast parts
(quoted-printable bodies, the Subject, Message-ID and Content-Type lines) the same text as the
stdlib code they replace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from email import quoprimime

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from provider_samples import make_sequence

from dripmail.writing import eml

DATE = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
SUBJECTS = [
    "Short",
    "Isn’t it — a subject with non-ASCII, “quotes” and an emoji 🙂",
    "A very long subject line that goes on and on well past the seventy-eight column limit",
    "Looks like =?utf-8?q?an_encoded_word?= and (parens), <angles>, \"quotes\"; semi: colon",
    "Ünïcödé " * 12,
    "  spaced   out  ",
    "x" * 120,
]
TEXTS = [
    "plain\n",
    "line with trailing space \nFrom the start\n.\nlone\rreturn\r\nand crlf\n",
    "long " + "w" * 200 + "\n= equals and tab\t\n" + "é" * 100,
    "",
]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("text", TEXTS)
def test_message_bytes_equal_stdlib(subject: str, text: str) -> None:
    seq = make_sequence("mailchimp")
    mail = dataclasses.replace(seq.emails[1], subject=subject, text=text,
                               html=seq.emails[1].html + "\n<p>" + text + "</p>")
    for settings in (seq.settings, dataclasses.replace(
            seq.settings, sender_name="Doe, Jane “JD” Ünal", reply_to="Help <help@example.org>",
            language="", unsubscribe_url="https://example.com/u?id=1&x=" + "y" * 80)):
        for date in (DATE, dt.datetime(2026, 3, 4, 5, 6, 7,
                                       tzinfo=dt.timezone(dt.timedelta(hours=-5)))):
            values = {"date": date, "message_id": "<01-a.b@example.com>",
                      "boundary": "dripmail-" + "0123456789abcdef" * 2}
            fast = eml.message_bytes(mail, settings, **values)
            assert fast == eml.stdlib_bytes(mail, settings, **values)


def stdlib_qp_body(text: str, maxlinelen: int = 78) -> str:
    """The reference: what set_content(cte="quoted-printable") and as_bytes() do to a body."""
    body = b"\n".join(text.encode("utf-8").splitlines()) + b"\n"
    encoded = quoprimime.body_encode(body.decode("latin-1"), maxlinelen)
    return "\r\n".join(re.split(r"\r\n|\r|\n", encoded))


# Characters that matter to the encoder: spaces and tabs (trailing ones are quoted), "=" (quoted,
# and never split by a soft break), non-ASCII of 2, 3 and 4 UTF-8 bytes, controls, DEL, line
# ends of every kind (bytes.splitlines splits on CR/LF only; NEL, VT, FF, U+2028 are text).
TRICKY = " \t=aZ.~é€🙂\x00\x0b\x0c\x1c\x7f\x85\u2028"
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\r\n"])


@st.composite
def near_limit_lines(draw: st.DrawFn) -> str:
    """Lines of about the wrap width (70-85 characters, so 75/76/77/78/79 come up often), ending
    in anything, joined by mixed line ends, with or without a final line end."""
    lines = draw(st.lists(st.integers(70, 85).flatmap(
        lambda n: st.text(st.sampled_from(TRICKY), min_size=n, max_size=n)), max_size=6))
    out = "".join(line + draw(NEWLINES) for line in lines)
    return out + draw(st.text(st.sampled_from(TRICKY), max_size=3))


bodies = st.one_of(
    st.text(),
    st.text(st.sampled_from(TRICKY + "\r\n")),
    st.text(st.sampled_from(TRICKY + "\r\n"), min_size=150, max_size=400),
    near_limit_lines(),
)


@hsettings(max_examples=300, deadline=None)
@given(bodies)
def test_qp_body_equals_stdlib(text: str) -> None:
    assert eml._qp_body(text) == stdlib_qp_body(text)


@hsettings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(TRICKY + "\r\n")), st.integers(4, 12))
def test_qp_body_equals_stdlib_at_small_widths(text: str, width: int) -> None:
    """Narrow widths put soft breaks next to every kind of =XX and trailing blank."""
    assert eml._qp_body(text, width) == stdlib_qp_body(text, width)


def test_qp_body_corner_cases() -> None:
    for n in range(70, 82):
        for end in ("", " ", "\t", "=", "é", "  ", " =", "= "):
            for text in ("x" * n + end, "x" * (n - 1) + end + "\r\n" + end, end * n):
                assert eml._qp_body(text) == stdlib_qp_body(text), repr(text)


def outcome(function, value: str) -> str | type[Exception]:
    """A header line, or the kind of error writing it raised (multi-line values are refused)."""
    try:
        return function(value)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return type(error)


ASCII = st.characters(min_codepoint=32, max_codepoint=126)
HEADERISH = st.one_of(ASCII, st.sampled_from("  \t=?_\"()<>@.,;:\\é“🙂\x00\x7f\r\n"))
ATOM = st.text(st.sampled_from("abcXYZ019_+-"), min_size=1, max_size=30)
DOT_ATOM = st.lists(ATOM, min_size=1, max_size=4).map(".".join)


def spread(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Short values, and values of about a line (60-100 characters) around the fold limit."""
    return st.one_of(st.text(strategy, max_size=20),
                     st.integers(55, 100).flatmap(
                         lambda n: st.text(strategy, min_size=n, max_size=n)))


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), spread(ASCII), spread(HEADERISH),
                 st.builds("=?utf-8?q?{}?= {}".format, ATOM, ATOM)))
def test_subject_line_equals_stdlib(subject: str) -> None:
    assert outcome(eml._subject_line, subject) == outcome(
        lambda s: eml._header("Subject", s), subject)


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(
    st.builds("<{}@{}>".format, DOT_ATOM, DOT_ATOM),
    st.builds("<{}.{}@{}>".format, DOT_ATOM, st.text("0123456789abcdef", min_size=20,
                                                     max_size=20), DOT_ATOM),
    st.builds("<{}{}{}>".format, spread(st.sampled_from("ab.-@_=?")), st.sampled_from("@ ."),
              spread(st.sampled_from("ab.-_ (\"[]"))),
    st.builds("<{}@{}>{}".format, DOT_ATOM, DOT_ATOM, st.text(HEADERISH, min_size=1, max_size=5)),
    st.builds("<=?utf-8?q?{}?=@{}>".format, ATOM, DOT_ATOM),
    spread(HEADERISH)))
def test_message_id_line_equals_stdlib(message_id: str) -> None:
    assert outcome(eml._message_id_line, message_id) == outcome(
        lambda s: eml._header("Message-ID", s), message_id)


@hsettings(max_examples=150, deadline=None)
@given(st.one_of(spread(st.sampled_from("aZ09_-")), spread(st.sampled_from("aZ09_-=?.\" \\é")),
                 st.builds("=?utf-8?q?{}?=".format, ATOM)))
def test_content_type_line_equals_stdlib(boundary: str) -> None:
    assert outcome(eml._content_type_line, boundary) == outcome(
        lambda b: eml._header("Content-Type", f'multipart/alternative; boundary="{b}"'), boundary)


def test_header_lines_at_the_limit() -> None:
    for n in range(1, 100):
        subject, boundary = "s" * n, "b" * n
        message_id = "<" + "m" * max(n - 14, 1) + "@example.com>"
        assert eml._subject_line(subject) == eml._header("Subject", subject)
        assert eml._message_id_line(message_id) == eml._header("Message-ID", message_id)
        assert eml._content_type_line(boundary) == eml._header(
            "Content-Type", f'multipart/alternative; boundary="{boundary}"')


def test_policy_line_length() -> None:
    assert eml.MAX_LINE == eml.policy().max_line_length

"""The fast .eml writer (eml.message_bytes) gives the same bytes as the stdlib message."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from provider_samples import make_sequence

from dripmail import eml

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
        msg = eml.build_message(mail, settings, date=DATE, message_id="<01-a.b@example.com>")
        msg.set_boundary("dripmail-" + "0123456789abcdef" * 2)
        fast = eml.message_bytes(mail, settings, date=DATE, message_id="<01-a.b@example.com>",
                                 boundary="dripmail-" + "0123456789abcdef" * 2)
        assert fast == msg.as_bytes()

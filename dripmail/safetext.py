"""Text that becomes a header or a one-line field: no line breaks, controls or invisible marks.

Control characters (C0 including CR, LF and tab, DEL, C1, the Unicode line and paragraph
separators) would end a header line or hide in it; bidi embeddings, overrides and isolates
(U+202A-202E, U+2066-2069) reorder what a reader sees; zero-width spaces (U+200B, U+2060,
U+FEFF) hide text from filters and readers. The joiners U+200C/U+200D (Persian and Indic
words, emoji sequences) and the direction marks U+200E/U+200F/U+061C (mixed Arabic or Hebrew
and Latin text) are kept: real text needs them and they cannot reorder a line. Settings
refuse the first kind (:func:`problem`); text derived from an article is cleaned silently
(:func:`one_line`). The plain-address grammar the settings accept and the .eml
writer uses (:data:`PLAIN_ADDRESS`, :func:`reply_address`) lives here too. Text that came
from a remote server (a provider's API, an SMTP server) is made safe to print by
:func:`printable`.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def one_line(text: str) -> str:
    """`text` with each control character a space, bidi and zero-width characters removed,
    and lone surrogates (which UTF-8 cannot encode) replaced by U+FFFD."""
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def problem(value: object) -> str | None:
    """Why a setting's text cannot go into a header (a control character), or None."""
    if not isinstance(value, str):
        return None
    found = _CONTROL.search(value)
    if found is None:
        return None
    char = found.group()
    kind = "a line break" if char in "\r\n\x85\u2028\u2029" else (
        "a tab" if char == "\t" else "a control character")
    return (f"must be one line of text, without control characters: it contains {kind} "
            f"(U+{ord(char):04X}); write it on one line")


# A plain address: dot-atom local part and domain, ASCII (what the settings accept and the .eml
# writer puts in From and Reply-To).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def reply_address(value: str) -> tuple[str, str] | None:
    """(name, address) of a Reply-To setting (`help@example.com` or `Help <help@example.com>`),
    or None unless it holds exactly one plain address."""
    from email.utils import getaddresses

    found = getaddresses([value])
    if len(found) == 1 and PLAIN_ADDRESS.fullmatch(found[0][1]):
        return found[0]
    return None


# CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), character-set choices and the two-character
# escapes.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\?)?"
                      r"|[()*+][ -~]?|[@-Z\\-_]?)")


def printable(text: str, limit: int = 200) -> str:
    """`text` on one line: terminal escape sequences dropped, control and invisible characters
    (C0/C1 controls, bidi overrides, zero-width) turned into spaces, whitespace collapsed, and
    cut to `limit` characters."""
    text = _ESCAPES.sub("", text[: limit * 4])
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

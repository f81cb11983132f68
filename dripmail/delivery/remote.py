"""Text that came from a remote server (a provider's API, an SMTP server), made safe to print."""

from __future__ import annotations

import re
import unicodedata

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

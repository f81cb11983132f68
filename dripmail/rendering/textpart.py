"""The plain-text part: wrapping at 78 columns without breaking URLs or merge tags."""

from __future__ import annotations

import re
import textwrap

from dripmail.limits import WIDTH

_PREFIX = re.compile(r"((?:> )*(?:- |\d+\. )?|\s+)")
_ODD_SPACE = re.compile(r"[^\S ]")  # whitespace but U+0020 (tabs, U+00A0...), never printable


def _fill(text: str, width: int) -> list[str]:
    """textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False), no indents.

    Only for text whose sole whitespace is U+0020 and width >= 1: greedy filling, spaces dropped
    at line ends and starts (the text's leading spaces stay if the first word fits after them),
    a word longer than the width alone on its line.
    """
    lines: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        end = pos + width
        if end >= n:
            line, end = text[pos:].rstrip(" "), n
        elif text[end] == " ":
            line = text[pos:end].rstrip(" ")
        else:
            cut = text.rfind(" ", pos, end)
            if cut < 0:  # a word longer than the width: alone on its line
                cut = text.find(" ", end)
                cut = n if cut < 0 else cut
            line, end = text[pos:cut].rstrip(" "), cut
        if line:  # empty only when the leading spaces and the first word do not fit together
            lines.append(line)
        pos = end
        while pos < n and text[pos] == " ":
            pos += 1
    return lines


def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap each line at `width` columns; list and quote prefixes continue; URLs never break.

    Words never break, so a long URL stays whole on its own line. U+0000 inside a word stands
    for a space that must not break (merge tags such as `{{ first_name }}`).
    """
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("    "):
            out.append(line)
            continue
        m = _PREFIX.match(line)
        prefix = m.group(1) if m else ""
        quote = "> " * prefix.count("> ")
        follow = quote + " " * (len(prefix) - len(quote))
        body = line[len(prefix):]
        if width > len(prefix) and (body.isprintable() or not _ODD_SPACE.search(body)):
            lines = _fill(body, width - len(prefix))
            out.extend((follow if i else prefix) + ln for i, ln in enumerate(lines))
            continue
        out.extend(textwrap.wrap(body, width=width, initial_indent=prefix,
                                 subsequent_indent=follow, break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out).replace("\0", " ")

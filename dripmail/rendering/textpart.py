"""The plain-text part: wrapping at 78 columns without breaking URLs or merge tags."""

from __future__ import annotations

import re
import textwrap

from dripmail.limits import WIDTH

# A line's prefix that its wrapped lines continue under: quote marks, then the indent and
# marker of a (nested) list item.
_PREFIX = re.compile(r"((?:> )*[ ]*(?:- |\d+\. )?)")
_CODE = re.compile(r"(?:> )*    (?![ ]*(?:- |\d+\. ))")  # a code line: never wrapped


def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap each line at `width` columns; list and quote prefixes continue (a nested item's
    wrapped lines stay indented under its text); URLs never break.

    Words never break, so a long URL stays whole on its own line. U+0000 inside a word stands
    for a space that must not break (merge tags such as `{{ first_name }}`).
    """
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or _CODE.match(line):
            out.append(line)
            continue
        prefix = _PREFIX.match(line).group(1)  # (it matches every line, if only with "")
        quote = "> " * prefix.count("> ")
        follow = quote + " " * (len(prefix) - len(quote))
        body = line[len(prefix):]
        out.extend(textwrap.wrap(body, width=width, initial_indent=prefix,
                                 subsequent_indent=follow, break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out).replace("\0", " ")

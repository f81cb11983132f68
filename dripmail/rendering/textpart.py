"""The plain-text part: wrapping at 78 columns without breaking URLs or merge tags."""

from __future__ import annotations

import re
import textwrap

from dripmail.limits import WIDTH

_PREFIX = re.compile(r"((?:> )*(?:- |\d+\. )?|\s+)")


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
        out.extend(textwrap.wrap(body, width=width, initial_indent=prefix,
                                 subsequent_indent=follow, break_long_words=False,
                                 break_on_hyphens=False))
    return "\n".join(out).replace("\0", " ")

"""Mailchimp's merge language, the part Mailchimp documents for coded templates.

- A merge tag is `*|` + a name (letters, digits, `_`, `:` and, in conditions, `=` and a value)
  + `|*`. Values: `*|FNAME|*`, `*|EMAIL|*` (HTML-escaped in the HTML part), `*|HTML:X|*` (raw),
  `*|LIST:X|*`, `*|UNSUB|*`, `*|UPDATE_PROFILE|*`, `*|ARCHIVE|*`.
- Conditions: `*|IF:NAME|*`, `*|IFNOT:NAME|*`, `*|ELSEIF:NAME|*`, `*|ELSE:|*`, `*|END:IF|*`;
  a merge field is true when it is not empty.
- An unknown merge tag is an error here (Mailchimp would print it as written, which a reader
  must never see).
"""

from __future__ import annotations

import html
import re
from typing import Any

from engines.common import TemplateError

TAG = re.compile(r"\*\|([A-Z0-9_:=\- ]*)\|\*")


def _value(name: str, data: dict[str, Any], as_html: bool) -> str:
    raw = name.startswith("HTML:")
    key = name.removeprefix("HTML:")
    if key not in data:
        raise TemplateError(f"unknown merge tag *|{name}|*")
    text = str(data[key] or "")
    return html.escape(text) if as_html and not raw else text


def render(template: str, data: dict[str, Any], as_html: bool = False) -> str:
    """Fill `template` with the merge fields in `data` (keys such as FNAME, UNSUB)."""
    out: list[str] = []
    stack: list[list[bool]] = []  # per IF: [printing outside, a branch was taken, printing]
    pos = 0

    def printing() -> bool:
        return not stack or stack[-1][2]

    for m in TAG.finditer(template):
        if printing():
            out.append(template[pos:m.start()])
        pos = m.end()
        name = m.group(1)
        head, _, arg = name.partition(":")
        if head in ("IF", "IFNOT"):
            outer = printing()
            truth = bool(data.get(arg)) != (head == "IFNOT")
            stack.append([outer, truth, outer and truth])
        elif head == "ELSEIF" and stack:
            outer, taken, _ = stack[-1]
            truth = bool(data.get(arg))
            stack[-1] = [outer, taken or truth, outer and not taken and truth]
        elif name == "ELSE:" and stack:
            outer, taken, _ = stack[-1]
            stack[-1] = [outer, True, outer and not taken]
        elif name == "END:IF" and stack:
            stack.pop()
        elif head in ("IF", "IFNOT", "ELSEIF", "ELSE", "END"):
            raise TemplateError(f"misplaced *|{name}|*")
        elif printing():
            out.append(_value(name, data, as_html))
    if stack:
        raise TemplateError("*|IF:…|* without *|END:IF|*")
    out.append(template[pos:])
    return "".join(out)

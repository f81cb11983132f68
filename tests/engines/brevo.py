"""Brevo Template Language, the subset Brevo documents (a Django-like language, pongo2-style).

- Tags are `{{ … }}` (a variable), `{% … %}` (a statement) and `{# … #}` (a comment); one
  that is not closed is an error, as in pongo2 (Django would print it as text).
- A variable is a dotted path (`contact.FIRSTNAME`, `unsubscribe`) with filters: `| name` or
  `| name : "argument"`, spaces allowed around `|` and `:` (Brevo's examples put them there);
  the filters known here are `default`, `upper`, `lower`. Strings take double quotes (older
  pongo2 lexers know no other kind).
- Statements: `if path` / `if not path`, `else`, `endif`. Anything else is refused.
- A missing value prints nothing; with `autoescape` (the HTML part), values are HTML-escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

from engines.common import TemplateError

OPEN = re.compile(r"\{\{|\{%|\{#")
CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
PATH = r"[A-Za-z_]\w*(?:\.\w+)*"
FILTER = re.compile(r'\s*\|\s*(\w+)(?:\s*:\s*"([^"\n]*)")?')
VARIABLE = re.compile(rf"\s*({PATH})((?:{FILTER.pattern})*)\s*")
IF = re.compile(rf"\s*if\s+(not\s+)?({PATH})\s*")


def lex(template: str) -> list[tuple[str, str]]:
    """(kind, inside) tokens: text, var, tag, comment."""
    tokens, pos = [], 0
    while m := OPEN.search(template, pos):
        end = template.find(CLOSE[m.group()], m.end())
        if end < 0:
            raise TemplateError(f"{m.group()} is not closed")
        tokens.append(("text", template[pos:m.start()]))
        kind = {"{{": "var", "{%": "tag", "{#": "comment"}[m.group()]
        tokens.append((kind, template[m.end():end]))
        pos = end + 2
    tokens.append(("text", template[pos:]))
    return tokens


def _lookup(path: str, data: dict[str, Any]) -> Any:
    value: Any = data
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _variable(inside: str, data: dict[str, Any], autoescape: bool) -> str:
    m = VARIABLE.fullmatch(inside)
    if not m:
        raise TemplateError(f"cannot parse the variable {{{{{inside}}}}}")
    value = _lookup(m.group(1), data)
    for name, arg in FILTER.findall(m.group(2)):
        if name == "default":
            value = value or arg
        elif name in ("upper", "lower"):
            value = getattr(str(value or ""), name)()
        else:
            raise TemplateError(f"unknown filter {name!r}")
    text = "" if value is None else str(value)
    return html.escape(text) if autoescape else text


def render(template: str, data: dict[str, Any], autoescape: bool = False) -> str:
    """Fill `template` with `data`."""
    out: list[str] = []
    stack: list[tuple[bool, bool]] = []  # (branch taken, printing before this if)
    printing = True
    for kind, inside in lex(template):
        if kind == "tag":
            printing = _statement(inside, data, stack, printing)
        elif printing and kind == "text":
            out.append(inside)
        elif printing and kind == "var":
            out.append(_variable(inside, data, autoescape))
        elif kind == "var":
            _variable(inside, {}, autoescape)  # still parsed
    if stack:
        raise TemplateError("{% if %} without {% endif %}")
    return "".join(out)


def _statement(inside: str, data: dict[str, Any], stack: list[tuple[bool, bool]],
               printing: bool) -> bool:
    """Apply one `{% … %}`; return whether text prints after it."""
    word = inside.strip()
    if m := IF.fullmatch(inside):
        taken = bool(_lookup(m.group(2), data)) != bool(m.group(1))
        stack.append((taken, printing))
        return printing and taken
    if word == "else" and stack:
        taken, outer = stack[-1]
        return outer and not taken
    if word == "endif" and stack:
        return stack.pop()[1]
    raise TemplateError(f"unknown or misplaced statement {{% {word} %}}")

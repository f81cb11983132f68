r"""Handlebars (SES, SendGrid, Mailgun templates), the subset dripmail's output can meet.

Written from handlebars.js (its lexer, `src/handlebars.l`, and runtime):

- Content runs up to the next `{{`. If it ends in one backslash, the backslash is dropped and
  `{{…` is content too, up to the next `{{`, `\\{{` or `\\\\{{` (at least the two braces: an
  "escaped mustache"); if it ends in two, one is dropped and the mustache is live.
- `{{! … }}` and `{{!-- … --}}` are comments; `{{{ path }}}` and `{{& path }}` print raw;
  `{{ path }}` prints HTML-escaped (`& < > " ' \` =`); a missing value prints nothing.
- Blocks: `{{#if x}}…{{else}}…{{/if}}`, `{{#unless x}}`, `{{#with x}}`, `{{#each x}}`, and a
  block named by a path (Mustache-style section, `blockHelperMissing`); `{{^x}}` inverts.
- A path is `this`, `.`, or names joined by `.` or `/`, after any `../`; names use Handlebars'
  ID characters. Anything else inside `{{ }}` (`{{ 7*7 }}`, an unknown helper with arguments,
  partials, raw blocks, decorators, `~` whitespace control) is refused: Handlebars would fail
  to compile it or call a helper the provider does not have.
- Not modelled: standalone-line whitespace stripping around block tags (dripmail never puts a
  block tag alone on a line).
"""

from __future__ import annotations

import re
from typing import Any

from engines.common import TemplateError

ID = r"[^\s!\"#%-,./;->@\[-\^`{-~]+"
PATH = re.compile(rf"(?:\.\./)*(?:this|\.|{ID}(?:[./]{ID})*)")
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
           "`": "&#x60;", "=": "&#x3D;"}
HELPERS = {"if", "unless", "with", "each"}


def escape_expression(text: str) -> str:
    """handlebars.js `Utils.escapeExpression`."""
    return re.sub(r"[&<>\"'`=]", lambda m: ESCAPES[m.group()], text)


def lex(template: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: content, comment, and mustaches by opener."""
    tokens: list[tuple[str, str]] = []
    pos, n = 0, len(template)
    while pos < n:
        j = template.find("{{", pos)
        if j < 0:
            tokens.append(("content", template[pos:]))
            break
        before = template[pos:j]
        if before.endswith("\\") and not before.endswith("\\\\"):
            end = _escaped_end(template, j + 2)
            tokens.append(("content", before[:-1] + template[j:end]))
            pos = end
            continue
        tokens.append(("content", before[:-1] if before.endswith("\\\\") else before))
        pos = _mustache(template, j, tokens)
    return [t for t in tokens if t != ("content", "")]


def _escaped_end(template: str, start: int) -> int:
    """Where an escaped mustache's content ends: before `{{`, `\\{{`, `\\\\{{`, or at the end."""
    k = start
    while k < len(template):
        if template.startswith(("{{", "\\{{", "\\\\{{"), k):
            return k
        k += 1
    return k


def _mustache(template: str, j: int, tokens: list[tuple[str, str]]) -> int:
    """Lex the mustache at `j`; return the position after it."""
    rest = template[j + 2:]
    if rest.startswith("!--"):
        end = template.find("--}}", j)
        if end < 0:
            raise TemplateError("unterminated comment")
        tokens.append(("comment", ""))
        return end + 4
    if rest.startswith("!"):
        end = template.find("}}", j)
        if end < 0:
            raise TemplateError("unterminated comment")
        tokens.append(("comment", ""))
        return end + 2
    if rest.startswith("{"):
        end = template.find("}}}", j + 3)
        if end < 0:
            raise TemplateError("expected '}}}'")
        tokens.append(("raw", template[j + 3:end]))
        return end + 3
    end = template.find("}}", j + 2)
    if end < 0:
        raise TemplateError(f"unterminated mustache at {template[j:j + 20]!r}")
    inner = template[j + 2:end]
    if not inner or inner[0] in "~>*" or inner.startswith(("#>", "#*")) or inner.endswith("~"):
        raise TemplateError(f"unsupported mustache {{{{{inner}}}}}")
    if inner.strip() in ("else", "^"):
        tokens.append(("else", ""))
        return end + 2
    for mark, kind in (("#", "open"), ("/", "close"), ("^", "inverse"), ("&", "raw")):
        if inner.startswith(mark):
            tokens.append((kind, inner[1:]))
            return end + 2
    tokens.append(("value", inner))
    return end + 2


def _path(expr: str) -> str:
    expr = expr.strip()
    if not PATH.fullmatch(expr):
        raise TemplateError(f"cannot compile {{{{{expr}}}}}: not a path")
    return expr


def _block(expr: str) -> tuple[str, str]:
    """(helper or "", path) of a block opener such as `if first_name` or `first_name`."""
    parts = expr.split()
    if len(parts) == 2 and parts[0] in HELPERS:
        return parts[0], _path(parts[1])
    if len(parts) == 1:
        return "", _path(parts[0])
    raise TemplateError(f"missing helper in {{{{#{expr}}}}}")


def parse(tokens: list[tuple[str, str]], i: int = 0, closing: str = "") -> tuple[list, int]:
    """A tree of nodes from token `i` up to `{{/closing}}`; (nodes, index after it)."""
    nodes: list[Any] = []
    while i < len(tokens):
        kind, value = tokens[i]
        i += 1
        if kind == "close":
            if value.strip() != closing:
                raise TemplateError(f"{{{{/{value.strip()}}}}} does not match {closing!r}")
            return nodes, i
        if kind in ("content", "else"):
            nodes.append((kind, value))
        elif kind in ("value", "raw"):
            nodes.append((kind, _path(value)))
        elif kind in ("open", "inverse"):
            helper, path = _block(value)
            body, i = parse(tokens, i, helper or path)
            nodes.append(("block", (helper, path, kind == "inverse", body)))
    if closing:
        raise TemplateError(f"{{{{#{closing}}}}} is not closed")
    return nodes, i


def render(template: str, data: dict[str, Any]) -> str:
    """Compile and fill `template` with `data` (non-strict: missing values print nothing)."""
    nodes, _ = parse(lex(template))
    return _run(nodes, [data])


def _lookup(path: str, stack: list[Any]) -> Any:
    depth = 0
    while path.startswith("../"):
        path, depth = path[3:], depth + 1
    value = stack[max(0, len(stack) - 1 - depth)]
    if path in ("this", "."):
        return value
    for name in re.split(r"[./]", path.removeprefix("this.").removeprefix("this/")):
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _truthy(value: Any) -> bool:
    """handlebars.js `if`: false for falsy JS values and empty arrays."""
    return not (value is None or value is False or value == "" or value == 0 or value == [])


def _text(value: Any) -> str:
    if value is None or value is False:
        return "" if value is None else "false"
    return "true" if value is True else str(value)


def _run(nodes: list[Any], stack: list[Any]) -> str:
    out: list[str] = []
    for kind, value in nodes:
        if kind == "content":
            out.append(value)
        elif kind in ("value", "raw"):
            text = _text(_lookup(value, stack))
            out.append(escape_expression(text) if kind == "value" else text)
        elif kind == "block":
            out.append(_run_block(*value, stack))
    return "".join(out)


def _split_else(body: list[Any]) -> tuple[list[Any], list[Any]]:
    for n, node in enumerate(body):
        if node[0] == "else":
            return body[:n], body[n + 1:]
    return body, []


def _run_block(helper: str, path: str, inverted: bool, body: list[Any], stack: list[Any]) -> str:
    value = _lookup(path, stack)
    yes, no = _split_else(body)
    if inverted:
        yes, no = no, yes
    if helper == "unless":
        yes, no = no, yes
    if not _truthy(value):
        return _run(no, stack)
    if helper in ("if", "unless"):
        return _run(yes, stack)
    if isinstance(value, list):
        return "".join(_run(yes, [*stack, item]) for item in value)
    return _run(yes, [*stack, value])

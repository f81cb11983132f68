"""Mustachio (Postmark's engine, ActiveCampaign/mustachio), the subset Postmark documents.

Rules followed (Tokenizer.cs, Parser.cs, ContextObject.cs):

- A token is `{{` + one or more characters other than braces + `}}`, or the same with three
  braces; the first alternative is tried first at each position. Everything else is content.
- `{{#name}}` opens a section, `{{^name}}` an inverted section, `{{/name}}` closes the section
  on top of the stack (anything else is a parse error), `{{#each name}}` iterates, `{{!…}}` is a
  comment, `{{{name}}}` and `{{&name}}` print raw, `{{name}}` prints HTML-encoded.
- A path is validated: `...`, characters other than letters, digits, `.`, `/`, `_`, a `/` not
  after `..`, or `..` not followed by `/` is a parse error (Postmark refuses the template).
- A section renders its inside against its own value (not the enclosing one): a bare name is
  looked up in the current context only, the stack is not walked up; `{{.}}` is the current
  value and `../name` reaches the parent.
- A value "exists" unless it is None, False, 0, "" or an empty list.
- Postmark's own tags (`{{{ pm:unsubscribe }}}`) print the value given for them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from engines.common import TemplateError

TOKEN = re.compile(r"([{]{2}[^{}]+?[}]{2})|([{]{3}[^{}]+?[}]{3})")
BAD_PATH = re.compile(r"([.]{3,})|([^\w./_]+)|((?<![.]{2})[/])|([.]{2,}($|[^/]))", re.S)
PATH_PART = re.compile(r"(\.\.[\\/])|([^.]+)")
POSTMARK = re.compile(r"pm:\w+")


@dataclass
class Context:
    """A value and the context it was reached from."""

    value: Any
    parent: Context | None = None

    def lookup(self, path: str) -> Context:
        """The context at `path`, resolved from this one only (ContextObject.GetContextForPath)."""
        ctx: Context = self
        for part in [m.group() for m in PATH_PART.finditer(path)]:
            if part.startswith(".."):
                ctx = ctx.parent or ctx
                continue
            value = ctx.value.get(part) if isinstance(ctx.value, dict) else None
            ctx = Context(value, ctx)
        return ctx

    def exists(self) -> bool:
        """Mustachio's truthiness."""
        v = self.value
        return not (v is None or v is False or v == 0 or v == "" or v == [] or v == {})


def tokenize(template: str) -> list[tuple[str, str]]:
    """(kind, value) tokens; raises TemplateError for what Postmark would refuse."""
    tokens: list[tuple[str, str]] = []
    stack: list[str] = []
    idx = 0
    for m in TOKEN.finditer(template):
        if m.start() > idx:
            tokens.append(("content", template[idx:m.start()]))
        tokens += _token(m.group(), stack)
        idx = m.end()
    if idx < len(template):
        tokens.append(("content", template[idx:]))
    if stack:
        raise TemplateError(f"section {stack[-1]!r} is opened but not closed")
    return tokens


def _token(value: str, stack: list[str]) -> list[tuple[str, str]]:
    inner = value.strip("{}")
    if POSTMARK.fullmatch(inner.strip()):
        return [("postmark", inner.strip())]
    if value.startswith("{{#each"):
        name = inner[1:].strip()[4:]
        if not (name.startswith(" ") and name.strip()):
            raise TemplateError("'each' needs a path: {{#each name}}")
        stack.append("each")
        return [("each", _valid(name))]
    if value.startswith("{{/each"):
        if value != "{{/each}}" or not stack or stack[-1] != "each":
            raise TemplateError("an 'each' block is closed but was not opened")
        stack.pop()
        return [("close", "each")]
    for mark, kind in (("#", "open"), ("^", "inverted")):
        if value.startswith("{{" + mark):
            name = inner.lstrip(mark).strip()
            out = [("close", name)] if stack and stack[-1] == name else []
            if not out:
                stack.append(name)
            return [*out, (kind, _valid(name))]
    if value.startswith("{{/"):
        name = inner.lstrip("/").strip()
        if not stack or stack[-1] != name:
            raise TemplateError(f"open and closing elements are mismatched at {value!r}")
        stack.pop()
        return [("close", _valid(name))]
    if value.startswith(("{{{", "{{&")):
        return [("raw", _valid(inner.lstrip("&")))]
    if value.startswith("{{!"):
        return []
    return [("escaped", _valid(inner))]


def _valid(path: str) -> str:
    path = path.strip()
    if BAD_PATH.search(path):
        raise TemplateError(f"the path {path!r} is not valid")
    return path


def render(template: str, model: dict[str, Any], postmark: dict[str, str] | None = None) -> str:
    """Fill `template` from `model` as Mustachio does; `postmark` holds the pm: tags' values."""
    tokens = tokenize(template)
    out: list[str] = []
    _run(tokens, 0, Context(model), out, postmark or {})
    return "".join(out)


def _run(tokens: list[tuple[str, str]], i: int, ctx: Context, out: list[str],
         postmark: dict[str, str]) -> int:
    """Render from token `i` until the matching close; return the index after it."""
    while i < len(tokens):
        kind, value = tokens[i]
        i += 1
        if kind == "close":
            return i
        if kind == "content":
            out.append(value)
        elif kind == "postmark":
            out.append(postmark.get(value, ""))
        elif kind in ("escaped", "raw"):
            found = ctx.lookup(value).value
            if found is not None:
                text = _text(found)
                out.append(html.escape(text) if kind == "escaped" else text)
        else:
            i = _section(kind, value, tokens, i, ctx, out, postmark)
    return i


def _section(kind: str, value: str, tokens: list[tuple[str, str]], i: int, ctx: Context,
             out: list[str], postmark: dict[str, str]) -> int:
    """Render a section (or skip it); return the index after its close."""
    inner = ctx.lookup(value)
    show = inner.exists() if kind in ("open", "each") else not inner.exists()
    if kind == "each" and show:
        if not isinstance(inner.value, list):
            raise TemplateError(f"{value!r} is used like an array but is not one")
        end = i
        for item in inner.value:
            end = _run(tokens, i, Context(item, inner), out, postmark)
        return end if inner.value else _run(tokens, i, inner, [], postmark)
    return _run(tokens, i, inner, out if show else [], postmark)


def _text(value: Any) -> str:
    """How .NET prints a scalar (True/False as C# does)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)

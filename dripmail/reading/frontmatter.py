"""Front matter of every common blog engine, split from the article's body.

- YAML between `---` lines (Jekyll, Hugo, Eleventy, Astro, Docusaurus);
- TOML between `+++` lines (Hugo, Zola), read with the standard library's `tomllib`;
- a JSON object opening the file (Hugo), its `{` and `}` on lines of their own;
- a `Key: value` header (Pelican, MultiMarkdown) in Markdown: only when every line before the
  first blank line is one, the first key and at least half of them those engines' own
  (HEADER_KEYS), so prose that starts "Note: …" stays prose;
- in plain text, a document's own header (a PEP's `PEP:`/`Title:` lines, an email's
  `From:`/`Subject:`, a WordPress readme's fields under its `=== Name ===` line): only its
  title, author and date are read (DOCUMENT_KEYS); the header is not article text.

What the keys mean is the settings stage's business (`dripmail.settings.load.flatten`); here
a header's values are mapped onto the metadata names it shares with YAML front matter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dripmail.errors import ContentError

# Keys of a Pelican or MultiMarkdown header (lower case), and the metadata name each one
# fills (None: known, not used by dripmail). A header needs every line to be `Key: value`.
HEADER_KEYS: dict[str, str | None] = {
    "title": "title", "date": "date", "modified": None, "category": None, "tags": None,
    "keywords": None, "slug": "slug", "author": "author", "authors": "author",
    "summary": "summary", "status": "status", "lang": "lang", "language": "lang",
    "translation": None, "save_as": None, "url": None, "template": None, "series": None,
    "subtitle": None, "affiliation": None, "copyright": None, "css": None, "format": None,
    "base header level": None, "quotes language": None, "transclude base": None,
    "comments": None, "image": "image", "cover": "image", "description": "summary",
}
# A document header in plain text: the keys that say it is one (any of them), and the
# metadata read from it. Everything else in it is known and left out.
DOCUMENT_KEYS: dict[str, str | None] = {
    "pep": None, "title": "title", "version": None, "last-modified": None, "author": "author",
    "discussions-to": None, "status": None, "type": None, "content-type": None,
    "created": "date", "post-history": None, "replaces": None, "requires": None,
    "resolution": None, "superseded-by": None, "from": "author", "to": None, "cc": None,
    "date": "date", "subject": "title", "message-id": None, "in-reply-to": None,
    "references": None, "reply-to": None, "organization": None, "abstract": None,
    "contributors": None, "donate link": None, "tags": None, "requires at least": None,
    "tested up to": None, "stable tag": None, "requires php": None, "license": None,
    "license uri": None,
}
# At least one of these makes a plain-text header a document header.
DOCUMENT_MARKERS = frozenset({"pep", "from", "subject", "contributors", "stable tag"})

_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,30}?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_CONTINUED = re.compile(r"[ \t]+\S")  # a header value continued on an indented line
_README_TITLE = re.compile(r"=+[ \t]*(.+?)[ \t]*=+[ \t]*$")  # WordPress: === Plugin Name ===
_YAML_FENCE = re.compile(r"---[ \t]*\r?\n")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_JSON_END = re.compile(r"^\}[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """An article's metadata and its body, with the line where the body starts."""

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    kind: str = ""  # "yaml" | "toml" | "json" | "header" | "document" | "" (none)


def split(text: str, path: Path, fmt: str) -> FrontMatter:
    """The front matter of `text` (any engine's) and the body after it."""
    if _YAML_FENCE.match(text):
        return _yaml(text, path)
    if text.startswith("+++") and _TOML_FENCE.match(text):
        return _toml(text, path)
    if fmt == "md" and re.match(r"\{[ \t]*\n", text):
        found = _json(text)
        if found is not None:
            return found
    if fmt == "md":
        return _header(text, HEADER_KEYS, 1, "header") or FrontMatter(body=text)
    if fmt == "txt":
        return _document(text) or FrontMatter(body=text)
    return FrontMatter(body=text)


def _after(text: str, end: int, kind: str, meta: dict[str, Any]) -> FrontMatter:
    """The body from offset `end` (one blank line after the front matter dropped)."""
    body, line = text[end:], text.count("\n", 0, end) + 1
    if body.startswith("\n"):
        body, line = body[1:], line + 1
    return FrontMatter(meta, body, line, kind)


def _yaml(text: str, path: Path) -> FrontMatter:
    import yaml  # only files with front matter need it (about 18 ms of start-up)
    from frontmatter import YAMLHandler

    try:
        fm, body = YAMLHandler().split(text)
    except ValueError:
        raise ContentError("front matter starts with '---' but never ends; close it with a "
                           "line '---'", path=path, line=1) from None
    try:
        meta = yaml.safe_load(fm) if fm.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(f"invalid YAML front matter: {problem}; fix the YAML between the "
                           "'---' lines", path=path, line=line) from exc
    return _mapping(meta, path, _after(text, len(text) - len(body), "yaml", {}))


def _toml(text: str, path: Path) -> FrontMatter:
    import tomllib

    fences = list(_TOML_FENCE.finditer(text, 0))
    if len(fences) < 2:
        raise ContentError("front matter starts with '+++' but never ends; close it with a "
                           "line '+++'", path=path, line=1)
    start, end = fences[0].end(), fences[1].start()
    try:
        meta = tomllib.loads(text[start:end])
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ContentError(f"invalid TOML front matter: {exc}; fix the TOML between the '+++' "
                           "lines", path=path, line=int(line.group(1)) + 1 if line else 1
                           ) from exc
    return _after(text, fences[1].end() + 1, "toml", meta)


def _json(text: str) -> FrontMatter | None:
    """Hugo's JSON front matter: `{` alone on the first line, up to the first `}` alone on a
    line; None when that is not one JSON object (the file is then read as Markdown)."""
    end = _JSON_END.search(text)
    if end is None:
        return None
    try:
        meta = json.loads(text[:end.end()])
    except ValueError:
        return None
    return _after(text, end.end() + 1, "json", meta) if isinstance(meta, dict) else None


def _mapping(meta: Any, path: Path, found: FrontMatter) -> FrontMatter:
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError("front matter must be 'key: value' lines", path=path, line=2)
    return FrontMatter(meta, found.body, found.body_line, found.kind)


def _fields(lines: list[str], keys: dict[str, str | None]) -> list[tuple[str, str]] | None:
    """(key, value) of header lines (indented lines continue a value); None unless every
    line is one, the first key is in `keys` and so are at least half of them (an engine's
    header may add its own keys: `Number: 111`)."""
    found: list[tuple[str, str]] = []
    for line in lines:
        if found and _CONTINUED.match(line):
            found[-1] = (found[-1][0], f"{found[-1][1]} {line.strip()}".strip())
            continue
        m = _FIELD.fullmatch(line)
        if not m:
            return None
        found.append((m.group(1).lower().strip(), m.group(2) or ""))
    known = sum(key in keys for key, _value in found)
    return found if found and found[0][0] in keys and 2 * known >= len(found) else None


def _header(text: str, keys: dict[str, str | None], first: int, kind: str
            ) -> FrontMatter | None:
    """A `Key: value` header up to the first blank line, its keys mapped through `keys`."""
    head, sep, _rest = text.partition("\n\n")
    if not sep:
        return None
    found = _fields(head.split("\n")[first - 1:], keys)
    if not found:
        return None
    meta: dict[str, Any] = {}
    for key, value in found:
        name = keys.get(key)
        if name and name not in meta and value:
            meta[name] = value
    return _after(text, len(head) + 1, kind, meta)


def _document(text: str) -> FrontMatter | None:
    """A plain-text document's own header (see DOCUMENT_KEYS), and a WordPress readme's
    `=== Name ===` title line above it."""
    first, _, _ = text.partition("\n")
    title = _README_TITLE.fullmatch(first)
    found = _header(text, DOCUMENT_KEYS, 2 if title else 1, "document")
    if found is None:
        return None
    head = text[: len(text) - len(found.body)].lower()
    lines = head.split("\n")[1 if title else 0:]
    if not any(line.split(":")[0].strip() in DOCUMENT_MARKERS for line in lines):
        return None
    meta = dict(found.meta)
    if title:
        meta["title"] = title.group(1)
    return FrontMatter(meta, found.body, found.body_line, found.kind)

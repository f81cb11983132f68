"""Recover the structure of pasted plain text (no markup) as Markdown, the way a reader sees it.

The first line is the title; short title-like lines followed by prose are section headings; a line
ending in ':' followed by short lines introduces a bullet list; "1. ..." lines form numbered lists
(with their description lines inside each item); a line wholly in double quotes is a blockquote;
every other line is a paragraph. Blank-line separated, hard-wrapped paragraphs are re-joined. All
thresholds live in `Rules`. Every character of the text reaches the rendered HTML exactly once
(Markdown syntax is escaped); only list markers become list markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dripmail.models import Page, Settings, Source
from dripmail.reading.textlines import (
    BULLET_RE,
    DEFAULT_RULES,
    MARKER_RE,
    NUMBER_RE,
    SENTENCE_END,
    Line,
    Rules,
    bare,
    connector,
    ends_sentence,
    list_item,
    logical_lines,
    open_ended,
    quoted,
    raw_lines,
    structural,
    title_like,
)

__all__ = ["DEFAULT_RULES", "EMAIL_MARKER", "Rules", "read", "text_to_markdown"]

EMAIL_MARKER = "<!-- email -->"
_ESCAPES = str.maketrans(
    {c: "\\" + c for c in "\\`*_{}[]#|>"} | {"&": "&amp;", "<": "&lt;"}
)



def read(source: Source, settings: Settings) -> Page:
    """A plain-text article as raw HTML: its structure recovered as Markdown, then converted.
    A title given by its front matter or header (a PEP's `Title:`) is not looked for again in
    the first line."""
    from dripmail.reading.from_markdown import convert

    first = next((ln.strip() for ln in source.body.splitlines() if ln.strip()), "")
    titled = bool(settings.title) and " ".join(first.split()) != " ".join(settings.title.split())
    return Page("", convert(text_to_markdown(source.body, title=not titled), source, settings))


def text_to_markdown(text: str, rules: Rules = DEFAULT_RULES, *, title: bool = True) -> str:
    """Markdown (for Python-Markdown with extra + sane_lists) showing the text's structure
    (`title`: the first line may be the title)."""
    from dripmail.reading import textheadings

    lines = logical_lines(text, rules, textheadings.classify(raw_lines(text)))
    parsers = (_marker, _title if title else _no_title, _shaped, _numbered, _bulleted,
               _colon_list, _heading, _quote, _paragraph)
    chunks: list[str] = []
    i = 0
    while i < len(lines):
        for parse in parsers:
            found = parse(lines, i, rules)
            if found:
                chunks.extend(found[0])
                i = found[1]
                break
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _is_heading(lines: list[Line], i: int, rules: Rules) -> bool:
    """A title-like line followed by a line that is not; or a short line standing alone between
    blank lines (sentence case) that introduces prose or a list."""
    line, nxt = lines[i], (lines[i + 1] if i + 1 < len(lines) else None)
    if line.heading:
        return line.heading > 0  # its shape says (dripmail.reading.textheadings)
    if nxt is None or structural(line.text) or quoted(line.text):
        return False
    if title_like(line.text, rules):
        return not title_like(nxt.text, rules)
    short = len(line.text.split()) <= rules.max_heading_words and open_ended(line.text)
    if not (line.gap and nxt.gap and short and line.text[0].isupper()):
        return False
    prose = not open_ended(nxt.text) or len(nxt.text.split()) > rules.max_heading_words
    return prose or _items(lines, i + 1, rules) > i + 1


def _items(lines: list[Line], i: int, rules: Rules) -> int:
    """The end index of the run of unmarked list items starting at i (i itself when none)."""
    j = i
    while j < len(lines) and list_item(lines[j].text, rules) and (j == i or not lines[j].gap) \
            and lines[j].heading <= 0:
        if j > i and _is_heading(lines, j, rules) and not title_like(lines[i].text, rules):
            break
        j += 1
    return j if j - i >= rules.min_list_items else i


Found = tuple[list[str], int] | None


def _marker(lines: list[Line], i: int, rules: Rules) -> Found:
    """The forced email cut marker passes through unchanged."""
    return ([lines[i].text], i + 1) if MARKER_RE.fullmatch(lines[i].text) else None


def _title(lines: list[Line], i: int, rules: Rules) -> Found:
    """The first line is the title when it is short and not a sentence, list item or quote."""
    s = lines[i].text
    if i or len(lines) < 2 or structural(s) or quoted(s) or not open_ended(s):
        return None
    if len(s.split()) > rules.max_title_words:
        return None
    if (link := _title_link(s)) is not None:
        return ["# " + _escape(link[0]), _escape(link[1])], 1
    return ["# " + _escape(s)], 1


def _title_link(s: str) -> tuple[str, str] | None:
    """A title line ending in a link in angle brackets ("Title <https://…>"): (title, link).
    What `(.*\\w.*?)\\s+(<(?:https?://|www\\.)\\S+>)` matched in full, in linear time (it was
    quadratic on one long word): the link is the last word, the title all before it."""
    if (m := re.search(r"\s(\S+)\Z", s)) is None:
        return None
    title, link = s[:m.start(1)].rstrip(), m.group(1)
    if re.fullmatch(r"<(?:https?://|www\.)\S+>", link) is None or "\n" in title \
            or re.search(r"\w", title) is None:
        return None
    return title, link


def _no_title(lines: list[Line], i: int, rules: Rules) -> Found:
    return None


def _shaped(lines: list[Line], i: int, rules: Rules) -> Found:
    """A heading the line's shape shows (underline, frame, numbering, capitals, standing
    alone: dripmail.reading.textheadings)."""
    level = lines[i].heading
    return (["#" * level + " " + _escape(lines[i].text)], i + 1) if level > 0 else None


def _numbered(lines: list[Line], i: int, rules: Rules) -> Found:
    """Consecutively numbered lines, each with its description lines (up to max_item_lines)."""
    starts = [i] if NUMBER_RE.match(lines[i].text) else []
    while starts and (k := _next_number(lines, starts[-1], rules)) is not None:
        starts.append(k)
    if len(starts) < max(rules.min_list_items, 1):
        return None
    spans = list(zip(starts, starts[1:], strict=False))
    limit = min((b - a - 1 for a, b in spans), default=0)  # the last item: as the shortest one
    end = starts[-1] + 1
    while end < len(lines) and end - starts[-1] <= limit and not structural(lines[end].text) \
            and lines[end].heading <= 0:
        if _is_heading(lines, end, rules):
            break
        end += 1
    spans.append((starts[-1], end))
    sep = "\n\n" if any(b - a > 1 for a, b in spans) else "\n"
    return [sep.join(_numbered_item(lines, a, b, rules) for a, b in spans)], end


def _next_number(lines: list[Line], j: int, rules: Rules) -> int | None:
    """Index of the line numbered one more than line j, at most max_item_lines lines below."""
    number = int(NUMBER_RE.match(lines[j].text).group(1))  # type: ignore[union-attr]
    for k in range(j + 1, min(len(lines), j + rules.max_item_lines + 2)):
        if lines[k].heading > 0:
            return None
        if structural(lines[k].text):
            m = NUMBER_RE.match(lines[k].text)
            return k if m and int(m.group(1)) == number + 1 else None
    return None


def _numbered_item(lines: list[Line], begin: int, end: int, rules: Rules) -> str:
    """One ordered-list item: its line, then description paragraphs (bold title when short)."""
    m = NUMBER_RE.match(lines[begin].text)
    assert m is not None
    head = lines[begin].text[m.end():]
    desc = _paragraphs(lines[begin + 1:end], rules)
    short = len(head.split()) <= rules.max_heading_words and not ends_sentence(head)
    first = f"**{_escape(head)}**" if desc and short else _escape(head)
    return "\n\n".join([f"{m.group(1)}. {first}"] + ["    " + p for p in desc])


def _bulleted(lines: list[Line], i: int, rules: Rules) -> Found:
    """Lines starting with a bullet character (-, *, •, …)."""
    j = i
    while j < len(lines) and BULLET_RE.match(lines[j].text) and lines[j].heading <= 0:
        j += 1
    items = [BULLET_RE.sub("", line.text, count=1) for line in lines[i:j]]
    return ([_bullets(items)], j) if j - i >= rules.min_list_items else None


def _colon_list(lines: list[Line], i: int, rules: Rules) -> Found:
    """A line ending in ':' followed by short lines: that paragraph, then a bullet list."""
    if not lines[i].text.endswith(":"):
        return None
    end = _items(lines, i + 1, rules)
    if end == i + 1:
        return None
    return [_escape(lines[i].text), _bullets(line.text for line in lines[i + 1:end])], end


def _heading(lines: list[Line], i: int, rules: Rules) -> Found:
    """A section heading (and the list of short lines directly under it, if any)."""
    if not _is_heading(lines, i, rules):
        return None
    end = _items(lines, i + 1, rules)
    items = [line.text for line in lines[i + 1:end]]
    return ["## " + _escape(lines[i].text)] + ([_bullets(items)] if items else []), max(end, i + 1)


def _quote(lines: list[Line], i: int, rules: Rules) -> Found:
    """A whole quoted statement on its own line (not linked to a neighbour by a connector)."""
    s = lines[i].text
    if not (quoted(s) and s[-2] in SENTENCE_END):
        return None
    linked = (i > 0 and _joins(lines[i - 1], lines[i], rules)) or (
        i + 1 < len(lines) and _joins(lines[i], lines[i + 1], rules)
    )
    return None if linked else (["> " + _escape(s)], i + 1)


def _paragraph(lines: list[Line], i: int, rules: Rules) -> Found:
    """A paragraph: the line plus any lines a connector or a trailing comma links to it."""
    j = i + 1
    while j < len(lines) and _joins(lines[j - 1], lines[j], rules):
        j += 1
    return [_escape(" ".join(line.text for line in lines[i:j]))], j


def _joins(a: Line, b: Line, rules: Rules) -> bool:
    """Whether b continues a's paragraph: a connector line, or a comma then a lowercase start."""
    if b.gap or structural(b.text) or MARKER_RE.fullmatch(a.text) or a.heading > 0 \
            or b.heading > 0:
        return False
    comma = bare(a.text).endswith(",") and b.text[0].islower()
    return comma or connector(a, rules) or connector(b, rules)


def _paragraphs(lines: list[Line], rules: Rules) -> list[str]:
    """Group lines into escaped paragraphs."""
    out, i = [], 0
    while i < len(lines):
        chunks, i = _paragraph(lines, i, rules)  # type: ignore[misc]
        out += chunks
    return out


def _bullets(items: Iterable[str]) -> str:
    """A tight unordered list."""
    return "\n".join("- " + _escape(item) for item in items)


def _escape(s: str) -> str:
    """Escape Markdown/HTML syntax so the rendered text shows exactly these characters."""
    s = s.translate(_ESCAPES)
    if m := re.match(r"\d+\.", s):
        return s[: m.end() - 1] + "\\." + s[m.end():]
    if s[:1] in "-+":
        return "\\" + s
    if s[:1] in ":~":
        return f"&#{ord(s[0])};" + s[1:]
    return s

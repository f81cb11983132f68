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
from dataclasses import dataclass

from dripmail.models import Page, Settings, Source

__all__ = ["DEFAULT_RULES", "EMAIL_MARKER", "Rules", "read", "text_to_markdown"]


@dataclass(frozen=True)
class Rules:
    """Data-driven thresholds of the structure heuristics (defaults suit ordinary prose)."""

    max_title_words: int = 20  # the first line is the title if it has at most this many words
    max_heading_words: int = 12  # section headings are short
    title_case_ratio: float = 0.6  # share of a heading's words that start with a capital
    max_list_item_words: int = 15  # unmarked list items are short phrases
    min_list_items: int = 2  # fewer lines than this never make a list
    max_connector_words: int = 2  # a lowercase line like "or" / "and then" joins its neighbours
    max_item_lines: int = 6  # description lines a numbered item may carry
    wrap_widths: tuple[int, int] = (40, 100)  # columns at which hard-wrapped text is wrapped
    wrap_evidence_ratio: float = 0.5  # share of in-paragraph line breaks that must look wrapped
    wrap_fill_ratio: float = 0.8  # a wrapped line running on in lowercase fills this much width
    spaced_ratio: float = 0.8  # share of one-line blocks above which blank lines carry no meaning


DEFAULT_RULES = Rules()
EMAIL_MARKER = "<!-- email -->"

_MARKER_RE = re.compile(r"<!--\s*email\s*-->", re.IGNORECASE)
_BULLET_RE = re.compile(r"[-*•◦▪‣–+]\s+(?=\S)")
_NUMBER_RE = re.compile(r"(\d{1,3})[.)]\s+(?=\S)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_QUOTES = {"“": "”", '"': '"', "„": "“", "«": "»"}
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".!?…"
_ESCAPES = str.maketrans(
    {c: "\\" + c for c in "\\`*_{}[]#|>"} | {"&": "&amp;", "<": "&lt;"}
)


@dataclass(frozen=True)
class _Line:
    """One logical line of text; `gap` says a meaningful blank line precedes it."""

    text: str
    gap: bool = False


def read(source: Source, settings: Settings) -> Page:
    """A plain-text article as raw HTML: its structure recovered as Markdown, then converted."""
    from dripmail.reading.from_markdown import convert

    return Page("", convert(text_to_markdown(source.body), source, settings))


def text_to_markdown(text: str, rules: Rules = DEFAULT_RULES) -> str:
    """Markdown (for Python-Markdown with extra + sane_lists) showing the text's structure."""
    lines = _logical_lines(_normalise(text), rules)
    parsers = (_marker, _title, _numbered, _bulleted, _colon_list, _heading, _quote, _paragraph)
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


def _normalise(text: str) -> list[str]:
    """Split into lines (any line break), drop control characters, collapse all whitespace."""
    text = text.lstrip("\ufeff")
    return [" ".join(_CONTROL_RE.sub(" ", line).split()) for line in text.splitlines()]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group non-blank lines into blank-line separated blocks."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _logical_lines(lines: list[str], rules: Rules) -> list[_Line]:
    """Detect the text's convention (one paragraph per line, spaced, or hard-wrapped)."""
    blocks = _blocks(lines)
    single = sum(len(b) == 1 for b in blocks)
    if len(blocks) < 2 or single >= rules.spaced_ratio * len(blocks):
        return [_Line(line) for b in blocks for line in b]  # blank lines carry no extra meaning
    width = _wrap_width(blocks)
    pairs = [(a, b) for blk in blocks for a, b in zip(blk, blk[1:], strict=False)]
    low, high = rules.wrap_widths
    wrapped = low <= width <= high and sum(
        _wrapped_break(a, b, width, rules) for a, b in pairs
    ) >= rules.wrap_evidence_ratio * len(pairs)
    out: list[_Line] = []
    for blk in blocks:
        out.append(_Line(blk[0], gap=bool(out)))
        for a, b in zip(blk, blk[1:], strict=False):
            if wrapped and _wrapped_break(a, b, width, rules):
                out[-1] = _Line(out[-1].text + " " + b, out[-1].gap)
            else:
                out.append(_Line(b))
    return out


def _wrap_width(blocks: list[list[str]]) -> int:
    """Estimate the wrap column: the 90th percentile length of lines that have a successor."""
    lengths = sorted(len(line) for blk in blocks for line in blk[:-1])
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _wrapped_break(a: str, b: str, width: int, rules: Rules) -> bool:
    """Whether line b continues line a (the next word would not fit, or a sentence runs on)."""
    if _structural(b) or a.endswith(":") or _MARKER_RE.fullmatch(a):
        return False
    too_long = len(a) + 1 + len(b.split()[0]) > width
    runs_on = b[0].islower() and not _ends_sentence(a) and len(a) >= rules.wrap_fill_ratio * width
    return too_long or runs_on


def _bare(s: str) -> str:
    """The line without trailing closing quotes and brackets."""
    return s.rstrip(_CLOSERS)


def _ends_sentence(s: str) -> bool:
    """Whether the line ends with sentence punctuation (possibly inside quotes)."""
    return _bare(s)[-1:] in tuple(_SENTENCE_END)


def _open_ended(s: str) -> bool:
    """Whether the line ends without a sentence or clause mark (a question mark is allowed)."""
    end = _bare(s)[-1:]
    return bool(end) and end not in ".!…,;:"


def _structural(s: str) -> bool:
    """Whether the line starts a list item or is the email cut marker."""
    return bool(_BULLET_RE.match(s) or _NUMBER_RE.match(s) or _MARKER_RE.fullmatch(s))


def _title_like(s: str, rules: Rules) -> bool:
    """Short, mostly capitalised words, first letter upper case, no sentence punctuation."""
    if len(s.split()) > rules.max_heading_words or not _open_ended(s):
        return False  # (the cheap tests first: most lines are prose)
    words = [w for w in s.split() if any(c.isalpha() for c in w)]
    if not words:
        return False
    caps = sum(next(c for c in w if c.isalpha()).isupper() for w in words)
    first = next(c for c in s if c.isalpha())
    return first.isupper() and caps >= rules.title_case_ratio * len(words) and not _quoted(s)


def _quoted(s: str) -> bool:
    """Whether the whole line is one double-quoted passage."""
    close = _QUOTES.get(s[:1])
    inner = s[1:-1]
    return bool(close) and len(s) > 2 and s.endswith(close) and not {s[0], close} & set(inner)


def _connector(line: _Line, rules: Rules) -> bool:
    """A one- or two-word lowercase line ("or", "and then") that links its neighbours."""
    words = line.text.split()
    short = len(words) <= rules.max_connector_words
    return short and all(w.isalpha() and w.islower() for w in words)


def _list_item(s: str, rules: Rules) -> bool:
    """A short unmarked line without end punctuation: an item of a list."""
    return (
        len(s.split()) <= rules.max_list_item_words
        and (_bare(s)[-1:].isalnum() or s.endswith(";"))
        and not _structural(s)
    )


def _is_heading(lines: list[_Line], i: int, rules: Rules) -> bool:
    """A title-like line followed by a line that is not; or a short line standing alone between
    blank lines (sentence case) that introduces prose or a list."""
    line, nxt = lines[i], (lines[i + 1] if i + 1 < len(lines) else None)
    if nxt is None or _structural(line.text) or _quoted(line.text):
        return False
    if _title_like(line.text, rules):
        return not _title_like(nxt.text, rules)
    short = len(line.text.split()) <= rules.max_heading_words and _open_ended(line.text)
    if not (line.gap and nxt.gap and short and line.text[0].isupper()):
        return False
    prose = not _open_ended(nxt.text) or len(nxt.text.split()) > rules.max_heading_words
    return prose or _items(lines, i + 1, rules) > i + 1


def _items(lines: list[_Line], i: int, rules: Rules) -> int:
    """The end index of the run of unmarked list items starting at i (i itself when none)."""
    j = i
    while j < len(lines) and _list_item(lines[j].text, rules) and (j == i or not lines[j].gap):
        if j > i and _is_heading(lines, j, rules) and not _title_like(lines[i].text, rules):
            break
        j += 1
    return j if j - i >= rules.min_list_items else i


Found = tuple[list[str], int] | None


def _marker(lines: list[_Line], i: int, rules: Rules) -> Found:
    """The forced email cut marker passes through unchanged."""
    return ([lines[i].text], i + 1) if _MARKER_RE.fullmatch(lines[i].text) else None


def _title(lines: list[_Line], i: int, rules: Rules) -> Found:
    """The first line is the title when it is short and not a sentence, list item or quote."""
    s = lines[i].text
    if i or len(lines) < 2 or _structural(s) or _quoted(s) or not _open_ended(s):
        return None
    return (["# " + _escape(s)], 1) if len(s.split()) <= rules.max_title_words else None


def _numbered(lines: list[_Line], i: int, rules: Rules) -> Found:
    """Consecutively numbered lines, each with its description lines (up to max_item_lines)."""
    starts = [i] if _NUMBER_RE.match(lines[i].text) else []
    while starts and (k := _next_number(lines, starts[-1], rules)) is not None:
        starts.append(k)
    if len(starts) < max(rules.min_list_items, 1):
        return None
    spans = list(zip(starts, starts[1:], strict=False))
    limit = min((b - a - 1 for a, b in spans), default=0)  # the last item: as the shortest one
    end = starts[-1] + 1
    while end < len(lines) and end - starts[-1] <= limit and not _structural(lines[end].text):
        if _is_heading(lines, end, rules):
            break
        end += 1
    spans.append((starts[-1], end))
    sep = "\n\n" if any(b - a > 1 for a, b in spans) else "\n"
    return [sep.join(_numbered_item(lines, a, b, rules) for a, b in spans)], end


def _next_number(lines: list[_Line], j: int, rules: Rules) -> int | None:
    """Index of the line numbered one more than line j, at most max_item_lines lines below."""
    number = int(_NUMBER_RE.match(lines[j].text).group(1))  # type: ignore[union-attr]
    for k in range(j + 1, min(len(lines), j + rules.max_item_lines + 2)):
        if _structural(lines[k].text):
            m = _NUMBER_RE.match(lines[k].text)
            return k if m and int(m.group(1)) == number + 1 else None
    return None


def _numbered_item(lines: list[_Line], begin: int, end: int, rules: Rules) -> str:
    """One ordered-list item: its line, then description paragraphs (bold title when short)."""
    m = _NUMBER_RE.match(lines[begin].text)
    assert m is not None
    head = lines[begin].text[m.end():]
    desc = _paragraphs(lines[begin + 1:end], rules)
    short = len(head.split()) <= rules.max_heading_words and not _ends_sentence(head)
    first = f"**{_escape(head)}**" if desc and short else _escape(head)
    return "\n\n".join([f"{m.group(1)}. {first}"] + ["    " + p for p in desc])


def _bulleted(lines: list[_Line], i: int, rules: Rules) -> Found:
    """Lines starting with a bullet character (-, *, •, …)."""
    j = i
    while j < len(lines) and _BULLET_RE.match(lines[j].text):
        j += 1
    items = [_BULLET_RE.sub("", line.text, count=1) for line in lines[i:j]]
    return ([_bullets(items)], j) if j - i >= rules.min_list_items else None


def _colon_list(lines: list[_Line], i: int, rules: Rules) -> Found:
    """A line ending in ':' followed by short lines: that paragraph, then a bullet list."""
    if not lines[i].text.endswith(":"):
        return None
    end = _items(lines, i + 1, rules)
    if end == i + 1:
        return None
    return [_escape(lines[i].text), _bullets(line.text for line in lines[i + 1:end])], end


def _heading(lines: list[_Line], i: int, rules: Rules) -> Found:
    """A section heading (and the list of short lines directly under it, if any)."""
    if not _is_heading(lines, i, rules):
        return None
    end = _items(lines, i + 1, rules)
    items = [line.text for line in lines[i + 1:end]]
    return ["## " + _escape(lines[i].text)] + ([_bullets(items)] if items else []), max(end, i + 1)


def _quote(lines: list[_Line], i: int, rules: Rules) -> Found:
    """A whole quoted statement on its own line (not linked to a neighbour by a connector)."""
    s = lines[i].text
    if not (_quoted(s) and s[-2] in _SENTENCE_END):
        return None
    linked = (i > 0 and _joins(lines[i - 1], lines[i], rules)) or (
        i + 1 < len(lines) and _joins(lines[i], lines[i + 1], rules)
    )
    return None if linked else (["> " + _escape(s)], i + 1)


def _paragraph(lines: list[_Line], i: int, rules: Rules) -> Found:
    """A paragraph: the line plus any lines a connector or a trailing comma links to it."""
    j = i + 1
    while j < len(lines) and _joins(lines[j - 1], lines[j], rules):
        j += 1
    return [_escape(" ".join(line.text for line in lines[i:j]))], j


def _joins(a: _Line, b: _Line, rules: Rules) -> bool:
    """Whether b continues a's paragraph: a connector line, or a comma then a lowercase start."""
    if b.gap or _structural(b.text) or _MARKER_RE.fullmatch(a.text):
        return False
    comma = _bare(a.text).endswith(",") and b.text[0].islower()
    return comma or _connector(a, rules) or _connector(b, rules)


def _paragraphs(lines: list[_Line], rules: Rules) -> list[str]:
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

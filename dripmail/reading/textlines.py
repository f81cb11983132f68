"""Plain text as logical lines: whitespace normalised, hard-wrapped lines re-joined, and what
each line looks like (a title, a list item, a quote...). All thresholds live in `Rules`."""

from __future__ import annotations

import re
from dataclasses import dataclass


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

MARKER_RE = re.compile(r"<!--\s*email\s*-->", re.IGNORECASE)
BULLET_RE = re.compile(r"[-*•◦▪‣–+]\s+(?=\S)")
NUMBER_RE = re.compile(r"(\d{1,3})[.)]\s+(?=\S)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_QUOTES = {"“": "”", '"': '"', "„": "“", "«": "»"}
_CLOSERS = "\"'”’»)]"
SENTENCE_END = ".!?…"

@dataclass(frozen=True)
class Line:
    """One logical line of text; `gap` says a meaningful blank line precedes it; `heading`
    is its level when the line's shape makes it a heading (dripmail.reading.textheadings)."""

    text: str
    gap: bool = False
    heading: int = 0  # -1: never a heading (code, an address, a date, indented)


def raw_lines(text: str) -> list[str]:
    """The text's lines as written (any line break)."""
    return text.lstrip("\ufeff").splitlines()


def logical_lines(text: str, rules: Rules, marks: dict[int, int] | None = None) -> list[Line]:
    """The logical lines of a text (see `_logical_lines`); `marks` (raw line index -> heading
    level, or 0 for a line to leave out) come from dripmail.reading.textheadings."""
    marks = marks or {}
    lines = _normalise(text)
    levels = {i: level for i, level in marks.items() if level}
    lines = [("" if marks.get(i) == 0 else line) for i, line in enumerate(lines)]
    return _logical_lines(lines, rules, levels)


def _normalise(text: str) -> list[str]:
    """Split into lines (any line break), drop control characters, collapse all whitespace."""
    return [" ".join(_CONTROL_RE.sub(" ", line).split()) for line in raw_lines(text)]


Block = list[tuple[int, str]]  # (raw line index, text) of consecutive non-blank lines


def _blocks(lines: list[str], levels: dict[int, int]) -> list[Block]:
    """Group non-blank lines into blank-line separated blocks; a heading is a block alone."""
    blocks: list[Block] = [[]]
    for i, line in enumerate(lines):
        if line and levels.get(i, 0) > 0:
            blocks += [[(i, line)], []]
        elif line:
            blocks[-1].append((i, line))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _logical_lines(lines: list[str], rules: Rules, levels: dict[int, int] | None = None
                   ) -> list[Line]:
    """Detect the text's convention (one paragraph per line, spaced, or hard-wrapped)."""
    levels = levels or {}
    blocks = _blocks(lines, levels)
    single = sum(len(b) == 1 for b in blocks if levels.get(b[0][0], 0) <= 0)
    prose = [b for b in blocks if levels.get(b[0][0], 0) <= 0]
    if len(prose) < 2 or single >= rules.spaced_ratio * len(prose):
        return [Line(line, heading=levels.get(i, 0)) for b in blocks for i, line in b]
    texts = [[line for _i, line in b] for b in prose]
    width = _wrap_width(texts)
    pairs = [(a, b) for blk in texts for a, b in zip(blk, blk[1:], strict=False)]
    low, high = rules.wrap_widths
    wrapped = low <= width <= high and sum(
        _wrapped_break(a, b, width, rules) for a, b in pairs
    ) >= rules.wrap_evidence_ratio * len(pairs)
    out: list[Line] = []
    for blk in blocks:
        out.append(Line(blk[0][1], gap=bool(out), heading=levels.get(blk[0][0], 0)))
        for (_i, a), (j, b) in zip(blk, blk[1:], strict=False):
            if wrapped and _wrapped_break(a, b, width, rules):
                out[-1] = Line(out[-1].text + " " + b, out[-1].gap, out[-1].heading)
            else:
                out.append(Line(b, heading=levels.get(j, 0)))
    return out


def _wrap_width(blocks: list[list[str]]) -> int:
    """Estimate the wrap column: the 90th percentile length of lines that have a successor."""
    lengths = sorted(len(line) for blk in blocks for line in blk[:-1])
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _wrapped_break(a: str, b: str, width: int, rules: Rules) -> bool:
    """Whether line b continues line a (the next word would not fit, or a sentence runs on)."""
    if structural(b) or a.endswith(":") or MARKER_RE.fullmatch(a):
        return False
    too_long = len(a) + 1 + len(b.split()[0]) > width
    runs_on = b[0].islower() and not ends_sentence(a) and len(a) >= rules.wrap_fill_ratio * width
    return too_long or runs_on


def bare(s: str) -> str:
    """The line without trailing closing quotes and brackets."""
    return s.rstrip(_CLOSERS)


def ends_sentence(s: str) -> bool:
    """Whether the line ends with sentence punctuation (possibly inside quotes)."""
    return bare(s)[-1:] in tuple(SENTENCE_END)


def open_ended(s: str) -> bool:
    """Whether the line ends without a sentence or clause mark (a question mark is allowed)."""
    end = bare(s)[-1:]
    return bool(end) and end not in ".!…,;:"


def structural(s: str) -> bool:
    """Whether the line starts a list item or is the email cut marker."""
    return bool(BULLET_RE.match(s) or NUMBER_RE.match(s) or MARKER_RE.fullmatch(s))


def title_like(s: str, rules: Rules) -> bool:
    """Short, mostly capitalised words, first letter upper case, no sentence punctuation."""
    if len(s.split()) > rules.max_heading_words or not open_ended(s):
        return False  # (the cheap tests first: most lines are prose)
    words = [w for w in s.split() if any(c.isalpha() for c in w)]
    if not words:
        return False
    caps = sum(next(c for c in w if c.isalpha()).isupper() for w in words)
    first = next(c for c in s if c.isalpha())
    return first.isupper() and caps >= rules.title_case_ratio * len(words) and not quoted(s)


def quoted(s: str) -> bool:
    """Whether the whole line is one double-quoted passage."""
    close = _QUOTES.get(s[:1])
    inner = s[1:-1]
    return bool(close) and len(s) > 2 and s.endswith(close) and not {s[0], close} & set(inner)


def connector(line: Line, rules: Rules) -> bool:
    """A one- or two-word lowercase line ("or", "and then") that links its neighbours."""
    words = line.text.split()
    short = len(words) <= rules.max_connector_words
    return short and all(w.isalpha() and w.islower() for w in words)


def list_item(s: str, rules: Rules) -> bool:
    """A short unmarked line without end punctuation: an item of a list."""
    return (
        len(s.split()) <= rules.max_list_item_words
        and (bare(s)[-1:].isalnum() or s.endswith(";"))
        and not structural(s)
    )

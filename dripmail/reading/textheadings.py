"""Where a plain-text document's headings are, from the shape of its lines.

Features first, all language-independent: a line's indent against the body's, blank lines
around it, an underline or a frame of rule characters, delimiters (`== Name ==`), numbering
(`7.1.`, `12)`) and whether its numbered siblings carry bodies of their own, upper case, the
length of the line and what follows it, none of them English title case (a heading starts
as a sentence does, in any language; a letter without case, in Arabic or Hebrew, may start
one). Words appear only in SECTION_WORDS ("Step 3: …", "Kapitel 1: …"), every shipped
language's, from dripmail.languages.

`classify(lines)` gives, per raw line index, a heading level (2, 3, 4) or DROP for lines that
are decoration or page furniture: underlines and frames, separator rules, a page's running
header and footer (an RFC's `[Page 3]` lines), a two-column header block before the title,
and a table of contents (its entries have dot leaders and page numbers).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from dripmail.languages import LANGUAGES

DROP = 0  # a line that is not the writer's text: decoration or page furniture
NEVER = -1  # a line that cannot be a heading: code, an address, a date, indented into the body

# Words that number a section ("Step 3: …"), lower case: every shipped language's (the rules
# do not depend on the article's language; dripmail.languages holds them, per language).
SECTION_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    w for lang in LANGUAGES.values() for w in lang.section_words))


@dataclass(frozen=True)
class HeadingRules:
    """The thresholds of the heading rules (defaults measured on tests/corpus/labels)."""

    max_words: int = 10  # a heading standing alone is short
    max_chars: int = 60  # longer, a line followed by more text is a wrapped paragraph's
    max_numbered_words: int = 16  # a numbered section heading may be a whole question
    min_body_words: int = 8  # what follows a heading reads as prose
    min_section_words: int = 50  # the body of a numbered section, when not indented under it
    underline_slack: float = 0.35  # an underline may be this much shorter or longer
    min_rule: int = 3  # characters of a rule line (`===`, `---`, `***`)
    column_gap: int = 5  # spaces between the two columns of a header or footer line
    caps_ratio: float = 0.8  # upper-case share of a line's letters for an ALL-CAPS heading
    section_words: tuple[str, ...] = SECTION_WORDS


DEFAULT = HeadingRules()

RULE_CHARS = "=-~^*#+_"
_RULE = re.compile(r"([=\-~^*#+_])\1{2,}")
_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)([.)]?)\s+(\S.*)")
# Dot leaders and a page number, or a page number set far right. Linear: a run of leaders or
# spaces is tried from its start only (a match inside a run is one from its start too), and
# once (the possessive `{3,}+`: what follows the spaces is no space).
_LEADERS = re.compile(r"(?<!\.)(?<!\.\s)(\.\s?){4,}\s*\d+\s*$|(?<!\s)\s{3,}+\d{1,3}$")
_PAGE = re.compile(r"\[Page \d+\]\s*$|^\S.*(?<=\S)\s{3,}+(Page|Seite|Página) \d+\s*$", re.I)
# `<…>` tried once per word, from its first "<" (not from every "<": quadratic on "<]<]<]…")
_URL = re.compile(r"https?://|www\.|\S@\S|(?<!\S)[^\s<]*+<\S+>")
_CODE = re.compile(r"[{};=\\]|//|\(\)|->|=>|::|\$\w|^\W")
_DATE = re.compile(r"\b(1[89]|20)\d\d\b")
_SENTENCE_END = re.compile(r"[.!?…](?=\s+\S)")
_CITATION = re.compile(r"\w,\s*[\"“„«]")  # Author, "Title"
_FIELD_LIST = re.compile(r"^[^:]+:\s+\S[^:]*,")  # "Optional parameters: charset, header"
_BULLET = re.compile(r"[-*•◦▪‣–+]\s+\S")


@dataclass(frozen=True)
class Doc:
    """The raw lines of a document and what is measured once over them."""

    text: list[str]  # stripped
    indent: list[int]
    base: int  # the body's indent: the leftmost indent of a fifth or more of the prose lines
    loose: bool  # blank lines carry no meaning: (almost) none, or one between every two lines
    unwrapped: bool = False  # a paragraph per line (no hard wrapping): a page or document copy
    width: int = 0  # where the writer's lines wrap: the longest prose lines' length (0: none)

    def blank(self, i: int) -> bool:
        """Whether a meaningful blank line (or the document's edge) is at i."""
        if i < 0 or i >= len(self.text):
            return True
        return not self.text[i] and not self.loose

    def words(self, i: int) -> int:
        return len(self.text[i].split()) if 0 <= i < len(self.text) else 0


def _doc(lines: list[str]) -> Doc:
    text = [line.strip() for line in lines]
    indent = [len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip()) for line in lines]
    prose = Counter(indent[i] for i, t in enumerate(text) if len(t.split()) >= 6)
    total = sum(prose.values())
    base = min((n for n, count in prose.items() if count >= 0.2 * total), default=0)
    blocks = [len(b) for b in "\n".join("x" if t else "" for t in text).split("\n\n")
              if b.strip()]
    filled = sum(1 for t in text if t)
    loose = sum(1 for t in text if not t) < 0.2 * filled or (
        len(blocks) > 2 and sum(n == 1 for n in blocks) >= 0.8 * len(blocks))
    long = sorted(len(t) for t in text if len(t.split()) >= 6)
    unwrapped = bool(long) and long[len(long) // 2] > 100
    width = 0 if unwrapped or len(long) < 5 else long[(9 * len(long)) // 10]
    return Doc(text, indent, base, loose, unwrapped, width)


def is_rule(text: str, rules: HeadingRules = DEFAULT) -> bool:
    """A line of one repeated character: an underline, a frame or a separator."""
    return len(text) >= rules.min_rule and _RULE.fullmatch(text) is not None


def classify(lines: list[str], rules: HeadingRules = DEFAULT) -> dict[int, int]:
    """Raw line index -> heading level (2..4), DROP, or NEVER (no heading, whatever other
    rules of thumb say), for the lines that are any of them."""
    doc = _doc(lines)
    marks: dict[int, int] = {}
    _furniture(doc, marks, rules)
    first = _first_text(doc, marks)
    if first >= 0 and is_rule(doc.text[first], rules):
        marks[first] = DROP  # a frame's top line (a separator elsewhere stays text)
    _decorated(doc, marks, rules)
    _numbered(doc, marks, rules)
    for i in range(len(doc.text)):
        if i not in marks and doc.text[i] and _standing_alone(doc, i, marks, rules):
            marks[i] = 2
    for i in range(len(doc.text)):
        if i not in marks and doc.text[i] and _never(doc, i, marks, rules):
            marks[i] = NEVER
    return marks


def _centered(doc: Doc, i: int, rules: HeadingRules) -> bool:
    """A short line alone between blank lines, set far in from the body: centred."""
    body = _next_text(doc, i)
    return doc.indent[i] >= doc.base + 8 and doc.blank(i - 1) and doc.blank(i + 1) \
        and doc.words(i) <= rules.max_words and (body is None or doc.indent[body] < doc.indent[i])


def _outside_body(doc: Doc, i: int, rules: HeadingRules) -> bool:
    """Indented into the body (code, a quotation, a list's lines), unless centred."""
    return doc.indent[i] > doc.base and not _centered(doc, i, rules)


def _never(doc: Doc, i: int, marks: dict[int, int], rules: HeadingRules) -> bool:
    """A line no heading looks like (whatever other rules of thumb say)."""
    text = doc.text[i]
    body = _next_text(doc, i, marks)
    return (_outside_body(doc, i, rules) or _URL.search(text) is not None
            or _CODE.search(text) is not None or _SENTENCE_END.search(text) is not None
            or (_DATE.search(text) is not None and not _caps(text, rules))
            or (body is not None and _wraps_on(doc, i, body, rules)))


def _furniture(doc: Doc, marks: dict[int, int], rules: HeadingRules) -> None:
    """Page headers and footers, a two-column block before the title, a table of contents."""
    gap = re.compile(rf"\S {{{rules.column_gap},}}\S")
    first = next((i for i, t in enumerate(doc.text) if t), 0)
    i = first
    while i < len(doc.text) and doc.text[i] and gap.search(doc.text[i]):
        i += 1
    if i - first >= 2:  # "Network Working Group          Y. Shafranovich", on two lines or more
        marks.update(dict.fromkeys(range(first, i), DROP))
    for i, text in enumerate(doc.text):
        if _PAGE.search(text) or (gap.search(text) and doc.blank(i - 1) and _after_page(doc, i)):
            marks[i] = DROP
        elif _LEADERS.search(text) and len(text.split()) > 1:
            marks[i] = DROP  # a contents entry: "2. Definition of the CSV Format ....... 2"
            head = _previous_text(doc, i)
            if head is not None and not _LEADERS.search(doc.text[head]):
                marks[head] = DROP  # its "Table of Contents" line


def _after_page(doc: Doc, i: int) -> bool:
    """Whether line i follows a page footer (its running header, after a form feed)."""
    j = _previous_text(doc, i)
    return j is not None and _PAGE.search(doc.text[j]) is not None


def _previous_text(doc: Doc, i: int) -> int | None:
    j = i - 1
    while j >= 0 and not doc.text[j]:
        j -= 1
    return j if j >= 0 else None


def _next_text(doc: Doc, i: int, marks: dict[int, int] | None = None) -> int | None:
    j = i + 1
    while j < len(doc.text) and (not doc.text[j] or (marks and marks.get(j) == DROP)):
        j += 1
    return j if j < len(doc.text) else None


def _decorated(doc: Doc, marks: dict[int, int], rules: HeadingRules) -> None:
    """Underlined, framed and delimited headings (`Title` over `=====`, `== Title ==`)."""
    for i, text in enumerate(doc.text):
        if not text or is_rule(text, rules) or marks.get(i) == DROP:
            continue
        below = doc.text[i + 1] if i + 1 < len(doc.text) else ""
        above = doc.text[i - 1] if i > 0 else ""
        if is_rule(below, rules) and _fits(text, below, rules) and doc.indent[i] <= doc.base:
            marks[i], marks[i + 1] = _underline_level(below, above, rules), DROP
            if is_rule(above, rules):
                marks[i - 1] = DROP
        elif is_rule(above, rules) and is_rule(below, rules) and min(
                len(above), len(below)) >= 0.8 * len(text):
            marks[i] = 2  # framed by rules
            marks[i - 1] = marks[i + 1] = DROP
        elif level := _delimited(text):
            marks[i] = level


def _delimited(text: str) -> int:
    """The level of a heading between delimiters (`== Name ==` 2, `= Name =` 3; `## Name ##`,
    `** Name **` 2), else 0. What `(=+|#{2,}|\\*{2,})\\s*(\\S.*?)\\s*\\1` matched in full
    (cubic on a long run of `=`): the shorter run of the first character at either end
    delimits, the rest (with any more of that character) is the name, and needs a letter."""
    c = text[:1]
    if not c or c not in "=#*":
        return 0
    n = min(len(text) - len(text.lstrip(c)), len(text) - len(text.rstrip(c)))
    if n == len(text) or n < (1 if c == "=" else 2):
        return 0
    if re.search(r"\w", text[n:len(text) - n]) is None:
        return 0
    return 2 if n > 1 else 3


def _fits(text: str, rule: str, rules: HeadingRules) -> bool:
    return abs(len(rule) - len(text)) <= max(3, rules.underline_slack * len(text))


def _underline_level(rule: str, above: str, rules: HeadingRules) -> int:
    if is_rule(above, rules) or rule[0] in "=#*":
        return 2
    return 3 if rule[0] == "-" else 4


def _numbered(doc: Doc, marks: dict[int, int], rules: HeadingRules) -> None:
    """Numbered lines grouped by indent into runs that count up (a new run where a number
    starts again); a run whose members stand alone and carry bodies is a run of section
    headings, every member (so a heading that wraps is one too); otherwise it is a list."""
    for run in _runs(doc, marks, rules):
        alone = sum(_section_like(doc, i, j, marks, rules) for i, j in run)
        if alone * 2 > len(run):
            for i, _next in run:
                depth = _NUMBER.match(doc.text[i]).group(1).count(".") if _NUMBER.match(
                    doc.text[i]) else 0
                marks[i] = min(2 + depth, 4)


def _number(text: str, rules: HeadingRules) -> tuple[int, ...] | None:
    """The number of a numbered line ("7.1.  Normative…" -> (7, 1); "Step 3: …" -> (3,))."""
    if (m := _NUMBER.fullmatch(text)) and (m.group(2) or "." in m.group(1)):
        return tuple(int(n) for n in m.group(1).split("."))
    word, _, rest = text.partition(" ")
    m = re.match(r"(\d{1,3})\s*[:.)-]", rest)
    if word.lower() in rules.section_words and m:
        return (int(m.group(1)),)
    if word.isupper() and word.isalpha() and m and len(word) > 3:
        return (int(m.group(1)),)  # "SECTION 1 - CREATING AND SENDING YOUR CHANGE"
    return None


def _runs(doc: Doc, marks: dict[int, int], rules: HeadingRules
          ) -> list[list[tuple[int, int | None]]]:
    """Runs of numbered lines: (line, the line of the next member or None)."""
    open_runs: dict[tuple[int, int], list[tuple[int, tuple[int, ...]]]] = {}
    done: list[list[tuple[int, tuple[int, ...]]]] = []
    for i, text in enumerate(doc.text):
        if not text or i in marks:
            continue
        number = _number(text, rules)
        if number is None:
            continue
        key = (doc.indent[i], len(number))
        run = open_runs.get(key)
        if run and _follows(run[-1][1], number):
            run.append((i, number))
            continue
        if run:
            done.append(run)
        open_runs[key] = [(i, number)]
    done += open_runs.values()
    out = []
    for run in done:
        lines = [i for i, _n in run]
        out.append(list(zip(lines, [*lines[1:], None], strict=True)))
    return out


def _follows(before: tuple[int, ...], number: tuple[int, ...]) -> bool:
    return number[:-1] == before[:-1] and number[-1] == before[-1] + 1


def _section_like(doc: Doc, i: int, nxt: int | None, marks: dict[int, int],
                  rules: HeadingRules) -> bool:
    """A numbered line that stands as a section: not indented into the body, short (or a
    question), and followed by a body of its own before the next member: one indented under
    it, or one of some length (a list item's description is short)."""
    text = doc.text[i]
    if _outside_body(doc, i, rules) or _URL.search(text):
        return False
    short = len(text.split()) <= rules.max_numbered_words or text.endswith("?")
    body = _next_text(doc, i, marks)
    if body is None or not short or (nxt is not None and body == nxt):
        return False
    if not (doc.blank(i - 1) or doc.loose or doc.unwrapped or marks.get(i - 1) == DROP):
        return False  # the last line of a paragraph ("2.6.12 and later.")
    if doc.indent[i] < doc.base and doc.indent[body] > doc.indent[i]:
        return True
    end = nxt if nxt is not None else len(doc.text)
    words = sum(doc.words(j) for j in range(body, end) if marks.get(j) != DROP)
    return words >= rules.min_section_words


def _caps(text: str, rules: HeadingRules) -> bool:
    """Mostly upper-case letters (WHAT IS LINUX?), or a first word in capitals of four letters
    or more (INSTALLING the kernel source:)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    words = text.split()
    if len(words) >= 6 and sum(len(w) == 1 for w in words) >= 0.8 * len(words):
        return True  # letter-spaced for emphasis: "S o f t w a r e b e s c h r e i b u n g :"
    upper = sum(c.isupper() for c in letters) / len(letters)
    first = re.sub(r"\W", "", text.split()[0])
    return upper >= rules.caps_ratio or (len(first) >= 4 and first.isupper()
                                         and first.isalpha())


def _standing_alone(doc: Doc, i: int, marks: dict[int, int], rules: HeadingRules) -> bool:
    """A short line standing alone that introduces prose: an ALL-CAPS or sentence-case
    heading. After a blank line (or, where blank lines mean nothing, after a paragraph) and
    before prose or body text indented under it; not indented into the body; not code, a
    URL, a date, one of a run of short lines (a list) or a lead-in (`…:` in sentence case)."""
    text = doc.text[i]
    if i == _first_text(doc, marks) or not _heading_words(text, rules):
        return False
    if _outside_body(doc, i, rules) or _URL.search(text) or _CODE.search(text):
        return False
    caps = _caps(text, rules)
    if (text.endswith(":") or _DATE.search(text) or _CITATION.search(text)
            or _FIELD_LIST.search(text)) and not caps:
        return False
    before = _previous_text(doc, i)
    if before is not None and marks.get(before, 0) > 0:
        return False  # the first line of a heading's body ("See", "If … like")
    body = _next_text(doc, i, marks)
    if body is None or body in marks or _wraps_on(doc, i, body, rules):
        return False
    if doc.indent[body] > doc.indent[i] and doc.indent[body] <= doc.base + 4 \
            and doc.indent[i] <= doc.base and doc.blank(i - 1):
        return _opens_prose(doc, body, i, rules)
    if _short_run(doc, i, marks, rules):
        return False
    if doc.blank(i - 1) or marks.get(i - 1) == DROP:
        return _opens_prose(doc, body, i, rules)
    follows = _prose(doc.text[body], rules) or _BULLET.match(doc.text[body]) is not None
    return (doc.loose or doc.unwrapped) and before is not None and follows \
        and not _heading_words(doc.text[before], rules)


def _wraps_on(doc: Doc, i: int, body: int, rules: HeadingRules) -> bool:
    """Whether line i is the first line of a hard-wrapped paragraph that goes on in `body`:
    the next line goes on in lower case, or line i is long, or the next line's first word
    would not have fitted on it (in any language: a German line goes on with a capital)."""
    if doc.loose or body != i + 1 or doc.indent[body] != doc.indent[i]:
        return False  # (a line per paragraph: nothing is wrapped)
    first = doc.text[body].split(maxsplit=1)[0]
    return doc.text[body][:1].islower() or len(doc.text[i]) > rules.max_chars or (
        doc.width > 0 and doc.indent[i] + len(doc.text[i]) + 1 + len(first) > doc.width)


def _first_text(doc: Doc, marks: dict[int, int]) -> int:
    return next((i for i, t in enumerate(doc.text) if t and marks.get(i) != DROP), -1)


def _heading_words(text: str, rules: HeadingRules) -> bool:
    """Words a heading can be: few, mostly words of letters, starting as a title starts (a
    capital, a digit, or a letter of a script without case: Arabic, Hebrew), without a
    sentence's end (but a question's) or another sentence inside."""
    words = text.split()
    if not words or len(words) > rules.max_words or text[-1] in ".,;!" or \
            _SENTENCE_END.search(text):
        return False
    first = text.lstrip("\"'“„«¿¡(")[:1]
    if not (first.isupper() or first.isdigit() or _caseless(first)):
        return False
    alpha = sum(any(c.isalpha() for c in w) for w in words)
    return alpha >= 0.6 * len(words) and not (len(words) == 1 and not words[0][0].isalpha())


def _caseless(char: str) -> bool:
    """A letter of a script without capitals (Arabic, Hebrew, CJK)."""
    return char.isalpha() and not char.isupper() and not char.islower()


def _prose(text: str, rules: HeadingRules) -> bool:
    """A line that reads as prose: long, or a whole sentence."""
    words = len(text.split())
    return words >= rules.min_body_words or (words >= 3 and text.rstrip("\"'”’»)")[-1:] in
                                             ".!?…")


def _opens_prose(doc: Doc, body: int, i: int, rules: HeadingRules) -> bool:
    """What follows a spaced heading is a paragraph: prose, or body text indented under it."""
    if doc.indent[body] > doc.indent[i] and doc.indent[body] <= doc.base + 4:
        return True
    j, words = body, 0
    while j < len(doc.text) and doc.text[j]:
        words += doc.words(j)
        j += 1
    return words >= rules.min_body_words


def _short_run(doc: Doc, i: int, marks: dict[int, int], rules: HeadingRules) -> bool:
    """Whether line i is one of consecutive short lines (a list without markers): the line
    before it is short too, or the line after is, with no sentence end."""
    near = [j for j in (_previous_text(doc, i), _next_text(doc, i, marks)) if j is not None
            and (doc.loose or abs(j - i) == 1)]
    asks = doc.text[i].endswith("?")
    return any(doc.words(j) <= rules.max_words and j not in marks and (
        doc.text[j][-1:] not in ".!?:" or (asks and doc.text[j].endswith("?"))) for j in near)

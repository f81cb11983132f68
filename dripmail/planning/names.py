"""Names for emails: clean heading text, shortened subjects, an email's focus, inline phrases.

No wording lives here: the language's word lists come from :mod:`dripmail.planning.words`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import lxml.html

from dripmail.limits import SUBJECT_KEEP
from dripmail.models import Block
from dripmail.planning.words import Words, for_language
from dripmail.safetext import one_line

_URL = re.compile(r"<?(?:https?://|www\.)\S+>?|<[^<>\s]+@[^<>\s]+>|<[a-z]+://[^>]*>", re.I)
# Runs are tried from their start only (linear; on stripped text, as `clean` gives it, the
# same as from anywhere in the run)
_PERMALINK = re.compile(
    "(?<![¶§#\u2693\U0001f517\u21a9\u2042])[¶§#\u2693\U0001f517\u21a9\u2042]+\\s*$"
    "|^\\s*[¶§#\U0001f517]+\\s*")
_PLACEHOLDER = re.compile(r"\$[A-Za-z_]+\$|\{\{[^}]*\}\}|%%[^%]*%%")  # $VERSION$, {{ x }}
_FENCE = re.compile(r"^\s*[=#]+\s+|(?<!\s)\s+[=#]+\s*$")  # "= Usage =", "## Title ##"
# Emphasis and code marks around words (`*a*`, `__a__`, `` `a` ``, `~~a~~`): a span of at
# most 200 characters, so that each opening mark looks that far at most (linear time; an
# unbounded span was quadratic on "*a *a *a …")
_EMPHASIS = re.compile(r"(?<!\w)([*_`~]{1,3})(?=\S)(.{1,200}?)(?<=\S)\1(?!\w)")
_STRAY = re.compile(r"[`*{}<>\\]|={2,}|-{3,}|~{3,}")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]?|[ivxlc]{1,6}[.)]|[a-z][.)])\s+",
                        re.I)
_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")
_CODELIKE = re.compile(r"_|\d|^[a-z]+[A-Z]|(?<![A-Z])[A-Z]{2,}+[a-z]+[A-Z]")  # snake_case, ..
_CHUNK = re.compile(r"[.,;:!?()\[\]{}\"“”„«»—–/|=<>*`]+|\s[-'‘’]\s|\s-+\s")


def clean(text: str) -> str:
    """Text fit for a subject: one line; no URLs, e-mail addresses in <>, permalink marks,
    Markdown emphasis or code marks, or stray markup characters."""
    text = "".join(c for c in one_line(text)
                   if unicodedata.category(c) != "Co")  # icon-font permalinks (U+F0C1)
    text = _PLACEHOLDER.sub(" ", _URL.sub(" ", text))
    text = _FENCE.sub("", text)
    text = _PERMALINK.sub("", text.strip())
    text = _EMPHASIS.sub(r"\2", text)
    text = _STRAY.sub(" ", text)
    text = " ".join(text.split()).strip(" :;,–—-")
    return text


def heading(block: Block) -> str:
    """A heading block's text fit for a subject (its first line: the text part underlines it)."""
    return clean(block.text.split("\n")[0])


def key(text: str) -> str:
    """The form two subjects are compared in (case, width and spacing ignored)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip("…. ")


def bare(text: str) -> str:
    """A heading without its numbering and final punctuation, casefolded."""
    return key(_NUMBERING.sub("", text)).rstrip(":.!?")


def is_generic(text: str, words: Words) -> bool:
    """Whether a heading says nothing about its section ("Introduction", "3. Summary")."""
    return bare(text) in words.generic


def shorten(text: str, limit: int, keep: int = SUBJECT_KEEP, words: Words | None = None
            ) -> str:
    """Fit `text` in `limit` chars by cutting at a colon, dash or parenthesis; a text without
    such a break is kept whole up to `keep` chars, else cut at a word boundary, never after a
    dangling function word."""
    dangling = (words or for_language("en")).dangling
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    for sep in (": ", " – ", " — ", " - ", " (", "? ", "! ", ". "):
        head = text.split(sep)[0].strip() + (sep.strip() if sep in ("? ", "! ") else "")
        if 12 <= len(head) <= limit and not _dangles(head, dangling):
            return head
    if len(text) <= keep:
        return text
    cut = _trim(text[: limit + 1].rsplit(" ", 1)[0].split(), dangling)
    return cut if len(cut) >= 12 else _trim(text[:limit].split(), dangling) or text[:limit]


def _dangles(text: str, dangling: frozenset[str]) -> bool:
    found = _WORD.findall(text)
    return bool(found) and found[-1].casefold() in dangling and text[-1:].isalnum()


def _trim(words: list[str], dangling: frozenset[str]) -> str:
    """Words joined, without trailing punctuation or dangling function words."""
    while words:
        words[-1] = words[-1].rstrip(",;:–—-(")
        if words[-1] and (len(words) <= 1 or words[-1].casefold() not in dangling):
            break
        words.pop()
    return " ".join(words)


def prose_text(block: Block) -> str:
    """A block's words as a reader sees them: link text without its address, no markers."""
    return _read(block.kind, block.html)[0]


def emphasised(block: Block) -> list[str]:
    """Texts the article marks out in a block: strong, emphasis, inline code, link text."""
    return list(_read(block.kind, block.html)[1])


@lru_cache(maxsize=4096)  # the planner reads the same blocks for subjects, preheaders, topics
def _read(kind: str, html: str) -> tuple[str, tuple[str, ...]]:
    """A block's prose and its marked-out texts, from one parse of its HTML."""
    if not html or kind in ("code", "image", "rule", "break"):
        return "", ()
    try:
        el = lxml.html.fragment_fromstring(html)
    except Exception:  # noqa: BLE001 (a block whose HTML lxml cannot read: no prose)
        return "", ()
    return (" ".join(" ".join(el.itertext()).split()),
            tuple(" ".join(e.text_content().split()) for e in el.iter("strong", "b", "em", "a")))


def phrases(text: str, words: Words) -> Iterable[str]:
    """Runs of words that can carry meaning (no stop word, no number, no code) between stop
    words and punctuation: a whole run of two or three words, and each word of a run that
    does not end like a verb or an adverb (words.weak_endings)."""
    for chunk in _CHUNK.split(text):
        run: list[str] = []
        for token in chunk.split():
            word = token.strip("'’‘\"")
            if _WORD.fullmatch(word) and word.casefold() not in words.stop and len(word) > 2 \
                    and not _CODELIKE.search(word):
                run.append(word)
                continue
            yield from _runs(run, words)
            run = []
        yield from _runs(run, words)


def _runs(run: list[str], words: Words) -> Iterable[str]:
    if 1 < len(run) <= 3:
        yield " ".join(run)
    for word in run:
        if not word.casefold().endswith(words.weak_endings):
            yield word


@dataclass(frozen=True, slots=True)
class Profile:
    """The phrases of one email: how often each occurs (casefolded), as written, marked out."""

    counts: Counter[str]
    written: dict[str, str]
    marked: frozenset[str]


def profile(blocks: Sequence[Block], words: Words) -> Profile:
    """The phrases of an email's blocks (code left out)."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for block in blocks:
        for p in phrases(prose_text(block), words):
            counts[p.casefold()] += 1
            forms.setdefault(p.casefold(), Counter())[p] += 1
    marked = frozenset(p.casefold() for b in blocks for t in emphasised(b)
                       for p in phrases(t, words))
    return Profile(counts, {k: c.most_common(1)[0][0] for k, c in forms.items()}, marked)


def focus(mine: Profile, others: Sequence[Profile], known: str = "") -> list[str]:
    """What one email is about, best first: phrases frequent in it (or marked out) and rare in
    the article's other emails; none made only of words of `known` (its section)."""
    seen = {_stem(w) for w in _WORD.findall(known)}
    scored = []
    for phrase, count in mine.counts.items():
        marked = phrase in mine.marked
        if (count < 2 and not marked) or all(_stem(w) in seen for w in phrase.split()):
            continue
        df = sum(phrase in o.counts for o in others)
        size = phrase.count(" ") + 1
        score = (count + 2 * marked) * math.log((len(others) + 2) / (df + 1)) * (
            1 + 0.6 * (size - 1) * (count >= 2))
        scored.append((-score, -size, phrase))
    scored.sort()
    return [mine.written[p] for _s, _z, p in scored]


def _stem(word: str) -> str:
    """A word without case and a plural or possessive ending (for "is it the same word")."""
    word = word.casefold().removesuffix("'s").removesuffix("’s")
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def proper_words(blocks: Sequence[Block]) -> frozenset[str]:
    """Words the article writes with a capital inside its sentences more often than without
    (names, and German nouns): an inline phrase keeps them as they are."""
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for b in blocks:
        if b.kind not in ("paragraph", "list", "quote", "table"):
            continue
        for sentence in re.split(r"(?<=[.!?:])\s+|\n", prose_text(b)):
            for word in _WORD.findall(sentence)[1:]:
                (upper if word[0].isupper() else lower)[word.casefold()] += 1
    return frozenset(w for w, n in upper.items() if n > lower[w])


def inline(subject: str, proper: frozenset[str]) -> str:
    """A subject as a phrase inside a sentence: "Why One Partner Feels Ready" -> "why one
    partner feels ready"; names, acronyms and words written with inner capitals are kept."""
    text = _NUMBERING.sub("", subject).strip().rstrip(".:;,")
    tokens = text.split(" ")
    letters = [t for t in tokens if _WORD.match(t.strip("“\"‘'(["))]
    titled = sum(t.strip("“\"‘'([")[:1].isupper() for t in letters) > max(1, len(letters) // 2)
    out = []
    for n, token in enumerate(tokens):
        if (n == 0 or titled) and _lowerable(token, proper):
            token = token[0].lower() + token[1:] if token[:1].isupper() else token
        out.append(token)
    return " ".join(out)


def _lowerable(token: str, proper: frozenset[str]) -> bool:
    word = token.strip("“\"‘'([)]”’,.:;!?")
    if not word or not word[0].isupper() or word.casefold() in proper:
        return False
    rest = word[1:]
    return rest == rest.lower() and word != "I" and token[0] == word[0]

"""Offline readability: syllables, sentences, each language's reading ease, and the
Flesch–Kincaid grade (English only).

The language's published formula (dripmail.checks.formulas) scores a text; a language without
one gets no score. English syllables come from the rule-based counter below; other languages'
from hyphenation dictionaries (dripmail.checks.syllables).

The English syllable counter is a rule-based estimator (vowel groups with corrections for silent
endings and vowel pairs that split), so it needs no dictionary download. On the plain words of
the CMU Pronouncing Dictionary it gives the dictionary's count for 92% and is off by more than
one for 0.2% (tests/test_checks_readability.py), which moves the scores by a point or two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

from dripmail import languages
from dripmail.checks import syllables as other_syllables
from dripmail.checks.dom import without_tags
from dripmail.checks.formulas import FORMULAS, Counts
from dripmail.limits import READING_WPM

WPM = READING_WPM  # adult silent reading of non-fiction (Brysbaert 2019)
# Letters of any script, with the combining marks some scripts write inside words (Latin
# accents when decomposed, Hebrew points, Arabic harakat).
_LETTER = r"[^\W\d_]"
_MARK = "[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
_RUN = f"{_LETTER}(?:{_LETTER}|{_MARK})*"
_WORD = re.compile(rf"{_RUN}(?:['’]{_RUN})*|\d+(?:[.,]\d+)*")
# (the lookahead on the first character lets the engine skip most positions quickly)
# (a run of marks is tried from its first mark only: from each, a long run costs its square)
_SENTENCE_END = re.compile(
    r"(?=[.!?…؟\n:])(?:(?<![.!?…؟])[.!?…؟]+[\"'”’»“)\]]*(?=\s|$)|\n\s*\n|:\s*\n)")
# (the lookahead on the first letters lets the engine skip most positions quickly)
_ABBREVIATIONS = re.compile(
    r"\b(?=[mdpsjveinaf])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|approx|No|Fig)\.",
    re.IGNORECASE)
# Vowel groups read as two syllables (me-di-a, ra-di-o, vi-de-o, sit-u-a-tion, play-er, fly-ing).
_SPLIT = re.compile(
    r"(?<![cstgx])ia(?!ge$)|(?<![cstgx])io|(?<![cstg])iu|(?<![cstg])eo(?!pl)|(?<![qg])ua(?!y)"
    r"|ie(?=st$|r$|t)|(?<![cstg])ie(?=n)|(?<![qg])ue(?=n)|(?<=[bcdfgkptz])l(?:ing|ed)$|[aeou]y[aeiou](?!d$)|(?<![aeiou])yi|(?<=[aeiou])ing$|[sdz]nt$|^re(?=a(?:ct|li))|(?<=cr)e(?=at(?!ur|h))"
)
# More endings: (pattern, syllables to add).
_ENDINGS = tuple((re.compile(pattern), delta) for pattern, delta in (
    (r"[^aeiouy]e(?:ly|ness|ment|ful|less)$", -1),  # lately, hopeful, statement: silent e
    (r"ism$", 1),  # activism, prism: the m is a syllable of its own
    (r"ically$", -1),  # basically: -ic-ly
    (r"(?:que|[^r]gue)$", -1),  # antique, colleague: silent -ue (but argue)
    (r"lle$", -1),  # belle, gazelle: silent e after ll
))
# Common words the rules miss. None is taken from the bundled example (its words are counted
# by the rules alone); tests/test_checks_readability.py measures the rules on dictionary words
# held out from this list.
_EXCEPTIONS = {
    "area": 3, "business": 2, "cooperate": 4, "evening": 2, "everything": 3,
    "friend": 1, "friendly": 2, "friends": 1, "friendship": 2, "idea": 3, "ideas": 3,
    "naive": 2, "poem": 2, "prayer": 1, "science": 2,
    "fire": 1, "hour": 1, "ours": 1,  # one syllable, as often said (the dictionary also has 2)
}


@lru_cache(maxsize=1 << 16)  # words repeat; a pure function of the word
def syllables(word: str) -> int:
    """Estimated syllables of one English word (numbers count as one per digit group)."""
    w = word.lower().replace("’", "'")
    if w[:1].isdigit():
        return max(1, len(re.findall(r"\d+", w)))
    w = re.sub(r"'(s|d|ll|re|ve|m)$", r"\1", w).replace("n't", "nt")
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    if re.match(r"some(?![rs])[a-z]{3}", w):  # compounds: some|one, some|thing, some|times
        return 1 + syllables(w[4:])
    count = len(re.findall(r"[aeiouy]+", w))
    # silent endings: make, makes, liked (but not wanted, needed, table, boxes)
    if re.search(r"[^aeiouy]e$", w) and not re.search(r"[^aeiouy]le$", w):
        count -= 1
    elif re.search(r"[^aeiouy]es$", w) and not re.search(r"(?:[sxz]|ch|sh|[cg]|[^aeiouy]l)es$", w):
        count -= 1
    elif re.search(r"[^aeiouy]ed$", w) and not re.search(r"[td]ed$", w):
        count -= 1
    count += sum(delta for pattern, delta in _ENDINGS if pattern.search(w))
    count += len(_SPLIT.findall(w))
    return max(1, count)


def words(text: str) -> list[str]:
    """The words of a text (URLs and merge tags left out)."""
    return _WORD.findall(without_tags(text))


@lru_cache(maxsize=16)
def _abbreviations(lang: str) -> re.Pattern[str]:
    """The dotted abbreviations of a language that do not end a sentence."""
    if languages.primary(lang) in ("en", ""):
        return _ABBREVIATIONS
    found = languages.language(lang)
    listed = sorted(found.abbreviations if found else (), key=len, reverse=True)
    if not listed:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in listed) + ")")


def sentences(text: str, lang: str = "en") -> list[str]:
    """Sentences (and list items/headings, which end at a line break) that contain words."""
    text = without_tags(text)
    text = _abbreviations(lang).sub(lambda m: m.group().replace(".", ""), text)
    pieces: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        # a block of short lines (a list, a heading) is one "sentence" per line
        if lines and all(len(ln) < 60 for ln in lines) and len(lines) > 1:
            pieces.extend(lines)
        else:
            pieces.extend(_SENTENCE_END.split(" ".join(lines)))
    return [p for p in pieces if _WORD.search(p)]


def syllables_in(word: str, lang: str = "en") -> int:
    """Syllables of a word of any language with a syllable counter (English rules, else
    hyphenation dictionaries); 0 for a language without one."""
    return _counter(lang)(word)


@lru_cache(maxsize=16)
def _counter(lang: str) -> Callable[[str], int]:
    code = languages.primary(lang) or "en"
    if code == "en":
        return syllables
    if not other_syllables.has_dictionary(code):
        return lambda _word: 0
    return partial(other_syllables.count, lang=code)


@dataclass(frozen=True, slots=True)
class Readability:
    """Reading statistics of one text. `reading_ease` is the score of the language's formula
    (None without one); `grade` the Flesch–Kincaid grade, for English only."""

    words: int
    sentences: int
    syllables: int
    reading_ease: float | None
    grade: float | None
    minutes: float
    formula: str | None = "flesch"  # id in dripmail.checks.formulas.FORMULAS

    @property
    def words_per_sentence(self) -> float:
        """Average sentence length in words."""
        return self.words / self.sentences if self.sentences else 0.0


def formula_of(lang: str):
    """The reading-ease formula of a language (dripmail.checks.formulas.Formula), or None."""
    found = languages.language(lang or "en")
    return FORMULAS.get(found.reading_ease) if found and found.reading_ease else None


@lru_cache(maxsize=64)  # four reading rules measure the same text of each email
def measure(text: str, lang: str = "en") -> Readability:
    """Reading ease by the language's formula, Flesch–Kincaid grade (English) and reading time
    of a text."""
    ws = words(text)
    n_words = len(ws)
    formula = formula_of(lang)
    english = (languages.primary(lang) or "en") == "en"
    fid = formula.id if formula else None
    if not n_words:
        return Readability(0, 0, 0, 100.0 if formula and formula.higher_is_easier else
                           (0.0 if formula else None), 0.0 if english else None, 0.0, fid)
    n_sent = max(1, len(sentences(text, lang)))
    count = _counter(lang)
    n_syl = sum(map(count, ws)) if formula and (formula.syllables or english) else 0
    letters = long_words = 0
    if formula and not formula.syllables:  # Gulpease counts letters, LIX long words
        sizes = [sum(ch.isalpha() for ch in w) for w in ws]
        letters, long_words = sum(sizes), sum(n > 6 for n in sizes)
    counts = Counts(n_words, n_sent, n_syl, letters, long_words)
    ease = round(formula.score(counts), 1) if formula else None
    grade = round(0.39 * (n_words / n_sent) + 11.8 * (n_syl / n_words) - 15.59, 1) \
        if english else None
    return Readability(n_words, n_sent, n_syl, ease, grade, round(n_words / WPM, 1), fid)

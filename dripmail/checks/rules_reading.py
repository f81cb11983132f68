"""Reading rules: length, reading time, reading ease (each language's formula), grade level
(English), sentence length, wordy phrases."""

from __future__ import annotations

import re
from functools import lru_cache

from dripmail import languages
from dripmail.checks.dom import visible_text
from dripmail.checks.model import EmailDoc
from dripmail.checks.readability import WPM, Readability, formula_of, measure
from dripmail.checks.registry import rule

WORDS_MIN, WORDS_MAX, WORDS_HARD = 100, 500, 800
EASE_MIN, GRADE_MAX, SENTENCE_MAX = 60.0, 8.0, 20.0


def reading_text(doc: EmailDoc) -> str:
    """The text the reading rules measure: the plain-text part, else the HTML's visible text."""
    return doc.text if doc.text and doc.text.strip() else visible_text(doc.tree)


def stats(doc: EmailDoc) -> Readability:
    """Reading statistics of an email (words from the build when it counted them)."""
    found = measure(reading_text(doc), doc.language)
    if doc.words is None:
        return found
    return Readability(doc.words, found.sentences, found.syllables, found.reading_ease,
                       found.grade, round(doc.words / WPM, 1), found.formula)


@rule("word-count", "error", "reading",
      "100–500 words per email (over 800 is an error); reading time at 238 wpm")
def word_count(doc: EmailDoc):
    """Course emails are read in a couple of minutes; long ones get skimmed or clipped."""
    s = stats(doc)
    about = f"{s.words} words, about {s.minutes:g} min at {WPM} words a minute"
    fix = "rebalance the split: `words_per_email`, `--emails N` or `<!-- email -->` markers"
    if doc.kind == "newsletter":
        return
    if s.words > WORDS_HARD:
        yield "error", f"{about}; over {WORDS_HARD} words is too long for one email", fix
    elif s.words > WORDS_MAX:
        yield "warning", f"{about}; aim for 150–350 (at most {WORDS_MAX})", fix
    elif s.words < WORDS_MIN:
        yield "warning", f"{about}; under {WORDS_MIN} words feels thin for a course email", fix


@rule("reading-ease", "warning", "reading",
      "reading ease by the language's published formula (English: Flesch ≥ 60)")
def reading_ease(doc: EmailDoc):
    """Plain language (Flesch 60+, or the band that matches it) is read faster and understood
    by more people. A language without a published formula is not scored (a report note)."""
    formula = formula_of(doc.language)
    if formula is None:
        return
    s = stats(doc)
    if s.words >= 30 and s.reading_ease is not None and formula.too_hard(s.reading_ease):
        yield ("warning", f"{formula.label} is {s.reading_ease:g} (want {formula.want})",
               "use shorter sentences and everyday words in this part of the article")


@rule("grade-level", "warning", "reading", "Flesch–Kincaid grade level at most 8 (English)")
def grade_level(doc: EmailDoc):
    """Health and lay audiences read best at grade 6–8. The grade is calibrated on American
    school grades and English words: other languages are not graded (a report note)."""
    s = stats(doc)
    if s.grade is not None and s.words >= 30 and s.grade > GRADE_MAX:
        yield ("warning", f"Flesch–Kincaid grade level is {s.grade:g} (want ≤ {GRADE_MAX:g})",
               "split long sentences and prefer shorter words")


@rule("sentence-length", "warning", "reading", "sentences average at most 20 words")
def sentence_length(doc: EmailDoc):
    """Long sentences are the main cause of hard-to-read email. Kept for every language: the
    plain-language guides of each shipped language put the limit near 20 words, and Arabic and
    Hebrew, which join articles and prepositions to the next word, count fewer words for the
    same sentence, so the limit is no stricter there."""
    s = stats(doc)
    if s.sentences and s.words_per_sentence > SENTENCE_MAX:
        yield ("warning", f"sentences average {s.words_per_sentence:.1f} words "
               f"(want ≤ {SENTENCE_MAX:g})", "split the longest sentences")


@lru_cache(maxsize=16)
def _wordy(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern for all of a language's wordy phrases, and phrase -> plainer form."""
    found = languages.language(lang)
    plain = dict(found.wordy) if found else {}
    if not plain:
        return None, plain
    alternatives = "|".join(re.escape(p) for p in sorted(plain, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), plain


@rule("wordy-phrases", "warning", "reading",
      "no padded phrases with a plainer form (\"in order to\", \"afin de\", \"zum Zwecke\")")
def wordy_phrases(doc: EmailDoc):
    """Plain-language guides in every language list the same padding: say "to", not "in order
    to". One warning names up to three of the phrases found."""
    pattern, plainer = _wordy(doc.language)
    if pattern is None:
        return
    text = " ".join(reading_text(doc).replace("’", "'").split())
    seen = dict.fromkeys(m.group().lower() for m in pattern.finditer(text))
    found = [(phrase, plainer[phrase]) for phrase in seen]
    if found:
        said = ", ".join(f"\"{phrase}\" (say \"{plain}\")" for phrase, plain in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        yield ("warning", f"wordy phrases: {said}{more}",
               "use the plainer word: readers skim email")

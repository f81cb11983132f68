"""The planner's view of a language's words (from :mod:`dripmail.languages`, the one store).

- dangling: function words a shortened subject or preheader must not end on;
- generic: headings that say nothing about their section ("Introduction", "Fazit"), compared
  casefolded, without numbering or final punctuation;
- stop: words that cannot carry an email's focus alone: the function words too, and English
  ones in every language (articles in other languages quote code and English terms: "Require
  not host" is no topic);
- navigation: link texts and lines of a page's furniture, never used in a preheader;
- weak_endings: endings of words rarely a topic alone (verb forms, adverbs).

A language dripmail does not ship uses the English lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dripmail import languages


@dataclass(frozen=True, slots=True)
class Words:
    """One language's word lists (see the module docstring)."""

    code: str  # the language tag they are for
    dangling: frozenset[str]
    generic: frozenset[str]
    stop: frozenset[str]
    navigation: frozenset[str]
    weak_endings: tuple[str, ...] = ()


@cache
def for_language(tag: str) -> Words:
    """The word lists for a language tag ("en", "de-AT", ...); English when there are none."""
    lang = languages.language(tag) or languages.EN
    return Words(tag, lang.function_words, lang.generic_headings,
                 lang.stop | lang.function_words | languages.EN.function_words,
                 lang.navigation, lang.weak_endings)

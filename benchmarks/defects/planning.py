"""Planning defects (issue 14): cuts, subjects and preheaders a writer would not send."""

from __future__ import annotations

import re
import unicodedata

from defects.corpus_model import Article, Email

GENERIC = {
    # English
    "introduction", "intro", "conclusion", "conclusions", "summary", "overview", "final thoughts",
    "wrapping up", "wrap up", "wrap-up", "closing thoughts", "in conclusion", "background",
    "preface", "foreword", "abstract", "contents", "table of contents", "references", "notes",
    "appendix", "epilogue", "prologue", "getting started", "next steps", "faq", "resources",
    "tl;dr", "tldr", "recap", "afterword", "acknowledgements", "acknowledgments",
    # German, French, Spanish
    "einleitung", "einführung", "fazit", "zusammenfassung", "schluss", "überblick", "anhang",
    "introduction générale", "résumé", "aperçu", "annexe", "en résumé",
    "introducción", "conclusión", "conclusiones", "resumen", "resumiendo", "apéndice",
}
DANGLING = {
    # English function words a cut must not end on
    "a", "an", "the", "of", "to", "for", "and", "or", "but", "nor", "in", "on", "at", "with",
    "from", "by", "into", "onto", "as", "is", "are", "was", "were", "be", "been", "being",
    "isn't", "isn’t", "your", "my", "our", "their", "his", "her", "its", "this", "that",
    "these", "those", "only", "than", "then", "so", "if", "when", "while", "which", "who",
    "whose", "how", "why", "what", "where", "not", "no", "very", "just", "about", "over",
    "under", "between", "through", "can", "will", "would", "should", "could", "do", "does",
    "did", "has", "have", "had", "we", "you", "they", "i", "it",
    # German, French, Spanish articles, prepositions and conjunctions
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und",
    "oder", "aber", "mit", "von", "zu", "zum", "zur", "für", "auf", "im", "bei",
    "le", "la", "les", "un", "une", "du", "de", "et", "ou", "mais", "avec", "pour",
    "par", "sur", "dans", "au", "aux", "el", "los", "las", "una", "unos", "y", "o", "pero",
    "con", "por", "para", "en", "del", "al", "que",
}
_URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
# Emphasis marks around words, not an underscore inside a name (`mod_rewrite`, `_site`).
_MARKUP = re.compile(r"<[a-z/!]|[*`]\w|\w[*`]|(?<!\w)_[^\W_][^_]*_(?!\w)|\{\{|\{%|\]\(|"
                     r"\\[\\*_`]|[¶\U0001f517]")
_JUNK_SUBJECT = re.compile(r"\(continued\)|\bcontinued\b|\bpart \d+\b|^\s*part\s", re.I)
_LIST_START = re.compile(r"^\s*([-*•◦▪‣–+>]\s|\d{1,3}[.)]\s)")
_QUOTE = re.compile(r"\s>\s|^\s*>")
_UNDERLINE = re.compile(r"={3,}|-{3,}|_{3,}|~{3,}|\*{3,}")
_FALLBACK = re.compile(r"^part \d+ of \d+", re.IGNORECASE)
_WORD = re.compile(r"[\w’'-]+")
LEAD_MIN = 40  # words of a section's lead-in an email may end on


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def repeated_subject(art: Article) -> list[str]:
    seen: dict[str, int] = {}
    found = []
    for e in art.emails:
        key = _norm(e.subject)
        if key in seen:
            found.append(f"emails {seen[key]} and {e.position}: {e.subject!r}")
        else:
            seen[key] = e.position
    return found


def junk_subject(art: Article) -> list[str]:
    return [f"email {e.position}: {e.subject!r}" for e in art.emails
            if _JUNK_SUBJECT.search(e.subject) or _MARKUP.search(e.subject)
            or _URL.search(e.subject)]


def generic_subject(art: Article) -> list[str]:
    out = []
    for e in art.emails:
        bare = _norm(re.sub(r"^[\d.)\s]+|[:.!?]+$", "", e.subject))
        if bare in GENERIC:
            out.append(f"email {e.position}: {e.subject!r}")
    return out


def dangling_subject(art: Article) -> list[str]:
    """A subject CUT on a function word (a whole heading the writer ended so is no cut)."""
    whole = {_norm(h) for h in art.headings}
    out = []
    for e in art.emails:
        if _norm(e.subject) in whole:
            continue
        words = _WORD.findall(e.subject)
        if words and words[-1].casefold() in DANGLING and not e.subject.rstrip().endswith(
                ("?", "!", ".", "”", '"', ")")):
            out.append(f"email {e.position}: {e.subject!r}")
    return out


def _has_prose(email: Email) -> bool:
    return any(b.kind in ("paragraph", "quote", "list") and b.words for b in email.blocks)


def _glued_heading(email: Email) -> str | None:
    pre = _norm(email.preheader)
    for b in email.blocks:
        if b.kind == "heading":
            head = _norm(b.text.split("\n")[0])
            if head and pre.startswith(head + " ") and len(pre) > len(head) + 3:
                return head
    return None


def junk_preheader(art: Article) -> list[str]:
    out = []
    for e in art.emails:
        p = e.preheader
        why = ("a URL" if _URL.search(p) else "markup" if _MARKUP.search(p)
               else "a list marker" if _LIST_START.match(p) else "a quote marker"
               if _QUOTE.search(p) else "an underline" if _UNDERLINE.search(p)
               else "the Part-N fallback" if _FALLBACK.match(p) and _has_prose(e)
               else "a heading run into its text" if _glued_heading(e) else "")
        if why:
            out.append(f"email {e.position}: {why}: {p!r}")
    return out


def preheader_length(art: Article) -> list[str]:
    return [f"email {e.position}: {len(e.preheader)} characters: {e.preheader!r}"
            for e in art.emails if not 40 <= len(e.preheader) <= 100]


def preheader_is_subject(art: Article) -> list[str]:
    return [f"email {e.position}: {e.subject!r}" for e in art.emails
            if _norm(e.preheader).rstrip("…. ") == _norm(e.subject).rstrip("…. ")]


def section_at_tail(art: Article) -> list[str]:
    """An email that ends on a heading, or on a lead-in of under 40 words of a section that
    goes on in the next email."""
    out = []
    for n, e in enumerate(art.emails[:-1]):
        heads = [i for i, b in enumerate(e.blocks) if b.kind == "heading"]
        if not heads:
            continue
        last = heads[-1]
        if last == 0:
            continue  # the email opens with that section
        after = sum(b.words for b in e.blocks[last + 1:])
        nxt = art.emails[n + 1].blocks
        continues = bool(nxt) and nxt[0].kind != "heading"
        if after == 0 or (after < LEAD_MIN and continues):
            title = e.blocks[last].text.split("\n")[0][:50]
            out.append(f"email {e.position}: {title!r} starts with {after} words left")
    return out


def lead_in_cut(art: Article) -> list[str]:
    out = []
    for n, e in enumerate(art.emails[:-1]):
        if not e.blocks or not art.emails[n + 1].blocks:
            continue
        last, first = e.blocks[-1], art.emails[n + 1].blocks[0]
        if last.kind == "paragraph" and last.text.rstrip().endswith(":") and first.kind in (
                "list", "code", "table", "quote", "image"):
            out.append(f"email {e.position}: {last.text.strip()[-60:]!r} / next: {first.kind}")
    return out


def over_twice_max(art: Article) -> list[str]:
    return [f"email {e.position}: {e.words} words" for e in art.emails
            if e.words > 2 * art.max_words]


COUNTERS = [
    ("repeated-subject", "planning", repeated_subject),
    ("junk-subject", "planning", junk_subject),
    ("generic-subject", "planning", generic_subject),
    ("dangling-subject", "planning", dangling_subject),
    ("junk-preheader", "planning", junk_preheader),
    ("preheader-length", "planning", preheader_length),
    ("preheader-is-subject", "planning", preheader_is_subject),
    ("section-at-tail", "planning", section_at_tail),
    ("lead-in-cut", "planning", lead_in_cut),
    ("over-twice-max-words", "planning", over_twice_max),
]

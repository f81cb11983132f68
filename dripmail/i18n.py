"""The theme's words in the email's language (gettext), and dates, numbers and lists written
the way its locale writes them (Babel, CLDR).

Catalogs: `dripmail/locales/<lang>/LC_MESSAGES/dripmail.po`, compiled to `.mo` beside it and
shipped in the package (`scripts/i18n.py` extracts, updates and compiles them; README
"Languages"). A project's own `locales/<lang>/LC_MESSAGES/dripmail.po` goes first: its
entries win, the rest come from the shipped catalog, and a string neither translates stays in
English. `pt-BR` looks for `pt_BR`, then `pt`.

The strings Python code writes into an email (not a template) are declared here with
:func:`N_`, so that extraction finds them in one place and :func:`Catalog.missing` can name
them. English (`en`, no region) never loads Babel: its dates and numbers are written here.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dripmail.languages import name as language_name
from dripmail.languages import primary

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "dripmail"
SHIPPED = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "ar", "he")
PROJECT_CATALOG = "locales/{code}/LC_MESSAGES/dripmail.po"  # inside a project


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for "mark, translate later")
    """Mark `message` for extraction; it is translated where it is used."""
    return message


# Strings Python code writes into emails (the templates hold all the others).
# Translators: the preview text of an email with no prose of its own (its place, its subject)
NO_PROSE = N_("Part %(n)s of %(total)s: %(subject)s")
# Translators: a digest newsletter's preview text; the titles are joined as a list ("A, B and C")
IN_THIS_ISSUE = N_("In this issue: %(titles)s")
# Translators: the preview text of a newsletter holding one whole article
WHOLE_ARTICLE = N_("The whole article: %(title)s")
# Translators: a digest newsletter's title when it has none (the sender's brand)
NEWSLETTER_TITLE = N_("%(brand)s newsletter")
# Translators: the button under each article of a digest newsletter
READ_MORE = N_("Read the full article")
# Translators: a newsletter's footer line (the sender's brand)
NEWSLETTER_REASON = N_("You are receiving this email because you subscribed to the %(brand)s "
                       "newsletter.")
# Translators: links added to the footer when a custom template leaves them out
LABEL_UNSUBSCRIBE = N_("Unsubscribe")
LABEL_PREFERENCES = N_("Update your preferences")
LABEL_VIEW_ONLINE = N_("View this email in your browser")
PYTHON_STRINGS = (NO_PROSE, IN_THIS_ISSUE, WHOLE_ARTICLE, NEWSLETTER_TITLE, READ_MORE,
                  NEWSLETTER_REASON, LABEL_UNSUBSCRIBE, LABEL_PREFERENCES, LABEL_VIEW_ONLINE)


def catalog_codes(tag: str | None) -> list[str]:
    """The catalog names to look for, most specific first ("pt-BR" -> ["pt_BR", "pt"],
    "sr-Latn-RS" -> ["sr_Latn_RS", "sr_Latn", "sr_RS", "sr"], "es-419" -> ["es_419", "es"])."""
    parts = (tag or "en").strip().replace("_", "-").split("-")
    lang = parts[0].lower() or "en"
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p.upper() for p in parts[1:]
                   if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), "")
    codes = [f"{lang}_{script}_{region}"] if script and region else []
    codes += [f"{lang}_{script}"] if script else []
    codes += [f"{lang}_{region}"] if region else []
    return codes + [lang]


def is_plain_english(tag: str | None) -> bool:
    """English without a region: dates and numbers written here, without Babel."""
    return (tag or "en").strip().lower() == "en"


class Catalog:
    """The translations of one language: a project's catalog (if any) over the shipped one."""

    def __init__(self, tag: str, translations: gettext.NullTranslations):
        self.tag = tag
        self.translations = translations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def translated(self, message: str) -> bool:
        """Whether some catalog of the chain translates `message` (a plural: its first form)."""
        found: gettext.NullTranslations | None = self.translations
        while found is not None:
            table = getattr(found, "_catalog", {})  # GNUTranslations' messages (msgid -> msgstr)
            if table.get(message) or table.get((message, 0)):
                return True
            found = getattr(found, "_fallback", None)
        return False

    def missing(self, messages: Iterable[str]) -> list[str]:
        """The messages no catalog translates, in order, once each ([] for English)."""
        if primary(self.tag) in ("en", ""):
            return []
        return [m for m in dict.fromkeys(messages) if not self.translated(m)]


def catalog(tag: str | None, project_dir: Path | None = None) -> Catalog:
    """The catalog for a language tag: the project's `locales/` first (its most specific
    catalog, then the more general ones: `pt_BR`, then `pt`), then the shipped ones."""
    tag = tag or "en"
    return _catalog(tag, tuple((path, os.stat(path).st_mtime_ns)
                               for path in _project_pos(tag, project_dir)))


def _project_pos(tag: str, project_dir: Path | None) -> list[str]:
    if project_dir is None:
        return []
    paths = (Path(project_dir) / PROJECT_CATALOG.format(code=code) for code in catalog_codes(tag))
    return [str(path.resolve()) for path in paths if path.is_file()]


@lru_cache(maxsize=32)
def _catalog(tag: str, project: tuple[tuple[str, int], ...]) -> Catalog:
    chain: gettext.NullTranslations = gettext.translation(DOMAIN, LOCALES, catalog_codes(tag),
                                                          fallback=True)
    for path, _mtime in reversed(project):  # the most general first: each goes in front
        own = _read_po(Path(path))
        own.add_fallback(chain)
        chain = own
    return Catalog(tag, chain)


def _read_po(path: Path) -> gettext.GNUTranslations:
    """A project's .po file as translations (compiled in memory with Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from dripmail.errors import ConfigError

    try:
        with path.open("rb") as f:
            po = read_po(f, abort_invalid=True)
    except Exception as exc:  # noqa: BLE001 (Babel raises PoFileError, ValueError, ...)
        raise ConfigError([f"{path}: cannot read this gettext catalog ({exc}); fix it or "
                           "remove it (README, Languages)"]) from exc
    if problems := [f"{path}:{m.lineno}: {p}" for m in po if m.id for p in _placeholders(m)]:
        raise ConfigError(problems)
    buf = io.BytesIO()
    write_mo(buf, po, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


GREETING_WITH_NAME = "Hi %(name)s,"  # the theme's greeting msgid (templates: greeting(...))
_PERCENT = re.compile(r"%%|%\((\w+)\)s|%")  # "%%": a percent sign; "%(name)s": a value


def _placeholders(message) -> list[str]:  # message: babel.messages.catalog.Message
    """What is wrong with a translation's placeholders: the theme fills only the msgid's own
    `%(name)s`, and a lone `%` stops the formatting (write `%%`)."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    given = {m.group(1) for i in ids for m in _PERCENT.finditer(i) if m.group(1)}
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    out = []
    if ids[0] == GREETING_WITH_NAME and strings[0] and "%(name)s" not in strings[0]:
        out.append(f"the translation of “{ids[0]}” has no “%(name)s”: keep it where the "
                   "reader's first name goes (the greeting without a name is “Hi there,”)")
    for found in (m for s in strings if s for m in _PERCENT.finditer(s) if m.group() != "%%"):
        if found.group(1) is None:
            out.append(f"the translation of “{ids[0]}” has a lone “%”; write “%%” for a "
                       "percent sign")
        elif found.group(1) not in given:
            out.append(f"the translation of “{ids[0]}” uses “{found.group()}”, which the "
                       "theme does not give it; use "
                       + (", ".join(f"“%({g})s”" for g in sorted(given)) or "no placeholder"))
    return out


# ---- the greeting --------------------------------------------------------------------------

_GLUE = " ,\u00a0\u202f\u060c\u05be:–—-"  # what may join a greeting word and a name


@dataclass(frozen=True, slots=True)
class Greeting:
    """A greeting as the theme writes it: `before` + the first name + `after`. Without a name,
    either `fallback` stands in for it ("Hi there,") or `glue` goes with it ("Hallo," /
    "Hallo Sam,": the name, when there is one, is written after `glue`)."""

    before: str
    after: str
    fallback: str = ""
    glue: str = ""


def greeting(with_name: str, without_name: str) -> Greeting:
    """How to write a greeting from its two translations: "Hi %(name)s," and "Hi there,"."""
    before, _, after = with_name.partition("%(name)s")
    if without_name.startswith(before) and without_name.endswith(after) and \
            len(without_name) >= len(before) + len(after):
        return Greeting(before, after, fallback=without_name[len(before):
                                                             len(without_name) - len(after)])
    bare = before.rstrip(_GLUE)
    return Greeting(bare, after, glue=before[len(bare):] or " ")


# ---- dates, numbers, lists -----------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@lru_cache(maxsize=32)
def _locale(tag: str):  # -> babel.Locale
    from babel import Locale, UnknownLocaleError

    for code in (tag.replace("_", "-"), *catalog_codes(tag)):  # "sr-Latn", "es-419" whole first
        try:
            return Locale.parse(code, sep="-" if "-" in code else "_")
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en")


def number(value: int | float, tag: str | None) -> str:
    """A number as the language writes it ("1.234,5" in German; English as Python does)."""
    if is_plain_english(tag):
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(tag))


def date(value: dt.date, tag: str | None) -> str:
    """A date in the language's long form ("28. November 2025", "28 novembre 2025")."""
    if is_plain_english(tag):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    from babel.dates import format_date

    return format_date(value, "long", locale=_locale(tag))


def join(items: Sequence[str], tag: str | None) -> str:
    """Items as a list in a sentence ("A, B and C", "A, B et C")."""
    if is_plain_english(tag) or len(items) < 2:
        return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else \
            "".join(items)
    from babel.lists import format_list

    return format_list(list(items), locale=_locale(tag))


# ---- right to left -------------------------------------------------------------------------

RLM = "\u200f"  # RIGHT-TO-LEFT MARK


def _first_strong(line: str) -> str:
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind
    return ""


def rtl_lines(text: str) -> str:
    """Plain text for a right-to-left language: a line that would start left-to-right (a
    brand, a URL, a Latin word first) gets a RIGHT-TO-LEFT MARK, so that a plain-text reader
    lays it out right to left with its punctuation where the writer put it."""
    return "\n".join(RLM + line if _first_strong(line) == "L" else line
                     for line in text.split("\n"))


def name(tag: str | None) -> str:
    """The English name of the language and its tag, for messages: "German (de)"."""
    return f"{language_name(tag)} ({tag})"

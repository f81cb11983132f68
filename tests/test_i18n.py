"""Issue 16: emails that speak the article's language from greeting to footer.

The catalogs (complete, compiled, current), the theme in German, French and Arabic with no
English word of its own left, dates and numbers by locale, a project's own catalog, the
warning for a language without one, the page's `<html lang>`, quotes, the text part of a
right-to-left email, `Content-Language`, and `dripmail init --language de`.
(The Arabic email in Chromium: tests/test_languages_browser.py. The German reading score's
Amstad formula: tests/test_checks_languages.py.)
"""

from __future__ import annotations

import email
import gettext
import io
import re
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

import lxml.html
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from dripmail import i18n, languages
from dripmail.cli import cli
from dripmail.errors import ConfigError
from dripmail.newsletter.issue import build_newsletter
from dripmail.pipeline.build import build
from dripmail.pipeline.project import render_project
from dripmail.preview.sample import filler
from tests.conftest import write

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "dripmail" / "locales"
POT = LOCALES / "dripmail.pot"
FIXTURES = Path(__file__).parent / "data" / "languages"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
SETTINGS = '''brand = "Harbor Counseling"
sender_name = "Maya Ellis"
sender_email = "maya@example.com"
postal_address = "12 Harbor Street, Portland"
unsubscribe_url = "https://example.com/unsubscribe"
view_in_browser_url = "https://example.com/web"
preferences_url = "https://example.com/prefs"
words_per_email = 120
min_words = 60
max_words = 200
smart_quotes = true
base_url = "https://example.com/blog/"
[cta]
text = "Book a consultation"
url = "https://example.com/book"
soft_text = "Read it on the blog"
soft_url = "https://example.com/blog/whole"
'''


# ---- the catalogs ---------------------------------------------------------------------------

def _messages(catalog) -> dict:
    """msgid (or (singular, plural)) -> msgstr of a Babel catalog, the header left out."""
    return {m.id: m.string for m in catalog if m.id}


def _extracted() -> dict:
    """What pybabel extracts from the templates and dripmail/i18n.py now (babel.cfg)."""
    from babel.messages.frontend import CommandLineInterface

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        here = Path.cwd()
        try:
            import os

            os.chdir(ROOT)
            CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k",
                                        "N_", "-c", "Translators:", "-o", str(out), "."])
        finally:
            os.chdir(here)
        with out.open("rb") as f:
            return _messages(read_po(f))


def _compiled(po_path: Path) -> dict:
    """The messages of a .po file as its compiled .mo holds them."""
    with po_path.open("rb") as f:
        buf = io.BytesIO()
        write_mo(buf, read_po(f))
    buf.seek(0)
    return gettext.GNUTranslations(buf)._catalog


def problems() -> list[str]:
    """Everything that is not current: the template against the sources, each catalog against
    the template (every message translated, placeholders kept), each .mo against its .po.
    (scripts/i18n.py --check prints these.)"""
    found = []
    with POT.open("rb") as f:
        template = _messages(read_po(f))
    if set(_extracted()) != set(template):
        found.append(f"{POT}: not current with the templates; run python scripts/i18n.py")
    for code in i18n.SHIPPED:
        po = LOCALES / code / "LC_MESSAGES" / "dripmail.po"
        mo = po.with_suffix(".mo")
        if not po.is_file() or not mo.is_file():
            found.append(f"{code}: no catalog (.po and .mo)")
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        messages = _messages(catalog)
        if set(messages) != set(template):
            found.append(f"{po}: not updated from the template; run python scripts/i18n.py")
        for message in catalog:
            if message.id and code != "en":
                found += _translation_problems(code, message)
        with mo.open("rb") as f:
            if gettext.GNUTranslations(f)._catalog != _compiled(po):
                found.append(f"{mo}: not compiled from its .po; run python scripts/i18n.py")
    return found


def _translation_problems(code: str, message) -> list[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy or not all(strings):
        return [f"{code}: {ids[0]!r} is not translated"]
    wanted = set(PLACEHOLDER.findall(ids[-1]))
    return [f"{code}: {ids[0]!r}: the translation {s!r} does not keep {sorted(wanted)}"
            for s in strings if set(PLACEHOLDER.findall(s)) - wanted or (
                wanted - {"%(num)s"} - set(PLACEHOLDER.findall(s)))]


def test_catalogs_are_complete_compiled_and_current() -> None:
    assert problems() == []


def test_every_language_with_writing_rules_has_a_catalog() -> None:
    assert set(i18n.SHIPPED) == set(languages.LANGUAGES)


def test_the_i18n_script_checks_and_is_quiet_when_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("code", i18n.SHIPPED)
def test_each_greeting_reads_with_and_without_a_name(code: str) -> None:
    catalog = i18n.catalog(code)
    with_name, without = catalog.gettext("Hi %(name)s,"), catalog.gettext("Hi there,")
    g = i18n.greeting(with_name, without)
    assert f"{g.before}{g.glue}Sam{g.after}" == with_name.replace("%(name)s", "Sam")
    assert f"{g.before}{g.fallback}{g.after}" == without  # no "Hallo ," and no "there"
    assert bool(g.fallback) != bool(g.glue)
    if code == "de":
        assert (without, g.glue) == ("Hallo,", " ")


# ---- the theme in German, French and Arabic ------------------------------------------------

def _theme_words(code: str) -> set[str]:
    """The English words of the theme (its msgids), but those the language writes the same
    ("Newsletter" in German, "HTML")."""
    with POT.open("rb") as f:
        english = {w.lower() for m in read_po(f) if m.id
                   for text in (m.id if isinstance(m.id, tuple) else (m.id,))
                   for w in re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", text))}
    with (LOCALES / code / "LC_MESSAGES" / "dripmail.po").open("rb") as f:
        own = {w.lower() for m in read_po(f) if m.id
               for text in (m.string if isinstance(m.string, tuple) else (m.string,))
               for w in re.findall(r"\w{2,}", text)}
    return english - own


def _shown(html: str, text: str, seq) -> tuple[str, str]:
    """The HTML part's visible text and the text part, merge tags filled for a reader as the
    preview shows them, URLs left out."""
    tree = lxml.html.document_fromstring(filler(seq.settings, as_html=True).fill(html))
    for el in tree.xpath("//style|//head|//*[contains(@class, 'preheader')]"):
        el.drop_tree()
    url = re.compile(r"https?://\S+")
    return (url.sub(" ", tree.text_content()),
            url.sub(" ", filler(seq.settings, as_html=False).fill(text)))


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w{2,}", text)}


def _not_theirs(text: str, source: Path) -> set[str]:
    """The words of a part that are neither the article's nor the user's settings'."""
    theirs = _words(source.read_text(encoding="utf-8")) | _words(SETTINGS) | _words(
        (ROOT / "dripmail" / "init.py").read_text(encoding="utf-8")) | {"sam"}
    return _words(text) - theirs


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A German project (`dripmail init --language de`: its own sample article), and a French
    and an Arabic article (front matter `lang`) in another."""
    root = tmp_path_factory.mktemp("languages")
    result = CliRunner().invoke(cli, ["init", "--language", "de", str(root / "de")])
    assert result.exit_code == 0, result.output
    many = root / "many"
    write(many / "dripmail.toml", SETTINGS)
    for code in ("fr", "ar"):
        write(many / "sequences" / f"{code}.md", (FIXTURES / f"{code}.md").read_text("utf-8"))
    return {"de": root / "de", "many": many}


@pytest.fixture(scope="module")
def built(projects: dict[str, Path]) -> dict[str, object]:
    """Each language's sequence, built as a user builds it."""
    out = {}
    for project in projects.values():
        result = build(project)
        assert not result.refused and not [w for w in result.warnings if "translation" in w]
        for seq in result.sequences:
            out[seq.settings.language] = seq
    return out


def _source(seq) -> Path:
    return seq.source


@pytest.mark.parametrize("code", ["de", "fr", "ar"])
def test_no_english_word_of_the_theme_is_left(code: str, built: dict) -> None:
    seq = built[code]
    english = _theme_words(code)
    assert len(seq.emails) >= 3  # a recap, a teaser, a button and a P.S. are all there
    for e in seq.emails:
        html, text = _shown(e.html, e.text, seq)
        for part in (html, text):
            left = _not_theirs(part, _source(seq)) & english
            assert not left, (code, e.position, sorted(left))


EXPECTED = {
    "de": ["Teil 1 von", "Hallo Sam,", "Beim nächsten Mal:", "Herzliche Grüße", "Abmelden",
           "Einstellungen ändern"],
    "fr": ["Partie 1 sur 4", "Bonjour Sam,", "La prochaine fois\u00a0:", "Bien chaleureusement,",
           "Se désabonner", "Voir dans le navigateur"],
    "ar": ["الجزء 1 من 3", "مرحبًا Sam،", "في المرة القادمة:", "مع أطيب التحيات،", "إلغاء الاشتراك"],
}


@pytest.mark.parametrize("code", ["de", "fr", "ar"])
def test_the_theme_speaks_the_language(code: str, built: dict) -> None:
    seq = built[code]
    first = seq.emails[0]
    html, text = _shown(first.html, first.text, seq)
    for said in EXPECTED[code][:4]:
        assert said in " ".join(html.split()) or said in html, said
        assert said in text, said
    assert EXPECTED[code][4] in html and EXPECTED[code][4] in text
    last = seq.emails[-1]
    assert ("PS:" if code == "de" else "P.-S." if code == "fr" else "ملاحظة:") in last.text
    assert f'lang="{code}"' in first.html


def test_a_reader_without_a_name_is_greeted_as_the_language_does(built: dict) -> None:
    import dataclasses

    seq = built["de"]
    unnamed = dataclasses.replace(seq.settings, extra={"preview": {"first_name": ""}})
    assert "Hallo,\n" in filler(unnamed, as_html=False).fill(seq.emails[0].text)
    assert ">Hallo,</p>" in filler(unnamed, as_html=True).fill(seq.emails[0].html)


def test_the_french_quotes_and_colons_are_french(built: dict) -> None:
    text = "\n".join(e.text for e in built["fr"].emails)
    assert "«\u202foui\u202f»" in text  # smart_quotes: "oui" in the language's marks
    assert "La dernière fois\u00a0:" in text


def test_the_arabic_text_part_runs_right_to_left(built: dict) -> None:
    text = built["ar"].emails[1].text
    lines = text.split("\n")
    assert lines[0] == "\u200fHarbor Counseling · الجزء 2 من 3"  # starts left to right: marked
    assert "\u200fMaya Ellis" in lines
    assert not any(line.startswith("\u200f") and not re.match(r"\u200f[A-Za-z0-9]", line)
                   for line in lines)  # only lines that would start left to right
    assert 'dir="rtl"' in built["ar"].emails[1].html


def test_content_language_in_every_eml(projects: dict[str, Path], built: dict) -> None:
    for code, seq in built.items():
        folder = (projects["de"] if code == "de" else projects["many"]) / "build" / seq.slug
        for path in sorted(folder.glob("*.eml")):
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            assert msg["Content-Language"] == code


def test_the_preview_page_speaks_the_project_language(projects: dict[str, Path]) -> None:
    page = (projects["de"] / "build" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    for said in ("dripmail-Vorschau", "4 E-Mails", "Betreff", "Vorschautext", "Tag 0"):
        assert said in page, said
    mixed = (projects["many"] / "build" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in mixed and "Subject" in mixed  # fr and ar: the project's


def test_the_german_sample_project_is_german(projects: dict[str, Path]) -> None:
    toml = (projects["de"] / "dripmail.toml").read_text(encoding="utf-8")
    assert 'language = "de"' in toml and "# Sprache der E-Mails" in toml
    assert "Herzliche Grüße" in toml
    article, = (projects["de"] / "sequences").glob("*.txt")
    assert article.read_text(encoding="utf-8").startswith("Wenn der Kopf nachts")
    assert "Einzelne Texte des Themes" in (projects["de"] / "templates" / "README.md"
                                          ).read_text(encoding="utf-8")


def test_init_in_another_language_says_the_sample_is_english(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--language", "fr", str(tmp_path / "p")])
    assert result.exit_code == 0
    assert "Note: dripmail has sample projects in English and German only" in result.output
    assert 'language = "fr"' in (tmp_path / "p" / "dripmail.toml").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["init", "--language", "deutsch!", str(tmp_path / "q")])
    assert bad.exit_code == 2 and "must be a language tag" in bad.output


# ---- dates and numbers ---------------------------------------------------------------------

@pytest.mark.parametrize(("code", "written"), [
    ("en", "28 November 2025"), ("en-US", "November 28, 2025"), ("de", "28. November 2025"),
    ("fr", "28 novembre 2025"), ("es", "28 de noviembre de 2025"), ("ar", "28 نوفمبر 2025"),
    ("he", "28 בנובמבר 2025"), ("pl", "28 listopada 2025")])
def test_dates_read_as_the_locale_writes_them(code: str, written: str) -> None:
    import datetime as dt

    assert i18n.date(dt.date(2025, 11, 28), code) == written


def test_numbers_and_lists_by_locale() -> None:
    assert (i18n.number(1234.5, "de"), i18n.number(1234.5, "en"), i18n.number(7, "fr")) == \
        ("1.234,5", "1234.5", "7")
    assert i18n.join(["A", "B", "C"], "en") == "A, B and C"
    assert i18n.join(["A", "B", "C"], "de") == "A, B und C"
    assert i18n.join(["A", "B"], "fr") == "A et B"


@pytest.mark.parametrize(("code", "date", "issue"), [
    ("de", "28. November 2025", "Ausgabe 12"), ("fr", "28 novembre 2025", "Numéro 12"),
    ("ar", "28 نوفمبر 2025", "العدد 12")])
def test_a_digest_in_the_language_with_its_date(tmp_path: Path, code: str, date: str,
                                                issue: str) -> None:
    write(tmp_path / "dripmail.toml",
          SETTINGS.replace("smart_quotes", f'language = "{code}"\nsmart_quotes'))
    for name in ("one", "two"):
        write(tmp_path / "sequences" / f"{name}.md",
              f"# {name.title()}\n\n" + (FIXTURES / "fr.md").read_text(encoding="utf-8"
                                                                         ).split("---\n")[2])
    result = build_newsletter(tmp_path, [tmp_path / "sequences" / "one.md",
                                         tmp_path / "sequences" / "two.md"],
                              {"date": "2025-11-28", "issue": 12}, out_dir=tmp_path / "out")
    seq, = result.sequences
    html, text = seq.emails[0].html, seq.emails[0].text
    assert date in html and date in text and issue in html and issue in text
    english = _theme_words(code)
    for part in _shown(html, text, seq):
        left = _words(part) - _words(SETTINGS) - _words((FIXTURES / "fr.md").read_text(
            encoding="utf-8")) - {"sam", "one", "two"}
        assert not left & english, sorted(left & english)
    manifest = (tmp_path / "out" / seq.slug / "manifest.json").read_text(encoding="utf-8")
    assert "28. November" not in manifest  # the files a machine reads are not localised


def test_schedule_csv_is_not_localised(projects: dict[str, Path], built: dict) -> None:
    rows = (projects["de"] / "build" / built["de"].slug / "schedule.csv").read_text(
        encoding="utf-8").splitlines()
    assert rows[0] == "position,day,subject,preheader,file"  # the columns a machine reads
    assert [r.split(",")[:2] for r in rows[1:]] == [["1", "0"], ["2", "2"], ["3", "4"],
                                                    ["4", "6"]]


# ---- a project's own catalog, and a language without one ------------------------------------

OWN_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {code}\\n"

msgid "Warmly,"
msgstr "{warmly}"
'''


def test_a_project_catalog_overrides_one_string(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "de"\npostal_address = "1 Weg"\n')
    write(tmp_path / "sequences" / "a.md", (FIXTURES / "fr.md").read_text(encoding="utf-8")
          .replace("lang: fr", "lang: de"))
    write(tmp_path / "locales" / "de" / "LC_MESSAGES" / "dripmail.po",
          OWN_PO.format(code="de", warmly="Alles Liebe,"))
    rendered = render_project(tmp_path)
    first = rendered.sequences[0].emails[0]
    assert "Alles Liebe," in first.text and "Herzliche Grüße" not in first.text
    assert "Abmelden" in first.text  # the rest: the shipped German catalog
    assert not rendered.warnings or not any("translation" in w for w in rendered.warnings)


def test_project_catalogs_chain_from_the_region_to_the_language(tmp_path: Path) -> None:
    """`pt-BR` reads a project's `pt_BR` catalog, then its `pt` one, then the shipped ones."""
    for code, text in (("pt_BR", "Beijos,"), ("pt", "Abraços,")):
        write(tmp_path / "locales" / code / "LC_MESSAGES" / "dripmail.po", OWN_PO.format(
            code=code, warmly=text).replace('msgid "Warmly,"', 'msgid "Warmly,"' if code == "pt"
                                            else 'msgid "Part %(n)s of %(total)s: %(subject)s"'
                                            ).replace('msgstr "Beijos,"',
                                                      'msgstr "Parte %(n)s: %(subject)s"'))
    both = i18n.catalog("pt-BR", tmp_path)
    assert both.gettext("Warmly,") == "Abraços,"  # from the project's pt catalog
    assert both.gettext(i18n.NO_PROSE) == "Parte %(n)s: %(subject)s"  # its pt_BR one
    assert both.gettext("Unsubscribe") == i18n.catalog("pt-BR").gettext("Unsubscribe")


def test_a_project_catalog_reaches_the_strings_python_writes(tmp_path: Path) -> None:
    """The preview text of an email without prose and the labels added to a project footer
    that leaves out the unsubscribe link come from the project's catalog too."""
    write(tmp_path / "dripmail.toml", 'language = "de"\nmin_words = 1\nwords_per_email = 50\n'
          'provider = "mailchimp"\n')  # Mailchimp requires its unsubscribe tag
    write(tmp_path / "sequences" / "a.md", "# Befehle\n\n" + "Ein kurzer Satz zum Lesen. " * 12
          + "\n\n## Beispiel\n\n```\n" + "make install\n" * 30 + "```\n")
    write(tmp_path / "templates" / "footer.txt", "--\n{{ settings.brand }}\n")
    write(tmp_path / "locales" / "de" / "LC_MESSAGES" / "dripmail.po", OWN_PO.format(
        code="de", warmly="Alles Liebe,") + '\nmsgid "Part %(n)s of %(total)s: %(subject)s"\n'
        'msgstr "Brief %(n)s: %(subject)s"\n\nmsgid "Unsubscribe"\nmsgstr "Austragen"\n')
    seq, = render_project(tmp_path, (), {"emails": 2}).sequences
    assert seq.emails[1].preheader == "Brief 2: Beispiel"
    assert "Austragen: " in seq.emails[0].text and "Abmelden" not in seq.emails[0].text


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("he-IL", "rtl"), ("fa", "rtl"), ("ckb", "rtl"), ("az-Arab", "rtl"),
    ("ku", "ltr"), ("az", "ltr"), ("de-AT", "ltr"), ("xx", "ltr")])
def test_the_direction_follows_cldr_with_the_script(tag: str, direction: str) -> None:
    from dripmail.settings.load import merge

    assert merge({"language": tag}).direction == direction


def test_locales_by_the_whole_tag() -> None:
    """Scripts and numeric regions count: Serbian in Latin letters, Latin-American Spanish."""
    import datetime as dt

    assert i18n.date(dt.date(2025, 11, 28), "sr-Latn") == "28. novembar 2025."
    assert (i18n.number(1234.5, "es-419"), i18n.number(1234.5, "es")) == ("1,234.5", "1.234,5")
    assert i18n.catalog_codes("sr-Latn-RS") == ["sr_Latn_RS", "sr_Latn", "sr_RS", "sr"]


def test_environments_are_not_kept_after_a_reset(tmp_path: Path) -> None:
    import gc
    import weakref

    from dripmail.rendering import theme

    env = theme.for_project(tmp_path, "de")
    gone = weakref.ref(env)
    del env
    theme.reset()
    gc.collect()
    assert gone() is None  # the preview resets before every rebuild


def test_a_project_greeting_without_the_name_is_one_error_line(tmp_path: Path) -> None:
    write(tmp_path / "locales" / "de" / "LC_MESSAGES" / "dripmail.po", OWN_PO.format(
        code="de", warmly="Alles Liebe,") + '\nmsgid "Hi %(name)s,"\nmsgstr "Hallo,"\n')
    with pytest.raises(ConfigError) as err:
        i18n.catalog("de", tmp_path)
    assert "dripmail.po:9: the translation of “Hi %(name)s,” has no “%(name)s”" in str(err.value)


def test_a_language_without_a_catalog_warns_once(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "ja"\npostal_address = "1 Road"\n')
    for name in ("a", "b"):
        write(tmp_path / "sequences" / f"{name}.md", (FIXTURES / "fr.md").read_text(
            encoding="utf-8").replace("lang: fr\n", ""))
    result = build(tmp_path)
    about = [w for w in result.warnings if "translation" in w]
    assert about == [about[0]] and about[0].startswith("Japanese (ja): dripmail has no "
                                                       "translation of its theme")
    assert "locales/ja/LC_MESSAGES/dripmail.po" in about[0]
    assert "Hi Sam," in filler(result.sequences[0].settings, as_html=False).fill(
        result.sequences[0].emails[0].text)  # English, as the warning says


def test_a_partial_project_catalog_names_what_is_missing(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "ja"\npostal_address = "1 Road"\n')
    write(tmp_path / "sequences" / "a.md", "# A\n\n" + "Some words here. " * 80)
    write(tmp_path / "locales" / "ja" / "LC_MESSAGES" / "dripmail.po",
          OWN_PO.format(code="ja", warmly="敬具"))
    rendered = render_project(tmp_path)
    about = [w for w in rendered.warnings if "translation" in w]
    assert len(about) == 1 and re.match(r"Japanese \(ja\): \d+ theme strings have no "
                                        r"translation and stay in English: “", about[0])
    assert "“Warmly,”" not in about[0] and "敬具" in rendered.sequences[0].emails[0].text


def test_a_broken_project_catalog_is_one_line(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "dripmail.toml", 'language = "de"\n')
    write(tmp_path / "sequences" / "a.md", "# A\n\n" + "Ein paar Worte. " * 60)
    catalog = write(tmp_path / "locales" / "de" / "LC_MESSAGES" / "dripmail.po",
                    "garbage here\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line, = [x for x in result.output.splitlines() if "dripmail.po" in x]
    assert line.startswith("Error: ") and "cannot read this gettext catalog" in line
    catalog.write_text(OWN_PO.format(code="de", warmly="Alles Liebe, %(nme)s"), "utf-8")
    result = CliRunner().invoke(cli, ["build"])
    line, = [x for x in result.output.splitlines() if "dripmail.po" in x]
    assert result.exit_code == 1 and re.search(
        r"dripmail\.po:6: the translation of “Warmly,” uses “%\(nme\)s”, which the theme does "
        r"not give it; use no placeholder", line), result.output


# ---- the language from the page, and the writing rules ------------------------------------

def test_an_html_pages_lang_sets_the_language(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'postal_address = "1 Road"\n')
    body = "".join(f"<p>{s}</p>" for s in (FIXTURES / "fr.md").read_text(
        encoding="utf-8").split("---\n")[2].split("\n\n")[1:6])
    write(tmp_path / "sequences" / "page.html",
          f'<!DOCTYPE html><html lang="fr-CA"><head><title>Dire non</title></head>'
          f"<body><article><h1>Dire non</h1>{body}</article></body></html>")
    write(tmp_path / "sequences" / "own.html",
          '---\nlang: es\n---\n<html lang="fr"><body><h1>Hola</h1>'
          + "<p>Una frase corta para leer.</p>" * 30 + "</body></html>")
    seqs = {s.slug: s for s in render_project(tmp_path).sequences}
    assert seqs["page"].settings.language == "fr-CA"
    assert "Se désabonner" in seqs["page"].emails[0].text
    assert seqs["own"].settings.language == "es"  # front matter wins over the page


def test_an_email_without_prose_is_previewed_in_its_language(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "de"\nmin_words = 1\nwords_per_email = 50\n')
    write(tmp_path / "sequences" / "a.md", "# Befehle\n\n" + "Ein kurzer Satz zum Lesen. " * 12
          + "\n\n## Beispiel\n\n```\n" + "make install\n" * 30 + "```\n")
    seq, = render_project(tmp_path, (), {"emails": 2}).sequences
    assert seq.emails[1].preheader == "Teil 2 von 2: Beispiel"


def test_a_project_template_can_use_trans_blocks(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "fr"\n')
    write(tmp_path / "templates" / "signoff.txt",
          "{% trans %}Warmly,{% endtrans %}\n{{ settings.sender_name }}\n")
    write(tmp_path / "sequences" / "a.md", "# A\n\n" + "Une phrase assez courte. " * 40)
    seq, = render_project(tmp_path).sequences
    assert "Bien chaleureusement,\nYour Name" in seq.emails[0].text


def test_the_preview_page_of_an_arabic_project_runs_right_to_left(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'language = "ar"\n')
    write(tmp_path / "sequences" / "ar.md", (FIXTURES / "ar.md").read_text("utf-8"))
    build(tmp_path)
    page = (tmp_path / "build" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "text-align: right" in page
    assert "الموضوع" in page and "Subject" not in page


def test_german_cuts_do_not_end_on_german_function_words() -> None:
    from dripmail.planning.names import shorten
    from dripmail.planning.preheader import clip
    from dripmail.planning.words import for_language

    de = for_language("de")
    cut = shorten("Warum das Grübeln gerade nachts so laut wird und was dagegen wirklich hilft",
                  52, keep=40, words=de)
    assert cut.split()[-1].casefold() not in de.dangling and len(cut) <= 52
    text = clip("Sie müssen nicht warten, bis alles geklärt ist, um mit den ersten Schritten "
                "zu beginnen und um", 60, words=de)
    assert text.endswith("…") and text[:-1].split()[-1].casefold() not in de.dangling


def test_planning_reads_the_one_store_of_words() -> None:
    from dripmail.planning import words

    assert not (ROOT / "dripmail" / "planning" / "words").exists()  # no second store
    for code, lang in languages.LANGUAGES.items():
        mine = words.for_language(code)
        assert mine.dangling == lang.function_words and mine.generic == lang.generic_headings
        assert lang.stop <= mine.stop and lang.function_words <= mine.stop
    assert words.for_language("ja").dangling == languages.EN.function_words


@pytest.mark.parametrize(("code", "said"), [
    ("en", "“yes”"), ("de", "„ja“"), ("fr", "«\u202foui\u202f»"), ("es", "«sí»"),
    ("de-CH", "«ja»"), ("pl", "„tak”")])
def test_smart_quotes_in_the_languages_style(code: str, said: str) -> None:
    from dripmail.models import Settings, Source
    from dripmail.reading.from_markdown import convert

    word = re.sub(r"[^\w]", "", said)
    html = convert(f'She said "{word}" and it\'s fine.',
                   Source(Path("a.md"), "md", ""), Settings(smart_quotes=True, language=code))
    import html as htmlmod

    assert said in htmlmod.unescape(html) and "it’s" in htmlmod.unescape(html)


# ---- plain-text headings without English title case ----------------------------------------

def _levels(text: str) -> dict[str, int]:
    from dripmail.reading.textheadings import classify

    lines = text.split("\n")
    return {lines[i]: level for i, level in classify(lines).items() if level > 0}


def test_headings_in_scripts_without_capitals() -> None:
    body = (FIXTURES / "ar.md").read_text(encoding="utf-8").split("---\n")[2]
    text = "\n".join(re.sub(r"^(#+|>) ", "", line) for line in body.split("\n") if line.strip())
    found = _levels(text)
    assert set(found) == {"لماذا نتردد في طلب الدعم؟", "مثال من العيادة", "خطوات صغيرة للبدء",
                          "في الختام"}
    hebrew = ("מבוא קצר\n\nשורה ראשונה של הטקסט, ארוכה מספיק כדי להיות פסקה של ממש ולא כותרת.\n\n"
              "למה קשה לבקש עזרה\n\nרבים מאיתנו למדו מגיל צעיר שעלינו להסתדר לבד, ושדיבור על "
              "כאב הוא חולשה.\n")
    assert _levels(hebrew) == {"למה קשה לבקש עזרה": 2}


def test_a_german_line_is_wrapped_where_its_next_word_would_not_fit() -> None:
    para = ("Die Forschung zum wiederholten negativen Denken zeigt seit vielen Jahren,\n"
            "dass Grübeln vor allem eines tut: Es hält die Anspannung aufrecht und nimmt\n"
            "Ihnen den Schlaf, den Sie am dringendsten bräuchten, um wieder klar zu\n"
            "denken und den nächsten Tag mit etwas mehr Ruhe und Gelassenheit zu beginnen.\n")
    text = ("Wenn der Kopf nicht zur Ruhe kommt\n\n" + para + "\n"
            "Eine kleine Unsicherheit wirkt um drei Uhr morgens beinahe\n"
            "Katastrophenähnlich, und am nächsten Morgen ist sie kaum noch der Rede wert,\n"
            "weil das Tageslicht die Dinge wieder in ihre richtige Größe rückt und Ruhe.\n\n"
            + para + "\nWarum das Grübeln nachts so laut wird\n\n" + para)
    # A noun goes on with a capital, but "Katastrophenähnlich," would not have fitted on the
    # line before it: a wrapped paragraph, not a heading; the real heading stays one.
    assert _levels(text) == {"Warum das Grübeln nachts so laut wird": 2}

"""`dripmail init`: a new project with commented settings and the sample article, in English
or (`--language de`) in German; another language gets the English project with its
`language` set."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from dripmail.errors import DripmailError
from dripmail.languages import primary

SAMPLE = "when-your-partner-isnt-ready.txt"
SAMPLE_DE = "wenn-der-kopf-nachts-nicht-zur-ruhe-kommt.txt"  # in dripmail/data/samples/

SETTINGS = '''\
# dripmail settings. Every key is optional; front matter in an article overrides them for that
# article, and command-line options override both. Reference: README.md, "Configuration".

brand = "Harbor Counseling"                # shown in the header and footer
sender_name = "Dr. Maya Ellis"
sender_email = "maya@example.com"
postal_address = "123 Harbor Street, Suite 4, Portland, OR 97201, USA"  # required by CAN-SPAM
language = "en"                            # the theme's words, dates and rules (see Languages)
reason = "You are receiving this because you signed up for the Harbor Counseling email course."
signature = "Warmly,\\nMaya"                # the sign-off; by default "Warmly," and sender_name

provider = "generic"                       # merge-tag dialect: generic, mailchimp, kit, ...
emails = "auto"                            # or a number
words_per_email = 200                      # target length; cuts prefer section headings
min_words = 120
max_words = 350
schedule = "auto"                          # or day offsets such as [0, 1, 3, 5, 7]
spacing = 2                                # days between emails when schedule = "auto"
subject_prefix = ""                        # e.g. "Couples course: "
base_url = "https://example.com/blog/"     # relative links resolve here; + slug = the article
smart_quotes = false                       # Markdown only: turn "straight" into “curly” quotes
# unsubscribe_url = "https://example.com/unsubscribe"   # literal link for the generic provider

[cta]
text = "Book a free consultation"          # the main call to action, in the last email
url = "https://example.com/book"
soft_text = "Read the whole article on the blog"   # a gentler link in the middle emails
soft_url = "https://example.com/blog/when-your-partner-isnt-ready"

[utm]                                      # added to web links; {slug} = the sequence slug
# source = "newsletter"
# medium = "email"
# campaign = "{slug}"

[newsletter]                               # `dripmail newsletter`: one article, or a digest
# title = "November notes"
# intro = "A few things I wrote this month."
# excerpt_words = 80
# utm_source = "newsletter"

[preview]                                  # `dripmail preview` fills merge tags for this reader
# first_name = "Sam"
# email = "sam@example.com"
'''

SETTINGS_DE = '''\
# Einstellungen für dripmail. Jeder Eintrag ist optional: Angaben im Kopf eines Artikels (Front
# Matter) gelten vor diesen, Optionen auf der Kommandozeile vor beiden. Alles Weitere steht in
# der README unter „Configuration“ und „Languages“.

brand = "Praxis am Lindenhof"              # erscheint im Kopf und in der Fußzeile jeder E-Mail
sender_name = "Dr. Anna Berger"
sender_email = "anna@example.com"
postal_address = "Lindenstraße 12, 10969 Berlin"  # Pflichtangabe (Impressum, CAN-SPAM)
language = "de"                            # Sprache der E-Mails: Texte, Datum, Anführungszeichen
reason = "Sie erhalten diese E-Mail, weil Sie sich für unseren E-Mail-Kurs angemeldet haben."
signature = "Herzliche Grüße\\nAnna Berger"  # der Gruß am Schluss; leer: „Herzliche Grüße“ + Name

provider = "generic"                       # Platzhalter-Syntax: generic, mailchimp, kit, brevo, ...
emails = "auto"                            # oder eine feste Anzahl E-Mails
words_per_email = 200                      # Ziellänge je E-Mail; geschnitten wird an Überschriften
min_words = 120
max_words = 350
schedule = "auto"                          # oder Versandtage, z. B. [0, 1, 3, 5, 7]
spacing = 2                                # Tage zwischen zwei E-Mails bei schedule = "auto"
subject_prefix = ""                        # z. B. "Besser schlafen: "
base_url = "https://example.com/blog/"     # relative Links zeigen hierhin; + Slug = der Artikel
smart_quotes = false                       # nur Markdown: "gerade" werden zu „deutschen“
# unsubscribe_url = "https://example.com/abmelden"   # fester Abmeldelink für den Anbieter generic

[cta]
text = "Kostenloses Erstgespräch vereinbaren"   # der Aufruf zum Handeln in der letzten E-Mail
url = "https://example.com/termin"
soft_text = "Den ganzen Artikel im Blog lesen"   # ein leiser Hinweis als PS in der letzten E-Mail
soft_url = "https://example.com/blog/wenn-der-kopf-nachts-nicht-zur-ruhe-kommt"

[utm]                                      # wird an Web-Links gehängt; {slug} = Slug der Serie
# source = "newsletter"
# medium = "email"
# campaign = "{slug}"

[newsletter]                               # `dripmail newsletter`: ein Artikel oder eine Übersicht
# title = "Neues aus der Praxis"
# intro = "Ein paar Gedanken aus diesem Monat."
# excerpt_words = 80
# utm_source = "newsletter"

[preview]                                  # `dripmail preview` füllt Platzhalter für diese Leserin
# first_name = "Lena"
# email = "lena@example.com"
'''

TEMPLATES_NOTE = '''\
# Overriding the theme

dripmail renders every email with its built-in Jinja theme. To change a file, copy it here
under the same name (for example `email.html`, `base.html`, `footer.html`, `styles.css`, or
`email.txt`) and edit it; files you don't copy keep coming from the built-in theme.
Find the built-in files with:

    python -c "from dripmail.rendering.theme import builtin_dir; print(builtin_dir())"
'''


TEMPLATES_NOTE_DE = '''\
# Das Aussehen anpassen

dripmail gestaltet jede E-Mail mit seinem eingebauten Jinja-Theme. Um eine Datei zu ändern,
kopieren Sie sie unter demselben Namen hierher (zum Beispiel `email.html`, `base.html`,
`footer.html`, `styles.css` oder `email.txt`) und bearbeiten sie; alle anderen Dateien kommen
weiter aus dem eingebauten Theme. Einzelne Texte des Themes (etwa „Herzliche Grüße“) ändern Sie
einfacher in `locales/de/LC_MESSAGES/dripmail.po` (siehe README, „Languages“).
Die eingebauten Dateien finden Sie mit:

    python -c "from dripmail.rendering.theme import builtin_dir; print(builtin_dir())"
'''


@dataclass(frozen=True, slots=True)
class Starter:
    """What `dripmail init` writes for one language."""

    settings: str
    templates_note: str
    sample: str  # the sample article's file name
    note: str = ""  # said after the project is made


def starter(language: str = "en") -> Starter:
    """The project for `language`: German, or English (with `language` set to another tag)."""
    code = primary(language) or "en"
    if code == "de":
        return Starter(SETTINGS_DE.replace('language = "de"', f'language = "{language}"'),
                       TEMPLATES_NOTE_DE, SAMPLE_DE)
    if code == "en":
        return Starter(SETTINGS.replace('language = "en"', f'language = "{language}"'),
                       TEMPLATES_NOTE, SAMPLE)
    return Starter(SETTINGS.replace('language = "en"', f'language = "{language}"'),
                   TEMPLATES_NOTE, SAMPLE,
                   note=f"dripmail has sample projects in English and German only: the sample "
                        f"article is in English, and the emails speak {language} (their "
                        "theme's words, dates and writing rules)")


def sample_article(name: str = SAMPLE) -> Path:
    """A bundled sample article (in the wheel, or the checkout's sequences/)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "example", here.parent / "sequences", here / "data" / "samples"):
        if (folder / name).is_file():
            return folder / name
    raise DripmailError(f"the sample article {name} is missing from the installation; "
                        "reinstall dripmail")


def init_project(directory: Path, language: str = "en") -> list[Path]:
    """Create the project files in `directory` (in `language`); never overwrite a file."""
    start = starter(language)
    files = {
        directory / "dripmail.toml": start.settings,
        directory / "templates" / "README.md": start.templates_note,
    }
    article = directory / "sequences" / start.sample
    try:
        existing = [p for p in [*files, article] if p.exists()]
        if existing:
            raise DripmailError(f"{existing[0]} already exists; dripmail init never overwrites "
                                "files. Choose an empty folder")
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        article.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_article(start.sample), article)
    except OSError as exc:
        raise DripmailError(f"cannot create the project: {exc.strerror or exc}; choose a folder "
                            "you can write to", path=exc.filename or directory) from exc
    return [*files, article]

"""`dripmail init`: a new project with commented settings and the sample article."""

from __future__ import annotations

import shutil
from pathlib import Path

from dripmail.errors import DripmailError

SAMPLE = "when-your-partner-isnt-ready.txt"

SETTINGS = '''\
# dripmail settings. Every key is optional; front matter in an article overrides them for that
# article, and command-line options override both. Reference: README.md, "Configuration".

brand = "Harbor Counseling"                # shown in the header and footer
sender_name = "Dr. Maya Ellis"
sender_email = "maya@example.com"
postal_address = "123 Harbor Street, Suite 4, Portland, OR 97201, USA"  # required by CAN-SPAM
language = "en"                            # lang attribute; rtl languages get dir="rtl"
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

TEMPLATES_NOTE = '''\
# Overriding the theme

dripmail renders every email with its built-in Jinja theme. To change a file, copy it here
under the same name (for example `email.html`, `base.html`, `footer.html`, `styles.css`, or
`email.txt`) and edit it; files you don't copy keep coming from the built-in theme.
Find the built-in files with:

    python -c "from dripmail.rendering.theme import builtin_dir; print(builtin_dir())"
'''


def sample_article() -> Path:
    """The bundled example article (in the wheel, or the checkout's sequences/)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "example", here.parent / "sequences"):
        if (folder / SAMPLE).is_file():
            return folder / SAMPLE
    raise DripmailError(f"the sample article {SAMPLE} is missing from the installation; "
                        "reinstall dripmail")


def init_project(directory: Path) -> list[Path]:
    """Create the project files in `directory`; never overwrite an existing file."""
    files = {
        directory / "dripmail.toml": SETTINGS,
        directory / "templates" / "README.md": TEMPLATES_NOTE,
    }
    article = directory / "sequences" / SAMPLE
    try:
        existing = [p for p in [*files, article] if p.exists()]
        if existing:
            raise DripmailError(f"{existing[0]} already exists; dripmail init never overwrites "
                                "files. Choose an empty folder")
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        article.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_article(), article)
    except OSError as exc:
        raise DripmailError(f"cannot create the project: {exc.strerror or exc}; choose a folder "
                            "you can write to", path=exc.filename or directory) from exc
    return [*files, article]

"""Every setting, declared once: its key, kind, default, where it may be set and one line of doc.

Validation (:mod:`dripmail.settings.load`), the README's tables (:mod:`dripmail.settings.docs`)
and the newsletter's options (:mod:`dripmail.newsletter.options`) all read this module.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dripmail.providers import ALL as PROVIDERS
from dripmail.settings import kinds
from dripmail.settings.kinds import Check


class Where(enum.Flag):
    """Where a setting may be set."""

    TOML = enum.auto()   # dripmail.toml
    FRONT = enum.auto()  # an article's front matter
    CLI = enum.auto()    # an option of the command that reads it (`--emails`)


FILES = Where.TOML | Where.FRONT


@dataclass(frozen=True, slots=True)
class Option:
    """One setting. In a table, `key` is the key inside it (`text` of `[cta]`)."""

    key: str
    check: Check  # value -> what is wrong with it, or None
    default: Any  # as written in a file; None: worked out when it is used (see `doc`)
    where: Where
    doc: str
    field: str = ""  # the Settings field it fills, when not `key`
    convert: Callable[[Any], Any] = kinds.same  # file value -> Settings value
    entries: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None  # (key, problem)

    @property
    def flag(self) -> str:
        """Its command-line option."""
        return f"--{self.key.replace('_', '-')}"


@dataclass(frozen=True, slots=True)
class Table:
    """A table of settings: `[cta]` in dripmail.toml, `cta:` in front matter."""

    name: str
    options: tuple[Option, ...]
    where: Where
    doc: str
    extra: bool = False  # kept whole in Settings.extra[name] for the command that reads it

    def get(self, key: str) -> Option | None:
        """The option `key` of this table, or None."""
        return next((o for o in self.options if o.key == key), None)


def _header(check: Check) -> Check:
    return kinds.one_line(check)  # goes into an email header: one line, no control characters


SETTINGS: tuple[Option, ...] = (
    Option("brand", kinds.text, "My Practice", FILES, "name in the header and footer"),
    Option("sender_name", _header(kinds.text), "Your Name", FILES, "the sender's name (From)"),
    Option("sender_email", kinds.one_line(kinds.text, address=True,
                                          then=kinds.address(named=False)),
           "hello@example.com", FILES, "the sender's address (From), a plain address"),
    Option("reply_to", kinds.one_line(kinds.text, address=True, then=kinds.address(named=True)),
           "", FILES, 'Reply-To: an address, or `"Name <address>"`; none when empty'),
    Option("postal_address", kinds.text, "", FILES,
           "physical address, in every footer (CAN-SPAM)"),
    Option("language", kinds.language, "en", FILES,
           "the emails' language (also `lang`; an HTML page's `<html lang>`): the theme's words, "
           'dates, quotes and writing rules (see Languages); right-to-left languages get '
           '`dir="rtl"`'),
    Option("reason", kinds.text, "", FILES,
           "why the reader gets the email (footer); when empty, “You are receiving this email "
           "because you signed up for this email course.” in the email's language"),
    Option("signature", kinds.text, "", FILES,
           'the sign-off before the footer, one line per line (`"Warmly,\\nMaya"`); when empty, '
           "“Warmly,” (in the email's language) and `sender_name`"),
    Option("provider", kinds.provider, "generic", FILES | Where.CLI,
           "merge-tag dialect and import package: " + ", ".join(PROVIDERS)),
    Option("emails", kinds.emails, "auto", FILES | Where.CLI,
           "number of emails, 1 to 100; `\"auto\"`: from `words_per_email`",
           convert=kinds.auto(None)),
    Option("words_per_email", kinds.whole(50, 5000), 200, FILES,
           "the splitter's target length of an email, in words"),
    Option("min_words", kinds.whole(1, 5000), 120, FILES, "fewest words in an email"),
    Option("max_words", kinds.whole(50, 20000), 350, FILES,
           "most words in an email; a longer section is cut between paragraphs"),
    Option("schedule", kinds.schedule, "auto", FILES,
           "day offsets, such as `[0, 1, 3, 5]`; must start at 0 and never go back",
           convert=kinds.auto(())),
    Option("spacing", kinds.whole(1, 30), 2, FILES,
           'days between emails when `schedule = "auto"`'),
    Option("subject_prefix", _header(kinds.text), "", FILES, "put in front of every subject"),
    Option("base_url", kinds.url, "", FILES, "makes relative links and images absolute"),
    Option("smart_quotes", kinds.boolean, False, FILES, "Markdown only: curly quotes"),
    Option("unsubscribe_url", _header(kinds.url), "", FILES,
           "unsubscribe link, for the `generic` provider (the others use their merge tag)"),
    Option("preferences_url", kinds.url, "", FILES,
           "subscription preferences link, for the `generic` provider"),
    Option("view_in_browser_url", kinds.url, "", FILES,
           "“View in browser” link, for the `generic` provider"),
    Option("utm", kinds.table, {}, FILES,
           'e.g. `source = "newsletter"`, `medium = "email"`, `campaign = "{slug}"`: '
           "added to web links"),
    Option("check", kinds.table, {}, FILES,
           'rule id = `"off"`, `"warning"` or `"error"` (see Checking emails)',
           entries=kinds.check_levels),
    # per article: front matter only
    Option("title", kinds.text, "", Where.FRONT,
           "the article's title; by default its leading `#` heading (a `.txt`'s first line), "
           "else the HTML page's `<title>` or the file name"),
    Option("slug", kinds.slug_or_empty, "", Where.FRONT,
           "the output folder's name (by default from the file name)"),
    Option("url", kinds.url, "", Where.FRONT,
           "the article on the web (also `permalink`, `canonical`): relative links and "
           "`#anchors` point there, and a newsletter's button (by default `base_url` + slug); "
           "a path such as `/blog/post/` is joined to `base_url`"),
    Option("subjects", _header(kinds.text_list), [], Where.FRONT,
           "one subject per email; an empty entry keeps the automatic one",
           convert=kinds.as_tuple),
    Option("preheaders", kinds.text_list, [], Where.FRONT,
           "one preheader per email; an empty entry keeps the automatic one",
           convert=kinds.as_tuple),
    # article metadata, as blog engines write it (ALIASES: the names they give it)
    Option("description", kinds.text, "", Where.FRONT,
           "the article's summary (also `summary`, `excerpt`)"),
    Option("date", kinds.when, "", Where.FRONT,
           "when the article was published (also `pubDate`): a date, or text as written",
           convert=kinds.date_text),
    Option("author", kinds.names, "", Where.FRONT,
           "who wrote it (also `authors`): a name, a list, or author objects with a `name`",
           convert=kinds.names_text),
    Option("image", kinds.image, "", Where.FRONT,
           "the article's cover image (also `cover`, `heroImage`, `images`)",
           convert=kinds.image_url),
    Option("draft", kinds.boolean, False, Where.FRONT,
           "a draft: `dripmail build` skips it and says so (also `published: false`, "
           "`status: draft`)"),
    Option("drafts", kinds.boolean, False, Where.TOML | Where.CLI,
           "build the articles marked as drafts too"),
)

# The names other blog engines give the article metadata above, lower case (`-` read as `_`).
# `published` and `status` say whether it is a draft (dripmail.settings.load.DRAFT_WHEN).
ALIASES: dict[str, str] = {
    "summary": "description", "excerpt": "description",
    "permalink": "url", "canonical": "url", "canonical_url": "url", "canonicalurl": "url",
    "lang": "language",
    "cover": "image", "cover_image": "image", "heroimage": "image", "hero_image": "image",
    "featured_image": "image", "featuredimage": "image", "images": "image",
    "thumbnail": "image", "og_image": "image",
    "pubdate": "date", "pub_date": "date", "published_at": "date", "publishdate": "date",
    "authors": "author",
    "published": "draft", "status": "draft",
}
# Other engines' own keys: ignored (`dripmail build -v` lists them), and never taken for a
# misspelt dripmail setting (`headerimg` is not `preheaders`). Lower case, `-` read as `_`.
FOREIGN: frozenset[str] = frozenset("""
    layout tags categories category weight aliases toc params taxonomies extra lastmod
    modified updated updateddate updated_date last_modified expirydate expiry_date menu menus
    linktitle type series keywords comments share related sitemap private outputs resources
    build cascade headless iscjklanguage markup translationkey translation_of translation
    original_slug redirect_from redirect_to versions shorttitle short_title contenttype
    content_type topics children featured featuredalt featuredpath headerimg headerimage
    header subtitle sidebar sidebar_position sidebar_label sidebar_class_name pagination_label
    pagination_next pagination_prev hide_title hide_table_of_contents custom_edit_url
    displayed_sidebar eleventynavigation eleventyexcludefromcollections eleventycomputed
    templateengineoverride path template page_template sort_by paginate_by
    insert_anchor_links in_search_index render transparent generate_feed math mathjax katex
    mermaid authorurl authorfbid authortwitter author_url author_title author_image_url
    team version number intro learningtracks allowtitletooverflow featuredlinks changelog
    product permissions search hidden order nav_order parent grand_parent has_children
    nav_exclude excerpt_separator image_alt imagealt hero_alt timetoread reading_time
    readingtime disqus disqus_identifier comments_locked css js scripts styles icon
    updateddate herotext created locale
""".split())

CTA = Table("cta", (
    Option("text", kinds.text, "", FILES, "main call to action (a button in the last email)",
           field="cta_text"),
    Option("url", kinds.url, "", FILES, "its link", field="cta_url"),
    Option("soft_text", kinds.text, "", FILES,
           "a quiet link to the whole article: a P.S. in the last email (never mid-course)",
           field="soft_cta_text"),
    Option("soft_url", kinds.url, "", FILES, "its link", field="soft_cta_url"),
), FILES, "calls to action")

NEWSLETTER = Table("newsletter", (
    Option("title", kinds.text, None, FILES | Where.CLI,
           "the issue's title and h1; by default the article's title, or "
           '`"<brand> newsletter"` for a digest'),
    Option("slug", kinds.slug, None, FILES,
           "output folder and `utm_campaign`; by default from the title"),
    Option("subject", kinds.text, None, FILES, "overrides the generated subject"),
    Option("preheader", kinds.text, None, FILES, "overrides the generated preheader"),
    Option("date", kinds.date, None, FILES | Where.CLI, "issue date, YYYY-MM-DD, in the header"),
    Option("issue", kinds.whole(1, 100_000), None, FILES | Where.CLI,
           "issue number, in the header"),
    Option("intro", kinds.text, None, FILES, "introduction (Markdown) after the greeting"),
    Option("excerpt_words", kinds.whole(20, 2000), 80, FILES,
           "excerpt length in a digest, in words (20 to 2000)"),
    Option("button_text", kinds.text, None, FILES,
           "the button under each excerpt; by default “Read the full article” in the issue's "
           "language"),
    Option("utm_source", kinds.text, None, FILES,
           "turns on UTM tags: `utm_source`, `utm_medium=email`, `utm_campaign=<slug>`"),
    Option("reason", kinds.text, None, FILES,
           'the footer line; by default `"You are receiving this email because you subscribed '
           "to the <brand> newsletter.\"` in the issue's language"),
    Option("provider", kinds.provider, None, FILES | Where.CLI,
           "merge-tag dialect; by default the `provider` setting"),
    Option("out", kinds.folder, None, FILES | Where.CLI,
           'output folder inside the project; by default `"build"`'),
), FILES, "`dripmail newsletter` settings (see Newsletters)", extra=True)

PREVIEW = Table("preview", (
    Option("first_name", kinds.text, "Sam", Where.TOML,
           "the sample subscriber's first name, filled into the merge tags"),
    Option("email", kinds.text, "sam@example.com", Where.TOML,
           "the sample subscriber's address"),
), Where.TOML, "`dripmail preview`'s sample subscriber (see Preview)", extra=True)

TABLES: tuple[Table, ...] = (CTA, NEWSLETTER, PREVIEW)

# Front matter's table of dripmail's own settings (`dripmail:`, `[dripmail]` in TOML), for
# names that mean something else to the blog engine (`title`, `slug`, `url`): read strictly.
OWN_TABLE = "dripmail"
OWN_TABLE_DOC = ("dripmail's own settings, where a name means something else to your blog "
                 "engine (such as `slug` or `url`); they win over the same keys outside it")

# Settings fields no one sets: worked out from the others, or the tables kept whole.
INTERNAL = ("direction", "extra")

OPTIONS: dict[str, Option] = {o.key: o for o in SETTINGS}
TABLE: dict[str, Table] = {t.name: t for t in TABLES}
BY_FIELD: dict[str, Option] = {
    **{o.key: o for o in SETTINGS},
    **{o.field: o for t in TABLES if not t.extra for o in t.options},
}

"""Render a newsletter issue: one email holding a whole article, or a digest of excerpts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
from markupsafe import Markup

from dripmail import i18n
from dripmail.limits import SUBJECT_TARGET
from dripmail.models import (
    Article,
    Block,
    Email,
    EmailSequence,
    Loaded,
    RenderedSequence,
    Settings,
    Source,
)
from dripmail.newsletter.excerpt import excerpt, first_image, from_element, shift_headings
from dripmail.planning.plan import clip, preheader, shorten
from dripmail.planning.words import for_language
from dripmail.reading.article import add_utm, parse_article
from dripmail.rendering import theme
from dripmail.rendering.compose import content_html, filler, links, render_pair, signature
from dripmail.slug import slugify


@dataclass(frozen=True, slots=True)
class IssuePlan:
    """What an issue is made from, before anything is rendered (picklable)."""

    articles: tuple[Loaded, ...]
    options: Mapping[str, Any]
    settings: Settings  # the issue's own settings (provider, UTM, reason line)
    slug: str
    date: dt.date | None = None

    @property
    def digest(self) -> bool:
        """Several articles: a digest of excerpts, not one whole article."""
        return len(self.articles) > 1


@dataclass(frozen=True, slots=True)
class Item:
    """One article in an issue, ready for the template."""

    title: str
    url: str  # with UTM parameters; "" when the article has no URL
    image: Mapping[str, Any] | None
    html: Markup
    text: str
    words: int
    full: bool  # the whole article (no URL to send readers to)


def article_url(article: Article) -> str:
    """Front matter `url`, else base_url + slug, else ""."""
    s = article.settings
    if s.url:
        return s.url
    return urljoin(s.base_url.rstrip("/") + "/", article.slug) if s.base_url else ""


def _joined(blocks: Sequence[Block], under: int = 1) -> tuple[Markup, str, int]:
    """HTML (headings fitted under a heading of level `under`), text and words of blocks."""
    return (content_html(tuple(blocks), under),
            "\n\n".join(b.text for b in blocks if b.text), sum(b.words for b in blocks))


def button_text(opts: Mapping[str, Any], catalog: i18n.Catalog) -> str:
    """The words of a digest's buttons: the `button_text` option, else the language's own."""
    return opts.get("button_text") or catalog.gettext(i18n.READ_MORE)


def digest_item(article: Article, s: Settings, opts: Mapping[str, Any], slug: str,
                catalog: i18n.Catalog) -> tuple[Item, list[str]]:
    """An article as a digest entry: excerpt + image + button, or in full without a URL."""
    url = article_url(article)
    warnings = []
    if url:
        blocks, image = excerpt(article.blocks, opts["excerpt_words"]), first_image(
            article.blocks)
    else:
        blocks, image = shift_headings(article.blocks, 1), None
        warnings.append(f"{article.source}: no URL for the '{button_text(opts, catalog)}' "
                        "button (set "
                        "`url:` in its front matter, or base_url in dripmail.toml); the whole "
                        "article is included in the newsletter")
    html, text, words = _joined(blocks, under=2)  # under the item's <h2>
    return Item(title=article.title, url=add_utm(url, s, slug), image=image, html=html, text=text,
                words=words + len(article.title.split()), full=not url), warnings


def _intro(text: str, s: Settings, slug: str) -> tuple[Block, ...]:
    """The introduction (Markdown) as sanitised blocks, links tagged like the articles'."""
    if not text.strip():
        return ()
    src = Source(path=Path("[newsletter] intro"), fmt="md", body=text)
    return parse_article(src, dataclasses.replace(s, title="intro", slug=slug)).blocks


def _in_this_issue(titles: Sequence[str], catalog: i18n.Catalog) -> str:
    listed = i18n.join(titles, catalog.tag)
    return clip(catalog.gettext(i18n.IN_THIS_ISSUE) % {"titles": listed},
                words=for_language(catalog.tag))


def _date_text(date: dt.date | None, language: str) -> str:
    """The issue's date as the language writes it ("28 November 2025", "28. November 2025")."""
    return i18n.date(date, language) if date is not None else ""


def whole_article(article: Article, title: str) -> tuple[Block, ...]:
    """The article's blocks; under another title, its own title leads as an h2."""
    if title == article.title:
        return shift_headings(article.blocks, 0)
    heading = lxml.html.fragment_fromstring(f"<h2>{Markup.escape(article.title)}</h2>")
    return (from_element(heading, "heading", 2), *shift_headings(article.blocks, 1))


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values and values[0] else ""


@dataclass(frozen=True, slots=True)
class _Content:
    """The issue's title, its body (one article) or items (a digest), and its preview text."""

    title: str
    body: tuple[Block, ...]
    items: tuple[Item, ...]
    intro: tuple[Block, ...]
    subject: str
    preheader: str


def _content(plan: IssuePlan, articles: list[Article], warnings: list[str],
             catalog: i18n.Catalog) -> _Content:
    """Title, body or digest items, subject and preheader of the issue."""
    s, opts = plan.settings, plan.options
    words = for_language(s.language)
    intro = _intro(opts.get("intro", ""), s, plan.slug)
    items: list[Item] = []
    if plan.digest:
        for article in articles:
            item, more = digest_item(article, s, opts, plan.slug, catalog)
            items.append(item)
            warnings += more
        title = opts.get("title") or catalog.gettext(i18n.NEWSLETTER_TITLE) % {"brand": s.brand}
        body: tuple[Block, ...] = ()
        fallback = _in_this_issue([i.title for i in items], catalog)
    else:
        title = opts.get("title") or articles[0].title
        body = whole_article(articles[0], title)
        fallback = clip(catalog.gettext(i18n.WHOLE_ARTICLE) % {"title": title}, words=words)
    one = not plan.digest
    subject = opts.get("subject") or (one and _first(s.subjects)) or (
        s.subject_prefix + shorten(title, SUBJECT_TARGET - len(s.subject_prefix), words=words))
    pre = opts.get("preheader") or (one and _first(s.preheaders)) or preheader(
        body or intro, subject, fallback, words)
    return _Content(title, body, tuple(items), intro, subject, pre)


def _context(plan: IssuePlan, c: _Content, catalog: i18n.Catalog) -> dict[str, Any]:
    """What the newsletter templates can use (documented in the README)."""
    s, opts, date = plan.settings, plan.options, plan.date
    if not s.reason:
        s = dataclasses.replace(s, reason=catalog.gettext(i18n.NEWSLETTER_REASON) % {
            "brand": s.brand})
    intro_html, intro_text, _ = _joined(c.intro)
    body_html, body_text, _ = _joined(c.body)
    return {
        "settings": s, "lang": s.language, "dir": s.direction,
        "email": {"position": 1, "total": 1, "day": 0, "title": c.title, "subject": c.subject,
                  "preheader": c.preheader, "is_first": True, "is_last": True},
        "newsletter": {"title": c.title, "slug": plan.slug, "digest": plan.digest,
                       "issue": opts.get("issue"), "date": date.isoformat() if date else "",
                       "date_text": _date_text(date, s.language), "intro_html": intro_html,
                       "intro_text": intro_text, "button_text": button_text(opts, catalog)},
        "articles": list(c.items),
        "content_html": body_html,
        "content_text": body_text,
        "signature": signature(s),
        "preheader_filler": filler(c.preheader),
        "links": links(s),
    }


def render_issue(plan: IssuePlan, project_dir: Path) -> RenderedSequence:
    """Parse the articles and render the issue's one email, in memory."""
    s = plan.settings
    articles = [parse_article(a.source, dataclasses.replace(a.settings, utm=s.utm))
                for a in plan.articles]
    warnings = [w for a in articles for w in a.warnings]
    env = theme.for_project(project_dir, s.language)
    catalog = i18n.catalog(s.language, project_dir)
    c = _content(plan, articles, warnings, catalog)
    html, text = render_pair(env, "newsletter", _context(plan, c, catalog), s)
    if untranslated := theme.untranslated(env):
        warnings.append(untranslated)
    words = (sum(b.words for b in c.intro) + sum(b.words for b in c.body)
             + sum(i.words for i in c.items))
    email = Email(position=1, total=1, day=0, slug=slugify(c.title), title=c.title,
                  subject=c.subject, preheader=c.preheader, html=html, text=text, words=words)
    seq = EmailSequence(slug=plan.slug, title=c.title, source=articles[0].source, settings=s,
                        emails=(email,), kind="newsletter")
    return RenderedSequence(seq, tuple(warnings))

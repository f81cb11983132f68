"""Render planned Parts through the theme into final Emails (inlined HTML + plain text)."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from dripmail import i18n
from dripmail.limits import FILLER_TO, SUBJECT_TARGET
from dripmail.models import Article, Block, Email, EmailSequence, Part, Settings
from dripmail.planning.plan import shorten
from dripmail.providers import dialect
from dripmail.reading.article import add_utm, slugify
from dripmail.rendering.fit import fit_headings, mark_blocks
from dripmail.rendering.inline import inline_css
from dripmail.rendering.textpart import wrap
from dripmail.rendering.theme import catalog_of, render

_FILLER = "&#8199;&#65279;&#847; "


def filler(preheader: str) -> Markup:
    """Invisible characters that pad the preview text to about 150 characters."""
    return Markup(_FILLER * max(0, (FILLER_TO - len(preheader)) // 4))


def _summary(part: Part | None) -> dict[str, Any] | None:
    """What the recap and the teaser say of another email: its topic is its subject as the
    reader saw it, as a phrase inside a sentence; `stop` ends that sentence ("" after ?/!)."""
    if part is None:
        return None
    topic = part.topic or part.subject
    return {"title": part.title, "subject": part.subject, "preheader": part.preheader,
            "day": part.day, "topic": topic, "stop": "" if topic.endswith(("?", "!", "…", "."))
            else "."}


def content_html(blocks: tuple[Block, ...], under: int = 1) -> Markup:
    """The blocks' HTML as the email shows it: headings renumbered under the email's heading
    (level `under`), tables marked as data or layout, lists of points marked."""
    return Markup("\n".join(fit_headings([mark_blocks(b.html) for b in blocks], under)))


def signature(s: Settings) -> tuple[str, ...]:
    """The sign-off's lines from the `signature` setting; () for the theme's default close."""
    return tuple(line.strip() for line in s.signature.strip().split("\n")) if s.signature.strip() \
        else ()


def links(s: Settings) -> dict[str, bool]:
    """Which optional footer pieces the provider can fill: preferences and view-in-browser
    links, and the postal address (a literal setting for some providers, a tag for others)."""
    return {"preferences": dialect.available("preferences_url", s.provider, s),
            "view_in_browser": dialect.available("view_in_browser_url", s.provider, s),
            "postal_address": dialect.available("postal_address", s.provider, s)}


def context(article: Article, parts: tuple[Part, ...], part: Part) -> dict[str, Any]:
    """Everything a theme template can use (documented in the README)."""
    s: Settings = article.settings
    n, total = part.position, len(parts)
    blocks = part.blocks[1:] if part.lead_heading else part.blocks
    last = n == total
    button = {"text": s.cta_text, "url": add_utm(s.cta_url, s, article.slug)} \
        if last and s.cta_text else None
    soft = {"text": s.soft_cta_text, "url": add_utm(s.soft_cta_url, s, article.slug)} \
        if last and total > 1 and s.soft_cta_text and s.soft_cta_url else None
    return {
        "settings": s,
        "lang": s.language,
        "dir": s.direction,
        "sequence": {"title": article.title, "slug": article.slug, "emails": total},
        "email": {"position": n, "total": total, "day": part.day, "title": part.title,
                  "subject": part.subject, "preheader": part.preheader,
                  "is_first": n == 1, "is_last": last},
        "previous": _summary(parts[n - 2]) if n > 1 else None,
        "next": _summary(parts[n]) if not last else None,
        "content_html": content_html(blocks),
        "content_text": "\n\n".join(b.text for b in blocks if b.text),
        "button": button,
        "soft_cta": soft,
        "signature": signature(s),
        "preheader_filler": filler(part.preheader),
        "links": links(s),
    }


def render_pair(env: jinja2.Environment, name: str, ctx: dict[str, Any], s: Settings
                ) -> tuple[str, str]:
    """Render `name`.html and `name`.txt: theme -> inline CSS / wrap -> provider merge tags."""
    catalog = catalog_of(env)
    html = inline_css(render(env, f"{name}.html", ctx))
    html = dialect.resolve(html, s.provider, s, as_html=True, catalog=catalog)
    text = render(env, f"{name}.txt", ctx)
    text = wrap(dialect.resolve(text, s.provider, s, as_html=False, keep_spaces=True,
                                catalog=catalog))
    text = "\n".join(line.rstrip() for line in text.strip().split("\n")) + "\n"
    return html, i18n.rtl_lines(text) if s.direction == "rtl" else text


def render_email(env: jinja2.Environment, article: Article, parts: tuple[Part, ...],
                 part: Part, slug: str) -> Email:
    """Render one email: theme -> inline CSS -> provider merge tags."""
    html, text = render_pair(env, "email", context(article, parts, part), article.settings)
    return Email(position=part.position, total=len(parts), day=part.day, slug=slug,
                 title=part.title, subject=part.subject, preheader=part.preheader, html=html,
                 text=text, words=sum(b.words for b in part.blocks))


def email_slugs(parts: tuple[Part, ...]) -> list[str]:
    """A unique slug per email, from its title."""
    seen: dict[str, int] = {}
    out = []
    for p in parts:
        base = slugify(shorten(p.title, SUBJECT_TARGET))
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def compose(env: jinja2.Environment, article: Article, parts: tuple[Part, ...]) -> EmailSequence:
    """Render every Part of an article into a EmailSequence."""
    slugs = email_slugs(parts)
    emails = tuple(render_email(env, article, parts, p, slug) for p, slug in zip(parts, slugs,
                                                                                 strict=True))
    return EmailSequence(slug=article.slug, title=article.title, source=article.source,
                    settings=article.settings, emails=emails)

"""Newsletter issues: one article as one email, or a digest of several articles.

Options come from the `[newsletter]` table of dripmail.toml, then the `newsletter:` tables in the
articles' front matter (the first article named wins), then the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Sequence as Seq  # (in resolve_options, which moves to options.py)
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
from markupsafe import Markup

from dripmail.errors import ConfigError, OutputError
from dripmail.limits import SUBJECT_TARGET
from dripmail.models import Article, Block, BuildResult, Email, EmailSequence, Settings, Source
from dripmail.newsletter.excerpt import excerpt, first_image, from_element, shift_headings
from dripmail.pipeline.build import load, render_index
from dripmail.planning.plan import clip, preheader, shorten
from dripmail.providers import dialect
from dripmail.reading.article import add_utm, parse_article
from dripmail.rendering.compose import filler, render_pair
from dripmail.rendering.theme import environment
from dripmail.settings.load import merge, read_project
from dripmail.slug import slugify
from dripmail.writing import staging

DEFAULTS: dict[str, Any] = {"excerpt_words": 80, "button_text": "Read the full article"}


# --- options -------------------------------------------------------------------------------

def parse_date(value: Any) -> dt.date | None:
    """A date from TOML/YAML (already a date) or a 'YYYY-MM-DD' text; None if neither."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _text(v: Any) -> str | None:
    return None if isinstance(v, str) else "must be text (in quotes)"


def _whole(lo: int, hi: int) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        ok = isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi
        return None if ok else f"must be a whole number from {lo} to {hi}"
    return check


def _slug(v: Any) -> str | None:
    from dripmail.slug import slug_problem

    return slug_problem(v)


def _out(v: Any) -> str | None:
    """The output folder: a relative path that stays inside the project."""
    if not isinstance(v, str):
        return "must be text (in quotes)"
    parts = v.replace("\\", "/").split("/")
    if not v.strip() or v.startswith(("/", "~")) or re.match(r"[A-Za-z]:", v) or ".." in parts \
            or re.search(r"[\x00-\x1f\x7f]", v):
        return 'must be a folder inside the project, such as "build" (no absolute path or "..")'
    return None


def _date(v: Any) -> str | None:
    return None if parse_date(v) else "must be a date written YYYY-MM-DD, such as 2026-11-01"


def _provider(v: Any) -> str | None:
    if isinstance(v, str) and v in dialect.DIALECTS:
        return None
    return f"must be one of: {', '.join(sorted(dialect.DIALECTS))}"


KEYS: dict[str, Callable[[Any], str | None]] = {
    "title": _text, "slug": _slug, "subject": _text, "preheader": _text, "date": _date,
    "issue": _whole(1, 100_000), "intro": _text, "excerpt_words": _whole(20, 2000),
    "button_text": _text, "utm_source": _text, "reason": _text, "provider": _provider,
    "out": _out,
}


def _line_of(key: str, text: str, offset: int) -> int | None:
    """Line of `key` inside the [newsletter] table (TOML) or `newsletter:` mapping (YAML)."""
    head = re.search(r"^[ \t]*(\[newsletter\]|newsletter[ \t]*:)", text, re.MULTILINE)
    if not head:
        return None
    m = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*[=:]", re.MULTILINE).search(
        text, head.end())
    return text.count("\n", 0, m.start()) + offset if m else None


def check_table(table: Mapping[str, Any], where: str, text: str = "", offset: int = 1
                ) -> list[str]:
    """Every problem in a [newsletter] table (or the command line's options), at once."""
    problems = []
    for key, value in table.items():
        key = str(key)
        name = f"--{key.replace('_', '-')}" if where == "command line" else f"newsletter.{key}"
        line = _line_of(key, text, offset)
        at = f"{where}:{line}" if line else where
        if key not in KEYS:
            match = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean 'newsletter.{match[0]}'?" if match else \
                f"; valid keys: {', '.join(KEYS)}"
            problems.append(f"{at}: unknown setting '{name}'{hint}")
        elif (msg := KEYS[key](value)) is not None:
            problems.append(f"{at}: setting '{name}' {msg}")
    return problems


def resolve_options(project: Mapping[str, Any], sources: Seq[Source],
                    cli: Mapping[str, Any]) -> dict[str, Any]:
    """dripmail.toml [newsletter] < front matter `newsletter:` (first article wins) < CLI."""
    opts = dict(DEFAULTS)
    opts.update(project.get("extra", {}).get("newsletter", {}))
    for src in reversed(sources):
        opts.update(src.meta.get("newsletter") or {})
    opts.update({k: v for k, v in cli.items() if v is not None})
    return opts


def utm_params(s: Settings, opts: Mapping[str, Any], slug: str) -> dict[str, str]:
    """utm_source/medium/campaign for the issue, or {} when UTM tagging is not configured."""
    params = {(k if k.startswith("utm_") else f"utm_{k}"): str(v) for k, v in s.utm.items()}
    if opts.get("utm_source"):
        params["utm_source"] = opts["utm_source"]
    if not params:
        return {}
    params.setdefault("utm_source", "newsletter")
    params.setdefault("utm_medium", "email")
    params["utm_campaign"] = slug
    return params


# --- the issue -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    """One article in an issue, ready for the template."""

    title: str
    anchor: str
    url: str  # with UTM parameters; "" when the article has no URL
    image: Mapping[str, Any] | None
    html: Markup
    text: str
    words: int
    full: bool  # the whole article (no URL to send readers to)


@dataclass(frozen=True, slots=True)
class Issue:
    """A newsletter rendered in memory, with its options and the warnings met on the way."""

    sequence: EmailSequence
    options: Mapping[str, Any]
    warnings: tuple[str, ...]


def article_url(article: Article) -> str:
    """Front matter `url`, else base_url + slug, else ""."""
    s = article.settings
    if s.url:
        return s.url
    return urljoin(s.base_url.rstrip("/") + "/", article.slug) if s.base_url else ""


def _joined(blocks: Sequence[Block]) -> tuple[Markup, str, int]:
    return (Markup("\n".join(b.html for b in blocks)),
            "\n\n".join(b.text for b in blocks if b.text), sum(b.words for b in blocks))


def digest_item(article: Article, s: Settings, opts: Mapping[str, Any], slug: str
                ) -> tuple[Item, list[str]]:
    """An article as a digest entry: excerpt + image + button, or in full without a URL."""
    url = article_url(article)
    warnings = []
    if url:
        blocks, image = excerpt(article.blocks, opts["excerpt_words"]), first_image(
            article.blocks)
    else:
        blocks, image = shift_headings(article.blocks, 1), None
        warnings.append(f"{article.source}: no URL for the '{opts['button_text']}' button (set "
                        "`url:` in its front matter, or base_url in dripmail.toml); the whole "
                        "article is included in the newsletter")
    html, text, words = _joined(blocks)
    return Item(title=article.title, anchor=f"article-{article.slug}",
                url=add_utm(url, s, slug), image=image, html=html, text=text,
                words=words + len(article.title.split()), full=not url), warnings


def _intro(text: str, s: Settings, slug: str) -> tuple[Block, ...]:
    """The introduction (Markdown) as sanitised blocks, links tagged like the articles'."""
    if not text.strip():
        return ()
    src = Source(path=Path("[newsletter] intro"), fmt="md", body=text)
    return parse_article(src, dataclasses.replace(s, title="intro", slug=slug)).blocks


def _in_this_issue(titles: Sequence[str]) -> str:
    listed = ", ".join(titles[:-1]) + f" and {titles[-1]}" if len(titles) > 1 else titles[0]
    return clip(f"In this issue: {listed}")


def newsletter_slug(opts: Mapping[str, Any], loaded: Sequence[tuple[Source, Settings]],
                    brand: str) -> str:
    """[newsletter] slug, else from the title; never the slug of one of its articles."""
    if opts.get("slug"):
        return opts["slug"]
    article_slugs = [st.slug or slugify(src.path.stem, "article") for src, st in loaded]
    if opts.get("title"):
        base = slugify(opts["title"], "newsletter")
    elif len(loaded) == 1:
        base = article_slugs[0]
    else:
        base = slugify(f"{brand} newsletter", "newsletter")
    return f"{base}-newsletter" if base in article_slugs else base


def _date_text(date: dt.date | None, language: str) -> str:
    if date is None:
        return ""
    if language.split("-")[0].lower() == "en":
        return f"{date.day} {date.strftime('%B')} {date.year}"
    return date.isoformat()


def _load(project_dir: Path, paths: Sequence[Path], cli: Mapping[str, Any]
          ) -> tuple[list[tuple[Source, Settings]], dict[str, Any], dict[str, Any]]:
    """Articles with their settings, project settings and the issue's options; every settings
    problem (files, front matter, command line) reported at once."""
    problems = check_table(cli, "command line")
    try:
        loaded = load(project_dir, paths)
    except ConfigError as exc:
        raise ConfigError(exc.problems + problems) from None
    if problems:
        raise ConfigError(problems)
    project = read_project(project_dir)
    return loaded, project, resolve_options(project, [src for src, _ in loaded], cli)


def issue_settings(base: Settings, opts: Mapping[str, Any], slug: str) -> Settings:
    """The issue's settings: provider, UTM parameters and the reason line for a newsletter."""
    reason = opts.get("reason") or (f"You are receiving this email because you subscribed to "
                                     f"the {base.brand} newsletter.")
    return dataclasses.replace(base, provider=opts.get("provider", base.provider),
                               utm=utm_params(base, opts, slug), reason=reason)


def whole_article(article: Article, title: str) -> tuple[Block, ...]:
    """The article's blocks; under another title, its own title leads as an h2."""
    if title == article.title:
        return shift_headings(article.blocks, 0)
    heading = lxml.html.fragment_fromstring(f"<h2>{Markup.escape(article.title)}</h2>")
    return (from_element(heading, "heading", 2), *shift_headings(article.blocks, 1))


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values and values[0] else ""


def render_newsletter(project_dir: Path, paths: Sequence[Path],
                      cli: Mapping[str, Any] | None = None) -> Issue:
    """Load, parse and render one newsletter email in memory (nothing is written)."""
    project_dir = Path(project_dir)
    loaded, project, opts = _load(project_dir, paths,
                                  {k: v for k, v in (cli or {}).items() if v is not None})
    digest = len(loaded) > 1
    base = merge(project) if digest else loaded[0][1]
    slug = newsletter_slug(opts, loaded, base.brand)
    s = issue_settings(base, opts, slug)
    articles = [parse_article(src, dataclasses.replace(st, utm=s.utm))
                for src, st in loaded]
    warnings = [w for a in articles for w in a.warnings]
    intro = _intro(opts.get("intro", ""), s, slug)

    items: list[Item] = []
    if digest:
        for article in articles:
            item, more = digest_item(article, s, opts, slug)
            items.append(item)
            warnings += more
        title = opts.get("title") or f"{s.brand} newsletter"
        body: tuple[Block, ...] = ()
        fallback = _in_this_issue([i.title for i in items])
    else:
        title = opts.get("title") or articles[0].title
        body = whole_article(articles[0], title)
        fallback = clip(f"The whole article: {title}")
    subject = opts.get("subject") or (not digest and _first(s.subjects)) or (
        s.subject_prefix + shorten(title, SUBJECT_TARGET - len(s.subject_prefix)))
    pre = opts.get("preheader") or (not digest and _first(s.preheaders)) or preheader(
        body or intro, subject, fallback)

    date = parse_date(opts.get("date"))
    intro_html, intro_text, intro_words = _joined(intro)
    body_html, body_text, body_words = _joined(body)
    ctx = {
        "settings": s, "lang": s.language, "dir": s.direction,
        "email": {"position": 1, "total": 1, "day": 0, "title": title, "subject": subject,
                  "preheader": pre, "is_first": True, "is_last": True},
        "newsletter": {"title": title, "slug": slug, "digest": digest,
                       "issue": opts.get("issue"), "date": date.isoformat() if date else "",
                       "date_text": _date_text(date, s.language), "intro_html": intro_html,
                       "intro_text": intro_text, "button_text": opts["button_text"]},
        "articles": items,
        "content_html": body_html,
        "content_text": body_text,
        "preheader_filler": filler(pre),
        "links": {name: dialect.available(f"{name}_url", s.provider, s)
                  for name in ("preferences", "view_in_browser")},
    }
    templates = project_dir / "templates"
    env = environment(templates if templates.is_dir() else None)
    html, text = render_pair(env, "newsletter", ctx, s)
    words = intro_words + body_words + sum(i.words for i in items)
    email = Email(position=1, total=1, day=0, slug=slugify(title), title=title,
                  subject=subject, preheader=pre, html=html, text=text, words=words)
    seq = EmailSequence(slug=slug, title=title, source=articles[0].source, settings=s,
                   emails=(email,), kind="newsletter")
    return Issue(sequence=seq, options=opts, warnings=tuple(warnings))


def _refuse_sequence_folder(folder: Path) -> None:
    """Never let a newsletter replace a sequence's build folder."""
    try:
        kind = json.loads((folder / staging.MANIFEST).read_text(encoding="utf-8"))[
            "sequence"].get("kind", "sequence")
    except (OSError, ValueError, KeyError, AttributeError):
        return
    if kind != "newsletter":
        raise OutputError(f"{folder} holds the {kind} '{folder.name}'; give the newsletter "
                          "another slug (--title, or slug in [newsletter]) so it is not replaced")


def build_newsletter(project_dir: Path, paths: Sequence[Path], cli: Mapping[str, Any] | None = None,
                     out_dir: Path | None = None) -> BuildResult:
    """Render the issue, then write build/<slug>/ and refresh build/index.html."""
    project_dir = Path(project_dir)
    issue = render_newsletter(project_dir, paths, cli)
    out = Path(out_dir) if out_dir else project_dir / issue.options.get("out", "build")
    staging.check_out_dir(out, project_dir, paths)
    _refuse_sequence_folder(staging.child(out, issue.sequence.slug))
    written = staging.write_sequences([issue.sequence], out, project_dir,
                                     index=lambda manifests: render_index(project_dir, manifests))
    return BuildResult(sequences=(issue.sequence,), out_dir=out, written=tuple(written),
                       warnings=issue.warnings)

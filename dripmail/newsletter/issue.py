"""Newsletter issues: one article as one email, or a digest of several articles.

Options come from the `[newsletter]` table of dripmail.toml, then the `newsletter:` tables in the
articles' front matter (the first article named wins), then the command line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Sequence as Seq  # (in resolve_options, which moves to options.py)
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError, OutputError
from dripmail.models import BuildResult, EmailSequence, Loaded, Settings, Source
from dripmail.newsletter.render import IssuePlan, render_issue
from dripmail.pipeline.build import output_folder, publish
from dripmail.pipeline.project import load_articles
from dripmail.pipeline.worker import Task
from dripmail.providers import dialect
from dripmail.settings.load import merge, read_project
from dripmail.slug import slugify
from dripmail.writing.manifest import kind_of
from dripmail.writing.paths import child

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
class Issue:
    """A newsletter rendered in memory, with its options and the warnings met on the way."""

    sequence: EmailSequence
    options: Mapping[str, Any]
    warnings: tuple[str, ...]


def newsletter_slug(opts: Mapping[str, Any], loaded: Sequence[Loaded], brand: str) -> str:
    """[newsletter] slug, else from the title; never the slug of one of its articles."""
    if opts.get("slug"):
        return opts["slug"]
    article_slugs = [a.settings.slug or slugify(a.source.path.stem, "article") for a in loaded]
    if opts.get("title"):
        base = slugify(opts["title"], "newsletter")
    elif len(loaded) == 1:
        base = article_slugs[0]
    else:
        base = slugify(f"{brand} newsletter", "newsletter")
    return f"{base}-newsletter" if base in article_slugs else base


def _load(project_dir: Path, paths: Sequence[Path], cli: Mapping[str, Any]
          ) -> tuple[list[Loaded], dict[str, Any], dict[str, Any]]:
    """Articles with their settings, project settings and the issue's options; every settings
    problem (files, front matter, command line) reported at once."""
    problems = check_table(cli, "command line")
    try:
        loaded = load_articles(project_dir, paths)
    except ConfigError as exc:
        raise ConfigError(exc.problems + problems) from None
    if problems:
        raise ConfigError(problems)
    project = read_project(project_dir)
    return loaded, project, resolve_options(project, [a.source for a in loaded], cli)


def issue_settings(base: Settings, opts: Mapping[str, Any], slug: str) -> Settings:
    """The issue's settings: provider, UTM parameters and the reason line for a newsletter."""
    reason = opts.get("reason") or (f"You are receiving this email because you subscribed to "
                                     f"the {base.brand} newsletter.")
    return dataclasses.replace(base, provider=opts.get("provider", base.provider),
                               utm=utm_params(base, opts, slug), reason=reason)


def plan_issue(project_dir: Path, paths: Sequence[Path], cli: Mapping[str, Any] | None = None
               ) -> IssuePlan:
    """Settings, articles and options of an issue (nothing is rendered yet)."""
    loaded, project, opts = _load(Path(project_dir), paths,
                                  {k: v for k, v in (cli or {}).items() if v is not None})
    base = merge(project) if len(loaded) > 1 else loaded[0].settings
    slug = newsletter_slug(opts, loaded, base.brand)
    return IssuePlan(tuple(loaded), opts, issue_settings(base, opts, slug), slug,
                     parse_date(opts.get("date")))


def render_newsletter(project_dir: Path, paths: Sequence[Path],
                      cli: Mapping[str, Any] | None = None) -> Issue:
    """Load, parse and render one newsletter email in memory (nothing is written)."""
    plan = plan_issue(project_dir, paths, cli)
    rendered = render_issue(plan, Path(project_dir))
    return Issue(sequence=rendered.sequence, options=plan.options, warnings=rendered.warnings)


def build_newsletter(project_dir: Path, paths: Sequence[Path], cli: Mapping[str, Any] | None = None,
                     out_dir: Path | None = None) -> BuildResult:
    """Write build/<slug>/ and refresh build/index.html through the build's pipeline: the same
    writer, cache, files and quality gate as a sequence (an unchanged issue is not rendered)."""
    project_dir = Path(project_dir)
    plan = plan_issue(project_dir, paths, cli)
    out = output_folder(project_dir, out_dir or project_dir / plan.options.get("out", "build"),
                        paths)
    _refuse_sequence_folder(child(out, plan.slug))
    task = Task(plan.slug, plan.articles[0].source.path, plan.settings, plan.articles,
                functools.partial(render_issue, plan, project_dir),
                extra=repr((sorted(plan.options.items(), key=str), plan.settings)))
    return publish([task], project_dir, out, check=True)


def _refuse_sequence_folder(folder: Path) -> None:
    """Never let a newsletter replace a sequence's build folder."""
    kind = kind_of(folder)
    if kind not in (None, "newsletter"):
        raise OutputError(f"{folder} holds the {kind} '{folder.name}'; give the newsletter "
                          "another slug (--title, or slug in [newsletter]) so it is not replaced")

"""Newsletter issues: one article as one email, or a digest of several articles.

Options come from the `[newsletter]` table of dripmail.toml, then the `newsletter:` tables in the
articles' front matter (the first article named wins), then the command line.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError, OutputError
from dripmail.models import BuildResult, EmailSequence, Loaded, Settings
from dripmail.newsletter.options import check_table, parse_date, resolve_options
from dripmail.newsletter.render import IssuePlan, render_issue
from dripmail.pipeline.build import output_folder, publish
from dripmail.pipeline.project import load_articles
from dripmail.pipeline.worker import Task
from dripmail.settings.load import merge, read_project
from dripmail.slug import slugify
from dripmail.writing.manifest import kind_of
from dripmail.writing.paths import child

# --- options -------------------------------------------------------------------------------

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
    """The issue's settings: provider, UTM parameters and the reason line for a newsletter
    (by default, in the issue's language, when it is rendered)."""
    reason = opts.get("reason") or ""
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

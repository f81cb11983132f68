"""One sequence in one process: read -> parse -> plan -> render -> stage its files -> check.

Everything a sequence costs happens in `run`, in a worker process when a build runs several.
Parsing, rendering and inlining (Markdown, lxml, Jinja, premailer) are imported only when a
sequence has to be rendered, so a build whose sequences are all cached starts lean.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dripmail.errors import ContentError
from dripmail.models import Loaded, Refused, RenderedSequence, Settings, StagedSequence


@dataclass(frozen=True, slots=True)
class Task:
    """One sequence a build makes (picklable: it travels to a worker process)."""

    slug: str
    source: Path  # the article the sequence names as its source
    settings: Settings  # the sequence's own settings
    inputs: tuple[Loaded, ...]  # the articles it is made from: they key the build cache
    render: Callable[[], RenderedSequence]  # a module-level function, partially applied
    extra: str = ""  # anything else its output depends on, for the cache key


@dataclass(frozen=True, slots=True)
class Target:
    """Where the tasks of one build are staged, and whether they are checked."""

    project_dir: Path
    out_dir: Path
    tag: str  # the build's name for its staging folders
    check: bool = False


def article_task(item: Loaded, project_dir: Path) -> Task:
    """The task of one article's sequence."""
    return Task(item.slug, item.source.path, item.settings, (item,),
                functools.partial(render_article, item, project_dir))


def render_article(item: Loaded, project_dir: Path) -> RenderedSequence:
    """Parse, plan and render one article in memory."""
    from dripmail.planning import plan
    from dripmail.reading import anchors
    from dripmail.reading.article import parse_article
    from dripmail.reading.blocktext import block_text
    from dripmail.rendering import theme
    from dripmail.rendering.compose import compose

    article = parse_article(item.source, item.settings)
    env = theme.for_project(project_dir, item.settings.language)
    parts = anchors.settle(plan.plan(article, theme.catalog_of(env)), article.url,
                           block_text)  # #anchors per email
    warnings = (*article.warnings, *plan.size_warnings(article, parts))
    sequence = compose(env, article, parts)
    untranslated = theme.untranslated(env)
    return RenderedSequence(sequence, (*warnings, *([untranslated] if untranslated else [])))


def run(task: Task, target: Target) -> StagedSequence | Refused:
    """Render a task, write it to its staging folder and (with `target.check`) run the quality
    gate on it; an article that cannot be made is `Refused` (the others go on)."""
    from dripmail.pipeline.cache import folder_stats
    from dripmail.providers.notices import build_warnings
    from dripmail.writing import staging

    try:
        rendered = task.render()
    except ContentError as exc:
        return Refused(task.source, exc.message)
    warnings = (*rendered.warnings, *build_warnings(rendered.sequence))
    staged = staging.stage_sequence(rendered.sequence, target.out_dir, target.project_dir,
                                    target.tag)
    findings = None
    if target.check:
        from dripmail.checks import check_sequences

        findings = tuple(check_sequences([rendered.sequence], target.out_dir)[1])
    return StagedSequence(rendered.sequence, warnings, staged, findings,
                          folder_stats(staged.folder))  # renaming the folder keeps them


def start() -> None:
    """In a forked worker: let go of the build's lock (only the building process holds it)."""
    from dripmail.writing.staging import forget_locks

    forget_locks()


def preload() -> None:
    """Import what rendering needs before the workers fork, so that they share it."""
    import dripmail.reading.article  # noqa: F401
    import dripmail.rendering.compose  # noqa: F401

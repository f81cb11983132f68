"""The first stages of every command: settings, then the articles found and read; and a whole
project rendered in memory (for `check`, `upload`, `send`: nothing is written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError, ContentError
from dripmail.models import Loaded, Rendered, Settings, Source
from dripmail.reading import sources
from dripmail.settings.load import check_settings, flatten, merge, read_project
from dripmail.slug import slugify


def load_articles(project_dir: Path, paths: Sequence[Path] = (),
                  overrides: Mapping[str, Any] | None = None) -> list[Loaded]:
    """Read the settings and every article; report every settings problem at once, and two
    articles that would make the same sequence folder."""
    project = read_project(project_dir)
    problems: list[str] = []
    cli = flatten(dict(overrides or {}), "command line", "", 0, article=False,
                  problems=problems)
    loaded: list[Loaded] = []
    for path in sources.discover(paths, project_dir / "sequences", project_dir):
        src = sources.read_source(path)
        meta = flatten(src.meta, str(path), _front_matter_text(path), 1, article=True,
                       problems=problems)
        settings = merge(project, meta, cli)
        problems += check_settings(settings, str(path))
        loaded.append(Loaded(src, settings, sequence_slug(src, settings)))
    if problems:
        raise ConfigError(problems)
    _refuse_shared_folders(loaded)
    return loaded


def _refuse_shared_folders(loaded: list[Loaded]) -> None:
    """Two articles must not make the same sequence folder."""
    slugs: dict[str, Path] = {}
    for item in loaded:
        if item.slug in slugs:
            raise ContentError(f"two articles make the sequence '{item.slug}' (also "
                               f"{slugs[item.slug]}); rename one or set `slug:` in its front "
                               "matter", path=item.source.path)
        slugs[item.slug] = item.source.path


def _front_matter_text(path: Path) -> str:
    """The raw text of a file, for line numbers in front-matter errors."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def sequence_slug(src: Source, settings: Settings) -> str:
    """The folder name of an article's sequence."""
    return settings.slug or slugify(src.path.stem, "article")


def render_project(project_dir: Path, paths: Sequence[Path] = (),
                   overrides: Mapping[str, Any] | None = None) -> Rendered:
    """Load, parse, plan and render every article in memory (nothing is written)."""
    from dripmail.pipeline.worker import render_article

    project_dir = Path(project_dir)
    sequences, warnings = [], []
    for item in load_articles(project_dir, paths, overrides):
        rendered = render_article(item, project_dir)
        sequences.append(rendered.sequence)
        warnings += rendered.warnings
    return Rendered(tuple(sequences), tuple(warnings))

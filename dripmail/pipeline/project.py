"""The first stages of every command: settings, then the articles found and read; and a whole
project rendered in memory (for `check`, `upload`, `send`: nothing is written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError, ContentError, DripmailError
from dripmail.models import Articles, Loaded, Refused, Rendered, Settings, Source
from dripmail.reading import sources
from dripmail.settings.load import check_settings, flatten, merge, read_project
from dripmail.slug import slugify


def load_articles(project_dir: Path, paths: Sequence[Path] = (),
                  overrides: Mapping[str, Any] | None = None) -> list[Loaded]:
    """Read the settings and every article, all or nothing: every settings problem at once,
    or the first article that cannot be read (for the commands that send or check)."""
    found = read_articles(project_dir, paths, overrides, drafts=True, strict=True)
    if found.refused:
        raise ConfigError([r.message for r in found.refused])
    return list(found.loaded)


def read_articles(project_dir: Path, paths: Sequence[Path] = (),
                  overrides: Mapping[str, Any] | None = None, *, drafts: bool = False,
                  strict: bool = False) -> Articles:
    """Read the settings, then every article; an article that cannot be read, or whose front
    matter has problems, is set aside (`Articles.refused`, every problem of it on one line
    each) and the others are read on. Drafts are left out unless `drafts` (or the `drafts`
    setting). Problems of dripmail.toml or the command line stop everything at once; so does
    an article that cannot be read when `strict` (its settings problems are still all
    gathered, with every other article's)."""
    project = read_project(project_dir)
    problems: list[str] = []
    cli = flatten(dict(overrides or {}), "command line", "", 0, article=False,
                  problems=problems)
    if problems:
        raise ConfigError(problems)
    loaded, refused, skipped, notes = [], [], [], []
    slugs: dict[str, Path] = {}
    for path in sources.discover(paths, project_dir / "sequences", project_dir):
        try:
            item = _read_one(path, project, cli)
            _refuse_shared_folder(item, slugs)
        except DripmailError as exc:
            if strict and not isinstance(exc, ConfigError):
                raise
            refused += [Refused(path, p) for p in getattr(exc, "problems", [exc.message])]
            continue
        if item.settings.draft and not (drafts or item.settings.drafts):
            skipped.append(f"{path}: skipped, a draft (its front matter says so); "
                           "`dripmail build --drafts` builds it")
            continue
        loaded.append(item)
        if item.notes:
            notes.append(f"{path}: left out of the front matter: {', '.join(item.notes)}")
    return Articles(tuple(loaded), tuple(refused), tuple(skipped), tuple(notes))


def _read_one(path: Path, project: Mapping[str, Any], cli: Mapping[str, Any]) -> Loaded:
    """One article, read and with its settings merged; ConfigError names each problem."""
    src = sources.read_source(path)
    problems: list[str] = []
    notes: list[str] = []
    meta = flatten(src.meta, str(path), _front_matter_text(path), 1, article=True,
                   problems=problems, notes=notes)
    if problems:
        raise ConfigError(problems)
    settings = merge(project, meta, cli)
    if problems := check_settings(settings, str(path)):
        raise ConfigError(problems)
    return Loaded(src, settings, sequence_slug(src, settings), tuple(notes))


def _refuse_shared_folder(item: Loaded, slugs: dict[str, Path]) -> None:
    """Two articles must not make the same sequence folder (the second one is refused)."""
    if item.slug in slugs:
        raise ContentError(f"makes the sequence '{item.slug}', as {slugs[item.slug]} does; "
                           "rename one or set `slug:` in its front matter",
                           path=item.source.path)
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

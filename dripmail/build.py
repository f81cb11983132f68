"""The pipeline: settings -> sources -> articles -> plans -> emails -> files."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence as Seq
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dripmail import config, content, output, plan, providers, sources
from dripmail.compose import compose
from dripmail.errors import ConfigError, ContentError
from dripmail.models import BuildResult, Sequence, Settings, Source
from dripmail.theme import environment, render


@dataclass(frozen=True, slots=True)
class Rendered:
    """Sequences rendered in memory, and the warnings met on the way."""

    sequences: tuple[Sequence, ...]
    warnings: tuple[str, ...]


def load(project_dir: Path, paths: Seq[Path] = (), overrides: Mapping[str, Any] | None = None
         ) -> list[tuple[Source, Settings]]:
    """Read settings and every source; report every settings problem at once."""
    project = config.read_project(project_dir)
    problems: list[str] = []
    cli = config.flatten(dict(overrides or {}), "command line", "", 0, article=False,
                         problems=problems)
    loaded: list[tuple[Source, Settings]] = []
    for path in sources.discover(paths, project_dir / "sequences"):
        src = sources.read_source(path)
        meta = config.flatten(src.meta, str(path), _front_matter_text(path), 1, article=True,
                              problems=problems)
        settings = config.merge(project, meta, cli)
        problems += config.check_settings(settings, str(path))
        loaded.append((src, settings))
    if problems:
        raise ConfigError(problems)
    slugs: dict[str, Path] = {}
    for src, settings in loaded:
        slug = settings.slug or content.slugify(src.path.stem, "article")
        if slug in slugs:
            raise ContentError(f"two articles make the sequence '{slug}' (also {slugs[slug]}); "
                               "rename one or set `slug:` in its front matter", path=src.path)
        slugs[slug] = src.path
    return loaded


def _front_matter_text(path: Path) -> str:
    """The raw text of a file, for line numbers in front-matter errors."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def render_project(project_dir: Path, paths: Seq[Path] = (),
                   overrides: Mapping[str, Any] | None = None) -> Rendered:
    """Load, parse, plan and render every article in memory (nothing is written)."""
    project_dir = Path(project_dir)
    templates = project_dir / "templates"
    env = environment(templates if templates.is_dir() else None)
    sequences, warnings = [], []
    for src, settings in load(project_dir, paths, overrides):
        article = content.parse_article(src, settings)
        parts = plan.plan(article)
        sequences.append(compose(env, article, parts))
        warnings += article.warnings
    return Rendered(tuple(sequences), tuple(warnings))


def build(project_dir: Path, paths: Seq[Path] = (), out_dir: Path | None = None,
          overrides: Mapping[str, Any] | None = None) -> BuildResult:
    """Render everything first, then write it: a failed build leaves the old output as it was."""
    project_dir = Path(project_dir)
    out = Path(out_dir) if out_dir else project_dir / "build"
    rendered = render_project(project_dir, paths, overrides)
    written = output.write_sequences(rendered.sequences, out, project_dir,
                                     extras=providers.write_extras)
    written.append(write_index(out, project_dir))
    return BuildResult(sequences=rendered.sequences, out_dir=out, written=tuple(written),
                       warnings=rendered.warnings)


def write_index(out: Path, project_dir: Path) -> Path:
    """build/index.html: a static preview of every sequence in the folder, usable from disk."""
    templates = project_dir / "templates"
    env = environment(templates if templates.is_dir() else None)
    html = render(env, "index.html", {"manifests": output.read_manifests(out)})
    return output.write_text_atomic(out / "index.html", html)

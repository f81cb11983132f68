"""The pipeline: settings -> sources -> articles -> plans -> emails -> files."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError, ContentError
from dripmail.models import BuildResult, EmailSequence, Settings, Source
from dripmail.reading import sources
from dripmail.settings.load import check_settings, flatten, merge, read_project
from dripmail.writing import staging

# Parsing, rendering and inlining (markdown, lxml, Jinja, premailer) are imported only when a
# sequence has to be rendered, so a build whose sequences are all cached starts lean.


@dataclass(frozen=True, slots=True)
class Rendered:
    """Sequences rendered in memory, and the warnings met on the way."""

    sequences: tuple[EmailSequence, ...]
    warnings: tuple[str, ...]


def load(project_dir: Path, paths: Sequence[Path] = (), overrides: Mapping[str, Any] | None = None
         ) -> list[tuple[Source, Settings]]:
    """Read settings and every source; report every settings problem at once."""
    project = read_project(project_dir)
    problems: list[str] = []
    cli = flatten(dict(overrides or {}), "command line", "", 0, article=False,
                         problems=problems)
    loaded: list[tuple[Source, Settings]] = []
    for path in sources.discover(paths, project_dir / "sequences", project_dir):
        src = sources.read_source(path)
        meta = flatten(src.meta, str(path), _front_matter_text(path), 1, article=True,
                              problems=problems)
        settings = merge(project, meta, cli)
        problems += check_settings(settings, str(path))
        loaded.append((src, settings))
    if problems:
        raise ConfigError(problems)
    slugs: dict[str, Path] = {}
    for src, settings in loaded:
        slug = sequence_slug(src, settings)
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


def sequence_slug(src: Source, settings: Settings) -> str:
    """The folder name of an article's sequence."""
    from dripmail.slug import slugify

    return settings.slug or slugify(src.path.stem, "article")


def _environment(project_dir: Path):
    from dripmail.rendering.theme import environment

    templates = project_dir / "templates"
    return environment(templates if templates.is_dir() else None)


def render_one(src: Source, settings: Settings, project_dir: Path
               ) -> tuple[EmailSequence, tuple[str, ...]]:
    """Parse, plan and render one article in memory: (sequence, warnings)."""
    from dripmail.planning import plan
    from dripmail.reading.article import parse_article
    from dripmail.rendering.compose import compose

    article = parse_article(src, settings)
    parts = plan.plan(article)
    warnings = (*article.warnings, *plan.size_warnings(article, parts))
    return compose(_environment(project_dir), article, parts), warnings


def render_project(project_dir: Path, paths: Sequence[Path] = (),
                   overrides: Mapping[str, Any] | None = None) -> Rendered:
    """Load, parse, plan and render every article in memory (nothing is written)."""
    project_dir = Path(project_dir)
    sequences, warnings = [], []
    for src, settings in load(project_dir, paths, overrides):
        seq, warned = render_one(src, settings, project_dir)
        sequences.append(seq)
        warnings += warned
    return Rendered(tuple(sequences), tuple(warnings))


def build(project_dir: Path, paths: Sequence[Path] = (), out_dir: Path | None = None,
          overrides: Mapping[str, Any] | None = None, *, jobs: int = 1,
          progress: Callable[[int, int], None] | None = None, check: bool = False
          ) -> BuildResult:
    """Render what changed (in `jobs` processes), then swap it in: a failed or killed build
    leaves the old output whole (see `output`). Unchanged sequences are kept from the cache in
    the output folder.

    With `check`, the quality gate runs on each rendered sequence (in its worker) and
    `BuildResult.findings` holds what `checks.check_sequences` would return for the build.
    """
    from dripmail.pipeline import cache

    project_dir = Path(project_dir)
    out = Path(out_dir) if out_dir else project_dir / "build"
    staging.check_out_dir(out, project_dir, paths)
    loaded = load(project_dir, paths, overrides)
    with staging.locked(out):
        store = cache.BuildCache.read(out)
        common = cache.common_key(project_dir)
        keys = {sequence_slug(src, s): cache.sequence_key(common, src, s, project_dir, out)
                for src, s in loaded}
        todo = [(src, s) for src, s in loaded
                if not store.fresh(sequence_slug(src, s), keys[sequence_slug(src, s)])]
        fresh, written = _render_and_write(todo, project_dir, out, jobs, progress, check,
                                           store, common)
        sequences, warnings, findings = [], [], []
        for src, s in loaded:
            seq, warned, found = _sequence(src, s, fresh, keys, store, out, check)
            sequences.append(seq)
            warnings += warned
            findings += found or []
        if (problem := store.save()) is not None:
            warnings.append(problem)
    return BuildResult(sequences=tuple(sequences), out_dir=out, written=tuple(written),
                       warnings=tuple(warnings), findings=tuple(findings))


def _sequence(src: Source, s: Settings, fresh: dict[str, tuple], keys: dict[str, str], store,
              out: Path, check: bool) -> tuple[EmailSequence, Sequence[str], list | None]:
    """One sequence of the build, just rendered or read back from the cache."""
    slug = sequence_slug(src, s)
    if slug in fresh:
        seq, warned, found, stats = fresh[slug]
        store.record(slug, keys[slug], warned, found, stats)
        return seq, warned, found
    from dripmail.pipeline import cache

    seq, warned = cache.load_sequence(out / slug, src, s), store.warnings(slug)
    found = store.findings(slug) if check else None
    if check and found is None:  # cached by a build that did not check
        from dripmail.checks import check_sequences

        found = check_sequences([seq], out)[1]
        store.record_findings(slug, found)
    return seq, warned, found


def _render_and_write(todo: list[tuple[Source, Settings]], project_dir: Path, out: Path,
                      jobs: int, progress: Callable[[int, int], None] | None, check: bool,
                      store, common: str) -> tuple[dict[str, tuple], list[Path]]:
    """Render and stage each article (workers do both) and the preview page (unless the
    cached one is still right), then switch them all in at once."""
    from dripmail import providers
    from dripmail.pipeline import parallel

    tag = staging.new_tag()
    work = [parallel.Job(src, s, project_dir, out, providers.write_extras, tag, check)
            for src, s in todo]
    fresh, staged = {}, []
    try:
        for seq, warned, tmp, files, found, stats in parallel.render_and_stage(work, jobs,
                                                                               progress):
            fresh[seq.slug] = (seq, warned, found, stats)
            staged.append((seq.slug, tmp, files))
            if len(staged) == 1 and jobs > 1:
                _warm_index(project_dir)  # this process waits on the workers meanwhile
        page, key = _stage_index(out, project_dir, staged, tag, store, common)
        written = staging.commit(staged, out, tag, page)
    finally:
        staging.discard(out, tag)  # whatever a failed or interrupted build staged
    if page is not None:
        store.record_index(key, out / staging.INDEX)
    return fresh, written


def _stage_index(out: Path, project_dir: Path, staged: list, tag: str, store, common: str
                 ) -> tuple[Path | None, str]:
    """Stage the preview page for the folder as it will be, unless the cached one is it."""
    from dripmail.pipeline import cache

    manifests = staging.manifests_after(out, staged)
    key = cache.index_key(common, manifests)
    if store.index_fresh(key, out / staging.INDEX):
        return None, key
    return staging.stage_index(out, render_index(project_dir, manifests), tag), key


def _warm_index(project_dir: Path) -> None:
    """Compile the preview page's template ahead (a broken one is reported when staging it)."""
    import jinja2

    try:
        _environment(project_dir).get_template("index.html")
    except jinja2.TemplateError:
        pass


def render_index(project_dir: Path, manifests: list[dict[str, Any]]) -> str:
    """build/index.html: a static preview of these sequences, usable from disk."""
    from dripmail.rendering.theme import render

    return render(_environment(project_dir), "index.html", {"manifests": manifests})

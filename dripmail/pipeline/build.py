"""`dripmail build`: settings -> articles -> cache -> render and stage -> commit -> index -> cache.

`build` reads as the stages, one call each; `publish` is what every build shares, the
newsletter's included: cache lookup, rendering and staging what changed in the executor, one
commit with the preview page, and the cache saved. One bad article never stops the others:
it is set aside where it fails (read, or rendered), keeps its previous output, and comes back
in `BuildResult.refused`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dripmail.errors import ContentError
from dripmail.models import BuildResult, BuiltSequence, Refused, StagedSequence
from dripmail.pipeline import cache, executor, worker
from dripmail.pipeline.executor import Progress
from dripmail.pipeline.project import read_articles
from dripmail.pipeline.worker import Target, Task
from dripmail.writing import index, staging


def build(project_dir: Path, paths: Sequence[Path] = (), out_dir: Path | None = None,
          overrides: Mapping[str, Any] | None = None, *, jobs: int = 1,
          progress: Progress | None = None, check: bool = False) -> BuildResult:
    """Build each article into `out_dir/<slug>/` (default: build/ in the project).

    Unchanged sequences are kept from the cache; the others are rendered in `jobs` processes
    and switched in at once, so a failed or killed build leaves the old output whole. With
    `check`, `BuildResult.findings` holds what `checks.check_sequences` finds in the build.
    Articles that cannot be made are in `BuildResult.refused`, drafts in `skipped`.
    """
    project_dir = Path(project_dir)
    out = output_folder(project_dir, out_dir, paths)
    articles = read_articles(project_dir, paths, overrides)  # settings, discover, read
    tasks = [worker.article_task(item, project_dir) for item in articles.loaded]
    built = publish(tasks, project_dir, out, jobs=jobs, progress=progress, check=check,
                    keep_going=True) if tasks else BuildResult((), out)
    return dataclasses.replace(built, refused=articles.refused + built.refused,
                               skipped=articles.skipped, notes=articles.notes)


def output_folder(project_dir: Path, out_dir: Path | None, paths: Sequence[Path] = ()) -> Path:
    """The output folder, refused when it would mix with the project's own files."""
    out = Path(out_dir) if out_dir else project_dir / "build"
    staging.check_out_dir(out, project_dir, paths)
    return out


def publish(tasks: Sequence[Task], project_dir: Path, out: Path, *, jobs: int = 1,
            progress: Progress | None = None, check: bool = False,
            keep_going: bool = False) -> BuildResult:
    """Make each task's sequence in `out`: from the cache when its inputs are unchanged, else
    rendered and staged (in `jobs` processes), then switched in with the preview page. A task
    that cannot be rendered is left out (`keep_going`: the others are still made), else its
    error is raised after the others are made."""
    with staging.locked(out):
        store = cache.BuildCache.read(out)
        common = cache.common_key(project_dir)
        keys = {t.slug: cache.sequence_key(common, t.inputs, project_dir, out, t.extra)
                for t in tasks}
        changed = [t for t in tasks if not store.fresh(t.slug, keys[t.slug])]  # cache lookup
        target = Target(project_dir, out, staging.new_tag(), check)
        fresh, written, refused = _render_and_commit(changed, target, store, common, jobs,
                                                     progress)
        failed = {r.source for r in refused}
        built = [_built(t, fresh.get(t.slug), store, keys[t.slug], target) for t in tasks
                 if t.source not in failed or t.slug in fresh]
        problem = store.save()  # cache save
    if refused and not keep_going:
        raise ContentError(refused[0].message)
    warnings = [*dict.fromkeys(w for b in built for w in b.warnings)] + (
        [problem] if problem else [])  # each once: a project setting warns for every sequence
    return BuildResult(sequences=tuple(b.sequence for b in built), out_dir=out,
                       written=tuple(written), warnings=tuple(warnings),
                       findings=tuple(f for b in built for f in b.findings),
                       refused=tuple(refused))


def _render_and_commit(tasks: list[Task], target: Target, store: cache.BuildCache, common: str,
                       jobs: int, progress: Progress | None
                       ) -> tuple[dict[str, StagedSequence], list[Path], list[Refused]]:
    """Render and stage each task in the executor, stage the preview page (unless the cached
    one is still right), then commit: switch them all in at once. Tasks that cannot be
    rendered are returned as `Refused`; nothing of theirs is staged."""
    if jobs > 1 and len(tasks) > 1:
        worker.preload()  # loaded once here, shared by the forked workers
    fresh: dict[str, StagedSequence] = {}
    refused: list[Refused] = []
    try:
        run = functools.partial(worker.run, target=target)
        for result in executor.ordered_map(run, tasks, jobs, progress=progress,
                                           initializer=worker.start):
            if isinstance(result, Refused):
                refused.append(result)
                continue
            fresh[result.sequence.slug] = result
            if len(fresh) == 1 and jobs > 1:
                index.warm(target.project_dir)  # this process waits on the workers meanwhile
        page, key = _stage_index(list(fresh.values()), target, store, common)
        written = staging.commit([s.staged for s in fresh.values()], target.out_dir,
                                 target.tag, page)
    finally:
        staging.discard(target.out_dir, target.tag)  # what a failed build staged
    if page is not None:
        store.record_index(key, target.out_dir / index.INDEX)
    return fresh, written, refused


def _stage_index(staged: list[StagedSequence], target: Target, store: cache.BuildCache,
                 common: str) -> tuple[Path | None, str]:
    """Stage the preview page for the folder as it will be, unless the cached one is it."""
    from dripmail.writing.manifest import manifests_after

    manifests = manifests_after(target.out_dir, [s.staged for s in staged])
    key = cache.index_key(common, manifests)
    if store.index_fresh(key, target.out_dir / index.INDEX):
        return None, key
    html = index.render_index(target.project_dir, manifests)
    return index.stage_index(target.out_dir, html, target.tag), key


def _built(task: Task, fresh: StagedSequence | None, store: cache.BuildCache, key: str,
           target: Target) -> BuiltSequence:
    """One sequence of the build, just rendered or read back from the cache."""
    if fresh is not None:
        store.record(task.slug, key, fresh.warnings, fresh.findings, fresh.stats)
        return BuiltSequence(fresh.sequence, fresh.warnings, fresh.findings or ())
    out = target.out_dir
    seq = cache.load_sequence(out / task.slug, task.source, task.settings)
    found = store.findings(task.slug) if target.check else ()
    if found is None:  # cached by a build that did not check
        from dripmail.checks import check_sequences

        found = tuple(check_sequences([seq], out)[1])
        store.record_findings(task.slug, found)
    return BuiltSequence(seq, store.warnings(task.slug), found)

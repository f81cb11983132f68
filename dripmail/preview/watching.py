"""Which file changes call for a rebuild, and the watcher that rebuilds after each batch."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dripmail.reading import READERS

if TYPE_CHECKING:
    from dripmail.preview.livebuild import Preview

ARTICLE_SUFFIXES = frozenset(READERS)  # the extensions of the readers


def theme_dir() -> Path | None:
    """The built-in theme folder, watched like the project's own templates."""
    from dripmail.rendering.theme import builtin_dir

    found = builtin_dir()
    return found if found.is_dir() else None


def is_watched(
    path: Path, project_dir: Path, sources: Sequence[Path], theme: Path | None
) -> bool:
    """Whether a change to `path` calls for a rebuild: an article, dripmail.toml or a template."""
    name = path.name
    if name.startswith(".") or name.endswith("~"):  # editor swap and backup files
        return False
    if path == project_dir / "dripmail.toml":
        return True
    templates = [project_dir / "templates"] + ([theme] if theme else [])
    if any(path.is_relative_to(t) for t in templates):
        return True
    for source in sources or (project_dir / "sequences",):
        if path == source or (path.is_relative_to(source) and path.suffix in ARTICLE_SUFFIXES):
            return True
    return False


def watch_roots(project_dir: Path, sources: Sequence[Path], theme: Path | None) -> list[Path]:
    """The existing folders to watch (files are watched through their folder, as editors
    often save by replacing the file)."""
    roots = [project_dir, *(s if s.is_dir() else s.parent for s in sources)]
    if theme:
        roots.append(theme)
    unique: list[Path] = []
    existing = {r.resolve() for r in roots if r.exists()}
    for root in sorted(existing, key=lambda p: (len(p.parts), str(p))):
        if not any(root.is_relative_to(u) for u in unique):
            unique.append(root)
    return unique


def watch(
    preview: Preview, theme: Path | None, stop: threading.Event, ready: threading.Event
) -> None:
    """Rebuild after every batch of relevant changes until `stop` is set; `ready` is set once
    the watcher runs (the first, empty batch comes after `rust_timeout` without changes)."""
    import watchfiles

    sources = tuple(s.resolve() for s in preview.sources)
    roots = watch_roots(preview.project_dir, sources, theme)

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        return is_watched(Path(path), preview.project_dir, sources, theme)

    for changes in watchfiles.watch(
        *roots, watch_filter=relevant, stop_event=stop, debounce=300, step=50,
        rust_timeout=200, yield_on_timeout=True, raise_interrupt=False,
        ignore_permission_denied=True,
    ):
        ready.set()
        if changes:
            names = sorted({Path(p).name for _, p in changes})
            preview.log(f"Changed: {', '.join(names)}")
            preview.rebuild()

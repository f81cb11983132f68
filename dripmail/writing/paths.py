"""Names in the output folder: every path a build writes is checked here, whatever checked it
before (issue 11, S1): a sequence folder is named by a slug (`slug.is_slug`) and must resolve to
a direct child of the output folder; a symbolic link is never replaced or written through."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path

from dripmail.errors import OutputError
from dripmail.slug import is_slug
from dripmail.writing.manifest import MANIFEST


def child(out_dir: Path, slug: str) -> Path:
    """`out_dir/slug`, refused unless it is a plain, direct child of the output folder."""
    if not is_slug(slug):
        raise OutputError(f"refusing to write the sequence folder {slug!r}: a slug may hold only "
                          "lower-case letters, digits and hyphens; fix the article's `slug:`",
                          path=out_dir)
    final = out_dir / slug
    if final.is_symlink() or final.resolve().parent != out_dir.resolve():
        raise OutputError(f"refusing to write {final}: it is a symbolic link or resolves outside "
                          f"{out_dir}; remove it or choose another --out folder")
    return final


def check_out_dir(out_dir: Path, project_dir: Path, sources: Sequence[Path] = ()) -> None:
    """Refuse an output folder that is or contains the project folder, or that is, contains
    or lies inside its articles or templates: a build there would mix with its own input."""
    out, root = Path(out_dir).resolve(), Path(project_dir).resolve()
    if root.is_relative_to(out):
        raise OutputError(f"refusing to build into {out_dir}: it is (or contains) the project "
                          "folder; choose a folder inside the project, such as --out build")
    inputs = [project_dir / "sequences", project_dir / "templates", *sources]
    for folder in inputs:
        inside = Path(folder).resolve()
        if inside.is_relative_to(out) or (Path(folder).is_dir() and out.is_relative_to(inside)):
            raise OutputError(f"refusing to build into {out_dir}: it would mix the emails with "
                              f"the sources in {folder}; choose another folder, such as "
                              "--out build")


def check_replaceable(final: Path) -> None:
    """Refuse to replace `final` unless it is missing or a sequence folder of ours."""
    if final.is_symlink() or (final.exists() and not (final / MANIFEST).is_file()):
        raise OutputError(f"refusing to replace {final}: it was not made by dripmail (no "
                          f"{MANIFEST}); move it away or choose another --out folder")


def new_tag() -> str:
    """A random name for one build's temporary files and folders."""
    return secrets.token_hex(6)

"""`index.html`: the static preview page of a build folder, rendered from its manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dripmail.errors import OutputError
from dripmail.writing.files import create_file, output_error

INDEX = "index.html"
MARK = '<meta name="generator" content="dripmail">'  # in every page dripmail writes
_OLD_MARK = "<title>dripmail preview</title>"  # index pages written before the mark


def render_index(project_dir: Path, manifests: list[dict[str, Any]]) -> str:
    """The page for these manifests, through the project's theme (Jinja loads only here)."""
    from dripmail.languages import direction
    from dripmail.rendering import theme
    from dripmail.writing.manifest import page_language

    lang = page_language(project_dir, manifests)
    return theme.render(theme.for_project(project_dir, lang), INDEX,
                        {"manifests": manifests, "lang": lang, "dir": direction(lang)})


def warm(project_dir: Path) -> None:
    """Compile the page's template ahead (a broken one is reported when the page is rendered)."""
    import jinja2

    from dripmail.rendering import theme
    from dripmail.writing.manifest import page_language

    try:
        theme.for_project(project_dir, page_language(project_dir, [])).get_template(INDEX)
    except jinja2.TemplateError:
        pass


def stage_index(out_dir: Path, html: str, tag: str) -> Path:
    """Write the page to `.index.html.tmp-<tag>`, for the commit to switch in."""
    tmp = out_dir / f".{INDEX}.tmp-{tag}"
    try:
        create_file(tmp, html.encode("utf-8"))
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    return tmp


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace an `index.html` that dripmail did not write (no generator mark)."""
    index = out_dir / INDEX
    if index.is_symlink():
        raise OutputError(f"refusing to replace {index}: it is a symbolic link; remove it or "
                          "choose another --out folder")
    head = index.read_text("utf-8", "replace")[:4096] if index.is_file() else MARK
    if MARK not in head and _OLD_MARK not in head:
        raise OutputError(f"refusing to replace {index}: it was not made by dripmail; move "
                          "it away or choose another --out folder")

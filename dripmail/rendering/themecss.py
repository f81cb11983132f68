"""premailer's parse of the built-in theme's stylesheet, computed ahead and shipped.

Parsing the theme with cssutils is most of the first email's inlining in every process (about 50
ms). The result depends only on the CSS text, `inline.OPTIONS` and the cssutils and premailer
versions, so for the built-in theme it is stored in data/theme-css.json, written by `python -m
dripmail.rendering.themecss` (run it after editing templates/styles.css or upgrading either
library; tests/test_themecss.py fails while the file is stale). Any other stylesheet, or other
library versions, is parsed as before; the output is the same either way.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

FILE = "data/theme-css.json"


def versions() -> dict[str, str]:
    """The installed versions the stored parse is valid for."""
    return {name: _version(name) for name in ("cssutils", "premailer")}


def _version(name: str) -> str:
    """A distribution's version, read from the `<name>-<version>.dist-info` folder beside its
    package when there is exactly one (`importlib.metadata` takes about 20 ms to import and
    search every path entry), else from `importlib.metadata`."""
    from importlib.util import find_spec

    spec = find_spec(name)
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob(f"{name}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(name) + 1:-len(".dist-info")]
    from importlib import metadata

    return metadata.version(name)


def key(css: str, ruleset_index: int) -> str:
    """The stored entry's name for a stylesheet (premailer numbers the <style> elements)."""
    return f"{hashlib.sha256(css.encode('utf-8')).hexdigest()}/{ruleset_index}"


@cache
def _stored_file() -> dict[str, Any]:
    """data/theme-css.json, or {} when it is missing or made with other library versions."""
    try:
        text = resources.files("dripmail").joinpath(FILE).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return {}
    return data if data.get("versions") == versions() else {}


def _stored() -> dict[str, Any]:
    return _stored_file().get("sheets", {})


def lookup(css: str, ruleset_index: int) -> tuple[list, str | None, dict[str, list]] | None:
    """What premailer makes of a stored stylesheet, or None: (its rules, the text of what is
    left over for <head> or None when nothing is, {declarations: premailer's style pairs})."""
    entry = _stored().get(key(css, ruleset_index))
    if entry is None:
        return None
    rules = [(tuple(spec), selector, bulk) for spec, selector, bulk in entry["rules"]]
    pairs = {bulk: [tuple(pair) for pair in found] for bulk, found in entry["pairs"].items()}
    return rules, entry["leftover"], pairs


def compute(css: str, ruleset_index: int) -> dict[str, Any]:
    """Parse a stylesheet with premailer and cssutils, as the stored entry holds it."""
    from premailer.merge_style import csstext_to_pairs

    from dripmail.rendering.inline import OPTIONS, Premailer

    uncached = inspect.unwrap(csstext_to_pairs)  # not the caches, which `inline` seeds
    premailer = Premailer("<html></html>", **OPTIONS)
    rules, leftover = premailer._parse_style_rules(css, ruleset_index)
    return {"rules": [[list(spec), selector, bulk] for spec, selector, bulk in rules],
            "leftover": premailer._css_rules_to_string(leftover) if leftover else None,
            "pairs": {bulk: [list(pair) for pair in uncached(bulk, validate=False)]
                      for _spec, _selector, bulk in rules}}


def theme_sheets(project: Path) -> list[tuple[str, int]]:
    """(CSS, index) of each stylesheet premailer meets rendering a project's articles."""
    from dripmail.pipeline.project import render_project
    from dripmail.rendering import inline

    seen: dict[tuple[str, int], None] = {}
    original = inline._OncePremailer._sheet  # every stylesheet goes through it

    def recording(self, css_body, ruleset_index):
        seen[(css_body or "", ruleset_index)] = None
        return original(self, css_body, ruleset_index)

    inline._OncePremailer._sheet = recording
    try:
        render_project(project)
    finally:
        inline._OncePremailer._sheet = original
    return list(seen)


def inline_styles() -> list[str]:
    """The fixed `style` attributes of the built-in templates (premailer parses each one it
    meets with cssutils, to merge the rules into it)."""
    from dripmail.rendering.theme import builtin_dir

    found = {m for path in sorted(builtin_dir().glob("*.html"))
             for m in _STYLE_ATTRIBUTE.findall(path.read_text(encoding="utf-8"))}
    return sorted(found)


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"{}<>&]*)"')


def generate(project: Path) -> dict[str, Any]:
    """The document data/theme-css.json holds, from the bundled example of the repository."""
    from premailer.merge_style import csstext_to_pairs

    uncached = inspect.unwrap(csstext_to_pairs)  # premailer calls it without `validate` here
    return {"versions": versions(),
            "sheets": {key(css, index): compute(css, index)
                       for css, index in theme_sheets(project)},
            "inline": {style: [list(pair) for pair in uncached(style)]
                       for style in inline_styles()}}


def inline_pairs() -> dict[str, list[tuple[str, str]]]:
    """premailer's style pairs of the built-in templates' `style` attributes (see
    :func:`inline_styles`), when the stored file matches the installed libraries."""
    return {style: [tuple(pair) for pair in found]
            for style, found in _stored_file().get("inline", {}).items()}


if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parents[2]
    target = Path(__file__).resolve().parents[1] / "data" / "theme-css.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(generate(ROOT), indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"wrote {target}")

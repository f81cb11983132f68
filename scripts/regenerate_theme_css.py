#!/usr/bin/env python3
"""Regenerate dripmail/data/theme-css.json: premailer's parse of the built-in theme, shipped so
that no build parses it again (see dripmail/rendering/themecss.py, which looks it up).

Usage (run from the repository root, after editing templates/styles.css or the templates'
style attributes, or upgrading cssutils or premailer; tests/test_themecss.py says when):

    python scripts/regenerate_theme_css.py
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's dripmail, not an installed one

from dripmail.rendering.themecss import FILE, key, versions  # noqa: E402


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


def main() -> None:
    """Write the file from the bundled example of the repository."""
    target = ROOT / "dripmail" / FILE
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(generate(ROOT), indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

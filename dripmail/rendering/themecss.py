"""premailer's parse of the built-in theme's stylesheet, computed ahead and shipped: the lookup.

Parsing the theme with cssutils is most of the first email's inlining in every process (about 50
ms). The result depends only on the CSS text, `inline.OPTIONS` and the cssutils and premailer
versions, so for the built-in theme it is stored in data/theme-css.json, written by `python
scripts/regenerate_theme_css.py` (run it after editing templates/styles.css or upgrading either
library; tests/test_themecss.py fails while the file is stale). Any other stylesheet, or other
library versions, is parsed as before; the output is the same either way.
"""

from __future__ import annotations

import hashlib
import json
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


def inline_pairs() -> dict[str, list[tuple[str, str]]]:
    """premailer's style pairs of the built-in templates' `style` attributes (see
    :func:`inline_styles`), when the stored file matches the installed libraries."""
    return {style: [tuple(pair) for pair in found]
            for style, found in _stored_file().get("inline", {}).items()}

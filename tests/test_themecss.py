"""The shipped parse of the built-in theme (dripmail/data/theme-css.json) is current and used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dripmail.rendering import themecss

ROOT = Path(__file__).resolve().parents[1]
STORED = json.loads((ROOT / "dripmail" / themecss.FILE).read_text(encoding="utf-8"))


def test_stored_parse_is_current() -> None:
    if STORED["versions"] != themecss.versions():
        pytest.skip(f"cssutils/premailer {themecss.versions()} differ from the stored "
                    f"{STORED['versions']}: the theme is parsed live; run "
                    "`python -m dripmail.rendering.themecss` to refresh the file")
    assert themecss.generate(ROOT) == STORED, (
        "templates/styles.css changed: run `python -m dripmail.rendering.themecss`")


def test_build_of_the_example_does_not_parse_the_theme_with_cssutils() -> None:
    if STORED["versions"] != themecss.versions():
        pytest.skip("other library versions: the theme is parsed live")
    code = ("import cssutils, pathlib; calls = []; real = cssutils.parseString; "
            "cssutils.parseString = lambda *a, **k: calls.append(1) or real(*a, **k); "
            "from dripmail.pipeline.build import render_project; "
            "render_project(pathlib.Path('.')); "
            "print(len(calls))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["0"]


def test_unknown_stylesheets_are_not_found() -> None:
    assert themecss.lookup("p { color: red }", 0) is None


def test_build_of_the_example_loads_no_cssutils_pygments_or_metadata(tmp_path: Path) -> None:
    """Start-up: the example needs none of them (the theme's parse ships; codehilite is off)."""
    if STORED["versions"] != themecss.versions():
        pytest.skip("other library versions: the theme is parsed live")
    code = ("import sys, pathlib; from dripmail.pipeline.build import build; "
            "from dripmail.lazy import Pending; "
            f"build(pathlib.Path('.'), out_dir=pathlib.Path({str(tmp_path)!r}), check=True); "
            "print(*(m in sys.modules and not isinstance(sys.modules[m], Pending) "
            "for m in ('cssutils', 'requests', 'pygments', 'importlib.metadata')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["False", "False", "False", "False"]  # (cssutils, requests: not run)


def test_versions_read_from_dist_info_match_importlib_metadata() -> None:
    from importlib import metadata

    assert themecss.versions() == {name: metadata.version(name)
                                   for name in ("cssutils", "premailer")}

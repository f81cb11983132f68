"""The shipped parse of the built-in theme (dripmail/data/theme-css.json) is current and used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dripmail.rendering import themecss

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import regenerate_theme_css  # noqa: E402  (the generator: a tool, not part of the package)

STORED = json.loads((ROOT / "dripmail" / themecss.FILE).read_text(encoding="utf-8"))
REGENERATE = "python scripts/regenerate_theme_css.py"  # writes dripmail/data/theme-css.json


def require_current_versions() -> None:
    """Fail (never skip) when the stored parse was made with other library versions: builds
    would then parse the theme live, slower, and nothing else would say so."""
    assert STORED["versions"] == themecss.versions(), (
        f"dripmail/{themecss.FILE} was made with {STORED['versions']}, but "
        f"{themecss.versions()} are installed, so every build parses the theme with cssutils "
        f"again: run `{REGENERATE}` and commit the file")


def test_stored_parse_is_current() -> None:
    require_current_versions()
    assert regenerate_theme_css.generate(ROOT) == STORED, (
        f"templates/styles.css or the templates changed: run `{REGENERATE}` and commit "
        f"dripmail/{themecss.FILE}")


def test_build_of_the_example_does_not_parse_the_theme_with_cssutils() -> None:
    require_current_versions()
    code = ("import cssutils, pathlib; calls = []; real = cssutils.parseString; "
            "cssutils.parseString = lambda *a, **k: calls.append(1) or real(*a, **k); "
            "from dripmail.pipeline.project import render_project; "
            "render_project(pathlib.Path('.')); "
            "print(len(calls))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["0"]


def test_unknown_stylesheets_are_not_found() -> None:
    assert themecss.lookup("p { color: red }", 0) is None


def test_build_of_the_example_loads_no_cssutils_pygments_or_metadata(tmp_path: Path) -> None:
    """Start-up: the example needs none of them (the theme's parse ships; codehilite is off)."""
    require_current_versions()
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

"""The wheel ships the one copy of the theme and the bundled example."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_theme_and_example(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("dripmail", "templates", "sequences"):
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(src)], check=True,
                   capture_output=True)
    wheel, = (tmp_path / "dist").glob("dripmail-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for theme_file in (ROOT / "templates").iterdir():
        if theme_file.is_file():
            assert f"dripmail/templates/{theme_file.name}" in names
    assert "dripmail/example/when-your-partner-isnt-ready.txt" in names
    assert "dripmail/checks/data/caniemail.json" in names  # client-support data and its licence
    assert "dripmail/checks/data/LICENSE" in names
    assert "dripmail/data/theme-css.json" in names  # premailer's parse of the built-in theme
    for lang in ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "ar", "he"):
        assert f"dripmail/locales/{lang}/LC_MESSAGES/dripmail.mo" in names  # the theme's words
    assert "dripmail/locales/dripmail.pot" in names

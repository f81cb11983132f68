"""Shared fixtures: a CliRunner, small projects, and the --update-golden switch."""

from __future__ import annotations

import contextlib
import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sequences" / "when-your-partner-isnt-ready.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output instead of comparing.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example project (dripmail.toml + sequences/)."""
    shutil.copy(ROOT / "dripmail.toml", tmp_path / "dripmail.toml")
    shutil.copytree(ROOT / "sequences", tmp_path / "sequences")
    return tmp_path


@contextlib.contextmanager
def reference_path() -> Iterator[None]:
    """Within the block DRIPMAIL_REFERENCE=1: every speed path runs its library (dripmail reads
    the variable on each call)."""
    old = os.environ.get("DRIPMAIL_REFERENCE")
    os.environ["DRIPMAIL_REFERENCE"] = "1"
    try:
        yield
    finally:
        if old is None:
            del os.environ["DRIPMAIL_REFERENCE"]
        else:
            os.environ["DRIPMAIL_REFERENCE"] = old


def write(path: Path, text: str | bytes) -> Path:
    """Write a dedented text (or raw bytes) file, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with a minimal dripmail.toml."""
    write(tmp_path / "dripmail.toml", """
        brand = "Test Studio"
        postal_address = "1 Test Road, Testville"
    """)
    return tmp_path

"""`dripmail newsletter` goes through the build's pipeline: the same writer and files as a
sequence, the same cache (an unchanged issue is not rendered again), the same quality gate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dripmail.cli import cli
from dripmail.newsletter import issue
from dripmail.pipeline.cache import CACHE_NAME

SLUG = "when-your-partner-isnt-ready-newsletter"
ARTICLE = "sequences/when-your-partner-isnt-ready.txt"


@pytest.fixture
def project(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example, as the current folder."""
    monkeypatch.chdir(example)
    return example


def newsletter(*args: str):
    result = CliRunner().invoke(cli, ["newsletter", ARTICLE, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_an_issue_gets_the_files_of_a_sequence(project: Path) -> None:
    result = newsletter("--provider", "postmark")
    folder = project / "build" / SLUG
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    stem = manifest["emails"][0]["html"].removesuffix(".html")
    assert (folder / f"{stem}.eml").read_bytes().startswith(b"Subject: ")
    with open(folder / "schedule.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["position"], r["day"]) for r in rows] == [("1", "0")]
    assert rows[0]["file"] == f"postmark/{SLUG}-01/content.html"  # the provider's package
    assert (folder / rows[0]["file"]).read_text(encoding="utf-8") == (
        folder / f"{stem}.html").read_text(encoding="utf-8")
    assert "check: " in result.output


def test_an_unchanged_issue_is_kept_from_the_cache(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = newsletter()
    folder = project / "build" / SLUG
    files = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert SLUG in json.loads((project / "build" / CACHE_NAME).read_text())["sequences"]

    def never(*_args: object) -> None:
        raise AssertionError("the issue was rendered again")

    monkeypatch.setattr(issue, "render_issue", never)
    again = newsletter()
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == files
    assert again.output.splitlines()[-1] == first.output.splitlines()[-1]  # the same findings
    with pytest.raises(AssertionError, match="rendered again"):
        newsletter("--issue", "3")  # an option changed (same folder): rendered again

"""The two ways of checking agree: what `dripmail build` (or `dripmail newsletter`) reports
for the emails it writes is what `dripmail check build/` reports for the same files, and what
`dripmail check <article>` reports for the article rendered in memory."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dripmail.checks import check_sequences
from dripmail.checks.loading import load_build
from dripmail.cli import cli
from dripmail.init import SETTINGS
from dripmail.newsletter.issue import build_newsletter
from dripmail.pipeline.build import build
from tests.conftest import SEED, write

ARTICLE = "sequences/when-your-partner-isnt-ready.txt"
ADDRESS = 'postal_address = "123 Harbor Street, Suite 4, Portland, OR 97201, USA"'
SHORT = """\
---
title: Notes on rest
{front}---
# Notes on rest

Rest is not a reward. It is part of the work, and the work goes better with it. {more}

## Why it helps

A rested mind notices more and reacts less. Small problems stay small. {more}
"""


def _project(tmp_path: Path, settings: str, articles: dict[str, str] | None = None) -> Path:
    write(tmp_path / "dripmail.toml", settings)
    shutil.copy(SEED, write(tmp_path / ARTICLE, ""))
    for name, text in (articles or {}).items():
        write(tmp_path / name, text)
    return tmp_path


def _rows(findings) -> list[tuple[str, str, str, str]]:
    """(rule, severity, file relative to the project, message) for each finding."""
    return [(f.rule, f.severity, _relative(f.file), f.message) for f in findings]


def _relative(file: str) -> str:
    parts = Path(file).parts
    return Path(*parts[parts.index("build"):]).as_posix()


def _json_rows(output: str) -> list[tuple[str, str, str, str]]:
    data = json.loads(output)
    return [(f["rule"], f["severity"], _relative(f["file"]), f["message"])
            for f in data["findings"]]


def _summary(output: str) -> tuple[int, int]:
    errors, warnings = re.search(r"^check: (\d+) errors?, (\d+) warnings?", output,
                                 re.MULTILINE).groups()
    return int(errors), int(warnings)


def _counts(rows) -> tuple[int, int]:
    errors = sum(row[1] == "error" for row in rows)
    return errors, len(rows) - errors


def _check(*args: str) -> list[tuple[str, str, str, str]]:
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return _json_rows(result.output)


CASES = {
    # the bundled example, as `dripmail init` writes it
    "example": (SETTINGS, {}, ()),
    # no postal address anywhere: the same errors whichever way
    "no-address": (SETTINGS.replace(ADDRESS, ""), {}, ()),
    # an address with no street-address shape: found in the footer only because it is the
    # configured one (the manifest did not carry it: `check build/` reported errors)
    "odd-address": (SETTINGS.replace(ADDRESS, 'postal_address = "Harbor Counseling, Pier 9"'),
                    {}, ()),
    "kit": (SETTINGS.replace('provider = "generic"', 'provider = "kit"'), {}, ()),
    "mailchimp-no-address": (SETTINGS.replace(ADDRESS, "").replace(
        'provider = "generic"', 'provider = "mailchimp"'), {}, ()),
    "mailerlite-no-address": (SETTINGS.replace(ADDRESS, ""), {}, ("--provider", "mailerlite")),
    # levels: the project's, and an article's own in its front matter (which replace them)
    "levels": (SETTINGS + '\n[check]\nreading-ease = "off"\npostal-address = "warning"\n',
               {"sequences/rest.md": SHORT.format(
                   front="check:\n  grade-level: \"off\"\n  word-count: \"error\"\n",
                   more="Short days add up.")},
               ()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_build_and_check_agree(case: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    settings, articles, options = CASES[case]
    project = _project(tmp_path, settings, articles)
    monkeypatch.chdir(project)
    overrides = dict(zip(options[::2], options[1::2], strict=True))
    built = _rows(build(project, overrides={k.lstrip("-"): v for k, v in overrides.items()},
                        check=True).findings)
    result = CliRunner().invoke(cli, ["build", *options])  # cached: findings from the cache
    assert result.exit_code == 0, result.output
    assert _summary(result.output) == _counts(built)
    assert _check("build") == built
    assert _check() == built  # the project's build/
    if not options:  # an article rendered in memory, with the same settings
        assert sorted(_check(*sorted(str(p) for p in Path("sequences").iterdir()))) \
            == sorted(built)
    errors = {row[0] for row in built if row[1] == "error"}
    assert errors == {"no-address": {"postal-address"}, "levels": {"word-count"}}.get(case, set())
    if case == "levels":
        assert not any(row[0] == "reading-ease" and "rest" not in row[2] for row in built)
        assert ("word-count", "error") in {row[:2] for row in built}


@pytest.mark.parametrize("case", ["one", "digest", "no-address"])
def test_newsletter_and_check_agree(case: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = SETTINGS.replace(ADDRESS, 'postal_address = "Harbor Counseling, Pier 9"')
    if case == "no-address":
        settings = SETTINGS.replace(ADDRESS, "")
    rest = SHORT.format(front='check:\n  reading-ease: "error"\n', more="Short days add up. " * 12)
    project = _project(tmp_path, settings, {"sequences/rest.md": rest})
    monkeypatch.chdir(project)
    paths = [Path(ARTICLE), Path("sequences/rest.md")] if case == "digest" else [Path(ARTICLE)]
    result = CliRunner().invoke(cli, ["newsletter", *map(str, paths)])
    assert result.exit_code == 0, result.output
    said = _summary(result.output)
    issue = build_newsletter(project, paths)
    built = _rows(check_sequences(issue.sequences, issue.out_dir)[1])
    assert said == _counts(built)
    slug = issue.sequences[0].slug
    assert load_build(Path("build") / slug)[0].kind == "newsletter"
    assert _check(f"build/{slug}") == built
    if case == "no-address":
        assert ("postal-address", "error") in {row[:2] for row in built}

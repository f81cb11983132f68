"""`dripmail check` and the check summary of `dripmail build`, run as a new user would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dripmail.checks import RULES
from dripmail.cli import cli

IMAGE = "https://example.com/images/couch.jpg"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A fresh `dripmail init` project, built once per module."""
    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        runner = CliRunner()
        assert runner.invoke(cli, ["init", "."]).exit_code == 0
        result = runner.invoke(cli, ["build"])
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def project(built, tmp_path, monkeypatch) -> Path:
    """A copy of the built project, as the current folder."""
    folder = tmp_path / "project"
    shutil.copytree(built, folder)
    monkeypatch.chdir(folder)
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def first_email(project: Path) -> Path:
    return sorted(project.glob("build/*/01-*.html"))[0]


def test_build_prints_a_check_summary(project):
    result = run("build")
    assert result.exit_code == 0
    assert "check: 0 errors" in result.output


def test_example_build_has_no_errors(project):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("No errors: all ")


def test_grown_email_without_alt_fails_naming_file_size_and_image(project):
    page = first_email(project)
    html = page.read_text(encoding="utf-8")
    filler = "<p>" + "More words about the next step together. " * 60 + "</p>\n"
    grown = html.replace("</td>", f'<img src="{IMAGE}" width="560">' + filler * 45 + "</td>", 1)
    page.write_text(grown, encoding="utf-8")
    size = len(grown.encode("utf-8"))
    assert size >= 104_448
    result = run("check")
    assert result.exit_code == 1
    out = result.output
    assert str(Path("build") / page.parent.name / page.name) in out
    assert f"{size:,} bytes" in out and "Gmail clips" in out
    assert f"image {IMAGE} has no alt attribute" in out
    assert "html-size" in out and "img-alt" in out

    data = json.loads(run("check", "--format", "json").output)
    assert data["summary"]["passed"] is False
    rules = {(f["rule"], f["severity"]) for f in data["findings"]}
    assert {("html-size", "error"), ("img-alt", "error")} <= rules


def test_json_report_schema(project):
    result = run("check", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["version"] == 1
    assert set(data["summary"]) == {"errors", "warnings", "emails", "emails_with_findings",
                                    "passed"}
    assert data["notes"] == []  # English: every rule applies
    assert data["summary"]["errors"] == 0
    assert data["summary"]["emails"] == len(data["emails"]) >= 3
    assert data["summary"]["warnings"] == len(data["findings"])
    email = data["emails"][0]
    assert set(email) == {"file", "sequence", "position", "day", "subject", "words",
                          "reading_minutes", "reading_ease", "grade", "html_bytes", "errors",
                          "warnings", "language", "reading_formula"}
    assert (email["language"], email["reading_formula"]) == ("en", "flesch")
    assert email["position"] == 1 and email["day"] == 0
    assert email["html_bytes"] == first_email(project).stat().st_size
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "file", "position", "message", "fix"}
        assert finding["rule"] in RULES and finding["severity"] in {"error", "warning"}


def test_strict_fails_on_warnings(project):
    page = first_email(project)
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Hi ", "See you tomorrow. Hi ", 1), encoding="utf-8")
    assert run("check").exit_code == 0
    result = run("check", "--strict")
    assert result.exit_code == 1
    assert "relative-time" in result.output


def test_levels_from_dripmail_toml(project):
    page = first_email(project)
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</td>", f'<img src="{IMAGE}"></td>', 1), encoding="utf-8")
    assert run("check").exit_code == 1
    toml = project / "dripmail.toml"
    toml.write_text(toml.read_text() + '\n[check]\nimg-alt = "warning"\nreading-ease = "off"\n'
                    'grade-level = "off"\n')
    result = run("check", "--format", "json")
    assert result.exit_code == 0
    found = {(f["rule"], f["severity"]) for f in json.loads(result.output)["findings"]}
    assert ("img-alt", "warning") in found
    assert not {r for r, _s in found} & {"reading-ease", "grade-level"}
    toml.write_text(toml.read_text().replace('img-alt = "warning"', 'img-alt = "off"'))
    assert "img-alt" not in run("check").output


def test_unknown_rule_in_config_names_the_closest(project):
    toml = project / "dripmail.toml"
    toml.write_text(toml.read_text() + '\n[check]\nsubject-lenght = "off"\n')
    for command in (["check"], ["build"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "unknown check rule 'subject-lenght' in [check]; did you mean 'subject-length'?" \
            in result.output
        assert "Traceback" not in result.output


def test_check_sources_renders_in_memory(project):
    article = project / "welcome.md"
    article.write_text("# Welcome\n\nHello there. " + "This is a short course. " * 40 + "\n")
    result = run("check", str(article), "--format", "json")
    data = json.loads(result.output)
    assert data["emails"] and data["emails"][0]["file"].startswith(str(Path("build") / "welcome"))
    assert not (project / "build" / "welcome").exists()


def test_missing_build_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    assert "run `dripmail build` first" in result.output
    assert "Traceback" not in result.output


def test_check_one_built_email_file(project):
    page = sorted(project.glob("build/*/02-*.html"))[0]
    data = json.loads(run("check", str(page.relative_to(project)), "--format", "json").output)
    assert [e["position"] for e in data["emails"]] == [2]
    assert all(f["file"].endswith(page.name) for f in data["findings"])


def test_list_rules():
    result = run("check", "--list-rules")
    assert result.exit_code == 0
    for rid in RULES:
        assert rid in result.output


def test_broken_manifest_is_a_clear_error(project):
    manifest = sorted(project.glob("build/*/manifest.json"))[0]
    manifest.write_text("{not json", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "manifest.json: not a dripmail manifest" in result.output
    assert "Traceback" not in result.output


def test_newsletter_prints_a_check_summary(project):
    result = run("newsletter", "sequences/when-your-partner-isnt-ready.txt")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("check: 0 errors")

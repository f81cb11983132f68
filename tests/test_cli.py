"""The command line as a user sees it: exit codes, one-line errors, help with examples."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dripmail import __version__
from dripmail.cli import cli
from tests.conftest import ROOT, write


@pytest.fixture(autouse=True)
def _restore_cwd():
    here = os.getcwd()
    yield
    os.chdir(here)


def invoke(runner: CliRunner, cwd: Path, *args: str):
    os.chdir(cwd)
    return runner.invoke(cli, list(args))


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    group = cli
    assert isinstance(group, click.Group)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, f"{name} --help has no example"


def test_build_the_example(runner: CliRunner, example: Path) -> None:
    result = invoke(runner, example, "build")
    assert result.exit_code == 0, result.output
    assert "Built " in result.output and "build/" in result.output
    manifest = json.loads((example / "build" / "when-your-partner-isnt-ready" /
                           "manifest.json").read_text())
    seq = manifest["sequence"]
    assert seq["slug"] == "when-your-partner-isnt-ready"
    assert seq["source"] == "sequences/when-your-partner-isnt-ready.txt"
    assert seq["provider"] == "generic" and seq["lang"] == "en" and seq["kind"] == "sequence"
    assert seq["emails"] == len(manifest["emails"])
    for e in manifest["emails"]:
        html = example / "build" / "when-your-partner-isnt-ready" / e["html"]
        assert html.stat().st_size == e["html_bytes"]
        assert (html.parent / e["text"]).is_file()
        assert set(e) >= {"position", "day", "subject", "preheader", "html", "text", "words",
                          "html_bytes"}
    index = (example / "build" / "index.html").read_text()
    assert "when-your-partner-isnt-ready/01-" in index


def test_build_options(runner: CliRunner, example: Path) -> None:
    result = invoke(runner, example, "build", "--emails", "5", "--out", "dist",
                    "sequences/when-your-partner-isnt-ready.txt")
    assert result.exit_code == 0, result.output
    assert len(list((example / "dist" / "when-your-partner-isnt-ready").glob("*.html"))) == 5


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_bad_email_count_is_a_usage_error(runner: CliRunner, example: Path, value: str) -> None:
    result = invoke(runner, example, "build", "--emails", value)
    assert result.exit_code == 2
    assert "--emails" in result.output


def test_user_errors_are_one_line_without_traceback(runner: CliRunner, project: Path) -> None:
    write(project / "sequences" / "a.md", b"")
    result = invoke(runner, project, "build")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: sequences/a.md: the file is empty; write the article first"]
    assert "Traceback" not in result.output


def test_too_many_emails_is_a_clear_error(runner: CliRunner, project: Path) -> None:
    write(project / "sequences" / "a.md", "# T\n\nOne short sentence.\n")
    result = invoke(runner, project, "build", "--emails", "5")
    assert result.exit_code == 1
    assert "cannot make 5 emails from this article" in result.output


def test_settings_errors_are_reported_together(runner: CliRunner, project: Path) -> None:
    write(project / "dripmail.toml", 'brnd = "x"\nemails = "lots"\n')
    write(project / "sequences" / "a.md", "# T\n\nText.\n")
    result = invoke(runner, project, "build")
    assert result.exit_code == 1
    assert "2 settings problems" in result.output
    assert "did you mean 'brand'" in result.output
    assert not (project / "build").exists()


def test_cp1252_warning_is_printed(runner: CliRunner, project: Path) -> None:
    write(project / "sequences" / "a.txt", "Title\n\u201cHi\u201d there, friend.\n"
          .encode("cp1252"))
    result = invoke(runner, project, "build")
    assert result.exit_code == 0
    assert "Warning:" in result.output and "cp1252" in result.output


def test_init_creates_a_buildable_project(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, tmp_path, "init", "demo")
    assert result.exit_code == 0, result.output
    demo = tmp_path / "demo"
    assert (demo / "dripmail.toml").read_text() == (ROOT / "dripmail.toml").read_text()
    assert (demo / "templates" / "README.md").is_file()
    assert (demo / "sequences" / "when-your-partner-isnt-ready.txt").read_bytes() == \
        (ROOT / "sequences" / "when-your-partner-isnt-ready.txt").read_bytes()
    assert invoke(runner, demo, "build").exit_code == 0
    again = invoke(runner, tmp_path, "init", "demo")
    assert again.exit_code == 1 and "already exists" in again.output
    assert "Next: cd demo && dripmail build" in result.output


def test_a_one_email_sequence_is_reported_in_the_singular(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    (tmp_path / "sequences").mkdir()
    (tmp_path / "sequences" / "short.md").write_text("# Short\n\n" + "A few words. " * 40)
    result = invoke(runner, tmp_path, "build", "--no-check")
    assert result.exit_code == 0, result.output
    assert "  short: 1 email, day 0\n" in result.output


def test_init_in_the_current_folder_says_what_to_run_there(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    result = invoke(runner, tmp_path, "init")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Project ready. Next: dripmail build"


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "dripmail", "--version"], capture_output=True,
                         text=True, cwd=ROOT, check=True)
    assert __version__ in out.stdout

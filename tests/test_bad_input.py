"""Bad input, as a user would feed it: one clear line, the documented exit code, no traceback,
and the previous build untouched.

Exit codes: 0 built (warnings allowed), 1 error (`Error: <file>:<line>: ...`), 2 usage error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dripmail.cli import cli
from dripmail.pipeline.cache import CACHE_NAME
from dripmail.rendering import compose
from tests.conftest import write

GOOD = "# A good article\n\n" + "\n\n".join(
    f"## Part {n}\n\n" + " ".join(["Plain words in a steady paragraph."] * 12) for n in range(4))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def built(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one good article, built once (the build a bad input must not damage)."""
    monkeypatch.chdir(project)
    write(project / "sequences" / "good.md", GOOD)
    with (project / "dripmail.toml").open("a", encoding="utf-8") as toml:  # else a warning
        toml.write('unsubscribe_url = "https://example.com/unsubscribe"\n')
    result = CliRunner().invoke(cli, ["build", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return project


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["build", *args])


def error_line(result: Result) -> str:
    """The one `Error:` line of a failed command (and nothing that looks like a traceback)."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def fails(project: Path, *args: str, code: int = 1) -> str:
    """Build with `args`, expect exit `code`, the old build intact and no temporary folders."""
    before = snapshot(project / "build")
    result = run("--jobs", "1", *args)
    assert result.exit_code == code, result.output
    assert snapshot(project / "build") == before
    assert not [p for p in (project / "build").iterdir()
                if p.name.startswith(".") and p.name != CACHE_NAME]
    return error_line(result)


# -- files that are not articles -------------------------------------------------------------

@pytest.mark.parametrize("body", [b"", b"   \n\n\t  \n", b"\xef\xbb\xbf\n\n"],
                         ids=["empty", "whitespace", "bom-only"])
def test_empty_article_is_refused(built: Path, body: bytes) -> None:
    write(built / "sequences" / "bad.md", body)
    assert fails(built) == "Error: sequences/bad.md: the file is empty; write the article first"


@pytest.mark.parametrize("body", [b"hello\x00world\x00" * 50, bytes(range(1, 32)) * 40,
                                  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))],
                         ids=["nul", "control", "png"])
def test_binary_data_is_refused(built: Path, body: bytes) -> None:
    write(built / "sequences" / "bad.md", body)
    line = fails(built)
    assert line.startswith("Error: sequences/bad.md: looks like a binary file")


def test_article_without_words_is_refused(built: Path) -> None:
    write(built / "sequences" / "bad.html", "<html><body><div><img src='a.png'></div></body>"
                                            "</html>")
    assert "sequences/bad.html" in fails(built) and "no words" in fails(built)


# -- size and shape --------------------------------------------------------------------------

def test_five_megabyte_article_is_one_clear_error(built: Path) -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    paragraphs = [" ".join(words[(n + k) % 10] for k in range(90)) + "." for n in range(10000)]
    body = "# Huge\n\n" + "\n\n".join(
        (f"## Section {n}\n\n" if n % 10 == 0 else "") + p for n, p in enumerate(paragraphs))
    write(built / "sequences" / "huge.md", body)
    assert (built / "sequences" / "huge.md").stat().st_size > 5_000_000
    line = fails(built)
    assert re.fullmatch(r"Error: sequences/huge\.md: this article would make \d+ emails, more "
                        r"than the 100 a sequence may have; .*", line)


def test_article_without_headings_is_split_at_paragraphs(built: Path) -> None:
    body = "\n\n".join(" ".join([f"Sentence number {n} of a long flat text."] * 10)
                       for n in range(30))
    write(built / "sequences" / "flat.txt", body)
    result = run("--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output and "Traceback" not in result.output
    manifest = (built / "build" / "flat" / "manifest.json").read_text()
    assert manifest.count('"position"') >= 3


def test_one_giant_paragraph_builds_one_email_with_a_warning(built: Path) -> None:
    write(built / "sequences" / "giant.md", "# Giant\n\n" + " ".join(["word"] * 20000) + ".\n")
    before = snapshot(built / "build" / "good")
    result = run("--jobs", "1")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("Warning:")]
    assert len(warnings) == 1
    assert "sequences/giant.md: email 1 has 20000 words" in warnings[0]
    assert "Traceback" not in result.output
    assert snapshot(built / "build" / "good") == before


def test_one_sentence_cannot_make_five_emails(built: Path) -> None:
    write(built / "sequences" / "short.md", "Just one sentence here.\n")
    line = fails(built, "sequences/short.md", "--emails", "5")
    assert line.startswith("Error: sequences/short.md: cannot make 5 emails from this article")


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_emails_zero_is_a_usage_error(built: Path, value: str) -> None:
    line = fails(built, "--emails", value, code=2)
    assert "Invalid value for '--emails'" in line


def test_jobs_zero_is_a_usage_error(built: Path) -> None:
    assert "Invalid value for '--jobs'" in fails(built, "--jobs", "0", code=2)


# -- encodings -------------------------------------------------------------------------------

def test_cp1252_export_is_decoded_with_a_warning(built: Path) -> None:
    text = "Title\n\nHe said \u201chello\u201d and it\u2019s fine \u2013 really.\n"
    write(built / "sequences" / "win.txt", text.encode("cp1252"))
    result = run("--jobs", "1")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("Warning:")]
    assert warnings == ["Warning: sequences/win.txt:3: not UTF-8; decoded as Windows-1252 "
                        "(cp1252). Save the file as UTF-8 to silence this warning"]
    out = (built / "build" / "win" / "01-title.txt").read_text(encoding="utf-8")
    assert "He said \u201chello\u201d and it\u2019s fine \u2013 really." in out


def test_invalid_utf8_that_is_not_cp1252_either_is_refused(built: Path) -> None:
    write(built / "sequences" / "bad.txt", b"Title\n\nGood line.\nBad \x81\x8d\x90 bytes.\n")
    assert fails(built) == ("Error: sequences/bad.txt:4: not UTF-8 text (byte 0x81); save the "
                            "file as UTF-8")


# -- untrusted content -----------------------------------------------------------------------

ATTACK = """\
<script>alert(1)</script>
<p onclick="alert(2)">Click <a href="javascript:alert(3)">here</a> or
<a href="JaVaScRiPt:alert(4)">there</a> or <a href="&#106;avascript:alert(5)">encoded</a>.</p>
<iframe src="https://evil.example/frame"></iframe>
<img src="photo.png" alt="A photo" onerror="alert(6)">
<div onmouseover="alert(7)"><style>p { color: red }</style>Words inside a div.</div>
<form action="https://evil.example/"><input name="q"><button>Go</button></form>
"""


@pytest.mark.parametrize("name,body", [
    ("page.html", f"<html><head><script>alert(0)</script></head><body><article><h1>Safe</h1>"
                  f"<p>Opening words of the page.</p>{ATTACK}</article></body></html>"),
    ("post.md", f"# Safe\n\nOpening words of the post.\n\n{ATTACK}\n"
                "[a markdown link](javascript:alert(8)) and more words.\n"),
])
def test_scripts_handlers_javascript_links_and_iframes_never_reach_the_output(
        built: Path, name: str, body: str) -> None:
    write(built / "sequences" / name, body)
    result = run("--jobs", "1")
    assert result.exit_code == 0, result.output
    folder = built / "build" / Path(name).stem
    files = [p for p in folder.iterdir() if p.suffix in (".html", ".txt", ".json")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for bad in ("<script", "alert(", "javascript:", "onclick", "onerror", "onmouseover",
                    "<iframe", "evil.example", "<form", "<input"):
            assert bad not in text, f"{bad} in {path.name}"
    assert "words inside a div" in (folder / "manifest.json").read_text().lower() or any(
        "words inside a div" in p.read_text().lower() for p in files)
    index = (built / "build" / "index.html").read_text(encoding="utf-8").lower()
    assert "alert(" not in index and "javascript:" not in index and "evil.example" not in index


@pytest.mark.parametrize("name", ["tpl.md", "tpl.txt"])
def test_template_syntax_in_an_article_is_printed_not_run(built: Path, name: str) -> None:
    body = ("Seven times seven\n\nThe answer is {{ 7*7 }} today.\n\n"
            "A loop: {% for x in range(3) %}again{% endfor %} ends here.\n\n"
            "An include: {% include 'base.html' %} and {{ settings.brand }} stay text.\n")
    write(built / "sequences" / name, body)
    result = run("--jobs", "1")
    assert result.exit_code == 0, result.output
    folder = built / "build" / Path(name).stem
    text = next(folder.glob("01-*.txt")).read_text(encoding="utf-8")
    html = next(folder.glob("01-*.html")).read_text(encoding="utf-8")
    for out in (text, html):
        assert "{{ 7*7 }}" in out
        assert "{% for x in range(3) %}again{% endfor %}" in out
        assert "{% include 'base.html' %}" in out or "{% include &#39;base.html&#39; %}" in out
        assert "{{ settings.brand }}" in out
        assert "49" not in out
        assert "againagain" not in out


# -- settings --------------------------------------------------------------------------------

def test_malformed_yaml_front_matter_names_file_and_line(built: Path) -> None:
    write(built / "sequences" / "fm.md", "---\ntitle: Fine\nsubjects: [unclosed\nslug: x\n---\n"
                                         "# T\n\nText of the article.\n")
    line = fails(built)
    assert re.fullmatch(r"Error: sequences/fm\.md:\d: invalid YAML front matter: .+", line)


def test_front_matter_that_never_ends(built: Path) -> None:
    write(built / "sequences" / "fm.md", "---\ntitle: Fine\n\n# T\n\nText of the article.\n")
    assert fails(built).startswith("Error: sequences/fm.md:1: front matter starts with '---'")


def test_unknown_key_in_settings_file_is_named_with_the_closest(built: Path) -> None:
    toml = built / "dripmail.toml"
    toml.write_text(toml.read_text() + 'words_per_mail = 200\n')
    line = fails(built)
    assert line == ("Error: dripmail.toml:4: unknown setting 'words_per_mail'; did you mean "
                    "'words_per_email'?")


def test_unknown_key_in_front_matter_is_named_with_the_closest(built: Path) -> None:
    write(built / "sequences" / "fm.md", "---\nsubjcts: [One]\n---\n# T\n\nText here.\n")
    assert fails(built) == ("Error: sequences/fm.md:2: unknown setting 'subjcts'; did you mean "
                            "'subjects'?")


def test_every_settings_problem_is_reported_at_once(built: Path) -> None:
    write(built / "sequences" / "fm.md", "---\nsubjcts: [One]\nemails: lots\n---\n# T\n\nText.\n")
    before = snapshot(built / "build")
    result = run("--jobs", "1")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [  # one line each, `file:line: what is wrong` (issue 13: the good built)
        "Error: sequences/fm.md:2: unknown setting 'subjcts'; did you mean 'subjects'?",
        'Error: sequences/fm.md:3: setting \'emails\' must be "auto" or a number of emails '
        "from 1 to 100"]
    assert "Traceback" not in result.output
    assert snapshot(built / "build") == before


# -- templates -------------------------------------------------------------------------------

def test_template_syntax_error_names_file_and_line(built: Path) -> None:
    write(built / "templates" / "email.txt", "Hello\n{% if %}\n")
    line = fails(built)
    assert re.fullmatch(r"Error: \S*templates/email\.txt:2: template syntax error: .+", line)


def test_undefined_template_variable_is_named(built: Path) -> None:
    write(built / "templates" / "email.txt", "Hello\n{{ no_such_thing }}\n")
    line = fails(built)
    assert "no_such_thing" in line and "email.txt:2" in line


# -- output ----------------------------------------------------------------------------------

def test_output_folder_under_a_file_is_one_clear_error(built: Path) -> None:
    blocker = write(built / "blocker", "a file, not a folder")
    line = fails(built, "--out", "blocker/site")
    assert line.startswith("Error: blocker/site: cannot write: Not a directory")
    assert blocker.read_text() == "a file, not a folder"


def test_output_path_that_is_a_file_is_a_usage_error(built: Path) -> None:
    write(built / "blocker", "a file, not a folder")
    assert "is a file" in fails(built, "--out", "blocker", code=2)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_mid_build_keeps_the_previous_build(built: Path, jobs: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        write(built / "sequences" / f"more-{n}.md", GOOD.replace("A good", f"Another {n}"))
    assert run("--jobs", "1").exit_code == 0
    before = snapshot(built / "build")
    (built / "dripmail.toml").write_text('brand = "Renamed"\n')  # everything must re-render
    real, calls = compose.render_email, {"n": 0}

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(compose, "render_email", interrupted)
    result = run("--jobs", jobs)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Aborted!"
    assert "Traceback" not in result.output
    assert snapshot(built / "build") == before
    assert not [p for p in (built / "build").iterdir()
                if p.name.startswith(".") and p.name != CACHE_NAME]

"""Hostile paths (issue 11, S1, D2 and the smaller path items): slugs, --out, symlinks, killed
builds, full disks, file modes, unreadable settings, unwritable folders.

Every test here failed on the code before the fix (87c67ff); the kill tests run real
`python -m dripmail build` processes and kill them with SIGKILL or SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dripmail.cli import cli
from dripmail.errors import OutputError
from dripmail.pipeline.build import build
from dripmail.pipeline.cache import CACHE_NAME
from dripmail.preview.livebuild import Preview
from dripmail.writing import manifest, staging, swap
from tests.conftest import ROOT, write

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402

ARTICLE = "# A title\n\nSome words for the article body, enough to make one email.\n"


def article(path: Path, **meta: object) -> Path:
    """An article with this front matter (dumped safely, every text double-quoted)."""
    head = yaml.safe_dump(meta, default_style='"', allow_unicode=False, width=10**9)
    return write(path, f"---\n{head}---\n{ARTICLE}")


def tree(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path below `folder`: its mode, and its bytes (files; the build cache records
    mtimes, so only its presence and mode count)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel, st_ = path.relative_to(folder).as_posix(), path.lstat()
        data = path.read_bytes() if path.is_file() and path.name != CACHE_NAME else None
        found[rel] = (st_.st_mode, data)
    return found


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def one_error_line(result) -> str:
    """The one `Error:` line of a failed command (and no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


def leftovers(out: Path) -> list[str]:
    """Hidden names in an output folder, but for the build cache."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name != CACHE_NAME)


def run_cli(project: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(cwd)


# --- S1: slugs -----------------------------------------------------------------------------

def test_slug_escaping_to_an_absolute_path_is_refused(project: Path, tmp_path: Path) -> None:
    target = tmp_path.parent / f"{tmp_path.name}-escaped"
    article(project / "sequences" / "a.md", slug="/" + "../" * 20 + str(target).lstrip("/"))
    line = one_error_line(run_cli(project, "build", "--jobs", "1"))
    assert line.startswith("Error: sequences/a.md:2: setting 'slug' must be lower-case")
    assert not target.exists()
    assert not (project / "build").exists()


def test_slug_cannot_replace_another_projects_sequence(project: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other" / "build" / "course" / "manifest.json", '{"emails": []}')
    write(other.parent / "01-day.html", "five emails of another project")
    article(project / "sequences" / "a.md",
            slug="/" + "../" * 20 + str(other.parent).lstrip("/"))
    one_error_line(run_cli(project, "build", "--jobs", "1"))
    assert sorted(p.name for p in other.parent.iterdir()) == ["01-day.html", "manifest.json"]


@pytest.mark.parametrize("slug", ["index.html", CACHE_NAME, ".hidden", "..", ".", "a/b",
                                  "Upper", "-x", "x" * 300, "con"])
def test_slugs_naming_the_builds_own_files_or_not_one_folder_are_refused(
        project: Path, slug: str) -> None:
    """dripmail's own `slug` (in the front matter's `dripmail:` table) is refused whole."""
    article(project / "sequences" / "a.md")
    assert run_cli(project, "build", "--jobs", "1").exit_code == 0
    before = tree(project / "build")
    article(project / "sequences" / "b.md", dripmail={"slug": slug})
    line = one_error_line(run_cli(project, "build", "--jobs", "1"))
    assert line.startswith("Error: sequences/b.md:3: setting 'dripmail.slug' ")
    assert tree(project / "build") == before


@pytest.mark.parametrize(("slug", "folder"), [
    ("index.html", "index-html"), (CACHE_NAME, "dripmail-cache-json"), (".hidden", "hidden"),
    ("a/b", "b"), ("Upper", "upper"), ("-x", "x"), ("con", "b"),
    ("Learn/Getting_started_with_the_web/How_the_Web_works", "how-the-web-works")])
def test_a_site_slug_in_front_matter_names_one_safe_folder(project: Path, slug: str,
                                                          folder: str) -> None:
    """A top-level `slug` other engines write (a URL path) names the folder after its last
    part, made a slug (or after the file, when that is no slug): never an error, never out."""
    article(project / "sequences" / "b.md", slug=slug)
    result = run_cli(project, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "build").iterdir() if p.is_dir()) == [folder]


def test_nul_in_slug_is_one_error_line(project: Path) -> None:
    article(project / "sequences" / "a.md", slug="a\x00b")
    line = one_error_line(run_cli(project, "build", "--jobs", "1"))
    assert line.startswith("Error: sequences/a.md:2: setting 'slug' ")
    assert "\x00" not in line


def test_writer_refuses_a_sequence_folder_outside_the_output(project: Path,
                                                             tmp_path: Path) -> None:
    """Defence in depth: even a Sequence whose slug was never validated stays inside."""
    from dripmail.pipeline.project import load_articles
    from dripmail.pipeline.worker import render_article

    item = load_articles(project, [article(project / "sequences" / "a.md")])[0]
    seq = render_article(item, project).sequence
    out = project / "build"
    out.mkdir()
    escape = "/" + "../" * 20 + str(tmp_path / "escaped").lstrip("/")
    for slug in (escape, "../escaped", "..", ".hidden", "a\x00b", "index.html"):
        with pytest.raises(OutputError, match="refusing"):
            staging.write_sequences([replace(seq, slug=slug)], out, project)
    (out / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write(tmp_path / "elsewhere" / "manifest.json", "{}")
    with pytest.raises(OutputError, match="refusing"):
        staging.write_sequences([replace(seq, slug="linked")], out, project)
    assert not (tmp_path / "escaped").exists()
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["manifest.json"]
    assert sorted(p.name for p in out.iterdir()) == ["linked"]


def test_newsletter_out_and_slug_settings_stay_inside_the_project(project: Path,
                                                                  tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-newsletter"
    article(project / "sequences" / "a.md", newsletter={"out": str(outside)})
    line = one_error_line(run_cli(project, "newsletter", "sequences/a.md"))
    assert "setting 'newsletter.out' must be a folder inside the project" in line
    article(project / "sequences" / "a.md", newsletter={"out": "../escaped"})
    one_error_line(run_cli(project, "newsletter", "sequences/a.md"))
    article(project / "sequences" / "a.md", newsletter={"slug": "n" * 200})
    line = one_error_line(run_cli(project, "newsletter", "sequences/a.md"))
    assert "setting 'newsletter.slug' is 200 characters long" in line
    assert not outside.exists() and not (tmp_path / "escaped").exists()


def test_preview_builds_through_the_same_checks(project: Path, tmp_path: Path) -> None:
    target = tmp_path.parent / f"{tmp_path.name}-preview-escape"
    article(project / "sequences" / "a.md", slug="/" + "../" * 20 + str(target).lstrip("/"))
    preview = Preview(project)
    try:
        assert preview.rebuild() is False
        assert "setting 'slug'" in preview.error["message"]
        assert not target.exists()
    finally:
        preview.close()


sandbox_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
FRAGMENTS = ["/", "../", "..", ".", "\x00", "\\", "index.html", CACHE_NAME, " ", "\n", "~",
             "build", "a", "-", "ESCAPED"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_slugs_and_titles_never_leave_the_output_folder(
        tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    sandbox = tmp_path_factory.mktemp("fuzz")
    project = sandbox / "deep" / "project"
    write(project / "dripmail.toml", 'brand = "Fuzz"\n')
    escape = "/" + "../" * 30 + str(sandbox).lstrip("/") + "/"
    part = st.one_of(sandbox_text, st.sampled_from([*FRAGMENTS, str(sandbox), escape]))
    slug = "".join(data.draw(st.lists(part, min_size=1, max_size=8), label="slug"))
    title = data.draw(sandbox_text, label="title")
    article(project / "sequences" / "a.md", slug=slug, title=title)
    before = files(sandbox)
    result = run_cli(project, "build", "--jobs", "1", "--no-check")
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    if result.exit_code == 1:
        one_error_line(result)
    created = files(sandbox) - before
    assert all(p.startswith("deep/project/build") for p in created), created
    if (project / "build").exists():
        assert leftovers(project / "build") == []


# --- --out ---------------------------------------------------------------------------------

@pytest.mark.parametrize("out", ["sequences", "sequences/build", ".", "..", "templates"])
def test_out_that_is_or_holds_the_sources_or_project_is_refused(tmp_path: Path,
                                                                out: str) -> None:
    project = tmp_path / "project"
    write(project / "dripmail.toml", 'brand = "Test"\n')
    article(project / "sequences" / "a.md")
    write(project / "templates" / "README.md", "notes")
    before = files(tmp_path)
    line = one_error_line(run_cli(project, "build", "--out", out))
    assert "refusing to build into" in line
    assert files(tmp_path) == before
    line = one_error_line(run_cli(project, "newsletter", "sequences/a.md", "--out", out))
    assert "refusing to build into" in line
    assert files(tmp_path) == before


# --- D2: killed builds ---------------------------------------------------------------------

def test_what_a_killed_build_left_is_never_read_as_sequences(example: Path) -> None:
    build(example)
    out = example / "build"
    shutil.copytree(out / "when-your-partner-isnt-ready",
                    out / ".when-your-partner-isnt-ready.tmp-4242abcdef12")
    shutil.copytree(out / "when-your-partner-isnt-ready", out / ".other.old-4242")
    assert [m["folder"] for m in manifest.read_manifests(out)] == ["when-your-partner-isnt-ready"]
    result = run_cli(example, "check", "build", "--format", "json")
    assert result.output.count('"file": "build/when-your-partner-isnt-ready/01-') >= 1
    assert ".tmp-" not in result.output and ".old-" not in result.output


def test_the_next_build_removes_what_killed_builds_left(example: Path) -> None:
    build(example)
    out = example / "build"
    clean = tree(out)
    shutil.copytree(out / "when-your-partner-isnt-ready",
                    out / ".when-your-partner-isnt-ready.tmp-4242abcdef12")  # this version
    shutil.copytree(out / "when-your-partner-isnt-ready",
                    out / ".when-your-partner-isnt-ready.tmp-4242abc123-x8_k2j3m")  # older
    (out / ".when-your-partner-isnt-ready.old-4242").mkdir()
    write(out / ".index.html.k2j3m8_x", "half an index")
    write(out / ".mine" / "keep.txt", "not ours: kept")
    build(example)
    assert leftovers(out) == [".mine"]
    shutil.rmtree(out / ".mine")
    assert tree(out) == clean


def test_a_failure_midway_through_the_swap_restores_the_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path, articles=4, seed=3)
    build(tmp_path)
    before = tree(tmp_path / "build")
    real, calls = Path.rename, {"n": 0}

    def failing(self: Path, target):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OutputError, match="No space left"):
        build(tmp_path, overrides={"subject_prefix": "New: "})
    monkeypatch.setattr(Path, "rename", real)
    assert tree(tmp_path / "build") == before


def python_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600", **extra}


def start_build(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dripmail", "build", *args], cwd=project,
                            env=python_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def reap(proc: subprocess.Popen) -> None:
    """Wait for a killed build; end what is left of its session (orphaned pool workers)."""
    proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def finish_build(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "dripmail", "build"], cwd=project,
                          env=python_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def set_prefix(project: Path, prefix: str) -> None:
    toml = project / "dripmail.toml"
    lines = [x for x in toml.read_text().splitlines() if not x.startswith("subject_prefix")]
    toml.write_text(f'subject_prefix = "{prefix}"\n' + "\n".join(lines) + "\n")


def kill_when(proc: subprocess.Popen, out: Path, moment: str, delay: float) -> None:
    """SIGKILL the build after `delay` s, or as soon as it stages or swaps (`moment`)."""
    if moment == "random":
        time.sleep(delay)
    else:
        names = (".tmp-",) if moment == "staging" else (swap.JOURNAL, ".old-")
        while proc.poll() is None:
            with contextlib.suppress(OSError):
                if any(n in e.name for e in os.scandir(out) for n in names):
                    break
            time.sleep(0.0005)
    proc.kill()
    reap(proc)


def test_sigkill_at_random_moments_then_the_next_build_is_a_clean_build(
        tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=24, seed=7)
    set_prefix(tmp_path, "B: ")
    started = time.monotonic()
    finish_build(tmp_path)
    whole = time.monotonic() - started
    out = tmp_path / "build"
    clean = tree(out)
    moments = ["random", "staging", "swap", "random", "swap", "random", "staging", "swap"]
    for seed, moment in enumerate(moments):
        rng = random.Random(seed)
        for kill in range(1 + seed % 2):  # sometimes the next build is killed too
            set_prefix(tmp_path, f"A{seed}.{kill}: ")
            kill_when(start_build(tmp_path), out, moment, rng.uniform(0.0, whole * 1.2))
        set_prefix(tmp_path, "B: ")
        finish_build(tmp_path)
        assert tree(out) == clean, (seed, moment)


def test_sigkill_in_the_middle_of_the_swap_is_finished_by_the_next_build(
        tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=6, seed=5)
    finish_build(tmp_path)
    clean = tree(tmp_path / "build")
    set_prefix(tmp_path, "New: ")
    killer = ("import os, signal, pathlib, runpy, sys\n"
              "real, n = pathlib.Path.rename, [0]\n"
              "def rename(self, target):\n"
              "    n[0] += 1\n"
              "    if n[0] == 5: os.kill(os.getpid(), signal.SIGKILL)\n"
              "    return real(self, target)\n"
              "pathlib.Path.rename = rename\n"
              "sys.argv = ['dripmail', 'build', '--jobs', '1']\n"
              "runpy.run_module('dripmail', run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", killer], cwd=tmp_path, env=python_env(),
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    result = run_cli(tmp_path, "check", "build")
    assert "run `dripmail build` again" in one_error_line(result)
    set_prefix(tmp_path, "")
    finish_build(tmp_path)
    assert tree(tmp_path / "build") == clean


def test_sigterm_stops_the_build_cleanly(tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=12, seed=9)
    finish_build(tmp_path)
    before = tree(tmp_path / "build")
    set_prefix(tmp_path, "New: ")
    proc = start_build(tmp_path)
    while proc.poll() is None and not any(".tmp-" in p.name
                                          for p in (tmp_path / "build").iterdir()):
        time.sleep(0.001)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    reap(proc)  # (before the fix, orphaned workers kept stderr open)
    err = proc.stderr.read()
    assert proc.returncode == 143, err
    assert b"Traceback" not in err
    assert tree(tmp_path / "build") == before


# --- smaller items -------------------------------------------------------------------------

def test_a_full_disk_leaves_no_temporary_files_and_the_old_output(tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=8, seed=4)
    finish_build(tmp_path)
    out = tmp_path / "build"
    before = tree(out)
    biggest = max(p.stat().st_size for p in out.glob("*/*"))
    assert (out / "index.html").stat().st_size > biggest + 1024
    set_prefix(tmp_path, "New: ")
    limited = ("import resource, signal, sys\n"
               "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
               f"resource.setrlimit(resource.RLIMIT_FSIZE, ({biggest + 512}, {biggest + 512}))\n"
               "from dripmail.cli import cli\n"
               "cli(['build', '--jobs', '1'])\n")
    proc = subprocess.run([sys.executable, "-c", limited], cwd=tmp_path, env=python_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [x for x in proc.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "File too large" in errors[0], proc.stderr
    assert tree(out) == before


def test_a_cache_that_cannot_be_saved_is_one_warning(example: Path) -> None:
    (example / "build" / CACHE_NAME).mkdir(parents=True)
    result = run_cli(example, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    warnings = [x for x in result.output.splitlines() if x.startswith("Warning:")
                and "no unsubscribe_url is set" not in x]  # the example sets none
    assert len(warnings) == 1 and CACHE_NAME in warnings[0], result.output
    assert leftovers(example / "build") == []  # no temporary file left either


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_output_modes_follow_the_umask(example: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        build(example)
    finally:
        os.umask(old)
    out = example / "build"
    for path in [out, *out.rglob("*")]:
        want = (0o777 if path.is_dir() else 0o666) & ~umask
        assert path.stat().st_mode & 0o777 == want, path


def test_symlinked_articles_pointing_outside_the_project_are_refused(project: Path,
                                                                      tmp_path: Path) -> None:
    secret = write(tmp_path.parent / f"{tmp_path.name}-secret.md", "# Secret\n\nTOP-SECRET-42\n")
    article(project / "sequences" / "a.md")
    (project / "sequences" / "b.md").symlink_to(secret)
    line = one_error_line(run_cli(project, "build", "--jobs", "1"))
    assert line.startswith("Error: sequences/b.md: is a symbolic link to ")
    assert "outside the project" in line
    assert not (project / "build").exists()
    (project / "sequences" / "b.md").unlink()
    write(project / "drafts" / "c.md", ARTICLE)
    (project / "sequences" / "b.md").symlink_to(project / "drafts" / "c.md")
    assert run_cli(project, "build", "--jobs", "1").exit_code == 0  # a link inside: followed
    assert run_cli(project, "build", "--jobs", "1", str(secret)).exit_code == 0  # named: read
    assert any("TOP-SECRET-42" in p.read_text() for p in (project / "build").rglob("*.txt"))


def test_a_cp1252_settings_file_is_one_error_line(project: Path) -> None:
    write(project / "dripmail.toml", 'brand = "Test"\nsender_name = "Caf\xe9"\n'.encode("cp1252"))
    article(project / "sequences" / "a.md")
    line = one_error_line(run_cli(project, "build"))
    assert line == ("Error: dripmail.toml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8 "
                    "(TOML files are always UTF-8)")


def _as_unprivileged() -> list[str]:
    """A command prefix that runs without the power to ignore file permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search"]


@pytest.mark.parametrize("target", ["locked/new", "readonly", "readonly/new"])
def test_init_into_an_unwritable_folder_is_one_line(tmp_path: Path, target: str) -> None:
    (tmp_path / "locked").mkdir(mode=0)
    (tmp_path / "readonly").mkdir(mode=0o555)
    try:
        proc = subprocess.run([*_as_unprivileged(), sys.executable, "-m", "dripmail", "init",
                               target], cwd=tmp_path, env=python_env(), capture_output=True,
                              text=True, timeout=60)
    finally:
        (tmp_path / "locked").chmod(0o755)
        (tmp_path / "readonly").chmod(0o755)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "cannot create the project: Permission denied" in lines[0]

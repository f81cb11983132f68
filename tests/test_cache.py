"""The build cache and parallel builds: same bytes as a clean serial build, less work."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dripmail.pipeline.build import build
from dripmail.pipeline.cache import CACHE_NAME, builtin_theme
from dripmail.rendering import compose
from dripmail.rendering.theme import builtin_dir
from tests.conftest import ROOT, write

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file except the cache itself."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE_NAME}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file() and p.name != CACHE_NAME}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_corpus(tmp_path, articles=6, seed=11)
    return tmp_path


def count_renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"emails": 0}
    real = compose.render_email

    def counting(*args, **kwargs):
        calls["emails"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(compose, "render_email", counting)
    return calls


def test_rebuild_with_nothing_changed_renders_nothing_and_matches_a_clean_build(
        corpus: Path, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(corpus)
    before, stamps = snapshot(corpus / "build"), mtimes(corpus / "build")
    calls = count_renders(monkeypatch)
    again = build(corpus)
    assert calls["emails"] == 0
    assert snapshot(corpus / "build") == before
    assert mtimes(corpus / "build") == stamps  # nothing was rewritten
    assert again.sequences == first.sequences  # read back from disk, equal to what was built
    assert again.warnings == first.warnings
    clean = tmp_path_factory.mktemp("clean")
    build(corpus, out_dir=clean)
    assert snapshot(clean) == before


def test_editing_one_article_rebuilds_only_that_sequence(
        corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(corpus)
    stamps = mtimes(corpus / "build")
    article = corpus / "sequences" / "article-002.md"
    article.write_text(article.read_text() + "\nOne more closing paragraph.\n")
    calls = count_renders(monkeypatch)
    result = build(corpus)
    changed = {name.split("/")[0] for name, ns in mtimes(corpus / "build").items()
               if stamps.get(name) != ns}
    assert changed == {"article-002", "index.html"}
    rebuilt = next(s for s in result.sequences if s.slug == "article-002")
    assert calls["emails"] == len(rebuilt.emails)
    assert "One more closing paragraph." in rebuilt.emails[-1].text


@pytest.mark.parametrize("change", ["settings", "template", "override", "output", "corrupt"])
def test_any_input_change_or_damage_means_a_rebuild(corpus: Path, change: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    build(corpus)
    out = corpus / "build"
    overrides = None
    if change == "settings":
        toml = corpus / "dripmail.toml"
        toml.write_text(toml.read_text().replace("Benchmark Practice", "Other Practice"))
    elif change == "template":
        write(corpus / "templates" / "email.txt", (builtin_dir() / "email.txt").read_text()
              + "\nP.S. A new line in every email.\n")
    elif change == "override":
        overrides = {"subject_prefix": "Course: "}
    elif change == "output":
        victim = next((out / "article-001").glob("*.html"))
        victim.write_text("edited by hand")
    else:
        (out / CACHE_NAME).write_bytes(b"\x00{not json")
    calls = count_renders(monkeypatch)
    build(corpus, overrides=overrides)
    assert calls["emails"] > 0
    monkeypatch.undo()
    clean = corpus / "clean"
    build(corpus, out_dir=clean, overrides=overrides)
    assert snapshot(out) == snapshot(clean)


def test_removed_output_folder_is_rebuilt(corpus: Path) -> None:
    build(corpus)
    before = snapshot(corpus / "build")
    import shutil

    shutil.rmtree(corpus / "build" / "article-003")
    build(corpus)
    assert snapshot(corpus / "build") == before


def test_cache_theme_folder_is_the_theme_folder() -> None:
    assert builtin_theme() == builtin_dir()


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_build_is_byte_identical_to_serial(tmp_path: Path, jobs: int) -> None:
    write_corpus(tmp_path, articles=5, seed=5)
    serial = build(tmp_path, out_dir=tmp_path / "serial", jobs=1)
    parallel = build(tmp_path, out_dir=tmp_path / "parallel", jobs=jobs)
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")
    assert serial.sequences == parallel.sequences
    assert [s.slug for s in parallel.sequences] == sorted(s.slug for s in parallel.sequences)


def test_parallel_build_failure_keeps_that_articles_output_and_names_it(tmp_path: Path) -> None:
    """One article that cannot be made (issue 13): the others are built, it keeps its previous
    output, and the result names it; nothing staged is left behind."""
    write_corpus(tmp_path, articles=4, seed=9)
    build(tmp_path, jobs=2)
    before = snapshot(tmp_path / "build")
    write(tmp_path / "sequences" / "article-001.md", "# Tiny\n\nOne sentence only.\n")

    result = build(tmp_path, jobs=2, overrides={"emails": 3})
    refused, = result.refused
    assert refused.source.name == "article-001.md"
    assert "article-001.md" in refused.message
    after = snapshot(tmp_path / "build")
    mine = {k: v for k, v in before.items() if k.startswith("article-001/")}
    assert mine and {k: v for k, v in after.items() if k.startswith("article-001/")} == mine
    assert sorted(s.slug for s in result.sequences) == [
        "article-000", "article-002", "article-003"]
    assert all(len(s.emails) == 3 for s in result.sequences)
    assert not [p for p in (tmp_path / "build").iterdir()
                if p.name.startswith(".") and p.name != CACHE_NAME]


def test_cli_build_with_jobs_reports_unchanged_sequences_and_no_bar_off_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from dripmail.cli import cli

    write_corpus(tmp_path, articles=10, seed=2)
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(cli, ["build", "--jobs", "2"])
    assert first.exit_code == 0, first.output
    assert "Rendering sequences" not in first.output  # stdout is not a terminal here
    assert "(unchanged)" not in first.output
    again = CliRunner().invoke(cli, ["build"])
    assert again.exit_code == 0
    assert again.output.count("(unchanged)") == 10


def test_progress_bar_only_when_enabled_and_long(capsys: pytest.CaptureFixture[str]) -> None:
    from dripmail.cli import ProgressBar

    quiet = ProgressBar(enabled=False)
    short = ProgressBar(enabled=True, threshold=8)
    for done in range(1, 21):
        quiet(done, 20)
        if done <= 3:
            short(done, 3)
    quiet.close()
    short.close()
    assert capsys.readouterr().out == ""
    shown = ProgressBar(enabled=True, threshold=8)
    for done in range(1, 21):
        shown(done, 20)
    shown.close()
    assert "Rendering sequences" in capsys.readouterr().out


def test_touching_an_article_or_setting_source_date_epoch_rebuilds_it(
        corpus: Path, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The .eml files are dated from the article's mtime (or $SOURCE_DATE_EPOCH)."""
    build(corpus)
    article = corpus / "sequences" / "article-001.md"
    os.utime(article, (1_600_000_000, 1_600_000_000))
    build(corpus)
    clean = tmp_path_factory.mktemp("clean")
    build(corpus, out_dir=clean)
    assert snapshot(corpus / "build") == snapshot(clean)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(corpus)
    clean2 = tmp_path_factory.mktemp("clean2")
    build(corpus, out_dir=clean2)
    assert snapshot(corpus / "build") == snapshot(clean2)


@pytest.mark.parametrize("jobs", [1, 2])
def test_checks_run_with_the_build_and_are_cached(corpus: Path, jobs: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from dripmail.checks import check_sequences

    first = build(corpus, jobs=jobs, check=True)
    expected = check_sequences(first.sequences, first.out_dir)[1]
    assert expected and list(first.findings) == expected
    calls = count_renders(monkeypatch)
    again = build(corpus, jobs=jobs, check=True)
    assert calls["emails"] == 0
    assert list(again.findings) == expected
    article = corpus / "sequences" / "article-004.md"
    article.write_text(article.read_text() + "\nClick here: https://example.com/x\n")
    third = build(corpus, jobs=jobs, check=True)
    assert list(third.findings) == check_sequences(third.sequences, third.out_dir)[1]


def test_a_cache_made_without_checks_is_checked_when_asked(corpus: Path) -> None:
    build(corpus)
    result = build(corpus, check=True)
    from dripmail.checks import check_sequences

    assert list(result.findings) == check_sequences(result.sequences, result.out_dir)[1]


def test_no_check_skips_the_quality_gate_line(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from dripmail.cli import cli

    write_corpus(tmp_path, articles=2, seed=4)
    monkeypatch.chdir(tmp_path)
    quiet = CliRunner().invoke(cli, ["build", "--no-check"])
    assert quiet.exit_code == 0 and "check:" not in quiet.output
    checked = CliRunner().invoke(cli, ["build"])  # cached sequences, checked now
    assert checked.exit_code == 0 and "check: " in checked.output
    assert checked.output.count("(unchanged)") == 2


@pytest.mark.parametrize("damage", [
    '{"format": 1, "version": "0.0.0", "sequences": {}}',
    '{"format": 1, "sequences": []}',
    '[1, 2, 3]',
    'VERSION-SPECIFIC',
])
def test_damaged_or_foreign_cache_contents_are_ignored(corpus: Path, damage: str) -> None:
    import json

    from dripmail import __version__

    first = build(corpus, check=True)
    before = snapshot(corpus / "build")
    if damage == "VERSION-SPECIFIC":  # right format and version, nonsense entries
        doc = json.loads((corpus / "build" / CACHE_NAME).read_text())
        doc["version"] = __version__
        for entry in doc["sequences"].values():
            entry["findings"] = [{"no": "such field"}]
            entry["warnings"] = [1, None]
        doc["sequences"]["article-000"] = "not an entry"
        damage = json.dumps(doc)
    (corpus / "build" / CACHE_NAME).write_text(damage)
    again = build(corpus, check=True)
    assert snapshot(corpus / "build") == before
    assert again.findings == first.findings

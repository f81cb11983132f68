"""Writing the build: whole-folder swaps, nothing lost on failure, nothing foreign deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from dripmail.errors import OutputError
from dripmail.pipeline.build import build
from dripmail.pipeline.cache import CACHE_NAME
from dripmail.rendering import compose
from tests.conftest import write


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_failed_build_leaves_previous_output(example: Path) -> None:
    build(example)
    before = snapshot(example / "build")
    write(example / "sequences" / "broken.md", b"\x00\x01binary")
    result = build(example)  # the bad article is refused, the others kept (issue 13)
    assert [r.source.name for r in result.refused] == ["broken.md"]
    assert "binary" in result.refused[0].message
    assert snapshot(example / "build") == before


def test_failure_while_rendering_the_second_article_writes_nothing(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(example / "sequences" / "zz-second.md", "# Second\n\nSecond article text.\n")
    build(example)
    before = snapshot(example / "build")
    real = compose.render_email
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(compose, "render_email", flaky)
    with pytest.raises(KeyboardInterrupt):  # new settings, so the cache cannot skip rendering
        build(example, overrides={"subject_prefix": "New: "})
    assert snapshot(example / "build") == before


def test_rebuild_replaces_stale_emails(example: Path) -> None:
    build(example, overrides={"emails": 6})
    build(example, overrides={"emails": 4})
    htmls = list((example / "build" / "when-your-partner-isnt-ready").glob("*.html"))
    assert len(htmls) == 4
    assert not [p for p in (example / "build").iterdir()
                if p.name.startswith(".") and p.name != CACHE_NAME]


def test_foreign_folder_is_never_replaced(example: Path) -> None:
    foreign = write(example / "build" / "when-your-partner-isnt-ready" / "mine.txt", "keep me")
    with pytest.raises(OutputError, match="not made by dripmail"):
        build(example)
    assert foreign.read_text() == "keep me"


def test_unwritable_output_is_one_clear_error(example: Path) -> None:
    blocker = write(example / "out", "a file where the folder should be")
    with pytest.raises(OutputError, match="cannot write"):
        build(example, out_dir=blocker)
    assert blocker.read_text() == "a file where the folder should be"


def test_a_foreign_index_html_is_never_replaced(example: Path) -> None:
    foreign = write(example / "site" / "index.html", "<html><body>My own site</body></html>")
    with pytest.raises(OutputError, match="index.html: it was not made by dripmail"):
        build(example, out_dir=example / "site")
    assert foreign.read_text() == "<html><body>My own site</body></html>"
    assert not (example / "site" / "when-your-partner-isnt-ready").exists()
    build(example)
    build(example)  # our own index is replaced freely

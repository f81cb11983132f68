"""Settings: validation up front, every problem at once, precedence of the layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dripmail.errors import ConfigError
from dripmail.pipeline.project import load_articles
from dripmail.settings.load import read_project
from tests.conftest import write


def test_unknown_keys_name_file_line_and_closest(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", """
        brand = "X"
        sender_nmae = "Typo"
        words_per_emial = 200

        [cta]
        txt = "Book"
    """)
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    problems = exc.value.problems
    assert len(problems) == 3
    assert "dripmail.toml:2: unknown setting 'sender_nmae'; did you mean 'sender_name'?" in problems
    assert any("dripmail.toml:3:" in p and "'words_per_email'" in p for p in problems)
    assert any("'cta.txt'" in p and "did you mean 'cta.text'" in p for p in problems)


def test_bad_values_are_all_reported(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", """
        emails = 0
        schedule = [2, 1]
        smart_quotes = "yes"
        provider = "nope"
        language = "english please"
        base_url = "example.com"
    """)
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    text = "\n".join(exc.value.problems)
    assert len(exc.value.problems) == 6
    for key in ("emails", "schedule", "smart_quotes", "provider", "language", "base_url"):
        assert f"setting '{key}'" in text


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'brand = "x"\nemails = \n')
    with pytest.raises(ConfigError, match=r"dripmail.toml:2: invalid TOML"):
        read_project(tmp_path)


def test_precedence_toml_front_matter_cli(project: Path) -> None:
    write(project / "dripmail.toml", 'brand = "Toml"\nemails = 2\nsubject_prefix = "T: "\n')
    write(project / "sequences" / "a.md", """
        ---
        brand: Front
        emails: 3
        ---
        # Title

        Some words here.
    """)
    settings = load_articles(project, (), {"emails": 1})[0].settings
    assert settings.brand == "Front"
    assert settings.emails == 1
    assert settings.subject_prefix == "T: "


def test_front_matter_errors_from_every_file_at_once(project: Path) -> None:
    write(project / "sequences" / "a.md", "---\ntitel: A\n---\n# A\n\nText.\n")
    write(project / "sequences" / "b.md", "---\nemails: many\n---\n# B\n\nText.\n")
    with pytest.raises(ConfigError) as exc:
        load_articles(project)
    problems = exc.value.problems
    assert len(problems) == 2
    assert "a.md:2: unknown setting 'titel'; did you mean 'title'?" in problems[0]
    assert "b.md:2: setting 'emails' must be" in problems[1]


def test_cta_needs_text_and_url(project: Path) -> None:
    write(project / "dripmail.toml", '[cta]\ntext = "Book now"\n')
    write(project / "sequences" / "a.md", "# A\n\nText.\n")
    with pytest.raises(ConfigError, match="set both cta.text and cta.url"):
        load_articles(project)


def test_rtl_language_sets_direction(project: Path) -> None:
    write(project / "sequences" / "a.md", "---\nlanguage: he\n---\n# A\n\nText.\n")
    settings = load_articles(project)[0].settings
    assert settings.direction == "rtl"

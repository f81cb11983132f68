"""The declarative settings schema: one declaration per setting drives validation, defaults,
the README's tables, the newsletter's options and `dripmail init`'s dripmail.toml."""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dripmail.errors import ConfigError
from dripmail.init import SETTINGS as INIT_TOML
from dripmail.models import Settings
from dripmail.newsletter import options as newsletter_options
from dripmail.pipeline.project import load_articles as load
from dripmail.settings import docs, schema
from dripmail.settings.load import flatten, merge, read_project
from dripmail.settings.schema import Where
from tests.conftest import write

ROOT = Path(__file__).resolve().parent.parent
BAD = "{ not = [] }"  # an inline table of a list: no setting's kind accepts it


def test_every_settings_field_is_declared_once_or_internal() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    declared = list(schema.BY_FIELD)
    assert sorted(declared + list(schema.INTERNAL)) == sorted(fields)
    assert len(declared) == len(set(declared))


def test_schema_defaults_are_the_settings_defaults() -> None:
    plain = Settings()
    for field, option in schema.BY_FIELD.items():
        assert option.convert(option.default) == getattr(plain, field), field
    assert merge() == plain  # nothing set: exactly the schema's defaults


def test_newsletter_defaults_come_from_the_schema() -> None:
    # (button_text and reason have no fixed default: the language gives them)
    assert newsletter_options.DEFAULTS == {"excerpt_words": 80}
    assert newsletter_options.resolve_options({}, [], {}) == newsletter_options.DEFAULTS


def test_every_toml_setting_with_a_bad_value_is_reported_at_once_with_its_line(
        tmp_path: Path) -> None:
    lines, expected = [], []
    for option in schema.SETTINGS:
        if Where.TOML in option.where:
            lines.append(f"{option.key} = {BAD}")
            expected.append(f"dripmail.toml:{len(lines)}: setting '{option.key}' must")
    for table in schema.TABLES:
        lines.append(f"[{table.name}]")
        for option in table.options:
            lines.append(f"{option.key} = {BAD}")
            expected.append(f"dripmail.toml:{len(lines)}: setting '{table.name}.{option.key}' "
                            "must")
    write(tmp_path / "dripmail.toml", "\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    assert len(exc.value.problems) == len(expected) > 30
    for want, problem in zip(expected, exc.value.problems, strict=True):
        assert problem.startswith(want), problem


def test_front_matter_settings_are_checked_by_the_same_declarations(project: Path) -> None:
    article = [o for o in schema.SETTINGS if o.where == Where.FRONT]
    front = "\n".join(f"{o.key}: {{not: [[]]}}" for o in article)
    write(project / "sequences" / "a.md", f"---\n{front}\n---\n# A\n\nText.\n")
    with pytest.raises(ConfigError) as exc:
        load(project)
    assert exc.value.problems == [
        f"{project / 'sequences' / 'a.md'}:{i + 2}: setting '{o.key}' {o.check({'not': [[]]})}"
        for i, o in enumerate(article)]


def test_article_only_settings_name_where_they_belong(project: Path) -> None:
    write(project / "dripmail.toml", 'brand = "X"\ntitle = "Everywhere"\n')
    with pytest.raises(ConfigError) as exc:
        read_project(project)
    assert exc.value.problems == [
        "dripmail.toml:2: setting 'title' can only be set in an article's front matter"]


def test_table_problems_name_their_line_and_the_table_keys(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", """
        brand = "X"

        [cta]
        text = "Book"
        url = "example.com/book"
        button = "Go"
    """)
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    assert exc.value.problems == [
        "dripmail.toml:5: setting 'cta.url' must start with https:// (or mailto:)",
        "dripmail.toml:6: unknown setting 'cta.button'; valid keys: text, url, soft_text, "
        "soft_url"]


def test_a_table_written_as_a_value_is_one_clear_problem(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", 'cta = "Book now"\nnewsletter = 3\n')
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    assert exc.value.problems == ["dripmail.toml:1: 'cta' must be a table of settings",
                                  "dripmail.toml:2: 'newsletter' must be a table of settings"]


def test_newsletter_options_are_validated_from_the_schema(tmp_path: Path) -> None:
    table = schema.NEWSLETTER
    write(tmp_path / "dripmail.toml", "[newsletter]\n" + "\n".join(
        f"{o.key} = {BAD}" for o in table.options) + "\n")
    with pytest.raises(ConfigError) as exc:
        read_project(tmp_path)
    expected = [f"dripmail.toml:{i + 2}: setting 'newsletter.{o.key}' {o.check({'not': []})}"
                for i, o in enumerate(table.options)]
    assert exc.value.problems == expected
    # the command line's options go through the same declarations, named as options
    assert newsletter_options.check_table({"issue": 0, "titel": "x"}, "command line") == [
        "command line: setting '--issue' must be a whole number from 1 to 100000",
        "command line: unknown setting '--titel'; did you mean 'newsletter.title'?"]


def test_settings_never_import_the_newsletter_package(tmp_path: Path) -> None:
    write(tmp_path / "dripmail.toml", '[newsletter]\ntitle = "T"\nexcerpt_words = 50\n')
    code = ("import sys; from pathlib import Path; from dripmail.settings import docs, load; "
            f"v = load.read_project(Path({str(tmp_path)!r})); "
            "assert v['extra']['newsletter']['title'] == 'T', v; "
            "print(sorted(m for m in sys.modules if m.startswith('dripmail.newsletter')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    for path in (ROOT / "dripmail" / "settings").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.startswith(("dripmail.newsletter", "importlib")) for n in names), \
                (path, names)


def test_readme_tables_are_generated_from_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.rewrite(readme) == readme, (
        f"README.md's settings tables differ from the schema; run `{docs.COMMAND}`")
    for option in schema.SETTINGS:
        assert f"| `{option.key}` |" in readme or f"| `[{option.key}]` |" in readme


def test_docs_command_checks_and_rewrites_a_readme(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = tmp_path / "README.md"
    stale.write_text(readme.replace("| `brand` |", "| `brandname` |"), encoding="utf-8")
    assert docs.main(["--check", str(stale)]) == 1
    assert docs.COMMAND in capsys.readouterr().err
    assert docs.main(["--write", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == readme
    assert docs.main(["--check", str(stale)]) == 0
    stale.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="settings-table:start"):
        docs.main(["--check", str(stale)])


def _init_keys() -> list[tuple[str, str, str]]:
    """(table, key, value) of every setting in init's dripmail.toml, commented out or not."""
    table, found = "", []
    for line in INIT_TOML.splitlines():
        if m := re.match(r"\[(\w+)\]", line):
            table = m.group(1)
        elif m := re.match(r"#? ?(\w+) = (\"[^\"]*\"|\[[^]]*\]|\S+)", line):
            found.append((table, m.group(1), m.group(2)))
    return found


def test_init_settings_file_holds_only_valid_settings() -> None:
    problems: list[str] = []
    values = flatten(tomllib.loads(INIT_TOML), "dripmail.toml", INIT_TOML, 1, article=False,
                     problems=problems)
    assert problems == [] and values
    keys = _init_keys()
    assert len(keys) > 25
    for table, key, _value in keys:
        if table:
            assert table == "utm" or schema.TABLE[table].get(key), (table, key)
        else:
            assert Where.TOML in schema.OPTIONS[key].where, key


def test_init_settings_file_shows_the_schema_defaults() -> None:
    examples = {"brand", "sender_name", "sender_email", "postal_address", "reason", "signature",
                "base_url", "unsubscribe_url"}  # the sample project's own values
    shown = {key: value for table, key, value in _init_keys() if not table}
    for key, value in shown.items():
        if key not in examples:
            assert tomllib.loads(f"v = {value}")["v"] == schema.OPTIONS[key].default, key
    news = {key: value for table, key, value in _init_keys() if table == "newsletter"}
    assert tomllib.loads(f"v = {news['excerpt_words']}")["v"] == \
        schema.NEWSLETTER.get("excerpt_words").default

"""Settings: dripmail.toml < front matter < command line, validated up front, all errors at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dripmail.errors import ConfigError
from dripmail.models import Settings
from dripmail.settings import schema
from dripmail.settings.schema import Option, Table, Where

CONFIG_NAME = "dripmail.toml"
_RTL = {"ar", "he", "fa", "ur", "yi", "ps", "dv", "ku", "sd", "ug"}
_PLACES = {Where.TOML: "dripmail.toml", Where.FRONT: "an article's front matter"}


def valid_keys(*, article: bool) -> list[str]:
    """Every key a settings file (or front matter, when `article`) may use."""
    layer = Where.FRONT if article else Where.TOML
    keys = [o.key for o in schema.SETTINGS if layer in o.where]
    keys += [f"{t.name}.{o.key}" for t in schema.TABLES if layer in t.where for o in t.options]
    return keys + [t.name for t in schema.TABLES if layer in t.where]


def _line_of(key: str, text: str, offset: int, table: str = "") -> int | None:
    """Best-effort line number of `key` (inside `table`, if given) in a TOML or YAML text."""
    start = 0
    if table:
        head = re.search(rf"^[ \t]*(\[{re.escape(table)}\]|{re.escape(table)}[ \t]*:)", text,
                         re.MULTILINE)
        if not head:
            return None
        start = head.end()
    m = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*[=:]", re.MULTILINE).search(
        text, start)
    return text.count("\n", 0, m.start()) + offset if m else None


def _at(where: str, text: str, offset: int, key: str, table: str = "") -> str:
    """`where:line` of `key` (inside `table`), or `where` when the line is not found."""
    line = _line_of(key, text, offset, table)
    return f"{where}:{line}" if line else where


def flatten(raw: Mapping[str, Any], where: str, text: str, offset: int, *, article: bool,
            problems: list[str]) -> dict[str, Any]:
    """Check one layer (dripmail.toml, an article's front matter, or the command line, read as
    dripmail.toml) against the schema, collecting every problem; map its keys onto Settings
    fields."""
    layer = Where.FRONT if article else Where.TOML
    out: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        option, table = schema.OPTIONS.get(key), schema.TABLE.get(key)
        if table is not None and layer in table.where and isinstance(value, Mapping):
            problems += check_table(table, value, where, text, offset)
            if table.extra:
                out.setdefault("extra", {})[key] = value
            else:
                out.update({o.field: value[o.key] for o in table.options if o.key in value})
        elif option is not None and layer in option.where:
            out[option.field or key] = value
            problems += _check(option, key, value, where, text, offset)
        elif table is not None and layer in table.where:
            problems.append(f"{_at(where, text, offset, key)}: '{key}' must be a table of "
                            "settings")
        elif option is not None or table is not None:
            places = " or ".join(p for w, p in _PLACES.items() if w in (option or table).where)
            problems.append(f"{_at(where, text, offset, key)}: setting '{key}' can only be set "
                            f"in {places}")
        else:
            hint = _closest(key, valid_keys(article=article))
            problems.append(f"{_at(where, text, offset, key)}: unknown setting '{key}'{hint}")
    return out


def _check(option: Option, name: str, value: Any, where: str, text: str, offset: int,
           table: str = "") -> list[str]:
    """The problem with one value, or those of the entries of a table-valued option."""
    if msg := option.check(value):
        return [f"{_at(where, text, offset, option.key, table)}: setting '{name}' {msg}"]
    if option.entries is None or not value:
        return []
    return [f"{_at(where, text, offset, key, option.key)}: {msg}"
            for key, msg in option.entries(value)]


def check_table(table: Table, values: Mapping[str, Any], where: str, text: str = "",
                offset: int = 1) -> list[str]:
    """Every problem in one table of settings (`[cta]`, `[newsletter]`), at once. From the
    command line (`where` is "command line"), keys are named as options (`--excerpt-words`)."""
    problems = []
    for key, value in values.items():
        key = str(key)
        name = f"--{key.replace('_', '-')}" if where == "command line" else f"{table.name}.{key}"
        option = table.get(key)
        if option is not None:
            problems += _check(option, name, value, where, text, offset, table.name)
            continue
        keys = [o.key for o in table.options]
        match = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
        hint = f"; did you mean '{table.name}.{match[0]}'?" if match else \
            f"; valid keys: {', '.join(keys)}"
        problems.append(f"{_at(where, text, offset, key, table.name)}: unknown setting "
                        f"'{name}'{hint}")
    return problems


def _closest(key: str, allowed: list[str]) -> str:
    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else "; see the README for valid settings"


def read_project(project_dir: Path) -> dict[str, Any]:
    """Read and validate dripmail.toml (if present) into Settings field values."""
    path = project_dir / CONFIG_NAME
    if not path.is_file():
        return {}
    text = _read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f"{CONFIG_NAME}:{line.group(1)}" if line else CONFIG_NAME
        raise ConfigError(f"{where}: invalid TOML: {exc}; fix the syntax") from exc
    problems: list[str] = []
    values = flatten(raw, CONFIG_NAME, text, 1, article=False, problems=problems)
    if problems:
        raise ConfigError(problems)
    return values


def _read_text(path: Path) -> str:
    """dripmail.toml as text; TOML files are UTF-8, anything else is one clear error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{CONFIG_NAME}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                          "save the file as UTF-8 (TOML files are always UTF-8)") from exc


def merge(*layers: Mapping[str, Any]) -> Settings:
    """Combine validated layers (later wins) into Settings, normalising derived fields."""
    values: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "extra":
                values["extra"] = {**values.get("extra", {}), **value}
            elif value is not None:
                values[key] = value
    for key, value in values.items():
        if key in schema.BY_FIELD:
            values[key] = schema.BY_FIELD[key].convert(value)
    lang = values.get("language", "en")
    values["direction"] = "rtl" if lang.split("-")[0].lower() in _RTL else "ltr"
    return Settings(**values)


def check_settings(settings: Settings, where: str) -> list[str]:
    """Cross-field checks on a merged Settings; returns problems."""
    problems = []
    if settings.min_words > settings.max_words:
        problems.append(f"{where}: min_words ({settings.min_words}) is above max_words "
                        f"({settings.max_words}); lower min_words or raise max_words")
    if bool(settings.cta_text) != bool(settings.cta_url):
        problems.append(f"{where}: set both cta.text and cta.url (or neither)")
    if bool(settings.soft_cta_text) != bool(settings.soft_cta_url):
        problems.append(f"{where}: set both cta.soft_text and cta.soft_url (or neither)")
    return problems

"""Settings: dripmail.toml < front matter < command line, validated up front, all errors at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from dripmail import languages
from dripmail.errors import ConfigError
from dripmail.models import Settings
from dripmail.settings import schema
from dripmail.settings.schema import Option, Table, Where
from dripmail.slug import is_slug, slugify

CONFIG_NAME = "dripmail.toml"
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
        head = re.search(rf"^[ \t]*(\[{re.escape(table)}\]|[\"']?{re.escape(table)}[\"']?[ \t]*:)",
                         text, re.MULTILINE)
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
            problems: list[str], notes: list[str] | None = None) -> dict[str, Any]:
    """Check one layer (dripmail.toml, an article's front matter, or the command line, read as
    dripmail.toml) against the schema, collecting every problem; map its keys onto Settings
    fields.

    Front matter is also another engine's: its metadata under their names (schema.ALIASES) is
    read, its own keys (schema.FOREIGN, or any key not close to a dripmail setting) are left
    out and named in `notes`, and `dripmail:` holds dripmail's settings where a name clashes.
    """
    layer = Where.FRONT if article else Where.TOML
    out: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        if article and key == schema.OWN_TABLE:
            own = _own_table(value, where, text, offset, problems)
        elif key in schema.OPTIONS or key in schema.TABLE or not article:
            _setting(key, value, layer, (where, text, offset), out, problems, notes)
        else:
            _front_key(key, value, (where, text, offset), out, problems, notes)
    return {**out, **own}


Place = tuple[str, str, int]  # (where, its text, the line number of its first line)


def _setting(key: str, value: Any, layer: Where, place: Place, out: dict[str, Any],
             problems: list[str], notes: list[str] | None, table: str = "") -> None:
    """One key of dripmail's own (a setting or a table of them), into `out`."""
    where, text, offset = place
    option, tbl = schema.OPTIONS.get(key), schema.TABLE.get(key)
    name = f"{table}.{key}" if table else key
    if tbl is not None and layer in tbl.where and isinstance(value, Mapping):
        problems += check_table(tbl, value, where, text, offset)
        if tbl.extra:
            out.setdefault("extra", {})[key] = value
        else:
            out.update({o.field: value[o.key] for o in tbl.options if o.key in value})
    elif option is not None and layer in option.where:
        if not table and layer is Where.FRONT and _site_value(key, value, place, out, notes):
            return
        out[option.field or key] = value
        problems += _check(option, name, value, where, text, offset, table)
    elif tbl is not None and layer in tbl.where:
        problems.append(f"{_at(where, text, offset, key, table)}: '{name}' must be a table of "
                        "settings")
    elif option is not None or tbl is not None:
        places = " or ".join(p for w, p in _PLACES.items() if w in (option or tbl).where)
        problems.append(f"{_at(where, text, offset, key, table)}: setting '{name}' can only be "
                        f"set in {places}")
    else:
        hint = _closest(key, valid_keys(article=layer is Where.FRONT))
        problems.append(f"{_at(where, text, offset, key, table)}: unknown setting "
                        f"'{name}'{hint}")


def _own_table(value: Any, where: str, text: str, offset: int, problems: list[str]
               ) -> dict[str, Any]:
    """The `dripmail:` table of front matter: dripmail's settings only, strictly."""
    if not isinstance(value, Mapping):
        problems.append(f"{_at(where, text, offset, schema.OWN_TABLE)}: "
                        f"'{schema.OWN_TABLE}' must be a table of dripmail settings")
        return {}
    out: dict[str, Any] = {}
    for key, item in value.items():
        _setting(str(key), item, Where.FRONT, (where, text, offset), out, problems, None,
                 table=schema.OWN_TABLE)
    return out


def _front_key(key: str, value: Any, place: Place, out: dict[str, Any], problems: list[str],
               notes: list[str] | None) -> None:
    """A front-matter key that is not dripmail's own: another engine's name for the article's
    metadata, one of its own keys (ignored), or a misspelt dripmail setting (a problem)."""
    where, text, offset = place
    plain = key.lower().replace("-", "_")
    target = schema.ALIASES.get(plain) or (plain if plain in schema.OPTIONS else None)
    if target is not None and Where.FRONT in schema.OPTIONS[target].where:
        _metadata(key, target, value, place, out, notes)
    elif plain in schema.FOREIGN:
        _note(notes, key, "another engine's key")
    elif hint := _close(key, valid_keys(article=True)):
        problems.append(f"{_at(where, text, offset, key)}: unknown setting '{key}'; did you "
                        f"mean '{hint}'?")
    else:
        _note(notes, key, "not a dripmail setting")


def _metadata(key: str, target: str, value: Any, place: Place, out: dict[str, Any],
              notes: list[str] | None) -> None:
    """Article metadata under another engine's name: kept when dripmail can use its value,
    else named in `notes` (it is that engine's, not a mistake)."""
    option = schema.OPTIONS[target]
    if target == "draft":
        value = DRAFT_WHEN.get(key.lower(), DRAFT_WHEN["draft"])(value)
    if target == "language" and isinstance(value, str):
        value = value.replace("_", "-")
    if target in out:  # dripmail's own name, set in the same file, wins
        return
    if _site_value(target, value, place, out, notes):
        return
    if option.check(value):
        _note(notes, key, f"{value!r} is not a value dripmail can use")
        return
    out[target] = value


# What makes an article a draft, by the key that says so (value -> draft or not).
DRAFT_WHEN = {
    "draft": lambda v: v,
    "published": lambda v: v is False or str(v).strip().lower() in ("false", "no"),
    "status": lambda v: str(v).strip().lower() == "draft",
}
_HOSTILE = re.compile(r"[\x00-\x1f\x7f]|^[/\\~]|(^|[/\\])\.{1,2}([/\\]|$)")


def _site_value(key: str, value: Any, place: Place, out: dict[str, Any],
                notes: list[str] | None) -> bool:
    """A `slug` or `url` as a site writes it (`Learn/Getting_started`, `/blog/post/`): the
    folder is named after the slug's last part; a path is joined to base_url by `merge`."""
    if not isinstance(value, str) or key not in ("slug", "url"):
        return False
    if key == "slug":
        if is_slug(value) or _HOSTILE.search(value) or not value.strip():
            return False  # the setting itself (or a slug no site writes: an error)
        folder = slugify(value.rstrip("/").rsplit("/", 1)[-1], "")
        if is_slug(folder):
            out["slug"] = folder
        _note(notes, key, f"the site's slug {value!r}; the sequence folder is "
                          f"{folder if is_slug(folder) else 'named after the file'!r}")
        return True
    if re.match(r"(https?://|mailto:)", value):
        return False
    out["url"] = value
    return True


def _note(notes: list[str] | None, key: str, why: str) -> None:
    if notes is not None:
        notes.append(f"'{key}' ({why})")


def _close(key: str, allowed: list[str]) -> str | None:
    """The dripmail setting `key` is a likely misspelling of (stricter than for
    dripmail.toml: front matter is full of other engines' keys)."""
    match = difflib.get_close_matches(key, allowed, n=1, cutoff=0.8)
    return match[0] if match else None


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
    values["direction"] = languages.direction(lang)
    if values.get("url"):
        values["url"] = article_url(values["url"], values.get("base_url", ""))
    return Settings(**values)


def article_url(url: str, base_url: str) -> str:
    """The article's address on the web: `url` itself, or a site path (`/blog/post/`) joined
    to `base_url`; "" when that cannot be known (no base_url, or a pattern such as Hugo's
    `/:year/:slug/`)."""
    if re.match(r"(https?://|mailto:)", url):
        return url
    if not base_url or re.search(r"[:{}<>\s]", url):
        return ""
    return urljoin(base_url.rstrip("/") + "/", url)


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

"""Settings: dripmail.toml < front matter < command line, validated up front, all errors at once."""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dripmail import safetext
from dripmail.errors import ConfigError
from dripmail.models import Settings

CONFIG_NAME = "dripmail.toml"
_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
# Keys readable from files: every Settings field except the derived/internal ones.
_INTERNAL = {"extra", "direction"}
# Table keys in files that map onto flat Settings fields.
_TABLES: dict[str, dict[str, str]] = {
    "cta": {"text": "cta_text", "url": "cta_url", "soft_text": "soft_cta_text",
            "soft_url": "soft_cta_url"},
}
_FREEFORM_TABLES = {"utm", "check"}  # validated by their own checkers
# Kept whole in Settings.extra for the command that owns it; checked by that module's
# `check_table(table, where, text, offset) -> problems` (imported only when the table is used).
EXTENSION_TABLES = {"newsletter": "dripmail.newsletter.issue"}
_ARTICLE_ONLY = {"title", "slug", "url", "subjects", "preheaders"}
_RTL = {"ar", "he", "fa", "ur", "yi", "ps", "dv", "ku", "sd", "ug"}


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "must be text (in quotes)"


def _positive(lo: int, hi: int) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            return f"must be a whole number from {lo} to {hi}"
        return None
    return check


def _emails(v: Any) -> str | None:
    if v == "auto" or v is None:
        return None
    return _positive(1, 100)(v) and 'must be "auto" or a number of emails from 1 to 100'


def _schedule(v: Any) -> str | None:
    if v == "auto":
        return None
    if not isinstance(v, list) or not all(isinstance(d, int) and not isinstance(d, bool)
                                          for d in v):
        return 'must be "auto" or a list of day offsets such as [0, 2, 4]'
    if v and v[0] != 0:
        return "must start at day 0 (the first email goes out at once)"
    if any(b < a for a, b in zip(v, v[1:], strict=False)):
        return "day offsets must never go back"
    return None


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "must be true or false"


def _str_list(v: Any) -> str | None:
    if isinstance(v, list) and all(isinstance(s, str) or s is None for s in v):
        return None
    return "must be a list of texts, one per email"


def _table(v: Any) -> str | None:
    if isinstance(v, Mapping) and all(isinstance(x, str | int | float | bool)
                                      for x in v.values()):
        return None
    return "must be a table of simple values"


def _provider(v: Any) -> str | None:
    from dripmail.providers.dialect import DIALECTS

    if isinstance(v, str) and v in DIALECTS:
        return None
    return f"must be one of: {', '.join(sorted(DIALECTS))}"


def _lang(v: Any) -> str | None:
    if isinstance(v, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", v):
        return None
    return 'must be a language tag such as "en" or "pt-BR"'


def _url(v: Any) -> str | None:
    if not isinstance(v, str):
        return "must be text (in quotes)"
    if v and not re.match(r"(https?://|mailto:)", v):
        return "must start with https:// (or mailto:)"
    return None


def _slug(v: Any) -> str | None:
    from dripmail.slug import slug_problem

    return None if v == "" else slug_problem(v)  # "" (or none): the slug of the file name


_VALIDATORS: dict[str, Callable[[Any], str | None]] = {
    "emails": _emails, "schedule": _schedule, "spacing": _positive(1, 30),
    "words_per_email": _positive(50, 5000), "min_words": _positive(1, 5000),
    "max_words": _positive(50, 20000), "smart_quotes": _bool, "subjects": _str_list,
    "preheaders": _str_list, "utm": _table, "check": _table, "provider": _provider,
    "language": _lang, "cta_url": _url, "soft_cta_url": _url, "base_url": _url,
    "unsubscribe_url": _url, "preferences_url": _url, "view_in_browser_url": _url,
    "url": _url, "slug": _slug,
}


def _one_line(check: Callable[[Any], str | None], *, address: bool = False,
              then: Callable[[Any], str | None] | None = None) -> Callable[[Any], str | None]:
    """`check`, then: no control characters (nor, in an address, `=?`) in the text or texts of
    a setting that goes into an email header (see dripmail.safetext), then `then`."""

    def one(v: Any) -> str | None:
        if msg := check(v):
            return msg
        for text in v if isinstance(v, list) else [v]:
            if msg := safetext.problem(text):
                return msg
            if address and isinstance(text, str) and "=?" in text:
                return ("must not contain '=?' (mail programs would read an encoded word "
                        "there); write the address itself")
        return then(v) if then else None
    return one


def _address(*, named: bool) -> Callable[[Any], str | None]:
    """An email address (`named`: or `Name <address>`), plain ASCII, or empty."""
    from dripmail.writing import eml

    def check(v: Any) -> str | None:
        if not v:
            return None
        if named and eml.reply_address(v):
            return None
        if not named and eml.PLAIN_ADDRESS.fullmatch(v):
            return None
        return ("must be an email address such as help@example.com"
                + (' (or "Help <help@example.com>")' if named else ""))
    return check


# Settings that end up in email headers (subjects, From, Reply-To, List-Unsubscribe).
_VALIDATORS.update({
    "sender_name": _one_line(_str), "subject_prefix": _one_line(_str),
    "subjects": _one_line(_str_list), "unsubscribe_url": _one_line(_url),
    "sender_email": _one_line(_str, address=True, then=_address(named=False)),
    "reply_to": _one_line(_str, address=True, then=_address(named=True)),
})


def valid_keys(*, article: bool) -> list[str]:
    """Every key a settings file (or front matter, when `article`) may use."""
    keys = [k for k in _FIELDS if k not in _INTERNAL and k not in _ARTICLE_ONLY]
    keys += [f"{t}.{k}" for t, sub in _TABLES.items() for k in sub]
    keys += sorted(_FREEFORM_TABLES | set(_TABLES) | set(EXTENSION_TABLES))
    if article:
        keys += sorted(_ARTICLE_ONLY)
    return keys


def _line_of(key: str, text: str, offset: int) -> int | None:
    """Best-effort line number of `key` in a TOML or YAML text."""
    leaf = key.rsplit(".", 1)[-1]
    m = re.search(rf"^[ \t]*[\"']?{re.escape(leaf)}[\"']?[ \t]*[=:]", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + offset if m else None


def flatten(raw: Mapping[str, Any], where: str, text: str, offset: int, *, article: bool,
            problems: list[str]) -> dict[str, Any]:
    """Map file keys onto Settings field names, collecting every problem."""
    allowed = valid_keys(article=article)
    out: dict[str, Any] = {}

    def problem(key: str, msg: str) -> None:
        line = _line_of(key, text, offset)
        problems.append(f"{where}:{line}: {msg}" if line else f"{where}: {msg}")

    for key, value in raw.items():
        if key in _TABLES and isinstance(value, Mapping):
            for sub, v in value.items():
                if sub in _TABLES[key]:
                    out[_TABLES[key][sub]] = v
                else:
                    hint = _closest(f"{key}.{sub}", allowed)
                    problem(sub, f"unknown setting '{key}.{sub}'{hint}")
        elif key in _FIELDS and key not in _INTERNAL and (article or key not in _ARTICLE_ONLY):
            out[key] = value
        elif key in EXTENSION_TABLES and isinstance(value, Mapping):
            out.setdefault("extra", {})[key] = value
            checker = importlib.import_module(EXTENSION_TABLES[key]).check_table
            problems += checker(value, where, text, offset)
        elif key in EXTENSION_TABLES:
            problem(key, f"'{key}' must be a table of settings")
        else:
            problem(key, f"unknown setting '{key}'{_closest(key, allowed)}")
    for key, value in out.items():
        check = _VALIDATORS.get(key) or (_str if key != "extra" else None)
        msg = check(value) if check else None
        if msg:
            problem(key, f"setting '{_file_key(key)}' {msg}")
    if isinstance(out.get("check"), Mapping) and out["check"]:
        from dripmail.checks import level_problems  # heavy: only when a [check] table exists

        for key, msg in level_problems(out["check"]):
            problem(key, msg)
    return out


def _file_key(field: str) -> str:
    for table, sub in _TABLES.items():
        for k, f in sub.items():
            if f == field:
                return f"{table}.{k}"
    return field


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
    if values.get("emails") == "auto":
        values["emails"] = None
    if values.get("schedule") == "auto":
        values["schedule"] = ()
    for key in ("schedule", "subjects", "preheaders"):
        if key in values:
            values[key] = tuple(values[key])
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

"""The kinds of value a setting can hold: each a check `value -> why it is wrong, or None`.

A message is worded to follow `setting 'key' `, e.g. "must be true or false".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from dripmail import safetext
from dripmail.providers import ALL as PROVIDERS
from dripmail.slug import slug_problem

Check = Callable[[Any], str | None]


def text(v: Any) -> str | None:
    """Any text."""
    return None if isinstance(v, str) else "must be text (in quotes)"


def whole(lo: int, hi: int) -> Check:
    """A whole number from `lo` to `hi`."""
    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            return f"must be a whole number from {lo} to {hi}"
        return None
    return check


def boolean(v: Any) -> str | None:
    """true or false."""
    return None if isinstance(v, bool) else "must be true or false"


def emails(v: Any) -> str | None:
    """"auto" (or none) or a number of emails."""
    if v == "auto" or v is None:
        return None
    return whole(1, 100)(v) and 'must be "auto" or a number of emails from 1 to 100'


def schedule(v: Any) -> str | None:
    """"auto" or day offsets that start at 0 and never go back."""
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


def text_list(v: Any) -> str | None:
    """A list of texts, one per email (empty entries keep the automatic text)."""
    if isinstance(v, list) and all(isinstance(s, str) or s is None for s in v):
        return None
    return "must be a list of texts, one per email"


def table(v: Any) -> str | None:
    """A table of simple values."""
    if isinstance(v, Mapping) and all(isinstance(x, str | int | float | bool)
                                      for x in v.values()):
        return None
    return "must be a table of simple values"


def provider(v: Any) -> str | None:
    """One of the providers' names (dripmail.providers.ALL: no provider module is imported)."""
    if isinstance(v, str) and v in PROVIDERS:
        return None
    return f"must be one of: {', '.join(sorted(PROVIDERS))}"


def language(v: Any) -> str | None:
    """A BCP 47 language tag."""
    if isinstance(v, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", v):
        return None
    return 'must be a language tag such as "en" or "pt-BR"'


def url(v: Any) -> str | None:
    """An https:// (or mailto:) address, or empty."""
    if not isinstance(v, str):
        return "must be text (in quotes)"
    if v and not re.match(r"(https?://|mailto:)", v):
        return "must start with https:// (or mailto:)"
    return None


def slug_or_empty(v: Any) -> str | None:
    """A slug, or "" for the slug of the file name."""
    return None if v == "" else slug_problem(v)


def slug(v: Any) -> str | None:
    """A slug (see dripmail.slug)."""
    return slug_problem(v)


def folder(v: Any) -> str | None:
    """The output folder: a relative path that stays inside the project."""
    if not isinstance(v, str):
        return "must be text (in quotes)"
    parts = v.replace("\\", "/").split("/")
    if not v.strip() or v.startswith(("/", "~")) or re.match(r"[A-Za-z]:", v) or ".." in parts \
            or re.search(r"[\x00-\x1f\x7f]", v):
        return 'must be a folder inside the project, such as "build" (no absolute path or "..")'
    return None


def parse_date(value: Any) -> dt.date | None:
    """A date from TOML/YAML (already a date) or a 'YYYY-MM-DD' text; None if neither."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def date(v: Any) -> str | None:
    """A date written YYYY-MM-DD."""
    return None if parse_date(v) else "must be a date written YYYY-MM-DD, such as 2026-11-01"


def one_line(check: Check, *, address: bool = False, then: Check | None = None) -> Check:
    """`check`, then: no control characters (nor, in an address, `=?`) in the text or texts of
    a setting that goes into an email header (see dripmail.safetext), then `then`."""

    def one(v: Any) -> str | None:
        if msg := check(v):
            return msg
        for item in v if isinstance(v, list) else [v]:
            if msg := safetext.problem(item):
                return msg
            if address and isinstance(item, str) and "=?" in item:
                return ("must not contain '=?' (mail programs would read an encoded word "
                        "there); write the address itself")
        return then(v) if then else None
    return one


def address(*, named: bool) -> Check:
    """An email address (`named`: or `Name <address>`), plain ASCII, or empty."""

    def check(v: Any) -> str | None:
        if not v:
            return None
        if named and safetext.reply_address(v):
            return None
        if not named and safetext.PLAIN_ADDRESS.fullmatch(v):
            return None
        return ("must be an email address such as help@example.com"
                + (' (or "Help <help@example.com>")' if named else ""))
    return check


def check_levels(levels: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(rule id, message) for each bad entry of a `[check]` table (the rules are known only to
    dripmail.checks, imported here only when such a table exists)."""
    from dripmail.checks import level_problems

    return level_problems(levels)


def auto(value: Any) -> Callable[[Any], Any]:
    """A conversion: "auto" becomes `value`; a list becomes a tuple."""
    def convert(v: Any) -> Any:
        return value if v == "auto" else tuple(v) if isinstance(v, list) else v
    return convert


def as_tuple(v: Any) -> Any:
    """A conversion: a list becomes a tuple."""
    return tuple(v) if isinstance(v, list) else v


def same(v: Any) -> Any:
    """No conversion."""
    return v


def when(v: Any) -> str | None:
    """A date, a date and time, or a date written as text (`'Jul 08 2022'`)."""
    if isinstance(v, dt.date | str) or (isinstance(v, int) and not isinstance(v, bool)):
        return None
    return "must be a date, such as 2024-09-10"


def date_text(v: Any) -> str:
    """A conversion: a date (and time) as ISO text; text as written."""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    return v.isoformat() if isinstance(v, dt.date) else str(v).strip()


def _name(v: Any) -> str | None:
    """The name in an author entry: text, or an object with a `name` (Docusaurus, Hugo)."""
    if isinstance(v, str):
        return v
    if isinstance(v, Mapping) and isinstance(v.get("name"), str):
        return v["name"]
    return None


def names(v: Any) -> str | None:
    """A name, a list of names, or author objects with a `name`."""
    items = v if isinstance(v, list) else [v]
    if items and all(_name(item) is not None for item in items):
        return None
    return "must be a name, a list of names, or author objects with a name"


def names_text(v: Any) -> str:
    """A conversion: the names, one line, separated by commas."""
    items = v if isinstance(v, list) else [v]
    return ", ".join(" ".join((_name(item) or "").split()) for item in items)


_IMAGE_KEYS = ("src", "url", "path", "image", "feature")


def _image(v: Any) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, list) and v:
        return _image(v[0])
    if isinstance(v, Mapping):
        return next((v[k] for k in _IMAGE_KEYS if isinstance(v.get(k), str)), None)
    return None


def image(v: Any) -> str | None:
    """An image's address, a list of them (the first counts), or an object with its `src`."""
    return None if _image(v) is not None else "must be an image's address, such as /img/cover.jpg"


def image_url(v: Any) -> str:
    """A conversion: the image's address."""
    return (_image(v) or "").strip()

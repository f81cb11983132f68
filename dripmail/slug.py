"""Slugs for folder and file names, and the rule every slug that names an output folder obeys
(stdlib only, so cheap to import)."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX = 80
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# Device names Windows refuses as file names (the build may be copied there).
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                      *(f"lpt{i}" for i in range(1, 10))})


def slugify(text: str, fallback: str = "email") -> str:
    """ASCII, lower-case, hyphen-separated slug."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > 64:
        slug = slug[:65].rsplit("-", 1)[0]
    return slug or fallback


def is_slug(name: object) -> bool:
    """Whether `name` may name a sequence's output folder: 1 to SLUG_MAX lower-case ASCII
    letters, digits and hyphens, not starting with a hyphen, and not a reserved name. Such a
    name has no separator, no dot (so never '.', '..', 'index.html' or a hidden name) and no
    control character."""
    return (isinstance(name, str) and len(name) <= SLUG_MAX and _SLUG.fullmatch(name) is not None
            and name not in RESERVED)


def slug_problem(value: object) -> str | None:
    """Why `value` cannot be a slug, worded for `setting 'slug' <problem>`; None if it can."""
    if not isinstance(value, str):
        return "must be text (in quotes)"
    if is_slug(value):
        return None
    suggestion = slugify(value[:4 * SLUG_MAX], "")
    example = suggestion if suggestion and is_slug(suggestion) else "my-course"
    if not _SLUG.fullmatch(value):
        return ("must be lower-case letters a-z, digits and hyphens, starting with a letter or "
                "digit (it names a folder: no '/', '.', spaces or control characters), such as "
                f'"{example}"')
    if len(value) > SLUG_MAX:
        return f'is {len(value)} characters long; use at most {SLUG_MAX}, such as "{example}"'
    return f"'{value}' is a device name on Windows; choose another, such as \"{value}-1\""

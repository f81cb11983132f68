"""Neutral merge tags.

Templates call ``tag("first_name", "there")`` and get an inert alphanumeric token that survives
Markdown, sanitising and CSS inlining untouched (premailer would URL-encode ``{{ }}`` in an href).
After inlining, :func:`resolve` swaps each token for the provider's own syntax, or for a literal
value from the settings where the provider has no tag for it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from dripmail.models import Settings

NAMES = (
    "first_name",
    "email",
    "unsubscribe_url",
    "preferences_url",
    "view_in_browser_url",
    "postal_address",
)
_TOKEN = re.compile(r"zzdm(\d)x([0-9a-f]*)zz")


def token(name: str, fallback: str = "") -> str:
    """The inert token for merge tag `name` (with an optional fallback value)."""
    if name not in NAMES:
        raise ValueError(f"unknown merge tag {name!r}; known tags: {', '.join(NAMES)}")
    return f"zzdm{NAMES.index(name)}x{fallback.encode().hex()}zz"


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one provider writes each neutral tag.

    `tags` maps a tag name to the provider's syntax; a name missing from it (or mapped to None)
    has no provider tag and is rendered from the settings' literal value. `fallback` renders
    `first_name` with a default, given the default text.
    """

    name: str
    tags: dict[str, str | None]
    fallback: Callable[[str], str]

    def render(self, name: str, fallback: str, settings: Settings) -> tuple[str, bool]:
        """Return (text, is_literal) for one tag."""
        if name == "first_name" and fallback:
            return self.fallback(fallback), False
        syntax = self.tags.get(name)
        if syntax is not None:
            return syntax, False
        return literal_value(name, fallback, settings), True


def literal_value(name: str, fallback: str, settings: Settings) -> str:
    """The configured literal value of a tag (used where a provider has no tag)."""
    values = {
        "first_name": fallback,
        "email": "",
        "unsubscribe_url": settings.unsubscribe_url,
        "preferences_url": settings.preferences_url,
        "view_in_browser_url": settings.view_in_browser_url,
        "postal_address": settings.postal_address,
    }
    return values[name]


def _generic(settings: Settings) -> Dialect:
    """`{{ name }}` placeholders for subscriber fields and the unsubscribe link unless configured;
    literal values for everything else (optional links are left out when not configured)."""
    tags: dict[str, str | None] = {
        "first_name": "{{ first_name }}",
        "email": "{{ email }}",
        "unsubscribe_url": None if settings.unsubscribe_url else "{{ unsubscribe_url }}",
        "preferences_url": None,
        "view_in_browser_url": None,
        "postal_address": None,
    }
    return Dialect("generic", tags, lambda fb: '{{ first_name | default: "' + fb + '" }}')


DIALECTS: dict[str, Callable[[Settings], Dialect]] = {"generic": _generic}


def dialect(provider: str, settings: Settings) -> Dialect:
    """The tag dialect of `provider` (see DIALECTS)."""
    return DIALECTS[provider](settings)


def available(name: str, provider: str, settings: Settings) -> bool:
    """Whether an optional link (preferences, view in browser) can be rendered at all."""
    text, _literal = dialect(provider, settings).render(name, "", settings)
    return bool(text)


def resolve(text: str, provider: str, settings: Settings, *, as_html: bool,
            keep_spaces: bool = False) -> str:
    """Replace every tag token in `text` by the provider's syntax or the literal value.

    With `keep_spaces`, spaces inside a provider tag become U+0000 so that text wrapping never
    breaks a tag; `textpart.wrap` turns them back into spaces.
    """
    d = dialect(provider, settings)

    def swap(match: re.Match[str]) -> str:
        name = NAMES[int(match.group(1))]
        fallback = bytes.fromhex(match.group(2)).decode()
        value, literal = d.render(name, fallback, settings)
        if literal:
            return html.escape(value) if as_html else value
        return value.replace(" ", "\0") if keep_spaces else value

    return _TOKEN.sub(swap, text)

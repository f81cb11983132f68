"""The preview's sample subscriber: a built email's merge tags filled as one reader would see them.

The tags are not found by guessing at the output. For each neutral name the theme can write
(`dialect.NAMES`), the sequence's own provider dialect renders its syntax, the same call the
build made; the tag with a fallback (`first_name`) is rendered with a marker in place of the
fallback, so the fallback the theme wrote is read back from between the marker's two sides.
Article text that merely looks like a tag was escaped by the provider's escape at build time,
so it no longer matches and stays as written.

The subscriber comes from the `[preview]` table of dripmail.toml (`first_name`, `email`); links
become sample addresses and the postal address the configured one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dripmail.models import Settings
from dripmail.providers import dialect
from dripmail.settings.schema import PREVIEW

_MARK = "zzdmsamplefallbackzz"  # letters only: no provider's escape or HTML escape changes it
_GLUE = "zzdmsampleseparatorzz"  # in place of the text before a name ("Hallo{ name}," forms)
SAMPLE_LINKS = {"unsubscribe_url": "https://example.com/unsubscribe",
                "preferences_url": "https://example.com/preferences",
                "view_in_browser_url": "https://example.com/view-in-browser"}


def subscriber(settings: Settings) -> dict[str, str]:
    """The sample subscriber: `[preview]` settings over the schema's defaults."""
    table: Mapping[str, Any] = settings.extra.get("preview") or {}
    return {o.key: str(table.get(o.key, o.default)) for o in PREVIEW.options}


def _values(settings: Settings) -> dict[str, str]:
    """What each neutral tag shows for the sample subscriber (plain text)."""
    reader = subscriber(settings)
    return {"first_name": reader["first_name"], "email": reader["email"], **SAMPLE_LINKS,
            "postal_address": settings.postal_address}


@dataclass(frozen=True, slots=True)
class Filler:
    """Fills one provider's tags, in the HTML or the plain-text part, with sample values."""

    pattern: re.Pattern[str] | None  # one alternative per tag form, longest first
    names: tuple[str, ...]  # the neutral name of each alternative
    values: Mapping[str, str]
    as_html: bool
    spaced: tuple[bool, ...] = ()  # per alternative: its group is the text before the name

    def fill(self, text: str) -> str:
        """`text` with each merge tag replaced by the sample subscriber's value."""
        if self.pattern is None:
            return text
        return self.pattern.sub(self._value, text)

    def _value(self, found: re.Match[str]) -> str:
        index = next(n for n, group in enumerate(found.groups()[::2]) if group is not None)
        name, fallback = self.names[index], found.group(2 * index + 2)
        value = self.values[name]
        if self.spaced and self.spaced[index]:  # "Hallo, Sam" / "Hallo,": the glue, the name
            value = html.escape(value) if self.as_html else value
            return f"{fallback}{value}" if value else ""
        if not value and fallback is not None:
            return fallback  # already as the part shows it (escaped in HTML)
        return html.escape(value) if self.as_html else value


def _forms(d: dialect.Dialect, settings: Settings, as_html: bool
           ) -> list[tuple[str, str, str | None]]:
    """(name, the provider's syntax, the marker it holds or None) of every tag form the
    dialect writes (literal values are not tags): the first name also with a fallback and
    with the text written before it when there is one."""
    forms = []
    for name in dialect.NAMES:
        tries = ((_MARK, ""), ("", _GLUE), ("", "")) if name == "first_name" else (("", ""),)
        for fallback, before in tries:
            syntax, literal = d.render(name, fallback, settings, as_html=as_html,
                                       before=before)
            if syntax and not literal:
                forms.append((name, syntax, _MARK if _MARK in syntax else
                              _GLUE if _GLUE in syntax else None))
    return sorted(forms, key=lambda form: -len(form[1]))  # `*|FNAME|*` inside the IF form


def filler(settings: Settings, *, as_html: bool) -> Filler:
    """The filler for a sequence built with `settings` (its provider, its literal values)."""
    d = dialect.dialect(settings.provider, settings)
    forms = _forms(d, settings, as_html)
    alternatives = []
    for _name, syntax, marker in forms:
        if marker:
            before, _, after = syntax.partition(marker)
            alternatives.append(f"({re.escape(before)}(.*?){re.escape(after)})")
        else:
            alternatives.append(f"({re.escape(syntax)})()")
    pattern = re.compile("|".join(alternatives), re.DOTALL) if alternatives else None
    return Filler(pattern, tuple(name for name, _s, _m in forms), _values(settings), as_html,
                  tuple(marker == _GLUE for _n, _s, marker in forms))

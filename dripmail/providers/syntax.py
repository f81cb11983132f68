"""How a provider writes merge tags (`Dialect`), and the escapes of literal template syntax.

The building blocks of the provider modules; the neutral tokens the theme writes and their
resolution into a dialect are in :mod:`dripmail.providers.dialect`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dripmail.models import Settings


def _no_escape(text: str, as_html: bool) -> str:
    """Leave text unchanged (the generic dialect has no template engine behind it)."""
    return text


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one provider writes each neutral tag.

    `tags` maps a tag name to the provider's syntax; a name missing from it (or mapped to None)
    has no provider tag and is rendered from the settings' literal value. `text_tags` overrides
    `tags` in the plain-text part. `fallback` renders `first_name` with a default, given the
    default text. `spaced` renders `first_name` for a greeting that has no word for a reader
    without a name ("Hallo," / "Hallo Sam,"): given the text that joins it to the word before
    (" ", ", "), the syntax printing that text and the name when there is one, else nothing;
    None where the provider has no conditional (the name is then left out). `escape(text,
    as_html)` neutralises literal text that the provider's template engine would otherwise
    evaluate. `required` / `required_text` name the tags that must appear
    in the HTML / text part; :func:`resolve` adds a footer line for any that a template left out.
    """

    name: str
    tags: dict[str, str | None]
    fallback: Callable[[str], str]
    text_tags: dict[str, str | None] = field(default_factory=dict)
    escape: Callable[[str, bool], str] = _no_escape
    required: tuple[str, ...] = ()
    required_text: tuple[str, ...] = ()
    spaced: Callable[[str], str] | None = None

    def render(
        self, name: str, fallback: str, settings: Settings, *, as_html: bool = True,
        before: str = ""
    ) -> tuple[str, bool]:
        """Return (text, is_literal) for one tag (a literal is not escaped yet; a fallback
        inside provider syntax is, for the HTML part). `before`: the first name goes after
        this text, and both only when the subscriber has a name (see `spaced`)."""
        if name == "first_name" and before and not fallback and self.tags.get(name):
            if self.spaced is None:
                return "", True
            return self.spaced(html.escape(before) if as_html else before), False
        if name == "first_name" and fallback:
            return self.fallback(html.escape(fallback) if as_html else fallback), False
        syntax = self.tags.get(name)
        if not as_html and name in self.text_tags:
            syntax = self.text_tags[name]
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


# ---- escapes: literal text that looks like template syntax -----------------------------------
# Engines with a documented escape get it (Liquid {% raw %}, Handlebars \{{). Engines without
# one (Mustachio, Mailchimp merge tags, MailerLite, Brevo) get every opener broken: in HTML its
# first character becomes a numeric character reference (the browser shows the same character,
# the engine sees no tag); in plain text a WORD JOINER (U+2060: invisible, no line break) goes
# after it. Not a zero-width space: that is preheader filler, which `dripmail check` refuses
# in plain text (rule text-filler).
JOINER = "\u2060"
JOINER_HTML = "&#8288;"


def liquid_escape(text: str, as_html: bool) -> str:
    """Liquid (Kit): wrap every `{{` / `{%` opener in `{%raw%}…{%endraw%}` (no spaces, so
    text wrapping cannot split it)."""
    return re.sub(r"\{\{|\{%", lambda m: "{%raw%}" + m.group() + "{%endraw%}", text)


def handlebars_escape(text: str, as_html: bool) -> str:
    """Handlebars (SES, SendGrid, Mailgun): `\\{{` prints `{{` literally.

    A backslash already before `{{` would turn the escape into a literal backslash plus a live
    tag, so it is separated from the escape by an invisible WORD JOINER.
    """

    def one(m: re.Match[str]) -> str:
        gap = (JOINER_HTML if as_html else JOINER) if m.group(1) else ""
        return m.group(1) + gap + "\\{{"

    return re.sub(r"(\\?)\{\{", one, text)


def breaker(*openers: str) -> Callable[[str, bool], str]:
    """An escape that breaks each opener after its first character.

    Openers may overlap (`{{{` holds `{{` twice): every first character that starts an opener
    is broken, so none survives (`{{{ x }}}` becomes `{⁠{⁠{ x }}}`, not `{⁠{{ x }}}`).
    """
    pattern = re.compile("|".join(f"{re.escape(o[0])}(?={re.escape(o[1:])})"
                                  for o in sorted(set(openers), key=len, reverse=True)))

    def escape(text: str, as_html: bool) -> str:
        def one(m: re.Match[str]) -> str:
            return f"&#{ord(m.group())};" if as_html else m.group() + JOINER

        return pattern.sub(one, text)

    return escape


def quoted(fallback: str, quote: str = '"') -> str:
    """A fallback value safe inside a template string literal delimited by `quote`."""
    return fallback.replace(quote, "'" if quote == '"' else "\u2019")

"""Neutral merge tags.

Templates call ``tag("first_name", "there")`` and get an inert alphanumeric token that survives
Markdown, sanitising and CSS inlining untouched (premailer would URL-encode ``{{ }}`` in an href).
After inlining, :func:`resolve` swaps each token for the provider's own syntax, or for a literal
value from the settings where the provider has no tag for it.

Tokens cannot be forged by content. Each one carries :data:`NONCE`, 128 random bits drawn when
this module is imported; article text, front matter and settings are written before it exists,
and no output ever shows it (every token is resolved in the same process, inside
``compose.render_pair``). So :func:`resolve` replaces only the tokens the theme's ``tag()`` calls
put there; text that merely looks like a token (``zzdm0x...zz``) stays plain text and goes
through the sanitiser and the provider's escape like any other. What a token is replaced by is
always escaped: literal values and the ``first_name`` fallback are HTML-escaped (quotes too, so
they cannot leave an attribute), and the fallback is plain text on one line: letters, digits,
spaces and ``.,!?'’-`` (no ``=``, ``<``, ``>``, ``&`` or ``"``, so no attribute value or element
can come of it even where a provider's own quotes end an attribute; put fallback tags in text).
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable

from dripmail import i18n, providers
from dripmail.models import Settings
from dripmail.providers.syntax import Dialect
from dripmail.safetext import one_line

NAMES = (
    "first_name",
    "email",
    "unsubscribe_url",
    "preferences_url",
    "view_in_browser_url",
    "postal_address",
)
NONCE = secrets.token_hex(16)  # per process: tokens are made and resolved in the same one
_TOKEN = re.compile(rf"zzdm{NONCE}(\d)x([0-9a-f]*)(?:y([0-9a-f]+))?zz")


def token(name: str, fallback: str = "", before: str = "") -> str:
    """The inert token for merge tag `name` (with an optional fallback value; `before`: for
    `first_name` without a fallback, text written before the name only when there is one)."""
    if name not in NAMES:
        raise ValueError(f"unknown merge tag {name!r}; known tags: {', '.join(NAMES)}")
    glue = f"y{plain_text(before, keep_edges=True).encode().hex()}" if before else ""
    return f"zzdm{NONCE}{NAMES.index(name)}x{fallback.encode().hex()}{glue}zz"


_NOT_PLAIN = re.compile(r"[^\w\s.,!?'’-]")


def plain_text(value: str, keep_edges: bool = False) -> str:
    """A fallback as plain text: letters, digits, spaces and `.,!?'’-` on one line (anything
    else is dropped: no markup, `"`, `=` or template syntax reaches the provider's tag);
    `keep_edges`: spaces at its ends are kept (the text before a name: ", ")."""
    if keep_edges:
        return _NOT_PLAIN.sub("", one_line(value)) or " "
    return " ".join(_NOT_PLAIN.sub("", one_line(value)).split())


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
    return Dialect("generic", tags, lambda fb: '{{ first_name | default: "' + fb + '" }}',
                   spaced=lambda before: ("{% if first_name %}" + before
                                          + "{{ first_name }}{% endif %}"))


def _provider_dialect(name: str) -> Callable[[Settings], Dialect]:
    """A factory that asks provider `name`'s module (imported on first use)."""

    def factory(settings: Settings) -> Dialect:
        return providers.get(name).dialect(settings)

    factory.__name__ = f"_{name}"
    return factory


DIALECTS: dict[str, Callable[[Settings], Dialect]] = {
    "generic": _generic,
    **{name: _provider_dialect(name) for name in providers.NAMES},
}


def dialect(provider: str, settings: Settings) -> Dialect:
    """The tag dialect of `provider` (see DIALECTS)."""
    return DIALECTS[provider](settings)


def available(name: str, provider: str, settings: Settings) -> bool:
    """Whether an optional link (preferences, view in browser) can be rendered at all."""
    text, _literal = dialect(provider, settings).render(name, "", settings)
    return bool(text)


def resolve(text: str, provider: str, settings: Settings, *, as_html: bool,
            keep_spaces: bool = False, document: bool = True,
            catalog: i18n.Catalog | None = None) -> str:
    """Replace every tag token in `text` by the provider's syntax or the literal value.

    First the provider's escape neutralises literal template syntax (e.g. `{{ 7*7 }}` written in
    an article); then tokens become tags. With `keep_spaces`, spaces inside a provider tag
    become U+0000 so that text wrapping never breaks a tag; `textpart.wrap` turns them back into
    spaces. For a whole email part (`document=True`) any mandatory tag the template left out is
    added in a footer line, so it is always present, its label translated by `catalog` (the
    theme's, with a project's own strings; else the shipped one of the settings' language).
    """
    d = dialect(provider, settings)

    def swap(match: re.Match[str]) -> str:
        name = NAMES[int(match.group(1))]
        fallback = plain_text(bytes.fromhex(match.group(2)).decode())
        before = bytes.fromhex(match.group(3) or "").decode()
        value, literal = d.render(name, fallback, settings, as_html=as_html, before=before)
        if literal:
            return html.escape(value) if as_html else value
        return value.replace(" ", "\0") if keep_spaces else value

    out = _TOKEN.sub(swap, d.escape(text, as_html))
    if not document:
        return out
    return ensure_required(out, d, settings, as_html=as_html, keep_spaces=keep_spaces,
                           catalog=catalog)


_LABELS = {  # in the email's language (dripmail.i18n)
    "unsubscribe_url": i18n.LABEL_UNSUBSCRIBE,
    "preferences_url": i18n.LABEL_PREFERENCES,
    "view_in_browser_url": i18n.LABEL_VIEW_ONLINE,
}


def _syntax(d: Dialect, name: str, settings: Settings, as_html: bool, keep_spaces: bool) -> str:
    syntax, _literal = d.render(name, "", settings, as_html=as_html)
    return syntax.replace(" ", "\0") if keep_spaces else syntax


def missing_required(text: str, d: Dialect, settings: Settings, *, as_html: bool,
                     keep_spaces: bool = False) -> list[str]:
    """The names of the mandatory tags whose provider syntax is absent from `text`."""
    names = d.required if as_html else d.required_text
    return [name for name in names
            if (syntax := _syntax(d, name, settings, as_html, keep_spaces)) and syntax not in text]


def ensure_required(text: str, d: Dialect, settings: Settings, *, as_html: bool,
                    keep_spaces: bool = False, catalog: i18n.Catalog | None = None) -> str:
    """Append a footer line with each mandatory tag that `text` lacks (HTML: before </body>)."""
    pieces = []
    for name in missing_required(text, d, settings, as_html=as_html, keep_spaces=keep_spaces):
        syntax = _syntax(d, name, settings, as_html, keep_spaces)
        label = _LABELS.get(name)
        if label:
            label = (catalog or i18n.catalog(settings.language)).gettext(label)
        if as_html:
            pieces.append(f'<a href="{syntax}" style="color:#6b7280;">{html.escape(label)}</a>'
                          if label
                          else syntax)
        else:
            pieces.append(f"{label}: {syntax}" if label else syntax)
    if not pieces:
        return text
    if not as_html:
        return text.rstrip("\n") + "\n\n" + "\n".join(pieces) + "\n"
    footer = ('<p style="margin:16px 0;font-size:12px;line-height:1.5;color:#6b7280;'
              'text-align:center;">' + " &middot; ".join(pieces) + "</p>")
    at = text.lower().rfind("</body>")
    return text + footer if at < 0 else text[:at] + footer + text[at:]

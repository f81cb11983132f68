"""The Handlebars dialect shared by SES, SendGrid and Mailgun templates."""

from __future__ import annotations

from dripmail.providers import syntax
from dripmail.providers.syntax import Dialect


def fallback(fb: str) -> str:
    """`{{#if first_name}}{{first_name}}{{else}}<fb>{{/if}}`."""
    return "{{#if first_name}}{{first_name}}{{else}}" + syntax.handlebars_escape(fb, False) + \
        "{{/if}}"


def spaced(before: str) -> str:
    """`{{#if first_name}}<before>{{first_name}}{{/if}}`."""
    return "{{#if first_name}}" + syntax.handlebars_escape(before, False) + \
        "{{first_name}}{{/if}}"


def make(name: str, tags: dict[str, str | None], required: tuple[str, ...] = ()) -> Dialect:
    """A Handlebars dialect with the `{{first_name}}` / `{{email}}` template variables."""
    return Dialect(
        name,
        {"first_name": "{{first_name}}", "email": "{{email}}", **tags},
        fallback,
        escape=syntax.handlebars_escape,
        required=required,
        required_text=required,
        spaced=spaced,
    )

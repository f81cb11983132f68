"""SendGrid dynamic templates (Handlebars): template + version payloads."""

from __future__ import annotations

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, handlebars, syntax
from dripmail.providers.syntax import Dialect

NAME = "sendgrid"
escape = syntax.handlebars_escape


def dialect(settings: Settings) -> Dialect:
    """`{{{unsubscribe}}}` / `{{{unsubscribe_preferences}}}` (they need an ASM group at send
    time); web version and address are literal values."""
    return handlebars.make(NAME, {
        "unsubscribe_url": "{{{unsubscribe}}}",
        "preferences_url": "{{{unsubscribe_preferences}}}",
        "view_in_browser_url": None,
        "postal_address": None,
    }, required=("unsubscribe_url",))


def payload(sequence: EmailSequence, email: Email) -> dict:
    """POST /v3/templates (`template`), then POST /v3/templates/{id}/versions (`version`)."""
    name = base.template_name(sequence, email, 100)
    return {
        "template": {"name": name, "generation": "dynamic"},
        "version": {
            "name": name,
            "subject": escape(email.subject, False),
            "html_content": email.html,
            "plain_content": email.text,
            "generate_plain_content": False,
            "editor": "code",
            "active": 1,
        },
    }


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`sendgrid/NN-slug.json` per email."""
    return [base.json_file(f"{NAME}/{e.stem}.json", payload(sequence, e), (e.position,))
            for e in sequence.emails]

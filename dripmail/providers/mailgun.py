"""Mailgun stored templates (Handlebars) with `%unsubscribe_url%`: template API payloads."""

from __future__ import annotations

import json
import re

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, handlebars, syntax
from dripmail.providers.syntax import Dialect

NAME = "mailgun"
_PERCENT = syntax.breaker("%recipient", "%unsubscribe_url%", "%tag_unsubscribe_url%",
                        "%mailing_list_unsubscribe_url%")


def escape(text: str, as_html: bool) -> str:
    """Handlebars `\\{{`, and Mailgun's own `%recipient…%` / `%…unsubscribe_url%` broken."""
    return syntax.handlebars_escape(_PERCENT(text, as_html), as_html)


def dialect(settings: Settings) -> Dialect:
    """Handlebars variables plus Mailgun's `%unsubscribe_url%`; the rest are literal values."""
    d = handlebars.make(NAME, {
        "unsubscribe_url": "%unsubscribe_url%",
        "preferences_url": None,
        "view_in_browser_url": None,
        "postal_address": None,
    }, required=("unsubscribe_url",))
    return Dialect(d.name, d.tags, d.fallback, escape=escape, required=d.required,
                   required_text=d.required_text, spaced=d.spaced)


def payload(sequence: EmailSequence, email: Email) -> dict:
    """The form fields of POST /v3/{domain}/templates (names are lower-case)."""
    name = re.sub(r"[^a-z0-9-]", "-", base.template_name(sequence, email, 100).lower())
    return {
        "name": name,
        "description": base.display_name(sequence, email),
        "template": email.html,
        "engine": "handlebars",
        "tag": "dripmail",
        "comment": f"dripmail: {sequence.title}, email {email.position} of {email.total}",
        "headers": json.dumps({"Subject": escape(email.subject, False)}, ensure_ascii=False),
    }


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`mailgun/NN-slug.json` per email (send the fields as multipart/form-data)."""
    return [base.json_file(f"{NAME}/{e.stem}.json", payload(sequence, e), (e.position,))
            for e in sequence.emails]

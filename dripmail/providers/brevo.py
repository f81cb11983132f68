"""Brevo: Brevo Template Language tags, `/v3/smtp/templates` payloads and upload."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, syntax
from dripmail.providers.http import Client
from dripmail.providers.pacing import Pacing
from dripmail.providers.syntax import Dialect

NAME = "brevo"
ENV = "BREVO_API_KEY"
API = "https://api.brevo.com/v3"
# No documented escape in Brevo's Django-like language: break `{{`, `{%` and `{#`.
escape = syntax.breaker("{{", "{%", "{#")


def dialect(settings: Settings) -> Dialect:
    """`{{ contact.FIRSTNAME }}`, `{{ unsubscribe }}` (mandatory), `{{ mirror }}`; the address
    and the preferences link (which needs a Brevo form id) are literal values."""
    tags: dict[str, str | None] = {
        "first_name": "{{ contact.FIRSTNAME }}",
        "email": "{{ contact.EMAIL }}",
        "unsubscribe_url": "{{ unsubscribe }}",
        "preferences_url": None,
        "view_in_browser_url": "{{ mirror }}",
        "postal_address": None,
    }
    return Dialect(
        NAME,
        tags,
        # Brevo's documented form; double quotes (older pongo2-style lexers know no others).
        lambda fb: '{{ contact.FIRSTNAME | default : "' + syntax.quoted(fb) + '" }}',
        escape=escape,
        required=("unsubscribe_url",),
        required_text=("unsubscribe_url",),
        spaced=lambda before: ("{% if contact.FIRSTNAME %}" + before
                               + "{{ contact.FIRSTNAME }}{% endif %}"),
    )


PLACEHOLDER = Settings().sender_email  # what an unset sender_email gives: hello@example.com


def placeholder_sender(settings: Settings) -> str | None:
    """Why the sender cannot send from Brevo (unset, or the placeholder), or None."""
    if settings.sender_email.strip().lower() in ("", PLACEHOLDER):
        return (f"sender_email is {settings.sender_email or 'unset'!r}, a placeholder; Brevo "
                "sends only from a sender verified in your account (Senders, Domains & "
                "Dedicated IPs): set sender_email in dripmail.toml to that address")
    return None


def warnings(sequence: EmailSequence) -> list[str]:
    """The build warns about a placeholder sender (the upload refuses it)."""
    problem = placeholder_sender(sequence.settings)
    return [f"{sequence.source}: brevo: {problem}"] if problem else []


def payload(sequence: EmailSequence, email: Email) -> dict:
    """The body of POST /v3/smtp/templates (PUT takes the same)."""
    s = sequence.settings
    body = {
        "templateName": base.template_name(sequence, email),
        "subject": escape(email.subject, False),
        "htmlContent": email.html,
        "sender": {"name": s.sender_name, "email": s.sender_email},
        "isActive": True,
    }
    if s.reply_to:
        body["replyTo"] = s.reply_to
    return body


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`brevo/NN-slug.json`: one template payload per email."""
    return [base.json_file(f"{NAME}/{e.stem}.json", payload(sequence, e), (e.position,))
            for e in sequence.emails]


def upload(
    sequence: EmailSequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Pacing | None = None,
) -> list[str]:
    """Create or update one transactional template per email, matched by template name.
    A placeholder sender is refused before anything is sent."""
    env = os.environ if env is None else env
    if problem := placeholder_sender(sequence.settings):
        raise base.ProviderError(f"{sequence.source}: {NAME}: {problem}")
    if dry_run:
        url = api_url or API
        return [f"{base.describe(e)}: would create or update template via {url}/smtp/templates: "
                f"{base.preview(payload(sequence, e))}" for e in sequence.emails]
    key = base.require_env(env, ENV, NAME)
    client = Client(NAME, api_url or API, headers={"api-key": key}, env_name=ENV,
                    pacing=pacing, sleep=sleep, reset_header="x-sib-ratelimit-reset")
    existing = _templates(client)
    lines = []
    for email in sequence.emails:
        body = payload(sequence, email)
        name, what = body["templateName"], base.describe(email)
        if name in existing:
            client.put(f"/smtp/templates/{existing[name]}", json=body, what=what)
            lines.append(f"updated template {name!r} (id {existing[name]})")
        else:
            existing[name] = client.create("/smtp/templates", body, what=what, id_at=("id",),
                                           lookup=lambda name=name: _templates(client).get(name))
            lines.append(f"created template {name!r} (id {existing[name]})")
    return lines


def _templates(client: Client) -> dict[str, int]:
    """Name → id of every transactional template (all pages; Brevo answers `{}` for none)."""
    items = client.offset_pages("/smtp/templates", items="templates", total="count",
                                size=("limit", 1000), offset="offset",
                                fields={"id": int, "name": str}, what="listing templates")
    return {t["name"]: t["id"] for t in items}

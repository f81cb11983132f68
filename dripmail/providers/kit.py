"""Kit (ConvertKit v4): Liquid tags, a sequence with relative delays, created over the API."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, syntax
from dripmail.providers.http import Client
from dripmail.providers.pacing import Pacing
from dripmail.providers.syntax import Dialect

NAME = "kit"
ENV = "KIT_API_KEY"
API = "https://api.kit.com/v4"
escape = syntax.liquid_escape


def dialect(settings: Settings) -> Dialect:
    """Liquid tags; `{{ unsubscribe_url }}` and `{{ address }}` are mandatory."""
    tags: dict[str, str | None] = {
        "first_name": "{{ subscriber.first_name }}",
        "email": "{{ subscriber.email_address }}",
        "unsubscribe_url": "{{ unsubscribe_url }}",
        "preferences_url": "{{ subscriber_preferences_url }}",
        "view_in_browser_url": None,
        "postal_address": "{{ address }}",
    }
    return Dialect(
        NAME,
        tags,
        lambda fb: '{{ subscriber.first_name | default: "' + syntax.quoted(fb) + '" }}',
        escape=escape,
        required=("unsubscribe_url", "postal_address"),
        required_text=("unsubscribe_url", "postal_address"),
        spaced=lambda before: ("{% if subscriber.first_name != blank %}" + before
                               + "{{ subscriber.first_name }}{% endif %}"),
    )


_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_PREHEADER = re.compile(r'<div class="preheader"[^>]*>[^<]*</div>\n?')


def content(markup: str) -> str:
    """What Kit's `content` expects: the email's body content, not a whole HTML document (Kit's
    email template wraps it, `{{ message_content }}`), without the hidden preheader (Kit writes
    `preview_text` itself). The inline styles carry the design."""
    found = _BODY.search(markup)
    inner = found.group(1) if found else markup
    return _PREHEADER.sub("", inner, count=1).strip() + "\n"


def email_payload(email: Email, delay: tuple[int, str], publish: bool = False) -> dict:
    """The body of POST/PUT /sequences/{id}/emails (`published`: Kit's default is a draft)."""
    return {
        "subject": escape(email.subject, False),
        "preview_text": escape(email.preheader, False),
        "content": content(email.html),
        "delay_value": delay[0],
        "delay_unit": delay[1],
        "published": publish,
    }


def sequence_payload(sequence: EmailSequence, publish: bool = False) -> dict:
    """The sequence and its emails, in order, with Kit's relative delays."""
    return {
        "name": sequence.title,
        "emails": [email_payload(e, d, publish) for e, d in zip(
            sequence.emails, base.delays(sequence), strict=True)],
    }


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`kit/sequence.json`: the sequence name and its emails with delay_value/delay_unit."""
    return [base.json_file(f"{NAME}/sequence.json", sequence_payload(sequence),
                           tuple(e.position for e in sequence.emails))]


def upload(
    sequence: EmailSequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Pacing | None = None,
    publish: bool = False,
) -> list[str]:
    """Find or create the sequence by name, then update its emails in order or add them.
    The emails stay drafts unless `publish`; the last line says which, and what is left to do."""
    env = os.environ if env is None else env
    data = sequence_payload(sequence, publish)
    if dry_run:
        url = api_url or API
        return [f"would find or create sequence {data['name']!r} via {url}/sequences"] + [
            f"would create or update sequence email {i}: {base.preview(e)}"
            for i, e in enumerate(data["emails"], 1)] + [
            "would publish the emails" if publish else
            "would leave the emails as drafts (Kit's default; --publish publishes them)"]
    key = base.require_env(env, ENV, NAME)
    client = Client(NAME, api_url or API, headers={"X-Kit-Api-Key": key}, env_name=ENV,
                    pacing=pacing, sleep=sleep)
    name = data["name"]
    seq_id = _find_sequence(client, name)
    if seq_id is None:
        seq_id = client.create("/sequences", {"name": name}, what=f"sequence {name!r}",
                               id_at=("sequence", "id"),
                               lookup=lambda: _find_sequence(client, name))
        lines = [f"created sequence {name!r} (id {seq_id})"]
    else:
        lines = [f"found sequence {name!r} (id {seq_id})"]
    return lines + _sync_emails(client, seq_id, sequence, data["emails"]) + [next_steps(publish)]


def next_steps(published: bool) -> str:
    """What the user still does in Kit after an upload."""
    if published:
        return ("next, in Kit: the emails are published; the sequence sends once subscribers "
                "are added to it (Automations: a form or tag that subscribes them); check its "
                "send days and hour in the sequence settings")
    return ("next, in Kit: the emails are drafts, so nothing sends yet: open the sequence "
            "(Send > Sequences), review each email and switch it to Published, or run the "
            "upload again with --publish; then add subscribers to the sequence (Automations)")


def _sync_emails(client: Client, seq_id: int, sequence: EmailSequence, bodies: list[dict]
                 ) -> list[str]:
    """Update the sequence's emails in position order and add the missing ones."""
    remote = _emails(client, seq_id)
    known = {e["id"] for e in remote}
    lines = []
    for i, (email, body) in enumerate(zip(sequence.emails, bodies, strict=True)):
        what = base.describe(email)
        if i < len(remote):
            client.put(f"/sequences/{seq_id}/emails/{remote[i]['id']}", json=body, what=what)
            lines.append(f"updated email {email.position} (id {remote[i]['id']})")
        else:
            eid = client.create(f"/sequences/{seq_id}/emails", body, what=what,
                                id_at=("email", "id"),
                                lookup=lambda: _new_email(client, seq_id, known))
            known.add(eid)
            lines.append(f"created email {email.position} (id {eid})")
    if len(remote) > len(sequence.emails):
        lines.append(f"left {len(remote) - len(sequence.emails)} later email(s) in Kit untouched")
    return lines


def _find_sequence(client: Client, name: str) -> int | None:
    """The id of the sequence called `name`, if any."""
    found = client.cursor_pages("/sequences", "sequences", {"id": int, "name": str},
                                what="listing sequences")
    return next((s["id"] for s in found if s["name"] == name), None)


def _emails(client: Client, seq_id: int) -> list[dict]:
    """The sequence's emails in position order."""
    emails = client.cursor_pages(f"/sequences/{seq_id}/emails", "emails",
                                 {"id": int, "position": (int, type(None))},
                                 what="listing the sequence's emails")
    return sorted(emails, key=lambda e: (e.get("position") or 0, e["id"]))


def _new_email(client: Client, seq_id: int, known: set[int]) -> int | None:
    """The id of an email in the sequence that is not among `known` (one a POST just made)."""
    return next((e["id"] for e in _emails(client, seq_id) if e["id"] not in known), None)

"""MailerLite: `{$tag}` merge tags; `{$unsubscribe}` in both parts and `{$url}` in the text."""

from __future__ import annotations

from dripmail.models import EmailSequence, PackageFile, Settings
from dripmail.providers import base, syntax
from dripmail.providers.syntax import Dialect

NAME = "mailerlite"
# No documented escape: break the `{$` opener (see syntax.breaker).
escape = syntax.breaker("{$")


def dialect(settings: Settings) -> Dialect:
    """`{$name}`, `{$email}`, `{$unsubscribe}`, `{$url}`; the address is the literal value
    (MailerLite also appends the account's own footer with it). MailerLite's tags have no
    condition: a greeting without a word for a reader without a name ("Hallo,") is written
    without the name."""
    tags: dict[str, str | None] = {
        "first_name": "{$name}",
        "email": "{$email}",
        "unsubscribe_url": "{$unsubscribe}",
        "preferences_url": None,
        "view_in_browser_url": "{$url}",
        "postal_address": None,
    }
    return Dialect(
        NAME,
        tags,
        lambda fb: "{$name|default('" + syntax.quoted(fb, "'") + "')}",
        escape=escape,
        required=("unsubscribe_url",),
        required_text=("unsubscribe_url", "view_in_browser_url"),
    )


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`mailerlite/NN-slug.json`: the body of POST /api/campaigns (a draft regular campaign)."""
    s = sequence.settings
    written = []
    for email in sequence.emails:
        body = {
            "name": base.display_name(sequence, email),
            "type": "regular",
            "emails": [{
                "subject": escape(email.subject, False),
                "from_name": s.sender_name,
                "from": s.sender_email,
                "content": email.html,
            }],
        }
        written.append(base.json_file(f"{NAME}/{email.stem}.json", body, (email.position,)))
    return written

"""Mailchimp: `*|TAG|*` merge tags, one import zip per email, templates via the Marketing API."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, syntax
from dripmail.providers.http import Client
from dripmail.providers.pacing import Pacing
from dripmail.providers.syntax import Dialect

NAME = "mailchimp"
ENV = "MAILCHIMP_API_KEY"
# Mailchimp has no escape for merge tags: break the `*|` opener (see syntax.breaker).
escape = syntax.breaker("*|")


def dialect(settings: Settings) -> Dialect:
    """Merge tags; the address is the audience's (`LIST_ADDRESS_HTML`, one line in text)."""
    tags: dict[str, str | None] = {
        "first_name": "*|FNAME|*",
        "email": "*|EMAIL|*",
        "unsubscribe_url": "*|UNSUB|*",
        "preferences_url": "*|UPDATE_PROFILE|*",
        "view_in_browser_url": "*|ARCHIVE|*",
        "postal_address": "*|HTML:LIST_ADDRESS_HTML|*",
    }
    return Dialect(
        NAME,
        tags,
        lambda fb: f"*|IF:FNAME|**|FNAME|**|ELSE:|*{escape(fb, False)}*|END:IF|*",
        text_tags={"postal_address": "*|LIST:ADDRESSLINE|*"},
        escape=escape,
        required=("unsubscribe_url", "postal_address"),
        required_text=("unsubscribe_url", "postal_address"),
    )


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`mailchimp/NN-slug.zip` per email, holding exactly one `.html` (Mailchimp's import zip)."""
    return [PackageFile(PurePosixPath(NAME, f"{email.stem}.zip"), _zip(email), (email.position,))
            for email in sequence.emails]


def _zip(email: Email) -> bytes:
    """A zip holding the email's HTML as `NN-slug.html` (fixed date: the same bytes each build)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{email.stem}.html", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, email.html.encode("utf-8"))
    return data.getvalue()


def base_url(api_key: str) -> str:
    """`https://<dc>.api.mailchimp.com/3.0` from the key's `-<dc>` suffix."""
    _key, sep, dc = api_key.rpartition("-")
    if not sep or not dc.isalnum():
        raise base.ProviderError(f"mailchimp: {ENV} must end in its data centre, e.g. "
                                 "'…-us21' (copy the whole key from Mailchimp)")
    return f"https://{dc}.api.mailchimp.com/3.0"


def payload(sequence: EmailSequence, email) -> dict:
    """The body of POST/PATCH /templates."""
    return {"name": base.template_name(sequence, email, 50), "html": email.html}


def upload(
    sequence: EmailSequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Pacing | None = None,
) -> list[str]:
    """Create or update one classic template per email, matched by name."""
    env = os.environ if env is None else env
    if dry_run:
        url = api_url or "https://<dc>.api.mailchimp.com/3.0"
        return [f"{base.describe(e)}: would create or update template via {url}/templates: "
                f"{base.preview(payload(sequence, e))}" for e in sequence.emails]
    key = base.require_env(env, ENV, NAME)
    client = Client(NAME, api_url or base_url(key), auth=("dripmail", key), env_name=ENV,
                    pacing=pacing, sleep=sleep)
    existing = _templates(client)
    lines = []
    for email in sequence.emails:
        body = payload(sequence, email)
        name, what = body["name"], base.describe(email)
        if name in existing:
            client.patch(f"/templates/{existing[name]}", json=body, what=what)
            lines.append(f"updated template {name!r} (id {existing[name]})")
        else:
            existing[name] = client.create("/templates", body, what=what, id_at=("id",),
                                           lookup=lambda name=name: _templates(client).get(name))
            lines.append(f"created template {name!r} (id {existing[name]})")
    return lines


def _templates(client: Client) -> dict[str, int]:
    """Name → id of the account's user templates (all pages)."""
    items = client.offset_pages("/templates", items="templates", total="total_items",
                                size=("count", 1000), offset="offset", params={"type": "user"},
                                fields={"id": int, "name": str}, what="listing templates")
    return {t["name"]: t["id"] for t in items}

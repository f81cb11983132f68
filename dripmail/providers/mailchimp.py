"""Mailchimp: `*|TAG|*` merge tags, one import zip per email, templates via the Marketing API."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, images, syntax
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
        spaced=lambda before: f"*|IF:FNAME|*{escape(before, False)}*|FNAME|**|END:IF|*",
    )


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`mailchimp/NN-slug.zip` per email: Mailchimp's import zip, exactly one `.html` plus the
    local images it shows in `images/` (their paths rewritten to match)."""
    folder = sequence.source.parent
    return [PackageFile(PurePosixPath(NAME, f"{email.stem}.zip"),
                        _zip(email, *images.bundle(email.html, folder)), (email.position,))
            for email in sequence.emails]


def _zip(email: Email, markup: str, files: Mapping[str, bytes]) -> bytes:
    """A zip holding `markup` as `NN-slug.html` and `files` under `images/` (fixed dates: the
    same bytes each build)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [(f"{email.stem}.html", markup.encode("utf-8")),
                   *((f"images/{name}", blob) for name, blob in sorted(files.items()))]
        for name, blob in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, blob)
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
    return lines + _local_images_note(sequence)


def _local_images_note(sequence: EmailSequence) -> list[str]:
    """The API takes HTML only: say so when the emails show local images."""
    folder = sequence.source.parent
    local = [src for e in sequence.emails for src in images.sources(e.html)
             if images.kind(src) == "relative" and images.local_file(src, folder)]
    if not local:
        return []
    return [f"note: {len(dict.fromkeys(local))} local image(s) did not travel with the API "
            "templates; import the zips that `dripmail build --provider mailchimp` writes "
            "(they carry the images), or set base_url so the images are on your site"]


def _templates(client: Client) -> dict[str, int]:
    """Name → id of the account's user templates (all pages)."""
    items = client.offset_pages("/templates", items="templates", total="total_items",
                                size=("count", 1000), offset="offset", params={"type": "user"},
                                fields={"id": int, "name": str}, what="listing templates")
    return {t["name"]: t["id"] for t in items}

"""Postmark: Mustachio tags, the postmark-cli folder layout, and templates upserted by alias."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, syntax
from dripmail.providers.http import Client
from dripmail.providers.pacing import Pacing
from dripmail.providers.syntax import Dialect

NAME = "postmark"
ENV = "POSTMARK_SERVER_TOKEN"
API = "https://api.postmarkapp.com"
MAX_TEMPLATES = 100  # per server (Postmark's limit)
# Mustachio has no escape or set-delimiter tag: break the `{{` opener (see syntax.breaker).
escape = syntax.breaker("{{")


def dialect(settings: Settings) -> Dialect:
    """Mustachio: `{{first_name}}`, with a fallback as a section printing `{{.}}` plus an
    inverted section, `{{{ pm:unsubscribe }}}`
    (Broadcast streams); address, preferences and web version are literal values."""
    tags: dict[str, str | None] = {
        "first_name": "{{first_name}}",
        "email": "{{email}}",
        "unsubscribe_url": "{{{ pm:unsubscribe }}}",
        "preferences_url": None,
        "view_in_browser_url": None,
        "postal_address": None,
    }
    return Dialect(
        NAME,
        tags,
        # Mustachio renders a section's inside against the section's own value, and a bare
        # name is looked up there only: inside {{#first_name}}, the name is {{.}}.
        lambda fb: ("{{#first_name}}{{.}}{{/first_name}}"
                    "{{^first_name}}" + escape(fb, False) + "{{/first_name}}"),
        escape=escape,
        required=("unsubscribe_url",),
        required_text=("unsubscribe_url",),
        spaced=lambda before: "{{#first_name}}" + escape(before, False) + "{{.}}{{/first_name}}",
    )


def alias(sequence: EmailSequence, email: Email) -> str:
    """`<sequence-slug>-NN`: letters, digits, `-`, `_`, `.`, starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", base.template_name(sequence, email, 100))
    return name if name[:1].isalpha() else "t-" + name


def payload(sequence: EmailSequence, email: Email) -> dict:
    """The body of POST /templates and PUT /templates/{alias}."""
    return {
        "Name": base.display_name(sequence, email),
        "Alias": alias(sequence, email),
        "Subject": escape(email.subject, False),
        "HtmlBody": email.html,
        "TextBody": email.text,
        "TemplateType": "Standard",
    }


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`postmark/<Alias>/content.html, content.txt, meta.json` (what `postmark templates push
    <dir>` reads)."""
    files = []
    for email in sequence.emails:
        body = payload(sequence, email)
        folder = PurePosixPath(NAME, body["Alias"])
        meta = {k: body[k] for k in ("Name", "Alias", "Subject", "TemplateType")}
        files += [PackageFile(folder / "content.html", email.html.encode("utf-8"),
                              (email.position,)),
                  PackageFile(folder / "content.txt", email.text.encode("utf-8")),
                  base.json_file(f"{folder}/meta.json", meta)]
    return files


def upload(
    sequence: EmailSequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Pacing | None = None,
) -> list[str]:
    """Create each template, or edit it in place when its alias already exists. Postmark's
    limit of 100 templates per server is checked before anything is sent."""
    env = os.environ if env is None else env
    if dry_run:
        url = api_url or API
        return [f"{base.describe(e)}: would create or update template {alias(sequence, e)!r} "
                f"via {url}/templates: {base.preview(payload(sequence, e))}"
                for e in sequence.emails]
    token = base.require_env(env, ENV, NAME)
    client = Client(NAME, api_url or API, headers={"X-Postmark-Server-Token": token},
                    env_name=ENV, pacing=pacing, sleep=sleep)
    existing, total = _aliases(client)
    _check_room(sequence, existing, total)
    lines = []
    for email in sequence.emails:
        body = payload(sequence, email)
        name, what = body["Alias"], base.describe(email)
        if name in existing:
            client.put(f"/templates/{name}", json=body, what=what)
            lines.append(f"updated template {name!r}")
        else:
            existing[name] = client.create("/templates", body, what=what, id_at=("TemplateId",),
                                           lookup=lambda name=name: _aliases(client)[0].get(name))
            lines.append(f"created template {name!r} (id {existing[name]})")
    return lines


def _check_room(sequence: EmailSequence, existing: dict[str, int], total: int) -> None:
    """Refuse an upload that would pass the server's template limit (nothing sent yet)."""
    new = [e for e in sequence.emails if alias(sequence, e) not in existing]
    if total + len(new) > MAX_TEMPLATES:
        raise base.ProviderError(
            f"{NAME}: the server holds {total} templates and this upload would add {len(new)}; "
            f"Postmark allows {MAX_TEMPLATES} per server, so nothing was sent. Delete templates "
            "you no longer use (Templates in Postmark), or upload to another server")


def _aliases(client: Client) -> tuple[dict[str, int], int]:
    """Alias → TemplateId of every template on the server (all pages), and how many templates
    (layouts included) the server holds."""
    items = client.offset_pages(
        "/templates", items="Templates", total="TotalCount", size=("Count", 500), offset="Offset",
        params={"TemplateType": "All"}, fields={"TemplateId": int, "Alias": (str, type(None))},
        what="listing templates")
    return {t["Alias"]: t["TemplateId"] for t in items if t["Alias"]}, len(items)

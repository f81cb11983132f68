"""What every provider module offers, plus the helpers they share (escapes, names, files)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dripmail.errors import DripmailError
from dripmail.models import Email, EmailSequence, Settings
from dripmail.providers.dialect import Dialect

if TYPE_CHECKING:
    from dripmail.providers.http import Pacing

# A package entry: (path written, email position it carries, or 0 for a sequence-wide file).
Written = tuple[Path, int]


class Provider(Protocol):
    """The interface of a provider module (modules satisfy it structurally)."""

    NAME: str

    def dialect(self, settings: Settings) -> Dialect:
        """The provider's merge-tag syntax."""

    def escape(self, text: str, as_html: bool) -> str:
        """Neutralise literal template syntax in `text`."""

    def write_package(self, sequence: EmailSequence, out_dir: Path) -> list[Written]:
        """Write the import package for `sequence` under `out_dir`."""


class Uploader(Protocol):
    """A provider module that can also upload."""

    def upload(
        self,
        sequence: EmailSequence,
        *,
        api_url: str | None = None,
        dry_run: bool = False,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] | None = None,
        pacing: Pacing | None = None,
    ) -> list[str]:
        """Create or update the sequence's templates remotely; return one line per action.
        `pacing` holds the timeouts, waits and time limit (see dripmail.providers.http)."""


class ProviderError(DripmailError):
    """A provider refused a request, or its credentials are missing."""


# ---- escapes: literal text that looks like template syntax -----------------------------------
# Engines with a documented escape get it (Liquid {% raw %}, Handlebars \{{). Engines without
# one (Mustachio, Mailchimp merge tags, MailerLite, Brevo) get the opener broken: a numeric
# character reference in HTML (the browser shows the same character, the engine sees no tag) and
# a zero-width space in plain text.
ZWSP = "\u200b"


def liquid_escape(text: str, as_html: bool) -> str:
    """Liquid (Kit): wrap every `{{` / `{%` opener in `{%raw%}…{%endraw%}` (no spaces, so
    text wrapping cannot split it)."""
    return re.sub(r"\{\{|\{%", lambda m: "{%raw%}" + m.group() + "{%endraw%}", text)


def handlebars_escape(text: str, as_html: bool) -> str:
    """Handlebars (SES, SendGrid, Mailgun): `\\{{` prints `{{` literally.

    A backslash already before `{{` would turn the escape into a literal backslash plus a live
    tag, so it is separated from the escape by an invisible character.
    """

    def one(m: re.Match[str]) -> str:
        gap = ("&#8203;" if as_html else ZWSP) if m.group(1) else ""
        return m.group(1) + gap + "\\{{"

    return re.sub(r"(\\?)\{\{", one, text)


def breaker(*openers: str) -> Callable[[str, bool], str]:
    """An escape that breaks each opener after its first character."""
    pattern = re.compile("|".join(re.escape(o) for o in sorted(openers, key=len, reverse=True)))

    def escape(text: str, as_html: bool) -> str:
        def one(m: re.Match[str]) -> str:
            first, rest = m.group()[0], m.group()[1:]
            return (f"&#{ord(first)};" + rest) if as_html else (first + ZWSP + rest)

        return pattern.sub(one, text)

    return escape


def quoted(fallback: str, quote: str = '"') -> str:
    """A fallback value safe inside a template string literal delimited by `quote`."""
    return fallback.replace(quote, "'" if quote == '"' else "\u2019")


# ---- naming and files ------------------------------------------------------------------------
def template_name(sequence: EmailSequence, email: Email, limit: int = 64) -> str:
    """A stable per-email name: `<sequence-slug>-NN`, the slug cut to fit `limit`."""
    suffix = f"-{email.position:02d}"
    return sequence.slug[: limit - len(suffix)].rstrip("-") + suffix


def display_name(sequence: EmailSequence, email: Email, limit: int = 100) -> str:
    """A readable template name: `<title> NN/TT: <subject>` cut to `limit` characters."""
    name = f"{sequence.title} {email.position:02d}/{email.total:02d}: {email.subject}"
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def delays(sequence: EmailSequence) -> list[tuple[int, str]]:
    """Relative delays (value, unit): the first email 0 days, then the gap since the previous.

    Kit allows a zero delay only on the first email, so a same-day email waits one hour.
    """
    out, previous = [], None
    for email in sequence.emails:
        gap = 0 if previous is None else email.day - previous
        out.append((1, "hours") if (previous is not None and gap <= 0) else (gap, "days"))
        previous = email.day
    return out


def write_json(path: Path, data: Any) -> Path:
    """Write `data` as indented UTF-8 JSON (non-ASCII kept readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_schedule(sequence: EmailSequence, path: Path, files: Mapping[int, str]) -> Path:
    """`schedule.csv`: position, day, subject, preheader, file (relative to the CSV)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["position", "day", "subject", "preheader", "file"])
    for e in sequence.emails:
        writer.writerow([e.position, e.day, e.subject, e.preheader, files.get(e.position, "")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def describe(email: Email) -> str:
    """How errors name an email: `email 2 (02-slug, "Subject")`."""
    return f'email {email.position} ({email.stem}, "{email.subject}")'


def require_env(env: Mapping[str, str], name: str, provider: str) -> str:
    """The value of a credential variable, or a ProviderError saying how to set it."""
    value = env.get(name, "").strip()
    if not value:
        raise ProviderError(f"{provider}: set the {name} environment variable (credentials "
                            "are read only from the environment)")
    return value


def preview(payload: Any, limit: int = 80) -> str:
    """JSON of `payload` with long strings cut, for --dry-run output."""

    def cut(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            return value[:limit] + f"… ({len(value)} chars)"
        if isinstance(value, dict):
            return {k: cut(v) for k, v in value.items()}
        if isinstance(value, list):
            return [cut(v) for v in value]
        return value

    return json.dumps(cut(payload), ensure_ascii=False)

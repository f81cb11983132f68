"""What every provider module offers, plus the helpers they share (names, package files)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from dripmail.errors import DripmailError
from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers.syntax import Dialect

if TYPE_CHECKING:
    from dripmail.providers.pacing import Pacing

class Provider(Protocol):
    """The interface of a provider module (modules satisfy it structurally)."""

    NAME: str

    def dialect(self, settings: Settings) -> Dialect:
        """The provider's merge-tag syntax."""

    def escape(self, text: str, as_html: bool) -> str:
        """Neutralise literal template syntax in `text`."""

    def package(self, sequence: EmailSequence) -> list[PackageFile]:
        """The files of the import package for `sequence` (the writing stage writes them)."""


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
        `pacing` holds the timeouts, waits and time limit (see dripmail.providers.pacing)."""


class ProviderError(DripmailError):
    """A provider refused a request, or its credentials are missing."""


# ---- naming and package files ------------------------------------------------------------------
def template_name(sequence: EmailSequence, email: Email, limit: int = 64) -> str:
    """A stable per-email name: `<sequence-slug>-NN`.

    A slug too long for `limit` is cut and followed by a short hash of the whole slug, so two
    sequences whose slugs share the cut prefix never share a name (one would overwrite the
    other's templates), and each keeps its name from run to run.
    """
    suffix = f"-{email.position:02d}"
    if len(sequence.slug) + len(suffix) <= limit:
        return sequence.slug + suffix
    digest = "-" + hashlib.sha256(sequence.slug.encode("utf-8")).hexdigest()[:8]
    return sequence.slug[: limit - len(suffix) - len(digest)].rstrip("-") + digest + suffix


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


def json_file(path: str, data: Any, positions: tuple[int, ...] = ()) -> PackageFile:
    """A package file holding `data` as indented UTF-8 JSON (non-ASCII kept readable)."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return PackageFile(PurePosixPath(path), text.encode("utf-8"), positions)


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

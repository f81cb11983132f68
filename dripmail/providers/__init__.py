"""Mailing providers: merge-tag dialects, import packages and uploaders, one module each.

Each provider module (e.g. ``dripmail.providers.postmark``) offers ``dialect(settings)`` (its
merge-tag syntax, used through :mod:`dripmail.providers.dialect`), ``write_package(sequence,
out_dir)`` (files to import by hand) and, for some, ``upload(sequence, *, api_url, dry_run,
env)``. This package imports no provider module until one is asked for.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from dripmail.models import EmailSequence

NAMES = ("mailchimp", "kit", "mailerlite", "brevo", "ses", "postmark", "sendgrid", "mailgun")
ALL = ("generic", *NAMES)
UPLOADERS = ("postmark", "ses", "mailchimp", "brevo", "kit")
UPLOAD_TIME_LIMIT = 600  # seconds for a whole `dripmail upload` (--time-limit)


def get(name: str) -> ModuleType:
    """The module of provider `name` (see :class:`dripmail.providers.base.Provider`)."""
    if name not in NAMES:
        raise ValueError(f"unknown provider {name!r}; known providers: {', '.join(ALL)}")
    return importlib.import_module(f"dripmail.providers.{name}")


def escape_literal(text: str, provider: str, *, as_html: bool = False) -> str:
    """Neutralise literal text that `provider`'s template engine would evaluate."""
    if provider == "generic":
        return text
    return get(provider).escape(text, as_html)


def write_extras(sequence: EmailSequence, seq_dir: Path) -> list[Path]:
    """Write `.eml` files, the provider's import package and `schedule.csv` into `seq_dir`."""
    from dripmail.providers import base
    from dripmail.writing import eml

    written = eml.write_all(sequence, seq_dir)
    provider = sequence.settings.provider
    files = {e.position: f"{e.stem}.html" for e in sequence.emails}
    if provider in NAMES:
        package = get(provider).write_package(sequence, seq_dir)
        written += sorted({p for p, _ in package})
        files.update({pos: p.relative_to(seq_dir).as_posix() for p, pos in package if pos})
    written.append(base.write_schedule(sequence, seq_dir / "schedule.csv", files))
    return written

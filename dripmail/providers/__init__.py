"""Mailing providers: the registry (names, lookup); one module per provider.

Each provider module (e.g. ``dripmail.providers.postmark``) offers ``dialect(settings)`` (its
merge-tag syntax, used through :mod:`dripmail.providers.dialect`), ``escape(text, as_html)``,
``package(sequence)`` (the files of its import package, as data: the writing stage writes them)
and, for some, ``upload(sequence, *, api_url, dry_run, env)``. This module imports no provider
module until one is asked for.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES = ("mailchimp", "kit", "mailerlite", "brevo", "ses", "postmark", "sendgrid", "mailgun")
ALL = ("generic", *NAMES)
UPLOADERS = ("postmark", "ses", "mailchimp", "brevo", "kit")


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


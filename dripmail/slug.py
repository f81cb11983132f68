"""Slugs for folder and file names (stdlib only, so cheap to import)."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, fallback: str = "email") -> str:
    """ASCII, lower-case, hyphen-separated slug."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > 64:
        slug = slug[:65].rsplit("-", 1)[0]
    return slug or fallback

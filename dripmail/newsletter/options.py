"""A newsletter issue's options: declared in the settings schema (`[newsletter]`), resolved here.

They come from the `[newsletter]` table of dripmail.toml, then the `newsletter:` tables in the
articles' front matter (the first article named wins), then the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dripmail.models import Source
from dripmail.settings import load
from dripmail.settings.kinds import parse_date
from dripmail.settings.schema import NEWSLETTER

__all__ = ["DEFAULTS", "NEWSLETTER", "check_table", "parse_date", "resolve_options"]

DEFAULTS: dict[str, Any] = {o.key: o.default for o in NEWSLETTER.options
                            if o.default is not None}


def check_table(table: Mapping[str, Any], where: str, text: str = "", offset: int = 1
                ) -> list[str]:
    """Every problem in a [newsletter] table (or the command line's options), at once."""
    return load.check_table(NEWSLETTER, table, where, text, offset)


def resolve_options(project: Mapping[str, Any], sources: Sequence[Source],
                    cli: Mapping[str, Any]) -> dict[str, Any]:
    """dripmail.toml [newsletter] < front matter `newsletter:` (first article wins) < CLI."""
    opts = dict(DEFAULTS)
    opts.update(project.get("extra", {}).get("newsletter", {}))
    for src in reversed(sources):
        opts.update(src.meta.get("newsletter") or {})
    opts.update({k: v for k, v in cli.items() if v is not None})
    return opts

"""The README's settings tables, generated from the schema.

    python -m dripmail.settings.docs            # print both tables
    python -m dripmail.settings.docs --write    # rewrite them in README.md, between their markers
    python -m dripmail.settings.docs --check    # exit 1 if README.md's tables are out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dripmail.settings.schema import (
    CTA,
    NEWSLETTER,
    OWN_TABLE,
    OWN_TABLE_DOC,
    PREVIEW,
    SETTINGS,
    TABLES,
    Option,
    Table,
    Where,
)

COMMAND = "python -m dripmail.settings.docs --write"


def _default(value: Any) -> str:
    if value is None or value == {}:
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


def _where(option: Option | Table) -> str:
    places = [p for w, p in ((Where.TOML, "toml"), (Where.FRONT, "front matter"))
              if w in option.where]
    return ", ".join(places + ([f"`{option.flag}`"] if Where.CLI in option.where else []))


def _table(header: str, rows: Iterable[tuple[str, ...]]) -> str:
    lines = [f"| {header.replace(',', ' |')} |", "|" + "---|" * (header.count(",") + 1)]
    return "\n".join([*lines, *(f"| {' | '.join(row)} |" for row in rows)])


def settings_table() -> str:
    """Every setting of dripmail.toml and front matter, one row each."""
    scalar = [o for o in SETTINGS if Where.TOML in o.where and not isinstance(o.default, dict)]
    tables = [o for o in SETTINGS if isinstance(o.default, dict)]
    article = [o for o in SETTINGS if Where.TOML not in o.where]
    rows = [(f"`{o.key}`", _default(o.default), _where(o), o.doc) for o in scalar]
    rows += [(f"`[cta] {o.key}`", _default(o.default), _where(o), o.doc) for o in CTA.options]
    rows += [(f"`[{o.key}]`", "", _where(o), o.doc) for o in tables]
    rows += [(f"`[{t.name}]`", "", _where(t), t.doc) for t in TABLES if t.extra]
    rows += [(f"`{o.key}`", _default(o.default), _where(o), o.doc) for o in article]
    rows += [(f"`{OWN_TABLE}:`", "", "front matter", OWN_TABLE_DOC)]
    return _table("key, default, set in, meaning", rows)


def newsletter_table() -> str:
    """The `[newsletter]` options, one row each."""
    rows = [(f"`{o.key}`", _default(o.default),
             f"`{o.flag}`" if Where.CLI in o.where else "", o.doc) for o in NEWSLETTER.options]
    return _table("key, default, command line, meaning", rows)


def preview_table() -> str:
    """The `[preview]` options, one row each."""
    return _table("key, default, meaning", [(f"`{o.key}`", _default(o.default), o.doc)
                                            for o in PREVIEW.options])


TABLES_BY_MARKER = {"settings-table": settings_table, "newsletter-table": newsletter_table,
                    "preview-table": preview_table}


def rewrite(readme: str) -> str:
    """`readme` with each generated table replaced between its start and end markers."""
    for name, make in TABLES_BY_MARKER.items():
        pattern = re.compile(rf"(<!-- {name}:start[^\n]*-->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(readme):
            raise ValueError(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end -->")
        readme = pattern.sub(lambda m, make=make: f"{m.group(1)}{make()}\n{m.group(2)}", readme)
    return readme


def main(argv: list[str] | None = None) -> int:
    """Print the tables, or rewrite (--write) or check (--check) them in a README."""
    parser = argparse.ArgumentParser(prog="python -m dripmail.settings.docs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("readme", nargs="?", type=Path, default=Path("README.md"))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the tables in README")
    mode.add_argument("--check", action="store_true", help="exit 1 if they are out of date")
    args = parser.parse_args(argv)
    if not (args.write or args.check):
        print(f"{settings_table()}\n\n{newsletter_table()}")
        return 0
    text = args.readme.read_text(encoding="utf-8")
    new = rewrite(text)
    if args.check:
        if new != text:
            print(f"{args.readme}: settings tables out of date; run `{COMMAND}`", file=sys.stderr)
        return int(new != text)
    args.readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

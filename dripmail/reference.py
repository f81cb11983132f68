"""The one switch for dripmail's speed paths: `DRIPMAIL_REFERENCE=1` runs the libraries instead.

Each speed path stands in front of a library and gives the same output (the tests compare the
two, and tests/test_reference.py builds projects both ways and compares every byte). With the
variable set (to anything but "" or "0"), dripmail uses the libraries as they come:

- inlining: plain premailer for every email (no stored parse of the built-in theme, no
  stylesheet cache, no restyling per element context: `rendering/inline.py`);
- Markdown: a new `markdown.Markdown` per article (no reused, pruned converter:
  `reading/from_markdown.py`);
- `.eml` files: the stdlib's `EmailMessage(...).as_bytes()` (no direct header lines or
  quoted-printable passes: `writing/eml.py`);
- the quality gate: type and colour worked out per element and dark-mode selectors matched by
  cssselect's XPath (no sharing per element context: `checks/paint.py`);
- templates: compiled by Jinja in each process (no bytecode cache: `rendering/theme.py`);
- imports: premailer's `requests` and `cssutils`, and Markdown's Pygments, load when imported
  (`lazy.py`; read when those modules are first imported).

The variable is read on each call, so a test can flip it within one process.
"""

from __future__ import annotations

import os

VARIABLE = "DRIPMAIL_REFERENCE"


def reference() -> bool:
    """Whether the speed paths are off (DRIPMAIL_REFERENCE set to anything but "" or "0")."""
    return os.environ.get(VARIABLE, "") not in ("", "0")

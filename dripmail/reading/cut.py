"""The `<!-- email -->` marker, where an author asks for a new email to start.

While an article is converted, each marker becomes CUT: random, so no text can pose as it.
"""

from __future__ import annotations

import re
import secrets

CUT = f"zzdmcut{secrets.token_hex(16)}zz"
CUT_LINE = re.compile(r"^[ \t]*<!--\s*email\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
CUT_HTML = re.compile(r"<!--\s*email\s*-->", re.IGNORECASE)

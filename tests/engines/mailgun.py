"""Mailgun stored templates: Handlebars, then Mailgun's own `%…%` variables, which it fills when
sending (`%recipient.x%` and `%recipient%` from recipient-variables, the unsubscribe URLs)."""

from __future__ import annotations

import re
from typing import Any

from engines import handlebars

PERCENT = re.compile(r"%(recipient(?:\.(\w+))?|unsubscribe_url|tag_unsubscribe_url"
                     r"|mailing_list_unsubscribe_url)%")


def render(template: str, data: dict[str, Any], percent: dict[str, str]) -> str:
    """Handlebars with `data`, then the `%…%` variables from `percent`."""
    out = handlebars.render(template, data)
    return PERCENT.sub(lambda m: percent.get(m.group(2) or m.group(1), ""), out)

"""MailerLite's `{$tag}` merge tags: `{$name}`, `{$email}`, `{$unsubscribe}`, `{$url}` and
`{$name|default('there')}` (the fallback form dripmail writes; MailerLite's docs do not
confirm it). Any other `{$…` is an error here: MailerLite would print it as written."""

from __future__ import annotations

import html
import re
from typing import Any

from engines.common import TemplateError

TAG = re.compile(r"\{\$(\w+)(?:\|default\('([^'{}]*)'\))?\}")


def render(template: str, data: dict[str, Any], as_html: bool = False) -> str:
    """Fill `template` with `data` (keys: name, email, unsubscribe, url)."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) not in data:
            raise TemplateError(f"unknown tag {m.group()}")
        text = str(data[m.group(1)] or m.group(2) or "")
        return html.escape(text) if as_html else text

    out = TAG.sub(one, template)
    if "{$" in TAG.sub("", template):
        raise TemplateError("a `{$` that is not a tag")
    return out

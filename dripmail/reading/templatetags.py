"""Other generators' template tags in an article: shown as written, and one warning saying so.

Such tags need their own site to mean anything (`{% data variables.product.github %}`,
`{{< figure >}}`), so dripmail prints them as typed and tells the writer once per article,
with the line of the first one and the kinds found.
"""

from __future__ import annotations

import re

from dripmail.models import Source

# (what the writer calls them, a pattern matching one on a line). Bounded: a tag's inside is
# at most 200 characters, so a line of "{{" without "}}" costs one pass.
TAG_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Hugo shortcodes", re.compile(r"\{\{[<%].{0,200}?[>%]\}\}")),
    ("Liquid/Jinja tags", re.compile(r"\{%.{0,200}?%\}")),
    ("Liquid/KumaScript macros", re.compile(r"\{\{(?![<%]).{0,200}?\}\}")),
    ("MyST roles", re.compile(r"\{[a-z][\w:.-]{0,40}\}`")),
    ("MyST directives", re.compile(r"^[ \t]*(```|:::)\{[a-z][\w:.-]{0,40}\}", re.MULTILINE)),
    ("MyST targets", re.compile(r"^\([\w./:-]{1,100}\)=[ \t]*$", re.MULTILINE)),
)


def warning(source: Source) -> str | None:
    """One warning naming the kinds of foreign template tags in the article, or None."""
    found: list[tuple[int, str]] = []
    for name, pattern in TAG_KINDS:
        if m := pattern.search(source.body):
            found.append((m.start(), name))
    if not found:
        return None
    first = min(found)[0]
    line = source.body_line + source.body.count("\n", 0, first)
    kinds = ", ".join(name for _start, name in sorted(found))
    return (f"{source.path}:{line}: holds another site generator's template tags ({kinds}); "
            "they are shown as written, because only that site can fill them in. Replace "
            "them with their text to hide them")

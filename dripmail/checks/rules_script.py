"""Active content: scripts, event handlers and script URLs, which no email may carry."""

from __future__ import annotations

from collections.abc import Iterator

from dripmail.checks.dom import script_url
from dripmail.checks.model import EmailDoc
from dripmail.checks.registry import rule


def active_parts(doc: EmailDoc) -> Iterator[str]:
    """Every script element, event-handler attribute and script URL (in any attribute, links
    included), described."""
    for el in doc.tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() == "script":
            yield "a <script> element"
        for name, value in el.attrib.items():
            lowered = str(name).lower()
            if lowered.startswith("on"):
                yield f"an event handler {lowered}= on <{el.tag}>"
            elif script_url(value):
                yield f"a script URL in {lowered}= on <{el.tag}>"


@rule("active-content", "error", "structure", "no <script>, on* event handlers or javascript: URLs")
def active_content(doc: EmailDoc):
    """Email clients strip or refuse active content; it marks the email as dangerous, and a
    browser preview would run it."""
    for what in active_parts(doc):
        yield ("error", f"{what}: emails must not carry scripts",
               "remove it from the theme or the article (dripmail's sanitiser removes it from "
               "articles; check templates/)")

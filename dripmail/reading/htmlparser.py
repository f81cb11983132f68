"""The lxml HTML parser the reader uses, and what a str needs before lxml parses it."""

from __future__ import annotations

import re

import lxml.html

# lxml's HTML parser without its 255-level cap (which silently drops deeper content), so that
# the depth dripmail.reading.nesting measures (and bounds) is the article's own.
PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def without_xml_declaration(html: str) -> str:
    """`html` without a leading XML declaration: lxml refuses a str that has one."""
    return _XML_DECLARATION.sub("", html, count=1)

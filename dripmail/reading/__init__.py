"""Reading: article files in, one page of raw HTML per article out.

`sources` finds and decodes the files (front matter too). Each format has ONE reader, chosen
by the file's extension (READERS, as Pelican's `Readers`): a module whose `read(source,
settings)` returns a `Page`, the page's own title ("" if none) and the article's raw HTML.
`article` then sanitises that HTML into blocks. A reader is imported when first used, so a
build whose sequences all come from the cache imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dripmail.models import Page, Settings, Source


def _markdown(source: Source, settings: Settings) -> Page:
    from dripmail.reading import from_markdown

    return from_markdown.read(source, settings)


def _text(source: Source, settings: Settings) -> Page:
    from dripmail.reading import from_text

    return from_text.read(source, settings)


def _html(source: Source, settings: Settings) -> Page:
    from dripmail.reading import from_html

    return from_html.read(source, settings)


@dataclass(frozen=True, slots=True)
class Reader:
    """One format: its name (`Source.fmt`) and its reader."""

    fmt: str
    read: Callable[[Source, Settings], Page]


MARKDOWN, TEXT, HTML = Reader("md", _markdown), Reader("txt", _text), Reader("html", _html)
READERS: dict[str, Reader] = {".md": MARKDOWN, ".markdown": MARKDOWN, ".txt": TEXT,
                              ".text": TEXT, ".html": HTML, ".htm": HTML}
_BY_FORMAT = {reader.fmt: reader for reader in READERS.values()}


def to_html(source: Source, settings: Settings) -> Page:
    """What the reader of the source's format makes of it."""
    return _BY_FORMAT[source.fmt].read(source, settings)

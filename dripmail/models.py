"""Frozen value objects that flow through the build stages. No I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Settings:
    """Validated settings for one article: dripmail.toml < front matter < command line."""

    brand: str = "My Practice"
    sender_name: str = "Your Name"
    sender_email: str = "hello@example.com"
    reply_to: str = ""
    postal_address: str = ""
    language: str = "en"
    direction: str = "ltr"
    reason: str = ""  # "": the theme's own line, in the email's language
    signature: str = ""  # the sign-off's lines; "" = the theme's close with sender_name
    cta_text: str = ""
    cta_url: str = ""
    soft_cta_text: str = ""
    soft_cta_url: str = ""
    schedule: tuple[int, ...] = ()  # () = automatic: day 0, then every `spacing` days
    spacing: int = 2
    words_per_email: int = 200
    min_words: int = 120
    max_words: int = 350
    emails: int | None = None  # None = auto
    subject_prefix: str = ""
    provider: str = "generic"
    base_url: str = ""
    utm: Mapping[str, str] = field(default_factory=dict)
    unsubscribe_url: str = ""
    preferences_url: str = ""
    view_in_browser_url: str = ""
    smart_quotes: bool = False
    check: Mapping[str, str] = field(default_factory=dict)
    # per-article only (front matter)
    title: str = ""
    slug: str = ""
    url: str = ""
    subjects: tuple[str, ...] = ()
    preheaders: tuple[str, ...] = ()
    # the article's metadata, as its blog engine wrote it (front matter)
    description: str = ""
    date: str = ""
    author: str = ""
    image: str = ""
    draft: bool = False
    drafts: bool = False  # build drafts too (dripmail.toml or --drafts)
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Source:
    """An article file as read from disk: decoded text split from its front matter."""

    path: Path
    fmt: str  # "md" | "txt" | "html"
    body: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    body_line: int = 1  # line number of the body's first line in the file
    warnings: tuple[str, ...] = ()
    front: str = ""  # the front matter's kind: yaml, toml, json, header, document ("": none)


@dataclass(frozen=True, slots=True)
class Loaded:
    """An article read from disk, with its merged settings and its sequence's folder name."""

    source: Source
    settings: Settings
    slug: str
    notes: tuple[str, ...] = ()  # what was read but left out (shown by `build -v`)


@dataclass(frozen=True, slots=True)
class Page:
    """What a reader makes of a source: the page's own title ("" if none) and raw HTML."""

    title: str
    html: str
    url: str = ""  # a web page's own address (its canonical link), "" if none


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level piece of article content; the splitter never cuts inside a block."""

    kind: str  # heading | paragraph | list | quote | code | table | image | rule | break
    html: str  # sanitised HTML of the element
    text: str  # plain-text rendering (unwrapped; lists and quotes already marked)
    words: int
    level: int = 0  # heading level


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article: title plus content blocks."""

    source: Path
    slug: str
    title: str
    blocks: tuple[Block, ...]
    settings: Settings
    warnings: tuple[str, ...] = ()
    url: str = ""  # the article on the web (front matter `url`, a page's canonical link)


@dataclass(frozen=True, slots=True)
class Part:
    """The slice of an article that one email carries, before rendering."""

    position: int  # 1-based
    day: int
    title: str  # the email's heading
    subject: str
    preheader: str
    blocks: tuple[Block, ...]
    lead_heading: bool = False  # the first block is the heading shown as the email's title
    topic: str = ""  # the subject as a phrase inside a sentence (recap and teaser)


@dataclass(frozen=True, slots=True)
class Email:
    """One rendered email: final inlined HTML and plain text, with provider merge tags."""

    position: int  # 1-based
    total: int
    day: int
    slug: str
    title: str
    subject: str
    preheader: str
    html: str
    text: str
    words: int

    @property
    def stem(self) -> str:
        """File name without extension: `NN-<slug>`."""
        return f"{self.position:02d}-{self.slug}"


@dataclass(frozen=True, slots=True)
class EmailSequence:
    """All emails made from one article."""

    slug: str
    title: str
    source: Path
    settings: Settings
    emails: tuple[Email, ...]
    kind: str = "sequence"  # "sequence" | "newsletter"


@dataclass(frozen=True, slots=True)
class RenderedSequence:
    """One article rendered in memory, and the warnings met on the way."""

    sequence: EmailSequence
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rendered:
    """A project rendered in memory (nothing written), and the warnings met on the way."""

    sequences: tuple[EmailSequence, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Staged:
    """A sequence folder written under its staging name, for the commit to switch in."""

    slug: str
    folder: Path  # `.<slug>.tmp-<tag>` in the output folder
    files: tuple[Path, ...]  # the files written in it


@dataclass(frozen=True, slots=True)
class StagedSequence:
    """What a worker returns for one sequence: rendered, staged and (on request) checked."""

    sequence: EmailSequence
    warnings: tuple[str, ...]
    staged: Staged
    findings: tuple[Any, ...] | None  # checks.Finding; None when not checked
    stats: Mapping[str, list[int]]  # the staged files' [size, mtime_ns], for the build cache


@dataclass(frozen=True, slots=True)
class BuiltSequence:
    """One sequence of a build: just rendered, or read back from the cache."""

    sequence: EmailSequence
    warnings: tuple[str, ...]
    findings: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """An article a build could not make: the file, and one line `file:line: what is wrong`."""

    source: Path
    message: str


@dataclass(frozen=True, slots=True)
class Articles:
    """The articles of a build as read: those to build, and those set aside (one bad article
    never stops the others)."""

    loaded: tuple[Loaded, ...] = ()
    refused: tuple[Refused, ...] = ()
    skipped: tuple[str, ...] = ()  # drafts, one line each
    notes: tuple[str, ...] = ()  # what was read but left out, one line per article


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file of a provider's import package, as data (the writing stage writes it)."""

    path: PurePosixPath  # relative to the sequence folder, e.g. `ses/01-welcome.json`
    data: bytes
    positions: tuple[int, ...] = ()  # the emails it carries (for schedule.csv); () = none


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build produced."""

    sequences: tuple[EmailSequence, ...]
    out_dir: Path
    written: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    findings: tuple[Any, ...] = ()  # quality-gate findings (checks.Finding), with check=True
    refused: tuple[Refused, ...] = ()  # articles not built (their previous output is kept)
    skipped: tuple[str, ...] = ()  # drafts left out, one line each
    notes: tuple[str, ...] = ()  # what was read but left out (`build -v`)

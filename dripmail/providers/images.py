"""The images an email shows, seen from a mailbox: remote ones load; a site-relative path
(`/img/x.png`) or a relative one (`images/x.png`) does not. Mailchimp's import zip can carry
local images (see :func:`bundle`); everywhere else such paths are reported."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from dripmail.models import EmailSequence

_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_MERGE = re.compile(r"\{\{|\{%|\*\||\{\$|%\w")
KINDS = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"GIF87a": ".gif",
         b"GIF89a": ".gif"}
MAX_IMAGE = 10 * 1024 * 1024  # Mailchimp's limit for one file


def sources(markup: str) -> list[str]:
    """The `src` of every <img>, unescaped, in order, once each."""
    found = [html.unescape(m.group(3)).strip() for m in _IMG_SRC.finditer(markup)]
    return list(dict.fromkeys(s for s in found if s))


def kind(src: str) -> str:
    """`remote` (a URL, data:, cid:, a merge tag), `site` (`/x.png`) or `relative`."""
    if _SCHEME.match(src) or src.startswith("//") or _MERGE.search(src):
        return "remote"
    return "site" if src.startswith("/") else "relative"


def local_file(src: str, folder: Path) -> Path | None:
    """The image file a relative `src` names, next to the article: a regular file of at most
    MAX_IMAGE bytes that is a PNG, JPEG or GIF by its first bytes (nothing else is bundled)."""
    path = folder / unquote(urlsplit(src).path)
    try:
        if not path.is_file() or path.stat().st_size > MAX_IMAGE:
            return None
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return path if any(head.startswith(magic) for magic in KINDS) else None


def bundle(markup: str, folder: Path) -> tuple[str, dict[str, bytes]]:
    """`markup` with each relative image that exists rewritten to `images/<name>`, and those
    files by name (names made unique by a short hash when two files share one)."""
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for src in sources(markup):
        path = local_file(src, folder) if kind(src) == "relative" else None
        if path is None:
            continue
        data = path.read_bytes()
        name = PurePosixPath(path.name).name
        if name in files and files[name] != data:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{dot}{ext}"
        files[name] = data
        names[src] = f"images/{name}"

    def swap(m: re.Match[str]) -> str:
        new = names.get(html.unescape(m.group(3)).strip())
        return m.group() if new is None else f"{m.group(1)}{m.group(2)}{new}{m.group(2)}"

    return _IMG_SRC.sub(swap, markup), files


def warnings(sequence: EmailSequence, bundled: bool) -> list[str]:
    """One warning per image a mailbox cannot load; with `bundled` (Mailchimp's zip), relative
    images that exist travel in the package and only the missing ones are named."""
    folder = sequence.source.parent
    site: list[str] = []
    local: list[str] = []
    for email in sequence.emails:
        for src in sources(email.html):
            where = kind(src)
            if where == "site" and src not in site:
                site.append(src)
            elif where == "relative" and src not in local and not (
                    bundled and local_file(src, folder)):
                local.append(src)
    out = []
    if site:
        out.append(f"{sequence.source}: site-relative image path(s) {_list(site)} cannot load "
                   "in a mailbox; set base_url (e.g. https://example.com/) so they become "
                   "absolute, or write full https:// URLs")
    if local and bundled:
        out.append(f"{sequence.source}: image file(s) {_list(local)} not found next to the "
                   "article (or not PNG, JPEG or GIF), so the Mailchimp zip leaves them out; "
                   "add the files or write full https:// URLs")
    elif local:
        out.append(f"{sequence.source}: relative image path(s) {_list(local)} cannot load in "
                   "a mailbox; set base_url so they become absolute, or write full https:// "
                   "URLs (only the Mailchimp zip carries local images)")
    return out


def _list(items: list[str], most: int = 3) -> str:
    shown = ", ".join(repr(i) for i in items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")

"""Find article files and read them: decoding, binary/empty refusal, control characters,
front matter."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from dripmail.errors import ContentError
from dripmail.models import Source
from dripmail.reading import READERS, frontmatter

FORMATS = {extension: reader.fmt for extension, reader in READERS.items()}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_STRAY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def discover(paths: Sequence[Path], default_dir: Path, project_dir: Path | None = None
             ) -> list[Path]:
    """Article files named on the command line (files or folders), or in `default_dir`.

    A file inside the project (or inside a folder given) that resolves outside it, through a
    symbolic link, is refused: a project must not make the build read (and mail) other files.
    """
    if not paths:
        if not default_dir.is_dir():
            raise ContentError(
                f"no {default_dir.name}/ folder here; pass an article file, or run "
                "`dripmail init` to start a project", path=default_dir.parent)
        paths = [default_dir]
    project = default_dir.parent if project_dir is None else project_dir
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS
                            and p.is_file() and not p.name.startswith("."))
            if not inside:
                raise ContentError("no articles found (.md, .txt or .html); add one or pass "
                                   "a file", path=path)
            found += [_contained(p, project, path) for p in inside]
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                raise ContentError(f"unsupported file type '{path.suffix}'; use .md, .txt or "
                                   ".html", path=path)
            found.append(_contained(path, project, None))
        else:
            raise ContentError("no such file or folder", path=path)
    return list(dict.fromkeys(found))


def _contained(path: Path, project: Path, folder: Path | None) -> Path:
    """`path`, unless it lies in the project (or in `folder`, the folder it was found in)
    but resolves outside it through a symbolic link."""
    where = Path(os.path.abspath(path))
    for root in (project, folder):
        if root is not None and where.is_relative_to(os.path.abspath(root)):
            target = path.resolve()
            if not target.is_relative_to(Path(root).resolve()):
                raise ContentError(f"is a symbolic link to {target}, outside "
                                   f"{'the project' if root is project else root}; dripmail "
                                   "does not follow links out of it. Copy the article in, or "
                                   "name its real path on the command line", path=path)
            return path
    return path


def decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """Decode UTF-8 (BOM or not), or the charset an HTML page without a BOM declares; fall
    back to cp1252 with a warning; refuse binary data."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError("looks like a binary file (it contains NUL bytes); save the article "
                           "as text (.md, .txt or .html)", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ()
    html = path.suffix.lower() in (".html", ".htm")
    # a UTF-8 BOM wins over a declared charset, as in browsers (the WHATWG rule)
    declared = _declared_charset(data) if html and not data.startswith(b"\xef\xbb\xbf") else None
    if declared is not None:
        return data.decode(declared, errors="replace"), ()
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ContentError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file "
                               "as UTF-8", path=path, line=line) from exc
        warning = (f"{path}:{line}: not UTF-8; decoded as Windows-1252 (cp1252). Save the file "
                   "as UTF-8 to silence this warning")
        return text, (warning,)


_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|"""
                      rb"""<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
# Labels browsers read as Windows-1252 (the WHATWG Encoding Standard): what such pages hold.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
              "windows-1252", "cp1252", "x-cp1252"}


def _declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset an HTML page declares (a `<meta>` or the XML
    declaration, in its first 2 KB), unless it is UTF-8 or unknown (None)."""
    import codecs

    found = _CHARSET.search(data[:2048])
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith("utf-8") or name.startswith("utf-16") else name


def read_source(path: Path) -> Source:
    """Read one article file into a Source, or raise ContentError with file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", path=path) from exc
    text, warnings = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise ContentError("looks like a binary file (control characters); save the article "
                           "as text", path=path)
    if not text.strip():
        raise ContentError("the file is empty; write the article first", path=path)
    text = without_controls(text)
    found = frontmatter.split(text, path, FORMATS.get(path.suffix.lower(), "txt"))
    body, body_line = found.body, found.body_line
    if not re.search(r"\w", re.sub(r"<[^<>]*>", " ", body)):  # ([^<>]: linear on "<<<<…")
        raise ContentError("the article has no words", path=path, line=body_line)
    fmt = FORMATS.get(path.suffix.lower(), "txt")
    meta = found.meta
    if fmt == "html" and not any(str(k).lower() in ("lang", "language") for k in meta):
        if lang := page_language(body):
            meta = {**meta, "lang": lang}  # the page says what language it is in
    return Source(path=path, fmt=fmt, body=body, meta=meta, body_line=body_line,
                  warnings=warnings, front=found.kind)


_PAGE_LANG = re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?\s*"
                        r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)


def page_language(html: str) -> str:
    """The language an HTML page declares (`<html lang="de">`), or ""."""
    found = _PAGE_LANG.search(html[:8192])
    return found.group(1) if found else ""


def without_controls(text: str) -> str:
    """The text without control characters: a form feed or vertical tab (a page break in old
    documents) ends its line; the others (C0 but tab and line feed, DEL, C1) are removed."""
    if not _STRAY.search(text):
        return text
    return _STRAY.sub("", text.replace("\f", "\n").replace("\v", "\n"))

"""Content-hash build cache: a sequence whose inputs are unchanged is not rendered again.

The cache lives in the output folder (`build/.dripmail-cache.json`). A sequence's key hashes
dripmail's version and code, the theme (built-in and the project's templates/), the article's
text, path and modification time, its merged settings and $SOURCE_DATE_EPOCH. An entry is
used only when its key matches and the sequence's folder still holds exactly the files
recorded (same names, sizes and mtimes); anything else (a missing, corrupt or foreign cache
file, a touched output file) means a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from dripmail import __version__
from dripmail.models import Email, EmailSequence, Loaded, Settings

CACHE_NAME = ".dripmail-cache.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]


def _hash(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def builtin_theme() -> Path:
    """The built-in theme folder (the same rule as `theme.builtin_dir`, without importing Jinja)."""
    packaged = PACKAGE / "templates"
    return packaged if packaged.is_dir() else PACKAGE.parent / "templates"


def _files(folder: Path, code: bool = False) -> Iterable[tuple[str, bytes]]:
    """(relative name, bytes) of the files under a folder, sorted; with `code`, the compiled
    bytecode that Python writes beside modules is left out (it is not read at all)."""
    if folder.is_dir():
        found = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*")
                       if not (code and (p.suffix in (".pyc", ".pyo") or "__pycache__" in p.parts))
                       and p.is_file())
        for name, path in found:
            yield name, path.read_bytes()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """dripmail's version and the text of its modules (a changed module invalidates the cache)."""
    parts: list[str | bytes] = [__version__]
    for name, data in _files(PACKAGE, code=True):
        parts += [name, data]  # modules and their data (e.g. the checks' tables)
    return _hash(*parts)


def common_key(project_dir: Path) -> str:
    """What every sequence of a build depends on: code, built-in theme, project templates."""
    parts: list[str | bytes] = [str(FORMAT), code_fingerprint()]
    for label, folder in (("builtin", builtin_theme()), ("project", project_dir / "templates")):
        for name, data in _files(folder):
            parts += [label, name, data]
    return _hash(*parts)


def sequence_key(common: str, inputs: Sequence[Loaded], project_dir: Path,
                 out_dir: Path = Path("build"), extra: str = "") -> str:
    """The content hash of one sequence's inputs: the articles it is made from (`extra`: what
    else its output depends on, such as a newsletter's options).

    An article's modification time (whole seconds) is part of it because the `.eml` files are
    dated from it (see `eml.source_date`), as is $SOURCE_DATE_EPOCH, which overrides it.
    """
    parts: list[str | bytes] = [common, str(project_dir.resolve()), extra,
                                os.environ.get("SOURCE_DATE_EPOCH", ""), str(out_dir)]
    for item in inputs:  # (the output folder is there because findings name files)
        src = item.source
        try:
            mtime = str(int(src.path.stat().st_mtime))
        except OSError:
            mtime = ""
        parts += [str(src.path.resolve()), src.fmt, str(src.body_line), src.body,
                  repr(sorted(src.meta.items(), key=str)), repr(item.settings),
                  repr(src.warnings), mtime]
    return _hash(*parts)


def folder_stats(folder: Path) -> dict[str, list[int]]:
    """Name -> [size, mtime_ns] of every file in a sequence folder."""
    out = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            out[entry.name] = [st.st_size, st.st_mtime_ns]
    return out


class BuildCache:
    """The cache of one output folder; unreadable or foreign content reads as empty."""

    def __init__(self, out_dir: Path, data: dict[str, Any] | None = None):
        self.out_dir = out_dir
        self.sequences: dict[str, dict[str, Any]] = {}
        self.index: dict[str, Any] = {}
        if data and data.get("format") == FORMAT and data.get("version") == __version__:
            seqs, index = data.get("sequences"), data.get("index")
            self.sequences = seqs if isinstance(seqs, dict) else {}
            self.index = index if isinstance(index, dict) else {}

    @classmethod
    def read(cls, out_dir: Path) -> BuildCache:
        """The cache in `out_dir`, or an empty one (missing or corrupt file)."""
        try:
            data = json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            data = None
        return cls(out_dir, data if isinstance(data, dict) else None)

    def fresh(self, slug: str, key: str) -> bool:
        """Whether out_dir/<slug>/ was built from exactly these inputs and is untouched."""
        entry = self.sequences.get(slug)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        try:
            return folder_stats(self.out_dir / slug) == entry.get("files")
        except OSError:
            return False

    def warnings(self, slug: str) -> tuple[str, ...]:
        """The warnings met when the cached sequence was rendered."""
        found = self.sequences.get(slug, {}).get("warnings", [])
        return tuple(w for w in found if isinstance(w, str))

    def findings(self, slug: str) -> tuple | None:
        """The quality-gate findings of the cached sequence (checks.Finding), None if unknown."""
        from dripmail.checks.model import Finding

        found = self.sequences.get(slug, {}).get("findings")
        try:
            return tuple(Finding(**f) for f in found) if isinstance(found, list) else None
        except TypeError:  # a damaged entry: check again
            return None

    def record_findings(self, slug: str, findings: Iterable) -> None:
        """Add the findings of a cached sequence checked after the fact."""
        self.sequences[slug]["findings"] = [_row(f) for f in findings]

    def record(self, slug: str, key: str, warnings: Iterable[str],
               findings: Iterable | None = None, stats: dict | None = None) -> None:
        """Remember the sequence just written to out_dir/<slug>/ (and its findings; `stats`:
        its files' `folder_stats`, when already known)."""
        if stats is None:
            stats = folder_stats(self.out_dir / slug)
        entry = {"key": key, "files": stats, "warnings": list(warnings)}
        if findings is not None:
            entry["findings"] = [_row(f) for f in findings]
        self.sequences[slug] = entry

    def index_fresh(self, key: str, path: Path) -> bool:
        """Whether the preview page was made from these manifests and is untouched."""
        try:
            st = path.stat()
        except OSError:
            return False
        return self.index.get("key") == key and self.index.get("file") == [st.st_size,
                                                                            st.st_mtime_ns]

    def record_index(self, key: str, path: Path) -> None:
        st = path.stat()
        self.index = {"key": key, "file": [st.st_size, st.st_mtime_ns]}

    def save(self) -> str | None:
        """Write the cache next to the output (atomically). Failing to save is not an error:
        the build is complete; the warning to show is returned instead."""
        from dripmail.errors import OutputError
        from dripmail.writing.files import write_text_atomic

        data = {"format": FORMAT, "version": __version__, "sequences": self.sequences,
                "index": self.index}
        try:
            write_text_atomic(self.out_dir / CACHE_NAME, json.dumps(data, sort_keys=True))
        except OutputError as exc:
            return (f"{exc.message}; the build is complete, but without its cache the next "
                    "build renders every sequence again")
        return None


def index_key(common: str, manifests: list[dict[str, Any]]) -> str:
    """The content hash of the preview page's inputs."""
    return _hash(common, json.dumps(manifests, sort_keys=True, ensure_ascii=False))


def load_sequence(folder: Path, source: Path, settings: Settings) -> EmailSequence:
    """Read a cached sequence back from its folder (manifest, HTML and text files)."""
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    meta, entries = doc["sequence"], doc["emails"]
    emails = tuple(
        Email(position=e["position"], total=len(entries), day=e["day"],
              slug=Path(e["html"]).stem.split("-", 1)[1], title=e.get("title", ""),
              subject=e["subject"], preheader=e["preheader"],
              html=(folder / e["html"]).read_bytes().decode("utf-8"),
              text=(folder / e["text"]).read_bytes().decode("utf-8"), words=e["words"])
        for e in entries)
    return EmailSequence(slug=meta["slug"], title=meta["title"], source=source,
                         settings=settings, emails=emails, kind=meta.get("kind", "sequence"))


def _row(finding: Any) -> dict[str, Any]:
    """A finding (a slotted dataclass of plain values) as a JSON object; what
    `dataclasses.asdict` gives, without its deep copy (1,300 findings took 13 ms)."""
    return {name: getattr(finding, name) for name in type(finding).__slots__}

"""What a sequence folder holds: each email as .html, .txt and .eml, the manifest, the
provider's import package and schedule.csv."""

from __future__ import annotations

from pathlib import Path

from dripmail.errors import OutputError
from dripmail.models import EmailSequence, PackageFile
from dripmail.writing import eml
from dripmail.writing.files import write_bytes, write_text
from dripmail.writing.manifest import MANIFEST, manifest_text
from dripmail.writing.schedule import NAME as SCHEDULE
from dripmail.writing.schedule import schedule_csv


def write_sequence(seq: EmailSequence, folder: Path, project_dir: Path) -> list[Path]:
    """Write everything of one sequence into `folder` (which exists); return the files."""
    paths = []
    for e in seq.emails:
        paths.append(write_text(folder / f"{e.stem}.html", e.html))
        paths.append(write_text(folder / f"{e.stem}.txt", e.text))
    paths.append(write_text(folder / MANIFEST, manifest_text(seq, project_dir)))
    return paths + write_extras(seq, folder)


def write_extras(seq: EmailSequence, folder: Path) -> list[Path]:
    """Write the `.eml` files, the provider's import package and `schedule.csv`."""
    written = eml.write_all(seq, folder)
    files = {e.position: f"{e.stem}.html" for e in seq.emails}
    package = _package(seq)
    written += _write_package(package, folder)
    files.update({pos: f.path.as_posix() for f in package for pos in f.positions})
    written.append(write_text(folder / SCHEDULE, schedule_csv(seq, files)))
    return written


def _package(seq: EmailSequence) -> list[PackageFile]:
    """The provider's import package (none for the generic provider)."""
    from dripmail import providers

    if seq.settings.provider not in providers.NAMES:
        return []
    return providers.get(seq.settings.provider).package(seq)


def _write_package(package: list[PackageFile], folder: Path) -> list[Path]:
    """Write the package's files; return their paths, sorted."""
    for f in package:
        if f.path.is_absolute() or not f.path.parts or ".." in f.path.parts:
            raise OutputError(f"refusing to write the package file {f.path}: it would land "
                              "outside the sequence folder", path=folder)
        write_bytes(folder.joinpath(*f.path.parts), f.data)
    return sorted({folder.joinpath(*f.path.parts) for f in package})

"""What `dripmail check` runs: build folders as written, and article sources rendered in memory
through the pipeline, each through the quality gate (`dripmail.checks`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dripmail.checks import check_sequences, run_checks
from dripmail.checks.loading import load_sequences
from dripmail.checks.model import EmailDoc, Finding
from dripmail.pipeline.project import render_project
from dripmail.settings.load import read_project
from dripmail.writing.manifest import sequence_folders


@dataclass(frozen=True, slots=True)
class CheckRun:
    """The emails checked and what was found."""

    docs: tuple[EmailDoc, ...]
    findings: tuple[Finding, ...]
    warnings: tuple[str, ...] = ()  # from rendering sources in memory


def is_build(path: Path) -> bool:
    """Whether a path is a build folder (or one sequence folder of a build)."""

    return path.is_dir() and ((path / "manifest.json").is_file()
                              or bool(sequence_folders(path)))


def is_built_email(path: Path) -> bool:
    """Whether a path is one email file of a build (an .html next to a manifest.json)."""
    return path.suffix == ".html" and (path.parent / "manifest.json").is_file()


def check_paths(project_dir: Path, paths: Sequence[Path] = ()) -> CheckRun:
    """Check build folders as written, and article sources rendered in memory.

    With no paths, the project's build/ folder is checked. Levels come from the project's
    dripmail.toml `[check]` table (and, for sources, each article's front matter).
    """
    project_dir = Path(project_dir)
    only: set[str] = set()  # built email files named one by one
    if paths:
        emails = [p for p in paths if is_built_email(p)]
        only = {str(p) for p in emails}
        builds = [p for p in paths if is_build(p)] + sorted({p.parent for p in emails})
        sources = [p for p in paths if not is_build(p) and p not in emails]
    else:
        builds, sources = [_display_root(project_dir)], []  # load_build explains a missing one
    docs: list[EmailDoc] = []
    findings: list[Finding] = []
    levels = read_project(project_dir).get("check", {}) if builds else {}
    for folder in builds:
        found, checked = _check_build(folder, levels)
        if only and folder in {Path(f).parent for f in only}:
            found = [d for d in found if d.file in only]
            checked = [f for f in checked if f.file in only]
        docs += found
        findings += checked
    warnings: tuple[str, ...] = ()
    if sources:
        rendered = render_project(project_dir, sources)
        more_docs, more = check_sequences(rendered.sequences, _display_root(project_dir))
        docs += more_docs
        findings += more
        warnings = rendered.warnings
    return CheckRun(tuple(docs), tuple(findings), warnings)


def _check_build(folder: Path, levels: Mapping[str, str]) -> tuple[list[EmailDoc],
                                                                    list[Finding]]:
    """Check a build folder as `dripmail build` checked it: each sequence with the levels its
    article set (recorded in its manifest), or else the project's `levels`."""
    docs: list[EmailDoc] = []
    findings: list[Finding] = []
    for seq in load_sequences(folder):
        docs += seq.docs
        findings += run_checks(seq.docs, levels if seq.levels is None else seq.levels)
    return docs, findings


def _display_root(project_dir: Path) -> Path:
    """Where in-memory emails are said to be: the build folder they would be written to."""
    build = project_dir / "build"
    try:
        return build.relative_to(Path.cwd())
    except ValueError:
        return build


def failed(findings: Sequence[Finding], *, strict: bool) -> bool:
    """Exit status rule: errors fail; with --strict, warnings fail too."""
    return any(f.severity == "error" or strict for f in findings)

"""One error hierarchy: every user-facing failure is a click.ClickException (exit 1)."""

from __future__ import annotations

from pathlib import Path

import click


class DripmailError(click.ClickException):
    """Base class: printed by click as one line `Error: <message>`, exit code 1."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class ConfigError(DripmailError):
    """Invalid settings in dripmail.toml, front matter or on the command line."""

    def __init__(self, problems: list[str] | str):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        message = problems[0] if len(problems) == 1 else (
            f"{len(problems)} settings problems:\n  " + "\n  ".join(problems)
        )
        super().__init__(message)


class ContentError(DripmailError):
    """An article that cannot be read or split."""


class TemplateError(DripmailError):
    """A theme template that does not parse or render."""


class OutputError(DripmailError):
    """The output folder cannot be written."""

"""Files in the output folder: created with the mode the umask gives, or replaced atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from dripmail.errors import OutputError


def create_file(path: Path, data: bytes) -> None:
    """Write a new file (0666 less the umask, like any file); remove it again on failure."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with `\\n` line ends (inside a staging folder: no rename needed)."""
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes, creating the folders on the way (inside a staging folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write a file via a temporary file and a rename; on failure nothing is left behind."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(6)}")
    try:
        create_file(tmp, text.encode("utf-8"))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from exc
    return path


def output_error(exc: OSError, out_dir: Path) -> OutputError:
    """A failed write as a one-line error that says what to do."""
    return OutputError(f"cannot write: {exc.strerror or exc}; check the free space and the "
                       "folder's permissions, or choose another folder with --out",
                       path=exc.filename or out_dir)

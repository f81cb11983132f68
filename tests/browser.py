"""What the browser tests share: Debian's Chromium (/usr/bin/chromium) driven through
Playwright's Python API (never a downloaded browser), and the skip where either is missing."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL | re.IGNORECASE)  # for "no <style>"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("chromium") is None,
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")


def playwright() -> ModuleType:
    """Playwright's sync API; the calling test module is skipped without it."""
    return pytest.importorskip("playwright.sync_api",
                               reason="needs Playwright's Python package (pip install playwright)")


@contextlib.contextmanager
def chromium(sync_api: ModuleType) -> Iterator:
    """One headless Chromium, closed afterwards."""
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()

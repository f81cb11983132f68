"""The recap and the teaser as a phone shows them: at most two lines at 375 px (Chromium).

Needs Debian's `chromium` (/usr/bin/chromium) and Playwright's Python package; never downloads a
browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dripmail.pipeline.build import build
from tests.browser import chromium, needs_chromium, playwright

pytestmark = needs_chromium
sync_api = playwright()

# Headings of the longest kind a subject keeps whole (65 characters), with long words.
LONG = ["Why Your Partner’s Readiness Isn’t the Only Measure of Progress Today",
        "Understanding Extraordinarily Complicated Interdependent Relationships",
        "A Shift in One Person Can Shift the Entire Dynamic of a Household"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium(sync_api) as launched:
        yield launched


def lines(page, selector: str) -> float:
    """How many lines of text an element's box holds."""
    return page.eval_on_selector(selector, """e => {
        const s = getComputedStyle(e);
        const inner = e.getBoundingClientRect().height - parseFloat(s.paddingTop)
            - parseFloat(s.paddingBottom);
        return inner / parseFloat(s.lineHeight); }""")


def test_recap_and_teaser_take_at_most_two_lines_on_a_phone(browser, example: Path) -> None:
    body = "# Course for Couples\n\n" + "\n\n".join(
        f"## {heading}\n\n" + " ".join(["word"] * 220) + "." for heading in LONG) + "\n"
    (example / "sequences" / "long.md").write_text(body, encoding="utf-8")
    build(example)
    pages = sorted((example / "build").glob("*/0*.html"))
    assert len(pages) >= 8
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    seen = 0
    for path in pages:
        page.goto(path.as_uri())
        for selector in ("p.recap", "p.teaser"):
            if page.query_selector(selector) is not None:
                assert lines(page, selector) <= 2.05, (path.name, selector)
                seen += 1
    context.close()
    assert seen >= 2 * (len(pages) - 2)

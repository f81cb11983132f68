"""An Arabic email in real headless Chromium (Debian's /usr/bin/chromium through Playwright):
the text runs right to left, measured as a reader sees it (computed `direction`, where the
words are), at desktop width and at 375 px, with its `<style>` and without (inline styles
only, as clients that drop the stylesheet show it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dripmail.pipeline.build import build
from dripmail.preview.sample import filler
from tests.browser import STYLE, chromium, needs_chromium, playwright
from tests.conftest import write

FIXTURES = Path(__file__).parent / "data" / "languages"

pytestmark = [pytest.mark.slow, needs_chromium]
sync_api = playwright()

# Where a reader sees the words: each text element's direction, and the left and right ends
# of its text (a Range over its contents, not its box, which is as wide either way).
MEASURE_JS = """() => {
  const content = document.querySelector('.content').getBoundingClientRect();
  const inner = (el) => { const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {left: r.left + parseFloat(s.paddingLeft),
            right: r.right - parseFloat(s.paddingRight)}; };
  const text = (el) => { const range = document.createRange(); range.selectNodeContents(el);
    const r = range.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const one = (sel) => { const el = document.querySelector(sel);
    return {dir: getComputedStyle(el).direction, align: getComputedStyle(el).textAlign,
            text: text(el), box: inner(el.closest('td'))}; };
  const ul = document.querySelector('.content ul');
  const bq = document.querySelector('.content blockquote');
  return {
    content: {left: content.left, right: content.right},
    greeting: one('.content .greeting'), h1: one('.content h1'), brand: one('.header .brand'),
    footer: one('.footer p'),
    paragraphs: [...document.querySelectorAll('.content > p, .content li')].map((p) => ({
      dir: getComputedStyle(p).direction, text: text(p)})),
    ul: ul && {left: parseFloat(getComputedStyle(ul).paddingLeft),
               right: parseFloat(getComputedStyle(ul).paddingRight),
               item: text(ul.querySelector('li')), box: ul.getBoundingClientRect().right},
    quote: bq && {left: parseFloat(getComputedStyle(bq).borderLeftWidth),
                  right: parseFloat(getComputedStyle(bq).borderRightWidth),
                  style: getComputedStyle(bq).fontStyle},
  };
}"""


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The Arabic article's emails, merge tags filled for the preview's reader."""
    root = tmp_path_factory.mktemp("arabic")
    write(root / "dripmail.toml", 'brand = "Harbor Counseling"\nsender_name = "Maya Ellis"\n'
          'postal_address = "12 Harbor Street, Portland"\nwords_per_email = 120\n'
          'min_words = 60\nmax_words = 200\n')
    write(root / "sequences" / "ar.md", (FIXTURES / "ar.md").read_text(encoding="utf-8"))
    seq, = build(root).sequences
    fill = filler(seq.settings, as_html=True)
    pages = []
    for e in seq.emails:
        shown = fill.fill(e.html)
        for name, markup in ((e.stem, shown), (f"{e.stem}.no-style", STYLE.sub("", shown))):
            path = root / "shown" / f"{name}.html"
            write(path, markup)
            pages.append(path)
    return pages


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as launched:
        yield launched


@pytest.mark.parametrize("width", [760, 375])
def test_an_arabic_email_runs_right_to_left(browser, arabic: list[Path], width: int,
                                            tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path in arabic:
            page.goto(path.as_uri())
            m = page.evaluate(MEASURE_JS)
            where = f"{path.name} at {width} px"
            for name in ("greeting", "h1", "brand", "footer"):
                assert m[name]["dir"] == "rtl", (where, name)
            # A short line sits at the right: its words end at the right edge of its cell and
            # leave the left side empty.
            greeting = m["greeting"]
            assert abs(greeting["text"]["right"] - greeting["box"]["right"]) <= 2, where
            assert greeting["text"]["left"] - greeting["box"]["left"] > 100, where
            assert abs(m["h1"]["text"]["right"] - m["h1"]["box"]["right"]) <= 2, where
            assert m["brand"]["text"]["right"] >= m["brand"]["box"]["right"] - 2, where
            assert abs(m["footer"]["text"]["right"] - m["footer"]["box"]["right"]) <= 2, where
            assert all(p["dir"] == "rtl" for p in m["paragraphs"]), where
            if m["ul"]:  # the bullets' room on the right, the items' text from the right
                assert (m["ul"]["left"], m["ul"]["right"]) == (0, 24), where
                assert abs(m["ul"]["item"]["right"] - (m["ul"]["box"] - 24)) <= 2, where
            if m["quote"]:  # the quotation's rule on the right, upright (Arabic has no italic)
                assert (m["quote"]["left"], m["quote"]["right"], m["quote"]["style"]) == (
                    0, 4, "normal"), where
            page.screenshot(path=str(tmp_path / f"{path.stem}-{width}.png"), full_page=True)
    finally:
        page.close()
    assert any(a.name.endswith(".no-style.html") for a in arabic)  # measured without <style>
    assert any("<ul" in a.read_text("utf-8") for a in arabic)
    assert any("<blockquote" in a.read_text("utf-8") for a in arabic)

"""The theme in real headless Chromium (Debian's /usr/bin/chromium through Playwright): the bundled
example, a digest and real articles of the corpus at a phone's 375 px, in dark mode and with
`<style>` dropped, measured as a reader would see them; and the preview app at 375 px."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dripmail.newsletter.issue import build_newsletter
from dripmail.pipeline.build import build
from dripmail.preview import livebuild
from dripmail.preview import server as serve
from dripmail.providers.dialect import DIALECTS
from tests.browser import STYLE, chromium, needs_chromium, playwright
from tests.conftest import ROOT, write

CORPUS = ROOT / "tests" / "corpus"
ARTICLES = ["md/myst-cross-referencing.md", "md/pelican-jakevdp-hacking-academia.md",
            "html/sphinx-rtd-sed-eval-tutorial.html", "html/rust-blog-fearless-concurrency.html",
            "md/zola-docs-shortcodes.md", "txt/gnu-bash-install.txt"]
EVERY_ELEMENT = """<!DOCTYPE html><html lang="en"><head><title>Every element</title></head><body>
<h1>Every element</h1>
<p>Text with <code>code</code>, <kbd>Ctrl</kbd>, x<sup>2</sup>, H<sub>2</sub>O,
<small>small</small>, <abbr title="HyperText Markup Language">HTML</abbr>, <mark>marked</mark>,
<del>old</del>
<ins>new</ins> and <a href="https://example.org/">a link</a>.</p>
<h2>Two</h2><p>Under two.</p><h3>Three</h3><p>Under three.</p><h4>Four</h4><p>Under four.</p>
<h5>Five</h5><p>Under five.</p><h6>Six</h6><p>Under six.</p>
<dl><dt>Term</dt><dd>Its definition.</dd></dl>
<figure><img src="https://example.org/a.png" alt="A picture" width="300">
<figcaption>A caption.</figcaption></figure>
<table><caption>Figures</caption><thead><tr><th>Name</th><th>Value</th></tr></thead>
<tbody><tr><td>a</td><td>1</td></tr></tbody></table>
<table><tr><td>one</td><td>two</td><td>three</td><td>four</td><td>five</td><td>six</td><td>seven</td>
<td>eight</td><td>nine</td><td>ten</td><td>eleven</td><td>twelve</td></tr><tr><td>a</td><td>b</td>
<td>c</td><td>d</td><td>e</td><td>f</td><td>g</td><td>h</td><td>i</td><td>j</td><td>k</td><td>l</td>
</tr></table>
<pre><code>a_very_long_identifier_that_does_not_fit_on_a_phone_screen_at_all = 1</code></pre>
<p>https://example.org/a/very/long/address/that/runs/past/the/edge/of/a/phone/screen/x</p>
<hr><blockquote><p>A quotation.</p></blockquote>
<ol><li><p><strong>Point</strong></p><p>Its explanation.</p></li></ol>
</body></html>"""
# Text colour against the colour behind it, for every element with text of its own (WCAG).
CONTRAST_JS = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (x) => { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = (el) => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; }
    return matchMedia("(prefers-color-scheme: dark)").matches && getComputedStyle(
      document.documentElement).colorScheme.includes("dark") ? {r: 18, g: 18, b: 18}
      : {r: 255, g: 255, b: 255}; };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("[hidden], .preheader") || ["IFRAME", "OPTION", "SCRIPT"].includes(el.tagName))
      continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const st = getComputedStyle(el);
    if (st.display === "none" || st.visibility === "hidden") continue;
    const [a, b] = [lum(parse(st.color)), lum(behind(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66
      && parseInt(st.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      low.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" `
        + ratio.toFixed(2));
  }
  return low;
}"""
LINES_JS = """(el) => { const s = getComputedStyle(el), px = (v) => parseFloat(v) || 0;
  const inner = el.getBoundingClientRect().height - px(s.paddingTop) - px(s.paddingBottom)
    - px(s.borderTopWidth) - px(s.borderBottomWidth);
  return Math.round(inner / parseFloat(s.lineHeight)); }"""  # lines of text: no padding

pytestmark = [pytest.mark.slow, needs_chromium]
sync_api = playwright()


def _htmls(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*/[0-9][0-9]-*.html"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The example's five emails, a digest of three articles, and real articles' emails."""
    tmp = tmp_path_factory.mktemp("theme")
    build(ROOT, out_dir=tmp / "example")
    digest = [ROOT / "sequences" / "when-your-partner-isnt-ready.txt",
              ROOT / "docs" / "digest" / "small-repairs.md",
              ROOT / "docs" / "digest" / "sleep-and-conflict.md"]
    build_newsletter(ROOT, digest, {"title": "November notes", "date": "2025-11-28",
                                    "issue": 12}, out_dir=tmp / "digest")
    corpus = tmp / "corpus"
    write(corpus / "dripmail.toml", 'postal_address = "1 Test Street, Testville"\n'
          'unsubscribe_url = "https://example.org/unsubscribe"\n')
    (corpus / "sequences").mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / name, corpus / "sequences" / Path(name).name)
    (corpus / "sequences" / "every-element.html").write_text(EVERY_ELEMENT, encoding="utf-8")
    build(corpus, out_dir=tmp / "corpus-out")
    return {"example": _htmls(tmp / "example"), "digest": _htmls(tmp / "digest"),
            "corpus": _htmls(tmp / "corpus-out")}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium(sync_api) as launched:
        yield launched
        _PAGES.clear()


_PAGES: dict[tuple[int, bool], object] = {}


def opened(browser, path: Path, *, dark: bool = False, no_style: bool = False, width: int = 375):
    """A page showing the email at `width`, in dark mode or without its <style> (one page per
    width and colour scheme, reused: opening pages is most of the time these tests take)."""
    if no_style:
        copy = path.with_name(path.stem + ".no-style.html")
        copy.write_text(STYLE.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
        path = copy
    page = _PAGES.get((width, dark))
    if page is None or page.is_closed():
        page = _PAGES[(width, dark)] = browser.new_page(
            viewport={"width": width, "height": 800}, color_scheme="dark" if dark else "light")
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("mode", ["light", "dark", "no-style"])
def test_no_horizontal_scroll_at_375(browser, built, mode: str) -> None:
    # without <style>, long code lines of real articles may widen the page (word-wrap, which
    # Outlook does not know, is an enhancement in <style>); the example and digest must not
    found = built["example"] + built["digest"] + (built["corpus"] if mode != "no-style" else [])
    assert len(found) > (5 if mode == "no-style" else 20)
    for path in found:
        page = opened(browser, path, dark=mode == "dark", no_style=mode == "no-style")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path.parent.name}/{path.name} ({mode}) is {width} px wide"


@pytest.mark.parametrize("dark", [False, True])
def test_every_text_is_readable_in_light_and_dark(browser, built, dark: bool) -> None:
    for path in built["example"] + built["digest"] + built["corpus"]:
        page = opened(browser, path, dark=dark)
        low = page.evaluate(CONTRAST_JS)
        assert low == [], f"{path.parent.name}/{path.name}: {low[:3]}"


def test_heading_levels_look_distinct(browser, built) -> None:
    path, = [p for p in built["corpus"] if p.parent.name == "every-element"]
    page = opened(browser, path, width=760)
    styles = page.eval_on_selector_all(".content h1, .content h2, .content h3, .content h4, "
                                       ".content h5, .content h6", """els => els.map(e => {
        const s = getComputedStyle(e);
        return [e.tagName, parseFloat(s.fontSize), s.textTransform, s.fontStyle]; })""")
    by_tag = {tag: (size, transform, style) for tag, size, transform, style in styles}
    assert set(by_tag) == {"H1", "H2", "H3", "H4", "H5", "H6"}
    sizes = [by_tag[f"H{n}"][0] for n in range(1, 5)]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4  # h1 > h2 > h3 > h4
    assert len({by_tag[f"H{n}"] for n in range(1, 7)}) == 6  # h5 and h6 differ in style


def test_titles_without_style_stay_within_four_lines_at_375(browser, built) -> None:
    for path in built["example"] + built["digest"]:
        page = opened(browser, path, no_style=True)
        h1 = page.locator(".content h1")
        lines, size = h1.evaluate(LINES_JS), h1.evaluate("e => getComputedStyle(e).fontSize")
        assert lines <= 4 and float(size[:-2]) <= 24, (path.name, lines, size)


def test_footer_takes_at_most_five_lines_at_375(browser, built) -> None:
    for path in built["example"] + built["digest"]:
        page = opened(browser, path)
        lines = sum(p.evaluate(LINES_JS) for p in page.locator(".footer p").all())
        body = page.locator(".content p").first.evaluate("e => getComputedStyle(e).fontSize")
        small = page.locator(".footer p").first.evaluate("e => getComputedStyle(e).fontSize")
        assert lines <= 5, (path.name, lines)
        assert float(small[:-2]) < float(body[:-2])


def test_every_email_is_signed_before_the_footer(browser, built) -> None:
    for path in built["example"] + built["digest"]:
        page = opened(browser, path)
        signoff, footer = page.locator(".signoff"), page.locator(".footer")
        assert signoff.is_visible() and "Warmly," in signoff.inner_text()
        assert signoff.bounding_box()["y"] < footer.bounding_box()["y"]


def test_recap_and_teaser_take_at_most_two_lines_at_375(browser, built) -> None:
    counts = {}
    for path in built["example"]:
        page = opened(browser, path)
        for name in ("recap", "teaser"):
            found = page.locator(f".{name}")
            if found.count():
                counts[(path.name, name)] = (found.evaluate(LINES_JS), found.inner_text())
    assert counts
    assert all(lines <= 2 for lines, _t in counts.values()), counts


# --- the preview app -------------------------------------------------------------------------

@pytest.fixture
def preview(example: Path) -> Iterator[serve.PreviewServer]:
    """`dripmail preview` of the example plus an article with findings and build warnings."""
    write(example / "sequences" / "warned.md", """
        # Warned

        See [this](/relative/link), and a {% raw %} tag. """ + "Some words here. " * 40)
    state = livebuild.Preview(example, (), providers=sorted(DIALECTS),
                              checker=livebuild.default_checker())
    state.rebuild()
    with serve.PreviewServer(state, "127.0.0.1", 0) as running:
        assert running.watching.wait(timeout=30)
        yield running


def test_preview_app_at_375_fits_and_reads(browser, preview) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(preview.url)
    sync_api.expect(page.locator("#status")).to_have_text("Live", timeout=20_000)
    sync_api.expect(page.locator(".badge.warning").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(CONTRAST_JS) == []
    page.click("#width-mobile")
    box = page.locator("#frame").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    frame = page.frame_locator("#frame")
    sync_api.expect(frame.locator(".greeting").first).to_have_text("Hi Sam,")
    page.click("#tags-raw")
    sync_api.expect(frame.locator(".greeting").first).to_contain_text("{{ first_name")
    page.click("#tags-sample")
    page.click("#tab-text")
    sync_api.expect(page.locator("#text")).to_contain_text("Hi Sam,")
    page.close()

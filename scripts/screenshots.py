#!/usr/bin/env python3
"""Regenerate the screenshots in docs/: the bundled example's five emails and a digest.

Builds the example (dripmail.toml + sequences/) and a digest newsletter (the example and the two
sample posts in docs/digest/) into a temporary folder, then photographs every email in headless
Chromium (Debian's /usr/bin/chromium through Playwright) four ways: desktop (760 px wide),
phone (375 px), phone in dark mode (`prefers-color-scheme: dark`, as Apple Mail shows it), and
phone without `<style>` (as clients that drop the stylesheet show it: inline styles only).

Merge tags are filled for the preview's sample reader (`[preview]` in dripmail.toml), as
`dripmail preview` shows them. Writes one sheet per way, the emails side by side, and one sheet
for the digest (made smaller with Debian's `pngquant` when it is installed):

    docs/emails-desktop.png  docs/emails-phone.png  docs/emails-dark.png
    docs/emails-no-style.png docs/digest.png

docs/languages.png (a German and an Arabic email, the German sample project's and
tests/data/languages/ar.md's, at desktop width and on a phone), and docs/preview.png, the
preview app showing the example.

Usage (from the repository root): python scripts/screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's dripmail, not an installed one

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DIGEST = [ROOT / "sequences" / "when-your-partner-isnt-ready.txt",
          ROOT / "docs" / "digest" / "small-repairs.md",
          ROOT / "docs" / "digest" / "sleep-and-conflict.md"]
DIGEST_OPTIONS = {"title": "November notes", "date": "2025-11-28", "issue": 12,
                  "intro": "Three pieces this month, all about what happens in a couple when one "
                           "partner starts to change."}
STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL | re.IGNORECASE)
GERMAN = ROOT / "dripmail" / "data" / "samples" / "wenn-der-kopf-nachts-nicht-zur-ruhe-kommt.txt"
ARABIC = ROOT / "tests" / "data" / "languages" / "ar.md"


@dataclass(frozen=True)
class Way:
    """One way of looking at an email."""

    name: str
    label: str
    width: int
    dark: bool = False
    no_style: bool = False


WAYS = (Way("desktop", "desktop, 760 px", 760), Way("phone", "phone, 375 px", 375),
        Way("dark", "phone, dark mode", 375, dark=True),
        Way("no-style", "phone, <style> removed", 375, no_style=True))


def build(tmp: Path) -> tuple[list[Path], Path]:
    """The example's emails and the digest's one email, built as a user would, with their merge
    tags filled for the preview's sample reader (as `dripmail preview` shows them)."""
    from dripmail.newsletter.issue import build_newsletter
    from dripmail.pipeline.build import build as build_project

    example = build_project(ROOT, out_dir=tmp / "build")
    digest = build_newsletter(ROOT, DIGEST, DIGEST_OPTIONS, out_dir=tmp / "news")
    return _filled(example, tmp / "shown"), _filled(digest, tmp / "shown")[0]


def build_languages(tmp: Path) -> list[Path]:
    """The German sample project's third email and the Arabic article's second, as the
    preview's sample reader sees them."""
    from dripmail.init import init_project
    from dripmail.pipeline.build import build as build_project

    init_project(tmp / "de", "de")
    arabic = tmp / "ar"
    (arabic / "sequences").mkdir(parents=True)
    (arabic / "dripmail.toml").write_text(
        'brand = "Harbor Counseling"\nsender_name = "Maya Ellis"\npostal_address = "12 Harbor '
        'Street, Portland"\nwords_per_email = 120\nmin_words = 60\nmax_words = 200\n',
        encoding="utf-8")
    shutil.copy(ARABIC, arabic / "sequences" / ARABIC.name)
    german = _filled(build_project(tmp / "de"), tmp / "shown")
    arab = _filled(build_project(arabic), tmp / "shown")
    return [german[2], arab[1]]


def _filled(result, folder: Path) -> list[Path]:
    """Each email of a build result with its merge tags filled, written into `folder`."""
    from dripmail.preview.sample import filler

    folder.mkdir(exist_ok=True)
    shown = []
    for seq in result.sequences:
        fill = filler(seq.settings, as_html=True)
        for email in seq.emails:
            path = folder / f"{seq.slug}-{email.stem}.html"
            path.write_text(fill.fill(email.html), encoding="utf-8")
            shown.append(path)
    return shown


def variant(email: Path, way: Way) -> Path:
    """The file to show: the email itself, or a copy without its <style> elements."""
    if not way.no_style:
        return email
    copy = email.with_name(f"{email.stem}.no-style.html")
    copy.write_text(STYLE.sub("", email.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def shrink(png: Path) -> None:
    """Make a PNG smaller with Debian's `pngquant` when it is installed (a palette of at most
    256 colours, which screenshots of text and flat colours do not need more than)."""
    tool = shutil.which("pngquant")
    if tool:
        subprocess.run([tool, "--quality", "70-95", "--speed", "1", "--strip", "--force",
                        "--output", str(png), str(png)], check=False)


def shot(browser, page_file: Path, way: Way, target: Path) -> None:
    """A full-page screenshot of a page at the way's width and colour scheme."""
    page = browser.new_page(viewport={"width": way.width, "height": 800},
                            color_scheme="dark" if way.dark else "light")
    page.goto(page_file.as_uri())
    page.screenshot(path=str(target), full_page=True)
    page.close()


def sheet(browser, shots: list[tuple[str, Path, Way]], target: Path, scratch: Path) -> None:
    """Photograph each page as its way says, then lay the photographs side by side."""
    cells = []
    for n, (caption, page_file, way) in enumerate(shots):
        png = scratch / f"{target.stem}-{n}.png"
        shot(browser, page_file, way, png)
        cells.append(f'<figure><figcaption>{html.escape(caption)}</figcaption><img src="'
                     f'{png.as_uri()}" width="{way.width}"></figure>')
    page_html = ("<!DOCTYPE html><meta charset='utf-8'><style>body{margin:0;padding:16px;"
                 "display:flex;gap:24px;align-items:flex-start;background:#ffffff;"
                 "font:15px/1.4 sans-serif;color:#333333}figure{margin:0}figcaption{padding:0 0 "
                 "6px}img{display:block;outline:1px solid #cccccc}</style>" + "".join(cells))
    index = scratch / f"{target.stem}.html"
    index.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.goto(index.as_uri())
    page.screenshot(path=str(target), full_page=True)
    page.close()
    shrink(target)


def preview_shot(browser, target: Path) -> None:
    """`dripmail preview` of the example (its own temporary build), at 1400 x 1000."""
    from dripmail.preview import livebuild
    from dripmail.preview.server import PreviewServer
    from dripmail.providers.dialect import DIALECTS

    state = livebuild.Preview(ROOT, (), providers=sorted(DIALECTS),
                              checker=livebuild.default_checker())
    state.rebuild()
    with PreviewServer(state, "127.0.0.1", 0) as running:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(running.url)
        page.wait_for_selector("#status.live")
        page.frame_locator("#frame").locator(".greeting").wait_for()
        page.screenshot(path=str(target))
        page.close()
    shrink(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the PNGs go")
    parser.add_argument("--keep", type=Path, help="also keep each single screenshot here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        emails, digest = build(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for way in WAYS:
                shots = [(f"{n}. {way.label}", variant(e, way), way)
                         for n, e in enumerate(emails, 1)]
                sheet(browser, shots, args.out / f"emails-{way.name}.png", Path(tmp))
            sheet(browser, [(f"Digest, {way.label}", variant(digest, way), way)
                            for way in WAYS], args.out / "digest.png", Path(tmp))
            german, arabic = build_languages(Path(tmp))
            sheet(browser, [(f"{name}, {way.label}", page, way) for name, page in
                            (("German", german), ("Arabic", arabic)) for way in WAYS[:2]],
                  args.out / "languages.png", Path(tmp))
            preview_shot(browser, args.out / "preview.png")
        finally:
            browser.close()
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for single in Path(tmp).glob("*-[0-9]*.png"):
                single.replace(args.keep / single.name)
    for png in sorted(args.out.glob("*.png")):
        print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}: "
              f"{png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

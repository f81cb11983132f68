"""End-to-end: `dripmail preview` of a new project (`dripmail init`) in real headless Chromium.

Needs Debian's `chromium` (/usr/bin/chromium) and Playwright's Python package; never downloads a
browser. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import dripmail
from dripmail.init import init_project
from dripmail.preview import livebuild
from dripmail.preview import server as serve
from tests.browser import chromium, needs_chromium, playwright

ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT = 20_000  # ms; generous: Playwright polls and returns as soon as the page matches

pytestmark = needs_chromium
sync_api = playwright()
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium for the module."""
    with chromium(sync_api) as launched:
        yield launched


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A new project, as `dripmail init demo` makes it."""
    project = tmp_path / "demo"
    init_project(project)
    return project


@pytest.fixture
def preview(demo: Path) -> Iterator[serve.PreviewServer]:
    """The real build, served and watched, as `dripmail preview` runs it."""
    from dripmail.providers.dialect import DIALECTS

    state = livebuild.Preview(demo, (), providers=sorted(DIALECTS))
    state.rebuild()
    with serve.PreviewServer(state, "127.0.0.1", 0) as running:
        assert running.watching.wait(timeout=30)
        yield running


@pytest.fixture
def page(browser, preview: serve.PreviewServer) -> Iterator:
    """The preview app open at desktop size."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT)
    opened.goto(preview.url)
    expect(opened.locator("#status")).to_have_text("Live")
    yield opened
    context.close()


def article(demo: Path) -> Path:
    (path,) = sorted((demo / "sequences").glob("*.txt"))
    return path


def test_step_through_the_emails_in_desktop_mobile_and_dark(page, preview):
    sequence = preview.preview.state()["sequences"][0]
    emails = sequence["emails"]
    assert len(emails) >= 2
    items = page.locator("#timeline button")
    expect(items).to_have_count(len(emails))
    frame = page.frame_locator("#frame")
    for index, email in enumerate(emails):
        if index:
            page.click("#next")
        expect(items.nth(index)).to_have_attribute("aria-current", "true")
        expect(page.locator("#subject")).to_have_text(email["subject"])
        expect(page.locator("#position")).to_contain_text(f"Email {index + 1} of {len(emails)}")
        phone = email["inbox"]["phone"]
        expect(page.locator(".inbox.phone .subject")).to_have_text(phone["subject"])
        expect(page.locator(".inbox.desktop .pre")).to_have_text(
            email["inbox"]["desktop"]["preheader"])
        expect(page.locator("#frame")).to_have_attribute("src", re.compile(
            re.escape(email["html"]) + r"\?raw=1"))
        expect(frame.locator(".greeting")).to_have_text("Hi Sam,")  # the sample reader
        expect(frame.locator(".signoff")).to_contain_text("Warmly,")
    expect(page.locator("#next")).to_be_disabled()
    expect(items.first).to_contain_text("Day 0")
    expect(items.first.locator(".size")).to_have_class(re.compile("size-ok"))
    items.first.click()
    expect(page.locator("#prev")).to_be_disabled()

    assert page.locator("#frame").bounding_box()["width"] >= 600
    page.click("#width-mobile")
    expect(page.locator("#frame-box")).to_have_class(re.compile(r"\bmobile\b"))
    assert page.locator("#frame").bounding_box()["width"] == 375

    light = frame.locator(".wrapper").first.evaluate("e => getComputedStyle(e).backgroundColor")
    page.select_option("#dark", "styles")
    expect(page.locator("#frame")).to_have_attribute("src", re.compile(r"dark=1"))
    expect(frame.locator(".wrapper").first).to_have_css("background-color", "rgb(20, 24, 28)")
    assert light != "rgb(20, 24, 28)"
    page.select_option("#dark", "invert")
    expect(page.locator("#frame")).to_have_css("filter", re.compile("invert"))
    expect(page.locator("#frame")).not_to_have_attribute("src", re.compile(r"dark=1"))
    expect(frame.locator(".wrapper").first).not_to_have_css("background-color", "rgb(20, 24, 28)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "preview-mobile-dark.png", full_page=True)


def test_plain_text_and_html_source_tabs(page, preview):
    email = preview.preview.state()["sequences"][0]["emails"][0]
    text = (preview.preview.out_dir / Path(email["text"]).relative_to("/build")).read_text("utf-8")
    page.click("#tab-text")
    expect(page.locator("#frame-box")).to_be_hidden()
    expect(page.locator("#text")).to_contain_text(text.strip().splitlines()[0])
    page.click("#tab-source")
    expect(page.locator("#source")).to_contain_text("<!DOCTYPE html>", ignore_case=True)
    expect(page.locator("#source")).not_to_contain_text("data-dripmail-preview")
    page.click("#tab-email")
    expect(page.locator("#frame-box")).to_be_visible()


def test_edits_show_up_without_a_manual_reload_and_errors_are_shown(page, preview, demo):
    path = article(demo)
    original = path.read_text(encoding="utf-8")
    page.evaluate("window.__notReloaded = true")
    first = page.locator("#timeline button").first

    path.write_text(original.replace("There is a particular kind of loneliness",
                                     "Edited live: a particular kind of loneliness", 1),
                    encoding="utf-8")
    expect(first).to_contain_text("Edited live", timeout=TIMEOUT)
    expect(page.frame_locator("#frame").locator("body")).to_contain_text("Edited live")

    path.write_text("", encoding="utf-8")  # an empty article is refused by the build
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-where")).to_contain_text(path.name)
    expect(page.locator("#timeline button").first).to_contain_text("Edited live")  # last good

    path.write_text(original, encoding="utf-8")
    expect(page.locator("#error")).to_be_hidden()
    expect(first).not_to_contain_text("Edited live")
    assert page.evaluate("window.__notReloaded") is True  # the app redrew itself in place
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "preview.png")


def test_served_static_index_reloads_itself_after_an_edit(browser, preview, demo):
    context = browser.new_context()
    index = context.new_page()
    index.set_default_timeout(TIMEOUT)
    index.goto(preview.url + "build/")
    expect(index.locator("h1")).to_have_text("dripmail preview")
    index.evaluate("window.__notReloaded = true")
    path = article(demo)
    path.write_text(path.read_text("utf-8").replace(
        "There is a particular kind of loneliness", "Reloaded index: loneliness", 1), "utf-8")
    expect(index.locator("main")).to_contain_text("Reloaded index", timeout=TIMEOUT)
    assert index.evaluate("window.__notReloaded === undefined")  # a real page reload happened
    on_disk = (preview.preview.out_dir / "index.html").read_text("utf-8")
    assert "EventSource" not in on_disk
    context.close()


def test_dripmail_init_then_preview_as_a_new_user(tmp_path: Path, browser):
    """`dripmail init demo && cd demo && dripmail preview`, then Ctrl-C."""
    env = {**os.environ, "PYTHONPATH": str(Path(dripmail.__file__).parent.parent)}
    run = [sys.executable, "-m", "dripmail"]
    made = subprocess.run([*run, "init", "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    server = subprocess.Popen([*run, "preview", "--no-open", "--port", "0"],
                              cwd=tmp_path / "demo", env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Previewing"):
                break
        url = re.search(r"http://\S+/", "".join(lines)).group(0)
        assert any(re.match(r"Built \d+ emails", line) for line in lines), lines
        with urllib.request.urlopen(url + "__dripmail__/state.json", timeout=30) as response:
            assert b'"error": null' in response.read()
        context = browser.new_context()
        opened = context.new_page()
        opened.goto(url)
        expect(opened.locator("#timeline button").first).to_contain_text(
            "Day 0", timeout=TIMEOUT)
        context.close()
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in err and "Stopping the preview." in out
    assert not (tmp_path / "demo" / "build").exists()

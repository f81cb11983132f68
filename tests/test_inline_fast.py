"""The once-per-stylesheet inliner gives byte-identical output to plain premailer."""

from __future__ import annotations

import sys
from pathlib import Path

from dripmail.compose import context
from dripmail.content import parse_article
from dripmail.inline import inline_css
from dripmail.plan import plan
from dripmail.theme import environment, render
from tests.conftest import ROOT, write

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402


def _theme_html(project: Path) -> list[str]:
    """Every email of a project, rendered through the theme but not yet inlined."""
    from dripmail.build import load

    templates = project / "templates"
    env = environment(templates if templates.is_dir() else None)
    out = []
    for src, settings in load(project):
        article = parse_article(src, settings)
        parts = plan(article)
        out += [render(env, "email.html", context(article, parts, p)) for p in parts]
    return out


def test_fast_inliner_matches_plain_premailer_on_varied_articles(tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=6, seed=7)
    (tmp_path / "sequences" / "seed.txt").write_bytes(
        (ROOT / "sequences" / "when-your-partner-isnt-ready.txt").read_bytes())
    htmls = _theme_html(tmp_path)
    assert len(htmls) > 20
    for html in htmls:
        assert inline_css(html) == inline_css(html, once=False)


def test_fast_inliner_matches_with_a_custom_stylesheet(tmp_path: Path) -> None:
    """Pseudo-classes, :first-child filters, !important and @media in a project's own CSS."""
    write(tmp_path / "sequences" / "a.md", "# Title\n\n" + "\n\n".join(
        f"## Part {n}\n\nSome words here, a [link](https://example.com/{n}) and *more*.\n\n"
        "- one\n- two\n\n> quoted text" for n in range(8)))
    write(tmp_path / "templates" / "styles.css", """
        p { color: #111111; margin: 0 !important; }
        a:hover { color: red; }
        li:first-child { font-weight: bold; }
        .content p:last-child { margin-bottom: 0; }
        @media (max-width: 600px) { p { font-size: 18px; } }
        h2 { color: #222222 }
    """)
    htmls = _theme_html(tmp_path)
    assert htmls
    for html in htmls:
        fast, plain = inline_css(html), inline_css(html, once=False)
        assert fast == plain
        assert "@media (max-width: 600px)" in fast


def test_fast_inliner_alternating_stylesheets_do_not_mix() -> None:
    one = "<html><head><style>p { color: #aa0000 }</style></head><body><p>x</p></body></html>"
    two = "<html><head><style>p { color: #00bb00 }</style></head><body><p>x</p></body></html>"
    for _ in range(3):
        assert "#aa0000" in inline_css(one) and "#00bb00" in inline_css(two)
        assert inline_css(one) == inline_css(one, once=False)



def test_premailer_import_leaves_requests_to_load_on_demand() -> None:
    import subprocess

    code = ("import sys, dripmail.inline, premailer.premailer as p; "
            "print('requests' in sys.modules); print(callable(p.requests.get)); "
            "import requests; print(type(requests).__name__, requests.get is p.requests.get)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["False", "True", "module", "True"]


def test_premailer_import_leaves_urllib_request_and_the_css_fetcher_to_load_on_demand() -> None:
    import subprocess

    code = ("import sys, dripmail.inline, urllib, cssutils.util as u; "
            "print('urllib.request' in sys.modules, 'cssutils._fetch' in sys.modules); "
            "print(urllib.request.pathname2url('/a b')); "
            "print(u._defaultFetcher('data:text/css,p%7Bcolor:red%7D')[1].decode()); "
            "import urllib.request, cssutils._fetch; "
            "print(type(urllib.request).__name__, 'cssutils._fetch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["False", "False", "/a%20b", "p{color:red}", "module", "True"]

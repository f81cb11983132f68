"""The fast inliner (stylesheet cache, stored theme parse, restyling per context) gives the
bytes of plain premailer, its reference path (DRIPMAIL_REFERENCE=1)."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dripmail.planning.plan import plan
from dripmail.reading.article import parse_article
from dripmail.rendering import restyle
from dripmail.rendering.compose import context
from dripmail.rendering.inline import OPTIONS, _OncePremailer, inline_css
from dripmail.rendering.theme import environment, render
from tests.conftest import ROOT, write

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402


def _theme_html(project: Path) -> list[str]:
    """Every email of a project, rendered through the theme but not yet inlined."""
    from dripmail.pipeline.project import load_articles

    templates = project / "templates"
    env = environment(templates if templates.is_dir() else None)
    out = []
    for item in load_articles(project):
        article = parse_article(item.source, item.settings)
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
        assert inline_css(html) == inline_css(html, fast=False)
        # the theme's selectors are simple: answered per element context (restyle.py)
        assert restyle.inline(_OncePremailer(html, **OPTIONS), html) is not None


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
        fast, plain = inline_css(html), inline_css(html, fast=False)
        assert fast == plain
        assert "@media (max-width: 600px)" in fast


def test_fast_inliner_alternating_stylesheets_do_not_mix() -> None:
    one = "<html><head><style>p { color: #aa0000 }</style></head><body><p>x</p></body></html>"
    two = "<html><head><style>p { color: #00bb00 }</style></head><body><p>x</p></body></html>"
    for _ in range(3):
        assert "#aa0000" in inline_css(one) and "#00bb00" in inline_css(two)
        assert inline_css(one) == inline_css(one, fast=False)



def test_premailer_import_leaves_requests_and_cssutils_to_run_on_first_use() -> None:
    """They are the real modules (every importer gets the same one), run when first used;
    cssutils is configured when it runs."""
    import subprocess

    code = ("import sys, urllib, dripmail.rendering.inline, premailer.premailer as p; "
            "from dripmail.lazy import Pending; "
            "print(*(type(sys.modules[m]).__name__ for m in ('requests', 'cssutils'))); "
            "print(p.requests is sys.modules['requests'], p.cssutils is sys.modules['cssutils'], "
            "hasattr(urllib, 'request'), 'urllib.request' in sys.modules); "
            "parse = p.cssutils.parseString; "  # premailer's first use runs and configures it
            "import cssutils, cssutils.util as u, requests; "
            "print(type(cssutils).__name__, cssutils.ser.prefs.minimizeColorHash, "
            "parse is u.cssutils.parseString, p.cssutils is cssutils); "
            "print(callable(requests.get), type(requests).__name__, p.requests is requests); "
            "import urllib.request; print(type(urllib.request).__name__, "
            "urllib.request is sys.modules['urllib.request'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["Pending", "Pending", "True", "True", "False", "False",
                   "module", "False", "True", "True", "True", "module", "True",
                   "module", "True"]


USER_CSS = """
body { margin: 0 }
p { color: #111111 }
a:hover { color: #ff0000 }
a[href] { color: #123456 }
a[href^="https"] { text-decoration: none }
[class~="note"] { padding: 1px }
ul > li { margin: 0 }
h2 + p { margin-top: 0 }
h2 ~ p { font-size: 15px }
#main { width: 600px }
#missing .lead { width: 10px }
* { box-sizing: border-box }
li:first-child { font-weight: bold }
li:last-child { font-style: italic }
li:nth-child(2) { color: #0000ff }
p:not(.lead) { line-height: 1.5 }
TABLE td { padding: 2px }
.Lead { color: #aaaaaa }
.lead { color: #bbbbbb }
.only-in-text, .only-in-href, .only-in-css { color: #00ff00 }
div.card.wide { background-color: #eeeeee; text-align: center }
table.data th { vertical-align: top; width: 120px }
h3 { color: #333333 !important }
.ghost, .lead.ghost, span#m-1 { margin: 0 }
.absent > p, h4 ~ p, ol li { margin: 9px }
@media (max-width: 600px) { p { font-size: 18px } }
"""

USER_BODIES = {
    "usual": """<h2>Title</h2><p class="lead">Lead</p><p>only-in-text .only-in-css</p>
        <ul><li>one</li><li>two</li><li>three</li></ul>
        <div id="main" class="card  wide"><a href="https://example.com/only-in-href">x</a></div>""",
    "odd markup": """<TABLE class=data><TR><TH>h</TH><TD>d</TD></TR></TABLE>
        <P CLASS=lead>unquoted</P><div title='class="ghost' class="card wide">t</div>
        <div class="\n lead\tghost\n">w</div><span cLaSs = 'ghost' ID=m-1>s</span>
        <p data-id="main" data-class="Lead">attr names ending like class and id</p>""",
    "references": """<span class='lead&#32;ghost'>a</span><div id="m&#97;in">b</div>
        <p class="lead &amp; more">c</p>""",
    "named reference only": '<p class="lead &amp; ghost">a</p><p>b &#99;</p>',
    "nothing matches": "<p>plain</p><h3>three</h3>",
}


def _user_email(body: str, *, shell: bool = True) -> str:
    style = f"<style>{USER_CSS}</style>"
    if not shell:
        return style + body
    return f"<!DOCTYPE html>\n<html><head>{style}</head><body>{body}</body></html>"


def test_fast_inliner_matches_on_selectors_it_does_not_analyse_and_odd_markup() -> None:
    """Pseudo-classes, attribute selectors, combinators, ids, `*`, upper-case tags, names that
    appear only in text, URLs or CSS, unquoted and oddly spaced attributes, and references."""
    for name, body in USER_BODIES.items():
        for shell in (True, False):
            html = _user_email(body, shell=shell)
            assert inline_css(html) == inline_css(html, fast=False), (name, shell)
    assert 'width="600"' in inline_css(_user_email(USER_BODIES["references"]))


TAGS = ("p", "div", "span", "td", "h2", "li")
NAMES = ("a", "b", "c-d", "_e")


@st.composite
def _compound(draw) -> str:
    tag = draw(st.sampled_from(("", "*") + TAGS + ("P", "Td")))
    names = draw(st.lists(st.sampled_from([f".{n}" for n in NAMES] + ["#a", "#i"]), max_size=2))
    extra = draw(st.sampled_from(("", "", ":first-child", ":last-child", "[title]")))
    return (tag + "".join(names) + extra) or "div"


@st.composite
def _element(draw) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = []
    if draw(st.booleans()):
        name = draw(st.sampled_from(("class", "CLASS", "Class", "data-class")))
        value = " ".join(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3)))
        quote = draw(st.sampled_from(('"', "'", "")))
        value = value.split()[0] if not quote else value
        attrs.append(f"{name}{draw(st.sampled_from(('=', ' = ', chr(10) + '=')))}"
                     f"{quote}{value}{quote}")
    if draw(st.booleans()):
        attrs.append(f'id="{draw(st.sampled_from(("a", "i", "zz")))}"')
    if draw(st.booleans()):
        attrs.append('title="x"')
    text = draw(st.sampled_from(("t", "a b", "c-d", "")))
    return f"<{tag} {' '.join(attrs)}>{text}</{tag}>"


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selectors=st.lists(st.lists(_compound(), min_size=1, max_size=3), min_size=1,
                          max_size=6),
       combinators=st.lists(st.sampled_from((" ", " > ", "+", " ~ ")), min_size=2, max_size=2),
       body=st.lists(_element(), max_size=8))
def test_fast_inliner_matches_on_generated_rules_and_markup(selectors, combinators, body) -> None:
    rules = []
    for n, compounds in enumerate(selectors):
        selector = compounds[0]
        for i, compound in enumerate(compounds[1:]):
            selector += combinators[i] + compound
        rules.append(f"{selector} {{ color: #{n:06d}; text-align: left }}")
    html = (f"<html><head><style>{chr(10).join(rules)}</style></head>"
            f"<body><div>{''.join(body)}</div></body></html>")
    assert inline_css(html) == inline_css(html, fast=False)


DECLARATIONS = ("color: #111111", "color: #222222 !important", "text-align: center",
                "vertical-align: top", "background-color: #abc", "width: 120px",
                "height: 10px", "padding: 0", "margin: unset", "font: bold 12px Arial")


@st.composite
def _simple_selector(draw) -> str:
    compounds = []
    for _ in range(draw(st.integers(1, 3))):
        tag = draw(st.sampled_from(("",) + TAGS))
        names = "".join(draw(st.lists(st.sampled_from([f".{n}" for n in NAMES]), max_size=2)))
        compounds.append((tag + names) or "div")
    return " ".join(compounds)


@st.composite
def _nested(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = ""
    if draw(st.booleans()):
        sep = draw(st.sampled_from((" ", "  ", "\t", "\n ")))
        attrs += f' class="{sep.join(draw(st.lists(st.sampled_from(NAMES), max_size=3)))}"'
    if draw(st.booleans()):
        attrs += f' style="{draw(st.sampled_from(DECLARATIONS))}"'
    if draw(st.booleans()):
        attrs += ' align="right" bgcolor="#000"'
    kids = "".join(draw(st.lists(_nested(depth + 1), max_size=3))) if depth < 3 else ""
    return f"<{tag}{attrs}>x{kids}</{tag}>y"


@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(st.tuples(_simple_selector(), st.lists(st.sampled_from(DECLARATIONS),
                                                             min_size=1, max_size=3)),
                      min_size=1, max_size=8),
       media=st.booleans(), body=st.lists(_nested(), min_size=1, max_size=3))
def test_restyling_by_context_matches_premailer(rules, media, body) -> None:
    """Simple stylesheets: the per-context answers equal premailer's, element by element."""
    css = "\n".join(f"{sel} {{ {'; '.join(decls)} }}" for sel, decls in rules)
    if media:
        css += "\n@media (max-width: 600px) { .a { color: #333333 !important } }"
    html = (f"<!DOCTYPE html><html><head><style>{css}</style></head>"
            f"<body><table><tr><td>{''.join(body)}</td></tr></table></body></html>")
    assert restyle.inline(_OncePremailer(html, **OPTIONS), html) is not None
    assert inline_css(html) == inline_css(html, fast=False)


def test_restyling_leaves_what_it_does_not_answer_for_to_premailer() -> None:
    page = ("<html><head>{head}<style>{css}</style></head>"
            "<body><div class='a'><p>x</p><img src='i.png' class='f'></div></body></html>")
    cases = {
        "a pseudo-class": page.format(head="", css="p:first-child { color: red }"),
        "a child combinator": page.format(head="", css=".a > p { color: red }"),
        "an id": page.format(head="", css="#x p { color: red }"),
        "an upper-case tag": page.format(head="", css="P { color: red }"),
        "a floating image": page.format(head="", css=".f { float: left }"),
        "a media attribute": page.format(head="", css="p { color: red }").replace(
            "<style>", "<style media='screen'>"),
        "no head": "<html><body><style>p { color: red }</style><p>x</p></body></html>",
    }
    for why, html in cases.items():
        assert restyle.inline(_OncePremailer(html, **OPTIONS), html) is None, why
        assert inline_css(html) == inline_css(html, fast=False), why

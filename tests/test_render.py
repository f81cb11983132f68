"""Theme rendering and the premailer wrapper: each known premailer pitfall has a test."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from dripmail.errors import TemplateError
from dripmail.models import Settings
from dripmail.pipeline.project import render_project
from dripmail.providers import dialect
from dripmail.rendering.inline import inline_css
from tests.conftest import write

PAGE = """<!DOCTYPE html><html><head><style>
p {{ color: #111111; }}
@media (prefers-color-scheme: dark) {{ p {{ color: #eeeeee !important; }} }}
</style></head><body>{body}</body></html>"""


def test_media_queries_keep_important_and_rules_are_inlined() -> None:
    out = inline_css(PAGE.format(body="<p>Hi</p>"))
    assert '<p style="color:#111111">Hi</p>' in out
    assert "color: #eeeeee !important" in out
    assert out.startswith("<!DOCTYPE html>\n")


def test_merge_tag_tokens_survive_in_href_and_text_byte_for_byte() -> None:
    unsub = dialect.token("unsubscribe_url")
    name = dialect.token("first_name", "there")
    out = inline_css(PAGE.format(body=f'<p>Hi {name}, <a href="{unsub}">Unsubscribe</a></p>'))
    resolved = dialect.resolve(out, "generic", Settings(), as_html=True)
    assert 'href="{{ unsubscribe_url }}"' in resolved
    assert 'Hi {{ first_name | default: "there" }},' in resolved


def test_nbsp_and_outlook_conditionals_are_preserved() -> None:
    body = ("<p>a&nbsp;b</p><!--[if mso]><table role=\"presentation\"><tr><td><![endif]-->"
            "<div>x</div><!--[if mso]></td></tr></table><![endif]-->"
            "<!--[if !mso]><!--><a href=\"https://x.example/\">btn</a><!--<![endif]-->")
    out = inline_css(PAGE.format(body=body))
    assert "a&nbsp;b" in out
    assert '<!--[if mso]><table role="presentation"><tr><td><![endif]-->' in out
    assert "<!--[if !mso]><!-->" in out and "<!--<![endif]-->" in out


def test_no_network_access(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a, **_k):
        raise AssertionError("premailer tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = PAGE.format(body="<p>x</p>").replace(
        "<style>", '<link rel="stylesheet" href="https://example.invalid/x.css"><style>')
    assert "color:#111111" in inline_css(page)


def test_cssutils_noise_is_silenced(capfd: pytest.CaptureFixture[str]) -> None:
    page = PAGE.format(body="<p>x</p>").replace(
        "p {", "td { mso-table-lspace: 0pt; -webkit-text-size-adjust: 100%; display: flex; "
        "gap: 4px; } p {")
    inline_css(page)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_project_template_overrides_one_file(project: Path) -> None:
    write(project / "sequences" / "a.md", "# Title\n\nSome text for the email.\n")
    write(project / "templates" / "email.txt", "CUSTOM {{ email.subject }}\n")
    seq, = render_project(project).sequences
    assert seq.emails[0].text == "CUSTOM Title\n"
    assert "<h1" in seq.emails[0].html  # email.html still comes from the built-in theme


def test_template_syntax_error_names_file_and_line(project: Path) -> None:
    write(project / "sequences" / "a.md", "# Title\n\nSome text.\n")
    write(project / "templates" / "email.txt", "line one\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"email\.txt:2: template syntax error"):
        render_project(project)


def test_undefined_variable_is_named(project: Path) -> None:
    write(project / "sequences" / "a.md", "# Title\n\nSome text.\n")
    write(project / "templates" / "email.txt", "ok\n{{ email.nope }}\n")
    with pytest.raises(TemplateError, match=r"email\.txt:2: .*'nope'"):
        render_project(project)


def test_article_template_syntax_is_never_evaluated(project: Path) -> None:
    write(project / "sequences" / "a.md", "# Title\n\nCompute {{ 7*7 }} and {% raw %}.\n")
    seq, = render_project(project).sequences
    assert "{{ 7*7 }}" in seq.emails[0].html and "49" not in seq.emails[0].html
    assert "{{ 7*7 }}" in seq.emails[0].text and "{% raw %}" in seq.emails[0].text


def test_email_html_rules(example: Path) -> None:
    seq, = render_project(example).sequences
    for e in seq.emails:
        assert e.html.startswith("<!DOCTYPE html>")
        assert '<html lang="en" dir="ltr"' in e.html
        assert '<meta name="color-scheme" content="light dark">' in e.html
        assert "prefers-color-scheme: dark" in e.html
        assert "max-width: 600px" in e.html or "max-width:600px" in e.html
        assert 'width="600"' in e.html  # the Outlook ghost table
        assert e.html.count("<table") == e.html.count('role="presentation"')
        assert 'class="preheader"' in e.html and "mso-hide:all" in e.html.replace(" ", "")
        assert 'href="{{ unsubscribe_url }}"' in e.html
        assert "123 Harbor Street" in e.html
        assert "font-size:17px" in e.html and "line-height:1.6" in e.html
    assert "v:roundrect" in seq.emails[-1].html  # the bulletproof button, last email only
    assert "v:roundrect" not in seq.emails[0].html


def test_plain_text_part(example: Path) -> None:
    seq, = render_project(example).sequences
    for e in seq.emails:
        lines = e.text.split("\n")
        assert all(len(ln) <= 78 or "://" in ln for ln in lines)
        assert "Unsubscribe: {{ unsubscribe_url }}" in e.text
        assert "\u034f" not in e.text and "\ufeff" not in e.text and "&nbsp;" not in e.text
        assert "<" not in e.text.replace("<!--", "")
        assert 'Hi {{ first_name | default: "there" }},' in e.text


def test_images_get_no_invalid_height_attribute() -> None:
    page = PAGE.format(body='<img src="https://x.example/a.png" alt="a">').replace(
        "p {", "img { height: auto; max-width: 100%; } p {")
    out = inline_css(page)
    assert 'height="auto"' not in out
    assert "height:auto" in out.replace(" ", "")

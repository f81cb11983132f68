"""Each provider's output, rendered by that provider's own engine (tests/engines/): the
greeting reads right for a named and an unnamed subscriber, the mandatory links are filled,
and text that looks like template syntax stays exactly as the article wrote it."""

from __future__ import annotations

import html
import re

import lxml.html
import pytest
from engines import TemplateError, render
from engines.common import UNSUBSCRIBE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dripmail import providers
from dripmail.pipeline.project import render_project
from dripmail.providers.syntax import JOINER
from tests.conftest import write

ENGINES = list(providers.NAMES)
# Article text that several engines would evaluate; the README promises it stays literal.
TRAPS = ["{{{ raw }}}", "{{ 7*7 }}", "{% if x %}", "{# note #}", "*|FNAME|*", "{$email}",
         "%recipient.email%", "%unsubscribe_url%", "\\{{ x }}", "{{#if a}}b{{/if}}",
         "{{^first_name}}", "{%raw%}", "{{{{ y }}}}"]
WORDS = ("Some plain words come first so that the paragraph reads like a real one and the "
         "planner keeps it whole in one email. ")


def visible(markup: str) -> str:
    """The text a reader sees in an HTML part (entities decoded, whitespace joined)."""
    tree = lxml.html.fromstring(markup)
    for el in tree.xpath("//style|//head"):
        el.drop_tree()
    return " ".join(tree.text_content().replace(JOINER, "").split())


@pytest.fixture(scope="module")
def trap_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("traps")
    write(root / "dripmail.toml", 'brand = "Test Studio"\npostal_address = "1 Test Road"\n'
                                  'sender_email = "ana@studio.example"\n')
    body = "Literal syntax\n\n" + WORDS + " ".join(TRAPS) + "\n\n" + WORDS * 3 + "\n"
    write(root / "sequences" / "traps.txt", body)
    return root


@pytest.fixture(scope="module")
def rendered(trap_project):
    return {p: render_project(trap_project, (), {"provider": p}).sequences[0]
            for p in ENGINES}


@pytest.mark.parametrize("provider", ENGINES)
def test_greeting_for_named_and_unnamed_subscribers(provider, rendered):
    for email in rendered[provider].emails:
        for first, shown in (("Mia", "Hi Mia,"), ("", "Hi there,")):
            text = render(provider, email.text, first, "mia@example.net")
            page = render(provider, email.html, first, "mia@example.net", as_html=True)
            assert shown in text.replace(JOINER, ""), (provider, first)
            assert shown in visible(page), (provider, first)
            assert UNSUBSCRIBE in text and UNSUBSCRIBE in page, provider


@pytest.fixture(scope="module")
def spanish(trap_project, tmp_path_factory):
    """The trap project in Spanish: its greeting has no word for a reader without a name
    ("¡Hola, Mia!" / "¡Hola!"), so the name and the ", " before it are one conditional."""
    root = tmp_path_factory.mktemp("es")
    write(root / "dripmail.toml", (trap_project / "dripmail.toml").read_text("utf-8")
          + 'language = "es"\n')
    write(root / "sequences" / "a.txt", (trap_project / "sequences" / "traps.txt").read_text(
        "utf-8"))
    return {p: render_project(root, (), {"provider": p}).sequences[0] for p in ENGINES}


@pytest.mark.parametrize("provider", ENGINES)
def test_a_greeting_without_a_word_for_no_name(provider, spanish):
    for email in spanish[provider].emails:
        for first, shown in (("Mia", "¡Hola, Mia!"), ("", "¡Hola!")):
            if provider == "mailerlite":  # no conditional in its tags: never "¡Hola, !"
                shown = "¡Hola!"
            text = render(provider, email.text, first, "mia@example.net")
            page = render(provider, email.html, first, "mia@example.net", as_html=True)
            assert shown in text.replace(JOINER, ""), (provider, first, text[:200])
            assert shown in visible(page), (provider, first)
            assert "¡Hola, !" not in text and "¡Hola ," not in text


@pytest.mark.parametrize("provider", ENGINES)
def test_article_syntax_stays_literal(provider, rendered):
    """Every trap reaches the reader as written, in the text, the HTML and the subject."""
    email = rendered[provider].emails[0]
    text = render(provider, email.text, "Mia").replace(JOINER, "")
    page = visible(render(provider, email.html, "Mia", as_html=True))
    for trap in TRAPS:
        assert trap in " ".join(text.split()), (provider, trap)
        assert trap in page, (provider, trap)


# ---- the escapes themselves, over generated template soup ----------------------------------
FRAGMENTS = ["{", "}", "{{", "}}", "{{{", "}}}", "{%", "%}", "{#", "#}", "*|", "|*", "{$", "$",
             "%", "\\", "\\\\", "#", "^", "/", "&", "!", "~", "-", ".", "=", " ", "x",
             "first_name", "FNAME", "raw", "endraw", "else", "if", "recipient", "recipient.x",
             "unsubscribe_url", "tag_unsubscribe_url", "pm:unsubscribe", "7*7", "<b>", "'", '"']
SOUP = st.lists(st.sampled_from(FRAGMENTS), max_size=24).map("".join)


def _escape(provider: str, text: str, as_html: bool) -> str:
    return providers.escape_literal(text, provider, as_html=as_html)


@pytest.mark.parametrize("provider", ENGINES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup=SOUP)
def test_escaped_soup_renders_as_written(provider, soup):
    """Plain text: the engine prints exactly the text (the invisible joiner aside)."""
    out = render(provider, _escape(provider, soup, False), "Mia", "m@x.example")
    assert out.replace(JOINER, "") == soup


@pytest.mark.parametrize("provider", ENGINES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup=SOUP)
def test_escaped_soup_in_html_shows_as_written(provider, soup):
    """HTML: what the browser shows after the engine ran is the text."""
    page = render(provider, _escape(provider, html.escape(soup), True), "Mia", as_html=True)
    assert html.unescape(page).replace(JOINER, "") == soup


def test_engines_refuse_unescaped_soup():
    """The engines are strict enough to catch an escape that is missing."""
    for provider, raw in (("postmark", "{{ 7*7 }}"), ("ses", "{{ 7*7 }}"), ("brevo", "{{ a"),
                          ("mailchimp", "*|NOPE|*"), ("mailerlite", "{$nope}")):
        with pytest.raises(TemplateError):
            render(provider, raw)
    assert render("postmark", "{{{ raw }}}") == ""  # live: prints the (empty) value
    assert re.sub(r"\s", "", render("kit", "{{ 7 }}")) == "7"


@pytest.mark.parametrize("provider", ["postmark", "brevo", "mailchimp", "mailerlite", "mailgun",
                                      "ses"])
def test_escapes_pass_dripmails_own_checks(provider, trap_project, tmp_path):
    """The invisible mark that breaks an opener in plain text is not preheader filler."""
    from dripmail.pipeline.build import build

    result = build(trap_project, out_dir=tmp_path / "out", overrides={"provider": provider},
                   check=True)
    assert JOINER in result.sequences[0].emails[0].text or provider == "ses"
    assert [f for f in result.findings if f.severity == "error"] == []
    assert not [f for f in result.findings if f.rule == "text-filler"]

"""Provider dialects: tags, mandatory tags, no leaks, escapes, goldens and import packages."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import liquid
import pytest
from engines import mustachio
from provider_samples import SETTINGS, TRAPS, make_sequence

from dripmail import providers
from dripmail.models import Settings
from dripmail.providers import base, dialect, syntax
from dripmail.providers.dialect import token
from dripmail.writing.folder import write_extras

GOLDEN = Path(__file__).parent / "golden" / "providers"
ALL = providers.ALL

# Exact syntax each provider must show, in the HTML part and in the text part.
EXPECTED = {
    "generic": (['{{ first_name | default: "there" }}', 'href="https://example.org/unsubscribe"',
                 "12 Rue de la Paix"], ["https://example.org/unsubscribe", "12 Rue de la Paix"]),
    "mailchimp": (["*|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*", 'href="*|UNSUB|*"',
                   "*|HTML:LIST_ADDRESS_HTML|*", "*|EMAIL|*", 'href="*|ARCHIVE|*"'],
                  ["*|UNSUB|*", "*|LIST:ADDRESSLINE|*", "*|IF:FNAME|*"]),
    "kit": (['{{ subscriber.first_name | default: "there" }}', 'href="{{ unsubscribe_url }}"',
             "{{ address }}", "{{ subscriber.email_address }}"],
            ["{{ unsubscribe_url }}", "{{ address }}"]),
    "mailerlite": (["{$name|default('there')}", 'href="{$unsubscribe}"', 'href="{$url}"',
                    "{$email}", "12 Rue de la Paix"],
                   ["{$unsubscribe}", "{$url}", "12 Rue de la Paix"]),
    "brevo": (['{{ contact.FIRSTNAME | default : "there" }}', 'href="{{ unsubscribe }}"',
               'href="{{ mirror }}"', "{{ contact.EMAIL }}", "12 Rue de la Paix"],
              ["{{ unsubscribe }}", "12 Rue de la Paix"]),
    "ses": (["{{#if first_name}}{{first_name}}{{else}}there{{/if}}",
             'href="{{amazonSESUnsubscribeUrl}}"', "{{email}}", "12 Rue de la Paix"],
            ["{{amazonSESUnsubscribeUrl}}", "12 Rue de la Paix"]),
    "postmark": (["{{#first_name}}{{.}}{{/first_name}}{{^first_name}}there"
                  "{{/first_name}}", 'href="{{{ pm:unsubscribe }}}"', "12 Rue de la Paix"],
                 ["{{{ pm:unsubscribe }}}", "12 Rue de la Paix"]),
    "sendgrid": (["{{#if first_name}}{{first_name}}{{else}}there{{/if}}",
                  'href="{{{unsubscribe}}}"', "12 Rue de la Paix"],
                 ["{{{unsubscribe}}}", "12 Rue de la Paix"]),
    "mailgun": (["{{#if first_name}}{{first_name}}{{else}}there{{/if}}",
                 'href="%unsubscribe_url%"', "12 Rue de la Paix"],
                ["%unsubscribe_url%", "12 Rue de la Paix"]),
}

# Syntax that marks a provider: none of it may appear in another provider's output.
MARKS = {
    "mailchimp": [r"\*\|"],
    "kit": [r"subscriber\.", r"\{\{ ?address", r"\{\{ ?unsubscribe_url"],
    "mailerlite": [r"\{\$"],
    "brevo": [r"contact\.", r"(?<!\{)\{\{ ?unsubscribe ?\}\}", r"\{\{ ?mirror"],
    "ses": [r"amazonSES"],
    "postmark": [r"pm:unsubscribe", r"\{\{\^"],
    "sendgrid": [r"\{\{\{unsubscribe"],
    "mailgun": [r"%unsubscribe_url%", r"%recipient"],
    "generic": [r"\{\{ first_name \| default"],
}


def test_every_provider_has_a_dialect():
    assert set(dialect.DIALECTS) == set(ALL)


@pytest.mark.parametrize("provider", ALL)
def test_tags_in_both_parts(provider):
    email = make_sequence(provider).emails[0]
    html_tags, text_tags = EXPECTED[provider]
    for tag in html_tags:
        assert tag in email.html, tag
    for tag in text_tags:
        assert tag in email.text, tag
    assert "zzdm" not in email.html + email.text  # every token resolved


@pytest.mark.parametrize("provider", ALL)
def test_no_other_provider_syntax_leaks_in(provider):
    email = make_sequence(provider, traps=False).emails[0]
    for other, marks in MARKS.items():
        if other == provider:
            continue
        for mark in marks:
            assert not re.search(mark, email.html + email.text), (other, mark)


@pytest.mark.parametrize("provider", ALL)
def test_golden(provider, update_golden):
    """The resolved output, tags and escapes included, byte for byte (after inlining)."""
    email = make_sequence(provider).emails[0]
    for suffix, got in ((".html", email.html), (".txt", email.text)):
        path = GOLDEN / f"{provider}{suffix}"
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(got.encode("utf-8"))
        assert got == path.read_bytes().decode("utf-8"), path


def test_mandatory_tags_are_added_when_a_template_leaves_them_out():
    bare_html = "<html><body><p>Hello</p></body></html>"
    for provider, (html_need, text_need) in {
        "mailchimp": (["*|UNSUB|*", "*|HTML:LIST_ADDRESS_HTML|*"],
                      ["*|UNSUB|*", "*|LIST:ADDRESSLINE|*"]),
        "kit": (["{{ unsubscribe_url }}", "{{ address }}"], ["{{ unsubscribe_url }}",
                                                            "{{ address }}"]),
        "mailerlite": (["{$unsubscribe}"], ["{$unsubscribe}", "{$url}"]),
        "brevo": (["{{ unsubscribe }}"], ["{{ unsubscribe }}"]),
    }.items():
        html = dialect.resolve(bare_html, provider, SETTINGS, as_html=True)
        text = dialect.resolve("Hello\n", provider, SETTINGS, as_html=False)
        assert html.endswith("</p></body></html>") and html.startswith("<html><body><p>Hello")
        for tag in html_need:
            assert tag in html, (provider, tag)
        for tag in text_need:
            assert tag in text, (provider, tag)
        assert text.startswith("Hello\n")


def test_mandatory_tags_not_duplicated():
    email = make_sequence("mailchimp").emails[0]
    assert email.html.count("*|UNSUB|*") == 1
    assert email.text.count("*|UNSUB|*") == 1


def test_fragments_get_no_footer():
    out = dialect.resolve("Hi " + token("first_name", "you"), "kit", SETTINGS, as_html=False,
                            document=False)
    assert out == 'Hi {{ subscriber.first_name | default: "you" }}'


# ---- escapes ---------------------------------------------------------------------------------
def test_liquid_prints_article_syntax_literally_and_evaluates_tags():
    """Kit: rendered by a real Liquid engine, `{{ 7*7 }}` stays as written."""
    email = make_sequence("kit").emails[0]
    out = liquid.Template(email.text).render(
        subscriber={"first_name": "", "email_address": "a@b.c"},
        unsubscribe_url="https://u.example", address="1 Road")
    assert TRAPS in out
    assert "Hi there," in out
    assert "Unsubscribe: https://u.example" in out and "1 Road" in out
    named = liquid.Template(email.html).render(subscriber={"first_name": "Mia"})
    assert "Hi Mia," in named and "Maths: {{ 7*7 }} and {% if x %}" in named


def test_mustachio_fallback_and_broken_openers_for_postmark():
    """Postmark's own engine (Mustachio): the fallback works for named subscribers too."""
    email = make_sequence("postmark").emails[0]
    out = mustachio.render(email.text, {"first_name": ""})
    assert "Hi there," in out
    assert out.replace(syntax.JOINER, "").count("{{ 7*7 }}") == 1  # shown, never evaluated
    assert "49" not in out
    assert mustachio.render(email.text, {"first_name": "Mia"}).count("Hi Mia,") == 1
    assert "&#123;{ 7*7 }}" in email.html


@pytest.mark.parametrize("provider", ["ses", "sendgrid", "mailgun"])
def test_handlebars_escape(provider):
    email = make_sequence(provider).emails[0]
    assert "Maths: \\{{ 7*7 }}" in email.text
    assert "Maths: \\{{ 7*7 }}" in email.html
    # a backslash written before {{ is kept apart from the escape
    assert "backslash \\" + syntax.JOINER + "\\{{ x }}" in email.text
    assert "backslash \\&#8288;\\{{ x }}" in email.html


def test_mailchimp_mailerlite_brevo_mailgun_break_their_own_openers():
    mc = make_sequence("mailchimp").emails[0]
    assert "&#42;|FNAME|*" in mc.html and "*" + syntax.JOINER + "|FNAME|*" in mc.text
    ml = make_sequence("mailerlite").emails[0]
    assert "{" + syntax.JOINER + "$email}" in ml.text and "&#123;$email}" in ml.html
    br = make_sequence("brevo").emails[0]
    j = syntax.JOINER
    assert "{" + j + "{ 7*7 }}" in br.text and "{" + j + "% if x %}" in br.text
    mg = make_sequence("mailgun").emails[0]
    assert "%" + syntax.JOINER + "recipient.email%" in mg.text


@pytest.mark.parametrize("provider", ALL)
def test_escape_literal_is_the_dialect_escape(provider):
    text = "a {{ b }} *|C|* {$d} {% e %}"
    d = dialect.dialect(provider, SETTINGS)
    assert providers.escape_literal(text, provider) == d.escape(text, False)
    assert providers.escape_literal(text, provider, as_html=True) == d.escape(text, True)


def test_unknown_provider():
    with pytest.raises(ValueError, match="known providers: generic, mailchimp"):
        providers.get("nope")


# ---- packages --------------------------------------------------------------------------------
def _build(provider, tmp_path, days=(0, 2, 5)):
    seq = make_sequence(provider, days=days)
    for e in seq.emails:  # what the build writes before the extras
        (tmp_path / f"{e.stem}.html").write_text(e.html, encoding="utf-8")
    written = write_extras(seq, tmp_path)
    return seq, written


def _schedule(tmp_path):
    with open(tmp_path / "schedule.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("provider", ALL)
def test_schedule_csv_and_eml_for_every_provider(provider, tmp_path):
    seq, written = _build(provider, tmp_path)
    rows = _schedule(tmp_path)
    assert [r["position"] for r in rows] == ["1", "2", "3"]
    assert [r["day"] for r in rows] == ["0", "2", "5"]
    assert rows[0]["subject"] == seq.emails[0].subject
    assert rows[0]["preheader"] == seq.emails[0].preheader
    for row in rows:
        assert (tmp_path / row["file"]).is_file(), row["file"]
    assert sorted(p.name for p in tmp_path.glob("*.eml")) == [
        "01-part-1.eml", "02-part-2.eml", "03-part-3.eml"]
    assert all(p.exists() for p in written)


def test_mailchimp_zips_hold_exactly_one_html(tmp_path):
    seq, _ = _build("mailchimp", tmp_path)
    zips = sorted((tmp_path / "mailchimp").glob("*.zip"))
    assert [z.name for z in zips] == ["01-part-1.zip", "02-part-2.zip", "03-part-3.zip"]
    for z, email in zip(zips, seq.emails, strict=True):
        with zipfile.ZipFile(z) as zf:
            names = zf.namelist()
            assert len(names) == 1 and names[0].endswith(".html")
            assert zf.read(names[0]).decode("utf-8") == email.html
    assert _schedule(tmp_path)[1]["file"] == "mailchimp/02-part-2.zip"


def test_postmark_folder_layout(tmp_path):
    seq, _ = _build("postmark", tmp_path)
    folders = sorted(p.name for p in (tmp_path / "postmark").iterdir())
    assert folders == ["calm-talks-01", "calm-talks-02", "calm-talks-03"]
    one = tmp_path / "postmark" / "calm-talks-01"
    assert sorted(p.name for p in one.iterdir()) == ["content.html", "content.txt", "meta.json"]
    meta = json.loads((one / "meta.json").read_text(encoding="utf-8"))
    assert meta == {"Name": "Calm talks 01/03: Part 1: the {{ big }} step",
                    "Alias": "calm-talks-01",
        "Subject": "Part 1: the {" + syntax.JOINER + "{ big }} step", "TemplateType": "Standard"}
    assert (one / "content.html").read_text(encoding="utf-8") == seq.emails[0].html
    assert (one / "content.txt").read_text(encoding="utf-8") == seq.emails[0].text


def test_ses_cli_input_json(tmp_path):
    seq, _ = _build("ses", tmp_path)
    data = json.loads((tmp_path / "ses" / "02-part-2.json").read_text(encoding="utf-8"))
    assert data == {"TemplateName": "calm-talks-02", "TemplateContent": {
        "Subject": "Part 2: the \\{{ big }} step", "Html": seq.emails[1].html,
        "Text": seq.emails[1].text}}


def test_kit_sequence_delays(tmp_path):
    _build("kit", tmp_path, days=(0, 2, 2, 7))
    data = json.loads((tmp_path / "kit" / "sequence.json").read_text(encoding="utf-8"))
    assert data["name"] == "Calm talks"
    assert [(e["delay_value"], e["delay_unit"]) for e in data["emails"]] == [
        (0, "days"), (2, "days"), (1, "hours"), (5, "days")]
    assert data["emails"][0]["subject"] == "Part 1: the {%raw%}{{{%endraw%} big }} step"
    assert _schedule(tmp_path)[0]["file"] == "kit/sequence.json"


@pytest.mark.parametrize("provider, keys", [
    ("sendgrid", {"template", "version"}),
    ("mailgun", {"name", "description", "template", "engine", "tag", "comment", "headers"}),
    ("brevo", {"templateName", "subject", "htmlContent", "sender", "isActive"}),
    ("mailerlite", {"name", "type", "emails"}),
])
def test_template_api_payloads(provider, keys, tmp_path):
    seq, _ = _build(provider, tmp_path)
    data = json.loads((tmp_path / provider / "01-part-1.json").read_text(encoding="utf-8"))
    assert set(data) == keys
    if provider == "sendgrid":
        assert data["template"] == {"name": "calm-talks-01", "generation": "dynamic"}
        assert data["version"]["html_content"] == seq.emails[0].html
        assert data["version"]["plain_content"] == seq.emails[0].text
    if provider == "mailgun":
        assert data["name"] == "calm-talks-01" and data["engine"] == "handlebars"
        assert json.loads(data["headers"]) == {"Subject": "Part 1: the \\{{ big }} step"}
    if provider == "brevo":
        assert data["sender"] == {"name": "Dr. Ana Ruiz", "email": "ana@example.org"}


def test_names_fit_provider_limits():
    long = make_sequence("mailchimp", slug="a-" + "very-long-slug-" * 8)
    name = base.template_name(long, long.emails[0], 50)
    assert len(name) <= 50 and name.endswith("-01")


def test_settings_quote_in_fallback_stays_inside_the_string():
    s = Settings(provider="kit")
    d = dialect.dialect("kit", s)
    assert d.fallback('you "friend"') == "{{ subscriber.first_name | default: \"you 'friend'\" }}"


def test_added_footer_respects_keep_spaces_for_wrapping():
    """Text wrapping sees U+0000 inside tags (see textpart.wrap), also in the added footer."""
    text = "Hello\n"
    out = dialect.resolve(text, "kit", SETTINGS, as_html=False, keep_spaces=True)
    assert "Unsubscribe: {{\0unsubscribe_url\0}}" in out and "{{\0address\0}}" in out
    again = dialect.resolve("Bye " + token("unsubscribe_url") + " " + token("postal_address"),
                              "kit", SETTINGS, as_html=False, keep_spaces=True)
    assert again == "Bye {{\0unsubscribe_url\0}} {{\0address\0}}"  # present: nothing added

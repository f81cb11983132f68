"""The provider engines of tests/engines/ behave as their providers document (each rule below
is one the engine's own docs, code or tests state)."""

from __future__ import annotations

import pytest
from engines import TemplateError, brevo, handlebars, mailchimp, mailerlite, mailgun, mustachio


# ---- Mustachio (Postmark) ------------------------------------------------------------------
def test_mustachio_section_scope_is_the_section_value():
    """A name inside a section is looked up in the section's value only (no stack walk)."""
    assert mustachio.render("Hi {{#first_name}}{{first_name}}{{/first_name}},",
                            {"first_name": "Mia"}) == "Hi ,"
    idiom = "{{#first_name}}{{.}}{{/first_name}}{{^first_name}}there{{/first_name}}"
    assert mustachio.render(idiom, {"first_name": "Mia"}) == "Mia"
    assert mustachio.render(idiom, {"first_name": ""}) == "there"
    assert mustachio.render(idiom, {}) == "there"


def test_mustachio_paths_objects_parent_and_each():
    model = {"person": {"name": "Ana"}, "name": "Top", "items": [1, 2], "empty": []}
    assert mustachio.render("{{#person}}{{name}}{{/person}}", model) == "Ana"
    assert mustachio.render("{{person.name}}", model) == "Ana"
    assert mustachio.render("{{#person}}{{../name}}{{/person}}", model) == "Top"
    assert mustachio.render("{{#each items}}[{{.}}]{{/each}}", model) == "[1][2]"
    assert mustachio.render("{{^empty}}none{{/empty}}", model) == "none"


def test_mustachio_escaping_and_raw():
    model = {"x": "<b>&"}
    out = mustachio.render("{{x}}|{{{x}}}|{{&x}}|{{! note }}", model)
    assert out == "&lt;b&gt;&amp;|<b>&|<b>&|"


def test_mustachio_tokens_and_refusals():
    assert mustachio.render("{{{x}}", {"x": "X"}) == "{X"  # the two-brace form wins first
    assert mustachio.render("a } b }} { c", {}) == "a } b }} { c"
    for bad in ("{{ 7*7 }}", "{{#a}}", "{{/a}}", "{{#a}}{{/b}}", "{{a b}}", "{{...x}}"):
        with pytest.raises(TemplateError):
            mustachio.render(bad, {})


def test_mustachio_postmark_tags():
    out = mustachio.render('<a href="{{{ pm:unsubscribe }}}">', {}, {"pm:unsubscribe": "U"})
    assert out == '<a href="U">'


# ---- Handlebars (SES, SendGrid, Mailgun) -----------------------------------------------------
def test_handlebars_escaped_mustaches():
    data = {"x": "X"}
    assert handlebars.render("a \\{{x}} b", data) == "a {{x}} b"
    assert handlebars.render("a \\\\{{x}} b", data) == "a \\X b"
    assert handlebars.render("\\{{ 7*7 }} and {{x}}", data) == "{{ 7*7 }} and X"
    assert handlebars.render("\\{{{ x }}}", data) == "{{{ x }}}"
    assert handlebars.render("\\{{a}}\\{{b}}", data) == "{{a}}{{b}}"


def test_handlebars_if_else_sections_and_parent():
    fb = "{{#if first_name}}{{first_name}}{{else}}there{{/if}}"
    assert handlebars.render(fb, {"first_name": "Mia"}) == "Mia"
    assert handlebars.render(fb, {"first_name": ""}) == "there"
    assert handlebars.render("{{#unless a}}no{{/unless}}", {}) == "no"
    assert handlebars.render("{{#p}}{{n}}/{{../n}}{{/p}}", {"p": {"n": 1}, "n": 2}) == "1/2"
    assert handlebars.render("{{#each xs}}{{this}}{{/each}}", {"xs": ["a", "b"]}) == "ab"


def test_handlebars_escaping():
    data = {"x": "<a href='u'>=`&"}
    assert handlebars.render("{{x}}", data) == "&lt;a href&#x3D;&#x27;u&#x27;&gt;&#x3D;&#x60;&amp;"
    assert handlebars.render("{{{x}}}|{{&x}}", data) == "<a href='u'>=`&|<a href='u'>=`&"
    assert handlebars.render("{{!-- c --}}{{! d }}ok", data) == "ok"


def test_handlebars_refuses_what_does_not_compile():
    for bad in ("{{ 7*7 }}", "{{foo bar}}", "{{#if a}}", "{{/if}}", "{{> part}}", "{{x",
                "{{{x}}", "{{#a}}{{/b}}"):
        with pytest.raises(TemplateError):
            handlebars.render(bad, {})


def test_mailgun_percent_variables_after_handlebars():
    out = mailgun.render("{{a}} %recipient.first_name% %unsubscribe_url% %other%", {"a": "A"},
                         {"first_name": "Mia", "unsubscribe_url": "U"})
    assert out == "A Mia U %other%"


# ---- Brevo ---------------------------------------------------------------------------------
def test_brevo_variables_filters_and_ifs():
    data = {"contact": {"FIRSTNAME": "Mia"}, "unsubscribe": "U"}
    assert brevo.render('{{ contact.FIRSTNAME | default : "there" }}', data) == "Mia"
    assert brevo.render('{{ contact.FIRSTNAME|default:"there" }}', {}) == "there"
    assert brevo.render("{% if contact.FIRSTNAME %}a{% else %}b{% endif %}", data) == "a"
    assert brevo.render("{% if not contact.FIRSTNAME %}a{% else %}b{% endif %}", data) == "b"
    assert brevo.render("{# note #}{{ unsubscribe }}", data) == "U"
    assert brevo.render("{{ x }}", {"x": "<&>"}, autoescape=True) == "&lt;&amp;&gt;"


def test_brevo_refusals():
    for bad in ("{{ 7*7 }}", "{% for x in y %}", "{{ a", "{% if a %}", "{{ a|nope }}",
                "{{ a|default:'x' }}", "{# open"):
        with pytest.raises(TemplateError):
            brevo.render(bad, {})


# ---- Mailchimp, MailerLite -----------------------------------------------------------------
def test_mailchimp_conditions_and_values():
    fb = "*|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*"
    assert mailchimp.render(fb, {"FNAME": "Mia"}) == "Mia"
    assert mailchimp.render(fb, {"FNAME": ""}) == "there"
    assert mailchimp.render("*|IFNOT:A|*x*|END:IF|*", {"A": ""}) == "x"
    assert mailchimp.render("*|IF:A|*a*|ELSEIF:B|*b*|ELSE:|*c*|END:IF|*", {"B": "1"}) == "b"
    data = {"FNAME": "<M>", "LIST_ADDRESS_HTML": "<br>"}
    assert mailchimp.render("*|FNAME|* *|HTML:LIST_ADDRESS_HTML|*", data, as_html=True) == \
        "&lt;M&gt; <br>"
    for bad in ("*|NOPE|*", "*|IF:A|*", "*|END:IF|*"):
        with pytest.raises(TemplateError):
            mailchimp.render(bad, {})


def test_mailerlite_tags():
    data = {"name": "", "unsubscribe": "U"}
    assert mailerlite.render("{$name|default('there')} {$unsubscribe}", data) == "there U"
    for bad in ("{$nope}", "{$ name}"):
        with pytest.raises(TemplateError):
            mailerlite.render(bad, data)

"""Every check rule: a failing and a passing fixture (hand-written HTML/text)."""

from __future__ import annotations

import dataclasses

import pytest
from checks_fixtures import ADDRESS, PARAGRAPHS, PREHEADER, SUBJECT, doc, good_html, good_text

from dripmail.checks import RULES, run_checks, validate_levels
from dripmail.checks.model import EmailDoc

HARD = ("Notwithstanding considerable organisational complexity, interdisciplinary "
        "collaboration necessitates comprehensive institutional accountability mechanisms, "
        "particularly regarding administrative responsibilities and organisational "
        "infrastructure considerations throughout implementation.")

LONG = ("When you feel that you want to talk about the things that matter to you and your partner "
        "does not want to talk about them with you yet, it is easy to feel alone and sad and to "
        "think that you must wait for them to change first.")


def only(rule: str, d: EmailDoc | list[EmailDoc]) -> list:
    """The findings of one rule."""
    docs = d if isinstance(d, list) else [d]
    return [f for f in run_checks(docs) if f.rule == rule]


def html_with(**kwargs) -> EmailDoc:
    return doc(html=good_html(**kwargs))


def seq(days: list[int]) -> list[EmailDoc]:
    return [doc(position=n, total=len(days), day=day, file=f"build/course/0{n}-x.html")
            for n, day in enumerate(days, 1)]


def test_the_good_fixture_passes_every_rule():
    assert run_checks([doc()]) == []


FAILING = [
    ("html-size", lambda: html_with(body_extra="<!--" + "x" * 105_000 + "-->"), "error",
     "Gmail clips"),
    ("html-size", lambda: html_with(body_extra="<!--" + "x" * 80_000 + "-->"), "warning",
     "over 75 KB"),
    ("style-size", lambda: html_with(style=".a{color:#000000}\n" * 1000), "error", "16,384"),
    ("style-nested-at-rule",
     lambda: html_with(style="@media screen { @font-face { font-family: X; } }"), "error",
     "@media screen"),
    ("subject-length", lambda: doc(subject=""), "error", "empty"),
    ("subject-length", lambda: doc(subject="x" * 80), "error", "80 characters"),
    ("subject-length", lambda: doc(subject="x" * 60), "warning", "60 characters"),
    ("preheader", lambda: doc(preheader=""), "error", "missing"),
    ("preheader", lambda: doc(preheader=SUBJECT), "error", "repeats the subject"),
    ("preheader", lambda: doc(preheader="Too short"), "error", "under 30"),
    ("preheader", lambda: doc(preheader="y" * 150), "warning", "150 characters"),
    ("active-content", lambda: html_with(body_extra="<script>alert(1)</script>"), "error",
     "<script>"),
    ("active-content", lambda: html_with(body_extra='<img alt="" src="a.png" onerror="x()">'),
     "error", "onerror="),
    ("active-content",
     lambda: html_with(body_extra='<a href="&#106;ava&#x09;script&colon;x()">Go</a>'), "error",
     "script URL in href="),
    ("html-lang", lambda: html_with(lang=""), "error", "lang"),
    ("table-role", lambda: html_with(body_extra="<table><tr><td>Layout</td></tr></table>"),
     "error", "1 layout table"),
    ("meta-charset", lambda: doc(html=good_html().replace('<meta charset="utf-8">', "")),
     "error", "no <meta charset"),
    ("meta-charset",
     lambda: doc(html=good_html().replace('charset="utf-8"', 'charset="iso-8859-1"')), "error",
     "iso-8859-1"),
    ("meta-viewport",
     lambda: doc(html=good_html().replace('name="viewport"', 'name="x-viewport"')), "warning",
     "viewport"),
    ("meta-color-scheme",
     lambda: doc(html=good_html().replace('name="color-scheme"', 'name="x"')), "warning",
     "color-scheme"),
    ("heading-order", lambda: html_with(body_extra="<h3>Jumped</h3>"), "warning",
     "<h3> comes after <h1>"),
    ("img-alt", lambda: html_with(body_extra='<img src="https://example.com/photo.jpg">'),
     "error", "https://example.com/photo.jpg"),
    ("link-empty", lambda: html_with(body_extra='<a href="#">Back to top</a>'), "error",
     'href="#"'),
    ("link-javascript", lambda: html_with(body_extra='<a href="javascript:go()">Go on</a>'),
     "error", "javascript:"),
    ("relative-url", lambda: html_with(body_extra='<a href="../guide/">The guide</a>'),
     "error", "'../guide/' cannot work in an inbox"),
    ("relative-url", lambda: html_with(body_extra='<img src="/img/x.png" alt="">'),
     "error", "relative image address"),
    ("dead-anchor", lambda: html_with(body_extra='<a href="#setup">Setting up</a>'),
     "error", "#setup, which is not in this email"),
    ("link-insecure", lambda: html_with(body_extra='<a href="http://example.com">The site</a>'),
     "warning", "http://"),
    ("link-text", lambda: html_with(body_extra='<a href="https://example.com">Click here</a>'),
     "warning", "Click here"),
    ("unsubscribe-link", lambda: html_with(footer=f"<p>{ADDRESS}</p>"), "error",
     "no unsubscribe link"),
    ("unsubscribe-link", lambda: doc(text=good_text().replace("Unsubscribe: {{ unsubscribe_url }}",
                                                              "")),
     "error", "plain-text part"),
    ("postal-address",
     lambda: html_with(footer='<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>'),
     "error", "no postal address"),
    ("postal-address", lambda: doc(postal_address="9 Elm Road, Leeds LS1 4AP"), "error",
     "no postal address"),
    ("text-present", lambda: doc(text=None), "error", "missing"),
    ("text-line-length", lambda: doc(text=good_text() + "word " * 20 + "\n"), "warning",
     "columns"),
    ("text-line-length", lambda: doc(text=good_text() + "word " * 210 + "\n"), "error", "998"),
    ("text-filler", lambda: doc(text=good_text() + "Preview\u200c\u200c\n"), "error", "U+200C"),
    ("text-filler", lambda: doc(text=good_text() + "a\u00a0\u00a0\u00a0b\n"), "error", "U+00A0"),
    ("text-matches-html",
     lambda: doc(text="This is a different text about gardening and tomatoes entirely.\n"),
     "warning", "shares only"),
    ("word-count", lambda: doc(html=good_html(paragraphs=PARAGRAPHS[:1]),
                               text=good_text(PARAGRAPHS[:1])), "warning", "under 100"),
    ("word-count", lambda: doc(words=600), "warning", "600 words"),
    ("word-count", lambda: doc(words=900), "error", "over 800"),
    ("reading-ease", lambda: doc(html=good_html(paragraphs=[HARD] * 4),
                                 text=good_text([HARD] * 4)), "warning", "reading ease"),
    ("grade-level", lambda: doc(html=good_html(paragraphs=[HARD] * 4),
                                text=good_text([HARD] * 4)), "warning", "grade level"),
    ("sentence-length", lambda: doc(html=good_html(paragraphs=[LONG] * 6),
                                    text=good_text([LONG] * 6)), "warning", "sentences average"),
    ("wordy-phrases", lambda: doc(text=good_text() + "\nWe wait in order to rest.\n"), "warning",
     '"in order to" (say "to")'),
    ("all-caps", lambda: doc(subject="FREE GUIDE: START YOUR COURSE TODAY"), "warning",
     "the subject shouts: 100% of its letters are capitals"),
    ("all-caps", lambda: doc(preheader="Read this now: DO NOT MISS IT before the week is out"),
     "warning", "the preheader shouts: \"DO NOT MISS IT\" is in capitals"),
    ("relative-time", lambda: html_with(body_extra="<p>See you tomorrow in the next one.</p>"),
     "warning", "tomorrow"),
    ("relative-time", lambda: doc(text=good_text() + "\nIn today's email we talk.\n"), "warning",
     "today's email"),
    ("sequence-start", lambda: seq([2, 3, 5]), "error", "day 2"),
    ("sequence-order", lambda: seq([0, 3, 2]), "error", "before email 2"),
    ("sequence-gap", lambda: seq([0, 2, 12]), "warning", "10 days"),
    ("font-size", lambda: html_with(body_extra='<p style="font-size:12px">Fine print</p>'),
     "error", "12px"),
    ("font-size", lambda: html_with(body_extra='<p style="font-size:11pt">Points</p>'),
     "warning", "14.7px"),
    ("font-size", lambda: html_with(body_extra='<p style="font:0.8em Arial">Relative</p>'),
     "error", "12.8px"),
    ("contrast", lambda: html_with(body_extra='<p style="color:#aaaaaa">Pale text</p>'), "error",
     "#aaaaaa on #ffffff"),
    ("contrast",
     lambda: html_with(body_extra='<div style="background:#333333"><p>Black on dark</p></div>'),
     "error", "#000000 on #333333"),
    ("contrast-dark",
     lambda: html_with(style="@media (prefers-color-scheme: dark) { .dm-bg "
                             "{ background-color: #111111 !important; } }"),
     "error", "dark mode: text #222222 on #111111"),
    ("client-support", lambda: html_with(body_extra='<div style="display:flex">Flex</div>'),
     "warning", "display:flex is not supported in Outlook for Windows"),
    ("client-support", lambda: html_with(style=STYLE_WITH_FONT), "warning",
     "@font-face is not supported in Gmail"),
    ("client-support", lambda: html_with(body_extra="<svg></svg>"), "warning",
     "Gmail, Outlook for Windows, Yahoo Mail"),
]
STYLE_WITH_FONT = "@font-face { font-family: Brand; src: url(https://example.com/b.woff2); }"


@pytest.mark.parametrize("rule,make,severity,text", FAILING,
                         ids=[f"{r}-{n}" for n, (r, *_rest) in enumerate(FAILING)])
def test_failing_fixture(rule, make, severity, text):
    found = only(rule, make())
    assert found, f"{rule} found nothing"
    assert found[0].severity == severity
    assert text in found[0].message, found[0].message
    assert found[0].fix


def test_every_rule_has_a_failing_fixture():
    assert {r for r, *_ in FAILING} == set(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_passing_fixture(rule):
    assert only(rule, doc()) == []
    assert only(rule, seq([0, 1, 3, 5])) == []


@pytest.mark.parametrize("tag", [
    "{{ unsubscribe_url }}", "*|UNSUB|*", "{$unsubscribe}", "{{ unsubscribe }}",
    "{{{ pm:unsubscribe }}}", "{{{unsubscribe}}}", "%unsubscribe_url%", "{{ UnsubscribeURL }}",
    "{{amazonSESUnsubscribeUrl}}", "{{{RESEND_UNSUBSCRIBE_URL}}}", "{unsubscribe_url}",
])
def test_provider_unsubscribe_tags_count_as_a_link(tag):
    footer = f'<p>{ADDRESS}</p><p><a href="{tag}">Leave this course</a></p>'
    text = good_text().replace("{{ unsubscribe_url }}", tag)
    assert only("unsubscribe-link", doc(html=good_html(footer=footer), text=text)) == []


@pytest.mark.parametrize("tag", ["*|HTML:LIST_ADDRESS_HTML|*", "*|LIST:ADDRESSLINE|*",
                                 "{{ address }}", "{{ sender.address }}"])
def test_provider_address_tags_count_as_an_address(tag):
    footer = f'<p>{tag}</p><p><a href="*|UNSUB|*">Unsubscribe</a></p>'
    assert only("postal-address", doc(html=good_html(footer=footer))) == []


def test_configured_address_is_found_and_other_shapes_pass():
    assert only("postal-address", doc(postal_address=ADDRESS)) == []
    for address in ("PO Box 42, Boston", "10 Downing Street, London SW1A 2AA",
                    "Hauptstraße 5, 10115 Berlin"):
        footer = f'<p>{address}</p><p><a href="{{{{ unsubscribe_url }}}}">Unsubscribe</a></p>'
        assert only("postal-address", doc(html=good_html(footer=footer))) == [], address


def test_mailerlite_appends_the_address_itself():
    footer = '<p><a href="{$unsubscribe}">Unsubscribe</a></p>'
    assert only("postal-address", doc(html=good_html(footer=footer), provider="mailerlite")) == []


def test_passing_variants():
    long_url = "https://example.com/" + "a" * 100
    text = good_text() + f"\n[1]: {long_url}\n{long_url}\n"
    assert only("text-line-length", doc(text=text)) == []
    postmark = "{{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}there{{/first_name}},"
    assert only("text-line-length", doc(text=good_text() + postmark + " word" * 12 + "\n")) == []
    assert only("img-alt", html_with(body_extra='<img src="x.png" alt="">')) == []
    data_table = "<table><tr><th>Day</th></tr><tr><td>0</td></tr></table>"
    assert only("table-role", html_with(body_extra=data_table)) == []
    big = '<p style="font-size:24px;color:#8a8a8a">Large grey headline</p>'
    assert only("contrast", html_with(body_extra=big)) == []
    flex_in_media = STYLE_WITH_FLEX_IN_MEDIA
    assert only("client-support", html_with(style=flex_in_media)) == []
    mso = "<!--[if mso]><div style=\"display:flex\"><svg></svg></div><![endif]-->"
    assert only("client-support", html_with(body_extra=mso)) == []
    assert only("heading-order", html_with(body_extra="<h2>Next</h2><h3>Sub</h3>")) == []
    img = '<img src="a.png" alt="" style="height:auto;outline:none">'
    assert only("client-support", html_with(body_extra=img)) == []
    img = '<img src="a.png" alt="" style="height:120px">'
    assert "height property" in only("client-support", html_with(body_extra=img))[0].message


STYLE_WITH_FLEX_IN_MEDIA = "@media (min-width: 600px) { .row { display: flex; } }"


def test_newsletters_skip_course_rules():
    letters = [dataclasses.replace(d, kind="newsletter") for d in seq([5, 3])]
    assert only("sequence-start", letters) == only("sequence-order", letters) == []


def test_levels_turn_rules_off_and_relevel_them():
    bad = doc(subject="x" * 60, preheader="")
    assert {f.rule for f in run_checks([bad])} == {"subject-length", "preheader"}
    found = run_checks([bad], {"subject-length": "off", "preheader": "warning"})
    assert [(f.rule, f.severity) for f in found] == [("preheader", "warning")]
    found = run_checks([bad], {"subject-length": "error"})
    assert ("subject-length", "error") in [(f.rule, f.severity) for f in found]


def test_validate_levels_names_the_closest_rule():
    problems = validate_levels({"subject-lenght": "off", "contrast": "loud", "img-alt": "off"})
    assert problems == [
        "unknown check rule 'subject-lenght' in [check]; did you mean 'subject-length'?",
        "[check] 'contrast' must be \"off\", \"warning\" or \"error\", not 'loud'",
    ]


def test_findings_are_ordered_by_file_then_errors_first():
    a = doc(file="a.html", subject="x" * 60)
    b = doc(file="b.html", preheader="", subject="")
    found = run_checks([a, b])
    assert [(f.file, f.severity) for f in found] == [
        ("a.html", "warning"), ("b.html", "error"), ("b.html", "error")]
    assert found[0].position == 1


def test_preheader_fixture_is_realistic():
    assert 40 <= len(PREHEADER) <= 100


def test_dark_mode_uses_selector_specificity_like_a_browser():
    style = ("@media (prefers-color-scheme: dark) { .dm-bg { background-color: #111111 "
             "!important; } .dm-text { color: #eeeeee !important; } "
             ".dm-link { color: #99ccff !important; } "
             ".box a { color: #9ccaf0 !important; } .btn { color: #0d1f1e !important; } "
             ".box { background-color: #8fd0c8 !important; } }")
    button = ('<div class="box" style="background-color:#2d5f5d"><a class="btn" '
              'href="https://example.com/book" style="color:#ffffff">Book a call</a></div>')
    found = only("contrast-dark", html_with(style=style, body_extra=button))
    assert [f.message for f in found] == [
        'dark mode: text #9ccaf0 on #8fd0c8 has contrast 1.01:1 (needs 4.5:1) in 1 element(s), '
        'e.g. <a> "Book a call"']
    fixed = style.replace(".btn {", ".box a.btn {")
    assert only("contrast-dark", html_with(style=fixed, body_extra=button)) == []
    assert only("contrast", html_with(style=fixed, body_extra=button)) == []


def test_text_report_groups_by_file_with_rule_fix_and_summary():
    from dripmail.checks.report import format_text

    good, warn, bad = doc(file="a.html"), doc(file="b.html", subject="x" * 60), doc(
        file="c.html", preheader="")
    assert format_text([], [good]) == "All 1 email pass: 0 errors, 0 warnings."
    text = format_text(run_checks([good, warn]), [good, warn])
    assert text.splitlines() == [
        "b.html",
        "  warning  subject-length  the subject has 60 characters; phones cut it at about 50: "
        f"\"{'x' * 60}\"",
        "                           fix: shorten the subject to 50 characters or fewer (front "
        "matter `subjects`)",
        "",
        "No errors: all 2 emails ready to send. 1 warning to consider (--strict fails on "
        "warnings).",
    ]
    last = format_text(run_checks([warn, bad]), [warn, bad]).splitlines()[-1]
    assert last == "1 error, 1 warning in 2 of 2 emails: fix the errors before sending."

"""Hostile content and settings (issue 11, S2 and S3): text posing as dripmail's internal merge-tag
token, script in emails, the static index's frames, and header injection through control
characters and RFC 2047 encoded words, in .eml files and over SMTP."""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import re
import socket
from pathlib import Path

import lxml.html
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dripmail.cli import cli
from dripmail.models import Email, Settings, Source
from dripmail.newsletter.issue import render_newsletter
from dripmail.planning.plan import plan
from dripmail.providers import dialect
from dripmail.reading.article import parse_article
from dripmail.writing import eml
from tests.conftest import write

# --- forged merge-tag tokens (S2) ----------------------------------------------------------

SCRIPT = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
FORGED = "zzdm0x" + SCRIPT.encode().hex() + "zz"  # first_name, with SCRIPT as its "fallback"
FORGED_UNSUB = "zzdm2xzz"  # a bare unsubscribe tag
BOTH = f"{FORGED} {FORGED_UNSUB}"
PROVIDERS = sorted(dialect.DIALECTS)  # generic and the eight providers
WORDS = " ".join(["Plain words in a steady paragraph."] * 10)

TOML = f"""
brand = "Brand {BOTH}"
sender_name = "Sender {FORGED}"
postal_address = "1 Main Street {BOTH}"
reason = "Because {BOTH}"

[cta]
text = "Book {BOTH}"
url = "https://example.com/book/{FORGED}"

[newsletter]
title = "Issue {BOTH}"
intro = "Intro {BOTH} with a [link](https://example.com/{FORGED})."
subject = "Subject {FORGED}"
preheader = "Preheader {BOTH} and enough words to be a preheader"
button_text = "Read {BOTH}"
"""
FRONT = f"""---
title: "Title {BOTH}"
emails: 1
subjects: ["Subject {FORGED}"]
preheaders: ["Preheader {BOTH} and enough words to be a preheader"]
---
"""
ARTICLES = {
    "md": FRONT + f"# Title {BOTH}\n\n{WORDS} {BOTH}\n\n[A link](https://example.com/{FORGED})"
                  f" and `{FORGED_UNSUB}`.\n\n## Heading {BOTH}\n\n{WORDS}\n",
    "txt": FRONT + f"Title {BOTH}\n\n{WORDS} {BOTH}\n\nHeading {BOTH}\n\n{WORDS}\n"
                   f"https://example.com/{FORGED}\n",
    "html": FRONT + f"<h1>Title {BOTH}</h1><p>{WORDS} {BOTH}</p>"
                    f'<p><a href="https://example.com/{FORGED}" title="{FORGED}">A link</a></p>'
                    f"<h2>Heading {BOTH}</h2><p>{WORDS}</p>",
}
CLEAN = "---\nemails: 1\n---\n# Clean\n\n" + WORDS + "\n\n## Heading\n\n" + WORDS + "\n"


def build(project: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["build", "--jobs", "1", "--no-check", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def active(html: str) -> list[str]:
    """Script elements and event-handler attributes in an HTML document."""
    found = []
    for el in lxml.html.document_fromstring(html).iter():
        if isinstance(el.tag, str) and el.tag.lower() == "script":
            found.append("<script>")
        found += [f"{el.tag} {name}" for name in el.attrib if str(name).lower().startswith("on")]
    return found


def unsubscribe_syntax(provider: str, settings: Settings) -> str:
    return dialect.dialect(provider, settings).render("unsubscribe_url", "", settings)[0]


def assert_inert(html: str, text: str, clean_html: str, provider: str, where: str) -> None:
    """No script or handler, the look-alikes still plain text, no extra unsubscribe tag."""
    assert active(html) == [], where
    assert "<script" not in html.lower() and "<script" not in text.lower(), where
    assert FORGED_UNSUB in html and FORGED_UNSUB in text, where  # not resolved: plain text
    assert FORGED in html, where
    tag = unsubscribe_syntax(provider, Settings(provider=provider))
    assert html.count(tag) == clean_html.count(tag), where


@pytest.mark.parametrize("provider", PROVIDERS)
def test_forged_tokens_in_articles_and_settings_stay_text(provider, project, monkeypatch):
    """.md, .txt and .html articles (body, links, headings, front matter) and the settings the
    theme shows (brand, sender, address, reason, call to action), for every provider."""
    monkeypatch.chdir(project)
    write(project / "dripmail.toml", TOML)
    for fmt, body in ARTICLES.items():
        write(project / "sequences" / f"forged-{fmt}.{fmt}", body)
    write(project / "sequences" / "clean.md", CLEAN)
    build(project, "--provider", provider)
    clean_html = next((project / "build" / "clean").glob("01-*.html")).read_text("utf-8")
    for fmt in ARTICLES:
        folder = project / "build" / f"forged-{fmt}"
        html = next(folder.glob("01-*.html")).read_text("utf-8")
        text = next(folder.glob("01-*.txt")).read_text("utf-8")
        assert_inert(html, text, clean_html, provider, f"{provider} {fmt}")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_forged_tokens_in_a_newsletter_stay_text(provider, project):
    """A digest: options (title, intro, subject, preheader, button), an excerpted article and a
    whole one, for every provider."""
    write(project / "dripmail.toml", TOML)
    one = write(project / "sequences" / "one.md",
                ARTICLES["md"].replace("emails: 1", "url: https://example.com/one"))
    two = write(project / "sequences" / "two.html", ARTICLES["html"])
    clean = write(project / "sequences" / "clean.md", CLEAN)
    issue = render_newsletter(project, [one, two], {"provider": provider}).sequence.emails[0]
    plain = render_newsletter(project, [clean], {"provider": provider, "title": "Clean",
                                                 "subject": "Clean"}).sequence.emails[0]
    assert_inert(issue.html, issue.text, plain.html, provider, provider)


def test_token_fallbacks_are_escaped_plain_text():
    """A theme's fallback cannot add markup, an attribute value or a line."""
    two_lines = dialect.token("first_name", "you\r\nBcc: x")
    in_text = f"<p>Hi {dialect.token('first_name', SCRIPT)} and {two_lines}</p>"
    in_attribute = f'<a title="{dialect.token("first_name", SCRIPT)}" href="#">x</a>'
    for provider in PROVIDERS:
        html = dialect.resolve(in_text + in_attribute, provider, Settings(), as_html=True,
                                 document=False)
        assert "<script" not in html and "=alert" not in html, provider
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
        assert [el.tag for el in tree.iter()] == ["div", "p", "a"], provider
        assert all(value == "" for name, value in tree[1].attrib.items()
                   if name not in ("title", "href")), provider
        text = dialect.resolve(in_text, provider, Settings(), as_html=False, document=False)
        assert "<script" not in text and "\n" not in text and "\r" not in text, provider


# --- the static index ------------------------------------------------------------------------

def sandbox_tokens(tag_html: str) -> set[str] | None:
    frame = lxml.html.fragment_fromstring(tag_html)
    value = frame.get("sandbox")
    return None if value is None else set(value.split())


def test_static_index_sandboxes_its_frames_as_the_preview_does(project, monkeypatch):
    monkeypatch.chdir(project)
    write(project / "sequences" / "clean.md", CLEAN)
    build(project)
    app = (Path(__file__).resolve().parents[1] / "dripmail" / "preview" / "app.html").read_text(
        "utf-8")
    preview = [sandbox_tokens(lxml.html.tostring(f, encoding="unicode"))
               for f in lxml.html.document_fromstring(app).iter("iframe")]
    assert preview and None not in preview
    frames = list(lxml.html.document_fromstring(
        (project / "build" / "index.html").read_text("utf-8")).iter("iframe"))
    assert frames
    for frame in frames:
        tokens = sandbox_tokens(lxml.html.tostring(frame, encoding="unicode"))
        assert tokens is not None, "an index frame without sandbox"
        assert not {"allow-scripts", "allow-same-origin"} <= tokens
        assert tokens in preview
        assert frame.get("referrerpolicy") == "no-referrer"


# --- dripmail check: active content ----------------------------------------------------------

@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img alt="" src="a.png" onerror="alert(1)">',
    '<p onclick="alert(1)">Click</p>',
    '<a href="&#106;ava&#x09;script&colon;alert(1)">Entity and tab</a>',
    '<a href=" JaVa\nScRiPt:alert(1)">Case and line break</a>',
    '<img alt="" src="&#x6A;avascript:alert(1)">',
])
def test_check_reports_active_content_as_an_error(payload, project, monkeypatch):
    monkeypatch.chdir(project)
    write(project / "sequences" / "clean.md", CLEAN)
    build(project)
    page = next((project / "build" / "clean").glob("01-*.html"))
    page.write_text(page.read_text("utf-8").replace("</body>", payload + "</body>"), "utf-8")
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [f for f in json.loads(result.output)["findings"] if f["rule"] == "active-content"]
    assert len(found) == 1 and found[0]["severity"] == "error", found


# --- header injection (S3) -------------------------------------------------------------------

INJECT = "=?utf-8?q?Hi=0D=0ABcc:_evil@attacker.example=0D=0AX-Injected:_1?="
# (no unsubscribe_url here, so no List-Unsubscribe-Post: a mailto cannot take RFC 8058's POST)
HEADERS = ["Subject", "From", "Date", "Message-ID", "List-Unsubscribe", "MIME-Version",
           "Content-Type", "Content-Language"]


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def assert_clean_headers(msg, expected: list[str]) -> None:
    """Exactly the expected headers, each once, none holding a line break."""
    assert sorted(msg.keys()) == sorted(expected), msg.keys()
    for name, value in msg.items():
        assert "\r" not in str(value) and "\n" not in str(value), (name, value)
    for part in msg.iter_parts():
        assert sorted(part.keys()) == ["Content-Transfer-Encoding", "Content-Type"] or \
            sorted(part.keys()) == ["Content-Transfer-Encoding", "Content-Type", "MIME-Version"]


def squeeze(text: str) -> str:
    return "".join(text.split())


def injection_project(project: Path) -> None:
    write(project / "dripmail.toml", f'postal_address = "1 Main Street"\n'
                                     f'sender_name = "{INJECT}"\n'
                                     'sender_email = "ana@example.org"\n')
    write(project / "sequences" / "by-subject.md",
          f'---\nemails: 1\nsubjects: ["{INJECT}"]\n---\n# Plain title\n\n{WORDS}\n')
    write(project / "sequences" / "by-title.md", f"---\nemails: 1\n---\n# {INJECT}\n\n{WORDS}\n")


@pytest.mark.parametrize("slug", ["by-subject", "by-title"])
def test_encoded_words_cannot_add_headers_to_eml(slug, project, monkeypatch):
    """A subject (front matter), a title that becomes the subject, and sender_name (settings):
    written so that they decode to exactly the text given, never to CR/LF."""
    monkeypatch.chdir(project)
    injection_project(project)
    build(project)
    msg = parse(next((project / "build" / slug).glob("*.eml")).read_bytes())
    assert_clean_headers(msg, HEADERS)
    assert msg["Subject"] == INJECT
    assert squeeze(msg["From"].addresses[0].display_name) == squeeze(INJECT)
    assert msg["From"].addresses[0].addr_spec == "ana@example.org"


@pytest.mark.slow
def test_encoded_words_cannot_add_headers_or_recipients_over_smtp(project, monkeypatch):
    monkeypatch.chdir(project)
    injection_project(project)
    inbox: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            inbox.append((list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        result = CliRunner().invoke(cli, ["send", "--to", "me@example.net", "--smtp-host",
                                          "127.0.0.1", "--smtp-port", str(port)])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert len(inbox) == 2
    for rcpt, raw in inbox:
        assert rcpt == ["me@example.net"]  # an injected Bcc would be a second recipient
        msg = parse(raw)
        assert_clean_headers(msg, [*HEADERS, "To"])
        assert msg["Subject"] == INJECT
        assert squeeze(msg["From"].addresses[0].display_name) == squeeze(INJECT)


BAD = "Hello\r\nBcc: evil@attacker.example"
SETTING_VALUES = {
    "sender_name": f'"{BAD}"', "sender_email": '"ana@example.org\\r\\nBcc: evil@x.example"',
    "reply_to": '"help@example.org\\nX-Injected: 1"', "subject_prefix": f'"{BAD}"',
    "unsubscribe_url": '"https://example.com/u\\r\\nBcc: evil@x.example"',
    "subjects": f'["{BAD}"]',
}


def error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1 and len(result.output.strip().splitlines()) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("key,where", [(key, where) for key in sorted(SETTING_VALUES)
                                       for where in ("dripmail.toml", "front matter")
                                       if (key, where) != ("subjects", "dripmail.toml")])
def test_line_breaks_in_header_settings_are_one_error_line(key, where, project, monkeypatch):
    """(`subjects` are per article: front matter only.)"""
    monkeypatch.chdir(project)
    value = SETTING_VALUES[key].replace("\r", "\\r").replace("\n", "\\n")
    article = project / "sequences" / "a.md"
    if where == "dripmail.toml":
        write(project / "dripmail.toml", f'postal_address = "1 Main Street"\n{key} = {value}\n')
        write(article, f"# Title\n\n{WORDS}\n")
        expected = f"Error: dripmail.toml:2: setting '{key}' must be one line"
    else:
        write(article, f"---\nemails: 1\n{key}: {value}\n---\n# Title\n\n{WORDS}\n")
        expected = f"Error: sequences/a.md:3: setting '{key}' must be one line"
    result = CliRunner().invoke(cli, ["build", "--jobs", "1"])
    assert error_line(result).startswith(expected), result.output
    assert not (project / "build" / "a").exists()


@pytest.mark.parametrize("key,value", [
    ("sender_email", "not an address"), ("sender_email", "<x@y.z>, Bcc: e@x.example"),
    ("reply_to", "a@example.org, b@example.org"), ("reply_to", "Help <help@example.org> junk"),
])
def test_header_addresses_that_are_no_address_are_one_error_line(key, value, project,
                                                                monkeypatch):
    monkeypatch.chdir(project)
    write(project / "dripmail.toml", f'postal_address = "1 Main Street"\n{key} = "{value}"\n')
    write(project / "sequences" / "a.md", f"# Title\n\n{WORDS}\n")
    line = error_line(CliRunner().invoke(cli, ["build", "--jobs", "1"]))
    assert line.startswith(f"Error: dripmail.toml:2: setting '{key}' must be an email address")


# --- fuzzing the header builder --------------------------------------------------------------

ANY = st.text(max_size=120)
# Text rich in what header code must survive: line breaks, controls, bidi and zero-width
# characters, quotes and specials, encoded-word pieces, non-ASCII.
NASTY = st.lists(st.one_of(
    st.sampled_from(list("\r\n\t\x00\x0b\x0c\x1b\x7f\x85\u2028\u2029\u202e\u2066\u200b\u200d"
                         "\ufeff\u061c\"'\\()<>@,;:.[]=?_ é“🙂")),
    st.sampled_from(["=?", "?=", "=?utf-8?q?", "=?utf-8?b?", "=0D=0A", "Bcc: x@y.z",
                     "=?utf-8?q?a=0D=0AX-Injected:_1?=", "\r\nX-Injected: 1"]),
    st.characters(codec="utf-8")), max_size=30).map("".join)
TEXT = st.one_of(ANY, NASTY)
DATE = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)


def eml_of(subject: str, settings: Settings) -> bytes:
    """The .eml of a one-email sequence; `dripmail send` delivers `build_message`, whose bytes
    must be the same."""
    mail = Email(position=1, total=1, day=0, slug="x", title="x", subject=subject,
                 preheader="p", html="<p>x</p>", text="x\n", words=1)
    fast = eml.message_bytes(mail, settings, date=DATE, message_id="<01-x.abc@example.org>",
                             boundary="dripmail-b")
    msg = eml.build_message(mail, settings, date=DATE, message_id="<01-x.abc@example.org>")
    msg.set_boundary("dripmail-b")
    assert fast == msg.as_bytes()
    return fast


# The expected cleaning, written out here: controls become spaces; bidi embeddings, overrides
# and isolates and zero-width spaces go; joiners (U+200C/D) and direction marks stay.
CONTROLS = {*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029}
INVISIBLE = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF}
CLEANING = {**dict.fromkeys(CONTROLS, " "), **dict.fromkeys(INVISIBLE)}


def one_line(text: str) -> str:
    return text.translate(CLEANING)


def clean_subject(raw: bytes, subject: str) -> None:
    msg = parse(raw)
    assert_clean_headers(msg, HEADERS)
    got = msg["Subject"]
    assert squeeze(got) == squeeze(one_line(subject)), (got, subject)


FUZZ = hsettings(max_examples=150, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(TEXT)
def test_fuzz_subjects(subject):
    """Any subject, given to the header builder as it is and as the planner makes it."""
    s = Settings(sender_email="ana@example.org", subjects=(subject,))
    clean_subject(eml_of(subject, s), subject)
    art = parse_article(Source(Path("a.md"), "md", "# T\n\n" + WORDS), s)
    planned = plan(art)[0].subject
    assert one_line(planned) == planned  # normalised up front
    clean_subject(eml_of(planned, s), planned)


@FUZZ
@given(TEXT, st.booleans())
def test_fuzz_titles(title, as_heading):
    """Any title (front matter, or the article's first heading) that becomes the subject."""
    s = Settings(sender_email="ana@example.org", title="" if as_heading else title)
    body = f"# {title}\n\n{WORDS}" if as_heading else WORDS
    art = parse_article(Source(Path("a.md"), "md", body), s)
    assert one_line(art.title) == art.title
    subject = plan(art)[0].subject
    clean_subject(eml_of(subject, s), subject)


@FUZZ
@given(TEXT, st.one_of(st.sampled_from(["", "help@example.org", "Help <help@example.org>"]),
                      TEXT))
@example("0" * 75 + ";", "")  # found by this test: quoted names the stdlib folded unquoted
@example("0" * 75 + ":", "")
def test_fuzz_sender_names_and_reply_to(name, reply_to):
    s = Settings(sender_name=name, sender_email="ana@example.org", reply_to=reply_to)
    msg = parse(eml_of("Subject", s))
    replying = "Reply-To" in msg.keys()
    assert_clean_headers(msg, HEADERS + (["Reply-To"] if replying else []))
    assert msg["From"].addresses[-1].addr_spec == "ana@example.org"
    assert squeeze(msg["From"].addresses[0].display_name) == squeeze(one_line(name))
    if replying:  # only a plain address makes it (the settings refuse anything else)
        assert re.fullmatch(r"[^@\s]+@[^@\s]+", msg["Reply-To"].addresses[0].addr_spec)
    if reply_to in ("help@example.org", "Help <help@example.org>"):
        assert msg["Reply-To"].addresses[0].addr_spec == "help@example.org"


@pytest.mark.parametrize("name", [
    "Ana, evil@attacker.example, " * 3 + "Ana",  # a long name that would read as addresses
    "Praxis am Lindenhof; Psychotherapie, Beratung und Coaching (Anna Berger, Dipl.-Psych.)",
    "Dr. Maya Ellis",  # short: quoted as it is
])
def test_a_sender_name_with_specials_stays_one_name(name):
    """A display name holding commas, semicolons or colons is one name in From however long
    it is (the stdlib drops a quoted name's quotes when it folds it; such names go in encoded
    words instead), and a short one is written as a quoted string a person can read."""
    s = Settings(sender_name=name, sender_email="ana@example.org",
                 reply_to=f"{name} <help@example.org>" if "@" not in name else "")
    raw = eml_of("Subject", s)
    msg = parse(raw)
    assert [a.addr_spec for a in msg["From"].addresses] == ["ana@example.org"]
    assert squeeze(msg["From"].addresses[0].display_name) == squeeze(name)
    if "Reply-To" in msg:
        assert [a.addr_spec for a in msg["Reply-To"].addresses] == ["help@example.org"]
    if len(name) < 30:
        assert f'From: "{name}" <ana@example.org>'.encode() in raw


def test_joiners_and_direction_marks_stay_in_subjects():
    """Persian words (ZWNJ), emoji sequences (ZWJ) and direction marks are real text."""
    from dripmail.safetext import one_line

    persian, family = "می\u200cخواهم", "👩\u200d👩\u200d👧"
    mixed = "שלום \u200fABC\u200e"
    for text in (persian, family, mixed):
        assert one_line(text) == text
    assert one_line("pay\u202epal\u2066x\u200b") == "paypalx"

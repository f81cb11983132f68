"""Send-ready output (issue 15): the .eml headers a spam filter and RFC 8058 expect, the W3C
niggles gone, and each provider's package and upload as its provider needs them: unique
Mailchimp names, local images in the Mailchimp zip, Brevo's sender, Kit's body and drafts,
Postmark's template limit, no POST sent twice."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_providers import Brevo, FakeServer, Kit, Postmark, Ses
from provider_samples import SETTINGS, make_sequence

from dripmail import providers
from dripmail.cli import cli
from dripmail.newsletter.issue import build_newsletter
from dripmail.pipeline.build import build
from dripmail.providers import base, brevo, kit, mailchimp, notices
from dripmail.providers.base import ProviderError
from dripmail.writing import eml
from tests.conftest import ROOT, write

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
DATE = eml.source_date(Path("/nonexistent"))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def eml_of(settings, position: int = 1) -> email.message.EmailMessage:
    mail = make_sequence("generic").emails[position - 1]
    values = {"date": DATE, "message_id": "<01-a.b@example.org>", "boundary": "dripmail-b"}
    fast = eml.message_bytes(mail, settings, **values)
    assert fast == eml.stdlib_bytes(mail, settings, **values)  # both writers agree
    return parse(fast)


# ---- .eml headers ----------------------------------------------------------------------------
@pytest.mark.parametrize("url, one_click", [
    ("https://example.org/unsubscribe", True), ("http://example.org/u", False), ("", False)])
def test_one_click_header_only_with_an_https_unsubscribe_link(url, one_click):
    msg = eml_of(dataclasses.replace(SETTINGS, unsubscribe_url=url))
    assert ("List-Unsubscribe-Post" in msg) is one_click
    assert msg["List-Unsubscribe"].endswith("<mailto:ana@example.org?subject=unsubscribe>")
    if one_click:
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg["List-Unsubscribe"].startswith("<https://")


@pytest.mark.parametrize("language", ["en", "de", "pt-BR", "ar"])
def test_content_language_is_kept(language):
    msg = eml_of(dataclasses.replace(SETTINGS, language=language))
    assert msg["Content-Language"] == language
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]


def test_sent_messages_carry_the_same_headers():
    mail = make_sequence("generic").emails[0]
    msg = eml.build_message(mail, dataclasses.replace(SETTINGS, language="fr"), to="a@b.example")
    assert msg["Content-Language"] == "fr" and msg["To"] == "a@b.example"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_newsletters_write_eml_single_and_digest(example, tmp_path):
    second = write(example / "posts" / "second.md",
                   "# Second post\n\n" + "Words that make a real paragraph here. " * 30 + "\n")
    seed = example / "sequences" / "when-your-partner-isnt-ready.txt"
    for paths, out in (([seed], "one"), ([seed, second], "two")):
        result = build_newsletter(example, paths, {"title": out}, tmp_path / out)
        seq = result.sequences[0]
        emls = list((tmp_path / out / seq.slug).glob("*.eml"))
        assert [p.stem for p in emls] == [seq.emails[0].stem]
        msg = parse(emls[0].read_bytes())
        assert msg["Subject"] == seq.emails[0].subject and msg["Content-Language"] == "en"
        assert "Hi {{ first_name | default: \"there\" }}," in msg.get_body(("plain",)).get_content()


# ---- W3C niggles -----------------------------------------------------------------------------
def test_no_bgcolor_on_paragraphs_and_the_apple_meta_has_content():
    folder = ROOT / "tests" / "golden" / "example" / "when-your-partner-isnt-ready"
    pages = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))]
    assert any('class="recap"' in p for p in pages) and any('class="teaser"' in p for p in pages)
    for page in pages:
        assert not re.search(r"<(p|div|span|h\d)\b[^>]*\bbgcolor=", page)
        assert '<meta name="x-apple-disable-message-reformatting" content="">' in page
        assert "transparent" not in page  # the hidden preheader needs no invisible colour


# ---- build warnings --------------------------------------------------------------------------
@pytest.mark.parametrize("url, warned", [
    ("", "no unsubscribe_url is set"), ("http://example.com/u", "not https"),
    ("https://example.com/u", None)])
def test_generic_build_warns_without_an_https_unsubscribe_url(example, tmp_path, url, warned):
    result = build(example, out_dir=tmp_path / "out", overrides={"unsubscribe_url": url})
    found = [w for w in result.warnings if "unsubscribe_url" in w]
    assert found == [] if warned is None else (len(found) == 1 and warned in found[0])


def test_the_unsubscribe_warning_is_printed_once_per_build(project, tmp_path, monkeypatch):
    for name in ("one", "two"):
        write(project / "sequences" / f"{name}.md", f"# {name}\n\n" + "Some words here. " * 40)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert result.output.count("no unsubscribe_url is set") == 1


def test_a_provider_build_does_not_warn_about_unsubscribe_url(example, tmp_path):
    result = build(example, out_dir=tmp_path / "out", overrides={"provider": "kit"})
    assert not [w for w in result.warnings if "unsubscribe_url" in w]


# ---- Mailchimp: names, images ----------------------------------------------------------------
def test_mailchimp_names_are_unique_across_long_slugs_and_stable():
    prefix = "when-your-partner-isnt-ready-for-couple-therapy-what-"
    one = make_sequence("mailchimp", slug=prefix + "you-can-do")
    two = make_sequence("mailchimp", slug=prefix + "to-say")
    names = [mailchimp.payload(s, e)["name"] for s in (one, two) for e in s.emails]
    assert len(set(names)) == len(names) == 6
    assert all(len(n) <= 50 for n in names) and names[0].endswith("-01")
    assert names == [mailchimp.payload(s, e)["name"] for s in (one, two) for e in s.emails]
    short = make_sequence("mailchimp", slug="calm-talks")
    assert base.template_name(short, short.emails[1], 50) == "calm-talks-02"  # unchanged


def _with_images(tmp_path: Path, provider: str, srcs: list[str]):
    seq = make_sequence(provider)
    first = seq.emails[0]
    imgs = "".join(f'<img src="{s}" alt="">' for s in srcs)
    first = dataclasses.replace(first, html=first.html.replace("</body>", imgs + "</body>"))
    return dataclasses.replace(seq, source=tmp_path / "posts" / "post.md",
                               emails=(first, *seq.emails[1:]))


def test_mailchimp_zip_bundles_local_images_and_names_the_missing(tmp_path):
    write(tmp_path / "posts" / "img" / "boat.png", PNG)
    write(tmp_path / "posts" / "other" / "boat.png", PNG + b"different")
    write(tmp_path / "posts" / "notes.png", b"not an image")
    seq = _with_images(tmp_path, "mailchimp", [
        "img/boat.png", "other/boat.png", "missing.png", "notes.png", "/site/logo.png",
        "https://cdn.example.com/x.png"])
    files = mailchimp.package(seq)
    with zipfile.ZipFile(io.BytesIO(files[0].data)) as zf:
        names = sorted(zf.namelist())
        page = zf.read("01-part-1.html").decode()
        assert zf.read("images/boat.png") == PNG
    assert names[0] == "01-part-1.html" and len(names) == 3  # two distinct boat.png files
    assert 'src="images/boat.png"' in page and 'src="https://cdn.example.com/x.png"' in page
    other = next(n for n in names if n.startswith("images/boat-"))
    assert f'src="{other}"' in page
    assert 'src="missing.png"' in page and 'src="/site/logo.png"' in page
    warned = notices.build_warnings(seq)
    assert any("'/site/logo.png'" in w and "base_url" in w for w in warned)
    assert any("'missing.png', 'notes.png'" in w and "Mailchimp zip" in w for w in warned)
    assert not any("boat" in w for w in warned)
    assert mailchimp.package(seq)[0].data == files[0].data  # the same bytes each build


def test_other_providers_warn_about_local_images(tmp_path):
    write(tmp_path / "posts" / "img" / "boat.png", PNG)
    seq = _with_images(tmp_path, "postmark", ["img/boat.png", "/logo.png"])
    warned = notices.build_warnings(seq)
    assert any("'img/boat.png'" in w and "relative" in w for w in warned)
    assert any("'/logo.png'" in w and "site-relative" in w for w in warned)


def test_mailchimp_build_writes_the_images_into_the_zip(example, tmp_path):
    write(example / "sequences" / "pics.md",
          "# Pictures\n\n![A boat](img/boat.png)\n\n" + "Words to read here. " * 40 + "\n")
    write(example / "sequences" / "img" / "boat.png", PNG)
    result = build(example, [example / "sequences" / "pics.md"], tmp_path / "out",
                   {"provider": "mailchimp", "base_url": ""})
    assert not [w for w in result.warnings if "image" in w]
    with zipfile.ZipFile(next((tmp_path / "out" / "pics" / "mailchimp").glob("01-*.zip"))) as zf:
        assert "images/boat.png" in zf.namelist()


# ---- Brevo's sender --------------------------------------------------------------------------
def test_brevo_refuses_the_placeholder_sender_before_sending(tmp_path):
    seq = make_sequence("brevo", settings=dataclasses.replace(SETTINGS,
                                                              sender_email="hello@example.com"))
    app = Brevo()
    with FakeServer(app) as server:
        for dry_run in (True, False):
            with pytest.raises(ProviderError, match=r"sender_email is 'hello@example\.com', a "
                               "placeholder; Brevo sends only from a sender verified"):
                brevo.upload(seq, api_url=server.url + "/v3", dry_run=dry_run,
                             env={"BREVO_API_KEY": "xkeysib-test"})
        assert server.log == []
    assert any("placeholder" in w for w in notices.build_warnings(seq))
    assert not brevo.warnings(make_sequence("brevo"))


def test_cli_brevo_placeholder_is_one_error_line(project, monkeypatch):
    write(project / "sequences" / "a.md", "# A\n\n" + "Some words here. " * 40)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["upload", "--provider", "brevo"],
                                env={"BREVO_API_KEY": "k"})
    assert result.exit_code == 1
    errors = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and "sequences/a.md: brevo: sender_email" in errors[0]
    assert "Traceback" not in result.output


# ---- Kit: body content, drafts, --publish ----------------------------------------------------
def test_kit_content_is_the_body_not_a_document():
    html = make_sequence("kit").emails[0].html
    body = kit.content(html)
    assert "<html" not in body and "<head" not in body and "<body" not in body
    assert "<style" not in body and "<!DOCTYPE" not in body
    assert "{{ unsubscribe_url }}" in body and "{{ address }}" in body
    assert body.strip() in html


def test_kit_content_of_the_example_drops_the_hidden_preheader(example):
    from dripmail.pipeline.project import render_project

    seq = render_project(example, (), {"provider": "kit"}).sequences[0]
    body = kit.content(seq.emails[0].html)
    assert 'class="preheader"' in seq.emails[0].html and 'class="preheader"' not in body
    assert body.lstrip().startswith("<div role=\"article\"")


@pytest.mark.parametrize("publish", [False, True])
def test_kit_upload_drafts_or_publishes_and_says_so(publish):
    app = Kit()
    with FakeServer(app) as server:
        lines = kit.upload(make_sequence("kit"), api_url=server.url + "/v4",
                           env={"KIT_API_KEY": "kit_test_key"}, publish=publish)
    assert [e["published"] for e in app.emails.values()] == [publish] * 3
    assert all("<html" not in e["content"] for e in app.emails.values())
    assert ("are drafts" in lines[-1]) is not publish
    assert ("--publish" in lines[-1]) is not publish


def test_cli_publish_is_for_kit_only(example, monkeypatch):
    monkeypatch.chdir(example)
    result = CliRunner().invoke(cli, ["upload", "--provider", "postmark", "--publish",
                                      "--dry-run"])
    assert result.exit_code == 1 and "--publish works with kit only" in result.output
    dry = CliRunner().invoke(cli, ["upload", "--provider", "kit", "--dry-run"])
    assert dry.exit_code == 0 and "would leave the emails as drafts" in dry.output


# ---- Postmark's template limit ---------------------------------------------------------------
def test_postmark_limit_is_checked_before_anything_is_sent():
    app = Postmark()
    for i in range(98):
        app.templates[i] = {"TemplateId": i, "Name": f"t{i}", "Alias": f"other-{i}",
                            "TemplateType": "Standard", "Active": True}
    with FakeServer(app) as server:
        with pytest.raises(ProviderError, match="holds 98 templates and this upload would add "
                           "3; Postmark allows 100 per server, so nothing was sent"):
            providers.get("postmark").upload(make_sequence("postmark"), api_url=server.url,
                                             env={"POSTMARK_SERVER_TOKEN": "pm-token"})
        assert server.calls("POST") == [] and server.calls("PUT") == []
        app.templates.pop(0)
        app.templates.pop(1)  # 96 + 3 new: fits; a second run only updates
        providers.get("postmark").upload(make_sequence("postmark"), api_url=server.url,
                                         env={"POSTMARK_SERVER_TOKEN": "pm-token"})
        assert len(app.templates) == 99


# ---- SES: a create whose answer was lost is not duplicated ----------------------------------
def test_ses_create_answered_500_after_it_took_effect_updates_instead():
    app = Ses()
    env = {"AWS_ACCESS_KEY_ID": "AKIDTESTKEY", "AWS_SECRET_ACCESS_KEY": "secret-xyz",
           "AWS_REGION": "eu-west-1"}
    with FakeServer(app) as server:
        server.answer_after(500, {"message": "Internal"}, {"x-amzn-ErrorType": "InternalFailure"},
                            method="POST")
        lines = providers.get("ses").upload(make_sequence("ses"), api_url=server.url, env=env,
                                            sleep=lambda s: None)
    assert sorted(app.templates) == ["calm-talks-01", "calm-talks-02", "calm-talks-03"]
    assert lines[0].startswith("updated") and sum(line.startswith("created") for line in
                                                  lines) == 2


def test_package_payloads_name_kit_drafts(tmp_path):
    data = kit.sequence_payload(make_sequence("kit"))
    assert [e["published"] for e in data["emails"]] == [False] * 3
    assert json.dumps(data)  # JSON-ready

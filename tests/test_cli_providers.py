"""`dripmail build --provider`, `dripmail upload` and `dripmail send`, as a user runs them."""

from __future__ import annotations

import csv
import email
import email.policy
import json
import re
import zipfile

import pytest
from aiosmtpd.controller import Controller
from fake_providers import FakeServer, Postmark
from test_send import Inbox, free_port

from dripmail.cli import cli

pytestmark = pytest.mark.slow
SLUG = "when-your-partner-isnt-ready"


@pytest.fixture
def in_example(example, monkeypatch):
    monkeypatch.chdir(example)
    return example


def test_build_mailchimp_gives_importable_zips(runner, in_example):
    result = runner.invoke(cli, ["build", "--provider", "mailchimp"])
    assert result.exit_code == 0, result.output
    folder = in_example / "build" / SLUG
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    zips = sorted((folder / "mailchimp").glob("*.zip"))
    assert len(zips) == len(manifest["emails"]) >= 3
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            (name,) = zf.namelist()
            page = zf.read(name).decode("utf-8")
        assert name.endswith(".html")
        assert 'href="*|UNSUB|*"' in page and "*|HTML:LIST_ADDRESS_HTML|*" in page
        assert "{{" not in page and "zzdm" not in page
    text = (folder / manifest["emails"][0]["text"]).read_text(encoding="utf-8")
    assert "*|UNSUB|*" in text
    with open(folder / "schedule.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["subject"] for r in rows] == [e["subject"] for e in manifest["emails"]]
    assert all(r["file"].startswith("mailchimp/") for r in rows)
    assert len(list(folder.glob("*.eml"))) == len(zips)


def test_build_postmark_gives_a_postmark_cli_folder(runner, in_example):
    assert runner.invoke(cli, ["build", "--provider", "postmark"]).exit_code == 0
    root = in_example / "build" / SLUG / "postmark"
    folders = sorted(p for p in root.iterdir())
    assert folders and all(sorted(f.name for f in d.iterdir()) ==
                           ["content.html", "content.txt", "meta.json"] for d in folders)
    meta = json.loads((folders[0] / "meta.json").read_text(encoding="utf-8"))
    assert meta["Alias"] == folders[0].name == f"{SLUG}-01"
    assert set(meta) == {"Name", "Alias", "Subject", "TemplateType"}
    assert "{{{ pm:unsubscribe }}}" in (folders[0] / "content.txt").read_text(encoding="utf-8")


def test_upload_postmark_creates_then_updates(runner, in_example):
    app = Postmark()
    with FakeServer(app) as server:
        args = ["upload", "--provider", "postmark", "--api-url", server.url]
        env = {"POSTMARK_SERVER_TOKEN": "pm-token"}
        first = runner.invoke(cli, args, env=env)
        assert first.exit_code == 0, first.output
        count = len(app.templates)
        assert count >= 3 and first.output.count("created template") == count
        second = runner.invoke(cli, [*args, SLUG], env=env)
        assert second.exit_code == 0, second.output
        assert second.output.count("updated template") == count
        assert "created" not in second.output
        assert len(app.templates) == count
        assert "pm-token" not in first.output + second.output


def test_upload_by_article_path(runner, in_example):
    with FakeServer(Postmark()) as server:
        result = runner.invoke(cli, ["upload", f"sequences/{SLUG}.txt", "--provider",
                                     "postmark", "--api-url", server.url],
                               env={"POSTMARK_SERVER_TOKEN": "pm-token"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{SLUG} -> postmark:")


def test_upload_dry_run_sends_nothing(runner, in_example):
    with FakeServer(Postmark()) as server:
        result = runner.invoke(cli, ["upload", "--provider", "postmark", "--dry-run",
                                     "--api-url", server.url], env={"POSTMARK_SERVER_TOKEN": ""})
        assert server.log == []
    assert result.exit_code == 0, result.output
    assert "would create or update template" in result.output
    assert result.output.rstrip().endswith("Dry run: nothing was sent.")


def test_upload_errors(runner, in_example):
    missing = runner.invoke(cli, ["upload", "--provider", "postmark"],
                            env={"POSTMARK_SERVER_TOKEN": ""})
    assert missing.exit_code == 1
    assert missing.output == ("Error: postmark: set the POSTMARK_SERVER_TOKEN environment "
                              "variable (credentials are read only from the environment)\n")
    with FakeServer(Postmark()) as server:
        wrong = runner.invoke(cli, ["upload", "--provider", "postmark", "--api-url",
                                    server.url], env={"POSTMARK_SERVER_TOKEN": "nope"})
    assert wrong.exit_code == 1
    assert wrong.output.count("\n") == 1 and "401" in wrong.output
    assert '"Request does not contain a valid Server token."' in wrong.output
    unknown = runner.invoke(cli, ["upload", "nope", "--provider", "postmark", "--dry-run"])
    assert unknown.exit_code == 1 and f"(sequences: {SLUG})" in unknown.output
    bad = runner.invoke(cli, ["upload", "--provider", "sendgrid"])
    assert bad.exit_code == 2 and "'sendgrid' is not one of" in bad.output


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_send_delivers_the_example(runner, in_example, smtp):
    inbox, port = smtp
    result = runner.invoke(cli, ["send", "--to", "me@example.net", "--smtp-host", "127.0.0.1",
                                 "--smtp-port", str(port)])
    assert result.exit_code == 0, result.output
    build = runner.invoke(cli, ["build"])
    assert build.exit_code == 0
    manifest = json.loads((in_example / "build" / SLUG / "manifest.json").read_text("utf-8"))
    manifest_subjects = [e["subject"] for e in manifest["emails"]]
    got = [email.message_from_bytes(m[2], policy=email.policy.default) for m in inbox.messages]
    assert [m["Subject"] for m in got] == manifest_subjects
    assert all(m["To"] == "me@example.net" for m in got)
    assert result.output.rstrip().endswith(f"Sent {len(got)} email(s) to me@example.net.")


def test_send_one_email_with_host_and_port_from_environment(runner, in_example, smtp):
    inbox, port = smtp
    result = runner.invoke(cli, ["send", SLUG, "--to", "me@example.net", "--email", "2"],
                           env={"DRIPMAIL_SMTP_HOST": "127.0.0.1",
                                "DRIPMAIL_SMTP_PORT": str(port)})
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 1
    assert result.stdout.startswith("sent email 2/")


def test_send_errors(runner, in_example):
    port = free_port()
    refused = runner.invoke(cli, ["send", "--to", "me@example.net", "--smtp-host", "127.0.0.1",
                                  "--smtp-port", str(port)])
    assert refused.exit_code == 1
    assert refused.output == (f"Error: cannot connect to SMTP server 127.0.0.1:{port}: "
                              "connection refused\n")
    both = runner.invoke(cli, ["send", "--to", "me@example.net", "--starttls", "--ssl"])
    assert both.exit_code == 2 and "choose one of --starttls and --ssl" in both.output
    no_pw = runner.invoke(cli, ["send", "--to", "me@example.net", "--smtp-user", "ana"],
                          env={"DRIPMAIL_SMTP_PASSWORD": ""})
    assert no_pw.exit_code == 1 and "DRIPMAIL_SMTP_PASSWORD" in no_pw.output
    too_far = runner.invoke(cli, ["send", "--to", "me@example.net", "--email", "99",
                                  "--smtp-port", str(port)])
    assert too_far.exit_code == 1 and "--email 99" in too_far.output
    bad_to = runner.invoke(cli, ["send", "--to", "nobody"])
    assert bad_to.exit_code == 2 and "'nobody' is not an email address" in bad_to.output


@pytest.mark.parametrize("provider", ["mailchimp", "kit", "mailerlite", "brevo", "ses",
                                      "postmark", "sendgrid", "mailgun"])
def test_the_example_carries_only_its_providers_tags(provider, example):
    """The real theme and seed, rendered per provider: mandatory tags in, no foreign syntax."""
    from test_providers import MARKS

    from dripmail.pipeline.project import render_project
    from dripmail.providers import dialect

    (seq,) = render_project(example, (), {"provider": provider}).sequences
    d = dialect.dialect(provider, seq.settings)
    for e in seq.emails:
        assert "zzdm" not in e.html + e.text
        assert not dialect.missing_required(e.html, d, seq.settings, as_html=True)
        assert not dialect.missing_required(e.text, d, seq.settings, as_html=False)
        unsubscribe = d.render("unsubscribe_url", "", seq.settings)[0]
        assert f'href="{unsubscribe}"' in e.html and unsubscribe in e.text
        assert "color:#6b7280;text-align:center" not in e.html  # the theme had them all
        for other, marks in MARKS.items():
            if other != provider:
                for mark in marks:
                    assert not re.search(mark, e.html + e.text), (e.stem, other, mark)

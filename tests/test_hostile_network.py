"""Provider APIs and SMTP servers that misbehave (issue 11: S4, D3, D5-D7, item 4, 7, 8).

Every server runs on 127.0.0.1 and speaks the provider's documented API (tests/fake_providers.py)
or real SMTP (aiosmtpd); each test plays one hostile case. No test sleeps: waits go through an
injected sleep and clock, and timeouts are a fraction of a second.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from aiosmtpd.controller import Controller
from fake_providers import (
    Brevo,
    EndlessKit,
    EndlessPostmark,
    FakeServer,
    Kit,
    Mailchimp,
    Postmark,
    Ses,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from provider_samples import make_sequence
from test_send import Inbox, free_port

from dripmail import providers
from dripmail.cli import cli
from dripmail.delivery.smtp import SendError, Smtp, send
from dripmail.providers.base import ProviderError

pytestmark = pytest.mark.slow
SLUG = "when-your-partner-isnt-ready"

# provider: (fake app, env with the right credentials, api path prefix, credential sent)
CASES = {
    "postmark": (Postmark, {"POSTMARK_SERVER_TOKEN": "pm-token"}, "", "pm-token"),
    "brevo": (Brevo, {"BREVO_API_KEY": "xkeysib-test"}, "/v3", "xkeysib-test"),
    "kit": (Kit, {"KIT_API_KEY": "kit_test_key"}, "/v4", "kit_test_key"),
    "mailchimp": (Mailchimp, {"MAILCHIMP_API_KEY": "0123456789abcdef-us21"}, "/3.0",
                  "Basic "),
}
HTTP = list(CASES)
# The path each provider creates things at (Kit: the sequence first).
CREATE = {"postmark": "/templates", "brevo": "/v3/smtp/templates", "kit": "/v4/sequences",
          "mailchimp": "/3.0/templates"}
SES_ENV = {"AWS_ACCESS_KEY_ID": "AKIDTESTKEY", "AWS_SECRET_ACCESS_KEY": "secret-xyz",
           "AWS_REGION": "eu-west-1"}


def upload(provider: str, server: FakeServer, sleeps: list[float] | None = None, **kwargs):
    """Upload the sample sequence to `server` as `provider` with an injected sleep."""
    _app, env, prefix, _secret = CASES.get(provider, (None, SES_ENV, "", ""))
    if "pacing" not in kwargs:
        kwargs["sleep"] = ([] if sleeps is None else sleeps).append
    return providers.get(provider).upload(make_sequence(provider), api_url=server.url + prefix,
                                          env=env, **kwargs)


def pacing(**kwargs):
    """A Pacing for tests: no real sleeps, nothing printed."""
    from dripmail.providers.pacing import Pacing

    return Pacing(**{"sleep": lambda s: None, **kwargs})


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = exc.value.format_message()
    assert "\n" not in message and "Traceback" not in message
    return message


def remote_names(provider: str, app) -> list[str]:
    """Every remote object's name, duplicates kept."""
    if provider == "postmark":
        return [t["Alias"] for t in app.templates.values()]
    if provider == "brevo":
        return [t["templateName"] for t in app.templates.values()]
    if provider == "mailchimp":
        return [t["name"] for t in app.templates.values()]
    return ([s["name"] for s in app.sequences.values()] +
            [f"{e['sequence_id']}/{e['subject']}" for e in app.emails.values()])


# ---- S4: credentials and redirects -----------------------------------------------------------
@pytest.mark.parametrize("provider", HTTP)
def test_redirect_to_another_host_is_refused_and_the_credential_never_reaches_it(provider):
    app_cls, _env, prefix, secret = CASES[provider]
    with FakeServer(app_cls()) as server, FakeServer(app_cls()) as other:
        server.inject(307, None, {"Location": other.url + prefix + "/stolen"})
        with pytest.raises(ProviderError) as info:
            upload(provider, server)
    message = one_line(info)
    assert other.log == []  # not followed at all, so no credential went there
    assert "307" in message and "another host" in message
    assert f"127.0.0.1:{other.url.rsplit(':', 1)[1]}" in message
    assert secret not in message


def test_same_host_redirect_is_followed_with_the_credential():
    # A guard, not a hostile case: it passes on the original code too.
    app = Postmark()
    with FakeServer(app) as server:
        server.inject(308, None, {"Location": server.url + "/templates?Count=500&Offset=0"})
        upload("postmark", server)
    assert [e["headers"].get("X-Postmark-Server-Token") for e in server.log[:2]] == [
        "pm-token", "pm-token"]
    assert server.log[1]["query"] == {"Count": "500", "Offset": "0"}
    assert len(app.templates) == 3


def test_ses_redirect_is_not_followed_and_reported():
    # botocore signs each request for the endpoint and never follows redirects.
    with FakeServer(Ses()) as server, FakeServer(Ses()) as other:
        server.inject(307, None, {"Location": other.url + "/v2/email/templates"})
        with pytest.raises(ProviderError) as info:
            upload("ses", server)
    message = one_line(info)
    assert other.log == []
    assert "307 redirecting to" in message and "not followed" in message
    assert "secret-xyz" not in message


# ---- D3: answers are validated -------------------------------------------------------------
@pytest.mark.parametrize("provider", HTTP)
def test_html_page_with_200_is_not_taken_for_success(provider):
    app_cls = CASES[provider][0]
    with FakeServer(app_cls()) as server:
        server.inject(200, "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>",
                      {"Content-Type": "text/html"}, method="POST")
        with pytest.raises(ProviderError) as info:
            upload(provider, server)
        paths = [path for _m, path in server.calls()]
    message = one_line(info)
    assert f"POST {CREATE[provider].removeprefix(CASES[provider][2])} answered 200 with " \
           "text/html, not JSON" in message
    assert "Welcome to nginx!" in message
    assert not any("None" in path for path in paths)  # Kit: never /sequences/None/emails


@pytest.mark.parametrize("body", ['{"TemplateId": 10', '{"TemplateId": 10, "Name": "x"}garbage'])
def test_truncated_or_broken_json_is_an_error(body):
    with FakeServer(Postmark()) as server:
        server.inject(200, body, {"Content-Type": "application/json; charset=utf-8"},
                      method="POST")
        with pytest.raises(ProviderError) as info:
            upload("postmark", server)
    assert "answered 200 with JSON that does not parse" in one_line(info)


@pytest.mark.parametrize("provider, listing, created, wanted", [
    ("postmark", {"TotalCount": 0, "Templates": []}, {"TemplateId": "12/../../x"},
     'a number at "TemplateId"'),
    ("postmark", {"TotalCount": 0, "Templates": []}, [1, 2, 3], 'a number at "TemplateId"'),
    ("postmark", {"TotalCount": 1, "Templates": "many"}, None, 'a list at "Templates"'),
    ("postmark", {"TotalCount": 1, "Templates": [{"Alias": 7}]}, None, "items with TemplateId"),
    ("brevo", {"count": "1", "templates": []}, None, 'a number at "count"'),
    ("mailchimp", {"total_items": 1, "templates": [None]}, None, "items with id"),
    ("kit", {"sequences": [], "pagination": {"has_next_page": False}},
     {"sequence": {"id": None}}, 'a number at "sequence.id"'),
    ("kit", {"sequences": {"id": 1}, "pagination": {}}, None, 'a list at "sequences"'),
])
def test_json_of_the_wrong_shape_is_one_clear_error(provider, listing, created, wanted):
    app_cls = CASES[provider][0]
    with FakeServer(app_cls()) as server:
        server.inject(200, listing, method="GET")
        if created is not None:
            server.inject(201, created, method="POST")
        with pytest.raises(ProviderError) as info:
            upload(provider, server)
        paths = [path for _m, path in server.calls()]
    message = one_line(info)
    assert f"{provider}: " in message and "answered JSON without" in message
    assert wanted in message
    assert not any("None" in path for path in paths)


def test_cli_garbage_answer_is_one_line_and_exit_1(runner, example, monkeypatch):
    monkeypatch.chdir(example)
    with FakeServer(Postmark()) as server:
        server.inject(200, "<html>maintenance</html>", {"Content-Type": "text/html"},
                      method="POST")
        result = runner.invoke(cli, ["upload", "--provider", "postmark", "--api-url",
                                     server.url], env={"POSTMARK_SERVER_TOKEN": "pm-token"})
    assert result.exit_code == 1
    assert result.output.startswith("Error: postmark: email 1 (")
    assert "POST /templates answered 200 with text/html, not JSON" in result.output
    assert result.output.count("\n") == 1 and "(id None)" not in result.output


def test_ses_html_page_with_200_is_not_taken_for_success():
    with FakeServer(Ses()) as server:
        server.inject(200, "<html>login portal</html>", {"Content-Type": "text/html"})
        with pytest.raises(ProviderError) as info:
            upload("ses", server)
    assert "CreateEmailTemplate answered 200 with text/html, not JSON" in one_line(info)


# ---- POSTs are not retried blindly --------------------------------------------------------
@pytest.mark.parametrize("provider", HTTP)
def test_5xx_after_a_post_that_took_effect_makes_no_duplicate(provider):
    app = CASES[provider][0]()
    with FakeServer(app) as server:
        server.answer_after(500, {"message": "Internal error"}, method="POST")
        sleeps: list[float] = []
        lines = upload(provider, server, sleeps)
        posts = server.calls("POST")
    names = remote_names(provider, app)
    assert len(names) == len(set(names)) == (4 if provider == "kit" else 3), names
    assert len(posts) == len(names)  # the failed POST was looked up, not sent again
    assert sleeps == []
    assert sum("created" in line for line in lines) == len(names)


def test_5xx_after_a_post_that_did_not_take_effect_is_looked_up_then_sent_again():
    app = Brevo()
    with FakeServer(app) as server:
        server.inject(503, {"code": "internal_error", "message": "try later"}, method="POST")
        sleeps: list[float] = []
        upload("brevo", server, sleeps)
        calls = server.calls()
    assert calls[:4] == [("GET", "/v3/smtp/templates"), ("POST", "/v3/smtp/templates"),
                         ("GET", "/v3/smtp/templates"), ("POST", "/v3/smtp/templates")]
    assert sorted(t["templateName"] for t in app.templates.values()) == [
        "calm-talks-01", "calm-talks-02", "calm-talks-03"]
    assert sleeps == [1.0]


def test_read_timeout_on_a_post_that_took_effect_makes_no_duplicate():
    app = Postmark()
    notes: list[str] = []
    with FakeServer(app) as server:
        server.hang(after_handling=True, method="POST")  # stored, never answered
        upload("postmark", server, pacing=pacing(read_timeout=0.3, notify=notes.append))
        posts = server.calls("POST")
    assert len(posts) == 3 and len(app.templates) == 3
    assert any("no clear answer, but it was created; not sending it again" in n for n in notes)


# ---- waits: bounded, announced, within a time limit ----------------------------------------
def test_huge_retry_after_fails_at_once_saying_when_to_retry():
    with FakeServer(Postmark()) as server:
        server.inject(429, {"Message": "slow down"}, {"Retry-After": "3600"})
        sleeps: list[float] = []
        with pytest.raises(ProviderError) as info:
            upload("postmark", server, sleeps)
    message = one_line(info)
    assert sleeps == []
    assert "answered 429 asking to wait 3600 s, longer than dripmail waits (60 s)" in message
    assert "try again after " in message and " UTC" in message


@pytest.mark.parametrize("value", ["soon-ish", "-5", "nan", "inf", "Thu, 99 Foo 20x"])
def test_garbage_retry_after_falls_back_to_the_default_backoff(value):
    app = Postmark()
    with FakeServer(app) as server:
        server.inject(429, {"Message": "slow down"}, {"Retry-After": value})
        sleeps: list[float] = []
        upload("postmark", server, sleeps)
    assert sleeps == [1.0] and len(app.templates) == 3


def test_cli_announces_each_wait_on_stderr(runner, example, monkeypatch):
    monkeypatch.chdir(example)
    with FakeServer(Postmark()) as server:
        server.inject(429, {"Message": "slow down"}, {"Retry-After": "0.05"})
        server.inject(503, {"Message": "busy"}, {"Retry-After": "0.05"})
        result = runner.invoke(cli, ["upload", "--provider", "postmark", "--api-url",
                                     server.url], env={"POSTMARK_SERVER_TOKEN": "pm-token"})
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "postmark: waiting 0.1 s: the provider asked us to slow down",
        "postmark: waiting 0.1 s: the provider answered 503"]
    assert "waiting" not in result.stdout


def test_whole_upload_has_a_time_limit():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with FakeServer(Postmark()) as server:
        for _ in range(3):
            server.inject(429, {"Message": "slow down"}, {"Retry-After": "40"})
        with pytest.raises(ProviderError) as info:
            upload("postmark", server, pacing=pacing(clock=lambda: now[0], sleep=sleep,
                                                     time_limit=100))
    message = one_line(info)
    assert now[0] == 80.0  # two waits of 40 s; a third would pass the 100 s limit
    assert "would pass the time limit: the whole upload may take at most 100 s" in message
    assert "--time-limit" in message


def test_cli_time_limit_option(runner, example, monkeypatch):
    monkeypatch.chdir(example)
    with FakeServer(Postmark()) as server:
        server.inject(429, {"Message": "slow down"}, {"Retry-After": "30"})
        result = runner.invoke(cli, ["upload", "--provider", "postmark", "--api-url",
                                     server.url, "--time-limit", "5"],
                               env={"POSTMARK_SERVER_TOKEN": "pm-token"})
    assert result.exit_code == 1
    assert "the whole upload may take at most 5 s" in result.output


def test_server_that_never_answers_gives_an_error_after_two_short_timeouts():
    from dripmail.providers.pacing import Pacing

    defaults = Pacing()
    # the worst case per request: `timeouts` read timeouts and the backoff between them
    assert defaults.connect_timeout <= 10 and defaults.read_timeout * defaults.timeouts <= 45
    with FakeServer(Postmark()) as server:
        server.hang()
        server.hang()
        sleeps: list[float] = []
        with pytest.raises(ProviderError) as info:
            upload("postmark", server, pacing=pacing(read_timeout=0.2, sleep=sleeps.append))
        requests = len(server.log)
    message = one_line(info)
    assert requests == 2 and sleeps == [1.0]
    assert "listing templates: GET /templates: no answer from http://127.0.0.1:" in message
    assert "within 0.2 s" in message


@pytest.mark.parametrize("total, same_page, problem", [
    (10**12, False, "answered that there are 1000000000000 items"),
    (300, True, "answered the same page again"),
])
def test_endless_offset_pagination_stops_with_an_error(total, same_page, problem):
    app = EndlessPostmark(total, same_page)
    with FakeServer(app) as server:
        with pytest.raises(ProviderError) as info:
            upload("postmark", server)
    assert problem in one_line(info)
    assert app.pages <= 2 and app.templates == {}


@pytest.mark.parametrize("same_cursor, problem, most", [
    (True, "answered the same cursor again", 2),
    (False, "answered more than 200 pages", 200),
])
def test_endless_cursor_pagination_stops_with_an_error(same_cursor, problem, most):
    app = EndlessKit(same_cursor)
    with FakeServer(app) as server:
        with pytest.raises(ProviderError) as info:
            upload("kit", server)
    assert problem in one_line(info)
    assert app.pages == most and app.sequences == {}


def test_provider_error_text_is_printed_without_control_characters_and_cut():
    evil = "\x1b[2J\x1b]0;pwned\x07\x1b[31mBad\r\nX-Injected: yes\u202e\u200b" + "A" * 5000
    with FakeServer(Postmark()) as server:
        server.inject(422, {"ErrorCode": 300, "Message": evil})
        with pytest.raises(ProviderError) as info:
            upload("postmark", server)
    message = one_line(info)
    assert not any(c in message for c in "\x1b\r\x07\u202e\u200b")
    assert "Bad X-Injected: yes" in message and "pwned" not in message
    assert len(message) < 400


# ---- send: partial failures, plaintext logins, one recipient -------------------------------
class PickyInbox(Inbox):
    """Takes messages until the `fail_at`-th, which it refuses (or stalls on)."""

    def __init__(self, fail_at: int, stall: bool = False):
        super().__init__()
        self.fail_at, self.stall, self.seen = fail_at, stall, 0
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.fail_at:
            if self.stall:
                for _ in range(40):  # at most 2 s, until the test ends
                    if self.release.is_set():
                        break
                    await asyncio.sleep(0.05)
            return "554 5.7.1 \x1b[31mRejected\x1b[0m: looks like spam"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def picky():
    made = []

    def start(fail_at: int, stall: bool = False):
        inbox = PickyInbox(fail_at, stall)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        made.append((inbox, controller))
        return inbox, controller.port

    yield start
    for inbox, controller in made:
        inbox.release.set()
        controller.stop()


def test_send_failing_on_email_3_says_which_emails_went_out(picky):
    inbox, port = picky(fail_at=3)
    seq = make_sequence("generic", days=(0, 2, 5, 7))
    with pytest.raises(SendError) as info:
        send(seq.emails, seq.settings, to="r@example.net", smtp=Smtp("127.0.0.1", port))
    message = one_line(info)
    assert len(inbox.messages) == 2
    assert message.startswith("sent 01-part-1, 02-part-2 to r@example.net; then ")
    assert "refused email 3 (03-part-3): 554 5.7.1 Rejected: looks like spam" in message
    assert "\x1b" not in message


def test_send_stalling_on_email_3_times_out_and_says_which_went_out(picky):
    inbox, port = picky(fail_at=3, stall=True)
    seq = make_sequence("generic", days=(0, 2, 5))
    with pytest.raises(SendError) as info:
        send(seq.emails, seq.settings, to="r@example.net",
             smtp=Smtp("127.0.0.1", port, timeout=0.3))
    message = one_line(info)
    assert len(inbox.messages) == 2
    assert message == (f"sent 01-part-1, 02-part-2 to r@example.net; then email 3 (03-part-3) "
                       f"failed: SMTP connection to 127.0.0.1:{port} failed: timed out")


def test_cli_send_failing_part_way_exits_1_naming_what_went_out(runner, example, monkeypatch,
                                                                picky):
    monkeypatch.chdir(example)
    inbox, port = picky(fail_at=2)
    result = runner.invoke(cli, ["send", "--to", "me@example.net", "--smtp-host", "127.0.0.1",
                                 "--smtp-port", str(port)])
    assert result.exit_code == 1
    assert len(inbox.messages) == 1
    assert result.output.startswith("Error: sent 01-") and "; then " in result.output
    assert "refused email 2 (02-" in result.output and result.output.count("\n") == 1


def test_smtp_login_over_a_plain_connection_to_another_host_is_refused():
    seq = make_sequence("generic")
    smtp = Smtp("smtp.invalid", 25, user="ana", password="s3cret")
    with pytest.raises(SendError) as info:
        send(seq.emails, seq.settings, to="r@example.net", smtp=smtp)
    message = one_line(info)
    assert "would send the password unencrypted; add --starttls or --ssl" in message
    assert "s3cret" not in message
    allowed = Smtp("smtp.invalid", 25, user="ana", password="s3cret", plaintext_login=True)
    with pytest.raises(SendError, match="cannot connect to SMTP server smtp.invalid:25"):
        send(seq.emails, seq.settings, to="r@example.net", smtp=allowed)


def test_cli_send_refuses_plaintext_login_before_rendering(runner, example, monkeypatch):
    monkeypatch.chdir(example)
    args = ["send", "--to", "me@example.net", "--smtp-host", "smtp.invalid", "--smtp-user", "ana"]
    result = runner.invoke(cli, args, env={"DRIPMAIL_SMTP_PASSWORD": "s3cret"})
    assert result.exit_code == 1
    assert result.output == ("Error: --smtp-user over a plain connection to smtp.invalid:25 "
                             "would send the password unencrypted; add --starttls or --ssl (or "
                             "--allow-plaintext-login if this network is trusted)\n")
    allowed = runner.invoke(cli, [*args, "--allow-plaintext-login"],
                            env={"DRIPMAIL_SMTP_PASSWORD": "s3cret"})
    assert allowed.exit_code == 1 and "cannot connect to SMTP server" in allowed.output


@pytest.mark.parametrize("to, problem", [
    ("a@example.net, b@example.net", "is not one email address"),
    ("a@example.net;b@example.net", "is not one email address"),
    ("Ana <a@example.net>", "is not one email address"),
    ('"Ana" a@example.net', "is not one email address"),
    ("a@example.net\r\nBcc: evil@attacker.example", "control or invisible characters"),
    ("a@example.net\nBcc: evil@attacker.example", "control or invisible characters"),
    ("a@exa\x00mple.net", "control or invisible characters"),
    ("a\u202e@example.net", "control or invisible characters"),
    ("=?utf-8?q?a=0D=0ABcc:_e@x?=@example.net", "encoded words"),
    ("a@b@example.net", "is not an email address"),
])
def test_cli_send_takes_exactly_one_plain_address(runner, example, monkeypatch, to, problem):
    monkeypatch.chdir(example)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        result = runner.invoke(cli, ["send", "--to", to, "--smtp-host", "127.0.0.1",
                                     "--smtp-port", str(controller.port)])
    finally:
        controller.stop()
    assert result.exit_code == 2, result.output
    assert problem in result.output and "Traceback" not in result.output
    assert "\r" not in result.output and "\x00" not in result.output
    assert inbox.messages == []


TRICKY = "ab.@ ,;<>\"=?\r\n\t\x00\u202e\u200b\u00a0\u2028()ü-_+"
ADDRESSY = st.text(alphabet=st.sampled_from(list(TRICKY)) | st.characters(), max_size=40)


@settings(max_examples=300, deadline=None)
@given(ADDRESSY)
def test_recipient_is_one_plain_address_or_a_clear_error(text):
    from dripmail.delivery.smtp import recipient

    try:
        to = recipient(text)
    except SendError as exc:
        assert "\n" not in exc.message and "\r" not in exc.message
        return
    assert to.count("@") == 1 and to == to.strip()
    assert not any(c in to for c in ' ,;<>()"\\') and "=?" not in to
    assert all(c.isprintable() for c in to)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600), st.integers(min_value=10, max_value=300))
def test_provider_text_is_printed_on_one_short_line(text, limit):
    from dripmail.safetext import printable

    shown = printable(text, limit)
    assert len(shown) <= limit and shown == shown.strip()
    assert all(c.isprintable() for c in shown) and "\x1b" not in shown


def test_send_function_checks_the_recipient_too(picky):
    inbox, port = picky(fail_at=99)
    seq = make_sequence("generic")
    with pytest.raises(SendError, match="is not one email address"):
        send(seq.emails, seq.settings, to="a@example.net, b@example.net",
             smtp=Smtp("127.0.0.1", port))
    assert inbox.messages == []

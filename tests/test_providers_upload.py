"""Uploaders against local servers speaking each provider's API: create, update, 429, 401."""

from __future__ import annotations

import pytest
from fake_providers import Brevo, FakeServer, Kit, Mailchimp, Postmark, Ses
from provider_samples import make_sequence

from dripmail import providers
from dripmail.providers import pacing
from dripmail.providers.base import ProviderError

pytestmark = pytest.mark.slow

# provider: (fake app, env with the right credentials, api path prefix, env var of the key)
CASES = {
    "postmark": (Postmark, {"POSTMARK_SERVER_TOKEN": "pm-token"}, "", "POSTMARK_SERVER_TOKEN"),
    "mailchimp": (Mailchimp, {"MAILCHIMP_API_KEY": "0123456789abcdef-us21"}, "/3.0",
                  "MAILCHIMP_API_KEY"),
    "brevo": (Brevo, {"BREVO_API_KEY": "xkeysib-test"}, "/v3", "BREVO_API_KEY"),
    "kit": (Kit, {"KIT_API_KEY": "kit_test_key"}, "/v4", "KIT_API_KEY"),
    "ses": (Ses, {"AWS_ACCESS_KEY_ID": "AKIDTESTKEY", "AWS_SECRET_ACCESS_KEY": "secret-xyz",
                  "AWS_REGION": "eu-west-1"}, "", "AWS_ACCESS_KEY_ID"),
}


def stored(provider: str, app) -> dict[str, str]:
    """Remote name → stored HTML, whatever the provider calls them."""
    if provider == "postmark":
        return {t["Alias"]: t["HtmlBody"] for t in app.templates.values()}
    if provider == "mailchimp":
        return {t["name"]: t["html"] for t in app.templates.values()}
    if provider == "brevo":
        return {t["templateName"]: t["htmlContent"] for t in app.templates.values()}
    if provider == "kit":
        return {f"{e['sequence_id']}/{e['position']}": e["content"] for e in app.emails.values()}
    return {name: t["Html"] for name, t in app.templates.items()}


def run(provider, server, env, prefix, sequence, sleeps=None):
    module = providers.get(provider)
    return module.upload(sequence, api_url=server.url + prefix, env=env,
                         sleep=(sleeps.append if sleeps is not None else None))


@pytest.mark.parametrize("provider", CASES)
def test_first_run_creates_second_run_updates(provider):
    app_cls, env, prefix, _ = CASES[provider]
    app = app_cls()
    with FakeServer(app) as server:
        first = run(provider, server, env, prefix, make_sequence(provider))
        assert sum("created" in line for line in first) >= 3
        after_first = stored(provider, app)
        assert len(after_first) == 3
        changed = make_sequence(provider, days=(0, 3, 6), slug="calm-talks")
        changed = changed.__class__(**{**{f: getattr(changed, f) for f in (
            "slug", "title", "source", "settings", "kind")}, "emails": tuple(
            e.__class__(**{**{f: getattr(e, f) for f in e.__dataclass_fields__},
                           "html": e.html.replace("Hi ", "Hello ")}) for e in changed.emails)})
        second = run(provider, server, env, prefix, changed)
        assert not any(line.startswith("created") for line in second), second
        assert sum("updated" in line for line in second) == 3
        after_second = stored(provider, app)
        assert set(after_second) == set(after_first)  # no duplicates
        assert all("Hello " in html for html in after_second.values())
        if provider == "kit":
            assert len(app.sequences) == 1
            delays = [(e["delay_value"], e["delay_unit"]) for e in app.emails.values()]
            assert delays == [(0, "days"), (3, "days"), (3, "days")]


@pytest.mark.parametrize("provider", CASES)
def test_429_then_success_honours_retry_after(provider):
    app_cls, env, prefix, _ = CASES[provider]
    with FakeServer(app_cls()) as server:
        headers = {"Retry-After": "7"}
        if provider == "ses":
            headers["x-amzn-ErrorType"] = "TooManyRequestsException"
        body = "Retry later" if provider == "kit" else {"message": "Too many requests"}
        server.inject(429, body, headers)
        sleeps: list[float] = []
        lines = run(provider, server, env, prefix, make_sequence(provider), sleeps)
        assert sleeps == [7.0]
        assert sum("created" in line for line in lines) >= 3
        first, again = server.log[0], server.log[1]
        assert (first["method"], first["path"]) == (again["method"], again["path"])


def test_429_without_retry_after_backs_off_and_5xx_retries():
    with FakeServer(Kit()) as server:
        server.inject(429, "Retry later")
        server.inject(503, "upstream down")
        sleeps: list[float] = []
        run("kit", server, {"KIT_API_KEY": "kit_test_key"}, "/v4", make_sequence("kit"), sleeps)
        assert sleeps == [1.0, 2.0]


def test_gives_up_after_repeated_5xx():
    with FakeServer(Brevo()) as server:
        for _ in range(5):
            server.inject(500, {"code": "internal_error", "message": "Oops, try again"})
        with pytest.raises(ProviderError, match='500.*"internal_error: Oops, try again"|'
                                                '500.*Oops, try again'):
            run("brevo", server, {"BREVO_API_KEY": "xkeysib-test"}, "/v3",
                make_sequence("brevo"), [])


@pytest.mark.parametrize("provider", CASES)
def test_bad_credentials_give_a_clear_error(provider):
    app_cls, env, prefix, var = CASES[provider]
    wrong = {**env, var: "0000-us21" if provider == "mailchimp" else "WRONGKEY"}
    with FakeServer(app_cls()) as server:
        with pytest.raises(ProviderError) as info:
            run(provider, server, wrong, prefix, make_sequence(provider))
    message = info.value.format_message()
    expected = {
        "postmark": "Request does not contain a valid Server token.",
        "mailchimp": "API Key Invalid",
        "brevo": "Key not found",
        "kit": "The access token is invalid",
        "ses": "The security token included in the request is invalid.",
    }[provider]
    assert expected in message
    assert ("401" in message) or ("403" in message)
    assert wrong[var] not in message and "secret-xyz" not in message
    assert "\n" not in message


def test_422_names_the_email_and_quotes_the_provider():
    app = Postmark()
    with FakeServer(app) as server:
        seq = make_sequence("postmark")
        bad = seq.emails[1].__class__(**{**{f: getattr(seq.emails[1], f) for f in
                                           seq.emails[1].__dataclass_fields__}, "subject": ""})
        seq = seq.__class__(slug=seq.slug, title=seq.title, source=seq.source,
                            settings=seq.settings, emails=(seq.emails[0], bad, seq.emails[2]))
        with pytest.raises(ProviderError) as info:
            run("postmark", server, {"POSTMARK_SERVER_TOKEN": "pm-token"}, "", seq)
    message = info.value.format_message()
    assert "email 2 (02-part-2" in message
    assert "422" in message
    assert "\"The 'Subject' associated with this request is not valid" in message


@pytest.mark.parametrize("provider", CASES)
def test_dry_run_sends_nothing_and_prints_payloads(provider):
    app_cls, _env, prefix, _ = CASES[provider]
    with FakeServer(app_cls()) as server:
        lines = providers.get(provider).upload(make_sequence(provider), api_url=server.url,
                                               dry_run=True, env={})
        assert server.log == []
    assert all("would " in line for line in lines)
    assert len(lines) >= 3
    assert any("Part 2" in line for line in lines)


@pytest.mark.parametrize("provider", ["postmark", "mailchimp", "brevo", "kit"])
def test_missing_credentials(provider):
    with pytest.raises(ProviderError, match=f"set the {CASES[provider][3]} environment"):
        providers.get(provider).upload(make_sequence(provider), env={})


def test_ses_without_credentials(tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookups
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with FakeServer(Ses()) as server, pytest.raises(ProviderError, match="no AWS credentials"):
        providers.get("ses").upload(make_sequence("ses"), api_url=server.url, env={
            "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_REGION": "eu-west-1"})


def test_mailchimp_datacentre_from_key():
    from dripmail.providers import mailchimp

    assert mailchimp.base_url("abc-us21") == "https://us21.api.mailchimp.com/3.0"
    with pytest.raises(ProviderError, match="must end in its data centre"):
        mailchimp.base_url("abc")


def test_unreachable_server():
    with FakeServer(Postmark()) as server:
        url = server.url
    with pytest.raises(ProviderError, match="cannot reach"):
        providers.get("postmark").upload(make_sequence("postmark"), api_url=url,
                                         env={"POSTMARK_SERVER_TOKEN": "x"}, sleep=lambda s: None)


def test_retry_delay_parsing():
    assert pacing.retry_delay({"Retry-After": "12"}, 0) == 12.0
    assert pacing.retry_delay({}, 3) == 8.0
    assert pacing.retry_delay({}, 10) == 30.0
    assert pacing.retry_delay({"x-sib-ratelimit-reset": "4"}, 0, "x-sib-ratelimit-reset") == 4.0
    assert pacing.retry_delay({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0) == 0.0

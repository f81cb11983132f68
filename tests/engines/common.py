"""The entry point of the engines: one subscriber, filled in the way each provider fills it."""

from __future__ import annotations

from typing import Any


class TemplateError(Exception):
    """What the provider's engine would refuse to compile or render."""


UNSUBSCRIBE = "https://unsubscribe.example/u/1"
ADDRESS = "1 Provider Road"
PREFERENCES = "https://prefs.example/p/1"
WEB_VERSION = "https://web.example/w/1"


def render(provider: str, template: str, first_name: str = "", email: str = "",
           as_html: bool = False) -> str:
    """`template` (a part, or a subject) as the subscriber reads it from `provider`."""
    from engines import brevo, handlebars, mailchimp, mailerlite, mailgun, mustachio

    subscriber = {"first_name": first_name, "email": email}
    if provider == "postmark":
        return mustachio.render(template, subscriber, {"pm:unsubscribe": UNSUBSCRIBE})
    if provider == "kit":
        return _liquid(template, first_name, email)
    if provider in ("ses", "sendgrid"):
        extra = {"amazonSESUnsubscribeUrl": UNSUBSCRIBE} if provider == "ses" else {
            "unsubscribe": UNSUBSCRIBE, "unsubscribe_preferences": PREFERENCES}
        return handlebars.render(template, {**subscriber, **extra})
    if provider == "mailgun":
        return mailgun.render(template, subscriber,
                              {"unsubscribe_url": UNSUBSCRIBE, "email": email})
    if provider == "brevo":
        data: dict[str, Any] = {"contact": {"FIRSTNAME": first_name, "EMAIL": email},
                                "unsubscribe": UNSUBSCRIBE, "mirror": WEB_VERSION}
        return brevo.render(template, data, autoescape=as_html)
    if provider == "mailchimp":
        return mailchimp.render(template, {
            "FNAME": first_name, "EMAIL": email, "UNSUB": UNSUBSCRIBE,
            "UPDATE_PROFILE": PREFERENCES, "ARCHIVE": WEB_VERSION,
            "LIST_ADDRESS_HTML": ADDRESS, "LIST:ADDRESSLINE": ADDRESS}, as_html=as_html)
    if provider == "mailerlite":
        return mailerlite.render(template, {"name": first_name, "email": email,
                                            "unsubscribe": UNSUBSCRIBE, "url": WEB_VERSION},
                                 as_html=as_html)
    raise ValueError(f"no engine for {provider!r}")


def _liquid(template: str, first_name: str, email: str) -> str:
    """Kit: real Liquid (python-liquid), strict about undefined filters and tags."""
    import liquid

    try:
        return liquid.Template(template).render(
            subscriber={"first_name": first_name, "email_address": email},
            unsubscribe_url=UNSUBSCRIBE, address=ADDRESS,
            subscriber_preferences_url=PREFERENCES)
    except liquid.exceptions.LiquidError as exc:
        raise TemplateError(str(exc)) from exc

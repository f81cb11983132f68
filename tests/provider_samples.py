"""Hand-made sequences for the provider tests: tokens in a small inlined email, resolved."""

from __future__ import annotations

import functools
import html
from pathlib import Path

from dripmail.models import Email, EmailSequence, Settings
from dripmail.providers import dialect
from dripmail.providers.dialect import token
from dripmail.rendering.inline import inline_css

# Article text that looks like several providers' template syntax; it must stay literal.
TRAPS = "Maths: {{ 7*7 }} and {% if x %}, Mailchimp *|FNAME|*, MailerLite {$email}, " \
        "Mailgun %recipient.email% and a backslash \\{{ x }}."

SETTINGS = Settings(
    brand="Calm Couples",
    sender_name="Dr. Ana Ruiz",
    sender_email="ana@example.org",
    postal_address="12 Rue de la Paix, 75002 Paris, France",
    unsubscribe_url="https://example.org/unsubscribe",
    language="en",
)


def source_html(position: int, settings: Settings, provider: str, traps: bool = True) -> str:
    """A small email with a <style> block, neutral tokens in text and in href attributes."""
    view = ""
    if dialect.available("view_in_browser_url", provider, settings):
        view = f'<p class="small"><a href="{token("view_in_browser_url")}">View online</a></p>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Email {position}</title>
<style>p {{ font-size: 16px; line-height: 1.5; }} .small {{ font-size: 12px; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #111 !important; }} }}</style>
</head><body>{view}
<p>Hi {token("first_name", "there")},</p>
<p>{html.escape(TRAPS) if traps else "Plain words."} Caf\u00e9 &amp; cr\u00e8me.&nbsp;Done.</p>
<p class="small">Sent to {token("email")}.
<a href="{token("unsubscribe_url")}">Unsubscribe</a> &middot;
{token("postal_address")}</p>
</body></html>"""


def source_text(position: int, settings: Settings, provider: str, traps: bool = True) -> str:
    """The plain-text part with the same tokens."""
    view = ""
    if dialect.available("view_in_browser_url", provider, settings):
        view = f"View online: {token('view_in_browser_url')}\n\n"
    body = TRAPS if traps else "Plain words."
    return (f"{view}Hi {token('first_name', 'there')},\n\n{body} Caf\u00e9 & cr\u00e8me.\n\n"
            f"Sent to {token('email')}.\nUnsubscribe: {token('unsubscribe_url')}\n"
            f"{token('postal_address')}\n")


@functools.lru_cache(maxsize=256)
def inline(markup: str) -> str:
    """CSS inlining exactly as the build does it."""
    return inline_css(markup)


def make_email(position: int, total: int, day: int, provider: str, settings: Settings,
               traps: bool = True) -> Email:
    """One Email with the provider's tags in both parts."""
    page = inline(source_html(position, settings, provider, traps))
    return Email(
        position=position, total=total, day=day, slug=f"part-{position}",
        title=f"Part {position}", subject=f"Part {position}: the {{{{ big }}}} step",
        preheader=f"What part {position} is about, in a few words for the inbox.",
        html=dialect.resolve(page, provider, settings, as_html=True),
        text=dialect.resolve(source_text(position, settings, provider, traps), provider, settings,
                               as_html=False),
        words=120,
    )


def make_sequence(provider: str = "generic", days: tuple[int, ...] = (0, 2, 5),
                  settings: Settings = SETTINGS, slug: str = "calm-talks",
                  traps: bool = True) -> EmailSequence:
    """A sequence of len(days) emails rendered for `provider`."""
    settings = Settings(**{**{f: getattr(settings, f) for f in settings.__dataclass_fields__},
                           "provider": provider})
    emails = tuple(make_email(i, len(days), d, provider, settings, traps)
                   for i, d in enumerate(days, 1))
    return EmailSequence(slug=slug, title="Calm talks", source=Path("sequences/calm-talks.md"),
                    settings=settings, emails=emails)

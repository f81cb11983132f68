"""Each provider's own template engine, as the tests render with it.

Real libraries where a faithful one exists (python-liquid for Kit); otherwise a small renderer
written from the engine's documented or published rules, with its own tests
(tests/test_engines.py): Mustachio for Postmark, Handlebars for SES, SendGrid and Mailgun,
Brevo's Django-like language, Mailchimp's merge language, MailerLite's `{$tags}`.

`render(provider, template, subscriber, as_html)` fills a template the way the provider fills it
for one subscriber; an engine refuses (raises :class:`TemplateError`) what the provider would
refuse to save or send.
"""

from __future__ import annotations

from engines.common import TemplateError, render

__all__ = ["TemplateError", "render"]

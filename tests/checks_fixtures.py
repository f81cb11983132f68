"""Hand-written email fixtures for the check tests: one good email, mutated per rule."""

from __future__ import annotations

import dataclasses
import textwrap

from dripmail.checks.model import EmailDoc

PARAGRAPHS = [
    "It is hard when you want help and your partner does not. You are not alone in this. "
    "Many people feel the same way at the start.",
    "You can begin on your own. Small steps still count. When one person changes how they talk, "
    "the whole couple can start to change too.",
    "Think about what you want to say. Keep it short and kind. Say how you feel, not what your "
    "partner did wrong. Then give them time to think.",
    "Some people need a few weeks. Some need a few months. That is fine. You can keep going "
    "while you wait, and you can ask for support from a friend.",
    "In the next email, we look at why one partner often feels ready first. It is more common "
    "than you think, and it says nothing bad about you.",
]
SUBJECT = "You can start on your own"
PREHEADER = "Why waiting for your partner is not the only way forward"
ADDRESS = "123 Main Street, Springfield, IL 62701"

STYLE = """
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .dm-bg { background-color: #111111 !important; }
  .dm-text { color: #eeeeee !important; }
  .dm-link { color: #99ccff !important; }
}
@media screen and (max-width: 600px) { .dm-pad { padding: 16px !important; } }
"""


def good_html(*, body_extra: str = "", head_extra: str = "", paragraphs=None,
              style: str = STYLE, footer: str | None = None, lang: str = "en") -> str:
    """A small email that passes every rule."""
    paras = "\n".join(
        f'<p class="dm-text" style="margin:0 0 16px;font-size:16px;line-height:1.5;'
        f'color:#222222">{p}</p>' for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    if footer is None:
        footer = (
            f'<p class="dm-text" style="font-size:16px;color:#444444">{ADDRESS}<br>'
            '<a class="dm-link" href="{{ unsubscribe_url }}" style="color:#1a4f8b">'
            'Unsubscribe</a></p>')
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"""<!DOCTYPE html>
<html{lang_attr} dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{SUBJECT}</title>
<style>{style}</style>
{head_extra}
</head>
<body class="dm-bg" style="margin:0;padding:0;background-color:#ffffff">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">{PREHEADER}&zwnj;&nbsp;</div>
<!--[if mso]><table role="presentation" width="600"><tr><td><![endif]-->
<table role="presentation" class="dm-bg" width="100%" style="background-color:#ffffff">
<tr><td class="dm-pad" style="padding:24px;font-family:Arial,sans-serif;font-size:16px;
color:#222222">
<h1 class="dm-text" style="font-size:28px;color:#222222">{SUBJECT}</h1>
<p class="dm-text" style="font-size:16px;color:#222222">Hi {{{{ first_name }}}},</p>
{paras}
<p class="dm-text" style="font-size:16px;color:#222222">Read the whole article:
<a class="dm-link" href="https://example.com/article" style="color:#1a4f8b">When your partner
is not ready</a></p>
{body_extra}
{footer}
</td></tr></table>
</body>
</html>
"""


def good_text(paragraphs=None) -> str:
    """The plain-text twin of good_html()."""
    paras = PARAGRAPHS if paragraphs is None else paragraphs
    parts = [SUBJECT, "Hi {{ first_name }},"]
    parts += [textwrap.fill(p, 76) for p in paras]
    parts.append("Read the whole article: When your partner is not ready\n"
                 "https://example.com/article")
    parts.append(f"{ADDRESS}\nUnsubscribe: {{{{ unsubscribe_url }}}}")
    return "\n\n".join(parts) + "\n"


def doc(**changes) -> EmailDoc:
    """The good email, with fields replaced."""
    base = EmailDoc(file="build/course/01-start.html", sequence="course", position=1, total=1,
                    day=0, subject=SUBJECT, preheader=PREHEADER, html=good_html(),
                    text=good_text(), text_file="build/course/01-start.txt")
    return dataclasses.replace(base, **changes)

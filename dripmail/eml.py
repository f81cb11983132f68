"""Each email as an RFC 5322 message (.eml): multipart/alternative, plain text then HTML."""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
import os
from datetime import UTC, datetime
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from pathlib import Path

from dripmail.models import Email, Sequence, Settings


class _Registry(HeaderRegistry):
    """The stdlib registry makes a new header class on every lookup (a quarter of the time an
    .eml takes); this one makes each class once. The bytes written are the same."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


POLICY = email.policy.SMTP.clone(header_factory=_Registry())


def sender(settings: Settings) -> Address:
    """The From address: sender name and email from the settings."""
    user, _, domain = settings.sender_email.partition("@")
    return Address(settings.sender_name, user, domain)


def list_unsubscribe(settings: Settings) -> str:
    """`List-Unsubscribe` value: the configured unsubscribe URL, and a mailto to the sender."""
    links = []
    if settings.unsubscribe_url:
        links.append(f"<{settings.unsubscribe_url}>")
    links.append(f"<mailto:{settings.sender_email}?subject=unsubscribe>")
    return ", ".join(links)


def build_message(
    mail: Email,
    settings: Settings,
    *,
    to: str = "",
    date: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """multipart/alternative (text/plain, then text/html), UTF-8, with list headers."""
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = mail.subject
    msg["From"] = sender(settings)
    if to:
        msg["To"] = to
    if settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["Date"] = email.utils.format_datetime(date or email.utils.localtime())
    domain = settings.sender_email.partition("@")[2] or None
    msg["Message-ID"] = message_id or email.utils.make_msgid(idstring=mail.stem, domain=domain)
    msg["List-Unsubscribe"] = list_unsubscribe(settings)
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if settings.language:
        msg["Content-Language"] = settings.language
    msg.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def source_date(source: Path) -> datetime:
    """The Date of a built .eml: $SOURCE_DATE_EPOCH if set, else when the article last changed.

    Never the build time, so that a rebuild of unchanged sources is byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    try:
        return datetime.fromtimestamp(int(source.stat().st_mtime), UTC)
    except OSError:
        return datetime(2000, 1, 1, tzinfo=UTC)


def write_all(sequence: Sequence, seq_dir: Path) -> list[Path]:
    """Write `NN-slug.eml` beside each email's .html/.txt (deterministic bytes); return paths."""
    seq_dir.mkdir(parents=True, exist_ok=True)
    date = source_date(sequence.source)
    domain = sequence.settings.sender_email.partition("@")[2] or "dripmail.invalid"
    written = []
    for mail in sequence.emails:
        digest = hashlib.sha256((mail.html + mail.text).encode()).hexdigest()
        msg = build_message(mail, sequence.settings, date=date,
                            message_id=f"<{mail.stem}.{digest[:20]}@{domain}>")
        msg.set_boundary(f"dripmail-{digest[:32]}")
        path = seq_dir / f"{mail.stem}.eml"
        path.write_bytes(msg.as_bytes())
        written.append(path)
    return written

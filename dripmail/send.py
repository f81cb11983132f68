"""Test sends over SMTP (smtplib): every email of a sequence, or one, to one address."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from collections.abc import Sequence as Seq
from dataclasses import dataclass

from dripmail import eml
from dripmail.errors import DripmailError
from dripmail.models import Email, Settings

PASSWORD_ENV = "DRIPMAIL_SMTP_PASSWORD"
HOST_ENV = "DRIPMAIL_SMTP_HOST"
PORT_ENV = "DRIPMAIL_SMTP_PORT"


class SendError(DripmailError):
    """The SMTP server cannot be reached, refuses the login, or refuses a message."""


@dataclass(frozen=True, slots=True)
class Smtp:
    """Where and how to connect."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    security: str = ""  # "" | "starttls" | "ssl"
    timeout: float = 30.0


def smtp_settings(
    *,
    host: str | None,
    port: int | None,
    user: str | None,
    security: str,
    env: Mapping[str, str],
) -> Smtp:
    """Options first, then DRIPMAIL_SMTP_HOST/PORT; the password only from the environment."""
    host = host or env.get(HOST_ENV) or "localhost"
    if port is None and env.get(PORT_ENV):
        try:
            port = int(env[PORT_ENV])
        except ValueError:
            raise SendError(f"{PORT_ENV} must be a port number, not {env[PORT_ENV]!r}") from None
    if port is None:
        port = {"ssl": 465, "starttls": 587}.get(security, 25)
    password = env.get(PASSWORD_ENV, "")
    if user and not password:
        raise SendError(f"--smtp-user {user} needs the password in the {PASSWORD_ENV} "
                        "environment variable")
    return Smtp(host, port, user or "", password, security)


def send(
    emails: Seq[Email],
    settings: Settings,
    *,
    to: str,
    smtp: Smtp,
    context: ssl.SSLContext | None = None,
) -> list[str]:
    """Send `emails` to `to` over one SMTP connection; return one line per message sent."""
    where = f"{smtp.host}:{smtp.port}"
    context = context or ssl.create_default_context()
    try:
        if smtp.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                    context=context)
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"cannot connect to SMTP server {where}: {_reason(exc)}") from None
    lines = []
    try:
        with server:
            if smtp.security == "starttls":
                try:
                    server.starttls(context=context)
                except smtplib.SMTPNotSupportedError:
                    raise SendError(f"SMTP server {where} does not offer STARTTLS; try --ssl "
                                    "or neither") from None
            if smtp.user:
                try:
                    server.login(smtp.user, smtp.password)
                except smtplib.SMTPAuthenticationError as exc:
                    raise SendError(f"SMTP login as {smtp.user} at {where} failed: "
                                    f"{_reason(exc)}") from None
                except smtplib.SMTPNotSupportedError:
                    raise SendError(f"SMTP server {where} offers no login (AUTH); try "
                                    "--starttls, or drop --smtp-user") from None
            for mail in emails:
                msg = eml.build_message(mail, settings, to=to)
                try:
                    server.send_message(msg)
                except smtplib.SMTPRecipientsRefused as exc:
                    raise SendError(f"SMTP server {where} refused {to}: "
                                    f"{_reason(exc)}") from None
                except smtplib.SMTPResponseException as exc:
                    raise SendError(f"SMTP server {where} refused email {mail.position} "
                                    f"({mail.stem}): {_reason(exc)}") from None
                lines.append(f"sent email {mail.position}/{mail.total} \"{mail.subject}\" to {to}")
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise SendError(f"SMTP connection to {where} failed: {_reason(exc)}") from None
    return lines


def _reason(exc: BaseException) -> str:
    """A short human reason for an SMTP or socket error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, msg = next(iter(exc.recipients.values()))
        return f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error
        return f"{exc.smtp_code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    return str(exc) or type(exc).__name__

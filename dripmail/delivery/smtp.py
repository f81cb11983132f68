"""Test sends over SMTP (smtplib): every email of a sequence, or one, to one address."""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dripmail.errors import DripmailError
from dripmail.models import Email, Settings
from dripmail.safetext import printable
from dripmail.writing import eml

PASSWORD_ENV = "DRIPMAIL_SMTP_PASSWORD"
HOST_ENV = "DRIPMAIL_SMTP_HOST"
PORT_ENV = "DRIPMAIL_SMTP_PORT"


TIMEOUT = 20.0  # seconds to connect, and for each answer of the server


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
    timeout: float = TIMEOUT
    plaintext_login: bool = False  # allow AUTH without TLS to a host that is not loopback


def recipient(to: str) -> str:
    """`to` when it is exactly one plain address (`name@example.org`); a SendError otherwise.

    Lists, display names (`Ana <a@x>`), comments, quoted local parts, encoded words (`=?`),
    control and invisible characters are all refused, before any header is built.
    """
    from email.headerregistry import Address

    shown = printable(to, 80)
    if any(unicodedata.category(c)[0] == "C" for c in to):
        raise SendError(f"'{shown}' is not one email address: it contains control or "
                        "invisible characters")
    to = to.strip()
    if "=?" in to:
        raise SendError(f"'{shown}' is not one email address: encoded words (=?…?=) are not "
                        "allowed")
    if any(c in to for c in ' ,;<>()"\\'):
        raise SendError(f"'{shown}' is not one email address; give exactly one, like "
                        "name@example.org (no lists, names or comments)")
    try:
        parsed = Address(addr_spec=to)
    except Exception:  # the parser raises ValueError, IndexError and header defects alike
        parsed = None
    if parsed is None or parsed.addr_spec != to or not parsed.username or not parsed.domain:
        raise SendError(f"'{shown}' is not an email address; give one like name@example.org")
    return to


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_login(smtp: Smtp) -> None:
    """Refuse to send a password unencrypted over the network (unless explicitly allowed)."""
    if smtp.user and not smtp.security and not smtp.plaintext_login and not is_loopback(
            smtp.host):
        raise SendError(f"--smtp-user over a plain connection to {smtp.host}:{smtp.port} would "
                        "send the password unencrypted; add --starttls or --ssl (or "
                        "--allow-plaintext-login if this network is trusted)")


def smtp_settings(
    *,
    host: str | None,
    port: int | None,
    user: str | None,
    security: str,
    env: Mapping[str, str],
    plaintext_login: bool = False,
) -> Smtp:
    """Options first, then DRIPMAIL_SMTP_HOST/PORT; the password only from the environment."""
    host = host or env.get(HOST_ENV) or "localhost"
    if port is None and env.get(PORT_ENV):
        try:
            port = int(env[PORT_ENV])
        except ValueError:
            raise SendError(f"{PORT_ENV} must be a port number, not "
                            f"{printable(env[PORT_ENV], 40)!r}") from None
    if port is None:
        port = {"ssl": 465, "starttls": 587}.get(security, 25)
    password = env.get(PASSWORD_ENV, "")
    if user and not password:
        raise SendError(f"--smtp-user {user} needs the password in the {PASSWORD_ENV} "
                        "environment variable")
    return Smtp(host, port, user or "", password, security, plaintext_login=plaintext_login)


def send(
    emails: Sequence[Email],
    settings: Settings,
    *,
    to: str,
    smtp: Smtp,
    context: ssl.SSLContext | None = None,
    sent: list[str] | None = None,
    prefix: str = "",
) -> list[str]:
    """Send `emails` to `to` over one SMTP connection; return one line per message sent.

    `sent` collects the names (`prefix` + stem) of the emails that went out, across calls; a
    failure says which ones did before it (`sent 01-a, 02-b to …; then email 3 … failed: …`).
    """
    to = recipient(to)
    check_login(smtp)
    sent = [] if sent is None else sent
    try:
        return _send(emails, settings, to, smtp, context or ssl.create_default_context(),
                     lambda mail: sent.append(prefix + mail.stem))
    except SendError as exc:
        if not sent:
            raise
        raise SendError(f"sent {', '.join(sent)} to {to}; then {exc.message}") from None


def _send(emails: Sequence[Email], settings: Settings, to: str, smtp: Smtp,
          context: ssl.SSLContext, done: Callable[[Email], None]) -> list[str]:
    """Connect, log in, send each email (calling `done` after each); one-line errors."""
    where = f"{smtp.host}:{smtp.port}"
    server = _connect(smtp, context, where)
    lines: list[str] = []
    current: Email | None = None
    try:
        _start(server, smtp, context, where)
        for current in emails:
            _send_one(server, eml.build_message(current, settings, to=to), current, to, where)
            done(current)
            lines.append(f"sent email {current.position}/{current.total} "
                         f"\"{current.subject}\" to {to}")
        current = None
    except (OSError, smtplib.SMTPException) as exc:
        failed = f"email {current.position} ({current.stem}) failed: " if current else ""
        raise SendError(f"{failed}SMTP connection to {where} failed: {_reason(exc)}") from None
    finally:
        _close(server)
    return lines


def _close(server: smtplib.SMTP) -> None:
    """QUIT and close, ignoring errors: what was sent is already with the server."""
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        server.close()


def _connect(smtp: Smtp, context: ssl.SSLContext, where: str) -> smtplib.SMTP:
    """An open connection (TLS from the start with `ssl`), or a SendError."""
    try:
        if smtp.security == "ssl":
            return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        return smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"cannot connect to SMTP server {where}: {_reason(exc)}") from None


def _start(server: smtplib.SMTP, smtp: Smtp, context: ssl.SSLContext, where: str) -> None:
    """STARTTLS (if asked) and the login (if a user is given)."""
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


def _send_one(server: smtplib.SMTP, msg: Any, mail: Email, to: str, where: str) -> None:
    """Hand one message to the server; a refusal is a SendError naming the email."""
    try:
        server.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"SMTP server {where} refused {to}: {_reason(exc)}") from None
    except (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError) as exc:
        raise SendError(f"SMTP server {where} refused email {mail.position} "
                        f"({mail.stem}): {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    """A short human reason for an SMTP or socket error (server text made printable)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, msg = next(iter(exc.recipients.values()))
        return f"{code} {_text(msg)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout) or isinstance(exc.__context__,
                                                                   TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({printable(str(exc.reason or exc), 100)})"
    return printable(str(exc)) or type(exc).__name__


def _text(msg: bytes | str) -> str:
    """A server's reply text, printable on one line."""
    return printable(msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg))

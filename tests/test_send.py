"""Test sends and .eml files, against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from provider_samples import make_sequence

from dripmail.delivery.smtp import SendError, Smtp, send, smtp_settings
from dripmail.writing import eml

pytestmark = pytest.mark.slow


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"ana", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    """Plain SMTP with optional AUTH (no TLS needed for the login)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and a client context that trusts it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert_path, key_path)
    client_ctx = ssl.create_default_context(cafile=str(cert_path))
    return server_ctx, client_ctx


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def lf(text: str) -> str:
    """MIME text parts travel with CRLF line ends and end with a line break."""
    return text.replace("\r\n", "\n").rstrip("\n")


def check_message(msg, mail, settings, to):
    assert msg["Subject"] == mail.subject
    assert msg["To"] == to
    sender = msg["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (settings.sender_name, settings.sender_email)
    assert msg["Date"] and msg["Message-ID"].endswith("@example.org>")
    assert msg["List-Unsubscribe"] == ("<https://example.org/unsubscribe>, "
                                       "<mailto:ana@example.org?subject=unsubscribe>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert lf(parts[0].get_content()) == lf(mail.text)
    assert lf(parts[1].get_content()) == lf(mail.html)


def test_sends_every_email_and_they_arrive_intact(smtp_server):
    inbox, port = smtp_server
    seq = make_sequence("generic")
    lines = send(seq.emails, seq.settings, to="reader@example.net",
                 smtp=Smtp("127.0.0.1", port))
    assert len(lines) == 3 and lines[0].startswith('sent email 1/3 "Part 1')
    assert [m[1] for m in inbox.messages] == [["reader@example.net"]] * 3
    assert all(m[0] == "ana@example.org" for m in inbox.messages)
    for (_from, _to, raw), mail in zip(inbox.messages, seq.emails, strict=True):
        check_message(parse(raw), mail, seq.settings, "reader@example.net")
        assert "Café" in parse(raw).get_body(("plain",)).get_content()


def test_non_ascii_subject_is_encoded(smtp_server):
    inbox, port = smtp_server
    seq = make_sequence("generic")
    mail = seq.emails[0].__class__(**{**{f: getattr(seq.emails[0], f) for f in
                                         seq.emails[0].__dataclass_fields__},
                                      "subject": "Quand l’autre n’est pas prêt — épisode 1"})
    send([mail], seq.settings, to="reader@example.net", smtp=Smtp("127.0.0.1", port))
    raw = inbox.messages[0][2]
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0].lower() or b"=?UTF-8?" in raw
    assert parse(raw)["Subject"] == "Quand l’autre n’est pas prêt — épisode 1"


def test_login(smtp_server):
    inbox, port = smtp_server
    seq = make_sequence("generic")
    send(seq.emails[:1], seq.settings, to="r@example.net",
         smtp=Smtp("127.0.0.1", port, user="ana", password="s3cret"))
    assert len(inbox.messages) == 1


def test_bad_password_is_one_clear_line(smtp_server):
    _inbox, port = smtp_server
    seq = make_sequence("generic")
    with pytest.raises(SendError) as info:
        send(seq.emails, seq.settings, to="r@example.net",
             smtp=Smtp("127.0.0.1", port, user="ana", password="wrong"))
    message = info.value.format_message()
    assert message.startswith(f"SMTP login as ana at 127.0.0.1:{port} failed: 535")
    assert "wrong" not in message and "\n" not in message


def test_connection_refused_is_one_clear_line():
    port = free_port()
    seq = make_sequence("generic")
    with pytest.raises(SendError, match=rf"^cannot connect to SMTP server 127.0.0.1:{port}: "
                                        "connection refused$"):
        send(seq.emails, seq.settings, to="r@example.net", smtp=Smtp("127.0.0.1", port))


def test_starttls(tls_files):
    server_ctx, client_ctx = tls_files
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            tls_context=server_ctx, require_starttls=True,
                            authenticator=authenticator)
    controller.start()
    try:
        seq = make_sequence("generic")
        send(seq.emails[:2], seq.settings, to="r@example.net", context=client_ctx,
             smtp=Smtp("127.0.0.1", controller.port, user="ana", password="s3cret",
                       security="starttls"))
        assert len(inbox.messages) == 2
        # without STARTTLS the server refuses
        with pytest.raises(SendError, match="refused|STARTTLS|530"):
            send(seq.emails[:1], seq.settings, to="r@example.net",
                 smtp=Smtp("127.0.0.1", controller.port))
    finally:
        controller.stop()


def test_starttls_not_offered(smtp_server):
    _inbox, port = smtp_server
    seq = make_sequence("generic")
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        send(seq.emails, seq.settings, to="r@example.net",
             smtp=Smtp("127.0.0.1", port, security="starttls"))


def test_implicit_tls(tls_files):
    server_ctx, client_ctx = tls_files
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            ssl_context=server_ctx)
    controller.start()
    try:
        seq = make_sequence("generic")
        send(seq.emails[:1], seq.settings, to="r@example.net", context=client_ctx,
             smtp=Smtp("127.0.0.1", controller.port, security="ssl"))
        assert len(inbox.messages) == 1
        # an untrusted certificate is one clear line too
        with pytest.raises(SendError, match="cannot connect to SMTP server .*TLS"):
            send(seq.emails[:1], seq.settings, to="r@example.net",
                 smtp=Smtp("127.0.0.1", controller.port, security="ssl"))
    finally:
        controller.stop()


def test_smtp_settings_from_environment():
    env = {"DRIPMAIL_SMTP_HOST": "mail.example.net", "DRIPMAIL_SMTP_PORT": "2525",
           "DRIPMAIL_SMTP_PASSWORD": "pw"}
    s = smtp_settings(host=None, port=None, user="ana", security="", env=env)
    assert (s.host, s.port, s.user, s.password) == ("mail.example.net", 2525, "ana", "pw")
    s = smtp_settings(host="h", port=25, user=None, security="", env=env)
    assert (s.host, s.port) == ("h", 25)
    assert smtp_settings(host=None, port=None, user=None, security="ssl", env={}).port == 465
    assert smtp_settings(host=None, port=None, user=None, security="starttls", env={}).port == 587
    with pytest.raises(SendError, match="DRIPMAIL_SMTP_PASSWORD"):
        smtp_settings(host=None, port=None, user="ana", security="", env={})
    with pytest.raises(SendError, match="DRIPMAIL_SMTP_PORT must be a port number"):
        smtp_settings(host=None, port=None, user=None, security="", env={
            "DRIPMAIL_SMTP_PORT": "abc"})


def test_eml_files(tmp_path: Path):
    seq = make_sequence("mailchimp")
    written = eml.write_all(seq, tmp_path)
    assert [p.name for p in written] == ["01-part-1.eml", "02-part-2.eml", "03-part-3.eml"]
    raw = written[1].read_bytes()
    assert b"\r\n" in raw
    msg = parse(raw)
    assert msg["To"] is None
    check_message_headers = {k: msg[k] for k in ("Subject", "List-Unsubscribe-Post")}
    assert check_message_headers == {"Subject": seq.emails[1].subject,
                                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert lf(parts[1].get_content()) == lf(seq.emails[1].html)  # Mailchimp tags intact
    assert "*|UNSUB|*" in parts[0].get_content()


def test_eml_without_configured_unsubscribe_url_uses_mailto():
    seq = make_sequence("generic")
    settings = seq.settings.__class__(sender_email="x@example.com")
    msg = eml.build_message(seq.emails[0], settings, date=dt.datetime(2026, 1, 2, 3, 4, 5,
                                                                     tzinfo=dt.UTC))
    assert msg["List-Unsubscribe"] == "<mailto:x@example.com?subject=unsubscribe>"
    assert msg["Date"] == "Fri, 02 Jan 2026 03:04:05 +0000"

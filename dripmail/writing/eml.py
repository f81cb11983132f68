"""Each email as an RFC 5322 message (.eml): multipart/alternative, plain text then HTML.

`message_bytes` writes the bytes the stdlib writes (`stdlib_bytes`: `build_message(...)
.as_bytes()`) without building a message: the MIME frame directly, the quoted-printable bodies
by C passes, and the Subject, Message-ID and Content-Type lines directly when the stdlib would
write them as given (about 13 times faster in all; with DRIPMAIL_REFERENCE=1 the stdlib
writes every message).

Header values cannot inject headers. Both writers take every value through :func:`safe_values`
first: control characters (CR and LF among them) become spaces and bidi and zero-width
characters go (`safetext.one_line`), so no value holds a line break. The stdlib would still
decode RFC 2047 encoded words in a value (`=?utf-8?q?=0D=0A?=` is CR LF), so no `=?` reaches
it: a subject or sender name holding one is written whole as encoded words by the stdlib's
encoder (`email.header.Header`), which a reader decodes back to exactly that text; in an
address or a URL, `=?` becomes `=%3F`. `dripmail send` delivers `build_message`, so it gets the
same headers.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from datetime import UTC, datetime
from email import quoprimime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dripmail.errors import DripmailError
from dripmail.models import Email, EmailSequence, Settings
from dripmail.reference import reference
from dripmail.safetext import PLAIN_ADDRESS, one_line, reply_address

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import EmailPolicy

MAX_LINE = 78  # email.policy.SMTP.max_line_length (tests/test_eml_fast.py checks it)


def policy() -> EmailPolicy:
    """email.policy.SMTP (imported on first use: about 10 ms)."""
    import email.policy

    return email.policy.SMTP


def sender(settings: Settings) -> Address:
    """The From address: sender name and email from the settings."""
    from email.headerregistry import Address

    user, _, domain = settings.sender_email.partition("@")
    return Address(settings.sender_name, user, domain)


# RFC 5322 specials: a display name holding one is written as a quoted string, and the
# stdlib's folder drops the quotes when it has to fold one ("x, y@z" then reads as addresses).
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def _named(header: str, name: str, address: str) -> object:
    """A display name and address as given to the stdlib: an Address, or the name in encoded
    words where the stdlib would write it wrongly (it holds `=?`, or it is a quoted string
    too long for one line)."""
    quoted = len(name) + name.count('"') + name.count("\\") + 2
    if "=?" in name or (_SPECIALS.search(name)
                        and len(header) + 2 + quoted + len(address) + 3 > MAX_LINE):
        return _Encoded(header, name, f"<{address}>")
    from email.headerregistry import Address

    user, _, domain = address.partition("@")
    return Address(name, user, domain)


def list_unsubscribe(settings: Settings) -> str:
    """`List-Unsubscribe` value: the configured unsubscribe URL, and a mailto to the sender."""
    links = []
    if settings.unsubscribe_url:
        links.append(f"<{settings.unsubscribe_url}>")
    links.append(f"<mailto:{settings.sender_email}?subject=unsubscribe>")
    return ", ".join(links)


def one_click(unsubscribe_url: str) -> bool:
    """Whether `List-Unsubscribe-Post: List-Unsubscribe=One-Click` may be sent: RFC 8058 wants
    an https URI in List-Unsubscribe (a mailto alone cannot take the POST)."""
    return unsubscribe_url.lower().startswith("https://")


def _language(value: str) -> str:
    """The Content-Language value: the sequence's language tag, if it is one (RFC 5646
    letters, digits and `-`)."""
    return value if re.fullmatch(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", value or "") else ""


def _reply_to(value: str) -> object | None:
    """The Reply-To header: the setting's name and address (None: no header)."""
    parsed = reply_address(value) if value else None
    if parsed is None:
        return None
    return _named("Reply-To", parsed[0], parsed[1])


def inert(value: str) -> str:
    """An address or URL on one line in which no encoded word can be read (`=?` -> `=%3F`)."""
    return one_line(value).replace("=?", "=%3F")


def safe_values(mail: Email, settings: Settings) -> tuple[str, str, str, str, str]:
    """What goes into headers, made safe (see above): the subject, the sender's name and
    address, the reply-to address and the unsubscribe URL."""
    address = inert(settings.sender_email)
    if address and not PLAIN_ADDRESS.fullmatch(address):
        raise DripmailError(f"sender_email {address!r} is not an email address; set it to one "
                            "such as hello@example.com")
    return (one_line(mail.subject), one_line(settings.sender_name), address,
            inert(settings.reply_to), inert(settings.unsubscribe_url))


class _Encoded(str):
    """A header the stdlib writes as given: `text` in RFC 2047 encoded words, then `tail` (an
    address). Its str() is that value on one line, all ASCII, with no `=?` left to decode."""

    def __new__(cls, name: str, text: str, tail: str = "") -> _Encoded:
        from email.header import Header

        words = Header(text, "utf-8", maxlinelen=MAX_LINE, header_name=name).encode(
            linesep="\r\n")
        if tail:
            last = words.rsplit("\r\n", 1)[-1]
            first = "\r\n" not in words
            room = MAX_LINE - len(last) - (len(name) + 2 if first else 0)
            words += (" " if len(tail) + 1 <= room else "\r\n ") + tail
        self = super().__new__(cls, " ".join(words.split("\r\n ")))
        self.name, self.folded = name, f"{name}: {words}\r\n"
        return self

    def fold(self, *, policy: EmailPolicy) -> str:
        """The header line(s), folded (the stdlib's policies call this)."""
        return self.folded.replace("\r\n", policy.linesep)


def _subject_value(subject: str) -> str:
    """The Subject as given to the stdlib: the text, or encoded words when it holds `=?`."""
    return _Encoded("Subject", subject) if "=?" in subject else subject


def _from_value(settings: Settings) -> object:
    """The From as given to the stdlib (see `_named`)."""
    return _named("From", settings.sender_name, settings.sender_email)


def build_message(
    mail: Email,
    settings: Settings,
    *,
    to: str = "",
    date: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """multipart/alternative (text/plain, then text/html), UTF-8, with list headers."""
    import email.utils
    from email.message import EmailMessage

    subject, name, address, reply_to, unsubscribe_url = safe_values(mail, settings)
    settings = Settings(sender_name=name, sender_email=address, reply_to=reply_to,
                        unsubscribe_url=unsubscribe_url, language=settings.language)
    msg = EmailMessage(policy=policy())
    msg["Subject"] = _subject_value(subject)
    msg["From"] = _from_value(settings)
    if to:
        msg["To"] = inert(to)
    if reply := _reply_to(settings.reply_to):
        msg["Reply-To"] = reply
    msg["Date"] = email.utils.format_datetime(date or email.utils.localtime())
    domain = settings.sender_email.partition("@")[2] or None
    msg["Message-ID"] = message_id or email.utils.make_msgid(idstring=mail.stem, domain=domain)
    msg["List-Unsubscribe"] = inert(list_unsubscribe(settings))
    if one_click(settings.unsubscribe_url):
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if language := _language(settings.language):  # after set_content, which drops Content-*
        msg["Content-Language"] = language
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


def _header(name: str, value: object) -> str:
    """One header line as the stdlib writes it with `policy()` (parsed, folded, CRLF)."""
    return policy().fold(name, policy().header_store_parse(name, value)[1])


# Fast paths for the header lines. Each writes what `_header` writes
# for the values it accepts (tests/test_eml_fast.py checks them against it over generated
# values) and hands any other value to `_header`.
_MAXLEN = MAX_LINE
_ATOM = r"[A-Za-z0-9_+-]+"
_SIMPLE_MSG_ID = re.compile(rf"<{_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*>")
_SIMPLE_BOUNDARY = re.compile(r"[A-Za-z0-9_-]+")


def _subject_line(subject: str) -> str:
    """The Subject line. Fast path: printable ASCII with no `=?` (nothing that could be read as
    an encoded word) that fits on one line is written as given."""
    line = f"Subject: {subject}"
    if (subject and len(line) <= _MAXLEN and subject.isascii() and subject.isprintable()
            and "=?" not in subject):
        return line + "\r\n"
    return _header("Subject", subject)


def _message_id_line(message_id: str) -> str:
    """The Message-ID line. Fast path: `<dot-atom@dot-atom>` of letters, digits, `_+-`. The
    stdlib never splits a msg-id: it fits after the name, or moves whole to a continuation
    line if it fits there, or stays after the name, too long."""
    if _SIMPLE_MSG_ID.fullmatch(message_id):
        if len("Message-ID: ") + len(message_id) > _MAXLEN >= len(message_id) + 1:
            return f"Message-ID:\r\n {message_id}\r\n"
        return f"Message-ID: {message_id}\r\n"
    return _header("Message-ID", message_id)


def _content_type_line(boundary: str) -> str:
    """The multipart/alternative Content-Type line. Fast path: a boundary of letters, digits,
    `_-` is written on the line if it fits, else on a continuation line if it fits there
    (the stdlib's RFC 2231 split of longer ones is left to it)."""
    value = f'multipart/alternative; boundary="{boundary}"'
    if _SIMPLE_BOUNDARY.fullmatch(boundary):
        if len("Content-Type: ") + len(value) <= _MAXLEN:
            return f"Content-Type: {value}\r\n"
        if len(f' boundary="{boundary}"') <= _MAXLEN - 1:
            return f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n'
    return _header("Content-Type", value)


@lru_cache(maxsize=256)  # the same for every email of a sequence
def _sender_headers(name: str, address: str, reply_to: str, unsubscribe_url: str
                    ) -> tuple[str, str]:
    """The From, Reply-To and List-Unsubscribe lines of `message_bytes`, keyed by the settings
    they come from (Settings itself is not hashable)."""
    settings = Settings(sender_name=name, sender_email=address, reply_to=reply_to,
                        unsubscribe_url=unsubscribe_url)
    reply = _reply_to(reply_to)
    return (_header("From", _from_value(settings)) + (_header("Reply-To", reply) if reply else ""),
            _header("List-Unsubscribe", inert(list_unsubscribe(settings))))


@lru_cache(maxsize=256)  # one date per sequence
def _date_line(date: datetime) -> str:
    """The Date line."""
    import email.utils

    return _header("Date", email.utils.format_datetime(date))


def _qp_body(text: str, maxlinelen: int = MAX_LINE) -> str:
    """A text part's body as `set_content(..., cte="quoted-printable")` and `as_bytes` write it.

    That is: line ends made LF, a final LF, `quoprimime.body_encode(utf-8 bytes as latin-1,
    maxlinelen)`, then CRLF line ends. Same output, about twice as fast: the quoting is done by C
    passes (`=` by str.replace, non-ASCII by the ASCII codec with the `_qp_non_ascii` error
    handler, controls, which are rare, by a regex) instead of a per-character str.translate, and
    only lines longer than `maxlinelen` or ending in a space or tab go through the stdlib's
    wrapping rules (`_qp_line`). tests/test_eml_fast.py checks it against the stdlib over
    generated text.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # bytes.splitlines' line ends
    if not text.endswith("\n"):
        text += "\n"
    quoted = text.replace("=", "=3D").encode("ascii", _QP_ERRORS)
    if len(quoted.translate(None, _QP_CONTROLS)) != len(quoted):
        quoted = _QP_CONTROL.sub(lambda m: b"=%02X" % m[0][0], quoted)
    lines = quoted.decode("ascii").split("\n")
    lines.pop()  # the text ends with LF
    for i, line in enumerate(lines):
        if len(line) > maxlinelen or line.endswith((" ", "\t")):
            lines[i] = _qp_line(line, maxlinelen)
    return "\r\n".join(lines) + "\r\n"


def _qp_non_ascii(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: a run of non-ASCII characters as =XX per UTF-8 byte (upper-case
    hex, as the stdlib; a lone surrogate raises UnicodeEncodeError, as it does there)."""
    run = error.object[error.start:error.end]
    return "=" + run.encode("utf-8").hex("=").upper(), error.end


_QP_ERRORS = "dripmail.qp-non-ascii"
codecs.register_error(_QP_ERRORS, _qp_non_ascii)
# ASCII bytes body_encode writes as =XX, bar "=": controls except tab and LF (no CR is left), DEL.
_QP_CONTROLS = bytes([*range(9), *range(11, 32), 127])
_QP_CONTROL = re.compile(b"[" + re.escape(_QP_CONTROLS) + b"]")


def _qp_line(line: str, maxlinelen: int, eol: str = "\r\n") -> str:
    """One quoted line wrapped as `quoprimime.body_encode` wraps it (its loop, unchanged):
    soft breaks (`=`) that never split an =XX, and a trailing space or tab quoted."""
    soft_break = "=" + eol
    maxlinelen1 = maxlinelen - 1
    out = []
    start = 0
    laststart = len(line) - 1 - maxlinelen
    while start <= laststart:
        stop = start + maxlinelen1
        if line[stop - 2] == "=":
            out.append(line[start:stop - 1])
            start = stop - 2
        elif line[stop - 1] == "=":
            out.append(line[start:stop])
            start = stop - 1
        else:
            out.append(line[start:stop] + "=")
            start = stop
    if line and line[-1] in " \t":
        room = start - laststart
        if room >= 3:
            q = quoprimime.quote(line[-1])
        elif room == 2:
            q = line[-1] + soft_break
        else:
            q = soft_break + quoprimime.quote(line[-1])
        out.append(line[start:-1] + q)
    else:
        out.append(line[start:])
    return eol.join(out)


_TEXT_PART = ('Content-Type: text/plain; charset="utf-8"\r\n'
              "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
_HTML_PART = ('Content-Type: text/html; charset="utf-8"\r\n'
              "Content-Transfer-Encoding: quoted-printable\r\nMIME-Version: 1.0\r\n\r\n")


def message_bytes(mail: Email, settings: Settings, *, date: datetime, message_id: str,
                  boundary: str) -> bytes:
    """The bytes of `build_message(...)` with this boundary, `as_bytes()`, without building
    the message: the fixed MIME frame is written directly, the sender lines come from the
    stdlib once per sequence, and the per-email header lines and bodies from the fast paths
    above, which fall back to the stdlib (about 10 times faster than the stdlib message;
    tests/test_eml_fast.py checks they are equal).
    """
    subject, *sender_values = safe_values(mail, settings)
    sender_lines, unsubscribe_line = _sender_headers(*sender_values)
    post = "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" if one_click(
        sender_values[-1]) else ""
    language = _language(settings.language)
    head = [_subject_line(_subject_value(subject)), sender_lines, _date_line(date),
            _message_id_line(message_id), unsubscribe_line, post, "MIME-Version: 1.0\r\n",
            _content_type_line(boundary),
            f"Content-Language: {language}\r\n" if language else "", "\r\n"]
    text = (f"--{boundary}\r\n{_TEXT_PART}{_qp_body(mail.text)}"
            f"\r\n--{boundary}\r\n{_HTML_PART}{_qp_body(mail.html)}\r\n--{boundary}--\r\n")
    return ("".join(head) + text).encode("ascii")


def stdlib_bytes(mail: Email, settings: Settings, *, date: datetime, message_id: str,
                 boundary: str) -> bytes:
    """The stdlib's bytes of `build_message(...)` with this boundary (what `message_bytes`
    writes, and what DRIPMAIL_REFERENCE=1 writes)."""
    msg = build_message(mail, settings, date=date, message_id=message_id)
    msg.set_boundary(boundary)
    return msg.as_bytes()


def write_all(sequence: EmailSequence, seq_dir: Path) -> list[Path]:
    """Write `NN-slug.eml` beside each email's .html/.txt (deterministic bytes); return paths."""
    seq_dir.mkdir(parents=True, exist_ok=True)
    date = source_date(sequence.source)
    domain = inert(sequence.settings.sender_email).partition("@")[2] or "dripmail.invalid"
    written = []
    write = stdlib_bytes if reference() else message_bytes
    for mail in sequence.emails:
        digest = hashlib.sha256((mail.html + mail.text).encode()).hexdigest()
        data = write(mail, sequence.settings, date=date,
                             message_id=f"<{mail.stem}.{digest[:20]}@{domain}>",
                             boundary=f"dripmail-{digest[:32]}")
        path = seq_dir / f"{mail.stem}.eml"
        path.write_bytes(data)
        written.append(path)
    return written

"""What the preview changes in what it serves, and what it lets through: the reload script and
forced dark styles added to a page at response time (nothing on disk is touched), request paths
kept inside the served folders, and Host headers checked against DNS rebinding."""

from __future__ import annotations

import html as htmllib
import ipaddress
import re
from pathlib import Path

API = "/__dripmail__"
EVENTS = f"{API}/events"
_RELOAD = """<script data-dripmail-preview>/* added by `dripmail preview`; not in the built file */
(function () {{
  var events = new EventSource("{events}");
  events.onmessage = function (m) {{
    if (m.data !== "{epoch}") {{ events.close(); location.reload(); }}
  }};
}})();
</script>"""
_BANNER = (
    '<div data-dripmail-preview style="position:fixed;inset:0 0 auto 0;z-index:2147483647;'
    "background:#b00020;color:#fff;font:14px/1.4 monospace;padding:12px;white-space:pre-wrap"
    '">{message}</div>'
)
_DARK_FEATURE = re.compile(rb"\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)", re.IGNORECASE)
_DARK_ROOT = b"<style data-dripmail-preview>:root{color-scheme:dark}</style>"


def _insert_before_end(html: bytes, snippet: bytes) -> bytes:
    """`snippet` placed before the last `</body>` (or `</html>`), else appended."""
    lower = html.lower()
    for tag in (b"</body>", b"</html>"):
        at = lower.rfind(tag)
        if at != -1:
            return html[:at] + snippet + html[at:]
    return html + snippet


def inject_reload_script(html: bytes, epoch: int, *, error: str | None = None) -> bytes:
    """`html` with the live-reload script (and a banner when the last build failed) added."""
    snippet = _RELOAD.format(events=EVENTS, epoch=epoch)
    if error:
        snippet = _BANNER.format(message=htmllib.escape(error)) + snippet
    return _insert_before_end(html, snippet.encode())


def force_dark_styles(html: bytes) -> bytes:
    """`html` as a client that honours the email's own dark-mode styles (Apple Mail) shows it.

    `(prefers-color-scheme: dark)` becomes always true and `(… light)` never true, and the page
    gets a dark canvas (`color-scheme: dark`).
    """
    def swap(m: re.Match[bytes]) -> bytes:
        return b"(min-width: 0px)" if m.group(1).lower() == b"dark" else b"(max-width: 0px)"

    html = _DARK_FEATURE.sub(swap, html)
    at = html.lower().find(b"</head>")
    return _DARK_ROOT + html if at == -1 else html[:at] + _DARK_ROOT + html[at:]


class Forbidden(Exception):
    """A request path that tries to leave the served folders."""


def safe_path(root: Path, url_path: str) -> Path:
    """The file under `root` that the decoded, relative `url_path` names.

    Raises Forbidden for `..`, absolute paths, backslashes, NUL bytes, double-encoded characters
    and anything that resolves (through symlinks too) outside `root`.
    """
    if any(c in url_path for c in "\\\x00") or "%" in url_path:
        raise Forbidden(url_path)  # `%` survives only double encoding such as %252e%252e
    if url_path.startswith("/") or re.match(r"^[A-Za-z]:", url_path):
        raise Forbidden(url_path)
    if ".." in url_path.split("/"):
        raise Forbidden(url_path)
    base = root.resolve()
    target = (base / url_path).resolve()
    if not target.is_relative_to(base):
        raise Forbidden(url_path)
    return target


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's Host header may reach a server bound to `bound`: on loopback only
    loopback names are accepted (against DNS rebinding); a public bind accepts any."""
    if header is None or not is_loopback(bound):
        return True
    name = header.rpartition("]")[0].lstrip("[") if header.startswith("[") else (
        header.partition(":")[0])
    return is_loopback(name)


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

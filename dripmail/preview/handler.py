"""The preview's request handler: the app, the current build's files (with the reload script
added), and the small JSON API the app talks to. Every request is bounded (see `server`)."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dripmail.preview.livebuild import Preview, where
from dripmail.preview.pages import (
    API,
    EVENTS,
    Forbidden,
    force_dark_styles,
    host_allowed,
    inject_reload_script,
    safe_path,
)

STATIC_DIR = Path(__file__).parent
IDLE_TIMEOUT = 15.0  # seconds a connection may stay silent (mid-request too) before it is closed
MAX_REQUEST_LINE = 8192  # bytes of "GET /path HTTP/1.1"; longer is answered 414
MAX_BODY = 16384  # bytes of a POST body (the provider switch sends a few dozen); more: 413


class Handler(BaseHTTPRequestHandler):
    """Routes: `/` the app, `/build/…` the current build, `/__dripmail__/…` app files and API."""

    preview: Preview
    static_dir: Path = STATIC_DIR
    server_version = "dripmail-preview"
    timeout = IDLE_TIMEOUT  # (socketserver sets it on the connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal shows builds, not requests."""

    def parse_request(self) -> bool:
        """http.server's parsing, with request lines over MAX_REQUEST_LINE bytes refused."""
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return super().parse_request()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serve a page, a file, the state or the event stream."""
        if (self.headers.get("Content-Length") or "0").strip() != "0":
            self.close_connection = True  # a body we do not read: the next request is unclear
        self._answer(self._get)

    def do_POST(self) -> None:  # noqa: N802
        """`/__dripmail__/provider` with {"provider": name or null}: rebuild for that provider."""
        self._answer(self._post)

    def _answer(self, route: Callable[[], None]) -> None:
        """Run a route: 403 for paths that leave the served folders, 500 (when nothing was sent
        yet) for a failure of ours; a client that left or stopped reading is let go."""
        self._sent = False
        try:
            route()
        except Forbidden:
            self._refuse(HTTPStatus.FORBIDDEN)
        except OSError:  # broken pipe, reset, or IDLE_TIMEOUT spent waiting for the client
            self.close_connection = True
        except Exception:
            self.close_connection = True
            if not self._sent:
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR)

    def _get(self) -> None:
        path, query = self._target()
        if path in ("/", "/index.html"):
            self._file(self.static_dir / "app.html", query, inject=False)
        elif path == f"{API}/state.json":
            self._json(self.preview.state())
        elif path == EVENTS:
            self._events()
        elif path.startswith(f"{API}/"):
            self._file(safe_path(self.static_dir, path[len(API) + 1:]), query, inject=False)
        elif path == "/build" or path.startswith("/build/"):
            self._build_file(path[len("/build/"):], query)
        else:
            self._error(HTTPStatus.NOT_FOUND)

    def _post(self) -> None:
        path, _ = self._target()
        if path != f"{API}/provider":
            return self._refuse(HTTPStatus.NOT_FOUND)
        if self.headers.get_content_type() != "application/json":
            # other sites can only send JSON after a CORS preflight, which we never grant
            return self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        body = self._body()
        if body is None:
            return None
        try:
            name = json.loads(body or b"{}").get("provider")
        except (ValueError, AttributeError):
            return self._error(HTTPStatus.BAD_REQUEST)
        if name is not None and name not in self.preview.providers:
            return self._error(HTTPStatus.BAD_REQUEST)
        self.preview.provider = name
        self.preview.rebuild()
        self._json(self.preview.state())

    def _body(self) -> bytes | None:
        """The request body, or None once 400, 411 or 413 is answered (the body left unread)."""
        lengths = self.headers.get_all("Content-Length") or ["0"]
        length = lengths[0].strip()
        if "Transfer-Encoding" in self.headers:
            return self._refuse(HTTPStatus.LENGTH_REQUIRED)  # chunked bodies are not read
        if len(lengths) > 1 or not (length.isascii() and length.isdigit()):
            return self._refuse(HTTPStatus.BAD_REQUEST)  # "abc", "-1", "5, 5"
        if int(length) > MAX_BODY:
            return self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return self.rfile.read(int(length))  # (a client that sends less: IDLE_TIMEOUT)

    def _refuse(self, status: HTTPStatus) -> None:
        """Answer an error and close the connection (a body may be left unread)."""
        self.close_connection = True
        self._error(status)

    def _target(self) -> tuple[str, dict[str, list[str]]]:
        """The decoded path and query of this request (absolute-form URLs included)."""
        if not host_allowed(self.headers.get("Host"), str(self.server.server_address[0])):
            raise Forbidden("Host")  # a page on another site that resolved its name to us
        parts = urlsplit(self.path)
        raw = parts.path
        if not raw.startswith("/") or "//" in raw or "\\" in raw:
            raise Forbidden(raw)
        try:
            return unquote(raw, errors="strict"), parse_qs(parts.query)
        except UnicodeDecodeError as exc:
            raise Forbidden(raw) from exc

    def _build_file(self, rel: str, query: dict[str, list[str]]) -> None:
        """A file of the current build; HTML gets the reload script unless `?raw=1`."""
        out_dir = self.preview.out_dir
        if out_dir is None:
            return self._error(HTTPStatus.NOT_FOUND)
        target = safe_path(out_dir, rel) if rel else out_dir
        try:
            if target.is_dir():
                target = target / "index.html"
        except OSError:  # a name too long, for instance: _file answers 404
            pass
        framed = self.headers.get("Sec-Fetch-Dest") == "iframe"  # its page reloads it anyway
        sample = self.preview.fillers.get(rel.split("/")[0]) if query.get("sample") == ["1"] \
            else None
        self._file(target, query, inject="raw" not in query and not framed, sample=sample)

    def _file(self, target: Path, query: dict[str, list[str]], *, inject: bool,
              sample: tuple[Any, Any] | None = None) -> None:
        """Send one file (404 when missing or unreadable, e.g. a name too long); with `sample`
        (HTML and text fillers), an email's merge tags filled for the sample subscriber."""
        try:
            body = target.read_bytes() if target.is_file() else None
        except OSError:
            body = None
        if body is None:
            return self._error(HTTPStatus.NOT_FOUND)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if sample is not None and ctype in ("text/html", "text/plain"):
            fill = sample[0] if ctype == "text/html" else sample[1]
            body = fill.fill(body.decode("utf-8", "replace")).encode("utf-8")
        if ctype == "text/html":
            if query.get("dark") == ["1"]:
                body = force_dark_styles(body)
            if inject:
                error = self.preview.error
                body = inject_reload_script(
                    body, self.preview.epoch, error=error and where(error) + error["message"]
                )
        if ctype.startswith("text/") or ctype.endswith(("javascript", "json")):
            ctype += "; charset=utf-8"
        self._send(HTTPStatus.OK, ctype, body)

    def _json(self, data: Any) -> None:
        """Send JSON."""
        self._send(HTTPStatus.OK, "application/json", json.dumps(data).encode())

    def _error(self, status: HTTPStatus) -> None:
        """Send a short plain-text error."""
        body = f"{status.value} {status.phrase}\n".encode()
        self._send(status, "text/plain; charset=utf-8", body)

    def _send(self, status: HTTPStatus, ctype: str, body: bytes) -> None:
        """Send a complete response that no cache keeps."""
        self._sent = True
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the current epoch now and after every build, pings in between
        (at most MAX_EVENT_STREAMS at once; the page's EventSource retries after a 503)."""
        slots = self.server.event_slots  # type: ignore[attr-defined]
        if not slots.acquire(blocking=False):
            return self._refuse(HTTPStatus.SERVICE_UNAVAILABLE)
        try:
            self._stream_events()
        finally:
            slots.release()

    def _stream_events(self) -> None:
        self._sent = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        seen = self.preview.epoch
        self.wfile.write(f"retry: 1000\ndata: {seen}\n\n".encode())
        self.wfile.flush()
        while not self.preview.stopping.is_set():
            epoch = self.preview.wait(seen, timeout=10)
            if self.preview.stopping.is_set():
                break
            self.wfile.write(f"data: {epoch}\n\n".encode() if epoch != seen else b": ping\n\n")
            self.wfile.flush()
            seen = epoch

    do_HEAD = do_GET

"""Preview server: build into a temporary folder, serve it with the preview app, rebuild on change.

Modelled on MkDocs' `serve` (temporary site folder, rebuild loop) and Lektor's tool drawer (the
reload script is added to HTML at response time, so nothing on disk is ever touched).

Whatever a client sends, it gets an answer or a closed connection within IDLE_TIMEOUT: malformed
requests get 400, 411, 413 or 414, connections beyond MAX_CONNECTIONS get 503 at once, and a
silent connection is closed. Live-reload event streams stay open while their page reads them.
"""

from __future__ import annotations

import html as htmllib
import ipaddress
import json
import mimetypes
import re
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dripmail.preview.livebuild import (
    TIME_LIMIT,
    BuildFn,
    Log,
    Preview,
    default_checker,
    theme_dir,
    watch,
    where,
)

API = "/__dripmail__"
EVENTS = f"{API}/events"
STATIC_DIR = Path(__file__).parent
IDLE_TIMEOUT = 15.0  # seconds a connection may stay silent (mid-request too) before it is closed
MAX_CONNECTIONS = 128  # connections served at once, one thread each; more are answered 503
MAX_EVENT_STREAMS = 32  # live-reload streams (open pages) at once; more are answered 503
MAX_REQUEST_LINE = 8192  # bytes of "GET /path HTTP/1.1"; longer is answered 414
MAX_BODY = 16384  # bytes of a POST body (the provider switch sends a few dozen); more: 413

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
        self._file(target, query, inject="raw" not in query and not framed)

    def _file(self, target: Path, query: dict[str, list[str]], *, inject: bool) -> None:
        """Send one file (404 when missing or unreadable, e.g. a name too long)."""
        try:
            body = target.read_bytes() if target.is_file() else None
        except OSError:
            body = None
        if body is None:
            return self._error(HTTPStatus.NOT_FOUND)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
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


class HTTPServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` at once (the next ones are answered
    503 without a thread), a listen queue of 128, and no traceback for a broken connection."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[Handler], *,
                 max_connections: int = MAX_CONNECTIONS,
                 max_event_streams: int = MAX_EVENT_STREAMS) -> None:
        self.slots = threading.BoundedSemaphore(max_connections)
        self.event_slots = threading.BoundedSemaphore(max_event_streams)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve in a new thread if a slot is free, else answer 503 at once."""
        if not self.slots.acquire(blocking=False):
            _busy(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a connection that broke is the client's business."""


def _busy(connection: socket.socket) -> None:
    """Answer 503 on a connection that gets no thread (without reading its request)."""
    body = b"503 Service Unavailable: too many connections\n"
    try:
        connection.settimeout(1)
        connection.sendall(b"HTTP/1.0 503 Service Unavailable\r\nConnection: close\r\n"
                           b"Content-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
                           b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    except OSError:
        pass


class PreviewServer:
    """A running preview: HTTP server and watcher in background threads (a context manager)."""

    def __init__(
        self, preview: Preview, host: str = "127.0.0.1", port: int = 0, *,
        watch_files: bool = True, idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS, max_event_streams: int = MAX_EVENT_STREAMS,
    ) -> None:
        handler = type("BoundHandler", (Handler,), {"preview": preview, "timeout": idle_timeout})
        self.preview = preview
        self.httpd = HTTPServer((host, port), handler, max_connections=max_connections,
                                max_event_streams=max_event_streams)
        self.watch_files = watch_files
        self._stop = threading.Event()
        self.watching = threading.Event()  # set once file changes are being watched
        self._threads: list[threading.Thread] = []
        self._serving = self._watching = False

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        """Watch (see watch()), then serve, in background threads."""
        self.watch()
        if not self._serving:
            self._serving = True
            self._spawn(lambda: self.httpd.serve_forever(poll_interval=0.05), "dripmail-http")
        return self

    def watch(self) -> None:
        """Start watching the files (once); return when changes are picked up, so an edit saved
        from now on (even during the first build) brings a rebuild."""
        if not self.watch_files or self._watching:
            return
        self._watching = True
        self._spawn(lambda: watch(self.preview, theme_dir(), self._stop, self.watching),
                    "dripmail-watch")
        self.watching.wait(timeout=30)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving and watching, and delete the temporary build folder (idempotent)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self.preview.stopping.set()
        if self._serving:  # shutdown() would wait forever for a server that never ran
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.preview.close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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


def serve(
    project_dir: Path,
    sources: Sequence[Path] = (),
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = True,
    build_fn: BuildFn | None = None,
    log: Log = print,
    time_limit: float | None = TIME_LIMIT,
) -> None:
    """Watch, build, serve and rebuild on change until Ctrl-C or SIGTERM (both remove the
    temporary build folder)."""
    from dripmail.providers.dialect import DIALECTS

    restore = _stop_on_sigterm()
    try:
        preview = Preview(
            project_dir, sources, build_fn, checker=default_checker(),
            providers=sorted(DIALECTS), log=log, time_limit=time_limit,
        )
        try:
            server = PreviewServer(preview, host, port)
        except OSError as exc:
            preview.close()
            from dripmail.errors import DripmailError

            raise DripmailError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "pass another --port (0 picks a free one)"
            ) from exc
        _run(server, log, open_browser)
    finally:
        restore()


def _run(server: PreviewServer, log: Log, open_browser: bool) -> None:
    """Watch, build once, serve until interrupted; then stop and clean up."""
    try:
        server.watch()  # before the first build: an edit saved during it is not missed
        server.preview.rebuild()
        server.start()
        log(f"Previewing {server.preview.project_dir} at {server.url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log("Stopping the preview.")
    finally:
        server.stop()


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM (`kill`, `timeout`, `docker stop`) stop the preview as Ctrl-C does (not
    outside the main thread, where handlers cannot be set); returns what undoes it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)

"""Preview server: build into a temporary folder, serve it with the preview app, rebuild on change.

Modelled on MkDocs' `serve` (temporary site folder, rebuild loop) and Lektor's tool drawer (the
reload script is added to HTML at response time, so nothing on disk is ever touched).
"""

from __future__ import annotations

import html as htmllib
import ipaddress
import json
import mimetypes
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dripmail import timeline

API = "/__dripmail__"
EVENTS = f"{API}/events"
STATIC_DIR = Path(__file__).parent / "preview"
ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
BuildFn = Callable[..., Any]  # build(project_dir, sources, out_dir=, overrides=) -> BuildResult
# (out_dir, build result) -> {"<sequence folder>/<email>.html": findings}
Checker = Callable[[Path, Any], dict[str, list[dict[str, Any]]]]
Log = Callable[[str], None]

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
_FILE_LINE = re.compile(r"([^\s:][^:\n]*):(\d+): ")
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

    lower = html.lower()
    at = lower.find(b"</head>")
    html = _DARK_FEATURE.sub(swap, html)
    if at == -1:
        return _DARK_ROOT + html
    at = html.lower().find(b"</head>")
    return html[:at] + _DARK_ROOT + html[at:]


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


def error_info(exc: BaseException) -> dict[str, Any]:
    """What the page shows for a failed build: file, line and message."""
    path, line = getattr(exc, "path", None), getattr(exc, "line", None)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    found = _FILE_LINE.match(message)
    if found and (path is None or found.group(1) == str(path)):  # `file:line: what is wrong`
        path, line, message = found.group(1), int(found.group(2)), message[found.end():]
    elif path is not None and message.startswith(f"{path}: "):
        message = message[len(f"{path}: "):]
    info: dict[str, Any] = {
        "file": str(path) if path is not None else None,
        "line": line,
        "message": message,
        "kind": type(exc).__name__,
    }
    if not hasattr(exc, "message"):  # not a DripmailError: an unexpected failure, keep the trace
        info["traceback"] = "".join(traceback.format_exception(exc))
    return info


def fresh_build(project_dir: Path, sources: Sequence[Path] = (), out_dir: Path | None = None,
                overrides: Any = None) -> Any:
    """`dripmail.build.build`, with the theme's cached Jinja environments dropped first: a
    cached environment keeps serving the built-in template after a project adds its own."""
    from dripmail import build, theme

    theme.environment.cache_clear()
    return build.build(project_dir, sources, out_dir, overrides)


def theme_dir() -> Path | None:
    """The built-in theme folder, watched like the project's own templates."""
    from dripmail.theme import builtin_dir

    found = builtin_dir()
    return found if found.is_dir() else None


def default_checker() -> Checker | None:
    """Findings per email from the quality gate (`dripmail.checks`), when it is installed."""
    try:
        from dripmail import checks  # optional: the quality gate
    except ImportError:
        return None
    run = getattr(checks, "check_sequences", None)
    if run is None:
        return None

    def checker(out_dir: Path, result: Any) -> dict[str, list[dict[str, Any]]]:
        _docs, findings = run(result.sequences, out_dir)
        by_file: dict[str, list[dict[str, Any]]] = {}
        for f in findings:
            path = Path(str(f.file))
            key = path.relative_to(out_dir).as_posix() if path.is_relative_to(out_dir) else ""
            by_file.setdefault(key, []).append(
                {k: str(getattr(f, k, "") or "") for k in ("severity", "rule", "message", "fix")}
            )
        return by_file

    return checker


class Preview:
    """The preview's state: the current build folder, its summary, the last error and an epoch.

    The epoch grows by one after every build attempt; pages reload when it changes.
    """

    def __init__(
        self,
        project_dir: Path,
        sources: Sequence[Path] = (),
        build_fn: BuildFn | None = None,
        *,
        checker: Checker | None = None,
        providers: Iterable[str] = (),
        log: Log | None = None,
    ) -> None:
        build_fn = build_fn or fresh_build
        self.project_dir = Path(project_dir).resolve()
        self.sources = tuple(Path(s) for s in sources)
        self.build_fn = build_fn
        self.checker = checker
        self.providers = tuple(providers)
        self.log = log or (lambda message: None)
        self.root = Path(tempfile.mkdtemp(prefix="dripmail-preview-"))
        self.provider: str | None = None  # None: as configured
        self.out_dir: Path | None = None
        self.epoch = 0
        self.error: dict[str, Any] | None = None
        self.sequences: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.stopping = threading.Event()
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._count = 0

    def rebuild(self) -> bool:
        """Build into a fresh folder and make it current; on failure keep the last good one."""
        with self._building:
            self._count += 1
            target = self.root / f"build-{self._count}"
            overrides = {"provider": self.provider} if self.provider else None
            started = time.monotonic()
            try:
                result = self.build_fn(
                    self.project_dir, self.sources, out_dir=target, overrides=overrides
                )
                sequences = self._summarize(target, result)
            except Exception as exc:  # a build error never stops the server
                shutil.rmtree(target, ignore_errors=True)
                error = error_info(exc)
                self.log(f"Build failed: {_where(error)}{error['message']}")
                if "traceback" in error:
                    self.log(error["traceback"])
                with self._changed:
                    self.error = error
                    self.epoch += 1
                    self._changed.notify_all()
                return False
            old, count = self.out_dir, sum(len(s["emails"]) for s in sequences)
            with self._changed:
                self.out_dir, self.sequences, self.error = target, sequences, None
                self.warnings = [str(w) for w in getattr(result, "warnings", ())]
                self.epoch += 1
                self._changed.notify_all()
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.log(f"Built {count} emails in {time.monotonic() - started:.1f} s")
            return True

    def _summarize(self, out_dir: Path, result: Any) -> list[dict[str, Any]]:
        """The timeline data of a finished build, read from its manifests."""
        built = {s.slug: s for s in getattr(result, "sequences", ())}
        findings: dict[str, list[dict[str, Any]]] = {}
        if self.checker is not None:
            try:
                findings = self.checker(out_dir, result)
            except Exception as exc:  # the checks are an extra: never break the preview
                self.log(f"Checks failed: {exc}")
        summaries = []
        for folder, manifest in timeline.read_manifests(out_dir, built):
            settings = getattr(built.get(folder), "settings", None)
            sender = getattr(settings, "sender_name", "") if settings else ""
            summaries.append(
                timeline.sequence_summary(folder, manifest, sender=sender, findings=findings)
            )
        return summaries

    def state(self) -> dict[str, Any]:
        """Everything the preview page shows, as JSON-ready data."""
        with self._changed:
            return {
                "epoch": self.epoch,
                "error": self.error,
                "provider": self.provider,
                "providers": list(self.providers),
                "checks": self.checker is not None,
                "project": str(self.project_dir),
                "sequences": self.sequences,
                "warnings": self.warnings,
                "index": "/build/" if self.out_dir and (self.out_dir / "index.html").exists()
                else None,
            }

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the epoch differs from `seen`, the preview stops, or `timeout` passes."""
        with self._changed:
            self._changed.wait_for(lambda: self.epoch != seen or self.stopping.is_set(), timeout)
            return self.epoch

    def close(self) -> None:
        """Wake every waiting page stream and delete the temporary folder."""
        self.stopping.set()
        with self._changed:
            self._changed.notify_all()
        shutil.rmtree(self.root, ignore_errors=True)


def _where(error: dict[str, Any]) -> str:
    """`file:line: ` for an error (empty when the file is unknown)."""
    if not error.get("file"):
        return ""
    return f"{error['file']}:{error['line']}: " if error.get("line") else f"{error['file']}: "


class Handler(BaseHTTPRequestHandler):
    """Routes: `/` the app, `/build/…` the current build, `/__dripmail__/…` app files and API."""

    preview: Preview
    static_dir: Path = STATIC_DIR
    server_version = "dripmail-preview"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal shows builds, not requests."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serve a page, a file, the state or the event stream."""
        try:
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
        except Forbidden:
            self._error(HTTPStatus.FORBIDDEN)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:  # noqa: N802
        """`/__dripmail__/provider` with {"provider": name or null}: rebuild for that provider."""
        try:
            path, _ = self._target()
            if path != f"{API}/provider":
                return self._error(HTTPStatus.NOT_FOUND)
            if self.headers.get_content_type() != "application/json":
                # other sites can only send JSON after a CORS preflight, which we never grant
                return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
            length = int(self.headers.get("Content-Length") or 0)
            try:
                name = json.loads(self.rfile.read(length) or b"{}").get("provider")
            except (ValueError, AttributeError):
                return self._error(HTTPStatus.BAD_REQUEST)
            if name is not None and name not in self.preview.providers:
                return self._error(HTTPStatus.BAD_REQUEST)
            self.preview.provider = name
            self.preview.rebuild()
            self._json(self.preview.state())
        except Forbidden:
            self._error(HTTPStatus.FORBIDDEN)
        except (BrokenPipeError, ConnectionResetError):
            pass

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
        if target.is_dir():
            target = target / "index.html"
        framed = self.headers.get("Sec-Fetch-Dest") == "iframe"  # its page reloads it anyway
        self._file(target, query, inject="raw" not in query and not framed)

    def _file(self, target: Path, query: dict[str, list[str]], *, inject: bool) -> None:
        """Send one file (404 when missing)."""
        if not target.is_file():
            return self._error(HTTPStatus.NOT_FOUND)
        body = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            if query.get("dark") == ["1"]:
                body = force_dark_styles(body)
            if inject:
                error = self.preview.error
                body = inject_reload_script(
                    body, self.preview.epoch, error=error and _where(error) + error["message"]
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
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the current epoch now and after every build, pings in between."""
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


def is_watched(
    path: Path, project_dir: Path, sources: Sequence[Path], theme: Path | None
) -> bool:
    """Whether a change to `path` calls for a rebuild: an article, dripmail.toml or a template."""
    name = path.name
    if name.startswith(".") or name.endswith("~"):  # editor swap and backup files
        return False
    if path == project_dir / "dripmail.toml":
        return True
    templates = [project_dir / "templates"] + ([theme] if theme else [])
    if any(path.is_relative_to(t) for t in templates):
        return True
    for source in sources or (project_dir / "sequences",):
        if path == source or (path.is_relative_to(source) and path.suffix in ARTICLE_SUFFIXES):
            return True
    return False


def watch_roots(project_dir: Path, sources: Sequence[Path], theme: Path | None) -> list[Path]:
    """The existing folders to watch (files are watched through their folder, as editors
    often save by replacing the file)."""
    roots = [project_dir, *(s if s.is_dir() else s.parent for s in sources)]
    if theme:
        roots.append(theme)
    unique: list[Path] = []
    existing = {r.resolve() for r in roots if r.exists()}
    for root in sorted(existing, key=lambda p: (len(p.parts), str(p))):
        if not any(root.is_relative_to(u) for u in unique):
            unique.append(root)
    return unique


def watch(
    preview: Preview, theme: Path | None, stop: threading.Event, ready: threading.Event
) -> None:
    """Rebuild after every batch of relevant changes until `stop` is set; `ready` is set once
    the watcher runs (the first, empty batch comes after `rust_timeout` without changes)."""
    import watchfiles

    sources = tuple(s.resolve() for s in preview.sources)
    roots = watch_roots(preview.project_dir, sources, theme)

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        return is_watched(Path(path), preview.project_dir, sources, theme)

    for changes in watchfiles.watch(
        *roots, watch_filter=relevant, stop_event=stop, debounce=300, step=50,
        rust_timeout=200, yield_on_timeout=True, raise_interrupt=False,
        ignore_permission_denied=True,
    ):
        ready.set()
        if changes:
            names = sorted({Path(p).name for _, p in changes})
            preview.log(f"Changed: {', '.join(names)}")
            preview.rebuild()


class PreviewServer:
    """A running preview: HTTP server and watcher in background threads (a context manager)."""

    def __init__(
        self, preview: Preview, host: str = "127.0.0.1", port: int = 0, *, watch_files: bool = True
    ) -> None:
        handler = type("BoundHandler", (Handler,), {"preview": preview})
        self.preview = preview
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.watch_files = watch_files
        self._stop = threading.Event()
        self.watching = threading.Event()  # set once file changes are being watched
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        """Serve and watch in background threads."""
        self._spawn(lambda: self.httpd.serve_forever(poll_interval=0.05), "dripmail-http")
        if self.watch_files:
            self._spawn(
                lambda: watch(self.preview, theme_dir(), self._stop, self.watching),
                "dripmail-watch",
            )
        return self

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
) -> None:
    """Build, serve and rebuild on change until Ctrl-C."""
    from dripmail.mergetags import DIALECTS

    preview = Preview(
        project_dir, sources, build_fn, checker=default_checker(), providers=sorted(DIALECTS),
        log=log,
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
    preview.rebuild()
    with server:
        log(f"Previewing {preview.project_dir} at {server.url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            log("Stopping the preview.")


"""Preview server: build into a temporary folder, serve it with the preview app, rebuild on change.

Modelled on MkDocs' `serve` (temporary site folder, rebuild loop) and Lektor's tool drawer (the
reload script is added to HTML at response time, so nothing on disk is ever touched).

Whatever a client sends, it gets an answer or a closed connection within IDLE_TIMEOUT: malformed
requests get 400, 411, 413 or 414, connections beyond MAX_CONNECTIONS get 503 at once, and a
silent connection is closed. Live-reload event streams stay open while their page reads them.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from dripmail.preview.handler import IDLE_TIMEOUT, Handler
from dripmail.preview.livebuild import TIME_LIMIT, BuildFn, Log, Preview, default_checker
from dripmail.preview.watching import theme_dir, watch

MAX_CONNECTIONS = 128  # connections served at once, one thread each; more are answered 503
MAX_EVENT_STREAMS = 32  # live-reload streams (open pages) at once; more are answered 503


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

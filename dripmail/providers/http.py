"""A small JSON-over-HTTP client for the provider APIs, which treats their answers as hostile.

- Credentials go with each request, and only to the configured origin (scheme, host, port). A
  redirect to another origin is refused with an error naming it; same-origin redirects are
  followed.
- Every answer is checked: status, a JSON content type, JSON that parses, the fields the
  uploader reads (see :meth:`Client.dig`). Provider text is printed without control characters.
- 429 and 5xx answers and broken connections are retried with announced waits; a provider may
  ask for at most ``Pacing.max_wait`` seconds. A POST is never sent again blindly: after a 5xx,
  a timeout or a broken connection, :meth:`Client.create` first looks up whether it took effect.
- Short connect/read timeouts, a time limit for the whole upload, and bounded pagination.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from dripmail.providers.answers import AGAIN, Answers, Uncertain
from dripmail.providers.base import ProviderError
from dripmail.providers.pacing import Pacing, asked_delay, backoff, seconds
from dripmail.providers.pages import Listing
from dripmail.safetext import printable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_ANSWER = 32 * 1024 * 1024  # bytes of one answer


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, the port defaulted; an unreadable port gives None."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def show_origin(url: str) -> str:
    """`scheme://host:port` of `url`, printable."""
    scheme, host, port = origin(url)
    return printable(f"{scheme}://{host}:{port}" if scheme and host else url, 120)


class Client(Listing, Answers):
    """Requests against one provider's base URL with its credentials; JSON in, checked JSON
    out."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        env_name: str = "",
        pacing: Pacing | None = None,
        sleep: Callable[[float], None] | None = None,
        reset_header: str = "",
    ):
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.origin = origin(self.base_url)
        self.env_name = env_name
        self.pacing = (pacing or Pacing()).start(sleep)
        self.reset_header = reset_header
        self.credentials = dict(headers or {})  # sent per request, to self.origin only
        self.auth = auth
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        self.session.headers.update({"Accept": "application/json"})

    # ---- one request ---------------------------------------------------------------------
    def request(self, method: str, path: str, *, what: str = "", **kwargs: Any) -> Any:
        """Send one request, retrying what is safe to retry; return its checked JSON answer
        (None for an empty one). A POST's 5xx, timeout or broken connection raises Uncertain."""
        where = f"{self.provider}: {what}" if what else self.provider
        call = f"{method} {path}"
        timeouts = 0
        for attempt in range(self.pacing.attempts):
            last = attempt + 1 == self.pacing.attempts
            try:
                response, body = self._exchange(method, path, where, kwargs)
            except requests.RequestException as exc:
                timeouts += isinstance(exc, requests.Timeout)
                self._broken(exc, method, where, call, last or timeouts >= self.pacing.timeouts)
                self.pacing.wait(backoff(attempt), self._trouble(exc), self.provider, where)
                continue
            status = response.status_code
            if status in RETRY_STATUSES and method == "POST" and status != 429:
                raise Uncertain(self.error(method, path, response, what, body).message,
                                f"the provider answered {status}")
            if status in RETRY_STATUSES and not last:
                self._pause(response, attempt, where, call)
                continue
            if not 200 <= status < 300:
                raise self.error(method, path, response, what, body)
            return self._json(response, body, where, call)
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, method: str, path: str, where: str, kwargs: dict[str, Any]
                  ) -> tuple[requests.Response, bytes]:
        """One request and its whole answer, following same-origin redirects; credentials go
        only to the configured origin, and a redirect anywhere else is refused."""
        url = self.base_url + path
        for _ in range(MAX_REDIRECTS + 1):
            mine = origin(url) == self.origin
            response = self.session.request(
                method, url, headers=self.credentials if mine else None,
                auth=self.auth if mine else None, allow_redirects=False, stream=True,
                timeout=self.pacing.timeout(where), **kwargs)
            with response:
                body = self._read(response, where)
            if response.status_code not in REDIRECTS:
                return response, body
            url = self._redirect(url, response, method, path, where)
            kwargs = {k: v for k, v in kwargs.items() if k != "params"}  # Location has them
        raise ProviderError(f"{where}: {method} {path} answered more than {MAX_REDIRECTS} "
                            f"redirects; {AGAIN}")

    def _redirect(self, url: str, response: requests.Response, method: str, path: str,
                  where: str) -> str:
        """Where a redirect may be followed to (same origin, same method), or an error."""
        status = response.status_code
        location = response.headers.get("Location", "")
        said = f"{where}: {method} {path} answered {status}"
        if not location:
            raise ProviderError(f"{said}, a redirect without a Location; {AGAIN}")
        target = urljoin(url, location)
        if origin(target) != self.origin:
            raise ProviderError(
                f"{said}, a redirect to another host, {show_origin(target)}; refused (the "
                f"credentials go only to {show_origin(self.base_url)}; if the provider moved, "
                "give its new address with --api-url)")
        if method != "GET" and status not in (307, 308):
            raise ProviderError(f"{said}, a redirect that would turn the {method} into a GET; "
                                f"{AGAIN}")
        return target

    def _read(self, response: requests.Response, where: str) -> bytes:
        """The answer's body, at most MAX_ANSWER bytes, within the time limit."""
        chunks, size = [], 0
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > MAX_ANSWER:
                raise ProviderError(f"{where}: the answer is larger than "
                                    f"{MAX_ANSWER // 2**20} MB; {AGAIN}")
            if self.pacing.left() <= 0:
                raise self.pacing.over(where, "stopped while reading the answer")
            chunks.append(chunk)
        return b"".join(chunks)

    def _trouble(self, exc: requests.RequestException) -> str:
        """What went wrong with the connection, in a few words."""
        if isinstance(exc, requests.ConnectTimeout):
            return f"cannot connect to {show_origin(self.base_url)} within " \
                   f"{seconds(self.pacing.connect_timeout)}"
        if isinstance(exc, requests.Timeout):
            return f"no answer from {show_origin(self.base_url)} within " \
                   f"{seconds(self.pacing.read_timeout)}"
        return f"cannot reach {self.base_url} ({type(exc).__name__})" if _not_sent(exc) else \
            f"the connection to {show_origin(self.base_url)} broke ({type(exc).__name__})"

    def _broken(self, exc: requests.RequestException, method: str, where: str, call: str,
                give_up: bool) -> None:
        """Raise for a failed connection unless it may be retried."""
        trouble = self._trouble(exc)
        if method == "POST" and not _not_sent(exc):
            raise Uncertain(f"{where}: {call}: {trouble}", trouble)
        if give_up:
            raise ProviderError(f"{where}: {call}: {trouble}; try again later")

    def _pause(self, response: requests.Response, attempt: int, where: str, call: str) -> None:
        """Wait before retrying a 429/5xx: as long as the provider asks, within bounds."""
        asked = asked_delay(response.headers, self.reset_header)
        self.pacing.retry_wait(response.status_code, asked, attempt, self.provider,
                               f"{where}: {call}")

    # ---- verbs -----------------------------------------------------------------------------
    def get(self, path: str, **kwargs: Any) -> Any:
        """GET `path`."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        """POST `path` once (see `create` for a POST that may be sent again)."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        """PUT `path`."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        """PATCH `path`."""
        return self.request("PATCH", path, **kwargs)


def _not_sent(exc: requests.RequestException) -> bool:
    """Whether the request never reached the server (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)

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

import datetime as dt
import email.utils
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from dripmail.delivery.remote import printable
from dripmail.providers import UPLOAD_TIME_LIMIT
from dripmail.providers.base import ProviderError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_ANSWER = 32 * 1024 * 1024  # bytes of one answer
TIME_LIMIT = float(UPLOAD_TIME_LIMIT)  # seconds for a whole upload (`--time-limit`)
MAX_WAIT = 60.0  # the longest wait a provider may ask for (Retry-After)
AGAIN = "check --api-url, then run the upload again (it updates what already exists)"
HINTS = {
    401: "check the API key in {env}",
    403: "the key in {env} lacks permission for this request",
    422: "the provider rejected the content",
}
Kinds = type | tuple[type, ...]


def _quiet(message: str) -> None:
    """The default announcer of waits: silent."""


def seconds(value: float) -> str:
    """`7 s`, `0.5 s`: a duration as the messages print it."""
    return f"{round(value, 1):g} s"


@dataclass(frozen=True, slots=True)
class Pacing:
    """Timeouts, retries, waits and the time limit of an upload; the sleep, the clock and the
    announcer of waits (`dripmail upload` prints them on stderr) can be swapped for tests."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_wait: float = MAX_WAIT
    time_limit: float = TIME_LIMIT
    attempts: int = 5  # of one request (429, 5xx, broken connections)
    timeouts: int = 2  # of those, how many may end in a timeout
    max_pages: int = 200  # of one listing
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    notify: Callable[[str], None] = _quiet
    deadline: float | None = None  # on `clock`; set by start()

    def start(self, sleep: Callable[[float], None] | None = None) -> Pacing:
        """This pacing with `sleep` swapped in (if given) and its deadline set (if not yet)."""
        pacing = replace(self, sleep=sleep) if sleep else self
        if pacing.deadline is None:
            pacing = replace(pacing, deadline=pacing.clock() + pacing.time_limit)
        return pacing

    def left(self) -> float:
        """Seconds left before the time limit."""
        return math.inf if self.deadline is None else self.deadline - self.clock()

    def timeout(self, where: str) -> tuple[float, float]:
        """(connect, read) timeouts for the next request, within the time limit."""
        left = self.left()
        if left <= 0:
            raise self.over(where, "stopped")
        return min(self.connect_timeout, left), min(self.read_timeout, left)

    def over(self, where: str, why: str) -> ProviderError:
        """The error for an upload that reached its time limit."""
        return ProviderError(f"{where}: {why}: the whole upload may take at most "
                             f"{seconds(self.time_limit)}; run the upload again later (it "
                             "updates what already exists), or raise --time-limit")

    def retry_wait(self, status: int, asked: float | None, attempt: int, provider: str,
                   where: str) -> None:
        """Wait before retrying a 429/5xx: `asked` seconds (the provider's Retry-After), at most
        `max_wait`, else the backoff of `attempt`."""
        if asked is not None and asked > self.max_wait:
            at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=min(asked, 10**7))
            raise ProviderError(
                f"{where} answered {status} asking to wait {seconds(asked)}, longer than "
                f"dripmail waits ({seconds(self.max_wait)}); try again after "
                f"{at:%Y-%m-%d %H:%M} UTC")
        reason = ("the provider asked us to slow down" if status == 429 else
                  f"the provider answered {status}")
        self.wait(backoff(attempt) if asked is None else asked, reason, provider, where)

    def wait(self, delay: float, reason: str, provider: str, where: str) -> None:
        """Announce and sleep `delay` seconds, unless that passes the time limit."""
        if delay >= self.left():
            raise self.over(where, f"{reason}, and waiting {seconds(delay)} would pass the "
                                   "time limit")
        self.notify(f"{provider}: waiting {seconds(delay)}: {reason}")
        self.sleep(delay)


def retry_delay(headers: Mapping[str, str], attempt: int, reset_header: str = "") -> float:
    """Seconds to wait: what the provider asked for (see `asked_delay`), else 1, 2, 4… ≤ 30."""
    asked = asked_delay(headers, reset_header)
    return backoff(attempt) if asked is None else asked


def asked_delay(headers: Mapping[str, str], reset_header: str = "") -> float | None:
    """Retry-After (seconds or an HTTP date) or a reset header in seconds; None when absent or
    unreadable (`soon-ish`, negative, not finite)."""
    for name in ("Retry-After", reset_header):
        value = (headers.get(name) or "").strip() if name else ""
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            number = _http_date(value) if name == "Retry-After" else None
        if number is not None and math.isfinite(number) and number >= 0:
            return number
    return None


def _http_date(value: str) -> float | None:
    """Seconds from now until an HTTP date (0 when past), or None when it is not one."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - time.time())


def backoff(attempt: int) -> float:
    """1, 2, 4, 8… seconds, at most 30."""
    return float(min(2 ** min(attempt, 5), 30))


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


def provider_message(response: requests.Response, body: bytes | None = None) -> str:
    """The provider's own error message from a JSON (or text) error body, printable."""
    raw = response.content if body is None else body
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return printable(raw.decode("utf-8", "replace") or response.reason or "")
    if isinstance(data, dict):
        parts: list[str] = []
        for key in ("title", "Message", "message", "detail", "error", "errors", "code"):
            value = data.get(key)
            if isinstance(value, list):
                value = "; ".join(str(v.get("message", v)) if isinstance(v, dict) else str(v)
                                  for v in value[:5])
            if value and str(value) not in parts:
                parts.append(str(value))
            if len(parts) == 2:
                break
        if parts:
            return printable(": ".join(parts))
    return printable(str(data))


class Uncertain(ProviderError):
    """A POST whose outcome is unknown (5xx, timeout, broken connection): it may have taken
    effect. :meth:`Client.create` looks it up before sending it again."""

    def __init__(self, message: str, reason: str):
        super().__init__(f"{message}; it may have taken effect: {AGAIN}")
        self.reason = reason


def _is(value: Any, kinds: Kinds) -> bool:
    """isinstance, except that a bool is not an int."""
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
        return False
    return isinstance(value, kinds)


def _kind_name(kinds: Kinds) -> str:
    names = {int: "a number", str: "a string", list: "a list", dict: "an object",
             bool: "true/false", type(None): "null"}
    return " or ".join(names.get(k, k.__name__) for k in (
        kinds if isinstance(kinds, tuple) else (kinds,)))


class Client:
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

    # ---- answers ---------------------------------------------------------------------------
    def _json(self, response: requests.Response, body: bytes, where: str, call: str) -> Any:
        """The JSON of a 2xx answer (None when empty); anything else is an error."""
        if not body.strip():
            return None
        said = f"{where}: {call} answered {response.status_code}"
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        snippet = printable(body.decode("utf-8", "replace"), 80)
        if ctype != "application/json" and not ctype.endswith("+json"):
            raise ProviderError(f"{said} with {printable(ctype, 60) or 'no content type'}, "
                                f"not JSON (\"{snippet}\"); {AGAIN}")
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise ProviderError(f"{said} with JSON that does not parse (cut short?): "
                                f"\"{snippet}\"; {AGAIN}") from None

    def dig(self, answer: Any, keys: tuple[str, ...], kinds: Kinds, *, what: str, call: str,
            optional: bool = False) -> Any:
        """`answer[k1][k2]…` when it is of `kinds` (None if `optional` and absent), else an
        error naming the call and the field."""
        value = answer
        for key in keys:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif optional and isinstance(value, dict):
                return None
            else:
                raise self.shape_error(answer, f"{_kind_name(kinds)} at \"{'.'.join(keys)}\"",
                                       what=what, call=call)
        if (value is None and optional) or _is(value, kinds):
            return value
        raise self.shape_error(answer, f"{_kind_name(kinds)} at \"{'.'.join(keys)}\"",
                               what=what, call=call)

    def items(self, batch: list[Any], fields: Mapping[str, Kinds], *, what: str, call: str
              ) -> list[dict]:
        """`batch` when every item is an object whose `fields` have the right kinds."""
        for item in batch:
            if not isinstance(item, dict) or not all(
                    _is(item.get(k), kinds) for k, kinds in fields.items()):
                wanted = ", ".join(f"{k} ({_kind_name(v)})" for k, v in fields.items())
                raise self.shape_error(item, f"items with {wanted}", what=what, call=call)
        return batch

    def shape_error(self, answer: Any, wanted: str, *, what: str, call: str) -> ProviderError:
        """An answer that is JSON but not of the documented shape."""
        snippet = printable(json.dumps(answer, ensure_ascii=False)[:400], 80)
        return ProviderError(f"{self.provider}: {what}: {call} answered JSON without "
                             f"{wanted} ({snippet}); {AGAIN}")

    def error(self, method: str, path: str, response: requests.Response, what: str,
              body: bytes | None = None) -> ProviderError:
        """A ProviderError naming the email (if any), the status and the provider's message."""
        status = response.status_code
        subject = f"{what}: " if what else ""
        hint = HINTS.get(status, "").format(env=self.env_name or "the environment")
        message = provider_message(response, body)
        reason = printable(response.reason or "", 60)
        text = f"{self.provider}: {subject}{method} {path} failed with {status} {reason}".rstrip()
        if message:
            text += f': "{message}"'
        if hint:
            text += f" ({hint})"
        return ProviderError(text)

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

    def create(self, path: str, body: Any, *, what: str, id_at: tuple[str, ...],
               lookup: Callable[[], int | None]) -> int:
        """POST `body` and return the new object's id (at `id_at` in the answer). When the
        outcome is unknown (Uncertain), `lookup()` finds the object if it was made; only if it
        was not is the POST sent again."""
        for attempt in range(self.pacing.attempts):
            try:
                answer = self.post(path, json=body, what=what)
            except Uncertain as exc:
                found = lookup()
                if found is not None:
                    self.pacing.notify(f"{self.provider}: {what}: no clear answer, but it was "
                                       "created; not sending it again")
                    return found
                if attempt + 1 == self.pacing.attempts:
                    raise
                where = f"{self.provider}: {what}"
                self.pacing.wait(backoff(attempt), f"{exc.reason}, and it did not take effect",
                                 self.provider, where)
                continue
            return self.dig(answer, id_at, int, what=what, call=f"POST {path}")
        raise AssertionError("unreachable")  # pragma: no cover

    def offset_pages(self, path: str, *, items: str, total: str, fields: Mapping[str, Kinds],
                     size: tuple[str, int], offset: str, params: Mapping[str, Any] | None = None,
                     what: str = "listing") -> list[dict]:
        """Every item of an offset-paginated list. At most `max_pages` pages: a total larger
        than that, or a page repeating the one before, is an error."""
        found: list[dict] = []
        previous: list[dict] | None = None
        limit = size[1] * self.pacing.max_pages
        for _ in range(self.pacing.max_pages):
            query = {**(params or {}), size[0]: size[1], offset: len(found)}
            call = f"GET {path}"
            page = self.get(path, params=query, what=what)
            batch = self.dig(page or {}, (items,), list, what=what, call=call, optional=True)
            count = self.dig(page or {}, (total,), int, what=what, call=call, optional=True)
            if (count or 0) > limit:
                raise ProviderError(f"{self.provider}: {what}: {call} answered that there are "
                                    f"{count} items, more than dripmail lists ({limit}); "
                                    f"{AGAIN}")
            batch = self.items(batch or [], fields, what=what, call=call)
            if batch and batch == previous:
                raise self.endless(what, call, "the same page again")
            found += batch
            previous = batch
            if not batch or len(found) >= (count or 0):
                return found
        raise self.endless(what, f"GET {path}", f"more than {self.pacing.max_pages} pages")

    def cursor_pages(self, path: str, key: str, fields: Mapping[str, Kinds], *, what: str,
                     per_page: int = 500) -> list[dict]:
        """Every item of a cursor-paginated list (Kit), at most `max_pages` pages."""
        found: list[dict] = []
        params: dict[str, Any] = {"per_page": per_page}
        seen: set[str] = set()
        call = f"GET {path}"
        for _ in range(self.pacing.max_pages):
            page = self.get(path, params=params, what=what)
            batch = self.dig(page, (key,), list, what=what, call=call)
            found += self.items(batch, fields, what=what, call=call)
            more = self.dig(page, ("pagination", "has_next_page"), bool, what=what, call=call)
            if not more:
                return found
            cursor = self.dig(page, ("pagination", "end_cursor"), str, what=what, call=call)
            if cursor in seen:
                raise self.endless(what, call, "the same cursor again")
            seen.add(cursor)
            params["after"] = cursor
        raise self.endless(what, call, f"more than {self.pacing.max_pages} pages")

    def endless(self, what: str, call: str, problem: str) -> ProviderError:
        """The error for a listing that does not end."""
        return ProviderError(f"{self.provider}: {what}: {call} answered {problem}; stopped "
                             f"listing: {AGAIN}")


def _not_sent(exc: requests.RequestException) -> bool:
    """Whether the request never reached the server (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)

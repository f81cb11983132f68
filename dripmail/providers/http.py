"""A small JSON-over-HTTP client for the provider APIs: retries with backoff, clear errors."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from dripmail.providers.base import ProviderError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HINTS = {
    401: "check the API key in {env}",
    403: "the key in {env} lacks permission for this request",
    422: "the provider rejected the content",
}


def retry_delay(headers: Mapping[str, str], attempt: int, reset_header: str = "") -> float:
    """Seconds to wait: Retry-After (seconds or HTTP date), a reset header, else 1, 2, 4… ≤ 30."""
    for name in ("Retry-After", reset_header):
        value = headers.get(name) if name else None
        if not value:
            continue
        try:
            return max(0.0, min(float(value), 300.0))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value) if name == "Retry-After" else None
            if when is not None:
                return max(0.0, min(when.timestamp() - time.time(), 300.0))
    return float(min(2**attempt, 30))


def provider_message(response: requests.Response) -> str:
    """The provider's own error message from a JSON (or text) error body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason or ""
    if isinstance(body, dict):
        parts = []
        for key in ("title", "Message", "message", "detail", "error", "errors", "code"):
            value = body.get(key)
            if isinstance(value, list):
                value = "; ".join(str(v.get("message", v)) if isinstance(v, dict) else str(v)
                                  for v in value)
            if value and str(value) not in parts:
                parts.append(str(value))
            if len(parts) == 2:
                break
        if parts:
            return ": ".join(parts)
    return str(body)[:300]


class Client:
    """Requests against one provider's base URL with its auth; JSON in, JSON out."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        env_name: str = "",
        sleep: Callable[[float], None] | None = None,
        attempts: int = 5,
        timeout: float = 30.0,
        reset_header: str = "",
    ):
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.env_name = env_name
        self.sleep = sleep or time.sleep
        self.attempts = attempts
        self.timeout = timeout
        self.reset_header = reset_header
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        self.session.headers.update({"Accept": "application/json", **(headers or {})})
        self.session.auth = auth

    def request(self, method: str, path: str, *, what: str = "", **kwargs: Any) -> Any:
        """Send one request (retrying 429/5xx and dropped connections); return the JSON body."""
        url = self.base_url + path
        for attempt in range(self.attempts):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                if attempt + 1 == self.attempts:
                    raise ProviderError(f"{self.provider}: cannot reach {self.base_url} "
                                        f"({type(exc).__name__})") from None
                self.sleep(retry_delay({}, attempt))
                continue
            if response.status_code in RETRY_STATUSES and attempt + 1 < self.attempts:
                self.sleep(retry_delay(response.headers, attempt, self.reset_header))
                continue
            if response.status_code >= 400:
                raise self.error(method, path, response, what)
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                return None
        raise AssertionError("unreachable")  # pragma: no cover

    def error(self, method: str, path: str, response: requests.Response, what: str) -> Exception:
        """A ProviderError naming the email (if any), the status and the provider's message."""
        status = response.status_code
        subject = f"{what}: " if what else ""
        hint = HINTS.get(status, "").format(env=self.env_name or "the environment")
        message = provider_message(response)
        text = (f"{self.provider}: {subject}{method} {path} failed with {status} "
                f"{response.reason or ''}".rstrip())
        if message:
            text += f': "{message}"'
        if hint:
            text += f" ({hint})"
        return ProviderError(text)

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET `path`."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        """POST `path`."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        """PUT `path`."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        """PATCH `path`."""
        return self.request("PATCH", path, **kwargs)

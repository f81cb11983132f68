"""Provider answers treated as hostile: each is checked for the shape the uploader reads, and
provider text is printed without control characters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests

from dripmail.providers.base import ProviderError
from dripmail.safetext import printable

AGAIN = "check --api-url, then run the upload again (it updates what already exists)"
HINTS = {
    401: "check the API key in {env}",
    403: "the key in {env} lacks permission for this request",
    422: "the provider rejected the content",
}
Kinds = type | tuple[type, ...]


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


class Answers:
    """The checks of a client's answers (mixed into `http.Client`): errors name the provider,
    the call and what was wrong."""

    provider: str
    env_name: str

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

    def endless(self, what: str, call: str, problem: str) -> ProviderError:
        """The error for a listing that does not end."""
        return ProviderError(f"{self.provider}: {what}: {call} answered {problem}; stopped "
                             f"listing: {AGAIN}")

"""What an uploader does with a client beyond single requests: create an object at most once,
and list every item of a paginated listing, in bounded pages (mixed into `http.Client`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dripmail.providers.answers import AGAIN, Kinds, Uncertain
from dripmail.providers.base import ProviderError
from dripmail.providers.pacing import Pacing, backoff


class Listing:
    """Creating and listing, on top of the client's verbs and answer checks."""

    provider: str
    pacing: Pacing
    get: Callable[..., Any]
    post: Callable[..., Any]
    dig: Callable[..., Any]
    items: Callable[..., list[dict]]
    endless: Callable[..., ProviderError]

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

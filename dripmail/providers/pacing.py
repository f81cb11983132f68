"""The pace of an upload: timeouts, retries with announced waits, and one time limit for it all.

A provider may ask for a wait (Retry-After, or a reset header) of at most `Pacing.max_wait`
seconds; without one, waits back off 1, 2, 4… seconds. No wait may pass the time limit.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from dripmail.limits import UPLOAD_TIME_LIMIT
from dripmail.providers.base import ProviderError

TIME_LIMIT = float(UPLOAD_TIME_LIMIT)  # seconds for a whole upload (`--time-limit`)
MAX_WAIT = 60.0  # the longest wait a provider may ask for (Retry-After)


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

"""What goes wrong: injected faults, Graph's rolling-hour usage and YouTube's daily quota.

The failure side of the platforms: Graph throttling codes 4/17/32/613/80001 and usage headers,
5xx answers, OAuth expiry, YouTube ``rateLimitExceeded`` and ``quotaExceeded``, plus transport
trouble no doc lists but every collector meets: slow answers, truncated JSON, pages served twice
or overlapping.

Fault kinds (``fail_next(platform, kind, times=1, **opts)``):

=================  =========================================================================
rate_limit         Graph error ``code`` (4, 17, 32, 613 or 80001; default 4) with usage headers
                   at 100 %; YouTube 403 ``reason`` rateLimitExceeded (default) or quotaExceeded
quota_exceeded     YouTube only: 403 quotaExceeded (domain youtube.quota)
usage_near_limit   Graph only: fills the rolling hour to ``percent`` (default 95) of the
                   ``target`` budget ("app" or "page", default both); the call itself succeeds
server_error       HTTP ``status`` 500 (default) or 503 with the platform's error body
timeout            the answer comes after ``seconds`` (default 2); a batch item becomes null
token_expired      the current token stops working until renewed through the control surface
malformed_json     HTTP 200 whose body is cut in the middle
duplicate_page     a paged answer whose next cursor/token is the one just used (same page again)
overlapping_page   a paged answer whose next cursor/token points ``overlap`` (default 3) items back
empty_page         Graph only: an empty page that still has ``paging.next``
end_live           the broadcast ends abruptly at the moment of the call
=================  =========================================================================

Paging kinds wait in the queue for the next paged request; the others hit the next request.
"""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

PLATFORMS = ("facebook", "youtube")
PAGING_KINDS = frozenset({"duplicate_page", "overlapping_page", "empty_page"})
COMMON_KINDS = frozenset(
    {
        "rate_limit",
        "server_error",
        "timeout",
        "token_expired",
        "malformed_json",
        "duplicate_page",
        "overlapping_page",
        "end_live",
    }
)
KINDS = {
    "facebook": COMMON_KINDS | {"usage_near_limit", "empty_page"},
    "youtube": COMMON_KINDS | {"quota_exceeded"},
}
# Graph throttling codes: app, user, page (user token), custom, page BUC (page token).
GRAPH_THROTTLE_CODES = (4, 17, 32, 613, 80001)
YOUTUBE_LIMIT_REASONS = ("rateLimitExceeded", "quotaExceeded")
CHAOS_KINDS = (
    "server_error",
    "rate_limit",
    "timeout",
    "malformed_json",
    "duplicate_page",
    "overlapping_page",
)
STATEFUL_KINDS = frozenset({"token_expired", "end_live", "usage_near_limit"})


@dataclass
class Fault:
    """One queued (or chaos-drawn) fault; ``opts`` are kind-specific, see the module table."""

    platform: str
    kind: str
    opts: dict[str, Any] = field(default_factory=dict)
    remaining: int = 1
    chaos: bool = False

    def opt(self, name: str, default: Any) -> Any:
        return self.opts.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "kind": self.kind,
            "times": self.remaining,
            **self.opts,
        }


class Faults:
    """The fault queue per platform, plus an optional seeded chaos mode for soak tests."""

    def __init__(self) -> None:
        self._queue: list[Fault] = []
        self._chaos: dict[str, tuple[float, random.Random, tuple[str, ...], dict]] = {}
        self._lock = threading.Lock()

    def fail_next(self, platform: str, kind: str, times: int = 1, **opts: Any) -> Fault:
        """Queue ``kind`` for the next ``times`` matching requests to ``platform``.

        Raises:
            ValueError: unknown platform or kind, a kind the platform does not have, bad opts.
        """
        _check(platform, kind, opts)
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(platform, kind, dict(opts), times)
        with self._lock:
            self._queue.append(fault)
        return fault

    def chaos(
        self,
        rate: float,
        seed: int = 0,
        kinds: Iterable[str] = CHAOS_KINDS,
        platforms: Iterable[str] = PLATFORMS,
        **opts: Any,
    ) -> None:
        """Give every request a ``rate`` chance of a random fault from ``kinds`` (seeded).

        ``opts`` may set ``timeout_seconds`` (default 1). Stateful kinds (token expiry, the end of
        the live, usage filling) are refused: chaos is for faults a collector retries through.
        """
        if not 0 <= rate <= 1:
            raise ValueError("rate is a probability between 0 and 1")
        kinds = tuple(kinds)
        if stateful := STATEFUL_KINDS.intersection(kinds):
            raise ValueError(f"chaos cannot use stateful kinds: {sorted(stateful)}")
        rng = random.Random(seed)
        with self._lock:
            for platform in platforms:
                if platform not in KINDS:
                    raise ValueError(f"unknown platform {platform!r}")
                usable = tuple(k for k in kinds if k in KINDS[platform])
                self._chaos[platform] = (rate, rng, usable, dict(opts))

    def clear(self) -> None:
        """Forget queued faults and stop chaos."""
        with self._lock:
            self._queue.clear()
            self._chaos.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.as_dict() for fault in self._queue]

    def take(self, platform: str, paged: bool) -> Fault | None:
        """The fault for this request, if any: the oldest queued one that applies, else chaos."""
        with self._lock:
            for fault in self._queue:
                if fault.platform == platform and (paged or fault.kind not in PAGING_KINDS):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._queue.remove(fault)
                    return Fault(platform, fault.kind, dict(fault.opts))
            return self._draw_chaos(platform, paged)

    def _draw_chaos(self, platform: str, paged: bool) -> Fault | None:
        if platform not in self._chaos:
            return None
        rate, rng, kinds, opts = self._chaos[platform]
        if rng.random() >= rate:
            return None
        usable = [k for k in kinds if paged or k not in PAGING_KINDS]
        if not usable:
            return None
        kind = rng.choice(usable)
        fault_opts: dict[str, Any] = {}
        if kind == "timeout":
            fault_opts["seconds"] = opts.get("timeout_seconds", 1.0)
        elif kind == "rate_limit" and platform == "facebook":
            fault_opts["code"] = rng.choice(GRAPH_THROTTLE_CODES)
        elif kind == "server_error":
            fault_opts["status"] = rng.choice((500, 503))
        return Fault(platform, kind, fault_opts, chaos=True)


def _check(platform: str, kind: str, opts: dict[str, Any]) -> None:
    if platform not in KINDS:
        raise ValueError(f"unknown platform {platform!r}; use one of {PLATFORMS}")
    if kind not in KINDS[platform]:
        raise ValueError(
            f"{platform} has no fault kind {kind!r}; use one of {sorted(KINDS[platform])}"
        )
    facebook_limit = kind == "rate_limit" and platform == "facebook"
    if facebook_limit and int(opts.get("code", 4)) not in GRAPH_THROTTLE_CODES:
        raise ValueError(f"Graph throttling codes are {GRAPH_THROTTLE_CODES}")
    youtube_limit = kind == "rate_limit" and platform == "youtube"
    if youtube_limit and opts.get("reason", "rateLimitExceeded") not in YOUTUBE_LIMIT_REASONS:
        raise ValueError(f"YouTube limit reasons are {YOUTUBE_LIMIT_REASONS}")
    if kind == "server_error" and int(opts.get("status", 500)) not in (500, 503):
        raise ValueError("server_error status is 500 or 503")
    if kind == "timeout" and float(opts.get("seconds", 2.0)) <= 0:
        raise ValueError("timeout seconds must be positive")
    if kind == "usage_near_limit" and opts.get("target", "both") not in ("app", "page", "both"):
        raise ValueError("usage_near_limit target is app, page or both")


class UsageMeter:
    """Calls in a rolling hour of scenario time against a budget.

    ``percent`` feeds ``call_count`` in ``X-App-Usage`` / ``X-Business-Use-Case-Usage``;
    throttling starts at 100 and lasts until enough calls leave the window.
    """

    WINDOW = 3600.0

    def __init__(self, budget: int) -> None:
        if budget < 1:
            raise ValueError("budget must be at least one call per hour")
        self.budget = budget
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def record(self, t: float, count: int = 1) -> None:
        with self._lock:
            self._calls.extend([t] * count)

    def percent(self, t: float) -> int:
        with self._lock:
            self._prune(t)
            return len(self._calls) * 100 // self.budget

    def minutes_to_regain(self, t: float) -> int:
        """``estimated_time_to_regain_access``: minutes until usage is back under 100 %."""
        with self._lock:
            self._prune(t)
            excess = len(self._calls) - self.budget + 1
            if excess <= 0:
                return 0
            frees_at = self._calls[excess - 1] + self.WINDOW
            return max(1, math.ceil((frees_at - t) / 60))

    def fill(self, t: float, percent: int) -> None:
        """Pretend other calls happened just now, bringing usage up to ``percent``."""
        with self._lock:
            self._prune(t)
            wanted = math.ceil(self.budget * percent / 100)
            self._calls.extend([t] * max(0, wanted - len(self._calls)))

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()

    def _prune(self, t: float) -> None:
        while self._calls and self._calls[0] <= t - self.WINDOW:
            self._calls.popleft()


class DailyQuota:
    """YouTube's units per day, reset at midnight Pacific Time."""

    def __init__(self, limit: int, day_of: Callable[[float], date]) -> None:
        self.limit = limit
        self._day_of = day_of
        self._day: date | None = None
        self._used = 0
        self._lock = threading.Lock()

    def spend(self, t: float, units: int) -> bool:
        """Spend ``units`` unless that would pass the limit; False means quotaExceeded."""
        with self._lock:
            self._roll(t)
            if self._used + units > self.limit:
                return False
            self._used += units
            return True

    def used(self, t: float) -> int:
        with self._lock:
            self._roll(t)
            return self._used

    def reset(self) -> None:
        with self._lock:
            self._day, self._used = None, 0

    def _roll(self, t: float) -> None:
        day = self._day_of(t)
        if day != self._day:
            self._day, self._used = day, 0

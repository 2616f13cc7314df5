"""When to poll a target next: pure functions of its state, the platform's advice and usage.

Faster while live, within each platform's budget: the interval stretches as the rate-limit usage
reported by the platform climbs, long before it refuses (Meta throttles at 100 %), and failures back
off exponentially (Redash's ``should_schedule_next``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import collectors

DEFAULT_LIVE_INTERVAL = 15.0  # a kind whose registry entry names no live interval
SCHEDULED_INTERVAL = 20.0  # a live announced but not started: notice the start quickly
ENDED_INTERVAL = 300.0  # ended but still settling, when the collector gave no date
MAX_BACKOFF = 1800.0
QUOTA_HORIZON = 3 * 3600.0  # seconds: a live plus its margin
# (usage percentage at or above which, factor on the interval): slow down well before 100 %.
USAGE_STEPS = ((95, 12.0), (90, 6.0), (80, 3.0), (60, 1.5))


def usage_factor(usage_pct: float | None) -> float:
    if usage_pct is None:
        return 1.0
    for threshold, factor in USAGE_STEPS:
        if usage_pct >= threshold:
            return factor
    return 1.0


def live_interval(kind: str) -> float:
    """Seconds between polls of a live of ``kind``, from the collector registry."""
    spec = collectors.COLLECTORS.get(kind)
    return spec.live_interval if spec is not None and spec.live_interval else DEFAULT_LIVE_INTERVAL


def interval_for(
    kind: str,
    status: str | None,
    *,
    poll_after: float | None = None,
    usage_pct: float | None = None,
) -> float:
    """Seconds until the next poll after a successful one."""
    if status == "live":
        base = live_interval(kind)
    elif status == "ended":
        base = ENDED_INTERVAL
    else:
        base = SCHEDULED_INTERVAL
    if poll_after is not None:
        # The platform's own advice (YouTube pollingIntervalMillis, an insight read due later).
        base = poll_after if status == "ended" else max(base, poll_after)
    return base * usage_factor(usage_pct)


def backoff(failures: int, base: float = 10.0) -> float:
    """Seconds to wait after the n-th consecutive transient failure: 20, 40, 80 … capped."""
    return min(base * 2 ** max(failures, 1), MAX_BACKOFF)


def next_run_at(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)


def quota_interval(
    units_used: int,
    limit: int,
    unit_cost: int,
    seconds_left: float,
    *,
    active_targets: int = 1,
    horizon: float = QUOTA_HORIZON,
) -> float:
    """Smallest interval that keeps a project's daily quota from running out.

    YouTube gives a project 10,000 units a day and a poll of a live costs 6 (videos.list 1, live
    chat 5): polling every 6 s would spend the whole day's budget in under three hours. The
    remaining units (less a 10 % reserve for the final reads) are spread over a planning horizon —
    a live and its margin, or what is left of the day — shared by the project's running targets.
    """
    spendable = limit * 0.9 - units_used
    window = min(seconds_left, horizon)
    if spendable <= unit_cost * active_targets:
        return seconds_left
    return window * unit_cost * active_targets / spendable

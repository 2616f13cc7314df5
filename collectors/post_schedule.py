"""How often a published post is polled: often while it spreads, rarely as it settles, then never.

A post gathers most of its views and reactions in its first days; polling it every few seconds
like a live would waste the page's rate budget, and polling it forever would never stop. The
schedule is counted from the post's publication time:

=============================  ==================
age of the post                poll every
=============================  ==================
under 2 days                   15 minutes
2 to 7 days                    1 hour
7 to 28 days                   1 day
28 days                        one last read, then the target is finished
=============================  ==================

Collectors return the wait as ``Batch.poll_after`` (the runner's ``due.interval_for`` honours it),
and ``finished=True`` once the final read is done.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
# (age up to which, poll every) in seconds.
POST_SCHEDULE = ((2 * DAY, 15 * MINUTE), (7 * DAY, HOUR), (28 * DAY, DAY))
TRACKED_FOR = timedelta(seconds=POST_SCHEDULE[-1][0])


def next_poll(published_at: datetime | None, now: datetime) -> tuple[float, bool]:
    """Seconds until the next poll, and whether this poll was the last one.

    An unknown publication time is treated as "just published". The wait never overshoots the end
    of the schedule, so the final read happens at 28 days, not a day later.
    """
    age = (now - published_at).total_seconds() if published_at else 0.0
    age = max(age, 0.0)
    for until, every in POST_SCHEDULE:
        if age < until:
            final_bracket = until == POST_SCHEDULE[-1][0]
            wait = min(every, until - age) if final_bracket else every
            return max(wait, 1.0), False
    return 0.0, True

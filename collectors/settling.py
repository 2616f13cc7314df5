"""When a finished live's figures are read: at its end, then again while the platforms settle them.

Meta's video insights and YouTube's view count go on moving after a broadcast ends (replays,
views counted late), but the officer looks at the figures the moment the broadcast ends: the
first read is at the end itself, the later ones at fixed offsets from the end: every few minutes
in the first hour, when late viewers and the replay move the counters most (a count frozen at the
end for an hour looks broken), then +1 h, +24 h and +7 days. Each read is one Graph batch or a few
YouTube units; the runner still stretches the wait when a platform's usage climbs.

The offsets count from the live's end as the platform states it, never from the moment the
collector first noticed it: a target first polled two days after its live (added late, or a
collector that was down) reads once for every offset already past and keeps the later reads on
the end's clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR
# Seconds after the end: at once, then every few minutes, less often as the hour goes by.
FIRST_HOUR: tuple[int, ...] = tuple(m * MINUTE for m in (0, 2, 5, 10, 15, 20, 30, 45))
# Then +1 h, +24 h and +7 days, the last when the platforms' counts have settled.
SETTLING_READS: tuple[int, ...] = (*FIRST_HOUR, HOUR, DAY, 7 * DAY)
SETTLED_AFTER_DAYS = SETTLING_READS[-1] // DAY


def due_reads(
    ended_at: datetime, now: datetime, done: Iterable[int]
) -> tuple[tuple[int, ...], datetime | None]:
    """The reads due at ``now`` that are not ``done``, and when the next later one falls due.

    One read answers every offset already past; ``None`` as the second value means no read is
    left after these.
    """
    finished = set(done)
    pending = [offset for offset in SETTLING_READS if offset not in finished]
    due = tuple(o for o in pending if now >= ended_at + timedelta(seconds=o))
    later = [o for o in pending if o not in due]
    return due, (ended_at + timedelta(seconds=later[0]) if later else None)

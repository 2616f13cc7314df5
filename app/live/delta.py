"""What changed, for the sockets already in the event's room (``delta``).

A delta carries the summary API's dict unchanged (absolute totals, so a delta applied twice is
harmless); the transport adds the sequence number and sends the summary as a patch on the one the
previous number carried (``diff``; ``app.realtime.sent``). It comes in two variants built once:
phones masked for the event's room, in clear for its ``:phones`` room.

For a collected batch the delta starts from the writer's ``Change``: its comments go out as they
were written (ids included), its viewer samples give the moved target's points, and only the other
targets' viewers and the comment counts of the minutes it touched are read. A conference's delta
also carries the newest points of its halls series (halls connected, people present). The summary
reads again only the targets that moved (``summary.summary_after``). A check-in, an assignment or a
target's new status come without a change: their delta carries the summary alone. Comments the
platform removed go out as ``removed`` (their ids), for the feeds to drop.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from app.collection.changes import Change, WrittenComment
from app.live import queries
from app.live.shapes import comment_dict, hall_points, iso, points
from app.live.summary import TargetTotals, summary_after
from app.models import utcnow

# The live feed keeps the newest 100 comments; a backlog batch sends only its newest ones live.
DELTA_COMMENTS = 100
# A conference's delta carries the newest points of its halls series; the page merges them by
# time, so a late report a few moments back still lands in place (the snapshot has them all).
DELTA_HALL_POINTS = 30


def delta_pair(
    event_id: int,
    reason: str,
    change: Change | None = None,
    *,
    server_time: datetime | None = None,
    checked_in: Collection[int] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The delta without phones (plain room) and with them (``:phones`` room), without ``seq``.

    ``checked_in``: the halls a burst of check-ins reported for, when that is all it is about
    (the board then moves by those halls: ``summary.summary_after``)."""
    comments = newest_comments(change) if change is not None else []
    kind = change.kind if change is not None else ""
    summary = summary_after(event_id, change, checked_in, now=server_time)
    series: dict[str, Any] = {}
    if summary.halls is not None:
        series["halls"] = hall_points(queries.halls_series(event_id)[-DELTA_HALL_POINTS:])
    base = {
        "event_id": event_id,
        "server_time": iso(server_time or utcnow()),
        "series": {
            **series,
            "viewers": points(
                viewer_points(event_id, change, _others_watched(summary.targets, change))
                if change is not None
                else []
            ),
            "comments_per_minute": points(
                queries.comments_in_minutes(event_id, minutes_touched(change))
                if change is not None
                else []
            ),
        },
        "reason": reason,
    }
    if change is not None and change.removed:  # ids the feeds drop (absent from most deltas)
        base["removed"] = sorted(r.id for r in change.removed)
    masked, in_clear = summary.as_dicts()
    plain = {**base, "summary": masked,
             "comments": [comment_dict(c, kind, False) for c in comments]}  # fmt: skip
    full = {**base, "summary": in_clear,
            "comments": [comment_dict(c, kind, True) for c in comments]}  # fmt: skip
    return plain, full


def _others_watched(targets: Sequence[TargetTotals], change: Change) -> bool:
    """Whether a target other than the batch's ever had viewers (its peak is its highest
    sample): else each of their values at any moment is none or 0, and the series is the
    batch's own (a livestream on one page, the common case, reads nothing more)."""
    return any(t.peak_viewers for t in targets if t.id != change.target_id)


def newest_comments(change: Change, limit: int = DELTA_COMMENTS) -> list[WrittenComment]:
    """The batch's newest comments (at most ``limit``) still shown, newest first."""
    shown = {c.id for c in change.shown}
    newest = sorted(change.comments, key=lambda c: c.created_at, reverse=True)[:limit]
    kept = [c for c in newest if c.id in shown]
    return sorted(kept, key=lambda c: (c.created_at, c.id), reverse=True)


def minutes_touched(change: Change) -> set[datetime]:
    """The minutes (UTC) in which every comment the batch wrote or removed was written (as
    stored), each once: their bars move. Every one, not only those the feed shows: a backlog's
    comments past the feed's cap, and those shown again, count in the snapshot's bars from the
    moment they are stored, and a bar the delta leaves out keeps its old height on an open page
    until it reloads."""
    written = (c.created_at for c in change.comments)
    removed = (r.created_at for r in change.removed)
    return {queries.minute_of(at) for at in (*written, *removed)}


def viewer_points(
    event_id: int, change: Change, others_watched: bool
) -> list[tuple[datetime, int]]:
    """The viewer series at the batch's sample times: its own values plus the other targets'
    (read only when ``others_watched``: another target ever had viewers)."""
    own = {s.sampled_at: s.live_viewers for s in change.samples if s.live_viewers is not None}
    times: Sequence[datetime] = sorted(own)
    others = (
        dict(queries.viewers_at(event_id, times, exclude_target=change.target_id))
        if others_watched and times
        else {}
    )
    return [(at, int(own[at]) + others.get(at, 0)) for at in times]

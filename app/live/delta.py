"""What changed, for the sockets already in the event's room (``delta``).

A delta carries the summary API's dict unchanged (absolute totals, so a delta applied twice is
harmless); the transport adds the sequence number. It comes in two variants built once: phones
masked for the event's room, in clear for its ``:phones`` room.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.live import queries
from app.live.shapes import comment_dict, iso, points
from app.live.summary import event_summary
from app.models import utcnow


def delta_pair(
    event_id: int,
    reason: str,
    *,
    target_id: int | None = None,
    sampled_at: Sequence[datetime] = (),
    comment_ids: Sequence[str] = (),
    server_time: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The delta without phones (plain room) and with them (``:phones`` room), without ``seq``.

    Built once per publish: one summary, the viewer points at the batch's sample times, the
    minutes its comments fall in, and the comments it wrote, read back by their platform ids.
    """
    comments = (
        queries.comments_by_external_id(target_id, comment_ids)
        if target_id is not None and comment_ids
        else []
    )
    base = {
        "event_id": event_id,
        "server_time": iso(server_time or utcnow()),
        "summary": event_summary(event_id).as_dict(),
        "series": {
            "viewers": points(queries.viewers_at(event_id, sampled_at)),
            "comments_per_minute": points(
                queries.comments_in_minutes(
                    event_id, (queries.minute_of(c.created_at) for c, _ in comments)
                )
            ),
        },
        "reason": reason,
    }
    plain = {**base, "comments": [comment_dict(c, k, False) for c, k in comments]}
    full = {**base, "comments": [comment_dict(c, k, True) for c, k in comments]}
    return plain, full

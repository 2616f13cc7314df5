"""A live whose event an officer ended while Graph still says it is live: its read at the end.

The runner says so with ``TargetSpec.ended_at`` (the officer's end). The collector then reads the
live as Graph's end would have it read, in the same requests: the live node (its status taken as
stopped, so no viewers "now"), every comment swept again, the post's shares and the video's
lifetime insights (its total views), dated at the officer's end. The settling reads of a
platform's end then follow, counted from the officer's end: both ways of ending read and say the
same things. Set live again, the target comes back without ``ended_at``, and its cursor forgets the
end so that the live is polled as before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

MARK = "ended_by_hand"
# The cursor's keys of an end (``live._Plan``), forgotten when the event is set live again.
END_KEYS = ("ended_at", "swept", "phase", "insights_done", "backlog_since")
STOPPED = "LIVE_STOPPED"


def prepare(cursor: dict[str, Any], ended_at: datetime | None) -> None:
    """Before the poll: the end's sweep and insights asked at once, or the end forgotten."""
    if ended_at is None:
        if cursor.pop(MARK, None):
            for key in END_KEYS:
                cursor.pop(key, None)
        return
    if not cursor.get(MARK):
        cursor[MARK] = True
        cursor["ended_at"] = ended_at.isoformat()
        cursor["swept"] = True
        cursor["backlog_since"] = ""  # every comment, oldest first


def as_ended(
    node: Mapping[str, Any], ended_at: datetime | None, ended: set[str]
) -> Mapping[str, Any]:
    """The live node as Graph gives it once stopped, when an officer ended it."""
    if ended_at is None or node.get("status") in ended:
        return node
    return {**node, "status": STOPPED}

"""What the live page receives: the whole state (``snapshot``) and what changed (``delta``).

Both carry the summary API's dict unchanged (absolute totals, so a delta applied twice is
harmless) and the event's sequence number. Phones are masked here for the rooms whose members
may not see them; the shapes are fixed in the realtime contract shared with the page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import current_app

from app.collection.summary import event_summary
from app.extensions import db
from app.identity.phones import mask_phone, mask_phones, national
from app.models import Comment, Event, utcnow
from app.realtime import queries
from app.realtime.sequence import current_seq

# A join storm (a thousand projectors reconnecting after a restart) reuses one snapshot per
# event and sequence number for this long instead of rebuilding it for every joiner.
SNAPSHOT_REUSE_SECONDS = 1.0
_cache_lock = threading.Lock()


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _points(points: Iterable[tuple[datetime, int]]) -> list[list[Any]]:
    return [[iso(at), n] for at, n in points]


def comment_dict(comment: Comment, kind: str, with_phones: bool) -> dict[str, Any]:
    phone = comment.phone
    intents = list(comment.lead_intents or [])
    return {
        "id": comment.id,
        "target_id": comment.target_id,
        "platform": kind.split("_", 1)[0],
        "author": comment.author_name,
        "text": comment.message if with_phones else mask_phones(comment.message or ""),
        "created_at": iso(comment.created_at),
        "is_lead": bool(comment.is_lead),
        "intent": intents[0] if intents else None,
        "intents": intents,
        "phone": (national(phone) if with_phones else mask_phone(phone)) if phone else None,
    }


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "channel": str(event.channel.value if hasattr(event.channel, "value") else event.channel),
        "status": str(event.status.value if hasattr(event.status, "value") else event.status),
        "actual_start": iso(event.actual_start),
        "actual_end": iso(event.actual_end),
        "planned_start": iso(event.planned_start),
    }


def snapshot(event_id: int, can_see_phones: bool) -> dict[str, Any]:
    """The whole state for one joiner; reused for a second within one sequence number.

    The sequence number is read *before* the state, so the state is at least as new as the
    number it carries: a delta that follows applies absolute totals and cannot go backwards.
    """
    seq = current_seq(event_id)
    key = (event_id, can_see_phones)
    cache = current_app.extensions.setdefault("lantoa_snapshots", {})
    with _cache_lock:
        cached = cache.get(key)
    if cached and cached[0] == seq and time.monotonic() - cached[1] < SNAPSHOT_REUSE_SECONDS:
        return {**cached[2], "server_time": iso(utcnow())}
    payload = build_snapshot(event_id, can_see_phones, seq)
    with _cache_lock:
        cache[key] = (seq, time.monotonic(), payload)
    return payload


def build_snapshot(event_id: int, can_see_phones: bool, seq: int) -> dict[str, Any]:
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"no event {event_id}")
    return {
        "event_id": event_id,
        "seq": seq,
        "server_time": iso(utcnow()),
        "event": event_dict(event),
        "summary": event_summary(event_id).as_dict(),
        "series": {
            "viewers": _points(queries.viewer_series(event_id)),
            "comments_per_minute": _points(queries.comments_per_minute(event_id)),
        },
        "comments": [
            comment_dict(c, kind, can_see_phones) for c, kind in queries.latest_comments(event_id)
        ],
        "can_see_phones": can_see_phones,
    }


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
            "viewers": _points(queries.viewers_at(event_id, sampled_at)),
            "comments_per_minute": _points(
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

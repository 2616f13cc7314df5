"""The JSON shapes the live page's script reads: a comment, the event, a series of points.

Shared by the snapshot and the delta, so both speak the same fields. Phones are masked here for the
rooms whose members may not see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from app.identity.phones import mask_phone, mask_phones, shown_phone
from app.models import Event


class CommentLike(Protocol):
    """A stored comment, or the row the writer just stored: the fields the page shows."""

    id: int
    target_id: int
    author_name: str
    message: str
    created_at: datetime
    is_lead: bool
    lead_intents: Any
    phone: str | None


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def points(series: Iterable[tuple[datetime, int]]) -> list[list[Any]]:
    return [[iso(at), n] for at, n in series]


def hall_points(series: Iterable[tuple[datetime, int, int]]) -> list[list[Any]]:
    """``[time, halls connected, people present]`` of each moment (``queries.halls_series``)."""
    return [[iso(at), connected, present] for at, connected, present in series]


def comment_dict(comment: CommentLike, kind: str, with_phones: bool) -> dict[str, Any]:
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
        "phone": (shown_phone(phone) if with_phones else mask_phone(phone)) if phone else None,
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

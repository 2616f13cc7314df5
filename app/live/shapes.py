"""The JSON shapes the live page's script reads: a comment, the event, a series of points.

Shared by the snapshot and the delta, so both speak the same fields. Phones are masked here for the
rooms whose members may not see them, and the halls' contacts left out for those who watch an
upper unit's conference in part (``without_contacts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from app.identity.phones import mask_phone, mask_phones, shown_phone
from app.live.diff import ROWS
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
    by_owner: bool


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
        "by_owner": bool(comment.by_owner),  # the page's own reply: marked, never a lead
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


HALL_CONTACT = ("contact", "phone")  # a hall row's personal data: its contact's name and phone


def without_contacts(message: dict[str, Any]) -> dict[str, Any]:
    """``message`` (a snapshot or delta without phones, its ``summary`` whole or as a ``patch``)
    with no hall contact in it: what a unit that watches an upper unit's event in part receives
    (``app.scoping.watches_event``); the page adds its own halls' contacts itself.

    Each hall row keeps ``"contact": None``; a row patch drops the contact's keys, so the patch
    still applies to the summary stripped the same way. ``message`` itself when it has no halls.
    """
    out = dict(message)
    changed = False
    for key in ("summary", "patch"):
        part = message.get(key)
        if isinstance(part, dict) and "halls" in part:
            out[key] = {**part, "halls": _halls_without_contacts(part["halls"])}
            changed = True
    return out if changed else message


def _halls_without_contacts(halls: Any) -> Any:
    if isinstance(halls, list):  # the board whole
        return [_row_without_contact(row) for row in halls]
    if isinstance(halls, dict) and ROWS in halls:  # a patch of the board's rows
        rows = {
            key: _row_without_contact(row)
            if "id" in row  # a new row comes whole; a row patch never carries its id
            else {k: v for k, v in row.items() if k not in HALL_CONTACT}
            for key, row in halls[ROWS].items()
        }
        return {**halls, ROWS: rows}
    return halls


def _row_without_contact(row: Any) -> Any:
    if not isinstance(row, dict):
        return row
    out = {k: v for k, v in row.items() if k != "phone"}
    out["contact"] = None
    return out

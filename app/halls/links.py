"""A hall's check-in link: a secret URL that lets whoever holds it report for that one hall.

A link is a capability: it opens one hall of one event, nothing else. The secret is stored as a
SHA-256 (to find the hall) and encrypted (so organisers can print the links again); it stops
working when revoked, when renewed, and always at a known moment: its own expiry if one was set,
else a day after the event ends (actual end, else planned end, else twelve hours after the start),
else — an event with no dates at all — thirty days after the link was issued. A printed QR code
is never a key that works for ever.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defer, joinedload

from app.extensions import db
from app.models import BridgePoint, Event, utcnow
from app.public_urls import public_url

LINK_GRACE = timedelta(days=1)  # a link works until a day after the event ends
UNDATED_EVENT_HOURS = timedelta(hours=12)  # an event with a start and no end: its assumed length
UNDATED_LINK_LIFETIME = timedelta(days=30)  # an event with no dates: the link's life from issue


class LinkRefused(Exception):
    """The link opens nothing; ``expired_at`` is set when it only ran out of time."""

    def __init__(self, expired_at: datetime | None = None) -> None:
        super().__init__("check-in link expired" if expired_at else "check-in link unknown")
        self.expired_at = expired_at


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_link(point: BridgePoint, now: datetime | None = None) -> None:
    """A fresh secret for the hall; a revocation is lifted with it, the undated clock restarts."""
    token = secrets.token_urlsafe(24)
    point.checkin_token = token
    point.checkin_token_hash = token_digest(token)
    point.checkin_revoked_at = None
    point.checkin_issued_at = now or utcnow()


def checkin_url(point: BridgePoint) -> str:
    """The link handed to the hall (page, print sheet, QR code, API): under PUBLIC_BASE_URL."""
    return public_url("checkin.page", token=point.checkin_token)


def link_expires_at(event: Event) -> datetime | None:
    """A day after the event's end; None when the event has no dates at all."""
    start = event.actual_start or event.planned_start
    end = event.actual_end or event.planned_end or (start + UNDATED_EVENT_HOURS if start else None)
    return end + LINK_GRACE if end else None


def expires_at(point: BridgePoint) -> datetime:
    """When the hall's link stops working: its own date, else the event's, else from its issue."""
    if point.checkin_expires_at is not None:
        return point.checkin_expires_at
    event_based = link_expires_at(point.event)
    if event_based is not None:
        return event_based
    issued = point.checkin_issued_at or point.created_at or utcnow()
    return issued + UNDATED_LINK_LIFETIME


def hall_for_token(token: str, now: datetime) -> BridgePoint:
    """The hall a link opens.

    Raises:
        LinkRefused: unknown or revoked (the same answer for both), or expired (with when).
    """
    point = db.session.scalar(_by_digest(), {"digest": token_digest(token)})
    if point is None or point.checkin_revoked_at is not None:
        raise LinkRefused()
    expires = expires_at(point)
    if now > expires:
        raise LinkRefused(expired_at=expires)
    return point


@cache
def _by_digest() -> Select[tuple[BridgePoint]]:
    """Built once: every check-in of a burst looks its hall up with it.

    The event comes along (its dates say when the link expires); the encrypted columns are
    decrypted only if a page shows them, which a check-in does not.
    """
    return (
        select(BridgePoint)
        .options(
            joinedload(BridgePoint.event),
            defer(BridgePoint.checkin_token),
            defer(BridgePoint.contact_phone),
        )  # fmt: skip
        .where(BridgePoint.checkin_token_hash == bindparam("digest"))
    )


def revoke(point: BridgePoint, now: datetime) -> None:
    point.checkin_revoked_at = now


def renew_link(point: BridgePoint, now: datetime | None = None) -> None:
    """A fresh secret for the hall (the old link stops working); also lifts a revocation."""
    new_link(point, now)

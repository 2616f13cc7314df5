"""A hall's check-in link: a secret URL that lets whoever holds it report for that one hall.

A link is a capability: it opens one hall of one event, nothing else. The secret is stored as a
SHA-256 (to find the hall) and encrypted (so organisers can print the links again); it stops
working when revoked, when renewed, or a day after the event.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.models import BridgePoint, Event

LINK_GRACE = timedelta(days=1)  # a link works until a day after the event ends


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_link(point: BridgePoint) -> None:
    """A fresh secret for the hall; a revocation is lifted with it."""
    token = secrets.token_urlsafe(24)
    point.checkin_token = token
    point.checkin_token_hash = token_digest(token)
    point.checkin_revoked_at = None


def checkin_url(point: BridgePoint) -> str:
    return url_for("checkin.page", token=point.checkin_token, _external=True)


def link_expires_at(event: Event) -> datetime | None:
    end = (
        event.actual_end
        or event.planned_end
        or (event.planned_start + timedelta(hours=12) if event.planned_start else None)
    )
    return end + LINK_GRACE if end else None


def expires_at(point: BridgePoint) -> datetime | None:
    """When the hall's link stops working: its own date if one was set, else the event's."""
    return point.checkin_expires_at or link_expires_at(point.event)


def hall_for_token(token: str, now: datetime) -> BridgePoint | None:
    """The hall a link opens, or None when unknown, revoked or expired (never says which)."""
    point = db.session.scalar(
        select(BridgePoint).where(BridgePoint.checkin_token_hash == token_digest(token))
    )
    if point is None or point.checkin_revoked_at is not None:
        return None
    expires = expires_at(point)
    if expires is not None and now > expires:
        return None
    return point


def revoke(point: BridgePoint, now: datetime) -> None:
    point.checkin_revoked_at = now


def renew_link(point: BridgePoint) -> None:
    """A fresh secret for the hall (the old link stops working); also lifts a revocation."""
    new_link(point)

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
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, String, and_, bindparam, select
from sqlalchemy.orm import defer, joinedload

from app import prepared
from app.extensions import db
from app.halls import window
from app.models import BridgePoint, Event, utcnow
from app.public_urls import public_url

LINK_GRACE = timedelta(days=1)  # a link works until a day after the event ends
UNDATED_EVENT_HOURS = timedelta(hours=12)  # an event with a start and no end: its assumed length
UNDATED_LINK_LIFETIME = timedelta(days=30)  # an event with no dates: the link's life from issue
SEEN = "lantoa_links_seen"  # the rows of links opened lately, by digest (``open_hall``)
SEEN_MAX = 20_000  # a province's conference has a few hundred halls, a country's some thousands
_lock = threading.Lock()


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


def has_link(point: BridgePoint) -> bool:
    """Whether the hall was given a link: one added once its event was over has none (a link
    would be born expired) until the event's dates are corrected and it is given one."""
    return point.checkin_token_hash is not None


def checkin_url(point: BridgePoint) -> str:
    """The link handed to the hall (page, print sheet, QR code, API): under PUBLIC_BASE_URL."""
    return public_url("checkin.page", token=point.checkin_token)


def link_expires_at(event: Event) -> datetime | None:
    """A day after the event's end; None when the event has no dates at all."""
    dates = event.actual_start, event.planned_start, event.actual_end, event.planned_end
    return _event_based(*dates)


def _event_based(
    actual_start: datetime | None,
    planned_start: datetime | None,
    actual_end: datetime | None,
    planned_end: datetime | None,
) -> datetime | None:
    start = actual_start or planned_start
    end = actual_end or planned_end or (start + UNDATED_EVENT_HOURS if start else None)
    return end + LINK_GRACE if end else None


def expires_at(point: BridgePoint) -> datetime:
    """When the hall's link stops working: its own date, else the event's, else from its issue."""
    event = point.event
    return _expiry(point.checkin_expires_at, point.checkin_issued_at, point.created_at,
                   event.actual_start, event.planned_start, event.actual_end,
                   event.planned_end)  # fmt: skip


def _expiry(
    own: datetime | None, issued: datetime | None, created: datetime | None, *event_dates: Any
) -> datetime:
    """``expires_at`` from the values themselves (the hall's columns, then the event's dates)."""
    if own is not None:
        return own
    event_based = _event_based(*event_dates)
    if event_based is not None:
        return event_based
    return (issued or created or utcnow()) + UNDATED_LINK_LIFETIME


class ReadAgain(Exception):
    """A link remembered from an earlier request was not read in this one: read it again before
    answering anything but a report stored with ``unchanged`` holding."""


@dataclass(frozen=True)
class OpenHall:
    """The hall a link opens, as a check-in writes for it: its ids, no ORM object (a burst of
    check-ins would otherwise load, track and expire a hall and its event for each).

    ``seen``: the link's row as an earlier request read it, when this one did not read it; a
    write for it must check that the row still reads so (``unchanged``), else ``ReadAgain``.
    """

    id: int
    event_id: int
    org_unit_id: int
    digest: str = ""
    seen: tuple[Any, ...] | None = None
    opens_at: datetime | None = None  # when the hall may report (``window``), from the row read


def open_hall(token: str, now: datetime, remembered: bool = False) -> OpenHall:
    """The hall a link opens, read as one row of columns (the hall's and its event's dates),
    outside the session's transaction: a check-in may write in a statement of its own.

    ``remembered``: a link opened lately is not read again while its row says it opens (where a
    report can be stored alone, ``prepared.writes_alone``); the write checks the row instead.

    Raises:
        LinkRefused: unknown or revoked (the same answer for both), or expired (with when).
    """
    digest = token_digest(token)
    kept: dict[str, tuple[Any, ...]] = current_app.extensions.setdefault(SEEN, {})
    if remembered and prepared.writes_alone():
        row = kept.get(digest)
        if row is not None and _refusal(row, now) is None:
            return OpenHall(*row[:3], digest=digest, seen=row, opens_at=_opens(row))
    row = prepared.first("links.by_digest", _by_digest, typed=True, digest=digest)
    refused = _refusal(row, now)
    if refused is not None:
        kept.pop(digest, None)
        raise refused
    assert row is not None
    with _lock:
        kept.pop(digest, None)
        kept[digest] = row
        while len(kept) > SEEN_MAX:
            kept.pop(next(iter(kept)))
    return OpenHall(*row[:3], digest=digest, opens_at=_opens(row))


def _opens(row: tuple[Any, ...]) -> datetime | None:
    """The hall's opening from the row's event start columns (``LINK_COLUMNS``)."""
    return window.reports_open_at(row[ACTUAL_START], row[ACTUAL_START + 1])


def _refusal(row: tuple[Any, ...] | None, now: datetime) -> LinkRefused | None:
    if row is None or row[3] is not None:  # unknown, or revoked
        return LinkRefused()
    expires = _expiry(*row[4:])
    return LinkRefused(expired_at=expires) if now > expires else None


def unchanged() -> ColumnElement[bool]:
    """SQL: the link's row still reads as ``OpenHall.seen`` (``unchanged_params``): the same
    secret, not revoked, and every value its expiry is worked out from the same. Needs the
    hall joined to its event (``LINKED``)."""
    same = [BridgePoint.checkin_token_hash == bindparam("link_digest", type_=String),
            BridgePoint.checkin_revoked_at.is_(None)]  # fmt: skip
    for n, column in enumerate(LINK_COLUMNS):
        if n != REVOKED:
            same.append(column.is_not_distinct_from(bindparam(f"link_{n}", type_=column.type)))
    return and_(*same)


def unchanged_params(hall: OpenHall) -> dict[str, Any]:
    assert hall.seen is not None
    values = {f"link_{n}": v for n, v in enumerate(hall.seen) if n != REVOKED}
    return {"link_digest": hall.digest, **values}


def hall_for_token(token: str, now: datetime) -> BridgePoint:
    """The hall a link opens, as the ORM object a page shows (``open_hall``'s checks).

    Raises:
        LinkRefused: unknown or revoked (the same answer for both), or expired (with when).
    """
    return hall_of(open_hall(token, now))


def hall_of(hall: OpenHall) -> BridgePoint:
    """The ORM object of a hall ``open_hall`` opened, with its event (for a page)."""
    point = db.session.get(BridgePoint, hall.id, options=_PAGE_OPTIONS)
    if point is None:  # deleted since ``open_hall`` read it
        raise LinkRefused()
    return point


# The event comes along (a page shows it); the encrypted columns are decrypted only if a page
# shows them.
_PAGE_OPTIONS = (
    joinedload(BridgePoint.event),
    defer(BridgePoint.checkin_token),
    defer(BridgePoint.contact_phone),
)


# The hall's ids and revocation, then what ``_expiry`` takes, in its order.
LINK_COLUMNS = (BridgePoint.id, BridgePoint.event_id, BridgePoint.org_unit_id,
                BridgePoint.checkin_revoked_at, BridgePoint.checkin_expires_at,
                BridgePoint.checkin_issued_at, BridgePoint.created_at, Event.actual_start,
                Event.planned_start, Event.actual_end, Event.planned_end)  # fmt: skip
REVOKED = 3  # checkin_revoked_at's place
ACTUAL_START = 7  # Event.actual_start's place, Event.planned_start next
LINKED = BridgePoint.__table__.join(Event.__table__, Event.id == BridgePoint.event_id)


@cache
def _by_digest() -> Select[Any]:
    """Built once: every check-in of a burst looks its hall up with it."""
    return (
        select(*LINK_COLUMNS)
        .select_from(LINKED)
        .where(BridgePoint.checkin_token_hash == bindparam("digest"))
    )


def revoke(point: BridgePoint, now: datetime) -> None:
    point.checkin_revoked_at = now


class BornExpired(Exception):
    """A new link asked for once the event is over: it would not open (``event_over``)."""

    def localized(self) -> str:
        return str(BORN_EXPIRED)


BORN_EXPIRED = _l(
    "The event is over: a new link would already be expired, so none was issued. If the event "
    "goes on, change its dates first."
)


def renew_link(point: BridgePoint, now: datetime | None = None) -> None:
    """A fresh secret for the hall (the old link stops working); also lifts a revocation.

    Refused (``BornExpired``) once the event is over: the new link's end comes from the event's
    dates, so it would be expired from birth while the old one stopped working."""
    now = now or utcnow()
    if event_over(point.event, now):
        raise BornExpired()
    new_link(point, now)


def link_state(point: BridgePoint, now: datetime) -> str:
    """Revoked, expired or valid (or none): whether a printed card of the hall opens in a phone."""
    if not has_link(point):
        return "none"
    if point.checkin_revoked_at is not None:
        return "revoked"
    return "expired" if expires_at(point) < now else "valid"


def event_over(event: Event, now: datetime) -> bool:
    """The event's own dates have run out: a new link would be born expired (change the dates)."""
    ends = link_expires_at(event)
    return ends is not None and ends < now

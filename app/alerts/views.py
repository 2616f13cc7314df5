"""Alerts as the pages show them: an event's open and recent ones, the user's open ones (home,
the menu's count) and the alerts page's open and lately closed ones.

Which alerts a user sees follows ``app.scoping``: every alert of the events seen whole (their unit
and below), and of a unit above's event their commune takes part in only the alerts about their
own halls (``seen_by``) — what the event's page seen in part shows them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import joinedload

from app.alerts import words
from app.extensions import db
from app.formatting import fmt_datetime
from app.models import Alert, BridgePoint, Event, OrgKind, OrgUnit, Role, User
from app.scoping import ancestor_ids, in_part, scoped, unit_in_scope

RECENT = timedelta(hours=2)  # cleared alerts stay listed (greyed) this long
HOME_SHOWN = 20
CLOSED_FOR = timedelta(days=7)  # the alerts page lists alerts closed this long ago
PAGE_SIZE = 100  # rows per page of either list on the alerts page
ACK_ROLE = Role.OFFICER


def event_alerts(event_id: int, now: datetime) -> list[Alert]:
    """Open alerts first (newest first), then those cleared lately."""
    rows = db.session.scalars(
        select(Alert)
        .where(
            Alert.event_id == event_id,
            or_(Alert.open_key.is_not(None), Alert.cleared_at >= now - RECENT),
        )
        .options(joinedload(Alert.acknowledged_by), joinedload(Alert.event))
        .order_by(Alert.opened_at.desc(), Alert.id.desc())
    ).all()
    return sorted(rows, key=lambda a: a.open_key is None)


def seen_by(user: User) -> ColumnElement[bool]:
    """The alerts ``user`` sees (a condition on ``Alert``): those of the events of their unit
    and below, and for a commune's user also those about their own halls of a unit above's
    event (its other halls and its collection stay the organiser's)."""
    unit = user.org_unit
    # Each alert's event and its unit by their keys: as many reads as alerts looked at (the open
    # ones, by ``ix_alerts_open``), however many events the user's units held over the years.
    whole = (
        select(Event.id)
        .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
        .where(
            Event.id == Alert.event_id,
            or_(OrgUnit.id == unit.id, OrgUnit.path.startswith(unit.path + "/", autoescape=True)),
        )
        .correlate(Alert)
        .exists()
    )
    if unit.kind != OrgKind.COMMUNE:
        return whole
    # The user's own halls of the units above's events, as (event, subject) pairs read once:
    # a correlated check per alert re-read the user's units for each one (10 ms at 1,000 alerts).
    own_halls = (
        select(BridgePoint.event_id, literal("hall:", String) + cast(BridgePoint.id, String))
        .join(Event, Event.id == BridgePoint.event_id)
        .where(in_part(BridgePoint, user), Event.org_unit_id.in_(ancestor_ids(unit)))
    )
    own_hall = tuple_(Alert.event_id, Alert.subject).in_(own_halls)
    return or_(whole, own_hall)


def _listed(user: User) -> Any:
    return (
        select(Alert)
        .where(seen_by(user))
        .options(
            joinedload(Alert.acknowledged_by),
            joinedload(Alert.event).joinedload(Event.org_unit),
        )
    )


def open_alerts_for(user: User, limit: int = HOME_SHOWN) -> list[Alert]:
    """Open alerts of the events the user sees: those nobody acknowledged yet first (somebody
    must act), newest first within each."""
    stmt = (
        _listed(user)
        .where(Alert.open_key.is_not(None))
        .order_by(Alert.acknowledged_at.is_not(None), Alert.opened_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())


def open_count_statement(user: User) -> Select[tuple[int]]:
    """The count of the open alerts the user sees."""
    return select(func.count(Alert.id)).where(Alert.open_key.is_not(None), seen_by(user))


def open_count(user: User) -> int:
    """How many open alerts the user sees: the menu's and the home card's figure."""
    return int(db.session.scalar(open_count_statement(user)) or 0)


@dataclass(frozen=True)
class AlertsPage:
    """The alerts page: a page of the open alerts and one of those closed in the last
    ``CLOSED_FOR`` (each with its total), and the events either list names (the filter's
    choices)."""

    open: Pagination
    closed: Pagination
    events: list[Event]
    event_id: int | None


def alerts_page(
    user: User, now: datetime, event_id: int | None = None, open_page: int = 1, closed_page: int = 1
) -> AlertsPage:
    since = now - CLOSED_FOR
    recent = or_(Alert.open_key.is_not(None), Alert.cleared_at >= since)
    events = db.session.scalars(
        select(Event)
        .where(Event.id.in_(select(Alert.event_id).where(recent, seen_by(user))))
        .order_by(func.coalesce(Event.actual_start, Event.planned_start).desc(), Event.id.desc())
    ).all()
    if event_id is not None and all(e.id != event_id for e in events):
        # The filter names its event even when it has had no alert lately (an event's alerts
        # address opened in a browser lands here), rather than reading "every event".
        chosen = db.session.scalar(scoped(select(Event), Event, user).where(Event.id == event_id))
        events = [chosen, *events] if chosen is not None else events
    listed = _listed(user)
    if event_id is not None:
        listed = listed.where(Alert.event_id == event_id)
    still_open = listed.where(Alert.open_key.is_not(None)).order_by(
        Alert.acknowledged_at.is_not(None), Alert.opened_at.desc(), Alert.id.desc()
    )
    closed = listed.where(and_(Alert.open_key.is_(None), Alert.cleared_at >= since)).order_by(
        Alert.cleared_at.desc(), Alert.id.desc()
    )
    return AlertsPage(
        open=_paged(still_open, open_page),
        closed=_paged(closed, closed_page),
        events=list(events),
        event_id=event_id,
    )


def _paged(stmt: Select[Any], page: int) -> Pagination:
    """Page ``page`` of ``stmt`` (past the last one: no rows, the total still counted)."""
    return db.paginate(stmt, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)


def seen_whole(alert: Alert, user: User) -> bool:
    """The alert's event is of the user's unit or below: its live page and acknowledging are
    theirs; else they see the event in part (its page only, no acknowledging)."""
    return unit_in_scope(alert.event.org_unit, user)


def own_hall_alerts(event_id: int, user: User) -> list[Alert]:
    """Open alerts about the user's own halls of an event seen in part (a commune's hall of the
    province's conference): the people who can reconnect it see why they are being called."""
    halls = select(BridgePoint.id).where(
        BridgePoint.event_id == event_id, in_part(BridgePoint, user)
    )
    subjects = [f"hall:{hall_id}" for hall_id in db.session.scalars(halls)]
    if not subjects:
        return []
    return list(
        db.session.scalars(
            select(Alert)
            .where(
                Alert.event_id == event_id,
                Alert.open_key.is_not(None),
                Alert.subject.in_(subjects),
            )
            .options(joinedload(Alert.acknowledged_by), joinedload(Alert.event))
            .order_by(Alert.opened_at.desc(), Alert.id.desc())
        )
    )


def can_acknowledge(user: User, alert: Alert | None = None) -> bool:
    """An officer, and for a given alert only one of an event seen whole (the acknowledge
    route answers 404 for any other)."""
    return user.has_role(ACK_ROLE) and (alert is None or seen_whole(alert, user))


def acknowledger(alert: Alert) -> str:
    person = alert.acknowledged_by
    if person is None:
        return ""
    return person.display_name or person.email


def as_dict(alert: Alert) -> dict[str, Any]:
    """What the live page's script renders: every text already in the user's language."""
    return {
        "id": alert.id,
        "rule": alert.rule,
        "label": words.rule_label(alert.rule),
        "text": words.describe(alert),
        "open": alert.open_key is not None,
        "opened_at": fmt_datetime(alert.opened_at),
        "cleared_at": fmt_datetime(alert.cleared_at),
        "acknowledged_by": acknowledger(alert),
        "acknowledged_at": fmt_datetime(alert.acknowledged_at),
    }

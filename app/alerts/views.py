"""Alerts as the pages show them: an event's open and recent ones, the user's open ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.alerts import words
from app.extensions import db
from app.formatting import fmt_datetime
from app.models import Alert, BridgePoint, Event, Role, User
from app.scoping import in_part, scoped

RECENT = timedelta(hours=2)  # cleared alerts stay listed (greyed) this long
HOME_SHOWN = 20
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


def open_alerts_for(user: User) -> list[Alert]:
    """Open alerts of the events the user sees whole, newest first."""
    stmt = (
        select(Alert)
        .join(Event, Event.id == Alert.event_id)
        .where(Alert.open_key.is_not(None))
        .options(joinedload(Alert.acknowledged_by), joinedload(Alert.event))
        .order_by(Alert.opened_at.desc(), Alert.id.desc())
        .limit(HOME_SHOWN)
    )
    return list(db.session.scalars(scoped(stmt, Event, user)))


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


def can_acknowledge(user: User) -> bool:
    return user.has_role(ACK_ROLE)


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

"""Read-side queries of the events pages; every one starts from app.scoping."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Campaign, Event, OrgUnit, User
from app.scoping import scoped, subtree_ids, visible_events
from app.timeparse import as_utc


def event_list(
    user: User,
    *,
    channel: str | None = None,
    status: str | None = None,
    unit: OrgUnit | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select[Any]:
    stmt = visible_events(select(Event), user).options(
        joinedload(Event.org_unit), joinedload(Event.campaign)
    )
    if channel:
        stmt = stmt.where(Event.channel == channel)
    if status:
        stmt = stmt.where(Event.status == status)
    if unit is not None:
        stmt = stmt.where(Event.org_unit_id.in_(subtree_ids(unit)))
    if date_from:
        stmt = stmt.where(Event.planned_start >= as_utc(datetime.combine(date_from, time())))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time())
        stmt = stmt.where(Event.planned_start < as_utc(end))
    return stmt.order_by(Event.planned_start.desc().nulls_last(), Event.id.desc())


def campaigns_for(user: User) -> list[Campaign]:
    stmt = scoped(select(Campaign), Campaign, user).options(joinedload(Campaign.org_unit))
    return list(db.session.scalars(stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def campaign_events(campaign: Campaign, user: User) -> Select[Any]:
    """The campaign's events the user may see, newest first."""
    stmt = scoped(select(Event), Event, user).where(Event.campaign_id == campaign.id)
    return stmt.options(joinedload(Event.org_unit)).order_by(
        Event.planned_start.desc().nulls_last(), Event.id.desc()
    )

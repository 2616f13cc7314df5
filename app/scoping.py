"""The one place that decides which rows a user may see: their org unit and everything under it.

Every page, API endpoint and socket handler that reads scoped data goes through ``scoped()`` or
``get_scoped()``; nothing filters by org unit on its own, so no route can forget it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models import (
    Attendance,
    BridgePoint,
    Campaign,
    Event,
    OfflineActivity,
    OrgUnit,
    Person,
    PlatformAccount,
    Target,
    User,
)

M = TypeVar("M")

# Which column places each scoped model in the org-unit tree.
SCOPE_COLUMNS: dict[type, InstrumentedAttribute[Any]] = {
    OrgUnit: OrgUnit.id,
    Campaign: Campaign.org_unit_id,
    Event: Event.org_unit_id,
    OfflineActivity: OfflineActivity.org_unit_id,
    PlatformAccount: PlatformAccount.org_unit_id,
    User: User.org_unit_id,
    Person: Person.commune_id,
}
# Models scoped through their event.
EVENT_CHILDREN: dict[type, InstrumentedAttribute[Any]] = {
    Target: Target.event_id,
    BridgePoint: BridgePoint.event_id,
}


def subtree_ids(unit: OrgUnit) -> Select[tuple[int]]:
    """Ids of ``unit`` and of every unit below it, as a subquery."""
    return select(OrgUnit.id).where(
        or_(OrgUnit.id == unit.id, OrgUnit.path.startswith(unit.path + "/", autoescape=True))
    )


def scoped(stmt: Select[Any], model: type, user: User) -> Select[Any]:
    """Restrict ``stmt`` (which selects ``model``) to the rows inside the user's subtree."""
    if model in EVENT_CHILDREN:
        visible_events = scoped(select(Event.id), Event, user)
        return stmt.where(EVENT_CHILDREN[model].in_(visible_events))
    column = SCOPE_COLUMNS[model]
    if model is Person:
        return stmt.where(or_(column.in_(subtree_ids(user.org_unit)), _placeless_seen_by(user)))
    return stmt.where(column.in_(subtree_ids(user.org_unit)))


def _placeless_seen_by(user: User) -> ColumnElement[bool]:
    """People with no commune (comment leads) belong where they were seen: the events' units.

    Without this nobody, not even the country's administrator, could find them to serve an
    access, correction or erasure request.
    """
    seen = select(Attendance.id).where(
        Attendance.person_id == Person.id,
        Attendance.event_id.in_(scoped(select(Event.id), Event, user)),
    )
    return and_(Person.commune_id.is_(None), seen.exists())


def get_scoped(model: type[M], ident: int, user: User) -> M:
    """The row with this id if the user may see it, else 404 (never 403: ids are not confirmed)."""
    pk = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    row = db.session.scalar(scoped(select(model).where(pk == ident), model, user))
    if row is None:
        abort(404)
    return row


def unit_in_scope(unit: OrgUnit | None, user: User) -> bool:
    return unit is not None and (
        unit.id == user.org_unit.id or unit.path.startswith(user.org_unit.path + "/")
    )

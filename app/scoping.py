"""The one place that decides which rows a user may see: their org unit and everything under it.

Every page, API endpoint and socket handler that reads scoped data goes through ``scoped()`` or
``get_scoped()``; nothing filters by org unit on its own, so no route can forget it.

One exception widens the view, and it is decided here too: an event of a unit above a commune
(the province's conference) in which the commune takes part — as a hall, or through attendees
who live there — is seen by the commune's users *in part* (``participating_events``,
``visible_events``, ``get_event_view``): the event itself, and of its rows only the commune's
own part (``in_part``: its halls, its people). Its commune's officers may import their own
hall's attendee sheet, at any time after (``get_hall_in_part``): the rows land on that hall
alone. The follow-up list of such an event, its export and its leads API show the commune's own
people only (``people_in_part``). Its live page opens, in part, to a unit that has a hall there
(``watches_event``, ``get_watched_event``): the hall board of the conference it relays, without
anyone's personal data but its own hall's. Everything else of it — other communes' people, its
targets, conversion API — stays out of reach, because those go through ``scoped()`` and
``get_scoped()``, which never widen.

Campaigns widen upward too: a campaign run by a unit above the user's (the province's campaign
seen from a commune) is listed to them, may hold their own events, and its report opens in part
(``campaigns_seen``, ``get_campaign_view``); only its own unit and those above may change it
(``get_campaign_to_change``). A sibling commune's campaign stays out of sight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.orm.util import AliasedClass

from app.collation import sorted_vietnamese
from app.extensions import db
from app.models import (
    Attendance,
    BridgePoint,
    Campaign,
    Event,
    OfflineActivity,
    OrgKind,
    OrgUnit,
    Person,
    PlatformAccount,
    Target,
    User,
)

M = TypeVar("M")


class Place(Protocol):
    """What scoping reads of a unit: an ``OrgUnit``, or the id and path a live socket keeps."""

    @property
    def id(self) -> int: ...

    @property
    def path(self) -> str: ...


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


def subtree_ids(unit: Place) -> Select[tuple[int]]:
    """Ids of ``unit`` and of every unit below it, as a subquery."""
    return select(OrgUnit.id).where(
        or_(OrgUnit.id == unit.id, OrgUnit.path.startswith(unit.path + "/", autoescape=True))
    )


def _in_subtree(column: Any, unit: Place | AliasedClass[OrgUnit]) -> ColumnElement[bool]:
    """Whether the unit ``column`` names is ``unit`` or below it.

    ``unit`` may be the user's unit read in the same statement (an aliased ``OrgUnit``: a live
    join finds the user and checks their scope in one read). The row's own unit is then found
    by its key and its path compared as a prefix by ``substr`` (LIKE cannot escape a column's
    "%" or "_"), rather than every unit of the subtree listed for each row."""
    if isinstance(unit.path, str):
        return column.in_(subtree_ids(unit))
    prefix = unit.path + "/"
    inside = or_(OrgUnit.id == unit.id, func.substr(OrgUnit.path, 1, func.length(prefix)) == prefix)
    return select(OrgUnit.id).where(OrgUnit.id == column, inside).correlate_except(OrgUnit).exists()


def scoped(stmt: Select[Any], model: type, user: User) -> Select[Any]:
    """Restrict ``stmt`` (which selects ``model``) to the rows inside the user's subtree."""
    return scoped_under(stmt, model, user.org_unit)


def scoped_under(
    stmt: Select[Any], model: type, unit: Place | AliasedClass[OrgUnit]
) -> Select[Any]:
    """``scoped`` for a user known by their unit: its id and path, or the user's unit read in
    the same statement (a live join: ``_in_subtree``), not the user's row."""
    if model in EVENT_CHILDREN:
        visible_events = scoped_under(select(Event.id), Event, unit)
        return stmt.where(EVENT_CHILDREN[model].in_(visible_events))
    column = SCOPE_COLUMNS[model]
    if model is Person:
        return stmt.where(or_(_in_subtree(column, unit), _placeless_seen_by(unit)))
    return stmt.where(_in_subtree(column, unit))


def _placeless_seen_by(unit: Place | AliasedClass[OrgUnit]) -> ColumnElement[bool]:
    """People with no commune (comment leads) belong where they were seen: the events' units.

    Without this nobody, not even the country's administrator, could find them to serve an
    access, correction or erasure request.
    """
    seen = select(Attendance.id).where(
        Attendance.person_id == Person.id,
        Attendance.event_id.in_(scoped_under(select(Event.id), Event, unit)),
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


def ancestor_ids(unit: OrgUnit) -> Select[tuple[int]]:
    """Ids of the units above ``unit`` (its province, the country), read from its path."""
    codes = unit.path.split("/")
    return select(OrgUnit.id).where(
        OrgUnit.path.in_(["/".join(codes[:n]) for n in range(1, len(codes))])
    )


def campaigns_seen(stmt: Select[Any], user: User) -> Select[Any]:
    """Restrict ``stmt`` (which selects ``Campaign``) to the campaigns the user sees: those of
    their subtree (whole) and those of the units above theirs (in part)."""
    unit = user.org_unit
    return stmt.where(
        or_(
            Campaign.org_unit_id.in_(subtree_ids(unit)),
            Campaign.org_unit_id.in_(ancestor_ids(unit)),
        )
    )


@dataclass(frozen=True)
class CampaignView:
    """A campaign as the user may see it: ``whole`` when it is their subtree's, else run by a
    unit above theirs and seen only in their part."""

    campaign: Campaign
    whole: bool


def get_campaign_view(campaign_id: int, user: User) -> CampaignView:
    """The campaign seen whole or in part, else 404 (never 403: ids are not confirmed)."""
    stmt = campaigns_seen(select(Campaign).where(Campaign.id == campaign_id), user)
    campaign = db.session.scalar(stmt)
    if campaign is None:
        abort(404)
    return CampaignView(campaign, unit_in_scope(campaign.org_unit, user))


def get_campaign_to_change(campaign_id: int, user: User, refused: str) -> Campaign:
    """The campaign if the user may change it; 404 when they cannot see it, 403 (with
    ``refused`` as the message) when it is run by a unit above theirs: they see it, so its id
    is no secret to them, but it is not theirs to change."""
    view = get_campaign_view(campaign_id, user)
    if not view.whole:
        abort(403, description=refused)
    return view.campaign


def participating_events(user: User, event_id: int | None = None) -> Select[tuple[int]]:
    """Ids of the events of the units above a commune in which the commune takes part (or only
    ``event_id``, if it is one).

    Taking part is having a hall there (``BridgePoint.org_unit_id``) or attendees who live there
    (``Person.commune_id``). Only a commune's users see events this way: halls are always
    communes, and a province asking which events its million people attended would cost more
    than the answer is worth. Both questions start from the commune (its halls, its people),
    never from the province's events.
    """
    unit = user.org_unit
    if unit.kind != OrgKind.COMMUNE:
        return select(Event.id).where(false())
    halls = select(BridgePoint.event_id).where(BridgePoint.org_unit_id == unit.id)
    attended = (
        select(Attendance.event_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(Person.commune_id == unit.id)
    )
    if event_id is not None:
        halls = halls.where(BridgePoint.event_id == event_id)
        attended = attended.where(Attendance.event_id == event_id)
    stmt = select(Event.id).where(
        Event.org_unit_id.in_(ancestor_ids(unit)),
        or_(Event.id.in_(halls), Event.id.in_(attended)),
    )
    return stmt if event_id is None else stmt.where(Event.id == event_id)


def participating_event_ids(user: User) -> list[int]:
    """``participating_events`` read once, for a page whose several lists all need it (the
    set is asked of the commune's people, tens of milliseconds at a province's size)."""
    return list(db.session.scalars(participating_events(user)))


def visible_events(
    stmt: Select[Any], user: User, taking_part: Sequence[int] | None = None
) -> Select[Any]:
    """Restrict ``stmt`` (which selects ``Event``) to the events the user sees, whole or in part.

    ``taking_part``: ``participating_event_ids(user)`` when the caller already read it.
    """
    if user.org_unit.kind != OrgKind.COMMUNE:
        return scoped(stmt, Event, user)
    ids = participating_event_ids(user) if taking_part is None else taking_part
    # Inline integers: a commune's years of events never hit the drivers' bound-parameter limits.
    listed = bindparam("taking_part", list(ids), expanding=True, literal_execute=True, unique=True)
    return stmt.where(or_(Event.org_unit_id.in_(subtree_ids(user.org_unit)), Event.id.in_(listed)))


@dataclass(frozen=True)
class EventView:
    """An event as the user may see it: ``whole`` inside their subtree, else only their part."""

    event: Event
    whole: bool


def get_event_view(event_id: int, user: User) -> EventView:
    """The event seen whole or in part, else 404 (never 403: ids are not confirmed)."""
    whole = db.session.scalar(scoped(select(Event).where(Event.id == event_id), Event, user))
    if whole is not None:
        return EventView(whole, True)
    part = db.session.scalar(
        select(Event).where(Event.id.in_(participating_events(user, event_id)))
    )
    if part is None:
        abort(404)
    return EventView(part, False)


# Which column places each row of an event seen in part in the org-unit tree.
PART_COLUMNS: dict[type, InstrumentedAttribute[Any]] = {
    BridgePoint: BridgePoint.org_unit_id,
    Person: Person.commune_id,
}


def in_part(model: type, user: User) -> ColumnElement[bool]:
    """The condition that keeps, of an event seen in part, the user's own rows of ``model``:
    the halls of their units, the people who live there."""
    return PART_COLUMNS[model].in_(subtree_ids(user.org_unit))


def get_hall_in_part(event_id: int, user: User) -> BridgePoint:
    """Of an event seen in part, the user's own hall (their commune's: one per event), else 404.

    What the commune may add to such an event goes there, and only there: another commune's
    hall and the organiser's own lists stay out of reach (never 403: ids are not confirmed)."""
    stmt = select(BridgePoint).where(BridgePoint.event_id == event_id, in_part(BridgePoint, user))
    hall = db.session.scalar(stmt.order_by(BridgePoint.id).limit(1))
    if hall is None:
        abort(404)
    return hall


def people_in_part(event_id: int | ColumnElement[int], user: User) -> ColumnElement[bool]:
    """Of an event seen in part, the people who are the user's own (a condition on ``Person``):
    those who live in the user's units, and those with no commune recorded who were at one of
    the user's halls of this event. Each person is so one commune's at most: their commune
    decides, the hall only when there is none (a comment lead with neither is the organiser's).
    ``event_id`` may be a column (a row's event), for a question across the events seen in part.
    """
    units = subtree_ids(user.org_unit)
    # Aliases: the statement this condition goes into often reads Attendance itself.
    hall, seen = aliased(BridgePoint), aliased(Attendance)
    # The hall of the same event as the check-in: correlated one level up only.
    halls = select(hall.id).where(hall.event_id == seen.event_id, hall.org_unit_id.in_(units))
    at_hall = select(seen.id).where(
        seen.person_id == Person.id, seen.event_id == event_id, seen.bridge_point_id.in_(halls)
    )
    return or_(Person.commune_id.in_(units), and_(Person.commune_id.is_(None), at_hall.exists()))


def units_to_pick(user: User, under: OrgKind | None = None) -> list[OrgUnit]:
    """The units a filter offers by name: the user's own, then those of kind ``under`` below
    it (by default the provinces under the country, the communes under a province; none for a
    commune's user), in Vietnamese alphabetical order."""
    unit = user.org_unit
    if unit.kind == OrgKind.COMMUNE:
        return [unit]
    kind = under or (OrgKind.PROVINCE if unit.kind == OrgKind.COUNTRY else OrgKind.COMMUNE)
    stmt = select(OrgUnit).where(OrgUnit.id.in_(subtree_ids(unit)), OrgUnit.kind == kind)
    return [unit, *sorted_vietnamese(db.session.scalars(stmt), key=lambda u: u.name)]


def watches_event(unit: Place | AliasedClass[OrgUnit], event_id: Any) -> ColumnElement[bool]:
    """Whether ``unit`` has a hall at the event ``event_id`` (a value, a bound parameter or a
    column): its users may watch the event's live page in part, without others' personal data.

    ``unit`` may be the user's unit read in the same statement (a live join). Halls are
    communes of the organiser's subtree, so this never opens a sibling commune's own event;
    an event of the user's own subtree is seen whole (``scoped``) and needs no hall."""
    hall = select(BridgePoint.id).where(
        BridgePoint.event_id == event_id, BridgePoint.org_unit_id == unit.id
    )
    return hall.exists()


def get_watched_event(event_id: int, user: User) -> EventView:
    """The event whose live page the user may open: whole inside their subtree, in part when
    their unit has a hall there (``watches_event``); else 404, as ``get_scoped``."""
    whole = db.session.scalar(scoped(select(Event).where(Event.id == event_id), Event, user))
    if whole is not None:
        return EventView(whole, True)
    part = db.session.scalar(
        select(Event).where(Event.id == event_id, watches_event(user.org_unit, Event.id))
    )
    if part is None:
        abort(404)
    return EventView(part, False)

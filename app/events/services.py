"""Creating and changing events and campaigns: the rules shared by the pages and the API.

Routes only translate input (a form or JSON) into a dict and errors into a response; every
check that involves the database (unit in scope, campaign in scope) lives here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.events.status import StatusRefused, check_status, end_by_hand, reopen
from app.extensions import db
from app.formatting import fmt_datetime
from app.models import Campaign, Channel, Event, EventStatus, OrgUnit, Role, Scheme, User, utcnow
from app.scoping import campaigns_seen, unit_in_scope

EVENT_FIELDS = (
    "title",
    "channel",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "cost_vnd",
    "description",
)
NULLABLE_EVENT_FIELDS = {"planned_start", "planned_end", "actual_start", "actual_end", "cost_vnd"}
CAMPAIGN_FIELDS = (
    "name",
    "scheme",
    "starts_on",
    "ends_on",
    "goal",
    "attribution_window_days",
    "retention_days",
    "description",
)
# A scheduled event's planned start may be this far in the past (``check_planned_start``).
PAST_START = timedelta(days=1)
PAST_START_TEXT = _l(
    "The planned start (%(when)s) is more than a day ago, so the event cannot be “Scheduled”. "
    "Check the day and the year; if the event was held then, choose the status “Ended”."
)
# Who may create or change what.
EVENT_WRITER = Role.OFFICER
CAMPAIGN_WRITER = Role.MANAGER
# Why a campaign of a unit above the user's cannot be changed by them (pages and API alike).
CAMPAIGN_ABOVE = _l(
    "This campaign is run by a unit above yours: only that unit can change it. "
    "Your events can still be part of it."
)


class FieldError(ValueError):
    """A value that is well-formed but not acceptable; names the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def resolve_unit(code: str, user: User, field: str = "org_unit") -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code.strip()))
    if unit is None or not unit_in_scope(unit, user):
        raise FieldError(field, str(_l("Unknown org unit code: %(code)s", code=code)))
    return unit


def resolve_campaign(campaign_id: int | None, user: User) -> Campaign | None:
    """The campaign an event or activity is put in: one of the user's subtree, or one run by a
    unit above theirs (the province's campaign holds its communes' events)."""
    if campaign_id is None:
        return None
    campaign = db.session.scalar(
        campaigns_seen(select(Campaign).where(Campaign.id == campaign_id), user)
    )
    if campaign is None:
        raise FieldError("campaign_id", str(_l("Unknown campaign: %(id)s", id=campaign_id)))
    return campaign


@dataclass(frozen=True)
class Saved:
    """An event written, and what its status change did to its collection."""

    event: Event
    ended_by_hand: bool = False  # an officer ended it just now: the collectors leave it ended
    stopped: int = 0  # targets that stopped being collected with that end
    reopened: bool = False  # an event an officer had ended was set back to scheduled or live
    resumed: int = 0  # targets collected again with that


def apply_event(
    event: Event, data: dict[str, Any], user: User, now: datetime | None = None
) -> Event:
    """Copy validated fields onto ``event`` (new or existing) after the scope checks."""
    return save_event(event, data, user, now).event


def save_event(
    event: Event, data: dict[str, Any], user: User, now: datetime | None = None
) -> Saved:
    """``apply_event``, saying what the status change did (``app.events.status``): refuses, as
    a ``FieldError`` on ``status``, a status the dates or a live platform contradict."""
    now = now or utcnow()
    before, ended_by, planned = event.status, event.ended_by_id, event.planned_start
    if "org_unit" in data:
        event.org_unit = resolve_unit(data["org_unit"], user)
    if "campaign_id" in data:
        event.campaign = resolve_campaign(data["campaign_id"], user)
    for key in EVENT_FIELDS:
        if key not in data or (data[key] is None and key not in NULLABLE_EVENT_FIELDS):
            continue
        value = data[key]
        if key == "channel":
            value = Channel(value)
        elif key == "status":
            value = EventStatus(value)
        setattr(event, key, value)
    start, end = event.planned_start, event.planned_end
    if start and end and end < start:
        raise FieldError("planned_end", str(_l("The end must not be before the start.")))
    if _minute(start) != _minute(planned):  # the form shows minutes: unchanged if they are
        check_planned_start(event, now)
    try:
        check_status(event, now)
    except StatusRefused as exc:
        raise FieldError("status", str(exc)) from exc
    if event.status == EventStatus.ENDED and before != EventStatus.ENDED:
        stopped = end_by_hand(event, user, now)
        if event.id is not None:  # a new event's creation is audited as such
            audit.record("event.end", user, "event", event.id, stopped=stopped)
        return Saved(event, ended_by_hand=True, stopped=stopped)
    if event.status != EventStatus.ENDED and ended_by is not None:
        resumed = reopen(event, now)
        audit.record("event.reopen", user, "event", event.id, resumed=resumed)
        return Saved(event, reopened=True, resumed=resumed)
    return Saved(event)


def check_planned_start(event: Event, now: datetime) -> None:
    """A scheduled event's planned start, as typed, more than ``PAST_START`` ago is refused: a
    slip of the year or the day (it would show at once as needing an update). A past event is
    recorded as ended. Checked only when the planned start is typed or changed, so an overdue
    event's other fields can still be edited."""
    start = event.planned_start
    if event.status == EventStatus.SCHEDULED and start is not None and start < now - PAST_START:
        raise FieldError("planned_start", str(PAST_START_TEXT % {"when": fmt_datetime(start)}))


def _minute(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(second=0, microsecond=0)


def create_event(data: dict[str, Any], user: User) -> Event:
    event = Event(created_by_id=user.id, status=EventStatus.SCHEDULED, description="")
    apply_event(event, data, user)
    db.session.add(event)
    db.session.flush()
    audit.record("event.create", user, "event", event.id)
    return event


def apply_campaign(campaign: Campaign, data: dict[str, Any], user: User) -> Campaign:
    if "org_unit" in data:
        campaign.org_unit = resolve_unit(data["org_unit"], user)
    for key in CAMPAIGN_FIELDS:
        if key in data:
            value = data[key]
            if key == "scheme":
                value = Scheme(value)
            if value is None and key != "retention_days":
                continue
            setattr(campaign, key, value)
    if campaign.ends_on and campaign.starts_on and campaign.ends_on < campaign.starts_on:
        raise FieldError("ends_on", str(_l("The end must not be before the start.")))
    return campaign


def create_campaign(data: dict[str, Any], user: User) -> Campaign:
    campaign = Campaign(goal=0, attribution_window_days=90, description="")
    apply_campaign(campaign, data, user)
    db.session.add(campaign)
    db.session.flush()
    audit.record("campaign.create", user, "campaign", campaign.id)
    return campaign

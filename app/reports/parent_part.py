"""A commune's part in the events of the units above it: its halls at the province's conferences.

The report counts an event under its organiser's unit only, so a commune whose hall took part in
the province's online conference reads all zeros in its own report. This section lists those
halls beside the report, never inside it: the province's figures stay the province's (nothing
counted twice in its totals), and the commune sees what its hall brought — the hall's latest head
count, the people identified there and how many of them enrolled afterwards (the follow-up's
conversions: a first new enrolment within the event campaign's attribution window of the visit).

Three reads, each from the commune's side: its halls (``bridge_points.org_unit_id``), the
people seen at them (``attendances.bridge_point_id``), their linked enrolments.

An event counts once it is held (``facts.is_held``, the rule of every report): a hall at the
province's conference later in the month is listed, "not held yet", with no figure at all (no
head count, expected count, people or enrolments), as the channels report keeps an event still
ahead out of its figures; its people are not even read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.followup.attribution import Touch, find_conversions, of_scheme
from app.followup.queries import enrolments_of, local_day
from app.halls.unusual import unsure_words
from app.models import Attendance, BridgePoint, Campaign, Event, OrgKind, OrgUnit, User
from app.reports.facts import ReportFilter, held_sql, is_held
from app.reports.sources import event_start, of_period
from app.scoping import ancestor_ids, unit_in_scope
from app.timeparse import VN


@dataclass(frozen=True)
class HallPart:
    """One hall of the commune at an event of a unit above it."""

    event_id: int
    title: str
    day: date | None
    channel: str
    organiser: str
    head_count: int | None  # the hall's latest-sent head count; None: never reported, not held
    expected: int | None  # None: the event is not held yet (no figure at all)
    identified: int | None  # people seen at this hall
    enrolled: int | None  # of them, those whose first new enrolment followed within the window
    can_open: bool  # whether the user may open the event's page (whole or in part)
    held: bool = True  # its start has passed at the report's moment (``facts.is_held``)

    @property
    def unsure(self) -> str:
        """The live page's words beside an unusual head count ("(chưa chắc: dự kiến 45)");
        empty for a usual one, so a 4.500 typed for 45 is not signed off unseen."""
        return unsure_words(self.head_count, self.expected)

    @property
    def note(self) -> str:
        """Why the row has no figures, in the current language ("chưa diễn ra"), as the channels
        report's events say it; empty for a held event. Text of its own column, so the number
        columns stay numbers in the files."""
        return "" if self.held else str(NOT_HELD)


NOT_HELD = _l("not held yet")  # the channels report's words for an event still ahead


def parent_halls(f: ReportFilter, user: User | None) -> list[HallPart]:
    """The halls of ``f.unit`` (a commune) at its parent units' events in ``f``'s period.

    Empty for a unit that is no commune: only communes have halls. ``user`` None: the month's
    files built without a request (``files.build_month``), which link to no event page.
    """
    commune = f.unit
    if commune.kind != OrgKind.COMMUNE:
        return []
    stmt = (
        select(
            BridgePoint.id,
            BridgePoint.head_count,
            BridgePoint.expected_attendance,
            Event.id.label("event_id"),
            Event.title,
            Event.channel,
            event_start().label("start"),
            OrgUnit,
            Campaign.attribution_window_days,
            Campaign.scheme,
        )
        .join(Event, Event.id == BridgePoint.event_id)
        .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
        .outerjoin(Campaign, Campaign.id == Event.campaign_id)
        .where(BridgePoint.org_unit_id == commune.id, Event.org_unit_id.in_(ancestor_ids(commune)))
        .order_by(event_start(), Event.id)
    )
    halls = list(db.session.execute(of_period(stmt, f)))
    if not halls:
        return []
    now = f.now
    held = [h for h in halls if is_held(h.start, now)]
    seen = _seen_at([h.id for h in held]) if held else {}
    people = {p for touches in seen.values() for p, _ in touches}
    enrolments = enrolments_of(people) if people else []
    out = []
    for h in halls:
        if not is_held(h.start, now):
            out.append(_not_held(h, commune, user))
            continue
        touches = [Touch(p, h.event_id, on) for p, on in seen.get(h.id, [])]
        window = h.attribution_window_days or f.window_days
        scheme = str(h.scheme) if h.scheme is not None else f.scheme
        converted = find_conversions(touches, of_scheme(enrolments, scheme), window)
        out.append(
            HallPart(
                event_id=h.event_id,
                title=h.title,
                day=h.start.astimezone(VN).date() if h.start else None,
                channel=h.channel.value,
                organiser=h.OrgUnit.name,
                head_count=h.head_count,
                expected=int(h.expected_attendance or 0),
                identified=len({p for p, _ in seen.get(h.id, [])}),
                enrolled=len(converted),
                can_open=user is not None and may_open(h.OrgUnit, commune, user),
            )
        )
    return out


def _not_held(h: Any, commune: OrgUnit, user: User | None) -> HallPart:
    """A hall at an event still ahead: listed, with no figure (``is_held``)."""
    return HallPart(
        event_id=h.event_id,
        title=h.title,
        day=h.start.astimezone(VN).date() if h.start else None,
        channel=h.channel.value,
        organiser=h.OrgUnit.name,
        head_count=None,
        expected=None,
        identified=None,
        enrolled=None,
        can_open=user is not None and may_open(h.OrgUnit, commune, user),
        held=False,
    )


def _seen_at(hall_ids: list[int]) -> dict[int, list[tuple[int, date]]]:
    """(person, local day) of every touch at each hall."""
    rows = db.session.execute(
        select(Attendance.bridge_point_id, Attendance.person_id, Attendance.touched_at).where(
            Attendance.bridge_point_id.in_(hall_ids)
        )
    )
    out: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for hall_id, person_id, at in rows:
        out[hall_id].append((person_id, local_day(at)))
    return out


def may_open(organiser: OrgUnit, commune: OrgUnit, user: User) -> bool:
    """Whether ``user`` may open an event of ``organiser`` where ``commune`` has a hall, as
    ``app.scoping.get_event_view`` decides: whole inside their subtree, or in part when the
    commune is theirs (a hall there at an event of a unit above is taking part)."""
    if unit_in_scope(organiser, user):
        return True
    return user.org_unit.kind == OrgKind.COMMUNE and user.org_unit.id == commune.id


def has_parent_halls(user: User, now: datetime) -> bool:
    """Whether the commune of ``user`` had a hall at an event of a unit above it that has begun
    by ``now`` (the home screen's pointer to the report's section)."""
    unit = user.org_unit
    if unit.kind != OrgKind.COMMUNE:
        return False
    stmt = (
        select(BridgePoint.id)
        .join(Event, Event.id == BridgePoint.event_id)
        .where(
            BridgePoint.org_unit_id == unit.id,
            Event.org_unit_id.in_(ancestor_ids(unit)),
            held_sql(event_start(), now),  # the reports' rule (facts.is_held)
        )
        .limit(1)
    )
    return db.session.scalar(stmt) is not None

"""A hall's check-in entries on the organiser's pages: every entry the hall's link sent, a page
at a time, and the organiser's correction or removal of one.

The hall's officer may correct an entry for 12 hours through the link (``entries``); after that
the correction is the organiser's, with no time limit and otherwise the same rules, through the
same functions: an entry whose person is already followed up (a lead called or assigned, an
enrolment linked, another touch) is refused (``entries.in_use``); an edit changes the same
person, whose attendance stays; a removal takes the attendance, the new lead and the person, and
the report names one row fewer. Each change is audited by the organiser's name with the fields
changed, never their values. Phones are shown as the follow-up and call lists show them: in
clear to officers and above (``app.realtime.viewer.PHONE_ROLE``), each such view audited by the
page, masked to anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.audit import record
from app.extensions import db
from app.halls.entries import NOT_FOUND, EntryRefused, edit_person, in_use, touch_ref, withdraw
from app.identity.phones import mask_phone, shown_phone
from app.models import Attendance, BridgePoint, Person, User
from app.sheets.issues import _l

PAGE_SIZE = 50
ACTIONS = {"edit": "bridge_point.entry_edit", "withdraw": "bridge_point.entry_withdraw"}
IN_FOLLOW_UP = _l(
    "This person is already being followed up (called, assigned, linked to an enrolment or "
    "entered elsewhere): correct them on the follow-up page."
)
EDIT_FIELDS = ("name", "birth", "hamlet")  # sent as typed; the phone only when one is typed


@dataclass(frozen=True)
class EntryRow:
    ref: str  # the report's key and the row's place ("<key>:<row>"), as the hall's page names it
    name: str
    birth_year: int | None
    birth: str  # as the edit box shows it: 1975, 05/1975 or 17/05/1975
    commune: str
    hamlet: str
    phone: str  # in clear or masked (``entry_page``'s ``phones``)
    at: datetime


@dataclass(frozen=True)
class EntryPage:
    rows: list[EntryRow]
    page: int
    pages: int
    total: int


def written(birth_date: str | None) -> str:
    """A stored birth (ISO at its precision) as people write it: "1975-05-17" → "17/05/1975"."""
    return "/".join(reversed(birth_date.split("-"))) if birth_date else ""


def _hall_entries(point: BridgePoint) -> Any:
    return (
        select(Attendance, Person)
        .join(Person, Person.id == Attendance.person_id)
        .where(
            Attendance.bridge_point_id == point.id,
            Attendance.event_id == point.event_id,
            Attendance.source == "checkin",
        )  # fmt: skip
    )


def entry_page(point: BridgePoint, page: int, *, phones: bool) -> EntryPage:
    """One page of the hall's entries, newest first (a page past the last shows the last);
    ``phones``: in clear, else masked."""
    counted = _hall_entries(point).with_only_columns(func.count(Attendance.id))
    total = db.session.scalar(counted) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    found = db.session.execute(
        _hall_entries(point)
        .options(joinedload(Person.commune))
        .order_by(Attendance.touched_at.desc(), Attendance.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    prefix = f"checkin:{point.id}:"
    rows = [EntryRow(ref=touch.source_ref.removeprefix(prefix), name=person.full_name,
                     birth_year=person.birth_year, birth=written(person.birth_date),
                     commune=person.commune.name if person.commune else "",
                     hamlet=person.hamlet or "",
                     phone=(shown_phone if phones else mask_phone)(person.phone)
                     if person.phone else "",
                     at=touch.touched_at) for touch, person in found]  # fmt: skip
    return EntryPage(rows, page, pages, total)


def change(
    point: BridgePoint, action: str, ref: str, form: dict[str, str], user: User, now: datetime
) -> str:
    """Edit or remove one entry of the hall (``form``: the edit boxes); the caller commits.

    Returns the person's name (as it now reads, for the page to say what was done).

    Raises:
        EntryRefused: 404 no such entry of this hall, 409 the person is being followed up.
        HallError: a box the edit must correct, naming it (``attendee.<field>``).
    """
    found = db.session.execute(
        _hall_entries(point).where(Attendance.source_ref == touch_ref(point.id, ref[:200]))
    ).first()
    if found is None or action not in ACTIONS:
        raise EntryRefused(404, NOT_FOUND)
    touch, person = found
    person_id = person.id
    if in_use(touch, person):
        raise EntryRefused(409, IN_FOLLOW_UP)
    name, detail = person.full_name, {}
    if action == "edit":
        attendee = {f: form.get(f, "") for f in EDIT_FIELDS}
        if form.get("phone", "").strip():  # the phone is shown masked: empty keeps it
            attendee["phone"] = form["phone"]
        detail["changed"] = edit_person(person, {"attendee": attendee}, now)
        name = person.full_name
    else:
        withdraw(point.id, touch, person, ref)
    record(ACTIONS[action], user, "bridge_point", point.id, kind=action, ref=ref,
           person_id=person_id, event_id=point.event_id, **detail)  # fmt: skip
    return name

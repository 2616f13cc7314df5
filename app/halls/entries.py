"""A hall's recent check-in entries, and the officer's correction or withdrawal of one of them.

An entry is one attendee row of a report the server accepted, named by the report's
idempotency key and the row's place (``<key>:<row>``, the touch's ``source_ref`` without the
hall): the phone that sent it knows it without asking. Only the hall's own link reaches its
entries (another hall's link finds none), only for ``EDIT_WINDOW`` after the entry was made
and while the link works (a day past the event's end): the officer corrects what they typed
during the meeting; later, callers may be working the lead and a change is the organiser's
(``organiser_entries``: the same functions, without the time limit).
An entry whose person is already worked on (a lead status other than new, an enrolment
linked, another touch) is refused too: the hall would change records it did not make.

Each correction carries its own idempotency key (the page queues it as it queues reports):
the first answer is stored in the audit row, and a replay is answered from it, changing
nothing. The audit row names the fields changed, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, delete, exists, func, select
from sqlalchemy.orm import aliased

from app import prepared
from app.audit import record
from app.consent import purpose
from app.extensions import db
from app.formatting import local
from app.halls.links import OpenHall
from app.halls.services import NO_PURPOSE, HallError, parse_attendee, parse_sent_at, sent_time
from app.identity.phones import mask_phone
from app.identity.text import name_columns
from app.models import (
    Attendance,
    AttendanceReport,
    AuditLog,
    Comment,
    LeadStatus,
    LeadWork,
    Link,
    Person,
)
from app.sheets.issues import _l

EDIT_WINDOW = timedelta(hours=12)
LISTED = 30  # the page lists the hall's latest entries, not its whole sheet
ACTIONS = {"edit": "checkin.entry_edit", "withdraw": "checkin.entry_withdraw"}
OBJECT = "checkin_entry"
KEY_LIMIT = 48  # the audit row's object id holds "<hall id>:<key>"
EDITED = ("full_name", "birth_date", "phone", "cccd", "hamlet", "consent_agreed")

NOT_FOUND = _l("No entry of this hall under this reference.")
TOO_OLD = _l("This entry was made over 12 hours ago; ask the organiser to correct it.")
IN_USE = _l("This person is already being followed up; ask the organiser to correct it.")
BAD_BODY = _l("Send a JSON object.")
BAD_KEY = _l("8 to 48 characters, the same for every retry.")


class EntryRefused(HallError):
    """A correction the hall may not make (``status``: 404 unknown, 409 too old or in use)."""

    def __init__(self, status: int, msgid: str) -> None:
        super().__init__("ref", msgid)
        self.status = status


ESCAPE = "/"  # of the LIKE patterns ``like_prefix`` writes


@dataclass(frozen=True)
class Answer:
    """What the page is told; a replay's is read from the audit row and the entry as it is."""

    action: str
    ref: str
    entry: dict[str, Any] | None  # the entry as it now reads; None once withdrawn
    created: bool


def touch_ref(hall_id: int, ref: str) -> str:
    return f"checkin:{hall_id}:{ref}"


def shown(touch: Attendance, person: Person, hall_id: int) -> dict[str, Any]:
    """An entry as the page lists it: the phone masked (anyone holding the link reads this)."""
    return {"ref": touch.source_ref.removeprefix(f"checkin:{hall_id}:"),
            "name": person.full_name, "birth_year": person.birth_year,
            "phone": mask_phone(person.phone) if person.phone else "",
            "hamlet": person.hamlet, "at": touch.touched_at.isoformat()}  # fmt: skip


def recent(hall: OpenHall, now: datetime) -> list[dict[str, Any]]:
    """The hall's entries of the last ``EDIT_WINDOW``, newest first."""
    rows = db.session.execute(
        select(Attendance, Person)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.bridge_point_id == hall.id, Attendance.event_id == hall.event_id)
        .where(Attendance.source == "checkin", Attendance.touched_at >= now - EDIT_WINDOW)
        .order_by(Attendance.touched_at.desc(), Attendance.id.desc())
        .limit(LISTED)
    ).all()
    return [shown(touch, person, hall.id) for touch, person in rows]


def replayed(hall: OpenHall, key: str) -> Answer | None:
    """The answer a correction under this key got, if it came before."""
    row = db.session.scalar(
        select(AuditLog).where(
            AuditLog.action.in_(ACTIONS.values()),
            AuditLog.object_type == OBJECT,
            AuditLog.object_id == f"{hall.id}:{key}",
        )  # fmt: skip
    )
    if row is None:
        return None
    ref = str(row.detail.get("ref", ""))
    return Answer(str(row.detail.get("kind", "")), ref, entry_of(hall, ref), False)


def entry_of(hall: OpenHall, ref: str) -> dict[str, Any] | None:
    """The entry as it reads now, however old (a replay's answer: no value is kept in the audit
    row; the person a refused correction was about)."""
    found = db.session.execute(
        select(Attendance, Person)
        .join(Person, Person.id == Attendance.person_id)
        .where(
            Attendance.bridge_point_id == hall.id,
            Attendance.source == "checkin",
            Attendance.source_ref == touch_ref(hall.id, ref),
        )  # fmt: skip
    ).first()
    return shown(found[0], found[1], hall.id) if found else None


def correct(hall: OpenHall, data: dict[str, Any], now: datetime) -> Answer:
    """Apply one correction (``data``: the page's JSON body) once; the caller commits."""
    key = str(data.get("idempotency_key") or "").strip()
    if not 8 <= len(key) <= KEY_LIMIT:
        raise HallError("idempotency_key", BAD_KEY)
    before = replayed(hall, key)
    if before is not None:
        return before
    action = data.get("action")
    if action not in ACTIONS:
        raise HallError("action", _l("Either edit or withdraw."))
    ref = str(data.get("ref") or "")[:200]
    touch = db.session.scalar(
        select(Attendance).where(
            Attendance.bridge_point_id == hall.id,
            Attendance.event_id == hall.event_id,
            Attendance.source == "checkin",
            Attendance.source_ref == touch_ref(hall.id, ref),
        )  # fmt: skip
    )
    if touch is None:
        raise EntryRefused(404, NOT_FOUND)
    pressed = sent_time(_time(data, "sent_at"), now, _time(data, "clock"))
    if pressed - touch.touched_at > EDIT_WINDOW:
        raise EntryRefused(409, TOO_OLD)
    person = db.session.get(Person, touch.person_id)
    assert person is not None  # a touch's person goes with it (ON DELETE CASCADE)
    if in_use(touch, person):
        raise EntryRefused(409, IN_USE)
    if action == "edit":
        changed = edit_person(person, data, pressed)
        entry: dict[str, Any] | None = shown(touch, person, hall.id)
        detail: dict[str, Any] = {"changed": changed}
    else:
        withdraw(hall.id, touch, person, ref)
        entry, detail = None, {}
    record(ACTIONS[action], None, OBJECT, f"{hall.id}:{key}", kind=action, ref=ref,
           person_id=person.id, hall_id=hall.id, event_id=hall.event_id, **detail)  # fmt: skip
    return Answer(action, ref, entry, True)


def _time(data: dict[str, Any], field: str) -> datetime | None:
    return parse_sent_at(data.get(field), field)


def in_use(touch: Attendance, person: Person) -> bool:
    """Whether anything but this entry holds the person: the hall's correction stops there,
    and the organiser's too (``organiser_entries``): the follow-up's records are theirs."""
    other = exists().where(Attendance.person_id == person.id, Attendance.id != touch.id)
    worked = exists().where(LeadWork.person_id == person.id,
                            (LeadWork.status != LeadStatus.NEW) | LeadWork.assignee_id.is_not(None)
                            | LeadWork.next_call_on.is_not(None))  # fmt: skip
    linked = exists().where(Link.person_id == person.id)
    commented = exists().where(Comment.person_id == person.id)
    return bool(db.session.scalar(select(other | worked | linked | commented)))


def edit_person(person: Person, data: dict[str, Any], pressed: datetime) -> list[str]:
    """The person as the corrected row says; the fields changed (names only). A field the row
    leaves out stays as it is: another phone's entry is shown with its phone masked, so its
    page sends no phone, no CCCD and no answer unless the officer types one."""
    raw = data.get("attendee")
    raw = raw if isinstance(raw, dict) else {}
    row, problems = parse_attendee(0, raw)
    if problems:
        for problem in problems:
            problem.field = problem.field.replace("attendees[1].", "attendee.")
        raise HallError.every(problems)
    assert row is not None
    version = data.get("consent_version")
    version = version if isinstance(version, str) else None
    before = {name: getattr(person, name) for name in EDITED}
    if "consent" in raw and row.consent != person.consent_agreed:  # a new answer, to this text
        if row.consent is not None and purpose(version) is None:
            raise HallError("consent_version", NO_PURPOSE, str(version or "")[:40])
        person.consent_agreed = row.consent
        person.consent_version = version if row.consent is not None else None
        person.consent_at = pressed if row.consent is not None else None
    person.full_name, person.name_folded = name_columns(row.full_name)
    if "birth" in raw:
        person.birth_date, person.birth_precision = row.birth, row.birth_precision
        person.birth_year = row.birth_year
    if "hamlet" in raw:
        person.hamlet = row.hamlet
    given = {name: getattr(row, name) for name in ("phone", "cccd") if name in raw}
    if given:
        person.set_identifiers(**given)
    return [name for name in EDITED if getattr(person, name) != before[name]]


def withdraw(hall_id: int, touch: Attendance, person: Person, ref: str) -> None:
    """The entry's touch goes (the rollups follow it), its new lead and, made by it alone, its
    person; its report names one row fewer."""
    db.session.delete(touch)
    db.session.execute(delete(LeadWork).where(LeadWork.person_id == person.id))
    db.session.flush()
    db.session.delete(person)
    report = db.session.scalar(
        select(AttendanceReport).where(AttendanceReport.bridge_point_id == hall_id,
                                       AttendanceReport.idempotency_key == ref.rsplit(":", 1)[0])
    )  # fmt: skip
    if report is not None and report.attendees > 0:  # through the ORM: the rollups follow it
        report.attendees -= 1


def twins(hall_id: int, event_id: int, key: str) -> list[tuple[str, int, datetime]]:
    """The report's rows that name a person already entered at this hall for this event (the
    same name and birth year, another phone): (name, birth year, when the earlier one was
    entered). The phone asks before sending, but not a page without the script, nor a second
    phone of the hall whose list is not yet the hall's; namesakes are common, so the server warns
    and never refuses. Asked after every named report is committed: built and compiled once
    (``app.prepared``), it cost a check-in more CPU through the ORM than the report's write."""
    prefix = like_prefix(f"checkin:{hall_id}:{key}:")
    rows = prepared.rows(("halls.twins",), _twins, typed=True, hall_id=hall_id,
                         event_id=event_id, prefix=prefix)  # fmt: skip
    return [(name, year, at) for name, year, at in rows]


def _twins() -> Select[Any]:
    new, old = aliased(Attendance), aliased(Attendance)
    new_person, old_person = aliased(Person), aliased(Person)
    hall_id, prefix = bindparam("hall_id"), bindparam("prefix")
    return (
        select(new_person.full_name, new_person.birth_year, func.max(old.touched_at))
        .select_from(new)
        .join(new_person, new_person.id == new.person_id)
        .join(old, (old.bridge_point_id == hall_id) & (old.event_id == bindparam("event_id"))
              & (old.source == "checkin") & (old.id != new.id))
        .join(old_person, old_person.id == old.person_id)
        .where(new.bridge_point_id == hall_id, new.source == "checkin",
               new.source_ref.like(prefix, escape=ESCAPE),
               ~old.source_ref.like(prefix, escape=ESCAPE),
               old_person.name_folded == new_person.name_folded,
               old_person.birth_year == new_person.birth_year,
               old_person.phone_bidx.is_distinct_from(new_person.phone_bidx))
        .group_by(new.id, new_person.full_name, new_person.birth_year)
        .order_by(new.id)
    )  # fmt: skip


def like_prefix(text: str) -> str:
    """A LIKE pattern for what starts with ``text``, its own wildcards escaped (a key may hold
    ``_``), as ``startswith(autoescape=True)`` writes it."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return escaped + "%"


def twin_warning(hall_id: int, event_id: int, key: str) -> str | None:
    """``twins`` as the officer reads it after sending, in the page's language."""
    found = twins(hall_id, event_id, key)
    if not found:
        return None
    from flask_babel import gettext

    who = "; ".join(
        gettext("%(name)s (%(year)s) entered at %(t)s", name=name, year=year or "",
                t=local(at).strftime("%H:%M"))
        for name, year, at in found
    )  # fmt: skip
    return gettext("Maybe entered twice: %(who)s. If it is the same person, correct the earlier "
                   "entry and remove this one under “Just entered”.", who=who)  # fmt: skip

"""The follow-up list: who came or asked, and has not enrolled yet — the collection agents' calls.

People already linked to an enrolment (new or renewal) are left out, as are people who withdrew
consent or were erased. Phones are shown whole only to roles allowed to call (officer and above);
the list itself is also built for viewers, masked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.followup.queries import COUNTING
from app.identity.phones import mask_phone, mask_phones, national
from app.models import Attendance, Comment, Link, OrgUnit, Person, Target


@dataclass(frozen=True)
class CallRow:
    kind: str  # "attendee" | "lead"
    person_id: int | None
    name: str
    phone: str | None
    birth_year: int | None
    commune: str
    hamlet: str
    source: str
    seen_at: datetime
    note: str


def _linked_people() -> object:
    return select(Link.person_id).where(Link.status.in_(COUNTING))


def _withdrawn_people() -> object:
    return select(Person.id).where(
        Person.erased_at.is_not(None) | Person.consent_withdrawn_at.is_not(None)
    )


def attendees_to_call(event_id: int) -> list[CallRow]:
    stmt = (
        select(Person, Attendance.source, Attendance.touched_at, OrgUnit.name)
        .join(Attendance, Attendance.person_id == Person.id)
        .outerjoin(OrgUnit, OrgUnit.id == Person.commune_id)
        .where(Attendance.event_id == event_id, Attendance.source != "comment")
        .where(Person.erased_at.is_(None), Person.consent_withdrawn_at.is_(None))
        .where(Person.id.not_in(_linked_people()))
        .order_by(OrgUnit.name, Person.name_folded, Person.id)
    )
    rows: dict[int, CallRow] = {}
    for person, source, touched_at, commune in db.session.execute(stmt):
        if person.id in rows:
            continue
        rows[person.id] = CallRow("attendee", person.id, person.full_name, person.phone,
                                  person.birth_year, commune or "", person.hamlet, source,
                                  touched_at, "")  # fmt: skip
    return list(rows.values())


def leads_to_call(event_id: int) -> list[CallRow]:
    """Comments carrying a phone or an intent to enrol, unless their person has enrolled."""
    stmt = (
        select(Comment)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id == event_id, Comment.is_lead, Comment.deleted_at.is_(None))
        .where(Comment.person_id.is_(None) | Comment.person_id.not_in(_linked_people()))
        .where(Comment.person_id.is_(None) | Comment.person_id.not_in(_withdrawn_people()))
        .order_by(Comment.created_at.desc())
    )
    return [
        CallRow(
            "lead",
            c.person_id,
            c.author_name,
            c.phone,
            None,
            "",
            "",
            ", ".join(c.lead_intents or []),
            c.created_at,
            c.message[:300],
        )  # fmt: skip
        for c in db.session.scalars(stmt)
    ]


def call_list(event_id: int, *, phones: bool) -> list[CallRow]:
    """Attendees first (by commune), then leads (newest first); phones masked unless allowed."""
    attendees = attendees_to_call(event_id)
    listed = {r.person_id for r in attendees}
    # A lead who also signed a sheet is called once, as an attendee.
    rows = attendees + [r for r in leads_to_call(event_id) if r.person_id not in listed]
    if phones:
        return [replace(r, phone=national(r.phone) if r.phone else None) for r in rows]
    return [
        replace(r, phone=mask_phone(r.phone) if r.phone else None, note=mask_phones(r.note))
        for r in rows
    ]

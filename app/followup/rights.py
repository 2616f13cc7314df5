"""A person's rights under the Personal Data Protection Law (91/2025/QH15): see, correct, erase.

Erasing keeps the person's row and their touches and links with every identifier removed, so the
aggregate counts already reported (people identified, converted) do not change while nobody can be
recognised any more. Withdrawing consent stops future linkage and calls; the retention sweep
anonymises people whose campaigns ended longer ago than the campaign's retention period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.identity.phones import normalize_phone
from app.identity.text import fold
from app.models import Attendance, Campaign, Comment, Enrolment, Event, Link, Person

IDENTIFIERS = ("phone", "phone_bidx", "cccd", "cccd_bidx", "bhxh_code", "bhxh_code_bidx",
               "birth_date", "birth_precision", "gender")  # fmt: skip
CORRECTABLE = ("full_name", "phone", "cccd", "hamlet", "birth_year")


class RightsError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def export_person(person: Person) -> dict[str, Any]:
    """Everything we hold about the person, in clear, for a subject-access request."""
    touches = db.session.execute(
        select(Attendance.event_id, Event.title, Attendance.source, Attendance.touched_at)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.person_id == person.id)
        .order_by(Attendance.touched_at)
    ).all()
    links = db.session.execute(
        select(Link.method, Link.status, Enrolment.scheme, Enrolment.paid_on, Enrolment.is_new)
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .where(Link.person_id == person.id)
    ).all()
    return {
        "id": person.id,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "birth_year": person.birth_year,
        "gender": person.gender,
        "phone": person.phone,
        "cccd": person.cccd,
        "bhxh_code": person.bhxh_code,
        "commune": person.commune.name if person.commune else None,
        "hamlet": person.hamlet,
        "consent": {
            "at": _iso(person.consent_at),
            "version": person.consent_version,
            "source": person.consent_source,
            "withdrawn_at": _iso(person.consent_withdrawn_at),
        },
        "erased_at": _iso(person.erased_at),
        "touches": [
            {"event_id": e, "event": title, "source": source, "at": _iso(at)}
            for e, title, source, at in touches
        ],
        "enrolments": [
            {
                "method": m,
                "status": s.value,
                "scheme": sc.value,
                "paid_on": _iso(paid),
                "is_new": new,
            }  # fmt: skip
            for m, s, sc, paid, new in links
        ],
    }


def correct_person(person: Person, changes: dict[str, Any]) -> list[str]:
    """Apply corrections the person asked for; returns the fields changed (names only)."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise RightsError(unknown[0], f"cannot be corrected; one of {', '.join(CORRECTABLE)}")
    if person.erased_at is not None:
        raise RightsError("person", "was erased")
    changed = []
    if "full_name" in changes:
        name = " ".join(str(changes["full_name"] or "").split())
        if not name:
            raise RightsError("full_name", "must not be empty")
        person.full_name, person.name_folded = name, fold(name)
        changed.append("full_name")
    if "phone" in changes:
        phone = normalize_phone(str(changes["phone"] or "")) if changes["phone"] else None
        if changes["phone"] and phone is None:
            raise RightsError("phone", "is not a Vietnamese phone number")
        person.set_identifiers(phone=phone)
        changed.append("phone")
    if "cccd" in changes:
        cccd = str(changes["cccd"] or "").strip() or None
        if cccd is not None and not (len(cccd) == 12 and cccd.isdigit()):
            raise RightsError("cccd", "must be 12 digits")
        person.set_identifiers(cccd=cccd)
        changed.append("cccd")
    if "hamlet" in changes:
        person.hamlet = " ".join(str(changes["hamlet"] or "").split())
        changed.append("hamlet")
    if "birth_year" in changes:
        year = changes["birth_year"]
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            raise RightsError("birth_year", "must be a year such as 1975")
        person.birth_year = year
        changed.append("birth_year")
    return changed


def withdraw_consent(person: Person, now: datetime) -> None:
    """No more linkage or calls from now on; links already made stay for the counts."""
    if person.consent_withdrawn_at is None:
        person.consent_withdrawn_at = now


def erase_person(person: Person, now: datetime) -> None:
    """Remove every identifier; the anonymous row keeps the counts it is part of."""
    for column in IDENTIFIERS:
        setattr(person, column, None)
    person.full_name = ""
    person.name_folded = ""
    person.hamlet = ""
    person.commune_text = ""
    person.erased_at = now
    if person.consent_withdrawn_at is None:
        person.consent_withdrawn_at = now
    for comment in db.session.scalars(select(Comment).where(Comment.person_id == person.id)):
        comment.phone = None
        comment.phone_bidx = None
        comment.author_name = ""
        comment.message = ""
    db.session.execute(
        Attendance.__table__.update().where(Attendance.person_id == person.id).values(source_ref="")
    )


def expired_people(now: datetime) -> list[Person]:
    """People whose every touch belongs to a campaign past its end plus its retention period.

    A person also touched by an event without a retention period, or by one still within it,
    is kept: the strictest live purpose wins.
    """
    today = now.date()
    expired = [
        c.id
        for c in db.session.scalars(select(Campaign).where(Campaign.retention_days.is_not(None)))
        if c.ends_on + timedelta(days=c.retention_days or 0) < today
    ]
    if not expired:
        return []
    touches = select(Attendance.id).join(Event, Event.id == Attendance.event_id)
    live_touch = touches.where(
        Attendance.person_id == Person.id,
        or_(Event.campaign_id.is_(None), Event.campaign_id.not_in(expired)),
    )
    any_touch = select(Attendance.id).where(Attendance.person_id == Person.id)
    return list(
        db.session.scalars(
            select(Person).where(
                Person.erased_at.is_(None), any_touch.exists(), ~live_touch.exists()
            )
        )
    )


def apply_retention(now: datetime) -> int:
    """Anonymise every person past retention; returns how many."""
    people = expired_people(now)
    for person in people:
        erase_person(person, now)
    return len(people)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None

"""A comment lead's number known from elsewhere, when their comments on this event carried none.

Someone who asks for advice under a post without writing a number may have given one before:
on an attendee sheet or at a hall's check-in, or in a comment on another event. Their person
record holds it; the call list may use it only on a basis that covers that number, and says
where it comes from, because the basis is not the comment's:

- the same number in one of their own public comments (another event): the public-comment basis,
  as if they had written it here;
- else, given at an event (sheet, check-in) by a person who agreed to the purpose text: their
  consent, which covers what they wrote there;
- else (a number from a sheet whose person never answered): nothing. Their comment here is no
  basis for calling a number they did not publish, so the row stays among those without one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.attendance.lead_people import SOURCE
from app.consent import PUBLIC_COMMENT
from app.extensions import db
from app.models import Attendance, Comment, Event, Person, Target


@dataclass(frozen=True)
class KnownPhone:
    phone: str
    basis: str  # "consent" | app.consent.PUBLIC_COMMENT
    consent_version: str | None
    source: str  # where it was given: app.labels.TOUCH_SOURCE ("sheet", "checkin", "comment")
    event: str  # the title of the event it was given at
    given_at: datetime


def known_phones(person_ids: Collection[int]) -> dict[int, KnownPhone]:
    """Each person's number with the basis that covers it and where it was given (see above);
    people with no number, or none on a basis, are left out."""
    if not person_ids:
        return {}
    people = db.session.scalars(
        select(Person).where(Person.id.in_(list(person_ids)), Person.phone_bidx.is_not(None))
    ).all()
    found: dict[int, KnownPhone] = {}
    for person in people:
        known = _from_comment(person) or _from_event(person)
        if known is not None:
            found[person.id] = known
    return found


def _from_comment(person: Person) -> KnownPhone | None:
    """The number, if the person published it in a public comment of theirs (newest first)."""
    row = db.session.execute(
        select(Event.title, Comment.created_at)
        .join(Target, Target.id == Comment.target_id)
        .join(Event, Event.id == Target.event_id)
        .where(Comment.person_id == person.id, Comment.phone_bidx == person.phone_bidx)
        .where(Comment.erased_at.is_(None), Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc())
        .limit(1)
    ).first()
    if row is None or person.phone is None:
        return None
    return KnownPhone(person.phone, PUBLIC_COMMENT, None, SOURCE, row.title, row.created_at)


def _from_event(person: Person) -> KnownPhone | None:
    """The number, if the person agreed to the purpose text and was seen at an event (the
    latest sheet or check-in, where they wrote it)."""
    if person.consent_agreed is not True or person.phone is None:
        return None
    row = db.session.execute(
        select(Event.title, Attendance.source, Attendance.touched_at)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.person_id == person.id, Attendance.source != SOURCE)
        .order_by(Attendance.touched_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return KnownPhone(person.phone, "consent", person.consent_version, row.source, row.title,
                      row.touched_at)  # fmt: skip

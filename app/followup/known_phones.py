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

from collections.abc import Collection, Mapping, Sequence
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
    people with no number, or none on a basis, are left out.

    Three statements whatever the number of people (the people, their comments carrying their
    number, the consenting ones' latest sheet or check-in), not two per person: a province's
    list holds hundreds of leads without a number."""
    if not person_ids:
        return {}
    people = list(
        db.session.scalars(
            select(Person).where(Person.id.in_(list(person_ids)), Person.phone_bidx.is_not(None))
        )
    )
    numbers = {p.id: p.phone for p in people if p.phone is not None}
    found = _from_comments(numbers)
    consenting = [p for p in people if p.id in numbers and p.id not in found
                  and p.consent_agreed is True]  # fmt: skip
    found.update(_from_events(consenting, numbers))
    return found


def _from_comments(numbers: Mapping[int, str]) -> dict[int, KnownPhone]:
    """The number of each person (``numbers``: by person id) who published it in a public
    comment of theirs (the newest)."""
    if not numbers:
        return {}
    rows = db.session.execute(
        select(Comment.person_id, Event.title, Comment.created_at)
        .join(Target, Target.id == Comment.target_id)
        .join(Event, Event.id == Target.event_id)
        .join(Person, Person.id == Comment.person_id)
        .where(Comment.person_id.in_(list(numbers)), Comment.phone_bidx == Person.phone_bidx)
        .where(Comment.erased_at.is_(None), Comment.deleted_at.is_(None))
        .order_by(Comment.person_id, Comment.created_at.desc(), Comment.id.desc())
    )
    found: dict[int, KnownPhone] = {}
    for person_id, title, created_at in rows:
        if person_id not in found:  # the newest, first of the person's rows
            found[person_id] = KnownPhone(numbers[person_id], PUBLIC_COMMENT, None, SOURCE, title,
                                          created_at)  # fmt: skip
    return found


def _from_events(people: Sequence[Person], numbers: Mapping[int, str]) -> dict[int, KnownPhone]:
    """The number of each person who agreed to the purpose text and was seen at an event (the
    latest sheet or check-in, where they wrote it)."""
    if not people:
        return {}
    by_id = {p.id: p for p in people}
    rows = db.session.execute(
        select(Attendance.person_id, Event.title, Attendance.source, Attendance.touched_at)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.person_id.in_(list(by_id)), Attendance.source != SOURCE)
        .order_by(Attendance.person_id, Attendance.touched_at.desc(), Attendance.id.desc())
    )
    found: dict[int, KnownPhone] = {}
    for person_id, title, source, touched_at in rows:
        if person_id in found:
            continue
        found[person_id] = KnownPhone(numbers[person_id], "consent",
                                      by_id[person_id].consent_version, source, title,
                                      touched_at)  # fmt: skip
    return found

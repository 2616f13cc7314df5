"""People made from comment leads: each lead comment becomes a person with a touch of its event.

Attendee sheets, check-ins and platform participants already arrive as Person + Attendance
(``rows``); a lead comment (``leads`` decided it is one when it was collected) only carries the
author's display name and the phone found in it. Each lead comment without a person becomes one:
the same phone and name within one run is one person (a lead who commented twice), and the same
person across events is merged later by app.followup.dedup.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.identity.text import fold
from app.models import Attendance, Comment, Person, Target

SOURCE = "comment"


def register_comment_leads(now: datetime) -> int:
    """People for lead comments that have none yet; returns how many people were created."""
    stmt = (
        select(Comment, Target.event_id)
        .join(Target, Target.id == Comment.target_id)
        .where(Comment.is_lead, Comment.person_id.is_(None), Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )
    people: dict[tuple[str, ...], Person] = {}
    touched: dict[tuple[int, int], Attendance] = {}
    created = 0
    for comment, event_id in db.session.execute(stmt).all():
        name = " ".join((comment.author_name or "").split())[:200]
        if comment.phone_bidx:
            key: tuple[str, ...] = ("phone", comment.phone_bidx, fold(name))
        else:
            key = ("author", str(comment.target_id), comment.author_external_id or fold(name))
        person = people.get(key)
        if person is None:
            person = Person(full_name=name, name_folded=fold(name), phone=comment.phone,
                            phone_bidx=comment.phone_bidx, consent_source=SOURCE)  # fmt: skip
            db.session.add(person)
            db.session.flush()
            people[key] = person
            created += 1
        comment.person_id = person.id
        touch = touched.get((person.id, event_id))
        if touch is None:
            touch = Attendance(person_id=person.id, event_id=event_id, source=SOURCE,
                               source_ref=f"comment {comment.external_id}"[:300],
                               touched_at=comment.created_at)  # fmt: skip
            db.session.add(touch)
            touched[(person.id, event_id)] = touch
        elif comment.created_at < touch.touched_at:
            touch.touched_at = comment.created_at
    db.session.flush()
    return created

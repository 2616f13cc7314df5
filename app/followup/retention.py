"""The retention sweep: personal data goes when its purpose has run out, by itself, every day.

The scheduler runs ``run_retention`` daily (app.collection.scheduler, RETENTION_TICK_SECONDS), and
``flask followup retention`` runs it by hand; each run is written to the audit log and to the log.
What goes, with the erasure functions of app.followup.rights (the counts stay):

- people whose every touch belongs to a campaign past its end plus its retention period;
- comment leads who never agreed, LEAD_RETENTION_DAYS after their latest comment (the limit of
  the public-comment basis, app.consent);
- the author, text and phone of comments of those campaigns' events, and of lead comments (those
  holding a phone) past the same lead limit;
- the identifiers of enrolment rows paid more than ENROLMENT_RETENTION_DAYS ago.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from app import audit
from app.consent import PUBLIC_COMMENT, lead_retention
from app.extensions import db
from app.followup.rights import erase_comments, erase_enrolments, erase_person
from app.models import Attendance, Campaign, Comment, Enrolment, Event, Person, Target

log = logging.getLogger(__name__)
ACTION = "people.retention"
ENROLMENT_RETENTION_DAYS = 730  # default of the ENROLMENT_RETENTION_DAYS setting


@dataclass
class RetentionSweep:
    people: int = 0  # past their campaigns' retention
    leads: int = 0  # comment leads past the basis' limit
    comments: int = 0  # comment texts removed
    enrolments: int = 0  # enrolment rows whose identifiers were removed

    def line(self) -> str:
        return (f"{self.people} people anonymised (campaign retention), {self.leads} comment "
                f"leads anonymised, {self.comments} comment texts and {self.enrolments} "
                f"enrolment rows cleared")  # fmt: skip


def expired_campaigns(now: datetime) -> list[int]:
    today = now.date()
    return [
        c.id
        for c in db.session.scalars(select(Campaign).where(Campaign.retention_days.is_not(None)))
        if c.ends_on + timedelta(days=c.retention_days or 0) < today
    ]


def expired_people(now: datetime, expired: list[int]) -> list[Person]:
    """People whose every touch belongs to a campaign in ``expired``.

    A person also touched by an event without a retention period, or by one still within it,
    is kept: the strictest live purpose wins.
    """
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


def expired_leads(now: datetime) -> list[Person]:
    """Comment leads who never agreed and were not seen since the basis' limit."""
    recent = select(Attendance.id).where(
        Attendance.person_id == Person.id, Attendance.touched_at >= now - lead_retention()
    )
    return list(
        db.session.scalars(
            select(Person).where(
                Person.legal_basis == PUBLIC_COMMENT,
                Person.erased_at.is_(None),
                or_(Person.consent_agreed.is_(None), Person.consent_agreed.is_(False)),
                ~recent.exists(),
            )
        )
    )


def apply_retention(now: datetime) -> RetentionSweep:
    """Erase everything past retention, in the caller's transaction."""
    sweep = RetentionSweep()
    expired = expired_campaigns(now)
    for person in expired_people(now, expired):
        erase_person(person, now)
        sweep.people += 1
    for person in expired_leads(now):
        erase_person(person, now)
        sweep.leads += 1
    old_leads = and_(Comment.phone_bidx.is_not(None), Comment.created_at < now - lead_retention())
    ended = Comment.target_id.in_(
        select(Target.id)
        .join(Event, Event.id == Target.event_id)
        .where(Event.campaign_id.in_(expired))
    )
    sweep.comments = erase_comments(or_(old_leads, ended) if expired else old_leads, now)
    days = int(current_app.config.get("ENROLMENT_RETENTION_DAYS", ENROLMENT_RETENTION_DAYS))
    paid_before = (now - timedelta(days=days)).date()
    sweep.enrolments = erase_enrolments(Enrolment.paid_on < paid_before, now)
    return sweep


def run_retention(now: datetime) -> RetentionSweep:
    """The sweep, its audit entry and its log line, committed: what the scheduler and CLI run."""
    try:
        sweep = apply_retention(now)
        audit.record(ACTION, None, "person", "", **asdict(sweep))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("retention sweep: %s", sweep.line())
    return sweep

"""Retention runs by itself: a daily scheduler job erases what is past its purpose, and says so.

- the scheduler (embedded, or ``flask collect run``) has the sweep among its jobs, every day;
- one run erases people of campaigns past their retention, comment leads past the public-comment
  basis' limit (from their latest comment), the author, text and phone of those comments and of
  the ended campaigns' comments, and the identifiers of enrolment rows paid too long ago; what is
  still within its purpose is kept; counts stay (rows are cleared, not deleted);
- each run writes an audit entry with its counts and a log line.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import func, select

from app.attendance.lead_people import register_comment_leads
from app.collection.scheduler import JOBS, add_jobs
from app.consent import CURRENT
from app.extensions import db
from app.followup.retention import apply_retention
from app.models import Attendance, AuditLog, Comment, Enrolment, Person
from app.personal_data import blind_index
from tests.app.followup.test_linking import _enrolment, _person
from tests.conftest import HOME, Factory

# Also on PostgreSQL: the sweep clears comments and enrolment rows in bulk UPDATEs.
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
LONG_AGO = datetime(2019, 1, 1, tzinfo=UTC)  # past every limit, whenever the test runs
FAR_AHEAD = datetime(2099, 1, 1, tzinfo=UTC)  # within every limit, whenever the test runs


def _comment(make: Factory, event, at: datetime, phone: str | None, n: int) -> Comment:  # type: ignore[no-untyped-def]
    target = make.target(event, make.account(HOME), external_id=f"live-{n}")
    comment = Comment(target_id=target.id, external_id=f"c{n}", author_name=f"Người {n}",
                      author_external_id=f"fb{n}", message=f"gọi tôi {phone or ''}",
                      created_at=at, is_lead=phone is not None, lead_intents=[], phone=phone,
                      phone_bidx=blind_index("phone", phone) if phone else None)  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    return comment


def _world(make: Factory, old: datetime, recent: datetime) -> dict[str, int]:
    """One of each kind past retention at ``old``, and its twin still within it at ``recent``."""
    ended = make.campaign(HOME, name="Đã xong", starts_on=date(2018, 1, 1),
                          ends_on=date(2018, 3, 31), retention_days=180)  # fmt: skip
    ids: dict[str, int] = {}
    done = make.event(HOME, title="Chiến dịch cũ", campaign=ended)
    ids["campaign person"] = _person(done.id, "Cũ", consent_agreed=True).id
    ids["campaign comment"] = _comment(make, done, recent, None, 1).id
    live = make.event(HOME, title="Livestream")
    ids["old lead comment"] = _comment(make, live, old, "+84903000001", 2).id
    ids["recent lead comment"] = _comment(make, live, recent, "+84903000002", 3).id
    ids["plain comment"] = _comment(make, live, old, None, 4).id
    register_comment_leads(NOW)
    people = {c.id: c.person_id for c in db.session.scalars(select(Comment))}
    ids["old lead"], ids["recent lead"] = (
        people[ids["old lead comment"]],
        people[ids["recent lead comment"]],
    )
    ids["old enrolment"] = _enrolment("Trần Văn Cũ", cccd="040180000001", paid=old.date()).id
    ids["recent enrolment"] = _enrolment("Trần Văn Mới", cccd="040180000002",
                                         paid=recent.date()).id  # fmt: skip
    db.session.commit()
    return ids


def _check_swept(ids: dict[str, int]) -> None:
    db.session.expire_all()
    person = db.session.get(Person, ids["campaign person"])
    assert (person.erased_at is not None, person.full_name) == (True, "")
    old_lead, recent_lead = (db.session.get(Person, ids[k]) for k in ("old lead", "recent lead"))
    assert (old_lead.erased_at is not None, old_lead.phone) == (True, None)
    assert (recent_lead.erased_at, recent_lead.phone) == (None, "+84903000002")
    for key in ("campaign comment", "old lead comment"):
        comment = db.session.get(Comment, ids[key])
        assert (comment.message, comment.author_name, comment.phone, comment.author_external_id,
                comment.erased_at is not None) == ("", "", None, None, True), key  # fmt: skip
    assert db.session.get(Comment, ids["recent lead comment"]).message == "gọi tôi +84903000002"
    assert db.session.get(Comment, ids["plain comment"]).message == "gọi tôi "  # no phone: kept
    old, recent = (db.session.get(Enrolment, ids[k]) for k in ("old enrolment", "recent enrolment"))
    assert (old.full_name, old.cccd, old.erased_at is not None) == ("", None, True)
    assert (recent.full_name, recent.erased_at) == ("Trần Văn Mới", None)
    # Nothing is deleted: every count stays.
    assert db.session.scalar(select(func.count(Comment.id))) == 4
    assert db.session.scalar(select(func.count(Enrolment.id))) == 2
    assert db.session.scalar(select(func.count(Attendance.id))) == 3


def test_the_scheduler_sweeps_every_day_and_logs_it(
    app: Flask, make: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    assert "retention_sweep" in {job.__name__ for job, _ in JOBS}
    ids = _world(make, LONG_AGO, FAR_AHEAD)
    scheduler = add_jobs(app, BackgroundScheduler(timezone="UTC"))  # built, never started
    job = scheduler.get_job("retention_sweep")
    assert job.trigger.interval == timedelta(days=1)
    with caplog.at_level(logging.INFO, logger="app.followup.retention"):
        job.func()  # what the scheduler calls: its own app context, committed
    _check_swept(ids)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "people.retention")).one()
    # The old lead's comment went with the lead; the ended campaign's comment by itself.
    assert entry.detail == {"people": 1, "leads": 1, "comments": 1, "enrolments": 1}
    assert "1 people anonymised (campaign retention), 1 comment leads anonymised" in caplog.text
    job.func()  # the next day: nothing left to erase
    again = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "people.retention").order_by(AuditLog.id.desc())
    ).first()
    assert again.detail == {"people": 0, "leads": 0, "comments": 0, "enrolments": 0}


def test_the_limits_are_counted_from_the_latest_comment_and_the_payment(
    app: Flask, make: Factory
) -> None:
    app.config.update(LEAD_RETENTION_DAYS=30, ENROLMENT_RETENTION_DAYS=365)
    ids = _world(make, NOW - timedelta(days=366), NOW - timedelta(days=29))
    sweep = apply_retention(NOW)
    db.session.commit()
    assert (sweep.people, sweep.leads, sweep.comments, sweep.enrolments) == (1, 1, 1, 1)
    _check_swept(ids)


def test_a_lead_who_agreed_is_held_by_their_consent_but_old_comments_go(
    app: Flask, make: Factory
) -> None:
    live = make.event(HOME, title="Livestream")
    comment = _comment(make, live, LONG_AGO, "+84903000009", 9)
    register_comment_leads(NOW)
    lead = db.session.scalars(select(Person)).one()
    lead.consent_agreed, lead.consent_at, lead.consent_version = True, NOW, CURRENT
    db.session.commit()
    sweep = apply_retention(NOW)
    db.session.commit()
    assert (sweep.leads, sweep.comments) == (0, 1)
    db.session.expire_all()
    assert db.session.get(Person, lead.id).phone == "+84903000009"  # held by their consent
    assert db.session.get(Comment, comment.id).phone is None  # the comment's own copy went

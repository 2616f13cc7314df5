"""The benchmarks' province-year as it stands at the moment it is seeded for: the events after it
are planned and have nothing yet, as a real office's (no check-in before two hours ahead of a
start, no collection before a live starts)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.identity.names import written_name
from app.identity.text import fold
from app.models import (
    Attendance,
    AttendanceReport,
    BridgePoint,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    EventStatus,
    OrgUnit,
    Person,
    Target,
)
from app.seed.province_year import Sizes, seed_province_year

# 1 July 2026, 10:00 in Vietnam: half the year held, half planned.
MOMENT = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.postgres
SIZES = Sizes(communes=4, events=80, samples=3000, comments=2000, people=300, enrolments=120)


def count(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def test_events_after_the_moment_are_planned_with_no_data(app: Flask) -> None:
    seeded = seed_province_year(SIZES, seed=5, now=MOMENT)
    db.session.commit()
    ahead = sa.select(Event.id).where(Event.planned_start > MOMENT)
    held = sa.select(Event.id).where(Event.planned_start <= MOMENT)
    assert 20 < count(ahead) < 60  # noqa: PLR2004 (the year spread over both sides)
    statuses = set(db.session.scalars(sa.select(Event.status).where(Event.id.in_(ahead))))
    assert statuses == {EventStatus.SCHEDULED}
    assert (
        count(sa.select(Event.id).where(Event.id.in_(ahead), Event.actual_start.is_not(None))) == 0
    )
    assert set(db.session.scalars(sa.select(Event.status).where(Event.id.in_(held)))) == {
        EventStatus.ENDED
    }

    # Nothing at the events ahead: no samples, comments, touches, head counts.
    assert count(sa.select(Target.id).where(Target.event_id.in_(ahead))) == 0
    assert count(sa.select(EngagementSample.id).join(Target).where(Target.event_id.in_(ahead))) == 0
    assert count(sa.select(Comment.id).join(Target).where(Target.event_id.in_(ahead))) == 0
    assert count(sa.select(Attendance.id).where(Attendance.event_id.in_(ahead))) == 0
    assert (
        count(
            sa.select(AttendanceReport.id).join(BridgePoint).where(BridgePoint.event_id.in_(ahead))
        )
        == 0
    )
    # ... and nothing dated after the moment anywhere.
    assert count(sa.select(EngagementSample.id).where(EngagementSample.sampled_at > MOMENT)) == 0
    assert count(sa.select(Comment.id).where(Comment.created_at > MOMENT)) == 0
    assert count(sa.select(Attendance.id).where(Attendance.touched_at > MOMENT)) == 0
    assert count(sa.select(Enrolment.id).where(Enrolment.paid_on > MOMENT.date())) == 0

    # The events held have their data, the sizes asked.
    assert count(sa.select(Attendance.id).where(Attendance.event_id.in_(held))) > 0
    assert seeded.counts["events"] == SIZES.events
    assert seeded.counts["engagement_samples"] > SIZES.samples * 0.9
    assert seeded.counts["comments"] > SIZES.comments * 0.9
    assert seeded.counts["people"] == SIZES.people


def planned(code: str) -> int:
    """The province's events still planned."""
    units = sa.select(OrgUnit.id).where(OrgUnit.path.like(f"%/{code}%"))
    return count(
        sa.select(Event.id).where(
            Event.org_unit_id.in_(units), Event.status == EventStatus.SCHEDULED
        )
    )


def test_same_seed_and_moment_same_data(app: Flask) -> None:
    first = seed_province_year(SIZES, seed=5, now=MOMENT)
    again = seed_province_year(SIZES, seed=5, now=MOMENT, force=True)
    later = seed_province_year(SIZES, seed=5, now=datetime(2026, 10, 1, tzinfo=UTC), force=True)
    db.session.commit()
    assert again.counts == first.counts
    assert planned(again.province_code) == planned(first.province_code) > 0
    assert 0 < planned(later.province_code) < planned(first.province_code)


def test_seeded_people_are_named_as_names_are_written(app: Flask) -> None:
    """As every other path stores a person's name (``written_name``), so a benchmark's lists and
    exports show what an office's would."""
    seed_province_year(SIZES, seed=5, now=MOMENT)
    db.session.commit()
    names = db.session.execute(sa.select(Person.full_name, Person.name_folded)).all()
    assert len(names) == SIZES.people
    assert [n for n in names if n.full_name != written_name(n.full_name)] == []
    assert [n for n in names if n.name_folded != fold(n.full_name)] == []

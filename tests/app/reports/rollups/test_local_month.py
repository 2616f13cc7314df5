"""The event's month in Vietnam stored on its rollup row, which year and month reports group by.

Vietnam is UTC+7: an event at 23:30 UTC on 31 October starts at 06:30 on 1 November locally and
belongs to November; 16:59 UTC on 31 October is still 23:59 on 31 October.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Attendance, EventRollup, EventStatus, OrgUnit, Person
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups import full_build
from app.reports.rollups.sums import whole_months
from tests.conftest import HOME

LATE_OCTOBER = datetime(2026, 10, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31/10 in Vietnam
NOVEMBER = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 06:30 on 01/11 in Vietnam
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def stored_month(event_id: int) -> str | None:
    return db.session.scalar(
        sa.select(EventRollup.local_month).where(EventRollup.event_id == event_id)
    )


def figures(f: ReportFilter, rollups: bool) -> tuple[object, ...]:
    report = build_report(f, rollups=rollups, per_event=False)
    return (
        [(r.channel, r.events, r.cost_vnd) for r in report.by_channel()],
        [(m, r.channel, r.events, r.cost_vnd) for m, r in report.by_month()],
    )


def test_the_month_is_vietnams_across_the_boundary(app, make) -> None:
    early = make.event(status=EventStatus.ENDED, planned_start=LATE_OCTOBER, cost_vnd=1_000)
    unit = early.org_unit
    late = make.event(status=EventStatus.ENDED, planned_start=NOVEMBER, cost_vnd=20_000)
    undated = make.event(status=EventStatus.ENDED, title="Chưa hẹn ngày", cost_vnd=300)
    full_build.rebuild()
    db.session.commit()

    assert stored_month(late.id) == "2026-11"
    assert stored_month(early.id) == "2026-10"
    assert stored_month(undated.id) is None
    for start, end in (OCTOBER, NOV, (date(2026, 1, 1), date(2026, 12, 31))):
        f = ReportFilter(unit=unit, start=start, end=end)
        assert figures(f, rollups=True) == figures(f, rollups=False), f
    november = build_report(ReportFilter(unit=unit, start=NOV[0], end=NOV[1]), rollups=True,
                            per_event=False)  # fmt: skip
    assert [(m, f.cost_vnd) for m, f in november.by_month()] == [(date(2026, 11, 1), 20_000)]
    october = build_report(ReportFilter(unit=unit, start=OCTOBER[0], end=OCTOBER[1]),
                           rollups=True, per_event=False)  # fmt: skip
    assert [(m, f.cost_vnd) for m, f in october.by_month()] == [(date(2026, 10, 1), 1_000)]


def test_writers_store_the_month_and_follow_a_moved_start(app, make) -> None:
    full_build.rebuild()
    db.session.commit()
    event = make.event(status=EventStatus.ENDED, planned_start=NOVEMBER)
    person = Person(full_name="Người thử", commune_id=event.org_unit_id)
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                              touched_at=NOVEMBER))  # fmt: skip
    db.session.commit()
    assert stored_month(event.id) == "2026-11"  # the touch's refresh wrote the row

    event.planned_start = LATE_OCTOBER
    db.session.commit()
    assert stored_month(event.id) == "2026-10"
    event.actual_start = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 00:00 on 01/01/2027
    db.session.commit()
    assert stored_month(event.id) == "2027-01"
    assert db.session.get(EventRollup, event.id).identified == 1


def test_only_periods_of_whole_months_are_read_by_month(app) -> None:
    unit = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    assert whole_months(ReportFilter(unit, date(2026, 1, 1), date(2026, 12, 31))) == (
        "2026-01",
        "2026-12",
    )
    assert whole_months(ReportFilter(unit, date(2026, 2, 1), date(2026, 2, 28))) == (
        "2026-02",
        "2026-02",
    )
    assert whole_months(ReportFilter(unit, date(2026, 2, 1), date(2026, 2, 27))) is None
    assert whole_months(ReportFilter(unit, date(2026, 2, 2), date(2026, 2, 28))) is None
    assert whole_months(ReportFilter(unit, None, date(2026, 2, 28))) is None

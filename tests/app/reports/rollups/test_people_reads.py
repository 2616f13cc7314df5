"""People identified from the stored cells (``people_rollups``): counted once, read once.

A year page shows people identified for the year, per channel and per month: all are the unit's
own cells (scope "tree"), so they come in one read, whatever the order the page asks in. And a
full build counts the writes of its own transaction: the listeners' gathered changes are not
applied again at its commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Attendance, Event, EventStatus, Person
from app.reports.facts import ChannelReport, ReportFilter
from app.reports.report import build_report
from app.reports.rollups import full_build

OCTOBER_3 = datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def attended(event: Event) -> None:
    """A person of the event's commune at the event (not committed)."""
    person = Person(full_name="Người thử", commune_id=event.org_unit_id)
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                              touched_at=OCTOBER_3))  # fmt: skip


def people(report: ChannelReport) -> tuple[object, ...]:
    """People identified per month, per channel and in all, asked in a page's order."""
    months = [(m, r.channel, r.identified) for m, r in report.by_month()]
    channels = [(r.channel, r.identified) for r in report.by_channel() if r.events]
    return months, channels, report.totals()["identified"]


@contextmanager
def people_reads() -> Iterator[list[str]]:
    """The statements that read ``people_rollups`` while the block runs."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "people_rollups" in statement:
            seen.append(statement)

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@pytest.mark.parametrize("period", [YEAR, OCTOBER], ids=["year", "month"])
def test_the_units_cells_are_read_once_for_total_channels_and_months(app, make, period) -> None:
    event = make.event(status=EventStatus.ENDED, planned_start=OCTOBER_3)
    attended(event)
    db.session.commit()
    full_build.rebuild()
    db.session.commit()
    f = ReportFilter(unit=event.org_unit, start=period[0], end=period[1])
    expected = people(build_report(f, rollups=False))
    assert expected == ([(date(2026, 10, 1), "livestream", 1)], [("livestream", 1)], 1)
    report = build_report(f, rollups=True, per_event=False)
    with people_reads() as reads:
        assert people(report) == expected
    assert len(reads) == 1, reads


def test_a_build_in_the_transaction_of_a_touch_counts_its_person_once(app, make) -> None:
    full_build.rebuild()
    db.session.commit()  # built: from now on the listeners carry each touch into the cells
    event = make.event(status=EventStatus.ENDED, planned_start=OCTOBER_3)
    attended(event)
    full_build.rebuild()  # as a script would: writes, then a full build, then one commit
    db.session.commit()
    f = ReportFilter(unit=event.org_unit, start=YEAR[0], end=YEAR[1])
    expected = people(build_report(f, rollups=False))
    assert expected[2] == 1
    assert people(build_report(f, rollups=True, per_event=False)) == expected


def test_a_second_touch_of_the_same_event_counts_its_person_once(app, make) -> None:
    """Checked in at the hall, then on the attendee sheet: one person, two touches of one event,
    added in two commits and one taken away again; the cells count the person once throughout."""
    full_build.rebuild()
    db.session.commit()
    event = make.event(status=EventStatus.ENDED, planned_start=OCTOBER_3)
    attended(event)
    db.session.commit()
    person_id = db.session.scalars(sa.select(Attendance.person_id)).one()
    db.session.add(Attendance(person_id=person_id, event_id=event.id, source="checkin",
                              touched_at=OCTOBER_3))  # fmt: skip
    db.session.commit()
    f = ReportFilter(unit=event.org_unit, start=YEAR[0], end=YEAR[1])
    expected = people(build_report(f, rollups=False))
    assert expected == ([(date(2026, 10, 1), "livestream", 1)], [("livestream", 1)], 1)
    assert people(build_report(f, rollups=True, per_event=False)) == expected
    sheet = db.session.scalars(sa.select(Attendance).where(Attendance.source == "sheet")).one()
    db.session.delete(sheet)  # the sheet's row withdrawn: the check-in still counts them
    db.session.commit()
    assert people(build_report(f, rollups=True, per_event=False)) == expected

"""A report's sums are planned for the unit and period asked, on PostgreSQL.

psycopg prepares a statement on its fifth run on a connection, and PostgreSQL may then use a plan
made for any values: a province-year's channel sums ran about 10–15 ms slower that way
(``bench/reports.py``). The report asks for plans made for its values, for its own transaction
only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups import build


@pytest.mark.postgres
@pytest.mark.committing  # SET LOCAL lasts until the real transaction ends
def test_a_grouped_report_is_planned_for_its_own_values_then_the_setting_ends(app, make) -> None:
    event = make.event(planned_start=datetime(2026, 10, 3, 2, 0, tzinfo=UTC), cost_vnd=5_000)
    build.rebuild()
    db.session.commit()
    year = ReportFilter(unit=event.org_unit, start=date(2026, 1, 1), end=date(2026, 12, 31))
    report = build_report(year, rollups=True, per_event=False)
    assert [(r.events, r.cost_vnd) for r in report.by_channel() if r.events] == [(1, 5_000)]
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite plans each statement as it comes
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "force_custom_plan"
    db.session.commit()
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "auto"

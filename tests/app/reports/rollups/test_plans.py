"""A report's sums are planned for the unit and period asked, on PostgreSQL.

psycopg prepares a statement on its fifth run on a connection, and PostgreSQL may then use a plan
made for any values: a province-year's channel sums ran about 10–15 ms slower that way
(``bench/reports.py``). The report asks for plans made for its values, for its own transaction
only. And those sums read one index, on both databases.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import EventStatus
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups import full_build
from app.reports.rollups.sums import Sums, grouping_sets, read_sums, sums_by_month, sums_by_unit
from app.reports.sources import scoped_events


@pytest.mark.postgres
@pytest.mark.committing  # SET LOCAL lasts until the real transaction ends
def test_a_grouped_report_is_planned_for_its_own_values_then_the_setting_ends(app, make) -> None:
    event = make.event(
        status=EventStatus.ENDED,
        planned_start=datetime(2026, 10, 3, 2, 0, tzinfo=UTC),
        cost_vnd=5_000,
    )
    full_build.rebuild()
    db.session.commit()
    year = ReportFilter(unit=event.org_unit, start=date(2026, 1, 1), end=date(2026, 12, 31))
    report = build_report(year, rollups=True, per_event=False)
    assert [(r.events, r.cost_vnd) for r in report.by_channel() if r.events] == [(1, 5_000)]
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite plans each statement as it comes
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "force_custom_plan"
    db.session.commit()
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "auto"


def test_a_years_sums_are_read_from_the_month_index_alone(app, make) -> None:
    """A province-year sums 20,000 rows per page view: from the rollup indexes alone, no event
    joined and no row of the table visited; on PostgreSQL in one pass for the three groupings,
    on SQLite in the order of an index each (no sort). PostgreSQL is told to avoid plain scans,
    which it would rightly choose for a table this small."""
    event = make.event(
        status=EventStatus.ENDED,
        planned_start=datetime(2026, 10, 3, 2, 0, tzinfo=UTC),
        cost_vnd=5_000,
    )
    # Planned for December, after the report's moment: counted apart, from the same index.
    make.event(planned_start=datetime(2026, 12, 20, 2, 0, tzinfo=UTC), cost_vnd=700)
    full_build.rebuild()
    db.session.commit()
    year = ReportFilter(unit=event.org_unit, start=date(2026, 1, 1), end=date(2026, 12, 31),
                        as_of=datetime(2026, 12, 6, 1, 0, tzinfo=UTC))  # fmt: skip
    # Events held, reach (views), interactions, credit, cost spent, events planned, their cost,
    # the posts' reach (none: a livestream), events held with a cost entered, their credit, and
    # events planned with a cost entered (app.reports.costs).
    one = [1, 0, 0, 0, 5_000, 0, 0, None, 1, 0, 0]
    planned = [0, 0, 0, 0, 0, 1, 700, None, 0, 0, 1]
    both = [1, 0, 0, 0, 5_000, 1, 700, None, 1, 0, 1]
    assert read_sums(scoped_events(year), year) == Sums(
        by_channel={"livestream": both},
        by_month={("2026-10", "livestream"): one, ("2026-12", "livestream"): planned},
        by_unit={(event.org_unit_id, "livestream"): both},
    )
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        statement = grouping_sets(scoped_events(year), year)
        sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        assert "Index Only Scan using ix_event_rollups_month_sums on event_rollups" in plan, plan
        assert plan.count("Aggregate") == 1, plan  # one pass for the three groupings
        assert " events" not in plan, plan
    else:  # no grouping sets: by month, then by unit, each in its index's order (no sort)
        for statement, index, search in (
            (sums_by_month, "ix_event_rollups_month_sums", "(local_month>? AND local_month<?)"),
            (sums_by_unit, "ix_event_rollups_unit_sums", "(org_unit_id=?)"),
        ):
            sql = str(
                statement(scoped_events(year), year).compile(
                    connection, compile_kwargs={"literal_binds": True}
                )
            )
            details = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
            assert f"SEARCH event_rollups USING COVERING INDEX {index} {search}" in details, details
            assert not any("TEMP B-TREE" in d for d in details), details
            assert not any(" events " in f"{d} " for d in details), details

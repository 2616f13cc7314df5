"""The scheduler builds the rollups once on a new install; the writers keep them afterwards.

A new install (or one upgraded from before the rollups) has never run ``flask reports rollup
--full``: its reports would read the source tables for ever, most of a second per province-year.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.collection.scheduler import JOBS
from app.extensions import db
from app.models import RollupState
from app.reports.report import use_rollups
from app.reports.rollups import build
from app.reports.rollups.build import STATE, ready
from app.reports.rollups.first_build import LOCK, build_if_never_built
from tests.app.reports.test_rollups import assert_same, filters


def never_built(app) -> None:
    """The reports as configured by default, on an install whose rollups were never built."""
    app.config["REPORTS_ROLLUPS"] = "auto"
    build.drop()
    db.session.commit()


def built_at() -> object:
    return db.session.scalar(sa.select(RollupState.built_at).where(RollupState.name == STATE))


def test_the_first_tick_builds_them_and_the_next_ones_leave_them(app, month) -> None:
    never_built(app)
    assert not ready()
    assert not use_rollups(filters(month)[0])  # the reports read the sources until then
    assert build_if_never_built() == len(month.events)
    assert ready()
    assert use_rollups(filters(month)[0])
    first = built_at()
    assert build_if_never_built() == 0
    assert built_at() == first
    assert_same(month)


def test_the_job_runs_on_the_reports_tick_before_the_files() -> None:
    names = [job.__name__ for job, setting in JOBS if setting == "REPORTS_TICK_SECONDS"]
    assert names == ["report_rollups", "scheduled_reports"]


def test_another_process_building_them_is_left_to_it(app, month) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite serialises writers: no second builder can start alongside
    never_built(app)
    with db.engine.connect() as other:
        other.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(LOCK))))
        assert build_if_never_built() == 0
        assert not ready()
        other.rollback()
    assert build_if_never_built() == len(month.events)

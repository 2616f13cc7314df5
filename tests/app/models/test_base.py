"""UTCDateTime: aware UTC datetimes back from both databases, aggregates and subqueries included.

SQLite keeps no time zone, so the type attaches UTC on the way out; nothing that reads a time
column needs a helper of its own to make it aware.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import EngagementSample, Target
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the UTC column type as each driver reads it back

AT = datetime(2026, 11, 25, 20, 0, 5, 123456, tzinfo=timezone(timedelta(hours=7)))


def test_times_come_back_aware_in_utc(app: Flask, make: Factory) -> None:
    target = make.target(make.event(), make.account())
    db.session.add(EngagementSample(target_id=target.id, sampled_at=AT, extra={}))
    db.session.commit()
    s = EngagementSample
    column = db.session.scalar(sa.select(s.sampled_at))
    aggregate = db.session.scalar(sa.select(sa.func.max(s.sampled_at)))
    nested = db.session.scalar(
        sa.select(sa.select(sa.func.min(s.sampled_at)).where(s.target_id == Target.id)
                  .scalar_subquery()).where(Target.id == target.id)
    )  # fmt: skip
    for value in (column, aggregate, nested):
        assert value == AT
        assert value.tzinfo is not None
        assert value.utcoffset() == timedelta(0)
    assert column.isoformat() == "2026-11-25T13:00:05.123456+00:00"


def test_a_naive_time_is_refused(app: Flask, make: Factory) -> None:
    target = make.target(make.event(), make.account())
    naive = AT.astimezone(UTC).replace(tzinfo=None)
    db.session.add(EngagementSample(target_id=target.id, sampled_at=naive, extra={}))
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()

"""The seed's conference as the world the killed processes work on, and each test's kill moment.

Every test here is ``committing`` (the child process must see the test's rows) and runs on
PostgreSQL too (``postgres``): both databases must keep a killed writer's batch whole.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Event, OrgKind, OrgUnit
from tests.app.followup import seed_case
from tests.conftest import HOME, Factory
from tests.durability.processes import write_probe

SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # the conference: 10/03/2026, 10:00 in Vietnam


@dataclass(frozen=True)
class World:
    event: Event
    case: seed_case.SeedCase


@pytest.fixture
def world(app: Flask, make: Factory) -> World:
    """The conference of the seed case: 932 attendees on its sheet, 446 of them enrolled after."""
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    communes = dict(
        db.session.execute(
            sa.select(OrgUnit.code, OrgUnit.name)
            .where(OrgUnit.parent_id == province.id, OrgUnit.kind == OrgKind.COMMUNE)
            .order_by(OrgUnit.code)
            .limit(12)
        ).all()
    )
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", planned_start=SEEN,
                       planned_end=SEEN + timedelta(hours=3))  # fmt: skip
    return World(event, seed_case.build(communes))


@pytest.fixture
def kill_delay(request: pytest.FixtureRequest) -> Callable[[float, float], float]:
    """Seconds after the child's first write to kill it, drawn from a generator seeded by the
    test's id: the same moment on every run, a different one for each test and database."""
    rng = random.Random(request.node.nodeid)
    return rng.uniform


@pytest.fixture
def writing(database_url: str) -> Callable[[], bool]:
    return write_probe(database_url)

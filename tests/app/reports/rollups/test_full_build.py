"""A full build reads every source first and writes last, then catches up on the writes other
processes committed while it read: at a province's scale the reads take minutes, and check-ins
and collectors go on writing (finding the rollups not built, they leave them alone).

Another process is played by a plain SQLAlchemy session on its own connection: the app's
listeners follow only the app's session, as another process's writer that found the rollups not
built would leave them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import (
    Attendance,
    Enrolment,
    EventRollup,
    ImportBatch,
    Link,
    LinkStatus,
    Person,
    Scheme,
)
from app.reports.rollups import catch_up, full_build, people_cells
from app.reports.rollups.build import STATE, ready
from app.reports.rollups.first_build import build_if_never_built
from tests.app.halls.test_checkin_queue import hall_link
from tests.app.reports.rollups.test_first_build import never_built
from tests.app.reports.test_rollups import assert_people_cells_as_rebuilt, assert_same

G1_DAY = datetime(2026, 10, 15, 2, 0, tzinfo=UTC)


def another_process_writes(month: Any) -> None:
    """A newcomer at G1 (15/10) who enrols in BHXH tự nguyện on 20/10, linked: G1's people
    identified and credit both move."""
    with Session(db.engine) as other:
        person = Person(full_name="Người đến sau", commune_id=month.commune_b.id)
        batch = ImportBatch(kind="enrolments", filename="muon.xlsx", sha256="f" * 64,
                            created_at=G1_DAY)  # fmt: skip
        other.add_all([person, batch])
        other.flush()
        other.add(Attendance(person_id=person.id, event_id=month.events["G1"].id, source="sheet",
                             touched_at=G1_DAY))  # fmt: skip
        enrolment = Enrolment(import_batch_id=batch.id, source_row=2, row_key="late-1",
                              scheme=Scheme.BHXH_TU_NGUYEN, is_new=True,
                              paid_on=date(2026, 10, 20),
                              commune_id=month.commune_b.id)  # fmt: skip
        other.add(enrolment)
        other.flush()
        other.add(Link(person_id=person.id, enrolment_id=enrolment.id, method="phone",
                       status=LinkStatus.LINKED, created_at=G1_DAY))  # fmt: skip
        other.commit()


@pytest.mark.committing
@pytest.mark.parametrize("moment", ["replaying the credit", "counting the people cells"])
def test_what_another_process_commits_while_the_build_reads_is_in_the_rollups(
    app, month, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    never_built(app)
    g1 = month.events["G1"].id
    identified_before = len(db.session.scalars(
        sa.select(Attendance.person_id).where(Attendance.event_id == g1)
    ).all())  # fmt: skip
    written: list[bool] = []

    def meanwhile(read: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not written:
                written.append(True)
                another_process_writes(month)
            return read(*args, **kwargs)

        return wrapped

    if moment == "replaying the credit":
        monkeypatch.setattr(full_build, "touches_and_enrolments",
                            meanwhile(full_build.touches_and_enrolments))  # fmt: skip
    else:
        monkeypatch.setattr(people_cells, "count", meanwhile(people_cells.count))
    assert build_if_never_built() == len(month.events)
    assert written == [True]
    row = db.session.get(EventRollup, g1)
    assert row.identified == identified_before + 1
    assert_same(month)  # every view reads from the rollups what it reads from the sources
    assert_people_cells_as_rebuilt()


@contextmanager
def a_build_writing() -> Iterator[None]:
    """PostgreSQL: a build in its writes (it holds the lock and has marked the rollups built, not
    yet committed), committing half a second in; the block's writes start meanwhile."""
    with db.engine.connect() as build:
        lock = sa.func.pg_advisory_xact_lock(sa.func.hashtext(catch_up.WRITES_LOCK))
        build.execute(sa.select(lock))
        build.execute(sa.text("INSERT INTO rollup_state (name, built_at) VALUES (:n, :t)"),
                      {"n": STATE, "t": datetime.now(UTC)})  # fmt: skip
        finish = threading.Timer(0.5, build.commit)
        finish.start()
        yield
        finish.join()


@pytest.mark.committing
def test_a_writer_waits_for_a_build_writing_them_then_writes_into_them(app, month) -> None:
    """PostgreSQL: a build is writing (it holds the lock and has marked them built, not yet
    committed); a check-in finding them not built waits, then sees them built and keeps them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the build's writes hold the write lock; no writer commits meanwhile
    never_built(app)
    g1 = month.events["G1"].id
    with a_build_writing():
        person = Person(full_name="Người điểm danh", commune_id=month.commune_b.id)
        db.session.add(person)
        db.session.flush()
        db.session.add(Attendance(person_id=person.id, event_id=g1, source="checkin",
                                  touched_at=G1_DAY))  # fmt: skip
        db.session.commit()  # waits for the build's commit
    assert ready()
    row = db.session.get(EventRollup, g1)
    assert row is not None, "the check-in left the rollups the build had just made"
    assert row.identified == len(db.session.scalars(
        sa.select(Attendance.person_id).where(Attendance.event_id == g1)
    ).all())  # fmt: skip


@pytest.mark.committing
def test_a_head_count_sent_while_a_build_writes_them_is_counted_in_them(app, client, make) -> None:
    """PostgreSQL: a hall's head count is stored by one statement of its own while the rollups
    are not built; while a build writes them it goes the session's way and waits for it."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite: no statement commits alone, and the build holds the write lock
    never_built(app)
    point, path = hall_link(make)
    with a_build_writing():
        sent = client.post(path, json={"idempotency_key": "during-build-1", "head_count": 37})
    assert sent.status_code == 201
    db.session.expire_all()
    row = db.session.get(EventRollup, point.event_id)
    assert row is not None, "the head count was committed past the build's catch-up"
    assert row.present == 37

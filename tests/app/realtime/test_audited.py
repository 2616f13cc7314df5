"""Officers' joins that arrive together are audited in one transaction, each row committed
before its join goes on."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import AuditLog, utcnow
from app.realtime import audited

JOINERS = 5


@pytest.mark.committing
@pytest.mark.postgres
def test_joins_queued_behind_a_write_go_in_the_next_one_and_each_returns_once_committed(
    app: Flask, make: Any, monkeypatch: Any
) -> None:
    event = make.event()
    officers = [make.user("officer").id for _ in range(JOINERS)]
    inserts: list[int] = []
    first_insert = threading.Event()
    write = audited.insert_rows  # the real write (on PostgreSQL, on the driver: no engine events)

    def hold_the_first_write(rows: list[dict[str, Any]]) -> None:
        inserts.append(len(rows))
        if not first_insert.is_set():
            first_insert.set()
            group = app.extensions["lantoa_grouped"][audited.GROUP]
            deadline = time.monotonic() + 20
            while len(group.calls) < JOINERS - 1 and time.monotonic() < deadline:
                time.sleep(0.01)  # the other joins queue meanwhile
        write(rows)

    seen_on_return: dict[int, int] = {}

    def join(user_id: int) -> None:
        with app.app_context():
            audited.record_join(user_id, event.id)
            with db.engine.connect() as other:  # another connection: committed, not just flushed
                seen_on_return[user_id] = other.scalar(
                    sa.select(sa.func.count()).where(AuditLog.user_id == user_id)
                )

    monkeypatch.setattr(audited, "insert_rows", hold_the_first_write)
    try:
        first = threading.Thread(target=join, args=(officers[0],))
        first.start()
        assert first_insert.wait(20)
        others = [threading.Thread(target=join, args=(uid,)) for uid in officers[1:]]
        for thread in others:
            thread.start()
        for thread in [first, *others]:
            thread.join(30)
    finally:
        monkeypatch.undo()

    assert seen_on_return == {uid: 1 for uid in officers}
    assert len(inserts) == 2  # the first join alone, then the four that queued behind it
    rows = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "live.join")).all()
    assert sorted(r.user_id for r in rows) == sorted(officers)
    assert {(r.object_type, r.object_id) for r in rows} == {("event", str(event.id))}
    assert [r.detail for r in rows] == [{}] * JOINERS  # the JSON and the UTC time as the ORM's
    assert all(abs((utcnow() - r.at).total_seconds()) < 120 for r in rows)


def test_a_failed_write_fails_the_join(app: Flask, make: Any, monkeypatch: Any) -> None:
    event = make.event()

    def broken(*_: Any, **__: Any) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(db.session, "execute", broken)
    with pytest.raises(sa.exc.OperationalError):
        audited.record_join(make.user("officer").id, event.id)
    monkeypatch.undo()
    audited.record_join(make.user("officer").id, event.id)  # the next join writes again

"""add_target: a new target reads true before the flush and is due at once."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from app.collection import runner
from app.collection.targets import add_target
from app.extensions import db
from app.models import Target
from tests.conftest import Factory

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def test_a_new_target_starts_clean_before_and_after_the_flush(app: Flask, make: Factory) -> None:
    event = make.event()
    account = make.account()
    target = add_target(event.id, "facebook_live", "123", account_id=account.id)
    fresh = (target.cursor, target.failures, target.calls_used, target.last_error)
    assert fresh == ({}, 0, 0, "")
    assert (target.paused_reason, target.finished_at, target.status) == (None, None, None)
    db.session.commit()
    stored = db.session.get(Target, target.id)
    assert (stored.event_id, stored.account_id, stored.kind, stored.external_id) == (
        event.id,
        account.id,
        "facebook_live",
        "123",
    )
    assert (stored.cursor, stored.failures, stored.calls_used, stored.last_error) == ({}, 0, 0, "")
    assert runner.due_target_ids(NOW) == [target.id]  # no next run yet: due at once


def test_a_target_can_start_later_or_already_live(app: Flask, make: Factory) -> None:
    event = make.event()
    later = add_target(event.id, "youtube_live", "v", next_run_at=NOW.replace(hour=14))
    running = add_target(event.id, "facebook_live", "f", next_run_at=NOW, status="live")
    db.session.commit()
    assert running.status == "live"
    assert runner.due_target_ids(NOW) == [running.id]
    assert later.next_run_at == NOW.replace(hour=14)


def test_a_test_may_start_a_target_mid_life(app: Flask, make: Factory) -> None:
    event = make.event()
    failing = add_target(event.id, "facebook_live", "a", failures=3, last_error="HTTP 503")
    fresh = add_target(event.id, "facebook_live", "b")
    db.session.commit()
    assert (failing.failures, failing.last_error, failing.calls_used) == (3, "HTTP 503", 0)
    assert failing.cursor is not fresh.cursor  # each target its own cursor

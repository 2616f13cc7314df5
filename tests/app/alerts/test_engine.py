"""Alerts opened once per condition, cleared when it ends, messages queued, audit written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from app.alerts import engine, rules, words
from app.alerts.rules import Condition
from app.extensions import db
from app.halls import services
from app.models import (
    Alert,
    AlertMessage,
    AlertRules,
    AttendanceReport,
    AuditLog,
    Participant,
    Platform,
)
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

# Also on PostgreSQL: the unique open key refused inside a SAVEPOINT, the guarded UPDATE.
pytestmark = pytest.mark.postgres

START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def conference(make: Factory, halls: int = 3):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị BHXH", channel="online_conference",
                       planned_start=START, planned_end=at(120))  # fmt: skip
    codes = commune_codes(HOME, halls)
    points = services.set_bridge_points(event, codes, {c: 40 for c in codes})
    account = make.account(platform=Platform.ZOOM, name="Zoom tỉnh")
    target = make.target(event, account, kind="zoom_meeting", external_id="850")
    target.status, target.last_success_at = "live", at(0)
    db.session.commit()
    return event, points, target


def join(target, point, joined: datetime, left: datetime | None = None, n: int = 0) -> None:  # type: ignore[no-untyped-def]
    db.session.add(Participant(target_id=target.id, participant_key=f"p{point.id}-{n}",
                               display_name=point.org_unit.name, joined_at=joined,
                               left_at=left, bridge_point_id=point.id))  # fmt: skip
    db.session.commit()


def open_alerts(event_id: int) -> set[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Alert.rule, Alert.subject).where(
            Alert.event_id == event_id, Alert.open_key.is_not(None)
        )
    )
    return {tuple(r) for r in rows}  # type: ignore[misc]


def test_a_missing_and_a_dropped_hall_open_once_and_clear(make: Factory) -> None:
    event, (a, b, c), target = conference(make)
    hook = "http://127.0.0.1:9/hook"
    db.session.add(AlertRules(event_id=event.id, emails="tinh@bhxh.test", webhook_url=hook,
                              webhook_secret="x"))  # fmt: skip
    db.session.commit()
    join(target, a, at(1))
    join(target, c, at(1), at(4))
    assert engine.evaluate(at(8)).opened == []  # b's deadline is at 10, c's return due at 9
    first = engine.evaluate(at(10))
    assert len(first.opened) == 2
    assert open_alerts(event.id) == {(rules.HALL_ABSENT, f"hall:{b.id}"),
                                     (rules.HALL_DROPPED, f"hall:{c.id}")}  # fmt: skip
    # Evaluated again, or by a second process: nothing new, no second message.
    assert engine.evaluate(at(10.5)).opened == []
    assert engine.evaluate_event(event.id, at(11)).opened == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 2
    messages = db.session.execute(sa.select(AlertMessage.channel, AlertMessage.change)).all()
    assert sorted(messages) == [("email", "opened")] * 2 + [("webhook", "opened")] * 2
    # A head count alone does not connect the hall to the meeting: its alert stays.
    db.session.add(AttendanceReport(bridge_point_id=b.id, head_count=38, reported_at=at(11),
                                    idempotency_key="k1"))  # fmt: skip
    assert engine.evaluate(at(11)).cleared == []
    # The hall joins the meeting, the dropped one comes back: both clear.
    join(target, b, at(11.2))
    join(target, c, at(11.5), n=1)
    cleared = engine.evaluate(at(12))
    assert len(cleared.cleared) == 2
    assert cleared.opened == []
    assert open_alerts(event.id) == set()
    assert engine.evaluate(at(13)).cleared == []
    changes = sa.select(AlertMessage.change, sa.func.count()).group_by(AlertMessage.change)
    assert dict(db.session.execute(changes).all()) == {"opened": 4, "cleared": 4}
    actions = sa.select(AuditLog.action, sa.func.count()).where(
        AuditLog.action.like("alert.%")).group_by(AuditLog.action)  # fmt: skip
    assert dict(db.session.execute(actions).all()) == {"alert.opened": 2, "alert.cleared": 2}


def test_a_second_evaluator_cannot_open_the_same_condition(make: Factory) -> None:
    event, (a,), _ = conference(make, halls=1)
    condition = Condition(rules.HALL_ABSENT, f"hall:{a.id}", "Xã")
    # Both evaluators read "no open alert", then both try to open it.
    first = engine.open_alert(event.id, condition, at(10), None)
    second = engine.open_alert(event.id, condition, at(10), None)
    db.session.commit()
    assert first is not None
    assert second is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 1
    # Once cleared, the same condition may open a new alert.
    assert engine.clear_alert(first, at(11), None)
    assert not engine.clear_alert(first, at(11), None)
    assert engine.open_alert(event.id, condition, at(12), None) is not None


def test_a_paused_collector_and_event_times_not_the_clock(make: Factory) -> None:
    event, _, target = conference(make, halls=1)
    target.paused_reason = "auth_expired"
    db.session.commit()
    assert engine.evaluate(at(-1)).opened == []  # before the event's start: nothing
    engine.evaluate(at(1))
    assert (rules.COLLECTOR_PAUSED, f"target:{target.id}") in open_alerts(event.id)
    # After the event (and its grace) every alert clears.
    engine.evaluate(at(200))
    assert open_alerts(event.id) == set()


def test_the_alerts_job_runs_with_collection(app: Flask) -> None:
    from app.collection.scheduler import JOBS, alerts_tick

    assert (alerts_tick, "ALERTS_TICK_SECONDS") in JOBS
    assert alerts_tick() == 0  # nothing watched, nothing owed


@pytest.mark.parametrize("channel", ["conference", "online_conference"])
def test_without_a_meeting_a_hall_is_flagged_until_it_reports(
    app: Flask, make: Factory, channel: str
) -> None:
    """In person, or an online conference tracked by check-in alone (no meeting target), the
    alert speaks of a head count not sent, and the head count clears it."""
    event = make.event(HOME, title="Hội nghị trực tiếp", channel=channel,
                       planned_start=START, planned_end=at(120))  # fmt: skip
    codes = commune_codes(HOME, 2)
    a, b = services.set_bridge_points(event, codes, {c: 40 for c in codes})
    db.session.add(AttendanceReport(bridge_point_id=a.id, head_count=30, reported_at=at(2),
                                    idempotency_key="k-a"))  # fmt: skip
    db.session.commit()
    engine.evaluate(at(10))
    assert open_alerts(event.id) == {(rules.HALL_UNREPORTED, f"hall:{b.id}")}
    alert = db.session.scalar(sa.select(Alert).where(Alert.event_id == event.id))
    with app.test_request_context(), force_locale("vi"):
        assert words.describe(alert) == f"{b.org_unit.name} chưa báo số người."
        assert words.rule_label(alert.rule) == "Điểm cầu chưa báo số người"
    db.session.add(AttendanceReport(bridge_point_id=b.id, head_count=35, reported_at=at(11),
                                    idempotency_key="k-b"))  # fmt: skip
    db.session.commit()
    assert len(engine.evaluate(at(12)).cleared) == 1
    assert open_alerts(event.id) == set()

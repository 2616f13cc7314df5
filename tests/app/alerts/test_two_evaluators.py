"""Two evaluators at once (the web process and a separate collector, here two threads with their
own connections) never open one condition twice nor queue its messages twice."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from app.alerts import engine
from app.extensions import db
from app.models import Alert, AlertMessage, AlertRules
from tests.app.alerts.test_engine import at, conference
from tests.conftest import Factory

pytestmark = [pytest.mark.committing, pytest.mark.postgres]
ROUNDS = 5


def test_two_evaluators_at_the_same_moment_open_each_alert_once(app: Flask, make: Factory) -> None:
    event, _, _ = conference(make, halls=3)
    db.session.add(AlertRules(event_id=event.id, emails="tinh@bhxh.test"))
    db.session.commit()
    errors: list[BaseException] = []

    def evaluator(barrier: threading.Barrier, minutes: float) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                engine.evaluate(at(minutes))
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    for round_ in range(ROUNDS):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=evaluator, args=(barrier, 10 + round_)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    alerts = db.session.scalars(sa.select(Alert)).all()
    assert len(alerts) == 3  # the three halls that never joined, once each
    assert len({(a.rule, a.subject) for a in alerts}) == 3
    messages = db.session.scalar(sa.select(sa.func.count()).select_from(AlertMessage))
    assert messages == 3

"""The scheduler tick runs what is due, grouped by account, and only what is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.collection import scheduler
from app.extensions import db
from app.models import Target, utcnow
from sandbox import Sandbox


# Committing: the tick collects on its pool's threads, each with its own session. Also on
# PostgreSQL: only there does the pool run more than one thread.
@pytest.mark.committing
@pytest.mark.postgres
def test_tick_runs_due_targets_only(app: Flask, fb_target: Target, make, sandbox: Sandbox) -> None:
    sandbox.advance(300)
    later = make.target(fb_target.event, fb_target.account, external_id="not-yet",
                        next_run_at=utcnow() + timedelta(hours=1))  # fmt: skip
    assert scheduler.collection_tick() == 1
    db.session.expire_all()
    assert db.session.get(Target, fb_target.id).last_success_at is not None
    assert db.session.get(Target, later.id).last_success_at is None
    assert scheduler.collection_tick() == 0  # the collected one is not due again yet


def test_the_embedded_scheduler_stays_off_in_tests_and_cli(app: Flask) -> None:
    assert scheduler.init_scheduler(app) is None  # testing
    from app.background import serving

    assert serving()  # no click context here: a WSGI server would serve

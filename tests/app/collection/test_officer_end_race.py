"""An officer's end holds against a collector run already under way (``app.events.status``).

A run is held on its own connection right after it has read the event's row, before it writes the
event's status; meanwhile an officer saves the event as ended through the edit page (the web
request's own session and connection). Then the run goes on and writes what it read from the
platform: "live". Two interleavings:

- the runner against the sandbox's Facebook live, on air: the run has written its target's row
  (and, on SQLite, holds the write lock) when it reads the event, so the officer's save waits for
  the run's commit and lands after it. On PostgreSQL the save used to lock the event's row first
  and then wait for the target's: the two deadlocked, and the run's samples were lost;
- the writer, in a run that read the event before it wrote or locked anything, with a batch
  that carries nothing but the platform's "live" (a stream seen going on air): the officer's save
  commits while the run is held, and the run's stale read used to set the event live again.

Either way the event stays ended by the officer, and what the run read up to the end is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.collection import runner
from app.collection.writer import write_batch
from app.extensions import db
from app.models import EngagementSample, Event, EventStatus, Target, utcnow
from collectors.base import Batch
from sandbox import Sandbox
from tests.app.events.test_status import form_of
from tests.conftest import Factory, csrf_token

HOLD = 3.0  # how long a save that must wait for the held run is given to (wrongly) get through
SAVE = 30.0  # how long a save that must get through while the run is held may take (a loaded
# machine took more than HOLD to answer the edit form's POST)


def held_after_event_read(
    collector: threading.Thread, read: threading.Event, go: threading.Event
) -> Callable[..., None]:
    """An engine hook: the collector's thread stops after its first read of the event's row."""

    def hook(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread() is not collector or read.is_set():
            return
        if statement.lstrip().startswith("SELECT events."):
            read.set()
            go.wait(SAVE + 30)

    return hook


def end_during(
    app: Flask, client: FlaskClient, event: Event, run: Callable[[], None], *, waits: bool
) -> bool:
    """Run ``run`` in its own thread and app context, held after it reads the event while an
    officer ends the event (the test client is logged in as one); whether the officer's save
    was done before the run went on.

    A save that ``waits`` for the run is given HOLD seconds to get through all the same (it
    must not); one that does not wait is given SAVE seconds, a busy machine's time, not HOLD:
    done later than HOLD, it read as a save held by the run."""
    url = f"/events/{event.id}/edit"
    form = {"csrf_token": csrf_token(client, url), **form_of(event, status="ended")}
    db.session.commit()
    read, go, saved = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []
    answers: list[int] = []

    def collect() -> None:
        with app.app_context():
            try:
                run()
            except BaseException as exc:
                failures.append(exc)
            finally:
                db.session.remove()

    def end() -> None:
        answers.append(client.post(url, data=form).status_code)
        saved.set()

    collector = threading.Thread(target=collect)
    officer = threading.Thread(target=end)
    hook = held_after_event_read(collector, read, go)
    sa.event.listen(db.engine, "after_cursor_execute", hook)
    try:
        collector.start()
        assert read.wait(30), "the run never read the event"
        officer.start()
        saved_first = saved.wait(HOLD if waits else SAVE)
        go.set()
        collector.join(60)
        officer.join(60)
    finally:
        go.set()
        sa.event.remove(db.engine, "after_cursor_execute", hook)
    assert not failures, failures
    assert answers == [302]  # the officer's save went through (no deadlock, no lock timeout)
    db.session.expire_all()
    return saved_first


def scheduled_event(make: Factory) -> Event:
    """A livestream whose planned start was twenty minutes ago, still scheduled."""
    started = utcnow() - timedelta(minutes=20)
    return make.event(status=EventStatus.SCHEDULED, planned_start=started,
                      planned_end=started + timedelta(hours=2))  # fmt: skip


def assert_ended_by(event_id: int, officer_id: int) -> None:
    event = db.session.get(Event, event_id)
    assert (event.status, event.ended_by_id) == (EventStatus.ENDED, officer_id)
    assert event.actual_end is not None
    targets = db.session.scalars(sa.select(Target).where(Target.event_id == event_id)).all()
    assert targets
    # No longer collected, but for the one last read an officer's end gives a live of a kind
    # that has it: ended as at the officer's end (``hand_ended_at``), that read finishes it,
    # whatever a run under way wrote on its status meanwhile.
    assert all(t.finished_at is not None or t.hand_ended_at is not None for t in targets)


@pytest.mark.committing
@pytest.mark.postgres
def test_an_officers_end_waits_for_a_run_writing_and_holds(
    app: Flask, client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    # A loaded machine can take seconds to answer: a timeout would fail the run before it reads
    # the event, which is not what this test is about.
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0)
    app.extensions.pop("lantoa_http", None)
    sandbox.advance(120)  # the live is on air
    creds = sandbox.credentials()
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )
    event = scheduled_event(make)
    target_id = make.target(event, account, external_id=creds["facebook_live_video_id"]).id
    officer = logged_in("officer")
    results: list[runner.RunResult] = []
    saved_first = end_during(
        app, client, event,
        lambda: results.extend(runner.run_targets([target_id], publish=lambda *_: None)),
        waits=True,
    )  # fmt: skip
    assert [r.outcome for r in results] == ["ok"], results
    assert not saved_first  # the save waited for the run holding its target's row
    assert_ended_by(event.id, officer.id)
    samples = db.session.scalar(
        sa.select(sa.func.count()).where(EngagementSample.target_id == target_id)
    )
    assert samples >= 1  # what the run read before the end is kept


@pytest.mark.committing
@pytest.mark.postgres
def test_an_officers_end_between_a_runs_read_and_write_holds(
    app: Flask, client: FlaskClient, logged_in, make: Factory
) -> None:
    event = scheduled_event(make)
    target_id = make.target(event, make.account(), external_id="10123").id
    officer = logged_in("officer")

    def run() -> None:
        target = db.session.get(Target, target_id)
        read = db.session.get(Event, target.event_id)  # before anything is written or locked
        write_batch(target, Batch(status="live"), utcnow())
        assert read.status is not None  # held by the run all along
        db.session.commit()

    # the save was done while the run was held
    assert end_during(app, client, event, run, waits=False)
    assert_ended_by(event.id, officer.id)
    target = db.session.get(Target, target_id)
    assert target.status == "live"  # the run's own row is written: what the platform said

"""Leased claims: several collectors share one schedule, none collects a target's round twice.

Two collectors here are two threads, each with its own app context (its own session and database
connection), running claim → collect against the loopback sandbox. A barrier holds both after
they have claimed and before either collects, the worst moment for a race: without claims (the
plain due query) both take the same targets, which the control test shows, so the main test can
fail. On PostgreSQL the claim uses ``FOR UPDATE SKIP LOCKED``; on SQLite ``BEGIN IMMEDIATE``
serialises it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import claims, runner
from app.extensions import db
from app.models import CollectionRun, Target, utcnow
from sandbox import Sandbox
from tests.conftest import Factory

Claim = Callable[[datetime], list[int]]
TARGETS = 6
PER_CLAIM = 4  # one collector cannot take them all: the other gets the rest
ROUNDS = 3


@pytest.fixture
def targets(app: Flask, make: Factory, sandbox: Sandbox) -> list[int]:
    """Six targets on the sandbox's live (one event each), due now."""
    sandbox.advance(120)
    creds = sandbox.credentials()
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )
    ids = []
    for n in range(TARGETS):
        event = make.event(title=f"Livestream {n}")
        ids.append(make.target(event, account, external_id=creds["facebook_live_video_id"]).id)
    # Collected once, a target is not due again during the test: a second run is a double.
    app.config.update(
        COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0, COLLECTOR_INTERVAL_SCALE=1000.0
    )
    app.extensions.pop("lantoa_http", None)
    return ids


def run_two_collectors(app: Flask, claim: Claim) -> Counter[int]:
    """Two collector loops, ``ROUNDS`` rounds; returns how many runs each target had."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def collector() -> None:
        with app.app_context():
            try:
                for _ in range(ROUNDS):
                    ids = claim(utcnow())
                    barrier.wait(timeout=30)  # both have claimed; neither has collected yet
                    runner.run_targets(ids, publish=lambda *_: None)
                    if barrier.wait(timeout=60) == 0:  # the round is over: all due again
                        db.session.execute(sa.update(Target).values(next_run_at=None))
                        db.session.commit()
                    barrier.wait(timeout=30)
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=collector) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    db.session.expire_all()
    return Counter(db.session.scalars(sa.select(CollectionRun.target_id)))


@pytest.mark.committing
@pytest.mark.postgres
def test_two_collectors_never_collect_a_round_twice(app: Flask, targets: list[int]) -> None:
    runs = run_two_collectors(app, lambda now: claims.claim_due(now, limit=PER_CLAIM))
    assert runs == dict.fromkeys(targets, ROUNDS)  # each target once per round, none missed


@pytest.mark.committing
@pytest.mark.postgres
def test_without_claims_the_same_collectors_collect_twice(app: Flask, targets: list[int]) -> None:
    """The control: the harness above does catch doubles when the claims are off."""
    runs = run_two_collectors(app, lambda now: runner.due_target_ids(now, limit=PER_CLAIM))
    assert sum(runs.values()) == 2 * PER_CLAIM * ROUNDS  # both collected the same four
    assert max(runs.values()) > ROUNDS


@pytest.mark.postgres
def test_a_crashed_collectors_targets_come_back_after_the_lease(
    app: Flask, targets: list[int]
) -> None:
    now = utcnow()
    lease = claims.lease_seconds()
    assert lease == 300
    assert claims.claim_due(now) == sorted(targets)
    # The claimer "crashed": nobody else gets the targets while the lease holds …
    assert claims.claim_due(now) == []
    assert claims.claim_due(now + timedelta(seconds=lease - 1)) == []
    # … and anyone gets them once it has run out.
    assert claims.claim_due(now + timedelta(seconds=lease + 1)) == sorted(targets)


@pytest.mark.postgres
def test_collecting_replaces_the_lease_with_the_real_next_run(
    app: Flask, targets: list[int]
) -> None:
    app.config["COLLECTOR_INTERVAL_SCALE"] = 1.0
    now = utcnow()
    ids = claims.claim_due(now, limit=1)
    leased = db.session.get(Target, ids[0]).next_run_at
    assert leased == now + timedelta(seconds=claims.lease_seconds())
    [result] = runner.run_targets(ids, publish=lambda *_: None)
    assert result.outcome == "ok", result
    db.session.expire_all()
    assert db.session.get(Target, ids[0]).next_run_at < leased


@pytest.mark.postgres
def test_paused_and_finished_targets_are_never_claimed(app: Flask, targets: list[int]) -> None:
    db.session.execute(
        sa.update(Target).where(Target.id == targets[0]).values(paused_reason="auth_expired")
    )
    db.session.execute(
        sa.update(Target).where(Target.id == targets[1]).values(finished_at=utcnow())
    )
    db.session.commit()
    assert claims.claim_due(utcnow()) == sorted(targets[2:])


@pytest.mark.postgres
def test_discovery_is_claimed_once_per_interval(app: Flask, make: Factory) -> None:
    account = make.account(external_id="page-1")
    now = utcnow()
    interval = timedelta(seconds=30)
    assert [a.id for a in claims.claim_discovery(now, interval)] == [account.id]
    assert claims.claim_discovery(now, interval) == []  # another collector: nothing to adopt
    assert [a.id for a in claims.claim_discovery(now + interval, interval)] == [account.id]

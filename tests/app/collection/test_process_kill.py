"""`flask collect run` killed with SIGKILL at random moments, ten times: nothing lost or doubled.

Real processes against a real database and the sandbox over HTTP: the collector runs as a child
process (the scale-out mode), the sandbox plays a fast live in this process, and after the kills the
stored comments must be exactly the comments that exist, each once, and the last counters those the
platform served last.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.live.summary import event_summary
from app.models import Comment, Target
from sandbox import RealClock, Sandbox, Scenario
from tests.conftest import Factory

# Committing: the collector is a child process reading the test's rows. Also on PostgreSQL: the
# scale-out mode's crash safety.
pytestmark = [pytest.mark.committing, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[3]
SPEED = 20.0  # scenario seconds per real second
KILLS = 10


@pytest.fixture
def fast_sandbox() -> Iterator[Sandbox]:
    scenario = Scenario(
        seed=11, epoch=datetime.now(UTC), start_offset=5, duration=600, comment_count=150
    )
    sb = Sandbox.start(scenario=scenario, clock=RealClock(SPEED))
    yield sb
    sb.stop()


def start_collector(app: Flask, tmp_path: Path, n: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "LANTOA_DATA_KEY": app.config["LANTOA_DATA_KEY"],
        "LANTOA_INSTANCE_PATH": str(tmp_path / "collector"),
        "COLLECTOR_TICK_SECONDS": "0.3",
        "COLLECTOR_INTERVAL_SCALE": "0.1",
        "COLLECTOR_LEASE_SECONDS": "2",  # a killed collector's claim comes back quickly
        "FLASK_APP": "wsgi",
        "ALLOW_PRIVATE_PLATFORM_URLS": "1",  # the sandbox serves on 127.0.0.1
    }
    with open(tmp_path / f"collector-{n}.log", "wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "collect", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for_sweep(target_id: int, deadline: float) -> Target:
    while time.monotonic() < deadline:
        db.session.expire_all()
        target = db.session.get(Target, target_id)
        if (target.cursor or {}).get("phase") == "insights":
            return target
        time.sleep(0.5)
    pytest.fail("the collector did not finish the live in time")


def test_sigkill_ten_times_loses_and_duplicates_nothing(
    app: Flask, make: Factory, fast_sandbox: Sandbox, tmp_path: Path
) -> None:
    creds = fast_sandbox.credentials()
    account = make.account(
        credentials={
            "access_token": fast_sandbox.facebook_token,
            "base_url": fast_sandbox.facebook_url,
        },
        external_id=creds["facebook_page_id"],
    )
    event = make.event(title="Live bị ngắt")
    target = make.target(event, account, external_id=creds["facebook_live_video_id"])
    target_id, event_id = target.id, event.id
    rng = random.Random(2026)
    kills = 0
    process = start_collector(app, tmp_path, 0)
    try:
        while kills < KILLS:
            time.sleep(rng.uniform(0.3, 1.8))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            kills += 1
            process = start_collector(app, tmp_path, kills)
        live_end = fast_sandbox.scenario.scripted_end / SPEED
        wait_for_sweep(target_id, time.monotonic() + live_end + 60)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert kills == KILLS
    logs = "".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob("collector-*.log")))
    assert "Traceback" not in logs, logs[-3000:]
    ids = list(
        db.session.scalars(sa.select(Comment.external_id).where(Comment.target_id == target_id))
    )
    visible = {c.id for c in fast_sandbox.scenario.shown_comments(fast_sandbox.clock.now())}
    truth = fast_sandbox.truth()["facebook"]
    assert len(ids) == len(set(ids))
    assert set(ids) >= visible  # nothing lost
    assert set(ids) <= set(truth["comment_ids"])  # nothing invented
    summary = event_summary(event_id)
    for kind, count in truth["reactions"].items():
        assert summary.reactions[kind.lower()] == count, kind
    assert summary.shares == truth["shares"]
    db.session.remove()

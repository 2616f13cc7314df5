"""A country deployment in small: two web processes, two collectors, one PostgreSQL, one Redis.

The layout the README's "Past one machine" describes, started for real on loopback: two gunicorn
web processes (``COLLECTOR_MODE=off``, the Redis message queue, one shared store folder, an
instance folder each) and two ``flask collect run`` processes sharing the targets through leased
claims, all on one PostgreSQL database, collecting from the sandbox platform server. Checked:

- every target is collected, several rounds, and no collector logs a traceback;
- no target is collected by both at once (no two runs of one target overlap in time) and no
  comment is stored twice;
- a live client on each web process receives the collectors' deltas (through Redis);
- a sheet uploaded on one web process is confirmed on the other (the shared store).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.models import Attendance, CollectionRun, Comment, Person, Target
from sandbox import ManualClock, Sandbox, Scenario
from tests.app.attendance.test_sheet import sheet
from tests.app.realtime.webprocs import Watcher, process_environment, stop, wait_until_serving
from tests.conftest import HOME, PASSWORD, Factory
from tests.servers import REDIS_URL, free_port, require_redis

# Committing: four child processes read and write the test's rows. PostgreSQL only: SQLite is the
# one-machine layout (one process collects).
pytestmark = [
    pytest.mark.committing,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]

ROOT = Path(__file__).resolve().parents[2]
TARGETS = 4
WAIT = 90.0


@pytest.fixture
def live_sandbox() -> Iterator[Sandbox]:
    """A live two minutes in; the test moves its clock on as the collectors go (however slowly
    the processes boot, the live is still on when they start)."""
    sb = Sandbox.start(
        scenario=Scenario(seed=5, comment_count=120, chat_count=10, duration=900, start_offset=5),
        clock=ManualClock(),
    )
    sb.advance(120)
    yield sb
    sb.stop()


@pytest.fixture
def environment(app: Flask, tmp_path: Path) -> dict[str, str]:
    require_redis()
    # COLLECTOR_MODE stays off: web processes; the collectors are `flask collect run`.
    return process_environment(
        app, REDIS_URL, SHARED_STORE_PATH=str(tmp_path / "shared"), COLLECTOR_TICK_SECONDS="0.3",
        COLLECTOR_INTERVAL_SCALE="0.1", FLASK_APP="wsgi",
        ALLOW_PRIVATE_PLATFORM_URLS="1",  # the sandbox serves on 127.0.0.1
    )  # fmt: skip


def start(command: list[str], env: dict[str, str], instance: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:  # the child keeps its own copy
        return subprocess.Popen(
            command, cwd=ROOT, env={**env, "LANTOA_INSTANCE_PATH": str(instance)},
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


@pytest.fixture
def web_ports(environment: dict[str, str], tmp_path: Path) -> Iterator[list[int]]:
    ports = [free_port(), free_port()]
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "8", "wsgi:app", "-b"]
    processes = [
        start(
            [*command, f"127.0.0.1:{port}"],
            environment,
            tmp_path / f"web-{n}",
            tmp_path / f"web-{n}.log",
        )  # fmt: skip
        for n, port in enumerate(ports)
    ]
    try:
        for port in ports:
            wait_until_serving(port, WAIT)
        yield ports
    finally:
        stop(processes)


@pytest.fixture
def collectors(tmp_path: Path) -> Iterator[list[subprocess.Popen]]:
    """The collector processes the test starts (once its clients listen), stopped afterwards."""
    processes: list[subprocess.Popen] = []
    yield processes
    stop(processes)


def start_collectors(environment: dict[str, str], tmp_path: Path) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "flask", "collect", "run"]
    return [
        start(command, environment, tmp_path / f"collector-{n}", tmp_path / f"collector-{n}.log")
        for n in range(2)
    ]


def log_in(port: int, session: requests.Session, email: str) -> None:
    page = session.get(f"http://127.0.0.1:{port}/login", timeout=10).text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = session.post(
        f"http://127.0.0.1:{port}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10).text
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_two_web_processes_and_two_collectors_share_one_database(
    app: Flask,
    make: Factory,
    live_sandbox: Sandbox,
    environment: dict[str, str],
    web_ports: list[int],
    collectors: list[subprocess.Popen],
    tmp_path: Path,
) -> None:
    creds = live_sandbox.credentials()
    account = make.account(
        credentials={"access_token": live_sandbox.facebook_token,
                     "base_url": live_sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )  # fmt: skip
    events = [make.event(title=f"Livestream tỉnh {n}") for n in range(TARGETS)]
    targets = [
        make.target(event, account, external_id=creds["facebook_live_video_id"]).id
        for event in events
    ]
    officer = make.user("officer", HOME)
    conference = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    communes = communes_of(conference)[:2]
    set_bridge_points(conference, [c.code for c in communes], {})
    token = issue_token(officer)
    event_id, conference_id, email = events[0].id, conference.id, officer.email
    db.session.commit()

    watchers = [Watcher(port, token, event_id) for port in web_ports]
    try:
        for w in watchers:
            assert w.ack["ok"] is True, w.ack
        collectors.extend(start_collectors(environment, tmp_path))
        for w in watchers:
            assert w.arrived.wait(WAIT), "no delta reached a client"

        # A sheet previewed on the first web process, confirmed on the second.
        browser = requests.Session()
        log_in(web_ports[0], browser, email)
        path = f"/events/{conference_id}/attendance/import"
        first, second = (f"http://127.0.0.1:{port}{path}" for port in web_ports)
        preview = browser.post(
            first, data={"csrf_token": csrf(browser, first)},
            files={"file": ("ds.xlsx", io.BytesIO(sheet(communes)))}, timeout=30,
        )  # fmt: skip
        assert preview.status_code == 200, preview.text[:300]
        stash_id = re.search(r'name="stash" value="([^"]+)"', preview.text).group(1)
        done = browser.post(
            second, data={"csrf_token": csrf(browser, second), "stash": stash_id},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert done.status_code == 302, done.text[:300]

        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:  # each target collected a few rounds
            db.session.expire_all()
            counts = dict(db.session.execute(
                sa.select(CollectionRun.target_id, sa.func.count())
                .where(CollectionRun.outcome == "ok").group_by(CollectionRun.target_id)
            ).all())  # fmt: skip
            if all(counts.get(t, 0) >= 3 for t in targets):
                break
            live_sandbox.advance(2)  # new comments and counters for the next rounds
            time.sleep(0.5)
    finally:
        for w in watchers:
            w.client.disconnect()
    stop(collectors)
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("collector-*.log"))
    assert "Traceback" not in logs, logs[-3000:]

    db.session.expire_all()
    for target_id in targets:
        assert db.session.get(Target, target_id).last_success_at is not None, target_id
        runs = db.session.execute(
            sa.select(CollectionRun.started_at, CollectionRun.finished_at)
            .where(CollectionRun.target_id == target_id)
            .order_by(CollectionRun.started_at)
        ).all()
        assert len(runs) >= 3, (target_id, len(runs))
        for (_, finished), (started, _) in zip(runs, runs[1:], strict=False):
            assert finished <= started, f"target {target_id} collected by both at once"
        ids = list(db.session.scalars(sa.select(Comment.external_id).where(
            Comment.target_id == target_id)))  # fmt: skip
        assert ids
        assert len(ids) == len(set(ids))
    for w in watchers:
        collected = [d for d in w.deltas if d["reason"] == "collected"]
        assert collected, "no collected delta"
        assert {d["epoch"] for d in collected} == {w.ack["epoch"]}
    # The sheet confirmed on the other web process: its three attendees, once each (the lead
    # comments' authors the collectors register as they store comments are people too).
    on_sheet = sa.select(sa.func.count(sa.distinct(Attendance.person_id))).where(
        Attendance.event_id == conference_id, Attendance.source == "sheet"
    )
    assert db.session.scalar(on_sheet) == 3
    leads = sa.select(sa.func.count()).select_from(Comment).where(Comment.is_lead)
    people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    assert people >= 3 + (1 if db.session.scalar(leads) else 0)

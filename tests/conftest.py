"""Fixtures: an app on SQLite (and PostgreSQL where marked), a client, users, factories.

Each backend's database is built once per session by the real Alembic migrations (so every run also
tests them) and loaded with two provinces of the real administrative tree (Nghệ An 40 and Huế 46).
What a test writes is rolled back when it ends (tests/outer_transaction.py); a test marked
``committing`` commits for real, and everything but the reference data is deleted after it.

Every database test runs on SQLite; one marked ``postgres`` runs on PostgreSQL too (ids ``[sqlite]``
and ``[postgresql]``), and so does every database test under tests/migrations (the migrations are
per dialect) and tests/app/reports (aggregates, rollups with upserts, the dialect-specific month,
report files). Marked ``postgres``:

- collection/test_runner, test_post_runs, test_conference_runs: upserts, a transaction per batch;
- collection/test_conference_platforms: the 39-hall acceptance, on both databases;
- halls/test_state: a window-function query whose count must not grow;
- collection/test_scheduler (the tick): only on PostgreSQL does the pool run several threads;
- collection/test_process_kill: the scale-out mode's crash safety;
- durability/*: the served app and the commands killed while they write;
- followup/test_linking, test_people_registry, api/test_followup: linkage, bulk UPDATEs, IN lists
  cut below PostgreSQL's bind-parameter limit;
- attendance/test_attended (the report and its rollups);
- attendance/test_sheet, halls/test_checkin (the same submission): a unique index in a SAVEPOINT;
- api/test_lead_calls: a call outcome once per submission key, its twins racing on the key;
- halls/test_checkin_attendee_rows: a check-in's people and touches in one statement from arrays;
- test_prepared: a statement compiled once per dialect when many threads ask at once;
- test_personal_data: ciphertexts stored as bytea and read raw from the server;
- test_orgunits: the reference tree reloaded by upsert;
- realtime/test_handlers, live/test_delta, live/test_summary: snapshots, deltas and summaries
  from both databases;
- collection/test_writer (INSERT … RETURNING), models/test_base (the UTC type per driver);
- collection/test_collected_leads: lead comments made people in the batch's transaction, under
  an advisory lock; test_lead_savepoint: a failed registration rolled back to its SAVEPOINT.

Marked ``committing``, because another connection, thread or process must see the rows:

- collection/test_process_kill, realtime/test_multiprocess, durability/*: child processes;
- live/test_live_browser (its own app fixture), halls/test_checkin_browser: a served app's threads;
- demo/test_conference: the demo's check-in thread;
- collection/test_scheduler (the tick): the collecting pool's threads;
- collection/test_runner (publish after commit), test_personal_data (the raw database): a second
  connection or the database file;
- collection/test_collected_leads (two batches registering one commenter): a second thread;
- api/test_lead_calls (one submission arriving at once): the served app's threads.
"""

from __future__ import annotations

import functools
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from app.extensions import db, limiter
from tests.outer_transaction import rolled_back
from tests.servers import CHROMIUM_ARGS, RedisServer, empty_postgres, require_chromium

HOME, OTHER = "40", "46"  # Nghệ An (the users' province) and Huế (somebody else's)
PASSWORD = "correct horse battery"
REFERENCE_TABLES = {"org_units", "alembic_version"}
# Every database test of these packages runs on PostgreSQL too, however its modules are named.
POSTGRES_PACKAGES = tuple(Path(__file__).parent / p for p in ("migrations", "app/reports"))
_units_cache: list = []


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run: every test user shares it, and Argon2 takes ~0.1 s a hash."""
    from app.auth.passwords import hash_password

    return hash_password(PASSWORD)


def _package_units() -> list:
    if not _units_cache:
        from app.orgunits import read_package_units

        _units_cache.extend(read_package_units([HOME, OTHER]))
    return _units_cache


@pytest.hookimpl(tryfirst=True)  # the backend first in the ids, as in [postgresql-rollups]
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every database test on SQLite, and on PostgreSQL too if marked or in POSTGRES_PACKAGES."""
    if "database_url" not in metafunc.fixturenames:
        return
    chosen = [mark.args[0] for mark in metafunc.definition.iter_markers("parametrize")]
    if any("database_url" in str(names) for names in chosen):
        return  # the test chose its backends itself
    definition = metafunc.definition
    postgres = definition.get_closest_marker("postgres") is not None or any(
        definition.path.is_relative_to(package) for package in POSTGRES_PACKAGES
    )
    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    metafunc.parametrize("database_url", backends, indirect=True, scope="session")


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database per backend, migrated to head and loaded with two provinces."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        yield from _prepared(url, tmp_path_factory)
        return
    with empty_postgres("lantoa_test") as url:
        yield from _prepared(url, tmp_path_factory)


def _prepared(url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from flask_migrate import upgrade

    from app.orgunits import load_units

    app = create_app(_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        load_units(db.session, _package_units(), "test")
        db.session.commit()
        db.engine.dispose()
    yield url


def _config(url: str, instance: Path) -> dict:
    return {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance),
    }


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as in production.

    The test itself holds an app context (for factories and queries); without this, requests would
    share its ``g`` and its database session, hiding bugs such as a CSRF token cached in ``g``.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on one backend; what the test wrote is rolled back, or deleted if it committed."""
    app = create_app(_config(database_url, tmp_path / "instance"))
    app.test_client_class = FreshContextClient
    with app.app_context():
        limiter.reset()
        if request.node.get_closest_marker("committing") is None:
            with rolled_back(db, db.engine):
                yield app
        else:
            yield app
            db.session.remove()
            _empty(db.engine)
        db.engine.dispose()


def committing_app(
    database_url: str, instance: Path, *, timeout: float = 1.0, **extra: object
) -> Iterator[Flask]:
    """An app whose rows a separate web process reads (committing tests); emptied afterwards.

    ``extra`` adds configuration (e.g. ``SOCKETIO_MESSAGE_QUEUE``); collectors' HTTP retries are
    off and their timeout short, as a test against the sandbox wants.
    """
    config = {**_config(database_url, instance), **extra}
    app = create_app(config)
    app.config["LANTOA_TEST_CONFIG"] = config
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=timeout)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty(db.engine)
        db.engine.dispose()


def _empty(engine: sa.Engine) -> None:
    """Delete every row but the reference data, children first."""
    meta = db.metadata
    with engine.begin() as conn:
        for table in reversed(meta.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                conn.execute(table.delete())


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app served on a loopback port by threads, for Chromium and socket clients.

    Tests using it are ``committing``: the server's threads read what the test wrote.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    _await_socket_handlers()


def _await_socket_handlers(timeout: float = 10.0) -> None:
    """Let Socket.IO handlers still running (a join the page sent as the test ended) finish
    before the app's tables are emptied under them: python-socketio runs each on its own
    thread, named after ``_handle_event_internal``."""
    for thread in threading.enumerate():
        if "_handle_event_internal" in thread.name and thread is not threading.current_thread():
            thread.join(timeout)


@pytest.fixture
def browser() -> Iterator:
    """Debian's headless Chromium under Playwright (skipped locally, failed in CI, if missing)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A started redis-server of this test's own, free to stop and start (tests/servers.py)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def unit(app: Flask):
    """Look up an org unit by code."""
    from app.models import OrgUnit

    def get(code: str) -> OrgUnit:
        return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()

    return get


@dataclass
class Factory:
    app: Flask

    def user(self, role: str = "viewer", org_unit: str = HOME, email: str | None = None):
        from app.models import OrgUnit, Role, User

        unit = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == org_unit)).one()
        user = User(
            email=email or f"{role}.{org_unit}.{uuid.uuid4().hex[:6]}@example.vn",
            role=Role(role),
            org_unit=unit,
            password_hash=password_hash(),
        )
        db.session.add(user)
        db.session.commit()
        return user

    def campaign(self, org_unit: str = HOME, name: str = "BHXH tự nguyện Q4", **kw):
        from app.models import Campaign, OrgUnit, Scheme

        unit = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == org_unit)).one()
        values = dict(
            name=name,
            org_unit=unit,
            scheme=Scheme.BHXH_TU_NGUYEN,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 12, 31),
            goal=1700,
        )
        values.update(kw)
        campaign = Campaign(**values)
        db.session.add(campaign)
        db.session.commit()
        return campaign

    def event(self, org_unit: str = HOME, title: str = "Livestream tháng 11", **kw):
        from app.models import Channel, Event, OrgUnit

        unit = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == org_unit)).one()
        values = dict(title=title, channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0)
        values.update(kw)
        event = Event(**values)
        db.session.add(event)
        db.session.commit()
        return event

    def account(self, org_unit: str = HOME, name: str = "Fanpage BHXH", **kw):
        from app.models import OrgUnit, Platform, PlatformAccount

        unit = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == org_unit)).one()
        values = dict(
            platform=Platform.FACEBOOK,
            name=name,
            org_unit=unit,
            credentials={"access_token": f"token-{uuid.uuid4().hex}"},
            health="ok",
            health_detail="",
            rate_limit_usage={},
        )
        values.update(kw)
        account = PlatformAccount(**values)
        db.session.add(account)
        db.session.commit()
        return account

    def target(self, event, account, kind: str = "facebook_live", external_id: str = "1", **kw):
        from app.collection.targets import add_target

        target = add_target(event.id, kind, external_id, account_id=account.id, **kw)
        db.session.commit()
        return target


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def logged_in(client: FlaskClient, make: Factory):
    """Log the test client in as a new user of the given role and unit; returns the user."""

    def as_(role: str = "viewer", org_unit: str = HOME):
        user = make.user(role, org_unit)
        login(client, user.email)
        return user

    return as_

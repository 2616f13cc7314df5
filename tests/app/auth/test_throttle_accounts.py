"""Failed log-ins count per account: an office behind one address is not locked out by one
person's typos, while guessing at an account, or spraying many accounts, is still stopped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, Factory, FreshContextClient, csrf_token
from tests.servers import REDIS_URL, empty_redis

pytestmark = pytest.mark.committing  # the Redis case logs in through a second app instance

OFFICE = "113.161.72.14"  # the whole commune office's one public address


def _attempt(client: FlaskClient, email: str, password: str) -> TestResponse:
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data)


def _emails(*users: object) -> list[str]:
    """The users' addresses, read before the other app instance writes to the database."""
    emails = [u.email for u in users]  # type: ignore[attr-defined]
    db.session.rollback()  # no read transaction left open to block the other's writes
    return emails


def _client(app: Flask, address: str = OFFICE) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture(params=["memory", "redis"])
def web(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The app with its counters in memory (the embedded default) or in Redis (several web
    processes); the same rules must hold on both."""
    if request.param == "memory":
        yield app
        return
    empty_redis()
    config = {**app.config, "RATELIMIT_STORAGE_URI": REDIS_URL, "INSTANCE_PATH": str(tmp_path)}
    other = create_app(config)
    other.test_client_class = FreshContextClient
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()
        empty_redis()


def test_a_colleagues_typos_do_not_lock_the_office_out(web: Flask, make: Factory) -> None:
    colleague, admin = _emails(make.user("viewer", email="canbo.truongvinh@test.vn"),
                               make.user("admin"))  # fmt: skip
    tries = [_attempt(_client(web), colleague, "sai mật khẩu").status_code for _ in range(11)]
    assert tries == [401] * 10 + [429]  # guessing at the colleague's account is stopped
    assert _attempt(_client(web), admin, PASSWORD).status_code == 302  # same address, fine
    # Even the colleague's right password waits: the guessing must not go on.
    assert _attempt(_client(web), colleague, PASSWORD).status_code == 429


def test_the_page_says_how_long_to_wait(web: Flask, make: Factory) -> None:
    web.config["LOGIN_RATE_LIMIT"] = "3 per hour"
    [email] = _emails(make.user("viewer"))
    for _ in range(3):
        _attempt(_client(web), email, "sai mật khẩu")
    blocked = _attempt(_client(web), email, "sai mật khẩu")
    assert blocked.status_code == 429
    wait = int(blocked.headers["Retry-After"])
    assert 3500 < wait <= 3600
    assert "Thử lại sau khoảng 60 phút" in blocked.get_data(as_text=True)


def test_within_a_minute_it_says_one_minute(app: Flask, make: Factory) -> None:
    email = make.user("viewer").email
    for _ in range(10):
        _attempt(_client(app), email, "sai mật khẩu")
    blocked = _attempt(_client(app), email, "sai mật khẩu")
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert "Thử lại sau khoảng 1 phút" in blocked.get_data(as_text=True)


def test_one_address_spraying_many_accounts_is_stopped(web: Flask, make: Factory) -> None:
    web.config["LOGIN_ADDRESS_RATE_LIMIT"] = "20 per 15 minutes"
    [real] = _emails(make.user("viewer"))
    sprayed = [
        _attempt(_client(web), f"nguoi{i}@test.vn", "Matkhau@123").status_code for i in range(20)
    ]
    assert sprayed == [401] * 20  # no account had more than one failure
    assert _attempt(_client(web), "nguoi99@test.vn", "Matkhau@123").status_code == 429
    # The ceiling is the address's: another address still logs in.
    assert _attempt(_client(web, "14.232.10.5"), real, PASSWORD).status_code == 302


def test_one_account_guessed_from_many_addresses_is_stopped(web: Flask, make: Factory) -> None:
    web.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "15 per 15 minutes"
    [email] = _emails(make.user("viewer"))
    for i in range(15):
        assert _attempt(_client(web, f"203.0.113.{i}"), email, "đoán thử").status_code == 401
    assert _attempt(_client(web, "198.51.100.1"), email, PASSWORD).status_code == 429

"""Log-in throttling keys on the real client address, and never locks the owner out from
another address because somebody else guessed at their account."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, Factory, FreshContextClient, csrf_token

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _attempt(client: FlaskClient, email: str, password: str, **request: object) -> int:
    token = csrf_token(client)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data, **request).status_code


def test_an_attacker_does_not_lock_the_owner_out_from_another_address(
    app: Flask, make: Factory
) -> None:
    email = make.user("viewer").email
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = ATTACKER
    tried = [_attempt(attacker, email, "sai mật khẩu rồi") for _ in range(12)]
    assert tried[-1] == 429  # the guessing stops
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = OWNER
    assert _attempt(owner, email, PASSWORD) == 302


@pytest.mark.committing
def test_behind_a_proxy_each_client_has_its_own_address(
    app: Flask, make: Factory, tmp_path: Path
) -> None:
    email = make.user("viewer").email
    proxied = create_app({**app.config, "PROXY_HOPS": 1, "INSTANCE_PATH": str(tmp_path / "p")})
    proxied.test_client_class = FreshContextClient
    try:
        client = proxied.test_client()  # every request comes from the proxy, 127.0.0.1
        tried = [
            _attempt(client, email, "sai mật khẩu rồi", headers={"X-Forwarded-For": ATTACKER})
            for _ in range(12)
        ]
        assert tried[-1] == 429
        other = make.user("viewer").email
        allowed = _attempt(client, other, PASSWORD, headers={"X-Forwarded-For": OWNER})
        assert allowed == 302  # the proxy's address is not what got throttled
    finally:
        with proxied.app_context():
            db.engine.dispose()

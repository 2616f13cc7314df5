"""Log-in throttling shared through Redis, as when several web processes serve the app."""

from __future__ import annotations

from pathlib import Path

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, Factory, FreshContextClient, csrf_token
from tests.servers import REDIS_URL, empty_redis


def test_failed_logins_count_across_processes(app, make: Factory, tmp_path: Path) -> None:
    empty_redis()
    email = make.user("viewer").email  # read now: the other apps' contexts come next
    config = {**app.config, "RATELIMIT_STORAGE_URI": REDIS_URL, "LOGIN_RATE_LIMIT": "3 per minute"}
    config["INSTANCE_PATH"] = str(tmp_path)
    # Two app instances stand for two web processes sharing one Redis.
    web = [create_app(config), create_app(config)]
    statuses = []
    for attempt in range(4):
        instance = web[attempt % 2]
        instance.test_client_class = FreshContextClient
        with instance.app_context():
            client = instance.test_client()
            token = csrf_token(client)
            response = client.post(
                "/login", data={"email": email, "password": "wrong!", "csrf_token": token}
            )
            statuses.append(response.status_code)
    for instance in web:
        with instance.app_context():
            db.engine.dispose()
    assert statuses == [401, 401, 401, 429]
    assert PASSWORD  # the right password is never needed to trip the limit
    empty_redis()

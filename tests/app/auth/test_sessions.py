"""Log-out ends the session everywhere; remember cookies are short, same-site and revocable."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from tests.conftest import PASSWORD, Factory, csrf_token


def _login_remembered(client: FlaskClient, email: str) -> str:
    """Log in with "remember me" and return the Set-Cookie header of the remember cookie."""
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert response.status_code == 302
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert headers, "no remember cookie was set"
    return headers[0]


def _replay(app: Flask, set_cookie: str) -> int:
    """A new browser holding only the copied remember cookie: the status of GET /events."""
    stranger = app.test_client()
    cookie = SimpleCookie()
    cookie.load(set_cookie)
    stranger.set_cookie("remember_token", cookie["remember_token"].value)
    return stranger.get("/events").status_code


def test_remember_cookie_logs_a_new_browser_in(app: Flask, client: FlaskClient, make: Factory):
    user = make.user("viewer")
    assert _replay(app, _login_remembered(client, user.email)) == 200


def test_logout_with_remember_me_logs_out_and_kills_the_cookie(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    user = make.user("viewer")
    copied = _login_remembered(client, user.email)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/events")})
    assert response.status_code == 302
    deleted = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert deleted
    assert "Expires=Thu, 01 Jan 1970" in deleted[0]
    assert client.get("/events").status_code == 302
    assert _replay(app, copied) == 302


def test_remember_cookie_is_same_site_and_lasts_a_fortnight(client: FlaskClient, make: Factory):
    header = _login_remembered(client, make.user("viewer").email)
    cookie = SimpleCookie()
    cookie.load(header)
    morsel = cookie["remember_token"]
    assert morsel["samesite"] == "Lax"
    assert morsel["httponly"]
    expires = datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert expires - datetime.now(UTC) < timedelta(days=15)


def test_secure_cookies_setting_marks_both_cookies_secure() -> None:
    code = (
        "from app.config import Config as C\n"
        "print(C.SESSION_COOKIE_SECURE, C.REMEMBER_COOKIE_SECURE)"
    )
    run = [sys.executable, "-c", code]
    off = subprocess.run(run, env=_env(), capture_output=True, text=True, check=True).stdout
    on = subprocess.run(
        run, env=_env(SECURE_COOKIES="1"), capture_output=True, text=True, check=True
    )
    assert off.split() == ["False", "False"]
    assert on.stdout.split() == ["True", "True"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SECURE_COOKIES"}
    return {**env, **extra}


@pytest.mark.parametrize("command", ["set-password", "deactivate"])
def test_password_change_and_deactivation_revoke_remember_cookies(
    app: Flask, client: FlaskClient, make: Factory, command: str
) -> None:
    user = make.user("viewer")
    copied = _login_remembered(client, user.email)
    args = ["users", command, user.email.upper()]
    if command == "set-password":
        args += ["--password", "một mật khẩu mới khá dài"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert client.get("/events").status_code == 302  # the open session ended too
    assert _replay(app, copied) == 302


def test_sessions_from_before_the_session_token_stop_working(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    user = make.user("viewer")
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what Flask-Login stored until now
        session["_fresh"] = True
    assert client.get("/events").status_code == 302


def test_weak_password_is_refused_by_the_cli_and_nothing_changes(app: Flask, make: Factory) -> None:
    user = make.user("viewer")
    before = user.password_hash
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", user.email, "--password", "matkhau@123"]
    )
    assert result.exit_code != 0
    assert "--password" in result.output
    db.session.refresh(user)
    assert user.password_hash == before

"""A log-in session ends after IDLE_TIMEOUT without a request (8 hours by default), and a form
sent after that goes to the log-in and back to its page with ``#restore`` (form-keep.js)."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event
from tests.conftest import HOME, PASSWORD, Factory, csrf_token, login

VI = {"Accept-Language": "vi"}


def last_seen(client: FlaskClient, hours_ago: float) -> None:
    with client.session_transaction() as session:
        session["seen"] = time.time() - hours_ago * 3600


def test_the_default_is_a_working_day(app: Flask) -> None:
    assert app.config["IDLE_TIMEOUT"] == timedelta(hours=8)


def test_a_session_idle_for_9_hours_ends_and_the_page_comes_back_after_logging_in(
    client: FlaskClient, make: Factory
) -> None:
    user = make.user("officer", HOME)
    login(client, user.email)
    assert client.get("/events/new").status_code == 200
    last_seen(client, 9)
    answer = client.get("/events/new", headers=VI)
    assert answer.status_code == 302
    target = urlsplit(answer.location)
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == ["/events/new"]
    page = client.get(answer.location, headers=VI).get_data(as_text=True)
    assert "Bạn đã bị đăng xuất sau 8 giờ không thao tác." in page
    token = csrf_token(client, answer.location)
    back = client.post(
        answer.location, data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert back.location == "/events/new"


def test_a_lunch_break_does_not_end_the_session(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    client.get("/events/new")
    last_seen(client, 7.5)
    assert client.get("/events/new").status_code == 200
    last_seen(client, 7.5)  # each request counts as activity
    assert client.get("/events/new").status_code == 200


def test_the_timeout_is_configurable(app: Flask, client: FlaskClient, make: Factory) -> None:
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=30)
    login(client, make.user("officer", HOME).email)
    client.get("/")
    last_seen(client, 0.75)
    assert client.get("/events/new").status_code == 302


def test_a_form_sent_after_the_timeout_goes_back_to_its_page_to_be_restored(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    token = csrf_token(client, "/events/new")
    last_seen(client, 10)
    answer = client.post(
        "/events/new",
        data={"csrf_token": token, "title": "Hội nghị BHXH xã Nghi Lộc", "channel": "livestream"},
        headers={"Referer": "http://localhost/events/new"},
    )
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.location).query)["next"] == ["/events/new#restore"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0

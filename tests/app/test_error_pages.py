"""The error pages a user meets: after a failed statement, and when the session ran out while a
form was open."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user

from app.errors import handle_unexpected
from app.extensions import db
from app.models import Event, User
from tests.conftest import HOME, Factory, csrf_token


def test_the_error_page_still_shows_after_a_failed_statement(app: Flask, make: Factory) -> None:
    """A statement the database refused leaves the session failed; the page then read the
    user's unit through it and crashed into the bare English "Internal Server Error"."""
    user_id = make.user("officer", HOME).id
    db.session.commit()
    with app.test_request_context("/events/new", method="POST"):
        login_user(db.session.get(User, user_id))
        db.session.commit()  # the user's unit is read again by the page, through the session
        with pytest.raises((OverflowError, sa.exc.DBAPIError)):  # SQLite's, PostgreSQL's
            make.event(cost_vnd=10**20)  # past the database's integers
        body, code = handle_unexpected(RuntimeError("the request failed"))
    assert code == 500
    assert "Đã có lỗi xảy ra. Vui lòng thử lại sau." in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_a_form_sent_after_the_session_ended_says_so_and_leads_back(
    client: FlaskClient, logged_in
) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    client.delete_cookie("session")  # the session ran out while the form was open
    response = client.post(
        "/events/new",
        data={"csrf_token": token, "title": "Livestream tư vấn"},
        headers={"Referer": "http://localhost/events/new"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/events/new")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flashes = re.findall(r'<p class="flash error" role="status">(.*?)</p>', page)
    assert flashes == ["Phiên đăng nhập đã kết thúc. Hãy đăng nhập lại rồi gửi lại biểu mẫu."]


def test_a_stale_form_of_a_logged_in_user_keeps_its_message(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    response = client.post("/events/new", data={"csrf_token": "stale", "title": "x"})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)

"""In Chromium: a form sent after the session timed out comes back, filled in, after the log-in.

The officer types an event's title and description, leaves the page open past the (shortened)
inactivity timeout and presses "Lưu": the log-in page says why; after logging in again the
form is there with what was typed (the password-free fields), and sending it now works (the
page's fresh CSRF token, not the dead one).
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Event
from tests.conftest import HOME, PASSWORD, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

TITLE = "Hội nghị tuyên truyền BHXH tự nguyện xã Nghi Phong"


def log_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")


def test_typed_values_survive_the_timeout(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    app.config["IDLE_TIMEOUT"] = timedelta(seconds=3)
    officer = make.user("officer", HOME, email="canbo.nghiphong@bhxhnghean.vn")
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(live_server + "/login")
    log_in(page, officer.email)
    page.goto(live_server + "/events/new")
    page.fill("#title", TITLE)
    page.fill("#description", "Tại nhà văn hoá xóm 3, 40 hộ gia đình")
    time.sleep(4)
    page.click("form[data-submit-once] button[type=submit]")
    page.wait_for_url("**/login**")
    assert "sau 0 giờ không thao tác" in page.inner_text("main")
    log_in(page, officer.email)
    page.wait_for_url(live_server + "/events/new")  # the #restore mark is taken off
    assert page.input_value("#title") == TITLE
    assert page.input_value("#description") == "Tại nhà văn hoá xóm 3, 40 hộ gia đình"
    page.click("form[data-submit-once] button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url
    text = page.inner_text("main")
    assert "Biểu mẫu đã hết hạn" not in text
    assert "Phiên đăng nhập đã kết thúc" not in text
    with app.app_context():
        created = db.session.scalar(sa.select(Event.description).where(Event.title == TITLE))
    print(page.url, created)
    assert created == "Tại nhà văn hoá xóm 3, 40 hộ gia đình"
    page.goto(live_server + "/events/new")  # any other page load forgets the kept values
    assert page.evaluate("sessionStorage.length") == 0

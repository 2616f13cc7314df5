"""The check-in page in headless Chromium at a phone's width: usable, and its offline queue
resends a report typed without a connection exactly once when the connection returns."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from app.extensions import db
from app.halls import services
from app.models import AttendanceReport
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def link(app: Flask, make: Factory) -> str:
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, "all", {})[:1]
    db.session.commit()
    return f"/checkin/{point.checkin_token}"


def reports() -> list[AttendanceReport]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AttendanceReport)))


def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_usable_at_phone_width(live_server: str, browser, link: str) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server + link)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#checkin button[type=submit]").bounding_box()
    assert box["height"] >= 44  # a finger, not a mouse
    assert box["width"] >= PHONE["width"] * 0.8
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('head_count')).fontSize)"
    )
    assert size >= 16  # no zoom-on-focus on phones
    scripts = page.evaluate("Array.from(document.scripts).filter(s => s.src).length")
    assert scripts == 0  # nothing to download beyond the page itself
    page.fill("#head_count", "45")
    page.click("#checkin button[type=submit]")
    page.locator("#done").wait_for(state="visible")
    assert [r.head_count for r in reports()] == [45]


def test_typed_offline_sent_once_when_back_online(live_server: str, browser, link: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server + link)
    context.set_offline(True)
    page.fill("#head_count", "38")
    page.click("#checkin button[type=submit]")
    page.locator("#queue").wait_for(state="visible")
    assert "chờ" in page.inner_text("#queue")
    assert reports() == []
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: len(reports()) == 1)
    page.reload()  # the queue is empty now: nothing is sent again
    page.evaluate("window.dispatchEvent(new Event('online'))")
    time.sleep(1.0)
    assert [r.head_count for r in reports()] == [38]
    context.close()

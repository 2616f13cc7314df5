"""The live page's collection notices word each object by its kind, in headless Chromium: a
meeting under way is a meeting in progress (not a broadcast), a meeting not opened yet waits for
the meeting; a livestream keeps the broadcast's words."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.models import EventStatus, Platform
from tests.app.live.pages import log_in, seq
from tests.app.live.test_live_browser import app  # noqa: F401 - the Redis-publishing app
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows


def test_the_live_page_words_a_meeting_as_a_meeting(
    app: Flask,  # noqa: F811
    web: WebProcess,
    browser,
    make: Factory,  # type: ignore[no-untyped-def]
) -> None:
    event = make.event(HOME, title="Hội nghị trực tuyến kèm livestream",
                       channel="online_conference", status=EventStatus.LIVE)  # fmt: skip
    zoom = make.account(HOME, platform=Platform.ZOOM, name="Zoom tỉnh")
    meet = make.account(HOME, platform=Platform.MEET, name="Google Meet tỉnh")
    youtube = make.account(HOME, platform=Platform.YOUTUBE, name="Kênh YouTube")
    make.target(event, zoom, kind="zoom_meeting", external_id="85012345678", status="live",
                title="Họp Zoom")  # fmt: skip
    make.target(event, meet, kind="meet_conference", external_id="bhx-hnge-anq",
                status="scheduled", title="Họp Meet")  # fmt: skip
    make.target(event, youtube, kind="youtube_live", external_id="dQw4w9WgXcQ", status="live",
                title="Phát lại trên YouTube")  # fmt: skip
    user = make.user("manager", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="first snapshot")
    wait_for(lambda: page.locator("#targets .target-state").count() == 3, what="the notices")
    said = {
        item.locator(".target-title").inner_text(): item.locator(".target-state").inner_text()
        for item in page.locator("#targets li").all()
    }
    assert said == {
        "Họp Zoom": "Cuộc họp đang diễn ra: đang thu thập",
        "Họp Meet": "Đang chờ cuộc họp bắt đầu",
        "Phát lại trên YouTube": "Đang phát trực tiếp: đang thu thập",
    }
    assert errors == []

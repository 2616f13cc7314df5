"""An online conference followed by check-in alone, whose organiser adds its Zoom meeting while
its live page and projector are open (then the meeting collector goes again), in headless
Chromium: the halls board, its legend and titles, the halls-connected tile and chart follow
without a reload.

A real web process serves the pages; the meeting is added through the API, as an organiser's
tool does, whose request publishes through Redis; its removal (no page offers it) is written in
the database and published as the collector's process would.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import services
from app.models import EventStatus, Platform, Target, utcnow
from app.realtime import publish
from tests.app.halls.conftest import commune_codes
from tests.app.live.pages import log_in, seq, shots
from tests.app.live.test_live_browser import app  # noqa: F401 - the Redis-publishing app
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

MISSING, IN = "#hall-board .hall-group.missing", "#hall-board .hall-group:not(.missing)"


def _board(page) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the board says: its two titles, the halls in each column, the tile and chart."""
    return {
        "missing": page.inner_text(MISSING).split(" (")[0],
        "in": page.inner_text(IN).split(" (")[0],
        "missing_halls": page.locator("#halls-missing li.hall .hall-name").all_inner_texts(),
        "in_halls": page.locator("#halls-connected li.hall .hall-name").all_inner_texts(),
        "tile": page.locator('.counter[data-key="halls_connected"]').is_visible(),
    }


def test_the_board_follows_a_meeting_collector_added_and_removed_under_open_pages(
    app: Flask,  # noqa: F811
    web: WebProcess,
    browser,
    client: FlaskClient,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    event = make.event(HOME, title="Hội nghị trực tuyến triển khai BHXH tự nguyện",
                       channel="online_conference", status=EventStatus.LIVE)  # fmt: skip
    codes = commune_codes(HOME)[:3]
    points = services.set_bridge_points(event, codes, {c: 30 for c in codes})
    services.record_report(points[0], "hall-0001", 28, [], utcnow())
    zoom = make.account(platform=Platform.ZOOM, name="Zoom tỉnh")
    manager = make.user("manager", HOME)
    token = issue_token(manager)
    db.session.commit()
    folder = shots(tmp_path)
    pages = {}
    reported = ""
    for name, query in (("page", ""), ("wall", "?wall=1")):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        log_in(page, web.url, manager.email)
        page.goto(f"{web.url}/events/{event.id}/live{query}")
        wait_for(lambda page=page: seq(page) is not None, what="first snapshot")
        # In person (no meeting seen): a hall is in once it sent its head count.
        board = _board(page)
        assert board["missing"] == "Chưa báo số người", name
        assert board["in"] == "Đã báo số người", name
        assert len(board["in_halls"]) == 1, name  # type: ignore[arg-type]
        reported = board["in_halls"][0]  # type: ignore[index]
        assert len(board["missing_halls"]) == 2, name  # type: ignore[arg-type]
        assert board["tile"] is False, name
        pages[name] = (page, errors)
    assert not pages["page"][0].locator("#chart-halls").is_visible()

    added = client.post(f"/api/v1/events/{event.id}/targets",
                        json={"platform": "zoom_meeting", "external_id": "85012345678",
                              "account_id": zoom.id},
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert added.status_code == 201, added.get_json()
    for name, (page, _errors) in pages.items():
        wait_for(lambda page=page: _board(page)["tile"], what=f"the meeting on the {name}")
        board = _board(page)
        assert board["missing"] == "Chưa kết nối vào cuộc họp", name
        assert board["in"] == "Đã kết nối vào cuộc họp", name
        # The hall that sent its count is not on the meeting: it waits with the others now.
        assert len(board["missing_halls"]) == 3, name  # type: ignore[arg-type]
        assert reported in board["missing_halls"], name  # type: ignore[operator]
        assert board["in_halls"] == [], name
        status = page.locator("#halls-missing li.hall", has_text=reported).locator(".hall-status")
        assert status.inner_text() == "Đã báo số người, chưa kết nối vào cuộc họp", name
        page.screenshot(path=str(folder / f"meeting-added-{name}.png"), full_page=True)
    chart = pages["page"][0].locator("#chart-halls")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300  # drawn to its box once shown, not left at a hidden one's size

    target = db.session.scalar(sa.select(Target).where(Target.event_id == event.id))
    db.session.delete(target)
    db.session.commit()
    publish(event.id, "targets")
    for name, (page, errors) in pages.items():
        wait_for(lambda page=page: not _board(page)["tile"], what=f"no meeting on the {name}")
        board = _board(page)
        assert board["missing"] == "Chưa báo số người", name
        assert board["in_halls"] == [reported], name
        assert errors == []

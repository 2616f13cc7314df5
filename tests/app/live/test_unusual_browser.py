"""The live page and the projector mark a hall's unusual head count in words, and the mark
follows the deltas: a real web process serves the page at a phone's width, the hall's officer
sends a count of 4.500 for a hall expecting 45 through the real check-in link (JSON, as the
page's script sends it once asked), then the corrected 45."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from flask import Flask

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.app.live import redis_app
from tests.app.live.pages import log_in, seq, shots
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)

MARK = "(chưa chắc: dự kiến 45)"


def card_text(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("li.hall", has_text=name).inner_text())


def test_the_mark_follows_the_check_ins(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,
) -> None:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    codes = commune_codes(HOME, 2)
    typo, usual = services.set_bridge_points(event, codes, dict.fromkeys(codes, 45))
    for point in (typo, usual):
        point.checkin_expires_at = datetime(2099, 1, 1, tzinfo=UTC)
    services.record_report(usual, "usual-0001", 40, [], datetime.now(UTC))
    officer = make.user("officer", HOME)
    db.session.commit()
    name, other, link = typo.org_unit.name, usual.org_unit.name, typo.checkin_token

    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, web.url, officer.email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="first snapshot")
    assert MARK not in page.inner_text("#hall-board")

    def send(key: str, count: int) -> None:
        answer = requests.post(f"{web.url}/checkin/{link}", timeout=10,
                               json={"idempotency_key": key, "head_count": count})  # fmt: skip
        assert answer.status_code == 201, answer.text

    send("typo-0001", 4500)
    wait_for(lambda: MARK in card_text(page, name), what="the mark, by a delta")
    assert "4.500 / 45" in card_text(page, name)
    assert MARK not in card_text(page, other)
    page.screenshot(path=str(shots(tmp_path) / "live-unusual-390.png"), full_page=True)

    wall = browser.new_page(viewport={"width": 1920, "height": 1080})
    log_in(wall, web.url, officer.email)
    wall.goto(f"{web.url}/events/{event.id}/live?wall=1")
    mark = wall.locator("li.hall", has_text=name).locator(".hall-unusual")
    mark.wait_for()
    assert mark.is_visible()
    assert mark.inner_text() == MARK
    wall.screenshot(path=str(shots(tmp_path) / "wall-unusual.png"))

    send("typo-0002", 45)  # the officer corrected it
    wait_for(lambda: "45 / 45" in card_text(page, name), what="the corrected count")
    assert MARK not in page.inner_text("#hall-board")
    wait_for(lambda: wall.locator(".hall-unusual").count() == 0, what="the wall's mark cleared")

"""A conference that ends while its live page and projector are open, in headless Chromium.

A real web process serves the pages; the test ends the event in the database and publishes the
``status`` delta through Redis, as the collector does. Both pages must then say at the top that
the conference ended, and when, and word their connection figures in the past, without a reload.
Screenshots are written to ``LANTOA_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from app.models import EventStatus
from tests.app.halls.conftest import commune_codes
from tests.app.live import redis_app
from tests.app.live.pages import move_event, open_page_and_wall, shots
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)

ENDED_AT = datetime(2026, 12, 6, 3, 30, tzinfo=UTC)  # 10:30 in Hà Nội
SAID = "Hội nghị đã kết thúc lúc 06/12/2026 10:30"


def _label(page, key: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.inner_text(f'.counter[data-key="{key}"] .label'))


def test_a_conference_ending_under_open_pages_says_so_and_speaks_in_the_past(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    event = make.event(HOME, title="Hội nghị triển khai BHXH tự nguyện",
                       channel="online_conference", status=EventStatus.LIVE)  # fmt: skip
    codes = commune_codes(HOME)[:3]
    services.set_bridge_points(event, codes, {c: 30 for c in codes})
    # Its halls connect to a meeting it collects: the connection figures are the ones that end.
    make.target(event, make.account(platform="zoom", name="Zoom tỉnh"), kind="zoom_meeting",
                external_id="850", status="live")  # fmt: skip
    officer = make.user("officer", HOME)
    db.session.commit()
    folder = shots(tmp_path)
    viewport = {"width": 1280, "height": 900}
    pages = open_page_and_wall(browser, web.url, officer.email, event.id, viewport)
    for page, _errors in pages.values():
        assert not page.locator("#ended-banner").is_visible()
        assert _label(page, "halls_connected") == "Điểm cầu đã kết nối"
        assert page.inner_text(".hall-group:not(.missing) .group-words") == (
            "Đã kết nối vào cuộc họp"
        )

    move_event(event.id, EventStatus.ENDED, actual_end=ENDED_AT)

    for name, (page, errors) in pages.items():
        banner = page.locator("#ended-banner")
        wait_for(banner.is_visible, what=f"the end said on the {name}")
        assert banner.inner_text() == SAID
        assert _label(page, "halls_connected") == "Điểm cầu đã kết nối trong hội nghị"
        heading = page.inner_text(".hall-group:not(.missing)")
        assert heading.startswith("Đã từng kết nối ("), heading
        assert page.evaluate("document.body.classList.contains('event-ended')")
        assert errors == []
        page.screenshot(path=str(folder / f"ended-{name}.png"), full_page=True)

    # A page opened after the end says the same from its first paint.
    page = pages["page"][0]
    page.reload()
    assert page.inner_text("#ended-banner") == SAID
    assert _label(page, "halls_connected") == "Điểm cầu đã kết nối trong hội nghị"

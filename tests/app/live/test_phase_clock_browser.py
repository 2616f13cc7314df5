"""An in-person conference (nothing collects it, so no delta comes at its start) under its open
live page, in headless Chromium: the page turns from "Sắp diễn ra" to "Đang diễn ra" at the
planned start and to "Đã kết thúc" at the planned end by itself, saying it ended then by its
planned end.

The page judges by the server's clock (the browser's plus the offset the server's time gave), so
the test moves the browser's clock (Playwright's ``page.clock``) to a few seconds before each
boundary, on the server's clock, and runs it on from there. The socket is refused: nothing but
the page's own clock can turn it. The dates are fixed and years ahead, so the server paints the
page as upcoming whatever day the test runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.app.live.pages import log_in, seq, shots
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

START = datetime(2031, 3, 3, 1, 30, tzinfo=UTC)  # 08:30 on 03/03/2031 in Hà Nội
END = START + timedelta(hours=3)  # 11:30
TITLE = "Hội nghị triển khai BHYT học sinh, sinh viên"


def _server_now(page) -> datetime:  # type: ignore[no-untyped-def]
    ms = page.evaluate("Date.now() + window.lantoaLive.state.offsetMs")
    return datetime.fromtimestamp(ms / 1000, UTC)


def _pause_server_clock(page, at: datetime) -> None:  # type: ignore[no-untyped-def]
    """Move the browser's clock so that the page's server time reads ``at``, and hold it there:
    the test runs it on (``page.clock.run_for``), so a loaded machine cannot carry the page past
    a boundary before it is read."""
    offset = timedelta(milliseconds=page.evaluate("window.lantoaLive.state.offsetMs"))
    page.clock.pause_at(at - offset)


def _ages(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".conference-counters .counter:visible .age").all_inner_texts()


def test_a_conference_nothing_collects_turns_live_and_ended_on_the_page_clock(
    app: Flask,
    live_server: str,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    event = make.event(HOME, title=TITLE, channel="conference", planned_start=START,
                       planned_end=END)  # fmt: skip
    codes = commune_codes(HOME)[:2]
    services.set_bridge_points(event, codes, {c: 40 for c in codes})
    officer = make.user("officer", HOME)
    db.session.commit()
    folder = shots(tmp_path)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.route("**/socket.io/**", lambda route: route.abort())  # no snapshot, no delta
    page.clock.install()
    page.goto(f"{live_server}/events/{event.id}/live")
    page.locator(".conference-counters .counter:visible .age").first.wait_for()
    assert page.title() == f"Sắp diễn ra · {TITLE} · Lan Tỏa"
    assert page.inner_text("#upcoming-banner") == "Chưa bắt đầu: dự kiến 08:30 ngày 03/03/2031"
    assert all(age.startswith("chưa bắt đầu") for age in _ages(page)), _ages(page)

    _pause_server_clock(page, START - timedelta(seconds=3))
    page.clock.run_for(1500)  # the page's once-a-second tick has run: still before the start
    assert page.title().startswith("Sắp diễn ra · ")
    page.clock.run_for(2000)  # past the start: the next tick turns it
    wait_for(lambda: page.title().startswith("Đang diễn ra · "), 15, "live at the start")
    assert _server_now(page) >= START  # not a moment early
    assert page.title() == f"Đang diễn ra · {TITLE} · Lan Tỏa"
    assert page.get_attribute("body", "data-phase") == "live"
    assert not page.locator("#upcoming-banner").is_visible()
    assert not any(age.startswith("chưa bắt đầu") for age in _ages(page)), _ages(page)
    page.screenshot(path=str(folder / "clock-live.png"), full_page=True)

    _pause_server_clock(page, END - timedelta(seconds=2))
    page.clock.run_for(1000)
    assert page.title().startswith("Đang diễn ra · ")
    page.clock.run_for(2000)
    wait_for(lambda: page.title().startswith("Đã kết thúc · "), 15, "ended at the end")
    assert _server_now(page) >= END
    assert page.get_attribute("body", "data-phase") == "ended"
    # It says it ended by its planned end, not by an officer's hand.
    assert page.inner_text("#ended-banner") == (
        "Hội nghị đã kết thúc lúc 03/03/2031 11:30 (theo giờ kết thúc dự kiến)"
    )
    assert seq(page) is None  # no snapshot nor delta came: the page turned by itself
    assert errors == []

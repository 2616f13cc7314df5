"""The projector wall fits the room's screen whatever its board holds: the tour's 39-hall
conference, an alert open for the one hall missing and commune names long enough to take two
lines ("Xã Hữu Khuông 31 / 40") ran its last row of halls off a 1366×768 screen and a 1920×1080
one, where no one scrolls."""

from __future__ import annotations

import pytest

from app.alerts import engine
from tests.app.alerts.test_engine import at, conference, join
from tests.app.live.pages import log_in, seq
from tests.app.live.webserver import wait_for
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

SCREENS = [(1366, 768), (1920, 1080), (1024, 768)]


def _board_bottom(page) -> float:  # type: ignore[no-untyped-def]
    """Where the wall's lowest hall ends."""
    return float(
        page.evaluate(
            "Math.max(...[...document.querySelectorAll('#halls-connected li.hall')]"
            ".map(e => e.getBoundingClientRect().bottom))"
        )
    )


def _count_px(page) -> float:  # type: ignore[no-untyped-def]
    """The type size of the first hall's count, read where it is now: the snapshot redraws the
    board, so an element found before it is detached by the time it is read ('' px)."""
    size = page.evaluate(
        "getComputedStyle(document.querySelector('#halls-connected .hall-count')).fontSize"
    )
    return float(size[:-2])


def test_39_halls_and_an_open_alert_fit_the_projector(
    live_server: str, browser, make: Factory
) -> None:
    event, points, target = conference(make, halls=39)
    for point in points[1:]:
        join(target, point, at(1))
    engine.evaluate(at(10))  # the first hall never joined: its alert is open on the wall
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, make.user("viewer").email)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server}/events/{event.id}/live?wall=1")
        page.locator("#event-alerts li[data-rule=hall_absent]").wait_for()
        page.locator("#halls-connected li.hall").nth(37).wait_for()
        wait_for(lambda: seq(page) is not None, what="the snapshot drawn")  # the board redrawn
        # The wall refits on the animation frame after the board or the screen changes: a
        # fixed pause read the board before the fit when the machine was busy.
        wait_for(lambda h=height: _board_bottom(page) <= h, what=f"the board fits {height} px")
        assert page.evaluate("document.documentElement.scrollHeight") <= height, (width, height)
        # still readable from the back of the room
        assert _count_px(page) >= 20
    assert errors == []

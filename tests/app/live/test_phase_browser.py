"""A livestream going from upcoming to live to ended under its open live page and projector, in
headless Chromium; and its viewers chart on a 390 px screen, whose time labels read whole.

A real web process serves the pages; the test moves the event in the database and publishes the
``status`` delta through Redis, as the collector does. The dates are fixed (not the run's day):
the livestream's target waits for its start, so it is upcoming whatever the clock says.
Screenshots are written to ``LANTOA_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import EngagementSample, EventStatus
from tests.app.live import redis_app
from tests.app.live.pages import log_in, move_event, open_live, open_page_and_wall, shots
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)

PLANNED = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)  # 20:00 on 08/12/2026 in Hà Nội
TITLE = "Livestream giải đáp chính sách BHYT"
HELD = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 20:00 on 24/11/2026: days before any run


def _ages(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.locator(".livestream-counters .counter .age").all_inner_texts())


def _views(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.inner_text('.counter[data-key="views"] > .value'))


def test_the_title_and_notices_follow_the_event_from_upcoming_to_live_to_ended(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    event = make.event(HOME, title=TITLE, planned_start=PLANNED,
                       planned_end=PLANNED + timedelta(hours=2))  # fmt: skip
    target = make.target(event, make.account(), external_id="v1",
                         status="scheduled")  # fmt: skip
    officer = make.user("officer", HOME)
    db.session.commit()
    folder = shots(tmp_path)
    viewport = {"width": 1366, "height": 900}
    pages = open_page_and_wall(browser, web.url, officer.email, event.id, viewport)
    for name, (page, _errors) in pages.items():
        assert page.title() == f"Sắp diễn ra · {TITLE} · Lan Tỏa"
        assert page.inner_text("#upcoming-banner") == "Chưa bắt đầu: dự kiến 20:00 ngày 08/12/2026"
        assert _ages(page) == {"chưa bắt đầu"}, name  # not "no data yet", as a dead stream
        # Views not read before the start: "—" as a number, its age says why (not "chưa có").
        assert _views(page) == "—", name
        page.screenshot(path=str(folder / f"upcoming-{name}.png"), full_page=True)

    move_event(event.id, EventStatus.LIVE, target_id=target.id, target_status="live",
               actual_start=PLANNED)  # fmt: skip
    for name, (page, _errors) in pages.items():
        wait_for(lambda page=page: page.title().startswith("Đang diễn ra · "), what=f"{name} live")
        assert page.title() == f"Đang diễn ra · {TITLE} · Lan Tỏa"
        assert not page.locator("#upcoming-banner").is_visible()
        assert "chưa bắt đầu" not in _ages(page)
        assert _views(page) == "chưa có", name  # live, its views not read yet

    move_event(event.id, EventStatus.ENDED, target_id=target.id, target_status="ended",
               actual_end=PLANNED + timedelta(hours=1))  # fmt: skip
    for name, (page, errors) in pages.items():
        wait_for(lambda page=page: page.title().startswith("Đã kết thúc · "), what=f"{name} end")
        assert page.inner_text("#ended-banner") == "Livestream đã kết thúc lúc 08/12/2026 21:00"
        assert not page.locator("#upcoming-banner").is_visible()
        assert errors == []


def test_the_viewers_chart_labels_its_times_whole_on_a_phone(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """At 390 px, Plotly's own labels ("20:00" over "24/11/2026", tilted on the projector page)
    were cut at the chart's edge; every label now lies inside the chart, the day in it. Figures
    read more than a day ago say when ("at 21:00 on 24/11/2026"), not "300 h ago"."""
    event = make.event(HOME, title=TITLE, status=EventStatus.ENDED, planned_start=HELD,
                       actual_end=HELD + timedelta(hours=1))  # fmt: skip
    target = make.target(event, make.account(), external_id="v2",
                         status="ended")  # fmt: skip
    for i in range(61):
        db.session.add(EngagementSample(target_id=target.id, live_viewers=100 + i * 20,
                                        sampled_at=HELD + timedelta(minutes=i)))  # fmt: skip
    officer = make.user("officer", HOME)
    db.session.commit()
    folder = shots(tmp_path)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, web.url, officer.email)
    for query in ("", "?wall=1"):
        open_live(page, web.url, event.id, query)
        chart = page.locator("#chart-viewers")
        ticks = chart.locator(".xtick text")
        wait_for(lambda ticks=ticks: ticks.count() > 0, what="the viewers chart drawn")
        age = page.inner_text('.counter[data-key="peak_viewers"] .age')
        assert age == "số liệu lúc 21:00 ngày 24/11/2026", age  # ended: its final figures
        box = chart.bounding_box()
        assert box is not None
        page.screenshot(path=str(folder / f"phone-chart{query.replace('?', '-')}.png"))
        for i in range(ticks.count()):
            label = ticks.nth(i)
            tick = label.bounding_box()
            assert tick is not None
            where = (tick["x"], tick["y"], tick["x"] + tick["width"], tick["y"] + tick["height"])
            inside = (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
            for side in (0, 1):  # left and top, then right and bottom
                assert where[side] >= inside[side], (query, where, inside)
                assert where[side + 2] <= inside[side + 2], (query, where, inside)
            assert "24/11" in label.text_content(), query  # the day under each time

"""The live page of a livestream an officer ended while both platforms still said "live", in
headless Chromium against a real web process.

The livestream of 25/11/2026 (20:00–21:00, Hà Nội) was last read at 20:30, 496 watching on
Facebook and 23 on YouTube; its page warns that no new figures came. The officer ends it at
20:40: a page opened then says it ended, shows no one watching and no warning; a page left open
turns so when the last read (Facebook's total views) is published.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.collection.writer import write_batch
from app.events.status import end_by_hand
from app.extensions import db
from app.models import Event, EventStatus, Target
from app.realtime import publish
from collectors.base import Batch, Sample
from tests.app.live import redis_app
from tests.app.live.pages import counter, log_in, open_live, seq
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import Factory

pytestmark = pytest.mark.committing

app = redis_app.app

START = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 20:00 in Hà Nội
READ = START + timedelta(minutes=30)  # the last read before the end
ENDED = START + timedelta(minutes=40)  # the officer's end


def banner(page) -> str:  # type: ignore[no-untyped-def]
    box = page.locator("#live-banner")
    return "" if box.is_hidden() else box.inner_text()


def test_an_officers_end_shows_the_livestream_ended_with_no_one_watching(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    event = make.event(status=EventStatus.LIVE, planned_start=START,
                       planned_end=START + timedelta(hours=1), actual_start=START)  # fmt: skip
    fb = make.target(event, make.account(), status="live", external_id="fb")
    yt = make.target(event, make.account(name="YT"), status="live", kind="youtube_live")
    write_batch(fb, Batch(samples=(Sample(READ, live_viewers=496),), status="live"), READ)
    write_batch(yt, Batch(samples=(Sample(READ, live_viewers=23, views=33),), status="live"), READ)
    db.session.commit()
    officer = make.user("officer")
    open_page = browser.new_page()
    log_in(open_page, web.url, officer.email)
    open_live(open_page, web.url, event.id)
    assert counter(open_page, "live_viewers") == 519
    assert "chưa có số liệu mới" in banner(open_page)  # live, and nothing new for days

    event = db.session.get(Event, event.id)
    event.status = EventStatus.ENDED
    end_by_hand(event, officer, ENDED)
    db.session.commit()
    fresh = browser.new_page()
    log_in(fresh, web.url, officer.email)
    open_live(fresh, web.url, event.id)
    assert counter(fresh, "live_viewers") == 0
    assert banner(fresh) == ""  # an ended event is no silent stream
    assert "Livestream đã kết thúc lúc 25/11/2026 20:40" in fresh.inner_text("#ended-banner")

    # The last read: Facebook's total views, read at the officer's end; the open page follows.
    before = seq(open_page)
    fb = db.session.get(Target, fb.id)
    final = Batch(samples=(Sample(ENDED, views=1700),), status="ended", finished=True,
                  ended_at=ENDED)  # fmt: skip
    change = write_batch(fb, final, ENDED + timedelta(seconds=3))
    db.session.commit()
    publish(event.id, "collected", change)
    wait_for(lambda: seq(open_page) == (before or 0) + 1, what="the delta of the last read")
    assert counter(open_page, "live_viewers") == 0
    assert counter(open_page, "views") == 1733
    assert banner(open_page) == ""
    assert open_page.locator('.counter[data-key="views"] .note').is_hidden()

"""An officer ends a livestream on its edit page while its live page and projector are open, in
headless Chromium, then sets it live again.

A real web process serves the pages and the edit form; the officer saves in a tab of their own.
The save publishes the event's new status: both open pages say at the top, without a reload,
that the livestream ended and which officer marked it so, and drop the "viewers now" figure;
after the reopening the banner goes again. Screenshots go to ``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.formatting import local
from app.models import Event, EventStatus, utcnow
from tests.app.live import redis_app
from tests.app.live.pages import log_in, open_page_and_wall, shots
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)

OFFICER = "Cán bộ tỉnh"  # a display name that says the office itself
TITLE = "Giao lưu trực tuyến: BHXH tự nguyện cho lao động tự do"
URL = "https://www.facebook.com/bhxhnghean/videos/101796580477"


def _save_status(browser, base: str, email: str, event_id: int, status: str) -> str:  # type: ignore[no-untyped-def]
    """The officer's own tab: the edit form saved with ``status``; the flash it answers."""
    page = browser.new_page()
    log_in(page, base, email)
    page.goto(f"{base}/events/{event_id}/edit")
    page.select_option("select[name=status]", status)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    said = page.locator(".flash").first.inner_text()
    page.close()
    return said


def test_an_officers_end_reaches_open_pages_and_a_reopening_too(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    started = utcnow() - timedelta(minutes=40)
    event = make.event(HOME, title="Livestream giới thiệu BHXH tự nguyện", status=EventStatus.LIVE,
                       planned_start=started, planned_end=started + timedelta(hours=2),
                       actual_start=started)  # fmt: skip
    read = utcnow() - timedelta(minutes=3)  # its comments were last read then
    make.target(event, make.account(), external_id="101796580477", status="live",
                title=TITLE, url=URL, last_success_at=read)  # fmt: skip
    officer = make.user("officer", HOME)
    officer.display_name = OFFICER
    db.session.commit()
    folder = shots(tmp_path)
    pages = open_page_and_wall(browser, web.url, officer.email, event.id,
                               {"width": 1280, "height": 900})  # fmt: skip
    for page, _errors in pages.values():
        assert not page.locator("#ended-banner").is_visible()
        assert page.title().startswith("Đang diễn ra · ")

    said = _save_status(browser, web.url, officer.email, event.id, "ended")
    assert "Đã kết thúc sự kiện" in said
    db.session.expire_all()
    ended = db.session.get(Event, event.id)
    assert (ended.status, ended.ended_by_id) == (EventStatus.ENDED, officer.id)
    when = local(ended.actual_end).strftime("%d/%m/%Y %H:%M")
    banner_text = f"Livestream đã kết thúc lúc {when} — {OFFICER} đánh dấu kết thúc"
    for name, (page, errors) in pages.items():
        banner = page.locator("#ended-banner")
        wait_for(banner.is_visible, what=f"the officer's end said on the {name}")
        assert banner.inner_text() == banner_text
        assert page.evaluate("document.body.classList.contains('event-ended')")
        assert page.title().startswith("Đã kết thúc · ")
        assert errors == []
        page.screenshot(path=str(folder / f"officer-ended-{name}.png"), full_page=True)
    # The figures are final: each says when it was read, and no age ticks on or warns.
    page = pages["page"][0]
    ages = page.locator(".counter[data-fresh] .age")
    final = f"số liệu lúc {local(read):%H:%M}"
    wait_for(lambda: final in ages.all_inner_texts(), what="the final figures' time")
    said_ages = ages.all_inner_texts()
    assert all(re.fullmatch(r"số liệu lúc \d\d:\d\d|chưa có số liệu", a) for a in said_ages), (
        said_ages
    )
    assert not any("trước" in a for a in said_ages)
    page.wait_for_timeout(2200)
    assert ages.all_inner_texts() == said_ages  # stopped
    assert page.locator(".counter.stale").count() == 0
    assert page.locator("#live-banner").is_hidden()
    # The collection card names the live as officers know it, linked, with its kind in words.
    head = page.locator("#targets li .target-head")
    assert head.inner_text() == f"{TITLE} · Video trực tiếp Facebook"
    assert head.locator("a").get_attribute("href") == URL
    assert "101796580477" not in page.inner_text("#targets")

    said = _save_status(browser, web.url, officer.email, event.id, "live")
    assert said.startswith("Đã lưu sự kiện. Sự kiện không còn ở trạng thái kết thúc"), said
    for name, (page, errors) in pages.items():
        wait_for(lambda p=page: not p.locator("#ended-banner").is_visible(),
                 what=f"the reopening on the {name}")  # fmt: skip
        assert not page.evaluate("document.body.classList.contains('event-ended')")
        assert page.title().startswith("Đang diễn ra · ")
        assert errors == []


def test_the_live_pages_end_button_ends_it_after_asking_and_the_wall_has_none(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """The organiser watching the live page presses "Kết thúc sự kiện": it asks first, then ends
    the event and comes back to the live page, which says so; the projector shows no button."""
    started = utcnow() - timedelta(minutes=40)
    event = make.event(HOME, title="Hội nghị trực tuyến BHXH tự nguyện", status=EventStatus.LIVE,
                       planned_start=started, planned_end=started + timedelta(hours=2),
                       actual_start=started)  # fmt: skip
    make.target(event, make.account(), external_id="101796580477", status="live",
                title=TITLE, url=URL, last_success_at=utcnow() - timedelta(minutes=1))  # fmt: skip
    officer = make.user("officer", HOME)
    officer.display_name = OFFICER
    db.session.commit()
    pages = open_page_and_wall(browser, web.url, officer.email, event.id,
                               {"width": 1280, "height": 900})  # fmt: skip
    wall = pages["wall"][0]
    assert wall.get_by_text("Kết thúc sự kiện").count() == 0
    page, errors = pages["page"]
    confirm = page.get_by_role("button", name="Có, kết thúc sự kiện")
    assert not confirm.is_visible()  # asked first: one click never ends it
    page.get_by_text("Kết thúc sự kiện", exact=True).click()
    wait_for(confirm.is_visible, what="the confirmation")
    assert "Có thể mở lại sau." in page.inner_text("#end-event")
    with page.expect_navigation():
        confirm.click()
    assert page.url == f"{web.url}/events/{event.id}/live"
    wait_for(lambda: page.locator("#ended-banner").is_visible(), what="the ended banner")
    said = page.locator(".flash").first.inner_text()
    assert said.startswith("Đã kết thúc sự kiện. 1 đối tượng đang theo dõi kết thúc theo"), said
    assert page.title().startswith("Đã kết thúc · ")
    assert page.get_by_text("Mở lại", exact=True).is_visible()  # it can be undone from here
    assert errors == []
    page.screenshot(path=str(shots(tmp_path) / "end-button-live.png"), full_page=True)
    db.session.expire_all()
    ended = db.session.get(Event, event.id)
    assert (ended.status, ended.ended_by_id) == (EventStatus.ENDED, officer.id)

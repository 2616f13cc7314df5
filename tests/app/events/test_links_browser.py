"""Tracking by pasted links in headless Chromium, against a real web process and the sandbox.

An officer pastes one link of each platform (and two that cannot be tracked) on the event page,
reads what the platforms say in Vietnamese — no English, no internal codes —, confirms, and the
runner then collects the targets: the event page shows the live being collected. Screenshots of
both pages are kept under the test's temporary folder (``links-*.png``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner
from app.extensions import db
from app.models import Channel, Target
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.live.pages import log_in
from tests.app.live.webserver import WebProcess
from tests.conftest import Factory, committing_app

# Committing (this module's own app fixture): the separate web process reads the rows.
pytestmark = pytest.mark.committing

# Words of the English interface that must not show on a Vietnamese page.
ENGLISH = re.compile(
    r"\b(Track|Check the links|Start tracking|Live now|Not started yet|Account|Object|Paste|"
    r"short link|does not collect|Facebook live video|YouTube live|Zoom meeting)\b"
)
CODES = re.compile(r"\b(facebook_live|youtube_live|zoom_meeting|teams_meeting|meet_conference|"
                   r"bbb_meeting|short_link|unknown_site|not_live)\b")  # fmt: skip


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    yield from committing_app(database_url, tmp_path / "instance", timeout=2.0)


def assert_vietnamese(text: str) -> None:
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not CODES.search(text), CODES.search(text)


def test_an_officer_pastes_links_confirms_and_they_are_collected(
    app: Flask, web: WebProcess, browser, make: Factory, sandbox: Sandbox, tmp_path: Path
) -> None:
    officer = make.user("officer")
    connect_all(make, sandbox)
    # A channel that may both stream and meet: every kind of link is accepted.
    event = make.event(title="Livestream và hội nghị BHXH tự nguyện", channel=Channel.SMALL_GROUP)
    known = links(sandbox)
    names = ("facebook", "youtube", "zoom_id", "teams", "meet", "bbb")
    pasted = [known[n][0] for n in names] + [
        "https://fb.watch/qR7xYz1AbC/",
        "https://facebook.com.evil.example/bhxh/videos/5566778899001122",
    ]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, web.url, officer.email)
    page.goto(f"{web.url}/events/{event.id}")
    box = page.locator("section.paste-links textarea")
    box.fill("\n".join(pasted))
    with page.expect_navigation():
        page.click("section.paste-links button[type=submit]")

    rows = page.locator("table.links tr.ready")
    assert rows.count() == len(names)
    p, c = sandbox.scenario.params, sandbox.conferences.conference.params
    titles = page.locator("table.links .object-title").all_inner_texts()
    assert titles == [p.title, p.title, c.title, c.title, c.meet_code, c.bbb_meeting_id]
    refused = page.locator("table.links tr.refused [role=alert]").all_inner_texts()
    assert refused[0].startswith("Liên kết rút gọn của Facebook (fb.watch)")
    assert refused[1].startswith("Lan Tỏa không thu thập từ facebook.com.evil.example")
    main = page.inner_text("main")
    assert "Chưa bắt đầu" in main
    assert "Thông tin từ các nền tảng" in main
    assert_vietnamese(main)
    page.screenshot(path=str(tmp_path / "links-confirm.png"), full_page=True)
    assert db.session.scalars(sa.select(Target)).all() == []

    with page.expect_navigation():
        page.click("section.checked-links button.primary")
    assert page.url.endswith(f"/events/{event.id}")
    assert "Đã bắt đầu theo dõi 6 mục." in page.inner_text("main")
    db.session.expire_all()
    targets = list(db.session.scalars(sa.select(Target).order_by(Target.id)))
    assert [(t.kind, t.external_id) for t in targets] == [known[n][1:] for n in names]

    # The live starts; the runner collects the new targets as the scheduler would.
    sandbox.advance(180)

    def clock() -> datetime:
        return sandbox.scenario.datetime_at(sandbox.clock.now())

    results = runner.run_targets([t.id for t in targets[:2]], clock=clock,
                                 publish=lambda *args: None)  # fmt: skip
    assert [r.outcome for r in results] == ["ok", "ok"]
    page.reload()
    main = page.inner_text("main")
    assert "Đang phát trực tiếp: đang thu thập" in main
    viewers = page.locator("dl.facts dt:text-is('Đang xem') + dd").inner_text()
    assert int(re.sub(r"\D", "", viewers)) > 0
    assert_vietnamese(main)
    page.screenshot(path=str(tmp_path / "links-event.png"), full_page=True)
    assert errors == []

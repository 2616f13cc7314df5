"""The conference live page in headless Chromium, with the sandbox playing a Zoom conference.

A real web process serves the page; the test process plays the sandbox through the real runner
(deltas reach the web process through Redis), the halls send their head counts through their
real check-in links, and the organiser assigns the hall names the matcher left unmatched through
the API. At moments in the join window and after it the page must show halls connected and
people present equal to the sandbox's truth; no livestream counters; no "Infinity" or "NaN";
halls not yet connected first on the board, the one with a contact phone callable by the
officer; and the projector mode's board as a large grid. Screenshots (Vietnamese) are written
to ``LANTOA_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from app.auth.tokens import issue_token
from app.collection import runner
from app.extensions import db
from app.halls import services
from app.models import Participant, Platform
from sandbox import ManualClock, Sandbox
from sandbox.conference import Conference
from sandbox.conferences import TARGET_KINDS
from tests.app.collection.conftest import scenario_communes  # noqa: F401 - fixture
from tests.app.live import redis_app
from tests.app.live.pages import counter, log_in, open_live_tab, seq
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import Factory

LINKS_VALID_UNTIL = datetime(2099, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.committing

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)

LIVESTREAM_KEYS = ("live_viewers", "peak_viewers", "views", "reactions.total", "comments")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(clock=ManualClock())
    yield sb
    sb.stop()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("LANTOA_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _font_size(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    script = "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
    return float(page.evaluate(script, selector))


def _board_end(wall) -> float:  # type: ignore[no-untyped-def]
    """Where the hall board ends on the wall, the banner saying the figures are old aside."""
    return float(
        wall.evaluate(
            "document.getElementById('halls-connected').getBoundingClientRect().bottom"
            " - document.getElementById('live-banner').offsetHeight"
        )
    )


def _no_bad_numbers(page) -> None:  # type: ignore[no-untyped-def]
    text = page.inner_text("body")
    assert "Infinity" not in text
    assert "NaN" not in text


def test_conference_page_follows_the_sandbox_truth(
    app: Flask,
    web: WebProcess,
    browser,
    make: Factory,
    sandbox: Sandbox,
    scenario_communes,  # noqa: F811
) -> None:
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0)
    app.extensions.pop("lantoa_http", None)
    conf: Conference = sandbox.conferences.conference
    units = scenario_communes(conf)
    code_of = {u.short_name: u.code for u in units}
    account = make.account("98", platform=Platform.ZOOM, name="Zoom (sandbox)",
                           credentials=sandbox.conference_credentials("zoom"))  # fmt: skip
    event = make.event("98", title="Hội nghị 39 điểm cầu", channel="online_conference")
    target = make.target(event, account, kind=TARGET_KINDS["zoom"],
                         external_id=sandbox.conferences.external_id("zoom"))  # fmt: skip
    expected = {code_of[c]: n for c, n in conf.expected().items()}
    points = services.set_bridge_points(event, "all", expected)
    for point in points:  # the sandbox's conference has a fixed date; the test runs on any day
        point.checkin_expires_at = LINKS_VALID_UNTIL
    db.session.commit()
    links = {p.org_unit.code: p.checkin_token for p in points}
    hall_ids = {p.org_unit.code: p.id for p in points}
    # The hall that connects last has a contact person the organiser can call while it is missing.
    first_join: dict[str, int] = {}
    for x in conf.sessions():
        if x.attendee.commune is not None:
            first_join[x.attendee.commune] = min(x.join, first_join.get(x.attendee.commune, x.join))
    for r in conf.head_counts():
        first_join[r.commune] = min(r.t, first_join.get(r.commune, r.t))
    last_commune = max(first_join, key=lambda c: first_join[c])
    assert first_join[last_commune] > conf.start + 240
    late = next(p for p in points if p.org_unit.code == code_of[last_commune])
    late.contact_name, late.contact_phone = "Anh Hùng", "+84912000111"
    officer = make.user("officer", "98")
    headers = {"Authorization": f"Bearer {issue_token(officer)}"}
    db.session.commit()
    event_id, target_id = event.id, target.id
    commune_of = {(s.name, conf.datetime_at(s.join)): s.attendee.commune for s in conf.sessions()}

    viewport = {"width": 1440, "height": 900}
    page, errors = open_live_tab(browser, web.url, officer.email, event_id, viewport=viewport)
    # Before the first figure: no number is invented; the meeting has not started (its target
    # waits for it), so the freshness says so rather than that figures are missing.
    _no_bad_numbers(page)
    assert page.inner_text('.counter[data-key="halls_connected"] .age') == "chưa bắt đầu"
    for key in LIVESTREAM_KEYS:
        assert page.locator(f'.counter[data-key="{key}"]').count() == 0, key

    sent: set[str] = set()

    def play_to(t: int) -> dict:
        sandbox.clock.set(t)
        for report in conf.head_counts():
            if report.t <= t and report.key not in sent:
                answer = requests.post(
                    f"{web.url}/checkin/{links[code_of[report.commune]]}",
                    json={"idempotency_key": report.key, "head_count": report.count,
                          "sent_at": conf.datetime_at(report.t).isoformat()},
                    timeout=10,
                )  # fmt: skip
                assert answer.status_code == 201, answer.text
                sent.add(report.key)
        (result,) = runner.run_targets([target_id], clock=lambda: conf.datetime_at(t))
        assert result.outcome in ("ok", "skipped"), result.error
        db.session.expire_all()
        # The organiser assigns the names the matcher could not place (as on the halls page).
        for row in db.session.execute(
            sa.select(Participant.id, Participant.display_name, Participant.joined_at).where(
                Participant.target_id == target_id, Participant.bridge_point_id.is_(None)
            )
        ):
            commune = commune_of[(row.display_name, row.joined_at)]
            if commune is None:
                continue  # not a hall ("Hội trường tỉnh", a phone)
            answer = requests.post(
                f"{web.url}/api/v1/events/{event_id}/participants/{row.id}/assign",
                json={"bridge_point_id": hall_ids[code_of[commune]]},
                headers=headers, timeout=10,
            )  # fmt: skip
            assert answer.status_code == 200, answer.text
        return sandbox.conferences.truth(t)

    def page_equals(truth: dict) -> bool:
        return (counter(page, "halls_connected"), counter(page, "halls_reported"),
                counter(page, "people_present")) == (
            truth["halls_connected"], truth["halls_reported"], truth["people_present"],
        )  # fmt: skip

    # In the join window: some halls connected, the others first on the board.
    truth = play_to(conf.start + 240)
    assert 0 < truth["halls_connected"] < truth["halls_expected"]
    wait_for(lambda: page_equals(truth), what="halls connected and people present = truth")
    assert page.inner_text('.counter[data-key="halls_connected"] small') == " / 39"
    statuses = page.eval_on_selector_all(  # not on the meeting, whether reported or not
        "#hall-board li.hall",
        "els => els.map(e => ['not_connected', 'reported_only']"
        ".some(c => e.classList.contains(c)))",
    )
    missing = truth["halls_expected"] - truth["halls_connected"]
    assert statuses == [True] * missing + [False] * truth["halls_connected"]
    assert page.locator("#halls-missing li.hall").count() == missing
    call = page.locator(f'#halls-missing li.hall[data-commune="{late.org_unit.code}"] a.hall-phone')
    assert call.get_attribute("href") == "tel:0912000111"
    assert call.inner_text() == "0912 000 111"  # shown grouped, dialled plain
    assert "Anh Hùng" in page.inner_text(f'#halls-missing li[data-commune="{late.org_unit.code}"]')
    connected_text = page.inner_text("#halls-connected")
    assert "đã kết nối" in connected_text
    waiting = page.eval_on_selector_all(
        "#halls-connected li.hall.connected", "els => els.map(e => e.innerText)"
    )
    assert waiting, "no hall connected without a head count"
    for text in waiting:
        assert text.lower().count("chưa báo số người") == 1, text  # said once, not twice
    assert "đã kết nối 0 phút" not in connected_text  # a hall just in says nothing of minutes
    assert page.locator("#halls-connected a.hall-phone").count() == 0  # only the late one has one
    points_before = page.evaluate("document.getElementById('chart-people').data[0].x.length")
    _no_bad_numbers(page)
    _shot(page, "conference-live-vi")

    # Later: the charts grew in place, their last point the totals; the board moved with them.
    truth = play_to(conf.start + 900)
    wait_for(lambda: page_equals(truth), what="totals after the join window")
    missing_now = truth["halls_expected"] - truth["halls_connected"]
    assert missing_now < missing
    wait_for(
        lambda: page.locator("#halls-missing li.hall").count() == missing_now, what="board moved"
    )
    people = page.evaluate("document.getElementById('chart-people').data[0].y")
    halls = page.evaluate("document.getElementById('chart-halls').data[0].y")
    assert len(people) > points_before
    assert (halls[-1], people[-1]) == (truth["halls_connected"], truth["people_present"])
    for key in LIVESTREAM_KEYS:
        assert page.locator(f'.counter[data-key="{key}"]').count() == 0, key
    _no_bad_numbers(page)
    assert errors == []

    # Projector mode: the board as a grid readable from the back, and the totals.
    wall = browser.new_page(viewport={"width": 1920, "height": 1080})
    log_in(wall, web.url, officer.email)
    wall.goto(f"{web.url}/events/{event_id}/live?wall=1")
    wait_for(lambda: seq(wall) is not None, what="wall snapshot")
    assert (counter(wall, "halls_connected"), counter(wall, "people_present")) == (
        truth["halls_connected"], truth["people_present"],
    )  # fmt: skip
    columns = wall.evaluate(
        "getComputedStyle(document.getElementById('halls-connected'))"
        ".gridTemplateColumns.split(' ').length"
    )
    assert columns >= 5
    name_size = _font_size(wall, "#halls-connected .hall-name")
    count_size = _font_size(wall, "#halls-connected .hall-count")
    # a step under 1.5rem at 16 px: the banner saying the figures are old now fits the screen too
    assert name_size >= 23
    assert count_size >= 36
    assert wall.locator("#chart-viewers").count() == 0
    assert wall.locator("header.top").is_hidden()
    _shot(wall, "conference-wall-vi")
    # The 39 halls and the totals on one screen, no scrolling in front of the room (the banner
    # saying the figures are old, shown here because the sandbox's evening is days past, aside).
    # the wall refits on the animation frame after the board or the screen changes: wait for it
    wait_for(lambda: _board_end(wall) <= 1080, what="board fits 1080 px")
    _no_bad_numbers(wall)
    _shot(wall, "conference-wall-vi")
    # A commune hall's 1366×768 projector: the wall's type follows the screen, all still fits.
    wall.set_viewport_size({"width": 1366, "height": 768})
    wait_for(lambda: _board_end(wall) <= 768, what="board fits 768 px")
    assert _font_size(wall, "#halls-connected .hall-count") >= 24

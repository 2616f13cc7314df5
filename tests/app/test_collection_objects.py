"""Objects as /collection and the event page show them: a meeting's state in meeting words, and an
old ended object by its title and link even when no read ever brought them."""

from __future__ import annotations

import html as entities
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.events.status import status_words
from app.extensions import db
from app.live.words import script_words
from app.models import Channel, EventStatus, Platform
from app.status import words
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

LIVESTREAM_LIVE = "Đang phát trực tiếp: đang thu thập"
MEETING_LIVE = "Cuộc họp đang diễn ra: đang thu thập"
MEETINGS = (("zoom_meeting", Platform.ZOOM, "85012345678"),
            ("teams_meeting", Platform.TEAMS, "19:meeting_abc@thread.v2"),
            ("meet_conference", Platform.MEET, "bhx-hnge-anq"),
            ("bbb_meeting", Platform.BBB, "bhxh-hoinghi"))  # fmt: skip


def _rows(page: str, table: str) -> list[str]:
    """The rows of one table of the page, as text (tags and the technical folds removed)."""
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    folded = [re.sub(r'<details class="technical">.*?</details>', "", r, flags=re.S) for r in rows]
    return [" ".join(entities.unescape(re.sub(r"<[^>]+>", " ", r)).split()) for r in folded]


def test_a_meeting_under_way_says_so_in_meeting_words(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event = make.event(HOME, title="Hội nghị trực tuyến 39 điểm cầu",
                       channel=Channel.ONLINE_CONFERENCE)  # fmt: skip
    for kind, platform, ident in MEETINGS:
        account = make.account(HOME, name=f"Tài khoản {kind}", platform=platform)
        make.target(event, account, kind=kind, external_id=ident, status="live",
                    title=f"Họp {kind}")  # fmt: skip
    stream = make.event(HOME, title="Livestream tư vấn")
    youtube = make.account(HOME, name="Kênh YouTube", platform=Platform.YOUTUBE)
    make.target(stream, youtube, kind="youtube_live", external_id="dQw4w9WgXcQ", status="live",
                title="Tư vấn BHXH tự nguyện")  # fmt: skip
    logged_in("viewer")
    rows = _rows(client.get("/collection").get_data(as_text=True), "collection-targets")
    for kind, _, _ in MEETINGS:
        (row,) = [r for r in rows if f"Họp {kind}" in r]
        assert MEETING_LIVE in row, row
        assert LIVESTREAM_LIVE not in row, row
    (row,) = [r for r in rows if "Tư vấn BHXH tự nguyện" in r]
    assert LIVESTREAM_LIVE in row
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert page.count(MEETING_LIVE) == len(MEETINGS)
    assert LIVESTREAM_LIVE not in page
    assert LIVESTREAM_LIVE in client.get(f"/events/{stream.id}").get_data(as_text=True)


def test_an_event_waiting_for_its_meeting_is_not_said_to_wait_for_a_broadcast(
    app: Flask, client: FlaskClient, make: Factory, logged_in
) -> None:
    """Under way by its schedule, its object not started: a meeting has not started, a live is
    not broadcast yet; the words of a meeting's state on the links page too."""
    start, end = datetime(2026, 12, 3, 1, 0, tzinfo=UTC), datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
    during = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)
    planned = {"status": EventStatus.SCHEDULED, "planned_start": start, "planned_end": end}
    meeting = make.event(HOME, title="Hội nghị", channel=Channel.ONLINE_CONFERENCE, **planned)
    zoom = make.account(HOME, name="Zoom", platform=Platform.ZOOM)
    make.target(meeting, zoom, kind="zoom_meeting", external_id="85012345678", status="scheduled")
    stream = make.event(HOME, title="Livestream", **planned)
    youtube = make.account(HOME, name="YouTube", platform=Platform.YOUTUBE)
    make.target(stream, youtube, kind="youtube_live", external_id="dQw4w9WgXcQ",
                status="scheduled")  # fmt: skip
    logged_in("viewer")
    rows = _rows(client.get("/collection").get_data(as_text=True), "collection-targets")
    assert [r for r in rows if "Cuộc họp Zoom" in r and "Đang chờ cuộc họp bắt đầu" in r]
    assert [r for r in rows if "Phát trực tiếp YouTube" in r and "Đang chờ buổi phát" in r]
    with app.test_request_context():
        said = script_words()  # the live page's script words each state as the server does
        assert said["live_meeting"] == MEETING_LIVE
        assert said["live"] == LIVESTREAM_LIVE
        assert said["waiting_meeting"] == "Đang chờ cuộc họp bắt đầu"
        assert set(said["meeting_kinds"]) == {kind for kind, _, _ in MEETINGS}
        assert status_words(meeting, during).endswith("— cuộc họp chưa bắt đầu")
        assert status_words(stream, during).endswith("— nền tảng chưa phát")
        assert words.object_status("live", "meet_conference") == "Đang họp"
        assert words.object_status("live", "youtube_live") == "Đang diễn ra"


def test_old_ended_objects_show_a_title_and_their_link(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    """Objects tracked before titles and links were kept, read to their end: named by their
    event, linked where their platform has an address for them; never blank, None or a code."""
    at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị tháng 11", channel=Channel.ONLINE_CONFERENCE)
    links = {
        "zoom_meeting": "https://zoom.us/j/85012345678",
        "meet_conference": "https://meet.google.com/bhx-hnge-anq",
        "bbb_meeting": None,  # opens only through a signed join link
    }
    for kind, platform, ident in MEETINGS:
        if kind in links:
            account = make.account(HOME, name=f"Tài khoản {kind}", platform=platform)
            make.target(event, account, kind=kind, external_id=ident, status="ended",
                        finished_at=at, last_success_at=at)  # fmt: skip
    stream = make.event(HOME, title="Livestream tháng 10")
    youtube = make.account(HOME, name="Kênh YouTube", platform=Platform.YOUTUBE)
    make.target(stream, youtube, kind="youtube_live", external_id="dQw4w9WgXcQ", status="ended",
                finished_at=at, last_success_at=at)  # fmt: skip
    strange = make.target(stream, youtube, kind="youtube_short", external_id="x", status="ended",
                          finished_at=at)  # fmt: skip
    db.session.commit()
    logged_in("viewer")
    page = client.get("/collection").get_data(as_text=True)
    rows = _rows(page, "collection-targets")
    assert len(rows) == 5
    for row in rows:
        assert "None" not in row
        assert "youtube_short" not in row
    assert sum(r.startswith("Hội nghị tháng 11 ") for r in rows) == 3
    assert sum(r.startswith("Livestream tháng 10 ") for r in rows) == 2
    for kind, url in links.items():
        anchor = f'href="{url}" target="_blank"'
        assert (anchor in page) is (url is not None), kind
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" target="_blank"' in page
    titles = re.findall(r'class="object-title"[^>]*>([^<]*)<', page)
    assert titles
    assert all(t.strip() for t in titles)
    with client.application.test_request_context():
        assert words.kind_label(strange.kind) == "YouTube"  # its platform, at least
        assert words.kind_label("other_thing") == "Đối tượng chưa rõ tên"

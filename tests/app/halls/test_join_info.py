"""The check-in page and the printed cards say when the conference starts and how a hall joins
it: the meeting's link and, for Zoom, its meeting ID; never anything of the account reading it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.halls import services
from app.halls.joining import meeting_of, spaced
from app.models import Platform
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres
START = datetime(2026, 12, 10, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội


def test_meeting_ids_as_people_read_them() -> None:
    assert spaced("85012345678") == "850 1234 5678"
    assert spaced("1234567890") == "123 456 7890"
    zoom = meeting_of("zoom_meeting", "85012345678")
    assert zoom is not None
    assert zoom.link == "https://zoom.us/j/85012345678"
    meet = meeting_of("meet_conference", "abc-defg-hij")
    assert meet is not None
    assert meet.link == "https://meet.google.com/abc-defg-hij"
    assert meeting_of("zoom_meeting", "not-a-number") is None
    assert meeting_of("bbb_meeting", "room-1") is None  # its join link needs a password


def conference(make: Factory, channel: str = "online_conference"):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị tập huấn", channel=channel, planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(n=1), {})
    db.session.commit()
    account = make.account(HOME, platform=Platform.ZOOM, name="Zoom của Nguyễn Văn An")
    make.target(event, account, kind="zoom_meeting", external_id="85012345678")
    return event, point


def test_the_checkin_page_says_when_and_how_to_join(client, make: Factory) -> None:
    _event, point = conference(make)
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert "10/12/2026 08:30" in html
    assert 'href="https://zoom.us/j/85012345678"' in html
    assert "ID cuộc họp: 850 1234 5678" in html
    assert "Nguyễn Văn An" not in html  # the account reading the meeting is nobody's business


def test_every_printed_card_says_it_too(client, make: Factory, organiser) -> None:
    event, _point = conference(make)
    html = client.get(f"/events/{event.id}/bridge-points/print").get_data(as_text=True)
    card = html[html.index('class="card"') :]
    assert "10/12/2026 08:30" in card
    assert "https://zoom.us/j/85012345678" in card
    assert "850 1234 5678" in card
    assert "Nguyễn Văn An" not in html


def test_in_person_there_is_no_meeting_to_join(client, make: Factory) -> None:
    _event, point = conference(make, channel="conference")
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert "10/12/2026 08:30" in html
    assert "zoom.us" not in html

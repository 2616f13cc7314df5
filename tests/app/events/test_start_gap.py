"""A livestream its platform started 5 minutes or more off its planned start says so, in
Vietnamese and Vietnam time, on the event page, at the top of the live page and of its projector
view, and on a commune's part of the province's livestream (its people watched it). An online
conference whose meeting started 5 minutes or more late says so in the same places (its halls'
communes see their part); early, never: hosts open their meetings early.

Times are written as the page writes them (HH:MM; dd/mm/yyyy HH:MM when the two fall on
different days in Vietnam), and the gap is the difference of the two times shown.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.identity.text import fold
from app.models import Attendance, Channel, EventStatus, Person, Platform
from tests.app.events.provincial import communes
from tests.conftest import Factory, login

pytestmark = pytest.mark.postgres  # the times as each database hands them back


def vn(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock time in Vietnam on ``day``/11/2026, as an aware UTC time."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=7)


def gap_text(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.findall(r'class="start-gap">([^<]*)<', page)
    return found[0] if found else ""


@pytest.fixture
def livestream(make: Factory, logged_in):  # type: ignore[no-untyped-def]
    logged_in("officer")

    def made(planned: datetime, actual: datetime | None, *, target: bool = True,
             channel: Channel = Channel.LIVESTREAM):  # fmt: skip
        event = make.event(channel=channel, status=EventStatus.ENDED, planned_start=planned,
                           planned_end=planned + timedelta(hours=1), actual_start=actual,
                           actual_end=planned + timedelta(hours=1))  # fmt: skip
        if target:
            make.target(event, make.account())
        db.session.commit()
        return event.id

    return made


@pytest.mark.parametrize(
    ("planned", "actual", "said"),
    [
        (
            vn(20, 8),
            vn(20, 8, 12),
            "Nền tảng bắt đầu phát lúc 08:12, muộn 12 phút so với kế hoạch (08:00)",
        ),  # fmt: skip
        (
            vn(20, 20),
            vn(20, 19, 55),
            "Nền tảng bắt đầu phát lúc 19:55, sớm 5 phút so với kế hoạch (20:00)",
        ),  # fmt: skip
        (
            vn(20, 8),
            vn(20, 9, 15, 40),
            "Nền tảng bắt đầu phát lúc 09:15, muộn 1 giờ 15 phút so với kế hoạch (08:00)",
        ),  # fmt: skip
        # Midnight in Vietnam between them (the same UTC day): both carry their day.
        (
            vn(21, 0, 5),
            vn(20, 23, 50),
            "Nền tảng bắt đầu phát lúc 20/11/2026 23:50, sớm 15 "
            "phút so với kế hoạch (21/11/2026 00:05)",
        ),  # fmt: skip
        (
            vn(20, 8),
            vn(21, 8, 30),
            "Nền tảng bắt đầu phát lúc 21/11/2026 08:30, muộn 1 ngày "
            "30 phút so với kế hoạch (20/11/2026 08:00)",
        ),  # fmt: skip
        (vn(20, 8), vn(20, 8, 4, 59), ""),  # 08:04 shown: 4 minutes, no news
        (vn(20, 8), vn(20, 7, 56), ""),
        (vn(20, 8), None, ""),
    ],
)
def test_the_event_page_and_the_live_page_say_the_platforms_start(
    client: FlaskClient, livestream, planned: datetime, actual: datetime | None, said: str
) -> None:
    event_id = livestream(planned, actual)
    assert gap_text(client, f"/events/{event_id}") == said
    assert gap_text(client, f"/events/{event_id}/live") == said
    assert gap_text(client, f"/events/{event_id}/live?wall=1") == said  # the projector


def test_not_said_without_a_platform_nor_for_other_channels(
    client: FlaskClient, livestream
) -> None:
    typed = livestream(vn(20, 8), vn(20, 8, 30), target=False)  # typed in: no platform's start
    assert gap_text(client, f"/events/{typed}") == ""
    for channel in (Channel.POST, Channel.CONFERENCE, Channel.SMALL_GROUP):
        other = livestream(vn(20, 8), vn(20, 8, 30), channel=channel)
        assert gap_text(client, f"/events/{other}") == "", channel
    typed = livestream(vn(20, 8), vn(20, 8, 30), target=False, channel=Channel.ONLINE_CONFERENCE)
    assert gap_text(client, f"/events/{typed}") == ""  # halls and check-ins alone: no meeting's
    shown = livestream(vn(20, 8), vn(20, 8, 30))
    assert gap_text(client, f"/events/{shown}").startswith("Nền tảng bắt đầu phát lúc 08:30")


def test_a_commune_s_part_says_what_the_province_s_page_says(
    client: FlaskClient, livestream, make: Factory
) -> None:
    """A person of the commune watched the province's livestream (a comment lead placed there):
    the commune sees the event in part, with the same sentence, and nothing when on time."""
    late, on_time = livestream(vn(20, 8), vn(20, 8, 12)), livestream(vn(20, 9), vn(20, 9, 2))
    province = gap_text(client, f"/events/{late}")
    mine = communes(1)[0]
    person = Person(full_name="Lê Văn Hùng", name_folded=fold("Lê Văn Hùng"), commune_id=mine.id)
    db.session.add(person)
    db.session.flush()
    for event_id in (late, on_time):
        db.session.add(Attendance(person_id=person.id, event_id=event_id, source="comment",
                                  touched_at=vn(20, 8, 20)))  # fmt: skip
    db.session.commit()
    commune = client.application.test_client()
    login(commune, make.user("viewer", mine.code).email)
    part = commune.get(f"/events/{late}").get_data(as_text=True)
    assert "Lê Văn Hùng" in part  # the part page, not the whole event's
    assert province == "Nền tảng bắt đầu phát lúc 08:12, muộn 12 phút so với kế hoạch (08:00)"
    assert gap_text(commune, f"/events/{late}") == province
    assert gap_text(commune, f"/events/{on_time}") == ""


@pytest.fixture
def conference(make: Factory, logged_in):  # type: ignore[no-untyped-def]
    """An online conference followed by its Zoom meeting, one commune's hall in it."""
    logged_in("officer")

    def made(planned: datetime, actual: datetime | None) -> int:
        end = planned + timedelta(hours=2)
        event = make.event(title=f"Hội nghị trực tuyến {planned:%H%M}",
                           channel=Channel.ONLINE_CONFERENCE, status=EventStatus.ENDED,
                           planned_start=planned, planned_end=end, actual_start=actual,
                           actual_end=end)  # fmt: skip
        zoom = make.account(platform=Platform.ZOOM, name=f"Zoom {event.id}")
        make.target(event, zoom, kind="zoom_meeting", external_id=f"8500{event.id}")
        mine = communes(1)[0]
        services.set_bridge_points(event, [mine.code], {mine.code: 40}, now=planned)
        db.session.commit()
        return event.id

    return made


@pytest.mark.parametrize(
    ("planned", "actual", "said"),
    [
        (vn(20, 8), vn(20, 8, 12),
         "Cuộc họp bắt đầu lúc 08:12, muộn 12 phút so với kế hoạch (08:00)"),
        (vn(20, 8), vn(20, 9, 5),
         "Cuộc họp bắt đầu lúc 09:05, muộn 1 giờ 5 phút so với kế hoạch (08:00)"),
        (vn(21, 0, 5), vn(21, 0, 10),
         "Cuộc họp bắt đầu lúc 00:10, muộn 5 phút so với kế hoạch (00:05)"),
        (vn(20, 8), vn(20, 8, 4), ""),  # 4 minutes: no news
        (vn(20, 8), vn(20, 7, 30), ""),  # opened early for the halls: never said
        (vn(20, 8), None, ""),
    ],
)  # fmt: skip
def test_a_conference_s_meeting_started_late_is_said_where_a_livestream_s_start_is(
    client: FlaskClient,
    conference,
    make: Factory,
    planned: datetime,
    actual: datetime | None,
    said: str,
) -> None:
    event_id = conference(planned, actual)
    assert gap_text(client, f"/events/{event_id}") == said
    assert gap_text(client, f"/events/{event_id}/live") == said
    assert gap_text(client, f"/events/{event_id}/live?wall=1") == said  # the projector
    commune = client.application.test_client()
    login(commune, make.user("viewer", communes(1)[0].code).email)
    part = commune.get(f"/events/{event_id}").get_data(as_text=True)
    assert 'id="own-halls"' in part  # the commune's part of it, not the whole event
    assert gap_text(commune, f"/events/{event_id}") == said

"""A commune officer's part of the province's events (tests/app/events/provincial.py).

They see a provincial event where their commune is a hall or has attendees: the event, their
hall's state and check-in link, their attendees — never another commune's hall, contact or
attendees (and on the follow-up list their own people alone), and nothing of the whole event
(organiser pages, API); its live page opens in part to a commune with a hall there
(tests/app/live/test_watched.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import services
from app.halls.links import revoke
from app.models import Event, User, utcnow
from app.scoping import get_event_view, participating_events, visible_events
from tests.app.events.provincial import (
    SECRET,
    START,
    Provincial,
    hall,
    provincial,
    stop_clock,
    with_meeting,
)
from tests.conftest import HOME, OTHER, Factory, login


@pytest.fixture
def world(app, make: Factory, monkeypatch: pytest.MonkeyPatch) -> Provincial:
    stop_clock(monkeypatch)
    return provincial(make)


def officer_of(make: Factory, code: str, role: str = "officer") -> User:
    return make.user(role, code)


def test_participation_is_decided_in_scoping(world: Provincial, make: Factory) -> None:
    mine = officer_of(make, world.mine)
    theirs = officer_of(make, world.theirs)
    province = make.user("viewer", HOME)
    stranger = make.user("viewer", OTHER)
    ids = lambda user: set(db.session.scalars(participating_events(user)))  # noqa: E731
    assert ids(mine) == {world.conference, world.in_person}  # a hall; attendees
    assert ids(theirs) == {world.conference, world.in_person, world.not_mine}
    assert ids(province) == set()  # the province sees them whole, not through participation
    assert ids(stranger) == set()
    view = get_event_view(world.conference, mine)
    assert (view.event.id, view.whole) == (world.conference, False)
    assert get_event_view(world.conference, province).whole is True
    seen = set(db.session.scalars(visible_events(db.select(Event.id), mine)))
    assert world.not_mine not in seen
    assert {world.conference, world.in_person} <= seen


def test_commune_officer_sees_their_hall_and_attendees_only(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, officer_of(make, world.mine).email)
    response = client.get(f"/events/{world.conference}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hội nghị trực tuyến triển khai BHXH tự nguyện" in html
    assert f'data-hall="{world.mine}"' in html
    assert f'data-hall="{world.theirs}"' not in html
    assert 'data-key="head_count">38<' in html
    assert 'data-key="expected">45<' in html
    assert "Nguyễn Thị Lan" in html  # their attendee
    assert f"/checkin/{world.my_token}" in html  # their hall's link, and its QR code
    assert "<svg" in html
    assert world.their_token not in html
    assert SECRET not in html  # the other commune's attendee and contact
    assert hall(world.their_hall).org_unit.name not in html
    assert "25/11/2026 08:00" in html  # Vietnam time, dd/mm/yyyy
    assert "Đơn vị bạn tham gia" in html
    # Nothing of the whole event: no totals of every hall, no targets, no organiser buttons.
    assert "hall-board" not in html
    assert f"/events/{world.conference}/bridge-points" not in html
    assert f'href="/events/{world.conference}/live"' in html  # watched in part: a hall there


def test_attendees_alone_make_a_commune_take_part(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, officer_of(make, world.mine, "viewer").email)
    html = client.get(f"/events/{world.in_person}").get_data(as_text=True)
    assert "Lê Văn Hùng" in html
    assert "Xóm 3" in html
    assert SECRET not in html
    assert "Đơn vị bạn không có điểm cầu trong sự kiện này." in html
    assert client.get(f"/events/{world.not_mine}").status_code == 404


def test_viewers_see_the_hall_but_not_its_link(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, officer_of(make, world.mine, "viewer").email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert 'data-key="head_count">38<' in html
    assert world.my_token not in html
    assert "Liên kết điểm danh chỉ hiển thị với cán bộ." in html


def test_a_revoked_link_is_not_shown(client: FlaskClient, world: Provincial, make: Factory) -> None:
    revoke(hall(world.my_hall), START + timedelta(hours=1))
    db.session.commit()
    login(client, officer_of(make, world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert world.my_token not in html
    assert "không còn dùng được" in html


def test_the_event_list_shows_the_events_they_take_part_in(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, officer_of(make, world.mine).email)
    html = client.get("/events").get_data(as_text=True)
    assert f"/events/{world.conference}" in html
    assert f"/events/{world.in_person}" in html
    assert f"/events/{world.not_mine}" not in html
    assert html.count("Đơn vị bạn tham gia") == 2


def test_the_whole_event_stays_out_of_reach(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    user = officer_of(make, world.mine)
    login(client, user.email)
    event = world.conference
    # The follow-up list and the live page open in part (tests/app/followup/test_call_scope.py,
    # tests/app/live/test_watched.py), and the import of their own hall's sheet
    # (tests/app/attendance/test_hall_import.py).
    for path in (f"/events/{event}/bridge-points",
                 f"/events/{event}/bridge-points/print", f"/events/{event}/participants/unmatched",
                 f"/events/{event}/edit"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for tail in ("", "/summary", "/targets", "/bridge-points", "/participants", "/conversion"):
        assert client.get(f"/api/v1/events/{event}{tail}", headers=headers).status_code == 404


def test_the_commune_sees_its_unusual_count_marked(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    """A count far above the hall's expected one (``app.halls.unusual``) is marked where the
    commune reads its own hall, its part of the event and its home screen, in the live page's
    words (``unsure_words``)."""
    mark = "(chưa chắc: dự kiến 45)"
    login(client, officer_of(make, world.mine).email)
    assert mark not in client.get(f"/events/{world.conference}").get_data(as_text=True)
    services.record_report(hall(world.my_hall), "typo-0001", 4500, [], utcnow())
    db.session.commit()
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert 'data-key="head_count">4.500 <span class="unusual-count">' + mark in html
    home = client.get("/").get_data(as_text=True)
    assert '4.500 người <span class="unusual-count">' + mark in home


def test_without_a_meeting_the_hall_shows_its_head_count_alone(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    """The conference is followed by check-in alone (``app.halls.meeting.tracks_meeting``): its
    hall is in once it sent its head count, as the halls board says; no connection is shown."""
    login(client, officer_of(make, world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert '<span class="status hall-reported_only">Đã báo số người</span>' in html
    assert 'data-key="head_count">38<' in html
    for connection in ("Vào lần đầu", "Số phút kết nối", "kết nối", "first_join"):
        assert connection not in html


def test_with_a_meeting_the_hall_shows_its_connection(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    """With its Zoom meeting followed, the hall's first join and minutes in it are shown."""
    with_meeting(make, world)
    login(client, officer_of(make, world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert '<span class="status hall-connected_reported">Đã kết nối, đã báo số người</span>' in html
    assert '<dt>Vào lần đầu</dt><dd data-key="first_join">25/11/2026 08:05</dd>' in html
    assert '<dt>Số phút kết nối</dt><dd data-key="minutes_connected">25</dd>' in html

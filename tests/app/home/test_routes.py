"""The home screen at ``/``, in Vietnamese: dd/mm/yyyy, 1.700, Vietnam time, every item linked.

The page's clock is stopped at the conftest's moment (``stop_clock``), so "today" is 25/11/2026.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.collection.targets import add_target
from app.extensions import db
from tests.app.events.provincial import provincial, stop_clock
from tests.app.home.conftest import NOW, Day
from tests.conftest import HOME, Factory, login

# What the page must never show: English words of its own, internal codes, broken numbers.
NOT_SHOWN = ("Under way", "Today", "Collection alerts", "Running campaigns", "None", "Infinity",
             "NaN", "facebook_live", "zalo_article", "online_conference", "auth_expired",
             "live-1", "bai-1", "scheduled")  # fmt: skip


@pytest.fixture
def page(client: FlaskClient, make: Factory, day: Day, monkeypatch: pytest.MonkeyPatch) -> str:
    stop_clock(monkeypatch, NOW)
    login(client, make.user("officer", HOME).email)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def visible(html: str) -> str:
    """The text a person reads: no tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert match, name
    return match.group(1)


def test_the_home_screen_in_vietnamese(page: str, day: Day) -> None:
    assert "Hôm nay, 25/11/2026" in page
    text = visible(page)
    for word in NOT_SHOWN:
        assert word not in text, word
    now = section(page, "under-way")
    assert re.search(r'data-key="live_viewers"><dt title="[^"]+">Đang xem</dt><dd>1.234<', now)
    assert re.search(r'data-key="views"><dt title="[^"]+">Lượt xem</dt><dd>5.678<', now)
    assert re.search(r'data-key="halls"><dt title="[^"]+">Điểm cầu đã kết nối</dt><dd>0/3<', now)
    assert re.search(
        r'data-key="halls_reported"><dt title="[^"]+">Điểm cầu đã báo số người</dt><dd>1/3<', now
    )
    # The halls' head counts, named or not (the event page's named attendees are another count).
    people = 'data-key="people"><dt title="Mọi người có mặt tại các điểm cầu, có tên hay không'
    assert people in now
    assert re.search(r'data-key="people"><dt title="[^"]+">Số người có mặt</dt><dd>40/105<', now)
    assert f'href="/events/{day.livestream}/live"' in now
    assert "25/11/2026 09:00" in now  # the livestream's start, Vietnam time
    missing = section(page, "halls-missing")
    assert "3/3 điểm cầu chưa kết nối" in missing
    assert 'title="Đã báo số người, chưa kết nối vào cuộc họp"' in missing
    assert f'href="/events/{day.conference}/bridge-points"' in missing


def test_each_item_links_to_its_page(page: str, day: Day) -> None:
    today = section(page, "today")
    assert f'href="/events/{day.tonight}"' in today
    assert "25/11/2026 23:30" in today
    upcoming = section(page, "upcoming")
    assert f'href="/events/{day.tomorrow}"' in upcoming
    assert f'href="/events/{day.in_nine_days}"' not in upcoming
    campaigns = section(page, "campaigns")
    assert f'href="/reports/campaigns/{day.campaign}"' in campaigns
    assert "1.700" in campaigns
    assert "01/10/2026 – 31/12/2026" in campaigns
    assert "còn 36 ngày" in campaigns
    assert f"/reports/campaigns/{day.ended_campaign}" not in page
    alerts = section(page, "alerts")
    assert "Mã truy cập đã hết hạn" in alerts  # the failing account
    assert "28/11/2026 10:00" in alerts  # when the token runs out, Vietnam time
    assert "Tạm dừng: mã truy cập của tài khoản đã hết hạn" in alerts  # the paused target
    assert f'href="/events/{day.livestream}"' in alerts
    assert 'href="/collection"' in alerts


def test_english_keeps_the_same_dates(
    client: FlaskClient, make: Factory, day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, NOW)
    login(client, make.user("viewer", HOME).email)
    client.get("/", headers={"Accept-Language": "en"})
    from tests.conftest import csrf_token

    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    html = client.get("/").get_data(as_text=True)
    assert "Today, 25/11/2026" in html
    assert "1,234" in html


def test_log_in_lands_on_the_home_screen(client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer", HOME)
    from tests.conftest import PASSWORD, csrf_token

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.location == "/"
    assert client.get("/login").location == "/"


def test_a_commune_officers_home_shows_their_hall_of_the_provincial_conference(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)
    login(client, make.user("officer", world.mine).email)
    html = client.get("/").get_data(as_text=True)
    now = section(html, "under-way")
    assert f'href="/events/{world.conference}"' in now
    assert f'data-hall="{world.mine}"' in now
    assert "38 người" in now
    assert "Đơn vị bạn tham gia" in now
    assert f'data-hall="{world.theirs}"' not in html
    # Its live page opens in part to a commune with a hall there (app.scoping.get_watched_event).
    assert f'href="/events/{world.conference}/live"' in now
    assert client.get(f"/events/{world.conference}/live").status_code == 200
    assert "Bí Mật" not in html


def test_a_conference_on_zoom_shows_no_livestream_counters(
    client: FlaskClient, make: Factory, day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its Zoom meeting is collected, but a meeting has no viewers: halls and people only."""
    add_target(day.conference, "zoom_meeting", "85796330752")
    db.session.commit()
    stop_clock(monkeypatch, NOW)
    login(client, make.user("officer", HOME).email)
    now = section(client.get("/").get_data(as_text=True), "under-way")
    card = re.search(rf'<article class="card now" data-event="{day.conference}">(.*?)</article>',
                     now, re.S).group(1)  # fmt: skip
    assert 'data-key="halls"' in card
    assert 'data-key="live_viewers"' not in card
    assert 'data-key="views"' not in card


def _views_of(client: FlaskClient, event_id: int) -> str:
    now = section(client.get("/").get_data(as_text=True), "under-way")
    card = re.search(rf'<article class="card now" data-event="{event_id}">(.*?)</article>',
                     now, re.S).group(1)  # fmt: skip
    return re.search(r'data-key="views">(.*?)</div>', card, re.S).group(1)


def test_a_card_says_when_views_are_not_read_yet_or_leave_a_platform_out(
    client: FlaskClient, make: Factory, day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No views read: "chưa có", as on the event page, not an empty value; a Facebook live
    whose views come only when it ends is named beside the other platforms' views."""
    from app.models import EngagementSample, EventStatus, Platform
    from tests.app.home.conftest import vn

    none_yet = make.event(HOME, title="Livestream chưa có lượt xem", status=EventStatus.LIVE,
                          planned_start=vn(25, 9), actual_start=vn(25, 9))  # fmt: skip
    both = make.event(HOME, title="Livestream hai nền tảng", status=EventStatus.LIVE,
                      planned_start=vn(25, 9), actual_start=vn(25, 9))  # fmt: skip
    account = make.account(name="Fanpage")
    fb = make.target(none_yet, account, external_id="live-2", status="live")
    fb2 = make.target(both, account, external_id="live-3", status="live")
    yt = make.target(both, make.account(name="Kênh YouTube", platform=Platform.YOUTUBE),
                     kind="youtube_live", external_id="bhxhTNLive1", status="live")  # fmt: skip
    db.session.add_all([
        EngagementSample(target_id=fb.id, sampled_at=vn(25, 9, 30), live_viewers=12, extra={}),
        EngagementSample(target_id=fb2.id, sampled_at=vn(25, 9, 30), live_viewers=30, extra={}),
        EngagementSample(target_id=yt.id, sampled_at=vn(25, 9, 30), live_viewers=20,
                         views=2500, extra={}),
    ])  # fmt: skip
    db.session.commit()
    stop_clock(monkeypatch, NOW)
    login(client, make.user("officer", HOME).email)
    empty = _views_of(client, none_yet.id)
    assert re.search(r"<dd>chưa có</dd>", empty), empty
    pending = _views_of(client, both.id)
    assert "<dd>2.500 " in pending
    # Whose views the 2.500 are so far, and whose come at the end: not fewer views than watchers.
    assert "(YouTube đến lúc này; Facebook có khi buổi phát kết thúc)" in pending
    assert ('title="lượt xem YouTube đến lúc này; lượt xem Facebook được cộng vào khi buổi '
            'phát kết thúc"') in pending  # fmt: skip


def test_a_livestream_under_way_with_nothing_tracked_offers_no_live_page(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the event page (``followed_live``): its live page would show counters at nought."""
    from datetime import timedelta

    from app.models import EventStatus
    from tests.app.home.conftest import NOW

    stop_clock(monkeypatch, NOW)
    event = make.event(title="Livestream chưa dán liên kết", status=EventStatus.LIVE,
                       planned_start=NOW - timedelta(minutes=30),
                       planned_end=NOW + timedelta(hours=1))  # fmt: skip
    login(client, make.user("officer", HOME).email)
    now = section(client.get("/").get_data(as_text=True), "under-way")
    assert f'href="/events/{event.id}"' in now
    assert f'href="/events/{event.id}/live"' not in now
    make.target(event, make.account(), external_id="v1", status="live")
    now = section(client.get("/").get_data(as_text=True), "under-way")
    assert f'href="/events/{event.id}/live"' in now

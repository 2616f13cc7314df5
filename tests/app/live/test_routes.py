"""The live page over HTTP: scoped like the event page, projector mode, the figures it embeds,
fingerprinted assets with long caching, and no live script anywhere it is not needed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import EngagementSample, EventStatus, Platform
from tests.app.live.pages import tracked
from tests.conftest import OTHER, Factory


def config_of(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="live-config">(.*?)</script>', html, re.S
    )
    assert match, "no embedded config"
    return json.loads(match.group(1))


def scripts_of(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_viewer_sees_counters_and_figures(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    event = make.event(title="Livestream <b>tư vấn</b>")
    account = make.account()
    target = make.target(event, account, status="live")
    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    for i, viewers in enumerate((12, 57, 40)):
        at = start + timedelta(seconds=15 * i)
        db.session.add(EngagementSample(target_id=target.id, sampled_at=at, live_viewers=viewers,
                                        views=100 + i, reactions_like=5))  # fmt: skip
    db.session.commit()
    response = client.get(f"/events/{event.id}/live")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Livestream &lt;b&gt;tư vấn&lt;/b&gt;" in html
    assert "Chế độ trình chiếu" in html  # Vietnamese by default
    assert 'class="live-page"' in html
    cfg = config_of(html)
    assert cfg["event_id"] == event.id
    assert cfg["summary"]["peak_viewers"] == 57
    line, peak = cfg["figures"]["viewers"]["data"]
    assert line["y"] == [12, 57, 40]
    assert line["x"][0] == "2026-11-25 20:00:00"  # Hà Nội wall-clock time
    assert peak["y"] == [57]
    assert cfg["figures"]["reactions"]["data"][0]["y"][0] == 5
    assert cfg["words"]["reconnecting"].startswith("Mất kết nối")
    # The script names platforms and intents with the server's words (Zalo included).
    assert cfg["words"]["platforms"]["zalo"] == "Zalo"
    assert cfg["words"]["intents"]["tu_van"] == "cần tư vấn"
    assert [s.split("?")[0] for s in scripts_of(html)] == [
        "/static/js/form-keep.js",  # every signed-in page: typed fields back after a re-login
        "/static/vendor/socket.io-4.8.3/socket.io.min.js",
        "/static/vendor/plotly-basic-4.1.1/plotly-basic.min.js",
        "/static/js/plotly-locale-vi.js",
        "/static/js/charts.js",
        "/static/js/live.js",
        "/static/js/leads.js",  # lead work on the comment cards
        "/static/js/alerts.js",
    ]
    assert "chart-comments" in html
    assert 'id="feed"' in html


def test_views_not_yet_read_show_as_not_yet_read_never_zero(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Before the insights read at the end, the page, the event page and the API say so."""
    user = logged_in("viewer")
    event = make.event()
    target = make.target(event, make.account(), status="live")
    at = datetime(2026, 8, 20, 20, 30, tzinfo=UTC)
    db.session.add(EngagementSample(target_id=target.id, sampled_at=at, live_viewers=300))
    db.session.commit()
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    views = re.search(r'data-key="views".*?<span class="value">(.*?)</span>', html, re.S)
    assert views is not None
    assert views.group(1) == "chưa có"
    cfg = config_of(html)
    assert cfg["summary"]["views"] is None
    assert cfg["words"]["not_yet_read"] == "chưa có"
    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert re.search(r"<dt[^>]*>Lượt xem</dt><dd>chưa có</dd>", detail)
    from app.auth.tokens import issue_token

    token = issue_token(user)
    db.session.commit()
    api = client.get(f"/api/v1/events/{event.id}/summary",
                     headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    assert api["views"] is None
    db.session.add(EngagementSample(target_id=target.id, sampled_at=at + timedelta(hours=1),
                                    views=1700))  # fmt: skip
    db.session.commit()
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    views = re.search(r'data-key="views".*?<span class="value">(.*?)</span>', html, re.S)
    assert views is not None
    assert views.group(1) == "1.700"


def test_views_before_the_start_show_a_dash_as_the_page_says_not_started(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Before the start no figure is "not yet read" (chưa có) in the number's place: a dash,
    as the script then draws it, its age saying "chưa bắt đầu" like the other tiles'."""
    logged_in("viewer")
    planned = datetime(2031, 3, 3, 13, 0, tzinfo=UTC)  # years ahead: upcoming on any run day
    event = make.event(planned_start=planned)
    make.target(event, make.account(), status="scheduled")
    for query in ("", "?wall=1"):
        html = client.get(f"/events/{event.id}/live{query}").get_data(as_text=True)
        views = re.search(r'data-key="views".*?<span class="value">(.*?)</span>', html, re.S)
        assert views is not None
        assert views.group(1) == "—", query
        assert config_of(html)["summary"]["phase"] == "upcoming"


def test_wall_mode_has_counters_and_main_chart_only(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    event = tracked(make)
    html = client.get(f"/events/{event.id}/live?wall=1").get_data(as_text=True)
    assert 'class="live-page wall"' in html
    assert "chart-viewers" in html
    assert "chart-reactions" not in html
    assert 'id="feed"' not in html
    assert config_of(html)["wall"] is True


def _halls_connected_tile(html: str) -> str:
    tile = re.search(r'<div class="counter" data-key="halls_connected"[^>]*>', html)
    assert tile is not None
    return tile.group(0)


def test_conference_shows_halls_counters(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    event = make.event(channel="online_conference")
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    # Check-in alone: no meeting seen; the tile waits hidden for a meeting collector to come.
    assert " hidden" in _halls_connected_tile(html)
    assert config_of(html)["meeting"] is False
    make.target(event, make.account(platform="zoom", name="Zoom"), kind="zoom_meeting",
                external_id="850")  # fmt: skip
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert " hidden" not in _halls_connected_tile(html)
    assert config_of(html)["meeting"] is True
    assert 'id="halls-missing"' in html
    assert 'id="halls-connected"' in html
    livestream = make.event()
    html = client.get(f"/events/{livestream.id}/live").get_data(as_text=True)
    assert "halls_connected" not in html.split('id="live-config"')[0]


def test_other_province_and_anonymous_refused(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    event = make.event(org_unit=OTHER)
    assert client.get(f"/events/{event.id}/live").status_code == 302  # to the login page
    logged_in("admin")
    assert client.get(f"/events/{event.id}/live").status_code == 404
    assert client.get("/events/999999/live").status_code == 404


def test_event_page_links_to_the_live_page(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    event = make.event()
    make.target(event, make.account())  # tracked: nothing tracked offers no live page
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}/live"' in html


def test_fingerprinted_assets_cached_for_a_year(
    app: Flask, client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    event = make.event()
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    for src in scripts_of(html):
        assert re.search(r"\?v=[0-9a-f]{12}$", src), src
        response = client.get(src)
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable
        response.close()
    plain = client.get("/static/js/live.js")
    assert plain.cache_control.max_age is None  # unfingerprinted: revalidated as before
    plain.close()
    stale = client.get("/static/js/live.js?v=000000000000")
    assert not stale.cache_control.immutable
    stale.close()


def test_responses_compressed_when_asked(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    event = tracked(make)
    page = client.get(f"/events/{event.id}/live", headers={"Accept-Encoding": "br"})
    assert page.headers["Content-Encoding"] == "br"
    import brotli

    assert b"live-config" in brotli.decompress(page.get_data())
    with client.get("/static/js/live.js", headers={"Accept-Encoding": "br"}) as script:
        assert script.headers.get("Content-Encoding") == "br"  # streamed files: zstd, br, deflate
        assert b"lantoaLive" in brotli.decompress(script.get_data())


def test_checkin_page_loads_no_live_script(client: FlaskClient, make: Factory) -> None:
    from app.halls import services

    start = datetime.now(UTC)
    event = make.event(channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=2))  # fmt: skip
    (point,) = services.set_bridge_points(event, "all", {})[:1]
    db.session.commit()
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert "live.js" not in html
    assert "plotly" not in html
    assert "socket.io" not in html


def test_the_title_and_notices_say_the_phase_from_the_first_paint(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Upcoming, live, ended: the tab's title, the notice at the top and the dot say which. The
    dates are fixed, years ahead: the target waits for its start."""
    logged_in("viewer")
    planned = datetime(2036, 12, 8, 13, 0, tzinfo=UTC)  # 20:00 on 08/12/2036 in Hà Nội
    event = make.event(title="Livestream BHYT", planned_start=planned)
    target = make.target(event, make.account(), status="scheduled")

    def page(wall: bool = False) -> str:
        html = client.get(f"/events/{event.id}/live" + ("?wall=1" if wall else ""))
        return html.get_data(as_text=True).split('id="live-config"')[0]

    for wall in (False, True):
        html = page(wall)
        assert "<title>Sắp diễn ra · Livestream BHYT · Lan Tỏa</title>" in html
        assert 'role="status">Chưa bắt đầu: dự kiến 20:00 ngày 08/12/2036</p>' in html
        assert '" data-phase="upcoming"' in html
        assert 'id="ended-banner" class="ended-banner" role="status" hidden' in html
    assert (
        config_of(client.get(f"/events/{event.id}/live").get_data(as_text=True))["words"][
            "age_not_started"
        ]
        == "chưa bắt đầu"
    )

    target.status = "live"
    db.session.commit()
    html = page()
    assert "<title>Đang diễn ra · Livestream BHYT · Lan Tỏa</title>" in html
    assert 'id="upcoming-banner" class="upcoming-banner" role="status" hidden>' in html
    assert 'data-phase="live"' in html

    event.status, event.actual_end = EventStatus.ENDED, planned + timedelta(hours=1)
    target.status = "ended"
    db.session.commit()
    html = page(wall=True)
    assert "<title>Đã kết thúc · Livestream BHYT · Lan Tỏa</title>" in html
    assert ">Livestream đã kết thúc lúc 08/12/2036 21:00</p>" in html
    assert 'id="upcoming-banner" class="upcoming-banner" role="status" hidden>' in html
    assert 'data-phase="ended"' in html
    assert "Đang diễn ra" not in html


def test_the_script_words_an_age_past_a_day_by_its_date(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    words = config_of(client.get(f"/events/{tracked(make).id}/live").get_data(as_text=True))
    # "cập nhật lúc 20:15 ngày 24/11/2026", not "cập nhật 284 giờ trước"
    assert words["words"]["age_at"] == "lúc __T__ ngày __D__"
    assert words["words"]["phase_upcoming"] == "Sắp diễn ra"


def test_an_online_conference_begun_by_its_schedule_waits_for_its_meeting_not_a_broadcast(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Its only object a Zoom meeting not opened yet: the banner says the meeting has not
    started, as the pill does, not that "the platform is not broadcasting"."""
    logged_in("viewer")
    now = datetime.now(UTC)
    event = make.event(title="Hội nghị 08:00", channel="online_conference",
                       planned_start=now - timedelta(minutes=5),
                       planned_end=now + timedelta(hours=1))  # fmt: skip
    zoom = make.account(name="Zoom BHXH", platform=Platform.ZOOM)
    make.target(event, zoom, kind="zoom_meeting", status="scheduled")
    live = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    steps = [text for _, text in config_of(live)["upcoming_steps"]][1:]
    waiting = " — cuộc họp chưa bắt đầu"
    assert steps == ["Đang diễn ra (theo lịch)" + waiting,
                     "Đã qua giờ kết thúc: cần cập nhật trạng thái" + waiting]  # fmt: skip
    assert "nền tảng chưa phát" not in live


def test_a_scheduled_event_begun_by_its_schedule_reads_the_same_everywhere(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Past its planned start, its live not started on the platform: the live page does not say
    "not started yet, planned for …" while the home page and the list say "under way"."""
    logged_in("viewer")
    now = datetime.now(UTC)
    event = make.event(title="Livestream 03:00", planned_start=now - timedelta(minutes=5),
                       planned_end=now + timedelta(hours=1))  # fmt: skip
    target = make.target(event, make.account(), status="scheduled")
    said = "Đang diễn ra (theo lịch) — nền tảng chưa phát"
    live = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert f'role="status">{said}</p>' in live.split('id="live-config"')[0]
    assert "Chưa bắt đầu: dự kiến" not in live.split('id="live-config"')[0]
    steps = config_of(live)["upcoming_steps"]
    assert [text for _, text in steps][1:] == [said, "Đã qua giờ kết thúc: cần cập nhật trạng thái"
                                               " — nền tảng chưa phát"]  # fmt: skip
    for path in ("/", "/events", f"/events/{event.id}"):  # read as text: the pill's parts
        assert said in re.sub(r"<[^>]+>", "", client.get(path).get_data(as_text=True)), path
    target.status = "live"  # the platform started: the words say under way alone
    db.session.commit()
    listed = client.get("/events").get_data(as_text=True)
    listed = re.sub(r"<select.*?</select>", "", listed, flags=re.S)  # the filter names every state
    assert "Đang diễn ra (theo lịch)<" in listed
    assert "nền tảng chưa phát" not in listed

"""When an event is over, the live page says so from its first paint, whichever way it ended:
its status (at its actual end), or its meeting finished before any collector ended the event
(at the meeting's finish); a livestream says the same of itself and shows no "viewers now"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.live.summary import event_summary
from app.models import EventStatus, Platform, Target
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

END = datetime(2026, 11, 20, 3, 5, tzinfo=UTC)  # 10:05 in Hà Nội


def _page(client: FlaskClient, event_id: int, wall: bool = False) -> str:
    html = client.get(f"/events/{event_id}/live" + ("?wall=1" if wall else ""))
    return html.get_data(as_text=True).split('id="live-config"')[0]


def test_a_conference_whose_meeting_finished_has_ended_at_the_finish(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị", channel="online_conference",
                       status=EventStatus.LIVE)  # fmt: skip
    services.set_bridge_points(event, commune_codes(HOME, 2), {})
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id="m1")  # fmt: skip
    db.session.commit()
    logged_in("viewer")
    assert event_summary(event.id).ended is False
    page = _page(client, event.id)
    assert 'id="ended-banner" class="ended-banner" role="status" hidden' in page
    assert ">Điểm cầu đã kết nối<" in page
    assert ">Đã kết nối vào cuộc họp<" in page

    row = db.session.get(Target, target.id)
    assert row is not None
    row.finished_at = END
    db.session.commit()
    summary = event_summary(event.id)
    assert (summary.ended, summary.as_dict()["ended_at"]) == (True, "2026-11-20T03:05:00+00:00")
    for wall in (False, True):
        page = _page(client, event.id, wall)
        assert ">Hội nghị đã kết thúc lúc 20/11/2026 10:05</p>" in page
        assert ">Điểm cầu đã kết nối trong hội nghị<" in page
        assert ">Đã từng kết nối<" in page
        assert "event-ended" in page


def test_an_ended_livestream_says_so_and_hides_viewers_now(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream", status=EventStatus.ENDED, actual_end=END)
    make.target(event, make.account(), status="ended")  # tracked: a live page to show
    logged_in("viewer")
    page = _page(client, event.id)
    assert ">Livestream đã kết thúc lúc 20/11/2026 10:05</p>" in page
    assert 'class="live-page event-ended"' in page  # live.css hides "viewers now" then

    event.actual_end = None  # ended, time unknown: no invented hour
    db.session.commit()
    assert ">Livestream đã kết thúc</p>" in _page(client, event.id)


def test_an_event_an_officer_ended_says_who_marked_it(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    officer = make.user("officer", HOME)
    officer.display_name = "Nguyễn Thị Lan"
    event = make.event(HOME, title="Livestream", status=EventStatus.ENDED, actual_end=END,
                       ended_by_id=officer.id)  # fmt: skip
    make.target(event, make.account(), status="ended")
    logged_in("viewer")
    said = "Livestream đã kết thúc lúc 20/11/2026 10:05 — Nguyễn Thị Lan đánh dấu kết thúc"
    assert f">{said}</p>" in _page(client, event.id)
    assert event_summary(event.id).as_dict()["ended_by"] == "Nguyễn Thị Lan"

    # A name that already says the office reads right too: no "cán bộ Cán bộ tỉnh".
    officer.display_name = "Cán bộ tỉnh"
    db.session.commit()
    page = _page(client, event.id)
    assert (
        ">Livestream đã kết thúc lúc 20/11/2026 10:05 — Cán bộ tỉnh đánh dấu kết thúc</p>" in page
    )
    assert "cán bộ Cán bộ" not in page


def test_an_event_nothing_collects_ends_by_its_planned_end(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Still "scheduled" (no one updated it), its planned end passed: the clock ended it (an online
    conference: a meeting in a room with nothing live has no live page, it sends to the event)."""
    event = make.event(HOME, title="Hội nghị tại xã Tân Lập", channel="online_conference",
                       planned_start=END - timedelta(hours=2), planned_end=END)  # fmt: skip
    logged_in("viewer")
    summary = event_summary(event.id)
    assert (summary.ended, summary.phase, summary.ended_by) == (False, "ended", None)
    page = _page(client, event.id)
    said = "Hội nghị đã kết thúc lúc 20/11/2026 10:05 (theo giờ kết thúc dự kiến)"
    assert f'id="ended-banner" class="ended-banner" role="status">{said}</p>' in page
    assert "đánh dấu kết thúc" not in page

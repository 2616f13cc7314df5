"""The alerts page (``/alerts``): every open alert of the events the user sees and those resolved
in the last 7 days, filterable by event, acknowledged from the page (CSRF, audited).

The world is ``tests/app/events/provincial.py`` at 08:30 on 25/11/2026 (Vietnam time): the
province's conference with a hall of "mine" and one of "theirs" (a sibling commune), plus an
event of each commune of its own. A commune's officer sees their own event's alerts and, of the
province's conference, only their own hall's; never the sibling commune's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.alerts import engine, rules
from app.alerts.rules import Condition
from app.extensions import db
from app.models import Alert, AuditLog
from tests.app.events.provincial import NOW, provincial, stop_clock
from tests.conftest import Factory, csrf_token, login

# Also on PostgreSQL: an alert's subject is matched to the user's halls by "hall:" || id.
pytestmark = pytest.mark.postgres


@pytest.fixture
def world(make: Factory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    stop_clock(monkeypatch)
    monkeypatch.setattr("app.alerts.routes.utcnow", lambda: NOW)
    w = provincial(make)
    mine = make.event(w.mine, title="Livestream xã Mình")
    theirs = make.event(w.theirs, title="Livestream xã Bên")

    def alert(event_id: int, rule: str, subject: str, name: str, opened, **detail):  # type: ignore[no-untyped-def]
        return engine.open_alert(event_id, Condition(rule, subject, name, detail), opened, None)

    ids = {
        "my_hall": alert(w.conference, rules.HALL_ABSENT, f"hall:{w.my_hall}", "Hội trường Mình",
                         NOW - timedelta(minutes=20)),
        "their_hall": alert(w.conference, rules.HALL_ABSENT, f"hall:{w.their_hall}",
                            "Hội trường Bên", NOW - timedelta(minutes=20)),
        "my_event": alert(mine.id, rules.COLLECTOR_PAUSED, "target:1", "Fanpage xã Mình",
                          NOW - timedelta(minutes=5), reason="auth_expired"),
        "their_event": alert(theirs.id, rules.VIEWERS_ZERO, "target:2", "Fanpage xã Bên",
                             NOW - timedelta(minutes=5)),
        "resolved": alert(w.conference, rules.HALL_DROPPED, f"hall:{w.my_hall}",
                          "Hội trường Mình", NOW - timedelta(days=3)),
        "long_ago": alert(w.conference, rules.HALL_DROPPED, f"hall:{w.their_hall}",
                          "Hội trường Bên cũ", NOW - timedelta(days=10)),
    }  # fmt: skip
    ids = {k: a.id for k, a in ids.items()}
    for key, cleared in (
        ("resolved", NOW - timedelta(days=2)),
        ("long_ago", NOW - timedelta(days=8)),
    ):
        row = db.session.get(Alert, ids[key])
        row.open_key, row.cleared_at = None, cleared
    db.session.commit()
    return w, mine, theirs, ids


def _section(page: str, section: str) -> str:
    return page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]


def test_a_commune_officer_sees_own_alerts_not_the_sibling_communes(
    client: FlaskClient, make: Factory, world
) -> None:
    w, mine, theirs, ids = world
    login(client, make.user("officer", w.mine).email)
    page = client.get("/alerts").get_data(as_text=True)
    still_open = _section(page, "open-alerts")
    assert "Hội trường Mình chưa kết nối vào hội nghị" in still_open
    assert "Điểm cầu chưa kết nối" in still_open  # the kind in words
    assert "Thu thập số liệu bị tạm dừng" in still_open
    assert "Livestream xã Mình" in still_open
    for theirs_text in ("Hội trường Bên", "Fanpage xã Bên", "Livestream xã Bên"):
        assert theirs_text not in page, theirs_text
    # Their own event: an officer acknowledges it; the province's, seen in part: nobody here can.
    assert f'action="/alerts/{ids["my_event"]}/acknowledge"' in still_open
    assert f'action="/alerts/{ids["my_hall"]}/acknowledge"' not in still_open
    resolved = _section(page, "closed-alerts")
    assert "Hội trường Mình đã rớt khỏi hội nghị" in resolved
    assert "22/11/2026 08:30" in resolved  # opened 3 days before, Vietnam time
    assert "23/11/2026 08:30" in resolved  # resolved 2 days before
    for code in ("hall_absent", "hall:", "collector_paused", "auth_expired", "None"):
        assert code not in page, code
    # The menu: "Cảnh báo" with the two open alerts the officer sees.
    menu = page.split('id="menu-alerts"', 1)[1].split("</a>", 1)[0]
    assert "Cảnh báo" in menu
    assert '<span class="nav-count"' in menu
    assert ">2</span>" in menu
    # Another commune's alert asked for by its event is not there either.
    other = client.get(f"/alerts?event={theirs.id}").get_data(as_text=True)
    assert "Fanpage xã Bên" not in other
    assert "Không có cảnh báo nào đang mở." in other


def test_the_province_sees_every_alert_filters_by_event_and_leaves_out_older_than_a_week(
    client: FlaskClient, make: Factory, world, logged_in
) -> None:
    w, mine, theirs, ids = world
    logged_in("viewer")
    page = client.get("/alerts").get_data(as_text=True)
    still_open = _section(page, "open-alerts")
    for text in ("Hội trường Mình", "Hội trường Bên", "Fanpage xã Mình", "Fanpage xã Bên"):
        assert text in still_open, text
    assert still_open.index("Fanpage") < still_open.index("Hội trường")  # newest first
    assert "Hội trường Bên cũ" not in page  # resolved 8 days ago
    assert "alert-ack-button" not in page  # a viewer does not acknowledge
    options = page.split('id="alert-event"', 1)[1].split("</select>", 1)[0]
    assert "Livestream xã Bên" in options
    assert "Hội nghị trực tuyến" in options
    only = client.get(f"/alerts?event={w.conference}").get_data(as_text=True)
    assert "Fanpage xã Mình" not in _section(only, "open-alerts")
    assert "Hội trường Bên" in _section(only, "open-alerts")
    assert f'<option value="{w.conference}" selected>' in only


def test_acknowledging_from_the_page_is_recorded_and_shown_in_vietnam_time(
    client: FlaskClient, make: Factory, world
) -> None:
    w, mine, theirs, ids = world
    officer = make.user("officer", w.mine)
    officer.display_name = "Chị Hoa"
    db.session.commit()
    login(client, officer.email)
    back = f"/alerts?event={mine.id}"
    token = csrf_token(client, back)
    assert client.post(f"/alerts/{ids['my_event']}/acknowledge").status_code == 400  # no CSRF
    done = client.post(f"/alerts/{ids['my_event']}/acknowledge",
                       data={"csrf_token": token, "next": back})  # fmt: skip
    assert done.status_code == 302
    assert done.headers["Location"].endswith(back)
    row = db.session.get(Alert, ids["my_event"])
    db.session.refresh(row)
    assert (row.acknowledged_by_id, row.acknowledged_at) == (officer.id, NOW)
    audited = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "alert.acknowledged"))
    assert audited.user_id == officer.id
    page = client.get(back).get_data(as_text=True)
    assert "Đã xác nhận bởi Chị Hoa lúc 25/11/2026 08:30" in _section(page, "open-alerts")
    # The province's conference is seen in part: its hall alert is not theirs to acknowledge.
    refused = client.post(f"/alerts/{ids['my_hall']}/acknowledge", data={"csrf_token": token})
    assert refused.status_code == 404
    assert db.session.get(Alert, ids["my_hall"]).acknowledged_at is None


def test_an_alert_that_closed_by_itself_is_not_said_to_be_handled(
    client: FlaskClient, make: Factory, world, logged_in
) -> None:
    """An alert closes when its condition stops holding, whether or not anyone acted: seen on
    make run, five halls' "chưa báo số người" closed the minute a meeting link was tracked (the
    rule became "not connected") and read "đã xử lý" (handled), acknowledged by nobody."""
    w, mine, theirs, ids = world
    logged_in("viewer")
    page = client.get("/alerts").get_data(as_text=True)
    closed = _section(page, "closed-alerts")
    assert "Đã đóng trong 7 ngày qua" in closed
    assert "1 cảnh báo đã đóng" in closed
    assert "Đóng lúc" in closed
    assert "Chưa ai xác nhận" in closed
    # The live page's alerts write their closing time with the same words.
    live = client.get(f"/events/{w.conference}/live").get_data(as_text=True)
    assert 'data-resolved="đã đóng lúc {time}"' in live
    for text in (closed, live):
        assert "xử lý" not in text.lower()

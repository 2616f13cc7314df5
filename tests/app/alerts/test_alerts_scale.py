"""A province's biggest day on the alerts page and in the menu.

The world is ``tests/app/events/provincial.py`` at 08:30 on 25/11/2026 (Vietnam time), with well
over the 300 rows the page once stopped at: 1,100 open alerts of the province's conference (its
collection's channels, some acknowledged), both its halls' alerts, 130 of a commune's own
livestream, 230 resolved in the last week and 40 older. The page lists them 100 at a time, says
how many there are in all ("1.232 cảnh báo đang mở"), and keeps the event filter and the other
list's page from page to page. The menu's count is one statement on an officer's page and none
on a hall's check-in or the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.alerts import rules, views
from app.alerts.engine import clear_alert, open_key
from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Alert, User
from tests.app.events.provincial import NOW, provincial, stop_clock
from tests.conftest import HOME, Factory, csrf_token, login

# Also on PostgreSQL: paging (LIMIT/OFFSET and the total's count) and "hall:" || id.
pytestmark = pytest.mark.postgres

CONFERENCE, MINE, RESOLVED, OLD = 1_100, 130, 230, 40
ACKNOWLEDGED = 150  # of the conference's: listed after those nobody acknowledged


@dataclass(frozen=True)
class Day:
    conference: int
    mine_event: int
    mine: str  # the commune's code
    open_ids: set[int]  # every open alert
    mine_ids: set[int]  # the commune's livestream's
    my_hall: int  # the alert about the commune's hall at the conference
    their_hall: int
    resolved_ids: set[int]  # in the last 7 days, every event
    conference_resolved: set[int]


@pytest.fixture
def day(make: Factory, monkeypatch: pytest.MonkeyPatch) -> Day:
    stop_clock(monkeypatch)
    monkeypatch.setattr("app.alerts.routes.utcnow", lambda: NOW)
    w = provincial(make)
    mine = make.event(w.mine, title="Livestream xã Mình", planned_start=NOW - timedelta(hours=1))
    acknowledger = make.user("officer", HOME)
    rows: list[dict[str, object]] = []

    def alert(event_id: int, rule: str, subject: str, name: str, minutes: int, **more: object):
        row = {"event_id": event_id, "rule": rule, "subject": subject, "subject_name": name,
               "detail": {}, "open_key": open_key(event_id, rule, subject),
               "opened_at": NOW - timedelta(minutes=minutes), "cleared_at": None,
               "acknowledged_at": None, "acknowledged_by_id": None}  # fmt: skip
        row.update(more)
        rows.append(row)

    for i in range(CONFERENCE):
        extra = {}
        if i < ACKNOWLEDGED:
            extra = {"acknowledged_at": NOW - timedelta(minutes=1),
                     "acknowledged_by_id": acknowledger.id}  # fmt: skip
        alert(w.conference, rules.VIEWERS_ZERO, f"target:{i}", f"Kênh xã {i}", 1 + i % 25, **extra)
    for i in range(MINE):
        alert(mine.id, rules.VIEWERS_ZERO, f"target:m{i}", f"Fanpage xã Mình {i}", 1 + i % 7)
    alert(w.conference, rules.HALL_ABSENT, f"hall:{w.my_hall}", "Hội trường Mình", 20)
    alert(w.conference, rules.HALL_ABSENT, f"hall:{w.their_hall}", "Hội trường Bên", 20)
    for i in range(RESOLVED):  # on both events, every few hours of the last week
        event_id = w.conference if i % 2 else mine.id
        alert(event_id, rules.VIEWERS_ZERO, f"target:r{i}", f"Kênh cũ {i}", 60 * (i % 160) + 30,
              open_key=None, cleared_at=NOW - timedelta(minutes=60 * (i % 160) + 5))  # fmt: skip
    for i in range(OLD):
        alert(w.conference, rules.VIEWERS_ZERO, f"target:o{i}", f"Kênh rất cũ {i}", 60 * 24 * 9,
              open_key=None, cleared_at=NOW - timedelta(days=8, minutes=i))  # fmt: skip
    db.session.execute(sa.insert(Alert), rows)
    db.session.commit()
    found = db.session.execute(sa.select(Alert.id, Alert.event_id, Alert.subject,
                                         Alert.open_key, Alert.cleared_at)).all()  # fmt: skip
    week = NOW - timedelta(days=7)
    resolved = {r for r in found if r.open_key is None and r.cleared_at >= week}
    return Day(
        conference=w.conference,
        mine_event=mine.id,
        mine=w.mine,
        open_ids={r.id for r in found if r.open_key is not None},
        mine_ids={r.id for r in found if r.open_key is not None and r.event_id == mine.id},
        my_hall=next(r.id for r in found if r.subject == f"hall:{w.my_hall}"),
        their_hall=next(r.id for r in found if r.subject == f"hall:{w.their_hall}"),
        resolved_ids={r.id for r in resolved},
        conference_resolved={r.id for r in resolved if r.event_id == w.conference},
    )


def _section(page: str, section: str) -> str:
    return page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]


def _ids(section: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-alert="(\d+)"', section)]


def _next(section: str) -> str | None:
    """The section's "Next" link (the pager's last link), or None on its last page."""
    pager = section.split('<nav class="pager">', 1)[1] if 'class="pager"' in section else ""
    link = re.search(r'<a href="([^"]+)">Trang sau', pager)
    return unescape(link.group(1)) if link else None


def _walk(client: FlaskClient, url: str, section: str) -> tuple[list[int], list[str]]:
    """Every row of a list, following its "Next" links; the pages' URLs."""
    seen: list[int] = []
    urls: list[str] = []
    next_url: str | None = url
    while next_url is not None:
        urls.append(next_url)
        answer = client.get(next_url)
        assert answer.status_code == 200, next_url
        part = _section(answer.get_data(as_text=True), section)
        rows = _ids(part)
        assert 0 < len(rows) <= views.PAGE_SIZE, next_url
        seen += rows
        next_url = _next(part)
        assert len(urls) < 30, "the pager never ends"
    return seen, urls


def _menu_count(page: str) -> str:
    menu = page.split('id="menu-alerts"', 1)[1].split("</a>", 1)[0]
    found = re.search(r'<span class="nav-count"[^>]*>([^<]+)</span>', menu)
    return found.group(1) if found else ""


def test_the_province_pages_through_every_open_alert_with_the_total_in_words(
    client: FlaskClient, make: Factory, day: Day
) -> None:
    login(client, make.user("officer", HOME).email)
    first = client.get("/alerts").get_data(as_text=True)
    total = len(day.open_ids)  # 1,232
    assert "1.232 cảnh báo đang mở" in _section(first, "open-alerts")
    assert _menu_count(first) == "1.232"  # the menu counts what the page lists
    assert "Trang 1 / 13" in _section(first, "open-alerts")
    seen, urls = _walk(client, "/alerts", "open-alerts")
    assert len(seen) == total == len(set(seen))  # each alert once, none left out
    assert set(seen) == day.open_ids
    assert urls[1] == "/alerts?page=2#open-alerts"
    # Those nobody acknowledged first (somebody must act), on every page before the others.
    acknowledged = set(
        db.session.scalars(sa.select(Alert.id).where(Alert.acknowledged_at.is_not(None)))
    )
    assert len(acknowledged) == ACKNOWLEDGED
    assert set(seen[-ACKNOWLEDGED:]) == acknowledged
    # A page past the last lists nothing and still says how many there are.
    past = client.get("/alerts?page=40").get_data(as_text=True)
    assert _ids(_section(past, "open-alerts")) == []
    assert "1.232 cảnh báo đang mở" in past
    # The resolved list pages on its own, the open list's page kept.
    closed, closed_urls = _walk(client, "/alerts?page=3", "closed-alerts")
    assert set(closed) == day.resolved_ids
    assert len(closed) == RESOLVED
    assert closed_urls[1] == "/alerts?page=3&closed_page=2#closed-alerts"
    later = client.get(closed_urls[1]).get_data(as_text=True)
    assert "Trang 3 / 13" in _section(later, "open-alerts")
    assert "230 cảnh báo đã đóng" in _section(later, "closed-alerts")


def test_the_event_filter_is_kept_from_page_to_page(
    client: FlaskClient, make: Factory, day: Day
) -> None:
    login(client, make.user("viewer", HOME).email)
    url = f"/alerts?event={day.mine_event}"
    seen, urls = _walk(client, url, "open-alerts")
    assert set(seen) == day.mine_ids
    assert len(seen) == MINE
    assert urls[1] == f"/alerts?event={day.mine_event}&page=2#open-alerts"
    second = client.get(urls[1]).get_data(as_text=True)
    assert "130 cảnh báo đang mở" in second
    assert f'<option value="{day.mine_event}" selected>' in second
    assert f'href="/alerts?event={day.mine_event}#open-alerts">« Trang trước' in second
    # The conference's resolved alerts, paged under the filter, the open list's page kept.
    closed, closed_urls = _walk(client, f"/alerts?event={day.conference}&page=2", "closed-alerts")
    assert set(closed) == day.conference_resolved
    assert closed_urls[1] == f"/alerts?event={day.conference}&page=2&closed_page=2#closed-alerts"


def test_a_commune_officer_pages_through_their_own_and_the_menu_agrees(
    client: FlaskClient, make: Factory, day: Day
) -> None:
    login(client, make.user("officer", day.mine).email)
    first = client.get("/alerts").get_data(as_text=True)
    assert "131 cảnh báo đang mở" in first  # their livestream's and their hall's
    assert _menu_count(first) == "131"
    seen, _urls = _walk(client, "/alerts", "open-alerts")
    assert set(seen) == day.mine_ids | {day.my_hall}
    assert day.their_hall not in seen
    # Acknowledged from page 2, the officer comes back to page 2.
    back = "/alerts?page=2"
    alert_id = _ids(_section(client.get(back).get_data(as_text=True), "open-alerts"))[0]
    form = f'action="/alerts/{alert_id}/acknowledge"'
    page = client.get(back).get_data(as_text=True)
    assert form in page
    assert 'name="next" value="/alerts?page=2"' in page.split(form, 1)[1].split("</form>", 1)[0]


def _alerts_statements(app: Flask, call) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements ``call`` sends that read the alerts table."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args, **_kw) -> None:  # type: ignore[no-untyped-def]
        if re.search(r"\balerts\b", statement):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return seen


def test_the_menu_count_is_one_statement_on_an_officers_page_and_none_elsewhere(
    app: Flask, client: FlaskClient, make: Factory, day: Day
) -> None:
    officer = make.user("officer", HOME)
    login(client, officer.email)
    page = client.get("/account/password")
    assert page.status_code == 200
    assert _menu_count(page.get_data(as_text=True)) == "1.232"
    read = _alerts_statements(app, lambda: client.get("/account/password"))
    assert len(read) == 1
    assert "count(" in read[0].lower()
    # The home page shows the count twice (menu and card): still read once.
    home = _alerts_statements(app, lambda: client.get("/"))
    assert sum("count(" in s.lower() for s in home) == 1
    # A hall's phone page and its check-in, even by a logged-in officer: no count.
    token = provincial_token(day)
    assert _alerts_statements(app, lambda: client.get(f"/checkin/{token}")) == []
    sent = client.post(f"/checkin/{token}", json={"idempotency_key": "phone-0001",
                                                  "head_count": 40})  # fmt: skip
    assert sent.status_code == 201
    again = _alerts_statements(app, lambda: client.post(
        f"/checkin/{token}", json={"idempotency_key": "phone-0002", "head_count": 41}))  # fmt: skip
    assert again == []
    # The API (a bearer token) renders no menu.
    token_header = {"Authorization": f"Bearer {issue_token(db.session.get(User, officer.id))}"}
    db.session.commit()
    answers = []
    api = _alerts_statements(
        app, lambda: answers.append(client.get("/api/v1/events", headers=token_header))
    )
    assert answers[0].status_code == 200
    assert answers[0].get_json()["items"]  # the province's events, read without the count
    assert api == []


def provincial_token(day: Day) -> str:
    from app.models import BridgePoint

    hall = db.session.scalars(
        sa.select(BridgePoint)
        .where(BridgePoint.event_id == day.conference)
        .order_by(BridgePoint.id)
    ).first()
    assert hall is not None
    return str(hall.checkin_token)


def test_the_count_follows_each_change_at_once(
    client: FlaskClient, make: Factory, day: Day
) -> None:
    """Nothing kept between requests: acknowledging shows at once, a cleared alert leaves the
    count on the next page."""
    login(client, make.user("officer", day.mine).email)
    back = f"/alerts?event={day.mine_event}"
    page = client.get(back).get_data(as_text=True)
    assert _menu_count(page) == "131"
    alert_id = _ids(_section(page, "open-alerts"))[0]
    token = csrf_token(client, back)
    done = client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf_token": token, "next": back})
    assert done.status_code == 302
    page = client.get(back).get_data(as_text=True)
    assert alert_id not in _ids(_section(page, "open-alerts"))  # after those nobody acknowledged
    last = client.get(back + "&page=2").get_data(as_text=True)
    row = last.split(f'data-alert="{alert_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Đã xác nhận bởi" in row
    assert _menu_count(page) == "131"  # acknowledged, still open
    clear_alert(db.session.get(Alert, alert_id), NOW, None)
    db.session.commit()
    page = client.get(back).get_data(as_text=True)
    assert _menu_count(page) == "130"
    assert "129 cảnh báo đang mở" in page  # of their livestream, as filtered


def test_the_count_reads_the_open_alerts_index_on_sqlite(
    backend: str, make: Factory, day: Day
) -> None:
    """The plan reads ``ix_alerts_open`` (open alerts only), not every alert of every event."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL's plan follows its statistics: bench/alerts_menu.py prints it")
    for code in (HOME, day.mine):
        user = db.session.get(User, make.user("officer", code).id)
        stmt = views.open_count_statement(user)
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = [row[-1] for row in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql))]
        alerts_steps = [step for step in plan if re.search(r"\balerts\b", step)]
        assert alerts_steps == ["SCAN alerts USING COVERING INDEX ix_alerts_open"], plan

"""The events list filters by the status its rows show, and the campaign page shows it too.

``app.events.status.shown_status`` says a scheduled event inside its planned hours is "Đang diễn
ra (theo lịch)" and one past them "Đã qua giờ kết thúc: cần cập nhật trạng thái"; the filter
(``shown_status_sql``) reads the same rule in the database. The events are dated around the
real clock, hours apart so no boundary is near:
- "Sắp tới": scheduled, tomorrow; "Chưa xếp ngày": scheduled, no date at all;
- "Theo lịch": scheduled, began an hour ago, ends in an hour (under way by its schedule);
- "Không giờ kết thúc": scheduled, began an hour ago, no planned end (under way: 3 hours);
- "Bắt đầu sớm": scheduled, no planned start, its actual start an hour ago (under way);
- "Quên cập nhật": scheduled, held three days ago 08:00-10:00 (past its end);
- "Không giờ, đã lâu": scheduled, began five hours ago, no planned end (past its 3 hours);
- "Đang phát": live; "Đã xong": ended, last week.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.events.status import (
    OVERDUE,
    UNDER_WAY,
    UNDER_WAY_WAITING,
    shown_status,
    shown_status_sql,
    status_words,
    waiting_words,
)
from app.extensions import db
from app.models import Event, EventStatus, Platform, utcnow
from tests.conftest import HOME, Factory, login

H = timedelta(hours=1)
EXPECTED = {
    "scheduled": {"Sắp tới", "Chưa xếp ngày"},
    "live": {"Theo lịch", "Không giờ kết thúc", "Bắt đầu sớm", "Đang phát"},
    "ended": {"Đã xong"},
    "overdue": {"Quên cập nhật", "Không giờ, đã lâu"},
}


@pytest.fixture
def events(make: Factory) -> dict[str, int]:
    now = utcnow()
    scheduled, live, ended = EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED
    rows = {
        "Sắp tới": dict(status=scheduled, planned_start=now + 24 * H, planned_end=now + 26 * H),
        "Chưa xếp ngày": dict(status=scheduled),
        "Theo lịch": dict(status=scheduled, planned_start=now - H, planned_end=now + H),
        "Không giờ kết thúc": dict(status=scheduled, planned_start=now - H),
        "Bắt đầu sớm": dict(status=scheduled, actual_start=now - H),
        "Quên cập nhật": dict(status=scheduled, planned_start=now - 72 * H,
                              planned_end=now - 70 * H),
        "Không giờ, đã lâu": dict(status=scheduled, planned_start=now - 5 * H),
        "Đang phát": dict(status=live, planned_start=now - 2 * H, actual_start=now - 2 * H),
        "Đã xong": dict(status=ended, planned_start=now - 170 * H, planned_end=now - 168 * H,
                        actual_end=now - 168 * H),
    }  # fmt: skip
    ids = {title: make.event(HOME, title=title, **kw).id for title, kw in rows.items()}
    db.session.commit()
    return ids


def titles_where(condition: sa.ColumnElement[bool]) -> set[str]:
    return set(db.session.scalars(sa.select(Event.title).where(condition)))


@pytest.mark.postgres
def test_the_sql_rule_is_the_rows_rule(events: dict[str, int]) -> None:
    """Each filter takes exactly the events whose shown status it names (``live``: and those
    under way by their schedule), read from the database, not from the loaded events."""
    now = utcnow()
    shown = {e.title: shown_status(e, now) for e in db.session.scalars(sa.select(Event))}
    assert {t for t, s in shown.items() if s == UNDER_WAY} == {
        "Theo lịch", "Không giờ kết thúc", "Bắt đầu sớm"
    }  # fmt: skip
    for key, titles in EXPECTED.items():
        assert titles_where(shown_status_sql(key, now)) == titles, key
        rows_say = {t for t, s in shown.items() if s == key or (key == "live" and s == UNDER_WAY)}
        assert rows_say == titles, key
    assert titles_where(shown_status_sql(UNDER_WAY, now)) == EXPECTED["live"] - {"Đang phát"}
    assert titles_where(shown_status_sql(OVERDUE, now)) == EXPECTED["overdue"]
    # An hour on, "Theo lịch" is over its end and "Không giờ kết thúc" still within its 3 hours.
    later = now + 90 * timedelta(minutes=1)
    assert "Theo lịch" in titles_where(shown_status_sql(OVERDUE, later))
    assert "Không giờ kết thúc" in titles_where(shown_status_sql(UNDER_WAY, later))


def listed(client: FlaskClient, status: str) -> set[str]:
    html = client.get("/events", query_string={"status": status}).get_data(as_text=True)
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return {title for title in EXPECTED_TITLES if f">{title}</a>" in body}


EXPECTED_TITLES = set().union(*EXPECTED.values())


@pytest.mark.postgres
def test_the_events_list_filters_what_its_rows_show(
    client: FlaskClient, make: Factory, events: dict[str, int]
) -> None:
    login(client, make.user("officer", HOME).email)
    for key, titles in EXPECTED.items():
        assert listed(client, key) == titles, key
    html = client.get("/events", query_string={"status": "live"}).get_data(as_text=True)
    assert '<option selected value="live">Đang diễn ra</option>' in html
    assert "Đang diễn ra (theo lịch)" in html  # the rows under way by schedule say so
    assert '<option value="overdue">Đã qua giờ kết thúc: cần cập nhật trạng thái</option>' in html
    assert 'value="under_way"' not in html  # "live" takes them: no option of their own
    overdue = client.get("/events", query_string={"status": "overdue"}).get_data(as_text=True)
    assert overdue.count("Đã qua giờ kết thúc: cần cập nhật trạng thái") == 3  # option + 2 rows


def test_the_campaign_page_shows_the_status_the_list_shows(
    client: FlaskClient, make: Factory, events: dict[str, int]
) -> None:
    campaign = make.campaign(HOME, name="BHXH tự nguyện tháng 12")
    for event_id in events.values():
        db.session.get(Event, event_id).campaign_id = campaign.id
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)

    def status_cell(title: str) -> str:
        row = html[html.index(f'data-event="{events[title]}"') :].split("</tr>")[0]
        return row.split('class="status ')[1].split("</span>")[0]

    assert status_cell("Theo lịch") == 'under_way">Đang diễn ra (theo lịch)'
    assert status_cell("Bắt đầu sớm") == 'under_way">Đang diễn ra (theo lịch)'
    assert status_cell("Quên cập nhật") == 'overdue">Đã qua giờ kết thúc: cần cập nhật trạng thái'
    assert status_cell("Sắp tới") == 'scheduled">Đã lên lịch'
    assert status_cell("Đang phát") == 'live">Đang diễn ra'
    assert status_cell("Đã xong") == 'ended">Đã kết thúc'


# The filter takes lives and meetings alike: its words fit both (a tour found "— nền tảng chưa
# phát" above a conference's row that says "— cuộc họp chưa bắt đầu").
WAITING = "Đang diễn ra (theo lịch) — buổi phát hoặc cuộc họp chưa bắt đầu"


@pytest.mark.postgres
def test_under_way_with_the_platform_not_started_is_a_choice_of_its_own(
    client: FlaskClient, make: Factory, events: dict[str, int]
) -> None:
    """The rows that say "— nền tảng chưa phát" under way (``status_words``; a meeting's:
    "— cuộc họp chưa bắt đầu") and no others: a live whose Facebook has not started, a meeting
    not opened yet; not one whose YouTube is live, one with nothing collected, one whose meeting
    is over, nor one past its end."""
    now = utcnow()
    account = make.account(HOME)
    zoom = make.account(HOME, name="Zoom BHXH", platform=Platform.ZOOM)
    by_title = {e.title: e for e in db.session.scalars(sa.select(Event))}
    make.target(by_title["Theo lịch"], account, status="scheduled")  # Facebook not live yet
    make.target(by_title["Không giờ kết thúc"], account, kind="youtube_live", external_id="yt",
                status="live")  # fmt: skip
    make.target(by_title["Quên cập nhật"], account, external_id="2", status="scheduled")
    meeting = make.event(HOME, title="Họp chưa mở", status=EventStatus.SCHEDULED,
                         planned_start=now - H, planned_end=now + H)  # fmt: skip
    make.target(meeting, zoom, kind="zoom_meeting", external_id="85012345678")
    over = make.event(HOME, title="Họp đã xong", status=EventStatus.SCHEDULED,
                      planned_start=now - H, planned_end=now + H)  # fmt: skip
    make.target(over, zoom, kind="zoom_meeting", external_id="85012345679", finished_at=now)
    db.session.commit()
    said = {e.title: status_words(e, now) for e in db.session.scalars(sa.select(Event))}
    waiting = {t for t, words in said.items() if words == waiting_words("broadcast")}
    waiting |= {t for t, words in said.items() if words == waiting_words("meeting")}
    assert waiting == {"Theo lịch", "Họp chưa mở"}
    assert said["Theo lịch"] == waiting_words("broadcast")
    assert said["Họp chưa mở"] == waiting_words("meeting")  # held, not broadcast
    # the filter's words, from the same source, are neither row's: they take both
    assert waiting_words() not in (said["Theo lịch"], said["Họp chưa mở"])
    assert titles_where(shown_status_sql(UNDER_WAY_WAITING, now)) == waiting
    login(client, make.user("officer", HOME).email)
    html = client.get("/events", query_string={"status": UNDER_WAY_WAITING}).get_data(as_text=True)
    assert f'<option selected value="{UNDER_WAY_WAITING}">{WAITING}</option>' in html
    body = html[html.index("<tbody") : html.index("</tbody>")]
    assert {t for t in said if f">{t}</a>" in body} == waiting
    assert "— nền tảng chưa phát" in body  # the rows' own words, under the filter's
    assert "— cuộc họp chưa bắt đầu" in body
    assert "Theo lịch" in listed(client, "live")  # still under way among the rest

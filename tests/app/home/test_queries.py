"""The home screen's read model at a fixed moment (tests/app/home/conftest.py tells the day).

Under way: live events and scheduled ones inside their planned hours, with the live read
model's numbers; today is Vietnam's day; upcoming is the next seven days; halls not connected
come from the hall states; alerts from collection; campaigns with their progress to the goal.
A commune officer's home adds the province's events they take part in, with their own hall only.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.home.queries import home_for
from app.live.summary import event_summary
from app.models import Campaign
from app.reports.campaign import campaign_progress
from app.scoping import get_scoped
from tests.app.events.provincial import NOW as CONFERENCE_NOW
from tests.app.events.provincial import provincial
from tests.app.home.conftest import NOW, Day
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres  # the same day read from both databases


def ids(events) -> list[int]:  # type: ignore[no-untyped-def]
    return [e.id for e in events]


def test_under_way_with_live_numbers_from_the_live_read_model(day: Day, make: Factory) -> None:
    home = home_for(make.user("viewer", HOME), NOW)
    assert [u.event.id for u in home.under_way] == [day.conference, day.livestream]
    live = home.under_way[1]
    assert live.whole
    assert live.summary.as_dict() == event_summary(day.livestream).as_dict()
    assert (live.summary.live_viewers, live.summary.peak_viewers) == (1234, 1500)
    assert (live.summary.views, live.summary.comments, live.summary.leads) == (5678, 2, 1)
    conference = home.under_way[0]
    # The hall that sent 40 people but never joined the meeting is still one to call.
    assert [h.expected for h in conference.halls_missing] == [40, 35, 30]
    assert [u.event.id for u in home.halls_missing] == [day.conference]
    assert home.part == set()


def test_today_is_vietnams_day_and_upcoming_the_next_seven(day: Day, make: Factory) -> None:
    home = home_for(make.user("viewer", HOME), NOW)
    assert home.today == date(2026, 11, 25)
    # Under-way events are not listed again; the ended one of this morning is.
    assert ids(home.today_events.events) == [day.this_morning, day.tonight]
    assert ids(home.upcoming.events) == [day.tomorrow, day.in_six_days]
    assert not home.today_events.more
    assert not home.upcoming.more
    assert home.upcoming_until == date(2026, 12, 2)


def test_lists_are_bounded_and_say_so(day: Day, make: Factory) -> None:
    for n in range(20):
        make.event(HOME, title=f"Nhóm nhỏ {n}", planned_start=NOW + timedelta(hours=1, minutes=n))
    home = home_for(make.user("viewer", HOME), NOW)
    assert len(home.today_events.events) == 15
    assert home.today_events.more


def test_alerts_from_collection(day: Day, make: Factory) -> None:
    home = home_for(make.user("viewer", HOME), NOW)
    seen = [(a.kind, a.account.name if a.account else None) for a in home.alerts]
    assert seen == [("account", "Kênh Zalo OA"), ("token", "Trang Facebook xã"),
                    ("target", "Kênh Zalo OA")]  # fmt: skip
    token = home.alerts[1]
    assert token.expires_at == NOW + timedelta(days=3)
    assert home.alerts[2].target.event_id == day.livestream
    # A month before expiry it is not news yet; three days before, it is.
    later = home_for(make.user("viewer", HOME), NOW + timedelta(days=24))
    assert ("token", "Trang Facebook huyện") in [(a.kind, a.account.name) for a in later.alerts]


def test_running_campaigns_and_their_progress(day: Day, make: Factory) -> None:
    user = make.user("viewer", HOME)
    home = home_for(user, NOW)
    assert [line.campaign.id for line in home.campaigns] == [day.campaign]
    line = home.campaigns[0]
    assert (line.enrolled, line.campaign.goal, line.days_left) == (3, 1700, 36)
    assert line.share == pytest.approx(3 / 1700)
    assert line.enrolled == campaign_progress(get_scoped(Campaign, day.campaign, user)).enrolled
    make.campaign(HOME, name="Không chỉ tiêu", goal=0)
    assert [c.share for c in home_for(user, NOW).campaigns] == [pytest.approx(3 / 1700), None]


def test_another_province_is_never_seen(day: Day, make: Factory) -> None:
    home = home_for(make.user("admin", HOME), NOW)
    listed = ids([u.event for u in home.under_way]) + ids(home.today_events.events)
    assert day.elsewhere not in listed
    assert "Fanpage Huế" not in [a.account.name for a in home.alerts if a.account]


def test_a_commune_sees_the_provincial_conference_with_its_own_hall(app, make: Factory) -> None:
    world = provincial(make)
    home = home_for(make.user("officer", world.mine), CONFERENCE_NOW)
    (conference,) = home.under_way
    assert (conference.event.id, conference.whole, conference.summary) == (
        world.conference, False, None)  # fmt: skip
    assert [h.commune for h in conference.halls] == [world.mine]
    assert conference.halls[0].head_count == 38
    assert home.part == {world.conference}
    assert ids(home.upcoming.events) == []  # "not_mine" is two days on, but not theirs
    theirs = home_for(make.user("officer", world.theirs), CONFERENCE_NOW)
    assert ids(theirs.upcoming.events) == [world.not_mine]
    assert [h.commune for h in theirs.under_way[0].halls] == [world.theirs]

"""An event not held yet at the report's moment brings no people present, however early its
halls send a head count.

A conference set for Friday 30/10/2026 08:00; at 06:30 that morning a commune hall, testing its
link as soon as it opens (two hours before the start, ``app.halls.window``), sends 120 people. A
report read before the start (one second before it, or on Wednesday 28/10, ``NOW``) must not
count them as present in the month; read at the start and after, it does. The moments are
injected (never the test run's clock). Each test runs on the sources and on the rollups, per
event and summed by the database, on both databases (the ``month`` fixture and
``tests/conftest.py``).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.collection.targets import add_target
from app.extensions import db
from app.halls import services
from app.models import BridgePoint, Channel, EngagementSample, Event
from app.reports.campaign import campaign_progress
from app.reports.facts import Planned, ReportFilter
from app.reports.report import build_report
from app.reports.rollups.build import refresh_online
from tests.app.reports.conftest import vn
from tests.app.reports.test_channels import EXPECTED
from tests.app.reports.test_planned import NOW

START = vn(date(2026, 10, 30), 8)  # Friday 30/10/2026 08:00 in Vietnam
SENT = START - timedelta(minutes=90)  # the hall's head count, 06:30, as soon as its link opens
AFTER = START + timedelta(hours=2)
HEAD_COUNT = 120
COST = 4_000_000


def _conference_counted_early(month) -> Event:
    event = Event(title="Hội nghị cuối tháng", channel=Channel.CONFERENCE,
                  org_unit=month.province, planned_start=START, cost_vnd=COST,
                  campaign_id=month.campaign_id)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    hall = BridgePoint(event_id=event.id, org_unit_id=month.commune_a.id, expected_attendance=150)
    db.session.add(hall)
    db.session.flush()
    services.record_report(hall, "early-count-0001", HEAD_COUNT, [], SENT, source="organiser")
    db.session.commit()
    assert hall.head_count == HEAD_COUNT  # the hall's figure keeps it: only the report decides
    return event


def _conference(month, now, per_event: bool) -> tuple[int, int, int, Planned]:
    """(events held, people present, cost spent) of the month's conferences, and the planned."""
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    report = build_report(f, per_event=per_event, now=now)
    row = next(r for r in report.by_channel() if r.channel == "conference")
    return row.events, row.reach, row.cost_vnd, report.planned()


@pytest.mark.parametrize("per_event", [True, False])
def test_a_head_count_sent_before_the_start_counts_once_the_conference_is_held(
    month, per_event
) -> None:
    _conference_counted_early(month)
    assert _conference(month, NOW, per_event) == (0, 0, 0, Planned(1, COST))
    just_before = START - timedelta(seconds=1)
    assert _conference(month, just_before, per_event) == (0, 0, 0, Planned(1, COST))
    assert _conference(month, START, per_event) == (1, HEAD_COUNT, COST, Planned(0, 0))
    assert _conference(month, AFTER, per_event) == (1, HEAD_COUNT, COST, Planned(0, 0))


def test_the_planned_conference_shows_no_people_present_in_its_row(month) -> None:
    event = _conference_counted_early(month)
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    row = next(e for e in build_report(f, now=NOW).events() if e.event_id == event.id)
    assert (row.count, row.reach, row.interactions, row.planned) == (0, 0, 0, 1)
    row = next(e for e in build_report(f, now=AFTER).events() if e.event_id == event.id)
    assert (row.count, row.reach, row.planned) == (1, HEAD_COUNT, 0)


def test_the_campaign_page_counts_the_hall_once_the_conference_is_held(month) -> None:
    campaign = _conference_counted_early(month).campaign
    before = campaign_progress(campaign, now=NOW).reach["present"]
    after = campaign_progress(campaign, now=AFTER).reach["present"]
    assert after - before == HEAD_COUNT


@pytest.mark.parametrize("per_event", [True, False])
def test_a_livestream_not_started_brings_no_views_nor_interactions(month, per_event) -> None:
    """The same rule for the other audience figures: a livestream announced on its page gathers
    a few views and reactions before it goes live; they count once it is held."""
    event = Event(title="Livestream cuối tháng", channel=Channel.LIVESTREAM,
                  org_unit=month.province, planned_start=START)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "livestream-cuoi-thang")
    db.session.flush()
    db.session.add(EngagementSample(target_id=target.id, sampled_at=SENT, views=300,
                                    reactions_total=10, shares=2, extra={}))  # fmt: skip
    db.session.flush()
    refresh_online(event.id)  # the collection runner's step after its batch
    db.session.commit()
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    month_views = EXPECTED["livestream"]["reach"]
    month_interactions = EXPECTED["livestream"]["interactions"]

    def livestream(now) -> tuple[int, int, int]:
        row = next(r for r in build_report(f, per_event=per_event, now=now).by_channel()
                   if r.channel == "livestream")  # fmt: skip
        return row.events, row.reach, row.interactions

    held_before = EXPECTED["livestream"]["events"]
    assert livestream(NOW) == (held_before, month_views, month_interactions)
    assert livestream(AFTER) == (held_before + 1, month_views + 300, month_interactions + 12)

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

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.attendance.lead_people import register_comment_leads
from app.collection.targets import add_target
from app.extensions import db
from app.halls import services
from app.models import (
    Attendance,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    ImportBatch,
    Link,
    LinkStatus,
    Scheme,
)
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
    # A meeting in a room has no interactions at all ("—"), held or not.
    assert (row.count, row.reach, row.interactions, row.planned) == (0, 0, None, 1)
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


# -- people identified and their enrolments, before the start ---------------------------------
#
# People are identified for an event before it starts in a real office, in three ways the
# importers and collectors accept: a hall checks its attendees in by name from two hours before
# the start (``app.halls.window``, the same window as an attendee sheet's import); a comment on
# a livestream's announcement, days before it goes live, becomes a person at the follow-up's
# next run (``app.attendance.lead_people``: no window at all); and a conference checked in, then
# postponed, keeps its check-ins. Until the start they count nowhere: neither as people
# identified (per channel, month, commune or in total) nor as the enrolments credited to the
# event; from the start they count as for any event held.

BASE_IDENTIFIED = 7  # p1 to p7 at the month's events (tests/app/reports/conftest.py)
BASE_ENROLMENTS = 3  # L1's, C1's and G1's
MONTH_PERIOD = (date(2026, 10, 1), date(2026, 10, 31))
# Each period, and the people identified and enrolments credited at its events held before.
PERIODS = {
    "month": (MONTH_PERIOD, BASE_IDENTIFIED, BASE_ENROLMENTS),  # the stored cells of a month
    "year": ((date(2026, 1, 1), date(2026, 12, 31)), BASE_IDENTIFIED, BASE_ENROLMENTS),
    # No stored cells: counted from the touches. G1 (p2, p4, p5, and p2's enrolment) and L2 (p7).
    "fortnight": ((date(2026, 10, 15), date(2026, 10, 31)), 4, 1),
    "all time": ((None, None), BASE_IDENTIFIED, BASE_ENROLMENTS),  # the all-time cells
}


def _enrol(person_id: int, paid: date) -> None:
    """A new voluntary social insurance enrolment linked to the person, as the linkage makes."""
    batch = ImportBatch(kind="enrolments", filename="thu-thang-10.xlsx",
                        sha256=uuid.uuid4().hex, created_at=AFTER)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=1, row_key=uuid.uuid4().hex,
                    scheme=Scheme.BHXH_TU_NGUYEN, is_new=True, paid_on=paid)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Link(person_id=person_id, enrolment_id=row.id, method="phone",
                        status=LinkStatus.LINKED, created_at=AFTER))  # fmt: skip


def _checked_in_early(month) -> Event:
    """A conference at 08:00 whose hall checks two people in by name at 06:30, as the window
    allows; one of them pays her first contribution at the hall that morning."""
    event = Event(title="Hội nghị cuối tháng", channel=Channel.CONFERENCE,
                  org_unit=month.province, planned_start=START, cost_vnd=COST,
                  campaign_id=month.campaign_id)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    (hall,) = services.set_bridge_points(event, [month.commune_a.code], {}, now=NOW)
    names = [{"name": "Nguyễn Thị Hoa", "birth": "1984"}, {"name": "Lê Văn Nam", "birth": "1979"}]
    services.record_report(hall, "early-names-01", 2, names, SENT)
    db.session.flush()
    people = sorted(db.session.scalars(select(Attendance.person_id)
                                       .where(Attendance.event_id == event.id)))  # fmt: skip
    assert len(people) == 2  # stored: the window is open at 06:30
    _enrol(people[0], date(2026, 10, 30))
    db.session.commit()
    return event


def _people(month, channel: str, now, per_event: bool, period=MONTH_PERIOD) -> tuple:
    """(people identified, enrolments) of ``channel`` and of every channel together."""
    start, end = period
    f = ReportFilter(unit=month.province, start=start, end=end)
    report = build_report(f, per_event=per_event, now=now)
    row = next(r for r in report.by_channel() if r.channel == channel)
    totals = report.totals()
    return row.identified, round(row.enrolments, 6), totals["identified"], totals["enrolments"]


@pytest.mark.parametrize("per_event", [True, False])
def test_people_checked_in_before_the_start_count_once_the_conference_is_held(
    month, per_event
) -> None:
    _checked_in_early(month)
    before = (0, 0, BASE_IDENTIFIED, BASE_ENROLMENTS)
    held = (2, 1, BASE_IDENTIFIED + 2, BASE_ENROLMENTS + 1)
    assert _people(month, "conference", NOW, per_event) == before
    assert _people(month, "conference", START - timedelta(seconds=1), per_event) == before
    assert _people(month, "conference", START, per_event) == held
    assert _people(month, "conference", AFTER, per_event) == held


@pytest.mark.parametrize("period", list(PERIODS))
def test_every_period_leaves_out_the_people_of_a_conference_not_held(month, period) -> None:
    """The month's and the year's stored cells, a period counted from the touches, all time."""
    _checked_in_early(month)
    dates, people, enrolments = PERIODS[period]
    before = _people(month, "conference", START - timedelta(seconds=1), False, dates)
    assert before == (0, 0, people, enrolments)
    after = _people(month, "conference", AFTER, False, dates)
    assert after == (2, 1, people + 2, enrolments + 1)


def test_the_month_and_commune_rows_leave_out_the_people_of_a_conference_not_held(month) -> None:
    _checked_in_early(month)
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))

    def rows(now) -> tuple[int | None, int | None]:
        report = build_report(f, per_event=False, now=now)
        by_month = {(m, r.channel): r for m, r in report.by_month()}
        by_commune = {(name, r.channel): r for _code, name, r in report.by_commune()}
        october = by_month.get((date(2026, 10, 1), "conference"))
        province = by_commune.get((None, "conference"))  # the conference is the province's
        return (october.identified if october else None,
                province.identified if province else None)  # fmt: skip

    assert rows(START - timedelta(seconds=1)) == (0, 0)  # its rows, planned, without people
    assert rows(AFTER) == (2, 2)


def test_a_person_met_before_at_a_held_event_still_counts(month) -> None:
    """Checked in early at the conference, p1 was at C1 on 10/10: the month still counts her
    once, as C1's, before the conference is held (nobody is taken off twice)."""
    event = _checked_in_early(month)
    db.session.add(Attendance(person_id=month.people["p1"].id, event_id=event.id,
                              source="checkin", touched_at=SENT))  # fmt: skip
    db.session.commit()
    for per_event in (True, False):
        before = _people(month, "conference", START - timedelta(seconds=1), per_event)
        assert before == (0, 0, BASE_IDENTIFIED, BASE_ENROLMENTS)
        assert _people(month, "conference", AFTER, per_event)[::2] == (3, BASE_IDENTIFIED + 2)


def test_a_postponed_conference_keeps_its_check_ins_out_until_its_new_start(month) -> None:
    """Checked in at 06:30, the conference is put off to the next morning at 08:00 (its halls'
    people went home): read at 10:00 on the first day it is not held, its people count nowhere;
    read after the new start, they do."""
    event = _checked_in_early(month)
    event.planned_start = START + timedelta(days=1)
    db.session.commit()
    for per_event in (True, False):
        assert _people(month, "conference", AFTER, per_event) == (
            0, 0, BASE_IDENTIFIED, BASE_ENROLMENTS)  # fmt: skip
        later = START + timedelta(days=1, hours=1)
        assert _people(month, "conference", later, per_event) == (
            2, 1, BASE_IDENTIFIED + 2, BASE_ENROLMENTS + 1)  # fmt: skip


@pytest.mark.parametrize("per_event", [True, False])
def test_a_comment_lead_on_a_livestream_announcement_counts_once_it_is_live(
    month, per_event
) -> None:
    """The page announces Friday's 20:00 livestream on Monday 26/10; a viewer comments under the
    announcement asking for advice, is called and enrols on Tuesday. Read on Wednesday (``NOW``)
    the livestream is not held: neither she nor her enrolment counts; read after it, both do."""
    evening = vn(date(2026, 10, 30), 20)
    event = Event(title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM,
                  org_unit=month.province, planned_start=evening,
                  campaign_id=month.campaign_id)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "thong-bao-livestream-thu-sau")
    db.session.flush()
    db.session.add(Comment(target_id=target.id, external_id="announce-c1",
                           author_name="Trần Thị Thu", author_external_id="fb-1001",
                           message="Em muốn tham gia BHXH tự nguyện, tư vấn giúp em",
                           created_at=vn(date(2026, 10, 26), 19), is_lead=True,
                           lead_intents=["tu_van"]))  # fmt: skip
    db.session.flush()
    assert register_comment_leads(NOW) == 1  # the follow-up's run: no window refuses it
    (person_id,) = db.session.scalars(select(Attendance.person_id)
                                      .where(Attendance.event_id == event.id))  # fmt: skip
    _enrol(person_id, date(2026, 10, 27))
    db.session.commit()
    base = (EXPECTED["livestream"]["identified"], EXPECTED["livestream"]["enrolments"])
    assert _people(month, "livestream", NOW, per_event) == (
        *base, BASE_IDENTIFIED, BASE_ENROLMENTS)  # fmt: skip
    assert _people(month, "livestream", evening + timedelta(hours=2), per_event) == (
        base[0] + 1, base[1] + 1, BASE_IDENTIFIED + 1, BASE_ENROLMENTS + 1)  # fmt: skip


def test_the_campaign_funnel_counts_the_people_once_the_conference_is_held(month) -> None:
    campaign = _checked_in_early(month).campaign
    before = campaign_progress(campaign, now=START - timedelta(seconds=1)).funnel
    after = campaign_progress(campaign, now=AFTER).funnel
    assert (before["identified"], before["enrolled"]) == (BASE_IDENTIFIED, BASE_ENROLMENTS)
    assert (after["identified"], after["enrolled"]) == (BASE_IDENTIFIED + 2, BASE_ENROLMENTS + 1)


def test_the_planned_conference_row_shows_no_people_nor_credit(month) -> None:
    event = _checked_in_early(month)
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    row = next(e for e in build_report(f, now=NOW).events() if e.event_id == event.id)
    assert (row.identified_count, row.enrolments, row.planned) == (0, 0, 1)
    row = next(e for e in build_report(f, now=AFTER).events() if e.event_id == event.id)
    assert (row.identified_count, row.enrolments, row.planned) == (2, 1, 0)

"""An event that has not started yet counts neither as an activity nor by its cost.

The tour's December report showed "Livestream 4 … 10.500.000", 3.000.000 of it a livestream
planned for later in the month and still scheduled. On the hand-made month a scheduled livestream
(3.000.000 VND) is added: the report stays as worked out by hand, on the sources and on the
rollups (per event and summed by the database), and its cost comes in, in the same commit, once
the event goes live (as the runner's writer sets it) or an officer dates its actual start.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import Channel, Event, EventStatus
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from tests.app.reports.conftest import vn
from tests.app.reports.test_channels import EXPECTED, TOTAL_COST
from tests.conftest import HOME, login

PLANNED_COST = 3_000_000
LIVESTREAM = EXPECTED["livestream"]


def _planned(month) -> Event:
    event = Event(title="Livestream sắp tới", channel=Channel.LIVESTREAM,
                  org_unit=month.province, planned_start=vn(date(2026, 10, 30), 20),
                  cost_vnd=PLANNED_COST, campaign_id=month.campaign_id)  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event


def _livestream_and_total(month, per_event: bool) -> tuple[int, int, int, int | None]:
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    report = build_report(f, per_event=per_event)
    row = next(r for r in report.by_channel() if r.channel == "livestream").as_dict()
    totals = report.totals()
    return row["events"], row["cost_vnd"], totals["cost_vnd"], row["cost_per_enrolment"]


@pytest.mark.parametrize("per_event", [True, False])
def test_a_scheduled_event_is_not_counted_until_it_goes_live(month, per_event) -> None:
    event = _planned(month)
    assert event.status == EventStatus.SCHEDULED
    assert _livestream_and_total(month, per_event) == (
        LIVESTREAM["events"],
        LIVESTREAM["cost_vnd"],
        TOTAL_COST,
        LIVESTREAM["cost_per_enrolment"],
    )

    event.status = EventStatus.LIVE  # as the runner's writer does when the live starts
    db.session.commit()
    cost = LIVESTREAM["cost_vnd"] + PLANNED_COST
    assert _livestream_and_total(month, per_event) == (
        LIVESTREAM["events"] + 1,
        cost,
        TOTAL_COST + PLANNED_COST,
        cost,
    )

    event.status = EventStatus.SCHEDULED  # set back by hand: out again
    db.session.commit()
    assert _livestream_and_total(month, per_event)[:3] == (
        LIVESTREAM["events"],
        LIVESTREAM["cost_vnd"],
        TOTAL_COST,
    )


def test_an_actual_start_typed_in_counts_the_event(month) -> None:
    """An event no collector follows (a meeting in a hall) stays scheduled unless an officer
    changes it; the actual start an officer types in says it took place."""
    event = _planned(month)
    event.actual_start = vn(date(2026, 10, 30), 20)
    db.session.commit()
    assert _livestream_and_total(month, per_event=False)[:2] == (
        LIVESTREAM["events"] + 1,
        LIVESTREAM["cost_vnd"] + PLANNED_COST,
    )


def test_the_pages_leave_the_planned_cost_out(client, make, month) -> None:
    _planned(month)
    login(client, make.user("viewer", HOME).email)
    october = {"from": "2026-10-01", "to": "2026-10-31", "org_unit": HOME}
    monthly = {"period": "2026-10", "org_unit": HOME}
    for url, args in (("/reports/channels", october), ("/reports/monthly", monthly)):
        html = client.get(url, query_string=args).get_data(as_text=True)
        assert "8.820.000" in html, url  # the month's total cost as worked out by hand
        assert "11.820.000" not in html, url  # not with the 3.000.000 planned

"""A cost nobody entered is unknown, not 0: the reports never read it as a free activity.

On the hand-made October (conftest.py) L1 (2.000.000 đ) earned the livestreams' one enrolment
and L2 (1.000.000 đ) none; G1 (300.000 đ) earned the small group's. A cost taken away (None)
leaves the sums to the costs entered, says how many activities have one, and the cost per
enrolment is the known costs over the credit of those same activities: never 0 and never a
division by zero. Each test runs on the sources and on the rollups (per event and summed by the
database), on both databases, and the two paths must agree.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Channel, Event, OfflineActivity
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups.build import ready
from dashboards.theme import WORDS
from tests.app.reports.conftest import OCTOBER, vn
from tests.app.reports.test_channels import (
    HEADERS,
    NOT_A_NUMBER,
    TOTAL_COST,
    _api,
    _csv_by_channel,
    _xlsx_by_channel,
)
from tests.conftest import HOME, login

NOW = vn(date(2026, 10, 28), 10)  # after every event of the month


def _unknown(month, *keys: str) -> None:
    for key in keys:
        month.events[key].cost_vnd = None
    db.session.commit()


def _rows(month, per_event: bool, rollups: bool | None = None) -> tuple[dict[str, dict], dict]:
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    report = build_report(f, rollups=rollups, per_event=per_event, now=NOW)
    return {c.channel: c.as_dict() for c in report.by_channel()}, report.totals()


COST_KEYS = ("cost_vnd", "events_with_cost", "events_without_cost", "cost_per_enrolment")


def _cost(row: dict) -> tuple:
    return tuple(row[k] for k in COST_KEYS)


@pytest.mark.parametrize("per_event", [True, False])
def test_an_unknown_cost_is_left_out_of_the_sum_and_the_cost_per_enrolment(
    month, per_event
) -> None:
    rows, totals = _rows(month, per_event)
    assert _cost(rows["livestream"]) == (3_000_000, 2, 0, 3_000_000)  # as before: all known
    _unknown(month, "L1")  # the one that earned the enrolment
    rows, totals = _rows(month, per_event)
    # L2's cost alone, and no cost per enrolment: L2 earned none, L1's is not known.
    assert _cost(rows["livestream"]) == (1_000_000, 1, 1, None)
    assert totals["cost_vnd"] == TOTAL_COST - 2_000_000
    assert (totals["events_with_cost"], totals["events_without_cost"]) == (6, 1)
    # The credit of the activities with a cost (C1 1, G1 1), not L1's: 5.300.000 + offline.
    assert totals["cost_per_enrolment"] == round((TOTAL_COST - 2_000_000) / 2)

    _unknown(month, "L2")
    rows, totals = _rows(month, per_event)
    assert _cost(rows["livestream"]) == (None, 0, 2, None)
    assert rows["livestream"]["events"] == 2  # still held, counted as activities


@pytest.mark.parametrize("per_event", [True, False])
def test_a_known_cost_beside_an_unknown_one_is_divided_by_its_own_credit(month, per_event) -> None:
    _unknown(month, "L2", "G1")  # L2 earned nothing; G1 the small group's one enrolment
    rows, _ = _rows(month, per_event)
    assert _cost(rows["livestream"]) == (2_000_000, 1, 1, 2_000_000)  # L1's cost over L1's one
    assert _cost(rows["small_group"]) == (None, 0, 1, None)  # never 0 đ per enrolment
    assert rows["small_group"]["enrolments"] == 1  # the credit itself stays


@pytest.mark.parametrize("per_event", [True, False])
def test_the_sources_and_the_rollups_agree(month, report_path, per_event) -> None:
    """The same figures read from the source tables and from the rollups, with unknown costs
    (the rollups built in full on the "rollups" run, each event's row following its cost)."""
    _unknown(month, "L1", "G1")
    entry = db.session.query(OfflineActivity).filter_by(quantity=12).one()
    entry.cost_vnd = None
    db.session.commit()
    assert ready() == (report_path == "rollups")
    read = {}
    for rollups in (False, True):
        rows, totals = _rows(month, per_event, rollups)
        read[rollups] = ({c: _cost(r) for c, r in rows.items()}, [totals[k] for k in COST_KEYS])
    assert read[False] == read[True]
    assert read[False][0]["loudspeaker"] == (None, 0, 1, None)
    assert read[False][0]["small_group"] == (None, 0, 1, None)


@pytest.mark.parametrize("per_event", [True, False])
def test_a_planned_event_without_a_cost_is_said_apart(month, per_event) -> None:
    ahead = Event(title="Livestream sắp tới", channel=Channel.LIVESTREAM, org_unit=month.province,
                  planned_start=NOW + timedelta(days=2), cost_vnd=None)  # fmt: skip
    db.session.add(ahead)
    db.session.commit()
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    planned = build_report(f, per_event=per_event, now=NOW).planned()
    assert (planned.events, planned.cost_vnd, planned.without_cost) == (1, 0, 1)
    rows, _ = _rows(month, per_event)
    assert rows["livestream"]["planned_without_cost"] == 1


def test_the_page_the_api_and_the_files_say_not_entered(client, make, month) -> None:
    _unknown(month, "L1", "G1")
    user = make.user("viewer", HOME)
    api = {r["channel"]: r for r in _api(client, user, **OCTOBER).get_json()}
    assert api["small_group"]["cost_vnd"] is None  # null, never 0
    assert api["small_group"]["cost_per_enrolment"] is None
    assert (api["livestream"]["cost_vnd"], api["livestream"]["events_without_cost"]) == (
        1_000_000,
        1,
    )

    login(client, user.email)
    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    row = html.split('<tr data-channel="small_group">')[1].split("</tr>")[0]
    assert "Chưa nhập" in row
    live = html.split('<tr data-channel="livestream">')[1].split("</tr>")[0]
    assert "1.000.000" in live
    assert "1/2 hoạt động đã nhập chi phí" in live
    assert 'id="cost-note"' in html
    assert not NOT_A_NUMBER.search(html.split("<tbody>")[1].split("</tfoot>")[0])

    rows, total = _xlsx_by_channel(client, OCTOBER)
    small = next(r for r in rows if r["Kênh"] == WORDS["channel.small_group"])
    assert small[HEADERS["cost_vnd"]] is None  # an empty cell, not 0
    assert small[HEADERS["cost_per_enrolment"]] is None
    assert total[HEADERS["cost_vnd"]] == TOTAL_COST - 2_000_000 - 300_000
    xlsx = client.get("/reports/channels.xlsx", query_string=OCTOBER).data
    book = load_workbook(io.BytesIO(xlsx))
    notes = [r[0] for r in book["Theo kênh"].iter_rows(values_only=True) if r[0]]
    assert any(str(n).startswith("Chi phí: chỉ cộng") for n in notes)
    events = [r for r in book["Theo hoạt động"].iter_rows(min_row=4, values_only=True)]
    g1 = next(r for r in events if r[2] == "Sự kiện G1")
    assert g1[10] is None
    csv_rows, _ = _csv_by_channel(client, OCTOBER)
    small_csv = next(r for r in csv_rows if r["Kênh"] == WORDS["channel.small_group"])
    assert small_csv[HEADERS["cost_vnd"]] == ""

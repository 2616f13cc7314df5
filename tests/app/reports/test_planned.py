"""An event counts as held, and its cost as spent, once its start has passed at the report's moment.

The tour's December report counted a livestream planned for 08/12 on 06/12: an activity held and
3.000.000 đ spent. A first fix counted an event once its status left "scheduled", which dropped
the meetings in halls no collector moves past "scheduled". The rule is the start (the actual
one, else the planned one) against the moment the report is read, given here (``NOW``, a
Wednesday of the hand-made month after all its events), never the wall clock. Each test runs on
the sources and on the rollups (per event and summed by the database), on both databases.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.models import Channel, Event, EventStatus
from app.reports import report as report_module
from app.reports import routes
from app.reports.facts import Planned, ReportFilter
from app.reports.report import build_report
from tests.app.reports.conftest import vn
from tests.app.reports.test_channels import EXPECTED, TOTAL_COST
from tests.conftest import HOME, login

NOW = vn(date(2026, 10, 28), 10)  # 28/10/2026 10:00 in Vietnam; the month's events are earlier
PLANNED_COST = 3_000_000
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31", "org_unit": HOME}
MONTH = {"period": "2026-10", "org_unit": HOME}
LINE = "1 sự kiện đã lên kế hoạch, chưa diễn ra (chi phí dự kiến 3.000.000 đ)"


def _add(month, channel: Channel, title: str, **when) -> Event:
    event = Event(title=title, channel=channel, org_unit=month.province, cost_vnd=PLANNED_COST,
                  campaign_id=month.campaign_id, **when)  # fmt: skip
    db.session.add(event)
    db.session.commit()
    assert event.status == EventStatus.SCHEDULED  # nothing moves it: the start alone decides
    return event


def _read(month, channel: str, now, per_event: bool) -> tuple[int, int, int, int, Planned]:
    """(activities, cost) of ``channel``, total activities and cost, and the planned ones."""
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    report = build_report(f, per_event=per_event, now=now)
    assert report.taken_at == now  # the moment printed is the one that decided
    row = next(r for r in report.by_channel() if r.channel == channel)
    totals = report.totals()
    return row.events, row.cost_vnd, totals["events"], totals["cost_vnd"], report.planned()


TOTAL_EVENTS = sum(v["events"] for k, v in EXPECTED.items() if k not in ("leaflet", "loudspeaker"))
LIVESTREAM = (EXPECTED["livestream"]["events"], EXPECTED["livestream"]["cost_vnd"])


@pytest.mark.parametrize("per_event", [True, False])
def test_a_livestream_two_days_ahead_is_planned_until_its_start(month, per_event) -> None:
    _add(month, Channel.LIVESTREAM, "Livestream sắp tới", planned_start=NOW + timedelta(days=2))
    planned = Planned(1, PLANNED_COST)
    assert _read(month, "livestream", NOW, per_event) == (
        *LIVESTREAM, TOTAL_EVENTS, TOTAL_COST, planned
    )  # fmt: skip
    just_before = NOW + timedelta(days=2, seconds=-1)
    assert _read(month, "livestream", just_before, per_event)[4] == planned
    after = NOW + timedelta(days=2, hours=1)  # same month, still "scheduled"
    assert _read(month, "livestream", after, per_event) == (
        LIVESTREAM[0] + 1,
        LIVESTREAM[1] + PLANNED_COST,
        TOTAL_EVENTS + 1,
        TOTAL_COST + PLANNED_COST,
        Planned(0, 0),
    )


@pytest.mark.parametrize("per_event", [True, False])
def test_an_in_person_conference_still_scheduled_counts_once_its_start_passed(
    month, per_event
) -> None:
    """The reverted rule's victim: nothing moves a meeting in a hall past "scheduled"."""
    held_yesterday = NOW - timedelta(days=1)
    _add(month, Channel.CONFERENCE, "Hội nghị tại hội trường", planned_start=held_yesterday)
    assert _read(month, "conference", NOW, per_event) == (
        1, PLANNED_COST, TOTAL_EVENTS + 1, TOTAL_COST + PLANNED_COST, Planned(0, 0)
    )  # fmt: skip
    before = NOW - timedelta(days=2)
    assert _read(month, "conference", before, per_event)[:2] == (0, 0)
    assert _read(month, "conference", before, per_event)[4] == Planned(1, PLANNED_COST)


@pytest.mark.parametrize("per_event", [True, False])
def test_an_actual_start_earlier_than_planned_counts_from_it(month, per_event) -> None:
    event = _add(month, Channel.LIVESTREAM, "Livestream sớm", planned_start=NOW + timedelta(days=2))
    assert _read(month, "livestream", NOW, per_event)[0] == LIVESTREAM[0]
    event.actual_start = NOW - timedelta(hours=3)  # went live early: the rollup row follows
    db.session.commit()
    assert _read(month, "livestream", NOW, per_event) == (
        LIVESTREAM[0] + 1,
        LIVESTREAM[1] + PLANNED_COST,
        TOTAL_EVENTS + 1,
        TOTAL_COST + PLANNED_COST,
        Planned(0, 0),
    )
    before = NOW - timedelta(hours=4)  # before the actual start: not held yet
    assert _read(month, "livestream", before, per_event)[4] == Planned(1, PLANNED_COST)


def _text(pdf: bytes, docx: bytes) -> tuple[str, str]:
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    document = Document(io.BytesIO(docx))
    cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
    docx_text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    return re.sub(r"\s+", " ", pdf_text), docx_text


def test_the_pages_and_files_keep_the_planned_cost_apart(client, make, month, monkeypatch) -> None:
    _add(month, Channel.LIVESTREAM, "Livestream sắp tới", planned_start=NOW + timedelta(days=2))
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    channels = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    monthly = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    pdf, docx = _text(
        client.get("/reports/monthly.pdf", query_string=MONTH).data,
        client.get("/reports/monthly.docx", query_string=MONTH).data,
    )
    for name, text in (("channels", channels), ("monthly", monthly), ("pdf", pdf), ("docx", docx)):
        assert "8.820.000" in text, name  # the month's total cost as worked out by hand
        assert "11.820.000" not in text, name  # never with the 3.000.000 planned
        assert LINE in text, name
    assert "Số liệu tính đến 28/10/2026 10:00" in monthly  # the same moment decided


def test_a_commune_lists_its_planned_event_without_a_cost_spent(client, make, month, monkeypatch):
    event = Event(title="Livestream xã sắp tới", channel=Channel.LIVESTREAM,
                  org_unit=month.commune_a, planned_start=NOW + timedelta(days=2),
                  cost_vnd=PLANNED_COST)  # fmt: skip
    db.session.add(event)
    db.session.commit()
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    args = {**OCTOBER, "org_unit": month.commune_a.code}
    html = client.get("/reports/channels", query_string=args).get_data(as_text=True)
    row = re.search(r"<tr>(?:(?!</tr>).)*Livestream xã sắp tới.*?</tr>", html, re.S).group(0)
    cost = re.findall(r"<td class=\"num\"[^>]*>(.*?)</td>", row, re.S)[-1]
    assert re.search(r'<span class="muted" title="[^"]*3\.000\.000[^"]*">chưa diễn ra</span>', cost)
    assert LINE in html


def test_the_campaign_page_marks_a_planned_cost(client, make, month, monkeypatch) -> None:
    _add(month, Channel.LIVESTREAM, "Livestream sắp tới", planned_start=NOW + timedelta(days=2))
    monkeypatch.setattr(routes, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    planned = re.findall(r"(\d[\d.]*) \(dự kiến\)", html)
    assert planned == ["3.000.000"], planned  # the month's held events show their cost plainly


def test_the_workbook_says_the_planned_event_apart(client, make, month, monkeypatch) -> None:
    _add(month, Channel.LIVESTREAM, "Livestream sắp tới", planned_start=NOW + timedelta(days=2))
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    data = client.get("/reports/channels.xlsx", query_string=OCTOBER).data
    book = load_workbook(io.BytesIO(data))
    by_channel = [list(r) for r in book["Theo kênh"].iter_rows(values_only=True)]
    livestream = next(r for r in by_channel if r[0] == "Livestream")
    assert livestream[1:2] == [LIVESTREAM[0]]
    assert LIVESTREAM[1] in livestream  # the cost spent, the planned 3.000.000 apart
    assert PLANNED_COST + LIVESTREAM[1] not in livestream
    assert any(r[0] and str(r[0]).startswith(LINE) for r in by_channel), by_channel
    events = [list(r) for r in book["Theo hoạt động"].iter_rows(values_only=True)]
    headers = events[2]
    planned = dict(zip(headers, next(r for r in events if "Livestream sắp tới" in r), strict=True))
    # Its number cells empty, never text (the columns stay numbers to add up and filter); the
    # note column, a text one, says why.
    assert headers[-1] == "Ghi chú"
    assert [planned[h] for h in ("Tiếp cận", "Tương tác", "Chi phí (đồng)")] == [None] * 3
    assert planned["Ghi chú"] == "chưa diễn ra"
    numbers = ("Tiếp cận", "Số người tiếp cận", "Tương tác", "Người được định danh",
               "Lượt tham gia BHXH và BHYT được ghi công", "Chi phí (đồng)")  # fmt: skip
    assert set(numbers) <= set(headers)
    body = [dict(zip(headers, r, strict=True)) for r in events[3:]]
    assert len(body) > 5
    for row in body:
        assert all(row[h] is None or isinstance(row[h], int | float) for h in numbers), row
    held = [row for row in body if row["Tiêu đề"] != "Livestream sắp tới"]
    assert all(row["Ghi chú"] is None for row in held)
    assert sum(row["Chi phí (đồng)"] or 0 for row in body) == TOTAL_COST
    text = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": "event"})
    body_text = text.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body_text), delimiter=";"))
    by_header = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    planned_csv = next(r for r in by_header if r["Tiêu đề"] == "Livestream sắp tới")
    assert [planned_csv[h] for h in ("Tiếp cận", "Tương tác", "Chi phí (đồng)")] == [""] * 3
    assert planned_csv["Ghi chú"] == "chưa diễn ra"


def test_the_api_keeps_the_planned_events_apart(client, make, month, monkeypatch) -> None:
    _add(month, Channel.LIVESTREAM, "Livestream sắp tới", planned_start=NOW + timedelta(days=2))
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    rows = client.get("/api/v1/reports/channels", query_string=OCTOBER).get_json()
    by_channel = {r["channel"]: r for r in rows}
    livestream = by_channel["livestream"]
    assert (livestream["events"], livestream["cost_vnd"]) == LIVESTREAM
    assert (livestream["planned_events"], livestream["planned_cost_vnd"]) == (1, PLANNED_COST)
    others = [r for r in rows if r["channel"] != "livestream"]
    assert all((r["planned_events"], r["planned_cost_vnd"]) == (0, 0) for r in others)
    assert sum(r["cost_vnd"] for r in rows) == TOTAL_COST  # the 3.000.000 in no figure

"""A finished livestream with nothing collected, or not held yet, has no figures and no rank.

The tour found such a livestream shown "chưa có" for views but 0 for peak viewers, interactions
and comments, "0 lần" against the median and ranked 2/2, on the event page and in December's
report. Here the month of ``test_livestreams`` gains N (18/11, the own office, ended, one target
that collected nothing) and F (28/11, ended by an officer before its planned start, one comment
already collected): read on 27/11, N is "chưa có" in every figure, F "chưa diễn ra", neither is
ranked, and neither counts as 0 in E5's medians (E5's earlier ones now include N).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path
from statistics import median

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.collection.targets import add_target
from app.extensions import db
from app.models import Channel, Comment, Event, EventStatus
from app.reports import report as report_module
from app.reports.facts import ReportFilter
from app.reports.livestream_compare import METRICS
from tests.app.reports.conftest import vn
from tests.app.reports.test_livestreams import NOV, _unit, expected, seed
from tests.conftest import HOME, login

NOW = vn(date(2026, 11, 27), 10)  # the figures are read on 27/11, after E5, before F's start
MONTH = {"period": "2026-11", "org_unit": HOME}


def _ended(title: str, day: int, **when) -> tuple[Event, int]:
    """An ended livestream of the own office with one ended target; (event, target id)."""
    start = vn(NOV.replace(day=day))
    event = Event(title=title, channel=Channel.LIVESTREAM, org_unit=_unit(HOME), cost_vnd=0,
                  planned_start=start, status=EventStatus.ENDED, **when)  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", title)
    target.status = "ended"
    db.session.flush()
    return event, target.id


@pytest.fixture
def streams(app, report_path) -> dict[str, Event]:
    events = seed(report_path)
    start = vn(NOV.replace(day=18))
    events["N"], _ = _ended("Livestream N", 18, actual_start=start,
                            actual_end=start + timedelta(hours=1))  # fmt: skip
    events["F"], target_id = _ended("Livestream F", 28)
    db.session.add(Comment(target_id=target_id, external_id="F-0", message="Mấy giờ bắt đầu ạ?",
                           created_at=vn(NOV.replace(day=27), 8), lead_intents=[]))  # fmt: skip
    db.session.commit()
    if report_path == "rollups":
        from app.reports.rollups.full_build import rebuild

        rebuild()
        db.session.commit()
    return events


def test_no_figure_at_all_and_no_rank(streams) -> None:
    from app.reports.livestreams import NOT_COLLECTED, NOT_HELD, comparisons, figures_of

    f = ReportFilter(unit=_unit(HOME), as_of=NOW)
    figures = figures_of([streams[k].id for k in ("N", "F", "E5")], f)
    n, held_not, e5 = (figures[streams[k].id] for k in ("N", "F", "E5"))
    assert [getattr(n, m) for m in METRICS] == [None] * len(METRICS)
    assert n.missing == NOT_COLLECTED
    assert [getattr(held_not, m) for m in METRICS] == [None] * len(METRICS)
    assert held_not.missing == NOT_HELD  # a comment collected, but its start is still ahead
    assert e5.missing is None
    assert {m: getattr(e5, m) for m in METRICS} == expected("E5")

    (c_n, c_e5) = comparisons([streams["N"].id, streams["E5"].id], f)
    assert all((m.value, m.ratio, m.rank) == (None, None, None) for m in c_n.metrics)
    # E5 against N, E4, E3, E2, E1: N is among them but in no median and no rank (never 0).
    assert [e.title for e in c_e5.earlier] == [
        f"Livestream {k}" for k in ("N", "E4", "E3", "E2", "E1")
    ]
    others = [expected(f"E{i}") for i in (4, 3, 2, 1)]
    for metric, mine in expected("E5").items():
        values = [o[metric] for o in others if o[metric] is not None]
        m = c_e5.metric(metric)
        assert m.median == pytest.approx(median(values)), metric
        assert (m.rank, m.out_of) == (1 + sum(v > mine for v in values), len(values) + 1), metric


def _cells(html: str, key: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-metric="(\w+)">(.*?)</tr>', html, re.S)
    return {m: re.search(rf'data-key="{key}">([^<]*)<', row).group(1) for m, row in rows}


def test_the_event_page_says_not_yet_read_and_not_ranked(client, make, streams) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/events/{streams['N'].id}").get_data(as_text=True)
    assert set(_cells(html, "value").values()) == {"chưa có"}
    assert list(_cells(html, "value")) == list(METRICS)
    assert set(_cells(html, "rank").values()) == {"không xếp hạng"}
    assert set(_cells(html, "ratio").values()) == {"—"}  # never "0 lần"
    assert "Chưa thu thập được số liệu: không xếp hạng" in html
    # E5's page lists N among the earlier ones, "chưa có" in every figure; E5 keeps its ranks.
    e5 = client.get(f"/events/{streams['E5'].id}").get_data(as_text=True)
    row = re.search(rf'<tr data-event="{streams["N"].id}">(.*?)</tr>', e5, re.S).group(1)
    assert re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row) == ["chưa có"] * len(METRICS)
    assert _cells(e5, "rank")["views"] == "1/4"
    # Peak 40 below E2's 80, E1's 50 and E3's 45: 4th of the 5 with a peak, N not among them.
    assert _cells(e5, "rank")["peak_viewers"] == "4/5"
    assert 'id="after-missing"' not in e5


def test_the_month_page_and_files_leave_them_out(client, make, streams, monkeypatch) -> None:
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    section = re.search(r'<table id="month-livestreams">(.*?)</table>', html, re.S).group(1)
    rows = {int(i): re.findall(r"<td[^>]*>([^<]*)</td>", row) for i, row in
            re.findall(r'<tr data-event="(\d+)">(.*?)</tr>', section, re.S)}  # fmt: skip
    n, f, e3 = rows[streams["N"].id], rows[streams["F"].id], rows[streams["E3"].id]
    assert n[3:9] == ["chưa có"] * 6
    assert n[9:11] == ["—", "—"]
    assert n[-1] == "Chưa thu thập được số liệu: không xếp hạng"
    assert f[3:9] == ["chưa diễn ra"] * 6
    assert f[-1] == "Chưa diễn ra: không xếp hạng"
    assert e3[3] == "chưa có"
    assert e3[-1] == "Chưa có lượt xem"
    assert rows[streams["E5"].id][-1] == ""
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH)
    text = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    )
    assert "Chưa thu thập được số liệu: không xếp hạng" in text
    assert "Chưa diễn ra: không xếp hạng" in text


def test_the_workbook_leaves_the_number_cells_empty(app, streams, monkeypatch) -> None:
    monkeypatch.setattr(report_module, "utcnow", lambda: NOW)
    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-11", "--org-unit", HOME]
    )
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes()))["Livestream đã kết thúc"]
    headers = [c.value for c in sheet[3]]
    assert headers[-1] == "Ghi chú"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    figures = slice(3, 3 + len(METRICS) + 3)  # the figures, the two ratios, the earlier count
    for title, note in (("Livestream N", "Chưa thu thập được số liệu: không xếp hạng"),
                        ("Livestream F", "Chưa diễn ra: không xếp hạng")):  # fmt: skip
        row = rows[title]
        assert row[3 : 3 + len(METRICS) + 2] == (None,) * (len(METRICS) + 2), title
        assert row[-1] == note
    assert rows["Livestream E3"][3] is None  # views no platform reported: empty, not text
    assert rows["Livestream E3"][-1] == "Chưa có lượt xem"
    assert rows["Livestream E5"][-1] is None
    for row in rows.values():
        assert all(v is None or isinstance(v, int | float) for v in row[figures]), row

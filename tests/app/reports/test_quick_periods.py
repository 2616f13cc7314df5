"""The channels report's quick periods, in Vietnam's calendar (UTC+7): at 23:30 on 31/12 in
Hà Nội it is still the old year, at 00:30 on 01/01 already the new one; a month's end is its last
day, 28 or 29 February included. A year's comparison and its Excel file: two clicks.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from app.reports import routes
from app.reports.periods import month_in, quick_periods
from tests.app.reports.conftest import Month
from tests.conftest import HOME, login


def periods(now: datetime) -> dict[str, tuple[date, date]]:
    return {p.key: (p.start, p.end) for p in quick_periods(now)}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 23:30 on Thursday 31/12/2026 in Hà Nội: still 2026.
        (
            datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
            {
                "this_month": (date(2026, 12, 1), date(2026, 12, 31)),
                "last_month": (date(2026, 11, 1), date(2026, 11, 30)),
                "this_quarter": (date(2026, 10, 1), date(2026, 12, 31)),
                "this_year": (date(2026, 1, 1), date(2026, 12, 31)),
                "last_year": (date(2025, 1, 1), date(2025, 12, 31)),
            },
        ),
        # 00:30 on Friday 01/01/2027 in Hà Nội, still 31/12 in UTC: already 2027.
        (
            datetime(2026, 12, 31, 17, 30, tzinfo=UTC),
            {
                "this_month": (date(2027, 1, 1), date(2027, 1, 31)),
                "last_month": (date(2026, 12, 1), date(2026, 12, 31)),
                "this_quarter": (date(2027, 1, 1), date(2027, 3, 31)),
                "this_year": (date(2027, 1, 1), date(2027, 12, 31)),
                "last_year": (date(2026, 1, 1), date(2026, 12, 31)),
            },
        ),
        # 23:59 on 31/03/2027: March, February's 28 days, the first quarter.
        (
            datetime(2027, 3, 31, 16, 59, tzinfo=UTC),
            {
                "this_month": (date(2027, 3, 1), date(2027, 3, 31)),
                "last_month": (date(2027, 2, 1), date(2027, 2, 28)),
                "this_quarter": (date(2027, 1, 1), date(2027, 3, 31)),
                "this_year": (date(2027, 1, 1), date(2027, 12, 31)),
                "last_year": (date(2026, 1, 1), date(2026, 12, 31)),
            },
        ),
        # 00:10 on 01/03/2028 in Hà Nội (29/02 in UTC): March; last month the leap February.
        (
            datetime(2028, 2, 29, 17, 10, tzinfo=UTC),
            {
                "this_month": (date(2028, 3, 1), date(2028, 3, 31)),
                "last_month": (date(2028, 2, 1), date(2028, 2, 29)),
                "this_quarter": (date(2028, 1, 1), date(2028, 3, 31)),
                "this_year": (date(2028, 1, 1), date(2028, 12, 31)),
                "last_year": (date(2027, 1, 1), date(2027, 12, 31)),
            },
        ),
        # 30/09 at 23:00 in Hà Nội: the third quarter still, September's 30 days.
        (
            datetime(2026, 9, 30, 16, 0, tzinfo=UTC),
            {
                "this_month": (date(2026, 9, 1), date(2026, 9, 30)),
                "last_month": (date(2026, 8, 1), date(2026, 8, 31)),
                "this_quarter": (date(2026, 7, 1), date(2026, 9, 30)),
                "this_year": (date(2026, 1, 1), date(2026, 12, 31)),
                "last_year": (date(2025, 1, 1), date(2025, 12, 31)),
            },
        ),
    ],
)
def test_the_periods_are_vietnams(now: datetime, expected: dict) -> None:
    assert periods(now) == expected


def links(page: str) -> dict[str, str]:
    found = re.search(r'<p class="row quick-periods noprint" id="quick-periods">(.*?)</p>', page,
                      re.S)  # fmt: skip
    assert found, "no quick periods"
    return {
        key: href.replace("&amp;", "&")
        for href, key in re.findall(r'<a href="([^"]+)" data-period="(\w+)"', found.group(1))
    }


def test_a_years_comparison_and_its_excel_in_two_clicks(
    client, make, month: Month, monkeypatch: pytest.MonkeyPatch
) -> None:
    """23:30 on 31/12/2026 in Hà Nội: "Năm nay" is 2026, whose comparison holds October's
    figures; its Excel file is named for the year."""
    monkeypatch.setattr(routes, "utcnow", lambda: datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    login(client, make.user("manager", HOME).email)
    page = client.get("/reports/channels", query_string={"campaign_id": month.campaign_id})
    html = page.get_data(as_text=True)
    for word in ("Tháng này", "Tháng trước", "Quý này", "Năm nay", "Năm trước"):
        assert f">{word}</a>" in html
    year = links(html)["this_year"]
    assert "from=2026-01-01" in year
    assert "to=2026-12-31" in year
    assert f"campaign_id={month.campaign_id}" in year  # the filter's other choices kept
    assert "org_unit=40" in year
    assert "from=2025-01-01" in links(html)["last_year"]
    assert "from=2026-11-01" in links(html)["last_month"]
    chosen = client.get(year).get_data(as_text=True)  # the first click
    assert re.search(r'aria-current="true">Năm nay<', chosen)
    # The monthly report's buttons open one month, said on the button: this one, not January.
    assert "period=2026-12" in chosen
    assert "period=2026-01" not in chosen
    assert "Báo cáo tháng 12/2026" in chosen
    last = client.get(links(html)["last_year"]).get_data(as_text=True)
    assert "period=2025-12" in last  # a year gone by: its last month
    assert "01/01/2026" in re.search(r'id="period">([^<]*)<', chosen).group(1)
    excel = re.search(r'<a class="button" href="(/reports/channels\.xlsx[^"]+)"', chosen).group(1)
    response = client.get(excel.replace("&amp;", "&"))  # the second
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-2026.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert "từ 01/01/2026 đến 31/12/2026" in book["Theo kênh"]["A1"].value
    sheet = book["Theo kênh"].iter_rows(min_row=4, values_only=True)
    totals = next(r for r in sheet if r[0] == "Tất cả các kênh")
    assert totals[7] == 3  # the campaign's enrolments attributed in October: the year holds them


def test_the_monthly_page_points_to_the_year(client, make, month: Month) -> None:
    login(client, make.user("manager", HOME).email)
    html = client.get("/reports/monthly", query_string={"org_unit": HOME, "period": "2026-10"})
    hint = re.search(
        r'<p class="hint noprint" id="year-hint">(.*?)</p>', html.get_data(as_text=True)
    )
    assert hint, "no word on the year's figures"
    assert "Cần số liệu cả năm?" in hint.group(1)
    assert "chọn Năm nay" in hint.group(1)
    year = quick_periods(datetime.now(UTC))[3]
    assert f"from={year.start.isoformat()}" in hint.group(1)
    assert f"to={year.end.isoformat()}" in hint.group(1)


@pytest.mark.parametrize(
    ("start", "end", "month"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 6)),  # holds today: today's
        (date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)),  # over: its last month
        (date(2027, 1, 1), date(2027, 3, 31), date(2027, 1, 1)),  # ahead: its first month
        (None, None, date(2026, 12, 6)),  # all time: today's
        (date(2026, 10, 1), None, date(2026, 12, 6)),
    ],
)
def test_the_monthly_buttons_open_one_month_of_the_period(
    start: date | None, end: date | None, month: date
) -> None:
    assert month_in(start, end, date(2026, 12, 6)) == month

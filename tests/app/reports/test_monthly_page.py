"""The printed month inside the app: the tour found it without the menu, without a way to pick
another month but ``?period=`` in the address, with no way back, and Vietnamese buttons on an
English session. The document itself stays Vietnamese: it is what is sent upward."""

from __future__ import annotations

import re
from datetime import date

from app.reports.printable import recent_months
from tests.conftest import HOME, csrf_token, login

MONTH = {"period": "2026-10", "org_unit": HOME}


def test_the_month_picker_lists_recent_months_newest_first() -> None:
    assert recent_months(date(2027, 2, 10), 4) == ["2027-02", "2027-01", "2026-12", "2026-11"]


def test_the_page_has_the_app_layout_a_month_picker_and_a_way_back(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    assert '<header class="top">' in html
    picker = re.search(r'<form method="get"[^>]*id="month-picker".*?</form>', html, re.S).group(0)
    assert f'name="org_unit" value="{HOME}"' in picker
    assert '<option value="2026-10" selected>10/2026</option>' in picker  # dd/mm: month/year
    assert "/reports/channels?org_unit=" in html
    assert "Quay lại So sánh kênh truyền thông" in html
    assert "<th>Kênh</th>" in html  # the document, unchanged


def test_an_english_session_gets_english_chrome_around_the_vietnamese_report(
    client, make, month
) -> None:
    login(client, make.user("viewer", HOME).email)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/events")})
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    chrome, document = html.split('<div lang="vi">', 1)
    for english in ("Monthly report", "Print", "Download PDF", "Download Word",
                    "Back to the channels compared", "Channels compared"):  # fmt: skip
        assert english in chrome, english
    assert "Tải bản PDF" not in html
    assert "<th>Kênh</th>" in document
    assert "BÁO CÁO" in document


def test_the_month_offers_its_excel_for_exactly_its_days(client, make, month) -> None:
    """A director found only PDF and Word on the month's page: its workbook is the channels
    report's, for the first to the last day of that month (30 days in November, 28 in 2027's
    February)."""
    login(client, make.user("viewer", HOME).email)
    for period, last in (("2026-11", "30"), ("2027-02", "28")):
        query = {"period": period, "org_unit": HOME}
        html = client.get("/reports/monthly", query_string=query).get_data(as_text=True)
        link = re.search(r'<a class="button" href="([^"]+)">Tải bản Excel</a>', html)
        assert link is not None
        href = link.group(1).replace("&amp;", "&")
        assert href.startswith("/reports/channels.xlsx?")
        assert f"from={period}-01" in href
        assert f"to={period}-{last}" in href
        response = client.get(href)
        assert response.status_code == 200
        assert response.mimetype.endswith("spreadsheetml.sheet")

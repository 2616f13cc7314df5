"""The campaign page's Excel file holds the page's figures, read from the page itself.

On the month of tests/app/reports/conftest.py (October 2026, in the past): the province's
campaign "BHXH tự nguyện Q4" seen whole by the province's manager, and in part by an officer of
commune A (its enrolments and its events only, the goal the whole campaign's, no share of it).
An officer of another province's commune gets 404, as for the page.
"""

from __future__ import annotations

import html as htmllib
import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import OrgUnit
from tests.app.reports.conftest import Month
from tests.conftest import HOME, OTHER, login

pytestmark = pytest.mark.postgres

SHEETS = ["Tổng quan", "Theo xã, phường", "Theo tuần", "Hoạt động"]
FIRST_ROW = 4  # the title, when the figures were read, the headers, then the rows


def number(text: str) -> int:
    """A figure as the page prints it: "1.500" → 1500."""
    return int(text.replace(".", ""))


def table(page: str, table_id: str) -> str:
    found = re.search(rf'<table class="list[^"]*" id="{table_id}">(.*?)</table>', page, re.S)
    assert found, f"no table {table_id}"
    return found.group(1)


def page_figures(page: str) -> dict[str, str]:
    return dict(re.findall(r'<dd data-key="(\w+)">([^<]*)<', page))


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(min_row=FIRST_ROW, values_only=True)]


def summary(book) -> dict[str, object]:
    return {label: value for label, value in rows(book["Tổng quan"])}


def fetch(client, campaign_id: int):
    response = client.get(f"/reports/campaigns/{campaign_id}.xlsx")
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.data))


def same_as_page(page: str, book) -> None:
    """Every table of the workbook says what the page says."""
    assert book.sheetnames == SHEETS
    communes = re.findall(r'<tr><td>([^<]*)</td><td class="num">([\d.]+)</td></tr>',
                          table(page, "by-commune"))  # fmt: skip
    assert communes, "the page lists no commune"
    assert [(r[1], r[2]) for r in rows(book["Theo xã, phường"])] == [
        (htmllib.unescape(name), number(n)) for name, n in communes
    ]
    weeks = re.findall(r'<tr><td>(\d\d/\d\d/\d{4})</td><td class="num">([\d.]+)</td></tr>',
                       table(page, "by-week"))  # fmt: skip
    assert [(d.strftime("%d/%m/%Y"), n) for d, n in rows(book["Theo tuần"])] == [
        (d, number(n)) for d, n in weeks
    ]
    events = re.findall(
        r'<tr data-event="\d+">\s*<td class="card-title"><a [^>]*>([^<]*)</a></td>\s*'
        r'<td[^>]*>[^<]*</td>\s*<td[^>]*><span class="status [^"]*">([^<]*)</span>',
        table(page, "campaign-events"),
    )
    assert events, "the page lists no event"
    shown = [(htmllib.unescape(t), htmllib.unescape(s)) for t, s in events]
    sheet = [(title, status) for title, _channel, status, *_ in rows(book["Hoạt động"])]
    assert sheet == shown


def test_the_workbook_of_the_whole_campaign_is_the_pages(client, make, month: Month) -> None:
    login(client, make.user("manager", HOME).email)
    page = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert f'href="/reports/campaigns/{month.campaign_id}.xlsx"' in page
    response, book = fetch(client, month.campaign_id)
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="chien-dich-bhxh-tu-nguyen-q4.xlsx"'
    same_as_page(page, book)
    shown, facts = page_figures(page), summary(book)
    assert facts["Chỉ tiêu"] == number(shown["goal"]) == 10
    assert facts["Người tham gia mới đến nay"] == number(shown["enrolled"]) == 4
    assert facts["Tỷ lệ so với chỉ tiêu"] == pytest.approx(0.4)
    assert shown["share"].startswith("40")
    assert facts["Ghi nhận cho các hoạt động của chiến dịch"] == number(shown["attributed"]) == 3
    assert facts["Phễu chiến dịch: Người đã tham gia"] == 3
    for key, label in (("views", "Lượt xem livestream và bài viết"),
                       ("called", "Người quan tâm đã gọi được")):  # fmt: skip
        value = re.search(r"[\d.]+", shown[key]).group(0)
        assert facts[label] == number(value)
    assert facts["Lượt xem livestream và bài viết"] > 0
    # Real dates and numbers, in Vietnamese formats.
    assert facts["Từ ngày"].isoformat() == "2026-10-01T00:00:00"
    cells = {row[0].value: row[1] for row in book["Tổng quan"].iter_rows(min_row=FIRST_ROW)}
    assert cells["Từ ngày"].number_format == "dd/mm/yyyy"
    assert cells["Chỉ tiêu"].number_format == "#,##0"
    assert cells["Tỷ lệ so với chỉ tiêu"].number_format == "0.0%"
    weeks = rows(book["Theo tuần"])
    assert weeks[0][0].date() == date(2026, 10, 1)  # the campaign's first day, not Monday 28/09
    assert weeks[1][0].date() == date(2026, 10, 5)
    assert sum(n for _, n in weeks) == 4
    events = {r[0]: r for r in rows(book["Hoạt động"])}
    c1 = events["Sự kiện C1"]
    assert c1[4].isoformat() == "2026-10-10T09:00:00"  # Vietnam's wall clock, as the page
    assert c1[5] == 5_000_000
    assert c1[6] is None  # held: its cost is spent
    # A title that looks like a formula is a text cell, shown as typed (no visible quote).
    formula_like = [c for row in book["Hoạt động"].iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]  # fmt: skip
    assert formula_like
    assert all(c.data_type == "s" for c in formula_like)
    assert book["Hoạt động"].cell(row=FIRST_ROW, column=5).number_format == "dd/mm/yyyy hh:mm"


def test_the_workbook_of_a_part_is_the_communes_part(client, make, month: Month) -> None:
    """An officer of commune A opens the province's campaign in part: A's figures alone."""
    login(client, make.user("officer", month.commune_a.code).email)
    page = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert 'id="part-note"' in page
    response, book = fetch(client, month.campaign_id)
    same_as_page(page, book)
    shown, facts = page_figures(page), summary(book)
    assert "share" not in shown
    assert "Tỷ lệ so với chỉ tiêu" not in facts
    assert facts["Mục tiêu của cả chiến dịch"] == 10
    enrolled = f"Người tham gia mới đến nay tại {month.commune_a.name}"
    assert facts[enrolled] == number(shown["enrolled"])
    # p1 (20/10), p6 (06/10) and p7 (21/10) paid in A; p2 in B is not A's.
    assert facts[enrolled] == 3
    assert facts["Phần của"] == month.commune_a.name
    assert [r[1] for r in rows(book["Theo xã, phường"])] == [month.commune_a.name]
    assert "Sự kiện G1" not in {r[0] for r in rows(book["Hoạt động"])}  # commune B's
    note = book["Tổng quan"].cell(row=2, column=1).value
    assert note.startswith("Số liệu tính đến ")
    assert "Chỉ hiển thị phần của" in note
    assert "Mục tiêu là của cả chiến dịch" in note
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="chien-dich-bhxh-tu-nguyen-q4-'
    )


def test_an_officer_of_another_province_gets_404(client, make, month: Month) -> None:
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == OTHER)).one()
    commune = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == province.id)).first()
    login(client, make.user("officer", commune.code).email)
    assert client.get(f"/reports/campaigns/{month.campaign_id}.xlsx").status_code == 404
    assert client.get(f"/reports/campaigns/{month.campaign_id}").status_code == 404


def test_an_officer_of_a_sibling_commune_gets_404_for_its_campaign(client, make, month) -> None:
    """Commune B's own campaign is not commune A's to read, whole or in part."""
    own = make.campaign(month.commune_b.code, name="Chiến dịch riêng xã B", goal=5)
    login(client, make.user("officer", month.commune_a.code).email)
    assert client.get(f"/reports/campaigns/{own.id}.xlsx").status_code == 404


def test_the_page_prints_without_its_buttons(app, client, make, month: Month) -> None:
    login(client, make.user("manager", HOME).email)
    page = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert re.search(r'<div class="row noprint">\s*<a class="button" id="campaign-xlsx"', page)
    assert "data-print" in page
    assert "js/print" in page
    css = (Path(app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")
    rule = css[css.index("@media print") :]
    for hidden in ("header.top", ".noprint", ".button", ".pager"):
        assert hidden in rule.split("display:none")[0]
    assert "break-inside:avoid" in rule


def test_a_past_campaign_without_enrolments(client, make) -> None:
    """A campaign of the past with no enrolment: its weeks are its own, each 0."""
    campaign = make.campaign(HOME, name="Tháng cao điểm 2025", goal=1700)
    campaign.starts_on, campaign.ends_on = date(2025, 6, 4), date(2025, 6, 20)
    db.session.commit()
    login(client, make.user("manager", HOME).email)
    page = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    _, book = fetch(client, campaign.id)
    weeks = rows(book["Theo tuần"])
    assert [d.date() for d, _ in weeks] == [date(2025, 6, 4), date(2025, 6, 9), date(2025, 6, 16)]
    assert all(n == 0 for _, n in weeks)
    assert summary(book)["Tỷ lệ so với chỉ tiêu"] == 0
    assert rows(book["Theo xã, phường"]) == []
    assert "04/06/2025" in page

"""The report pages' and documents' words as a Vietnamese reader meets them."""

from __future__ import annotations

import io
import re

from docx import Document
from pypdf import PdfReader

from app.formatting import fmt_percent
from tests.app.reports.conftest import OCTOBER
from tests.app.reports.test_channels import EXPECTED
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
PERCENT = re.compile(r"\d[\d.,]*\s?%")  # any percentage written in a text
ONE_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})*,\d %")  # 0,0 % · 16,7 % · 3,0 %


def test_a_bad_filter_value_is_quoted_the_vietnamese_way(client, make) -> None:
    """The value as typed between “…”, not Python's repr ('31/02/2026')."""
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels", query_string={"from": "31/02/2026"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Từ ngày: ngày không có thật: “31/02/2026”; hãy chọn lại ngày" in html
    assert "&#39;31/02/2026&#39;" not in html
    assert "'31/02/2026'" not in html


def test_percentages_have_one_decimal_everywhere(app) -> None:
    """A rate and its interval alike, "16,7 % (3,0 %–56,4 %)", on pages and printed reports."""
    assert [fmt_percent(v, "vi") for v in (0, 0.03, 0.1667, 0.564, 1)] == [
        "0,0 %", "3,0 %", "16,7 %", "56,4 %", "100,0 %",
    ]  # fmt: skip
    assert fmt_percent(None, "vi") == "—"
    with app.test_request_context():
        assert fmt_percent(0.03) == "3,0 %"  # the page's filter: Vietnamese by default


def test_the_page_the_pdf_and_the_word_file_say_the_same(client, make, month) -> None:
    """ "Cách ghi nhận" as on the page (not "Mô hình ghi nhận"); every percentage of the page,
    the PDF and the Word file with one decimal, the livestream's conversion the same in all."""
    login(client, make.user("viewer", HOME).email)
    page = client.get("/reports/channels", query_string={**OCTOBER, "org_unit": HOME})
    html = page.get_data(as_text=True)
    conversion = re.search(
        r'<tr data-channel="livestream">.*?data-key="conversion">(.*?)</td>', html, re.S
    ).group(1)
    on_page = PERCENT.findall(conversion)
    assert len(on_page) == 3  # the rate and its interval
    assert all(ONE_DECIMAL.fullmatch(p) for p in on_page), on_page
    monthly = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    assert "Cách ghi nhận" in monthly

    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cách ghi nhận: " in text
    assert "Mô hình" not in text
    assert PERCENT.findall(text)
    assert all(ONE_DECIMAL.fullmatch(p) for p in PERCENT.findall(text)), PERCENT.findall(text)
    assert on_page[0] in next(line for line in text.splitlines() if line.startswith("Livestream"))

    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Cách ghi nhận: " in paragraphs
    assert "Mô hình" not in paragraphs
    assert "cửa sổ ghi nhận" not in paragraphs  # "cửa sổ 30 ngày", as the page and the PDF
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    shown = [p for c in cells for p in PERCENT.findall(c)]
    assert shown
    assert all(ONE_DECIMAL.fullmatch(p) for p in shown), shown
    livestream = next(r for t in word.tables for r in t.rows if r.cells[0].text == "Livestream")
    assert on_page[0] in [c.text for c in livestream.cells]


def _period(html: str) -> str:
    return re.search(r'<p class="muted" id="period">(.*?)</p>', html, re.S).group(1)


def test_the_channels_page_says_which_period_it_covers(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    shown = {
        "all": {},
        "both": OCTOBER,
        "from": {"from": "01/10/2026"},
        "to": {"to": "31/10/2026"},
    }
    periods = {
        k: _period(client.get("/reports/channels", query_string=q).get_data(as_text=True))
        for k, q in shown.items()
    }
    assert periods == {
        "all": "Toàn bộ thời gian",
        "both": "Từ 01/10/2026 đến 31/10/2026",
        "from": "Từ 01/10/2026",
        "to": "Đến 31/10/2026",
    }


def test_all_channels_add_up_their_interactions(client, make, month) -> None:
    """Online channels' interactions add up like their activities (offline ones have none):
    the "all channels" row shows the sum, not an empty cell, on the page, the printed month
    and the PDF."""
    total = sum(e["interactions"] for e in EXPECTED.values() if e["interactions"] is not None)
    written = f"{total:,}".replace(",", ".")
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/channels", query_string={**OCTOBER, "org_unit": HOME}).get_data(
        as_text=True
    )
    row = re.search(r'<tr data-channel="total">(.*?)</tr>', html, re.S).group(1)
    assert re.search(rf'data-key="interactions">{written}<', row), row
    monthly = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    foot = re.search(r"<tfoot>(.*?)</tfoot>", monthly, re.S).group(1)
    assert f'<td class="num">{written}</td>' in foot
    assert "<td></td><td></td>" not in foot
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    lines = [ln for p in PdfReader(io.BytesIO(pdf)).pages for ln in p.extract_text().splitlines()]
    assert written in next(ln for ln in lines if ln.startswith("Tất cả các kênh")).split()

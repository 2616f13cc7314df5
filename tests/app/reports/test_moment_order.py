"""Every moment the reports and the live page write reads "dd/mm/yyyy HH:MM", the day first.

A tour read "Số liệu tính đến 05:48 07/12/2026" on the monthly page, its PDF, Word file and
workbooks, and "Livestream đã kết thúc lúc 05:44 07/12/2026", while every other page writes
"07/12/2026 05:44". One format now (``app.formatting.MOMENT_FORMAT``); this scans what is sent.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.live.words import when_ended
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
OCTOBER = {"org_unit": HOME, "from": "01/10/2026", "to": "31/10/2026"}
TIME_FIRST = re.compile(r"\b\d{1,2}:\d{2} \d{2}/\d{2}/\d{4}\b")
DAY_FIRST = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")


def cells(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                     if isinstance(c.value, str))  # fmt: skip


def test_no_file_or_page_writes_the_time_before_the_day(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    campaign = make.campaign(HOME, name="BHXH tự nguyện quý IV")
    texts = {
        "page": client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True),
        "pdf": "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
            client.get("/reports/monthly.pdf", query_string=MONTH).data)).pages),
        "docx": "\n".join(p.text for p in Document(io.BytesIO(
            client.get("/reports/monthly.docx", query_string=MONTH).data)).paragraphs),
        "xlsx": cells(client.get("/reports/channels.xlsx", query_string=OCTOBER).data),
        "campaign": cells(client.get(f"/reports/campaigns/{campaign.id}.xlsx").data),
    }  # fmt: skip
    for name, text in texts.items():
        assert "Số liệu tính đến" in text, name
        assert TIME_FIRST.findall(text) == [], name
        assert DAY_FIRST.search(text.split("Số liệu tính đến", 1)[1]), name


def test_the_live_pages_end_is_written_day_first(app) -> None:
    with app.test_request_context():
        assert when_ended(datetime(2026, 12, 6, 22, 44, tzinfo=UTC)) == "07/12/2026 05:44"

"""The monthly report says when its figures were read, on the page, in the PDF and in Word.

A November file kept in the report files and one downloaded after an enrolment import carried
the same date and disagreed. Each now prints "Số liệu tính đến HH:MM dd/mm/yyyy" (Vietnam time),
the moment the report was read, between the request's start and its end.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from docx import Document
from pypdf import PdfReader

from app.timeparse import VN
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
TAKEN = re.compile(r"Số liệu tính đến (\d{2}/\d{2}/\d{4} \d{2}:\d{2})")


def _taken(text: str, before: datetime, after: datetime) -> None:
    match = TAKEN.search(text)
    assert match is not None, text[:2000]
    at = datetime.strptime(match.group(1), "%d/%m/%Y %H:%M").replace(tzinfo=VN)
    assert before.replace(second=0, microsecond=0) <= at <= after + timedelta(minutes=1)


def test_the_page_the_pdf_and_the_word_file_say_when_the_figures_were_read(
    client, make, month
) -> None:
    login(client, make.user("viewer", HOME).email)
    before = datetime.now(VN)
    page = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    docx = client.get("/reports/monthly.docx", query_string=MONTH).data
    after = datetime.now(VN)
    _taken(page, before, after)
    _taken("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages), before, after)
    _taken("\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs), before, after)

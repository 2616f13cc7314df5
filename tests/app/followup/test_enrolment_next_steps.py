"""After an enrolment file is imported, the page shows where its effect is read.

A manager's tour imported an agent's list dated weeks after the events: the page said how many
rows were imported and matched, and stopped there; the follow-up figures it changed (the
channels compared, each campaign) were three menus away. The answer to an import now links to
both; the page opened afresh does not.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import unescape

from flask.testing import FlaskClient

from app.timeparse import VN
from tests.conftest import HOME, Factory, csrf_token, login

PAGE = "/follow-up/enrolments/import"


def _sheet() -> bytes:
    paid = (datetime.now(VN).date() - timedelta(days=20)).strftime("%d/%m/%Y")
    lines = ["Họ và tên,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,Số hồ sơ",
             f"Nguyễn Thị Hoa,BHXH tự nguyện,Tham gia mới,{paid},HS-NEXT-1"]  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _import(client: FlaskClient) -> str:
    upload = {"csrf_token": csrf_token(client, PAGE), "file": (io.BytesIO(_sheet()), "ds.csv")}
    html = client.post(PAGE, data=upload, content_type="multipart/form-data").get_data(as_text=True)
    stash = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    answer = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "stash": stash},
                         follow_redirects=True)  # fmt: skip
    return unescape(answer.get_data(as_text=True))


def _next_steps(page: str) -> list[tuple[str, str]]:
    found = re.search(r'<p class="next-steps"[^>]*>(.*?)</p>', page, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(1)) if found else []


def test_an_import_links_to_the_figures_it_changed(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    page = _import(client)
    assert "Đã nhập 1 hồ sơ đăng ký BHXH/BHYT từ ds.csv." in page
    steps = _next_steps(page)
    assert steps == [
        ("/reports/channels", "So sánh kênh truyền thông"),
        ("/campaigns", "Chiến dịch"),
    ], steps
    for href, _ in steps:  # each one opens for the officer who imported
        assert client.get(href).status_code == 200
    assert _next_steps(client.get(PAGE).get_data(as_text=True)) == []  # opened afresh

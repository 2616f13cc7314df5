"""What the enrolment import says it did: the links and review pairs of this file's rows alone,
and the whole review queue apart, with the way to it.

The answer used to give the linkage run's counters: its new links included those found for people
registered since the last run (not from the file), and its "pairs to review" was the whole
queue, pairs that had waited since before the file came in."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.followup.linking import run_linkage
from app.models import Enrolment, Link, LinkStatus
from tests.app.followup.test_enrolments import HEADER, ROWS
from tests.app.followup.test_linking import _enrolment, _person
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres

PAGE = "/follow-up/enrolments/import"
NOW = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
MORE = ["4,Hoàng Văn Tú,1968,Nam,,,,,BHXH tự nguyện,Mới,07/03/2026,,,HS004",
        "5,Đặng Thị Thu,02/02/1985,Nữ,,,,,BHYT hộ gia đình,Mới,08/03/2026,,,HS005"]  # fmt: skip


def _xlsx(rows: list[str]) -> bytes:
    book = Workbook()
    for line in csv.reader([HEADER, *rows]):
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _demo_like(make: Factory) -> None:
    """An event whose attendee Hoa will be in the file; two pairs waiting for review since an
    earlier run; and Đức, registered since that run, whose enrolment came in an older file."""
    event = make.event(HOME)
    _person(event.id, "Nguyễn Thị Hoa", born="1980-05-12", cccd="040180000123")
    _enrolment("Phan Văn Đức", born="1977-07-07", cccd="040177000999")
    run_linkage(NOW)  # the earlier run: its marks make the import's run incremental
    for name, other in (("Bùi Thị Xuân", "Kiều Văn Lộc"), ("Cao Văn Khải", "Mạc Thị Yến")):
        person = _person(event.id, name, born="1970-01-01")
        row = _enrolment(other, born="1971-02-02")
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                            score=0.7, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    _person(event.id, "Phan Văn Đức", born="1977-07-07", cccd="040177000999")
    db.session.commit()


def _import(client: FlaskClient, data: bytes) -> str:
    token = csrf_token(client, PAGE)
    preview = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t3.xlsx")},
                          content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    stash = re.search(r'name="stash" value="([^"]+)"', preview).group(1)
    token = csrf_token(client, PAGE)
    done = client.post(PAGE, data={"csrf_token": token, "stash": stash}, follow_redirects=True)
    assert done.status_code == 200
    return done.get_data(as_text=True)


def test_a_file_that_adds_no_pair_says_so(client: FlaskClient, make: Factory) -> None:
    _demo_like(make)
    login(client, make.user("officer", HOME).email)
    html = _import(client, _xlsx([*ROWS, *MORE]))
    assert db.session.scalar(select(func.count(Enrolment.id))) == 2 + 1 + 5
    # Hoa's row was linked, and Đức to his older enrolment: one link from this file, not two.
    assert db.session.scalar(select(func.count(Link.id)).where(Link.status == "linked")) == 2
    assert "Đối chiếu tệp này: 1 liên kết mới, 0 cặp mới cần xem xét." in html
    waiting = re.search(r'<p class="review-waiting">(.*?)</p>', html, re.S).group(1)
    assert "Tổng cộng 2 cặp đang chờ xem xét." in waiting
    assert 'href="/follow-up/review"' in waiting
    queue = client.get("/follow-up/review").get_data(as_text=True)
    assert "2 cặp" in queue  # the queue says the same

"""The review queue's birth column says what it shows.

A tour found the column headed "Ngày sinh" over "1998": most attendee sheets give a birth year
only. The heading is "Năm sinh" when every row shown has a year only, "Ngày sinh" when a full
date is shown.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Link, LinkStatus
from tests.app.followup.test_linking import NOW, _enrolment, _person
from tests.conftest import HOME, Factory, login


def _pair(make: Factory, born: str, *, year_only: bool) -> None:
    event = make.event(HOME)
    person = _person(event.id, "Đỗ Văn An", born=born, phone="+84912000333")
    row = _enrolment("Đỗ Văn Ân", born=born, phone="+84912000444")
    if year_only:
        person.birth_date = row.birth_date = None
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                        score=0.7, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    db.session.commit()


def _heading(page: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert head is not None
    return re.findall(r"<th[^>]*>([^<]*)</th>", head.group(1))


def test_a_birth_year_is_headed_birth_year(client: FlaskClient, make: Factory) -> None:
    _pair(make, "1998-01-01", year_only=True)
    login(client, make.user("officer", HOME).email)
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert "Năm sinh" in _heading(page)
    assert "Ngày sinh" not in _heading(page)
    assert '<td data-label="Năm sinh">1998</td>' in page


def test_a_full_date_is_headed_date_of_birth(client: FlaskClient, make: Factory) -> None:
    _pair(make, "1980-05-12", year_only=False)
    login(client, make.user("officer", HOME).email)
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert "Ngày sinh" in _heading(page)
    assert '<td data-label="Ngày sinh">12/05/1980</td>' in page

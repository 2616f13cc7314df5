"""The reason the review page gives for a probabilistic pair says only what the two rows share.

The tour met Nguyễn Văn Sơn of Phường Thành Vinh paired with Nguyễn Văn Sơn of Xã Mường Quàng,
phones different too, "found by" "Gần giống họ tên, năm sinh và địa chỉ": the label of every
probabilistic pair, whatever agreed.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.followup.match_reason import Agree, agreements
from app.models import Link, LinkStatus, OrgUnit
from tests.app.followup.test_linking import NOW, _enrolment, _person
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres


def _commune(name: str) -> OrgUnit:
    return db.session.scalars(select(OrgUnit).where(OrgUnit.name == name)).one()


def _found_by(client: FlaskClient) -> list[str]:
    page = client.get("/follow-up/review").get_data(as_text=True)
    return [" ".join(c.split()) for c in re.findall(r'class="pair-found"[^>]*>(.*?)</td>', page,
                                                    re.S)]  # fmt: skip


def test_two_namesakes_of_two_communes_are_said_to_share_name_and_birth_year_alone(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    vinh, muong_quang = _commune("Phường Thành Vinh"), _commune("Xã Mường Quàng")
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện tháng 3")
    person = _person(event.id, "Nguyễn Văn Sơn", born="1979", phone="+84912345678",
                     commune_id=vinh.id)  # fmt: skip
    row = _enrolment("Nguyễn Văn Sơn", born="1979-08-02", phone="+84987654321")
    row.commune_id = muong_quang.id
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                        score=0.81, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    db.session.commit()
    assert agreements(person, row) == [
        ("name", Agree.SAME),
        ("birth_year", Agree.SAME),
        ("commune", Agree.DIFFERENT),
        ("phone", Agree.DIFFERENT),
    ]
    login(client, make.user("officer", HOME).email)
    assert _found_by(client) == ["Trùng họ tên và năm sinh; khác xã/phường, khác số điện thoại"]


def test_a_pair_alike_on_every_field_is_said_so_and_missing_fields_are_not_spoken_of(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    vinh = _commune("Phường Thành Vinh")
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện tháng 3")
    person = _person(event.id, "Đỗ Văn An", born="1980-05-12", commune_id=vinh.id)
    row = _enrolment("Đỗ Văn Ân", born="1980-05-12", phone="+84912000444")
    row.commune_id = vinh.id
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                        score=0.7, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    # No phone on the attendee's side: the phone is neither same nor different.
    assert _found_by(client) == ["Trùng ngày sinh và xã/phường; gần giống họ tên"]

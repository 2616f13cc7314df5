"""Erasure erases, correction stays consistent (Law 91/2025/QH15 rights, through /api/v1/people).

- erasing a person also removes the name, CCCD, BHXH code, phone and birth of the enrolment rows
  that are theirs (linked or confirmed), and the row key hashed from them; the event's conversion
  figures do not move; a household member's row (somebody else) is left alone; a pair still
  waiting for review goes;
- correcting the birth year never leaves a birth date of another year; a whole birth (date)
  sets date, precision and year; a new phone or CCCD is found by its blind index and the old one
  is not; a new name is folded for matching.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.tokens import issue_token
from app.extensions import db
from app.followup.linking import run_linkage
from app.identity.births import BirthPrecision
from app.identity.text import fold
from app.models import Enrolment, Link, LinkStatus, OrgUnit, Person
from tests.app.followup.test_linking import _enrolment, _person
from tests.conftest import HOME, Factory

# Also on PostgreSQL: erasure rewrites enrolment rows in one UPDATE (the key from their id).
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def _admin(make: Factory) -> dict[str, str]:
    token = issue_token(make.user("admin", HOME))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _placed(person: Person) -> Person:
    """In a commune of the home province, so the province's administrator finds them."""
    home = db.session.scalars(select(OrgUnit).where(OrgUnit.code == HOME)).one()
    person.commune_id = db.session.scalars(
        select(OrgUnit.id).where(OrgUnit.parent_id == home.id)
    ).first()
    return person


def test_erasure_reaches_the_enrolment_rows_and_keeps_the_counts(
    client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME, planned_start=datetime(2026, 3, 10, 1, tzinfo=UTC))
    person = _placed(_person(event.id, "Hồ Văn Bảy", cccd="040070000777", born="1970-07-07"))
    own = _enrolment("Hồ Văn Bảy", cccd="040070000777", born="1970-07-07", household="HGD1",
                     phone="+84912000777")  # fmt: skip
    own.bhxh_code, own.bhxh_code_bidx = "4012345678", "x" * 64
    member = _enrolment("Hồ Thị Tám", born="1972-08-08", household="HGD1")
    unsure = _enrolment("Ho Van Bay", born="1970-01-01", paid=date(2026, 4, 2))
    db.session.commit()
    run_linkage(NOW)
    db.session.add(Link(person_id=person.id, enrolment_id=unsure.id, method="probabilistic",
                        score=0.7, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    db.session.commit()
    held = {lk.enrolment_id: lk.method for lk in db.session.scalars(select(Link))}
    assert held == {own.id: "cccd", member.id: "household", unsure.id: "probabilistic"}
    auth = _admin(make)
    before = client.get(f"/api/v1/events/{event.id}/conversion", headers=auth).get_json()
    assert client.delete(f"/api/v1/people/{person.id}", headers=auth).status_code == 204
    db.session.expire_all()
    row = db.session.get(Enrolment, own.id)
    assert (row.full_name, row.name_folded, row.cccd, row.cccd_bidx, row.bhxh_code,
            row.bhxh_code_bidx, row.phone, row.birth_date, row.household_ref) == (
        "", "", None, None, None, None, None, None, None)  # fmt: skip
    assert row.erased_at is not None
    assert row.row_key == f"erased:{row.id}"  # the hash of the identifiers goes too
    assert (row.scheme, row.paid_on, row.is_new) == (own.scheme, own.paid_on, True)
    other = db.session.get(Enrolment, member.id)
    assert (other.full_name, other.erased_at) == ("Hồ Thị Tám", None)  # not the person's data
    assert db.session.get(Enrolment, unsure.id).full_name == "Ho Van Bay"
    assert {lk.enrolment_id for lk in db.session.scalars(select(Link))} == {own.id, member.id}
    after = client.get(f"/api/v1/events/{event.id}/conversion", headers=auth).get_json()
    assert (after["identified"], after["converted"]) == (before["identified"], before["converted"])
    assert after["converted"] > 0


def test_correcting_the_birth_year_never_leaves_a_contradicting_date(
    client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME)
    person = _placed(_person(event.id, "Lê Thị Mai", born="1980-05-12"))
    person.birth_precision = BirthPrecision.DAY
    db.session.commit()
    auth = _admin(make)
    fixed = client.patch(f"/api/v1/people/{person.id}", json={"birth_year": 1981}, headers=auth)
    assert fixed.status_code == 200, fixed.get_json()
    body = fixed.get_json()
    assert body["birth_year"] == 1981
    assert body["birth_date"] == "1981"  # the day was of another year: only the year is known
    db.session.expire_all()
    assert db.session.get(Person, person.id).birth_precision == BirthPrecision.YEAR
    whole = client.patch(f"/api/v1/people/{person.id}", json={"birth": "03/02/1981"},
                         headers=auth).get_json()  # fmt: skip
    assert (whole["birth_date"], whole["birth_year"]) == ("1981-02-03", 1981)
    same_year = client.patch(f"/api/v1/people/{person.id}", json={"birth_year": 1981},
                             headers=auth).get_json()  # fmt: skip
    assert same_year["birth_date"] == "1981-02-03"  # agrees with the year: kept
    bad = client.patch(f"/api/v1/people/{person.id}", json={"birth": "31/02/1981"}, headers=auth)
    assert bad.status_code == 422
    assert bad.get_json()["message"].startswith("birth:")


def test_every_derived_field_follows_a_correction(client: FlaskClient, make: Factory) -> None:
    event = make.event(HOME)
    person = _placed(_person(event.id, "Lê Thị Mai", phone="+84912000111", cccd="040180000123"))
    db.session.commit()
    auth = _admin(make)
    changes = {"phone": "0987 654 321", "cccd": "040180000999", "full_name": "Lê  Thị Mây",
               "birth": "05/1981"}  # fmt: skip
    response = client.patch(f"/api/v1/people/{person.id}", json=changes, headers=auth)
    assert response.status_code == 200

    def found(**body: str) -> list[int]:
        response = client.post("/api/v1/people/lookup", json=body, headers=auth)
        return [p["id"] for p in response.get_json()]

    assert found(phone="0987654321") == [person.id]
    assert found(phone="0912000111") == []
    assert found(cccd="040180000999") == [person.id]
    assert found(cccd="040180000123") == []
    db.session.expire_all()
    fixed = db.session.get(Person, person.id)
    assert fixed.name_folded == "le thi may"
    assert (fixed.birth_date, fixed.birth_precision, fixed.birth_year) == (
        "1981-05", BirthPrecision.MONTH, 1981)  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("lê thị mây", "Lê Thị Mây"), ("LÊ  THỊ MÂY", "Lê Thị Mây"), ("H'HEN NIÊ", "H'Hen Niê")],
)
def test_a_corrected_name_is_stored_as_names_are_written(
    client: FlaskClient, make: Factory, typed: str, stored: str
) -> None:
    """A name corrected at the person's request, typed in one case, is stored as the sheets' and
    check-ins' names are; its folded form, what the linkage compares, is the same either way."""
    event = make.event(HOME)
    person = _placed(_person(event.id, "Lê Thị Mai", phone="+84912000111"))
    db.session.commit()
    response = client.patch(
        f"/api/v1/people/{person.id}", json={"full_name": typed}, headers=_admin(make)
    )
    assert response.status_code == 200
    db.session.expire_all()
    fixed = db.session.get(Person, person.id)
    assert (fixed.full_name, fixed.name_folded) == (stored, fold(typed))

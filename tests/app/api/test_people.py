"""Personal-data requests: look up by phone or CCCD, export, correct, withdraw consent, erase,
and the retention sweep — each audited, each scoped to the administrator's province."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.consent import CURRENT
from app.extensions import db
from app.followup.calls import call_list
from app.followup.retention import apply_retention
from app.models import Attendance, AuditLog, Person
from app.personal_data import blind_index
from tests.conftest import HOME, OTHER, Factory

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def _bearer(make: Factory, role: str = "admin", where: str = HOME) -> dict[str, str]:
    token = issue_token(make.user(role, where))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _person(make: Factory, unit, campaign=None) -> tuple[int, int]:
    from sqlalchemy import select

    from app.models import OrgUnit

    commune = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id)).first()
    event = make.event(HOME, campaign=campaign)
    person = Person(full_name="Phạm Thị Hoa", name_folded="pham thi hoa", commune_id=commune.id,
                    phone="+84912000111", phone_bidx=blind_index("phone", "+84912000111"),
                    cccd="040180000123", cccd_bidx=blind_index("cccd", "040180000123"),
                    birth_year=1980, hamlet="Xóm 3", consent_agreed=True, consent_at=NOW,
                    consent_version=CURRENT)  # fmt: skip
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                              source_ref="hoinghi.xlsx:12", touched_at=NOW))  # fmt: skip
    db.session.commit()
    return person.id, event.id


def test_lookup_export_correct_and_erase(client: FlaskClient, make: Factory, unit) -> None:
    person_id, event_id = _person(make, unit)
    auth = _bearer(make)
    found = client.post(
        "/api/v1/people/lookup", json={"phone": "0912 000 111"}, headers=auth
    ).get_json()
    assert [p["id"] for p in found] == [person_id]
    assert client.post(
        "/api/v1/people/lookup", json={"cccd": "040180000123"}, headers=auth
    ).get_json()[0]["id"] == (person_id)
    exported = client.get(f"/api/v1/people/{person_id}", headers=auth).get_json()
    assert exported["phone"] == "+84912000111"
    assert exported["touches"][0]["event_id"] == event_id
    fixed = client.patch(f"/api/v1/people/{person_id}", json={"full_name": "Phạm Thị  Hòa"},
                         headers=auth)  # fmt: skip
    assert fixed.get_json()["full_name"] == "Phạm Thị Hòa"
    bad = client.patch(f"/api/v1/people/{person_id}", json={"cccd": "12345"}, headers=auth)
    assert bad.status_code == 422
    assert bad.get_json()["message"].startswith("cccd:")
    assert client.delete(f"/api/v1/people/{person_id}", headers=auth).status_code == 204
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert person.erased_at is not None
    assert (person.phone, person.cccd, person.full_name, person.phone_bidx) == (
        None,
        None,
        "",
        None,
    )
    assert db.session.query(Attendance).filter_by(person_id=person_id).one().source_ref == ""
    assert (
        client.post("/api/v1/people/lookup", json={"phone": "0912000111"}, headers=auth).get_json()
        == []
    )
    actions = {a.action for a in db.session.query(AuditLog)}
    assert {"people.lookup", "people.export", "people.correct", "people.erase"} <= actions


def test_withdrawn_consent_leaves_the_call_list(client: FlaskClient, make: Factory, unit) -> None:
    person_id, event_id = _person(make, unit)
    assert [r.name for r in call_list(event_id, phones=True)] == ["Phạm Thị Hoa"]
    response = client.post(f"/api/v1/people/{person_id}/withdraw-consent", headers=_bearer(make))
    assert response.status_code == 200
    assert call_list(event_id, phones=True) == []


def test_only_administrators_of_the_province(client: FlaskClient, make: Factory, unit) -> None:
    person_id, _ = _person(make, unit)
    manager = _bearer(make, "manager")
    assert client.get(f"/api/v1/people/{person_id}", headers=manager).status_code == 403
    elsewhere = _bearer(make, "admin", OTHER)
    assert client.get(f"/api/v1/people/{person_id}", headers=elsewhere).status_code == 404
    assert (
        client.post(
            "/api/v1/people/lookup", json={"phone": "0912000111"}, headers=elsewhere
        ).get_json()
        == []
    )


def test_retention_anonymises_only_expired_campaigns(make: Factory, unit) -> None:
    old = make.campaign(HOME, name="Cũ", starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31),
                        retention_days=180)  # fmt: skip
    recent = make.campaign(HOME, name="Mới", starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 31),
                           retention_days=180)  # fmt: skip
    gone, _ = _person(make, unit, campaign=old)
    kept, _ = _person(make, unit, campaign=recent)
    both, _ = _person(make, unit, campaign=old)
    db.session.add(Attendance(person_id=both, event_id=make.event(HOME, campaign=recent).id,
                              source="sheet", touched_at=NOW))  # fmt: skip
    no_policy, _ = _person(make, unit)
    db.session.commit()
    assert apply_retention(NOW).people == 1
    db.session.commit()
    erased = {p.id for p in db.session.query(Person).filter(Person.erased_at.is_not(None))}
    assert erased == {gone}
    assert {kept, both, no_policy}.isdisjoint(erased)


def test_retention_command_reports_and_audits(app, make: Factory, unit) -> None:
    old = make.campaign(HOME, name="Cũ", starts_on=date(2024, 1, 1), ends_on=date(2024, 3, 31),
                        retention_days=30)  # fmt: skip
    _person(make, unit, campaign=old)
    result = app.test_cli_runner().invoke(args=["followup", "retention"])
    assert result.exit_code == 0, result.output
    assert "1 people anonymised" in result.output
    assert db.session.query(AuditLog).filter_by(action="people.retention").count() == 1


def test_a_comment_lead_without_a_commune_is_found_where_they_commented(
    client: FlaskClient, make: Factory, unit
) -> None:
    """People made from comment leads have no commune: their events place them."""
    event = make.event(HOME)
    lead = Person(full_name="Khán giả bình luận", phone="+84912000222",
                  phone_bidx=blind_index("phone", "+84912000222"))  # fmt: skip
    db.session.add(lead)
    db.session.flush()
    db.session.add(Attendance(person_id=lead.id, event_id=event.id, source="comment",
                              source_ref="comment:1", touched_at=NOW))  # fmt: skip
    db.session.commit()
    for where in (HOME, "VN") if _has_unit("VN") else (HOME,):
        found = client.post(
            "/api/v1/people/lookup",
            json={"phone": "0912000222"},
            headers=_bearer(make, "admin", where),
        )
        assert [p["id"] for p in found.get_json()] == [lead.id]
    elsewhere = _bearer(make, "admin", OTHER)
    assert client.get(f"/api/v1/people/{lead.id}", headers=elsewhere).status_code == 404


def _has_unit(code: str) -> bool:
    from sqlalchemy import select

    from app.models import OrgUnit

    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None


def test_lookup_by_address_is_refused_so_no_log_holds_the_phone(
    client: FlaskClient, make: Factory, unit
) -> None:
    _person(make, unit)
    response = client.get("/api/v1/people?phone=0912000111", headers=_bearer(make))
    assert response.status_code == 405
    assert "POST" in response.get_json()["message"]

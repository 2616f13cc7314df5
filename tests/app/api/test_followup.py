"""GET /api/v1/events/<id>/conversion and GET /api/v1/links?format=csv on real databases.

The seed article's conference: 932 people on its sheets, 446 enrolled within the window; renewals,
people enrolled before the event, late enrolments and links still under review must not count.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import (
    Attendance,
    Channel,
    Enrolment,
    Event,
    ImportBatch,
    Link,
    LinkStatus,
    Person,
    Scheme,
)
from tests.conftest import HOME, OTHER, Factory

# Also on PostgreSQL: conversion figures, IN lists cut below its bind-parameter limit.
pytestmark = pytest.mark.postgres

START = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam
DAY = date(2026, 3, 1)


def _bearer(make: Factory, role: str = "viewer") -> dict[str, str]:
    token = issue_token(make.user(role, HOME))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _seed_conference(make: Factory) -> int:
    event = make.event(HOME, title="Hội nghị 39 điểm cầu", channel=Channel.ONLINE_CONFERENCE,
                       actual_start=START)  # fmt: skip
    now = datetime.now(UTC)
    batch = ImportBatch(kind="enrolments", filename="thang3.xlsx", sha256="a" * 64,
                        created_at=now)  # fmt: skip
    people = [Person(full_name=f"Người {i}", name_folded=f"nguoi {i}") for i in range(960)]
    db.session.add_all([batch, *people])
    db.session.flush()
    db.session.add_all(
        Attendance(
            person_id=p.id,
            event_id=event.id,
            source="sheet",
            source_ref=f"row {i + 2}",
            touched_at=START,
        )  # fmt: skip
        for i, p in enumerate(people[:932])
    )

    def enrol(i: int, paid: date, new: bool, status: LinkStatus = LinkStatus.LINKED) -> None:
        row = Enrolment(import_batch_id=batch.id, source_row=i + 2, source_ref=f"HS{i}",
                        source_sheet="T3" if i == 1 else None,  # the row of a several-sheet file
                        row_key=f"k{i}", scheme=Scheme.BHXH_TU_NGUYEN, is_new=new,
                        paid_on=paid)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=people[i].id, enrolment_id=row.id, method="cccd",
                            score=1.0, status=status, created_at=now))  # fmt: skip

    for i in range(446):
        enrol(i, DAY + timedelta(days=i % 90), True)
    for i in range(446, 480):
        enrol(i, DAY + timedelta(days=10), False)  # renewals
    for i in range(480, 500):
        enrol(i, DAY - timedelta(days=20), True)  # enrolled before the event
    for i in range(500, 510):
        enrol(i, DAY + timedelta(days=95), True)  # after the window
    for i in range(510, 515):
        enrol(i, DAY + timedelta(days=3), True, LinkStatus.REVIEW)  # not confirmed yet
    for i in range(515, 517):
        enrol(i, DAY + timedelta(days=3), True, LinkStatus.REJECTED)
    db.session.commit()
    return event.id


def test_seed_conference_reports_446_converted(client: FlaskClient, make: Factory) -> None:
    event_id = _seed_conference(make)
    body = client.get(f"/api/v1/events/{event_id}/conversion", headers=_bearer(make)).get_json()
    assert body["identified"] == 932
    assert body["converted"] == 446
    assert round(100 * body["rate"], 1) == 47.9
    low, high = body["rate_ci"]
    assert low < body["rate"] < high
    assert set(body["by_model"]) == {
        "last_touch", "first_touch", "linear", "position_based", "time_decay"
    }  # fmt: skip
    assert all(v == 446 for v in body["by_model"].values())


def test_window_narrows_the_conversions(client: FlaskClient, make: Factory) -> None:
    event_id = _seed_conference(make)
    url = f"/api/v1/events/{event_id}/conversion?window=30&model=first_touch"
    body = client.get(url, headers=_bearer(make)).get_json()
    # enrolments on days 0..89 cycle i % 90: days 0..30 hold 31 of each 90 consecutive rows
    expected = sum(1 for i in range(446) if i % 90 <= 30)
    assert body["converted"] == expected
    assert body["model"] == "first_touch"


def test_an_event_of_a_campaign_counts_its_scheme_alone(client: FlaskClient, make: Factory) -> None:
    """Ten converted attendees had joined BHYT hộ gia đình before the event: new to BHXH tự
    nguyện all the same for its campaign, already enrolled for an event of no campaign."""
    event_id = _seed_conference(make)
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    people = db.session.scalars(sa.select(Person).order_by(Person.id).limit(10)).all()
    for i, person in enumerate(people):
        row = Enrolment(import_batch_id=batch.id, source_row=8000 + i, row_key=f"h{i}",
                        scheme=Scheme.BHYT_HO_GIA_DINH, is_new=True,
                        paid_on=DAY - timedelta(days=20))  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="cccd", score=1.0,
                            created_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()
    url = f"/api/v1/events/{event_id}/conversion"
    no_campaign = client.get(url, headers=_bearer(make)).get_json()
    assert (no_campaign["converted"], no_campaign["scheme"]) == (436, None)

    event = db.session.get(Event, event_id)
    event.campaign = make.campaign(scheme=Scheme.BHXH_TU_NGUYEN)
    db.session.commit()
    body = client.get(url, headers=_bearer(make)).get_json()
    assert (body["converted"], body["scheme"]) == (446, "bhxh_tu_nguyen")

    event.campaign = make.campaign(name="BHYT hộ gia đình", scheme=Scheme.BHYT_HO_GIA_DINH)
    db.session.commit()
    body = client.get(url, headers=_bearer(make)).get_json()
    assert (body["converted"], body["identified"]) == (0, 932)


@pytest.mark.parametrize(("query", "field"), [("model=magic", "model"), ("window=45", "window")])
def test_bad_parameters_are_named(
    client: FlaskClient, make: Factory, query: str, field: str
) -> None:
    event = make.event(HOME)
    response = client.get(f"/api/v1/events/{event.id}/conversion?{query}", headers=_bearer(make))
    assert response.status_code == 422
    assert response.get_json()["message"].startswith(f"{field}:")


def test_links_csv_for_administrators(app: Flask, client: FlaskClient, make: Factory) -> None:
    _seed_conference(make)
    assert (
        client.get("/api/v1/links?format=csv", headers=_bearer(make, "manager")).status_code == 403
    )
    response = client.get("/api/v1/links?format=csv", headers=_bearer(make, "admin"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 517
    first = rows[0]
    assert first["enrolment_file"] == "thang3.xlsx"
    assert (first["enrolment_sheet"], first["enrolment_row"]) == ("", "2")
    assert (rows[1]["enrolment_sheet"], rows[1]["enrolment_row"]) == ("T3", "3")
    assert first["enrolment_source_id"] == "HS0"
    assert first["person_sources"].endswith("/sheet/row 2")
    assert {r["status"] for r in rows} == {"linked", "review", "rejected"}
    from app.models import AuditLog

    assert db.session.query(AuditLog).filter_by(action="links.export").count() == 1


def test_baseline_compares_with_non_attendees_of_the_same_communes(
    client: FlaskClient, make: Factory, unit
) -> None:
    from sqlalchemy import select

    from app.models import OrgUnit

    event_id = _seed_conference(make)
    commune = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id).limit(1)
    ).one()
    batch = db.session.scalars(select(ImportBatch)).one()
    now = datetime.now(UTC)
    others = [Person(full_name=f"Dân {i}", commune_id=commune.id) for i in range(100)]
    db.session.add_all(others)
    db.session.flush()
    for i, person in enumerate(others[:12]):
        paid = DAY + timedelta(days=5) if i < 10 else DAY - timedelta(days=5)
        row = Enrolment(import_batch_id=batch.id, source_row=9000 + i, row_key=f"b{i}",
                        scheme=Scheme.BHXH_TU_NGUYEN, is_new=True, paid_on=paid)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone_name",
                            score=1.0, created_at=now))  # fmt: skip
    db.session.commit()
    body = client.get(f"/api/v1/events/{event_id}/conversion", headers=_bearer(make)).get_json()
    baseline = body["baseline"]
    assert baseline["kind"] == "estimate"
    assert baseline["people"] == 100
    assert baseline["converted"] == 10
    assert baseline["rate"] == 0.1
    assert baseline["incremental_enrolments"] == round((446 / 932 - 0.1) * 932, 1)


def test_many_people_are_read_in_chunks(make: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """IN lists are cut below PostgreSQL's bind-parameter limit; the figures do not change."""
    from app.followup import queries

    event_id = _seed_conference(make)
    people = {t.person_id for t in queries.touches_of(event_id=event_id)}
    whole = sorted(queries.enrolments_of(people), key=lambda e: e.enrolment_id)
    monkeypatch.setattr(queries, "CHUNK", 100)
    assert sorted(queries.enrolments_of(people), key=lambda e: e.enrolment_id) == whole
    assert len(queries.touches_of(people)) == 932


def test_links_csv_holds_only_the_administrators_province(
    client: FlaskClient, make: Factory, unit
) -> None:
    from sqlalchemy import select

    from app.models import OrgUnit

    _seed_conference(make)  # people without a commune, seen at a HOME event
    other_commune = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit(OTHER).id).limit(1)
    ).one()
    batch = db.session.scalars(select(ImportBatch)).one()
    stranger = Person(full_name="Người tỉnh khác", commune_id=other_commune.id)
    db.session.add(stranger)
    db.session.flush()
    enrolment = Enrolment(import_batch_id=batch.id, source_row=9999, row_key="x1",
                          scheme=Scheme.BHXH_TU_NGUYEN, is_new=True,
                          paid_on=DAY + timedelta(days=3))  # fmt: skip
    db.session.add(enrolment)
    db.session.flush()
    db.session.add(Link(person_id=stranger.id, enrolment_id=enrolment.id, method="phone_name",
                        score=1.0, status=LinkStatus.LINKED,
                        created_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()

    def person_ids(where: str) -> set[str]:
        response = client.get("/api/v1/links?format=csv", headers=_bearer_at(make, where))
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return {row["person_id"] for row in csv.DictReader(io.StringIO(text))}

    home, other = person_ids(HOME), person_ids(OTHER)
    assert str(stranger.id) not in home
    assert len(home) > 0
    assert other == {str(stranger.id)}


def _bearer_at(make: Factory, where: str) -> dict[str, str]:
    token = issue_token(make.user("admin", where))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}

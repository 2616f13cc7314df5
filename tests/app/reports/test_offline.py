"""Offline channels entered by hand: the form and the API refuse bad input by field, all or
nothing, and an entry shows up in the comparison as copies or broadcasts."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import OfflineActivity, OrgUnit
from tests.conftest import HOME, OTHER, csrf_token, login


def _commune(code: str = HOME) -> OrgUnit:
    parent = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()
    return db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == parent.id).order_by(OrgUnit.code)
    ).first()


def test_form_records_a_quantity(client, make) -> None:
    user = make.user("officer", HOME)
    login(client, user.email)
    commune = _commune()
    token = csrf_token(client, "/reports/offline")
    form = client.get("/reports/offline").get_data(as_text=True)
    assert f'<option value="{commune.code}">{commune.name}</option>' in form  # by name
    assert "Mã xã" not in form
    data = {"csrf_token": token, "kind": "leaflet", "org_unit": commune.code, "campaign_id": "",
            "period_start": "01/10/2026", "period_end": "31/10/2026", "quantity": "1200",
            "cost_vnd": "600000", "note": "Chợ xã"}  # fmt: skip
    response = client.post("/reports/offline", data=data)
    assert response.status_code == 302
    entry = db.session.scalars(sa.select(OfflineActivity)).one()
    assert (entry.quantity, entry.cost_vnd, entry.org_unit_id) == (1200, 600_000, commune.id)
    page = client.get("/reports/offline").get_data(as_text=True)
    assert "1.200" in page
    assert "Chợ xã" in page

    refusals = (
        ("quantity", "0"),
        ("period_start", "2026-10-01"),
        ("org_unit", HOME),
        ("org_unit", _commune(OTHER).code),
        ("period_end", "01/09/2026"),
    )
    for field, bad in refusals:
        refused = client.post("/reports/offline", data={**data, field: bad})
        assert refused.status_code == 422, field
    assert db.session.scalar(sa.select(sa.func.count(OfflineActivity.id))) == 1


def test_api_records_and_the_comparison_counts_copies(client, make) -> None:
    user = make.user("officer", HOME)
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    commune = _commune()
    body = {"kind": "loudspeaker", "org_unit": commune.code, "period_start": "2026-10-03",
            "quantity": 8, "cost_vnd": 80000}  # fmt: skip
    created = client.post("/api/v1/offline-activities", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["period_end"] == "2026-10-03"
    bad = client.post("/api/v1/offline-activities", json={**body, "org_unit": HOME},
                      headers=headers)  # fmt: skip
    assert bad.status_code == 422
    assert bad.get_json()["message"].startswith("org_unit:")
    bad = client.post("/api/v1/offline-activities", json={**body, "quantity": -1},
                      headers=headers)  # fmt: skip
    assert bad.status_code == 422
    assert bad.get_json()["message"].startswith("quantity:")
    listed = client.get("/api/v1/offline-activities", headers=headers).get_json()
    assert [e["quantity"] for e in listed] == [8]
    rows = client.get("/api/v1/reports/channels?from=2026-10-01&to=2026-10-31",
                      headers=headers).get_json()  # fmt: skip
    loud = next(r for r in rows if r["channel"] == "loudspeaker")
    assert (loud["reach"], loud["reach_kind"], loud["cost_vnd"]) == (8, "broadcasts", 80_000)
    assert loud["enrolments"] is None
    assert loud["cost_per_enrolment"] is None

    viewer = make.user("viewer", HOME)
    viewer_token = issue_token(viewer)
    db.session.commit()
    refused = client.post("/api/v1/offline-activities", json=body,
                          headers={"Authorization": f"Bearer {viewer_token}"})  # fmt: skip
    assert refused.status_code == 403

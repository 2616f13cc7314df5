"""/api/v1/events and /api/v1/campaigns: create, read, update, list with filters, JSON errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.collation import vietnamese_key
from app.extensions import db
from app.models import Event
from app.timeparse import VN
from tests.conftest import HOME, OTHER, Factory


def count_events() -> int:
    return db.session.query(Event).count()


def test_create_and_read_an_event(client: FlaskClient, auth, make: Factory) -> None:
    campaign = make.campaign(HOME)
    body = {
        "title": "Livestream BHXH tự nguyện",
        "channel": "livestream",
        "org_unit": HOME,
        "campaign_id": campaign.id,
        "planned_start": "2030-11-25T20:00:00",  # naive: Vietnamese local time
        "planned_end": "2030-11-25T21:30:00+07:00",
    }
    created = client.post("/api/v1/events", json=body, headers=auth)
    assert created.status_code == 201
    event = created.get_json()
    assert event["id"] > 0
    assert event["status"] == "scheduled"
    assert event["org_unit"] == HOME
    assert event["campaign_id"] == campaign.id
    assert datetime.fromisoformat(event["planned_start"]) == datetime(2030, 11, 25, 13, tzinfo=UTC)
    again = client.get(f"/api/v1/events/{event['id']}", headers=auth)
    assert again.status_code == 200
    assert again.get_json() == event


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "livestream", "org_unit": HOME}, "title"),
        ({"title": "x", "org_unit": HOME}, "channel"),
        ({"title": "x", "channel": "tiktok", "org_unit": HOME}, "channel"),
        ({"title": "x", "channel": "post"}, "org_unit"),
        ({"title": "x", "channel": "post", "org_unit": "99999"}, "org_unit"),
        ({"title": "x", "channel": "post", "org_unit": HOME, "campaign_id": 999999}, "campaign_id"),
        ({"title": "x", "channel": "post", "org_unit": HOME, "cost_vnd": -5}, "cost_vnd"),
        ({"title": "x", "channel": "post", "org_unit": HOME, "colour": "red"}, "colour"),
        (
            {
                "title": "x",
                "channel": "post",
                "org_unit": HOME,
                "planned_start": "2026-11-25T20:00:00",
                "planned_end": "2026-11-25T19:00:00",
            },
            "planned_end",
        ),
        (
            {"title": "x", "channel": "post", "org_unit": HOME, "planned_start": "25/11"},
            "planned_start",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client: FlaskClient, auth, body: dict, field: str
) -> None:
    response = client.post("/api/v1/events", json=body, headers=auth)
    assert response.status_code == 422
    payload = response.get_json()
    assert field in payload["message"]
    assert field in str(payload["errors"])
    assert count_events() == 0


def test_not_json_is_a_json_error(client: FlaskClient, auth) -> None:
    response = client.post("/api/v1/events", data="title=x", headers=auth)
    assert response.status_code in (400, 415, 422)
    assert response.is_json
    assert response.get_json()["message"]
    assert count_events() == 0


def test_patch_changes_only_given_fields(client: FlaskClient, auth, make: Factory) -> None:
    event = make.event(HOME, title="Cũ", cost_vnd=100)
    response = client.patch(
        f"/api/v1/events/{event.id}", json={"status": "live", "cost_vnd": 1_700}, headers=auth
    )
    assert response.status_code == 200
    data = response.get_json()
    assert (data["title"], data["status"], data["cost_vnd"]) == ("Cũ", "live", 1700)
    bad = client.patch(f"/api/v1/events/{event.id}", json={"status": "paused"}, headers=auth)
    assert bad.status_code == 422
    assert "status" in bad.get_json()["message"]


def test_list_filters_and_pagination(client: FlaskClient, auth, make: Factory) -> None:
    for day in range(1, 6):
        make.event(
            HOME,
            title=f"Live {day}",
            planned_start=datetime(2026, 10, day, 13, tzinfo=UTC),
        )
    make.event(
        HOME, title="Bài viết", channel="post", planned_start=datetime(2026, 9, 1, tzinfo=UTC)
    )
    page1 = client.get("/api/v1/events?channel=livestream&per_page=2", headers=auth).get_json()
    assert page1["total"] == 5
    assert [e["title"] for e in page1["items"]] == ["Live 5", "Live 4"]
    page3 = client.get("/api/v1/events?channel=livestream&per_page=2&page=3", headers=auth)
    assert [e["title"] for e in page3.get_json()["items"]] == ["Live 1"]
    period = client.get("/api/v1/events?from=2026-10-02&to=2026-10-03", headers=auth).get_json()
    assert sorted(e["title"] for e in period["items"]) == ["Live 2", "Live 3"]
    posts = client.get("/api/v1/events?channel=post", headers=auth).get_json()
    assert [e["title"] for e in posts["items"]] == ["Bài viết"]
    bad = client.get("/api/v1/events?per_page=0", headers=auth)
    assert bad.status_code == 422
    assert "per_page" in bad.get_json()["message"]


def test_org_unit_filter_includes_the_units_below(client: FlaskClient, auth, make: Factory) -> None:
    from sqlalchemy import select

    from app.models import OrgUnit

    commune = db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == "commune", OrgUnit.path.startswith(f"VN/{HOME}/"))
    ).first()
    make.event(commune.code, title="Ở xã")
    make.event(HOME, title="Ở tỉnh")
    at_commune = client.get(f"/api/v1/events?org_unit={commune.code}", headers=auth).get_json()
    assert [e["title"] for e in at_commune["items"]] == ["Ở xã"]
    at_province = client.get(f"/api/v1/events?org_unit={HOME}", headers=auth).get_json()
    assert at_province["total"] == 2


def test_campaign_crud_and_validation(client: FlaskClient, auth) -> None:
    body = {
        "name": "BHYT hộ gia đình 2026",
        "org_unit": HOME,
        "scheme": "bhyt_ho_gia_dinh",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "goal": 5000,
    }
    created = client.post("/api/v1/campaigns", json=body, headers=auth)
    assert created.status_code == 201
    campaign = created.get_json()
    assert campaign["attribution_window_days"] == 90
    patched = client.patch(
        f"/api/v1/campaigns/{campaign['id']}", json={"goal": 6000}, headers=auth
    ).get_json()
    assert patched["goal"] == 6000
    reversed_period = client.post(
        "/api/v1/campaigns", json={**body, "ends_on": "2025-12-31"}, headers=auth
    )
    assert reversed_period.status_code == 422
    assert "ends_on" in reversed_period.get_json()["message"]
    window = client.post(
        "/api/v1/campaigns", json={**body, "attribution_window_days": 45}, headers=auth
    )
    assert window.status_code == 422
    listing = client.get("/api/v1/campaigns", headers=auth).get_json()
    assert listing["total"] == 1


def test_bad_token_is_refused(client: FlaskClient) -> None:
    response = client.get("/api/v1/events", headers={"Authorization": "Bearer lt_nope"})
    assert response.status_code == 401
    assert "message" in response.get_json()


def test_a_new_token_replaces_the_old_one(app: Flask, client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer")
    old = issue_token(user)
    db.session.commit()
    new = issue_token(user)
    db.session.commit()
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    )
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    )


def test_unknown_event_is_a_json_404(client: FlaskClient, auth) -> None:
    response = client.get("/api/v1/events/987654", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["message"]


def test_openapi_document_describes_the_endpoints(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/org-units"):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/events"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_org_units_of_a_province(client: FlaskClient, app: Flask, make: Factory) -> None:
    user = make.user("viewer", HOME)
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    top = client.get("/api/v1/org-units", headers=headers).get_json()
    assert [(u["code"], u["kind"]) for u in top] == [(HOME, "province")]
    communes = client.get(f"/api/v1/org-units?parent={HOME}", headers=headers).get_json()
    assert len(communes) == 130  # Nghệ An after the 2025 reform
    assert all(u["kind"] == "commune" and u["parent"] == HOME for u in communes)
    names = [u["name"] for u in communes]  # the pickers list them by name, not by code
    assert names == sorted(names, key=vietnamese_key)
    assert names != [u["name"] for u in sorted(communes, key=lambda u: u["code"])]
    assert client.get("/api/v1/org-units?parent=00", headers=headers).status_code == 404
    one = communes[7]["code"]  # a form holding a commune: its picker asks for its province
    found = client.get(f"/api/v1/org-units?code={one}", headers=headers).get_json()
    assert [(u["code"], u["parent"]) for u in found] == [(one, HOME)]
    assert client.get(f"/api/v1/org-units?code={OTHER}", headers=headers).get_json() == []


def test_bearer_works_even_with_an_anonymous_session_cookie(client: FlaskClient, auth) -> None:
    """A script that once fetched a page (and got a session cookie) must still be let in."""
    client.get("/no-such-page")  # the 404 page hands out a session cookie
    assert client.get("/api/v1/events", headers=auth).status_code == 200


def test_a_scheduled_event_days_ago_is_refused_on_its_planned_start(
    client: FlaskClient, auth
) -> None:
    body = {"title": "x", "channel": "post", "org_unit": HOME,
            "planned_start": (datetime.now(VN) - timedelta(days=2)).isoformat()}  # fmt: skip
    response = client.post("/api/v1/events", json=body, headers=auth)
    assert response.status_code == 422
    assert "planned_start" in str(response.get_json()["errors"])
    assert count_events() == 0

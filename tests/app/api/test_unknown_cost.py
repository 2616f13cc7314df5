"""The API reads and writes a cost nobody entered as null, for an event and an offline entry;
left out of a change, a cost is kept."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from tests.app.reports.test_offline import _commune
from tests.conftest import HOME


@pytest.fixture
def auth(make) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The headers of an officer's API token."""
    token = issue_token(make.user("officer", HOME))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_reads_and_writes_an_unknown_cost_as_null(client: FlaskClient, auth) -> None:
    body = {"title": "Hội nghị", "channel": "online_conference", "org_unit": HOME}
    created = client.post("/api/v1/events", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["cost_vnd"] is None
    url = f"/api/v1/events/{event['id']}"
    paid = client.patch(url, json={"cost_vnd": 1_700_000}, headers=auth).get_json()
    assert paid["cost_vnd"] == 1_700_000
    kept = client.patch(url, json={"title": "Hội nghị tỉnh"}, headers=auth).get_json()
    assert kept["cost_vnd"] == 1_700_000  # left out: kept
    cleared = client.patch(url, json={"cost_vnd": None}, headers=auth).get_json()
    assert cleared["cost_vnd"] is None


def test_an_offline_entry_without_a_cost_has_none(client: FlaskClient, auth) -> None:
    body = {"kind": "leaflet", "org_unit": _commune().code, "period_start": "2026-10-03",
            "quantity": 300}  # fmt: skip
    created = client.post("/api/v1/offline-activities", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["cost_vnd"] is None
    free = client.post("/api/v1/offline-activities", json={**body, "cost_vnd": 0}, headers=auth)
    assert free.get_json()["cost_vnd"] == 0
    rows = client.get("/api/v1/reports/channels?from=2026-10-01&to=2026-10-31",
                      headers=auth).get_json()  # fmt: skip
    leaflet = next(r for r in rows if r["channel"] == "leaflet")
    # Two entries, one free and one unknown: 0 of the one known, and the other said apart.
    assert (leaflet["events"], leaflet["cost_vnd"]) == (2, 0)
    assert (leaflet["events_with_cost"], leaflet["events_without_cost"]) == (1, 1)
    bad = client.post("/api/v1/offline-activities", json={**body, "cost_vnd": -1}, headers=auth)
    assert bad.status_code == 422
    assert bad.get_json()["message"].startswith("cost_vnd:")

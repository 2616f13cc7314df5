"""A value the services refuse answers 422 naming its field, and nothing of the request is kept.

Every write endpoint of /api/v1/ whose service raises ``FieldError`` answers the same JSON:
``message`` is ``"<field>: <why>"`` and ``errors`` is ``{"json": {"<field>": ["<why>"]}}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Campaign, Event, OfflineActivity, PlatformAccount
from tests.conftest import HOME, Factory


def assert_field_error(response: Any, field: str) -> str:
    """The answer names ``field`` in the one shape every field error has; returns the reason."""
    assert response.status_code == 422
    payload = response.get_json()
    assert set(payload) == {"error", "status", "message", "errors"}
    assert (payload["error"], payload["status"]) == ("Unprocessable Entity", 422)
    (reason,) = payload["errors"]["json"][field]
    assert payload["errors"] == {"json": {field: [reason]}}
    assert payload["message"] == f"{field}: {reason}"
    return reason


CAMPAIGN = {
    "name": "BHYT hộ gia đình 2026",
    "scheme": "bhyt_ho_gia_dinh",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
}
ACCOUNT = {"platform": "facebook", "name": "Fanpage", "credentials": {"access_token": "x"}}
# A province is not a commune: offline quantities are refused there.
OFFLINE = {"kind": "leaflet", "org_unit": HOME, "period_start": "2026-11-01", "quantity": 500}


@pytest.mark.parametrize(
    ("path", "body", "field", "model"),
    [
        ("events", {"title": "x", "channel": "post", "org_unit": "99999"}, "org_unit", Event),
        ("campaigns", {**CAMPAIGN, "org_unit": "99999"}, "org_unit", Campaign),
        ("accounts", {**ACCOUNT, "org_unit": "99999"}, "org_unit", PlatformAccount),
        ("offline-activities", OFFLINE, "org_unit", OfflineActivity),
    ],
)
def test_a_refused_creation_writes_nothing(
    client: FlaskClient, auth: dict, path: str, body: dict, field: str, model: type
) -> None:
    assert_field_error(client.post(f"/api/v1/{path}", json=body, headers=auth), field)
    assert db.session.query(model).count() == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("events", {"title": "Mới", "planned_end": "2026-11-25T19:00:00"}, "planned_end"),
        ("campaigns", {"name": "Mới", "org_unit": "99999"}, "org_unit"),
    ],
)
def test_a_refused_change_keeps_nothing(
    client: FlaskClient, auth: dict, make: Factory, path: str, body: dict, field: str
) -> None:
    """The event starts at 20:00 local; an end at 19:00 is refused after the title was set."""
    start = datetime(2026, 11, 25, 13, tzinfo=UTC)
    if path == "events":
        row, attribute = make.event(HOME, title="Cũ", planned_start=start), "title"
    else:
        row, attribute = make.campaign(HOME, name="Cũ"), "name"
    db.session.commit()
    response = client.patch(f"/api/v1/{path}/{row.id}", json=body, headers=auth)
    assert_field_error(response, field)
    db.session.expire_all()
    assert getattr(db.session.get(type(row), row.id), attribute) == "Cũ"


@pytest.mark.parametrize(
    ("platform", "account_id", "field", "reason"),
    [
        ("tiktok_live", 1, "platform", "unknown target platform tiktok_live; one of "),
        ("youtube_live", 999999, "account_id", "unknown account 999999"),
    ],
)
def test_a_target_the_collectors_cannot_take(
    client: FlaskClient,
    auth: dict,
    make: Factory,
    platform: str,
    account_id: int,
    field: str,
    reason: str,
) -> None:
    event = make.event(HOME)
    db.session.commit()
    body = {"platform": platform, "external_id": "v1", "account_id": account_id}
    response = client.post(f"/api/v1/events/{event.id}/targets", json=body, headers=auth)
    assert assert_field_error(response, field).startswith(reason)

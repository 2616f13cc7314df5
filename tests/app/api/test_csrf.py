"""Writes through /api/v1/ need CSRF unless the caller logged in with a Bearer token."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from tests.conftest import HOME, Factory, csrf_token


def _target_post(client: FlaskClient, event_id: int, account_id: int, **headers: str):
    return client.post(
        f"/api/v1/events/{event_id}/targets",
        json={"platform": "facebook_live", "external_id": "123456789", "account_id": account_id},
        headers=headers,
    )


def test_a_cookie_session_with_a_bogus_authorization_header_still_needs_csrf(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event, account = make.event(HOME), make.account(HOME)
    refused = _target_post(client, event.id, account.id, Authorization="Bearer lt_not-a-token")
    assert refused.status_code == 400
    assert "CSRF" in refused.get_json()["message"]
    token = csrf_token(client, "/events")
    accepted = _target_post(client, event.id, account.id, **{"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_a_bearer_token_needs_no_csrf(client: FlaskClient, make: Factory) -> None:
    token = issue_token(make.user("officer", HOME))
    db.session.commit()
    event, account = make.event(HOME), make.account(HOME)
    response = _target_post(client, event.id, account.id, Authorization=f"Bearer {token}")
    assert response.status_code == 201

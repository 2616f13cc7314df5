"""The sandbox's token endpoints of app-only accounts, over HTTP as a client would call them.

Entra's client-credentials grant answers a JWT with the app's ``roles``, or the AADSTS error body
for a wrong secret; Google's one token endpoint takes a service account's assertion and passes
every other grant to YouTube's refresh-token answer.
"""

from __future__ import annotations

import base64
import json

import requests

from sandbox import Sandbox


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_entra_issues_an_app_token_for_the_right_secret_only(sandbox: Sandbox) -> None:
    c = sandbox.connections()["teams"]
    form = {
        "grant_type": "client_credentials",
        "client_id": c["client_id"],
        "client_secret": c["client_secret"],
        "scope": "https://graph.microsoft.com/.default",
    }
    answer = requests.post(c["token_url"], data=form, timeout=5)
    assert answer.status_code == 200
    token = answer.json()["access_token"]
    assert "OnlineMeetingArtifact.Read.All" in _claims(token)["roles"]
    organizer = c["organizer_id"]
    meetings = requests.get(
        f"{c['base_url']}/users/{organizer}/onlineMeetings",
        params={"$filter": "JoinWebUrl eq 'x'"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert meetings.json() == {"value": []}
    wrong = requests.post(c["token_url"], data={**form, "client_secret": "x"}, timeout=5)
    assert wrong.status_code == 401
    body = wrong.json()
    assert body["error"] == "invalid_client"
    assert body["error_codes"] == [7000215]
    assert body["error_description"].startswith("AADSTS7000215: ")


def test_googles_endpoint_checks_assertions_and_leaves_refresh_tokens_to_youtube(
    sandbox: Sandbox,
) -> None:
    url = sandbox.connections()["meet"]["token_url"]
    bad = requests.post(
        url,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "a.b.c"},
        timeout=5,
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_grant"
    yt = sandbox.connections()["youtube"]
    refreshed = requests.post(
        url,
        data={"grant_type": "refresh_token", "client_id": yt["client_id"],
              "client_secret": yt["client_secret"], "refresh_token": yt["refresh_token"]},
        timeout=5,
    )  # fmt: skip
    assert refreshed.status_code == 200
    assert refreshed.json()["access_token"] == sandbox.youtube_token

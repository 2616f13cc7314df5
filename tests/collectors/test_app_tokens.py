"""App-only tokens against the sandbox's token endpoints over loopback HTTP.

A Teams app's client secret is exchanged at the tenant's Entra endpoint (client-credentials grant)
and a Google service account's signed assertion at Google's (JWT-bearer grant); the fakes refuse
a wrong secret, an unknown tenant, a bad signature or an ungranted scope as the real ones do, and
the Graph fake refuses a token whose ``roles`` lack a permission. The checks report each; the
collectors buy their own tokens, keep them in the cursor and buy again after a 401.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from collectors import meet, teams
from collectors.base import TargetSpec
from collectors.errors import AuthExpired
from collectors.health import GRAPH_ROLES, check_meet, check_teams
from collectors.http import make_session
from sandbox.conferences import ConferenceFakes
from sandbox.oauth_apps import EntraApp, ServiceAccount


@pytest.fixture
def fakes(
    conference_fakes: ConferenceFakes, conference_server: tuple[ConferenceFakes, str]
) -> Iterator[ConferenceFakes]:
    yield conference_fakes
    conference_fakes.app_tokens.entra = EntraApp()
    conference_fakes.app_tokens.service_account = ServiceAccount()


@pytest.fixture
def base(conference_server: tuple[ConferenceFakes, str]) -> str:
    return conference_server[1]


def now(fakes: ConferenceFakes) -> datetime:
    return fakes.conference.datetime_at(fakes.clock.now())


def graph(fakes: ConferenceFakes, base: str) -> tuple[teams.GraphClient, dict[str, str]]:
    """A Graph client whose login host is the sandbox, and the app's credentials (no token_url:
    the endpoint is built from the login host and the tenant, as in production)."""
    creds = fakes.connection("teams", base)
    client = teams.make_client(
        make_session(retries=0, backoff=0), creds.pop("base_url"), login_url=f"{base}/microsoft"
    )
    creds.pop("token_url")
    return client, creds


def google(fakes: ConferenceFakes, base: str) -> tuple[meet.GoogleServiceClient, dict[str, str]]:
    creds = fakes.connection("meet", base)
    client = meet.make_client(
        make_session(retries=0, backoff=0), creds.pop("base_url"), token_url=creds.pop("token_url")
    )
    return client, creds


def test_a_teams_app_secret_buys_a_graph_token_and_the_check_reads_its_roles(fakes, base) -> None:
    client, creds = graph(fakes, base)
    health = check_teams(client, creds, now(fakes))
    entra = EntraApp()
    assert health.identity == f"{entra.display_name} · {entra.tenant_id}"
    assert health.scopes_missing == ()
    assert health.renews
    assert health.valid_until == now(fakes) + timedelta(seconds=3599)
    assert len(fakes.teams.issued) == 1
    probe = fakes.teams.log.entries()[-1]
    assert probe["path"].endswith(f"/users/{creds['organizer_id']}/onlineMeetings")
    assert probe["headers"]["Authorization"] != f"Bearer {fakes.teams.settings.access_token}"


def test_a_wrong_client_secret_is_refused_as_entra_does(fakes, base) -> None:
    client, creds = graph(fakes, base)
    with pytest.raises(AuthExpired) as refused:
        check_teams(client, {**creds, "client_secret": "not-the-secret"}, now(fakes))
    assert refused.value.status == 401
    assert refused.value.code == "invalid_client"
    assert refused.value.message.startswith("AADSTS7000215: Invalid client secret provided.")
    with pytest.raises(AuthExpired) as unknown:
        check_teams(client, {**creds, "tenant_id": "another-tenant"}, now(fakes))
    assert (unknown.value.status, unknown.value.code) == (400, "invalid_request")
    assert "AADSTS90002" in unknown.value.message
    with pytest.raises(AuthExpired):  # a tenant that would change the endpoint's path
        check_teams(client, {**creds, "tenant_id": "../common"}, now(fakes))
    assert len(fakes.teams.issued) == 0


def test_missing_application_permissions_are_reported_not_failed(fakes, base) -> None:
    fakes.app_tokens.entra.roles = ("CallRecords.Read.All",)
    client, creds = graph(fakes, base)
    health = check_teams(client, creds, now(fakes))  # Graph's 403 is explained by the roles
    assert health.scopes_missing == GRAPH_ROLES
    fakes.app_tokens.entra.roles = ("OnlineMeetings.Read.All",)
    health = check_teams(client, creds, now(fakes))
    assert health.scopes_missing == ("OnlineMeetingArtifact.Read.All",)


def test_a_service_account_key_buys_a_meet_token(fakes, base) -> None:
    client, creds = google(fakes, base)
    health = check_meet(client, creds, now(fakes))
    assert health.identity == "lan-toa@bhxh-sandbox.iam.gserviceaccount.com"
    assert health.renews
    assert health.scopes_missing == ()
    assert len(fakes.meet.issued) == 1
    call = fakes.meet.log.entries()[-1]
    assert (call["path"], call["params"]) == ("/meet/v2/conferenceRecords", {"pageSize": "1"})


def test_an_assertion_signed_by_another_key_is_refused(fakes, base) -> None:
    client, creds = google(fakes, base)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key = {**json.loads(creds["service_account_json"]), "private_key": pem}
    with pytest.raises(AuthExpired) as refused:
        check_meet(client, {"service_account_json": json.dumps(key)}, now(fakes))
    assert (refused.value.status, refused.value.code) == (400, "invalid_grant")
    assert refused.value.message == "Invalid JWT Signature."
    key = {
        **json.loads(creds["service_account_json"]),
        "client_email": "x@y.iam.gserviceaccount.com",
    }
    with pytest.raises(AuthExpired, match="account not found"):
        check_meet(client, {"service_account_json": json.dumps(key)}, now(fakes))
    assert len(fakes.meet.issued) == 0


def test_a_scope_the_account_is_not_granted_is_refused(fakes, base) -> None:
    fakes.app_tokens.service_account.scopes = ()
    client, creds = google(fakes, base)
    with pytest.raises(AuthExpired) as refused:
        check_meet(client, creds, now(fakes))
    assert (refused.value.status, refused.value.code) == (401, "unauthorized_client")


def test_the_teams_collector_buys_its_token_and_buys_again_when_it_stops_working(
    fakes, base
) -> None:
    client, creds = graph(fakes, base)
    conf = fakes.conference
    collector = teams.TeamsMeetingCollector(client, clock=lambda: now(fakes))
    spec = TargetSpec("teams_meeting", conf.params.teams_meeting_id, client.base_url, creds)
    first = collector.collect(spec, {})
    token = first.cursor["token"]["access_token"]
    assert len(fakes.teams.issued) == 1
    again = collector.collect(spec, first.cursor)  # the cached token serves the next run
    assert again.cursor["token"]["access_token"] == token
    assert len(fakes.teams.issued) == 1
    fakes.fail_next("teams", "token_expired")  # Graph stops accepting every token so far
    renewed = collector.collect(spec, again.cursor)
    assert renewed.cursor["token"]["access_token"] != token
    fakes.clock.advance(3600)  # past the token's hour: a new one before the first call
    later = collector.collect(spec, renewed.cursor)
    assert later.cursor["token"]["access_token"] != renewed.cursor["token"]["access_token"]


def test_the_meet_collector_and_describe_buy_their_token(fakes, base) -> None:
    client, creds = google(fakes, base)
    code = fakes.conference.params.meet_code
    spec = TargetSpec("meet_conference", code, client.base_url, creds)
    description = meet.describe(client, spec, now(fakes))
    assert description.external_id == code
    collector = meet.MeetConferenceCollector(client, clock=lambda: now(fakes))
    batch = collector.collect(spec, {})
    assert batch.cursor["token"]["access_token"].startswith("ya29.")
    with pytest.raises(AuthExpired):  # a given token that stops working is not renewed
        meet.describe(client, TargetSpec("meet_conference", code, client.base_url,
                                         {"access_token": "ya29.revoked"}), now(fakes))  # fmt: skip


def test_an_account_holding_only_a_token_is_checked_with_it(fakes, base) -> None:
    """The accounts connected before (a token pasted by hand) are checked as they are."""
    client, creds = graph(fakes, base)
    given = {
        "access_token": fakes.teams.settings.access_token,
        "organizer_id": creds["organizer_id"],
    }
    health = check_teams(client, given, now(fakes))
    assert (health.renews, health.valid_until) == (False, None)
    assert len(fakes.teams.issued) == 0
    gclient, _ = google(fakes, base)
    health = check_meet(gclient, {"access_token": fakes.meet.settings.access_token}, now(fakes))
    assert health.renews is False
    with pytest.raises(AuthExpired):
        check_meet(gclient, {"access_token": "ya29.unknown"}, now(fakes))

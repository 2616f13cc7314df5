"""A platform call never carries an account's token to an address an account holder chose.

Addresses in credentials (``base_url``, ``token_url``, ``oauth_url``) are refused when they are
not https, or when any address their host resolves to is private, loopback, link-local or
reserved — unless ``ALLOW_PRIVATE_PLATFORM_URLS`` is set (the sandbox and these tests). Only an
administrator sets one, and only for a platform without a configured host (BigBlueButton).
"""

from __future__ import annotations

import pytest
from flask import Flask

from app.auth.tokens import issue_token
from app.collection import runner, servers
from app.extensions import db
from app.models import Platform
from sandbox import Sandbox
from tests.conftest import HOME, Factory

PUBLIC = "93.184.216.34"  # a global address; never called, only checked


def public(_host: str) -> list[str]:
    return [PUBLIC]


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.5/bigbluebutton/api",
        "https://172.16.3.4/",
        "https://192.168.1.10/",
        "https://127.0.0.1:5055/bbb",
        "https://[::1]/",
        "https://169.254.169.254/latest/meta-data",  # the cloud metadata service
        "https://[::ffff:127.0.0.1]/",
        "https://100.64.0.1/",  # carrier-grade NAT
        "https://0.0.0.0/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(servers.UnsafeURL) as caught:
        servers.check_url(url, allow_private=False)
    assert caught.value.reason == "private"


def test_a_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(servers.UnsafeURL, match="127.0.0.1"):
        servers.check_url("https://localhost:5055/bbb", allow_private=False)


def test_every_resolved_address_is_checked_not_only_the_first() -> None:
    def mixed(_host: str) -> list[str]:
        return [PUBLIC, "127.0.0.1"]

    with pytest.raises(servers.UnsafeURL, match="127.0.0.1"):
        servers.check_url("https://bbb.example.vn/", allow_private=False, resolver=mixed)


def test_plain_http_is_refused_in_production() -> None:
    with pytest.raises(servers.UnsafeURL) as caught:
        servers.check_url("http://bbb.example.vn/api", allow_private=False, resolver=public)
    assert caught.value.reason == "not_https"


def test_a_public_https_server_and_the_sandbox_under_the_setting_pass() -> None:
    url = "https://bbb.example.vn/bigbluebutton/api/"
    assert servers.check_url(url, allow_private=False, resolver=public) == url.rstrip("/")
    assert servers.check_url("http://127.0.0.1:5055/bbb", allow_private=True).endswith("/bbb")
    with pytest.raises(servers.UnsafeURL):
        servers.check_url("file:///etc/passwd", allow_private=True)


def test_only_an_admin_sets_a_server_and_only_where_the_platform_has_none() -> None:
    bbb = {"secret": "s", "base_url": "https://bbb.example.vn/bigbluebutton/api"}
    with pytest.raises(servers.UnsafeURL) as caught:
        servers.check_credentials("bbb", bbb, allow_private=False, admin=False, resolver=public)
    assert (caught.value.key, caught.value.reason) == ("base_url", "admin_only")
    kept = servers.check_credentials("bbb", bbb, allow_private=False, admin=True, resolver=public)
    assert kept["base_url"] == bbb["base_url"]
    graph = {"access_token": "t", "base_url": "https://graph.example.vn"}
    with pytest.raises(servers.UnsafeURL) as caught:
        servers.check_credentials("facebook", graph, allow_private=False, admin=True)
    assert caught.value.reason == "configured"
    # A manager renewing the secret keeps the server the administrator set.
    renewed = servers.check_credentials(
        "bbb", {"secret": "new"}, allow_private=False, admin=False, previous=kept
    )
    assert renewed == {"secret": "new", "base_url": bbb["base_url"]}


def _bearer(make: Factory, role: str) -> dict[str, str]:
    token = issue_token(make.user(role, HOME))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_manager_setting_base_url_through_the_api_gets_422(
    app: Flask, client, make: Factory
) -> None:
    headers = _bearer(make, "manager")
    body = {
        "platform": "facebook",
        "name": "Fanpage",
        "credentials": {"access_token": "EAAG", "base_url": "http://127.0.0.1:6379/"},
    }
    response = client.post("/api/v1/accounts", json=body, headers=headers)
    assert response.status_code == 422
    assert "credentials.base_url" in response.get_json()["errors"]["json"]
    account = make.account()
    response = client.patch(
        f"/api/v1/accounts/{account.id}",
        json={"credentials": {"access_token": "x", "token_url": "http://169.254.169.254/"}},
        headers=headers,
    )
    assert response.status_code == 422
    assert "credentials.token_url" in response.get_json()["errors"]["json"]
    db.session.expire_all()
    assert "token_url" not in account.credentials


def test_an_admin_cannot_point_bbb_at_loopback_in_production(
    app: Flask, client, make: Factory
) -> None:
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = False
    body = {
        "platform": "bbb",
        "name": "BBB tỉnh",
        "credentials": {"secret": "s", "base_url": "https://localhost/bigbluebutton/api"},
    }
    response = client.post("/api/v1/accounts", json=body, headers=_bearer(make, "admin"))
    assert response.status_code == 422
    assert "127.0.0.1" in response.get_json()["errors"]["json"]["credentials.base_url"][0]


def test_a_stored_loopback_server_is_refused_at_call_time_without_a_request(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    """An address saved while allowed (or rebound since) is checked again before each call."""
    app.extensions.pop("lantoa_http", None)
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url}
    )
    event = make.event()
    target = make.target(
        event, account, external_id=sandbox.credentials()["facebook_live_video_id"]
    )
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = False
    before = len(sandbox.requests_log)
    (result,) = runner.run_targets([target.id])
    assert result.outcome == "permanent"
    assert "server refused" in result.error
    assert len(sandbox.requests_log) == before  # the token never left
    db.session.expire_all()
    assert target.paused_reason


def test_the_configured_platform_url_is_used_when_the_account_names_none(app: Flask) -> None:
    url, creds = servers.server_for(
        "FACEBOOK_GRAPH_URL", {"access_token": "t"}, app.config, resolver=public
    )
    assert url == app.config["FACEBOOK_GRAPH_URL"]
    assert creds == {"access_token": "t"}
    with pytest.raises(servers.UnsafeURL):
        servers.server_for("", {"secret": "s"}, app.config)  # BigBlueButton needs its server
    assert Platform.BBB.value == "bbb"

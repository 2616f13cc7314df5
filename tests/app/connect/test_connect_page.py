"""The connection page: add each kind against the sandbox, check it, never show a secret whole.

Each platform is the sandbox's fake, answering the calls a check makes as the real API does:
Graph ``debug_token`` + ``me`` (and the user-token exchange), Google's token endpoint +
``channels.list mine``, Zoom's S2S token, BigBlueButton ``getMeetings``, Zalo's refresh.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import AuditLog, PlatformAccount, utcnow
from sandbox import Sandbox
from tests.app.connect.conftest import post_form
from tests.conftest import OTHER, Factory


def _only_account() -> PlatformAccount:
    return db.session.scalars(sa.select(PlatformAccount)).one()


def _add(client, kind: str, fields: dict[str, str]) -> PlatformAccount:
    response = post_form(client, f"/connect/new?kind={kind}", {"name": f"{kind} BHXH", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    db.session.expire_all()
    return db.session.scalars(
        sa.select(PlatformAccount).order_by(PlatformAccount.id.desc())
    ).first()


def _check(client, account: PlatformAccount) -> str:
    response = post_form(client, f"/connect/{account.id}/check", {})
    assert response.status_code == 302
    db.session.expire_all()
    return client.get("/connect").get_data(as_text=True)


def test_a_facebook_page_token_is_checked_and_shown_masked(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    logged_in("admin")
    c = sandbox.connections()["facebook"]
    account = _add(
        client,
        "facebook",
        {"page_id": c["page_id"], "access_token": c["access_token"], "base_url": c["base_url"]},
    )
    assert account.credentials["access_token"] == c["access_token"]  # stored, encrypted
    assert account.external_id == c["page_id"]
    page = _check(client, account)
    assert account.health == "ok"
    check = account.rate_limit_usage["check"]
    assert check["identity"] == sandbox.scenario.params.page_name
    assert check["scopes_missing"] == []
    assert check["valid_until"] is None
    assert sandbox.scenario.params.page_name in page
    assert c["access_token"] not in page
    assert "••••" + c["access_token"][-4:] in page
    assert "Không hết hạn" in page  # a Page token from a long-lived user token
    edit = client.get(f"/connect/{account.id}/edit").get_data(as_text=True)
    assert c["access_token"] not in edit


def test_a_user_token_is_exchanged_for_the_page_token_and_not_kept(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    logged_in("admin")
    c = sandbox.connections()["facebook"]
    fields = {k: c[k] for k in ("page_id", "app_id", "app_secret", "user_token", "base_url")}
    account = _add(client, "facebook", fields)
    assert account.credentials["access_token"] == sandbox.facebook_token
    assert "user_token" not in account.credentials
    wrong = post_form(
        client, "/connect/new?kind=facebook", {**fields, "name": "x", "app_secret": "no"}
    )
    assert wrong.status_code == 422
    assert "Facebook từ chối" in wrong.get_data(as_text=True)


def test_youtube_zoom_bbb_and_zalo_connect_and_check(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    logged_in("admin")
    conn = sandbox.connections()
    youtube = _add(client, "youtube", conn["youtube"])
    _check(client, youtube)
    assert youtube.rate_limit_usage["check"]["identity"] == sandbox.youtube.settings.channel_title
    assert youtube.health == "ok"
    zoom = _add(client, "zoom", conn["zoom"])
    _check(client, zoom)
    assert (zoom.health, zoom.rate_limit_usage["check"]["scopes_missing"]) == ("ok", [])
    bbb = _add(client, "bbb", conn["bbb"])
    _check(client, bbb)
    assert bbb.health == "ok", bbb.rate_limit_usage
    zalo = _add(client, "zalo", conn["zalo"])
    spent = zalo.credentials["refresh_token"]
    _check(client, zalo)
    assert zalo.health == "ok"
    # Zalo's refresh tokens are single-use: the check stored the new pair.
    assert zalo.credentials["refresh_token"] == sandbox.zalo.refresh_token != spent
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions.count("account.create") == 4
    assert actions.count("account.check") == 4


def test_a_wrong_secret_shows_the_platforms_refusal(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    logged_in("admin")
    bbb = _add(client, "bbb", {**sandbox.connections()["bbb"], "secret": "not-the-secret"})
    page = _check(client, bbb)
    assert bbb.health in ("error", "auth_expired")
    assert bbb.rate_limit_usage["check"]["error"]
    assert "Lỗi gần nhất" in page


def test_a_manager_cannot_set_a_server_and_bbb_needs_an_admin(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    logged_in("manager")
    c = sandbox.connections()["facebook"]
    form = client.get("/connect/new?kind=facebook").get_data(as_text=True)
    assert 'name="base_url"' not in form
    account = _add(
        client,
        "facebook",
        {"page_id": c["page_id"], "access_token": "EAAGmanager0001", "base_url": c["base_url"]},
    )
    assert "base_url" not in account.credentials  # ignored: only an administrator sets it
    refused = post_form(client, "/connect/new?kind=bbb", {"name": "BBB", "secret": "s"})
    assert refused.status_code == 422
    assert "quản trị" in refused.get_data(as_text=True)


def test_the_page_refuses_an_internal_server_in_production(app: Flask, client, logged_in) -> None:
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = False
    logged_in("admin")
    data = {"name": "BBB", "secret": "s3cret", "base_url": "https://localhost/bigbluebutton/api"}
    response = post_form(client, "/connect/new?kind=bbb", data)
    assert response.status_code == 422
    assert "mạng nội bộ" in response.get_data(as_text=True)
    response = post_form(client, "/connect/new?kind=bbb", {**data, "base_url": "http://bbb.vn/api"})
    assert "https://" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlatformAccount)) == 0


def test_an_expiring_token_is_flagged_days_before(app: Flask, client, logged_in, make: Factory):
    logged_in("manager")
    soon = (utcnow() + timedelta(days=5, hours=1)).isoformat()
    make.account(
        name="Zalo OA",
        rate_limit_usage={"check": {"checked_at": utcnow().isoformat(), "valid_until": soon,
                                    "error": "", "scopes_missing": []}},
    )  # fmt: skip
    page = client.get("/connect").get_data(as_text=True)
    assert "hết hạn sau 5 ngày" in page


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_below_manager_the_page_is_forbidden(
    app: Flask, client, logged_in, make: Factory, role: str
) -> None:
    account = make.account(name="Fanpage")
    logged_in(role)
    assert client.get("/connect").status_code == 403
    assert post_form(client, f"/connect/{account.id}/check", {}).status_code == 403
    assert post_form(client, f"/connect/{account.id}/delete", {}).status_code == 403
    db.session.expire_all()
    assert db.session.get(PlatformAccount, account.id).rate_limit_usage == {}


def test_another_provinces_account_is_not_found(
    app: Flask, client, logged_in, make: Factory
) -> None:
    logged_in("manager")
    theirs = make.account(OTHER, name="Fanpage Huế")
    assert "Fanpage Huế" not in client.get("/connect").get_data(as_text=True)
    assert client.get(f"/connect/{theirs.id}/edit").status_code == 404
    assert post_form(client, f"/connect/{theirs.id}/check", {}).status_code == 404
    assert post_form(client, f"/connect/{theirs.id}/delete", {}).status_code == 404


def test_removing_an_account_is_audited_and_refused_while_targets_use_it(
    app: Flask, client, logged_in, make: Factory
) -> None:
    logged_in("manager")
    used = make.account(name="Đang dùng")
    make.target(make.event(), used)
    free = make.account(name="Không dùng")
    post_form(client, f"/connect/{used.id}/delete", {})
    post_form(client, f"/connect/{free.id}/delete", {})
    db.session.expire_all()
    names = db.session.scalars(sa.select(PlatformAccount.name)).all()
    assert names == ["Đang dùng"]
    assert db.session.scalars(sa.select(AuditLog.action)).all() == ["account.delete"]


def test_under_the_demo_an_admin_sees_what_connects_the_sandbox(
    app: Flask, client, logged_in, sandbox: Sandbox
) -> None:
    app.extensions["lantoa_sandbox"] = sandbox
    try:
        logged_in("admin")
        page = client.get("/connect").get_data(as_text=True)
    finally:
        app.extensions.pop("lantoa_sandbox")
    assert "sandbox" in page
    assert sandbox.connections()["bbb"]["base_url"] in page
    # What connects the Teams app and the Google service account is there too, to copy.
    assert sandbox.connections()["teams"]["client_secret"] in page
    assert '<pre class="sandbox-value">' in page
    assert "BEGIN PRIVATE KEY" in page

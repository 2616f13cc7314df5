"""A Teams app and a Google service account, connected and checked from the page.

The sandbox stands in for Entra's and Google's token endpoints: the app's secret and the
service account's signed assertion are exchanged for tokens there, then Graph and Meet are asked
once. Secrets and the private key are stored encrypted and never shown back; results and refusals
are shown in Vietnamese. Also: what a check learns of a token's end reaches the home screen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask

from app.extensions import db
from app.models import AuditLog, PlatformAccount, utcnow
from sandbox import ManualClock, Sandbox, Scenario
from sandbox.oauth_apps import EntraApp, ServiceAccount
from tests.app.connect.conftest import post_form


def _add(client, kind: str, fields: dict[str, str], status: int = 302) -> PlatformAccount:
    response = post_form(client, f"/connect/new?kind={kind}", {"name": f"{kind} BHXH", **fields})
    assert response.status_code == status, response.get_data(as_text=True)[-1500:]
    db.session.expire_all()
    return db.session.scalars(
        sa.select(PlatformAccount).order_by(PlatformAccount.id.desc())
    ).first()


def _check(client, account: PlatformAccount) -> str:
    assert post_form(client, f"/connect/{account.id}/check", {}).status_code == 302
    db.session.expire_all()
    return client.get("/connect").get_data(as_text=True)


def _card(page: str, account: PlatformAccount) -> str:
    match = re.search(rf'<section[^>]*id="account-{account.id}".*?</section>', page, re.S)
    assert match
    return match.group(0)


def _stored(account: PlatformAccount) -> str:
    """The credentials column as the database holds it."""
    query = sa.text("SELECT credentials FROM platform_accounts WHERE id = :id")
    return str(db.session.execute(query, {"id": account.id}).scalar())


@pytest.fixture
def apps(sandbox: Sandbox) -> Iterator[Sandbox]:
    yield sandbox
    sandbox.conferences.app_tokens.entra = EntraApp()
    sandbox.conferences.app_tokens.service_account = ServiceAccount()


def test_a_teams_app_is_connected_checked_and_its_secret_never_shown(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    form = client.get("/connect/new?kind=teams").get_data(as_text=True)
    for label in ("ID tổ chức (tenant ID)", "ID người tổ chức cuộc họp", "OnlineMeetings.Read.All"):
        assert label in form
    fields = apps.connections()["teams"]
    account = _add(client, "teams", fields)
    assert account.credentials["client_secret"] == fields["client_secret"]
    assert fields["client_secret"] not in _stored(account)  # encrypted at rest
    page = _card(_check(client, account), account)
    assert account.health == "ok", account.rate_limit_usage
    check = account.rate_limit_usage["check"]
    entra = EntraApp()
    assert check["identity"] == f"{entra.display_name} · {entra.tenant_id}"
    assert check["renews"] is True
    assert check["scopes_missing"] == []
    assert "tự động gia hạn" in page
    assert "hết hạn sau" not in page  # a token renewed by itself is nobody's worry
    assert fields["client_secret"] not in page
    assert "••••" + fields["client_secret"][-4:] in page
    assert "expires_at" not in account.credentials
    edit = client.get(f"/connect/{account.id}/edit").get_data(as_text=True)
    assert fields["client_secret"] not in edit
    actions = db.session.scalars(sa.select(AuditLog.action)).all()
    assert actions == ["account.create", "account.check"]


def test_a_wrong_secret_and_missing_permissions_are_told_in_vietnamese(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    fields = apps.connections()["teams"]
    wrong = _add(client, "teams", {**fields, "client_secret": "khong-dung-ma-bi-mat"})
    page = _card(_check(client, wrong), wrong)
    assert wrong.health == "auth_expired"
    assert "Lỗi gần nhất" in page
    assert "ID ứng dụng hoặc mã bí mật không đúng — AADSTS7000215" in page
    assert "invalid_client" not in page
    apps.conferences.app_tokens.entra.roles = ("OnlineMeetings.Read.All",)
    lacking = _add(client, "teams", fields)
    page = _card(_check(client, lacking), lacking)
    assert lacking.health == "ok"
    assert re.search(r"Quyền còn thiếu</dt><dd data-scopes>OnlineMeetingArtifact.Read.All<", page)


def test_a_tenant_id_that_is_not_one_is_refused_on_the_form(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    fields = {**apps.connections()["teams"], "tenant_id": "../common"}
    response = post_form(client, "/connect/new?kind=teams", {"name": "Teams", **fields})
    assert response.status_code == 422
    assert "ID tổ chức là một GUID hoặc một tên miền" in response.get_data(as_text=True)


def test_a_google_service_account_is_connected_and_checked(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    fields = apps.connections()["meet"]
    key = json.loads(fields["service_account_json"])
    account = _add(client, "meet", fields)
    assert json.loads(account.credentials["service_account_json"]) == key
    assert "PRIVATE KEY" not in _stored(account)
    page = _card(_check(client, account), account)
    assert account.health == "ok", account.rate_limit_usage
    assert account.rate_limit_usage["check"]["identity"] == key["client_email"]
    assert key["client_email"] in page
    assert f"{key['client_email']} · ••••{key['private_key_id'][-4:]}" in page  # the key, masked
    assert "tự động gia hạn" in page
    assert "PRIVATE KEY" not in page
    edit = client.get(f"/connect/{account.id}/edit").get_data(as_text=True)
    assert "PRIVATE KEY" not in edit
    assert "Người dùng Workspace được ủy quyền" in edit


def test_a_key_signed_by_another_key_pair_is_refused_by_the_check(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    fields = apps.connections()["meet"]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key = {**json.loads(fields["service_account_json"]), "private_key": pem}
    account = _add(client, "meet", {**fields, "service_account_json": json.dumps(key)})
    page = _card(_check(client, account), account)
    assert account.health == "auth_expired"
    assert "khóa hoặc chữ ký không được chấp nhận" in page


def test_a_key_file_that_cannot_sign_is_refused_on_the_form(
    app: Flask, client, logged_in, apps: Sandbox
) -> None:
    logged_in("admin")
    fields = apps.connections()["meet"]
    key = {**json.loads(fields["service_account_json"]), "private_key": "-----BEGIN nothing"}
    response = post_form(
        client,
        "/connect/new?kind=meet",
        {**fields, "name": "Meet", "service_account_json": json.dumps(key)},
    )
    assert response.status_code == 422
    assert "Không đọc được khóa riêng trong tệp khóa." in response.get_data(as_text=True)


@pytest.fixture
def short_token_sandbox(app: Flask) -> Iterator[Sandbox]:
    """A sandbox on the wall clock whose Page token runs out three days from now."""
    app.extensions.pop("lantoa_http", None)
    sb = Sandbox.start(
        scenario=Scenario(comment_count=10, duration=900, epoch=utcnow()), clock=ManualClock()
    )
    sb.facebook.settings.page_token_seconds = int(timedelta(days=3).total_seconds())
    yield sb
    sb.stop()


def test_a_token_checked_on_the_page_that_expires_in_three_days_shows_on_the_home_screen(
    app: Flask, client, logged_in, short_token_sandbox: Sandbox
) -> None:
    logged_in("admin")
    c = short_token_sandbox.connections()["facebook"]
    fields = {k: c[k] for k in ("page_id", "access_token", "base_url")}
    account = _add(client, "facebook", fields)
    _check(client, account)
    until = account.rate_limit_usage["check"]["valid_until"]
    assert account.credentials["expires_at"] == until
    home = client.get("/").get_data(as_text=True)
    alerts = re.search(r'<section id="alerts">(.*?)</section>', home, re.S)
    assert alerts
    assert "facebook BHXH" in alerts.group(1)
    assert "mã truy cập hết hạn lúc" in alerts.group(1)

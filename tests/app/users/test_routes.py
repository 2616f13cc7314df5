"""The users pages (issue 15, point 4): an administrator manages the accounts of their unit's
subtree; everybody changes their own password. Every change is audited; a generated password is
shown once, in the page answering the POST, never in a cookie."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.passwords import verify_password
from app.extensions import db
from app.models import AuditLog, OrgUnit, Role, User
from tests.conftest import HOME, OTHER, PASSWORD, Factory, csrf_token, login

NEW_PASSWORD = "ba con cá bơi qua cầu Bến Thủy"


def commune(code: str = HOME) -> str:
    parent = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == code))
    return db.session.scalar(
        sa.select(OrgUnit.code).where(OrgUnit.parent_id == parent).order_by(OrgUnit.code)
    )


def actions(user_id: int) -> list[str]:
    stmt = sa.select(AuditLog.action).where(AuditLog.object_id == str(user_id))
    return list(db.session.scalars(stmt.order_by(AuditLog.id)))


@pytest.fixture
def admin(client: FlaskClient, make: Factory) -> User:
    user = make.user("admin", HOME)
    login(client, user.email)
    return user


def post(client: FlaskClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, "/users"), **data})


def test_the_list_holds_the_subtree_only(client, admin, make: Factory) -> None:
    mine = make.user("officer", commune(HOME), email="xa.cua.toi@example.vn")
    theirs = make.user("officer", OTHER, email="hue@example.vn")
    page = client.get("/users").get_data(as_text=True)
    assert mine.email in page
    assert admin.email in page
    assert theirs.email not in page
    assert client.get(f"/users/{theirs.id}").status_code == 404


def test_a_commune_admin_sees_their_commune_only(client: FlaskClient, make: Factory) -> None:
    province_user = make.user("officer", HOME, email="tinh@example.vn")
    local_admin = make.user("admin", commune(HOME))
    login(client, local_admin.email)
    listing = client.get("/users")
    assert listing.status_code == 200
    assert local_admin.email in listing.get_data(as_text=True)
    assert province_user.email not in listing.get_data(as_text=True)
    assert client.get(f"/users/{province_user.id}").status_code == 404


def test_create_with_a_chosen_password(client, admin) -> None:
    response = post(client, "/users/new", email="Lan.Nguyen@BHXH.vn", display_name="Nguyễn Thị Lan",
                    role="officer", org_unit=commune(HOME), password=NEW_PASSWORD)  # fmt: skip
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lan.nguyen@bhxh.vn"))
    assert (user.role, user.org_unit.code, user.display_name) == (
        Role.OFFICER, commune(HOME), "Nguyễn Thị Lan")  # fmt: skip
    assert verify_password(user.password_hash, NEW_PASSWORD)
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.create"))
    assert (entry.user_id, entry.object_id) == (admin.id, str(user.id))


def test_create_with_a_generated_password_shown_once(app: Flask, client, admin) -> None:
    response = post(client, "/users/new", email="minh@bhxh.vn", role="viewer", org_unit=HOME)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    password = re.search(r'id="new-password" class="secret">([^<]+)<', page)[1]
    assert "chỉ hiện lần này" in page
    assert password not in "".join(response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert password not in repr(dict(session))
    assert password not in client.get("/users").get_data(as_text=True)
    other = app.test_client()
    login(other, "minh@bhxh.vn", password)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"org_unit": OTHER}, "org_unit", "Không có đơn vị với mã 46 trong phạm vi"),
        ({"email": "ADMIN-TAKEN"}, "email", "Đã có tài khoản dùng e-mail này."),
        ({"password": "matkhau@123"}, "password", "bị lộ nhiều nhất"),
        ({"password": "thu.minh.2026@bhxh.vn!"}, "password", "không được chứa địa chỉ e-mail"),
    ],
    ids=["unit-elsewhere", "email-taken", "leaked-password", "email-in-password"],
)
def test_a_refused_account_says_why_and_writes_nothing(
    client, admin, fields: dict, field: str, message: str
) -> None:
    data = {"email": "thu.minh.2026@bhxh.vn", "role": "officer", "org_unit": HOME,
            "password": NEW_PASSWORD, **fields}  # fmt: skip
    if data["email"] == "ADMIN-TAKEN":
        data["email"] = admin.email.upper()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = post(client, "/users/new", **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'name="{field}"' in page.split(message)[0].rsplit('class="field', 1)[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_edit_role_and_unit_is_audited(client, admin, make: Factory) -> None:
    user = make.user("viewer", HOME)
    response = post(client, f"/users/{user.id}", email=user.email, display_name="Lê Văn Hùng",
                    role="manager", org_unit=commune(HOME))  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, user.org_unit.code) == (Role.MANAGER, commune(HOME))
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.update"))
    assert entry.user_id == admin.id
    assert sorted(entry.detail["fields"]) == ["display_name", "org_unit", "role"]


def test_an_admin_cannot_lock_themselves_out(client, admin) -> None:
    demoted = post(client, f"/users/{admin.id}", email=admin.email, role="viewer", org_unit=HOME)
    assert demoted.status_code == 422
    assert "Bạn không thể tự đổi vai trò" in demoted.get_data(as_text=True)
    post(client, f"/users/{admin.id}", action="deactivate")
    db.session.refresh(admin)
    assert admin.active
    assert admin.role == Role.ADMIN
    assert client.get("/users").status_code == 200


def test_deactivate_ends_the_users_sessions_then_reactivate(
    app: Flask, client, admin, make: Factory
) -> None:
    user = make.user("officer", HOME)
    theirs = app.test_client()
    login(theirs, user.email)
    assert post(client, f"/users/{user.id}", action="deactivate").status_code == 302
    assert theirs.get("/events").status_code == 302  # their open session ended
    assert "Đã khóa" in client.get("/users").get_data(as_text=True)
    again = app.test_client()
    token = csrf_token(again, "/login")
    refused = again.post("/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})  # fmt: skip
    assert refused.status_code == 403  # the right password: told the account is locked
    assert "Tài khoản đã bị khóa" in refused.get_data(as_text=True)
    assert post(client, f"/users/{user.id}", action="reactivate").status_code == 302
    login(again, user.email)
    assert actions(user.id) == ["user.deactivate", "user.reactivate"]


def test_reset_shows_a_new_password_once_and_ends_sessions(
    app: Flask, client, admin, make: Factory
) -> None:
    user = make.user("officer", HOME)
    theirs = app.test_client()
    login(theirs, user.email)
    response = post(client, f"/users/{user.id}", action="reset_password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(
        r'id="new-password" class="secret">([^<]+)<', response.get_data(as_text=True)
    )[1]
    assert theirs.get("/events").status_code == 302
    db.session.refresh(user)
    assert not verify_password(user.password_hash, PASSWORD)
    login(app.test_client(), user.email, password)
    assert actions(user.id) == ["user.password_reset"]


def test_everyone_changes_their_own_password(app: Flask, client, make: Factory) -> None:
    user = make.user("viewer", commune(HOME))
    login(client, user.email)
    elsewhere = app.test_client()
    login(elsewhere, user.email)
    form = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = post(client, "/account/password", **form)
    assert response.status_code == 302
    assert client.get("/events").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/events").status_code == 302  # the others are logged out
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert actions(user.id) == ["user.password_change"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"current": "không phải mật khẩu", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
         "Mật khẩu hiện tại không đúng."),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
         "Hai lần nhập mật khẩu mới không khớp."),
        ({"current": PASSWORD, "new": "matkhau@123", "confirm": "matkhau@123"},
         "bị lộ nhiều nhất"),
        ({"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD},
         "Hãy chọn mật khẩu khác với mật khẩu hiện tại."),
    ],
    ids=["wrong-current", "mismatch", "leaked", "same"],
)  # fmt: skip
def test_a_refused_own_change_says_why(client, make: Factory, form: dict, message: str) -> None:
    user = make.user("officer", HOME)
    login(client, user.email)
    response = post(client, "/account/password", **form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    assert actions(user.id) == []

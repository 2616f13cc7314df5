"""Log-in, log-out, CSRF and throttling of the log-in form."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Factory, csrf_token, login


def test_login_page_is_vietnamese_by_default(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in html
    assert 'lang="vi"' in html


def test_login_then_event_list_then_logout(client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer")
    login(client, user.email)
    page = client.get("/events")
    assert page.status_code == 200
    assert "Sự kiện" in page.get_data(as_text=True)
    token = csrf_token(client, "/events")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/events").status_code == 302


def test_wrong_password_is_refused_with_a_vietnamese_message(
    client: FlaskClient, make: Factory
) -> None:
    user = make.user("viewer")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": user.email, "password": "wrong password", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Email hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/events").status_code == 302


def test_login_without_csrf_token_is_refused(client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/events").status_code == 302


def test_a_locked_account_with_the_right_password_is_told_whom_to_ask(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    from app.extensions import db

    user = make.user("admin")
    user.active = False
    db.session.commit()
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Tài khoản đã bị khóa. Hãy liên hệ quản trị viên của đơn vị." in page
    assert "mật khẩu không đúng" not in page
    assert client.get("/events").status_code == 302  # still not logged in


def test_a_locked_account_with_a_wrong_password_reveals_nothing(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    from app.extensions import db

    user = make.user("admin")
    user.active = False
    db.session.commit()
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": user.email, "password": "không phải", "csrf_token": token}
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng." in page
    assert "bị khóa" not in page


def test_a_locked_owner_retrying_is_not_throttled(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    """Right password, locked account: not a guess, so it never counts towards the limit."""
    from app.extensions import db

    user = make.user("viewer")
    user.active = False
    db.session.commit()
    token = csrf_token(client)
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    statuses = [client.post("/login", data=data).status_code for _ in range(12)]
    assert statuses == [403] * 12


def test_repeated_failures_are_throttled_per_email(client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer")
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"email": user.email, "password": "nope nope", "csrf_token": token}
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    # Even the right password is refused while throttled: guessing cannot continue.
    blocked = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    assert "Quá nhiều lần thử" in blocked.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_limit(
    client: FlaskClient, make: Factory
) -> None:
    user = make.user("viewer")
    for _ in range(12):
        login(client, user.email)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/events")})


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/%09/evil.example",  # a tab the browser drops: //evil.example
        "/%0a/evil.example",
        "/%5Cevil.example",  # a backslash the browser reads as a slash
        "%5C%5Cevil.example",
        "javascript:alert(1)",
    ],
)
def test_next_parameter_never_leaves_the_site(
    client: FlaskClient, make: Factory, target: str
) -> None:
    user = make.user("viewer")
    token = csrf_token(client)
    response = client.post(
        f"/login?next={target}",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_english_can_be_chosen(client: FlaskClient, make: Factory) -> None:
    user = make.user("viewer")
    login(client, user.email)
    token = csrf_token(client, "/events")
    client.post("/language/en", data={"csrf_token": token, "next": "/events"})
    html = client.get("/events").get_data(as_text=True)
    assert "Events" in html
    assert 'lang="en"' in html

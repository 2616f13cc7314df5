"""The role hint on /users/new says what each role may do; it must match what the app enforces.

Each case logs in as every role and opens a page the hint speaks of: the page opens exactly for
the roles whose description (in Vietnamese, as shown) carries that ability.
"""

from __future__ import annotations

import pytest
from flask import Flask

from app import labels
from app.models import Role
from app.users.role_words import abilities
from tests.conftest import HOME, Factory, login


def described(app: Flask, role: Role) -> str:
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        return " ".join(str(words) for words in abilities(role))


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/events/new", "tạo và sửa sự kiện"),
        ("/connect", "kết nối tài khoản nền tảng"),
        ("/users/new", "quản lý tài khoản người dùng"),
    ],
)
def test_the_description_matches_who_may_open_the_page(
    app: Flask, make: Factory, path: str, words: str
) -> None:
    opened = {}
    for role in Role:
        client = app.test_client()
        login(client, make.user(role.value, HOME).email)
        opened[role] = client.get(path).status_code == 200
    says = {role: words in described(app, role) for role in Role}
    assert says == opened
    assert any(opened.values())
    assert not all(opened.values())


def test_the_new_user_page_describes_every_role_in_vietnamese(app: Flask, make: Factory) -> None:
    client = app.test_client()
    login(client, make.user("admin", HOME).email)
    html = client.get("/users/new", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        names = [str(labels.ROLE[role]) for role in Role]
    assert names == ["Người xem", "Cán bộ", "Lãnh đạo", "Quản trị viên"]
    hint = html[html.index('id="role-words"') :]
    for name in names:
        assert f"<dt>{name}</dt>" in hint
    assert "Xem sự kiện" in hint
    assert "Mọi việc của Lãnh đạo, và:" in hint

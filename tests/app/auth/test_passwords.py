"""The rule for new passwords: long, not among the most leaked, not built from the e-mail."""

from __future__ import annotations

import pytest
from flask import Flask

from app.auth.passwords import WeakPassword, check_strength, hash_password, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "password123!",  # the leaked list, with decoration
        "Matkhau@123",  # Vietnamese "password", decorated
        "iloveyou1234",
        "qwertyuiop123",
        "1234567890",
        "aaaaaaaaaaaa",  # long but trivially guessable
    ],
)
def test_common_and_guessable_passwords_are_refused(app: Flask, password: str) -> None:
    with app.test_request_context(), pytest.raises(WeakPassword):
        check_strength(password)


def test_a_password_containing_the_email_is_refused(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(WeakPassword) as refused:
        check_strength("Nguyenvana#2026x", "NguyenVanA@bhxh.gov.vn")
    assert "e-mail" in str(refused.value)


def test_the_reason_is_given_in_vietnamese(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        with pytest.raises(WeakPassword) as short:
            check_strength("ngắn")
        assert "ít nhất 10 ký tự" in str(short.value)


@pytest.mark.parametrize("password", ["correct horse battery", "Sông Lam chảy qua 3 xã"])
def test_long_uncommon_passwords_pass(app: Flask, password: str) -> None:
    with app.test_request_context():
        check_strength(password, "officer@bhxh.gov.vn")
        assert verify_password(hash_password(password, "officer@bhxh.gov.vn"), password)


def test_a_password_with_only_the_name_part_says_which_part_in_vietnamese(app: Flask) -> None:
    """The director's "LanhDao-Test-2026!" was refused as if it held the whole address."""
    with (
        app.test_request_context(headers={"Accept-Language": "vi"}),
        pytest.raises(WeakPassword) as refused,
    ):
        check_strength("LanhDao-Test-2026!", "lanhdao@test.vn")
    assert str(refused.value) == ("Mật khẩu không được chứa phần tên của địa chỉ e-mail (lanhdao).")


def test_the_whole_address_keeps_its_own_message(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(WeakPassword) as refused:
        check_strength("x-lanhdao@test.vn-2026", "lanhdao@test.vn")
    assert "name part" not in str(refused.value)

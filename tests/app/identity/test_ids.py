"""Personal ids: the CCCD's digits cross-checked, the old CMND kept apart, BHXH code forms."""

from __future__ import annotations

from app.identity.ids import IdKind, Sex, id_conflicts, parse_id_number, parse_insurance_id


def test_cccd_digits_and_cross_check() -> None:
    number = parse_id_number("040 190 123 456")
    assert number.kind == IdKind.CCCD
    assert (number.province_code, number.sex, number.birth_year) == ("040", Sex.FEMALE, 1990)
    assert id_conflicts(number, 1990, Sex.FEMALE) == []
    problems = id_conflicts(number, 1991, Sex.MALE)
    assert len(problems) == 2
    assert "1990" in problems[0]
    assert parse_id_number("079205000001").birth_year == 2005
    assert parse_id_number("79205000001").value == "079205000001"  # leading zero lost


def test_cmnd_and_invalid_ids() -> None:
    assert parse_id_number("123456789").kind == IdKind.CMND
    assert parse_id_number("12345").kind == IdKind.INVALID
    assert parse_id_number("0401901234ab").kind == IdKind.INVALID
    assert parse_id_number(None).kind == IdKind.MISSING


def test_insurance_id_forms() -> None:
    assert parse_insurance_id("GD4401234567890") == "1234567890"  # old 15-character card
    assert parse_insurance_id("040190123456") == "040190123456"  # personal id in that column
    assert parse_insurance_id("123") is None

"""Normalisation rules of shared/research/linkage-vn-data.md §2–3, one check per rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.identity.births import BirthError, BirthPrecision, parse_birth, written_birth
from app.identity.communes import CommuneHow, resolve_commune
from app.identity.encodings import detect_legacy
from app.identity.ids import IdKind, Sex, id_conflicts, parse_id_number, parse_insurance_id
from app.identity.names import parse_name


def test_name_parts_accented_and_folded() -> None:
    name = parse_name("NGUYỄN  THỊ THU Hoà")
    assert (name.surname, name.middle, name.given) == ("nguyễn", "thị thu", "hòa")
    assert (name.surname_folded, name.middle_folded, name.given_folded) == (
        "nguyen",
        "thi thu",
        "hoa",
    )
    assert not name.swapped


@pytest.mark.parametrize("raw", ["Hòa Nguyễn Thị", "Thi Hoa Nguyen"])
def test_swapped_order_is_detected_and_put_back(raw: str) -> None:
    name = parse_name(raw)
    assert name.swapped
    assert (name.surname_folded, name.middle_folded, name.given_folded) == ("nguyen", "thi", "hoa")


def test_name_single_token_and_empty() -> None:
    assert parse_name("Hoa").given == "hoa"
    assert parse_name("Hoa").surname == ""
    assert parse_name("  ,. ") is None


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


def test_birth_precision_and_errors() -> None:
    today = dt.date(2026, 11, 30)
    assert parse_birth("05/03/1962", today=today).precision == BirthPrecision.DAY
    assert parse_birth("05/03/1962", today=today).iso == "1962-03-05"
    assert parse_birth("03/1962", today=today).precision == BirthPrecision.MONTH
    year_only = parse_birth("1962", today=today)
    assert (year_only.precision, year_only.iso) == (BirthPrecision.YEAR, None)
    assert parse_birth(1962, today=today).precision == BirthPrecision.YEAR
    assert parse_birth(22710, today=today).iso == "1962-03-05"  # Excel serial
    assert parse_birth(dt.date(1962, 3, 5), today=today).iso == "1962-03-05"
    for bad in ("31/02/1990", "13/13/1990", "1850", "01/01/2030", "ngày 5"):
        with pytest.raises(BirthError):
            parse_birth(bad, today=today)


def test_birth_text_is_iso_at_its_precision_and_written_birth_skips_the_range() -> None:
    today = dt.date(2026, 11, 30)
    assert [parse_birth(raw, today=today).text for raw in ("17/5/1975", "05/1975", "1975")] == [
        "1975-05-17",
        "1975-05",
        "1975",
    ]
    assert written_birth("01/01/2030").text == "2030-01-01"  # the caller words "in the future"
    assert written_birth("31/02/1990") is None
    assert written_birth("  ") is None
    assert parse_birth("", today=today) is None


def test_communes_to_2025_codes() -> None:
    assert resolve_commune("17506").how == CommuneHow.CODE_2025
    legacy_code = resolve_commune("17572")  # old Xã Đông Thành, Yên Thành → Xã Yên Thành
    assert (legacy_code.code, legacy_code.how) == ("17506", CommuneHow.LEGACY_CODE)
    by_name = resolve_commune("Xã Hợp Thành", "Huyện Yên Thành", "Nghệ An")
    assert (by_name.code, by_name.how) == ("17506", CommuneHow.LEGACY_NAME)
    assert resolve_commune("Phường Bến Nghé", province="TP Hồ Chí Minh").code == "26740"
    assert resolve_commune("yen thanh", province="nghe an").code == "17506"
    ambiguous = resolve_commune("Yên Thành")
    assert ambiguous.code is None
    assert "17506" in ambiguous.candidates
    assert resolve_commune("Xã Không Có", province="Nghệ An").how == CommuneHow.UNKNOWN


def test_split_commune_keeps_candidates() -> None:
    split = resolve_commune("31268")
    assert split.code is None
    assert len(split.candidates) > 1


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("NguyÔn V¨n §øc", "tcvn3"), ("TrÇn ThÞ Hßa", "tcvn3"), ("Nguyeãn Vaên Ñöùc", "vni")],
)
def test_mojibake_detected(text: str, encoding: str) -> None:
    assert detect_legacy(text).encoding == encoding


@pytest.mark.parametrize("text", ["Nguyễn Văn Đức", "Phạm Thuỳ Dương", "Lê Thị Hòa", ""])
def test_unicode_vietnamese_is_not_mojibake(text: str) -> None:
    assert detect_legacy(text) is None

"""Dates of birth: day-first parsing, each date at its precision, impossible dates refused."""

from __future__ import annotations

import datetime as dt

import pytest

from app.identity.births import BirthError, BirthPrecision, parse_birth, written_birth, year_in


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


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("00/00/1975", 1975),
        ("31/02/1980", 1980),
        ("15/13/1968", 1968),
        ("00/1975", 1975),
        ("năm 1970", 1970),
        ("khoảng 1965", 1965),
        ("sinh năm 1958 (khoảng)", 1958),
        ("1968", 1968),
        ("không rõ", None),  # no year at all
        ("12/5/75", None),  # two digits: 1975 or 2075 is a guess
        ("1965 hoặc 1966", None),  # two years: which one?
        ("00/00/1850", None),  # before 1900
        ("00/00/2027", None),  # after this year
        ("0912345678", None),  # a phone in the wrong column: no four-digit number on its own
    ],
)
def test_year_in_reads_the_one_plausible_year_of_a_text_that_is_no_date(
    written: str, year: int | None
) -> None:
    assert year_in(written, today=dt.date(2026, 12, 6)) == year

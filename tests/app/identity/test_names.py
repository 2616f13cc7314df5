"""Vietnamese names: canonical accented and folded parts, and names written out of order."""

from __future__ import annotations

import unicodedata

import pytest

from app.identity.names import parse_name, written_name


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


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("lò văn páo", "Lò Văn Páo"),
        ("Lê thị hoa", "Lê Thị Hoa"),
        ("LÊ THỊ HOA", "Lê Thị Hoa"),
        ("  nguyễn   văn\tAN ", "Nguyễn Văn An"),
        ("đỗ đức", "Đỗ Đức"),
        ("ĐẶNG THÙY", "Đặng Thùy"),
        ("Nguyễn Thị Hòa", "Nguyễn Thị Hòa"),  # written right: as it is
        ("ksor h'hen", "Ksor H'Hen"),
        ("Y-MOAN ÊNUÔL", "Y-Moan Ênuôl"),
        ("Trần McKenzie", "Trần McKenzie"),  # mixed case: on purpose
        ("Le thi hoa", "Le Thi Hoa"),
        (unicodedata.normalize("NFD", "lò văn páo"), "Lò Văn Páo"),
        ("phượng ﬁ", "Phượng ﬁ"),  # a ligature pasted from a PDF: no "FI" of one letter
    ],
)
def test_written_name_capitalises_each_word(typed: str, written: str) -> None:
    assert written_name(typed) == written

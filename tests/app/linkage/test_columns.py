"""The column-wise normalisation gives exactly what the former per-row code gave."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pyarrow as pa

from app.linkage import PersonRecord, normalize_records
from tests.app.linkage.rowwise_reference import rowwise_normalize

NAMES = [
    "Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyen van an", "  Nguyễn   Thị  Hoà ", "Nguyễn Thị Hòa",
    "Nguyễn Thị Hoà", "Ðỗ Minh Khôi", "đỗ minh khôi", "ĐỖ MINH KHÔI", "Hoa Nguyen Thi",
    "Thị Hòa Nguyễn", "Lê Công Dũng", "Lê Ngọc Dũng", "Huỳnh Thủy", "Hoàng Thuỷ", "Võ Văn Ba",
    "H' Hen", "Kiều-Trinh", "An", "", "   ", "...", "Nguyễn Vãn Añ", "Nguyễn Văn 3",
    "Trần Thị Bích Ngọc Anh", "Nguy\u0065\u0302\u0303n V\u0103n An",  # NFD
    "Nguyeãn Vaên An",  # VNI-style mojibake
    "Ng­uyễn", "Phạm\tVăn\nCường", None,
]  # fmt: skip
BIRTHS = [
    "03/04/1990", "3/4/1990", "03.04.1990", "03-04-1990", "1990-04-03", "1990-04-03 00:00:00",
    "04/1990", "1990", 1990, 1990.0, 33000, 33000.5, dt.date(1990, 4, 3),
    dt.datetime(1990, 4, 3, 7, 0, tzinfo=dt.UTC), "31/02/1990", "13/13/1990", "1850",
    "01/01/2999", "abc", "", "  1962 ", None,
]  # fmt: skip
IDS = [
    "040090123456", "40090123456", "040 090 123 456", "040.090.123.456", "040-090-123-456",
    "040190123456", "040290123456", "040300123456", "123456789", "12345678", "1234567890123",
    "04009012345a", "040\t090123456", "０４００９０１２３４５６", " ", "", 40090123456, None,
]  # fmt: skip
INSURANCE = [
    "1234567890", "123456789", "040090123456", "GD4401234567890", "gd4401234567890",
    "12345 67890", "12345", "abc", 1234567890, "", None,
]  # fmt: skip
PHONES = [
    "0912345678", "0912.345.678", "0912 345 678", "+84912345678", "84912345678", "912345678",
    "+84 912 345 678", "(+84) 912-345-678", "01689123456", "0168.912.3456", "0241234567",
    "02412345678", "123", "0912345678 / 0987654321", "không có", "", 912345678, None,
]  # fmt: skip
COMMUNES = [
    ("17506", None, None), ("17572", None, None), ("Xã Hợp Thành", "Huyện Yên Thành", "Nghệ An"),
    ("Phường Bến Nghé", None, "TP Hồ Chí Minh"), ("yen thanh", None, "nghe an"),
    ("Yên Thành", None, None), ("Xã Không Có", None, "Nghệ An"), ("31268", None, None),
    ("", None, None), (None, None, None),
    ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An", None, None),
]  # fmt: skip
SEXES = ["Nam", "nữ", "NỮ", "M", "F", "male", "female", "trai", "gái", "x", "", None]


def _records(count: int, seed: int) -> list[PersonRecord]:
    rng = random.Random(seed)
    return [
        PersonRecord(
            f"r{i}",
            full_name=rng.choice(NAMES),
            birth=rng.choice(BIRTHS),
            sex=rng.choice(SEXES),
            id_number=rng.choice(IDS),
            insurance_id=rng.choice(INSURANCE),
            phone=rng.choice(PHONES),
            commune=(c := rng.choice(COMMUNES))[0],
            district=c[1],
            province=c[2],
            household_ref=rng.choice(["H1", "H2", "", None]),
        )
        for i in range(count)
    ]


def _assert_same(records: list[PersonRecord]) -> None:
    table, issues = normalize_records(records)
    expected, expected_issues = rowwise_normalize(records)
    assert table.select(expected.column_names).schema == expected.schema
    for name in expected.column_names:
        assert table[name].to_pylist() == expected[name].to_pylist(), name
    assert issues == expected_issues


def test_every_single_tricky_value_normalises_as_before() -> None:
    """Each value alone and beside the others: no value leans on another's row."""
    columns = itertools.zip_longest(NAMES, BIRTHS, IDS, INSURANCE, PHONES, COMMUNES, SEXES)
    records = [
        PersonRecord(
            f"t{i}",
            full_name=name,
            birth=birth,
            sex=sex,
            id_number=number,
            insurance_id=insurance,
            phone=phone,
            commune=(commune or (None, None, None))[0],
            district=(commune or (None, None, None))[1],
            province=(commune or (None, None, None))[2],
        )
        for i, (name, birth, number, insurance, phone, commune, sex) in enumerate(columns)
    ]
    _assert_same(records)


def test_random_mixes_normalise_as_before() -> None:
    _assert_same(_records(3_000, seed=18))


def test_cccd_contradicting_birth_and_sex_is_reported_once_per_problem() -> None:
    records = [
        PersonRecord("a", "Lê Văn Nam", birth="1991", sex="Nữ", id_number="040090123456"),
        PersonRecord("b", "Lê Văn Nam", birth="1990", sex="Nam", id_number="040090123456"),
        PersonRecord("c", "Lê Thị Mai", insurance_id="040190123456"),
    ]
    table, issues = normalize_records(records)
    assert [(i.record_id, i.problem) for i in issues] == [
        ("a", "CCCD says born 1990, record says 1991"),
        ("a", "CCCD says sex M, record says F"),
    ]
    # c: the personal id in the insurance column gives the CCCD, the year and the sex
    assert table["cccd"].to_pylist()[2] == "040190123456"
    assert table["birth_year"].to_pylist()[2] == 1990
    assert table["sex"].to_pylist()[2] == "F"
    _assert_same(records)


def test_name_sorted_holds_the_words_in_any_order() -> None:
    records = [
        PersonRecord("a", "Hùng Hoàng Văn"),
        PersonRecord("b", "HOÀNG VĂN HÙNG"),
        PersonRecord("c", "Minh Duc Hoang"),
        PersonRecord("d", "An"),
        PersonRecord("e", None),
    ]
    table, _ = normalize_records(records)
    assert table["name_sorted"].to_pylist() == [
        "hoang hung van", "hoang hung van", "duc hoang minh", "an", None
    ]  # fmt: skip


def test_empty_side() -> None:
    table, issues = normalize_records([])
    assert table.num_rows == 0
    assert issues == []
    assert isinstance(table["commune_candidates"].type, pa.ListType)
